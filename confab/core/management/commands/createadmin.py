import getpass

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from confab.accounts import actions


class Command(BaseCommand):
    help = "Create an administrator: a person with a profile who can also use /admin/."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--password", help="Taken from $CONFAB_ADMIN_PASSWORD or asked for when not given."
        )

    def handle(self, *args, username, email, password, **options):
        import os

        password = password or os.environ.get("CONFAB_ADMIN_PASSWORD") or getpass.getpass()
        try:
            account = actions.register(username, email, password, policy_check=False)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        actions.make_admin(account)
        self.stdout.write(self.style.SUCCESS(f"Admin @{account.username} created."))
