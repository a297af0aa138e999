from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from mango import labels as mango_labels
from mango.organisations.models import Unit

from . import labels
from .notes import REPLY_MAX_CHARS


class ColleagueChoice(forms.ModelChoiceField):
    def label_from_instance(self, user):
        name = user.get_full_name()
        return f"{name} ({user.get_username()})" if name else user.get_username()


class ThankForm(forms.Form):
    recipient = ColleagueChoice(
        label=_("Colleague with an account"),
        queryset=get_user_model().objects.none(),
        required=False,
    )
    email = forms.EmailField(
        label=_("Or: e-mail address of a colleague without an account"), required=False
    )
    first_name = forms.CharField(label=_("Their first name"), max_length=120, required=False)
    profession = forms.ChoiceField(label=_("Profession"), choices=labels.PROFESSION_CHOICES)
    unit = forms.ModelChoiceField(label=_("Team"), queryset=Unit.objects.none(), required=False)
    language = forms.ChoiceField(
        label=_("Language of the note"), choices=mango_labels.LANGUAGE_CHOICES
    )
    line_manager_email = forms.EmailField(
        label=_("Line manager's e-mail address"),
        required=False,
        help_text=_("Your organisation sends the line manager a copy of the note."),
    )

    def __init__(self, *args, story, **kwargs):
        super().__init__(*args, **kwargs)
        org = story.organisation
        self.fields["recipient"].queryset = (
            get_user_model()
            .objects.filter(is_active=True, memberships__organisation=org)
            .exclude(email="")
            .distinct()
            .order_by("first_name", "last_name", "username")
        )
        self.fields["unit"].queryset = Unit.objects.filter(organisation=org)
        self.fields["unit"].initial = story.unit_id
        self.fields["language"].initial = org.language
        if not org.copy_line_manager:
            del self.fields["line_manager_email"]

    def clean(self):
        data = super().clean()
        recipient, email = data.get("recipient"), data.get("email")
        if recipient and email:
            raise forms.ValidationError(
                _("Choose a colleague with an account or give an e-mail address, not both.")
            )
        if not recipient and not email and "email" not in self.errors:
            raise forms.ValidationError(
                _("Choose a colleague with an account, or give an e-mail address.")
            )
        if email and not (data.get("first_name") or "").strip():
            self.add_error(
                "first_name", _("Give the first name of a colleague without an account.")
            )
        return data


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Your reply"),
        max_length=REPLY_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "A few words for the person who told the story. They read it with their receipt "
            "code; do not write names or details that could identify someone."
        ),
    )


class DigestForm(forms.Form):
    frequency = forms.ChoiceField(
        label=_("How often do you want the digest?"),
        choices=labels.FREQUENCY_CHOICES,
        widget=forms.RadioSelect,
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=[("", _("My organisation's language"))] + list(mango_labels.LANGUAGE_CHOICES),
        required=False,
    )


class MonthCardsForm(forms.Form):
    month = forms.CharField(
        label=_("Month"),
        max_length=7,
        help_text=_("Stories shared in this month, written YYYY-MM (for example 2026-11)."),
    )
    unit = forms.ModelChoiceField(
        label=_("Team"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("The whole organisation"),
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Unit.objects.none(), to_field_name="slug"
    )
    language = forms.ChoiceField(label=_("Language"), choices=mango_labels.LANGUAGE_CHOICES)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["unit"].queryset = Unit.objects.filter(organisation__in=organisations)

    def clean_month(self):
        from mango.lib.recognition import month_bounds

        try:
            return month_bounds(self.cleaned_data["month"].strip())
        except ValueError:
            raise forms.ValidationError(
                _("Write the month as YYYY-MM, for example 2026-11.")
            ) from None

    def clean(self):
        data = super().clean()
        unit, org = data.get("unit"), data.get("organisation")
        if unit and org and unit.organisation_id != org.pk:
            self.add_error("unit", _("This team belongs to another organisation."))
        return data
