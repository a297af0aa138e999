"""Recall and over-redaction of the de-identifier on the written test sentences.

Two sets: the development cases (``tests/deid_cases.py``, which the rules are tuned on) and
the held-out cases (``tests/deid_heldout_cases.py``, written apart and not tuned on). For each:
recall per kind (a needle counts only when all of it is removed), recall of the direct
identifiers (names, phones, e-mails, addresses, numbers, URLs), overall recall, and
over-redaction: the share of word tokens outside every needle that lost a character.

    .venv/bin/python benchmarks/deid_recall.py            # prints, writes results/deid_recall.md
    .venv/bin/python benchmarks/deid_recall.py --misses   # also lists what was missed
    # a baseline: the package at an older commit, copied out of git (see --baseline)
    .venv/bin/python benchmarks/deid_recall.py --baseline e716ed6

``--baseline REV`` scores ``src/mango/lib/deid`` as it was at git revision REV (copied to a
temporary directory) with today's cases, and puts its table under the current one in the
results file.

Only invented sentences are scored here; nothing is read from stories.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from mango.lib import deid  # noqa: E402
from tests.deid_cases import CASES, DIRECT_KINDS, score  # noqa: E402
from tests.deid_heldout_cases import HELDOUT_CASES  # noqa: E402

KIND_ORDER = (
    "person",
    "staff_first_name",
    "phone",
    "email",
    "address",
    "identifier",
    "url",
    "date",
    "age",
    "institution",
    "location",
    "room",
)
GOALS = {"direct": 0.97, "overall": 0.93, "over_redaction": 0.02}


def table(sets: dict) -> list[str]:
    names = list(sets)
    lines = ["| kind | " + " | ".join(names) + " |", "|---|" + "---:|" * len(names)]
    kinds = [k for k in KIND_ORDER if any(k in s.total for s in sets.values())]
    kinds += sorted({k for s in sets.values() for k in s.total} - set(kinds))

    def cell(s, kind):
        if kind not in s.total:
            return "–"
        return f"{s.found.get(kind, 0)}/{s.total[kind]} = {s.recall([kind]):.3f}"

    for kind in kinds:
        lines.append(f"| {kind} | " + " | ".join(cell(sets[n], kind) for n in names) + " |")

    def summed(s, kinds):
        kinds = [k for k in kinds if k in s.total]
        found = sum(s.found.get(k, 0) for k in kinds)
        return f"{found}/{sum(s.total[k] for k in kinds)} = {s.recall(kinds):.3f}"

    lines.append(
        "| **direct identifiers** | " + " | ".join(summed(sets[n], DIRECT_KINDS) for n in names)
    )
    lines[-1] += " |"
    lines.append(
        "| **all identifiers** | " + " | ".join(summed(sets[n], list(sets[n].total)) for n in names)
    )
    lines[-1] += " |"
    lines.append(
        "| **over-redaction** (words) | "
        + " | ".join(
            f"{s.over_redacted}/{s.other_words} = {s.over_redaction:.3f}"
            for s in (sets[n] for n in names)
        )
        + " |"
    )
    lines.append(
        "| must-stay words lost | "
        + " | ".join(f"{len(sets[n].stay_lost)}/{sets[n].stay_words}" for n in names)
        + " |"
    )
    return lines


def baseline(rev: str, tmp: Path):
    """``mango.lib.deid`` as it was at git revision ``rev``, imported as another package."""
    pkg = tmp / "deid_baseline"
    listing = subprocess.run(
        ["git", "ls-tree", "-r", "--name-only", rev, "src/mango/lib/deid"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    for name in listing:
        target = pkg / Path(name).relative_to("src/mango/lib/deid")
        target.parent.mkdir(parents=True, exist_ok=True)
        blob = subprocess.run(
            ["git", "show", f"{rev}:{name}"], cwd=ROOT, capture_output=True, check=True
        ).stdout
        target.write_bytes(blob)
    sys.path.insert(0, str(tmp))
    return importlib.import_module("deid_baseline")


def scored(module) -> dict:
    module.warm_up()
    sets = {f"development ({len(CASES)} cases)": score(CASES, module.deidentify)}
    sets[f"held-out ({len(HELDOUT_CASES)} cases)"] = score(HELDOUT_CASES, module.deidentify)
    return sets


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list missed needles")
    parser.add_argument("--label", default="", help="a heading for this run")
    parser.add_argument(
        "--set",
        choices=("both", "development"),
        default="both",
        help="score only the development set (while tuning: keep the held-out set unseen)",
    )
    parser.add_argument("--out", type=Path, default=HERE / "results" / "deid_recall.md")
    parser.add_argument("--baseline", metavar="REV", help="also score the package at REV")
    args = parser.parse_args()
    deid.warm_up()
    sets = {f"development ({len(CASES)} cases)": score(CASES, deid.deidentify)}
    if args.set == "both":
        sets[f"held-out ({len(HELDOUT_CASES)} cases)"] = score(HELDOUT_CASES, deid.deidentify)
    when = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    lines = [
        "# De-identification: recall and over-redaction"
        + (f" ({args.label})" if args.label else ""),
        "",
        f"Measured {when} with `.venv/bin/python benchmarks/deid_recall.py`. Goals: direct "
        f"identifiers ≥ {GOALS['direct']}, all ≥ {GOALS['overall']}, over-redaction ≤ "
        f"{GOALS['over_redaction']}. A needle counts only when all of it is removed; "
        "over-redaction is the share of word tokens outside every needle that lost a character.",
        "",
        *table(sets),
        "",
    ]
    if args.baseline:
        with tempfile.TemporaryDirectory() as tmp:
            before = scored(baseline(args.baseline, Path(tmp)))
        lines += [
            f"## Baseline: `src/mango/lib/deid` at {args.baseline}, same cases",
            "",
            f"`.venv/bin/python benchmarks/deid_recall.py --baseline {args.baseline}`",
            "",
            *table(before),
            "",
        ]
    text = "\n".join(lines)
    print(text)
    if args.misses:
        for name, s in sets.items():
            for line in s.misses:
                print(f"missed [{name}] {line}")
            for line in s.stay_lost:
                print(f"wrongly removed [{name}] {line}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
