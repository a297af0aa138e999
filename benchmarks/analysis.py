"""Time the analysis tables on 10,000, 100,000 and 1,000,000 generated stories.

``run()`` returns the report as a dict; run as a script it also writes
benchmarks/results/analysis.json with the machine's state:

    .venv/bin/python benchmarks/analysis.py             # all sizes
    .venv/bin/python benchmarks/analysis.py --sizes 10000 --repeat 5

The stories are seeded and shaped like the campaign's: three respondent groups
(professionals; oncological and non-oncological patients & family), eight Picker dimensions
with multi-label coding at rates that differ by group (respect and emotional support most
often), 94% included at screening, two years of dates, 20 units. Timed per size, the best of
``--repeat`` runs: each table builder and "all", which builds every table and test and
serialises them to JSON. Generating the stories is timed apart and not included. A last case
times the Monte Carlo test where it is used: small samples (60 stories, 3 groups).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import json
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from mango.lib import analysis  # noqa: E402

SIZES = (10_000, 100_000, 1_000_000)
SEED = 2018
GROUPS = {  # share of stories, then per dimension the rate of stories coded with it
    "professional": 0.35,
    "oncological_patient_family": 0.30,
    "non_oncological_patient_family": 0.35,
}
DIMENSIONS = {
    "respect": (0.60, 0.50, 0.52),
    "coordination": (0.08, 0.05, 0.06),
    "information": (0.12, 0.18, 0.15),
    "physical_comfort": (0.08, 0.12, 0.11),
    "emotional_support": (0.40, 0.55, 0.48),
    "family": (0.10, 0.15, 0.12),
    "continuity": (0.03, 0.04, 0.03),
    "access": (0.02, 0.02, 0.03),
}
REASONS = ("organised_event", "not_normal_care", "substantial_effort", "ordinary_care", "no_act")


def stories(n: int, seed: int = SEED, groups: int = 3) -> pd.DataFrame:
    """``n`` generated stories, one row each."""
    rng = np.random.default_rng(seed)
    names = list(GROUPS)[:groups]
    shares = np.array(list(GROUPS.values())[:groups])
    group = rng.choice(groups, size=n, p=shares / shares.sum())
    data: dict[str, object] = {"respondent_group": np.array(names, dtype=object)[group]}
    role = np.where(group == 0, "professional", rng.choice(["patient", "family", "resident"], n))
    data["teller_role"] = role
    data["setting"] = rng.choice(
        ["hospital", "rehabilitation", "residential", "disability", "primary"],
        n,
        p=[0.55, 0.1, 0.2, 0.05, 0.1],
    )
    data["oncological"] = np.where(
        group == 1, "yes", rng.choice(["no", "unknown"], n, p=[0.8, 0.2])
    )
    data["unit"] = np.array([f"unit-{u:02d}" for u in range(20)], dtype=object)[
        rng.integers(0, 20, n)
    ]
    start = np.datetime64("2018-02-01T00:00:00")
    seconds = rng.integers(0, 2 * 365 * 86400, n)
    data["submitted_at"] = start + seconds.astype("timedelta64[s]")
    included = rng.random(n) < 0.94
    data["screening"] = np.where(included, "included", "excluded")
    data["exclusion_reason"] = np.where(included, None, rng.choice(REASONS, n)).astype(object)
    for name, rates in DIMENSIONS.items():
        data[name] = (rng.random(n) < np.array(rates[:groups])[group]).astype(np.int8)
    return pd.DataFrame(data)


def build_all(frame: pd.DataFrame, seed: int = 0) -> dict:
    """Every table and test, as JSON-ready dicts."""
    labels = list(DIMENSIONS)
    return {
        "respondents": {k: v.to_dict() for k, v in analysis.respondents(frame).items()},
        "screening": analysis.screening(frame).to_dict(),
        "dimensions": analysis.dimension_by_group(
            frame, "respondent_group", labels, seed=seed
        ).to_dict(),
        "by_setting": analysis.dimension_by_group(frame, "setting", labels, seed=seed).to_dict(),
        "by_month": analysis.by_month(frame, group="respondent_group").to_dict(),
        "by_unit": analysis.by_unit(frame, labels=labels).to_dict(),
    }


def best_of(repeat: int, fn) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return min(times), result


def time_size(n: int, repeat: int) -> dict:
    started = time.perf_counter()
    frame = stories(n)
    generate = time.perf_counter() - started
    labels = list(DIMENSIONS)
    steps = {
        "respondents": lambda: analysis.respondents(frame),
        "screening": lambda: analysis.screening(frame),
        "dimension_by_group": lambda: analysis.dimension_by_group(
            frame, "respondent_group", labels
        ),
        "by_month": lambda: analysis.by_month(frame, group="respondent_group"),
        "by_unit": lambda: analysis.by_unit(frame, labels=labels),
        "all": lambda: json.dumps(build_all(frame), allow_nan=False),
    }
    seconds = {}
    for name, fn in steps.items():
        seconds[name], result = best_of(repeat, fn)
    table = analysis.dimension_by_group(frame, "respondent_group", labels)
    return {
        "stories": n,
        "generate_s": round(generate, 4),
        "seconds": {k: round(v, 4) for k, v in seconds.items()},
        "json_bytes": len(result),
        "tests_used": sorted({t.test for t in table.tests}),
        "multi_label": table.multi_label,
    }


def time_monte_carlo(repeat: int) -> dict:
    frame = stories(60, seed=SEED + 1)
    labels = list(DIMENSIONS)
    seconds, table = best_of(
        repeat, lambda: analysis.dimension_by_group(frame, "respondent_group", labels)
    )
    used = [t.test for t in table.tests]
    return {
        "stories": 60,
        "labels": len(labels),
        "monte_carlo_tests": used.count(analysis.MONTE_CARLO),
        "resamples": analysis.DEFAULT_RESAMPLES,
        "seconds": round(seconds, 4),
    }


def machine() -> dict:
    model = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cores": os.cpu_count(),
        "cpu_model": model,
        "kernel": platform.release(),
        "load": [round(x, 2) for x in os.getloadavg()],
    }


def versions() -> dict:
    out = {"python": platform.python_version()}
    for dist in ("numpy", "pandas", "scipy", "statsmodels"):
        out[dist] = importlib.metadata.version(dist)
    return out


def run(sizes=SIZES, repeat: int = 3) -> dict:
    """Time every size; the report as a dict."""
    before = machine()
    load_before = before.pop("load")
    results = []
    for n in sizes:
        results.append(time_size(n, repeat if n < 1_000_000 else max(1, min(repeat, 2))))
        print(
            f"{n:>9,} stories: "
            + ", ".join(f"{k} {v:.3f} s" for k, v in results[-1]["seconds"].items())
        )
    monte_carlo = time_monte_carlo(repeat)
    print(
        f"Monte Carlo: {monte_carlo['monte_carlo_tests']} tests of {monte_carlo['resamples']:,} "
        f"resamples on 60 stories in {monte_carlo['seconds']:.3f} s"
    )
    return {
        "benchmark": "analysis: tables and tests on generated stories",
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {**before, "load_before": load_before, "load_after": machine()["load"]},
        "versions": versions(),
        "settings": {
            "seed": SEED,
            "groups": list(GROUPS),
            "labels": list(DIMENSIONS),
            "repeat": repeat,
            "timing": "best of repeat, seconds; generation not included",
        },
        "sizes": results,
        "monte_carlo": monte_carlo,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=HERE / "results")
    args = parser.parse_args()
    report = run(args.sizes, args.repeat)
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / "analysis.json"
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(f"written: {path}")


if __name__ == "__main__":
    main()
