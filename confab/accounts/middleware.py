from confab.accounts.models import Account


class CurrentAccountMiddleware:
    """Set `request.account`: the signed-in person's Account, or None when signed out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if not user.is_authenticated:
            request.account = None
        else:
            # The login backend fetched the account with the user (select_related); a user
            # without an account (an admin made with createsuperuser) has none.
            try:
                request.account = user.account
            except Account.DoesNotExist:
                request.account = None
        return self.get_response(request)
