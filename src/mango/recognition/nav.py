"""This app's entries in the staff menu: (label, url) pairs the signed-in user may open."""

from django.urls import reverse
from django.utils.translation import gettext as _

from mango.organisations.models import Organisation


def items(request, scope) -> list[tuple[str, str]]:
    entries = []
    if scope.everything or scope.sharing_orgs:
        entries.append((_("Thank-you cards"), reverse("recognition:cards_month")))
    # Administrators and the network coordinator reach an organisation's page from its
    # programme page; the menu names the organisations the user manages.
    orgs = Organisation.objects.filter(pk__in=scope.sharing_orgs).order_by("name")[:3]
    for org in orgs:
        entries.append(
            (
                _("Fair recognition: %(org)s") % {"org": org.name},
                reverse("recognition:fairness", args=[org.slug]),
            )
        )
    if scope.member_orgs:
        entries.append((_("My digest"), reverse("recognition:digest_settings")))
    return entries
