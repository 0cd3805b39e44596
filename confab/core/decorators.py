from functools import wraps

from django.contrib.auth.views import redirect_to_login


def account_required(view):
    """Let only a signed-in person with an account through; others go to the login page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.account is None:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper
