"""Playwright on Debian's chromium against the live test server."""

import os
import threading
from pathlib import Path

import pytest
from django.core.cache import cache
from pytest_django.live_server_helper import LiveServer

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=os.environ.get("TAKEROOT_CHROMIUM", "/usr/bin/chromium"),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-background-networking",
                "--disable-gpu",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


class _PatientLiveServer(LiveServer):
    """pytest-django's live server, stopped only after its request threads finish.

    Request threads are daemons that close the shared SQLite connection when they end; stopping
    the server while one is still running withdraws the connection's thread sharing under it."""

    def stop(self) -> None:
        self.thread.terminate()
        for thread in threading.enumerate():
            if thread.name.endswith("(process_request_thread)"):
                thread.join(timeout=10)
        for connection in self.thread.connections_override.values():
            connection.dec_thread_sharing()


@pytest.fixture(scope="session")
def live_server(request):
    address = request.config.getvalue("liveserver") or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS") or "localhost"
    server = _PatientLiveServer(address)
    yield server
    server.stop()


@pytest.fixture
def page(browser, live_server):
    # Sign-ins are throttled per address in the database cache, which outlives each test's data:
    # every browser test signs in from 127.0.0.1, so each starts with the counters at zero.
    cache.clear()
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> None:
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

    return take
