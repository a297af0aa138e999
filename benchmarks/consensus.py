"""Consensus studies at scale: summarising a Delphi study (and, later, the live screen).

The script is a list of sections (``SECTIONS``); each is a function that takes the parsed
arguments, measures one thing and returns a dict of figures with a ``markdown`` list of table
rows and a ``met`` flag for its target. ``--only NAME`` runs some of them; the results of
sections not run are kept from the previous ``results/consensus.json``. To add a section,
write ``def section_<name>(args) -> dict`` and add it to ``SECTIONS``.

- ``summarise``: a study of 300 panellists in six stakeholder groups rating 120 items over
  3 rounds (about 8 % of panellists drop out per round, 4 % "unable to judge"): the ratings as
  CSV rows checked into ``Rating`` objects (what ``mango consensus summarise`` reads), then
  counted once (``tabulate``) and every rule applied with every scope (4 x 3), stability
  between rounds per group, attrition per group and the result table rows. Target: the whole
  summary under 2 s (the best of ``--repeat`` runs; the median and the CPU time are
  reported too). The medians and quartiles of a sample
  of items are checked against numpy, so a fast wrong answer fails.
- ``live``: the live screen of a consensus meeting with 100 voters: a temporary SQLite
  database, a study with two criteria and 20 statements, 100 participants who joined with the
  room code. For each of 10 statements the facilitator puts it on the screen and the voters
  vote on both criteria one by one (``actions.live_vote``, what the phones' form calls); after
  every fifth vote the projector's poll is timed: the screen fragment through Django's test
  client (middleware, session, access check, the queries, the lib's distribution, the
  template). The last statement is also re-voted, and the top-5 screen (Borda) is timed with
  100 ballots. Target: p95 of the screen update under 200 ms. The figures on the screen are
  checked against the votes cast, so a fast wrong screen fails.

    .venv/bin/python benchmarks/consensus.py    # writes results/consensus.json and .md
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

PANELLISTS, ITEMS, ROUNDS = 300, 120, 3
GROUPS = ("patient", "family", "professional", "manager", "researcher", "policymaker")
TARGET_SUMMARISE_S = 2.0


def _study(seed: int) -> list[dict[str, str]]:
    """The study as CSV-like text rows: item, panellist, round, score ('' = unable), group."""
    rng = random.Random(seed)
    panel = [(f"p{i:03d}", GROUPS[i % len(GROUPS)]) for i in range(PANELLISTS)]
    leanings = [rng.uniform(2.5, 8.5) for _ in range(ITEMS)]
    rows, active = [], list(panel)
    for round in range(1, ROUNDS + 1):
        if round > 1:
            active = [p for p in active if rng.random() > 0.08]
        for item, leaning in enumerate(leanings):
            centre = leaning + (round - 1) * (0.3 if leaning > 5 else -0.3)  # converging
            for who, group in active:
                if rng.random() < 0.04:
                    score = ""
                else:
                    score = str(min(9, max(1, round_half(rng.gauss(centre, 1.6)))))
                rows.append(
                    {
                        "item": f"S{item + 1:03d}",
                        "panellist": who,
                        "round": str(round),
                        "score": score,
                        "group": group,
                    }
                )
    return rows


def round_half(x: float) -> int:
    return int(x + 0.5)


def section_summarise(args) -> dict:
    import numpy as np

    from mango.lib.consensus import (
        KINDS,
        SCOPES,
        Rule,
        apply,
        attrition,
        ratings_from_rows,
        stability,
        tabulate,
    )
    from mango.lib.consensus.report import result_rows

    rows = _study(args.seed)
    rules = [Rule.make(kind, scope) for kind in KINDS for scope in SCOPES]
    read_s, summary_s, total_s, cpu_s, statuses = [], [], [], [], {}
    for _ in range(args.repeat):
        started, cpu = time.perf_counter(), time.process_time()
        ratings = ratings_from_rows(
            rows, item="item", panellist="panellist", round="round", score="score", group="group"
        )
        read_s.append(time.perf_counter() - started)
        middle = time.perf_counter()
        table = tabulate(ratings)
        results = {rule: apply(table, rule) for rule in rules}
        changes = stability(results[rules[0]], groups=True)
        dropouts = attrition(ratings)
        table_rows = [result_rows(r, rule) for rule, r in results.items()]
        ended = time.perf_counter()
        summary_s.append(ended - middle)
        total_s.append(ended - started)
        cpu_s.append(time.process_time() - cpu)
    for rule, result in results.items():
        counts = {s: 0 for s in ("in", "out", "undecided")}
        for r in result:
            counts[r.status] += 1
        statuses[f"{rule.kind}/{rule.scope}"] = counts

    # Correctness: a sample of item-rounds against numpy, from the raw rows.
    rng = random.Random(1)
    checked = 0
    for cell in rng.sample(table.cells, 40):
        values = [
            int(r["score"])
            for r in rows
            if r["item"] == cell.item and r["round"] == cell.round and r["score"]
        ]
        expected = np.percentile(values, [25, 50, 75])
        got = [cell.panel.q1, cell.panel.median, cell.panel.q3]
        if not np.allclose(got, expected) or cell.panel.n != len(values):
            raise SystemExit(f"{cell.item} round {cell.round}: {got} != numpy {list(expected)}")
        checked += 1

    # Best of the runs, as timeit does: on a shared machine the slower runs measure the other
    # load; the median and the CPU time are reported beside it.
    best = min(range(len(total_s)), key=total_s.__getitem__)
    read, summary, total = read_s[best], summary_s[best], total_s[best]
    median = statistics.median(total_s)
    cpu = statistics.median(cpu_s)
    return {
        "study": {
            "panellists": PANELLISTS,
            "items": ITEMS,
            "rounds": ROUNDS,
            "groups": len(GROUPS),
            "ratings": len(ratings),
            "item_rounds": len(table.cells),
        },
        "rules_applied": len(rules),
        "repeat": args.repeat,
        "read_s": round(read, 3),
        "summarise_s": round(summary, 3),
        "total_s": round(total, 3),
        "total_median_s": round(median, 3),
        "total_cpu_s_median": round(cpu, 3),
        "total_s_all": [round(x, 3) for x in total_s],
        "stability_rows": len(changes),
        "attrition_rows": len(dropouts),
        "result_rows_per_rule": len(table_rows[0]),
        "statuses": statuses,
        "checked_against_numpy": checked,
        "target_s": TARGET_SUMMARISE_S,
        "met": total < TARGET_SUMMARISE_S,
        "markdown": [
            f"| summarise {PANELLISTS} panellists x {ITEMS} items x {ROUNDS} rounds "
            f"({len(ratings):,} ratings, {len(GROUPS)} groups): check the rows, count once, "
            f"{len(rules)} rule x scope combinations, stability, attrition, table rows | "
            f"**{total:.3f} s** (target < {TARGET_SUMMARISE_S} s; best of {args.repeat}: "
            f"reading {read:.3f} s, summarising {summary:.3f} s; median {median:.3f} s, CPU "
            f"time {cpu:.3f} s) |",
            f"| quartiles of {checked} sampled item-rounds equal numpy's | yes |",
        ],
    }


TARGET_LIVE_P95_MS = 200.0
LIVE_VOTERS, LIVE_ITEMS, LIVE_SHOWN = 100, 20, 10


def section_live(args) -> dict:
    """The live screen's update with 100 voters (see the module docstring)."""
    import re
    import tempfile

    sys.path.insert(0, str(HERE))
    from workbench import setup_database

    workdir = tempfile.TemporaryDirectory(prefix="mango-consensus-live-")
    setup_database(Path(workdir.name), "consensus_live")
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse
    from django.utils import translation

    from mango.accounts.models import Membership
    from mango.consensus import actions

    rng = random.Random(args.seed)
    lead = get_user_model().objects.create_user("lead", password="bench-only")  # noqa: S106
    Membership.objects.create(user=lead, organisation=None, role="researcher")
    study = actions.create_study(
        lead,
        title="Live bench",
        kind="meeting",
        question={"en": "What matters?"},
        criteria=[
            {"key": "importance", "label": {"en": "Importance"}},
            {"key": "feasibility", "label": {"en": "Feasibility"}},
        ],
    )
    items = [
        actions.add_item(lead, study, text={"en": f"Statement {n}"}, audit=False)
        for n in range(1, LIVE_ITEMS + 1)
    ]
    session = actions.create_live_session(lead, study, name="Room")
    voters = [actions.live_join(session, GROUPS[n % 5]) for n in range(LIVE_VOTERS)]
    criteria = list(study.criteria.all())
    client = Client(HTTP_HOST="localhost")
    client.force_login(lead)
    with translation.override("en"):
        url = reverse("consensus:live_screen", args=[study.pk, session.pk])
    client.get(url)  # warm: templates compiled, the session row cached like a running screen

    timings, checked = [], 0
    shown = items[:LIVE_SHOWN]
    for n, item in enumerate(shown):
        actions.live_show(lead, session, item=item)
        ballots = 2 if n == len(shown) - 1 else 1
        for ballot in range(ballots):
            if ballot:
                actions.live_revote(lead, session)
            cast = []
            for v, voter in enumerate(voters):
                score = min(9, max(1, round_half(rng.gauss(6.5, 1.8))))
                for criterion in criteria:
                    actions.live_vote(voter, criterion, score)
                cast.append(score)
                if (v + 1) % 5 == 0:
                    started = time.perf_counter()
                    response = client.get(url)
                    timings.append((time.perf_counter() - started) * 1000)
                    if response.status_code != 200:
                        raise SystemExit(f"screen: HTTP {response.status_code}")
            # The screen after the last vote shows every vote of this ballot.
            text = response.content.decode()
            if f"{LIVE_VOTERS} of {LIVE_VOTERS} voted" not in text:
                raise SystemExit("the screen does not count every voter")
            counts = ", ".join(f"{s}: {cast.count(s)}" for s in range(1, 10))
            if counts not in text:
                raise SystemExit(f"the screen's distribution is not the votes cast ({counts})")
            checked += 1

    actions.live_show(lead, session, item=None, mode="ranking")
    for voter in voters:
        actions.live_rank(voter, rng.sample(items, 5))
    ranking_ms = []
    for _ in range(60):
        started = time.perf_counter()
        response = client.get(url)
        ranking_ms.append((time.perf_counter() - started) * 1000)
    if not re.search(rf"{LIVE_VOTERS} of {LIVE_VOTERS} voted", response.content.decode()):
        raise SystemExit("the ranking screen does not count every ballot")
    workdir.cleanup()

    timings.sort()
    p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
    p50 = statistics.median(timings)
    ranking_p95 = sorted(ranking_ms)[int(len(ranking_ms) * 0.95) - 1]
    return {
        "voters": LIVE_VOTERS,
        "statements_voted": len(shown),
        "screen_updates_timed": len(timings),
        "screen_p50_ms": round(p50, 1),
        "screen_p95_ms": round(p95, 1),
        "screen_max_ms": round(timings[-1], 1),
        "ranking_p95_ms": round(ranking_p95, 1),
        "ballots_checked": checked,
        "target_p95_ms": TARGET_LIVE_P95_MS,
        "met": p95 < TARGET_LIVE_P95_MS,
        "markdown": [
            f"| live screen update with {LIVE_VOTERS} voters ({len(timings)} polls while "
            f"{len(shown)} statements are voted on two criteria, one re-vote) | "
            f"**p95 {p95:.1f} ms** (target < {TARGET_LIVE_P95_MS:.0f} ms; median {p50:.1f} ms, "
            f"max {timings[-1]:.1f} ms) |",
            f"| top-5 screen (Borda) with {LIVE_VOTERS} ballots | p95 {ranking_p95:.1f} ms |",
            f"| screen counts and distributions equal the votes cast ({checked} ballots) | yes |",
        ],
    }


# name -> function(args) -> dict with "markdown" (table rows) and "met" (target reached)
SECTIONS = {"summarise": section_summarise, "live": section_live}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", action="append", choices=sorted(SECTIONS), metavar="SECTION")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=HERE / "results")
    args = parser.parse_args()
    path = args.out / "consensus.json"
    previous = json.loads(path.read_text()).get("sections", {}) if path.exists() else {}
    sections = {}
    for name, run in SECTIONS.items():
        if args.only and name not in args.only:
            if name in previous:
                sections[name] = previous[name]
            continue
        figures = run(args)
        figures["date"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        sections[name] = figures
    load = os.getloadavg()
    result = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "load_1m": round(load[0], 2)},
        "sections": sections,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2) + "\n")
    (args.out / "consensus.md").write_text(_markdown(result))
    print(_markdown(result))
    missed = [name for name, s in sections.items() if not s.get("met", True)]
    if missed:
        sys.exit(f"Target missed: {', '.join(missed)}.")


def _markdown(r: dict) -> str:
    rows = [row for s in r["sections"].values() for row in s.get("markdown", [])]
    return (
        "# Consensus studies\n\n"
        f"`benchmarks/consensus.py`, {r['date']}, {r['machine']['cpus']} CPUs, "
        f"load {r['machine']['load_1m']} (1 min) when it ended.\n\n"
        "| step | figure |\n| --- | ---: |\n" + "\n".join(rows) + "\n"
    )


if __name__ == "__main__":
    main()
