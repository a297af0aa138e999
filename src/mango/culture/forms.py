from django import forms
from django.utils.translation import gettext_lazy as _

from mango.organisations.models import Unit, Wave

TEXT_MAX = 2000


class WaveForm(forms.Form):
    wave = forms.ModelChoiceField(
        label=_("Wave"), queryset=Wave.objects.all(), required=False, empty_label=_("No wave")
    )
    joined_on = forms.DateField(
        label=_("Joined the learning network on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class WallLinkForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Stories of"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("The whole organisation"),
    )
    name = forms.CharField(
        label=_("Where the screen is"),
        max_length=100,
        required=False,
        help_text=_("For example: the hall, or the nurses' station."),
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(organisation=organisation)


class ReflectionForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Team"), queryset=Unit.objects.none(), empty_label=None)
    what_happened = forms.CharField(
        label=_("What happened?"),
        help_text=_("In the team's words: what made this a Mangomoment?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=TEXT_MAX,
    )
    made_possible = forms.CharField(
        label=_("What made it possible?"),
        help_text=_("What in the patient, in us, in our team and our leadership helped?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=TEXT_MAX,
    )
    codes = forms.MultipleChoiceField(
        label=_("Which preconditions and catalysts were at work?"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    action_idea = forms.CharField(
        label=_("What will we do to make such moments more frequent?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=TEXT_MAX,
        required=False,
    )

    def __init__(self, *args, units, levels, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(pk__in=[u.pk for u in units])
        self.fields["unit"].label_from_instance = lambda unit: unit.name
        self.levels = levels
        self.fields["codes"].choices = [
            (str(code.pk), code.local_label) for level in levels for code in level.codes
        ]

    def grouped_codes(self):
        """(level, [(value, label, checked)]) for the template, level by level."""
        chosen = set(self["codes"].value() or [])
        return [
            (level.code, [(str(c.pk), c, str(c.pk) in chosen) for c in level.codes])
            for level in self.levels
        ]


class StoryTeamsForm(forms.Form):
    units = forms.ModelMultipleChoiceField(
        label=_("Teams"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Once shared, the story appears in the feed of each team ticked here."),
    )

    def __init__(self, *args, story, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = Unit.objects.filter(organisation_id=story.organisation_id)
        self.fields["units"].label_from_instance = lambda unit: unit.name
