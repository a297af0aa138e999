"""This app's entries in the staff menu: (label, url) pairs the signed-in user may open."""

from django.urls import reverse
from django.utils.translation import gettext as _


def items(request, scope) -> list[tuple[str, str]]:
    # Researchers (network-wide or of an organisation) and administrators run studies.
    if scope.everything or scope.research_everywhere or scope.research_orgs:
        return [(_("Consensus studies"), reverse("consensus:studies"))]
    return []
