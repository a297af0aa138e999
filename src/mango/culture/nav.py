"""This app's entries in the staff menu: (label, url) pairs the signed-in user may open."""

from django.urls import reverse
from django.utils.translation import gettext as _

from mango.organisations.models import Organisation, Unit


def items(request, scope) -> list[tuple[str, str]]:
    from mango.culture.access import team_units

    user = request.user
    entries = []
    units = list(Unit.objects.filter(pk__in=team_units(user)).order_by("name")[:3])
    for unit in units:
        entries.append(
            (
                _("Stories for %(unit)s") % {"unit": unit.name},
                reverse("culture:team_feed", args=[unit.pk]),
            )
        )
    if scope.everything or scope.coordinates_network:
        entries.append((_("Learning network"), reverse("culture:network")))
    if scope.everything or scope.research_everywhere or scope.research_orgs:
        entries.append((_("Team reflections (CSV)"), reverse("culture:reflections_export")))
    if scope.everything:
        return entries
    orgs = Organisation.objects.filter(pk__in=scope.member_orgs).order_by("name")
    for org in orgs[:3]:
        if org.pk in scope.sharing_orgs:
            entries.append(
                (_("Mangomoment programme"), reverse("culture:programme", args=[org.slug]))
            )
        entries.append(
            (
                _("Stories of %(org)s") % {"org": org.name},
                reverse("culture:org_feed", args=[org.slug]),
            )
        )
    return entries
