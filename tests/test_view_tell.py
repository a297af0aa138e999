"""The teller's form: validation, durability, placement, spam guards."""

import re
from datetime import date, timedelta
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import translation

from mango.organisations.models import Campaign
from mango.stories.models import Story

STORY = "Op mijn verjaardag zong de hele afdeling voor mij, met taart uit de keuken."


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


def form_data(**extra):
    data = {
        "text": STORY,
        "teller_role": "patient",
        "setting": "hospital",
        "oncological": "no",
        "happened": "month",
        "gesture_by": "nurse",
        "consent_research": "on",
    }
    data.update(extra)
    return {k: v for k, v in data.items() if v is not None}


def submit(client, lang="nl", query="", **extra):
    with translation.override(lang):
        url = reverse("tell")
    return client.post(url + query, form_data(**extra))


def test_the_form_is_offered_in_three_languages(client, db):
    for lang, title in [("nl", "Mangomoment"), ("fr", "Mango"), ("en", "Mangomoment")]:
        response = client.get(f"/{lang}/tell/")
        assert response.status_code == 200
        assert f'<html lang="{lang}">' in response.content.decode()
        assert title in response.content.decode()


def test_every_input_has_a_label(client, db):
    html = client.get("/nl/tell/").content.decode()
    ids = set(re.findall(r'<(?:input|textarea|select)[^>]*\bid="([^"]+)"', html))
    labelled = set(re.findall(r'<label[^>]*\bfor="([^"]+)"', html))
    assert ids, "the form has inputs"
    assert ids <= labelled, ids - labelled


def test_a_story_is_stored_and_a_receipt_shown(client, db):
    response = submit(client)
    assert response.status_code == 302
    story = Story.objects.get()
    assert story.text == STORY
    assert story.language == "nl"
    assert story.source == "form"
    assert story.consent_research and not story.consent_sharing
    page = client.get(response["Location"]).content.decode()
    assert story.receipt in page


def test_the_language_of_the_form_is_recorded(client, db):
    submit(client, lang="fr", text="L'infirmière m'a apporté une mangue, quel bonheur.")
    assert Story.objects.get().language == "fr"


def test_an_empty_story_gets_an_error_and_nothing_is_stored(client, db):
    response = submit(client, text="")
    assert response.status_code == 400
    assert "error-summary" in response.content.decode()
    # The error is announced with the field.
    assert 'aria-describedby="id_text_helptext id_text_count id_text_error"' in (
        response.content.decode()
    )
    assert Story.objects.count() == 0


def test_an_over_long_story_is_refused_with_the_limit_named(client, db):
    response = submit(client, lang="en", text="x" * 5001)
    assert response.status_code == 400
    assert "at most 5000 characters" in response.content.decode()
    assert "now 5001" in response.content.decode()
    assert Story.objects.count() == 0


def test_without_any_consent_the_story_is_not_stored(client, db):
    response = submit(client, lang="en", consent_research=None)
    assert response.status_code == 400
    assert "without your consent" in response.content.decode()
    assert Story.objects.count() == 0


def test_the_honeypot_looks_like_success_but_stores_nothing(client, db):
    response = submit(client, website="http://spam.example")
    assert response.status_code == 302
    assert Story.objects.count() == 0
    assert 'data-testid="receipt"' not in client.get(response["Location"]).content.decode()


def test_a_client_is_slowed_down_after_the_limit(client, db, settings):
    settings.MANGO_SUBMIT_RATE = "2/h"
    assert submit(client).status_code == 302
    assert submit(client).status_code == 302
    slowed = submit(client)
    assert slowed.status_code == 429
    # The teller's text is still in the form, ready to send again later.
    assert STORY in slowed.content.decode()
    assert Story.objects.count() == 2


def test_the_limit_is_per_client(client, db, settings):
    settings.MANGO_SUBMIT_RATE = "1/h"
    assert submit(client).status_code == 302
    other = client.__class__(REMOTE_ADDR="10.1.2.3")
    assert submit(other).status_code == 302


def test_the_honeypot_leaves_no_session(client, db):
    response = submit(client, website="http://spam.example")
    assert response.status_code == 302 and "sessionid" not in response.cookies
    assert Story.objects.count() == 0


def test_a_receipt_in_a_link_is_ignored(client, db):
    response = client.get("/nl/tell/thanks/?r=M-AAAAA-BBBBB")
    assert response.status_code == 200
    assert 'data-testid="receipt"' not in response.content.decode()


def form_token(client, lang="nl") -> str:
    html = client.get(f"/{lang}/tell/").content.decode()
    return re.search(r'name="submission_token" value="([^"]+)"', html)[1]


@pytest.mark.postgres
def test_the_receipt_is_in_no_url_and_shown_once(client, db):
    response = submit(client, submission_token=form_token(client))
    assert response.status_code == 302
    story = Story.objects.get()
    assert response["Location"] == "/nl/tell/thanks/"
    assert story.receipt not in response["Location"] and "?" not in response["Location"]
    first = client.get(response["Location"])
    assert story.receipt in first.content.decode()
    # A reload shows the thanks without the receipt, and sends nothing again.
    again = client.get(response["Location"])
    assert again.status_code == 200
    assert story.receipt not in again.content.decode()
    assert Story.objects.count() == 1
    # The teller keeps no session, and the cookie that carried the submission is gone.
    assert "sessionid" not in client.cookies
    assert not client.cookies["mango_thanks"].value


@pytest.mark.postgres
def test_a_double_tap_stores_one_story_and_shows_its_receipt(client, db):
    token = form_token(client)
    first = submit(client, submission_token=token)
    # The browser drops the first answer when the second tap sends the form again.
    browser = Client()
    second = browser.post(reverse("tell"), form_data(submission_token=token))
    assert first.status_code == second.status_code == 302
    story = Story.objects.get()
    assert story.receipt in browser.get(second["Location"]).content.decode()


def test_a_form_sent_again_after_its_receipt_was_shown_does_not_show_it_again(client, db):
    token = form_token(client)
    thanks = client.get(submit(client, submission_token=token)["Location"])
    story = Story.objects.get()
    assert story.receipt in thanks.content.decode()
    # The next person at a shared tablet goes back and sends the same form again.
    again = submit(client, submission_token=token)
    assert again.status_code == 302
    assert story.receipt not in client.get(again["Location"]).content.decode()
    assert Story.objects.count() == 1


def test_the_same_form_with_another_story_is_not_dropped_silently(client, db):
    token = form_token(client)
    submit(client, submission_token=token)
    other = "De poetsvrouw bracht elke ochtend een bloem mee uit haar eigen tuin voor mij."
    response = submit(client, lang="en", submission_token=token, text=other)
    assert response.status_code == 409
    html = response.content.decode()
    assert "already sent" in html and other in html
    assert Story.objects.count() == 1
    fresh = re.search(r'name="submission_token" value="([^"]+)"', html)[1]
    assert fresh != token
    assert submit(client, submission_token=fresh, text=other).status_code == 302
    assert Story.objects.count() == 2


def test_text_that_is_not_utf8_is_refused_with_a_message(client, db):
    body = urlencode(form_data(text=None)) + "&text=" + "Een%20verpleegster%20%E9" * 4
    response = client.post(
        "/en/tell/", body.encode(), content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    assert "could not be read" in response.content.decode()
    assert Story.objects.count() == 0
    good = urlencode(form_data(text="Een verpleegster élégant " * 3))
    response = client.post("/en/tell/", good, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 302
    assert Story.objects.get().text.startswith("Een verpleegster élégant")


def test_a_unit_link_prefills_organisation_unit_and_campaign(client, unit, campaign):
    response = client.get(f"/u/{unit.short_code}", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 302
    assert response["Location"] == f"/fr/tell/?unit_code={unit.short_code}"
    page = client.get(response["Location"]).content.decode()
    assert unit.name in page and unit.organisation.name in page
    response = client.post(
        response["Location"],
        form_data(unit_code=unit.short_code, setting="hospital", oncological="yes"),
    )
    assert response.status_code == 302
    story = Story.objects.get()
    assert (story.organisation, story.unit, story.campaign) == (unit.organisation, unit, campaign)
    assert story.language == "fr"


def test_a_campaign_link_forwards_to_the_form(client, campaign):
    response = client.get(f"/c/{campaign.slug}", HTTP_ACCEPT_LANGUAGE="nl")
    assert response["Location"] == f"/nl/tell/?campaign={campaign.slug}"
    assert client.get("/c/no-such-campaign").status_code == 404


def test_a_closed_campaign_accepts_no_stories(client, campaign):
    campaign.closes_on = date.today() - timedelta(days=1)
    campaign.save()
    assert client.get(f"/en/tell/?campaign={campaign.slug}").status_code == 410
    response = submit(client, query=f"?campaign={campaign.slug}", campaign=campaign.slug)
    assert response.status_code == 410
    assert Story.objects.count() == 0


def test_an_organisation_outside_the_campaign_is_refused(client, campaign, db):
    from mango.organisations.models import Organisation

    stranger = Organisation.objects.create(name="Elders", slug="elders", kind="primary")
    response = submit(client, lang="en", campaign=campaign.slug, organisation=stranger.pk)
    assert response.status_code == 400
    assert "does not take part" in response.content.decode()
    assert Story.objects.count() == 0


def test_a_unit_of_another_organisation_is_refused(client, unit, other_org, db):
    response = submit(client, lang="en", organisation=other_org.pk, unit=unit.pk)
    assert response.status_code == 400
    assert Story.objects.count() == 0


def test_without_a_link_the_story_joins_the_open_campaign_of_its_organisation(
    client, campaign, org
):
    older = Campaign.objects.create(name="Old", slug="old", opens_on=date(2019, 1, 1))
    older.organisations.add(org)
    submit(client, organisation=org.pk)
    assert Story.objects.get().campaign == campaign


def test_units_are_offered_for_the_chosen_organisation(client, unit, other_org):
    html = client.get(f"/nl/tell/units/?organisation={unit.organisation_id}").content.decode()
    assert unit.name in html
    html = client.get(f"/nl/tell/units/?organisation={other_org.pk}").content.decode()
    assert unit.name not in html
    assert client.get("/nl/tell/units/?organisation=x").status_code == 200


def test_story_text_is_escaped_on_the_form_after_an_error(client, db):
    response = submit(client, text="<script>alert(1)</script>", teller_role="nobody")
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert "&lt;script&gt;" in response.content.decode()


def test_erasure_leaves_no_exact_time_in_the_submission_key(client, db):
    from mango.lifecycle.actions import erase_story
    from mango.stories.models import SubmissionKey

    submit(client, submission_token=form_token(client))
    story = Story.objects.get()
    assert SubmissionKey.objects.filter(story=story).exists()
    erase_story(story)
    assert not SubmissionKey.objects.filter(story=story).exists()


def test_the_thanks_page_makes_no_session_for_a_visitor_without_one(client, db):
    response = client.get("/nl/tell/thanks/")
    assert response.status_code == 200
    assert "sessionid" not in response.cookies
