"""The weekly and monthly digest through a real SMTP server: its content in each member's
language, the settings and the one-click unsubscribe, idempotence when a run fails or dies
midway, and consent withdrawal removing a story from every later digest and card."""

import sys
import types
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from mango import mail
from mango.culture import walls
from mango.culture.models import Reflection, StoryUnit
from mango.lib.recognition import last_complete_period, month_bounds
from mango.lifecycle import actions
from mango.recognition import cards, digests, notes
from mango.recognition.models import DigestDelivery, DigestPreference
from tests.conftest import make_story, make_user

# The claim is an UPDATE ... WHERE sent_at IS NULL: run it on PostgreSQL too.
pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

TODAY = timezone.localdate()
WEEK = last_complete_period("weekly", TODAY)


def in_week(days=1, hour=12):
    return timezone.make_aware(datetime.combine(WEEK.start + timedelta(days=days), time(hour)))


def shared(org, unit=None, text="Een verpleegkundige bleef bij me tot ik sliep.", **fields):
    story = make_story(
        org,
        text=text,
        text_redacted=text,
        status="shared",
        shareable=True,
        shared_at=fields.pop("shared_at", in_week()),
        unit=unit,
        **fields,
    )
    if unit is not None:
        StoryUnit.objects.create(story=story, unit=unit)
    return story


@pytest.fixture
def team(org, unit):
    """Three team members of the unit, with e-mail addresses."""
    people = []
    for name in ("anna", "bert", "carla"):
        user = make_user(
            name, "team_member", org, email=f"{name}@az-test.be", first_name=name.title()
        )
        user.memberships.update(unit=unit)
        people.append(user)
    return people


def received(mailbox, user) -> int:
    return len(mailbox.to(user.email))


def test_each_member_gets_a_two_part_digest_in_their_language(org, unit, team, smtp_server):
    anna, bert, _ = team
    shared(org, unit, text="Verpleegkundige bleef bij me tot ik sliep.")
    shared(org, None, text="De poetsvrouw zong zachtjes een liedje voor mijn moeder.")
    digests.set_preference(bert, frequency="weekly", language="fr")
    summary = digests.send_due(TODAY)
    assert summary["sent"] == 3 and summary["failed"] == 0
    [to_anna] = smtp_server.to(anna.email)
    text, html = smtp_server.text(to_anna), smtp_server.html(to_anna)
    assert to_anna["Subject"] == "De Mangomomenten van uw team deze week"
    assert "Nieuwe verhalen over uw team" in text and "bleef bij me tot ik sliep" in text
    assert "Nieuwe verhalen in AZ Testziekenhuis" in text and "zong zachtjes" in text
    assert "bleef bij me tot ik sliep" in html and "<h2>" in html
    assert "/nl/recognition/digest/unsubscribe/" in text
    assert str(to_anna["List-Unsubscribe"]).strip().startswith("<http")
    [to_bert] = smtp_server.to(bert.email)
    assert to_bert["Subject"] == "Les moments Mango de votre équipe cette semaine"
    assert DigestDelivery.objects.filter(period=WEEK.key, sent_at__isnull=False).count() == 3


def test_a_second_run_sends_nothing_and_a_quiet_week_sends_nothing(org, unit, team, smtp_server):
    digests.send_due(TODAY)
    assert smtp_server.messages == []  # nothing shared: no digest
    assert DigestDelivery.objects.filter(empty=True).count() == 3
    shared(org, unit)
    digests.send_due(TODAY)
    assert smtp_server.messages == []  # that week's digest was settled as empty


def test_replies_reflections_and_the_pulse_reminder_are_in_the_digest(
    org, unit, team, manager, smtp_server, monkeypatch
):
    story = shared(org, unit, shared_at=in_week(-30))  # shared long before: not new
    note = notes.link_story(
        manager, story, email="els@az-test.be", first_name="Els", profession="nurse"
    )
    note = notes.save_reply(note, "Het was fijn om te lezen, dank u.")
    Reflection.objects.create(
        story=story,
        unit=unit,
        made_possible="Tijd nemen aan het bed.",
        action_idea="Nachtrondes samen.",
    )
    type(note).objects.filter(pk=note.pk).update(replied_at=in_week(2))
    Reflection.objects.update(created_at=in_week(3))
    pulse = types.ModuleType("mango.pulse.digest")
    pulse.open_pulse = lambda unit, language: (
        "De pulsmeting van uw team staat open.",
        "https://x.example/p",
    )
    monkeypatch.setitem(sys.modules, "mango.pulse.digest", pulse)
    digests.send_due(TODAY)
    text = smtp_server.text(smtp_server.to(team[0].email)[0])
    assert "Het was fijn om te lezen, dank u." in text
    assert "Tijd nemen aan het bed." in text and "Nachtrondes samen." in text
    assert "De pulsmeting van uw team staat open. https://x.example/p" in text
    assert "Nieuwe verhalen over uw team" not in text


def test_monthly_and_never_are_respected(org, unit, team, smtp_server):
    anna, bert, carla = team
    digests.set_preference(bert, frequency="monthly")
    digests.set_preference(carla, frequency="never")
    month = last_complete_period("monthly", TODAY)
    shared(org, unit, shared_at=timezone.make_aware(datetime.combine(month.start, time(9))))
    shared(org, unit)
    digests.send_due(TODAY)
    assert received(smtp_server, anna) == 1
    assert received(smtp_server, bert) == 1
    assert received(smtp_server, carla) == 0
    assert DigestDelivery.objects.get(user=bert).period == month.key


def test_the_settings_page_and_the_unsubscribe_link(client, org, unit, team, smtp_server):
    anna = team[0]
    client.force_login(anna)
    page = client.get("/en/recognition/digest/")
    assert page.status_code == 200 and "Every month" in page.content.decode()
    assert (
        client.post(
            "/en/recognition/digest/", {"frequency": "monthly", "language": "en"}
        ).status_code
        == 302
    )
    assert DigestPreference.objects.get(user=anna).frequency == "monthly"
    client.logout()

    shared(org, unit)
    digests.send_due(TODAY)
    text = smtp_server.text(smtp_server.to(team[1].email)[0])
    link = text.split("/nl/recognition/digest/unsubscribe/")[1].split("/")[0]
    url = f"/nl/recognition/digest/unsubscribe/{link}/"
    assert client.get(url).status_code == 200
    assert DigestPreference.objects.filter(user=team[1], frequency="never").count() == 0
    assert client.post(url).status_code == 200  # one click, no sign-in, no CSRF token
    assert DigestPreference.objects.get(user=team[1]).frequency == "never"
    assert client.get("/nl/recognition/digest/unsubscribe/forged/").status_code == 404


def test_a_refused_recipient_is_retried_and_nobody_gets_a_digest_twice(
    org, unit, team, smtp_server
):
    anna, bert, carla = team
    shared(org, unit)

    async def refuse_bert(server, session, envelope, address, rcpt_options):
        if address == bert.email:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    smtp_server.handle_RCPT = refuse_bert
    first = digests.send_due(TODAY)
    assert first == {"sent": 2, "empty": 0, "failed": 1}
    assert [received(smtp_server, u) for u in team] == [1, 0, 1]
    failed = DigestDelivery.objects.get(user=bert)
    assert failed.sent_at is None and failed.attempts == 1 and failed.last_error

    del smtp_server.handle_RCPT  # the server takes Bert's mail again
    second = digests.send_due(TODAY)
    assert second == {"sent": 1, "empty": 0, "failed": 0}
    assert [received(smtp_server, u) for u in team] == [1, 1, 1]
    assert digests.send_due(TODAY) == {"sent": 0, "empty": 0, "failed": 0}
    assert len(smtp_server.messages) == 3


class Killed(BaseException):
    """Stands for the worker process dying (not an Exception: nothing catches it)."""


def test_a_run_killed_after_the_second_send_is_finished_by_the_next_run(
    org, unit, team, smtp_server, monkeypatch
):
    shared(org, unit)
    real_send, calls = mail.send, []

    def dies_at_the_third_send(*args, **kwargs):
        calls.append(args[0])
        if len(calls) == 3:
            raise Killed
        return real_send(*args, **kwargs)

    monkeypatch.setattr(mail, "send", dies_at_the_third_send)
    with pytest.raises(Killed):
        digests.send_due(TODAY)
    assert len(smtp_server.messages) == 2
    assert DigestDelivery.objects.filter(sent_at__isnull=False).count() == 2
    assert DigestDelivery.objects.filter(sent_at__isnull=True).count() == 1

    monkeypatch.setattr(mail, "send", real_send)
    digests.send_due(TODAY)
    digests.send_due(TODAY)
    assert [received(smtp_server, u) for u in team] == [1, 1, 1]
    assert len(smtp_server.messages) == 3


def test_a_withdrawn_story_is_gone_from_the_next_digest_cards_feed_and_wall(
    client, org, unit, team, manager, smtp_server
):
    kept = shared(org, unit, text="De kinesist nam de tijd om alles uit te leggen.")
    gone = shared(
        org, unit, text="Verpleegkundige bleef bij me tot ik sliep.", shared_at=in_week(2)
    )
    month = f"{timezone.localtime(gone.shared_at):%Y-%m}"
    assert len(cards.story_cards(gone.pk)) == 1
    link, secret = walls.create(manager, org, unit)
    client.force_login(team[0])
    feed = client.get(f"/nl/culture/teams/{unit.pk}/").content.decode()
    assert "bleef bij me tot ik sliep" in feed
    client.logout()
    wall_json = client.get(f"/nl/culture/wall/{secret}/stories.json").content.decode()
    assert "bleef bij me tot ik sliep" in wall_json

    actions.withdraw_consent(gone, sharing=True)

    digests.send_due(TODAY)
    for user in team:
        [message] = smtp_server.to(user.email)
        assert "bleef bij me tot ik sliep" not in smtp_server.text(message)
        assert "bleef bij me tot ik sliep" not in smtp_server.html(message)
        assert "nam de tijd" in smtp_server.text(message)
    assert cards.story_cards(gone.pk) == []
    start, end = month_bounds(month)
    month_texts = [c.text for c in cards.month_cards(start, end, unit=unit)]
    assert "Verpleegkundige bleef bij me tot ik sliep." not in month_texts
    client.force_login(manager)
    assert client.get(f"/nl/recognition/stories/{gone.pk}/card.pdf").status_code in (403, 404, 410)
    client.force_login(team[0])
    assert (
        "bleef bij me tot ik sliep"
        not in client.get(f"/nl/culture/teams/{unit.pk}/").content.decode()
    )
    client.logout()
    assert (
        "bleef bij me tot ik sliep"
        not in client.get(f"/nl/culture/wall/{secret}/stories.json").content.decode()
    )
    assert kept.pk  # the other story stayed throughout


def test_an_erased_story_is_gone_from_a_digest_that_is_retried_later(org, unit, team, smtp_server):
    story = shared(org, unit, text="Verpleegkundige bleef bij me tot ik sliep.")
    shared(org, unit, text="De kinesist nam de tijd om alles uit te leggen.")
    DigestDelivery.objects.create(user=team[0], period=WEEK.key, frequency="weekly")
    actions.erase_story(story)
    digests.send_due(TODAY)
    text = smtp_server.text(smtp_server.to(team[0].email)[0])
    assert "nam de tijd" in text and "bleef bij me" not in text


def test_a_row_already_claimed_elsewhere_is_not_sent_again(org, unit, team, smtp_server):
    shared(org, unit)
    delivery = DigestDelivery.objects.create(user=team[0], period=WEEK.key, frequency="weekly")
    stale = DigestDelivery.objects.get(pk=delivery.pk)  # as a second worker loaded it
    assert digests.deliver(delivery) == "sent"
    assert digests.deliver(stale) == "skipped"
    assert received(smtp_server, team[0]) == 1
