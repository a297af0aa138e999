"""The dashboard's numbers, counted by the database: one grouped query per table.

Given the stories a user may analyse (already filtered), each table is one ``values()`` +
``annotate(Count)`` query over the stories or over the workbench's ``FinalCode`` rows joined
to them; Python only arranges the few grouped rows into the result objects of
``mango.lib.analysis`` (``mango.lib.reports.counts``), so the dashboard shows the same tables,
tests and charts as the report.
"""

from __future__ import annotations

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Value,
    When,
)
from django.db.models.functions import TruncMonth, TruncQuarter

from mango.lib.analysis import describe
from mango.lib.reports import build, counts
from mango.organisations.models import Campaign, Organisation, Unit
from mango.research.models import Decision, FinalCode

from .data import DIMENSIONS, MANGOMOMENT, SCREENING

GROUPS = (
    "respondent_group",
    "teller_role",
    "setting",
    "oncological",
    "organisation",
    "unit",
    "campaign",
    "period",
)


def group_expression(group: str, prefix: str = ""):
    """The group of a story as a database expression (``prefix``: the path to the story)."""
    p = prefix
    if group == "respondent_group":
        return Case(
            When(**{f"{p}teller_role": "professional"}, then=Value(describe.PROFESSIONALS)),
            When(
                **{f"{p}teller_role__in": describe.PATIENT_ROLES, f"{p}oncological": "yes"},
                then=Value(describe.ONCOLOGICAL_PATIENTS),
            ),
            When(
                **{f"{p}teller_role__in": describe.PATIENT_ROLES, f"{p}oncological": "no"},
                then=Value(describe.OTHER_PATIENTS),
            ),
            default=Value(None),
            output_field=CharField(),
        )
    if group in ("teller_role", "setting", "oncological"):
        return F(f"{p}{group}")
    if group in ("organisation", "unit", "campaign"):
        return F(f"{p}{group}_id")
    if group == "period":
        return TruncQuarter(f"{p}submitted_at")
    raise ValueError(f"Unknown group {group!r}.")


def group_value(group: str, value):
    """A grouped value as the analysis names it (quarters as "2018Q1")."""
    if group == "period" and value is not None:
        return f"{value.year}Q{(value.month - 1) // 3 + 1}"
    return value


def group_names(group: str, values, language: str) -> dict:
    """Names for ids (organisations, units, campaigns); codes keep the report's names."""
    ids = [v for v in values if v is not None]
    if group == "organisation":
        return dict(Organisation.objects.filter(pk__in=ids).values_list("pk", "name"))
    if group == "campaign":
        return dict(Campaign.objects.filter(pk__in=ids).values_list("pk", "name"))
    if group == "unit":
        return {
            pk: f"{org} – {name}"
            for pk, name, org in Unit.objects.filter(pk__in=ids).values_list(
                "pk", "name", "organisation__name"
            )
        }
    return {}


def coded_stories(stories):
    """Included at screening and settled in the dimensions codebook."""
    mango = FinalCode.objects.filter(
        story=OuterRef("pk"), code__codebook__slug=SCREENING, code__key=MANGOMOMENT
    )
    settled = Decision.objects.filter(story=OuterRef("pk"), codebook__slug=DIMENSIONS)
    return stories.filter(Exists(mango), Exists(settled))


def parts(
    stories,
    *,
    group: str,
    dimensions: list[str],
    reasons: list[str],
    units_of_organisation: bool,
    language: str,
) -> tuple[build.Parts, dict]:
    """(Parts, {group value: name}) for the stories, by ``group``; names are those of
    organisations, units and campaigns, other values stay codes for the report to name."""
    stories = stories.order_by()

    # Respondents: one query over the three columns; each table sums the others away.
    by_value = {c: {} for c in describe.RESPONDENT_COLUMNS}
    total = 0
    for row in stories.values("teller_role", "setting", "oncological").annotate(n=Count("id")):
        total += row["n"]
        for column in by_value:
            value = row[column] or None
            by_value[column][value] = by_value[column].get(value, 0) + row["n"]
    respondents = {c: counts.frequencies(c, v, total) for c, v in by_value.items()}

    # Screening: stories per final screening code.
    screened = dict(
        FinalCode.objects.filter(code__codebook__slug=SCREENING, story__in=stories)
        .values_list("code__key")
        .annotate(n=Count("id"))
    )
    included = screened.pop(MANGOMOMENT, 0)
    screening = counts.screening(total, included, screened, reasons)

    # Dimensions by group: stories per group, per (dimension, group), with any dimension.
    base = coded_stories(stories)
    expression = group_expression(group)
    totals = {}
    for row in base.annotate(g=expression).values("g").annotate(n=Count("id")):
        key = group_value(group, row["g"])
        totals[key] = totals.get(key, 0) + row["n"]
    finals = FinalCode.objects.filter(code__codebook__slug=DIMENSIONS, story__in=base)
    story_expression = group_expression(group, "story__")
    carried = {}
    for row in finals.annotate(g=story_expression).values("g", "code__key").annotate(n=Count("id")):
        key = (row["code__key"], group_value(group, row["g"]))
        carried[key] = carried.get(key, 0) + row["n"]
    labelled = {}
    for row in (
        finals.annotate(g=story_expression).values("g").annotate(n=Count("story_id", distinct=True))
    ):
        key = group_value(group, row["g"])
        labelled[key] = labelled.get(key, 0) + row["n"]
    multi_label = finals.values("story_id").annotate(c=Count("id")).filter(c__gt=1).exists()

    present = [g for g, n in totals.items() if g is not None and n]
    names = group_names(group, present, language)
    if group == "respondent_group":
        groups = [g for g in build.RESPONDENT_GROUPS if g in present]
    else:
        groups = sorted(present, key=lambda g: str(names.get(g, g)))
    comparison = None
    if len(groups) >= 2 and dimensions:
        comparison = counts.comparison(
            group,
            groups,
            dimensions,
            totals,
            carried,
            {g: totals[g] - labelled.get(g, 0) for g in groups},
            multi_label=multi_label,
            left_out=sum(n for g, n in totals.items() if g not in set(groups)),
        )

    # Stories per month (and group, when there is a comparison).
    per_month = {}
    trend_group = group if comparison is not None else None
    rows = stories.annotate(m=TruncMonth("submitted_at"))
    if trend_group:
        rows = rows.annotate(g=expression).values("m", "g")
    else:
        rows = rows.values("m")
    for row in rows.annotate(n=Count("id")):
        month = row["m"].strftime("%Y-%m") if row["m"] else None
        key = (month, group_value(group, row["g"]) if trend_group else None)
        per_month[key] = per_month.get(key, 0) + row["n"]
    months = counts.months(per_month, trend_group, groups if trend_group else None)

    # Per unit of the organisation, or per organisation.
    column = "unit" if units_of_organisation else "organisation"
    unit_totals = dict(base.values_list(f"{column}_id").annotate(n=Count("id")))
    unit_carried = {
        (key, unit): n
        for unit, key, n in finals.values_list(f"story__{column}_id", "code__key").annotate(
            n=Count("id")
        )
    }
    unit_names = group_names(column, list(unit_totals), language)
    if column == "unit":
        unit_names = dict(Unit.objects.filter(pk__in=list(unit_totals)).values_list("pk", "name"))
    units = None
    if unit_totals:
        units = counts.units(
            column,
            {unit_names.get(u): n for u, n in unit_totals.items()},
            {(k, unit_names.get(u)): n for (k, u), n in unit_carried.items()},
            dimensions,
        )
    result = build.Parts(
        respondents=respondents,
        screening=screening,
        comparison=comparison,
        months=months,
        units=units,
        unit_column=column,
        stories=total,
        coded=sum(totals.values()),
    )
    return result, {g: names.get(g, g) for g in groups}
