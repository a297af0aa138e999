from django import forms
from django.utils.translation import gettext_lazy as _

from mango import labels
from mango.lib import intake, vocab
from mango.organisations.models import Organisation, Unit

from .problems import message


class StoryForm(forms.Form):
    """The teller's form. Validation is ``mango.lib.intake``, shared with the API and imports."""

    text = forms.CharField(
        label=_("Your Mangomoment"),
        help_text=_(
            "What happened, who did what, and what did it mean to you? "
            "Please leave out names of patients."
        ),
        widget=forms.Textarea(attrs={"rows": 8, "data-max": vocab.STORY_MAX_CHARS}),
        max_length=None,
        strip=False,
    )
    teller_role = forms.ChoiceField(
        label=_("Who are you?"), choices=labels.TELLER_ROLE_CHOICES, widget=forms.RadioSelect
    )
    setting = forms.ChoiceField(
        label=_("Where did it happen?"), choices=labels.SETTING_CHOICES, widget=forms.RadioSelect
    )
    oncological = forms.ChoiceField(
        label=_("Was it during cancer care?"),
        choices=labels.ONCOLOGICAL_CHOICES,
        widget=forms.RadioSelect,
        initial="unknown",
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.all(),
        required=False,
        empty_label=_("I don't know / not listed"),
    )
    unit = forms.ModelChoiceField(
        label=_("Ward, team or unit"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("I don't know / not listed"),
    )
    happened = forms.ChoiceField(
        label=_("Roughly when did it happen?"), choices=labels.WHEN_CHOICES, initial="unknown"
    )
    gesture_by = forms.ChoiceField(
        label=_("Who made the gesture?"),
        help_text=_("Their role is enough; you don't need to give a name."),
        choices=labels.GESTURE_BY_CHOICES,
        initial="unknown",
    )
    consent_research = forms.BooleanField(
        label=_(
            "The research team may use my story for research, without my name "
            "or any detail that identifies me."
        ),
        required=False,
    )
    consent_sharing = forms.BooleanField(
        label=_(
            "The organisation may share my story with its staff, after removing names "
            "and details that identify anyone."
        ),
        required=False,
    )
    contact_name = forms.CharField(label=_("Your name"), required=False, max_length=120)
    contact_email = forms.CharField(
        label=_("E-mail"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    contact_phone = forms.CharField(
        label=_("Phone"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    # Honeypot: hidden from people by CSS and aria-hidden; bots fill every field they see.
    website = forms.CharField(required=False, label="Website")

    def __init__(self, *args, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        org = organisation
        if org is None and intake.parse_id(self.data.get("organisation")):
            org = Organisation.objects.filter(pk=intake.parse_id(self.data["organisation"])).first()
        if org is not None:
            self.fields["unit"].queryset = Unit.objects.filter(organisation=org)
        self.fields["text"].widget.attrs["aria-describedby"] = "id_text_helptext id_text_count"

    def full_clean(self):
        super().full_clean()
        # Screen readers announce the story's error with the field, once there is one.
        if "text" in self._errors:
            self.fields["text"].widget.attrs["aria-describedby"] += " id_text_error"

    def is_spam(self) -> bool:
        return bool(self.data.get("website"))

    def clean(self):
        data = super().clean()
        checked = intake.clean_story(
            {**data, "language": self.language, "text": self.data.get("text", "")}
        )
        for field, code in checked.errors.items():
            target = None if field == "consent" else field
            if target and target in self.errors:
                continue  # Django already said what is wrong with this field
            self.add_error(target, message(field, code, self.data.get("text", "")))
        self.story_values = checked.values
        return data

    language = "nl"
