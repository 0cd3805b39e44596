import os

import django
from django.conf import settings
from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "confab.config.settings")
django.setup(set_prefix=False)

from confab.core.handler import OneHopASGIHandler  # noqa: E402  (needs Django set up)
from confab.realtime.asgi import LiveRouter  # noqa: E402

# Each request's Django code runs in one call on a pool of threads (decision 021).
# Static files are served by the app itself (from the installed apps and static/), so one
# `confab serve` is a whole server; a reverse proxy may serve /static/ in front of it.
django_application = ASGIStaticFilesHandler(OneHopASGIHandler(settings.CONFAB_WEB_THREADS))

# Live streams (/live/*) are served by a small ASGI app of their own in front of Django,
# with the same session, permission and relations checks (docs/decisions/017-live-path.md).
application = LiveRouter(django_application)
