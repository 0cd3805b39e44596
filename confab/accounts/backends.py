from django.contrib.auth.backends import ModelBackend
from django.db import connection

from confab.accounts.models import User
from confab.core.prepared import prepared, sentinels


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
        # Every signed-in request needs the person behind the login: fetch both at once,
        # with SQL compiled once (confab/core/prepared.py).
        try:
            user_id = int(user_id)
        except (TypeError, ValueError):
            return None

        def build():
            stand_ins = sentinels(["user"])
            users = User._default_manager.select_related("account").filter(pk=stand_ins["user"])
            return users, stand_ins

        found = prepared.rows(("session user", connection.vendor), build, {"user": user_id})
        user = found[0] if found else None
        return user if user is not None and self.user_can_authenticate(user) else None
