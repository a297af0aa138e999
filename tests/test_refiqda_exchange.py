"""Whole projects in and out of Mango with NVivo, ATLAS.ti and MAXQDA-shaped files: the
passages each segment covers, the summary, round trips, the import page's confirmation, the
export dialog's unit and the ``mango refiqda import/export`` commands."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation
from lxml import etree

from mango.audit.models import AuditEvent
from mango.cli import resolve
from mango.qualitative import actions
from mango.qualitative.models import Document, Project, Segment
from mango.research.models import Codebook
from tests.conftest import make_user
from tests.test_refiqda_positions import DOUBTFUL, EXPECTED, READINGS, qdpx, utf16

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture(autouse=True)
def _no_language_left_active():
    yield
    translation.deactivate()


def u(name, *args):
    with translation.override("en"):
        return reverse(f"transcripts:{name}", args=args)


def covered(project) -> dict:
    """Each transcript's segments as (code label, the exact text they cover)."""
    return {
        d.title: sorted((s.code.label, d.text[s.start : s.end]) for s in d.segments.all())
        for d in project.documents.prefetch_related("segments__code")
    }


def expected(tool) -> dict:
    return {name: sorted(found) for name, found in EXPECTED[tool].items()}


@pytest.mark.parametrize("tool", sorted(EXPECTED))
def test_each_tools_project_imports_with_the_exact_passages(tool):
    imported = actions.import_project(make_user("i", "researcher"), qdpx(tool))
    project = imported.project
    assert covered(project) == expected(tool)
    assert not any("\r" in d.text for d in project.documents.all())
    assert {d.title: (x.reading, x.basis) for d, x in imported.readings} == READINGS[tool]
    assert imported.sources == len(EXPECTED[tool])
    assert imported.segments == sum(len(v) for v in EXPECTED[tool].values())
    event = AuditEvent.objects.get(action="project.imported", target_id=str(project.pk))
    assert [(x["document"], x["reading"]) for x in event.new["positions"]] == [
        (d.pk, x.reading) for d, x in imported.readings
    ]
    # The audit names counts, never the text.
    found = [passage for passages in EXPECTED[tool].values() for _, passage in passages]
    assert not any(passage in str(event.new) for passage in found)


def test_the_summary_of_each_tools_file(capsys):
    """The summaries the issue asks for, one per tool's shape (printed with -s)."""
    summaries = {}
    for n, tool in enumerate(sorted(EXPECTED)):
        imported = actions.import_project(make_user(f"i{n}", "researcher"), qdpx(tool))
        summaries[tool] = imported.lines()
        print(f"== {tool}", *imported.lines(), sep="\n")
    assert summaries["nvivo-windows-12.6"][0].startswith(
        "Project 'Zorgmomenten' (id "
    ) and summaries["nvivo-windows-12.6"][0].endswith(
        "from NVivo for Windows 12.6: 4 codes, 3 sources, 9 segments, 1 memos, 1 users "
        "(0 matched to Mango accounts), 0 participants."
    )
    assert summaries["nvivo-windows-12.6"][2].startswith(
        "  interview_07: UTF-16 code units, decided by the positions; 5 of 5 selections"
    )
    assert summaries["maxqda-2020"][-1] == (
        "Not imported: picture 'Screenshot'; video recording 'New Recording 11'; "
        "sets of codes or documents."
    )
    assert "1 memos, 1 users" in summaries["nvivo-mac-12.7"][0]
    assert (
        "Interview 12: Unicode characters (code points), decided"
        in summaries["atlas-ti-win-23.4"][2]
    )


@pytest.mark.parametrize("tool", sorted(EXPECTED))
@pytest.mark.parametrize("unit", ["codepoints", "utf16"])
def test_import_export_import_keeps_every_passage(tool, unit):
    user = make_user("i", "researcher")
    first = actions.import_project(user, qdpx(tool)).project
    exported = actions.export_project(user, first, positions=unit)
    again = actions.import_project(user, exported.data, codebook=first.codebook)
    assert covered(again.project) == covered(first) == expected(tool)
    assert {d.text for d in again.project.documents.all()} == {
        d.text for d in first.documents.all()
    }
    assert {x.reading for _, x in again.readings if x.basis != "agree"} == {unit}


def test_a_file_whose_positions_fit_no_reading_writes_nothing_unless_accepted():
    user = make_user("i", "researcher")
    before = (Project.objects.count(), Codebook.objects.count(), Segment.objects.count())
    with pytest.raises(actions.PositionsUnclear, match="'Menukaart' fit neither") as caught:
        actions.import_project(user, DOUBTFUL)
    assert caught.value.readings[0].name == "Menukaart"
    assert (Project.objects.count(), Codebook.objects.count(), Segment.objects.count()) == before
    assert not AuditEvent.objects.filter(action="project.imported").exists()

    imported = actions.import_project(user, DOUBTFUL, accept_positions=True)
    assert imported.segments == 5
    event = AuditEvent.objects.get(action="project.imported")
    assert event.new["positions"][0]["accepted"] is True


# --- the pages -----------------------------------------------------------------------------------


@pytest.fixture
def researcher(org):
    return make_user("onderzoeker", "researcher", org)


def _post_import(client, data, org, **extra):
    return client.post(
        u("import"),
        {
            "action": "qdpx",
            "qdpx-file": SimpleUploadedFile("p.qdpx", data),
            "qdpx-organisation": org.pk,
            **extra,
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )


def test_the_import_page_stops_on_unfitting_positions_and_imports_once_confirmed(
    client, researcher, org
):
    client.force_login(researcher)
    page = client.get(u("import"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'name="qdpx-accept_positions"' not in page  # offered only when needed
    response = _post_import(client, DOUBTFUL, org)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Menukaart" in body and "starts or ends inside a word" in body
    assert 'name="qdpx-accept_positions"' in body
    assert not Project.objects.exists()

    response = _post_import(client, DOUBTFUL, org, **{"qdpx-accept_positions": "on"})
    project = Project.objects.get()
    assert response.status_code == 302 and response["Location"] == u("project", project.pk)
    page = client.get(u("project", project.pk), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Imported although the positions do not fit the text" in page


def test_the_project_page_shows_how_each_transcript_was_read(client, researcher, org):
    client.force_login(researcher)
    response = _post_import(client, qdpx("nvivo-windows-12.6"), org)
    project = Project.objects.get()
    assert response.status_code == 302
    page = client.get(u("project", project.pk), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Imported from NVivo for Windows 12.6" in page
    assert "4 codes, 3 transcripts, 9 segments, 1 memos, 1 coders" in page
    assert page.count("UTF-16 code units (NVivo)</td>") == 2  # interview_07, whatsapp
    assert "Both counts agree" in page  # interview_08
    assert "5 of 5" in page


def test_a_reading_can_be_imposed_on_the_page(client, researcher, org):
    client.force_login(researcher)
    response = _post_import(
        client, qdpx("nvivo-windows-12.6"), org, **{"qdpx-positions": "codepoints"}
    )
    assert response.status_code == 400
    assert "whatsapp_afdeling" in response.content.decode()  # a coding past the end


def test_the_export_dialog_offers_utf16_positions(client, researcher, org):
    client.force_login(researcher)
    _post_import(client, qdpx("nvivo-mac-12.7"), org)
    project = Project.objects.get()
    page = client.get(u("project", project.pk), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "UTF-16 code units, for tools that count them, such as NVivo" in page
    response = client.get(u("export_qdpx", project.pk), {"positions": "utf16"})
    assert response["Content-Disposition"] == 'attachment; filename="focusgroepen-utf16.qdpx"'
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(response.content)).read("project.qde"))
    document = Document.objects.get(project=project)
    written = sorted(
        (int(x.get("startPosition")), int(x.get("endPosition")))
        for x in root.iterfind(".//{*}PlainTextSelection")
    )
    assert written == sorted(
        (utf16(document.text, s.start), utf16(document.text, s.end))
        for s in document.segments.all()
    )
    event = AuditEvent.objects.filter(action="data.exported").latest("at")
    assert event.new["positions"] == "utf16"
    standard = client.get(u("export_qdpx", project.pk), {"positions": "codepoints"})
    assert standard["Content-Disposition"] == 'attachment; filename="focusgroepen.qdpx"'
    assert client.get(u("export_qdpx", project.pk), {"positions": "bytes"}).status_code == 400


# --- the commands --------------------------------------------------------------------------------


def _run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_mango_refiqda_import_and_export_round_trip(tmp_path, org):
    assert resolve(["mango", "refiqda", "import", "f"], {"refiqda_import"}) == [
        "mango",
        "refiqda_import",
        "f",
    ]
    make_user("beheer", "administrator")
    source = tmp_path / "nvivo.qdpx"
    source.write_bytes(qdpx("nvivo-windows-12.6"))
    out = _run("refiqda_import", str(source), "--project", "Zorg NVivo", "--organisation", org.slug)
    assert "from NVivo for Windows 12.6: 4 codes, 3 sources, 9 segments, 1 memos" in out
    assert "interview_07: UTF-16 code units, decided by the positions" in out
    project = Project.objects.get(name="Zorg NVivo")
    assert project.organisation == org
    event = AuditEvent.objects.get(action="project.imported")
    assert event.actor_name == "command line"

    with pytest.raises(CommandError, match="exists already"):
        _run("refiqda_import", str(source), "--project", "zorg-nvivo")

    target = tmp_path / "uit.qdpx"
    out = _run("refiqda_export", "--project", "zorg-nvivo", "--out", str(target), "--as", "beheer")
    assert "4 codes, 3 sources, 9 segments, 1 memos" in out and "Unicode characters" in out
    assert AuditEvent.objects.filter(action="data.exported", actor_name="beheer").exists()
    out = _run("refiqda_import", str(target), "--project", "Terug")
    again = Project.objects.get(name="Terug")
    assert covered(again) == covered(project) == expected("nvivo-windows-12.6")

    utf = tmp_path / "utf16.qdpx"
    out = _run("refiqda_export", "--project", "Terug", "--out", str(utf), "--positions", "utf16")
    assert "positions in UTF-16 code units" in out
    _run("refiqda_import", str(utf), "--project", "Terug twee")
    assert covered(Project.objects.get(name="Terug twee")) == covered(project)


def test_the_import_command_stops_on_unfitting_positions_unless_accepted(tmp_path):
    path = tmp_path / "bytes.qdpx"
    path.write_bytes(DOUBTFUL)
    with pytest.raises(CommandError, match="Nothing imported.*Menukaart.*--accept-positions"):
        _run("refiqda_import", str(path), "--project", "Menu")
    assert not Project.objects.exists()
    out = _run("refiqda_import", str(path), "--project", "Menu", "--dry-run", "--accept-positions")
    assert "Dry run" in out and not Project.objects.exists()
    out = _run("refiqda_import", str(path), "--project", "Menu", "--accept-positions")
    assert "imported although the positions fit badly" in out
    assert Segment.objects.count() == 5


def test_the_commands_refuse_what_they_cannot_find(tmp_path):
    with pytest.raises(CommandError, match="No file"):
        _run("refiqda_import", str(tmp_path / "nope.qdpx"), "--project", "X")
    with pytest.raises(CommandError, match="No transcript project 'nope'"):
        _run("refiqda_export", "--project", "nope", "--out", str(tmp_path / "x.qdpx"))
    bad = tmp_path / "bad.qdpx"
    bad.write_bytes(b"hello")
    with pytest.raises(CommandError, match="not a zip archive"):
        _run("refiqda_import", str(bad), "--project", "X")
