"""The dashboard's numbers, summed by the database from the pre-aggregated ``Tally`` rows.

A ``Selection`` (the user's scope and the filters) picks tally rows; a few grouped ``Sum``
queries over them give stories per value, per (dimension, group) and per month, which
``mango.lib.reports.counts`` turns into the result objects of ``mango.lib.analysis``, so the
dashboard shows the same tables, tests and charts as the report. Without a period filter the
all-months rows (month 0) are read: some thousands of rows whatever the number of stories.

``collection`` says how the dashboard's total compares with the report's: the report counts
every story told (received), analyses those whose teller consents to research and did not
erase them, and a manager's or ambassador's dashboard shows only the analysable stories the
teller also shared with staff.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, Sum

from mango.lib.access import StoryScope
from mango.lib.analysis import describe
from mango.lib.reports import build, counts
from mango.organisations.models import Campaign, Organisation, Unit
from mango.research.models import Code

from .data import DIMENSIONS, MANGOMOMENT, SCREENING
from .facts import ATTRIBUTES, COLLECTION
from .models import Tally

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
CELL_GROUPS = {"organisation": "organisation_id", "unit": "unit_id", "campaign": "campaign_id"}
SUMS = {m: Sum(m) for m in ("n", "coded", "labelled", "multi")}


@dataclass
class Selection:
    """What a dashboard shows: the stories of ``scope`` (``stories.access`` rules) that
    count for analysis, narrowed by campaign, organisation, unit and months (YYYYMM)."""

    scope: StoryScope = field(default_factory=lambda: StoryScope(everything=True))
    campaign: int | None = None
    organisation: int | None = None
    unit: int | None = None
    start: int | None = None
    end: int | None = None

    def scope_rule(self) -> Q:
        """``visible_stories`` on tally cells: every analysable story has research consent."""
        s = self.scope
        if s.everything or s.research_everywhere:
            return Q()
        rule = Q(pk__in=[])
        if s.research_orgs:
            rule |= Q(organisation_id__in=s.research_orgs)
        if s.sharing_orgs:
            rule |= Q(shared=True, organisation_id__in=s.sharing_orgs)
        return rule

    def organisations_rule(self) -> Q:
        """The tally cells of the organisations the user reads stories of, shared or not: what
        was told there, whether or not the user may read it."""
        s = self.scope
        if s.everything or s.research_everywhere:
            return Q()
        return Q(organisation_id__in=set(s.research_orgs) | set(s.sharing_orgs))

    def _narrowed(self, rows):
        for name in ("campaign", "organisation", "unit"):
            if getattr(self, name):
                rows = rows.filter(**{f"{name}_id": getattr(self, name)})
        return rows

    def cells(self, *, months: bool = False):
        """Tally rows of the selection: all-months rows, or per-month rows (``months``,
        or always when a period is chosen)."""
        rows = self._narrowed(Tally.objects.filter(self.scope_rule()))
        if months or self.start or self.end:
            rows = rows.filter(month__gt=0)
            if self.start:
                rows = rows.filter(month__gte=self.start)
            if self.end:
                rows = rows.filter(month__lte=self.end)
        else:
            rows = rows.filter(month=0)
        return rows.order_by()


@dataclass
class Collected:
    """How the dashboard's total compares with what was told and with the report's total.

    ``told``: every story of the selection's campaign, organisation and unit in the user's
    organisations (erased ones included: the report's "received"); ``analysable``: those
    whose teller consents to research and did not erase them (the report's analysis);
    ``shown``: those the dashboard counts, the analysable stories the user may read (an
    organisation manager or ambassador reads only those shared with staff)."""

    told: int
    analysable: int
    no_research_consent: int
    erased: int
    shown: int

    @property
    def not_analysed(self) -> int:
        return self.no_research_consent + self.erased

    @property
    def not_shown(self) -> int:
        """Analysed (in the report) but not on this dashboard: not shared with staff."""
        return max(self.analysable - self.shown, 0)


def collection(selection: Selection, shown: int) -> Collected | None:
    """What was told in the selection and why the dashboard counts fewer (``Collected``),
    from the all-months collection tallies; None when a period is chosen (those tallies
    are not kept per month)."""
    if selection.start or selection.end:
        return None
    rows = selection._narrowed(
        Tally.objects.filter(selection.organisations_rule(), month=0, attribute=COLLECTION, code=0)
    )
    counted = dict(rows.order_by().values_list("value").annotate(n=Sum("n")))
    return Collected(
        told=sum(counted.values()),
        analysable=counted.get("analysable", 0),
        no_research_consent=counted.get("no_research_consent", 0),
        erased=counted.get("erased", 0),
        shown=shown,
    )


def group_value(group: str, value):
    """A grouped value as the analysis names it: quarters as "2018Q1", None for missing."""
    if group == "period":
        return f"{value // 100}Q{(value % 100 - 1) // 3 + 1}" if value else None
    return value or None


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


def _code_keys() -> tuple[dict, dict]:
    """{code id: key} of the screening and of the dimensions codebook."""
    screening, dims = {}, {}
    for pk, key, slug in Code.objects.filter(
        codebook__slug__in=[SCREENING, DIMENSIONS]
    ).values_list("pk", "key", "codebook__slug"):
        (screening if slug == SCREENING else dims)[pk] = key
    return screening, dims


def _add(into: dict, key, n) -> None:
    into[key] = into.get(key, 0) + (n or 0)


def parts(
    selection: Selection,
    *,
    group: str,
    dimensions: list[str],
    reasons: list[str],
    units_of_organisation: bool,
    language: str,
) -> tuple[build.Parts, dict]:
    """(Parts, {group value: name}) for the selection, by ``group``; names are those of
    organisations, units and campaigns, other values stay codes for the report to name."""
    if group not in GROUPS:
        raise ValueError(f"Unknown group {group!r}.")
    screening_keys, dimension_keys = _code_keys()
    story_attribute = group if group in ATTRIBUTES else "all"
    cell_column = CELL_GROUPS.get(group)
    wanted = {"all", SCREENING, *describe.RESPONDENT_COLUMNS, story_attribute}
    extra = [cell_column] if cell_column else []
    rows = list(
        selection.cells()
        .filter(attribute__in=wanted)
        # Per-code rows only where read: screening codes and the compared attribute's.
        .filter(Q(code=0) | Q(attribute__in={SCREENING, story_attribute}))
        .values("attribute", "value", "code", *extra)
        .annotate(**SUMS)
    )

    # Respondents and screening: stories per value of each column, per screening code.
    by_value = {c: {} for c in describe.RESPONDENT_COLUMNS}
    total, screened, multi = 0, {}, 0
    for row in rows:
        attribute, code = row["attribute"], row["code"]
        if attribute == SCREENING:
            if code:
                _add(screened, screening_keys.get(code), row["n"])
        elif code == 0 and attribute in by_value:
            _add(by_value[attribute], row["value"] or None, row["n"])
        elif code == 0 and attribute == "all":
            total += row["n"] or 0
            multi += row["multi"] or 0
    respondents = {c: counts.frequencies(c, v, total) for c, v in by_value.items()}
    included = screened.pop(MANGOMOMENT, 0)
    screening = counts.screening(total, included, screened, reasons)

    # Dimensions by group: coded stories per group, per (dimension, group), with any.
    totals, carried, labelled = {}, {}, {}
    if group == "period":
        grouped = (
            selection.cells(months=True)
            .filter(attribute="all")
            .values("month", "code")
            .annotate(**SUMS)
        )
        grouped = [{**r, "g": group_value(group, r["month"])} for r in grouped]
    else:
        grouped = [
            {**r, "g": group_value(group, r[cell_column] if cell_column else r["value"])}
            for r in rows
            if r["attribute"] == story_attribute
        ]
    for row in grouped:
        if row["code"] == 0:
            _add(totals, row["g"], row["coded"])
            _add(labelled, row["g"], row["labelled"])
        elif row["code"] in dimension_keys:
            _add(carried, (dimension_keys[row["code"]], row["g"]), row["n"])

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
            multi_label=multi > 0,
            left_out=sum(n for g, n in totals.items() if g not in set(groups)),
        )

    # Stories per month (and group, when there is a comparison).
    per_month = {}
    trend_group = group if comparison is not None else None
    monthly = selection.cells(months=True).filter(
        code=0, attribute=story_attribute if trend_group else "all"
    )
    by = ["month"]
    if trend_group and cell_column:
        by.append(cell_column)
    elif trend_group and group != "period":
        by.append("value")
    for row in monthly.values(*by).annotate(n=Sum("n")):
        if not row["n"]:
            continue
        month = f"{row['month'] // 100}-{row['month'] % 100:02d}"
        if not trend_group:
            value = None
        elif group == "period":
            value = group_value(group, row["month"])
        else:
            value = group_value(group, row[by[1]])
        _add(per_month, (month, value), row["n"])
    months = counts.months(per_month, trend_group, groups if trend_group else None)

    # Per unit of the organisation, or per organisation.
    column = "unit" if units_of_organisation else "organisation"
    unit_totals, unit_carried = {}, {}
    for row in (
        selection.cells()
        .filter(attribute="all")
        .values(f"{column}_id", "code")
        .annotate(n=Sum("n"), coded=Sum("coded"))
    ):
        unit = row[f"{column}_id"] or None
        if row["code"] == 0:
            if row["coded"]:
                _add(unit_totals, unit, row["coded"])
        elif row["code"] in dimension_keys and row["n"]:
            _add(unit_carried, (dimension_keys[row["code"]], unit), row["n"])
    if column == "unit":
        unit_names = dict(Unit.objects.filter(pk__in=list(unit_totals)).values_list("pk", "name"))
    else:
        unit_names = group_names(column, list(unit_totals), language)
    units = None
    if unit_totals:
        units = counts.units(
            column,
            {unit_names.get(u): n for u, n in unit_totals.items()},
            {(k, unit_names.get(u)): n for (k, u), n in unit_carried.items() if u in unit_totals},
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
