"""The research workbench at scale: the coder screen with 100,000 stories in the database, and
all agreement statistics of a round of 10,000 stories x 2 coders x 8 codes.

A temporary SQLite database is migrated and filled with bulk inserts: 100,000 stories (about
400 characters each, de-identified text set), a round of 10,000 of them on the ``dimensions``
codebook, double-coded by two coders with the made-up codings of ``benchmarks/agreement.py``
(about 85% agreement per decision).

- Coder screen: a coder's story page (``GET .../code/<n>/``) and a code toggle as htmx sends it
  (``POST .../toggle/``), through Django's full request stack in-process (middleware, session,
  access checks, queries, template), at random positions in the coder's 10,000 assignments.
  No network or WSGI server: those are measured by the intake benchmark (``run.py``).
- Agreement: ``mango.research.finals.round_agreement(round)``, what the agreement page calls:
  read the codings from the database, build the table, and compute percent agreement, Cohen's
  and Fleiss' kappa and Krippendorff's alpha per code and overall with 1,000-resample
  bootstrap intervals. Minimum of ``repeat`` runs after a warm-up; the median shows the noise.

    .venv/bin/python benchmarks/workbench.py     # writes results/workbench.json and .md
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

STORIES, ROUND_STORIES, REQUESTS = 100_000, 10_000, 300
WORDS = (
    "de verpleegkundige bracht een warme deken en bleef even bij mij zitten toen ik bang was "
    "voor de operatie zij luisterde naar mijn verhaal over thuis en de kinderen"
).split()


def setup_database(workdir: Path, name: str = "workbench") -> None:
    """Django on a new SQLite database in ``workdir``, migrated (also for roundclose.py)."""
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / f'{name}.sqlite3'}"
    os.environ["MANGO_DATA_DIR"] = str(workdir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mango.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _fill(stories: int, round_stories: int):
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from mango.accounts.models import Membership
    from mango.organisations.models import Organisation
    from mango.research import actions
    from mango.research.models import Assignment, Code, Codebook, Coding
    from mango.stories.models import Story

    rng = random.Random(7)
    org = Organisation.objects.create(name="Bench", slug="bench", kind="hospital")
    User = get_user_model()
    users = {}
    for name in ("lead", "coder1", "coder2"):
        users[name] = User.objects.create_user(name, password="bench-only")  # noqa: S106
        Membership.objects.create(user=users[name], organisation=None, role="researcher")
    started = time.perf_counter()
    batch = []
    roles = ["patient", "family", "professional", "resident"]
    with transaction.atomic():
        for i in range(stories):
            text = " ".join(rng.choice(WORDS) for _ in range(70))[:400]
            batch.append(
                Story(
                    text=text,
                    text_redacted=text,
                    language="nl",
                    teller_role=roles[i % 4],
                    setting="hospital",
                    oncological="yes" if i % 3 == 0 else "no",
                    happened="month",
                    gesture_by="nurse",
                    organisation=org,
                    consent_research=True,
                    consent_sharing=i % 2 == 0,
                    status="deidentified",
                )
            )
            if len(batch) == 5000:
                Story.objects.bulk_create(batch)
                batch = []
        Story.objects.bulk_create(batch)
    fill_seconds = time.perf_counter() - started

    ids = sorted(Story.objects.values_list("pk", flat=True))
    chosen = sorted(rng.sample(ids, round_stories))
    book = Codebook.objects.get(slug="dimensions")
    round = actions.create_round(
        users["lead"],
        name="Benchmark round",
        codebook=book,
        stories=chosen,
        coders=[users["coder1"], users["coder2"]],
        coders_per_story=2,
        organisation=org,
    )
    # The codings of benchmarks/agreement.py, on these stories.
    import agreement as agreement_bench

    frame = agreement_bench.make_round(round_stories)
    codes = {c.key: c.pk for c in Code.objects.filter(codebook=book)}
    coder_ids = {"coder1": users["coder1"].pk, "coder2": users["coder2"].pk}
    rows = [
        Coding(round=round, story_id=chosen[s], coder_id=coder_ids[c], code_id=codes[k])
        for s, c, k, v in frame.itertuples(index=False)
        if v == 1
    ]
    with transaction.atomic():
        Coding.objects.bulk_create(rows, batch_size=5000)
        Assignment.objects.filter(round=round).update(done_at=timezone.now())
    return round, users, fill_seconds, len(rows)


def _percentile(values, q):
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def _summary(seconds):
    ms = [s * 1000 for s in seconds]
    return {
        "requests": len(ms),
        "p50_ms": round(_percentile(ms, 0.5), 2),
        "p95_ms": round(_percentile(ms, 0.95), 2),
        "max_ms": round(max(ms), 2),
    }


def _coder_screen(round, coder, requests: int, round_stories: int) -> dict:
    from django.test import Client

    client = Client()
    client.force_login(coder)
    base = f"/nl/staff/research/rounds/{round.pk}/code"
    rng = random.Random(11)
    positions = [rng.randint(1, round_stories) for _ in range(requests)]
    for n in positions[:10]:  # warm-up: templates, caches, SQLite pages
        assert client.get(f"{base}/{n}/").status_code == 200
    pages, toggles = [], []
    for n in positions:
        t = time.perf_counter()
        response = client.get(f"{base}/{n}/")
        pages.append(time.perf_counter() - t)
        assert response.status_code == 200
        t = time.perf_counter()
        response = client.post(
            f"{base}/{n}/toggle/", {"code": "family"}, headers={"HX-Request": "true"}
        )
        toggles.append(time.perf_counter() - t)
        assert response.status_code == 200
    return {"page": _summary(pages), "toggle": _summary(toggles)}


def _agreement(round, repeat: int) -> dict:
    from mango.research import finals

    finals.round_agreement(round)  # warm-up
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        result = finals.round_agreement(round)
        runs.append(time.perf_counter() - t)
    return {
        "min": round_(min(runs)),
        "median": round_(statistics.median(runs)),
        "runs": [round_(r) for r in runs],
        "units": result["units"],
        "coders": result["coders"],
        "codes": len(result["per_code"]),
        "overall_cohen_kappa": result["overall"]["cohen_kappa"]["value"],
    }


def round_(x, digits=3):
    return round(x, digits)


def run(stories=STORIES, requests=REQUESTS, repeat=3, round_stories=ROUND_STORIES) -> dict:
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="mango-workbench-") as tmp:
        setup_database(Path(tmp))
        round, users, fill_seconds, codings = _fill(stories, round_stories)
        screen = _coder_screen(round, users["coder1"], requests, round_stories)
        agree = _agreement(round, repeat)
        from django.db import connection

        connection.close()
    import agreement as agreement_bench

    return {
        "benchmark": "research workbench: coder screen and round agreement",
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "database": {
            "engine": "sqlite (temporary file)",
            "stories": stories,
            "round_stories": round_stories,
            "coders": 2,
            "codes": 8,
            "codings_present": codings,
            "fill_seconds": round_(fill_seconds, 1),
        },
        "coder_screen": screen,
        "agreement_seconds": agree,
        "machine": {
            "cores": os.cpu_count(),
            "cpu_model": agreement_bench._cpu_model(),
            "load_before": [round_(x, 2) for x in load_before],
            "load_after": [round_(x, 2) for x in os.getloadavg()],
        },
        "versions": agreement_bench._versions(),
        "notes": [
            "coder_screen: Django test client in-process (full middleware, session, access "
            "checks, queries and template; no network, no WSGI server), random positions in "
            f"a coder's {round_stories:,} assignments; each page followed by an htmx toggle POST.",
            "agreement_seconds: mango.research.finals.round_agreement (database read, table, "
            "all four statistics per code and overall, 1,000 bootstrap resamples), min of the "
            "runs after one warm-up.",
            "A load average near the core count before the run means the machine was shared.",
        ],
    }


def markdown(report: dict) -> str:
    s, a, d = report["coder_screen"], report["agreement_seconds"], report["database"]
    return "\n".join(
        [
            "# Research workbench benchmark",
            "",
            f"{report['date']}, {report['machine']['cores']} cores "
            f"({report['machine']['cpu_model']}), load before "
            f"{report['machine']['load_before'][0]}; {d['engine']}.",
            "",
            f"## Coder screen with {d['stories']:,} stories in the database",
            "",
            "| request | n | p50 (ms) | p95 (ms) | max (ms) |",
            "| --- | ---: | ---: | ---: | ---: |",
            *(
                f"| {name} | {v['requests']} | {v['p50_ms']} | {v['p95_ms']} | {v['max_ms']} |"
                for name, v in (
                    ("story page (GET)", s["page"]),
                    ("toggle (htmx POST)", s["toggle"]),
                )
            ),
            "",
            f"## Agreement of a round: {a['units']:,} stories x {a['coders']} coders x "
            f"{a['codes']} codes",
            "",
            f"All statistics with bootstrap intervals, from the database: **{a['min']} s** "
            f"(median {a['median']} s; runs {a['runs']}); overall Cohen's kappa "
            f"{a['overall_cohen_kappa']}.",
            "",
            *(f"- {n}" for n in report["notes"]),
            "",
        ]
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, default=STORIES)
    parser.add_argument("--requests", type=int, default=REQUESTS)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--round-stories", type=int, default=ROUND_STORIES)
    parser.add_argument("--out", type=Path, default=HERE / "results")
    args = parser.parse_args(argv)
    report = run(args.stories, args.requests, args.repeat, args.round_stories)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "workbench.json").write_text(json.dumps(report, indent=2) + "\n")
    (args.out / "workbench.md").write_text(markdown(report))
    s, a = report["coder_screen"], report["agreement_seconds"]
    print(
        f"coder screen p95 {s['page']['p95_ms']} ms (toggle {s['toggle']['p95_ms']} ms) with "
        f"{args.stories:,} stories; round agreement {a['min']} s; results in {args.out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
