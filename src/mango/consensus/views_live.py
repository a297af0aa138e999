"""Live sessions: the facilitator's screen for a projector and the participants' phones.

The facilitator (signed in, managing the study) puts an item on the screen; participants join
with the room code (or the QR code on the screen), say their stakeholder group once, and vote
from their phone. The screen's figures refresh by htmx polling (``screen``: one small
fragment). A participant is remembered by a signed cookie naming their random token; nobody's
name is asked.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from mango.lib import qr

from . import actions, live
from .access import get_study_to_manage
from .forms import DecisionForm
from .models import Item, LiveParticipant, LiveSession

COOKIE = "mango_room"
COOKIE_SALT = "mango.consensus.room"
COOKIE_AGE = 12 * 3600


def _session(request, pk, sid) -> LiveSession:
    study = get_study_to_manage(request.user, pk)
    return get_object_or_404(
        LiveSession.objects.select_related("study", "current_item"), study=study, pk=sid
    )


@login_required
@require_POST
def session_create(request, pk):
    study = get_study_to_manage(request.user, pk)
    name = (request.POST.get("name") or "").strip()[:200] or _("Live session")
    session = actions.create_live_session(request.user, study, name=name)
    return redirect("consensus:live", pk=study.pk, sid=session.pk)


@login_required
def facilitator(request, pk, sid):
    session = _session(request, pk, sid)
    room_url = request.build_absolute_uri(reverse("consensus:room", args=[session.code]))
    decision = (
        session.decisions.filter(item=session.current_item).first()
        if session.current_item
        else None
    )
    return render(
        request,
        "consensus/live_facilitator.html",
        {
            "session": session,
            "study": session.study,
            "items": session.study.items.filter(dropped_after=None).order_by("order", "id"),
            "room_url": room_url,
            "qr": qr.svg_data_uri(room_url),
            "screen": live.screen(session),
            "decision_form": DecisionForm(
                initial={"decision": decision.decision, "rationale": decision.rationale}
                if decision
                else None
            ),
            "decisions": session.decisions.select_related("item"),
            "matrix": live.matrix(session),
        },
    )


@login_required
@never_cache
def screen(request, pk, sid):
    """The fragment the projector polls: the current item's live distribution, or the top-5
    ranking, and the importance-feasibility picture."""
    session = _session(request, pk, sid)
    return render(request, "consensus/_live_screen.html", {"screen": live.screen(session)})


@login_required
@require_POST
def control(request, pk, sid):
    session = _session(request, pk, sid)
    what = request.POST.get("action")
    try:
        if what == "show":
            item = get_object_or_404(Item, study=session.study, pk=request.POST.get("item"))
            actions.live_show(request.user, session, item=item)
        elif what == "revote":
            actions.live_revote(request.user, session)
        elif what in ("ranking", "waiting", "closed"):
            actions.live_show(request.user, session, item=None, mode=what)
    except ValueError as error:
        messages.error(request, str(error))
    return redirect("consensus:live", pk=pk, sid=sid)


@login_required
@require_POST
def decide(request, pk, sid):
    session = _session(request, pk, sid)
    form = DecisionForm(request.POST)
    item = get_object_or_404(Item, study=session.study, pk=request.POST.get("item"))
    if form.is_valid():
        actions.decide(
            request.user,
            session,
            item,
            decision=form.cleaned_data["decision"],
            rationale=form.cleaned_data["rationale"],
        )
        messages.success(request, _("Decision recorded."))
    return redirect("consensus:live", pk=pk, sid=sid)


# --- participants -------------------------------------------------------------------------


def join(request):
    code = (request.GET.get("code") or "").strip().upper()
    if code:
        if LiveSession.objects.filter(code=code).exclude(mode="closed").exists():
            return redirect("consensus:room", code=code)
        messages.error(request, _("No open session has that room code."))
    return render(request, "consensus/room_join.html", {"code": code})


def _participant(request, session):
    try:
        token = request.get_signed_cookie(COOKIE, salt=COOKIE_SALT + session.code)
    except (KeyError, signing.BadSignature):
        return None
    return LiveParticipant.objects.filter(session=session, token=token).first()


def _room(code) -> LiveSession:
    session = (
        LiveSession.objects.select_related("study", "current_item")
        .filter(code=code.upper())
        .first()
    )
    if session is None or session.mode == "closed":
        raise Http404
    return session


@never_cache
def room(request, code):
    session = _room(code)
    participant = _participant(request, session)
    if request.GET.get("state"):
        # A phone asks whether the screen moved on (room.js reloads when it did).
        return HttpResponse(live.state(session), content_type="text/plain")
    if participant is None:
        if request.method == "POST":
            try:
                participant = actions.live_join(session, request.POST.get("group", ""))
            except ValueError as error:
                messages.error(request, str(error))
            else:
                response = redirect("consensus:room", code=session.code)
                response.set_signed_cookie(
                    COOKIE,
                    participant.token,
                    salt=COOKIE_SALT + session.code,
                    max_age=COOKIE_AGE,
                    httponly=True,
                    samesite="Lax",
                    secure=request.is_secure(),
                )
                return response
        return render(
            request,
            "consensus/room_group.html",
            {"session": session, "groups": session.study.group_choices()},
        )
    return render(request, "consensus/room.html", live.participant_view(session, participant))


@require_POST
def room_vote(request, code):
    session = _room(code)
    participant = _participant(request, session)
    if participant is None:
        return redirect("consensus:room", code=session.code)
    for criterion in session.study.criteria.all():
        raw = request.POST.get(f"score-{criterion.pk}", "")
        if raw == "":
            continue
        try:
            score = None if raw == "unable" else int(raw)
            actions.live_vote(participant, criterion, score)
        except (ValueError, actions.RoundClosed):
            messages.error(request, _("This vote is closed; wait for the next item."))
            break
    else:
        messages.success(request, _("Your vote is in. You may change it until the next item."))
    return redirect("consensus:room", code=session.code)


@require_POST
def room_rank(request, code):
    session = _room(code)
    participant = _participant(request, session)
    if participant is None:
        return redirect("consensus:room", code=session.code)
    chosen = []
    for n in range(1, 6):
        pk = request.POST.get(f"rank-{n}")
        if pk:
            item = Item.objects.filter(study=session.study, pk=pk).first()
            if item is not None:
                chosen.append(item)
    try:
        actions.live_rank(participant, chosen)
    except (ValueError, actions.RoundClosed) as error:
        messages.error(
            request,
            _("Choose up to five different statements.")
            if isinstance(error, ValueError)
            else _("The ranking is closed."),
        )
    else:
        messages.success(request, _("Your top 5 is in."))
    return redirect("consensus:room", code=session.code)
