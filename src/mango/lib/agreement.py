"""Agreement between coders: percent agreement, Cohen's and Fleiss' kappa, Krippendorff's alpha.

Two ways in. ``agreement(matrix)`` takes one variable as a units x coders matrix (NaN or
``None`` where a coder did not code a unit; note that the ``krippendorff`` package takes the
transpose, coders x units). ``round_agreement(frame, ...)`` takes a tidy table with one row
per unit, coder and code and gives figures per code and overall. Values are 1/0 (present,
absent), numbers or category names; a multi-label coding frame is read per code as a
present/absent variable. Every figure comes with a 95% interval and the result carries the
method in words (``METHOD`` and ``RoundAgreement.method``), to print next to the figures.

Point estimates come from the libraries: ``sklearn.metrics.cohen_kappa_score``,
``statsmodels`` ``fleiss_kappa`` and ``cohens_kappa`` (for the asymptotic standard error) and
``krippendorff.alpha``. The bootstrap cannot call those 1,000 times on 10,000 units in
seconds, so each statistic is also written as a ratio of sums over units (``_item_sums``,
``_from_sums``): a resample is then one matrix product of resampling counts and per-unit sums.
The tests check that these sums reproduce the libraries on the original data.

Undefined figures (one category only, nobody coded a unit twice) are ``None`` with a reason,
never NaN, so they survive JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import krippendorff
import numpy as np
import pandas as pd
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import cohens_kappa as _sm_cohens_kappa
from statsmodels.stats.inter_rater import fleiss_kappa as _sm_fleiss_kappa

LEVELS = ("nominal", "ordinal", "interval")
STATISTICS = ("percent_agreement", "cohen_kappa", "fleiss_kappa", "krippendorff_alpha")
DEFAULT_RESAMPLES = 1000
Z95 = 1.959963984540054  # the 97.5th percentile of the standard normal

NO_VARIATION = "no variation: all codings are the same category"
NO_PAIRS = "no unit was coded by two or more coders"
NO_COMMON_UNITS = "no unit was coded by both coders"
NOT_TWO_CODERS = "Cohen's kappa needs exactly two coders; there are {coders}"

# The method in words, by statistic; ``method_text`` fills in the level and the bootstrap.
METHOD = {
    "percent_agreement": (
        "Share of units coded by two or more coders on which all of them gave the same value; "
        "units coded by one coder are left out."
    ),
    "cohen_kappa": (
        "Cohen's kappa (1960), unweighted (scikit-learn), on the units coded by both coders; "
        "null unless there are exactly two coders. Per code, its 95% interval is kappa +/- "
        "1.96 x the asymptotic standard error of Fleiss, Cohen & Everitt (1969) (statsmodels), "
        "clipped to [-1, 1]; overall, the bootstrap below, since a unit's codes are not "
        "independent of each other."
    ),
    "fleiss_kappa": (
        "Fleiss' kappa (1971; statsmodels). It needs the same number of codings on every unit, "
        "so it uses only the units with the most common number of codings (at least 2; a tie "
        "goes to the larger number); other units are left out. 'n' says how many were used."
    ),
    "krippendorff_alpha": (
        "Krippendorff's alpha at the {level} level (the krippendorff package), from every unit "
        "coded by two or more coders; missing codings are allowed."
    ),
    "values": (
        "Percent agreement and both kappas treat values as unordered categories; the level "
        "applies to Krippendorff's alpha only."
    ),
    "per_code": (
        "Each code is its own variable: with multi-label coding, present (1) or absent (0)."
    ),
    "overall": (
        "Every unit x code decision pooled as one item, values as given (with present/absent "
        "data the categories 1 and 0 are shared by all codes); 'n' counts items, not units."
    ),
    "ci95": (
        "Except Cohen's kappa per code: percentile bootstrap, {resamples} resamples of the "
        "units with replacement (numpy, seed {seed}); for 'overall' a unit is resampled with "
        "all its codes. Resamples where a statistic is undefined are skipped for it."
    ),
    "undefined": (
        "A figure that cannot be computed is null with a 'reason' (e.g. kappa and alpha when "
        "every coding is the same category)."
    ),
}


@dataclass(frozen=True)
class Estimate:
    """A figure, its 95% interval and the number of units (or items) it rests on."""

    value: float | None
    ci95: tuple[float, float] | None = None
    n: int = 0
    reason: str | None = None

    def as_dict(self, digits: int | None = None) -> dict:
        def r(x):
            return x if digits is None else round(x, digits)

        out = {
            "value": None if self.value is None else r(self.value),
            "ci95": None if self.ci95 is None else [r(self.ci95[0]), r(self.ci95[1])],
            "n": self.n,
        }
        if self.reason:
            out["reason"] = self.reason
        return out


@dataclass(frozen=True)
class Agreement:
    percent_agreement: Estimate
    cohen_kappa: Estimate
    fleiss_kappa: Estimate
    krippendorff_alpha: Estimate

    def as_dict(self, digits: int | None = None) -> dict:
        return {name: getattr(self, name).as_dict(digits) for name in STATISTICS}


@dataclass(frozen=True)
class RoundAgreement:
    units: int
    coders: int
    overall: Agreement
    per_code: dict[str, Agreement]
    method: dict[str, str] = field(default_factory=dict)

    def as_dict(self, digits: int | None = None) -> dict:
        return {
            "units": self.units,
            "coders": self.coders,
            "overall": self.overall.as_dict(digits),
            "per_code": {code: a.as_dict(digits) for code, a in self.per_code.items()},
            "method": dict(self.method),
        }


def method_text(level: str = "nominal", resamples: int = DEFAULT_RESAMPLES, seed=None) -> dict:
    """The method in words for these settings, to print next to the figures."""
    text = dict(METHOD)
    text["level"] = level
    text["krippendorff_alpha"] = text["krippendorff_alpha"].format(level=level)
    if resamples:
        text["ci95"] = text["ci95"].format(resamples=resamples, seed=seed)
    else:
        text["ci95"] = "No bootstrap (0 resamples): only Cohen's kappa per code has an interval."
    return text


# --- encoding -----------------------------------------------------------------------------


@dataclass
class _Variable:
    """One variable ready for the statistics: integer categories, -1 where not coded."""

    codes: np.ndarray  # (items, coders) int
    cluster: np.ndarray  # (items,) the unit each item belongs to: what the bootstrap resamples
    values: np.ndarray  # (V,) sorted category values (float, or str for category names)
    level: str
    m: int = 0  # codings per item for Fleiss' kappa, 0 when no item has two

    def __post_init__(self):
        n = (self.codes >= 0).sum(axis=1)
        counts = np.unique(n[n >= 2], return_counts=True)
        if len(counts[0]):
            self.m = int(counts[0][counts[1] == counts[1].max()].max())


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or pd.isna(value)


def _encode(raw, level: str) -> tuple[np.ndarray, np.ndarray]:
    """Category indices (-1 missing) and the sorted domain of an array of raw values.

    All numbers (1/0 included, "1" and "1.0" alike) make a numeric domain; any other text
    makes every value a category name. Work is done on the distinct values only."""
    flat = np.asarray(raw, dtype=object).ravel()
    inverse, distinct = pd.factorize(flat)
    keep = np.array([not _blank(v) for v in distinct], dtype=bool)
    present = pd.Series(distinct[keep], dtype=object)
    numbers = pd.to_numeric(present, errors="coerce")
    if numbers.notna().all():
        present = numbers.astype(float)
    else:
        if level != "nominal":
            bad = present[numbers.isna()].iloc[0]
            raise ValueError(
                f"The {level} level needs numeric values; found {bad!r}. "
                "Use the nominal level for category names."
            )
        present = present.astype(str).str.strip()
    domain, position = np.unique(present.to_numpy(), return_inverse=True)
    lookup = np.full(len(distinct) + 1, -1, dtype=np.int64)  # the last entry: pandas' NaN (-1)
    lookup[np.flatnonzero(keep)] = position
    return lookup[inverse].reshape(np.shape(raw)), domain


def _restrict(codes: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Keep only the categories used in ``codes``, so per-code sums stay small."""
    used = np.unique(codes[codes >= 0])
    lookup = np.full(len(values) + 1, -1, dtype=np.int64)
    lookup[used] = np.arange(len(used))
    return lookup[codes], values[used]


def _check_level(level: str):
    if level not in LEVELS:
        raise ValueError(f"Unknown level {level!r}; use one of {', '.join(LEVELS)}.")


def _check_coders(coders: int):
    if coders < 2:
        raise ValueError(f"Agreement needs at least two coders; found {coders}.")


# --- statistics as sums over items ---------------------------------------------------------


def _counts(codes: np.ndarray, categories: int) -> np.ndarray:
    """(items, V): how many coders gave each category to each item."""
    items = codes.shape[0]
    rows = np.broadcast_to(np.arange(items)[:, None], codes.shape)
    keep = codes >= 0
    flat = rows[keep] * categories + codes[keep]
    return np.bincount(flat, minlength=items * categories).reshape(items, categories)


def _distances(values: np.ndarray, level: str) -> np.ndarray:
    if level == "interval":
        v = values.astype(float)
        return (v[:, None] - v[None, :]) ** 2
    return 1.0 - np.eye(len(values))


def _ordinal_distances(n_v: np.ndarray) -> np.ndarray:
    """Krippendorff's ordinal metric, which depends on the marginals: (..., V) -> (..., V, V)."""
    size = n_v.shape[-1]
    cum = np.concatenate([np.zeros(n_v.shape[:-1] + (1,)), np.cumsum(n_v, axis=-1)], axis=-1)
    i = np.arange(size)
    lo, hi = np.minimum(i[:, None], i[None, :]), np.maximum(i[:, None], i[None, :])
    between = cum[..., hi + 1] - cum[..., lo]
    return (between - (n_v[..., lo] + n_v[..., hi]) / 2) ** 2


def _alpha_sums(counts: np.ndarray, values: np.ndarray, level: str) -> dict[str, np.ndarray]:
    """Per item, the terms of Krippendorff's alpha: n_v (the pairable values) and the observed
    disagreement. With d_cc = 0 an item adds (C_i' d C_i) / (n_i - 1) to sum(o * d); the
    ordinal metric depends on the marginals, so there the whole coincidence matrix is kept."""
    size = counts.shape[1]
    n = counts.sum(axis=1)
    pair = n >= 2
    paired = counts * pair[:, None]
    denominator = np.where(pair, n - 1, 1.0)
    out = {"alpha_nv": paired}
    if level == "ordinal":
        o = paired[:, :, None] * paired[:, None, :] - paired[:, :, None] * np.eye(size)
        out["alpha_o"] = (o / denominator[:, None, None]).reshape(len(n), size * size)
    else:
        d = _distances(values, level)
        out["alpha_do"] = (np.einsum("ic,ck,ik->i", paired, d, paired) / denominator)[:, None]
    return out


def _alpha_from_sums(s: dict[str, np.ndarray], values: np.ndarray, level: str) -> np.ndarray:
    """alpha = 1 - (n - 1) sum(o d) / sum(n_c n_k d), the library's formula with d_cc = 0."""
    n_v = s["alpha_nv"]
    n = n_v.sum(axis=1)
    if level == "ordinal":
        d = _ordinal_distances(n_v)
        size = n_v.shape[1]
        observed = (s["alpha_o"].reshape(-1, size, size) * d).sum(axis=(1, 2))
        expected = np.einsum("bc,bck,bk->b", n_v, d, n_v)
    else:
        d = _distances(values, level)
        observed = s["alpha_do"][:, 0]
        expected = np.einsum("bc,ck,bk->b", n_v, d, n_v)
    with np.errstate(divide="ignore", invalid="ignore"):
        alpha = 1 - (n - 1) * observed / expected
    return np.where(expected > 1e-12 * np.maximum(n, 1) ** 2, alpha, np.nan)


def _item_sums(var: _Variable) -> dict[str, np.ndarray]:
    """Per item, the terms whose sums over items give every statistic (see ``_from_sums``)."""
    size = len(var.values)
    counts = _counts(var.codes, size).astype(float)
    n = counts.sum(axis=1)
    pair = n >= 2
    out = {
        "pairs": pair.astype(float)[:, None],
        "agree": (pair & (counts.max(axis=1) == n)).astype(float)[:, None],
        **_alpha_sums(counts, var.values, var.level),
    }
    fleiss = (n == var.m) & (var.m >= 2)
    fleiss_counts = counts * fleiss[:, None]
    out["fleiss_units"] = fleiss.astype(float)[:, None]
    out["fleiss_sq"] = (fleiss_counts**2).sum(axis=1)[:, None]
    out["fleiss_nv"] = fleiss_counts
    if var.codes.shape[1] == 2:
        a, b = var.codes[:, 0], var.codes[:, 1]
        both = (a >= 0) & (b >= 0)
        eye = np.eye(size)
        out["cohen_n"] = both.astype(float)[:, None]
        out["cohen_agree"] = (both & (a == b)).astype(float)[:, None]
        out["cohen_a"] = eye[np.where(both, a, 0)] * both[:, None]
        out["cohen_b"] = eye[np.where(both, b, 0)] * both[:, None]
    return out


def _from_sums(s: dict[str, np.ndarray], var: _Variable) -> dict[str, np.ndarray]:
    """Every statistic from sums over items; rows are resamples. NaN where undefined."""
    out = {"krippendorff_alpha": _alpha_from_sums(s, var.values, var.level)}
    with np.errstate(divide="ignore", invalid="ignore"):
        out["percent_agreement"] = s["agree"][:, 0] / s["pairs"][:, 0]

        # Fleiss (1971): P_i = (sum_j n_ij^2 - m) / (m (m - 1)), p_j = sum_i n_ij / (N m).
        units, m = s["fleiss_units"][:, 0], var.m
        p_mean = (s["fleiss_sq"][:, 0] - units * m) / (units * m * (m - 1))
        p = s["fleiss_nv"] / (units * m)[:, None]
        p_e = (p**2).sum(axis=1)
        out["fleiss_kappa"] = np.where(1 - p_e > 1e-12, (p_mean - p_e) / (1 - p_e), np.nan)

        if "cohen_n" in s:
            both = s["cohen_n"][:, 0]
            p_o = s["cohen_agree"][:, 0] / both
            p_e = (s["cohen_a"] * s["cohen_b"]).sum(axis=1) / both**2
            out["cohen_kappa"] = np.where(1 - p_e > 1e-12, (p_o - p_e) / (1 - p_e), np.nan)
    return out


def alpha_from_counts(value_counts, values=None, level: str = "nominal") -> float:
    """Krippendorff's alpha from a units x categories count table, as the bootstrap computes it.

    ``values`` are the sorted category values (the interval level needs them). Equals
    ``krippendorff.alpha(value_counts=..., level_of_measurement=level)``; NaN when undefined.
    """
    _check_level(level)
    counts = np.asarray(value_counts, dtype=float)
    values = np.arange(counts.shape[1], dtype=float) if values is None else np.asarray(values)
    sums = {k: v.sum(axis=0, keepdims=True) for k, v in _alpha_sums(counts, values, level).items()}
    return float(_alpha_from_sums(sums, values, level)[0])


# --- point estimates from the libraries ----------------------------------------------------


def _no_variation(counts: np.ndarray) -> bool:
    return int((counts.sum(axis=0) > 0).sum()) <= 1


def _percent(counts: np.ndarray) -> Estimate:
    n = counts.sum(axis=1)
    pair = n >= 2
    if not pair.any():
        return Estimate(None, n=0, reason=NO_PAIRS)
    agree = counts[pair].max(axis=1) == n[pair]
    return Estimate(float(agree.mean()), n=int(pair.sum()))


def _cohen(var: _Variable, closed_form_ci: bool) -> Estimate:
    """Cohen's kappa on the units coded by both coders, with its asymptotic interval.

    kappa +/- 1.96 SE, where (Fleiss, Cohen & Everitt 1969; statsmodels ``cohens_kappa``,
    SAS PROC FREQ's "ASE"), with p_ij the table of proportions and p_e the chance agreement:
    SE^2 = [sum_i p_ii (1 - (p_i. + p_.i)(1 - kappa))^2
            + (1 - kappa)^2 sum_{i != j} p_ij (p_.i + p_j.)^2
            - (kappa - p_e (1 - kappa))^2] / (n (1 - p_e)^2).
    Not the standard error under kappa = 0, which only serves a test against chance."""
    coders = var.codes.shape[1]
    if coders != 2:
        return Estimate(None, reason=NOT_TWO_CODERS.format(coders=coders))
    a, b = var.codes[:, 0], var.codes[:, 1]
    both = (a >= 0) & (b >= 0)
    if not both.any():
        return Estimate(None, reason=NO_COMMON_UNITS)
    a, b = a[both], b[both]
    n = int(both.sum())
    if len(np.union1d(a, b)) <= 1:
        return Estimate(None, n=n, reason=NO_VARIATION)
    labels = np.arange(len(var.values))
    value = float(cohen_kappa_score(a, b, labels=labels))
    if not closed_form_ci:
        return Estimate(value, n=n)
    table = np.zeros((len(labels), len(labels)))
    np.add.at(table, (a, b), 1)
    with np.errstate(divide="ignore", invalid="ignore"):  # its z test divides by 0 at times
        res = _sm_cohens_kappa(table)
    # Round-off can make a zero variance slightly negative (statsmodels then gives NaN).
    half = Z95 * float(np.sqrt(max(float(res.var_kappa), 0.0)))
    return Estimate(value, (max(value - half, -1.0), min(value + half, 1.0)), n=n)


def _fleiss(var: _Variable, counts: np.ndarray) -> Estimate:
    if var.m < 2:
        return Estimate(None, reason=NO_PAIRS)
    table = counts[counts.sum(axis=1) == var.m]
    if _no_variation(table):
        return Estimate(None, n=len(table), reason=NO_VARIATION)
    return Estimate(float(_sm_fleiss_kappa(table)), n=len(table))


def _alpha(var: _Variable, counts: np.ndarray) -> Estimate:
    pair = counts.sum(axis=1) >= 2
    if not pair.any():
        return Estimate(None, reason=NO_PAIRS)
    n = int(pair.sum())
    if _no_variation(counts[pair]):
        return Estimate(None, n=n, reason=NO_VARIATION)
    domain = var.values.astype(float) if var.level == "interval" else np.arange(len(var.values))
    value = krippendorff.alpha(
        value_counts=counts[pair], value_domain=domain, level_of_measurement=var.level
    )
    return Estimate(float(value), n=n)


def _point(var: _Variable, closed_form_cohen: bool) -> dict[str, Estimate]:
    counts = _counts(var.codes, len(var.values))
    return {
        "percent_agreement": _percent(counts),
        "cohen_kappa": _cohen(var, closed_form_cohen),
        "fleiss_kappa": _fleiss(var, counts),
        "krippendorff_alpha": _alpha(var, counts),
    }


# --- the bootstrap -------------------------------------------------------------------------


def _resampled_sums(per_unit: np.ndarray, resamples: int, rng: np.random.Generator) -> np.ndarray:
    """(resamples, K): the column sums of ``per_unit`` over bootstrap resamples of its rows.

    A resample is a row of counts (how often each unit was drawn), so a batch of resamples is
    one matrix product instead of a Python loop."""
    units = per_unit.shape[0]
    out = np.empty((resamples, per_unit.shape[1]))
    batch = max(1, min(resamples, 2_000_000 // max(units, 1)))
    for start in range(0, resamples, batch):
        size = min(batch, resamples - start)
        drawn = rng.integers(0, units, size=(size, units))
        drawn += (np.arange(size) * units)[:, None]
        weights = np.bincount(drawn.ravel(), minlength=size * units).reshape(size, units)
        out[start : start + size] = weights.astype(float) @ per_unit
    return out


def _interval(draws: np.ndarray) -> tuple[float, float] | None:
    finite = draws[np.isfinite(draws)]
    if not len(finite):
        return None
    low, high = np.percentile(finite, [2.5, 97.5])
    return float(low), float(high)


def _analyse(
    variables: dict[str, _Variable],
    units: int,
    resamples: int,
    seed,
    closed_form_cohen: set[str],
) -> dict[str, Agreement]:
    """Point estimates and intervals for several variables over the same units.

    All variables share the same resamples of units, so the per-unit sums of all of them go
    through one matrix product per batch."""
    points = {key: _point(var, key in closed_form_cohen) for key, var in variables.items()}
    draws: dict[str, dict[str, np.ndarray]] = {}
    if resamples > 0 and units > 0:
        blocks, layout = [], []
        for key, var in variables.items():
            for name, column in _item_sums(var).items():
                if np.array_equal(var.cluster, np.arange(units)):  # one item per unit
                    per_unit = column
                else:
                    per_unit = np.zeros((units, column.shape[1]))
                    np.add.at(per_unit, var.cluster, column)
                blocks.append(per_unit)
                layout.append((key, name, column.shape[1]))
        sums = _resampled_sums(np.hstack(blocks), resamples, np.random.default_rng(seed))
        split: dict[str, dict[str, np.ndarray]] = {key: {} for key in variables}
        at = 0
        for key, name, width in layout:
            split[key][name] = sums[:, at : at + width]
            at += width
        draws = {key: _from_sums(split[key], variables[key]) for key in variables}

    results = {}
    for key, point in points.items():
        estimates = {}
        for name, estimate in point.items():
            if estimate.value is not None and estimate.ci95 is None and key in draws:
                if name in draws[key]:
                    estimate = Estimate(
                        estimate.value, _interval(draws[key][name]), estimate.n, estimate.reason
                    )
            estimates[name] = estimate
        results[key] = Agreement(**estimates)
    return results


def _seed(seed) -> int:
    return int(np.random.SeedSequence().entropy % 2**32) if seed is None else int(seed)


# --- public entry points -------------------------------------------------------------------


def agreement(
    matrix, *, level: str = "nominal", resamples: int = DEFAULT_RESAMPLES, seed=None
) -> Agreement:
    """All four statistics for one variable given as a units x coders matrix.

    ``matrix``: a DataFrame, array or list of rows, one row per unit and one column per coder,
    NaN/``None``/"" where that coder did not code that unit. Cohen's kappa gets the closed-form
    interval; the others a percentile bootstrap over units (``resamples``, ``seed``).
    """
    _check_level(level)
    raw = matrix.to_numpy(dtype=object) if isinstance(matrix, pd.DataFrame) else matrix
    raw = np.asarray(raw, dtype=object)
    if raw.ndim != 2:
        raise ValueError("Give a units x coders matrix: one row per unit, one column per coder.")
    _check_coders(raw.shape[1])
    if raw.shape[0] == 0:
        raise ValueError("There are no units to compare.")
    codes, values = _encode(raw, level)
    var = _Variable(codes, np.arange(len(codes)), values, level)
    return _analyse({"": var}, len(codes), resamples, _seed(seed), {""})[""]


def presence_to_values(frame: pd.DataFrame, unit: str, coder: str, code: str) -> pd.DataFrame:
    """Rows naming only the codes a coder gave become explicit 1 (present) / 0 (absent) rows.

    A coder who has any row for a unit is taken to have coded that unit for every code in the
    table: the codes listed are present, the others absent. A unit a coder read but gave no
    code at all cannot be told apart from one never read; give explicit 0 rows for those.
    """
    _require(frame, [unit, coder, code])
    given = frame[[unit, coder, code]].drop_duplicates()
    seen = given[[unit, coder]].drop_duplicates()
    codes = pd.DataFrame({code: pd.unique(given[code])})
    full = seen.merge(codes, how="cross")
    given = given.assign(value=1)
    full = full.merge(given, on=[unit, coder, code], how="left")
    return full.assign(value=full["value"].fillna(0).astype(int))


def round_agreement(
    frame: pd.DataFrame,
    *,
    unit: str = "unit",
    coder: str = "coder",
    code: str = "code",
    value: str | None = "value",
    level: str = "nominal",
    resamples: int = DEFAULT_RESAMPLES,
    seed=None,
) -> RoundAgreement:
    """Agreement per code and overall for a tidy table: one row per unit, coder and code.

    With ``value=None`` every row means "present" and ``presence_to_values`` fills in the
    absent ones. Otherwise the value column holds 1/0, numbers or category names; a missing
    row or an empty value means that coder did not code that unit for that code.
    """
    _check_level(level)
    if resamples < 0:
        raise ValueError("The number of resamples cannot be negative.")
    _require(frame, [unit, coder, code] + ([value] if value else []))
    if frame.empty:
        raise ValueError("There are no codings: the table has no rows.")
    if value is None:
        frame, value = presence_to_values(frame, unit, coder, code), "value"
    frame = frame[[unit, coder, code, value]]
    for column in (unit, coder, code):
        blank = frame[column].isin([v for v in pd.unique(frame[column]) if _blank(v)])
        if blank.any():
            raise ValueError(f"{int(blank.sum())} row(s) have no {column}.")
    frame = frame.drop_duplicates()
    clash = frame.duplicated([unit, coder, code], keep=False)
    if clash.any():
        first = frame[clash].iloc[0]
        raise ValueError(
            f"Coder {first[coder]} gave unit {first[unit]} more than one value for code "
            f"{first[code]}."
        )

    unit_ids, unit_names = pd.factorize(frame[unit])
    coder_ids, coder_names = pd.factorize(frame[coder], sort=True)
    code_ids, code_names = pd.factorize(frame[code].astype(str), sort=True)
    _check_coders(len(coder_names))
    categories, values = _encode(frame[value].to_numpy(dtype=object), level)

    cube = np.full((len(unit_names), len(coder_names), len(code_names)), -1, dtype=np.int64)
    cube[unit_ids, coder_ids, code_ids] = categories
    units = len(unit_names)
    variables = {}
    for k, name in enumerate(code_names):
        codes, used = _restrict(cube[:, :, k], values)
        variables[name] = _Variable(codes, np.arange(units), used, level)
    pooled = cube.transpose(0, 2, 1).reshape(units * len(code_names), len(coder_names))
    cluster = np.repeat(np.arange(units), len(code_names))
    codes, used = _restrict(pooled, values)
    overall_key = object()  # cannot clash with a code name
    variables[overall_key] = _Variable(codes, cluster, used, level)

    seed = _seed(seed)
    results = _analyse(variables, units, resamples, seed, set(code_names))
    return RoundAgreement(
        units=units,
        coders=len(coder_names),
        overall=results.pop(overall_key),
        per_code={str(k): v for k, v in results.items()},
        method=method_text(level, resamples, seed),
    )


def _require(frame: pd.DataFrame, columns: list[str]):
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        have = ", ".join(map(str, frame.columns)) or "none"
        raise ValueError(f"No column {', '.join(map(repr, missing))} (the columns are: {have}).")
