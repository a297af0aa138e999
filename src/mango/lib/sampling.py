"""Drawing the stories of a coding round: a stratified random sample with proportional
allocation (largest remainders), reproducible from a seed."""

from __future__ import annotations

import random
from collections.abc import Hashable, Mapping, Sequence


def allocate(sizes: Mapping[Hashable, int], n: int) -> dict[Hashable, int]:
    """How many to draw from each stratum: proportional to its size, rounded by largest
    remainder (ties to the larger stratum, then the key's order), never more than it holds."""
    total = sum(sizes.values())
    if n < 0:
        raise ValueError("The sample size cannot be negative.")
    if n >= total:
        return dict(sizes)
    exact = {k: n * size / total for k, size in sizes.items()}
    out = {k: int(v) for k, v in exact.items()}
    short = n - sum(out.values())
    order = sorted(sizes, key=lambda k: (-(exact[k] - out[k]), -sizes[k], str(k)))
    for k in order[:short]:
        out[k] += 1
    return out


def stratified_sample(strata: Mapping[Hashable, Sequence], n: int, seed: int) -> list:
    """``n`` items drawn without replacement, proportionally from each stratum; all items when
    there are no more than ``n``. The result keeps the strata's order and sorts each draw."""
    counts = allocate({k: len(v) for k, v in strata.items()}, n)
    rng = random.Random(seed)
    out = []
    for key in sorted(strata, key=str):
        items = sorted(strata[key])
        out.extend(sorted(rng.sample(items, counts[key])))
    return out


def assign(units: Sequence, coders: Sequence, per_unit: int) -> list[tuple]:
    """(unit, coder) pairs: each unit to ``per_unit`` different coders, rotating through the
    coders so that each gets about the same number and every pair of coders meets."""
    if not coders:
        raise ValueError("A round needs at least one coder.")
    if not 1 <= per_unit <= len(coders):
        raise ValueError(
            f"Each story can go to 1 to {len(coders)} coders (there are {len(coders)}), "
            f"not {per_unit}."
        )
    k = len(coders)
    return [
        (unit, coders[(i * per_unit + j + i // k) % k])
        for i, unit in enumerate(units)
        for j in range(per_unit)
    ]
