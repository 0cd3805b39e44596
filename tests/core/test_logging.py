"""Log lines reach the console once (confab/config/settings.py LOGGING)."""

import logging


def test_django_s_records_go_through_the_root_handler_only():
    django_logger = logging.getLogger("django")
    assert django_logger.handlers == []
    assert django_logger.propagate
    assert logging.getLogger().handlers  # the root's console handler prints them
