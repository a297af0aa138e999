"""The report and the dashboard in French: every word of the report has a French text with
the same placeholders, in the glossary's terms; ``mango report --language fr``; the dashboard's
tables and charts in the page's language."""

import re
import string
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from mango.lib import reports
from mango.lib.reports import methods, wording
from tests.conftest import make_user
from tests.test_analysis_data import build_coded_campaign
from tests.test_lib_reports import frame, report_input

ALL_TEXTS = {
    "wording.TEXT": wording.TEXT,
    "wording.GROUPINGS": wording.GROUPINGS,
    **{f"wording.CODES[{k}]": v for k, v in wording.CODES.items()},
    "methods.SENTENCES": methods.SENTENCES,
    "methods.STATISTIC_NAMES": methods.STATISTIC_NAMES,
    "methods.SOURCE_NAMES": methods.SOURCE_NAMES,
}


def fields(text: str) -> set:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def every_entry():
    for where, table in ALL_TEXTS.items():
        for key, words in table.items():
            yield f"{where}[{key}]", words
    yield "methods.CI", methods.CI


def test_every_report_text_is_in_dutch_french_and_english_with_the_same_placeholders():
    assert wording.LANGUAGES == ("nl", "fr", "en")
    for where, words in every_entry():
        assert set(words) == {"nl", "fr", "en"}, where
        assert all(words[lang].strip() for lang in words), where
        assert fields(words["fr"]) == fields(words["en"]) == fields(words["nl"]), where


def test_the_french_texts_use_the_glossary_s_terms():
    french = " ".join(words["fr"] for _, words in every_entry())
    assert "récit" not in french.lower()  # "histoire", as docs/glossary.md says
    assert "histoire" in french
    assert "codeurs" in french and "série de codage" in french and "arbitrage" in french
    assert not re.search(r"\b(tu|ton|ta|tes)\b", french)  # "vous", never "tu"
    # Prose is translated, not left in English.
    for where, words in every_entry():
        if len(words["en"]) > 12 and words["en"] not in ("Monte Carlo",):
            assert words["fr"] != words["en"], where
    dutch = " ".join(words["nl"] for _, words in every_entry())
    assert "codeerder" not in dutch


def test_french_numbers_and_percentages():
    assert wording.number(1234.5, "fr", 1) == "1\u202f234,5"
    assert wording.percent(12.5, "fr") == "12,5\u00a0%"
    assert wording.p_value(0.0004, "fr") == "< 0,001"
    assert wording.number(1234.5, "nl", 1) == "1.234,5"
    assert wording.number(1234.5, "en", 1) == "1,234.5"


def test_the_french_report_states_the_counts_in_french():
    stories = frame()
    report = reports.build_report(report_input(stories, "fr"))
    text = " ".join(report.methods)
    received = wording.number(len(stories) + 7, "fr")
    assert f"Au total, {received} histoires ont été reçues." in text
    assert "5 sans consentement pour la recherche" in text
    assert "2 effacées à la demande du narrateur" in text
    assert report.table("dimensions").title == (
        "Dimensions des soins centrés sur le patient par groupe (groupe de répondants)"
    )
    assert report.table("screening").rows[0][0] == "Moment Mango (retenu)"
    assert report.table("respondents_teller_role").title == "Répondants\u00a0: racontée par"
    assert "Respect des valeurs, des préférences et des besoins" in report.dimension_names.values()
    html = reports.to_html(report)
    assert '<html lang="fr">' in html and "<h2>Méthode</h2>" in html and "Tableau 1." in html
    assert "% des histoires" in html  # the figures' axis, as SVG text


@pytest.mark.django_db
def test_mango_report_writes_a_french_report(org, other_org, tmp_path):
    coded = build_coded_campaign(org, other_org, n=40, seed=2)
    out = tmp_path / "rapport.html"
    message = StringIO()
    call_command(
        "report",
        "--campaign",
        coded.campaign.slug,
        "--language",
        "fr",
        "--out",
        str(out),
        stdout=message,
    )
    html = out.read_text("utf-8")
    assert '<html lang="fr">' in html
    assert "<h1>Analyse des moments Mango\u00a0: Mangomomenten 2018</h1>" in html
    assert "Les histoires ont été recueillies dans la campagne « Mangomomenten 2018 »" in html
    assert "Professionnels de santé" in html


@pytest.mark.django_db
def test_the_dashboard_shows_its_tables_and_charts_in_the_page_s_language(client, org, other_org):
    build_coded_campaign(org, other_org, n=40, seed=2)
    client.force_login(make_user("rita", "researcher"))
    expected = {
        "fr": ("Dimensions des soins centrés sur le patient par groupe", "% des histoires"),
        "nl": ("Dimensies van patiëntgerichte zorg per groep", "% van de verhalen"),
        "en": ("Dimensions of patient-centred care by group", "% of stories"),
    }
    for language, (title, axis) in expected.items():
        with translation.override(language):
            page_url = reverse("analysis:dashboard")
            chart_url = reverse("analysis:chart", kwargs={"chart": "dimensions"})
        page = client.get(page_url).content.decode()
        assert title in page, language
        others = [t for lang, (t, _) in expected.items() if lang != language]
        assert not any(t in page for t in others), language
        chart = client.get(chart_url).content.decode()
        assert axis in chart, language
