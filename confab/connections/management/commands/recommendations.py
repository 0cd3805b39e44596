import time

from django.core.management.base import BaseCommand, CommandError

from confab.accounts.models import Account
from confab.connections.people import refresh


class Command(BaseCommand):
    help = (
        "Recompute people worth meeting for everyone now (the worker also does it nightly), "
        "or with --person USERNAME for one person."
    )

    def add_arguments(self, parser):
        parser.add_argument("--person", help="Only this local person's recommendations.")

    def handle(self, *args, person=None, **options):
        started = time.perf_counter()
        if person:
            account = Account.objects.filter(username__iexact=person, domain="").first()
            if account is None:
                raise CommandError(f"No local person called {person}.")
            stored = refresh.refresh_person(account)
        else:
            stored = refresh.refresh_everyone()
        seconds = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(f"Stored {stored} recommendations in {seconds:.1f} s.")
        )
