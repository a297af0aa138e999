"""From stories with their final codes to a report: methods text, tables and figure data.

The input is a ``ReportInput``: one row per story that may be analysed (the teller consented
to research and did not erase it; the caller leaves the others out and says how many), with
the columns

- ``teller_role``, ``setting``, ``oncological`` (codes of ``mango.lib.vocab``),
- ``organisation``, ``unit`` (names; empty when unknown), ``submitted_at`` (a datetime),
- ``screening`` ("included", "excluded" or empty: not screened yet), ``exclusion_reason``,
- ``coded``: True when the story has final codes of the dimensions codebook (optional; without
  it every included story counts as coded),
- one 0/1 column per dimension key.

Every number in the report comes from ``mango.lib.analysis`` on that frame; this module only
chooses the tables, puts them in words and lays them out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

import pandas as pd

from mango.lib import analysis
from mango.lib.analysis import describe

from . import methods, wording
from .tables import PERCENT, RESIDUAL, STATISTIC, TEXT, Column, Table
from .tables import P as P_KIND

RESPONDENT_GROUPS = (
    describe.PROFESSIONALS,
    describe.ONCOLOGICAL_PATIENTS,
    describe.OTHER_PATIENTS,
)
STORY_COLUMNS = (
    "teller_role",
    "setting",
    "oncological",
    "organisation",
    "unit",
    "submitted_at",
    "screening",
    "exclusion_reason",
)


@dataclass
class Collection:
    """How the stories were collected, for the methods section."""

    campaign: str | None = None  # the campaign's name; None for a report across campaigns
    opens_on: date | None = None
    closes_on: date | None = None
    organisations: list[str] = field(default_factory=list)  # names of those taking part
    organisation: str | None = None  # the one organisation a report is limited to
    received: int = 0  # every story of the campaign (and organisation), erased ones included
    no_research_consent: int = 0  # left out: consent for research never given or withdrawn
    erased: int = 0  # left out: erased at the teller's request
    # Analysed, but not shared by the teller with staff: not on the dashboards of
    # organisation managers and ambassadors, who read only shared stories.
    not_shared: int = 0
    sources: dict[str, int] = field(default_factory=dict)  # analysed stories per source


@dataclass
class ReportInput:
    collection: Collection
    stories: pd.DataFrame
    dimensions: dict[str, str]  # key -> name, in the order to show; "" uses the default name
    reasons: dict[str, str] = field(default_factory=dict)  # exclusion reason key -> name
    agreement: dict | None = None  # ``mango agreement``'s JSON shape, plus "round" (a name)
    group: str = "respondent_group"
    groups: list | None = None  # the groups to compare, in order; default: all present
    group_names: dict | None = None  # group value -> name
    language: str = "nl"
    title: str | None = None
    generated_at: datetime | None = None
    tz: str | None = None
    seed: int = analysis.DEFAULT_SEED
    resamples: int = analysis.DEFAULT_RESAMPLES


@dataclass
class Report:
    title: str
    subtitle: str
    language: str
    methods: list[str]
    tables: list[Table]
    respondents: dict
    screening: analysis.describe.Screening
    comparison: analysis.DimensionTable | None  # None when fewer than two groups have stories
    months: analysis.trends.Trend
    units: analysis.trends.UnitTable | None
    dimension_names: dict[str, str]
    group_names: dict
    group_title: str
    notes: list[str] = field(default_factory=list)

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)


def group_order(data: ReportInput, present) -> tuple[list, list]:
    """(groups compared, every group named): ``data.groups`` or, for respondent groups, the
    campaign's three, kept to those with stories; else every value present, sorted."""
    present = [g for g in present if g is not None and g == g and g != ""]
    order = list(data.groups) if data.groups is not None else None
    if order is None and data.group == "respondent_group":
        order = list(RESPONDENT_GROUPS)
    if order is not None:
        return [g for g in order if g in set(present)], order
    groups = sorted(present, key=str)
    return groups, groups


def build_report(data: ReportInput) -> Report:
    """The whole report as data. ValueError for input the analysis refuses."""
    language = wording.check_language(data.language)
    stories = _prepared(data)
    dims = list(data.dimensions)
    group = data.group
    base = _coded_base(stories)
    groups, named = group_order(data, pd.unique(base[group]))
    comparison = None
    if len(groups) >= 2 and dims:
        comparison = analysis.dimension_by_group(
            base, group, dims, groups=groups, seed=data.seed, resamples=data.resamples
        )
    trend_groups = groups if len(groups) >= 2 else None
    months = analysis.by_month(
        stories,
        "submitted_at",
        group if trend_groups else None,
        groups=trend_groups,
        tz=data.tz,
    )
    unit_column = "unit" if data.collection.organisation else "organisation"
    parts = Parts(
        respondents=analysis.respondents(stories),
        screening=analysis.screening(stories, reasons=list(data.reasons)),
        comparison=comparison,
        months=months,
        units=analysis.by_unit(base, unit_column, dims) if len(base) else None,
        unit_column=unit_column,
        stories=len(stories),
        coded=len(base),
    )
    names = {g: wording.code_name(group, g, language, data.group_names) for g in named}
    report = assemble(
        parts,
        language=language,
        dimensions=data.dimensions,
        reasons=data.reasons,
        group=group,
        group_names=names,
        title=data.title,
    )
    report.methods = methods.paragraphs(report, data, stories, base)
    when = data.generated_at or datetime.now()
    report.subtitle = wording.text("generated", language, date=when.strftime("%Y-%m-%d"))
    return report


@dataclass
class Parts:
    """The analysis results a report shows, however they were computed (``mango.lib.analysis``
    on one row per story, or ``counts`` from a database's grouped counts)."""

    respondents: dict
    screening: analysis.describe.Screening
    comparison: analysis.DimensionTable | None
    months: analysis.trends.Trend
    units: analysis.trends.UnitTable | None
    unit_column: str  # "unit" or "organisation"
    stories: int  # stories analysed
    coded: int  # of which included and coded


def assemble(
    parts: Parts,
    *,
    language: str,
    dimensions: dict[str, str],
    reasons: dict[str, str],
    group: str,
    group_names: dict,
    title: str | None = None,
) -> Report:
    """A report (tables, no methods text yet) from analysis results."""
    language = wording.check_language(language)
    named = {k: v for k, v in dimensions.items() if v}
    report = Report(
        title=title or wording.text("report_title", language),
        subtitle="",
        language=language,
        methods=[],
        tables=[],
        respondents=parts.respondents,
        screening=parts.screening,
        comparison=parts.comparison,
        months=parts.months,
        units=parts.units,
        dimension_names={k: wording.code_name("dimension", k, language, named) for k in dimensions},
        group_names=group_names,
        group_title=wording.GROUPINGS.get(group, {}).get(language, group),
    )
    report.tables = _tables(report, reasons, parts.stories, parts.unit_column)
    return report


def _prepared(data: ReportInput) -> pd.DataFrame:
    stories = data.stories
    analysis.common.require_columns(stories, [*STORY_COLUMNS, *data.dimensions])
    if data.group == "respondent_group" and "respondent_group" not in stories.columns:
        stories = stories.assign(respondent_group=analysis.respondent_group(stories))
    elif data.group == "period" and "period" not in stories.columns:
        stories = stories.assign(period=analysis.period(stories, tz=data.tz))
    analysis.common.require_columns(stories, [data.group])
    return stories


def _coded_base(stories: pd.DataFrame) -> pd.DataFrame:
    """The stories the dimensions are counted on: included at screening and coded."""
    keep = stories["screening"].eq("included")
    if "coded" in stories.columns:
        keep &= stories["coded"].fillna(False).astype(bool)
    return stories.loc[keep.to_numpy(dtype=bool)]


# --- Tables ---------------------------------------------------------------------------------


def _tables(report: Report, reasons: dict, stories: int, unit_column: str) -> list[Table]:
    lang = report.language
    t = lambda key, **v: wording.text(key, lang, **v)  # noqa: E731
    tables = []
    for column in ("teller_role", "setting", "oncological"):
        freq = report.respondents[column]
        rows = [
            [wording.code_name(column, r.value, lang), int(r.n), r.percent]
            for r in freq.table.itertuples()
        ]
        tables.append(
            Table(
                key=f"respondents_{column}",
                title=t("t_respondents") + wording.colon(lang) + t("t_" + column).lower(),
                columns=[
                    Column(t("t_" + column), TEXT),
                    Column(t("c_n")),
                    Column(t("c_percent"), PERCENT),
                ],
                rows=[*rows, [t("c_total"), stories, 100.0 if stories else None]],
                notes=[t("note_percent_all", n=wording.number(stories, lang))],
                total_rows={len(rows)},
            )
        )

    s = report.screening
    screened = s.screened or None
    rows = [
        [t("r_included"), s.included, 100 * s.included / screened if screened else None],
        [t("r_excluded"), s.excluded, 100 * s.excluded / screened if screened else None],
    ]
    subs = set()
    for r in s.reasons.itertuples():
        subs.add(len(rows))
        name = wording.code_name("exclusion_reason", r.reason, lang, reasons)
        rows.append([name, int(r.n), r.percent])
    total = len(rows)
    rows.append([t("r_screened"), s.screened, 100.0 if screened else None])
    rows.append([t("r_pending"), s.pending, None])
    notes = []
    if s.excluded:
        notes.append(t("note_reasons", n=wording.number(s.excluded, lang)))
    tables.append(
        Table(
            key="screening",
            title=t("t_screening"),
            columns=[Column(t("c_value"), TEXT), Column(t("c_n")), Column(t("c_percent"), PERCENT)],
            rows=rows,
            notes=notes,
            total_rows={total},
            sub_rows=subs,
        )
    )

    c = report.comparison
    if c is not None:
        names = [report.group_names.get(g, str(g)) for g in c.groups]
        columns = [Column(t("c_dimension"), TEXT)]
        for _ in c.groups:
            columns += [Column(t("c_n")), Column(t("c_percent"), PERCENT)]
        columns += [Column(t("c_n")), Column(t("c_percent"), PERCENT)]
        rows = []
        for key in c.labels:
            row = [report.dimension_names[key]]
            for g in c.groups:
                row += [int(c.counts.loc[key, g]), float(c.percentages.loc[key, g])]
            n = int(c.counts.loc[key].sum())
            row += [n, 100 * n / c.stories]
            rows.append(row)
        unlabelled = [t("r_unlabelled")]
        for g in c.groups:
            n = int(c.unlabelled[g])
            unlabelled += [n, 100 * n / int(c.totals[g])]
        n = int(c.unlabelled.sum())
        unlabelled += [n, 100 * n / c.stories]
        rows.append(unlabelled)
        totals = [t("r_stories")]
        for g in c.groups:
            totals += [int(c.totals[g]), None]
        totals += [c.stories, None]
        rows.append(totals)
        notes = [
            t("note_column_percent"),
            t("multi_label" if c.multi_label else "multi_label_none"),
        ]
        if c.left_out:
            notes.append(t("left_out_groups", n=wording.number(c.left_out, lang)))
        tables.append(
            Table(
                key="dimensions",
                title=f"{t('t_dimensions')} ({report.group_title.lower()})",
                columns=columns,
                rows=rows,
                notes=notes,
                spans=[("", 1), *((name, 2) for name in names), (t("c_total"), 2)],
                total_rows={len(rows) - 1},
                sub_rows={len(rows) - 2},
            )
        )
        columns = [
            Column(t("c_dimension"), TEXT),
            Column(t("c_test"), TEXT),
            Column(t("c_statistic"), STATISTIC),
            Column(t("c_dof")),
            Column(t("c_p"), P_KIND),
            Column(t("c_p_holm"), P_KIND),
            Column(t("c_v"), STATISTIC),
            *(Column(t("c_residual", group=name), RESIDUAL) for name in names),
        ]
        rows = []
        for test in c.tests:
            rows.append(
                [
                    report.dimension_names[test.label],
                    t(test.test) if test.test else t("untested"),
                    test.statistic,
                    test.dof,
                    test.p,
                    test.p_holm,
                    test.cramers_v,
                    *(float(c.residuals.loc[test.label, g]) for g in c.groups),
                ]
            )
        tables.append(
            Table(
                key="tests",
                title=t("t_tests"),
                columns=columns,
                rows=rows,
                notes=[t("method_note", resamples=wording.number(c.resamples, lang), seed=c.seed)],
            )
        )

    m = report.months
    series = list(m.counts.columns)
    grouped = m.group is not None
    columns = [Column(t("c_month"), TEXT)]
    if grouped:
        columns += [Column(report.group_names.get(g, str(g))) for g in series]
    columns.append(Column(t("c_total")))
    rows = []
    for month, counts in m.counts.iterrows():
        values = [int(v) for v in counts.tolist()]
        rows.append([month, *(values if grouped else []), sum(values)])
    notes = []
    if m.left_out:
        notes.append(t("left_out_groups", n=wording.number(m.left_out, lang)))
    tables.append(Table(key="months", title=t("t_months"), columns=columns, rows=rows, notes=notes))

    u = report.units
    if u is not None:
        heading = t("c_unit") if unit_column == "unit" else wording.GROUPINGS["organisation"][lang]
        columns = [Column(heading, TEXT), Column(t("c_stories")), Column(t("c_percent"), PERCENT)]
        columns += [Column(report.dimension_names[k], PERCENT) for k in report.dimension_names]
        rows = []
        for r in u.table.to_dict(orient="records"):
            name = r[unit_column]
            name = t("r_no_unit") if name is None or name == "" else name
            rows.append(
                [
                    name,
                    int(r["stories"]),
                    r["percent"],
                    *(r[f"{k} %"] for k in report.dimension_names),
                ]
            )
        title = (
            t("t_units")
            if unit_column == "unit"
            else (f"{t('c_stories')} / {wording.GROUPINGS['organisation'][lang].lower()}")
        )
        tables.append(
            Table(key="units", title=title, columns=columns, rows=rows, notes=[t("units_note")])
        )
    return tables
