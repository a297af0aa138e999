"""The consensus rule a study fixes in advance: a thin layer over ``mango.lib.consensus.rules``
(the spec, its checks and its wording live there; nothing is decided here)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from mango.lib.consensus.rules import KINDS, Rule
from mango.lib.consensus.scale import Scale

# The rule kinds in the form's order, with translated names.
NAMES = {
    "comet": _("70/15 rule (in at 70% rating 7-9 and under 15% rating 1-3; out at 50% or less)"),
    "percent_agreement": _("Percent agreement"),
    "median_iqr": _("Median with an interquartile range of at most 1"),
    "rand_ucla": _("RAND/UCLA appropriateness method"),
}
STATUS_LABELS = {"in": _("in"), "out": _("out"), "undecided": _("undecided")}


def choices() -> list[tuple[str, str]]:
    return [(kind, NAMES[kind]) for kind in KINDS]


def validate(spec: dict) -> dict:
    """The spec as the lib writes it (defaults filled in); ValueError for a bad one."""
    return Rule.from_dict(spec).as_dict()


def from_form(data: dict) -> dict:
    params = {}
    if data["rule"] == "percent_agreement" and data.get("threshold"):
        params["threshold"] = data["threshold"]
    return validate({"kind": data["rule"], "scope": data["scope"], "params": params})


def rule_of(study) -> Rule | None:
    return Rule.from_dict(study.rule) if study.rule else None


def scale_of(criterion) -> Scale:
    return Scale(criterion.scale_min, criterion.scale_max)


def name(study) -> str:
    rule = rule_of(study)
    return str(NAMES[rule.kind]) if rule else ""


def describe(study, criterion=None) -> str:
    """The rule in words (English, from the lib), for reports' method sections."""
    rule = rule_of(study)
    if rule is None:
        return ""
    return rule.describe(scale_of(criterion) if criterion is not None else Scale())
