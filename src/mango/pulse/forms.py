from django import forms
from django.utils.translation import gettext_lazy as _

from mango.organisations.models import Unit

from .models import (
    ACTION_KINDS,
    ITEM_KINDS,
    LEVEL_CHOICES,
    PDSA_STAGES,
    InspirationModule,
    Instrument,
    ReflectionSession,
    SessionProgress,
)


class PulseForm(forms.Form):
    instrument = forms.ModelChoiceField(Instrument.objects.none(), label=_("Instrument"))
    units = forms.ModelMultipleChoiceField(
        Unit.objects.none(), label=_("Teams"), widget=forms.CheckboxSelectMultiple
    )
    every_weeks = forms.IntegerField(
        label=_("Every how many weeks"), min_value=1, max_value=26, initial=4
    )
    open_days = forms.IntegerField(
        label=_("Open for how many days"), min_value=1, max_value=182, initial=14
    )
    starts_on = forms.DateField(
        label=_("First period starts on"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, organisation, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instrument"].queryset = Instrument.objects.filter(
            organisation__isnull=True
        ) | Instrument.objects.filter(organisation=organisation)
        self.fields["units"].queryset = Unit.objects.filter(organisation=organisation)
        self.fields["units"].initial = list(
            Unit.objects.filter(organisation=organisation, pilot=True).values_list("pk", flat=True)
        )

    def clean(self):
        data = super().clean()
        weeks, days = data.get("every_weeks"), data.get("open_days")
        if weeks and days and days > weeks * 7:
            raise forms.ValidationError(
                _("A period cannot stay open longer than the time until the next one.")
            )
        return data


class ActionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label=_("Kind"), choices=ACTION_KINDS)
    module = forms.ModelChoiceField(
        InspirationModule.objects.all(), label=_("Inspiration module"), required=False
    )
    codes = forms.MultipleChoiceField(
        label=_("Preconditions and catalysts it targets"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    pdsa_stage = forms.ChoiceField(label=_("PDSA stage"), choices=PDSA_STAGES)
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, codes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["codes"].choices = [(str(c.pk), c.local_label) for c in codes]


class StageForm(forms.Form):
    pdsa_stage = forms.ChoiceField(label=_("PDSA stage"), choices=PDSA_STAGES)
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class SettingsForm(forms.Form):
    k = forms.IntegerField(
        label=_("Smallest group shown"),
        min_value=3,
        max_value=50,
        help_text=_("Results of a team appear only when at least this many answered (3 or more)."),
    )
    named_in_network = forms.BooleanField(
        label=_("Show our name to the other organisations of the learning network"),
        required=False,
    )


class ModuleForm(forms.Form):
    slug = forms.SlugField(label=_("Slug"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field, title in (
            ("title", _("Title")),
            ("introduction", _("Introduction")),
            ("assignments", _("Assignments")),
            ("note", _("Note for use in the organisation")),
        ):
            for lang in ("nl", "fr", "en"):
                widget = forms.TextInput if field == "title" else forms.Textarea(attrs={"rows": 3})
                self.fields[f"{field}_{lang}"] = forms.CharField(
                    label=f"{title} ({lang})",
                    required=field == "title" and lang == "nl",
                    widget=widget,
                )
        self.fields["file"] = forms.FileField(label=_("Add a file or visual"), required=False)
        self.fields["file_visual"] = forms.BooleanField(label=_("It is a visual"), required=False)


class SessionForm(forms.ModelForm):
    class Meta:
        model = ReflectionSession
        fields = ["date", "title", "notes"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"})}


class ProgressForm(forms.ModelForm):
    class Meta:
        model = SessionProgress
        fields = ["organisation", "attended", "progress", "self_assessment", "peer_review"]

    def clean_progress(self):
        value = self.cleaned_data.get("progress")
        if value is not None and not 1 <= value <= 5:
            raise forms.ValidationError(_("Choose 1 to 5."))
        return value


class CompareForm(forms.Form):
    before_from = forms.DateField(
        label=_("Baseline from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    before_to = forms.DateField(
        label=_("Baseline to"), widget=forms.DateInput(attrs={"type": "date"})
    )
    after_from = forms.DateField(
        label=_("Follow-up from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    after_to = forms.DateField(
        label=_("Follow-up to"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        for a, b in (("before_from", "before_to"), ("after_from", "after_to")):
            if data.get(a) and data.get(b) and data[a] > data[b]:
                raise forms.ValidationError(_("A period must end after it starts."))
        if (
            data.get("before_to")
            and data.get("after_from")
            and data["after_from"] <= data["before_to"]
        ):
            raise forms.ValidationError(_("The follow-up must start after the baseline ends."))
        return data


class InstrumentForm(forms.Form):
    slug = forms.SlugField(label=_("Slug"))
    name_nl = forms.CharField(label=_("Name (Dutch)"), max_length=200)
    name_fr = forms.CharField(label=_("Name (French)"), max_length=200, required=False)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    rights_holder = forms.CharField(label=_("Who holds the rights to the items"), max_length=200)
    licence_note = forms.CharField(
        label=_("Licence or permission"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    rights_confirmed = forms.BooleanField(
        label=_("We hold the rights to these items, or have written permission to use them.")
    )


class ItemForm(forms.Form):
    key = forms.SlugField(label=_("Key"), max_length=40)
    kind = forms.ChoiceField(label=_("Kind"), choices=ITEM_KINDS)
    level = forms.ChoiceField(label=_("Level of the Mangomoment model"), choices=LEVEL_CHOICES)
    text_nl = forms.CharField(label=_("Question (Dutch)"), max_length=500)
    text_fr = forms.CharField(label=_("Question (French)"), max_length=500, required=False)
    text_en = forms.CharField(label=_("Question (English)"), max_length=500, required=False)
    scale_min = forms.IntegerField(label=_("Lowest value"), initial=1, min_value=0, max_value=10)
    scale_max = forms.IntegerField(label=_("Highest value"), initial=5, min_value=1, max_value=10)
    favourable_from = forms.IntegerField(label=_("Favourable from"), initial=4)
    low_label = forms.CharField(label=_("Label of the lowest value"), required=False)
    high_label = forms.CharField(label=_("Label of the highest value"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("kind") == "scale":
            low, high, fav = (
                data.get("scale_min"),
                data.get("scale_max"),
                data.get("favourable_from"),
            )
            if None not in (low, high, fav) and not (low < high and low <= fav <= high):
                raise forms.ValidationError(
                    _("The scale needs lowest < highest, and 'favourable from' between them.")
                )
        return data
