"""Account security: headers and CSP, login throttling, sessions, and the production settings."""

import logging
import os
import secrets
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessLog
from django.db.models import F

from mango import settings as mango_settings
from mango.security import SlidingSessionMiddleware

pytestmark = pytest.mark.django_db

LOGIN = "/en/accounts/login/"
PASSWORD = "pw-for-tests"  # tests.conftest.make_user


def csp_directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def assert_security_headers(response):
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    policy = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()"):
        assert feature in policy
    directives = csp_directives(response)
    assert directives["default-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]


# ----- headers and the Content-Security-Policy ---------------------------------------------


def test_a_public_page_sends_the_security_headers(client):
    response = client.get("/nl/tell/")
    assert response.status_code == 200
    assert_security_headers(response)


def test_a_staff_page_sends_the_security_headers(client, manager):
    client.force_login(manager)
    response = client.get("/nl/staff/")
    assert response.status_code == 200
    assert_security_headers(response)


def test_an_api_response_sends_the_security_headers(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    assert_security_headers(response)


NO_STORE = "no-store, private"


def test_staff_pages_and_the_api_are_never_cached(client, manager, admin_user, story):
    client.force_login(manager)
    for url in ("/nl/staff/", f"/nl/staff/stories/{story.pk}/", "/en/staff/moderation/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == NO_STORE, url
    for url in ("/api/openapi.json", "/api/stories", f"/api/stories/{story.pk}"):
        assert client.get(url)["Cache-Control"] == NO_STORE, url
    client.force_login(admin_user)
    assert client.get("/admin/stories/story/")["Cache-Control"] == NO_STORE


def test_the_tellers_pages_with_a_story_or_receipt_are_never_cached(client, story):
    assert client.get("/fr/tell/thanks/")["Cache-Control"] == NO_STORE
    assert client.get("/en/my-story/")["Cache-Control"] == NO_STORE
    looked_up = client.post("/en/my-story/", {"receipt": story.receipt})
    assert looked_up.status_code == 200
    assert looked_up["Cache-Control"] == NO_STORE


def test_the_public_form_may_be_cached(client):
    assert "no-store" not in client.get("/nl/tell/").get("Cache-Control", "")


def test_the_policy_allows_no_inline_script_no_eval_and_no_inline_style(client):
    response = client.get("/nl/tell/")
    header = response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in header and "'unsafe-eval'" not in header
    directives = csp_directives(response)
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["img-src"] == ["'self'", "data:"]
    assert directives["form-action"] == ["'self'"]
    assert directives["base-uri"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]


def test_the_api_docs_work_under_the_strict_policy(client):
    # Swagger UI is served from /static/ninja/ and reads its settings from a JSON script tag,
    # which is data, not script: the page needs no exception (checked in Chromium too).
    response = client.get("/api/docs")
    assert response.status_code == 200
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert '<script type="application/json"' in html


# ----- login throttling --------------------------------------------------------------------


def sign_in(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


def fail(client, username, times):
    for _ in range(times):
        response = sign_in(client, username, "not-the-password")
    return response


def test_five_bad_passwords_lock_the_sign_in_even_with_the_right_one(client, manager):
    for attempt in range(4):
        response = sign_in(client, "manager", f"wrong-{attempt}")
        assert response.status_code == 200 and b"errorlist" in response.content
    fifth = sign_in(client, "manager", "wrong-5")
    assert fifth.status_code == 429
    sixth = sign_in(client, "manager", PASSWORD)
    assert sixth.status_code == 429
    page = sixth.content.decode()
    assert "too many unsuccessful attempts" in page and "15 minutes" in page
    assert "_auth_user_id" not in client.session


def test_the_lockout_page_is_a_mango_page(client, manager):
    fail(client, "manager", 5)
    page = sign_in(client, "manager", PASSWORD).content.decode()
    assert '<header class="site">' in page and "Please wait a moment" in page
    assert "Forgot your password?" in page


def test_the_sign_in_works_again_after_the_cool_off(client, manager):
    fail(client, "manager", 5)
    assert sign_in(client, "manager", PASSWORD).status_code == 429
    # Fifteen minutes and a bit pass.
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=16))
    response = sign_in(client, "manager", PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(manager.pk)


def test_tries_during_the_lockout_do_not_extend_it(client, manager):
    fail(client, "manager", 5)
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=10))
    fail(client, "manager", 3)  # refused, but not counted
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=6))
    assert sign_in(client, "manager", PASSWORD).status_code == 302


def test_the_lock_is_per_username_and_client(client, manager, member):
    fail(client, "manager", 5)
    assert sign_in(client, "member", PASSWORD).status_code == 302
    other_client = client.__class__(REMOTE_ADDR="192.0.2.7")
    assert sign_in(other_client, "manager", PASSWORD).status_code == 302


def test_a_successful_sign_in_resets_the_count(client, manager):
    fail(client, "manager", 4)
    assert sign_in(client, "manager", PASSWORD).status_code == 302
    client.logout()
    fail(client, "manager", 4)
    assert sign_in(client, "manager", PASSWORD).status_code == 302


def test_the_admin_sign_in_is_throttled_too(client, admin_user):
    for _ in range(5):
        client.post("/admin/login/", {"username": "admin", "password": "nope"})
    response = client.post("/admin/login/", {"username": "admin", "password": PASSWORD})
    assert response.status_code == 429


def test_no_client_address_or_password_is_stored_or_logged(client, manager, caplog):
    caplog.set_level(logging.DEBUG, logger="axes")
    fail(client, "manager", 5)
    attempt = AccessAttempt.objects.get()
    assert attempt.failures_since_start == 5  # one client, one pseudonym
    assert attempt.ip_address != "127.0.0.1"
    assert "not-the-password" not in attempt.post_data
    assert "127.0.0.1" not in caplog.text
    assert "not-the-password" not in caplog.text
    sign_in(client, "member", "whatever")
    assert not AccessLog.objects.exists()


def test_signing_in_without_a_request_still_works(client, manager):
    # The shell, management commands and the test client authenticate without a request:
    # nothing to throttle, and axes must not get in the way.
    from django.contrib.auth import authenticate

    assert authenticate(username="manager", password=PASSWORD) == manager
    assert client.login(username="manager", password=PASSWORD)


def test_the_real_settings_hash_passwords_with_argon2():
    # tests.conftest swaps in a fast hasher; the settings module itself must say Argon2.
    assert mango_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


# ----- sessions ----------------------------------------------------------------------------


def test_sessions_end_after_eight_hours_without_a_request():
    assert mango_settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    # Renewed by SlidingSessionMiddleware instead of a database write on every request.
    assert not getattr(mango_settings, "SESSION_SAVE_EVERY_REQUEST", False)


def test_the_session_cookie_is_httponly_and_samesite_lax(client, manager):
    response = sign_in(client, "manager", PASSWORD)
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) == 8 * 60 * 60
    assert response.cookies["csrftoken"]["samesite"] == "Lax"


def test_an_active_session_is_renewed_at_most_once_per_interval(client, manager, settings):
    client.force_login(manager)
    first = client.get("/nl/staff/")
    assert "sessionid" in first.cookies  # renewed: a fresh eight hours
    again = client.get("/nl/staff/")
    assert "sessionid" not in again.cookies  # within the interval: no write
    session = client.session
    session[SlidingSessionMiddleware.KEY] = int(time.time()) - settings.MANGO_SESSION_RENEW_AFTER
    session.save()
    later = client.get("/nl/staff/")
    assert "sessionid" in later.cookies
    assert client.session[SlidingSessionMiddleware.KEY] >= int(time.time()) - 5


def test_visitors_who_do_not_sign_in_get_no_session(client):
    response = client.get("/nl/tell/")
    assert "sessionid" not in response.cookies


# ----- production settings -----------------------------------------------------------------


def run_with_production_settings(tmp_path, *args, **env):
    base = {k: v for k, v in os.environ.items() if not k.startswith(("MANGO_", "DJANGO_"))}
    base.update(DJANGO_SETTINGS_MODULE="mango.settings_production", MANGO_DATA_DIR=str(tmp_path))
    base.update(env)
    return subprocess.run(
        [sys.executable, "-m", "mango", *args],
        env=base,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_finds_no_issues_in_the_production_settings(tmp_path):
    done = run_with_production_settings(
        tmp_path,
        "check",
        "--deploy",
        "--fail-level",
        "DEBUG",
        MANGO_SECRET_KEY=secrets.token_urlsafe(50),
        MANGO_ALLOWED_HOSTS="mango.example.org",
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues (0 silenced)." in done.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    done = run_with_production_settings(tmp_path, "check", MANGO_ALLOWED_HOSTS="mango.example.org")
    assert done.returncode != 0
    assert "ImproperlyConfigured: MANGO_SECRET_KEY must be set" in done.stderr
    assert "it is not set" in done.stderr


def test_production_refuses_a_short_secret_key(tmp_path):
    done = run_with_production_settings(
        tmp_path, "check", MANGO_SECRET_KEY="x" * 20, MANGO_ALLOWED_HOSTS="mango.example.org"
    )
    assert done.returncode != 0
    assert "at least 50 characters" in done.stderr and "it has 20" in done.stderr


def test_production_refuses_to_start_without_host_names(tmp_path):
    done = run_with_production_settings(
        tmp_path, "check", MANGO_SECRET_KEY=secrets.token_urlsafe(50)
    )
    assert done.returncode != 0
    assert "MANGO_ALLOWED_HOSTS must name the host names" in done.stderr


def test_production_settings_are_hardened(monkeypatch):
    import importlib

    monkeypatch.setenv("MANGO_SECRET_KEY", secrets.token_urlsafe(50))
    monkeypatch.setenv("MANGO_ALLOWED_HOSTS", "mango.example.org")
    monkeypatch.setenv("MANGO_DEBUG", "1")
    monkeypatch.delitem(sys.modules, "mango.settings_production", raising=False)
    production = importlib.import_module("mango.settings_production")
    assert production.DEBUG is False
    assert production.ALLOWED_HOSTS == ["mango.example.org"]
    assert production.SECURE_SSL_REDIRECT is True
    assert production.SECURE_HSTS_SECONDS == 365 * 24 * 60 * 60
    assert production.SECURE_HSTS_INCLUDE_SUBDOMAINS and production.SECURE_HSTS_PRELOAD
    assert production.SESSION_COOKIE_SECURE and production.CSRF_COOKIE_SECURE
    assert production.SESSION_COOKIE_NAME.startswith("__Host-")


# ----- the client's address behind proxies, and password spraying ---------------------------


def test_a_forged_x_forwarded_for_escapes_neither_the_lockout_nor_the_rate_limit(
    client, manager, settings, rf
):
    from mango.stories import throttle

    settings.MANGO_TRUST_X_FORWARDED_FOR = True
    settings.MANGO_TRUSTED_PROXIES = 1
    # The client writes a new left-most address each time; the proxy appends the real one.
    for i in range(5):
        client.post(
            LOGIN,
            {"username": "manager", "password": "nope"},
            HTTP_X_FORWARDED_FOR=f"10.0.0.{i}, 198.51.100.9",
        )
    response = client.post(
        LOGIN,
        {"username": "manager", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="10.9.9.9, 198.51.100.9",
    )
    assert response.status_code == 429
    other = client.post(
        LOGIN,
        {"username": "manager", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="10.0.0.1, 198.51.100.10",
    )
    assert other.status_code == 302  # another real client is not locked out

    def story_client(forwarded):
        return throttle.client_id(rf.post("/nl/tell/", HTTP_X_FORWARDED_FOR=forwarded))

    assert story_client("1.1.1.1, 198.51.100.9") == story_client("2.2.2.2, 198.51.100.9")
    assert story_client("1.1.1.1, 198.51.100.9") != story_client("1.1.1.1, 198.51.100.10")


def test_password_spraying_from_one_client_is_throttled(client, manager, member, settings):
    from tests.conftest import make_user

    settings.MANGO_LOGIN_FAILURES_PER_CLIENT = 8
    make_user("third")
    # Four tries at each of two usernames: under the lock per username (5), but 8 in all.
    fail(client, "manager", 4)
    fail(client, "member", 4)
    response = sign_in(client, "third", PASSWORD)
    assert response.status_code == 429 and "_auth_user_id" not in client.session
    # Refused tries do not extend the lock; another client is not affected.
    fail(client, "third", 3)
    assert sum(a.failures_since_start for a in AccessAttempt.objects.all()) == 8
    other_client = client.__class__(REMOTE_ADDR="192.0.2.7")
    assert sign_in(other_client, "third", PASSWORD).status_code == 302
    # After the cool-off the client may sign in again.
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=16))
    assert sign_in(client, "third", PASSWORD).status_code == 302


def test_the_default_spraying_limit_leaves_room_for_a_shared_hospital_address():
    assert mango_settings.MANGO_LOGIN_FAILURES_PER_CLIENT > 5 * mango_settings.AXES_FAILURE_LIMIT
