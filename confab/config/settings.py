"""Confab's settings, read from CONFAB_* environment variables.

Local use needs none of them: SQLite under data/ and a secret key generated into data/.
With CONFAB_DEBUG off the unsafe defaults are refused: the secret key must be given.
"""

import secrets
from pathlib import Path

from confab.config.env import (
    ConfigError,
    database_from_url,
    env_bool,
    env_int,
    env_list,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DATA_DIR = Path(env_str("CONFAB_DATA_DIR", str(BASE_DIR / "data"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("CONFAB_DEBUG", True)


def _secret_key() -> str:
    given = env_str("CONFAB_SECRET_KEY")
    if given:
        return given
    if not DEBUG:
        raise ConfigError(
            "CONFAB_SECRET_KEY is required when CONFAB_DEBUG is off "
            "(or CONFAB_SECRET_KEY_FILE pointing at a file that holds it)."
        )
    # Local use: keep one generated key so sessions survive restarts.
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()

INSTANCE_DOMAIN = env_str("CONFAB_DOMAIN", "127.0.0.1:8000")
INSTANCE_NAME = env_str("CONFAB_INSTANCE_NAME", "Confab")
ALLOWED_HOSTS = env_list(
    "CONFAB_ALLOWED_HOSTS",
    ["127.0.0.1", "localhost", "[::1]", "testserver", INSTANCE_DOMAIN.split(":")[0]],
)
CSRF_TRUSTED_ORIGINS = env_list("CONFAB_CSRF_TRUSTED_ORIGINS", [])
SECURE_SSL = env_bool("CONFAB_HTTPS", not DEBUG)
SESSION_COOKIE_SECURE = SECURE_SSL
CSRF_COOKIE_SECURE = SECURE_SSL
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SECURE_SSL else None
SESSION_COOKIE_AGE = 60 * 60 * 24 * 30

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "confab.core",
    "confab.accounts",
    "confab.posts",
    "confab.timelines",
    "confab.realtime",
    "confab.worker",
    "confab.notifications",
    "confab.chats",
    "confab.curation",
    "confab.connections",
    "confab.events",
    "confab.insights",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "confab.accounts.middleware.CurrentAccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "confab.config.urls"
ASGI_APPLICATION = "confab.config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "confab.core.context_processors.instance",
                "confab.notifications.context_processors.unread",
                "confab.connections.conversations.context_processors.unread",
            ],
        },
    }
]

DATABASE_URL = env_str("CONFAB_DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        "default": database_from_url(
            DATABASE_URL,
            pool=env_bool("CONFAB_DATABASE_POOL", True),
            prepare=env_bool("CONFAB_DATABASE_PREPARE", True),
        )
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("CONFAB_SQLITE_PATH", str(DATA_DIR / "confab.sqlite3")),
            "OPTIONS": {
                # IMMEDIATE takes the write lock at BEGIN, so two writers wait on the busy
                # timeout instead of failing with "database is locked" mid-transaction.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA foreign_keys=ON;"
                    "PRAGMA cache_size=-64000;"
                    # Memory-mapped reads: a new connection (a worker or stream thread)
                    # starts from the OS page cache instead of a cold private cache.
                    "PRAGMA mmap_size=1073741824;"
                ),
            },
            # Requests run on a fixed pool of threads (confab/core/handler.py); each
            # keeps its connection and with it a warm page cache.
            "CONN_MAX_AGE": None,
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "local"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("CONFAB_MEDIA_ROOT", str(DATA_DIR / "media")))

# DESIGN.md limits: request body 2.5 MB, uploads 8 MB each (files stream to disk).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 200
IMAGE_MAX_BYTES = 8 * 1024 * 1024
IMAGE_MAX_PIXELS = 33_000_000

POST_MAX_CHARS = 500
POST_URL_CHARS = 23
POST_MAX_MEDIA = 4
PAGE_SIZE = 20

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("CONFAB_LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own configuration gives "django" a console handler in debug mode; its
        # records also reach the root's, so each line was printed twice.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.db.backends": {"level": "INFO"},
    },
}

CONFAB_SERVE_HOST = env_str("CONFAB_HOST", "127.0.0.1")
CONFAB_SERVE_PORT = env_int("CONFAB_PORT", 8000)
# Threads that run requests' Django code (confab/core/handler.py); each keeps a database
# connection. Two, so one slow request does not hold up the rest; more only contend for
# the interpreter lock (make bench, home p99: 1 thread 34 ms, 2: 38, 4: 48, 8: 50).
CONFAB_WEB_THREADS = env_int("CONFAB_WEB_THREADS", 2)

AUTHENTICATION_BACKENDS = ["confab.accounts.backends.CaseInsensitiveUsernameBackend"]

# Live updates (server-sent events): a heartbeat comment keeps proxies from closing idle
# streams; browsers reconnect after CONFAB_SSE_RETRY_MS and resume from Last-Event-ID.
CONFAB_SSE_HEARTBEAT = env_int("CONFAB_SSE_HEARTBEAT", 15)
CONFAB_SSE_RETRY_MS = env_int("CONFAB_SSE_RETRY_MS", 3000)
