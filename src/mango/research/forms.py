"""Forms of the workbench: a codebook and its codes, a new round."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mango import labels
from mango.accounts.models import scope_for
from mango.lib.analysis.describe import ONCOLOGICAL_PATIENTS, OTHER_PATIENTS, PROFESSIONALS
from mango.organisations.models import Campaign, Organisation

from .models import Code, Codebook
from .selection import OTHER_GROUP

RESPONDENT_GROUPS = [
    ("", _("All")),
    (PROFESSIONALS, _("Healthcare professionals")),
    (ONCOLOGICAL_PATIENTS, _("Oncological patients and family")),
    (OTHER_PATIENTS, _("Non-oncological patients and family")),
    (OTHER_GROUP, _("Other tellers, or oncological care unknown")),
]


class CodebookForm(forms.ModelForm):
    class Meta:
        model = Codebook
        fields = [
            "name",
            "name_nl",
            "name_fr",
            "description",
            "description_nl",
            "description_fr",
            "multiple",
        ]
        labels = {"name": _("Name (English)"), "description": _("Description (English)")}


_IN_ENGLISH = _("Left empty, pages in this language show the English text.")


class CodeForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    key = forms.SlugField(label=_("Key"), max_length=60)
    label = forms.CharField(label=_("Label (English)"), max_length=200)
    label_nl = forms.CharField(
        label=_("Label (Dutch)"), max_length=200, required=False, help_text=_IN_ENGLISH
    )
    label_fr = forms.CharField(
        label=_("Label (French)"), max_length=200, required=False, help_text=_IN_ENGLISH
    )
    parent = forms.ChoiceField(label=_("Parent code"), required=False)
    definition = forms.CharField(
        label=_("Definition (English)"), widget=forms.Textarea(attrs={"rows": 2})
    )
    definition_nl = forms.CharField(
        label=_("Definition (Dutch)"),
        required=False,
        help_text=_IN_ENGLISH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    definition_fr = forms.CharField(
        label=_("Definition (French)"),
        required=False,
        help_text=_IN_ENGLISH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    inclusion = forms.CharField(
        label=_("Include when"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    exclusion = forms.CharField(
        label=_("Exclude when"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    examples = forms.CharField(
        label=_("Examples"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    order = forms.IntegerField(label=_("Order"), min_value=0, initial=0)
    hotkey = forms.CharField(label=_("Key on the keyboard"), max_length=1, required=False)
    active = forms.BooleanField(label=_("In use"), required=False, initial=True)

    def __init__(self, *args, parents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = [("", "—")] + [(k, k) for k in parents]


class BaseCodeFormSet(forms.BaseFormSet):
    def __init__(self, *args, codebook=None, **kwargs):
        self.codebook = codebook
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        keys = list(self.codebook.codes.values_list("key", flat=True)) if self.codebook else []
        return {"parents": keys + [f.get("key", "") for f in self._new_keys()]}

    def _new_keys(self):
        if not self.is_bound:
            return []
        out = []
        for i in range(self.total_form_count()):
            key = self.data.get(f"{self.prefix}-{i}-key", "").strip()
            if key:
                out.append({"key": key})
        return out

    def clean(self):
        if any(self.errors):
            return
        keys, hotkeys = set(), set()
        used = set(
            Code.objects.filter(codebook=self.codebook, codings__isnull=False).values_list(
                "pk", flat=True
            )
        )
        originals = dict(self.codebook.codes.values_list("pk", "key"))
        for form in self.forms:
            data = form.cleaned_data
            if not data or not data.get("key"):
                continue
            if data["key"] in keys:
                raise forms.ValidationError(_("Two codes have the key %(key)s.") % data)
            keys.add(data["key"])
            if data.get("id") and data["id"] not in originals:
                raise forms.ValidationError(_("A code does not belong to this codebook."))
            if data.get("id") in used and originals[data["id"]] != data["key"]:
                raise forms.ValidationError(
                    _("The key of code %(key)s cannot change: coders have used it.")
                    % {"key": originals[data["id"]]}
                )
            hotkey = (data.get("hotkey") or "").lower()
            if hotkey and data.get("active"):
                if hotkey in hotkeys or hotkey in "jkd":
                    raise forms.ValidationError(
                        _("The keyboard key %(key)s is taken (j, k and d move and finish).")
                        % {"key": hotkey}
                    )
                hotkeys.add(hotkey)


CodeFormSet = forms.formset_factory(CodeForm, formset=BaseCodeFormSet, extra=1)


def eligible_coders(organisation):
    """Users who may read the round's stories: administrators, network-wide researchers, and
    for an organisation's round its researchers."""
    rule = Q(is_superuser=True) | Q(memberships__role="administrator")
    rule |= Q(memberships__role="researcher", memberships__organisation__isnull=True)
    if organisation is not None:
        rule |= Q(memberships__role="researcher", memberships__organisation=organisation)
    return get_user_model().objects.filter(rule, is_active=True).distinct().order_by("username")


class RoundForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    codebook = forms.ModelChoiceField(label=_("Codebook"), queryset=Codebook.objects.all())
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.all(),
        required=False,
        empty_label=_("Network-wide (all organisations)"),
    )
    campaign = forms.ModelChoiceField(
        label=_("Campaign"), queryset=Campaign.objects.all(), required=False, empty_label=_("All")
    )
    respondent_group = forms.ChoiceField(
        label=_("Told by (respondent group)"), choices=RESPONDENT_GROUPS, required=False
    )
    oncological = forms.ChoiceField(
        label=_("Oncological"),
        choices=[("", _("All"))] + labels.ONCOLOGICAL_CHOICES,
        required=False,
    )
    sample_size = forms.IntegerField(
        label=_("Sample size"),
        required=False,
        min_value=1,
        help_text=_(
            "Leave empty for all matching stories; otherwise a random sample, stratified by "
            "respondent group."
        ),
    )
    coders = forms.ModelMultipleChoiceField(
        label=_("Coders"),
        queryset=get_user_model().objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    coders_per_story = forms.IntegerField(
        label=_("Coders per story"), min_value=1, max_value=10, initial=2
    )
    show_suggestions = forms.BooleanField(
        label=_("Show the classifier's suggestions to coders"),
        required=False,
        help_text=_("Off for reliability figures that the suggestions cannot have swayed."),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        scope = scope_for(user)
        if not (scope.everything or scope.research_everywhere):
            self.fields["organisation"].queryset = Organisation.objects.filter(
                pk__in=scope.research_orgs
            )
            self.fields["organisation"].required = True
        organisation = None
        if self.is_bound:
            org_id = self.data.get("organisation")
            if org_id and str(org_id).isdigit():
                organisation = Organisation.objects.filter(pk=org_id).first()
        self.fields["coders"].queryset = eligible_coders(organisation)

    def clean(self):
        data = super().clean()
        coders = data.get("coders")
        per_story = data.get("coders_per_story")
        if coders is not None and per_story and per_story > len(coders):
            self.add_error(
                "coders_per_story",
                _("Choose at least as many coders as coders per story (%(n)s).") % {"n": per_story},
            )
        return data
