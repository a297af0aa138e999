"""The transcript pages: projects, upload, coding segments, retrieval, co-occurrence, agreement,
REFI-QDA export and import, and who may use them."""

import io

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from mango.audit.models import AuditEvent
from mango.lib import refiqda
from mango.qualitative.models import Document, Participant, Project, Segment
from mango.research.models import Codebook
from tests.conftest import make_user

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

TEXT = "Interviewer: Wat gebeurde er?\nP1: Ze bracht een mango 🥭 — dat was één gebaar.\n"


@pytest.fixture(autouse=True)
def _no_language_left_active():
    """Requests in English activate it for the thread; later tests resolve Dutch URLs."""
    yield
    translation.deactivate()


def u(name, *args, **kwargs):
    with translation.override("en"):
        return reverse(f"transcripts:{name}", args=args, kwargs=kwargs or None)


@pytest.fixture
def codebook(db):
    return Codebook.objects.get(slug="mangomoment-model")


@pytest.fixture
def researcher_of_org(org):
    return make_user("onderzoeker", "researcher", org)


@pytest.fixture
def project(org, codebook):
    return Project.objects.create(name="Interviews", organisation=org, codebook=codebook)


@pytest.fixture
def document(project):
    return Document.objects.create(project=project, title="Interview 1", text=TEXT)


@pytest.fixture
def client_of(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def _codes(codebook, n=2):
    return list(codebook.codes.order_by("order", "key"))[:n]


# --- projects ------------------------------------------------------------------------------


def test_a_researcher_creates_a_project_in_their_organisation(client_of, researcher_of_org, org):
    client = client_of(researcher_of_org)
    response = client.post(
        u("projects"),
        {"name": "Focusgroepen", "organisation": org.pk, "codebook": "mangomoment-model"},
    )
    project = Project.objects.get(name="Focusgroepen")
    assert response.status_code == 302 and project.organisation == org
    # Not network-wide: a researcher of one organisation must choose it.
    response = client.post(u("projects"), {"name": "Overal", "codebook": "mangomoment-model"})
    assert response.status_code == 400
    assert not Project.objects.filter(name="Overal").exists()


def test_the_list_shows_only_the_projects_a_researcher_may_use(
    client_of, researcher_of_org, project, other_org, codebook
):
    Project.objects.create(name="Elders-project", organisation=other_org, codebook=codebook)
    Project.objects.create(name="Netwerkproject", codebook=codebook)
    body = client_of(researcher_of_org).get(u("projects")).content.decode()
    assert "Interviews" in body
    assert "Elders-project" not in body and "Netwerkproject" not in body
    body = client_of(make_user("netwerk", "researcher")).get(u("projects")).content.decode()
    assert "Elders-project" in body and "Netwerkproject" in body


@pytest.mark.parametrize(
    "who, status",
    [("member", 403), ("outsider", 404), ("other-researcher", 404), ("loner", 404)],
)
def test_others_get_403_or_404(client_of, project, document, org, other_org, who, status):
    user = {
        "member": lambda: make_user("m", "team_member", org),
        "outsider": lambda: make_user("o", "manager", other_org),
        "other-researcher": lambda: make_user("r", "researcher", other_org),
        "loner": lambda: make_user("l"),
    }[who]()
    client = client_of(user)
    for path in (
        u("project", pk=project.pk),
        u("document", pk=document.pk),
        u("export_qdpx", pk=project.pk),
        u("agreement", pk=project.pk),
    ):
        response = client.get(path)
        assert response.status_code == status, path
        assert "mango 🥭" not in response.content.decode()


def test_a_network_wide_project_refuses_an_organisation_researcher_with_403(
    client_of, researcher_of_org, codebook
):
    network = Project.objects.create(name="Netwerk", codebook=codebook)
    assert client_of(researcher_of_org).get(u("project", pk=network.pk)).status_code == 403


# --- upload --------------------------------------------------------------------------------


def _docx(*paragraphs) -> bytes:
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_uploading_a_txt_and_a_docx(client_of, researcher_of_org, project):
    client = client_of(researcher_of_org)
    data = "\ufeffInterviewer: Vraag?\r\nP1: Antwoord, café.\r\n".encode()
    response = client.post(
        u("project", pk=project.pk),
        {
            "action": "upload",
            "kind": "interview",
            "file": SimpleUploadedFile("gesprek-3.txt", data),
        },
    )
    document = Document.objects.get(project=project)
    assert response.status_code == 302
    assert response["Location"] == u("document", pk=document.pk)
    assert document.title == "gesprek-3"
    assert document.text == "Interviewer: Vraag?\nP1: Antwoord, café.\n"
    assert document.uploaded_by == researcher_of_org
    event = AuditEvent.objects.get(action="transcript.uploaded")
    assert event.new == {
        "project": project.pk,
        "kind": "interview",
        "characters": len(document.text),
    }

    response = client.post(
        u("project", pk=project.pk),
        {
            "action": "upload",
            "kind": "focus_group",
            "title": "Focusgroep A",
            "file": SimpleUploadedFile("fg.docx", _docx("Moderator: Welkom.", "P2: Dank u.")),
        },
    )
    assert response.status_code == 302
    assert Document.objects.get(title="Focusgroep A").text == "Moderator: Welkom.\nP2: Dank u."


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("a.pdf", b"%PDF-1.4", "Upload a .txt or .docx file."),
        ("a.docx", b"not a zip", "This is not a Word (.docx) document"),
        ("a.txt", b"  \n", "The file holds no text."),
    ],
)
def test_a_bad_upload_says_why_and_stores_nothing(
    client_of, researcher_of_org, project, name, data, message
):
    response = client_of(researcher_of_org).post(
        u("project", pk=project.pk),
        {"action": "upload", "kind": "interview", "file": SimpleUploadedFile(name, data)},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Document.objects.exists()
    assert not AuditEvent.objects.filter(action="transcript.uploaded").exists()


# --- coding --------------------------------------------------------------------------------


def test_coding_a_passage_with_non_ascii_characters(
    client_of, researcher_of_org, document, codebook
):
    client = client_of(researcher_of_org)
    code = _codes(codebook)[0]
    start = TEXT.index("mango 🥭")
    end = start + len("mango 🥭 — dat")  # code points, as segments.js counts them
    response = client.post(
        u("document", pk=document.pk),
        {"start": start, "end": end, "code": code.pk, "memo": " gebaar "},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    segment = Segment.objects.get()
    assert segment.text == "mango 🥭 — dat"
    assert (segment.coder, segment.memo, segment.code) == (researcher_of_org, "gebaar", code)
    body = response.content.decode()
    assert 'id="coding"' in body and "<html" not in body  # the htmx partial
    assert '<mark class="segment"' in body and "mango 🥭 — dat</mark>" in body
    event = AuditEvent.objects.get(action="segment.changed")
    assert event.new == {"document": document.pk, "code": code.key, "start": start, "end": end}


def test_a_passage_outside_the_text_or_a_foreign_code_is_refused(
    client_of, researcher_of_org, document
):
    client = client_of(researcher_of_org)
    foreign = Codebook.objects.get(slug="dimensions").codes.first()
    own = document.project.codebook.codes.first()
    for data in (
        {"start": 5, "end": len(TEXT) + 1, "code": own.pk},
        {"start": 5, "end": 5, "code": own.pk},
        {"start": 0, "end": 4, "code": foreign.pk},
    ):
        assert client.post(u("document", pk=document.pk), data).status_code == 400
    assert not Segment.objects.exists()


def test_reading_a_transcript_is_audited(client_of, researcher_of_org, document):
    response = client_of(researcher_of_org).get(u("document", pk=document.pk))
    assert response.status_code == 200
    assert "mango 🥭" in response.content.decode()
    assert "segments.js" in response.content.decode()
    assert AuditEvent.objects.filter(
        action="transcript.viewed", target_id=str(document.pk)
    ).exists()


def test_coders_see_their_own_segments_unless_they_ask_for_all(
    client_of, researcher_of_org, document, org, codebook
):
    other = make_user("tweede", "researcher", org)
    code = _codes(codebook)[0]
    Segment.objects.create(
        document=document, code=code, start=0, end=11, coder=other, memo="memo-of-tweede"
    )
    Segment.objects.create(
        document=document, code=code, start=13, end=20, coder=researcher_of_org, memo="memo-of-mine"
    )
    client = client_of(researcher_of_org)
    mine = client.get(u("document", pk=document.pk)).content.decode()
    # Memos long enough that a random CSRF token cannot contain them (as "x1" could).
    assert "memo-of-mine" in mine and "memo-of-tweede" not in mine
    everyone = client.get(u("document", pk=document.pk) + "?coders=all").content.decode()
    assert "memo-of-tweede" in everyone and "tweede" in everyone


def test_only_the_coder_removes_a_segment(client_of, researcher_of_org, document, org, codebook):
    code = _codes(codebook)[0]
    segment = Segment.objects.create(
        document=document, code=code, start=0, end=5, coder=researcher_of_org
    )
    other = make_user("tweede", "researcher", org)
    assert client_of(other).post(u("segment_delete", pk=segment.pk)).status_code == 403
    assert Segment.objects.filter(pk=segment.pk).exists()
    response = client_of(researcher_of_org).post(u("segment_delete", pk=segment.pk))
    assert response.status_code == 302 and not Segment.objects.exists()
    event = AuditEvent.objects.get(action="segment.changed")
    assert event.old["start"] == 0 and event.old["code"] == code.key


# --- retrieval, co-occurrence, agreement -------------------------------------------------------


@pytest.fixture
def coded(document, project, org, codebook, researcher_of_org):
    a, b = _codes(codebook)
    other = make_user("tweede", "researcher", org)
    second = Document.objects.create(
        project=project, title="Interview 2", text="P2: Vertrouwen, ja."
    )
    Segment.objects.create(document=document, code=a, start=0, end=20, coder=researcher_of_org)
    Segment.objects.create(document=document, code=b, start=10, end=30, coder=researcher_of_org)
    Segment.objects.create(document=document, code=a, start=5, end=20, coder=other)
    Segment.objects.create(document=second, code=a, start=4, end=15, coder=other, memo="m2")
    return a, b, other


def test_all_segments_of_a_code_across_documents(client_of, researcher_of_org, project, coded):
    a, b, _ = coded
    body = client_of(researcher_of_org).get(u("code", pk=project.pk, code_pk=a.pk)).content.decode()
    assert "3 segments." in body or "3 segmenten." in body
    assert "Interview 1" in body and "Interview 2" in body
    assert "<mark>Vertrouwen,</mark>" in body
    assert "m2" in body


def test_the_cooccurrence_table(client_of, researcher_of_org, project, coded):
    a, b, _ = coded
    response = client_of(researcher_of_org).get(u("cooccurrence", pk=project.pk))
    rows = response.context["rows"]
    assert [(code.pk, counts) for code, counts in rows] == [(a.pk, [3, 2]), (b.pk, [2, 1])]


def test_agreement_between_two_coders(client_of, researcher_of_org, project, coded):
    a, b, other = coded
    client = client_of(researcher_of_org)
    response = client.get(u("agreement", pk=project.pk), {"a": "onderzoeker", "b": "tweede"})
    assert response.status_code == 200
    results = {r.code: r for r in response.context["results"]}
    # Code a: A marks 0-20 in doc 1; B marks 5-20 in doc 1 and 4-15 in doc 2.
    assert (results[a.label].coded_a, results[a.label].coded_b) == (20, 26)
    assert results[a.label].coded_both == 15
    assert results[b.label].coded_b == 0
    bad = client.get(u("agreement", pk=project.pk), {"a": "onderzoeker", "b": "onderzoeker"})
    assert bad.status_code == 400


# --- exchange ------------------------------------------------------------------------------


def test_exporting_a_project_and_its_codebook(client_of, researcher_of_org, project, coded):
    Participant.objects.create(project=project, label="P1", role="patient")
    client = client_of(researcher_of_org)
    response = client.get(u("export_qdpx", pk=project.pk))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="interviews.qdpx"'
    exported = refiqda.read_project(response.content)
    assert sorted(d.name for d in exported.documents) == ["Interview 1", "Interview 2"]
    assert sum(len(d.segments) for d in exported.documents) == 4
    assert [c.name for c in exported.cases] == ["P1"]
    event = AuditEvent.objects.get(action="data.exported")
    assert event.new == {"format": "qdpx", "documents": 2, "segments": 4}

    response = client.get(u("export_qdc", pk=project.pk))
    codes, _ = refiqda.read_codebook(response.content)
    assert len(list(refiqda.walk_codes(codes))) == project.codebook.codes.count()


def test_importing_a_qdpx_through_the_page(client_of, researcher_of_org, project, coded, org):
    client = client_of(researcher_of_org)
    data = client.get(u("export_qdpx", pk=project.pk)).content
    response = client.post(
        u("import"),
        {
            "action": "qdpx",
            "qdpx-file": SimpleUploadedFile("p.qdpx", data),
            "qdpx-organisation": org.pk,
            "qdpx-codebook": "mangomoment-model",
            "qdpx-name": "Kopie",
        },
    )
    copy = Project.objects.get(name="Kopie")
    assert response.status_code == 302 and response["Location"] == u("project", pk=copy.pk)
    assert Segment.objects.filter(document__project=copy).count() == 4


def test_a_broken_file_is_refused_on_the_page(client_of, researcher_of_org, org):
    response = client_of(researcher_of_org).post(
        u("import"),
        {
            "action": "qdpx",
            "qdpx-file": SimpleUploadedFile("p.qdpx", b"hello"),
            "qdpx-organisation": org.pk,
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "not a zip archive" in response.content.decode()
    assert not Project.objects.exists()


def test_only_network_wide_roles_import_a_codebook(client_of, researcher_of_org):
    codes = [refiqda.Code(refiqda.new_guid(), "Nieuw")]
    upload = {
        "action": "qdc",
        "qdc-file": SimpleUploadedFile("c.qdc", refiqda.write_codebook(codes)),
    }
    assert client_of(researcher_of_org).post(u("import"), upload).status_code == 403
    network = make_user("netwerk", "researcher")
    upload["qdc-file"] = SimpleUploadedFile("c.qdc", refiqda.write_codebook(codes))
    response = client_of(network).post(u("import"), upload)
    assert response.status_code == 302
    assert Codebook.objects.filter(codes__label="Nieuw").exists()


def test_adding_a_participant_with_attributes(client_of, researcher_of_org, project, document):
    client = client_of(researcher_of_org)
    data = {
        "action": "participant",
        "p-label": "P1",
        "p-role": "patient",
        "p-setting": "hospital",
        "p-oncological": "yes",
        "p-documents": [document.pk],
    }
    assert client.post(u("project", pk=project.pk), data).status_code == 302
    participant = Participant.objects.get(project=project)
    assert (participant.role, participant.setting, participant.oncological) == (
        "patient",
        "hospital",
        "yes",
    )
    assert list(participant.documents.all()) == [document]
    # The same label twice in a project is refused, with a reason.
    response = client.post(u("project", pk=project.pk), data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert Participant.objects.filter(project=project).count() == 1
