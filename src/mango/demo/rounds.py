"""Demo coding rounds for ``mango demo load``: the two demo coders double-code the illustrative
stories blind, once for screening and once for the eight dimensions, with some deterministic
disagreements; the rounds are closed and the disagreements adjudicated, so the agreement,
adjudication, export and report screens all have real-looking data."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from mango.lifecycle import actions as lifecycle
from mango.research import actions
from mango.research.models import Assignment, Code, Codebook, Coding, CodingRound

CODERS = ("coder1", "coder2")
OWNER = "researcher"
ADJUDICATION_NOTE = "Demo: settled against the codebook's definitions."


def _dimensions(i: int, truth: list[str], coder: int) -> list[str]:
    """A coder's dimensions for story ``i``: the study's, perturbed deterministically."""
    codes = list(truth)
    if coder == 1:
        if i % 9 == 0:
            codes = codes[:-1] if len(codes) > 1 else codes + ["family"]
        elif i % 13 == 3:
            swap = "respect" if "respect" not in codes else "emotional_support"
            codes = [swap] + codes[1:] if swap not in codes else codes
    elif i % 17 == 4:
        codes = codes + ["information"] if "information" not in codes else codes
    return sorted(set(codes))


def _screening(i: int, item: dict, coder: int) -> str:
    truth = "mangomoment" if item.get("is_mangomoment") else item.get("exclusion_reason")
    truth = truth or "unclear"
    if coder == 1 and i % 13 == 6:
        return "ordinary_care" if truth == "mangomoment" else "mangomoment"
    return truth


def _code_round(round, plan, codes):
    """Write the coders' codings in bulk (the demo stands in for many keystrokes)."""
    now = timezone.now()
    rows = []
    assignments = {(a.story_id, a.coder_id): a for a in Assignment.objects.filter(round=round)}
    for (story_id, coder_id), keys in plan.items():
        rows += [
            Coding(round=round, story_id=story_id, coder_id=coder_id, code=codes[k]) for k in keys
        ]
        assignments[(story_id, coder_id)].done_at = now
    Coding.objects.bulk_create(rows, batch_size=1000)
    Assignment.objects.bulk_update(assignments.values(), ["done_at"], batch_size=1000)


@transaction.atomic
def load_rounds(stories, items) -> list[str]:
    """Two closed, adjudicated rounds over the demo stories that allow research."""
    User = get_user_model()
    coders = [User.objects.get(username=u) for u in CODERS]
    owner = User.objects.get(username=OWNER)
    CodingRound.objects.filter(selection__demo=True).delete()
    chosen = [(i, s, item) for i, (s, item) in enumerate(zip(stories, items, strict=True))]
    chosen = [(i, s, item) for i, s, item in chosen if s.consent_research]
    lines = []
    for slug, name in (
        ("screening", "Demo: screening, double-coded"),
        ("dimensions", "Demo: dimensions of patient-centred care, double-coded"),
    ):
        book = Codebook.objects.get(slug=slug)
        codes = {c.key: c for c in Code.objects.filter(codebook=book)}
        round = actions.create_round(
            owner,
            name=name,
            codebook=book,
            stories=[s.pk for _, s, _ in chosen],
            coders=coders,
            coders_per_story=2,
            selection={"demo": True, "stories": len(chosen)},
            seed=2026,
        )
        plan, truth = {}, {}
        for i, story, item in chosen:
            for n, coder in enumerate(coders):
                if slug == "screening":
                    plan[(story.pk, coder.pk)] = [_screening(i, item, n)]
                else:
                    plan[(story.pk, coder.pk)] = _dimensions(i, item.get("dimensions", []), n)
            if slug == "screening":
                truth[story.pk] = [_screening(i, item, 0)]
            else:
                truth[story.pk] = sorted(set(item.get("dimensions", [])))
        _code_round(round, plan, codes)
        summary = lifecycle.close_round(owner, round)
        by_pk = {s.pk: s for _, s, _ in chosen}
        for story_id in actions.disagreements(round):
            lifecycle.adjudicate(owner, round, by_pk[story_id], truth[story_id], ADJUDICATION_NOTE)
        lines.append(
            f"'{name}': {len(chosen)} stories, {summary['agreed']} agreed, "
            f"{summary['to_adjudicate']} adjudicated"
        )
    return lines
