"""The dashboard's filters: campaign, organisation, unit, period and the groups to compare."""

from dataclasses import replace

from django import forms
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

    def __init__(self, *args, selection, **kwargs):
        super().__init__(*args, **kwargs)
        # Offer only what the user's stories touch (read from the all-months tallies).
        cells = selection.cells().filter(attribute="all", code=0, n__gt=0)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            pk__in=cells.values("organisation_id")
        )
        self.fields["unit"].queryset = Unit.objects.filter(
            pk__in=cells.values("unit_id")
        ).select_related("organisation")
        self.fields["unit"].label_from_instance = lambda u: f"{u.organisation.name} – {u.name}"
        self.fields["campaign"].queryset = Campaign.objects.filter(
            pk__in=cells.values("campaign_id")
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

    def apply(self, selection):
        """The selection narrowed by the filters (months as YYYYMM numbers)."""
        data = self.cleaned_data
        narrowed = replace(selection)
        for name in self.SCOPED:
            if data.get(name):
                setattr(narrowed, name, data[name].pk)
        if data.get("start"):
            narrowed.start = data["start"].year * 100 + data["start"].month
        if data.get("end"):
            narrowed.end = data["end"].year * 100 + data["end"].month
        return narrowed

    @property
    def chosen_group(self) -> str:
        return (self.cleaned_data.get("group") if self.is_bound else None) or "respondent_group"


REPORT_LANGUAGES = [("nl", "Nederlands"), ("fr", "Français"), ("en", "English")]


class ReportRequest(forms.Form):
    """The report of what the dashboard shows: its format and language."""

    format = forms.ChoiceField(
        label=_("Format"),
        choices=[("html", "HTML"), ("pdf", "PDF"), ("xlsx", "XLSX")],
        initial="pdf",
    )
    language = forms.ChoiceField(label=_("Language"), choices=REPORT_LANGUAGES)
