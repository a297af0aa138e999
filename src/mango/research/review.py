"""A closed round's stories side by side: what each coder gave and what was settled (the
adjudication screens)."""

from . import actions
from .models import Assignment, Decision, FinalCode


def side_by_side(round, story_ids):
    """Per story: each finishing coder's codes, and the final codes (with the adjudicator's
    comment) if settled."""
    sets = actions.coder_sets(round)
    codes = {c.pk: c for c in round.codebook.codes.all()}
    usernames = dict(
        Assignment.objects.filter(round=round).values_list("coder_id", "coder__username")
    )
    finals_by_story = {}
    for story_id, code_id in FinalCode.objects.filter(
        story_id__in=story_ids, code__codebook=round.codebook
    ).values_list("story_id", "code_id"):
        finals_by_story.setdefault(story_id, []).append(codes[code_id])
    decided = {
        d.story_id: d
        for d in Decision.objects.filter(
            story_id__in=story_ids, codebook=round.codebook
        ).select_related("decided_by")
    }
    out = []
    for story_id in story_ids:
        coders = [
            {
                "coder": usernames.get(coder_id, "?"),
                "codes": sorted((codes[c] for c in ids), key=lambda c: (c.order, c.key)),
            }
            for coder_id, ids in sorted(
                sets.get(story_id, {}).items(), key=lambda kv: usernames.get(kv[0], "")
            )
        ]
        out.append(
            {
                "story_id": story_id,
                "coders": coders,
                "decided": story_id in decided,
                "decision": decided.get(story_id),
                "final": sorted(finals_by_story.get(story_id, []), key=lambda c: c.order),
            }
        )
    return out
