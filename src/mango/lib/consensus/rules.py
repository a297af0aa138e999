"""Consensus rules, fixed in advance: an immutable spec (kind + parameters + scope) and its result.

A ``Rule`` is what a study locks before round 1: ``Rule.make("comet")``,
``Rule.make("percent_agreement", threshold=80, band="top", scope="both")``. It is frozen and
hashable, ``as_dict()`` / ``Rule.from_dict()`` round-trip it through JSON, and ``to_json()``
is canonical (sorted keys, defaults filled in) so the locked text can be stored and compared.
Parameters are checked when the rule is made; unknown kinds, parameters or scopes raise
``ValueError`` with the allowed values.

Every rule gives each item one of three statuses: ``in`` (consensus to include), ``out``
(consensus to exclude) or ``undecided``. Comparisons with percentages are made exactly on the
counts (7 of 10 is exactly 70 %), never on rounded floats. An item nobody scored (n = 0) is
``undecided``.

Kinds (``KINDS`` has their defaults):

- ``comet``: *in* when at least ``in_top_at_least`` % (70) rate in the top third (7-9) and
  fewer than ``in_bottom_below`` % (15) rate in the bottom third (1-3); *out* when at most
  ``out_top_at_most`` % (50) rate in the top third; otherwise *undecided*. Exactly 70 % is
  in, exactly 15 % is not "fewer than 15 %", exactly 50 % is out. (COMET Handbook: Williamson
  et al., Trials 2017;18:280.)
- ``percent_agreement``: agreement is a share of at least ``threshold`` % (75) in one third.
  ``band`` says which: ``"top"`` (in when at least threshold % rate in the top third, else
  undecided), ``"bottom"`` (out when at least threshold % rate in the bottom third, else
  undecided) or ``"both"`` (both of these; threshold must then be over 50 so they exclude
  each other).
- ``median_iqr``: consensus when the interquartile range (q3 - q1, numpy's linear quartiles)
  is at most ``max_iqr`` (1); with consensus the item is *in* when the median is at least
  ``in_median_at_least`` (default: the first score of the top third, 7) and *out* when the
  median is at most ``out_median_at_most`` (default: the last score of the bottom third, 3);
  everything else (no consensus, or consensus on the middle) is *undecided*.
- ``rand_ucla``: the RAND/UCLA appropriateness method (Fitch et al., The RAND/UCLA
  Appropriateness Method User's Manual, RAND 2001), 1-9 scale only. *appropriate* (in) when
  the median is 7-9 without disagreement, *inappropriate* (out) when the median is 1-3
  without disagreement, *uncertain* (undecided) when the median is between (3.5 to 6.5
  included) or there is disagreement. Disagreement, with ``disagreement="auto"`` (default):
  for panels of 8-16 who scored, the manual's table: at least 3 (8-10 panellists), 4 (11-13)
  or 5 (14-16) rate in each extreme third (1-3 and 7-9); for other panel sizes the manual's
  IPRAS definition: disagreement when the interpercentile range IPR = P70 - P30 is larger
  than IPRAS = 2.35 + 1.5 x |5 - (P30 + P70) / 2| (percentiles as numpy's linear ones).
  ``disagreement="ipras"`` uses IPRAS for every panel size.

Scope: ``"panel"`` applies the rule to the whole panel. ``"groups"`` applies it within each
stakeholder group that has at least one score for the item in that round: the item is *in*
only when it is in in every such group, *out* only when it is out in every such group, and
*undecided* otherwise (also when no group has a score; a group with no scores is left out,
and shows as attrition). ``"both"`` combines the panel and every group the same way.
Panellists without a group count in the panel only.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from .scale import NINE_POINT, Scale
from .summary import Summary, exact

STATUSES = ("in", "out", "undecided")
SCOPES = ("panel", "groups", "both")

KINDS: dict[str, dict[str, Any]] = {
    "comet": {"in_top_at_least": 70, "in_bottom_below": 15, "out_top_at_most": 50},
    "percent_agreement": {"threshold": 75, "band": "both"},
    "median_iqr": {"max_iqr": 1, "in_median_at_least": None, "out_median_at_most": None},
    "rand_ucla": {"disagreement": "auto"},
}
CITATIONS = {
    "comet": "Williamson PR et al. The COMET Handbook: version 1.0. Trials 2017;18(Suppl 3):280.",
    "percent_agreement": (
        "Diamond IR et al. Defining consensus: a systematic review recommends methodologic "
        "criteria for reporting of Delphi studies. J Clin Epidemiol 2014;67:401-409."
    ),
    "median_iqr": (
        "von der Gracht HA. Consensus measurement in Delphi studies. Technol Forecast Soc "
        "Change 2012;79:1525-1536."
    ),
    "rand_ucla": (
        "Fitch K et al. The RAND/UCLA Appropriateness Method User's Manual. Santa Monica: "
        "RAND, 2001 (MR-1269-DG-XII/RE)."
    ),
}
RAND_LABELS = {"in": "appropriate", "out": "inappropriate", "undecided": "uncertain"}
# The RAND/UCLA manual's table: panel size -> panellists in each extreme third for disagreement.
RAND_TABLE = {**dict.fromkeys(range(8, 11), 3), **dict.fromkeys(range(11, 14), 4)}
RAND_TABLE.update(dict.fromkeys(range(14, 17), 5))
IPR_SYMMETRIC = Fraction(235, 100)  # IPRr: the IPR that means disagreement when symmetric
ASYMMETRY_FACTOR = Fraction(3, 2)  # CFA: the correction factor for asymmetry


def _number(name: str, value: Any, *, low: float, high: float, allow_none: bool = False) -> Any:
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
        raise ValueError(f"Parameter {name} must be a number, not {value!r}.")
    if not low <= value <= high:
        raise ValueError(f"Parameter {name} must be from {low:g} to {high:g}, not {value!r}.")
    return int(value) if float(value).is_integer() else float(value)


def _check(kind: str, params: dict[str, Any]) -> dict[str, Any]:
    if kind == "comet":
        for name in KINDS["comet"]:
            params[name] = _number(name, params[name], low=0, high=100)
        if params["out_top_at_most"] >= params["in_top_at_least"]:
            raise ValueError(
                "out_top_at_most must be below in_top_at_least, or an item could be in and out."
            )
    elif kind == "percent_agreement":
        params["threshold"] = _number("threshold", params["threshold"], low=0, high=100)
        if params["band"] not in ("top", "bottom", "both"):
            raise ValueError(f"Parameter band must be top, bottom or both, not {params['band']!r}.")
        if params["band"] == "both" and params["threshold"] <= 50:
            raise ValueError(
                "With band 'both' the threshold must be over 50, or an item could be in and out."
            )
    elif kind == "median_iqr":
        params["max_iqr"] = _number("max_iqr", params["max_iqr"], low=0, high=1000)
        for name in ("in_median_at_least", "out_median_at_most"):
            params[name] = _number(name, params[name], low=-1000, high=1000, allow_none=True)
        low, high = params["out_median_at_most"], params["in_median_at_least"]
        if low is not None and high is not None and low >= high:
            raise ValueError("out_median_at_most must be below in_median_at_least.")
    elif kind == "rand_ucla":
        if params["disagreement"] not in ("auto", "ipras"):
            raise ValueError(
                f"Parameter disagreement must be auto or ipras, not {params['disagreement']!r}."
            )
    return params


@dataclass(frozen=True)
class Rule:
    """A consensus rule: kind, parameters (with defaults filled in) and scope."""

    kind: str
    parameters: tuple[tuple[str, Any], ...] = ()
    scope: str = "panel"

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"Unknown rule {self.kind!r}; the rules are: {', '.join(KINDS)}.")
        if self.scope not in SCOPES:
            raise ValueError(f"Unknown scope {self.scope!r}; the scopes are: {', '.join(SCOPES)}.")
        given = dict(self.parameters)
        unknown = sorted(set(given) - set(KINDS[self.kind]))
        if unknown:
            raise ValueError(
                f"Rule {self.kind} has no parameter {', '.join(unknown)}; its parameters are: "
                f"{', '.join(KINDS[self.kind])}."
            )
        params = _check(self.kind, {**KINDS[self.kind], **given})
        object.__setattr__(self, "parameters", tuple(sorted(params.items())))

    @classmethod
    def make(cls, kind: str, scope: str = "panel", **params: Any) -> Rule:
        return cls(kind, tuple(params.items()), scope)

    @property
    def params(self) -> dict[str, Any]:
        return dict(self.parameters)

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "params": self.params, "scope": self.scope}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Rule:
        unknown = sorted(set(data) - {"kind", "params", "scope"})
        if unknown or "kind" not in data:
            raise ValueError("A rule is a mapping with 'kind' and optional 'params' and 'scope'.")
        return cls.make(data["kind"], data.get("scope", "panel"), **dict(data.get("params") or {}))

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> Rule:
        return cls.from_dict(json.loads(text))

    def label(self, status: str) -> str:
        """The status in the rule's own words (RAND/UCLA: appropriate, uncertain, inappropriate)."""
        return RAND_LABELS[status] if self.kind == "rand_ucla" else status

    def describe(self, scale: Scale = NINE_POINT, language: str = "en") -> str:
        """The rule in one paragraph (en, nl or fr), for a report's method section."""
        return describe(self, scale, language)


@dataclass(frozen=True)
class Verdict:
    """A rule's status for one set of scores, with what it was based on (``detail``)."""

    status: str
    detail: dict[str, Any] = field(default_factory=dict)


def evaluate(rule: Rule, summary: Summary) -> Verdict:
    """The rule's status for one set of scores (the whole panel or one group), scope aside.

    The verdict is kept on the (immutable) summary, keyed by kind and parameters: the same
    rule with another scope, or a second report, does not work it out again."""
    cache = summary.__dict__.setdefault("_verdicts", {})
    key = (rule.kind, rule.parameters)
    verdict = cache.get(key)
    if verdict is None:
        verdict = cache[key] = _evaluate(rule, summary)
    return verdict


def _evaluate(rule: Rule, summary: Summary) -> Verdict:
    if summary.n == 0:
        return Verdict("undecided", {"reason": "nobody scored"})
    p = rule.params
    if rule.kind == "comet":
        if summary.share_at_least("top", p["in_top_at_least"]) and summary.share_below(
            "bottom", p["in_bottom_below"]
        ):
            return Verdict("in")
        if summary.share_at_most("top", p["out_top_at_most"]):
            return Verdict("out")
        return Verdict("undecided")
    if rule.kind == "percent_agreement":
        if p["band"] in ("top", "both") and summary.share_at_least("top", p["threshold"]):
            return Verdict("in")
        if p["band"] in ("bottom", "both") and summary.share_at_least("bottom", p["threshold"]):
            return Verdict("out")
        return Verdict("undecided")
    if rule.kind == "median_iqr":
        return _median_iqr(p, summary)
    return _rand_ucla(p, summary)


def _median_iqr(p: dict[str, Any], summary: Summary) -> Verdict:
    iqr, median = summary.iqr_exact, summary.median_exact
    agreed = iqr <= exact(p["max_iqr"])
    detail = {"consensus": agreed}
    if not agreed:
        return Verdict("undecided", detail)
    high = p["in_median_at_least"]
    low = p["out_median_at_most"]
    high = exact(high) if high is not None else summary.scale.top[0]
    low = exact(low) if low is not None else summary.scale.bottom[1]
    if median >= high:
        return Verdict("in", detail)
    if median <= low:
        return Verdict("out", detail)
    return Verdict("undecided", detail)


def rand_disagreement(summary: Summary, method: str = "auto") -> tuple[bool, dict[str, Any]]:
    """Whether a 1-9 panel disagrees under the RAND/UCLA manual, and how that was decided."""
    n = summary.n
    if method == "auto" and n in RAND_TABLE:
        needed = RAND_TABLE[n]
        return summary.bottom >= needed and summary.top >= needed, {
            "disagreement_by": "table",
            "needed_in_each_extreme": needed,
        }
    p30, p70 = summary.percentile(30), summary.percentile(70)
    ipr = p70 - p30
    ipras = IPR_SYMMETRIC + ASYMMETRY_FACTOR * abs(5 - (p30 + p70) / 2)
    return ipr > ipras, {"disagreement_by": "ipras", "ipr": float(ipr), "ipras": float(ipras)}


def _rand_ucla(p: dict[str, Any], summary: Summary) -> Verdict:
    if (summary.scale.low, summary.scale.high) != (1, 9):
        raise ValueError("The RAND/UCLA method is defined on the 1-9 scale only.")
    disagreement, detail = rand_disagreement(summary, p["disagreement"])
    detail["disagreement"] = disagreement
    median = summary.median_exact
    if disagreement or 3 < median < 7:
        status = "undecided"
    else:
        status = "in" if median >= 7 else "out"
    detail["label"] = RAND_LABELS[status]
    return Verdict(status, detail)


def combine(statuses: list[str]) -> str:
    """``in`` when all are in, ``out`` when all are out, otherwise (or when empty) undecided."""
    if statuses and all(s == "in" for s in statuses):
        return "in"
    if statuses and all(s == "out" for s in statuses):
        return "out"
    return "undecided"


def scoped_status(rule: Rule, panel: Verdict, groups: Mapping[str, tuple[Summary, Verdict]]) -> str:
    """The item's status under the rule's scope, from the panel's and each group's verdict."""
    if rule.scope == "panel":
        return panel.status
    scored = [verdict.status for summary, verdict in groups.values() if summary.n > 0]
    if rule.scope == "groups":
        return combine(scored)
    return combine([panel.status, *scored]) if scored else "undecided"


LANGUAGES = ("en", "nl", "fr")

# The rule in words per language: {kind: template}, then the scope and the closing sentences.
# Placeholders: top, bottom (score ranges), the rule's parameters, high and low (medians).
WORDING: dict[str, dict[str, str]] = {
    "en": {
        "title.comet": "COMET Delphi rule (70/15, out at 50)",
        "title.percent_agreement": "Percent agreement",
        "title.median_iqr": "Median and interquartile range",
        "title.rand_ucla": "RAND/UCLA appropriateness method",
        "comet": (
            "An item is in when at least {in_top_at_least}% of the panellists who scored it "
            "rate it {top} and fewer than {in_bottom_below}% rate it {bottom}; out when at "
            "most {out_top_at_most}% rate it {top}; otherwise undecided."
        ),
        "agreement.top": (
            "An item is in when at least {threshold}% of the panellists who scored it rate it "
            "{top}; otherwise undecided."
        ),
        "agreement.bottom": (
            "An item is out when at least {threshold}% of the panellists who scored it rate it "
            "{bottom}; otherwise undecided."
        ),
        "agreement.both": (
            "An item is in when at least {threshold}% of the panellists who scored it rate it "
            "{top} and out when at least {threshold}% rate it {bottom}; otherwise undecided."
        ),
        "median_iqr": (
            "Consensus when the interquartile range is at most {max_iqr}; with consensus an "
            "item is in when its median is at least {high} and out when it is at most {low}; "
            "otherwise undecided."
        ),
        "rand_ucla": (
            "An item is appropriate (in) when its median is 7-9 without disagreement, "
            "inappropriate (out) when its median is 1-3 without disagreement, and uncertain "
            "(undecided) otherwise or with disagreement."
        ),
        "rand.auto": (
            "Disagreement, for panels of 8-16: at least 3, 4 or 5 panellists (8-10, 11-13, "
            "14-16 panellists) rate the item in each extreme third (1-3 and 7-9); for other "
            "panel sizes: the interpercentile range P70 - P30 is larger than IPRAS = 2.35 + "
            "1.5 x |5 - (P30 + P70) / 2|."
        ),
        "rand.ipras": (
            "Disagreement: the interpercentile range P70 - P30 is larger than IPRAS = 2.35 + "
            "1.5 x |5 - (P30 + P70) / 2|."
        ),
        "scope.panel": "The rule is applied to the whole panel.",
        "scope.groups": (
            "The rule is applied within each stakeholder group: an item is in only when it is "
            "in in every group with scores, out only when it is out in every such group, and "
            "undecided otherwise."
        ),
        "scope.both": (
            "The rule is applied to the whole panel and within each stakeholder group: an item "
            "is in only when it is in for the panel and in every group with scores, out only "
            "when it is out for all of them, and undecided otherwise."
        ),
        "closing": (
            "Percentages are over the panellists who gave a score ({scale}); 'unable to judge' "
            "answers do not count."
        ),
        "source": "Source:",
    },
    "nl": {
        "title.comet": "COMET-Delphiregel (70/15, uit bij 50)",
        "title.percent_agreement": "Percentage overeenstemming",
        "title.median_iqr": "Mediaan en interkwartielafstand",
        "title.rand_ucla": "RAND/UCLA-geschiktheidsmethode",
        "comet": (
            "Een item is in wanneer minstens {in_top_at_least}% van de panelleden die het een "
            "score gaven het {top} geven en minder dan {in_bottom_below}% het {bottom} geven; "
            "uit wanneer hoogstens {out_top_at_most}% het {top} geven; anders onbeslist."
        ),
        "agreement.top": (
            "Een item is in wanneer minstens {threshold}% van de panelleden die het een score "
            "gaven het {top} geven; anders onbeslist."
        ),
        "agreement.bottom": (
            "Een item is uit wanneer minstens {threshold}% van de panelleden die het een score "
            "gaven het {bottom} geven; anders onbeslist."
        ),
        "agreement.both": (
            "Een item is in wanneer minstens {threshold}% van de panelleden die het een score "
            "gaven het {top} geven en uit wanneer minstens {threshold}% het {bottom} geven; "
            "anders onbeslist."
        ),
        "median_iqr": (
            "Consensus wanneer de interkwartielafstand hoogstens {max_iqr} is; bij consensus "
            "is een item in wanneer de mediaan minstens {high} is en uit wanneer die hoogstens "
            "{low} is; anders onbeslist."
        ),
        "rand_ucla": (
            "Een item is geschikt (in) wanneer de mediaan 7-9 is zonder onenigheid, ongeschikt "
            "(uit) wanneer de mediaan 1-3 is zonder onenigheid, en onzeker (onbeslist) in alle "
            "andere gevallen of bij onenigheid."
        ),
        "rand.auto": (
            "Onenigheid, bij panels van 8-16: minstens 3, 4 of 5 panelleden (8-10, 11-13, "
            "14-16 panelleden) geven het item een score in elk uiterste derde (1-3 en 7-9); "
            "bij andere panelgroottes: de interpercentielafstand P70 - P30 is groter dan "
            "IPRAS = 2,35 + 1,5 x |5 - (P30 + P70) / 2|."
        ),
        "rand.ipras": (
            "Onenigheid: de interpercentielafstand P70 - P30 is groter dan IPRAS = 2,35 + "
            "1,5 x |5 - (P30 + P70) / 2|."
        ),
        "scope.panel": "De regel geldt voor het hele panel.",
        "scope.groups": (
            "De regel geldt binnen elke stakeholdergroep: een item is alleen in wanneer het in "
            "is in elke groep met scores, alleen uit wanneer het uit is in elke zulke groep, "
            "en anders onbeslist."
        ),
        "scope.both": (
            "De regel geldt voor het hele panel en binnen elke stakeholdergroep: een item is "
            "alleen in wanneer het in is voor het panel en in elke groep met scores, alleen "
            "uit wanneer het voor allemaal uit is, en anders onbeslist."
        ),
        "closing": (
            "Percentages gaan over de panelleden die een score gaven ({scale}); het antwoord "
            "'kan ik niet beoordelen' telt niet mee."
        ),
        "source": "Bron:",
    },
    "fr": {
        "title.comet": "Règle Delphi COMET (70/15, exclu à 50)",
        "title.percent_agreement": "Pourcentage d'accord",
        "title.median_iqr": "Médiane et écart interquartile",
        "title.rand_ucla": "Méthode RAND/UCLA d'évaluation de la pertinence",
        "comet": (
            "Un item est retenu lorsqu'au moins {in_top_at_least} % des panélistes qui l'ont "
            "noté lui donnent {top} et moins de {in_bottom_below} % lui donnent {bottom} ; "
            "exclu lorsqu'au plus {out_top_at_most} % lui donnent {top} ; sinon indécis."
        ),
        "agreement.top": (
            "Un item est retenu lorsqu'au moins {threshold} % des panélistes qui l'ont noté "
            "lui donnent {top} ; sinon indécis."
        ),
        "agreement.bottom": (
            "Un item est exclu lorsqu'au moins {threshold} % des panélistes qui l'ont noté lui "
            "donnent {bottom} ; sinon indécis."
        ),
        "agreement.both": (
            "Un item est retenu lorsqu'au moins {threshold} % des panélistes qui l'ont noté "
            "lui donnent {top} et exclu lorsqu'au moins {threshold} % lui donnent {bottom} ; "
            "sinon indécis."
        ),
        "median_iqr": (
            "Consensus lorsque l'écart interquartile est d'au plus {max_iqr} ; avec consensus, "
            "un item est retenu lorsque sa médiane est d'au moins {high} et exclu lorsqu'elle "
            "est d'au plus {low} ; sinon indécis."
        ),
        "rand_ucla": (
            "Un item est approprié (retenu) lorsque sa médiane est de 7 à 9 sans désaccord, "
            "inapproprié (exclu) lorsque sa médiane est de 1 à 3 sans désaccord, et incertain "
            "(indécis) dans les autres cas ou en cas de désaccord."
        ),
        "rand.auto": (
            "Désaccord, pour les panels de 8 à 16 : au moins 3, 4 ou 5 panélistes (8-10, "
            "11-13, 14-16 panélistes) notent l'item dans chaque tiers extrême (1-3 et 7-9) ; "
            "pour les autres tailles : l'écart interpercentile P70 - P30 dépasse IPRAS = 2,35 "
            "+ 1,5 x |5 - (P30 + P70) / 2|."
        ),
        "rand.ipras": (
            "Désaccord : l'écart interpercentile P70 - P30 dépasse IPRAS = 2,35 + 1,5 x "
            "|5 - (P30 + P70) / 2|."
        ),
        "scope.panel": "La règle s'applique à l'ensemble du panel.",
        "scope.groups": (
            "La règle s'applique au sein de chaque groupe de parties prenantes : un item n'est "
            "retenu que s'il l'est dans chaque groupe ayant des notes, exclu que s'il l'est "
            "dans chacun de ces groupes, et indécis sinon."
        ),
        "scope.both": (
            "La règle s'applique à l'ensemble du panel et au sein de chaque groupe de parties "
            "prenantes : un item n'est retenu que s'il l'est pour le panel et dans chaque "
            "groupe ayant des notes, exclu que s'il l'est pour tous, et indécis sinon."
        ),
        "closing": (
            "Les pourcentages portent sur les panélistes ayant donné une note ({scale}) ; la "
            "réponse « je ne peux pas juger » n'est pas comptée."
        ),
        "source": "Source :",
    },
}


TITLES = {kind: WORDING["en"][f"title.{kind}"] for kind in KINDS}  # English names


def _decimal(value: Any, language: str) -> str:
    text = f"{value:g}" if isinstance(value, float) else str(value)
    return text.replace(".", ",") if language in ("nl", "fr") else text


def describe(rule: Rule, scale: Scale = NINE_POINT, language: str = "en") -> str:
    """The rule in words, with its parameters, scope and citation, in English, Dutch or French
    (``LANGUAGES``; any other language code gives English)."""
    lang = language[:2] if language and language[:2] in WORDING else "en"
    words = WORDING[lang]
    p = rule.params
    fields = {k: _decimal(v, lang) for k, v in p.items() if v is not None}
    fields.update(top=scale.label("top"), bottom=scale.label("bottom"))
    if rule.kind == "percent_agreement":
        text = words[f"agreement.{p['band']}"].format(**fields)
    elif rule.kind == "median_iqr":
        high = p["in_median_at_least"] if p["in_median_at_least"] is not None else scale.top[0]
        low = p["out_median_at_most"] if p["out_median_at_most"] is not None else scale.bottom[1]
        text = words["median_iqr"].format(
            **fields, high=_decimal(high, lang), low=_decimal(low, lang)
        )
    elif rule.kind == "rand_ucla":
        text = f"{words['rand_ucla']} {words['rand.' + p['disagreement']]}"
    else:
        text = words[rule.kind].format(**fields)
    return (
        f"{words['title.' + rule.kind]}. {text} {words['closing'].format(scale=scale)} "
        f"{words['scope.' + rule.scope]} {words['source']} {CITATIONS[rule.kind]}"
    )
