from django.contrib.auth.backends import ModelBackend

from confab.accounts.models import User


class CaseInsensitiveUsernameBackend(ModelBackend):
    """Log in with the username in any case: usernames are unique ignoring case."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        user = User.objects.filter(username__iexact=username).first()
        if user is None:
            # Run the hasher anyway so a missing name takes as long as a wrong password.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def get_user(self, user_id):
        # Every signed-in request needs the person behind the login: fetch both at once.
        user = User._default_manager.select_related("account").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
