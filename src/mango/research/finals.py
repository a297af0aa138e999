"""The research workbench's results, for other apps (reports, dashboards, classifier).

A stable API: read final codes and agreement through these functions, not the tables.

- ``final_codes(codebook_slug, stories=None)`` -> ``{story_id: frozenset(code keys)}`` for every
  story whose coding in that codebook is settled (coders agreed when the round closed, or an
  adjudicator decided). A settled story with no code present maps to an empty frozenset;
  stories not settled yet are absent.
- ``screening(stories=None)`` -> ``{story_id: (is_mangomoment, exclusion_reason_key | None)}``
  from the ``screening`` codebook.
- ``round_agreement(round)`` -> the ``mango agreement`` JSON shape for a round's codings.
- ``codes(slugs)``, ``final_code_rows(slugs, stories)``, ``settled_stories(slug, stories)``:
  the same facts as plain rows, for set-based readers (the analysis tables).

``stories`` may be a Story queryset, or an iterable of story ids; ``None`` means all. None of
these check access: callers pass stories the user may read (``stories.access``).
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
from django.db.models import QuerySet

from mango.lib import agreement as lib_agreement

from .models import Assignment, Code, Codebook, Coding, CodingRound, Decision, FinalCode

# The shipped codebooks the analysis reads (defined here only; other apps import them).
SCREENING = "screening"
MANGOMOMENT = "mangomoment"  # the screening code of a story that is a Mangomoment
DIMENSIONS = "dimensions"

# A single-code codebook's overall figure is the agreement on the one category chosen;
# stated next to the figures in place of the library's pooled present/absent text.
OVERALL_SINGLE = (
    "The codebook takes one code per story: 'overall' is the agreement on which code was "
    "chosen, one nominal variable per story; per code, present (1) or absent (0)."
)
INPUT_ROUND = (
    "Codings of the round's finished assignments: a code a coder gave is present (1), every "
    "other code of the codebook absent (0); unfinished assignments are not coded."
)


def _story_filter(queryset, stories, field: str = "story_id"):
    if stories is None:
        return queryset
    if isinstance(stories, QuerySet):
        return queryset.filter(**{f"{field}__in": stories.values("pk")})
    return queryset.filter(**{f"{field}__in": list(stories)})


def final_codes(
    codebook_slug: str, stories: QuerySet | Iterable[int] | None = None
) -> dict[int, frozenset[str]]:
    """Settled stories of a codebook and the code keys present in their final coding."""
    decided = _story_filter(Decision.objects.filter(codebook__slug=codebook_slug), stories)
    result: dict[int, set[str]] = {sid: set() for sid in decided.values_list("story_id", flat=True)}
    rows = _story_filter(FinalCode.objects.filter(code__codebook__slug=codebook_slug), stories)
    for story_id, key in rows.values_list("story_id", "code__key"):
        result.setdefault(story_id, set()).add(key)
    return {sid: frozenset(keys) for sid, keys in result.items()}


def screening(
    stories: QuerySet | Iterable[int] | None = None,
) -> dict[int, tuple[bool, str | None]]:
    """Per screened story: is it a Mangomoment, and if not, the exclusion reason's key."""
    out = {}
    for story_id, keys in final_codes(SCREENING, stories).items():
        if MANGOMOMENT in keys:
            out[story_id] = (True, None)
        elif keys:
            out[story_id] = (False, sorted(keys)[0])
    return out


def codes(slugs: Iterable[str]) -> list[tuple[int, str, str]]:
    """(code id, key, codebook slug) of every code of these codebooks, retired ones too."""
    return list(
        Code.objects.filter(codebook__slug__in=list(slugs)).values_list(
            "pk", "key", "codebook__slug"
        )
    )


def final_code_rows(
    slugs: Iterable[str], stories: QuerySet | Iterable[int] | None = None
) -> Iterable[tuple[int, int, str]]:
    """(story id, code id, codebook slug) of the final codes of these codebooks."""
    rows = _story_filter(FinalCode.objects.filter(code__codebook__slug__in=list(slugs)), stories)
    return (
        rows.order_by()
        .values_list("story_id", "code_id", "code__codebook__slug")
        .iterator(chunk_size=50_000)
    )


def settled_stories(slug: str, stories: QuerySet | Iterable[int] | None = None) -> Iterable[int]:
    """Ids of the stories whose coding in this codebook is settled."""
    rows = _story_filter(Decision.objects.filter(codebook__slug=slug), stories)
    return rows.order_by().values_list("story_id", flat=True).iterator(chunk_size=50_000)


def round_codings_frame(round: CodingRound) -> pd.DataFrame:
    """One row per finished assignment and active code: story, coder (username), code key and
    value 1/0. Codes retired after the round started still count where they were given."""
    codes = list(round.codebook.codes.filter(active=True).values_list("id", "key"))
    given = set(
        Coding.objects.filter(round=round, value=True).values_list(
            "story_id", "coder_id", "code_id"
        )
    )
    extra = {c for _, _, c in given} - {cid for cid, _ in codes}
    if extra:
        codes += list(round.codebook.codes.filter(id__in=extra).values_list("id", "key"))
    done = Assignment.objects.filter(round=round, done_at__isnull=False).values_list(
        "story_id", "coder_id", "coder__username"
    )
    rows = [
        (story_id, username, key, int((story_id, coder_id, code_id) in given))
        for story_id, coder_id, username in done
        for code_id, key in codes
    ]
    return pd.DataFrame(rows, columns=["unit", "coder", "code", "value"])


def round_agreement(
    round: CodingRound, *, resamples: int = lib_agreement.DEFAULT_RESAMPLES, seed=None
) -> dict:
    """The agreement of a round (open or closed) in the ``mango agreement`` JSON shape, with
    the method in words. Empty-handed (``units`` 0, no figures) before two coders finish a
    story. The bootstrap seed defaults to the round's id, so a page shows the same interval
    on every load."""
    seed = round.pk if seed is None else seed
    frame = round_codings_frame(round)
    coders = frame["coder"].nunique() if len(frame) else 0
    if frame.empty or coders < 2:
        return {
            "units": int(frame["unit"].nunique()) if len(frame) else 0,
            "coders": int(coders),
            "overall": None,
            "per_code": {},
            "method": lib_agreement.method_text("nominal", resamples, seed),
        }
    result = lib_agreement.round_agreement(
        frame,
        unit="unit",
        coder="coder",
        code="code",
        value="value",
        resamples=resamples,
        seed=seed,
    ).as_dict(digits=6)
    if not round.codebook.multiple:
        chosen = frame[frame["value"] == 1][["unit", "coder", "code"]].assign(
            variable="code", value=lambda f: f["code"]
        )
        if not chosen.empty and chosen["coder"].nunique() >= 2:
            single = lib_agreement.round_agreement(
                chosen,
                unit="unit",
                coder="coder",
                code="variable",
                value="value",
                resamples=resamples,
                seed=seed,
            ).as_dict(digits=6)
            result["overall"] = single["overall"]
            result["method"]["overall"] = OVERALL_SINGLE
    result["method"]["input"] = INPUT_ROUND
    return result


def codebook(slug: str) -> Codebook | None:
    return Codebook.objects.filter(slug=slug).first()
