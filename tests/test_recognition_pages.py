"""Thank-you cards (A6 PDF, one story or a month's), the fair-recognition page (counts only),
the menu and the demo's part."""

import io

import pytest
from django.utils import timezone

from mango.culture.models import StoryUnit
from mango.organisations.models import Unit
from mango.recognition import demo
from mango.recognition.models import ThankYouNote
from tests.conftest import make_story, make_user
from tests.test_posters import pdf_pages, pdf_text

pytestmark = pytest.mark.django_db

A6 = (0.0, 0.0, 297.64, 419.53)  # points, within rounding


def shared(org, unit=None, text="Een verpleegkundige bleef bij me tot ik sliep.", **fields):
    story = make_story(
        org,
        text=text,
        text_redacted=text,
        status="shared",
        shareable=True,
        shared_at=fields.pop("shared_at", timezone.now()),
        unit=unit,
        **fields,
    )
    if unit is not None:
        StoryUnit.objects.create(story=story, unit=unit)
    return story


def is_a6(box) -> bool:
    return all(abs(a - b) < 1 for a, b in zip(box, A6, strict=True))


def test_one_storys_card_is_two_a6_pages_story_and_team(client, manager, org, unit):
    story = shared(org, unit, text="De nachtverpleegkundige bracht me thee om drie uur.")
    client.force_login(manager)
    response = client.get(f"/en/recognition/stories/{story.pk}/card.pdf?lang=fr")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    pages = pdf_pages(response.content)
    assert len(pages) == 2 and all(is_a6(box) for box in pages)
    text = pdf_text(response.content)
    assert "bracht me thee om drie uur" in text
    assert "Merci" in text and "Oncologie" in text and "AZ Testziekenhuis" in text


def test_a_months_cards_come_in_one_file_for_a_team(client, manager, org, unit):
    other = Unit.objects.create(organisation=org, name="Geriatrie", slug="geri")
    now = timezone.localtime()
    shared(org, unit, text="Eerste verhaal over de oncologie, heel mooi.")
    shared(org, unit, text="Tweede verhaal over de oncologie, ook mooi.")
    shared(org, other, text="Een verhaal over de geriatrie, niet voor deze kaarten.")
    client.force_login(manager)
    query = f"organisation={org.slug}&unit={unit.pk}&month={now:%Y-%m}&language=nl"
    url = f"/nl/recognition/cards/?{query}"
    response = client.get(url)
    assert response.status_code == 200
    assert len(pdf_pages(response.content)) == 4
    text = pdf_text(response.content)
    assert "Eerste verhaal" in text and "Tweede verhaal" in text and "geriatrie" not in text
    whole = client.get(
        f"/nl/recognition/cards/?organisation={org.slug}&month={now:%Y-%m}&language=en"
    )
    assert len(pdf_pages(whole.content)) == 6


def test_the_month_form_explains_bad_input_and_empty_months(client, manager, org):
    client.force_login(manager)
    assert client.get("/en/recognition/cards/").status_code == 200
    bad = client.get(f"/en/recognition/cards/?organisation={org.slug}&month=november&language=en")
    assert bad.status_code == 400 and "YYYY-MM" in bad.content.decode()
    empty = client.get(f"/en/recognition/cards/?organisation={org.slug}&month=2001-01&language=en")
    assert empty.status_code == 404 and "No stories were shared" in empty.content.decode()


def test_cards_are_for_the_organisations_managers_only(client, org, unit, outsider, member):
    story = shared(org, unit)
    client.force_login(outsider)
    assert client.get(f"/en/recognition/stories/{story.pk}/card.pdf").status_code == 404
    other = client.get(f"/en/recognition/cards/?organisation={org.slug}&month=2026-01&language=en")
    assert other.status_code == 400  # not one of the organisations this user may choose
    client.force_login(member)
    assert client.get(f"/en/recognition/stories/{story.pk}/card.pdf").status_code == 403
    assert client.get("/en/recognition/cards/").status_code == 403


def test_the_fairness_page_counts_and_never_names(client, manager, org, unit, member):
    story = shared(org, unit, gesture_by="other_staff")
    shared(org, unit, gesture_by="nurse")
    for profession, name in (("nurse", "Zoë"), ("nurse", "Yusuf"), ("cleaner", "Xavier")):
        ThankYouNote.objects.create(
            story=story,
            unit=unit,
            recipient_email=f"{name}@x.be",
            recipient_name=name,
            profession=profession,
        )
    client.force_login(manager)
    page = client.get(f"/en/recognition/organisations/{org.slug}/fairness/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "<td>Nurse</td><td>2</td><td>67%</td>" in html
    assert "<td>Cleaner</td><td>1</td><td>33%</td>" in html
    assert "<td>Oncologie</td><td>2</td><td>3</td>" in html
    assert "Not thanked yet:" in html and "Porter or transport" in html
    for name in ("Zoë", "Yusuf", "Xavier"):
        assert name not in html
    client.force_login(member)
    assert client.get(f"/en/recognition/organisations/{org.slug}/fairness/").status_code == 403


def test_the_network_coordinator_sees_the_counts_and_outsiders_do_not(client, org, outsider):
    coordinator = make_user("coordinator", "network_coordinator", None)
    client.force_login(coordinator)
    assert client.get(f"/en/recognition/organisations/{org.slug}/fairness/").status_code == 200
    client.force_login(outsider)
    assert client.get(f"/en/recognition/organisations/{org.slug}/fairness/").status_code == 404


def test_the_menu_offers_what_the_role_may_open(client, manager, member, org):
    client.force_login(manager)
    html = client.get("/en/recognition/digest/").content.decode()
    assert (
        "/en/recognition/cards/" in html
        and f"/en/recognition/organisations/{org.slug}/fairness/" in html
    )
    client.force_login(member)
    html = client.get("/en/recognition/digest/").content.decode()
    assert "/en/recognition/cards/" not in html and "fairness" not in html


def test_the_demo_part_is_repeatable_and_prints_no_secret(org):
    org.slug = "az-zonnebloem"
    org.save()
    nurse = make_user("nurse", "team_member", org, email="nurse@demo.invalid")
    make_user("manager", "manager", org)
    for _ in range(4):
        shared(org, illustrative=True)
    out = io.StringIO()
    demo.load(out)
    demo.load(out)
    assert ThankYouNote.objects.filter(replied_at__isnull=False).count() == 3
    assert ThankYouNote.objects.filter(recipient=nurse).count() == 1
    assert "reply/" not in out.getvalue() and "3 thank-you notes" in out.getvalue()
