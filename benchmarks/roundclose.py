"""Settling a coding round at scale, with the analysis tables kept current.

A temporary SQLite database is migrated and filled with bulk inserts: 10,000 stories in one
campaign, a round of all of them on the ``dimensions`` codebook, double-coded by two coders
(each story 1 to 3 of the 8 dimensions; the second coder differs on about one story in ten).
Every story is already screened as a Mangomoment and counted in the analysis tables.

- Close: ``mango.lifecycle.actions.close_round``, what the round's "Close" button calls: the
  agreed stories get their decision and final codes, and their facts and tallies are updated,
  in one transaction. Target: under 5 s.
- Adjudicate: ``lifecycle.actions.adjudicate`` for 500 of the stories the coders disagree on,
  one call each as the adjudication page makes them (mean and p95 per story).

Afterwards the incremental tables are compared with a rebuild from scratch: a benchmark that
got its speed by skipping the facts would fail here.

    .venv/bin/python benchmarks/roundclose.py    # writes results/roundclose.json and .md
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))

from workbench import setup_database  # noqa: E402

ROUND_STORIES, ADJUDICATE = 10_000, 500


def _fill(n: int):
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from mango.accounts.models import Membership
    from mango.analysis import facts
    from mango.organisations.models import Campaign, Organisation
    from mango.research.models import (
        Assignment,
        Code,
        Codebook,
        Coding,
        CodingRound,
        Decision,
        FinalCode,
        RoundCoder,
    )
    from mango.stories.models import Story

    rng = random.Random(11)
    org = Organisation.objects.create(name="Bench", slug="bench", kind="hospital")
    campaign = Campaign.objects.create(name="Bench", slug="bench", opens_on=dt.date(2024, 1, 1))
    campaign.organisations.set([org])
    User = get_user_model()
    users = {}
    for name in ("lead", "coder1", "coder2"):
        users[name] = User.objects.create_user(name, password="bench-only")  # noqa: S106
        Membership.objects.create(user=users[name], organisation=None, role="researcher")
    book = Codebook.objects.get(slug="dimensions")
    dims = list(Code.objects.filter(codebook=book, active=True).order_by("order"))
    mango = Code.objects.get(codebook__slug="screening", key="mangomoment")
    now = timezone.now()
    roles = ["patient", "family", "professional", "resident"]
    with transaction.atomic():
        stories = Story.objects.bulk_create(
            [
                Story(
                    text="bench",
                    text_redacted="bench",
                    language="nl",
                    teller_role=rng.choice(roles),
                    setting="hospital",
                    oncological=rng.choice(["yes", "no"]),
                    happened="month",
                    gesture_by="nurse",
                    consent_research=True,
                    consent_sharing=rng.random() < 0.7,
                    organisation=org,
                    campaign=campaign,
                    status="deidentified",
                    submitted_at=now - dt.timedelta(days=rng.randint(0, 300)),
                )
                for _ in range(n)
            ],
            batch_size=2000,
        )
        screening = Codebook.objects.get(slug="screening")
        Decision.objects.bulk_create(
            [Decision(story=s, codebook=screening, method="agreed") for s in stories], 2000
        )
        FinalCode.objects.bulk_create([FinalCode(story=s, code=mango) for s in stories], 2000)
        round = CodingRound.objects.create(
            name="Bench round", codebook=book, created_by=users["lead"], coders_per_story=2
        )
        coders = [users["coder1"], users["coder2"]]
        RoundCoder.objects.bulk_create([RoundCoder(round=round, user=c) for c in coders])
        assignments, codings, disagree = [], [], []
        for i, story in enumerate(stories):
            given = rng.sample(dims, rng.randint(1, 3))
            other = given
            if rng.random() < 0.1:
                other = [*given[1:], rng.choice([d for d in dims if d not in given])]
                disagree.append(story)
            for coder, codes in zip(coders, (given, other), strict=True):
                assignments.append(
                    Assignment(round=round, story=story, coder=coder, position=i, done_at=now)
                )
                codings += [Coding(round=round, story=story, coder=coder, code=c) for c in codes]
        Assignment.objects.bulk_create(assignments, batch_size=5000)
        Coding.objects.bulk_create(codings, batch_size=5000)
    facts.rebuild()
    return round, users["lead"], disagree, dims


def _equal_to_rebuild() -> bool:
    from mango.analysis import facts
    from mango.analysis.models import StoryFact, Tally

    def snapshot():
        stored = sorted(StoryFact.objects.values_list())
        tallies = sorted(
            row
            for row in Tally.objects.values_list(*facts.KEY, *facts.MEASURES)
            if any(row[len(facts.KEY) :])
        )
        return stored, tallies

    incremental = snapshot()
    facts.rebuild()
    return incremental == snapshot()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, default=ROUND_STORIES)
    parser.add_argument("--adjudicate", type=int, default=ADJUDICATE)
    parser.add_argument("--out", type=Path, default=HERE / "results")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        setup_database(Path(tmp), "roundclose")
        from mango.analysis.models import StoryFact
        from mango.lifecycle import actions

        started = time.perf_counter()
        round, lead, disagree, dims = _fill(args.stories)
        fill_s = time.perf_counter() - started
        settled_before = StoryFact.objects.filter(settled=True).count()

        started = time.perf_counter()
        summary = actions.close_round(lead, round)
        close_s = time.perf_counter() - started
        settled_after = StoryFact.objects.filter(settled=True).count()

        rng = random.Random(5)
        times = []
        for story in disagree[: args.adjudicate]:
            keys = [c.key for c in rng.sample(dims, 2)]
            started = time.perf_counter()
            actions.adjudicate(lead, round, story, keys, "bench")
            times.append(time.perf_counter() - started)
        equal = _equal_to_rebuild()

    load = os.getloadavg()
    result = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "load_before_1m": round_(load[0])},
        "stories": args.stories,
        "fill_s": round_(fill_s),
        "close_s": round_(close_s),
        "close_summary": summary,
        "settled_in_facts": {"before": settled_before, "after": settled_after},
        "adjudicated": len(times),
        "adjudicate_mean_ms": round_(1000 * statistics.mean(times)) if times else None,
        "adjudicate_p95_ms": round_(1000 * sorted(times)[int(0.95 * (len(times) - 1))])
        if times
        else None,
        "adjudicate_total_s": round_(sum(times)),
        "facts_equal_rebuild": equal,
        "target_close_s": 5.0,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "roundclose.json").write_text(json.dumps(result, indent=2) + "\n")
    (args.out / "roundclose.md").write_text(_markdown(result))
    print(_markdown(result))
    if not equal:
        sys.exit("The analysis tables after closing and adjudicating differ from a rebuild.")


def round_(x: float) -> float:
    return round(x, 3)


def _markdown(r: dict) -> str:
    return (
        "# Closing a round and adjudicating, with the analysis tables kept current\n\n"
        f"`benchmarks/roundclose.py`, {r['date']}, SQLite, {r['machine']['cpus']} CPUs, "
        f"load {r['machine']['load_before_1m']} (1 min) when it ended.\n\n"
        "| step | figure |\n| --- | ---: |\n"
        f"| close a round of {r['stories']:,} double-coded stories | **{r['close_s']} s** "
        f"(target < {r['target_close_s']} s) |\n"
        f"| stories settled by the close | {r['close_summary']['agreed']:,} "
        f"({r['close_summary']['to_adjudicate']:,} to adjudicate) |\n"
        f"| settled stories in the facts, before / after | "
        f"{r['settled_in_facts']['before']:,} / {r['settled_in_facts']['after']:,} |\n"
        f"| adjudicate {r['adjudicated']} stories, one call each | mean "
        f"{r['adjudicate_mean_ms']} ms, p95 {r['adjudicate_p95_ms']} ms, total "
        f"{r['adjudicate_total_s']} s |\n"
        f"| facts and tallies equal a rebuild afterwards | {r['facts_equal_rebuild']} |\n"
    )


if __name__ == "__main__":
    main()
