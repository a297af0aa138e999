"""Real Chromium (Debian's /usr/bin/chromium) driven through Playwright's sync API.

One browser for the whole session; each test gets fresh contexts (cookies, storage, viewport).
"""

import os

import pytest
from django.core.cache import cache

# Playwright's sync API runs an asyncio event loop in this thread; Django refuses ORM calls
# from a thread with a running loop unless told that this is deliberate.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (.ci/run does this)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server, deduce_loaded):
    """Open a page in a fresh context: ``new_page(**context_options)``; closed after the test.
    deduce is loaded first, so that a submission's de-identification does not spend the
    page's time limit on it."""
    contexts = []

    def open_page(**options):
        options.setdefault("locale", "nl-BE")
        context = browser.new_context(base_url=live_server.url, **options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def phone_page(new_page):
    return new_page(**PHONE)


@pytest.fixture
def desktop_page(new_page):
    return new_page(**DESKTOP)


@pytest.fixture(autouse=True)
def fresh_submission_limit():
    """Every submission from 127.0.0.1 counts against one rate-limit window; start empty so
    earlier tests in the run cannot push these over the limit."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def screenshot_dir():
    """Where to save screenshots for a person to look at: $MANGO_SCREENSHOT_DIR, or nowhere."""
    path = os.environ.get("MANGO_SCREENSHOT_DIR")
    if path:
        os.makedirs(path, exist_ok=True)
    return path
