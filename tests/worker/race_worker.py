"""`confab worker --once` in a process of its own, with the test handlers loaded.

    python -m tests.worker.race_worker READY_FILE GO_FILE [worker options…]

It connects, touches READY_FILE, waits for GO_FILE to appear (so two of them start claiming
at the same moment), then drains the due jobs.
"""

import os
import sys
import time
from pathlib import Path


def main() -> None:
    ready, go, *options = sys.argv[1:]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "confab.config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    import tests.worker.handlers  # noqa: F401  (registers the test handlers)

    connection.ensure_connection()
    Path(ready).touch()
    while not Path(go).exists():
        time.sleep(0.005)
    call_command("worker", "--once", *options)


if __name__ == "__main__":
    main()
