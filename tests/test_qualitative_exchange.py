"""REFI-QDA exchange of transcript projects: the round trip Mango -> .qdpx -> Mango, codebooks
through .qdc, imports of other tools' files, and all-or-nothing failures."""

import io
import zipfile
from pathlib import Path

import pytest
from django.db import transaction

from mango.audit.models import AuditEvent
from mango.lib import refiqda
from mango.qualitative import actions, exchange
from mango.qualitative.models import Document, Participant, Project, Segment
from mango.research.models import Code, Codebook, CodebookVersion
from tests.conftest import make_user

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]
FIXTURES = Path(__file__).parent / "fixtures" / "refiqda"

TEXT_1 = (
    "Interviewer: Wat is u bijgebleven?\n"
    "P1: De verpleegkundige bracht me 's nachts een mango 🥭. Ik voelde me gezien — één moment.\n"
)
TEXT_2 = "Moderator: Wat maakt het mogelijk?\nP2: Ruimte van de leiding, en tijd 😀.\n"


@pytest.fixture
def codebook(db):
    return Codebook.objects.get(slug="mangomoment-model")


def _code(codebook, n=0):
    return list(codebook.codes.order_by("order", "key"))[n]


def _passage(text, words):
    start = text.index(words)
    return start, start + len(words)


@pytest.fixture
def project(org, codebook):
    anna = make_user("anna", "researcher", org)
    bert = make_user("bert", "researcher", org)
    project = Project.objects.create(name="Mango-interviews", organisation=org, codebook=codebook)
    one = Document.objects.create(project=project, title="Interview 1", text=TEXT_1)
    two = Document.objects.create(
        project=project, title="Focusgroep 1", kind="focus_group", text=TEXT_2
    )
    a, b, c = _code(codebook, 0), _code(codebook, 1), _code(codebook, 2)
    for document, user, code, words, memo in [
        (one, anna, a, "een mango 🥭", "gebaar; é"),
        (one, bert, a, "mango 🥭. Ik voelde", ""),
        (one, anna, b, "Ik voelde me gezien — één moment", ""),
        (two, anna, c, "Ruimte van de leiding", "leiderschap"),
        (two, bert, c, "tijd 😀", ""),
    ]:
        start, end = _passage(document.text, words)
        Segment.objects.create(
            document=document, code=code, start=start, end=end, coder=user, memo=memo
        )
    Segment.objects.create(
        document=two, code=a, start=0, end=9, coder=None, coder_name="extern-coder"
    )
    p1 = Participant.objects.create(
        project=project, label="P1", role="patient", setting="hospital", oncological="yes"
    )
    p1.documents.set([one])
    return project


def _content(project):
    """What must survive a round trip: documents, codes (by key) and segments."""
    return {
        d.title: (
            d.text,
            sorted(
                (s.start, s.end, s.code.key, s.coder_label, s.memo, d.text[s.start : s.end])
                for s in d.segments.select_related("code", "coder")
            ),
        )
        for d in project.documents.all()
    }


def test_a_project_exported_and_imported_again_is_the_same(project, codebook, org):
    data = refiqda.write_project(exchange.refi_project(project))
    importer = make_user("importer", "researcher")
    imported = actions.import_project(
        importer, data, organisation=org, codebook=codebook, name="Terug"
    )
    again = imported.project
    assert imported.left_out == []
    assert again.codebook == codebook
    assert _content(again) == _content(project)
    kinds = {d.title: d.kind for d in again.documents.all()}
    assert kinds == {"Interview 1": "interview", "Focusgroep 1": "focus_group"}
    (participant,) = again.participants.all()
    assert (participant.label, participant.role, participant.setting, participant.oncological) == (
        "P1",
        "patient",
        "hospital",
        "yes",
    )
    assert [d.title for d in participant.documents.all()] == ["Interview 1"]
    # Known coders get their segments back; the unknown one keeps her name.
    assert set(
        Segment.objects.filter(document__project=again).values_list("coder__username", flat=True)
    ) == {"anna", "bert", None}
    event = AuditEvent.objects.get(action="project.imported")
    assert event.new["segments"] == 6 and event.new["documents"] == 2
    assert "verpleegkundige" not in str(event.new) and "gebaar" not in str(event.new)


def test_a_round_trip_with_a_new_codebook_keeps_the_codes_and_their_tree(project, codebook):
    data = refiqda.write_project(exchange.refi_project(project))
    again = actions.import_project(make_user("importer", "researcher"), data).project
    new = again.codebook
    assert new != codebook and new.multiple
    old_tree = {
        (c.label, c.parent.label if c.parent else None, c.definition, c.inclusion, c.exclusion)
        for c in codebook.codes.select_related("parent")
    }
    new_tree = {
        (c.label, c.parent.label if c.parent else None, c.definition, c.inclusion, c.exclusion)
        for c in new.codes.select_related("parent")
    }
    assert new_tree == old_tree
    assert CodebookVersion.objects.filter(codebook=new, version=1).exists()

    def by_label(p):
        return {
            title: (
                text,
                sorted(
                    (s, e, Code.objects.get(codebook=p.codebook, key=k).label, *rest)
                    for s, e, k, *rest in segs
                ),
            )
            for title, (text, segs) in _content(p).items()
        }

    assert by_label(again) == by_label(project)


def test_a_codebook_round_trips_through_qdc(codebook):
    codes, _ = exchange.refi_codes(codebook)
    data = refiqda.write_codebook(codes)
    admin = make_user("boss", "administrator")
    new = actions.import_codebook(admin, data, "Kopie")
    assert new.name == "Kopie" and new.slug == "kopie"
    fields = ("label", "definition", "inclusion", "exclusion", "examples")

    def tree(book):
        return sorted(
            (*(getattr(c, f) for f in fields), c.parent.label if c.parent else None)
            for c in book.codes.select_related("parent")
        )

    assert tree(new) == tree(codebook)
    assert AuditEvent.objects.filter(action="codebook.imported", target_id=str(new.pk)).exists()
    # A second import gets a slug of its own.
    assert actions.import_codebook(admin, data, "Kopie").slug == "kopie-2"


def test_an_import_into_a_codebook_that_lacks_a_used_code_writes_nothing(project, org):
    other = Codebook.objects.get(slug="dimensions")
    data = refiqda.write_project(exchange.refi_project(project))
    before = (Project.objects.count(), Document.objects.count(), Segment.objects.count())
    with pytest.raises(actions.ImportFailed, match="not in the codebook"):
        actions.import_project(make_user("i", "researcher"), data, organisation=org, codebook=other)
    assert (Project.objects.count(), Document.objects.count(), Segment.objects.count()) == before
    assert not AuditEvent.objects.filter(action="project.imported").exists()


def test_a_broken_archive_writes_nothing():
    before = (Project.objects.count(), Codebook.objects.count())
    for data, message in [
        (b"not a zip", "not a zip archive"),
        (b"PK\x03\x04garbage", "not a zip archive"),
    ]:
        with pytest.raises(actions.ImportFailed, match=message):
            actions.import_project(make_user(f"u{len(data)}", "researcher"), data)
    assert (Project.objects.count(), Codebook.objects.count()) == before


def test_a_failure_halfway_rolls_everything_back(project, monkeypatch):
    data = refiqda.write_project(exchange.refi_project(project))
    before = (Project.objects.count(), Codebook.objects.count(), Segment.objects.count())

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Segment.objects, "bulk_create", boom)
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            actions.import_project(make_user("i", "researcher"), data)
    assert (Project.objects.count(), Codebook.objects.count(), Segment.objects.count()) == before


def _zip(entries):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_an_nvivo_shaped_project_imports_with_unified_line_ends():
    text = "I: Wat deed de verpleegkundige?\r\nR: Ze nam de tijd, dat was een café-moment.\r\n"
    data = _zip(
        {
            "project.qde": (FIXTURES / "nvivo-windows-12.6.qde").read_bytes(),
            "Sources/56a79789-d535-4fb8-bedd-a915504c54ba.txt": b"\xef\xbb\xbf" + text.encode(),
        }
    )
    make_user("coder", "researcher")  # NVivo's user "Coder" is a Mango user
    project = actions.import_project(make_user("i", "researcher"), data).project
    (document,) = project.documents.all()
    assert "\r" not in document.text
    (segment,) = document.segments.all()
    assert segment.text == "de tijd"
    assert segment.coder.username == "coder"
    assert segment.code.label == "Ruimte voor gebaren"
    assert segment.code.parent.label == "Zorgverlener"


def test_an_atlas_ti_codebook_imports():
    codebook = actions.import_codebook(
        make_user("boss", "administrator"), (FIXTURES / "atlas-ti-win-23.4.qdc").read_bytes()
    )
    assert codebook.name == "ATLAS.ti Win 23.4.0"
    assert list(codebook.codes.values_list("key", "label", "definition")) == [
        ("vertrouwen", "Vertrouwen", "Relatie van vertrouwen tussen patiënt en zorgverlener"),
        ("werkplezier", "Werkplezier", ""),
    ]


def test_descriptions_split_back_into_the_codebook_fields():
    code = Code(
        definition="Wat het is.",
        inclusion="Als het gebeurt.",
        exclusion="Als het niet gebeurt.",
        examples="Een mango.\nEen koffie.",
    )
    text = exchange.describe(code)
    assert exchange.parse_description(text) == {
        "definition": "Wat het is.",
        "inclusion": "Als het gebeurt.",
        "exclusion": "Als het niet gebeurt.",
        "examples": "Een mango.\nEen koffie.",
    }
    assert exchange.parse_description("Alleen tekst.")["definition"] == "Alleen tekst."
