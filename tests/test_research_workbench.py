"""The workbench end to end in Django's test client: codebooks, rounds, the blind coder
screen, closing, agreement, adjudication and exports, with owner/member/outsider checks."""

import io

import pandas as pd
import pyreadstat
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from mango.audit.models import AuditEvent
from mango.lifecycle import actions as lifecycle
from mango.research import actions, finals
from mango.research.models import (
    Assignment,
    Code,
    Codebook,
    CodebookVersion,
    Coding,
    CodingRound,
    Decision,
    FinalCode,
)
from tests.conftest import make_story, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def url(name, *args):
    with translation.override("en"):
        return reverse(name, args=args)


def client_for(user):
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def coders(org):
    return [make_user("coder1", "researcher", None), make_user("coder2", "researcher", None)]


@pytest.fixture
def org_researcher(org):
    return make_user("orgresearcher", "researcher", org)


@pytest.fixture
def stories(org):
    return [
        make_story(
            org,
            text=f"ORIGINAL-{i} Verpleegkundige Anna bracht een mango.",
            text_redacted=f"REDACTED-{i} [NAAM] bracht een mango.",
        )
        for i in range(5)
    ]


@pytest.fixture
def dims_round(org, org_researcher, coders, stories):
    return actions.create_round(
        org_researcher,
        name="Dimensions pilot",
        codebook=Codebook.objects.get(slug="dimensions"),
        stories=stories,
        coders=coders,
        coders_per_story=2,
        organisation=org,
    )


def code(slug, key):
    return Code.objects.get(codebook__slug=slug, key=key)


def queue(round, coder):
    return list(
        Assignment.objects.filter(round=round, coder=coder)
        .order_by("position")
        .select_related("story")
    )


def code_all(round, coder, plan):
    """plan: story -> list of code keys."""
    for a in queue(round, coder):
        keys = plan(a.story)
        for key in keys:
            actions.toggle_code(a, code(round.codebook.slug, key))
        if not keys:
            actions.mark_done(a)


# --- codebooks --------------------------------------------------------------------------------


def test_the_three_codebooks_ship_with_definitions_for_every_code():
    books = {b.slug: b for b in Codebook.objects.all()}
    assert {"screening", "dimensions", "mangomoment-model"} <= set(books)
    assert not books["screening"].multiple and books["dimensions"].multiple
    assert set(books["dimensions"].codes.values_list("key", flat=True)) == {
        "respect",
        "coordination",
        "information",
        "physical_comfort",
        "emotional_support",
        "family",
        "continuity",
        "access",
    }
    for c in Code.objects.all():
        assert c.definition and c.examples, c
    model = books["mangomoment-model"]
    assert code("mangomoment-model", "patient_level").parent.key == "preconditions"
    assert model.versions.filter(version=1).exists()


def test_loading_the_codebooks_again_adds_nothing_and_keeps_edits():
    from django.core.management import call_command

    c = code("dimensions", "access")
    c.label = "Edited"
    c.save()
    out = io.StringIO()
    call_command("codebooks_load", stdout=out)
    assert "nothing added" in out.getvalue()
    assert code("dimensions", "access").label == "Edited"
    c.delete()
    call_command("codebooks_load", stdout=out)
    assert code("dimensions", "access").label != "Edited"
    assert Codebook.objects.get(slug="dimensions").version == 2


def test_editing_a_codebook_makes_a_new_version_and_audits_it(researcher):
    book = Codebook.objects.get(slug="screening")
    page = client_for(researcher).get(url("research:codebook_edit", "screening"))
    assert page.status_code == 200
    formset = page.context["codes"]
    data = {"name": book.name, "description": book.description}
    data.update({f"codes-{k}": v for k, v in formset.management_form.initial.items()})
    for i, form in enumerate(formset.forms):
        for name, value in form.initial.items():
            if name == "active":
                if value:
                    data[f"codes-{i}-{name}"] = "on"
            else:
                data[f"codes-{i}-{name}"] = value
    n = len(formset.forms)
    data.update(
        {
            f"codes-{n - 1}-key": "complaint",
            f"codes-{n - 1}-label": "Complaint",
            f"codes-{n - 1}-definition": "The story is a complaint.",
            f"codes-{n - 1}-order": 200,
            f"codes-{n - 1}-active": "on",
        }
    )
    response = client_for(researcher).post(url("research:codebook_edit", "screening"), data)
    assert response.status_code == 302, response.context and response.context["codes"].errors
    book.refresh_from_db()
    assert book.version == 2
    assert code("screening", "complaint").label == "Complaint"
    snap = CodebookVersion.objects.get(codebook=book, version=2).snapshot
    assert "complaint" in [c["key"] for c in snap["codes"]]
    assert AuditEvent.objects.filter(action="codebook.changed").count() == 1


def test_codebooks_are_for_researchers_only(manager, member, org_researcher):
    assert client_for(manager).get(url("research:codebooks")).status_code == 403
    assert client_for(member).get(url("research:codebooks")).status_code == 403
    assert client_for(org_researcher).get(url("research:codebooks")).status_code == 200
    # An organisation's researcher reads the shared codebooks but does not edit them.
    assert (
        client_for(org_researcher).get(url("research:codebook_edit", "screening")).status_code
        == 403
    )


# --- rounds -----------------------------------------------------------------------------------


def test_a_researcher_creates_a_round_with_a_stratified_sample(org, org_researcher, coders):
    for i in range(6):
        make_story(org, teller_role="professional")
    for i in range(6):
        make_story(org, teller_role="patient", oncological="yes")
    make_story(org, consent_research=False)  # never in a round
    response = client_for(org_researcher).post(
        url("research:round_create"),
        {
            "name": "Sample",
            "codebook": Codebook.objects.get(slug="dimensions").pk,
            "organisation": org.pk,
            "sample_size": 4,
            "coders": [c.pk for c in coders],
            "coders_per_story": 2,
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    round = CodingRound.objects.get(name="Sample")
    assigned = Assignment.objects.filter(round=round)
    assert assigned.count() == 8
    groups = [a.story.teller_role for a in assigned.filter(coder=coders[0])]
    assert sorted(groups) == ["patient", "patient", "professional", "professional"]
    assert round.selection["sample_size"] == 4
    assert AuditEvent.objects.filter(action="round.created").count() == 1


def test_a_round_needs_enough_coders(org, org_researcher, coders, stories):
    response = client_for(org_researcher).post(
        url("research:round_create"),
        {
            "name": "Too many",
            "codebook": Codebook.objects.get(slug="dimensions").pk,
            "organisation": org.pk,
            "coders": [coders[0].pk],
            "coders_per_story": 2,
        },
    )
    assert response.status_code == 200
    assert "coders_per_story" in response.context["form"].errors


def test_round_pages_answer_owner_member_and_outsider(
    dims_round, org_researcher, member, outsider, coders
):
    other_researcher = make_user("elsewhere", "researcher", outsider.memberships.get().organisation)
    pages = [
        url("research:round", dims_round.pk),
        url("research:agreement", dims_round.pk),
        url("research:adjudication", dims_round.pk),
        url("research:export", dims_round.pk, "final.csv"),
    ]
    for page in pages:
        assert client_for(org_researcher).get(page).status_code == 200, page
        assert client_for(member).get(page).status_code == 403, page
        assert client_for(outsider).get(page).status_code == 404, page
        assert client_for(other_researcher).get(page).status_code == 404, page
    # Coders code; the outsider may not even find the coder screen.
    assert client_for(coders[0]).get(url("research:code", dims_round.pk, 1)).status_code == 200
    assert client_for(outsider).get(url("research:code", dims_round.pk, 1)).status_code == 404
    assert client_for(org_researcher).get(url("research:code", dims_round.pk, 1)).status_code == 403


# --- the coder screen ---------------------------------------------------------------------------


def test_the_coder_screen_shows_the_de_identified_text_and_the_definitions(dims_round, coders):
    page = client_for(coders[0]).get(url("research:code", dims_round.pk, 1))
    body = page.content.decode()
    assert "REDACTED-" in body and "ORIGINAL-" not in body
    assert code("dimensions", "respect").definition[:40] in body
    assert 'data-hotkey="1"' in body and "coding.js" in body


def test_reading_the_original_is_audited(dims_round, coders):
    before = AuditEvent.objects.filter(action="story.view_original").count()
    page = client_for(coders[0]).get(url("research:code_original", dims_round.pk, 1))
    assert page.status_code == 200 and b"ORIGINAL-" in page.content
    assert AuditEvent.objects.filter(action="story.view_original").count() == before + 1


def test_a_toggle_saves_at_once_and_returns_the_panel(dims_round, coders):
    c = client_for(coders[0])
    target = url("research:code_toggle", dims_round.pk, 1)
    response = c.post(target, {"code": "respect"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert b'id="code-panel"' in response.content and b"<html" not in response.content
    assert Coding.objects.filter(round=dims_round, coder=coders[0], code__key="respect").exists()
    first = queue(dims_round, coders[0])[0]
    first.refresh_from_db()
    assert first.done_at is not None
    c.post(target, {"code": "respect"}, headers={"HX-Request": "true"})
    assert not Coding.objects.filter(round=dims_round, coder=coders[0]).exists()


def test_a_withdrawn_consent_hides_the_story_from_the_coder(dims_round, coders):
    story = queue(dims_round, coders[0])[0].story
    story.consent_research = False
    story.save()
    page = client_for(coders[0]).get(url("research:code", dims_round.pk, 1))
    assert b"REDACTED-" not in page.content
    toggle = client_for(coders[0]).post(
        url("research:code_toggle", dims_round.pk, 1), {"code": "respect"}
    )
    assert toggle.status_code == 403


def test_coders_are_blind_until_the_round_closes(dims_round, coders, org_researcher):
    code_all(dims_round, coders[0], lambda s: ["respect"])
    code_all(dims_round, coders[1], lambda s: ["family"])
    label_family = code("dimensions", "family").label
    label_respect = code("dimensions", "respect").label
    for n in range(1, 6):
        mine = client_for(coders[0]).get(url("research:code", dims_round.pk, n)).content.decode()
        # coder1 sees their own code as pressed, never coder2's choice or name.
        assert "coder2" not in mine
        assert mine.count('aria-pressed="true"') == 1
        chips = mine.split('id="my-codes"')[1]
        assert label_respect in chips and label_family not in chips
    lifecycle.close_round(org_researcher, dims_round)
    after = client_for(coders[0]).get(url("research:code", dims_round.pk, 1)).content.decode()
    assert "coder2" in after and label_family in after.split("Other coders")[-1]
    # Nothing changes after closing.
    response = client_for(coders[0]).post(
        url("research:code_toggle", dims_round.pk, 1), {"code": "access"}
    )
    assert response.status_code == 409


# --- closing, agreement, adjudication -----------------------------------------------------------


def plan_a(story):
    return ["respect", "emotional_support"]


def plan_b(story):
    # Agrees on three stories, disagrees on two.
    return (
        ["respect", "emotional_support"]
        if story.text.endswith("mango.") and int(story.text_redacted.split("-")[1].split()[0]) < 3
        else ["respect"]
    )


def test_closing_settles_agreed_stories_and_leaves_the_rest_to_adjudication(
    dims_round, coders, org_researcher, stories
):
    code_all(dims_round, coders[0], plan_a)
    code_all(dims_round, coders[1], plan_b)
    summary = lifecycle.close_round(org_researcher, dims_round)
    assert summary == {"agreed": 3, "single_coder": 0, "to_adjudicate": 2}
    result = finals.final_codes("dimensions")
    assert len(result) == 3
    assert set(result.values()) == {frozenset({"respect", "emotional_support"})}
    assert FinalCode.objects.count() == 6
    disputed = actions.disagreements(dims_round)
    assert len(disputed) == 2

    c = client_for(org_researcher)
    page = c.get(url("research:adjudication", dims_round.pk))
    assert page.status_code == 200 and b"coder1" in page.content and b"coder2" in page.content
    target = url("research:adjudicate", dims_round.pk, disputed[0])
    assert c.post(target, {"code": ["respect"], "comment": ""}).status_code == 200  # no comment
    response = c.post(target, {"code": ["respect"], "comment": "Fear is not in the story."})
    assert response.status_code == 302
    assert finals.final_codes("dimensions")[disputed[0]] == frozenset({"respect"})
    decision = Decision.objects.get(story_id=disputed[0], codebook=dims_round.codebook)
    assert decision.method == "adjudicated" and decision.decided_by == org_researcher
    event = AuditEvent.objects.get(action="coding.adjudicated")
    assert event.new["codes"] == ["respect"] and "Fear" not in str(event.new)
    # Every coder's original codes are kept.
    assert Coding.objects.filter(round=dims_round, coder=coders[0]).count() == 10


def test_the_agreement_page_shows_kappa_with_its_method(dims_round, coders, org_researcher):
    code_all(dims_round, coders[0], plan_a)
    code_all(dims_round, coders[1], plan_b)
    page = client_for(org_researcher).get(url("research:agreement", dims_round.pk))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Cohen" in body and "Krippendorff" in body and "bootstrap" in body
    result = finals.round_agreement(dims_round)
    assert result["units"] == 5 and result["coders"] == 2
    # respect: all five present for both coders: no variation, kappa undefined, 100% agreement.
    assert result["per_code"]["respect"]["percent_agreement"]["value"] == 1.0
    assert result["per_code"]["respect"]["cohen_kappa"]["value"] is None
    assert result["per_code"]["emotional_support"]["percent_agreement"]["value"] == 0.6
    assert f"{result['overall']['percent_agreement']['value']:.3f}"[:4] in body


def test_single_code_rounds_report_agreement_on_the_chosen_code(
    org, org_researcher, coders, stories
):
    round = actions.create_round(
        org_researcher,
        name="Screening",
        codebook=Codebook.objects.get(slug="screening"),
        stories=stories,
        coders=coders,
        coders_per_story=2,
        organisation=org,
    )
    code_all(round, coders[0], lambda s: ["mangomoment"])
    code_all(
        round,
        coders[1],
        lambda s: ["ordinary_care"] if s.text.startswith("ORIGINAL-0") else ["mangomoment"],
    )
    result = finals.round_agreement(round)
    assert result["overall"]["percent_agreement"]["value"] == 0.8
    assert "one code per story" in result["method"]["overall"]
    lifecycle.close_round(org_researcher, round)
    screened = finals.screening()
    assert len(screened) == 4 and set(screened.values()) == {(True, None)}
    # A single-code coder cannot hold two codes at once.
    assert (
        not Coding.objects.filter(round=round, coder=coders[1], code__key="mangomoment")
        .filter(story__text__startswith="ORIGINAL-0")
        .exists()
    )


# --- exports ------------------------------------------------------------------------------------


@pytest.fixture
def closed_round(dims_round, coders, org_researcher):
    code_all(dims_round, coders[0], plan_a)
    code_all(dims_round, coders[1], plan_b)
    lifecycle.close_round(org_researcher, dims_round)
    return dims_round


def test_the_csv_exports_hold_codes_not_text(closed_round, org_researcher):
    c = client_for(org_researcher)
    response = c.get(url("research:export", closed_round.pk, "final.csv"))
    assert response["Content-Type"].startswith("text/csv")
    frame = pd.read_csv(io.BytesIO(response.content))
    assert list(frame.columns) == ["codebook", "story", "code", "value", "method"]
    assert len(frame) == 3 * 8 and frame["value"].sum() == 6
    codings = pd.read_csv(
        io.BytesIO(c.get(url("research:export", closed_round.pk, "codings.csv")).content)
    )
    assert len(codings) == 2 * 5 * 8
    for name in ("final.csv", "codings.csv", "round.xlsx", "final-wide.csv", "codings.sav"):
        body = c.get(url("research:export", closed_round.pk, name)).content
        assert b"ORIGINAL-" not in body and b"REDACTED-" not in body, name
    assert AuditEvent.objects.filter(action="data.exported").count() == 7


def test_the_sav_export_reads_back_with_value_labels(closed_round, org_researcher, tmp_path):
    body = (
        client_for(org_researcher).get(url("research:export", closed_round.pk, "final.sav")).content
    )
    path = tmp_path / "final.sav"
    path.write_bytes(body)
    frame, meta = pyreadstat.read_sav(str(path))
    assert len(frame) == 3
    assert meta.variable_value_labels["respect"] == {0.0: "absent", 1.0: "present"}
    assert meta.column_names_to_labels["emotional_support"].startswith("Emotional support")
    assert frame["respect"].tolist() == [1.0, 1.0, 1.0]
    assert "Patient" in meta.variable_value_labels["teller_role"].values()


def test_the_wide_csv_and_dictionary_suit_stata_and_r(closed_round, org_researcher):
    c = client_for(org_researcher)
    wide = pd.read_csv(
        io.BytesIO(c.get(url("research:export", closed_round.pk, "codings-wide.csv")).content)
    )
    assert len(wide) == 10 and {"story", "coder", "respect", "family"} <= set(wide.columns)
    assert all(len(col) <= 32 and col.isidentifier() for col in wide.columns)
    dictionary = pd.read_csv(
        io.BytesIO(c.get(url("research:export", closed_round.pk, "codings-dictionary.csv")).content)
    )
    row = dictionary.set_index("variable").loc["respect"]
    assert row["type"] == "integer" and "1 = present" in row["values"]


def test_the_xlsx_export_has_the_final_codes_and_the_dictionary(closed_round, org_researcher):
    body = (
        client_for(org_researcher)
        .get(url("research:export", closed_round.pk, "round.xlsx"))
        .content
    )
    sheets = pd.read_excel(io.BytesIO(body), sheet_name=None)
    assert set(sheets) == {"final", "codings", "final_long", "dictionary"}
    assert len(sheets["final"]) == 3 and len(sheets["codings"]) == 80


def test_the_coder_screen_walks_by_priority_first_then_position(dims_round, coders):
    mine = queue(dims_round, coders[0])
    assert [a.position for a in mine] == [0, 1, 2, 3, 4]
    urgent, second = mine[3], mine[1]
    Assignment.objects.filter(pk=urgent.pk).update(priority=0.9)
    Assignment.objects.filter(pk=second.pk).update(priority=0.2)
    c = client_for(coders[0])
    shown = [
        c.get(url("research:code", dims_round.pk, n)).context["assignment"].pk for n in range(1, 6)
    ]
    assert shown[:2] == [urgent.pk, second.pk]
    assert shown[2:] == [a.pk for a in mine if a.pk not in (urgent.pk, second.pk)]
