from django import forms
from django.utils.translation import gettext_lazy as _

from mango.lib import refiqda
from mango.research.models import Code, Codebook

from .models import KIND_CHOICES, Document, Participant

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class _OrganisationField(forms.ModelChoiceField):
    def __init__(self, queryset, everywhere: bool):
        super().__init__(
            label=_("Organisation"),
            queryset=queryset,
            required=not everywhere,
            empty_label=_("Network-wide") if everywhere else None,
        )


def _limited(upload):
    if upload is not None and upload.size > MAX_UPLOAD_BYTES:
        raise forms.ValidationError(
            _("The file is larger than %(mb)d MB.") % {"mb": MAX_UPLOAD_BYTES // 2**20}
        )
    return upload


class ProjectForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    codebook = forms.ModelChoiceField(
        label=_("Codebook"), queryset=Codebook.objects.all(), to_field_name="slug"
    )

    def __init__(self, *args, organisations, everywhere, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"] = _OrganisationField(organisations, everywhere)
        default = Codebook.objects.filter(slug="mangomoment-model").first()
        if default is not None:
            self.fields["codebook"].initial = default.slug


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Transcript"),
        help_text=_("A .txt (UTF-8 or Windows) or Word .docx file."),
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,.docx"}),
    )
    title = forms.CharField(
        label=_("Title"), max_length=200, required=False, help_text=_("Empty: the file's name.")
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=KIND_CHOICES)

    def clean_file(self):
        return _limited(self.cleaned_data.get("file"))


class ParticipantForm(forms.ModelForm):
    class Meta:
        model = Participant
        fields = ["label", "role", "setting", "oncological", "documents"]
        widgets = {"documents": forms.CheckboxSelectMultiple}

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        self.fields["documents"].queryset = Document.objects.filter(project=project)

    def clean_label(self):
        label = self.cleaned_data["label"].strip()
        if Participant.objects.filter(project=self.project, label=label).exists():
            raise forms.ValidationError(
                _("This project already has a participant %(label)s.") % {"label": label}
            )
        return label


class SegmentForm(forms.Form):
    # Filled by segments.js from the selection (code points, as Python counts); typed by hand
    # only in the fallback without JavaScript.
    start = forms.IntegerField(label=_("From character"), min_value=0, required=False)
    end = forms.IntegerField(label=_("To character"), min_value=1, required=False)
    code = forms.ModelChoiceField(label=_("Code"), queryset=Code.objects.none())
    memo = forms.CharField(
        label=_("Memo"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, document, **kwargs):
        super().__init__(*args, **kwargs)
        self.document = document
        self.fields["code"].queryset = Code.objects.filter(
            codebook_id=document.project.codebook_id, active=True
        ).order_by("order", "key")
        self.fields["code"].label_from_instance = lambda c: ("— " * c.depth) + c.local_label

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if (start is None or end is None) and not self.has_error("start"):
            if not self.has_error("end"):
                raise forms.ValidationError(_("Select a passage in the transcript first."))
        if start is not None and end is not None:
            if not start < end <= len(self.document.text):
                raise forms.ValidationError(
                    _(
                        "Select a passage of the transcript first (characters %(start)s to "
                        "%(end)s are not in it)."
                    )
                    % {"start": start, "end": end}
                )
        return data


class ImportProjectForm(forms.Form):
    file = forms.FileField(
        label=_("REFI-QDA project (.qdpx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".qdpx,.qde"}),
    )
    name = forms.CharField(
        label=_("Project name"),
        max_length=200,
        required=False,
        help_text=_("Empty: the name in the file."),
    )
    codebook = forms.ModelChoiceField(
        label=_("Codebook"),
        queryset=Codebook.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("A new codebook from the file"),
        help_text=_("With an existing codebook, the file's codes are matched by name."),
    )

    positions = forms.ChoiceField(
        label=_("Positions in the file"),
        choices=[
            (refiqda.AUTO, _("Find out per transcript (recommended)")),
            (refiqda.CODE_POINTS, _("Unicode characters (the REFI-QDA standard)")),
            (refiqda.UTF16, _("UTF-16 code units (NVivo)")),
        ],
        initial=refiqda.AUTO,
        required=False,  # empty: find out
        help_text=_(
            "NVivo counts emoji and some other characters twice. Mango finds out per "
            "transcript how the file counts, and says so after the import."
        ),
    )
    accept_positions = forms.BooleanField(
        label=_("Import anyway, although the positions do not fit the text"),
        required=False,
        help_text=_(
            "Segments may then cover the wrong words; selections past the end of a "
            "transcript are cut at its end."
        ),
    )

    def __init__(self, *args, organisations, everywhere, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"] = _OrganisationField(organisations, everywhere)

    def clean_file(self):
        return _limited(self.cleaned_data.get("file"))

    def clean_positions(self):
        return self.cleaned_data.get("positions") or refiqda.AUTO


class ExportProjectForm(forms.Form):
    positions = forms.ChoiceField(
        label=_("Positions in the file"),
        choices=[
            (
                refiqda.CODE_POINTS,
                _("Unicode characters, as the REFI-QDA standard counts them (recommended)"),
            ),
            (refiqda.UTF16, _("UTF-16 code units, for tools that count them, such as NVivo")),
        ],
        initial=refiqda.CODE_POINTS,
        widget=forms.RadioSelect,
        help_text=_(
            "Emoji and some other characters count once as a Unicode character and twice "
            "as UTF-16 code units."
        ),
    )


class ImportCodebookForm(forms.Form):
    file = forms.FileField(
        label=_("REFI-QDA codebook (.qdc)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".qdc"}),
    )
    name = forms.CharField(
        label=_("Codebook name"),
        max_length=200,
        required=False,
        help_text=_("Empty: the tool that wrote the file."),
    )

    def clean_file(self):
        return _limited(self.cleaned_data.get("file"))
