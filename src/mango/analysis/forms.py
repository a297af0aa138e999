"""The dashboard's filters: campaign, organisation, unit, period and the groups to compare."""

from datetime import datetime, time

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mango.organisations.models import Campaign, Organisation, Unit

GROUP_CHOICES = [
    ("respondent_group", _("Respondent group")),
    ("teller_role", _("Told by")),
    ("setting", _("Setting")),
    ("oncological", _("Oncological care")),
    ("organisation", _("Organisation")),
    ("unit", _("Unit")),
    ("campaign", _("Campaign")),
    ("period", _("Quarter")),
]


class MonthField(forms.DateField):
    """A month as the browser's month input sends it: "2018-02"."""

    input_formats = ["%Y-%m"]
    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")


class DashboardFilter(forms.Form):
    campaign = forms.ModelChoiceField(
        label=_("Campaign"), queryset=Campaign.objects.none(), required=False, empty_label=_("All")
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("All"),
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.none(), required=False, empty_label=_("All")
    )
    start = MonthField(label=_("From (month)"), required=False)
    end = MonthField(label=_("Until (month)"), required=False)
    group = forms.ChoiceField(
        label=_("Compare"), choices=GROUP_CHOICES, required=False, initial="respondent_group"
    )

    SCOPED = ("campaign", "organisation", "unit")

    def __init__(self, *args, stories, **kwargs):
        super().__init__(*args, **kwargs)
        # Offer only what the user's stories touch.
        orgs = stories.order_by().values("organisation_id")
        self.fields["organisation"].queryset = Organisation.objects.filter(pk__in=orgs)
        self.fields["unit"].queryset = Unit.objects.filter(
            pk__in=stories.order_by().values("unit_id")
        ).select_related("organisation")
        self.fields["unit"].label_from_instance = lambda u: f"{u.organisation.name} – {u.name}"
        self.fields["campaign"].queryset = Campaign.objects.filter(
            pk__in=stories.order_by().values("campaign_id")
        )

    def out_of_scope(self) -> bool:
        """True when a campaign, organisation or unit was asked for that the user's stories do
        not touch: such ids are answered as if they did not exist."""
        return any(name in self.errors for name in self.SCOPED)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", _("The last month comes before the first."))
        return data

    def apply(self, stories):
        data = self.cleaned_data
        for name in self.SCOPED:
            if data.get(name):
                stories = stories.filter(**{name: data[name]})
        if data.get("start"):
            stories = stories.filter(submitted_at__gte=_moment(data["start"]))
        if data.get("end"):
            end = data["end"]
            following = end.replace(year=end.year + end.month // 12, month=end.month % 12 + 1)
            stories = stories.filter(submitted_at__lt=_moment(following))
        return stories

    @property
    def chosen_group(self) -> str:
        return (self.cleaned_data.get("group") if self.is_bound else None) or "respondent_group"


def _moment(day):
    """Midnight at the start of ``day`` in the site's time zone (an index-friendly bound)."""
    return timezone.make_aware(datetime.combine(day, time.min))
