from django.utils.functional import SimpleLazyObject

from confab.accounts.models import Account


def _account_for(request) -> Account | None:
    user = request.user
    if not user.is_authenticated:
        return None
    return Account.objects.filter(user_id=user.pk).first()


class CurrentAccountMiddleware:
    """Set `request.account`: the signed-in person's Account, or None (looked up on first use)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.account = SimpleLazyObject(lambda: _account_for(request))
        return self.get_response(request)
