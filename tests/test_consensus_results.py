"""Results: the table shows the statuses the locked rule gives (ties at the thresholds,
"unable to judge" left out), per stakeholder group; XLSX, CSV, HTML and PDF state the rule;
attrition per group; accepted items become codes in a new codebook version."""

import csv
import io
import re
import zlib

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from mango.audit.models import AuditEvent
from mango.consensus import actions, results
from mango.consensus.models import Item
from mango.research.models import Codebook, CodebookVersion

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

# Ten panellists (five patients, five professionals); an eleventh answers "unable to judge".
SCORES = {
    "S1": [7, 8, 9, 7, 8, 9, 7, 5, 4, 2],  # 70 % 7-9, 10 % 1-3: in (exactly 70 %)
    "S2": [7, 8, 9, 7, 8, 5, 5, 4, 3, 2],  # 50 % 7-9: out (exactly 50 %)
    "S3": [7, 8, 9, 7, 8, 9, 5, 4, 4, 6],  # 60 % 7-9: undecided
    "S4": [7, 8, 9, 7, 8, 9, 7, 8, 1, 2],  # 80 % 7-9 but 20 % 1-3: undecided
}
EXPECTED = {"S1": "in", "S2": "out", "S3": "undecided", "S4": "undecided"}


@pytest.fixture
def finished(researcher):
    study = actions.create_study(
        researcher, title="Delphi on the model", question={"en": "How important?"}
    )
    for key in SCORES:
        actions.add_item(researcher, study, text={"en": f"Statement {key}"}, key=key)
    actions.set_rule(researcher, study, {"kind": "comet", "scope": "panel"})
    groups = ["patient"] * 5 + ["professional"] * 5 + ["manager"]
    panel = actions.add_panellists(
        researcher,
        study,
        [{"email": f"p{n}@example.org", "group": g} for n, g in enumerate(groups)],
    )
    round = actions.open_round(researcher, study)
    criterion = study.criteria.get()
    for key, scores in SCORES.items():
        item = study.items.get(key=key)
        for p, score in zip(panel, scores, strict=False):
            actions.save_answer(p, round, item, {criterion.pk: score})
        actions.save_answer(panel[10], round, item, {criterion.pk: None})
    actions.close_round(researcher, round)
    return study


def test_the_statuses_are_the_rules(finished):
    round = finished.rounds.get()
    assert results.primary_status(round) == {
        Item.objects.get(key=k).pk: status for k, status in EXPECTED.items()
    }
    cell = next(c for c in results.round_cells(round) if c.item.key == "S1")
    assert cell.summary.n == 10 and cell.summary.unable == 1
    assert cell.summary.median == 7.0
    assert cell.summary.pct_top == 70.0


def test_the_result_page_shows_each_status_and_the_rule(client, researcher, finished):
    client.force_login(researcher)
    page = client.get(reverse("consensus:results", args=[finished.pk])).content.decode()
    for key, status in EXPECTED.items():
        row = re.search(rf'<tr class="panel-row" data-item="{key}".*?</tr>', page, re.S).group(0)
        assert f"status-{status}" in row, key
    assert "70%" in page or "70 %" in page  # the rule is stated
    # Attrition per group: the manager answered only "unable to judge", still counted.
    table = re.search(r'<table class="list" id="attrition">.*?</table>', page, re.S).group(0)
    cells = (
        '<td class="num">1</td><td class="num">1</td><td class="num">100</td><td class="num">0</td>'
    )
    assert f"<tr><td>Leidinggevende</td><td>1</td>{cells}</tr>" in table


def test_the_exports_state_the_rule_and_the_figures(client, researcher, finished):
    client.force_login(researcher)
    response = client.get(reverse("consensus:export", args=[finished.pk, "xlsx"]))
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    panel_rows = {r[0]: r for r in rows[1:] if r[2] == rows[1][2]}  # the whole panel's rows
    assert panel_rows["S1"][3] == 10  # n: "unable to judge" left out
    assert panel_rows["S1"][4] == 1
    assert "70%" in book["Rule"]["A1"].value

    response = client.get(reverse("consensus:export", args=[finished.pk, "csv"]))
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    statuses = {r[0]: r[-1] for r in table[1:] if r[2] == table[1][2]}
    assert statuses == {"S1": "in", "S2": "out", "S3": "undecided", "S4": "undecided"}

    html = client.get(reverse("consensus:export", args=[finished.pk, "html"])).content.decode()
    assert 'class="consensus-results"' in html and "<style" not in html

    pdf = client.get(reverse("consensus:export", args=[finished.pk, "pdf"])).content
    assert pdf.startswith(b"%PDF")
    # A4 landscape: 842 x 595 points (the page boxes sit in compressed object streams).
    boxes = [
        (float(w), float(h))
        for part in re.findall(rb"stream\r?\n(.*?)endstream", pdf, re.S)
        for w, h in re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)", _inflate(part))
    ]
    assert boxes and all(w > h > 590 for w, h in boxes)
    assert AuditEvent.objects.filter(action="consensus.exported").count() == 4


def test_accepted_items_become_codes_in_a_new_codebook_version(client, researcher, finished):
    book = Codebook.objects.create(slug="model", name="Mangomoment model")
    client.force_login(researcher)
    s1 = finished.items.get(key="S1")
    s1.text = {"en": "Statement S1", "nl": "Stelling S1", "fr": "Énoncé S1"}
    s1.save(update_fields=["text"])
    page = client.get(reverse("consensus:codebook", args=[finished.pk])).content.decode()
    offered = re.findall(r'name="items" value="(\d+)"', page)
    assert offered == [str(s1.pk)]  # only the item the rule accepted
    response = client.post(
        reverse("consensus:codebook", args=[finished.pk]),
        {"codebook": book.pk, "items": [s1.pk], "parent": ""},
    )
    assert response.status_code == 302
    book.refresh_from_db()
    assert book.version == 2
    s1.refresh_from_db()
    assert s1.became_code.codebook == book
    assert s1.became_version == 2
    assert s1.became_code.label == "Statement S1"  # English stays the base text
    assert (s1.became_code.label_nl, s1.became_code.label_fr) == ("Stelling S1", "Énoncé S1")
    assert "item S1" in s1.became_code.examples
    snapshot = CodebookVersion.objects.get(codebook=book, version=2).snapshot
    assert [c["key"] for c in snapshot["codes"]] == [s1.became_code.key]
    assert AuditEvent.objects.filter(action="codebook.changed").exists()
    assert AuditEvent.objects.filter(action="consensus.codes_created").exists()


def _inflate(data: bytes) -> bytes:
    try:
        return zlib.decompress(data.strip())
    except zlib.error:
        return data


def test_importance_against_feasibility_on_the_result_page(client, researcher):
    study = actions.create_study(
        researcher,
        title="Two criteria",
        question={"en": "?"},
        criteria=[
            {"key": "importance", "label": {"en": "Importance"}},
            {"key": "feasibility", "label": {"en": "Feasibility"}},
        ],
    )
    for key in ("A", "B"):
        actions.add_item(researcher, study, text={"en": f"Statement {key}"}, key=key)
    actions.set_rule(researcher, study, {"kind": "comet"})
    (p,) = actions.add_panellists(
        researcher, study, [{"email": "x@example.org", "group": "patient"}]
    )
    round = actions.open_round(researcher, study)
    imp, feas = study.criteria.all()
    actions.save_answer(p, round, study.items.get(key="A"), {imp.pk: 8, feas.pk: 8})
    actions.save_answer(p, round, study.items.get(key="B"), {imp.pk: 8, feas.pk: 2})
    placed = {m["item"].key: m["placed"].quadrant for m in results.matrix(study, round)}
    assert placed == {"A": "important_feasible", "B": "important_not_feasible"}
    client.force_login(researcher)
    page = client.get(reverse("consensus:results", args=[study.pk])).content.decode()
    assert 'class="quadrant q-important_feasible"' in page


def test_the_round_page_can_tick_the_items_that_reached_consensus(client, researcher, finished):
    client.force_login(researcher)
    url = reverse("consensus:round", args=[finished.pk, 1])
    ticked = re.findall(
        r'value="(\d+)" id="drop-\d+" checked', client.get(url + "?suggest=1").content.decode()
    )
    keys = set(Item.objects.filter(pk__in=ticked).values_list("key", flat=True))
    assert keys == {"S1", "S2"}  # in and out; S3 and S4 stay undecided
    assert not re.findall(r'id="drop-\d+" checked', client.get(url).content.decode())
