"""Settling a round's codes: closing it, its agreement figures, and adjudication of the stories
the coders disagree on."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db.models import Count, Max
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from mango.research import actions, finals, review
from mango.research.access import get_round_to_manage
from mango.research.models import Assignment, Coding
from mango.stories.access import get_story_for_user

from . import actions as lifecycle

STATISTICS = [
    ("percent_agreement", gettext_lazy("Percent agreement")),
    ("cohen_kappa", gettext_lazy("Cohen's kappa")),
    ("fleiss_kappa", gettext_lazy("Fleiss' kappa")),
    ("krippendorff_alpha", gettext_lazy("Krippendorff's alpha")),
]


def cached_agreement(round) -> dict:
    """The figures, recomputed only when a coding or an assignment changed (the bootstrap
    takes a moment on large rounds)."""
    codings = Coding.objects.filter(round=round).aggregate(n=Count("id"), last=Max("updated_at"))
    finished = Assignment.objects.filter(round=round, done_at__isnull=False).aggregate(
        n=Count("id"), last=Max("done_at")
    )
    stamp = f"{codings['n']}-{codings['last']}-{finished['n']}-{finished['last']}"
    key = f"research:agreement:{round.pk}:{round.codebook.version}:{hash(stamp)}"
    result = cache.get(key)
    if result is None:
        result = finals.round_agreement(round)
        cache.set(key, result, 3600)
    return result


def _rows(result, labels):
    rows = []
    if result["overall"]:
        rows.append({"name": _("Overall"), "key": "", "stats": result["overall"]})
    for key, stats in result["per_code"].items():
        rows.append({"name": labels.get(key, key), "key": key, "stats": stats})
    for row in rows:
        row["cells"] = [dict(row["stats"][k], label=label) for k, label in STATISTICS]
        row["n"] = row["stats"]["percent_agreement"]["n"]
    return rows


@login_required
def agreement(request, pk):
    round = get_round_to_manage(request.user, pk)
    result = cached_agreement(round)
    labels = {c.key: c.local_label for c in round.codebook.codes.all()}
    return render(
        request,
        "research/agreement.html",
        {
            "round": round,
            "result": result,
            "rows": _rows(result, labels),
            "statistics": STATISTICS,
            "method": sorted(result["method"].items()),
        },
    )


@login_required
def adjudication(request, pk):
    round = get_round_to_manage(request.user, pk)
    stories = actions.disagreements(round) if not round.is_open else []
    rows = review.side_by_side(round, stories)
    return render(
        request,
        "research/adjudication.html",
        {
            "round": round,
            "rows": rows,
            "left": sum(not r["decided"] for r in rows),
        },
    )


@login_required
def adjudicate(request, pk, story_id):
    round = get_round_to_manage(request.user, pk)
    if round.is_open:
        messages.info(request, _("Close the round first: coders code blind until then."))
        return redirect("research:round", pk=round.pk)
    if not Assignment.objects.filter(round=round, story_id=story_id).exists():
        raise Http404
    story = get_story_for_user(request.user, story_id)
    row = review.side_by_side(round, [story.pk])[0]
    codes = list(round.codebook.codes.filter(active=True).order_by("order", "key"))
    error = ""
    chosen = {c.key for c in row["final"]}
    comment = ""
    decision = row["decision"]
    if decision:
        comment = decision.comment
    elif row["coders"]:
        # Not settled yet: start from the codes every coder gave.
        common = set.intersection(*({c.key for c in coder["codes"]} for coder in row["coders"]))
        chosen = common
    if request.method == "POST":
        chosen = set(request.POST.getlist("code"))
        comment = request.POST.get("comment", "").strip()
        if not comment:
            error = _("Give a comment: why these codes.")
        elif not round.codebook.multiple and len(chosen) != 1:
            error = _("Choose exactly one code.")
        else:
            try:
                lifecycle.adjudicate(request.user, round, story, sorted(chosen), comment)
            except ValueError:
                error = _("Choose codes of this codebook.")
            else:
                messages.success(request, _("Final codes saved."))
                remaining = [
                    r["story_id"]
                    for r in review.side_by_side(round, actions.disagreements(round))
                    if not r["decided"]
                ]
                if remaining:
                    return redirect("research:adjudicate", pk=round.pk, story_id=remaining[0])
                return redirect("research:adjudication", pk=round.pk)
    for code in codes:
        code.chosen = code.key in chosen
    return render(
        request,
        "research/adjudicate.html",
        {
            "round": round,
            "story": story,
            "row": row,
            "codes": codes,
            "comment": comment,
            "error": error,
            "decision": decision,
        },
    )


@require_POST
@login_required
def round_close(request, pk):
    round = get_round_to_manage(request.user, pk)
    if not round.is_open:
        messages.info(request, _("The round is already closed."))
        return redirect("research:round", pk=round.pk)
    summary = lifecycle.close_round(request.user, round)
    messages.success(
        request,
        _("Round closed: %(agreed)s stories agreed and settled, %(to_adjudicate)s to adjudicate.")
        % summary,
    )
    return redirect("research:round", pk=round.pk)
