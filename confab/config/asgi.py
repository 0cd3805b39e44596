import os

from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler
from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "confab.config.settings")

# Static files are served by the app itself (from the installed apps and static/), so one
# `confab serve` is a whole server; a reverse proxy may serve /static/ in front of it.
application = ASGIStaticFilesHandler(get_asgi_application())
