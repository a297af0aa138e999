"""This app's entries in the staff menu: (label, url) pairs the signed-in user may open."""

from django.urls import reverse
from django.utils.translation import gettext as _

from .access import access_for


def items(request, scope) -> list[tuple[str, str]]:
    access = access_for(request.user)
    if not access.any:
        return []
    entries = [(_("Pulse and charts"), reverse("pulse:index"))]
    if access.everything or access.member_orgs:
        entries.append((_("Network dashboard"), reverse("pulse:network")))
    return entries
