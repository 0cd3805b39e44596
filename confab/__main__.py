"""The `confab` command: Django's management commands plus serve, demo and createadmin."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "confab.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["confab", *sys.argv[1:]])


if __name__ == "__main__":
    main()
