"""Confab's settings plus the benchmark's own URLs (a "hello" view beside the real pages)."""

from confab.config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
