"""Search and filters for the staff story list (shared by the web list and the API)."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from mango import labels
from mango.organisations.models import Campaign, Organisation, Unit

ANY = [("", _("All"))]
STORY_NUMBER = re.compile(r"^#(\d{1,18})$")


class StoryFilter(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.all(),
        required=False,
        empty_label=_("All"),
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.all(), required=False, empty_label=_("All")
    )
    campaign = forms.ModelChoiceField(
        label=_("Campaign"), queryset=Campaign.objects.all(), required=False, empty_label=_("All")
    )
    teller_role = forms.ChoiceField(
        label=_("Told by"), choices=ANY + labels.TELLER_ROLE_CHOICES, required=False
    )
    setting = forms.ChoiceField(
        label=_("Setting"), choices=ANY + labels.SETTING_CHOICES, required=False
    )
    oncological = forms.ChoiceField(
        label=_("Oncological"), choices=ANY + labels.ONCOLOGICAL_CHOICES, required=False
    )
    language = forms.ChoiceField(
        label=_("Language"), choices=ANY + labels.LANGUAGE_CHOICES, required=False
    )

    def __init__(self, *args, stories=None, **kwargs):
        super().__init__(*args, **kwargs)
        if stories is not None:
            # Offer only organisations and units the user can see stories of.
            org_ids = stories.values("organisation_id")
            self.fields["organisation"].queryset = Organisation.objects.filter(pk__in=org_ids)
            self.fields["unit"].queryset = Unit.objects.filter(
                organisation_id__in=org_ids
            ).select_related("organisation")
            self.fields["campaign"].queryset = Campaign.objects.filter(
                pk__in=stories.values("campaign_id")
            )

    def apply(self, stories):
        if not self.is_valid():
            return stories.none()
        data = self.cleaned_data
        if data.get("q"):
            words = data["q"].split()
            for word in words[:8]:
                # "#123" is the story's number on staff pages. Never the receipt code: that is
                # the teller's key to their story, and staff never see or use it.
                if match := STORY_NUMBER.match(word):
                    stories = stories.filter(pk=int(match[1]))
                else:
                    stories = stories.filter(text__icontains=word)
        for name in ("organisation", "unit", "campaign"):
            if data.get(name):
                stories = stories.filter(**{name: data[name]})
        for name in ("teller_role", "setting", "oncological", "language"):
            if data.get(name):
                stories = stories.filter(**{name: data[name]})
        return stories
