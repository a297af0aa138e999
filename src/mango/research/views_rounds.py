"""Coding rounds: list, create, a round's page with progress, closing it."""

import random

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from mango.stories.access import visible_stories

from . import actions, selection
from .access import (
    can_manage,
    coded_rounds,
    get_round_to_manage,
    is_researcher,
    managed_rounds,
    require_researcher,
)
from .forms import RoundForm
from .models import Assignment, RoundCoder


@login_required
def round_list(request):
    mine = list(coded_rounds(request.user).order_by("-created_at"))
    if not mine:
        require_researcher(request.user)
    managed = list(managed_rounds(request.user)) if is_researcher(request.user) else []
    return render(
        request,
        "research/round_list.html",
        {"managed": managed, "mine": mine, "can_create": is_researcher(request.user)},
    )


def round_stories(user, data):
    """The stories a round takes: what the creator may read, with the teller's consent to
    research (its coders read them), filtered and sampled as asked."""
    stories = visible_stories(user).filter(consent_research=True)
    if data.get("organisation") is not None:
        stories = stories.filter(organisation=data["organisation"])
    stories = selection.filter_stories(
        stories,
        campaign=data.get("campaign"),
        group=data.get("respondent_group") or "",
        oncological=data.get("oncological") or "",
    )
    return stories


@login_required
def round_create(request):
    require_researcher(request.user)
    form = RoundForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        seed = random.SystemRandom().randrange(2**31)
        ids = selection.sample(round_stories(request.user, data), data["sample_size"], seed)
        if not ids:
            form.add_error(None, _("No story matches: widen the filter."))
        else:
            chosen = {
                "organisation": data["organisation"].slug if data["organisation"] else None,
                "campaign": data["campaign"].slug if data["campaign"] else None,
                "respondent_group": data["respondent_group"] or None,
                "oncological": data["oncological"] or None,
                "sample_size": data["sample_size"],
                "stratified_by": "respondent_group" if data["sample_size"] else None,
                "seed": seed,
                "stories": len(ids),
            }
            round = actions.create_round(
                request.user,
                name=data["name"],
                codebook=data["codebook"],
                stories=ids,
                coders=list(data["coders"]),
                coders_per_story=data["coders_per_story"],
                organisation=data["organisation"],
                show_suggestions=data["show_suggestions"],
                selection=chosen,
                seed=seed,
            )
            messages.success(request, _("Round created with %(n)s stories.") % {"n": len(ids)})
            return redirect("research:round", pk=round.pk)
    return render(request, "research/round_create.html", {"form": form})


def progress(round):
    """Per coder: assigned and finished stories."""
    rows = (
        Assignment.objects.filter(round=round)
        .values("coder__username")
        .annotate(total=Count("id"), done=Count("id", filter=Q(done_at__isnull=False)))
        .order_by("coder__username")
    )
    out = []
    for row in rows:
        row["percent"] = round_percent(row["done"], row["total"])
        out.append(row)
    return out


def round_percent(done, total):
    return int(100 * done / total) if total else 0


@login_required
def round_detail(request, pk):
    round = get_round_to_manage(request.user, pk)
    coders = progress(round)
    total = sum(r["total"] for r in coders)
    done = sum(r["done"] for r in coders)
    stories = Assignment.objects.filter(round=round).values("story_id").distinct().count()
    return render(
        request,
        "research/round_detail.html",
        {
            "round": round,
            "coders": coders,
            "stories": stories,
            "done": done,
            "total": total,
            "percent": round_percent(done, total),
            "is_coder": RoundCoder.objects.filter(round=round, user=request.user).exists(),
            "to_adjudicate": len(actions.disagreements(round)) if not round.is_open else None,
            "can_manage": can_manage(request.user, round),
        },
    )
