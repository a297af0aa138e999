"""What a live session's screen and phones show, read in a few small queries (the projector
polls ``screen`` every second or two; with 100 voters it must stay fast: see
benchmarks/consensus.py). Figures come from ``mango.lib.consensus``."""

from __future__ import annotations

from collections import defaultdict

from mango.lib import consensus as lib

from . import rules
from .models import Item, LiveParticipant, LiveRanking, LiveSession, LiveVote
from .results import Cell


def state(session: LiveSession) -> str:
    """A short text that changes whenever the phones should reload."""
    return f"{session.mode}:{session.current_item_id or 0}:{session.ballot}"


def screen(session: LiveSession) -> dict:
    study = session.study
    criteria = list(study.criteria.all())
    out = {
        "session": session,
        "mode": session.mode,
        "item": session.current_item,
        "ballot": session.ballot,
        "participants": LiveParticipant.objects.filter(session=session).count(),
        "criteria": [],
        "ranking": [],
        "state": state(session),
    }
    if session.mode == "rating" and session.current_item_id:
        scores = defaultdict(list)
        voters = set()
        for criterion_id, participant_id, score in LiveVote.objects.filter(
            session=session, item_id=session.current_item_id, ballot=session.ballot
        ).values_list("criterion_id", "participant_id", "score"):
            scores[criterion_id].append(score)
            voters.add(participant_id)
        out["voted"] = len(voters)
        for criterion in criteria:
            summary = lib.summarise_scores(scores.get(criterion.pk, []), rules.scale_of(criterion))
            cell = Cell(session.current_item, criterion, 0, None)
            out["criteria"].append(
                {"criterion": criterion, "summary": summary, "bars": cell.bars(summary)}
            )
    if session.mode == "ranking":
        out["ranking"] = ranking(session)
        out["voted"] = (
            LiveRanking.objects.filter(session=session).values("participant").distinct().count()
        )
    return out


def ranking(session: LiveSession) -> list[dict]:
    """The top-5 ballots' Borda counts, ranked (ties share a rank)."""
    ballots = defaultdict(dict)
    for participant_id, rank, item_id in LiveRanking.objects.filter(session=session).values_list(
        "participant_id", "rank", "item_id"
    ):
        ballots[participant_id][rank] = str(item_id)
    rows = lib.borda(
        ([b[r] for r in sorted(b)] for b in ballots.values()),
        top=5,
    )
    items = Item.objects.in_bulk([int(r.item) for r in rows])
    return [{"row": r, "item": items[int(r.item)]} for r in rows if int(r.item) in items]


def matrix(session: LiveSession) -> list[dict]:
    """Importance against feasibility from each item's latest ballot: the study's first two
    criteria (empty with fewer)."""
    criteria = list(session.study.criteria.all()[:2])
    if len(criteria) < 2:
        return []
    latest: dict[int, int] = {}
    rows = list(
        LiveVote.objects.filter(session=session, criterion__in=criteria).values_list(
            "item_id", "criterion_id", "ballot", "score"
        )
    )
    for item_id, _, ballot, _ in rows:
        latest[item_id] = max(latest.get(item_id, 0), ballot)
    scores = defaultdict(list)
    for item_id, criterion_id, ballot, score in rows:
        if ballot == latest[item_id]:
            scores[(item_id, criterion_id)].append(score)
    summaries = [
        {str(i): lib.summarise_scores(scores.get((i, c.pk), []), rules.scale_of(c)) for i in latest}
        for c in criteria
    ]
    # "High" is the top third of the importance scale (7 on 1-9).
    cutoff = rules.scale_of(criteria[0]).top[0]
    placed = lib.classify(summaries[0], summaries[1], cutoff=cutoff)
    items = Item.objects.in_bulk(latest)
    return [{"placed": p, "item": items[int(p.item)]} for p in placed]


def participant_view(session: LiveSession, participant: LiveParticipant) -> dict:
    criteria = list(session.study.criteria.all())
    if session.current_item_id:
        mine = dict(
            LiveVote.objects.filter(
                session=session,
                participant=participant,
                item_id=session.current_item_id,
                ballot=session.ballot,
            ).values_list("criterion_id", "score")
        )
        for c in criteria:
            c.current = "unable" if c.pk in mine and mine[c.pk] is None else mine.get(c.pk, "")
    ranked = dict(
        LiveRanking.objects.filter(session=session, participant=participant).values_list(
            "rank", "item_id"
        )
    )
    return {
        "session": session,
        "study": session.study,
        "participant": participant,
        "criteria": criteria,
        "state": state(session),
        "items": list(session.study.items.filter(dropped_after=None).order_by("order", "id")),
        "ranked": [ranked.get(n) for n in range(1, 6)],
        "places": range(1, 6),
    }
