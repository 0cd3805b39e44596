"""Typed readers for CONFAB_* environment variables.

Each reader accepts `NAME_FILE` too (the value is read from that file), so secrets can come
from a mounted file instead of the process environment.
"""

import os
from urllib.parse import parse_qsl, unquote, urlsplit


class ConfigError(Exception):
    """A setting is missing or malformed; the message says which and how to fix it."""


def _raw(name: str) -> str | None:
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        with open(file_path, encoding="utf-8") as fh:
            return fh.read().strip()
    return os.environ.get(name)


def env_str(name: str, default: str = "") -> str:
    value = _raw(name)
    return default if value is None else value


def env_bool(name: str, default: bool) -> bool:
    value = _raw(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = _raw(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {value!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    value = _raw(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def database_from_url(url: str, *, pool: bool = True, prepare: bool = True) -> dict:
    """Turn `postgresql://user:pass@host:port/name?sslmode=…` into a Django DATABASES entry."""
    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql"}:
        raise ConfigError(
            f"CONFAB_DATABASE_URL must start with postgresql://, not {parts.scheme or url!r}"
        )
    name = unquote(parts.path.lstrip("/"))
    if not name:
        raise ConfigError("CONFAB_DATABASE_URL must name a database: postgresql://…/confab")
    options = dict(parse_qsl(parts.query))
    host = unquote(parts.hostname or "")
    # A socket directory may be passed as ?host=/path, as libpq allows.
    host = options.pop("host", host)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": host,
        "PORT": str(parts.port or ""),
        # A pool saves a new PostgreSQL backend per request and bounds the backends that
        # request, stream and worker threads hold together.
        "OPTIONS": {
            **({"pool": {"min_size": 2, "max_size": 20, "timeout": 10}} if pool else {}),
            # Values travel apart from the SQL (server-side binding), so a statement a
            # connection has run five times is prepared: the pages' SQL text repeats
            # exactly (confab/core/prepared.py). And a prepared statement keeps one plan:
            # left to choose, PostgreSQL planned the home timeline's query anew for each
            # reader (0.37 ms, about its whole run), though the plan does not change with
            # the ids it is given (decision 024). Both off for a transaction-pooling
            # PgBouncer in front of the database.
            **(
                {
                    "server_side_binding": True,
                    "prepare_threshold": 5,
                    "options": "-c plan_cache_mode=force_generic_plan",
                }
                if prepare
                else {}
            ),
            **options,
        },
        "CONN_MAX_AGE": 0,
    }
