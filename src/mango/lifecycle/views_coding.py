"""The coder screen: one story at a time, blind, keyboard driven, each toggle saved at once.
(Here, above both research and classify, because it shows the classifier's suggestions.)

Blind: while the round is open a coder sees their own codes only; other coders' codes show
once the round is closed. The story shows de-identified; the original text is a separate,
audited page for those whose role may read it.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mango.accounts.models import scope_for
from mango.classify import suggestions
from mango.research import actions
from mango.research.access import get_round_to_code
from mango.research.models import Assignment, Code, Coding
from mango.research.views_codebooks import code_tree
from mango.stories import privacy


def coder_queue(round, user):
    """The coder's assignments in the order the screen walks them: ``Assignment.priority``
    (highest first, empty last; the classifier's "uncertain first" sets it), then the shuffled
    position."""
    mine = Assignment.objects.filter(round=round, coder=user)
    if mine.filter(priority__isnull=False).exists():
        return mine.order_by(F("priority").desc(nulls_last=True), "position", "id")
    # Without priorities the index gives the order directly (no sort of the whole queue).
    return mine.order_by("position", "id")


def suggested_codes(round, story) -> dict[str, float]:
    """The classifier's suggestions (code key -> probability), only in rounds that show them:
    coders code blind otherwise."""
    if not round.show_suggestions:
        return {}
    return suggestions.as_probabilities(round, story)


def _assignment(round, user, n):
    queue = coder_queue(round, user)
    if n < 1:
        raise Http404
    # Find the n-th id on the narrow rows first: sorting whole story rows (their text) for
    # the offset costs tens of milliseconds once a coder has thousands of stories.
    found = list(queue.values_list("id", flat=True)[n - 1 : n])
    if not found:
        raise Http404
    return Assignment.objects.select_related("story", "story__organisation").get(pk=found[0])


def _readable(user, story) -> bool:
    """The teller's consent still covers this coder (it may have been withdrawn since)."""
    return not story.is_erased and scope_for(user).can_read(
        story.organisation_id, story.consent_research, story.consent_sharing
    )


def _panel_context(round, user, assignment, n):
    queue = coder_queue(round, user)
    total = queue.count()
    done = queue.filter(done_at__isnull=False).count()
    codes = code_tree(round.codebook, active_only=True)
    mine = set(
        Coding.objects.filter(
            round=round, story_id=assignment.story_id, coder=user, value=True
        ).values_list("code_id", flat=True)
    )
    # Suggestions show only in rounds that allow them (coders code blind otherwise).
    suggested = (
        suggestions.as_probabilities(round, assignment.story) if round.show_suggestions else {}
    )
    for number, code in enumerate(codes, start=1):
        code.on = code.pk in mine
        code.shortcut = code.hotkey or (str(number) if number <= 9 else "")
        code.suggestion = suggested.get(code.key)
    return {
        "round": round,
        "assignment": assignment,
        "n": n,
        "total": total,
        "done": done,
        "percent": int(100 * done / total) if total else 0,
        "codes": codes,
        "chosen": [c for c in codes if c.on],
    }


@login_required
def start(request, pk):
    """To the coder's first unfinished story (or the first one)."""
    round = get_round_to_code(request.user, pk)
    queue = list(coder_queue(round, request.user).values_list("done_at", flat=True))
    if not queue:
        raise Http404
    first_open = next((i for i, done in enumerate(queue, start=1) if done is None), 1)
    return redirect("research:code", pk=round.pk, n=first_open)


@login_required
def code_story(request, pk, n):
    round = get_round_to_code(request.user, pk)
    assignment = _assignment(round, request.user, n)
    context = _panel_context(round, request.user, assignment, n)
    story = assignment.story
    others = []
    if not round.is_open:
        # Unblinded only now: the others' codes, for learning from differences.
        rows = (
            Coding.objects.filter(round=round, story=story, value=True)
            .exclude(coder=request.user)
            .select_related("coder", "code")
            .order_by("coder__username", "code__order")
        )
        by_coder = {}
        for row in rows:
            by_coder.setdefault(row.coder.get_username(), []).append(row.code.local_label)
        others = sorted(by_coder.items())
    context.update(
        {
            "story": story,
            "readable": _readable(request.user, story),
            "others": others,
            "previous": n - 1 if n > 1 else None,
            "next": n + 1 if n < context["total"] else None,
        }
    )
    return render(request, "research/code.html", context)


@require_POST
@login_required
def toggle(request, pk, n):
    round = get_round_to_code(request.user, pk)
    assignment = _assignment(round, request.user, n)
    if not _readable(request.user, assignment.story):
        raise PermissionDenied
    code = get_object_or_404(Code, codebook=round.codebook, key=request.POST.get("code", ""))
    try:
        actions.toggle_code(assignment, code)
    except actions.RoundClosed:
        return HttpResponse(_("The round is closed: codes can no longer change."), status=409)
    except ValueError:
        raise Http404 from None
    if request.headers.get("HX-Request"):
        assignment.refresh_from_db()
        context = _panel_context(round, request.user, assignment, n)
        return render(request, "research/_code_panel.html", context)
    return redirect("research:code", pk=round.pk, n=n)


@require_POST
@login_required
def done(request, pk, n):
    round = get_round_to_code(request.user, pk)
    assignment = _assignment(round, request.user, n)
    if not _readable(request.user, assignment.story):
        raise PermissionDenied
    try:
        actions.mark_done(assignment, request.POST.get("done", "1") == "1")
    except actions.RoundClosed:
        return HttpResponse(_("The round is closed: codes can no longer change."), status=409)
    total = coder_queue(round, request.user).count()
    return redirect("research:code", pk=round.pk, n=min(n + 1, total))


@login_required
def original(request, pk, n):
    """The original text, for coders whose role may read it; the look is audited."""
    round = get_round_to_code(request.user, pk)
    assignment = _assignment(round, request.user, n)
    story = assignment.story
    if not _readable(request.user, story):
        raise PermissionDenied
    privacy.view_original(request.user, story)
    return render(request, "research/code_original.html", {"round": round, "story": story, "n": n})
