"""Staff story list and detail: scoped to what each role may read."""

import pytest

from tests.conftest import make_story, make_user

pytestmark = pytest.mark.django_db


def test_anonymous_users_are_sent_to_sign_in(client, story):
    response = client.get("/nl/staff/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get(f"/nl/staff/stories/{story.pk}/").status_code == 302


def test_the_owner_sees_the_story_in_the_list_and_its_page(client, manager, story):
    client.force_login(manager)
    assert story.text[:40] in client.get("/nl/staff/").content.decode()
    page = client.get(f"/nl/staff/stories/{story.pk}/")
    assert page.status_code == 200 and story.text in page.content.decode()


def test_a_member_without_the_right_gets_403(client, member, story):
    client.force_login(member)
    assert client.get("/nl/staff/").status_code == 403
    assert client.get(f"/nl/staff/stories/{story.pk}/").status_code == 403


def test_an_outsider_gets_404_and_never_sees_the_text(client, outsider, story):
    client.force_login(outsider)
    response = client.get(f"/nl/staff/stories/{story.pk}/")
    assert response.status_code == 404
    assert story.text not in client.get("/nl/staff/").content.decode()


def test_the_owner_does_not_see_stories_without_sharing_consent(client, manager, org):
    private = make_story(org, consent_sharing=False, text="Alleen voor onderzoek, dit verhaal.")
    client.force_login(manager)
    assert private.text not in client.get("/nl/staff/").content.decode()
    assert client.get(f"/nl/staff/stories/{private.pk}/").status_code == 403


def test_a_researcher_sees_research_stories_of_all_organisations(
    client, researcher, org, other_org
):
    here = make_story(org, text="Verhaal hier voor onderzoek met toestemming.")
    there = make_story(other_org, text="Verhaal daar voor onderzoek met toestemming.")
    hidden = make_story(org, consent_research=False, text="Verhaal zonder onderzoekstoestemming.")
    client.force_login(researcher)
    html = client.get("/nl/staff/").content.decode()
    assert here.text in html and there.text in html and hidden.text not in html
    # A network-wide researcher belongs to every organisation: 403, not 404.
    assert client.get(f"/nl/staff/stories/{hidden.pk}/").status_code == 403


def test_an_administrator_sees_everything(client, admin_user, org):
    hidden = make_story(
        org, consent_research=False, consent_sharing=False, text="Geen toestemming."
    )
    client.force_login(admin_user)
    assert client.get(f"/nl/staff/stories/{hidden.pk}/").status_code == 200


def test_search_and_filters_narrow_the_list(client, researcher, org, other_org):
    make_story(org, text="De kinesist nam mij mee naar buiten in de zon.", teller_role="patient")
    make_story(other_org, text="Mijn moeder kreeg haar favoriete soep.", teller_role="family")
    client.force_login(researcher)
    html = client.get("/nl/staff/?q=kinesist").content.decode()
    assert "kinesist" in html and "soep" not in html
    html = client.get("/nl/staff/?teller_role=family").content.decode()
    assert "soep" in html and "kinesist" not in html
    html = client.get(f"/nl/staff/?organisation={other_org.pk}").content.decode()
    assert "soep" in html and "kinesist" not in html


def test_htmx_requests_get_only_the_results(client, researcher, story):
    client.force_login(researcher)
    response = client.get("/nl/staff/?q=mango", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results")
    html = response.content.decode()
    assert "<html" not in html and story.text[:40] in html


def test_the_list_is_paginated(client, researcher, org, settings):
    settings.MANGO_STAFF_PAGE_SIZE = 5
    for i in range(12):
        make_story(org, text=f"Verhaal nummer {i:02d} met een klein gebaar.")
    client.force_login(researcher)
    html = client.get("/en/staff/?page=3").content.decode()
    assert "Page 3 of 3" in html
    assert html.count("Verhaal nummer") == 2


def test_story_text_is_escaped_in_staff_pages(client, researcher, org):
    story = make_story(org, text="<script>alert('x')</script> een klein gebaar")
    client.force_login(researcher)
    for url in ("/nl/staff/", f"/nl/staff/stories/{story.pk}/"):
        html = client.get(url).content.decode()
        assert "<script>alert(" not in html


def test_a_user_without_memberships_gets_403(client, db):
    client.force_login(make_user("nobody"))
    assert client.get("/nl/staff/").status_code == 403


def test_the_navigation_offers_import_to_researchers_only(client, researcher, manager):
    client.force_login(researcher)
    assert "/nl/staff/import/" in client.get("/nl/staff/").content.decode()
    client.force_login(manager)
    assert "/nl/staff/import/" not in client.get("/nl/staff/").content.decode()


def test_staff_pages_name_a_story_by_its_number_never_by_the_receipt(
    client, manager, admin_user, story
):
    """The receipt code is the teller's key to withdraw or erase: staff never see it."""
    client.force_login(manager)
    pages = {
        "list": client.get("/nl/staff/"),
        "detail": client.get(f"/nl/staff/stories/{story.pk}/"),
        "moderation": client.get("/nl/staff/moderation/"),
        "review": client.get(f"/nl/staff/moderation/{story.pk}/"),
        "audit": client.get("/nl/staff/audit/"),
        "api": client.get("/api/stories"),
    }
    client.force_login(admin_user)
    pages["admin list"] = client.get("/admin/stories/story/")
    pages["admin page"] = client.get(f"/admin/stories/story/{story.pk}/change/")
    for label, response in pages.items():
        assert response.status_code in (200, 401), label
        assert story.receipt.encode() not in response.content, label
    assert f"#{story.pk}" in pages["detail"].content.decode()
    assert f"#{story.pk}" in pages["review"].content.decode()
    assert str(story) == f"Story #{story.pk}"


def test_staff_search_by_receipt_finds_nothing_but_by_number_finds_the_story(
    client, researcher, org
):
    story = make_story(org, text="Een verpleegkundige zong een lied voor mijn moeder, 's nachts.")
    other = make_story(org, text="De kinesist nam de tijd om alles rustig uit te leggen aan ons.")
    client.force_login(researcher)
    by_receipt = client.get("/nl/staff/", {"q": story.receipt}).content.decode()
    assert "zong een lied" not in by_receipt
    by_number = client.get("/nl/staff/", {"q": f"#{story.pk}"}).content.decode()
    assert "zong een lied" in by_number and "kinesist" not in by_number
    assert other.receipt not in by_number
