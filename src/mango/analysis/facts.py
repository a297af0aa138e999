"""Keep ``StoryFact`` and ``Tally`` equal to what the stories and final codes say.

``refresh(story_ids)`` recomputes the facts of some stories from ``Story``, ``Decision`` and
``FinalCode`` and applies the difference to the tallies (old contribution out, new one in),
in the caller's transaction; the signals in ``signals.py`` call it on every save or delete of
a story, decision or final code, and bulk writers (imports, the demo) call it themselves.
``rebuild()`` recomputes everything from scratch with pandas (``mango analysis rebuild``);
tests hold the incremental path equal to a rebuild.

The dashboards read the tallies; the report reads the facts. A story counts for analysis
(``analysable``) while its teller consents to research and it is not erased: withdrawing that
consent or erasing the story takes it out of every count in the same transaction.
"""

from __future__ import annotations

from collections import defaultdict
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
from django.conf import settings
from django.db import connection, transaction

from mango.lib.analysis import describe
from mango.research.models import Code, Codebook, Decision, FinalCode
from mango.stories.models import Story

from .models import DimensionBit, StoryFact, Tally

SCREENING = "screening"
MANGOMOMENT = "mangomoment"
DIMENSIONS = "dimensions"
# Attributes a tally splits stories by (besides "all"); respondent_group is derived.
ATTRIBUTES = ("teller_role", "setting", "oncological", "respondent_group")
COLLECTION = "collection"  # every story, analysable or not: received / no consent / erased
MAX_BITS = 63

CELL = ["campaign_id", "organisation_id", "unit_id", "shared", "month"]
KEY = [*CELL, "attribute", "value", "code"]
MEASURES = ["n", "coded", "labelled", "multi"]
FACT_FIELDS = [f.attname for f in StoryFact._meta.concrete_fields]


def respondent_group(role: str, oncological: str) -> str:
    """As ``describe.respondent_group`` for one story; "" outside the three groups."""
    if role == describe.PROFESSIONALS:
        return describe.PROFESSIONALS
    if role in describe.PATIENT_ROLES and oncological == "yes":
        return describe.ONCOLOGICAL_PATIENTS
    if role in describe.PATIENT_ROLES and oncological == "no":
        return describe.OTHER_PATIENTS
    return ""


def _month(moment, zone) -> int:
    local = moment.astimezone(zone)
    return local.year * 100 + local.month


class Codebooks:
    """The two codebooks' ids, code keys and dimension bits, read once per refresh."""

    def __init__(self):
        books = dict(
            Codebook.objects.filter(slug__in=[SCREENING, DIMENSIONS]).values_list("slug", "pk")
        )
        self.screening = books.get(SCREENING)
        self.dimensions = books.get(DIMENSIONS)
        self.keys = dict(
            Code.objects.filter(codebook_id__in=[b for b in books.values()]).values_list(
                "pk", "key"
            )
        )
        self.mangomoment = next(
            (
                pk
                for pk, key in Code.objects.filter(codebook_id=self.screening).values_list(
                    "pk", "key"
                )
                if key == MANGOMOMENT
            ),
            None,
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

    def codes_of(self, mask: int) -> list[int]:
        return [code for code, bit in self.bits.items() if mask >> bit & 1]


def _screening_choice(codes: set, books: Codebooks) -> int:
    """The Mangomoment code when given, else the exclusion reason with the first key."""
    if not codes:
        return 0
    if books.mangomoment in codes:
        return books.mangomoment
    return min(codes, key=lambda c: books.keys.get(c, ""))


def compute(story_ids, books: Codebooks) -> dict[int, dict]:
    """The facts of these stories as they are now (absent: the story no longer exists)."""
    ids = list(story_ids)
    zone = ZoneInfo(settings.TIME_ZONE)
    rows = Story.objects.filter(pk__in=ids).values_list(
        "pk",
        "campaign_id",
        "organisation_id",
        "unit_id",
        "consent_sharing",
        "consent_research",
        "erased_at",
        "submitted_at",
        "source",
        "teller_role",
        "setting",
        "oncological",
    )
    screened, dims = defaultdict(set), defaultdict(int)
    settled = set(
        Decision.objects.filter(story_id__in=ids, codebook_id=books.dimensions).values_list(
            "story_id", flat=True
        )
    )
    for story_id, code_id, codebook_id in FinalCode.objects.filter(
        story_id__in=ids, code__codebook_id__in=[books.screening, books.dimensions]
    ).values_list("story_id", "code_id", "code__codebook_id"):
        if codebook_id == books.screening:
            screened[story_id].add(code_id)
        else:
            dims[story_id] |= 1 << books.bit(code_id)
    out = {}
    for (
        pk,
        campaign,
        org,
        unit,
        shared,
        research,
        erased_at,
        submitted,
        source,
        role,
        setting,
        onc,
    ) in rows:
        choice = _screening_choice(screened.get(pk, set()), books)
        out[pk] = {
            "story_id": pk,
            "campaign_id": campaign or 0,
            "organisation_id": org or 0,
            "unit_id": unit or 0,
            "shared": bool(shared),
            "analysable": bool(research) and erased_at is None,
            "erased": erased_at is not None,
            "month": _month(submitted, zone),
            "submitted_at": submitted,
            "source": source or "",
            "teller_role": role or "",
            "setting": setting or "",
            "oncological": onc or "",
            "respondent_group": respondent_group(role, onc),
            "screening_code": choice,
            "included": bool(choice) and choice == books.mangomoment,
            "settled": pk in settled,
            "dimensions": dims.get(pk, 0),
        }
    return out


def contribution(fact: dict, books: Codebooks, sign: int, into: dict) -> None:
    """Add (``sign`` +1) or take away (-1) one story's counts in ``into[key] = [measures]``."""

    def add(key, measures):
        row = into.setdefault(key, [0, 0, 0, 0])
        for i, v in enumerate(measures):
            row[i] += sign * v

    head = (fact["campaign_id"], fact["organisation_id"], fact["unit_id"], fact["shared"])
    state = (
        "erased"
        if fact["erased"]
        else ("analysable" if fact["analysable"] else "no_research_consent")
    )
    add((*head, 0, COLLECTION, state, 0), (1, 0, 0, 0))
    if not fact["analysable"]:
        return
    coded = int(fact["included"] and fact["settled"])
    codes = books.codes_of(fact["dimensions"]) if coded else []
    measures = (1, coded, int(coded and len(codes) > 0), int(coded and len(codes) > 1))
    for month in (fact["month"], 0):
        cell = (*head, month)
        add((*cell, "all", "", 0), measures)
        add((*cell, SCREENING, "", fact["screening_code"]), (1, 0, 0, 0))
        for code in codes:
            add((*cell, "all", "", code), (1, 0, 0, 0))
        for attribute in ATTRIBUTES:
            value = fact[attribute]
            add((*cell, attribute, value, 0), measures)
            for code in codes:
                add((*cell, attribute, value, code), (1, 0, 0, 0))


# Fixed column names only; values go as parameters.
UPSERT = (  # noqa: S608
    "INSERT INTO analysis_tally ({columns}) VALUES ({marks}) "
    "ON CONFLICT (attribute, month, organisation_id, unit_id, campaign_id, shared, value, code) "
    "DO UPDATE SET n = analysis_tally.n + excluded.n, "
    "coded = analysis_tally.coded + excluded.coded, "
    "labelled = analysis_tally.labelled + excluded.labelled, "
    "multi = analysis_tally.multi + excluded.multi"
).format(columns=", ".join(KEY + MEASURES), marks=", ".join(["%s"] * (len(KEY) + len(MEASURES))))


def refresh(story_ids) -> int:
    """Bring the facts and tallies of these stories up to date; returns how many changed."""
    ids = sorted({int(i) for i in story_ids})
    if not ids:
        return 0
    with transaction.atomic():
        books = Codebooks()
        # Lock the stories (PostgreSQL) so two refreshes of one story cannot both apply it.
        list(Story.objects.select_for_update().filter(pk__in=ids).values_list("pk", flat=True))
        new = compute(ids, books)
        old = {
            row["story_id"]: row
            for row in StoryFact.objects.filter(story_id__in=ids).values(*FACT_FIELDS)
        }
        delta, changed = {}, 0
        for story_id in ids:
            before, after = old.get(story_id), new.get(story_id)
            if before == after:
                continue
            changed += 1
            if before is not None:
                contribution(before, books, -1, delta)
            if after is not None:
                contribution(after, books, +1, delta)
        if not changed:
            return 0
        rows = [(*key, *m) for key, m in delta.items() if any(m)]
        with connection.cursor() as cursor:
            cursor.executemany(UPSERT, rows)
        gone = [i for i in ids if i in old and i not in new]
        StoryFact.objects.filter(story_id__in=gone).delete()
        for story_id, fact in new.items():
            if old.get(story_id) != fact:
                StoryFact.objects.update_or_create(story_id=story_id, defaults=fact)
    return changed


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
        counted += refresh(ids)


# --- Rebuild from scratch -----------------------------------------------------------------


def fact_frame(books: Codebooks) -> pd.DataFrame:
    """Every story's facts, computed with set-based queries."""
    columns = [
        "story_id",
        "campaign_id",
        "organisation_id",
        "unit_id",
        "shared",
        "research",
        "erased_at",
        "submitted_at",
        "source",
        "teller_role",
        "setting",
        "oncological",
    ]
    rows = Story.objects.order_by().values_list(
        "pk",
        "campaign_id",
        "organisation_id",
        "unit_id",
        "consent_sharing",
        "consent_research",
        "erased_at",
        "submitted_at",
        "source",
        "teller_role",
        "setting",
        "oncological",
    )
    frame = pd.DataFrame.from_records(list(rows.iterator(chunk_size=50_000)), columns=columns)
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

    screened = pd.DataFrame.from_records(
        list(
            FinalCode.objects.filter(code__codebook_id=books.screening)
            .values_list("story_id", "code_id")
            .iterator(chunk_size=50_000)
        ),
        columns=["story", "code"],
    )
    choice = pd.Series(0, index=frame.index, dtype=np.int64)
    if len(screened):
        screened["key"] = screened["code"].map(books.keys)
        mango = screened[screened["code"] == books.mangomoment]
        others = screened[~screened["story"].isin(mango["story"])].sort_values(["story", "key"])
        first = others.drop_duplicates("story")
        picked = pd.concat([mango.drop_duplicates("story"), first])
        picked = picked[picked["story"].isin(frame.index)]
        choice.loc[picked["story"].to_numpy()] = picked["code"].to_numpy()
    frame["screening_code"] = choice
    frame["included"] = (
        (choice == books.mangomoment) & (choice != 0) if books.mangomoment else False
    )
    settled = np.fromiter(
        Decision.objects.filter(codebook_id=books.dimensions)
        .values_list("story_id", flat=True)
        .iterator(chunk_size=50_000),
        dtype=np.int64,
    )
    frame["settled"] = frame.index.isin(settled)
    dims = pd.DataFrame.from_records(
        list(
            FinalCode.objects.filter(code__codebook_id=books.dimensions)
            .values_list("story_id", "code_id")
            .iterator(chunk_size=50_000)
        ),
        columns=["story", "code"],
    )
    mask = pd.Series(0, index=frame.index, dtype=np.int64)
    if len(dims):
        for code in sorted(dims["code"].unique(), key=lambda c: (books.keys.get(c, ""), c)):
            books.bit(int(code))
        dims["value"] = np.left_shift(1, dims["code"].map(books.bits).to_numpy(dtype=np.int64))
        summed = dims.groupby("story")["value"].sum()
        summed = summed[summed.index.isin(frame.index)]
        mask.loc[summed.index] = summed.to_numpy()
    frame["dimensions"] = mask
    return frame[FACT_FIELDS].reset_index(drop=True)


def tally_frame(facts: pd.DataFrame, books: Codebooks) -> pd.DataFrame:
    """The tallies of a fact frame, vectorised (the same cells ``contribution`` adds)."""
    parts = []
    head = ["campaign_id", "organisation_id", "unit_id", "shared"]

    collection = facts[head].copy()
    collection["month"] = 0
    collection["attribute"] = COLLECTION
    collection["value"] = np.where(
        facts["erased"],
        "erased",
        np.where(facts["analysable"], "analysable", "no_research_consent"),
    )
    collection["code"] = 0
    collection["n"] = 1
    parts.append(collection.groupby(KEY, as_index=False)[["n"]].sum())

    a = facts[facts["analysable"]].copy()
    a["n"] = 1
    coded = (a["included"] & a["settled"]).astype(np.int64)
    bits = sorted(books.bits.items(), key=lambda kv: kv[1])
    count = np.zeros(len(a), dtype=np.int64)
    for _, bit in bits:
        count += (a["dimensions"].to_numpy() >> bit) & 1
    a["coded"] = coded
    a["labelled"] = coded * (count > 0)
    a["multi"] = coded * (count > 1)
    a["all"] = ""
    long = []
    for code, bit in bits:
        has = (coded.to_numpy() == 1) & ((a["dimensions"].to_numpy() >> bit) & 1 == 1)
        if has.any():
            long.append(a.loc[has].assign(code=code))
    long = pd.concat(long) if long else None
    for month_zero in (False, True):
        b = a.assign(month=0) if month_zero else a
        scr = b[[*CELL, "screening_code", "n"]].rename(columns={"screening_code": "code"})
        scr = scr.groupby([*CELL, "code"], as_index=False)["n"].sum()
        parts.append(scr.assign(attribute=SCREENING, value=""))
        for attribute in ("all", *ATTRIBUTES):
            g = b.groupby([*CELL, attribute], as_index=False)[MEASURES].sum()
            parts.append(g.rename(columns={attribute: "value"}).assign(attribute=attribute, code=0))
            if long is not None:
                lb = long.assign(month=0) if month_zero else long
                c = lb.groupby([*CELL, attribute, "code"], as_index=False)["n"].sum()
                parts.append(c.rename(columns={attribute: "value"}).assign(attribute=attribute))
    out = pd.concat(parts, ignore_index=True)
    for m in MEASURES:
        out[m] = out[m].fillna(0).astype(np.int64)
    out["code"] = out["code"].astype(np.int64)
    return out[KEY + MEASURES]


def _insert(table: str, columns: list[str], frame: pd.DataFrame, cursor) -> None:
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608 (own names)
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
        adapt = connection.ops.adapt_datetimefield_value
        moments = pd.to_datetime(facts["submitted_at"], utc=True)
        facts = facts.assign(
            submitted_at=[adapt(m.to_pydatetime()) if pd.notna(m) else None for m in moments]
        )
        with connection.cursor() as cursor:
            _insert("analysis_storyfact", FACT_FIELDS, facts, cursor)
            _insert("analysis_tally", KEY + MEASURES, tallies, cursor)
    return {
        "stories": len(facts),
        "analysable": int(facts["analysable"].sum()),
        "tallies": len(tallies),
    }
