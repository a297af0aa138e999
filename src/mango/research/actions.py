"""The workbench's writes, one function each, in one transaction with their audit row.

A coder's toggles are not audited one by one: the ``Coding`` rows (with ``updated_at``) are
their record, and they are never overwritten by adjudication.
"""

from __future__ import annotations

import random

from django.db import transaction
from django.utils import timezone

from mango.audit.log import record
from mango.lib import sampling

from .models import (
    CODE_TEXTS,
    Assignment,
    Code,
    Codebook,
    CodebookVersion,
    Coding,
    CodingRound,
    Decision,
    FinalCode,
    RoundCoder,
    translation_fields,
)


class RoundClosed(Exception):
    """A write to a closed round."""


# --- codebooks ----------------------------------------------------------------------------


def snapshot_version(codebook: Codebook, actor=None) -> CodebookVersion:
    version, _ = CodebookVersion.objects.update_or_create(
        codebook=codebook,
        version=codebook.version,
        defaults={"snapshot": codebook.snapshot(), "created_by": actor},
    )
    return version


def save_codebook(actor, codebook: Codebook, *, fields: dict, codes: list[dict]) -> Codebook:
    """Apply an edit (codebook fields; codes changed, added or retired) as a new version.

    ``codes``: dicts with ``key`` and the code's fields; ``id`` for an existing code (its
    key may not change once used), ``parent`` a key or None. Nothing changes, nothing bumps.
    """
    with transaction.atomic():
        codebook = Codebook.objects.select_for_update().get(pk=codebook.pk)
        before = codebook.snapshot()
        for name, value in fields.items():
            setattr(codebook, name, value)
        existing = {c.pk: c for c in codebook.codes.all()}
        by_key = {c.key: c for c in existing.values()}
        parents = {}
        for item in codes:
            code = existing.get(item.get("id")) if item.get("id") else None
            if code is None:
                code = Code(codebook=codebook)
            for name in (
                "key",
                "label",
                "definition",
                *translation_fields(CODE_TEXTS),
                "inclusion",
                "exclusion",
                "examples",
                "order",
                "hotkey",
                "active",
            ):
                if name in item:
                    setattr(code, name, item[name])
            code.save()
            by_key[code.key] = code
            parents[code.pk] = item.get("parent") or None
        for pk, parent_key in parents.items():
            code = Code.objects.get(pk=pk)
            parent = by_key.get(parent_key) if parent_key else None
            new_parent = parent.pk if parent and parent.pk != pk else None
            if code.parent_id != new_parent:
                code.parent_id = new_parent
                code.save(update_fields=["parent"])
        after = codebook.snapshot()
        compare = {k: v for k, v in after.items() if k != "version"}
        if compare == {k: v for k, v in before.items() if k != "version"}:
            codebook.save()
            return codebook
        codebook.version += 1
        codebook.save()
        snapshot_version(codebook, actor)
        record(
            actor,
            "codebook.changed",
            codebook,
            old={"version": before["version"]},
            new={"version": codebook.version, "codes": len(after["codes"])},
        )
        return codebook


# --- rounds -------------------------------------------------------------------------------


def create_round(
    actor,
    *,
    name: str,
    codebook: Codebook,
    stories,
    coders,
    coders_per_story: int,
    organisation=None,
    show_suggestions: bool = False,
    selection: dict | None = None,
    seed: int = 0,
) -> CodingRound:
    """A round with its coders and assignments: each story to ``coders_per_story`` coders,
    each coder's stories in their own shuffled order (no shared order effects)."""
    story_ids = sorted({s if isinstance(s, int) else s.pk for s in stories})
    coders = sorted(coders, key=lambda u: u.pk)
    if not story_ids:
        raise ValueError("The round has no stories.")
    pairs = sampling.assign(story_ids, coders, coders_per_story)
    with transaction.atomic():
        round = CodingRound.objects.create(
            name=name,
            codebook=codebook,
            codebook_version=codebook.version,
            created_by=actor,
            coders_per_story=coders_per_story,
            show_suggestions=show_suggestions,
            organisation=organisation,
            selection=selection or {},
        )
        RoundCoder.objects.bulk_create(RoundCoder(round=round, user=c) for c in coders)
        by_coder: dict[int, list[int]] = {}
        for story_id, coder in pairs:
            by_coder.setdefault(coder.pk, []).append(story_id)
        rows = []
        for coder_id, ids in by_coder.items():
            random.Random(f"{seed}-{round.pk}-{coder_id}").shuffle(ids)
            rows += [
                Assignment(round=round, story_id=sid, coder_id=coder_id, position=i)
                for i, sid in enumerate(ids)
            ]
        Assignment.objects.bulk_create(rows, batch_size=2000)
        record(
            actor,
            "round.created",
            round,
            organisation=organisation,
            new={
                "codebook": codebook.slug,
                "version": codebook.version,
                "stories": len(story_ids),
                "coders": [c.get_username() for c in coders],
                "coders_per_story": coders_per_story,
            },
        )
    return round


def _open_assignment(assignment: Assignment) -> Assignment:
    assignment = (
        Assignment.objects.select_for_update().select_related("round").get(pk=assignment.pk)
    )
    if not assignment.round.is_open:
        raise RoundClosed
    return assignment


def toggle_code(assignment: Assignment, code: Code) -> bool:
    """The coder switches a code on a story on or off; returns whether it is now present.
    In a single-code codebook choosing a code replaces the coder's earlier choice. The
    assignment counts as done once the coder has given a code."""
    with transaction.atomic():
        assignment = _open_assignment(assignment)
        if code.codebook_id != assignment.round.codebook_id or not code.active:
            raise ValueError("That code is not in this round's codebook.")
        mine = Coding.objects.filter(
            round=assignment.round, story_id=assignment.story_id, coder_id=assignment.coder_id
        )
        present = mine.filter(code=code, value=True).exists()
        if present:
            mine.filter(code=code).delete()
        else:
            if not assignment.round.codebook.multiple:
                mine.exclude(code=code).delete()
            Coding.objects.update_or_create(
                round=assignment.round,
                story_id=assignment.story_id,
                coder_id=assignment.coder_id,
                code=code,
                defaults={"value": True},
            )
        if not present and assignment.done_at is None:
            assignment.done_at = timezone.now()
            assignment.save(update_fields=["done_at"])
        return not present


def mark_done(assignment: Assignment, done: bool = True) -> Assignment:
    """The coder finishes a story (also with no code: "none applies") or reopens it."""
    with transaction.atomic():
        assignment = _open_assignment(assignment)
        assignment.done_at = (assignment.done_at or timezone.now()) if done else None
        assignment.save(update_fields=["done_at"])
        return assignment


def open_stories(round: CodingRound) -> set[int]:
    """The stories of the round's unfinished assignments."""
    return set(
        Assignment.objects.filter(round=round, done_at__isnull=True).values_list(
            "story_id", flat=True
        )
    )


def set_priorities(actor, round: CodingRound, scores: dict[int, float], *, note: dict) -> int:
    """Set the priority of the round's unfinished assignments from a score per story (highest
    first on the coder screen; a story without a score goes last). ``note`` says where the
    scores came from, for the audit row. Returns the number of assignments with a priority."""
    if not round.is_open:
        raise RoundClosed
    with transaction.atomic():
        changed = 0
        for assignment in Assignment.objects.filter(
            round=round, done_at__isnull=True
        ).select_for_update():
            priority = scores.get(assignment.story_id)
            if assignment.priority != priority:
                assignment.priority = priority
                assignment.save(update_fields=["priority"])
            changed += priority is not None
        record(
            actor,
            "round.prioritised",
            round,
            organisation=round.organisation,
            new={**note, "assignments": changed},
        )
    return changed


def coder_sets(round: CodingRound) -> dict[int, dict[int, frozenset[int]]]:
    """Per story, per coder who finished it: the set of code ids given."""
    out: dict[int, dict[int, set]] = {}
    for story_id, coder_id in Assignment.objects.filter(
        round=round, done_at__isnull=False
    ).values_list("story_id", "coder_id"):
        out.setdefault(story_id, {})[coder_id] = set()
    for story_id, coder_id, code_id in Coding.objects.filter(round=round, value=True).values_list(
        "story_id", "coder_id", "code_id"
    ):
        if coder_id in out.get(story_id, {}):
            out[story_id][coder_id].add(code_id)
    return {s: {c: frozenset(v) for c, v in d.items()} for s, d in out.items()}


def disagreements(round: CodingRound) -> list[int]:
    """Stories whose finishing coders (two or more) did not give the same codes."""
    return _disagreeing(coder_sets(round))


def _disagreeing(sets_by_story: dict[int, dict[int, frozenset[int]]]) -> list[int]:
    return sorted(
        story
        for story, sets in sets_by_story.items()
        if len(sets) >= 2 and len(set(sets.values())) > 1
    )


def _decide(story_id, round, code_ids, *, method, actor, comment, now):
    Decision.objects.update_or_create(
        story_id=story_id,
        codebook_id=round.codebook_id,
        defaults={
            "round": round,
            "method": method,
            "decided_by": actor,
            "comment": comment,
            "decided_at": now,
        },
    )
    FinalCode.objects.filter(story_id=story_id, code__codebook_id=round.codebook_id).exclude(
        code_id__in=code_ids
    ).delete()
    for code_id in code_ids:
        FinalCode.objects.update_or_create(
            story_id=story_id,
            code_id=code_id,
            defaults={"round": round, "decided_by": actor, "comment": comment, "decided_at": now},
        )


def _settle_many(round: CodingRound, decided: dict[int, frozenset[int]], now) -> None:
    """``_decide`` for many stories at once (agreed codes; no actor, no comment), a few
    queries in all: a round of 10,000 stories closes in seconds, not minutes."""
    stories = list(decided)
    existing = {
        d.story_id: d
        for d in Decision.objects.filter(story_id__in=stories, codebook_id=round.codebook_id)
    }
    fresh = []
    for story_id in stories:
        decision = existing.get(story_id) or Decision(
            story_id=story_id, codebook_id=round.codebook_id
        )
        decision.round, decision.method, decision.decided_by = round, "agreed", None
        decision.comment, decision.decided_at = "", now
        if decision.pk is None:
            fresh.append(decision)
    fields = ["round", "method", "decided_by", "comment", "decided_at"]
    Decision.objects.bulk_update(list(existing.values()), fields, batch_size=2000)
    Decision.objects.bulk_create(fresh, batch_size=2000)

    finals = {}
    for code in FinalCode.objects.filter(story_id__in=stories, code__codebook_id=round.codebook_id):
        finals[(code.story_id, code.code_id)] = code
    wanted = {(story_id, code_id) for story_id, codes in decided.items() for code_id in codes}
    FinalCode.objects.filter(pk__in=[c.pk for k, c in finals.items() if k not in wanted]).delete()
    kept = [c for k, c in finals.items() if k in wanted]
    for code in kept:
        code.round, code.decided_by, code.comment, code.decided_at = round, None, "", now
    FinalCode.objects.bulk_update(kept, ["round", "decided_by", "comment", "decided_at"], 2000)
    FinalCode.objects.bulk_create(
        [
            FinalCode(
                story_id=story_id,
                code_id=code_id,
                round=round,
                decided_by=None,
                comment="",
                decided_at=now,
            )
            for story_id, code_id in sorted(wanted - set(finals))
        ],
        batch_size=2000,
    )


def close_round(actor, round: CodingRound) -> tuple[dict, list[int]]:
    """Close the round: coding stops, coders may see each other's codes, and every story
    on which all its (two or more) finishing coders agree gets its final codes. Stories coded
    by one coder only are settled by that coder when the round asked for one per story.
    Returns the summary and the ids of the stories settled. The story lifecycle
    (``mango.lifecycle.actions.close_round``) calls this and counts them."""
    with transaction.atomic():
        round = CodingRound.objects.select_for_update().get(pk=round.pk)
        if not round.is_open:
            raise RoundClosed
        now = timezone.now()
        sets_by_story = coder_sets(round)
        adjudicated = set(
            Decision.objects.filter(
                story_id__in=list(sets_by_story),
                codebook_id=round.codebook_id,
                method="adjudicated",
            ).values_list("story_id", flat=True)
        )
        decided, agreed, single = {}, 0, 0
        for story_id, sets in sets_by_story.items():
            values = set(sets.values())
            if len(values) != 1:
                continue
            if len(sets) >= 2 or round.coders_per_story == 1:
                if story_id in adjudicated:
                    continue  # an adjudicator's word is not overwritten by a later round
                decided[story_id] = next(iter(values))
                agreed += len(sets) >= 2
                single += len(sets) == 1
        _settle_many(round, decided, now)
        round.status = "closed"
        round.closed_at = now
        round.closed_by = actor
        round.save(update_fields=["status", "closed_at", "closed_by"])
        summary = {
            "agreed": agreed,
            "single_coder": single,
            "to_adjudicate": len(_disagreeing(sets_by_story)),
        }
        record(actor, "round.closed", round, organisation=round.organisation, new=summary)
        return summary, sorted(decided)


def adjudicate(actor, round: CodingRound, story, code_keys: list[str], comment: str) -> Decision:
    """The adjudicator settles a story's final codes, with a comment; the coders' codings stay."""
    with transaction.atomic():
        codes = list(
            Code.objects.filter(codebook_id=round.codebook_id, key__in=code_keys, active=True)
        )
        if len(codes) != len(set(code_keys)):
            raise ValueError("Unknown code.")
        if not round.codebook.multiple and len(codes) != 1:
            raise ValueError("This codebook takes exactly one code per story.")
        old = sorted(
            FinalCode.objects.filter(story=story, code__codebook_id=round.codebook_id).values_list(
                "code__key", flat=True
            )
        )
        now = timezone.now()
        _decide(
            story.pk,
            round,
            [c.pk for c in codes],
            method="adjudicated",
            actor=actor,
            comment=comment,
            now=now,
        )
        record(
            actor,
            "coding.adjudicated",
            story,
            organisation=story.organisation,
            old={"codes": old},
            new={"codes": sorted(c.key for c in codes), "round": round.pk},
        )
        return Decision.objects.get(story=story, codebook_id=round.codebook_id)


def note_export(actor, round: CodingRound, fmt: str, rows: int):
    with transaction.atomic():
        record(
            actor,
            "data.exported",
            round,
            organisation=round.organisation,
            new={"format": fmt, "rows": rows},
        )
