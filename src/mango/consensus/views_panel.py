"""The panellist's pages, opened only with their signed link (no account, no session).

The overview shows how far they are; each item has its own page (one screen on a phone) with
a score per criterion ("unable to judge" as an answer of its own) and a comment; every save
is kept at once, so they can stop and come back with the same link. From round 2 on the item
page shows their own previous score, the panel's distribution and median (and each
stakeholder group's when the study says so) and the anonymous comments.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from . import actions, results
from .access import panellist_from_token
from .models import Comment, Rating, Submission


def _context(token):
    panellist = panellist_from_token(token)
    study = panellist.study
    round = study.rounds.filter(status="open").first()
    items = list(round.items.select_related("section").order_by("order", "id")) if round else []
    return panellist, study, round, items


def _progress(round, panellist, items, criteria):
    """Items with every criterion answered (a score or unable to judge)."""
    if round is None:
        return set()
    answered = {}
    for item_id in Rating.objects.filter(round=round, panellist=panellist).values_list(
        "item_id", flat=True
    ):
        answered[item_id] = answered.get(item_id, 0) + 1
    return {i.pk for i in items if answered.get(i.pk, 0) >= len(criteria)}


@never_cache
def home(request, token):
    panellist, study, round, items = _context(token)
    criteria = list(study.criteria.all())
    done = _progress(round, panellist, items, criteria)
    submitted = (
        round is not None and Submission.objects.filter(round=round, panellist=panellist).exists()
    )
    first_open = next((n for n, i in enumerate(items, 1) if i.pk not in done), 1)
    for n, item in enumerate(items, 1):
        item.position = n
        item.done = item.pk in done
    return render(
        request,
        "consensus/panel_home.html",
        {
            "token": token,
            "panellist": panellist,
            "study": study,
            "round": round,
            "items": items,
            "n_done": len(done),
            "n_items": len(items),
            "percent": round_percent(len(done), len(items)),
            "submitted": submitted,
            "first_open": first_open,
            "proposals": round.proposals.filter(panellist=panellist) if round else [],
        },
    )


def round_percent(part, whole):
    return int(100 * part / whole) if whole else 0


def _feedback(round, panellist, item, study):
    """What the panellist sees about the previous round on this item (None in round 1)."""
    previous = results.previous_round(round)
    if previous is None or not previous.items.filter(pk=item.pk).exists():
        return None
    cells = results.cells(study, [previous], items=[item])
    own = results.own_scores(previous, panellist)
    out = []
    for cell in cells:
        entry = {
            "criterion": cell.criterion,
            "summary": cell.summary,
            "bars": cell.bars(),
            "own": own.get((item.pk, cell.criterion.pk), "missing"),
            "groups": [],
        }
        if study.feedback_by_group:
            entry["groups"] = [
                {"label": study.group_label(g), "summary": s, "bars": cell.bars(s)}
                for g, s in cell.groups.items()
                if s.n
            ]
        out.append(entry)
    return {
        "round": previous,
        "cells": out,
        "comments": results.comments(previous).get(item.pk, []),
    }


@never_cache
def item(request, token, n):
    panellist, study, round, items = _context(token)
    if round is None or not 1 <= n <= len(items):
        raise Http404
    item = items[n - 1]
    criteria = list(study.criteria.all())
    error = ""
    if request.method == "POST":
        scores = {}
        for c in criteria:
            raw = request.POST.get(f"score-{c.pk}", "")
            if raw == "":
                continue
            if raw == "unable":
                scores[c.pk] = None
                continue
            try:
                scores[c.pk] = int(raw)
            except ValueError:
                error = _("Choose a score from the scale.")
        if not error:
            try:
                actions.save_answer(
                    panellist, round, item, scores, comment=request.POST.get("comment", "")
                )
            except actions.RoundClosed:
                error = _("This round is closed; your answers can no longer change.")
            except ValueError:
                error = _("Choose a score from the scale.")
        if not error:
            if "next" in request.POST and n < len(items):
                return redirect("consensus:panel_item", token=token, n=n + 1)
            return redirect("consensus:panel_home", token=token)
    mine = results.own_scores(round, panellist)
    for c in criteria:
        c.current = mine.get((item.pk, c.pk), "")
        if c.current is None:
            c.current = "unable"
    comment = Comment.objects.filter(round=round, item=item, panellist=panellist).first()
    done = _progress(round, panellist, items, criteria)
    return render(
        request,
        "consensus/panel_item.html",
        {
            "token": token,
            "study": study,
            "round": round,
            "item": item,
            "n": n,
            "n_items": len(items),
            "n_done": len(done),
            "percent": round_percent(len(done), len(items)),
            "criteria": criteria,
            "comment": comment.text if comment else "",
            "feedback": _feedback(round, panellist, item, study),
            "error": error,
        },
        status=400 if error else 200,
    )


@require_POST
def submit(request, token):
    panellist, study, round, items = _context(token)
    if round is None:
        raise Http404
    try:
        actions.submit(panellist, round)
    except actions.RoundClosed:
        pass
    return redirect("consensus:panel_home", token=token)


@require_POST
def propose(request, token):
    panellist, study, round, items = _context(token)
    if round is None:
        raise Http404
    try:
        actions.propose(panellist, round, request.POST.get("text", ""))
    except (ValueError, actions.RoundClosed):
        pass
    return redirect("consensus:panel_home", token=token)
