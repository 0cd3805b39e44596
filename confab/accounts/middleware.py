from confab.accounts.models import Account


class CurrentAccountMiddleware:
    """Set `request.account`: the signed-in person's Account, or None when signed out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        request.account = (
            Account.objects.filter(user_id=user.pk).first() if user.is_authenticated else None
        )
        return self.get_response(request)
