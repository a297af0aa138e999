"""The organisation's fair-recognition page: counts of stories and notes, never names."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from . import access, fairness


@login_required
@require_safe
def fairness_page(request, slug):
    org = access.organisation_for_fairness(request.user, slug)
    return render(
        request, "recognition/fairness.html", {"organisation": org, **fairness.summary(org)}
    )
