"""Transcript projects for researchers: upload, code segments, retrieve, compare, exchange."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.db.models import Count
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from mango.audit.models import AuditEvent
from mango.lib import code_colours, refiqda
from mango.lib.segments import pooled_segment_agreement
from mango.lib.transcripts import (
    TOO_LARGE_DOCX,
    TranscriptError,
    cooccurrence,
    read_transcript,
    retrieve,
    speakers,
)
from mango.research.models import Code

from . import actions, exchange
from .access import (
    get_document_for_user,
    get_project_for_user,
    get_segment_for_user,
    project_organisations,
    require_researcher,
    visible_projects,
    works_everywhere,
)
from .forms import (
    ExportProjectForm,
    ImportCodebookForm,
    ImportProjectForm,
    ParticipantForm,
    ProjectForm,
    SegmentForm,
    UploadForm,
)
from .models import Segment

# The messages of lib/transcripts, translated; the one with a number gets a general form.
TRANSCRIPT_ERRORS = {
    "Upload a .txt or .docx file.": gettext_lazy("Upload a .txt or .docx file."),
    "The file holds no text.": gettext_lazy("The file holds no text."),
    "The file holds binary data, not text.": gettext_lazy("The file holds binary data, not text."),
    "The file says it is UTF-16 but is not.": gettext_lazy(
        "The file says it is UTF-16 but is not."
    ),
    "The text is neither UTF-8 nor Windows-1252: save it as UTF-8 and try again.": gettext_lazy(
        "The text is neither UTF-8 nor Windows-1252: save it as UTF-8 and try again."
    ),
    TOO_LARGE_DOCX: gettext_lazy(
        "The document unpacks to far more than a transcript can hold; Mango does not read it."
    ),
    "This is not a Word (.docx) document; older .doc files must be saved as .docx first.": (
        gettext_lazy(
            "This is not a Word (.docx) document; older .doc files must be saved as .docx first."
        )
    ),
}


def transcript_error(err: TranscriptError) -> str:
    known = TRANSCRIPT_ERRORS.get(str(err))
    if known is not None:
        return str(known)
    return _("The transcript is too long or cannot be read: %(detail)s") % {"detail": err}


def import_error(err) -> str:
    # REFI-QDA errors name elements, GUIDs and positions of the file: the detail stays as
    # the reader wrote it, after a translated lead.
    return _("The file cannot be imported; nothing was changed. %(detail)s") % {"detail": err}


def _scope_kwargs(user) -> dict:
    return {"organisations": project_organisations(user), "everywhere": works_everywhere(user)}


@login_required
@require_http_methods(["GET", "POST"])
def project_list(request):
    require_researcher(request.user)
    form = ProjectForm(request.POST or None, **_scope_kwargs(request.user))
    if request.method == "POST" and form.is_valid():
        project = actions.create_project(request.user, **form.cleaned_data)
        return redirect("transcripts:project", pk=project.pk)
    projects = visible_projects(request.user)
    return render(
        request,
        "qualitative/project_list.html",
        {"projects": projects, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def project_detail(request, pk):
    project = get_project_for_user(request.user, pk)
    upload = UploadForm()
    participant = ParticipantForm(project=project, prefix="p")
    status = 200
    if request.method == "POST" and request.POST.get("action") == "upload":
        upload = UploadForm(request.POST, request.FILES)
        if upload.is_valid():
            file = upload.cleaned_data["file"]
            try:
                text = read_transcript(file.name, file.read())
            except TranscriptError as err:
                upload.add_error("file", transcript_error(err))
            else:
                title = upload.cleaned_data["title"] or file.name.rsplit(".", 1)[0]
                document = actions.upload_transcript(
                    request.user,
                    project,
                    title=title[:200],
                    kind=upload.cleaned_data["kind"],
                    text=text,
                )
                return redirect("transcripts:document", pk=document.pk)
        status = 400
    elif request.method == "POST" and request.POST.get("action") == "participant":
        participant = ParticipantForm(request.POST, project=project, prefix="p")
        if participant.is_valid():
            data = dict(participant.cleaned_data)
            actions.add_participant(request.user, project, **data)
            return redirect("transcripts:project", pk=project.pk)
        status = 400
    elif request.method == "POST":
        raise Http404
    documents = project.documents.order_by("title", "id")
    codes = project.codebook.codes.order_by("order", "key")
    counts = dict(
        Segment.objects.filter(document__project=project)
        .values("code")
        .annotate(n=Count("id"))
        .values_list("code", "n")
    )
    context = {
        "project": project,
        "documents": documents,
        "participants": project.participants.prefetch_related("documents"),
        "codes": [(code, counts.get(code.pk, 0), "— " * code.depth) for code in codes],
        "upload": upload,
        "participant_form": participant,
        "export_form": ExportProjectForm(),
        "imported": _import_summary(project, documents),
    }
    return render(request, "qualitative/project.html", context, status=status)


def _import_summary(project, documents) -> dict | None:
    """What the import of this project wrote, from its audit record (counts, no text)."""
    event = (
        AuditEvent.objects.filter(
            action="project.imported", target_type="project", target_id=str(project.pk)
        )
        .order_by("-at")
        .first()
    )
    if event is None:
        return None
    titles = {d.pk: d for d in documents}
    readings = [
        {**entry, "document": titles.get(entry.get("document"))}
        for entry in event.new.get("positions", [])
    ]
    return {"at": event.at, "new": event.new, "readings": readings}


def _pieces(text: str, segments) -> list[dict]:
    """The text cut where any segment starts or ends. Each piece has the segments over it,
    outermost first (earliest start, then longest), each with how many marks lie inside it
    (``nest``: its underline sits that many steps lower), and the segments that start there
    (their labels go in the margin beside it)."""
    cuts = sorted({0, len(text), *(s.start for s in segments), *(s.end for s in segments)})
    ordered = sorted(segments, key=lambda s: (s.start, -s.end, s.code_id, s.pk or 0))
    pieces = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        over = [s for s in ordered if s.start <= a and b <= s.end]
        pieces.append(
            {
                "text": text[a:b],
                "marks": [(s, min(len(over) - 1 - i, 3)) for i, s in enumerate(over)],
                "starts": [s for s in over if s.start == a],
            }
        )
    return pieces


def _code_colours(codebook_id) -> dict:
    """Each code of the codebook with its colour, by its position in creation order."""
    pks = Code.objects.filter(codebook_id=codebook_id).order_by("pk").values_list("pk", flat=True)
    return code_colours.assign(pks)


def _document_context(request, document, form=None) -> dict:
    everyone = request.GET.get("coders") == "all" or request.POST.get("coders") == "all"
    segments = document.segments.select_related("code", "coder")
    if not everyone:
        segments = segments.filter(coder=request.user)
    segments = list(segments)
    colours = _code_colours(document.project.codebook_id)
    for s in segments:
        s.colour = colours.get(s.code_id)
    form = form or SegmentForm(document=document)
    picks = list(form.fields["code"].queryset)
    for number, code in enumerate(picks, start=1):
        code.colour = colours.get(code.pk)
        code.shortcut = code.hotkey or (str(number) if number <= 9 else "")
    return {
        "document": document,
        "project": document.project,
        "segments": segments,
        "pieces": _pieces(document.text, segments),
        "form": form,
        "picks": picks,
        "everyone": everyone,
        "speakers": speakers(document.text),
    }


@login_required
@require_http_methods(["GET", "POST"])
def document_detail(request, pk):
    document = get_document_for_user(request.user, pk)
    partial = bool(request.headers.get("HX-Request"))
    template = "qualitative/_coding.html" if partial else "qualitative/document.html"
    if request.method == "POST":
        form = SegmentForm(request.POST, document=document)
        if form.is_valid():
            data = form.cleaned_data
            actions.code_segment(
                request.user,
                document,
                code=data["code"],
                start=data["start"],
                end=data["end"],
                memo=data["memo"],
            )
            if not partial:
                return redirect("transcripts:document", pk=document.pk)
            form = None
        return render(
            request,
            template,
            _document_context(request, document, form),
            status=400 if form is not None else 200,
        )
    if not partial:
        actions.view_transcript(request.user, document)
    return render(request, template, _document_context(request, document))


@login_required
@require_POST
def segment_delete(request, pk):
    segment = get_segment_for_user(request.user, pk)
    if segment.coder_id != request.user.pk:
        raise PermissionDenied
    document = segment.document
    actions.uncode_segment(request.user, segment)
    if request.headers.get("HX-Request"):
        return render(request, "qualitative/_coding.html", _document_context(request, document))
    return redirect("transcripts:document", pk=document.pk)


def _descendants(code: Code) -> set[int]:
    found, todo = {code.pk}, [code.pk]
    while todo:
        children = list(Code.objects.filter(parent_id__in=todo).values_list("pk", flat=True))
        todo = [c for c in children if c not in found]
        found.update(todo)
    return found


@login_required
def code_segments(request, pk, code_pk):
    project = get_project_for_user(request.user, pk)
    code = get_object_or_404(Code, pk=code_pk, codebook_id=project.codebook_id)
    with_children = request.GET.get("children") == "1"
    wanted = _descendants(code) if with_children else {code.pk}
    segments = _project_segments(project).filter(code_id__in=wanted).select_related("document")
    segments = [_Keyed(s) for s in segments]
    documents = {s.row.document_id: s.row.document for s in segments}
    ordered = dict(sorted(documents.items(), key=lambda kv: (kv[1].title, kv[0])))
    found = retrieve(segments, wanted, {pk: d.text for pk, d in ordered.items()}, context=120)
    return render(
        request,
        "qualitative/code_segments.html",
        {
            "project": project,
            "code": code,
            "found": found,
            "documents": ordered,
            "with_children": with_children,
        },
    )


class _Keyed:
    """A segment as lib/transcripts reads it: document and code by primary key."""

    def __init__(self, segment):
        self.row = segment
        self.document = segment.document_id
        self.code = segment.code_id
        self.start = segment.start
        self.end = segment.end


def _project_segments(project):
    return Segment.objects.filter(document__project=project).select_related("code", "coder")


@login_required
def cooccurrence_table(request, pk):
    project = get_project_for_user(request.user, pk)
    segments = [_Keyed(s) for s in _project_segments(project)]
    codes = list(project.codebook.codes.order_by("order", "key"))
    used = {s.code for s in segments}
    shown = [c for c in codes if c.pk in used]
    table = cooccurrence(segments, codes=[c.pk for c in shown])
    rows = [(code, counts) for code, (_, counts) in zip(shown, table.rows(), strict=True)]
    return render(
        request,
        "qualitative/cooccurrence.html",
        {"project": project, "codes": shown, "rows": rows},
    )


@login_required
def agreement(request, pk):
    project = get_project_for_user(request.user, pk)
    segments = list(_project_segments(project))
    coders = sorted({s.coder_label for s in segments if s.coder_label})
    a, b = request.GET.get("a") or "", request.GET.get("b") or ""
    results, error = None, None
    if a or b:
        if a not in coders or b not in coders or a == b:
            error = _("Choose two different coders of this project.")
        else:
            labels = {c.pk: c.local_label for c in project.codebook.codes.all()}
            documents = []
            for document in project.documents.order_by("pk"):
                mine = [s for s in segments if s.document_id == document.pk]
                documents.append(
                    (
                        len(document.text),
                        [(s.start, s.end, labels[s.code_id]) for s in mine if s.coder_label == a],
                        [(s.start, s.end, labels[s.code_id]) for s in mine if s.coder_label == b],
                    )
                )
            results = sorted(pooled_segment_agreement(documents).values(), key=lambda r: r.code)
    return render(
        request,
        "qualitative/agreement.html",
        {
            "project": project,
            "coders": coders,
            "a": a,
            "b": b,
            "results": results,
            "error": error,
        },
        status=400 if error else 200,
    )


def _download(data: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def export_qdpx(request, pk):
    project = get_project_for_user(request.user, pk)
    form = ExportProjectForm(request.GET or None)
    positions = refiqda.CODE_POINTS
    if form.is_bound:
        if not form.is_valid():
            return HttpResponseBadRequest(_("Choose how the positions are counted."))
        positions = form.cleaned_data["positions"]
    exported = actions.export_project(request.user, project, positions=positions)
    name = slugify(project.name) or "project"
    suffix = "-utf16" if positions == refiqda.UTF16 else ""
    return _download(exported.data, f"{name}{suffix}.qdpx", "application/zip")


@login_required
def export_qdc(request, pk):
    project = get_project_for_user(request.user, pk)
    codes, guids = exchange.refi_codes(project.codebook)
    data = refiqda.write_codebook(codes)
    actions.note_export(request.user, project, "qdc", codes=len(guids))
    return _download(data, f"{project.codebook.slug}.qdc", "application/xml")


@login_required
@require_http_methods(["GET", "POST"])
def import_files(request):
    require_researcher(request.user)
    scope = _scope_kwargs(request.user)
    project_form = ImportProjectForm(**scope, prefix="qdpx")
    codebook_form = ImportCodebookForm(prefix="qdc")
    status = 200
    show_accept = False
    if request.method == "POST" and request.POST.get("action") == "qdpx":
        project_form = ImportProjectForm(request.POST, request.FILES, **scope, prefix="qdpx")
        if project_form.is_valid():
            data = project_form.cleaned_data
            try:
                imported = actions.import_project(
                    request.user,
                    data["file"].read(),
                    organisation=data["organisation"],
                    codebook=data["codebook"],
                    name=data["name"],
                    positions=data["positions"],
                    accept_positions=data["accept_positions"],
                )
            except actions.PositionsUnclear as err:
                show_accept = True
                project_form.add_error(
                    "file",
                    _(
                        "The file cannot be imported; nothing was changed. In some transcripts "
                        "the coded passages do not fit the text: %(detail)s To import it "
                        "anyway, choose the file again and tick the box below."
                    )
                    % {"detail": err},
                )
            except (actions.ImportFailed, IntegrityError) as err:
                project_form.add_error("file", import_error(err))
            else:
                messages.success(
                    request,
                    _(
                        "The project was imported: %(codes)d codes, %(sources)d transcripts, "
                        "%(segments)d segments, %(memos)d memos, %(users)d coders. How the "
                        "positions were read is shown under Import summary."
                    )
                    % {
                        "codes": imported.codes,
                        "sources": imported.sources,
                        "segments": imported.segments,
                        "memos": imported.memos,
                        "users": imported.users,
                    },
                )
                if imported.left_out:
                    messages.info(
                        request,
                        _("Not imported: %(what)s.") % {"what": "; ".join(imported.left_out[:20])},
                    )
                return redirect("transcripts:project", pk=imported.project.pk)
        show_accept = show_accept or bool(project_form["accept_positions"].value())
        status = 400
    elif request.method == "POST" and request.POST.get("action") == "qdc":
        if not works_everywhere(request.user):
            raise PermissionDenied  # codebooks are shared by the whole network
        codebook_form = ImportCodebookForm(request.POST, request.FILES, prefix="qdc")
        if codebook_form.is_valid():
            try:
                codebook = actions.import_codebook(
                    request.user,
                    codebook_form.cleaned_data["file"].read(),
                    codebook_form.cleaned_data["name"],
                )
            except actions.ImportFailed as err:
                codebook_form.add_error("file", import_error(err))
            else:
                messages.success(
                    request,
                    _("The codebook %(name)s was imported with %(n)d codes.")
                    % {"name": codebook.name, "n": codebook.codes.count()},
                )
                return redirect("transcripts:projects")
        status = 400
    elif request.method == "POST":
        raise Http404
    return render(
        request,
        "qualitative/import.html",
        {
            "project_form": project_form,
            "codebook_form": codebook_form,
            "show_accept": show_accept,
            "can_import_codebook": works_everywhere(request.user),
        },
        status=status,
    )
