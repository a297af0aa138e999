"""Stories back to their teams at scale: the team feed and the story wall with 100,000 stories
in the database.

A temporary SQLite database is migrated and filled with bulk inserts: 100,000 stories (about
400 characters each) in 4 organisations of 10 units each; about 60% are shared, the rest
waiting, not shared or withdrawn; each story belongs to its unit's team (``StoryUnit``), some
to a second team too, and a third of the shared ones carry "this touched me" marks.

Measured through Django's full request stack in-process (test client: middleware, session,
access checks, queries, template), on random units of the largest organisation:

- team feed: a team member's ``GET /nl/culture/teams/<unit>/`` (page 1 and random later pages);
- story wall: ``GET /nl/culture/wall/<secret>/`` (the page) and its ``stories.json``, which the
  screen fetches again and again, for unit walls and an organisation-wide wall.

Target: p95 under 100 ms for each.

    .venv/bin/python benchmarks/culture.py     # writes results/culture.json and .md
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))

from workbench import WORDS, _summary, setup_database  # noqa: E402

STORIES, REQUESTS, ORGS, UNITS = 100_000, 300, 4, 10
TARGET_MS = 100.0


def _fill(n: int):
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from mango.accounts.models import Membership
    from mango.culture import walls
    from mango.culture.models import StoryUnit, Touch
    from mango.organisations.models import Organisation, Unit
    from mango.stories.models import Story

    rng = random.Random(14)
    User = get_user_model()
    orgs, units = [], []
    for o in range(ORGS):
        org = Organisation.objects.create(name=f"Bench {o}", slug=f"bench-{o}", kind="hospital")
        orgs.append(org)
        for u in range(UNITS):
            units.append(
                Unit.objects.create(
                    organisation=org, name=f"Unit {o}.{u}", slug=f"u{u}", oncological=u % 3 == 0
                )
            )
    members = []
    for i, unit in enumerate(units[:UNITS]):  # team members of the first organisation
        user = User.objects.create_user(f"member{i}", password="bench-only")  # noqa: S106
        Membership.objects.create(
            user=user, organisation=unit.organisation, role="team_member", unit=unit
        )
        members.append((user, unit))
    toucher = [User.objects.create_user(f"toucher{i}", password="bench-only") for i in range(5)]  # noqa: S106
    now = timezone.now()
    started = time.perf_counter()
    statuses = ["shared"] * 6 + ["deidentified", "reviewed", "withdrawn", "received"]
    with transaction.atomic():
        batch = []
        for i in range(n):
            text = " ".join(rng.choice(WORDS) for _ in range(70))[:400]
            unit = units[i % len(units)]
            status = rng.choice(statuses)
            batch.append(
                Story(
                    text=text,
                    text_redacted=text,
                    language="nl",
                    teller_role="patient",
                    setting="hospital",
                    oncological="no",
                    happened=rng.choice(["week", "month", "year"]),
                    gesture_by="nurse",
                    organisation_id=unit.organisation_id,
                    unit=unit,
                    consent_research=True,
                    consent_sharing=status != "withdrawn",
                    status=status,
                    shared_at=now if status == "shared" else None,
                    submitted_at=now - dt.timedelta(minutes=rng.randint(0, 3 * 365 * 24 * 60)),
                )
            )
            if len(batch) == 5000:
                _store(batch, rng, units, toucher, Story, StoryUnit, Touch)
                batch = []
        _store(batch, rng, units, toucher, Story, StoryUnit, Touch)
    fill_seconds = time.perf_counter() - started
    secrets = {}
    manager = User.objects.create_user("bench-manager", password="bench-only")  # noqa: S106
    with transaction.atomic():
        for unit in units[:UNITS]:
            secrets[unit.pk] = walls.create(manager, unit.organisation, unit)[1]
        org_secret = walls.create(manager, orgs[0])[1]
    return members, secrets, org_secret, fill_seconds


def _store(batch, rng, units, toucher, Story, StoryUnit, Touch):
    Story.objects.bulk_create(batch)
    links = [StoryUnit(story=s, unit_id=s.unit_id) for s in batch]
    links += [StoryUnit(story=s, unit=rng.choice(units)) for s in batch if rng.random() < 0.1]
    StoryUnit.objects.bulk_create(links, ignore_conflicts=True)
    touches = [
        Touch(story=s, user=u)
        for s in batch
        if s.status == "shared" and rng.random() < 0.33
        for u in rng.sample(toucher, rng.randint(1, 3))
    ]
    Touch.objects.bulk_create(touches)


def _timed(client, urls):
    for url in urls[:10]:  # warm-up: templates, caches, SQLite pages
        assert client.get(url).status_code == 200, url
    seconds = []
    for url in urls:
        t = time.perf_counter()
        response = client.get(url)
        seconds.append(time.perf_counter() - t)
        assert response.status_code == 200, url
    return _summary(seconds)


def run(stories=STORIES, requests=REQUESTS) -> dict:
    from_load = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="mango-culture-") as tmp:
        setup_database(Path(tmp), "culture")
        members, secrets, org_secret, fill_seconds = _fill(stories)
        from django.test import Client

        from mango.culture import visible

        rng = random.Random(3)
        clients = []
        for user, unit in members:
            client = Client()
            client.force_login(user)
            clients.append((client, unit))
        per_unit = visible.shared_stories_for_units([members[0][1].pk]).count()
        pages = max(1, per_unit // 20)

        feed_first, feed_later, wall_page, wall_json, org_json = [], [], [], [], []
        results = {}
        for _ in range(requests):
            client, unit = rng.choice(clients)
            feed_first.append((client, f"/nl/culture/teams/{unit.pk}/"))
            feed_later.append(
                (client, f"/nl/culture/teams/{unit.pk}/?page={rng.randint(2, pages)}")
            )
            secret = secrets[unit.pk]
            wall_page.append(f"/nl/culture/wall/{secret}/")
            wall_json.append(f"/nl/culture/wall/{secret}/stories.json")
            org_json.append(f"/nl/culture/wall/{org_secret}/stories.json")

        def by_client(pairs):
            seconds = []
            for client, url in pairs[:10]:
                assert client.get(url).status_code == 200, url
            for client, url in pairs:
                t = time.perf_counter()
                response = client.get(url)
                seconds.append(time.perf_counter() - t)
                assert response.status_code == 200, url
            return _summary(seconds)

        results["team_feed_page_1"] = by_client(feed_first)
        results["team_feed_later_pages"] = by_client(feed_later)
        anonymous = Client()
        results["wall_page"] = _timed(anonymous, wall_page)
        results["wall_stories_json"] = _timed(anonymous, wall_json)
        results["org_wall_stories_json"] = _timed(anonymous, org_json)
        from django.db import connection

        shared_total = visible.shared_stories().count()
        connection.close()
    return {
        "benchmark": "culture: team feed and story wall",
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "database": {
            "engine": "sqlite (temporary file)",
            "stories": stories,
            "shared": shared_total,
            "organisations": ORGS,
            "units": ORGS * UNITS,
            "shared_per_unit_about": per_unit,
            "fill_seconds": round(fill_seconds, 1),
        },
        "requests_each": requests,
        "results": results,
        "target_p95_ms": TARGET_MS,
        "all_under_target": all(r["p95_ms"] < TARGET_MS for r in results.values()),
        "machine": {
            "cores": os.cpu_count(),
            "load_before": [round(x, 2) for x in from_load],
            "load_after": [round(x, 2) for x in os.getloadavg()],
        },
        "notes": [
            "Django test client in-process (full middleware, session, access checks, queries "
            "and template; no network, no WSGI server).",
            "A load average near the core count before the run means the machine was shared.",
        ],
    }


def markdown(report: dict) -> str:
    d = report["database"]
    lines = [
        "# Culture benchmark: team feed and story wall",
        "",
        f"`benchmarks/culture.py`, {report['date']}, SQLite, {report['machine']['cores']} "
        f"cores, load {report['machine']['load_before'][0]} before. {d['stories']:,} stories "
        f"({d['shared']:,} shared) in {d['organisations']} organisations, {d['units']} units; "
        f"about {d['shared_per_unit_about']:,} shared stories per unit. "
        f"{report['requests_each']} requests each.",
        "",
        "| page | p50 ms | p95 ms | max ms |",
        "| --- | ---: | ---: | ---: |",
    ]
    for name, r in report["results"].items():
        lines.append(
            f"| {name.replace('_', ' ')} | {r['p50_ms']} | **{r['p95_ms']}** | {r['max_ms']} |"
        )
    lines += [
        "",
        f"Target: p95 under {report['target_p95_ms']:.0f} ms. "
        f"All under target: **{report['all_under_target']}**.",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, default=STORIES)
    parser.add_argument("--requests", type=int, default=REQUESTS)
    parser.add_argument("--out", type=Path, default=HERE / "results")
    args = parser.parse_args()
    report = run(args.stories, args.requests)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "culture.json").write_text(json.dumps(report, indent=2) + "\n")
    (args.out / "culture.md").write_text(markdown(report))
    print(markdown(report))
    if not report["all_under_target"]:
        sys.exit("A p95 is over the target.")


if __name__ == "__main__":
    main()
