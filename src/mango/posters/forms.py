"""The campaign form of the staff campaigns page."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from mango.organisations.models import Campaign

from . import campaigns

NO_ORGANISATION = _("Choose at least one organisation, or make the campaign network-wide.")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class CampaignForm(forms.ModelForm):
    """Name, link, description, dates and organisations; network-wide only for those who work
    network-wide. The organisations offered are the ones the user may run campaigns for."""

    class Meta:
        model = Campaign
        fields = ["name", "slug", "description", "opens_on", "closes_on", "network_wide"]
        widgets = {
            "opens_on": DateInput(),
            "closes_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {
            "name": _("Name"),
            "slug": _("Short link"),
            "description": _("Description"),
            "opens_on": _("Opens on"),
            "closes_on": _("Closes on"),
            "network_wide": _("Network-wide"),
        }
        help_texts = {
            "slug": _(
                "The end of the campaign's public link: lower-case letters, digits and hyphens. "
                "Leave empty to make one from the name."
            ),
            "closes_on": _("Leave empty to keep the campaign open until you close it."),
            "network_wide": _("Accept stories about any organisation of the network."),
        }

    organisations = forms.ModelMultipleChoiceField(
        label=_("Organisations"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The organisations whose stories this campaign collects."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        choices = campaigns.campaign_organisations(user).order_by("name")
        self.fields["organisations"].queryset = choices
        if self.instance.pk:
            self.fields["organisations"].initial = list(self.instance.organisations.all())
        elif choices.count() == 1:
            self.fields["organisations"].initial = [choices.first()]
        if not campaigns.works_network_wide(user):
            del self.fields["network_wide"]
            self.fields["organisations"].required = True
            self.fields["organisations"].error_messages["required"] = NO_ORGANISATION

    def clean(self):
        data = super().clean()
        try:
            campaigns.check_dates(data.get("opens_on"), data.get("closes_on"))
        except ValidationError as error:
            self.add_error("closes_on", error)
        missing = not data.get("network_wide") and not data.get("organisations")
        if missing and "organisations" not in self.errors:
            self.add_error("organisations", NO_ORGANISATION)
        return data

    def values(self) -> dict:
        data = self.cleaned_data
        fields = {key: data[key] for key in ("name", "slug", "description", "opens_on")}
        fields["closes_on"] = data.get("closes_on")
        fields["network_wide"] = bool(data.get("network_wide", self.instance.network_wide))
        return fields
