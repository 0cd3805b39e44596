"""Playwright fixtures: Debian's Chromium, one browser per package run, one context per person.

`playwright install` cannot download browsers on our machines, so the Chromium from the
Debian package is launched instead. Each person in a test gets a fresh browser context, so
two pages opened with `new_page()` hold separate cookies and are two different people.

The fixtures serve the real ASGI application with uvicorn (`asgi_server`, which gives the
test `transactional_db`): pages stream server-sent events, which pytest-django's WSGI
`live_server` cannot do. Pages get the server's URL as their base, so a test can write
`page.goto("/login")`.
"""

import contextlib
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox cannot start
    "--disable-gpu",
    "--disable-dev-shm-usage",  # containers often have a tiny /dev/shm
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # No test reaches outside the machine: every host but the live server fails to resolve.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
]
ACTION_TIMEOUT_MS = 10_000
# Assertions wait as long as actions do: a loaded CI machine can be slow to answer a form.
expect.set_options(timeout=ACTION_TIMEOUT_MS)

_HERE = Path(__file__).resolve().parent
_FAILED = pytest.StashKey[bool]()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # This hook sees the whole session's items, not only this directory's.
    for item in items:
        if _HERE in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator:
    report = yield
    if report.when == "call":
        item.stash[_FAILED] = report.failed  # new_page keeps screenshots of failed tests
    return report


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """Chromium, alive while this package's tests run.

    Playwright's sync API keeps an asyncio loop running in the test thread from start to
    stop. Django then refuses ORM calls in that thread ("cannot call this from an async
    context") although they really are synchronous, so the check is switched off here; and
    nothing in a browser test may use async_to_sync or asyncio.run. Package scope stops the
    loop, and restores the check, before the other packages' tests run.
    """
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/ensure-system-packages.sh test")
    with _async_unsafe_allowed(), sync_playwright() as playwright:
        # launch() gives the browser a fresh temporary profile (user-data dir) and deletes it
        # on close; its contexts share nothing, unlike launch_persistent_context()'s.
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def new_page(
    browser: Browser, asgi_server: str, request: pytest.FixtureRequest
) -> Iterator[Callable[..., Page]]:
    """Open a page as a new person: `alice = new_page(); bob = new_page()`.

    Keyword arguments go to `browser.new_context()` (`timezone_id`, `locale`, …).
    """
    contexts: list[BrowserContext] = []

    def open_page(**context_options) -> Page:
        context_options.setdefault("base_url", asgi_server)
        context = browser.new_context(**context_options)
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield open_page

    if request.node.stash.get(_FAILED, False):
        _save_screenshots(request.config.rootpath / "test-results", request.node.nodeid, contexts)
    for context in contexts:
        context.close()


@pytest.fixture
def browser_context(new_page: Callable[..., Page]) -> BrowserContext:
    """A fresh context (one person) pointed at the live server."""
    return new_page().context


@pytest.fixture
def page(browser_context: BrowserContext) -> Page:
    """The one page of a single-person test."""
    return browser_context.pages[0]


@contextlib.contextmanager
def _async_unsafe_allowed() -> Iterator[None]:
    name = "DJANGO_ALLOW_ASYNC_UNSAFE"
    if name in os.environ:  # whoever set it decides
        yield
        return
    os.environ[name] = "true"
    try:
        yield
    finally:
        del os.environ[name]


def _save_screenshots(folder: Path, nodeid: str, contexts: list[BrowserContext]) -> None:
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid)
    folder.mkdir(exist_ok=True)
    for person, context in enumerate(contexts, start=1):
        for number, page in enumerate(context.pages, start=1):
            # A crashed page must not hide the test's own failure.
            with contextlib.suppress(Exception):
                page.screenshot(path=folder / f"{stem}-{person}-{number}.png")


@pytest.fixture
def asgi_server(transactional_db) -> Iterator[str]:
    """Serve the real ASGI application with uvicorn on a free port, for live (SSE) pages.

    pytest-django's live_server speaks WSGI, which cannot stream server-sent events. This
    runs uvicorn in a thread of the test process, so it shares the test database.
    """
    import socket
    import threading
    import time

    import uvicorn

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(
        "confab.config.asgi:application",
        host="127.0.0.1",
        port=port,
        log_level="warning",
        lifespan="off",
        timeout_graceful_shutdown=1,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)
