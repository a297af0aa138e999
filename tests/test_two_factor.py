"""Optional two-factor sign-in (TOTP) for staff: set-up, the code page, and what it guards."""

import time

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from mango.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def code_for(device: TOTPDevice, *, steps_ago: int = 0) -> str:
    """The code an authenticator app shows for the device's secret (``steps_ago`` back)."""
    otp = TOTP(device.bin_key, device.step, device.t0, device.digits)
    otp.time = time.time() - steps_ago * device.step
    return str(otp.token()).zfill(device.digits)


def turn_on(client, user) -> TOTPDevice:
    client.force_login(user)
    client.get(reverse("two_factor"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(reverse("two_factor"), {"code": code_for(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    return device


def next_time_step(device: TOTPDevice) -> None:
    """As if the next 30 seconds had come: a code is accepted once (replays are refused), so
    a test that just used this step's code forgets that use, and any failed attempts."""
    device.refresh_from_db()
    device.last_t = -1
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()


def sign_in_with_password(client, user):
    client.logout()
    client.force_login(user)


def test_set_up_shows_a_qr_code_and_key_and_a_right_code_turns_it_on(client, manager):
    client.force_login(manager)
    page = client.get(reverse("two_factor")).content.decode()
    assert 'src="data:image/svg+xml;base64,' in page
    device = TOTPDevice.objects.get(user=manager)
    assert not device.confirmed and "issuer=Mango" in device.config_url
    turn_on(client, manager)
    assert TOTPDevice.objects.get(user=manager).confirmed
    event = AuditEvent.objects.get(action="account.two_factor_on")
    assert event.actor == manager and event.target_id == str(manager.pk)


def test_a_wrong_code_does_not_turn_it_on(client, manager):
    client.force_login(manager)
    client.get(reverse("two_factor"))
    device = TOTPDevice.objects.get(user=manager)
    wrong = str((int(code_for(device)) + 1) % 1_000_000).zfill(6)
    response = client.post(reverse("two_factor"), {"code": wrong})
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert not TOTPDevice.objects.filter(user=manager, confirmed=True).exists()


def test_with_a_device_a_password_alone_does_not_open_staff_pages(client, manager, story):
    turn_on(client, manager)
    sign_in_with_password(client, manager)
    stories = reverse("staff:stories")
    response = client.get(stories)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_verify"))
    # The story page and the admin are guarded too; the public form is not.
    assert client.get(reverse("staff:story", args=[story.pk])).status_code == 302
    assert client.get("/admin/").status_code == 302
    assert client.get(reverse("tell")).status_code == 200


def test_the_code_page_verifies_the_session_and_returns_to_the_page(client, manager):
    device = turn_on(client, manager)
    sign_in_with_password(client, manager)
    stories = reverse("staff:stories")
    response = client.post(
        reverse("two_factor_verify"), {"code": code_for(device), "next": stories}
    )
    assert response.status_code == 400  # this step's code was spent on turning it on
    next_time_step(device)
    response = client.post(
        reverse("two_factor_verify"), {"code": code_for(device, steps_ago=1), "next": stories}
    )
    assert response.status_code == 302 and response["Location"] == stories
    assert client.get(stories).status_code == 200


def test_a_wrong_code_is_refused_and_an_outside_next_is_ignored(client, manager):
    device = turn_on(client, manager)
    sign_in_with_password(client, manager)
    wrong = str((int(code_for(device)) + 1) % 1_000_000).zfill(6)
    response = client.post(reverse("two_factor_verify"), {"code": wrong})
    assert response.status_code == 400
    assert client.get(reverse("staff:stories")).status_code == 302
    next_time_step(device)
    response = client.post(
        reverse("two_factor_verify"), {"code": code_for(device), "next": "https://evil.example/"}
    )
    assert response.status_code == 302 and "evil" not in response["Location"]


def test_repeated_wrong_codes_are_throttled(client, manager):
    device = turn_on(client, manager)
    sign_in_with_password(client, manager)
    next_time_step(device)
    wrong = str((int(code_for(device)) + 1) % 1_000_000).zfill(6)
    client.post(reverse("two_factor_verify"), {"code": wrong})
    # django-otp now makes the device wait before it checks any code, even a right one.
    response = client.post(reverse("two_factor_verify"), {"code": code_for(device)})
    assert response.status_code == 400


def test_turning_it_off_needs_a_current_code_and_is_audited(client, manager):
    device = turn_on(client, manager)
    wrong = str((int(code_for(device)) + 1) % 1_000_000).zfill(6)
    assert client.post(reverse("two_factor"), {"code": wrong}).status_code == 400
    assert TOTPDevice.objects.filter(user=manager, confirmed=True).exists()
    next_time_step(device)
    response = client.post(reverse("two_factor"), {"code": code_for(device)})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=manager).exists()
    assert AuditEvent.objects.filter(action="account.two_factor_off", actor=manager).exists()
    sign_in_with_password(client, manager)
    assert client.get(reverse("staff:stories")).status_code == 200


def test_users_without_a_device_are_not_asked(client, manager):
    client.force_login(manager)
    assert client.get(reverse("staff:stories")).status_code == 200
