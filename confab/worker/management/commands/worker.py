import logging
import signal
import threading

from django.core.management.base import BaseCommand

from confab.worker.runner import POLL_INTERVAL, Worker

log = logging.getLogger("confab.worker")


class Command(BaseCommand):
    help = "Run background jobs as they fall due, until SIGTERM or Ctrl+C."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run the jobs due now, then exit.")
        parser.add_argument(
            "--poll-interval",
            type=float,
            default=POLL_INTERVAL,
            help="Seconds to wait between looks when nothing is due (default %(default)s).",
        )
        parser.add_argument("--name", help="This worker's name in the jobs table.")

    def handle(self, *args, once, poll_interval, name, **options):
        worker = Worker(name=name, poll_interval=poll_interval)
        stop = threading.Event()

        def request_stop(signum, frame):
            # The job in hand finishes and is recorded; then the loop ends.
            log.info("Worker %s: %s received, stopping", worker.name, signal.strsignal(signum))
            stop.set()

        signal.signal(signal.SIGTERM, request_stop)
        signal.signal(signal.SIGINT, request_stop)
        if once:
            count = worker.drain(stop)
            self.stdout.write(f"Ran {count} job{'s' if count != 1 else ''}.")
        else:
            worker.run(stop)
