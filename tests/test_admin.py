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
