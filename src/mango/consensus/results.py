"""A study's figures from the database, computed by ``mango.lib.consensus``.

The scores of a study (or one round) on one criterion are read in one query and handed to the
lib as its ``Rating`` objects (item, panellist and round as text: the item's key, the
panellist's id, the round's number). The lib tabulates them (n, median, quartiles, thirds, per
group), applies the locked rule within its scope, and gives stability, attrition, Borda counts
and the 2 x 2 picture. Nothing here computes a statistic of its own.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from mango.lib import consensus as lib

from . import rules
from .models import Comment, Criterion, Item, Rating, Round


def lib_ratings(study, criterion: Criterion, rounds=None, items=None) -> list[lib.Rating]:
    ratings = Rating.objects.filter(criterion=criterion, round__study=study)
    if rounds is not None:
        ratings = ratings.filter(round__in=rounds)
    if items is not None:
        ratings = ratings.filter(item__in=items)
    return [
        lib.Rating(key, str(panellist_id), str(number), score, group)
        for key, panellist_id, number, score, group in ratings.values_list(
            "item__key", "panellist_id", "round__number", "score", "panellist__group"
        ).iterator(chunk_size=5000)
    ]


def _results(study, criterion, rounds, rule, items=None) -> dict[tuple[str, str], object]:
    """(item key, round number as text) -> the lib's ItemRound (or Cell without a rule)."""
    table = lib.tabulate(lib_ratings(study, criterion, rounds, items), rules.scale_of(criterion))
    if rule is None:
        return {(c.item, c.round): c for c in table.cells}
    try:
        results = lib.apply(table, rule)
    except ValueError:  # RAND/UCLA on a scale other than 1-9: figures without statuses
        return {(c.item, c.round): c for c in table.cells}
    return {(r.item, r.round): r for r in results}


@dataclass
class Cell:
    """One item on one criterion in one round, as the pages show it."""

    item: Item
    criterion: Criterion
    round: int
    result: object | None  # the lib's ItemRound (with a rule) or Cell; None: no answers

    @property
    def summary(self) -> lib.Summary:
        if self.result is None:
            return lib.summarise_scores([], rules.scale_of(self.criterion))
        return self.result.panel

    @property
    def status(self) -> str:
        return getattr(self.result, "status", "") if self.result is not None else "undecided"

    @property
    def groups(self) -> dict[str, lib.Summary]:
        if self.result is None:
            return {}
        return {g: getattr(v, "summary", v) for g, v in self.result.groups.items()}

    def group_status(self, group: str) -> str:
        g = getattr(self.result, "groups", {}).get(group)
        return getattr(g, "status", "") if g is not None else ""

    def bars(self, summary: lib.Summary | None = None) -> list[dict]:
        """The histogram's bars: per score its count, its share of those who scored, and its
        height relative to the tallest bar (0-100)."""
        summary = summary or self.summary
        low = summary.scale.low
        tallest = max(summary.counts) if summary.n else 0
        return [
            {
                "score": low + i,
                "count": count,
                "pct": round(100 * count / summary.n) if summary.n else 0,
                "height": round(100 * count / tallest) if tallest else 0,
                "band": summary.scale.band(low + i),
            }
            for i, count in enumerate(summary.counts)
        ]


def cells(study, rounds: list[Round], *, criteria=None, items=None) -> list[Cell]:
    """Each round's items (or only ``items``) on each criterion (round by round, items in
    the study's order)."""
    rule = rules.rule_of(study)
    criteria = list(criteria if criteria is not None else study.criteria.all())
    out = []
    for criterion in criteria:
        by_key = _results(study, criterion, rounds, rule, items)
        for round in rounds:
            shown = round.items.select_related("section").order_by("order", "id")
            if items is not None:
                shown = shown.filter(pk__in=[i.pk for i in items])
            for item in shown:
                out.append(
                    Cell(item, criterion, round.number, by_key.get((item.key, str(round.number))))
                )
    order = {c.pk: n for n, c in enumerate(criteria)}
    out.sort(key=lambda c: (c.round, c.item.order, c.item.pk, order[c.criterion.pk]))
    return out


def round_cells(round: Round) -> list[Cell]:
    return cells(round.study, [round])


def primary_status(round: Round) -> dict[int, str]:
    """item id -> status on the study's first criterion (the one the rule decides on)."""
    first = round.study.criteria.first()
    if first is None:
        return {}
    return {c.item.pk: c.status for c in cells(round.study, [round], criteria=[first])}


def stability(study, rounds: list[Round], criterion: Criterion) -> list[lib.Change]:
    """Change in the share rating in the top third between consecutive rounds, per item
    (and per group)."""
    results = _results(study, criterion, rounds, None)
    return lib.stability(results.values(), groups=True)


def attrition(study, rounds: list[Round]) -> list[lib.Attrition]:
    """Per group and round: panellists who answered, against the panel invited."""
    first = study.criteria.first()
    if first is None:
        return []
    panel = {
        str(pk): group
        for pk, group in study.panellists.filter(revoked_at=None).values_list("pk", "group")
    }
    return lib.attrition(lib_ratings(study, first, rounds), panel)


def comments(round: Round) -> dict[int, list[str]]:
    """item id -> the round's comments, without names, in a stable order."""
    out = defaultdict(list)
    for item_id, text in (
        Comment.objects.filter(round=round).order_by("item_id", "id").values_list("item_id", "text")
    ):
        out[item_id].append(text)
    return out


def own_scores(round: Round, panellist) -> dict[tuple[int, int], int | None]:
    """(item id, criterion id) -> the panellist's score (None: unable to judge)."""
    return {
        (i, c): s
        for i, c, s in Rating.objects.filter(round=round, panellist=panellist).values_list(
            "item_id", "criterion_id", "score"
        )
    }


def previous_round(round: Round) -> Round | None:
    return (
        Round.objects.filter(study_id=round.study_id, number=round.number - 1)
        .exclude(status="draft")
        .first()
    )


def report_rows(study, rounds: list[Round]) -> list[tuple[Criterion, list[dict]]]:
    """Per criterion, the lib's result rows (panel, then each group, per item and round) under
    the study's rule; a criterion the rule cannot judge (RAND/UCLA off 1-9) is left out."""
    from mango.lib.consensus import report

    rule = rules.rule_of(study)
    out = []
    if rule is None:
        return out
    for criterion in study.criteria.all():
        table = lib.tabulate(lib_ratings(study, criterion, rounds), rules.scale_of(criterion))
        try:
            results = lib.apply(table, rule)
        except ValueError:
            continue
        out.append((criterion, report.result_rows(results, rule)))
    return out


def matrix(study, round: Round) -> list[dict]:
    """Importance against feasibility in a round: the study's first two criteria, each
    item's medians, placed in the lib's 2 x 2 (high = the top third of the first scale)."""
    criteria = list(study.criteria.all()[:2])
    if len(criteria) < 2:
        return []
    by = {c.pk: {} for c in criteria}
    items = {}
    for cell in cells(study, [round], criteria=criteria):
        by[cell.criterion.pk][cell.item.key] = cell.summary
        items[cell.item.key] = cell.item
    placed = lib.classify(
        by[criteria[0].pk], by[criteria[1].pk], cutoff=rules.scale_of(criteria[0]).top[0]
    )
    return [{"placed": p, "item": items[p.item]} for p in placed]
