import pytest

pytestmark = pytest.mark.django_db


def test_administrators_reach_every_admin_list(client, admin_user, story):
    client.force_login(admin_user)
    for path in [
        "/admin/stories/story/",
        f"/admin/stories/story/{story.pk}/change/",
        "/admin/organisations/organisation/",
        "/admin/organisations/campaign/",
        "/admin/organisations/unit/",
        "/admin/accounts/membership/",
        "/admin/accounts/apitoken/",
    ]:
        assert client.get(path).status_code == 200, path


def test_staff_roles_without_admin_rights_are_kept_out(client, manager):
    client.force_login(manager)
    assert client.get("/admin/stories/story/").status_code == 302


def test_stories_in_the_admin_are_read_only_de_identified_and_audited(client, admin_user, org):
    from mango.audit.models import AuditEvent
    from tests.conftest import make_story

    story = make_story(
        org,
        text="Verpleegster Sofie Peeters bleef de hele nacht bij mijn vader.",
        text_redacted="Verpleegster [NAAM] bleef de hele nacht bij mijn vader.",
        contact_email="teller@example.org",
        review_note="Sofie Peeters is herkenbaar",
    )
    client.force_login(admin_user)
    url = f"/admin/stories/story/{story.pk}/change/"
    html = client.get(url).content.decode()
    assert "[NAAM] bleef de hele nacht" in html
    assert "Sofie" not in html and "teller@example.org" not in html
    assert "<textarea" not in html and 'name="consent_research"' not in html
    event = AuditEvent.objects.get(action="story.view_admin")
    assert event.actor == admin_user and event.target_id == str(story.pk)
    # Nothing can be changed, added or deleted here.
    response = client.post(url, {"text": "rewritten", "consent_research": "on"})
    assert response.status_code == 403
    assert client.get("/admin/stories/story/add/").status_code == 403
    assert (
        client.post(f"/admin/stories/story/{story.pk}/delete/", {"post": "yes"}).status_code == 403
    )
    story.refresh_from_db()
    assert story.text.startswith("Verpleegster Sofie")


def test_role_changes_in_the_admin_are_audited(client, admin_user, org, manager):
    from mango.accounts.models import Membership
    from mango.audit.models import AuditEvent

    client.force_login(admin_user)
    membership = Membership.objects.get(user=manager)
    response = client.post(
        f"/admin/accounts/membership/{membership.pk}/change/",
        {"user": manager.pk, "role": "ambassador", "organisation": org.pk, "unit": ""},
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="membership.changed")
    assert event.old["role"] == "manager" and event.new["role"] == "ambassador"
    client.post(f"/admin/accounts/membership/{membership.pk}/delete/", {"post": "yes"})
    assert AuditEvent.objects.filter(action="membership.changed", new={"deleted": True}).exists()
