"""Codebooks and codes in nl, fr and en: the shipped texts, the accessor and its fallback,
every screen that shows a code (coder screen, adjudication, codebook page, the culture
reflection form) in the page's language, editing one language, and `mango codebooks load`
filling missing translations without overwriting a researcher's text."""

import io
import json
import re
from importlib import resources

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from mango.accounts.models import Membership
from mango.audit.models import AuditEvent
from mango.culture.models import StoryUnit
from mango.lib.reports import wording
from mango.lifecycle import actions as lifecycle
from mango.organisations.models import Unit
from mango.research import actions, shipped
from mango.research.models import Code, Codebook, CodebookVersion
from tests.conftest import make_story, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

RESPECT = {
    "en": "Respect for values, preferences and expressed needs",
    "nl": "Respect voor waarden, voorkeuren en noden",
    "fr": "Respect des valeurs, des préférences et des besoins",
}


def url(language, name, *args):
    with translation.override(language):
        return reverse(name, args=args)


def client_for(user):
    c = Client()
    c.force_login(user)
    return c


def code(slug, key):
    return Code.objects.get(codebook__slug=slug, key=key)


def shipped_json(slug):
    path = resources.files("mango.research").joinpath("codebooks", f"{slug}.json")
    return json.loads(path.read_text("utf-8"))


# --- the shipped texts ------------------------------------------------------------------------


@pytest.mark.parametrize("slug", shipped.SHIPPED)
def test_every_shipped_codebook_and_code_has_its_text_in_three_languages(slug):
    data = shipped_json(slug)
    for field in ("name", "description"):
        texts = [data[field], data[f"{field}_nl"], data[f"{field}_fr"]]
        assert all(t.strip() for t in texts), (slug, field)
        assert len(set(texts)) == 3, (slug, field)  # translated, not copied
    for item in data["codes"]:
        for field in ("label", "definition"):
            texts = [item[field], item[f"{field}_nl"], item[f"{field}_fr"]]
            assert all(t.strip() for t in texts), (slug, item["key"], field)
            if field == "definition":
                assert len(set(texts)) == 3, (slug, item["key"])


@pytest.mark.parametrize("slug", shipped.SHIPPED)
def test_the_dutch_of_the_shipped_codebooks_uses_the_u_form_and_the_glossary(slug):
    data = shipped_json(slug)
    dutch = " ".join(
        [data["name_nl"], data["description_nl"]]
        + [item[f] for item in data["codes"] for f in ("label_nl", "definition_nl")]
    )
    assert not re.search(r"\b(je|jij|jouw|jou)\b", dutch, re.IGNORECASE)
    assert "codeerder" not in dutch.lower()
    french = " ".join(item["label_fr"] + item["definition_fr"] for item in data["codes"])
    assert "récit" not in french.lower()


def test_the_dutch_and_french_code_names_are_those_of_the_report_and_dashboard():
    for column, slug in (("dimension", "dimensions"), ("exclusion_reason", "screening")):
        labels = {item["key"]: item["label_nl"] for item in shipped_json(slug)["codes"]}
        french = {item["key"]: item["label_fr"] for item in shipped_json(slug)["codes"]}
        for key, names in wording.CODES[column].items():
            assert labels[key] == names["nl"], key
            if "fr" in names:
                assert french[key] == names["fr"], key


# --- the accessor ---------------------------------------------------------------------------


def test_a_code_gives_its_label_in_the_asked_or_active_language_else_in_english():
    respect = code("dimensions", "respect")  # filled by the migration from the shipped JSON
    assert respect.label == RESPECT["en"]  # the base text is still the English one
    assert [respect.label_in(lang) for lang in ("nl", "fr", "en")] == [
        RESPECT["nl"],
        RESPECT["fr"],
        RESPECT["en"],
    ]
    assert respect.label_in("de") == RESPECT["en"]
    with translation.override("fr"):
        assert respect.local_label == RESPECT["fr"]
        assert respect.local_definition.startswith("Le geste traite la personne")
    with translation.override("nl-be"):
        assert respect.local_label == RESPECT["nl"]
    respect.label_fr = ""
    assert respect.label_in("fr") == RESPECT["en"]  # no French: English
    book = Codebook.objects.get(slug="dimensions")
    assert book.name_in("nl") == "Dimensies van patiëntgerichte zorg (Picker)"


# --- the screens ----------------------------------------------------------------------------


@pytest.fixture
def coders(org):
    return [make_user("coder1", "researcher", None), make_user("coder2", "researcher", None)]


@pytest.fixture
def dims_round(org, coders):
    owner = make_user("orgresearcher", "researcher", org)
    stories = [
        make_story(org, text=f"ORIGINAL-{i}", text_redacted=f"REDACTED-{i}") for i in range(2)
    ]
    return actions.create_round(
        owner,
        name="Dimensions",
        codebook=Codebook.objects.get(slug="dimensions"),
        stories=stories,
        coders=coders,
        coders_per_story=2,
        organisation=org,
    )


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_the_coder_screen_shows_the_codes_in_the_pages_language(dims_round, coders, language):
    body = client_for(coders[0]).get(url(language, "research:code", dims_round.pk, 1))
    html = body.content.decode().replace("&#x27;", "'")
    assert RESPECT[language] in html
    assert code("dimensions", "respect").definition_in(language)[:40] in html
    assert RESPECT["en"] not in html and "Physical comfort" not in html


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_adjudication_shows_the_codes_in_the_pages_language(dims_round, coders, language):
    for coder, key in zip(coders, ["respect", "physical_comfort"], strict=True):
        for a in dims_round.assignments.filter(coder=coder):
            actions.toggle_code(a, code("dimensions", key))
            actions.mark_done(a)
    lifecycle.close_round(dims_round.created_by, dims_round)
    c = client_for(dims_round.created_by)
    listing = (
        c.get(url(language, "research:adjudication", dims_round.pk))
        .content.decode()
        .replace("&#x27;", "'")
    )
    story = actions.disagreements(dims_round)[0]
    page = (
        c.get(url(language, "research:adjudicate", dims_round.pk, story))
        .content.decode()
        .replace("&#x27;", "'")
    )
    comfort = code("dimensions", "physical_comfort").label_in(language)
    for html in (listing, page):
        assert RESPECT[language] in html and comfort in html
        assert RESPECT["en"] not in html and "Physical comfort" not in html


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_the_codebook_pages_show_the_pages_language(researcher, language):
    c = client_for(researcher)
    book = Codebook.objects.get(slug="dimensions")
    listing = c.get(url(language, "research:codebooks")).content.decode().replace("&#x27;", "'")
    assert book.name_in(language) in listing and book.name not in listing
    html = (
        c.get(url(language, "research:codebook", "dimensions"))
        .content.decode()
        .replace("&#x27;", "'")
    )
    assert book.name_in(language) in html and book.description_in(language) in html
    assert RESPECT[language] in html and RESPECT["en"] not in html
    assert code("dimensions", "access").definition_in(language) in html


def test_a_code_without_a_translation_shows_its_english_text(researcher):
    access = code("dimensions", "access")
    access.label_nl = ""
    access.definition_nl = ""
    access.save()
    html = client_for(researcher).get(url("nl", "research:codebook", "dimensions"))
    html = html.content.decode().replace("&#x27;", "'")
    assert "Access to care" in html and access.definition in html
    assert RESPECT["nl"] in html  # the others stay Dutch


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_the_culture_reflection_form_shows_the_model_in_the_pages_language(org, language):
    unit = Unit.objects.create(organisation=org, name="Oncologie", slug="onco")
    nurse = make_user("nurse")
    Membership.objects.create(user=nurse, organisation=org, role="team_member", unit=unit)
    story = make_story(
        org,
        unit=unit,
        status="shared",
        shareable=True,
        shared_at=timezone.now(),
        text="Zuster Els bleef.",
        text_redacted="Zuster [NAAM] bleef.",
    )
    StoryUnit.objects.create(story=story, unit=unit)
    c = client_for(nurse)
    html = (
        c.get(f"/{language}/culture/stories/{story.pk}/reflect/")
        .content.decode()
        .replace("&#x27;", "'")
    )
    assert c.get(f"/{language}/culture/stories/{story.pk}/reflect/").status_code == 200
    for key in ("patient_level", "professional_level", "leadership_level"):
        model_code = code("mangomoment-model", key)
        assert model_code.label_in(language) in html, key
        assert model_code.label not in html, key
        assert model_code.definition_in(language) in html, key


# --- editing a language -----------------------------------------------------------------------


def edit_data(page):
    """The edit form's current values, as a browser would send them back."""
    form, formset = page.context["form"], page.context["codes"]
    data = {name: form.initial.get(name) or "" for name in form.fields}
    data["multiple"] = "on" if form.initial.get("multiple") else ""
    data.update({f"codes-{k}": v for k, v in formset.management_form.initial.items()})
    for i, code_form in enumerate(formset.forms):
        if not code_form.initial:  # the blank "new code" form, with its defaults
            data.update({f"codes-{i}-order": 0, f"codes-{i}-active": "on"})
        for name, value in code_form.initial.items():
            if name == "active":
                if value:
                    data[f"codes-{i}-{name}"] = "on"
            else:
                data[f"codes-{i}-{name}"] = value
    return {k: v for k, v in data.items() if v != ""}


def test_a_researcher_edits_the_french_text_and_it_is_saved_and_audited(researcher):
    c = client_for(researcher)
    page = c.get(url("en", "research:codebook_edit", "dimensions"))
    html = page.content.decode().replace("&#x27;", "'")
    assert 'name="codes-0-label_nl"' in html and 'name="codes-0-definition_fr"' in html
    assert 'name="name_fr"' in html
    data = edit_data(page)
    index = next(
        i for i, f in enumerate(page.context["codes"].forms) if f.initial["key"] == "access"
    )
    data[f"codes-{index}-label_fr"] = "Accès facile aux soins"
    data["name_nl"] = "Picker-dimensies"
    response = c.post(url("en", "research:codebook_edit", "dimensions"), data)
    assert response.status_code == 302, response.context and response.context["codes"].errors
    access = code("dimensions", "access")
    assert access.label_fr == "Accès facile aux soins"
    assert access.label == "Access to care" and access.label_nl == "Toegang tot zorg"
    book = Codebook.objects.get(slug="dimensions")
    assert book.version == 2 and book.name_nl == "Picker-dimensies"
    snap = CodebookVersion.objects.get(codebook=book, version=2).snapshot
    assert snap["name_nl"] == "Picker-dimensies"
    assert {c["key"]: c["label_fr"] for c in snap["codes"]}["access"] == "Accès facile aux soins"
    event = AuditEvent.objects.get(action="codebook.changed")
    assert event.new["version"] == 2
    html = (
        c.get(url("fr", "research:codebook", "dimensions")).content.decode().replace("&#x27;", "'")
    )
    assert "Accès facile aux soins" in html


def test_saving_the_edit_page_unchanged_changes_nothing(researcher):
    c = client_for(researcher)
    page = c.get(url("en", "research:codebook_edit", "screening"))
    response = c.post(url("en", "research:codebook_edit", "screening"), edit_data(page))
    assert response.status_code == 302, response.context and (
        response.context["form"].errors,
        response.context["codes"].non_form_errors(),
    )
    assert Codebook.objects.get(slug="screening").version == 1
    assert not AuditEvent.objects.filter(action="codebook.changed").exists()


# --- loading the shipped codebooks again -------------------------------------------------------


def test_loading_fills_missing_translations_and_keeps_the_researchers_text():
    respect, access, comfort = (
        code("dimensions", k) for k in ("respect", "access", "physical_comfort")
    )
    Code.objects.filter(pk=respect.pk).update(label_nl="", definition_fr="")
    Code.objects.filter(pk=access.pk).update(label_nl="Bereikbaarheid")  # a researcher's Dutch
    Code.objects.filter(pk=comfort.pk).update(label="Bodily comfort", label_nl="")  # reworded
    out = io.StringIO()
    call_command("codebooks_load", stdout=out)
    assert "respect:label_nl" in out.getvalue()
    respect, access, comfort = (
        code("dimensions", k) for k in ("respect", "access", "physical_comfort")
    )
    assert respect.label_nl == RESPECT["nl"]
    assert respect.definition_fr.startswith("Le geste traite la personne")
    assert access.label_nl == "Bereikbaarheid"
    assert comfort.label_nl == "" and comfort.label_in("nl") == "Bodily comfort"
    book = Codebook.objects.get(slug="dimensions")
    assert book.version == 2
    snap = CodebookVersion.objects.get(codebook=book, version=2).snapshot
    assert {c["key"]: c["label_nl"] for c in snap["codes"]}["respect"] == RESPECT["nl"]
    out = io.StringIO()
    call_command("codebooks_load", stdout=out)
    assert "nothing added" in out.getvalue()


def test_every_template_that_names_a_code_through_the_filters_compiles():
    from pathlib import Path

    from django.template.loader import get_template

    import mango

    root = Path(mango.__file__).parent
    used = []
    for path in root.rglob("templates/**/*.html"):
        text = path.read_text("utf-8")
        if re.search(r"\|(code_label|code_definition|codebook_name|codebook_description)\b", text):
            name = str(path).split("/templates/", 1)[1]
            get_template(name)  # fails on a template that forgot {% load codes %}
            used.append(name)
    assert "research/_code_panel.html" in used and "culture/reflect.html" in used
    assert "qualitative/_coding.html" in used and "consensus/item_detail.html" in used
