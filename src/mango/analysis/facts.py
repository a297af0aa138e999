"""Keep ``StoryFact`` and ``Tally`` equal to what the stories and final codes say.

One computation serves both ways in: ``fact_frame`` computes stories' facts with set-based
queries (all stories, or some) and ``tally_frame`` turns facts into tallies.

- ``update(story_ids)`` recomputes the facts of the stories a lifecycle step touched
  (``mango.lifecycle.actions`` calls it once per step, in the step's transaction), compares
  them with the stored facts and applies the difference to the tallies: the tallies of the
  old facts of the changed stories come out, those of the new facts go in.
- ``rebuild()`` recomputes every story (``mango analysis rebuild``).

Both use ``fact_frame`` and ``tally_frame``, so they cannot disagree; tests hold an
incremental history equal to a rebuild. The dashboards read the tallies; the report reads
the facts. A story counts for analysis (``analysable``) while its teller consents to research
and it is not erased: withdrawing that consent or erasing the story takes it out of every
count in the same transaction.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from django.conf import settings
from django.db import connection, transaction

from mango.lib.analysis import describe
from mango.research import finals
from mango.research.finals import DIMENSIONS, MANGOMOMENT, SCREENING
from mango.stories.models import Story

from .models import DimensionBit, StoryFact, Tally

# Attributes a tally splits stories by (besides "all"); respondent_group is derived.
ATTRIBUTES = ("teller_role", "setting", "oncological", "respondent_group")
COLLECTION = "collection"  # every story, analysable or not: received / no consent / erased
MAX_BITS = 63

CELL = ["campaign_id", "organisation_id", "unit_id", "shared", "month"]
KEY = [*CELL, "attribute", "value", "code"]
MEASURES = ["n", "coded", "labelled", "multi"]
FACT_FIELDS = [f.attname for f in StoryFact._meta.concrete_fields]


class Codebooks:
    """The two codebooks' code keys and dimension bits, read once per update."""

    def __init__(self):
        codes = finals.codes([SCREENING, DIMENSIONS])
        self.keys = {pk: key for pk, key, _ in codes}
        self.mangomoment = next(
            (pk for pk, key, slug in codes if slug == SCREENING and key == MANGOMOMENT), None
        )
        self.bits = dict(DimensionBit.objects.values_list("code_id", "bit"))

    def bit(self, code_id: int) -> int:
        """The code's bit, given one on first use (bits are never reused)."""
        if code_id not in self.bits:
            used = max(self.bits.values(), default=-1) + 1
            if used >= MAX_BITS:
                raise ValueError(
                    f"The dimensions codebook has more than {MAX_BITS} codes in use; the "
                    "analysis tables hold at most that many."
                )
            DimensionBit.objects.create(code_id=code_id, bit=used)
            self.bits[code_id] = used
        return self.bits[code_id]


# Fixed column names only; values go as parameters.
UPSERT = (  # noqa: S608
    "INSERT INTO analysis_tally ({columns}) VALUES ({marks}) "
    "ON CONFLICT (attribute, month, organisation_id, unit_id, campaign_id, shared, value, code) "
    "DO UPDATE SET n = analysis_tally.n + excluded.n, "
    "coded = analysis_tally.coded + excluded.coded, "
    "labelled = analysis_tally.labelled + excluded.labelled, "
    "multi = analysis_tally.multi + excluded.multi"
).format(columns=", ".join(KEY + MEASURES), marks=", ".join(["%s"] * (len(KEY) + len(MEASURES))))


# Stories per update query: the id lists go into IN (...) clauses.
CHUNK = 5000


def update(story_ids) -> int:
    """Bring the facts and tallies of these stories up to date, in the caller's transaction;
    returns how many stories' facts changed."""
    ids = sorted({int(i) for i in story_ids})
    changed = 0
    for start in range(0, len(ids), CHUNK):
        changed += _update(ids[start : start + CHUNK])
    return changed


def _update(ids: list[int]) -> int:
    with transaction.atomic():
        books = Codebooks()
        # Lock the stories (PostgreSQL) so two updates of one story cannot both apply it.
        list(Story.objects.select_for_update().filter(pk__in=ids).values_list("pk", flat=True))
        new = fact_frame(books, ids).set_index("story_id", drop=False)
        old = stored_facts(ids).set_index("story_id", drop=False)
        both = old.index.intersection(new.index)
        columns = [c for c in FACT_FIELDS if c != "story_id"]
        differs = (old.loc[both, columns] != new.loc[both, columns]).any(axis=1)
        changed = (
            set(both[differs.to_numpy()])
            | set(new.index.difference(old.index))
            | set(old.index.difference(new.index))
        )
        if not changed:
            return 0
        before = old[old.index.isin(changed)].reset_index(drop=True)
        after = new[new.index.isin(changed)].reset_index(drop=True)
        delta = pd.concat(
            [tally_frame(after, books), _negated(tally_frame(before, books))], ignore_index=True
        )
        delta = delta.groupby(KEY, as_index=False)[MEASURES].sum()
        delta = delta[(delta[MEASURES] != 0).any(axis=1)]
        StoryFact.objects.filter(story_id__in=sorted(changed)).delete()
        with connection.cursor() as cursor:
            _execute(UPSERT, KEY + MEASURES, delta, cursor)
            _insert("analysis_storyfact", FACT_FIELDS, _storable(after), cursor)
    return len(changed)


def stored_facts(ids: list[int]) -> pd.DataFrame:
    """The stored facts of these stories, typed as ``fact_frame`` types them."""
    rows = StoryFact.objects.filter(story_id__in=ids).values_list(*FACT_FIELDS)
    frame = pd.DataFrame.from_records(list(rows), columns=FACT_FIELDS)
    return _typed(frame)


def _negated(tallies: pd.DataFrame) -> pd.DataFrame:
    return tallies.assign(**{m: -tallies[m] for m in MEASURES})


def catch_up(batch: int = 1000) -> int:
    """Refresh the stories that have no facts yet (a new story whose de-identification job
    has not run); returns how many were counted."""
    counted = 0
    while True:
        ids = list(
            Story.objects.exclude(pk__in=StoryFact.objects.values("story_id"))
            .order_by("pk")
            .values_list("pk", flat=True)[:batch]
        )
        if not ids:
            return counted
        counted += update(ids)


# --- The one computation -----------------------------------------------------------------

STORY_COLUMNS = {  # fact column <- Story field
    "story_id": "pk",
    "campaign_id": "campaign_id",
    "organisation_id": "organisation_id",
    "unit_id": "unit_id",
    "shared": "consent_sharing",
    "research": "consent_research",
    "erased_at": "erased_at",
    "submitted_at": "submitted_at",
    "source": "source",
    "teller_role": "teller_role",
    "setting": "setting",
    "oncological": "oncological",
}


def fact_frame(books: Codebooks, ids: list[int] | None = None) -> pd.DataFrame:
    """The facts of these stories (all when ``ids`` is None) as they are now, computed with
    set-based queries; a story that no longer exists has no row."""
    stories = Story.objects.order_by()
    if ids is not None:
        stories = stories.filter(pk__in=ids)
    rows = stories.values_list(*STORY_COLUMNS.values()).iterator(chunk_size=50_000)
    frame = pd.DataFrame.from_records(list(rows), columns=list(STORY_COLUMNS))
    for column in ("campaign_id", "organisation_id", "unit_id"):
        frame[column] = frame[column].fillna(0).astype(np.int64)
    for column in ("source", "teller_role", "setting", "oncological"):
        frame[column] = frame[column].fillna("").astype(object)
    frame["shared"] = frame["shared"].astype(bool)
    frame["erased"] = frame["erased_at"].notna()
    frame["analysable"] = frame["research"].astype(bool) & ~frame["erased"]
    local = pd.to_datetime(frame["submitted_at"], utc=True).dt.tz_convert(settings.TIME_ZONE)
    frame["month"] = (local.dt.year * 100 + local.dt.month).fillna(0).astype(np.int64)
    frame["respondent_group"] = (
        describe.respondent_group(frame).fillna("").astype(object)
        if len(frame)
        else pd.Series([], dtype=object)
    )
    frame = frame.set_index("story_id", drop=False)

    codes = pd.DataFrame.from_records(
        list(finals.final_code_rows([SCREENING, DIMENSIONS], ids)),
        columns=["story", "code", "codebook"],
    )
    codes = codes[codes["story"].isin(frame.index)]
    screened = codes[codes["codebook"] == SCREENING]
    choice = pd.Series(0, index=frame.index, dtype=np.int64)
    if len(screened):
        # The Mangomoment code when given, else the exclusion reason with the first key.
        screened = screened.assign(key=screened["code"].map(books.keys))
        mango = screened[screened["code"] == books.mangomoment]
        others = screened[~screened["story"].isin(mango["story"])].sort_values(["story", "key"])
        picked = pd.concat([mango.drop_duplicates("story"), others.drop_duplicates("story")])
        choice.loc[picked["story"].to_numpy()] = picked["code"].to_numpy()
    frame["screening_code"] = choice
    frame["included"] = (
        (choice == books.mangomoment) & (choice != 0) if books.mangomoment else False
    )
    settled = np.fromiter(finals.settled_stories(DIMENSIONS, ids), dtype=np.int64)
    frame["settled"] = frame.index.isin(settled)
    dims = codes[codes["codebook"] == DIMENSIONS]
    mask = pd.Series(0, index=frame.index, dtype=np.int64)
    if len(dims):
        for code in sorted(dims["code"].unique(), key=lambda c: (books.keys.get(c, ""), c)):
            books.bit(int(code))
        value = np.left_shift(1, dims["code"].map(books.bits).to_numpy(dtype=np.int64))
        summed = pd.Series(value, index=dims["story"].to_numpy()).groupby(level=0).sum()
        mask.loc[summed.index] = summed.to_numpy()
    frame["dimensions"] = mask
    return _typed(frame[FACT_FIELDS].reset_index(drop=True))


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """One dtype per fact column, whether computed or read back, so rows compare equal."""
    out = frame.copy()
    for field in StoryFact._meta.concrete_fields:
        column = field.attname
        if column == "submitted_at":
            out[column] = pd.to_datetime(out[column], utc=True)
        elif field.get_internal_type() == "BooleanField":
            out[column] = out[column].astype(bool)
        elif field.get_internal_type() == "CharField":
            out[column] = out[column].fillna("").astype(object)
        else:
            out[column] = out[column].fillna(0).astype(np.int64)
    return out


def _storable(facts: pd.DataFrame) -> pd.DataFrame:
    """Facts with ``submitted_at`` as the database adapter wants it."""
    adapt = connection.ops.adapt_datetimefield_value
    moments = pd.to_datetime(facts["submitted_at"], utc=True)
    return facts.assign(
        submitted_at=[adapt(m.to_pydatetime()) if pd.notna(m) else None for m in moments]
    )


def tally_frame(facts: pd.DataFrame, books: Codebooks) -> pd.DataFrame:
    """The tallies of a fact frame: per cell (campaign, organisation, unit, shared, month and
    month 0 for all months) a collection count of every story, and for analysable stories
    the counts per attribute value, screening code and dimension code.

    Built as one long frame of (cell, attribute, value, code, measures) rows, one per story
    and count it adds to, then summed in a single group-by: cheap for one story and for a
    million alike."""
    if facts.empty:
        return pd.DataFrame({column: pd.Series(dtype=object) for column in KEY + MEASURES})
    parts = []
    head = {c: facts[c].to_numpy() for c in ("campaign_id", "organisation_id", "unit_id", "shared")}
    state = np.where(
        facts["erased"],
        "erased",
        np.where(facts["analysable"], "analysable", "no_research_consent"),
    )
    parts.append(_part(head, 0, COLLECTION, state, 0, _one(len(facts))))

    a = facts[facts["analysable"].to_numpy()].reset_index(drop=True)
    if len(a):
        n = len(a)
        coded = (a["included"] & a["settled"]).to_numpy().astype(np.int64)
        bits = sorted(books.bits.items(), key=lambda kv: kv[1])
        code_ids = np.array([code for code, _ in bits], dtype=np.int64)
        shifts = np.array([bit for _, bit in bits], dtype=np.int64)
        has = ((a["dimensions"].to_numpy()[:, None] >> shifts[None, :]) & 1).astype(bool)
        has &= coded[:, None] == 1
        count = has.sum(axis=1)
        measures = np.stack(
            [np.ones(n, dtype=np.int64), coded, coded * (count > 0), coded * (count > 1)],
            axis=1,
        )
        rows, columns = np.nonzero(has)  # one row per (coded story, dimension code)
        codes = code_ids[columns]
        a_head = {c: a[c].to_numpy() for c in head}
        r_head = {c: v[rows] for c, v in a_head.items()}
        for month in (a["month"].to_numpy(), np.zeros(n, dtype=np.int64)):
            parts.append(_part(a_head, month, "all", "", 0, measures))
            parts.append(
                _part(a_head, month, SCREENING, "", a["screening_code"].to_numpy(), _one(n))
            )
            parts.append(_part(r_head, month[rows], "all", "", codes, _one(len(rows))))
            for attribute in ATTRIBUTES:
                values = a[attribute].to_numpy()
                parts.append(_part(a_head, month, attribute, values, 0, measures))
                parts.append(
                    _part(r_head, month[rows], attribute, values[rows], codes, _one(len(rows)))
                )
    out = pd.DataFrame({c: np.concatenate([part[c] for part in parts]) for c in KEY + MEASURES})
    out = out.groupby(KEY, as_index=False, sort=False)[MEASURES].sum()
    for column in ("code", *MEASURES):
        out[column] = out[column].astype(np.int64)
    return out[KEY + MEASURES]


def _one(n: int) -> np.ndarray:
    """Measures of a row that counts one story and nothing else."""
    out = np.zeros((n, len(MEASURES)), dtype=np.int64)
    out[:, 0] = 1
    return out


def _part(head: dict, month, attribute: str, value, code, measures) -> dict:
    """The columns of some tally rows (a frame is made once, of all parts together)."""
    n = len(measures)
    frame = dict(head)
    frame["month"] = np.broadcast_to(np.asarray(month, dtype=np.int64), (n,))
    frame["attribute"] = np.full(n, attribute, dtype=object)
    frame["value"] = np.broadcast_to(np.asarray(value, dtype=object), (n,))
    frame["code"] = np.broadcast_to(np.asarray(code, dtype=np.int64), (n,))
    for i, column in enumerate(MEASURES):
        frame[column] = measures[:, i]
    return frame


def _insert(table: str, columns: list[str], frame: pd.DataFrame, cursor) -> None:
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608 (own names)
    _execute(sql, columns, frame, cursor)


def _execute(sql: str, columns: list[str], frame: pd.DataFrame, cursor) -> None:
    """Run ``sql`` for each row of ``frame[columns]`` (plain Python values, NULL for NaN),
    50,000 rows per ``executemany``."""
    values = frame[columns].astype(object).where(frame[columns].notna(), None)
    records = values.itertuples(index=False, name=None)
    chunk = []
    for record in records:
        chunk.append(tuple(v.item() if hasattr(v, "item") else v for v in record))
        if len(chunk) == 50_000:
            cursor.executemany(sql, chunk)
            chunk = []
    if chunk:
        cursor.executemany(sql, chunk)


def rebuild() -> dict:
    """Recompute every fact and tally from the stories and final codes."""
    with transaction.atomic():
        books = Codebooks()
        facts = fact_frame(books)
        tallies = tally_frame(facts, books)
        tallies = tallies[(tallies[MEASURES] != 0).any(axis=1)]
        StoryFact.objects.all().delete()
        Tally.objects.all().delete()
        with connection.cursor() as cursor:
            _insert("analysis_storyfact", FACT_FIELDS, _storable(facts), cursor)
            _insert("analysis_tally", KEY + MEASURES, tallies, cursor)
    return {
        "stories": len(facts),
        "analysable": int(facts["analysable"].sum()),
        "tallies": len(tallies),
    }
