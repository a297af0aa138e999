"""The staff pages of the pulse app: setting up pulses, the charts of a team, an organisation
and the network, the action log, before and after, the network dashboard, the inspiration
modules and the reflection sessions. Every page checks the organisation and role
(``access.py``); changes and exports are audited."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mango.audit import log
from mango.lib import qr
from mango.lib.spc import compare
from mango.organisations.models import Organisation, Unit
from mango.research.models import Code

from . import actions, charts, links, measures, network, results
from .access import access_for
from .forms import (
    ActionForm,
    CompareForm,
    InstrumentForm,
    ItemForm,
    ModuleForm,
    ProgressForm,
    PulseForm,
    SessionForm,
    SettingsForm,
    StageForm,
)
from .models import (
    Action,
    InspirationModule,
    Instrument,
    Item,
    ModuleFile,
    Pulse,
    PulseSettings,
    ReflectionSession,
    Tally,
)
from .shipped import SLUG as SHIPPED_SLUG

PROCESS_MONTHS = 24


def _access(request):
    access = access_for(request.user)
    if not access.any:
        raise PermissionDenied
    return access


def _model_codes():
    return list(
        Code.objects.filter(codebook__slug="mangomoment-model", active=True).order_by("order")
    )


# ----- overview and set-up --------------------------------------------------------------------


@login_required
def index(request):
    access = _access(request)
    orgs = Organisation.objects.all()
    if not access.everything:
        orgs = orgs.filter(pk__in=access.read_orgs)
    pulses = Pulse.objects.filter(organisation__in=orgs).select_related(
        "instrument", "organisation"
    )
    teams = Unit.objects.select_related("organisation").filter(organisation__in=orgs)
    if access.team_units:
        teams = teams | Unit.objects.filter(pk__in=access.team_units)
    context = {
        "access": access,
        "orgs": orgs,
        "pulses": pulses,
        "teams": teams.order_by("organisation__name", "name").distinct()[:300],
        "manage": [o for o in orgs if access.can_manage(o.pk)],
    }
    return render(request, "pulse/index.html", context)


@login_required
def pulse_new(request, org_id):
    access = _access(request)
    organisation = get_object_or_404(Organisation, pk=org_id)
    access.check_org(organisation.pk, manage=True)
    form = PulseForm(
        organisation, request.POST or None, initial={"starts_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        pulse = actions.setup_pulse(
            request.user,
            organisation,
            data["instrument"],
            list(data["units"]),
            every_weeks=data["every_weeks"],
            open_days=data["open_days"],
            starts_on=data["starts_on"],
        )
        messages.success(request, _("The pulse check is set up."))
        return redirect("pulse:pulse", pk=pulse.pk)
    return render(request, "pulse/pulse_new.html", {"form": form, "organisation": organisation})


def _pulse_for(request, pk, *, manage=False):
    access = _access(request)
    pulse = get_object_or_404(Pulse.objects.select_related("organisation", "instrument"), pk=pk)
    access.check_org(pulse.organisation_id, manage=manage)
    return access, pulse


@login_required
def pulse_detail(request, pk):
    access, pulse = _pulse_for(request, pk)
    periods = actions.ensure_periods(pulse)
    k = results.k_by_org([pulse.organisation_id])[pulse.organisation_id]
    units = list(pulse.units.all())
    first_item = pulse.instrument.items.filter(kind="scale").first()
    enough = {}
    if first_item is not None:
        # Whether each team's results are shown (the k rule with complementary suppression),
        # never how many answered.
        rows = list(
            Tally.objects.filter(period__pulse=pulse, item=first_item).values_list(
                "organisation_id", "period_id", "unit_id", "opens_on", "respondents", "counts"
            )
        )
        releases = results.releases(rows)
        for _org, period_id, unit_id, _o, _n, _c in rows:
            release = releases[(pulse.organisation_id, period_id)]
            enough[(period_id, unit_id)] = release.is_shown(unit_id)
    rows = [
        {
            "period": period,
            "cells": [enough.get((period.pk, unit.pk)) for unit in units],
        }
        for period in reversed(periods[-12:])
    ]
    teams = [{"unit": unit, "link": links.team_url(pulse, unit)} for unit in units]
    context = {
        "pulse": pulse,
        "units": units,
        "rows": rows,
        "teams": teams,
        "k": k,
        "can_manage": access.can_manage(pulse.organisation_id),
    }
    return render(request, "pulse/pulse_detail.html", context)


@login_required
@require_POST
def pulse_stop(request, pk):
    _access_, pulse = _pulse_for(request, pk, manage=True)
    actions.stop_pulse(request.user, pulse)
    messages.success(request, _("The pulse check is stopped."))
    return redirect("pulse:pulse", pk=pulse.pk)


@login_required
def team_qr(request, pk, unit_id):
    _access_, pulse = _pulse_for(request, pk)
    unit = get_object_or_404(pulse.units, pk=unit_id)
    return HttpResponse(qr.svg(links.team_url(pulse, unit)), content_type="image/svg+xml")


@login_required
def instruments(request, org_id):
    """The instruments an organisation may use: Mango's own, and its own (with their rights
    holder); a manager or ambassador adds instruments and items here."""
    access = _access(request)
    organisation = get_object_or_404(Organisation, pk=org_id)
    access.check_org(organisation.pk)
    manage = access.can_manage(organisation.pk)
    listed = Instrument.objects.filter(
        Q(organisation__isnull=True) | Q(organisation=organisation)
    ).prefetch_related("items")
    form = InstrumentForm(request.POST if "add_instrument" in request.POST else None)
    item_form = ItemForm(request.POST if "add_item" in request.POST else None)
    if request.method == "POST":
        if not manage:
            raise PermissionDenied
        if "add_instrument" in request.POST and form.is_valid():
            d = form.cleaned_data
            if Instrument.objects.filter(slug=d["slug"]).exists():
                form.add_error("slug", _("This slug is taken."))
            else:
                names = {
                    lang: d[f"name_{lang}"] for lang in ("nl", "fr", "en") if d[f"name_{lang}"]
                }
                actions.add_instrument(
                    request.user,
                    organisation,
                    slug=d["slug"],
                    names=names,
                    rights_holder=d["rights_holder"],
                    licence_note=d["licence_note"],
                )
                messages.success(request, _("Saved."))
                return redirect("pulse:instruments", org_id=organisation.pk)
        if "add_item" in request.POST and item_form.is_valid():
            instrument = get_object_or_404(
                Instrument, pk=request.POST.get("instrument"), organisation=organisation
            )
            d = item_form.cleaned_data
            if instrument.items.filter(key=d["key"]).exists():
                item_form.add_error("key", _("This key is taken."))
            else:
                languages = ("nl", "fr", "en")
                actions.add_item(
                    request.user,
                    instrument,
                    key=d["key"],
                    kind=d["kind"],
                    level=d["level"],
                    texts={lang: d[f"text_{lang}"] for lang in languages if d[f"text_{lang}"]},
                    scale_min=d["scale_min"],
                    scale_max=d["scale_max"],
                    favourable_from=d["favourable_from"],
                    low_labels=dict.fromkeys(languages, d["low_label"]) if d["low_label"] else {},
                    high_labels=dict.fromkeys(languages, d["high_label"])
                    if d["high_label"]
                    else {},
                )
                messages.success(request, _("Saved."))
                return redirect("pulse:instruments", org_id=organisation.pk)
    context = {
        "organisation": organisation,
        "instruments": listed,
        "form": form,
        "item_form": item_form,
        "manage": manage,
    }
    return render(request, "pulse/instruments.html", context)


# ----- charts ---------------------------------------------------------------------------------


def _items_for(*, unit=None, organisation=None):
    pulses = Pulse.objects.all()
    if unit is not None:
        pulses = pulses.filter(units=unit)
    elif organisation is not None:
        pulses = pulses.filter(organisation=organisation)
    else:
        return list(Item.objects.filter(instrument__slug=SHIPPED_SLUG, kind="scale"))
    return list(
        Item.objects.filter(instrument__pulses__in=pulses, kind="scale")
        .distinct()
        .order_by("instrument", "order")
    )


def _selection(request, organisation=None):
    """The teams a filter selects (ids), or None for all."""
    units = Unit.objects.all()
    if organisation is not None:
        units = units.filter(organisation=organisation)
    chosen = False
    if request.GET.get("pilot") in ("yes", "no"):
        units = units.filter(pilot=request.GET["pilot"] == "yes")
        chosen = True
    if request.GET.get("oncological") in ("yes", "no"):
        units = units.filter(oncological=request.GET["oncological"] == "yes")
        chosen = True
    return set(units.values_list("pk", flat=True)) if chosen else None, units


def _series(kind, obj, request):
    today = timezone.localdate()
    first = measures.month_start(today - timedelta(days=30 * (PROCESS_MONTHS - 1)))
    out = []
    if kind == "team":
        for item in _items_for(unit=obj):
            points = results.team_series(obj, item)
            out += [
                charts.pulse_series(points, item, "mean"),
                charts.pulse_series(points, item, "share"),
            ]
        counts = results.process_counts(units=[obj.pk])
        teams = 1
    else:
        organisation = obj if kind == "org" else None
        selected, units = _selection(request, organisation)
        releases = results.releases_for(organisation=organisation)
        for item in _items_for(organisation=organisation) if kind == "org" else _items_for():
            points = results.group_series(
                item, organisation=organisation, units=selected, releases=releases
            )
            out += [
                charts.pulse_series(points, item, "mean"),
                charts.pulse_series(points, item, "share"),
            ]
        if selected is not None:
            counts = results.process_counts(units=list(selected))
        else:
            counts = results.process_counts(organisation=organisation)
        teams = units.count()
    for key in results.PROCESS:
        out.append(charts.process_series(key, counts[key], first, today, max(teams, 1)))
    return out


def _baseline(request):
    raw = request.GET.get("baseline", "")
    return int(raw) if raw.isdigit() and int(raw) >= 2 else None


def _charts(kind, obj, request, actions_list):
    baseline, recompute = _baseline(request), request.GET.get("recompute") == "1"
    built = []
    for series in _series(kind, obj, request):
        monthly = kind != "team" or series.key in results.PROCESS
        built.append(
            charts.build(
                series,
                monthly=monthly,
                actions=actions_list,
                baseline=baseline,
                recompute=recompute,
            )
        )
    return built


def _unit_for(request, unit_id, *, log_actions=False):
    access = _access(request)
    unit = get_object_or_404(Unit.objects.select_related("organisation"), pk=unit_id)
    access.check_unit(unit, log=log_actions)
    return access, unit


@login_required
def team(request, unit_id):
    access, unit = _unit_for(request, unit_id)
    actions_list = list(
        Action.objects.filter(unit=unit).select_related("module").prefetch_related("codes")
    )
    context = {
        "unit": unit,
        "kind": "team",
        "charts": _charts("team", unit, request, actions_list),
        "actions": actions_list,
        "k": results.k_by_org([unit.organisation_id])[unit.organisation_id],
        "texts": results.team_texts(unit),
        "can_log": access.can_log_actions(unit),
        "can_read_org": access.can_read_org(unit.organisation_id),
        "form": ActionForm(codes=_model_codes(), initial={"date": timezone.localdate()}),
        "stage_form": StageForm(),
        "comparison": _comparison(request, unit=unit),
        "compare_form": CompareForm(request.GET or None),
    }
    return render(request, "pulse/charts.html", context)


@login_required
def organisation(request, org_id):
    access = _access(request)
    org = get_object_or_404(Organisation, pk=org_id)
    access.check_org(org.pk)
    current = PulseSettings.objects.filter(organisation=org).first()
    settings_form = SettingsForm(
        initial={
            "k": results.k_by_org([org.pk])[org.pk],
            "named_in_network": bool(current and current.named_in_network),
        }
    )
    selected, _units = _selection(request, org)
    context = {
        "organisation": org,
        "kind": "org",
        "charts": _charts("org", org, request, []),
        "k": results.k_by_org([org.pk])[org.pk],
        "settings_form": settings_form if access.can_manage(org.pk) else None,
        "comparison": _comparison(request, organisation=org, units=selected),
        "compare_form": CompareForm(request.GET or None),
        "teams": Unit.objects.filter(organisation=org),
    }
    return render(request, "pulse/charts.html", context)


@login_required
@require_POST
def organisation_settings(request, org_id):
    access = _access(request)
    org = get_object_or_404(Organisation, pk=org_id)
    access.check_org(org.pk, manage=True)
    form = SettingsForm(request.POST)
    if form.is_valid():
        actions.save_settings(
            request.user,
            org,
            k=form.cleaned_data["k"],
            named_in_network=form.cleaned_data["named_in_network"],
        )
        messages.success(request, _("Saved."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("pulse:organisation", org_id=org.pk)


@login_required
def network_page(request):
    access = _access(request)
    rows = network.figures(timezone.localdate())
    medians = network.medians(rows)
    maxima = network.maxima(rows)
    shown = network.visible(rows, access)
    panels = [_panel(_("Network median"), medians, medians, maxima)]
    for row in shown:
        own = row.organisation_id in access.member_orgs
        panels.append(_panel(row.name, row.figures, medians, maxima, own=own))
    context = {"panels": panels, "hidden_orgs": len(rows) - len(shown)}
    return render(request, "pulse/network.html", context)


@login_required
def network_charts(request):
    access = _access(request)
    if not (access.everything or access.member_orgs):
        raise PermissionDenied
    context = {"kind": "network", "charts": _charts("network", None, request, []), "k": ""}
    return render(request, "pulse/network_charts.html", context)


def _panel(title, figures, medians, maxima, *, own=False) -> str:
    """One small multiple as SVG: per metric its value against the network's largest, and
    the network median's mark (built here rather than in a template loop: the coordinator's
    page draws 300 bars)."""
    parts = []
    y = 18
    for _key, dimension, metrics in network.DIMENSIONS:
        parts.append(
            format_html(
                '<text x="0" y="{}" font-weight="bold" font-size="12">{}</text>', y - 6, dimension
            )
        )
        for metric, label in metrics:
            top = maxima[metric] or 1
            value = figures[metric] or 0
            width = f"{250 * value / top:.1f}"
            median = f"{250 * (medians[metric] or 0) / top:.1f}"
            whole = value == int(value)
            shown = formats.number_format(
                int(value) if whole else value, decimal_pos=None if whole else 1
            )
            parts.append(
                format_html(
                    '<g transform="translate(0 {})"><text x="0" y="10">{}</text>'
                    '<rect x="0" y="14" width="250" height="9" fill="#f4f0e8"></rect>'
                    '<rect x="0" y="14" width="{}" height="9" fill="#f2a516" stroke="#1a1a1a" '
                    'stroke-width=".5"></rect><line x1="{}" x2="{}" y1="11" y2="26" '
                    'stroke="#1a1a1a" stroke-width="2"></line>'
                    '<text x="300" y="23" text-anchor="end">{}</text></g>',
                    y,
                    label,
                    width,
                    median,
                    median,
                    shown,
                )
            )
            y += 30
        y += 18
    return format_html(
        '<figure class="{}"><figcaption>{}</figcaption><svg viewBox="0 0 300 {}" role="img" '
        'aria-label="{}" xmlns="http://www.w3.org/2000/svg" font-size="11" '
        'font-family="sans-serif">{}</svg></figure>',
        "own" if own else "",
        title,
        y,
        title,
        mark_safe("".join(parts)),  # noqa: S308 - each part is built with format_html
    )


def dashboard_figures(today=None):
    """For the benchmark: what the network page computes before rendering."""
    rows = network.figures(today)
    return rows, network.medians(rows)


# ----- CSV ------------------------------------------------------------------------------------


@login_required
def chart_csv(request, kind, obj_id, key):
    access = _access(request)
    actions_list = []
    if kind == "team":
        _a, obj = _unit_for(request, obj_id)
        actions_list = list(Action.objects.filter(unit=obj))
        org_id = obj.organisation_id
    elif kind == "org":
        obj = get_object_or_404(Organisation, pk=obj_id)
        access.check_org(obj.pk)
        org_id = obj.pk
    elif kind == "network":
        obj, org_id = None, None
    else:
        raise Http404
    series = next((s for s in _series(kind, obj, request) if s.key == key), None)
    if series is None:
        raise Http404
    monthly = kind != "team" or key in results.PROCESS
    text = charts.run_csv(series, actions_list, monthly)
    with transaction.atomic():
        log.record(
            request.user,
            "data.exported",
            obj,
            organisation=Organisation.objects.filter(pk=org_id).first() if org_id else None,
            new={"chart": key, "scope": kind},
            note="pulse chart CSV",
        )
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{kind}-{obj_id}-{key}.csv"'
    return response


# ----- action log -----------------------------------------------------------------------------


@login_required
@require_POST
def action_new(request, unit_id):
    _a, unit = _unit_for(request, unit_id, log_actions=True)
    codes = _model_codes()
    form = ActionForm(request.POST, codes=codes)
    if form.is_valid():
        data = form.cleaned_data
        chosen = [c for c in codes if str(c.pk) in data["codes"]]
        actions.record_action(
            request.user,
            unit,
            title=data["title"],
            date=data["date"],
            kind=data["kind"],
            pdsa_stage=data["pdsa_stage"],
            notes=data["notes"],
            codes=chosen,
            module=data["module"],
        )
        messages.success(request, _("The action is in the log."))
    else:
        for field, errors in form.errors.items():
            for error in errors:
                messages.error(
                    request, f"{form.fields[field].label if field in form.fields else ''}: {error}"
                )
    return redirect("pulse:team", unit_id=unit.pk)


@login_required
@require_POST
def action_stage(request, unit_id, pk):
    _a, unit = _unit_for(request, unit_id, log_actions=True)
    action = get_object_or_404(Action, pk=pk, unit=unit)
    form = StageForm(request.POST)
    if form.is_valid():
        actions.update_action_stage(
            request.user, action, form.cleaned_data["pdsa_stage"], form.cleaned_data["notes"]
        )
        messages.success(request, _("Saved."))
    return redirect("pulse:team", unit_id=unit.pk)


# ----- before and after -----------------------------------------------------------------------


def _comparison(request, *, unit=None, organisation=None, units=None):
    form = CompareForm(request.GET or None)
    if not request.GET.get("before_from") or not form.is_valid():
        return None
    d = form.cleaned_data
    out = []
    for item in _items_for(unit=unit, organisation=organisation):
        kw = {"unit": unit} if unit is not None else {"organisation": organisation, "units": units}
        before = results.pooled_counts(item, d["before_from"], d["before_to"], **kw)
        after = results.pooled_counts(item, d["after_from"], d["after_to"], **kw)
        b = measures.summarise(before, item.scale_min, item.favourable_from)
        a = measures.summarise(after, item.scale_min, item.favourable_from)
        row = {"item": item, "before": b, "after": a, "ordinal": None, "shares": None}
        if b.n >= 2 and a.n >= 2:
            try:
                row["ordinal"] = compare.compare_ordinal(
                    measures.values(before, item.scale_min),
                    measures.values(after, item.scale_min),
                )
                shares = compare.compare_shares(b.favourable, b.n, a.favourable, a.n)
            except ValueError:  # e.g. every answer the same in both periods
                row["ordinal"] = None
            else:
                row["shares"] = shares
                row["achieved"] = round(100 * row["ordinal"].confidence, 1)
                row["points"] = [100 * x for x in (shares.estimate, shares.ci_low, shares.ci_high)]
        out.append(row)
    return out


# ----- the learning network: modules and reflection sessions ---------------------------------


@login_required
def modules(request):
    access = _access(request)
    items = InspirationModule.objects.prefetch_related("files")
    uses = {}
    for module_id, unit_name, org_id, org_name in Action.objects.filter(
        module__isnull=False
    ).values_list("module_id", "unit__name", "organisation_id", "organisation__name"):
        if access.coordinates or access.can_read_org(org_id):
            uses.setdefault(module_id, set()).add(f"{org_name} – {unit_name}")
    rows = [{"module": m, "uses": sorted(uses.get(m.pk, ()))} for m in items]
    return render(request, "pulse/modules.html", {"rows": rows, "can_edit": access.coordinates})


@login_required
def module_edit(request, slug=None):
    access = _access(request)
    if not access.coordinates:
        raise PermissionDenied
    module = get_object_or_404(InspirationModule, slug=slug) if slug else None
    initial = {}
    if module:
        initial["slug"] = module.slug
        for field, attr in (
            ("title", "titles"),
            ("introduction", "introductions"),
            ("assignments", "assignments"),
            ("note", "notes_for_use"),
        ):
            for lang in ("nl", "fr", "en"):
                initial[f"{field}_{lang}"] = getattr(module, attr).get(lang, "")
    form = ModuleForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid() and form.cleaned_data.get("file"):
        problem = module_file_problem(form.cleaned_data["file"])
        if problem:
            form.add_error("file", problem)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        values = {
            attr: {
                lang: d[f"{field}_{lang}"] for lang in ("nl", "fr", "en") if d[f"{field}_{lang}"]
            }
            for field, attr in (
                ("title", "titles"),
                ("introduction", "introductions"),
                ("assignments", "assignments"),
                ("note", "notes_for_use"),
            )
        }
        with transaction.atomic():
            if module is None:
                if InspirationModule.objects.filter(slug=d["slug"]).exists():
                    form.add_error("slug", _("This slug is taken."))
                    return render(
                        request, "pulse/module_edit.html", {"form": form, "module": module}
                    )
                module = InspirationModule.objects.create(slug=d["slug"], **values)
            else:
                for attr, value in values.items():
                    setattr(module, attr, value)
                module.save()
            if d.get("file"):
                ModuleFile.objects.create(module=module, file=d["file"], visual=d["file_visual"])
            log.record(
                request.user,
                "organisation.changed",
                module,
                new={"module": module.slug},
                note="inspiration module saved",
            )
        messages.success(request, _("Saved."))
        return redirect("pulse:modules")
    return render(request, "pulse/module_edit.html", {"form": form, "module": module})


MODULE_FILE_TYPES = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".mp4": "video/mp4",
}
MODULE_FILE_MAX = 50 * 1024 * 1024


def module_file_problem(upload) -> str | None:
    suffix = Path(upload.name).suffix.lower()
    if suffix not in MODULE_FILE_TYPES:
        return _("Allowed files: %(types)s.") % {"types": ", ".join(sorted(MODULE_FILE_TYPES))}
    if upload.size > MODULE_FILE_MAX:
        return _("The file is larger than 50 MB.")
    return None


@login_required
def module_file(request, pk):
    _access(request)
    found = get_object_or_404(ModuleFile, pk=pk)
    suffix = Path(found.file.name).suffix.lower()
    kind = MODULE_FILE_TYPES.get(suffix, "application/octet-stream")
    inline = kind.startswith("image/") or kind == "application/pdf"
    return FileResponse(
        found.file.open("rb"),
        content_type=kind,
        as_attachment=not inline,
        filename=Path(found.file.name).name,
    )


@login_required
def sessions(request):
    access = _access(request)
    rows = ReflectionSession.objects.prefetch_related("rows__organisation")
    visible = []
    for session in rows:
        entries = [
            r
            for r in session.rows.all()
            if access.coordinates or r.organisation_id in access.member_orgs
        ]
        visible.append(
            {
                "session": session,
                "entries": entries,
                "present": sum(1 for r in session.rows.all() if r.attended),
            }
        )
    form = SessionForm() if access.coordinates else None
    return render(
        request,
        "pulse/sessions.html",
        {"rows": visible, "form": form, "can_edit": access.coordinates},
    )


@login_required
def session_edit(request, pk=None):
    access = _access(request)
    if not access.coordinates:
        raise PermissionDenied
    session = get_object_or_404(ReflectionSession, pk=pk) if pk else None
    form = SessionForm(request.POST or None, instance=session)
    progress = ProgressForm(request.POST or None, prefix="p") if session else None
    if request.method == "POST":
        with transaction.atomic():
            if session is None and form.is_valid():
                session = form.save()
                log.record(
                    request.user,
                    "organisation.changed",
                    session,
                    new={"session": str(session.date)},
                    note="reflection session",
                )
                return redirect("pulse:session", pk=session.pk)
            if session is not None and progress is not None and progress.is_valid():
                row = progress.save(commit=False)
                row.session = session
                from .models import SessionProgress

                SessionProgress.objects.update_or_create(
                    session=session,
                    organisation=row.organisation,
                    defaults={
                        f: getattr(row, f)
                        for f in ("attended", "progress", "self_assessment", "peer_review")
                    },
                )
                log.record(
                    request.user,
                    "organisation.changed",
                    session,
                    organisation=row.organisation,
                    new={"progress": row.progress},
                    note="reflection session progress",
                )
                messages.success(request, _("Saved."))
                return redirect("pulse:session", pk=session.pk)
    context = {
        "form": form,
        "session": session,
        "progress": progress,
        "entries": session.rows.select_related("organisation") if session else [],
    }
    return render(request, "pulse/session_edit.html", context)


__all__ = ["Instrument"]
