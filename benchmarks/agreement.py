"""Time to compute all agreement statistics for a round of 10,000 stories x 2 coders x 8 codes.

A seeded, made-up round: per code a "true" presence with the prevalence of a Picker dimension
(respect and emotional support common, the others rare), and each coder misreading a decision
with probability 0.0813, so two coders agree on about 85% of story x code decisions. The
clock covers ``mango.lib.agreement.round_agreement`` on the tidy table (one row per story,
coder and code with 1/0): percent agreement, Cohen's and Fleiss' kappa and Krippendorff's alpha
per code and overall, each with its 95% interval (1,000 bootstrap resamples). It is timed
``repeat`` times after one warm-up; the minimum is the figure, the median shows the noise.

    .venv/bin/python benchmarks/agreement.py             # writes results/agreement.json
    .venv/bin/python -c "import sys; sys.path.insert(0, 'benchmarks'); import agreement; \\
        print(agreement.run())"
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from mango.lib import agreement  # noqa: E402

STORIES, CODERS, RESAMPLES = 10_000, 2, 1000
# Made-up prevalences of the eight Picker dimensions: most stories show respect for values,
# preferences and needs, and emotional support (as in the story campaign).
PREVALENCE = {
    "respect": 0.55,
    "coordination": 0.08,
    "information": 0.15,
    "physical_comfort": 0.12,
    "emotional_support": 0.45,
    "family": 0.15,
    "continuity": 0.05,
    "access": 0.04,
}
# 1 - 2e(1 - e) = 0.85: the chance that two coders, each wrong with probability e, agree.
ERROR = 0.0813
SEED = 20240601


def make_round(stories: int = STORIES, coders: int = CODERS, seed: int = SEED) -> pd.DataFrame:
    """One row per story, coder and code with its value 1 (present) or 0 (absent)."""
    rng = np.random.default_rng(seed)
    codes = list(PREVALENCE)
    truth = rng.random((stories, len(codes))) < np.array(list(PREVALENCE.values()))
    given = truth[:, None, :] ^ (rng.random((stories, coders, len(codes))) < ERROR)
    story, coder, code = np.meshgrid(
        np.arange(stories), np.arange(coders), np.arange(len(codes)), indexing="ij"
    )
    return pd.DataFrame(
        {
            "story": story.ravel(),
            "coder": np.array([f"coder{c + 1}" for c in range(coders)])[coder.ravel()],
            "code": np.array(codes)[code.ravel()],
            "value": given.ravel().astype(int),
        }
    )


def _versions() -> dict:
    out = {"python": platform.python_version()}
    for dist in ("numpy", "scipy", "pandas", "scikit-learn", "statsmodels", "krippendorff"):
        try:
            out[dist] = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            out[dist] = None
    return out


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _time(frame: pd.DataFrame, resamples: int) -> tuple[float, float, object]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = agreement.round_agreement(
        frame, unit="story", coder="coder", code="code", value="value", resamples=resamples, seed=1
    )
    return time.perf_counter() - wall, time.process_time() - cpu, result


def run(repeat: int = 3, resamples: int = RESAMPLES, stories: int = STORIES) -> dict:
    """Time the whole round ``repeat`` times (after one warm-up) and describe the machine."""
    load_before = os.getloadavg()
    frame = make_round(stories)
    _time(frame, resamples)  # warm-up: imports, caches
    timings = [_time(frame, resamples) for _ in range(repeat)]
    no_bootstrap = min(_time(frame, 0)[0] for _ in range(repeat))
    load_after = os.getloadavg()
    walls = [t[0] for t in timings]
    result = timings[-1][2].as_dict(digits=4)
    return {
        "benchmark": "agreement: all statistics for one round",
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "round": {
            "stories": stories,
            "coders": CODERS,
            "codes": len(PREVALENCE),
            "rows": len(frame),
            "resamples": resamples,
            "seed": SEED,
            "coder_error": ERROR,
        },
        "seconds": {
            "min": round(min(walls), 3),
            "median": round(statistics.median(walls), 3),
            "runs": [round(w, 3) for w in walls],
            "cpu_of_min_run": round(timings[walls.index(min(walls))][1], 3),
            "without_bootstrap_min": round(no_bootstrap, 3),
        },
        "figures": {"overall": result["overall"]},
        "machine": {
            "cores": os.cpu_count(),
            "cpu_model": _cpu_model(),
            "kernel": platform.release(),
            "load_before": [round(x, 2) for x in load_before],
            "load_after": [round(x, 2) for x in load_after],
            "threads_env": {
                k: os.environ[k]
                for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
                if k in os.environ
            },
        },
        "versions": _versions(),
        "notes": [
            "seconds: wall-clock time of round_agreement on the tidy table, per code and "
            "overall, with 95% intervals; min of the runs after one warm-up.",
            "cpu_of_min_run above the wall time means numpy's BLAS used several cores.",
            "A load average near the core count before the run means the machine was shared.",
        ],
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--resamples", type=int, default=RESAMPLES)
    parser.add_argument("--stories", type=int, default=STORIES)
    parser.add_argument("--out", type=Path, default=HERE / "results")
    args = parser.parse_args(argv)
    report = run(args.repeat, args.resamples, args.stories)
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / "agreement.json"
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    s = report["seconds"]
    print(
        f"{report['round']['stories']} stories x {CODERS} coders x {len(PREVALENCE)} codes, "
        f"{args.resamples} resamples: {s['min']} s (median {s['median']} s; "
        f"{s['without_bootstrap_min']} s without the bootstrap) on {report['machine']['cores']} "
        f"cores, load {report['machine']['load_before'][0]}; results in {path}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
