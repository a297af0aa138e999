"""The audit trail: organisation managers see their organisation's, administrators all."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from mango.accounts.models import scope_for
from mango.audit.models import ACTIONS, AuditEvent

from .audit_words import Sentences


class AuditFilter(forms.Form):
    action = forms.ChoiceField(label=_("Action"), required=False)
    actor = forms.CharField(label=_("Who"), required=False, max_length=150)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Read when the form is made: apps register their actions when they are ready.
        self.fields["action"].choices = [("", _("All"))] + list(ACTIONS.items())


def visible_events(user):
    scope = scope_for(user)
    if scope.everything:
        return AuditEvent.objects.all()
    managed = user.memberships.filter(role="manager").values_list("organisation_id", flat=True)
    if not managed:
        raise PermissionDenied
    return AuditEvent.objects.filter(organisation_id__in=list(managed))


@login_required
def trail(request):
    """Read-only by construction: this view has no form that writes, and the model refuses
    updates and deletes."""
    events = visible_events(request.user)
    filters = AuditFilter(request.GET or None)
    if filters.is_valid():
        if filters.cleaned_data.get("action"):
            events = events.filter(action=filters.cleaned_data["action"])
        if filters.cleaned_data.get("actor"):
            events = events.filter(actor_name__iexact=filters.cleaned_data["actor"])
    page = Paginator(events.select_related("organisation"), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/trail.html",
        {
            "page": page,
            "rows": Sentences(page.object_list).rows(),
            "filters": filters,
            "query": query.urlencode(),
        },
    )
