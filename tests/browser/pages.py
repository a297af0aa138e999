"""What the browser tests share: a msgid as the Dutch page shows it, and signing in."""

from django.utils import translation
from django.utils.translation import gettext

PASSWORD = "pw-for-tests"  # noqa: S105 - tests.conftest.make_user's password


def nl(text) -> str:
    """``text`` (a msgid or a lazy translation) as the Dutch page shows it."""
    with translation.override("nl"):
        return gettext(text) if isinstance(text, str) else str(text)


def sign_in(page, username: str, *, password: str = PASSWORD, language: str = "nl") -> None:
    """Sign in through the sign-in page and wait until it has let the user in."""
    page.goto(f"/{language}/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
