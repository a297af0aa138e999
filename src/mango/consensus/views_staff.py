"""The researcher's pages: studies, their items, rule, panel, rounds and results.

Every view asks ``access`` first: researchers and administrators only, each study within the
user's research scope (outsiders 404, members without the right 403).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mango.audit.log import record
from mango.stories.access import visible_stories

from . import actions, rules
from .access import (
    get_study_to_manage,
    managed_studies,
    organisations_for,
    require_researcher,
)
from .forms import (
    CriterionForm,
    ItemForm,
    PanellistsForm,
    RuleForm,
    SectionForm,
    StudyForm,
    text_initial,
    texts,
)
from .models import Item, Panellist, Proposal, Round


@login_required
def study_list(request):
    require_researcher(request.user)
    studies = managed_studies(request.user).annotate(
        n_items=Count("items", distinct=True), n_panellists=Count("panellists", distinct=True)
    )
    return render(request, "consensus/study_list.html", {"studies": studies})


@login_required
def study_create(request):
    require_researcher(request.user)
    orgs, network = organisations_for(request.user)
    form = StudyForm(request.POST or None, organisations=orgs, network=network)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        study = actions.create_study(
            request.user,
            title=data["title"],
            kind=data["kind"],
            organisation=data["organisation"],
            question=texts(data, "question"),
            instructions=texts(data, "instructions"),
            groups=data["groups"],
            feedback_by_group=data["feedback_by_group"],
        )
        messages.success(request, _("The study is created. Add its items and choose the rule."))
        return redirect("consensus:study", pk=study.pk)
    return render(request, "consensus/study_form.html", {"form": form})


@login_required
def study_edit(request, pk):
    study = get_study_to_manage(request.user, pk)
    orgs, network = organisations_for(request.user)
    initial = {
        "title": study.title,
        "kind": study.kind,
        "organisation": study.organisation,
        "feedback_by_group": study.feedback_by_group,
        "groups": "\n".join(f"{k}: {v}" for k, v in study.groups),
        **text_initial(study.question, "question"),
        **text_initial(study.instructions, "instructions"),
    }
    form = StudyForm(request.POST or None, initial=initial, organisations=orgs, network=network)
    form.fields["organisation"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {
            "title": data["title"],
            "kind": data["kind"],
            "question": texts(data, "question"),
            "instructions": texts(data, "instructions"),
            "feedback_by_group": data["feedback_by_group"],
        }
        if not study.panellists.exists():
            fields["groups"] = data["groups"]
        actions.update_study(request.user, study, **fields)
        messages.success(request, _("Saved."))
        return redirect("consensus:study", pk=study.pk)
    return render(request, "consensus/study_form.html", {"form": form, "study": study})


@login_required
def study_detail(request, pk):
    study = get_study_to_manage(request.user, pk)
    rounds = list(
        study.rounds.annotate(
            n_items=Count("items", distinct=True),
            n_submitted=Count("submissions", distinct=True),
        )
    )
    items = list(
        study.items.select_related("section", "became_code")
        .annotate(
            n_stories=Count("stories", distinct=True),
            n_segments=Count("segments", distinct=True),
            n_codes=Count("codes", distinct=True),
        )
        .order_by("order", "id")
    )
    return render(
        request,
        "consensus/study_detail.html",
        {
            "study": study,
            "rounds": rounds,
            "open_round": next((r for r in rounds if r.is_open), None),
            "items": items,
            "criteria": study.criteria.all(),
            "sections": study.sections.all(),
            "criterion_form": CriterionForm(),
            "section_form": SectionForm(),
            "rule_name": rules.name(study),
            "rule_text": rules.describe(study),
            "n_panellists": study.panellists.filter(revoked_at=None).count(),
            "sessions": study.live_sessions.all(),
        },
    )


@login_required
@require_POST
def criterion_add(request, pk):
    study = get_study_to_manage(request.user, pk)
    form = CriterionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.add_criterion(
                request.user,
                study,
                key=data["key"],
                label=texts(data, "label"),
                scale_min=data["scale_min"],
                scale_max=data["scale_max"],
            )
            messages.success(request, _("Criterion added."))
        except (ValueError, actions.RuleLocked) as error:
            messages.error(request, str(error))
        except IntegrityError:
            messages.error(request, _("That key is already used in this study."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("consensus:study", pk=study.pk)


@login_required
@require_POST
def section_add(request, pk):
    study = get_study_to_manage(request.user, pk)
    form = SectionForm(request.POST)
    if form.is_valid():
        actions.add_section(request.user, study, title=texts(form.cleaned_data, "title"))
        messages.success(request, _("Section added."))
    else:
        messages.error(request, _("Write the title in at least one language."))
    return redirect("consensus:study", pk=study.pk)


def _evidence(user, study):
    """What the researcher may link as evidence: stories they may read with the teller's
    consent to research or shared; transcript segments of projects in their scope; codes."""
    from mango.qualitative.models import Segment
    from mango.research.models import Code

    stories = (
        visible_stories(user)
        .filter(Q(consent_research=True) | Q(status="shared"))
        .exclude(text_redacted="")
        .order_by("-pk")[:200]
    )
    from mango.accounts.models import scope_for

    scope = scope_for(user)
    segments = Segment.objects.select_related("document")
    if not (scope.everything or scope.research_everywhere):
        segments = segments.filter(document__project__organisation_id__in=scope.research_orgs)
    codes = Code.objects.filter(active=True).select_related("codebook")
    return (
        visible_stories(user).filter(pk__in=[s.pk for s in stories]),
        segments.order_by("-pk")[:200].values_list("pk", flat=True),
        codes,
    )


def _item_form(request, study, data=None, initial=None):
    from mango.qualitative.models import Segment

    stories, segment_ids, codes = _evidence(request.user, study)
    return ItemForm(
        data,
        initial=initial,
        study=study,
        stories=stories,
        segments=Segment.objects.filter(pk__in=list(segment_ids)).select_related("document"),
        codes=codes,
    )


@login_required
def item_create(request, pk):
    study = get_study_to_manage(request.user, pk)
    form = _item_form(request, study, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actions.add_item(
            request.user,
            study,
            text=texts(data, "text"),
            section=data["section"],
            stories=data["stories"],
            segments=data["segments"],
            codes=data["codes"],
        )
        messages.success(request, _("Item added."))
        if "another" in request.POST:
            return redirect("consensus:item_create", pk=study.pk)
        return redirect("consensus:study", pk=study.pk)
    return render(request, "consensus/item_form.html", {"form": form, "study": study})


@login_required
def item_edit(request, pk, item_pk):
    from .forms import text_initial

    study = get_study_to_manage(request.user, pk)
    item = get_object_or_404(Item, study=study, pk=item_pk)
    initial = {
        **text_initial(item.text, "text"),
        "section": item.section,
        "stories": list(item.stories.all()),
        "segments": list(item.segments.all()),
        "codes": list(item.codes.all()),
    }
    form = _item_form(request, study, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.edit_item(
                request.user,
                item,
                text=texts(data, "text"),
                section=data["section"],
                stories=data["stories"],
                segments=data["segments"],
                codes=data["codes"],
            )
        except actions.RuleLocked:
            form.add_error(
                None, _("This statement has been rated: its words can no longer change.")
            )
        else:
            messages.success(request, _("Saved."))
            return redirect("consensus:item", pk=study.pk, item_pk=item.pk)
    return render(request, "consensus/item_form.html", {"form": form, "study": study, "item": item})


@login_required
def item_detail(request, pk, item_pk):
    study = get_study_to_manage(request.user, pk)
    item = get_object_or_404(Item, study=study, pk=item_pk)
    readable = visible_stories(request.user).filter(pk__in=item.stories.values("pk"))
    return render(
        request,
        "consensus/item_detail.html",
        {
            "study": study,
            "item": item,
            "stories": readable,
            "segments": [
                {"quote": s.document.text[s.start : s.end], "document": s.document}
                for s in item.segments.select_related("document")
            ],
            "codes": item.codes.select_related("codebook"),
        },
    )


@login_required
def rule_edit(request, pk):
    study = get_study_to_manage(request.user, pk)
    current = study.rule or {}
    initial = {
        "rule": current.get("kind", "comet"),
        "scope": current.get("scope", "panel"),
        "threshold": (current.get("params") or {}).get("threshold"),
    }
    form = RuleForm(request.POST or None, initial=initial, choices=rules.choices())
    if request.method == "POST" and form.is_valid():
        try:
            spec = rules.from_form(form.cleaned_data)
            actions.set_rule(request.user, study, spec)
        except actions.RuleLocked:
            messages.error(
                request,
                _(
                    "The rule was fixed before round 1 opened and cannot change. "
                    "Your attempt is recorded in the audit trail."
                ),
            )
            return redirect("consensus:study", pk=study.pk)
        except ValueError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The rule is chosen. It is locked when round 1 opens."))
            return redirect("consensus:study", pk=study.pk)
    return render(
        request,
        "consensus/rule_form.html",
        {"form": form, "study": study, "rule_text": rules.describe(study)},
    )


# --- the panel ----------------------------------------------------------------------------


def _base_url(request) -> str:
    return request.build_absolute_uri("/")


@login_required
def panel(request, pk):
    study = get_study_to_manage(request.user, pk)
    form = PanellistsForm(request.POST or None, study=study)
    if request.method == "POST" and form.is_valid():
        try:
            made = actions.add_panellists(request.user, study, form.cleaned_data["rows"])
        except ValueError as error:
            form.add_error("rows", str(error))
        else:
            messages.success(request, _("%(n)s panellists added.") % {"n": len(made)})
            return redirect("consensus:panel", pk=study.pk)
    open_round = study.rounds.filter(status="open").first()
    panellists = list(study.panellists.all())
    done = (
        set(open_round.submissions.values_list("panellist_id", flat=True)) if open_round else set()
    )
    rated = {}
    if open_round:
        rated = dict(
            open_round.ratings.values("panellist_id")
            .annotate(n=Count("item", distinct=True))
            .values_list("panellist_id", "n")
        )
        n_items = open_round.items.count()
    else:
        n_items = 0
    with transaction.atomic():  # the page shows names and addresses: personal data
        record(
            request.user,
            "consensus.panel_viewed",
            study,
            organisation=study.organisation,
            new={"panellists": len(panellists)},
        )
    for p in panellists:
        p.submitted = p.pk in done
        p.rated = rated.get(p.pk, 0)
        p.group_label = study.group_label(p.group)
    return render(
        request,
        "consensus/panel.html",
        {
            "study": study,
            "form": form,
            "panellists": panellists,
            "open_round": open_round,
            "n_items": n_items,
        },
    )


@login_required
@require_POST
def panel_send(request, pk):
    """Queue the invitations not yet sent, or reminders to those who have not finished."""
    from .jobs import queue_links

    study = get_study_to_manage(request.user, pk)
    reminder = request.POST.get("kind") == "reminder"
    panellists = study.panellists.filter(revoked_at=None)
    if reminder:
        round = study.rounds.filter(status="open").first()
        if round is None:
            messages.error(request, _("Reminders need an open round."))
            return redirect("consensus:panel", pk=study.pk)
        panellists = actions.unanswered(round)
    else:
        panellists = panellists.filter(invited_at=None)
    panellists = list(panellists)
    queue_links(request.user, study, panellists, _base_url(request), reminder=reminder)
    messages.success(request, _("%(n)s messages are on their way.") % {"n": len(panellists)})
    return redirect("consensus:panel", pk=study.pk)


@login_required
@require_POST
def panellist_revoke(request, pk, panellist_pk):
    study = get_study_to_manage(request.user, pk)
    panellist = get_object_or_404(Panellist, study=study, pk=panellist_pk)
    if request.POST.get("forget") == "1":
        actions.forget_panellist(request.user, panellist)
        messages.success(request, _("The panellist's name and address are erased."))
        return redirect("consensus:panel", pk=study.pk)
    reissue = request.POST.get("reissue") == "1"
    panellist = actions.revoke_link(request.user, panellist, reissue=reissue)
    if reissue:
        from .jobs import queue_links

        queue_links(request.user, study, [panellist], _base_url(request))
        messages.success(request, _("The old link no longer works; a new one is sent."))
    else:
        messages.success(request, _("The link no longer works."))
    return redirect("consensus:panel", pk=study.pk)


# --- rounds -------------------------------------------------------------------------------


@login_required
@require_POST
def round_open(request, pk):
    study = get_study_to_manage(request.user, pk)
    try:
        round = actions.open_round(request.user, study)
    except ValueError as error:
        messages.error(request, str(error))
        return redirect("consensus:study", pk=study.pk)
    messages.success(request, _("Round %(n)s is open.") % {"n": round.number})
    return redirect("consensus:round", pk=study.pk, number=round.number)


@login_required
@require_POST
def round_close(request, pk, number):
    study = get_study_to_manage(request.user, pk)
    round = get_object_or_404(Round, study=study, number=number)
    try:
        actions.close_round(request.user, round)
    except actions.RoundClosed:
        messages.error(request, _("The round is not open."))
    return redirect("consensus:round", pk=study.pk, number=number)


@login_required
def round_detail(request, pk, number):
    """A round: who answered, the proposals, and (once closed) the items to carry forward
    or drop for the next round."""
    from .results import round_cells

    study = get_study_to_manage(request.user, pk)
    round = get_object_or_404(Round, study=study, number=number)
    if request.method == "POST":
        chosen = set(map(int, request.POST.getlist("drop")))
        items = list(round.items.all())
        drop = [i for i in items if i.pk in chosen]
        keep = [i for i in items if i.pk not in chosen]
        if drop:
            actions.drop_items(request.user, study, drop, after_round=round.number)
        if keep:
            actions.restore_items(request.user, study, keep)
        for proposal_id in request.POST.getlist("adopt"):
            proposal = get_object_or_404(Proposal, round=round, pk=proposal_id)
            actions.add_proposal_as_item(request.user, proposal)
        messages.success(request, _("Saved: the next round takes the items not dropped."))
        return redirect("consensus:round", pk=study.pk, number=number)
    first = study.criteria.first()
    cells = [c for c in round_cells(round) if first and c.criterion.pk == first.pk]
    return render(
        request,
        "consensus/round_detail.html",
        {
            "study": study,
            "round": round,
            "cells": cells,
            "criterion": first,
            "proposals": round.proposals.select_related("item"),
            "n_panellists": study.panellists.filter(revoked_at=None).count(),
            "n_submitted": round.submissions.count(),
            "status_labels": rules.STATUS_LABELS,
            "suggest": request.GET.get("suggest") == "1",
        },
    )
