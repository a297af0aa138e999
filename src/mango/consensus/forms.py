"""Forms for the staff pages. Texts panellists read come in three languages (nl, fr, en): a
form has one field per language and ``texts(cleaned_data, name)`` joins them into the dict
the models keep."""

from django import forms
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from .models import KIND_CHOICES, LANGUAGES, Section, localised

LANGUAGE_NAMES = {"nl": _("Dutch"), "fr": _("French"), "en": _("English")}


def texts(data: dict, name: str) -> dict:
    return {lang: (data.get(f"{name}_{lang}") or "").strip() for lang in LANGUAGES}


def text_initial(values: dict, name: str) -> dict:
    return {f"{name}_{lang}": (values or {}).get(lang, "") for lang in LANGUAGES}


def _language_fields(form, name, label, *, widget=None, required_one=True, max_length=None):
    for lang in LANGUAGES:
        form.fields[f"{name}_{lang}"] = forms.CharField(
            label=f"{label} ({LANGUAGE_NAMES[lang]})",
            required=False,
            max_length=max_length,
            widget=widget() if widget else None,
        )


class StudyForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=KIND_CHOICES)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=None,
        required=False,
        empty_label=_("Network-wide"),
    )
    feedback_by_group = forms.BooleanField(
        label=_("Feedback per stakeholder group"),
        required=False,
        help_text=_("From round 2 on, panellists also see each group's distribution."),
    )
    groups = forms.CharField(
        label=_("Own stakeholder groups"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Leave empty for patient, family member, professional, manager, researcher and "
            "policymaker; or one group a line, as key: label."
        ),
    )

    def __init__(self, *args, organisations=None, network=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["organisation"].required = not network
        _language_fields(self, "question", _("Question"), widget=forms.Textarea)
        _language_fields(self, "instructions", _("Instructions"), widget=forms.Textarea)

    def clean_groups(self):
        raw = self.cleaned_data.get("groups") or ""
        groups = []
        for line in raw.splitlines():
            if not line.strip():
                continue
            key, sep, label = line.partition(":")
            key = key.strip().lower().replace(" ", "_")
            if not sep or not key or not label.strip():
                raise forms.ValidationError(_("Write each group as key: label."))
            groups.append([key[:40], label.strip()[:80]])
        return groups

    def clean(self):
        data = super().clean()
        if not any(texts(data, "question").values()):
            self.add_error("question_nl", _("Write the question in at least one language."))
        return data


class CriterionForm(forms.Form):
    key = forms.SlugField(label=_("Key"), max_length=40, help_text=_("For example feasibility."))
    scale_min = forms.IntegerField(label=_("Lowest score"), initial=1, min_value=0, max_value=99)
    scale_max = forms.IntegerField(label=_("Highest score"), initial=9, min_value=2, max_value=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _language_fields(self, "label", _("Label"), max_length=100)

    def clean(self):
        data = super().clean()
        low, high = data.get("scale_min"), data.get("scale_max")
        if low is not None and high is not None and high - low < 2:
            raise forms.ValidationError(_("A scale needs at least three points."))
        if not any(texts(data, "label").values()):
            self.add_error("label_nl", _("Write the label in at least one language."))
        return data


class SectionForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _language_fields(self, "title", _("Section"), max_length=200)

    def clean(self):
        data = super().clean()
        if not any(texts(data, "title").values()):
            self.add_error("title_nl", _("Write the title in at least one language."))
        return data


class ItemForm(forms.Form):
    section = forms.ModelChoiceField(label=_("Section"), queryset=None, required=False)
    stories = forms.ModelMultipleChoiceField(
        label=_("Stories behind it"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    segments = forms.ModelMultipleChoiceField(
        label=_("Interview passages behind it"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    codes = forms.ModelMultipleChoiceField(
        label=_("Codes behind it"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, study, stories, segments, codes, **kwargs):
        super().__init__(*args, **kwargs)
        _language_fields(self, "text", _("Statement"), widget=forms.Textarea)
        self.fields["section"].queryset = Section.objects.filter(study=study)
        self.fields["section"].label_from_instance = lambda s: s.title_text()
        self.fields["stories"].queryset = stories
        self.fields["stories"].label_from_instance = lambda s: f"#{s.pk}: {s.text_redacted[:90]}"
        self.fields["segments"].queryset = segments
        self.fields["segments"].label_from_instance = lambda s: (
            f"{s.document.title}: {s.document.text[s.start : s.end][:90]}"
        )
        self.fields["codes"].queryset = codes
        self.fields["codes"].label_from_instance = lambda c: (
            f"{c.codebook.local_name}: {c.local_label}"
        )
        # Keep the order: statement first.
        order = [f"text_{lang}" for lang in LANGUAGES] + ["section", "stories", "segments", "codes"]
        self.order_fields(order)

    def clean(self):
        data = super().clean()
        if not any(texts(data, "text").values()):
            self.add_error("text_nl", _("Write the statement in at least one language."))
        return data


class RuleForm(forms.Form):
    rule = forms.ChoiceField(label=_("Consensus rule"))
    scope = forms.ChoiceField(
        label=_("Applies to"),
        choices=[
            ("panel", _("the whole panel")),
            ("groups", _("each stakeholder group")),
            ("both", _("the whole panel and each stakeholder group")),
        ],
    )
    threshold = forms.IntegerField(
        label=_("Agreement threshold (%)"),
        required=False,
        min_value=50,
        max_value=100,
        help_text=_("Only for percent agreement."),
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rule"].choices = choices


class PanellistsForm(forms.Form):
    rows = forms.CharField(
        label=_("Panellists"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "One a line: e-mail address, stakeholder group, language (nl, fr or en), name "
            "(optional), separated by commas."
        ),
    )

    def __init__(self, *args, study, **kwargs):
        super().__init__(*args, **kwargs)
        self.study = study

    def clean_rows(self):
        groups = dict(self.study.group_choices())
        labels = {str(v).lower(): k for k, v in groups.items()}
        out = []
        for number, line in enumerate(self.cleaned_data["rows"].splitlines(), 1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split(",")]
            email = parts[0]
            try:
                validate_email(email)
            except forms.ValidationError:
                raise forms.ValidationError(
                    _("Line %(n)s: %(value)s is not an e-mail address.")
                    % {"n": number, "value": email}
                ) from None
            group = parts[1].lower() if len(parts) > 1 else ""
            group = group if group in groups else labels.get(group, "")
            if not group:
                raise forms.ValidationError(
                    _("Line %(n)s: choose one of the groups: %(groups)s.")
                    % {"n": number, "groups": ", ".join(groups)}
                )
            language = (parts[2].lower() if len(parts) > 2 and parts[2] else "nl")[:2]
            if language not in LANGUAGES:
                raise forms.ValidationError(
                    _("Line %(n)s: the language is nl, fr or en.") % {"n": number}
                )
            name = ", ".join(parts[3:]) if len(parts) > 3 else ""
            out.append({"email": email, "group": group, "language": language, "name": name})
        if not out:
            raise forms.ValidationError(_("Add at least one panellist."))
        return out


class CodebookForm(forms.Form):
    codebook = forms.ModelChoiceField(label=_("Codebook"), queryset=None)
    parent = forms.CharField(
        label=_("Under the code (key)"),
        required=False,
        max_length=60,
        help_text=_("Leave empty to add the codes at the top level."),
    )
    items = forms.ModelMultipleChoiceField(
        label=_("Accepted items"), queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, codebooks, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["codebook"].queryset = codebooks
        self.fields["items"].queryset = items
        self.fields["items"].label_from_instance = lambda i: f"{i.key}: {localised(i.text)}"

    def clean(self):
        data = super().clean()
        book, parent = data.get("codebook"), data.get("parent")
        if book and parent and not book.codes.filter(key=parent).exists():
            self.add_error("parent", _("The codebook has no code with that key."))
        return data


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("in", _("Accepted")), ("out", _("Rejected")), ("undecided", _("Undecided"))],
    )
    rationale = forms.CharField(
        label=_("Rationale"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
