import os

from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler
from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "confab.config.settings")

# Static files are served by the app itself (from the installed apps and static/), so one
# `confab serve` is a whole server; a reverse proxy may serve /static/ in front of it.
django_application = ASGIStaticFilesHandler(get_asgi_application())

# Live streams (/live/*) are served by a small ASGI app of their own in front of Django,
# with the same session, permission and relations checks (docs/decisions/017-live-path.md).
from confab.realtime.asgi import LiveRouter  # noqa: E402  (needs Django set up)

application = LiveRouter(django_application)
