import uvicorn
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the Confab web server (uvicorn, ASGI)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=settings.CONFAB_SERVE_HOST)
        parser.add_argument("--port", type=int, default=settings.CONFAB_SERVE_PORT)
        parser.add_argument("--access-log", action="store_true", help="Log every request.")

    def handle(self, *args, host, port, access_log, **options):
        self.stdout.write(self.style.SUCCESS(f"Confab is running at http://{host}:{port}/"))
        self.stdout.write("Press Ctrl+C to stop.")
        uvicorn.run(
            "confab.config.asgi:application",
            host=host,
            port=port,
            loop="uvloop",
            http="httptools",
            access_log=access_log,
            log_level="info",
            lifespan="off",
        )
