"""Headless Debian Chromium for every browser test: one browser per test process.

Playwright's sync API marks its event loop as running in the calling thread for as
long as it is started. While a loop runs, Django refuses ORM calls, keeps database
connections apart from the thread's usual ones, and other Playwright instances
refuse to start. So the loop is marked only during browser tests, which are
allowed the ORM and close the connections they opened; other tests in the same
process see none of it.
"""

import asyncio
from pathlib import Path

import pytest
from django.db import connections

from .prerequisites import missing

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="session")
def chromium_session():
    """(browser, loop): Chromium launched once per test process, never downloaded."""
    if not CHROMIUM.exists():
        missing(f"{CHROMIUM} is missing: install Debian's chromium (.ci/run does)")
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        loop = asyncio.get_running_loop()  # the one Playwright just marked as running
    except BaseException:
        playwright.stop()
        raise
    asyncio._set_running_loop(None)
    yield browser, loop
    asyncio._set_running_loop(loop)
    try:
        browser.close()
    finally:
        playwright.stop()


@pytest.fixture
def chromium(chromium_session, monkeypatch):
    """The shared browser, usable in this test together with the ORM."""
    browser, loop = chromium_session
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    asyncio._set_running_loop(loop)
    yield browser
    connections.close_all()  # those opened while the loop was marked; else they leak
    asyncio._set_running_loop(None)
