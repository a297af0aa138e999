"""How fast stories are de-identified, and what that adds to a submission (``make bench``).

- Throughput: ``mango.lib.deid.deidentify`` over the demo stories, Dutch (deduce plus the
  rules) and English (the rules), one process, deduce already loaded; stories per second and
  per-story p50/p95 latency. The set is repeated to get at least ``--min-stories`` calls.
- deduce's load time in a fresh process (the lookup cache already built by ``make install``).
- Added latency per submission: a submission does not wait for de-identification; it enqueues
  a job (huey) in the same request, and a worker de-identifies. So the cost a teller waits for
  is one enqueue, measured here on the queues Mango uses (SQLite file by default, Redis when
  ``REDIS_URL`` is set), p50/p99 in ms.

    .venv/bin/python benchmarks/deid.py   # writes results/deid.json and results/deid.md
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))

from mango.lib import deid  # noqa: E402

REDIS_URL = os.environ.get("MANGO_BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def demo_texts(language: str) -> list[str]:
    data = json.loads((ROOT / "src/mango/demo/stories.json").read_text(encoding="utf-8"))
    return [s["text"] for s in data["stories"] if s["language"] == language]


def throughput(language: str, min_stories: int) -> dict:
    texts = demo_texts(language)
    if not texts:
        return {"stories": 0}
    deid.deidentify(texts[0], language)  # warm
    calls = []
    while len(calls) < min_stories:
        calls += texts
    latencies = []
    spans = 0
    start = time.perf_counter()
    for text in calls:
        t0 = time.perf_counter()
        spans += len(deid.deidentify(text, language).spans)
        latencies.append((time.perf_counter() - t0) * 1000)
    elapsed = time.perf_counter() - start
    return {
        "distinct_texts": len(texts),
        "calls": len(calls),
        "mean_chars": round(statistics.mean(len(t) for t in texts)),
        "stories_per_s": round(len(calls) / elapsed, 1),
        "p50_ms": round(_quantile(latencies, 0.5), 2),
        "p95_ms": round(_quantile(latencies, 0.95), 2),
        "spans_per_story": round(spans / len(calls), 2),
    }


def deduce_load_seconds() -> float:
    code = (
        "import time; t=time.perf_counter(); from mango.lib import deid; deid.warm_up(); "
        "print(time.perf_counter()-t)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    return round(float(out.stdout.strip().splitlines()[-1]), 2)


def enqueue_latency(huey, n: int) -> dict:
    @huey.task()
    def deidentify_story_job(story_id: int) -> None:  # never run here: only enqueued
        pass

    for i in range(20):  # warm
        deidentify_story_job(i)
    latencies = []
    for i in range(n):
        t0 = time.perf_counter()
        deidentify_story_job(i)
        latencies.append((time.perf_counter() - t0) * 1000)
    return {
        "enqueues": n,
        "p50_ms": round(_quantile(latencies, 0.5), 3),
        "p99_ms": round(_quantile(latencies, 0.99), 3),
    }


def queues(n: int) -> dict:
    from huey import RedisHuey, SqliteHuey

    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        out["sqlite"] = enqueue_latency(SqliteHuey("bench", filename=f"{tmp}/q.sqlite3"), n)
    try:
        huey = RedisHuey("mango-bench", url=REDIS_URL)
        huey.storage.conn.ping()
    except Exception as exc:  # no Redis here: say so, measure the rest
        out["redis"] = {"skipped": f"no Redis at {REDIS_URL}: {exc.__class__.__name__}"}
    else:
        out["redis"] = enqueue_latency(huey, n)
        huey.flush()
    return out


def machine() -> dict:
    return {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_avg": [round(x, 2) for x in os.getloadavg()],
        "platform": platform.platform(),
    }


def write(results: dict) -> None:
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    (out / "deid.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    t = results["throughput"]
    lines = [
        "# De-identification",
        "",
        f"Measured {results['measured_at']} on {results['machine']['cpus']} CPUs, "
        f"load average {results['machine']['load_avg']} (other work was running).",
        "",
        "| language | stories/s | p50 ms | p95 ms | mean chars | spans/story |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for lang, r in t.items():
        if r.get("calls"):
            lines.append(
                f"| {lang} | {r['stories_per_s']} | {r['p50_ms']} | {r['p95_ms']} | "
                f"{r['mean_chars']} | {r['spans_per_story']} |"
            )
    lines += [
        "",
        f"deduce load in a fresh process: {results['deduce_load_s']} s (once per process).",
        "",
        "Added latency per submission (one job enqueue; the worker de-identifies):",
        "",
    ]
    for name, r in results["enqueue"].items():
        if "skipped" in r:
            lines.append(f"- {name}: {r['skipped']}")
        else:
            lines.append(f"- {name}: p50 {r['p50_ms']} ms, p99 {r['p99_ms']} ms")
    (out / "deid.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-stories", type=int, default=1000)
    parser.add_argument("--enqueues", type=int, default=2000)
    args = parser.parse_args()
    load_s = deduce_load_seconds()
    deid.warm_up()
    results = {
        "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "deduce_load_s": load_s,
        "throughput": {lang: throughput(lang, args.min_stories) for lang in ("nl", "en", "fr")},
        "enqueue": queues(args.enqueues),
    }
    write(results)


if __name__ == "__main__":
    main()
