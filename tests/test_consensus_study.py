"""Consensus studies: set-up, the rule locked when round 1 opens (a refused change is audited),
the panel's signed links, invitations and reminders over real SMTP, rating with "unable to
judge", and round 2's feedback."""

import re

import pytest
from django.core import signing
from django.urls import reverse

from mango.audit.models import AuditEvent
from mango.consensus import actions
from mango.consensus.access import panellist_token
from mango.consensus.models import Comment, Rating, Round, Study, Submission
from tests.conftest import make_user

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

COMET = {"kind": "comet", "scope": "panel"}


def make_study(actor, *, n_items=3, rule=COMET, criteria=None, **fields):
    study = actions.create_study(
        actor,
        title="Mangomoment model",
        question={"nl": "Hoe belangrijk is deze uitspraak?", "en": "How important is it?"},
        criteria=criteria,
        **fields,
    )
    for n in range(n_items):
        actions.add_item(
            actor, study, text={"nl": f"Uitspraak {n + 1}", "en": f"Statement {n + 1}"}
        )
    if rule:
        actions.set_rule(actor, study, rule)
    return study


def panel(actor, study, groups=("patient", "professional")):
    rows = [
        {"email": f"p{n}@example.org", "group": g, "language": "nl"} for n, g in enumerate(groups)
    ]
    return actions.add_panellists(actor, study, rows)


# --- the rule ---------------------------------------------------------------------------


def test_a_locked_rule_cannot_change_and_the_attempt_is_audited(researcher):
    study = make_study(researcher)
    actions.set_rule(researcher, study, {"kind": "percent_agreement", "params": {"threshold": 80}})
    actions.open_round(researcher, study)
    study.refresh_from_db()
    assert study.rule_locked
    assert AuditEvent.objects.filter(action="consensus.rule_locked", target_id=str(study.pk))

    with pytest.raises(actions.RuleLocked):
        actions.set_rule(researcher, study, COMET)

    study.refresh_from_db()
    assert study.rule["kind"] == "percent_agreement"
    assert study.rule["params"]["threshold"] == 80
    refused = AuditEvent.objects.get(action="consensus.rule_change_refused")
    assert refused.target_id == str(study.pk)
    assert refused.actor == researcher
    assert refused.old["rule"]["kind"] == "percent_agreement"
    assert refused.new["rule"]["kind"] == "comet"


def test_the_rule_page_refuses_a_locked_rule_and_audits_it(client, researcher):
    study = make_study(researcher)
    actions.open_round(researcher, study)
    client.force_login(researcher)
    response = client.post(
        reverse("consensus:rule", args=[study.pk]),
        {"rule": "median_iqr", "scope": "both", "threshold": ""},
        follow=True,
    )
    assert response.status_code == 200
    assert "audit" in response.content.decode().lower()
    study.refresh_from_db()
    assert study.rule["kind"] == "comet"
    assert AuditEvent.objects.filter(action="consensus.rule_change_refused").count() == 1


def test_before_round_1_the_rule_may_change_and_each_choice_is_audited(researcher):
    study = make_study(researcher)
    actions.set_rule(researcher, study, {"kind": "rand_ucla", "scope": "both"})
    study.refresh_from_db()
    assert study.rule == {"kind": "rand_ucla", "params": {"disagreement": "auto"}, "scope": "both"}
    assert AuditEvent.objects.filter(action="consensus.rule_set").count() == 2


def test_a_bad_rule_is_refused_with_a_clear_message(researcher):
    study = make_study(researcher, rule=None)
    with pytest.raises(ValueError, match="Unknown rule"):
        actions.set_rule(researcher, study, {"kind": "majority"})
    with pytest.raises(ValueError, match="threshold must be over 50"):
        actions.set_rule(
            researcher,
            study,
            {"kind": "percent_agreement", "params": {"threshold": 40, "band": "both"}},
        )


def test_round_1_needs_a_rule(researcher):
    study = make_study(researcher, rule=None)
    with pytest.raises(ValueError, match="regel"):  # the message is in the user's language
        actions.open_round(researcher, study)
    assert not Round.objects.filter(study=study).exists()


def test_criteria_are_fixed_once_round_1_opens(researcher):
    study = make_study(researcher)
    actions.open_round(researcher, study)
    with pytest.raises(actions.RuleLocked):
        actions.add_criterion(researcher, study, key="feasibility", label={"en": "Feasibility"})


# --- access -------------------------------------------------------------------------------


def test_staff_pages_are_for_researchers_in_scope(client, org, other_org, manager):
    lead = make_user("lead", "researcher", org)
    study = make_study(lead, organisation=org)
    outsider = make_user("far", "researcher", other_org)
    url = reverse("consensus:study", args=[study.pk])
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(manager)  # a member of the organisation without research rights
    assert client.get(url).status_code == 403
    assert client.get(reverse("consensus:studies")).status_code == 403
    client.force_login(lead)
    assert client.get(url).status_code == 200
    assert study.title in client.get(reverse("consensus:studies")).content.decode()


def test_the_menu_shows_studies_to_researchers_only(client, researcher, manager):
    client.force_login(researcher)
    page = client.get(reverse("staff:stories")).content.decode()
    assert reverse("consensus:studies") in page
    client.force_login(manager)
    page = client.get(reverse("staff:stories")).content.decode()
    assert reverse("consensus:studies") not in page


def test_a_researcher_creates_a_study_with_items_in_three_languages(client, researcher):
    client.force_login(researcher)
    response = client.post(
        reverse("consensus:study_create"),
        {
            "title": "Delphi",
            "kind": "delphi",
            "organisation": "",
            "question_nl": "Hoe belangrijk?",
            "question_fr": "Quelle importance ?",
            "question_en": "How important?",
            "groups": "",
        },
    )
    study = Study.objects.get(title="Delphi")
    assert response.status_code == 302
    assert study.question == {
        "nl": "Hoe belangrijk?",
        "fr": "Quelle importance ?",
        "en": "How important?",
    }
    assert [c.key for c in study.criteria.all()] == ["importance"]
    response = client.post(
        reverse("consensus:item_create", args=[study.pk]),
        {"text_nl": "Een gebaar", "text_fr": "Un geste", "text_en": "A gesture"},
    )
    assert response.status_code == 302
    item = study.items.get()
    assert item.text == {"nl": "Een gebaar", "fr": "Un geste", "en": "A gesture"}
    assert item.key == "S1"
    # No statement in any language: a clear error, nothing stored.
    response = client.post(reverse("consensus:item_create", args=[study.pk]), {"text_nl": " "})
    assert response.status_code == 200
    assert study.items.count() == 1


def test_a_study_with_its_own_groups_refuses_others(researcher):
    study = make_study(researcher, groups=[["nurse", "Nurse"], ["doctor", "Doctor"]])
    with pytest.raises(ValueError, match="Onbekende belanghebbendengroep: patient"):
        panel(researcher, study, groups=("patient",))
    assert panel(researcher, study, groups=("nurse",))[0].group == "nurse"


# --- links, invitations, reminders -------------------------------------------------------


def test_invitations_and_reminders_go_over_smtp_only_to_who_has_not_answered(
    client, researcher, smtp_server
):
    study = make_study(researcher)
    a, b = panel(researcher, study)
    actions.open_round(researcher, study)
    client.force_login(researcher)
    response = client.post(reverse("consensus:panel_send", args=[study.pk]), {"kind": "invitation"})
    assert response.status_code == 302
    assert len(smtp_server.messages) == 2
    text = smtp_server.text(smtp_server.to("p0@example.org")[0])
    link = re.search(r"http://testserver(/nl/consensus/p/[^/\s]+/)", text).group(1)
    assert "Hoe belangrijk" in text  # the question, in the panellist's language
    # Panellist a answers everything and finishes; b does not.
    round = study.rounds.get()
    for item in round.items.all():
        actions.save_answer(a, round, item, {study.criteria.get().pk: 8})
    actions.submit(a, round)
    client.post(reverse("consensus:panel_send", args=[study.pk]), {"kind": "reminder"})
    assert len(smtp_server.to("p1@example.org")) == 2
    assert len(smtp_server.to("p0@example.org")) == 1
    reminder = smtp_server.to("p1@example.org")[1]
    assert "Herinnering" in reminder["Subject"]
    # The link opens the panellist's page without an account.
    client.logout()
    assert client.get(link).status_code == 200
    events = AuditEvent.objects.filter(action="consensus.invited").order_by("id")
    assert [e.new["sent"] for e in events] == [2, 1]


def test_a_forged_or_revoked_link_opens_nothing(client, researcher):
    study = make_study(researcher)
    (p,) = panel(researcher, study, groups=("patient",))
    token = panellist_token(p)
    url = reverse("consensus:panel_home", args=[token])
    assert client.get(url).status_code == 200
    forged = signing.dumps({"p": p.pk, "n": "guess"}, salt="mango.consensus.panellist")
    assert client.get(reverse("consensus:panel_home", args=[forged])).status_code == 404
    assert client.get(reverse("consensus:panel_home", args=[token + "x"])).status_code == 404
    actions.revoke_link(researcher, p, reissue=True)
    assert client.get(url).status_code == 404
    p.refresh_from_db()
    assert client.get(reverse("consensus:panel_home", args=[panellist_token(p)])).status_code == 200
    actions.revoke_link(researcher, p)
    p.refresh_from_db()
    assert client.get(reverse("consensus:panel_home", args=[panellist_token(p)])).status_code == 404
    assert AuditEvent.objects.filter(action="consensus.link_revoked").count() == 2


# --- rating ---------------------------------------------------------------------------------


def test_a_panellist_rates_saves_and_sees_how_far_they_are(client, researcher):
    study = make_study(researcher)
    (p,) = panel(researcher, study, groups=("patient",))
    round = actions.open_round(researcher, study)
    criterion = study.criteria.get()
    token = panellist_token(p)
    home = reverse("consensus:panel_home", args=[token])
    assert "0 van 3" in client.get(home).content.decode()
    item_url = reverse("consensus:panel_item", args=[token, 1])
    response = client.post(
        item_url, {f"score-{criterion.pk}": "8", "comment": "Heel herkenbaar.", "next": "1"}
    )
    assert response.status_code == 302
    assert response["Location"].endswith("/item/2/")
    # "Unable to judge" is an answer: it counts for progress, not as a score.
    client.post(
        reverse("consensus:panel_item", args=[token, 2]), {f"score-{criterion.pk}": "unable"}
    )
    assert "2 van 3" in client.get(home).content.decode()
    assert Rating.objects.get(panellist=p, item__key="S2").score is None
    assert Comment.objects.get(panellist=p).text == "Heel herkenbaar."
    # Coming back shows the saved answer.
    page = client.get(item_url).content.decode()
    assert re.search(r'value="8"\s+checked', page)
    # A score off the scale is refused with a message and nothing changes.
    response = client.post(item_url, {f"score-{criterion.pk}": "12"})
    assert response.status_code == 400
    assert Rating.objects.get(panellist=p, item__key="S1").score == 8
    client.post(reverse("consensus:panel_item", args=[token, 3]), {f"score-{criterion.pk}": "3"})
    client.post(reverse("consensus:panel_submit", args=[token]))
    assert Submission.objects.filter(panellist=p, round=round).exists()
    # Closed: answers can no longer change.
    actions.close_round(researcher, round)
    with pytest.raises(actions.RoundClosed):
        actions.save_answer(p, round, round.items.first(), {criterion.pk: 1})


def test_round_2_shows_own_previous_score_the_distribution_and_comments(client, researcher):
    study = make_study(researcher, n_items=2, feedback_by_group=True)
    panellists = panel(researcher, study, groups=("patient", "patient", "professional"))
    round1 = actions.open_round(researcher, study)
    criterion = study.criteria.get()
    s1 = study.items.get(key="S1")
    for p, score in zip(panellists, [9, 7, 2], strict=True):
        actions.save_answer(p, round1, s1, {criterion.pk: score}, comment=f"opmerking {score}")
    actions.close_round(researcher, round1)
    round2 = actions.open_round(researcher, study)
    assert round2.number == 2
    assert set(round2.items.values_list("key", flat=True)) == {"S1", "S2"}
    token = panellist_token(panellists[1])
    page = client.get(reverse("consensus:panel_item", args=[token, 1])).content.decode()
    assert "Uw score: 7" in page
    assert "mediaan 7" in page.lower()
    # The histogram is described for screen readers: score 2 once, 7 once, 9 once.
    assert "2: 1" in page and "7: 1" in page and "9: 1" in page and "5: 0" in page
    assert "opmerking 9" in page and "opmerking 2" in page
    assert "Patiënt" in page  # per stakeholder group, as the study asks
    assert "p0@example.org" not in page  # comments carry no names


def test_the_facilitator_drops_items_and_adds_a_proposal(client, researcher):
    study = make_study(researcher, n_items=2)
    (p,) = panel(researcher, study, groups=("patient",))
    round1 = actions.open_round(researcher, study)
    proposal = actions.propose(p, round1, "Een nieuwe uitspraak")
    actions.close_round(researcher, round1)
    s1 = study.items.get(key="S1")
    client.force_login(researcher)
    client.post(
        reverse("consensus:round", args=[study.pk, 1]),
        {"drop": [s1.pk], "adopt": [proposal.pk]},
    )
    round2 = actions.open_round(researcher, study)
    keys = set(round2.items.values_list("key", flat=True))
    assert keys == {"S2", "S3"}
    assert study.items.get(key="S3").text == {"nl": "Een nieuwe uitspraak"}
    assert study.items.get(key="S1").dropped_after == 1


def test_evidence_offers_only_what_the_researcher_may_read(client, org, other_org):
    from mango.qualitative.models import Document, Project, Segment
    from mango.research.models import Code, Codebook
    from tests.conftest import make_story

    lead = make_user("lead", "researcher", org)
    study = make_study(lead, organisation=org, n_items=0)
    consented = make_story(org, consent_research=True, text="Zij bleef even zitten.")
    private = make_story(org, consent_research=False, consent_sharing=True, text="Niet voor u.")
    elsewhere = make_story(other_org, consent_research=True, text="Een ander huis.")
    book = Codebook.objects.create(slug="model", name="Model")
    code = Code.objects.create(codebook=book, key="trust", label="Vertrouwen")
    mine = Project.objects.create(name="Interviews", organisation=org, codebook=book)
    theirs = Project.objects.create(name="Elders", organisation=other_org, codebook=book)
    doc = Document.objects.create(project=mine, title="I1", text="Ze nam de tijd voor mij.")
    far = Document.objects.create(project=theirs, title="I9", text="Elders gezegd.")
    seg = Segment.objects.create(document=doc, code=code, start=0, end=24)
    far_seg = Segment.objects.create(document=far, code=code, start=0, end=6)

    client.force_login(lead)
    url = reverse("consensus:item_create", args=[study.pk])
    page = client.get(url).content.decode()
    offered = set(re.findall(r'name="stories" value="(\d+)"', page))
    assert offered == {str(consented.pk)}
    assert set(re.findall(r'name="segments" value="(\d+)"', page)) == {str(seg.pk)}
    # A story outside the scope cannot be linked by posting its id.
    response = client.post(url, {"text_nl": "Tijd nemen", "stories": [elsewhere.pk]})
    assert response.status_code == 200 and not study.items.exists()
    response = client.post(url, {"text_nl": "Tijd nemen", "segments": [far_seg.pk]})
    assert response.status_code == 200 and not study.items.exists()
    response = client.post(
        url,
        {
            "text_nl": "Tijd nemen",
            "stories": [consented.pk],
            "segments": [seg.pk],
            "codes": [code.pk],
        },
    )
    assert response.status_code == 302
    item = study.items.get()
    page = client.get(reverse("consensus:item", args=[study.pk, item.pk])).content.decode()
    assert "Zij bleef even zitten." in page and "Ze nam de tijd voor mij." in page
    assert "Niet voor u." not in page and private.pk not in item.stories.values_list(
        "pk", flat=True
    )


def test_the_result_page_reports_stability_and_attrition_between_rounds(client, researcher):
    study = make_study(researcher, n_items=1)
    panellists = panel(researcher, study, groups=("patient", "patient", "professional"))
    criterion = study.criteria.get()
    round1 = actions.open_round(researcher, study)
    item = study.items.get()
    for p, score in zip(panellists, [8, 8, 3], strict=True):
        actions.save_answer(p, round1, item, {criterion.pk: score})
    actions.close_round(researcher, round1)
    round2 = actions.open_round(researcher, study)
    for p, score in zip(panellists[:2], [8, 9], strict=True):  # the professional left
        actions.save_answer(p, round2, item, {criterion.pk: score})
    actions.close_round(researcher, round2)
    client.force_login(researcher)
    page = client.get(reverse("consensus:results", args=[study.pk])).content.decode()
    assert "Stabiliteit tussen rondes" in page
    # 66.7 % -> 100 % rating 7-9: a change of 33.3 points, not stable.
    assert "33,3" in page or "33.3" in page
    attrition = re.search(r'<table class="list" id="attrition">.*?</table>', page, re.S).group(0)
    # The professional: 1 invited, none answered round 2, 1 lost since round 1.
    cells = (
        '<td class="num">1</td><td class="num">0</td><td class="num">0</td><td class="num">1</td>'
    )
    assert f"<tr><td>Zorgverlener</td><td>2</td>{cells}</tr>" in attrition


def test_a_rated_statement_keeps_its_words_but_its_evidence_may_change(client, researcher):
    from mango.research.models import Code, Codebook

    study = make_study(researcher, n_items=1)
    (p,) = panel(researcher, study, groups=("patient",))
    item = study.items.get()
    client.force_login(researcher)
    url = reverse("consensus:item_edit", args=[study.pk, item.pk])
    client.post(url, {"text_nl": "Nieuwe woorden", "text_en": "New words"})
    item.refresh_from_db()
    assert item.text == {"nl": "Nieuwe woorden", "en": "New words"}
    round = actions.open_round(researcher, study)
    actions.save_answer(p, round, item, {study.criteria.get().pk: 7})
    response = client.post(url, {"text_nl": "Andere woorden", "text_en": "New words"})
    assert response.status_code == 200
    item.refresh_from_db()
    assert item.text["nl"] == "Nieuwe woorden"
    code = Code.objects.create(
        codebook=Codebook.objects.create(slug="m", name="M"), key="k", label="K"
    )
    client.post(url, {"text_nl": "Nieuwe woorden", "text_en": "New words", "codes": [code.pk]})
    assert list(item.codes.all()) == [code]


def test_rand_ucla_needs_nine_point_scales(researcher):
    study = make_study(researcher, rule=None)
    actions.add_criterion(
        researcher, study, key="feasibility", label={"en": "Feasibility"}, scale_min=1, scale_max=5
    )
    with pytest.raises(ValueError, match="1-9"):
        actions.set_rule(researcher, study, {"kind": "rand_ucla"})


def test_a_retried_mailing_sends_nobody_a_second_message(researcher, smtp_server):
    from django.utils import timezone

    from mango.consensus.jobs import send_links_job

    study = make_study(researcher)
    a, b = panel(researcher, study)
    started = timezone.now()
    actions.send_invitations(researcher, study, [a], lambda p: "https://x.example/p/")
    # The job is retried for both after a's message went: only b gets one.
    sent = send_links_job.call_local(
        researcher.pk, study.pk, [a.pk, b.pk], "https://mango.example/", False, started.isoformat()
    )
    assert sent == 1
    assert len(smtp_server.to("p0@example.org")) == 1
    assert len(smtp_server.to("p1@example.org")) == 1
    text = smtp_server.text(smtp_server.to("p1@example.org")[0])
    assert "https://mango.example/nl/consensus/p/" in text


def test_what_was_sent_is_audited_when_the_mail_server_fails(researcher, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there
    study = make_study(researcher)
    panel(researcher, study)
    with pytest.raises(OSError):
        actions.send_invitations(researcher, study, study.panellists.all(), lambda p: "x")
    event = AuditEvent.objects.get(action="consensus.invited")
    assert event.new == {"kind": "invitation", "sent": 0}
    assert not study.panellists.exclude(invited_at=None).exists()


def test_erasing_a_panellist_keeps_their_scores_anonymous(client, researcher):
    study = make_study(researcher, n_items=1)
    (p,) = actions.add_panellists(
        researcher, study, [{"email": "an@example.org", "group": "patient", "name": "An"}]
    )
    round = actions.open_round(researcher, study)
    actions.save_answer(p, round, study.items.get(), {study.criteria.get().pk: 9})
    token = panellist_token(p)
    client.force_login(researcher)
    client.post(reverse("consensus:panellist_revoke", args=[study.pk, p.pk]), {"forget": "1"})
    p.refresh_from_db()
    assert (p.name, p.email) == ("", f"removed-{p.pk}@invalid")
    page = client.get(reverse("consensus:panel", args=[study.pk])).content.decode()
    assert "an@example.org" not in page and ">An<" not in page
    assert Rating.objects.get(panellist=p).score == 9
    client.logout()
    assert client.get(reverse("consensus:panel_home", args=[token])).status_code == 404
    assert AuditEvent.objects.filter(
        action="consensus.panellists_changed", new__forgotten=p.pk
    ).exists()


def test_the_panel_page_is_audited_and_the_trail_names_consensus_actions(client, researcher):
    study = make_study(researcher)
    panel(researcher, study)
    client.force_login(researcher)
    assert (
        "p0@example.org" in client.get(reverse("consensus:panel", args=[study.pk])).content.decode()
    )
    event = AuditEvent.objects.get(action="consensus.panel_viewed")
    assert event.new == {"panellists": 2} and event.actor == researcher
    admin = make_user("boss", is_superuser=True, is_staff=True)
    client.force_login(admin)
    trail = client.get(reverse("staff:audit")).content.decode()
    assert "consensuspanel" in trail.lower()  # "Opende de contactgegevens van een consensuspanel"


def test_the_report_states_stability_between_rounds(client, researcher):
    study = make_study(researcher, n_items=1)
    (p,) = panel(researcher, study, groups=("patient",))
    criterion, item = study.criteria.get(), study.items.get()
    for score in (5, 8):
        round = actions.open_round(researcher, study)
        actions.save_answer(p, round, item, {criterion.pk: score})
        actions.close_round(researcher, round)
    client.force_login(researcher)
    html = client.get(reverse("consensus:export", args=[study.pk, "html"])).content.decode()
    assert "Stabiliteit tussen rondes" in html
    assert '<td class="num">100</td><td class="num">100</td>' in html  # 0 % -> 100 %: +100
