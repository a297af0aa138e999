"""Time the campaign report and the dashboard on 10,000, 100,000 and 1,000,000 stories.

    .venv/bin/python benchmarks/reports.py                   # all sizes
    .venv/bin/python benchmarks/reports.py --sizes 10000 --requests 20

Per size, a fresh temporary SQLite database (migrated) gets the stories of
``benchmarks/analysis.py`` (seeded: three respondent groups, eight dimensions, 94% included),
spread over 30 organisations with 5 units each in one campaign, bulk-inserted with raw
``executemany``, with their settled screening and dimension codes (``Decision`` and
``FinalCode`` rows), then the analysis tables rebuilt from them as ``mango analysis
rebuild`` does (timed: ``rebuild_s``). Then:

- report: ``mango.analysis.data.report_input`` + ``build_report`` + HTML (with figures), the
  whole of ``mango report --format html`` but the file write; best of ``--repeat``;
- dashboard: ``--requests`` GETs of the dashboard page through Django's test client, by a
  network-wide researcher and by one organisation's manager, cycling through filters (none,
  an organisation, a unit, a period, another grouping); p50 and p95 in milliseconds.

Writes benchmarks/results/reports.json and reports.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))

SIZES = (10_000, 100_000, 1_000_000)
ORGANISATIONS, UNITS = 30, 5
TARGETS = {"dashboard_p95_ms": 300, "report_html_s_at_1m": 10}


def setup_django(path: Path):
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mango.settings")
    os.environ["MANGO_TASKS_IMMEDIATE"] = "1"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def populate(n: int) -> dict:
    """Insert ``n`` stories and their codes; returns the ids the timings need."""
    import analysis as generated
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from mango.accounts.models import Membership
    from mango.organisations.models import Campaign, Organisation, Unit
    from mango.research.models import Code, Codebook
    from mango.stories.models import Story

    frame = generated.stories(n)
    rng = np.random.default_rng(7)
    orgs = [
        Organisation.objects.create(
            name=f"Organisatie {i:02d}", slug=f"org-{i:02d}", kind="hospital"
        )
        for i in range(ORGANISATIONS)
    ]
    units = [
        Unit.objects.create(organisation=o, name=f"Afdeling {j}", slug=f"afd-{j}")
        for o in orgs
        for j in range(UNITS)
    ]
    campaign = Campaign.objects.create(name="Campagne", slug="bench", opens_on=dt.date(2018, 2, 1))
    campaign.organisations.set(orgs)
    User = get_user_model()
    researcher = User.objects.create_user("bench-researcher", password="x")
    Membership.objects.create(user=researcher, organisation=None, role="researcher")
    manager = User.objects.create_user("bench-manager", password="x")
    Membership.objects.create(user=manager, organisation=orgs[0], role="manager")

    unit_index = rng.integers(0, len(units), n)
    unit_ids = np.array([u.pk for u in units])[unit_index]
    org_ids = np.array([u.organisation_id for u in units])[unit_index]
    fields = [f for f in Story._meta.concrete_fields if f.name != "id"]
    columns = [f.column for f in fields]
    fixed = {}
    for f in fields:
        default = f.get_default()
        fixed[f.column] = f.get_db_prep_save(default, connection) if default is not None else None
    fixed.update(
        text="Een verhaal van een verpleegkundige die een mango bracht.",
        text_redacted="Een verhaal van een verpleegkundige die een mango bracht.",
        language="nl",
        happened="month",
        gesture_by="nurse",
        consent_research=True,
        consent_sharing=True,
        status="deidentified",
        source="form",
        campaign_id=campaign.pk,
        redactions="[]",
        illustrative=False,
    )
    submitted = frame["submitted_at"].dt.strftime("%Y-%m-%d %H:%M:%S").to_numpy()
    variable = {
        "receipt": [f"B-{i:011d}" for i in range(n)],
        "teller_role": frame["teller_role"].to_numpy(),
        "setting": frame["setting"].to_numpy(),
        "oncological": frame["oncological"].to_numpy(),
        "organisation_id": org_ids.tolist(),
        "unit_id": unit_ids.tolist(),
        "submitted_at": submitted,
        # 3% without consent for research: counted, never analysed.
        "consent_research": (rng.random(n) >= 0.03).tolist(),
    }
    sql = (
        f"INSERT INTO stories_story ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    )
    codes = {
        (slug, key): pk for slug, key, pk in Code.objects.values_list("codebook__slug", "key", "pk")
    }
    books = dict(Codebook.objects.values_list("slug", "pk"))
    now = "2020-01-01 00:00:00"
    with transaction.atomic():
        cursor = connection.cursor().cursor  # the raw sqlite3 cursor: no Django per-row work
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM stories_story")
        first = cursor.fetchone()[0] + 1
        chunk = 100_000
        for start in range(0, n, chunk):
            rows = []
            for i in range(start, min(n, start + chunk)):
                values = dict(fixed)
                for k, v in variable.items():
                    values[k] = v[i]
                rows.append(tuple(values[c] for c in columns))
            cursor.executemany(sql, rows)
        ids = np.arange(first, first + n)
        included = frame["screening"].to_numpy() == "included"
        decisions, finals = [], []
        reasons = frame["exclusion_reason"].to_numpy()
        for i, sid in enumerate(ids.tolist()):
            decisions.append((int(sid), books["screening"], "agreed", now, ""))
            key = "mangomoment" if included[i] else _reason(reasons[i])
            finals.append((int(sid), codes[("screening", key)], now, ""))
        dims = frame[list(generated.DIMENSIONS)].to_numpy()
        for i in np.flatnonzero(included).tolist():
            sid = int(ids[i])
            decisions.append((sid, books["dimensions"], "agreed", now, ""))
            for j in np.flatnonzero(dims[i]).tolist():
                finals.append((sid, codes[("dimensions", list(generated.DIMENSIONS)[j])], now, ""))
        cursor.executemany(
            "INSERT INTO research_decision (story_id, codebook_id, method, decided_at, comment) "
            "VALUES (?, ?, ?, ?, ?)",
            decisions,
        )
        cursor.executemany(
            "INSERT INTO research_finalcode (story_id, code_id, decided_at, comment) "
            "VALUES (?, ?, ?, ?)",
            finals,
        )
    from mango.analysis import facts

    started = time.perf_counter()
    rebuilt = facts.rebuild()  # what `mango analysis rebuild` does
    rebuild_s = time.perf_counter() - started
    connection.cursor().execute("ANALYZE")
    return {
        "rebuild_s": round(rebuild_s, 1),
        "tallies": rebuilt["tallies"],
        "campaign": campaign,
        "researcher": researcher,
        "manager": manager,
        "org": orgs[1].pk,
        "unit": units[7].pk,
        "final_codes": len(finals),
    }


SCREENING_REASONS = {
    "organised_event": "organised_event",
    "not_normal_care": "not_normal_care",
    "substantial_effort": "substantial_resources",
    "ordinary_care": "ordinary_care",
    "no_act": "no_identifiable_act",
}


def _reason(value) -> str:
    return SCREENING_REASONS.get(value, "unclear")


def time_report(world, repeat: int) -> dict:
    from mango.analysis import data
    from mango.lib import reports

    best, parts = None, {}
    for _ in range(repeat):
        t0 = time.perf_counter()
        source = data.report_input(world["campaign"], language="en")
        t1 = time.perf_counter()
        report = reports.build_report(source)
        t2 = time.perf_counter()
        html = reports.to_html(report)
        t3 = time.perf_counter()
        if best is None or t3 - t0 < best:
            best = t3 - t0
            parts = {
                "load_s": round(t1 - t0, 3),
                "analyse_s": round(t2 - t1, 3),
                "html_s": round(t3 - t2, 3),
                "html_bytes": len(html),
            }
    return {"total_s": round(best, 3), **parts}


def time_dashboard(world, requests: int) -> dict:
    from django.test import Client

    filters = [
        {},
        {"organisation": world["org"]},
        {"unit": world["unit"]},
        {"start": "2018-06", "end": "2018-11"},
        {"group": "setting"},
        {"campaign": world["campaign"].pk, "group": "organisation"},
    ]
    out = {}
    for who in ("researcher", "manager"):
        client = Client()
        client.force_login(world[who])
        client.get("/en/staff/dashboard/")  # warm: connection, templates, imports
        times = []
        for i in range(requests):
            query = filters[i % len(filters)]
            if who == "manager" and ("organisation" in query or "unit" in query):
                query = {}
            started = time.perf_counter()
            response = client.get(
                "/en/staff/dashboard/",
                query,
                HTTP_HX_REQUEST="true",
                HTTP_HX_TARGET="dashboard-results",
            )
            times.append(1000 * (time.perf_counter() - started))
            assert response.status_code == 200, response.status_code
        out[who] = {
            "requests": requests,
            "p50_ms": round(float(np.percentile(times, 50)), 1),
            "p95_ms": round(float(np.percentile(times, 95)), 1),
            "max_ms": round(max(times), 1),
        }
    return out


def run_size(n: int, repeat: int, requests: int) -> dict:
    """In a child process per size: Django is set up once per process and database."""
    with tempfile.TemporaryDirectory() as folder:
        setup_django(Path(folder) / "bench.sqlite3")
        load_before = list(os.getloadavg())
        started = time.perf_counter()
        world = populate(n)
        populate_s = time.perf_counter() - started
        return {
            "stories": n,
            "final_codes": world["final_codes"],
            "populate_s": round(populate_s, 1),
            "rebuild_s": world["rebuild_s"],
            "tallies": world["tallies"],
            "load_before": load_before,
            "load_after": list(os.getloadavg()),
            "report_html": time_report(world, repeat),
            "dashboard": time_dashboard(world, requests),
        }


def markdown(result: dict) -> str:
    lines = [
        "# Reports and dashboard",
        "",
        f"{result['date']}, {result['machine']['cores']} cores, SQLite. Targets: dashboard "
        f"< {TARGETS['dashboard_p95_ms']} ms p95, full HTML report < "
        f"{TARGETS['report_html_s_at_1m']} s at 1,000,000 stories.",
        "",
        "| stories | report (s) | load / analyse / html (s) | dashboard researcher p50 / p95 (ms) "
        "| dashboard manager p50 / p95 (ms) |",
        "| ---: | ---: | --- | --- | --- |",
    ]
    for s in result["sizes"]:
        r, d = s["report_html"], s["dashboard"]
        lines.append(
            f"| {s['stories']:,} | {r['total_s']} | {r['load_s']} / {r['analyse_s']} / "
            f"{r['html_s']} | {d['researcher']['p50_ms']} / {d['researcher']['p95_ms']} | "
            f"{d['manager']['p50_ms']} / {d['manager']['p95_ms']} |"
        )
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:  # one size in this process; print its JSON
        print(json.dumps(run_size(args.sizes[0], args.repeat, args.requests)))
        return
    import subprocess

    sizes = []
    for n in args.sizes:
        print(f"== {n:,} stories", flush=True)
        child = subprocess.run(
            [
                sys.executable,
                __file__,
                "--child",
                "--sizes",
                str(n),
                "--repeat",
                str(args.repeat),
                "--requests",
                str(args.requests),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        sizes.append(json.loads(child.stdout.strip().splitlines()[-1]))
        print(json.dumps(sizes[-1], indent=1), flush=True)
    result = {
        "benchmark": "reports: campaign report and dashboard on generated stories",
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {
            "cores": os.cpu_count(),
            "python": platform.python_version(),
            "load": list(os.getloadavg()),
        },
        "targets": TARGETS,
        "sizes": sizes,
    }
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    (out / "reports.json").write_text(json.dumps(result, indent=2) + "\n")
    (out / "reports.md").write_text(markdown(result))
    print(markdown(result))


if __name__ == "__main__":
    main()
