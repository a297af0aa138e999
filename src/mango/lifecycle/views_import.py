"""Researchers import stories from a CSV or XLSX file (the page behind ``mango import stories``)."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from mango.accounts.models import scope_for
from mango.lib import importing
from mango.organisations.models import Campaign
from mango.stories import importer

from . import actions

DEFAULT_MAX_UPLOAD_BYTES = 20 * 1024 * 1024
# A file with thousands of bad rows would make a page nobody reads; the count says the rest.
PROBLEMS_SHOWN = 500


def can_import(user) -> bool:
    """Administrators, superusers and network-wide researchers may import.

    An import writes stories into any organisation of a campaign, so a researcher bound to one
    organisation may not.
    """
    if not user.is_authenticated:
        return False
    scope = scope_for(user)
    return scope.everything or scope.research_everywhere


def _max_upload_bytes() -> int:
    return getattr(settings, "MANGO_IMPORT_MAX_BYTES", DEFAULT_MAX_UPLOAD_BYTES)


class _SizeLimit(FileUploadHandler):
    """Stops storing an upload once it passes the limit, so a huge file fills neither memory
    nor disk; the view then says the file is too large."""

    def __init__(self, request, limit: int):
        super().__init__(request)
        self.limit = limit
        self.received = 0
        self.too_large = False

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.too_large = True
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("A CSV or Excel (.xlsx) file with a header row."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.xlsm"}),
    )
    campaign = forms.ModelChoiceField(
        label=gettext_lazy("Campaign"),
        queryset=Campaign.objects.all(),
        to_field_name="slug",
        empty_label=None,
    )
    skip_invalid = forms.BooleanField(
        label=gettext_lazy("Skip invalid rows and import the valid ones"),
        required=False,
    )


def _column_rows() -> list[tuple[str, str, str]]:
    """(column, other accepted names, values) for the help table on the page."""
    yes_no = _("yes or no (also ja/nee, oui/non, 1/0); empty: no")
    values = {
        "text": _("the story, 20 to 5000 characters"),
        "consent_research": yes_no,
        "consent_sharing": yes_no,
        "organisation": _("the organisation's slug"),
        "unit": _("the unit's slug, within the organisation"),
        "submitted_at": _("2024-03-31, 2024-03-31 14:05 or 31/03/2024; empty: now"),
        "external_id": _("the story's id in the source, at most 100 characters"),
    }
    for name, codes in importing.CHOICES.items():
        values[name] = ", ".join(codes)
    return [
        (name, ", ".join(aliases[1:]), values.get(name, ""))
        for name, aliases in importing.COLUMNS.items()
    ]


@csrf_exempt  # checked by _import_page, once the size limit is in place
@login_required
def import_stories(request):
    if not can_import(request.user):
        raise PermissionDenied
    limit = _SizeLimit(request, _max_upload_bytes())
    # Must happen before anything reads request.POST, hence csrf_exempt above.
    request.upload_handlers.insert(0, limit)
    return _import_page(request, limit)


@csrf_protect
@require_http_methods(["GET", "POST"])
def _import_page(request, limit):
    context = {"columns": _column_rows()}
    if request.method != "POST":
        context["form"] = ImportForm()
        return render(request, "stories/import.html", context)

    form = ImportForm(request.POST, request.FILES)
    context["form"] = form
    valid = form.is_valid()
    if limit.too_large:
        # The file was dropped unread: say why, rather than "this field is required".
        form.errors["file"] = form.error_class(
            [
                _("The file is larger than %(mb)d MB. Split it, or use the mango import command.")
                % {"mb": limit.limit // (1024 * 1024)}
            ]
        )
        valid = False
    if not valid:
        return render(request, "stories/import.html", context, status=400)

    upload = form.cleaned_data["file"]
    campaign = form.cleaned_data["campaign"]
    skip_invalid = form.cleaned_data["skip_invalid"]
    check_only = request.POST.get("action") == "check"
    try:
        importer.check_limits(upload, upload.name)
        prepared = importer.prepare(upload, upload.name, campaign)
    except importer.ImportFailed as err:
        form.add_error("file", str(err))
        return render(request, "stories/import.html", context, status=400)

    problems = list(importer.problem_lines(prepared))
    context.update(
        summary=importer.summary(prepared),
        problems=[
            (problem.row, problem.field, importer.reason(problem, row))
            for problem, row in problems[:PROBLEMS_SHOWN]
        ],
        problems_hidden=max(0, len(problems) - PROBLEMS_SHOWN),
        check_only=check_only,
    )
    if check_only or (prepared.invalid and not skip_invalid):
        context["nothing_imported"] = bool(prepared.invalid) and not skip_invalid
        return render(request, "stories/import.html", context)

    try:
        count = actions.import_stories(prepared, skip_invalid=skip_invalid)
    except importer.ImportFailed as err:
        form.add_error(None, str(err))
        return render(request, "stories/import.html", context, status=409)
    messages.success(
        request,
        ngettext(
            "%(n)d story imported into %(campaign)s.",
            "%(n)d stories imported into %(campaign)s.",
            count,
        )
        % {"n": count, "campaign": campaign.name},
    )
    context["imported"] = count
    context["imported_done"] = True
    context["form"] = ImportForm(initial={"campaign": campaign})
    return render(request, "stories/import.html", context)
