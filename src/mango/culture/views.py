"""The culture pages: programme and network, team and organisation feeds, "this touched me",
reflections, story walls and the story-of-the-month poster. Access: ``culture.access``; which
stories: ``culture.visible``."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import get_template
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import override as language_override
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from mango.accounts.models import scope_for
from mango.organisations.models import Organisation, Unit
from mango.stories.access import visible_stories
from mango.stories.models import Story

from . import access, feeds, reflections, visible, walls
from . import programme as prog
from .forms import ReflectionForm, WallLinkForm, WaveForm
from .models import Reflection, Touch, WallLink

log = logging.getLogger("mango.culture")

PAGE_SIZE = 20
POSTER_SIZES = ("a4", "a3")
POSTER_LANGUAGES = {code for code, _name in settings.LANGUAGES}
# Story wall timing (seconds): how long each story stays, how often the list is fetched again.
WALL_ADVANCE = 15
WALL_REFRESH = 60


def _feed_page(request, stories):
    ordered = stories.order_by("-submitted_at", "-pk").only(*feeds.FEED_FIELDS[1:])
    return Paginator(ordered, PAGE_SIZE).get_page(request.GET.get("page"))


# --- feeds ---------------------------------------------------------------------------------


@login_required
@require_safe
def team_feed(request, pk):
    unit = access.unit_for_feed(request.user, pk)
    page = _feed_page(request, visible.shared_stories_for_units([unit.pk]))
    return render(
        request,
        "culture/team_feed.html",
        {
            "unit": unit,
            "page": page,
            "items": feeds.items(page.object_list, request.user),
            "manages": access.manages(request.user, unit.organisation_id),
        },
    )


@login_required
@require_safe
def org_feed(request, slug):
    org = access.organisation_for_staff(request.user, slug)
    page = _feed_page(request, visible.shared_stories_for_organisation(org))
    team_units = Unit.objects.filter(pk__in=access.team_units(request.user, org.pk))
    return render(
        request,
        "culture/org_feed.html",
        {
            "organisation": org,
            "page": page,
            "items": feeds.items(page.object_list, request.user, with_units=True),
            "team_units": team_units,
            "manages": access.manages(request.user, org.pk),
        },
    )


def _shared_story(user, pk) -> Story:
    """A story shown in feeds, for staff of its organisation; 404 once it is no longer shared."""
    story = get_object_or_404(Story.objects.only("pk", "organisation_id"), pk=pk)
    access.require_story_staff(user, story)
    story = visible.shared_stories().filter(pk=pk).select_related("organisation").first()
    if story is None:
        raise Http404
    return story


@login_required
@require_POST
def touch(request, pk):
    """ "This touched me", or taking it back. Answers with the button (htmx) or the feed."""
    story = _shared_story(request.user, pk)
    with transaction.atomic():
        deleted, _rows = Touch.objects.filter(story=story, user=request.user).delete()
        if not deleted:
            try:
                with transaction.atomic():
                    Touch.objects.create(story=story, user=request.user)
            except IntegrityError:
                pass  # a double tap: already counted
    item = feeds.items([story], request.user)[0]
    if request.headers.get("HX-Request"):
        return render(request, "culture/_touch.html", {"item": item})
    return redirect(request.POST.get("next") or _org_feed_url(story))


def _org_feed_url(story):
    return reverse("culture:org_feed", args=[story.organisation.slug])


# --- reflections ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def reflect(request, pk):
    story = _shared_story(request.user, pk)
    units = access.reflecting_units(request.user, story)
    if not units:
        raise PermissionDenied
    levels = prog.model_levels()
    form = ReflectionForm(request.POST or None, units=units, levels=levels)
    if request.method == "GET":
        form = ReflectionForm(
            initial={"unit": _default_unit(story, units)}, units=units, levels=levels
        )
    elif form.is_valid():
        data = form.cleaned_data
        codes = [c for level in levels for c in level.codes if str(c.pk) in data["codes"]]
        reflections.record_reflection(
            request.user,
            story,
            data["unit"],
            what_happened=data["what_happened"],
            made_possible=data["made_possible"],
            action_idea=data["action_idea"],
            codes=codes,
        )
        messages.success(request, _("The team's reflection was saved."))
        return redirect("culture:team_feed", data["unit"].pk)
    earlier = (
        Reflection.objects.filter(story=story, unit__in=units)
        .select_related("unit")
        .prefetch_related("codes")
    )
    return render(
        request,
        "culture/reflect.html",
        {
            "story": story,
            "month": feeds.month_label(story),
            "form": form,
            "earlier": earlier,
        },
        status=400 if request.method == "POST" else 200,
    )


def _default_unit(story, units):
    linked = set(story.team_links.values_list("unit_id", flat=True))
    return next((u.pk for u in units if u.pk in linked), units[0].pk)


@login_required
@require_safe
def reflections_export(request):
    """Reflections for analysis (CSV): researchers, on stories they may read."""
    scope = scope_for(request.user)
    if not (scope.everything or scope.research_everywhere or scope.research_orgs):
        raise PermissionDenied
    content = reflections.export_csv(request.user, visible_stories(request.user))
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, "mango-reflections.csv")
    return response


# --- programme and network -----------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def programme(request, slug):
    org = access.organisation_for_programme(request.user, slug)
    wave_form = WaveForm(initial={"wave": org.wave_id, "joined_on": org.joined_on})
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "wave":
            wave_form = WaveForm(request.POST)
            if wave_form.is_valid():
                prog.set_wave(
                    request.user,
                    org,
                    wave_form.cleaned_data["wave"],
                    wave_form.cleaned_data["joined_on"],
                )
                messages.success(request, _("The wave was saved."))
                return redirect("culture:programme", org.slug)
        elif action in ("ambassador_on", "ambassador_off"):
            user = get_object_or_404(prog.staff(org), pk=_int(request.POST.get("user"), "user"))
            prog.set_ambassador(request.user, org, user, action == "ambassador_on")
            messages.success(request, _("The ambassadors were saved."))
            return redirect("culture:programme", org.slug)
        elif action in ("pilot_on", "pilot_off"):
            unit = get_object_or_404(
                Unit, organisation=org, pk=_int(request.POST.get("unit"), "unit")
            )
            prog.set_pilot(request.user, unit, action == "pilot_on")
            messages.success(request, _("The pilot teams were saved."))
            return redirect("culture:programme", org.slug)
        else:
            messages.error(request, _("Unknown action."))
    checklist = prog.checklists([org])[org.pk]
    ambassadors = list(prog.ambassadors(org))
    return render(
        request,
        "culture/programme.html",
        {
            "organisation": org,
            "wave_form": wave_form,
            "checklist": checklist,
            "ambassadors": ambassadors,
            "candidates": [u for u in prog.staff(org) if u not in ambassadors],
            "units": org.units.all(),
            "activity": prog.activity([org])[org.pk],
            "named": prog.named_codes(org),
            "walls": WallLink.objects.filter(organisation=org).select_related("unit"),
            "latest": visible.shared_stories_for_organisation(org)
            .order_by("-submitted_at")
            .first(),
            "poster_languages": settings.LANGUAGES,
        },
        status=400 if request.method == "POST" else 200,
    )


def _int(value, name) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404(f"No such {name}.") from None


@login_required
@require_safe
def network(request):
    access.require_coordinator(request.user)
    orgs = list(Organisation.objects.select_related("wave").order_by("wave__starts_on", "name"))
    checklists = prog.checklists(orgs)
    activity = prog.activity(orgs)
    rows = [(org, checklists[org.pk], activity[org.pk]) for org in orgs]
    return render(
        request,
        "culture/network.html",
        {"rows": rows, "since": prog.activity_since(), "checks": prog.programme.CHECKS},
    )


# --- story walls ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def wall_links(request, slug):
    """An ambassador or manager makes, renews and revokes the organisation's wall links. The
    secret link is shown once, in the answer to making or renewing it."""
    org = get_object_or_404(Organisation, slug=slug)
    if not access.manages(request.user, org.pk):
        access._deny(scope_for(request.user), org.pk)
    form = WallLinkForm(organisation=org)
    new_link = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "create":
            form = WallLinkForm(request.POST, organisation=org)
            if form.is_valid():
                link, secret = walls.create(
                    request.user, org, form.cleaned_data["unit"], form.cleaned_data["name"]
                )
                new_link = (link, _wall_url(request, secret))
                form = WallLinkForm(organisation=org)
        elif action in ("renew", "revoke"):
            link = get_object_or_404(
                WallLink, organisation=org, pk=_int(request.POST.get("link"), "link")
            )
            if action == "renew":
                new_link = (link, _wall_url(request, walls.renew(request.user, link)))
            else:
                walls.revoke(request.user, link)
                messages.success(request, _("The link was revoked: the screen shows nothing now."))
                return redirect("culture:wall_links", org.slug)
    response = render(
        request,
        "culture/wall_links.html",
        {
            "organisation": org,
            "form": form,
            "links": WallLink.objects.filter(organisation=org).select_related("unit"),
            "new_link": new_link,
        },
        status=400 if request.method == "POST" and form.errors else 200,
    )
    add_never_cache_headers(response)  # the page may hold a secret link
    return response


def _wall_url(request, secret):
    return request.build_absolute_uri(reverse("culture:wall", args=[secret]))


def _wall_headers(response):
    add_never_cache_headers(response)
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _seconds(value, default, low, high):
    try:
        return max(low, min(high, int(value)))
    except (TypeError, ValueError):
        return default


@require_safe
def wall(request, token):
    """The story wall: no sign-in, the secret link only; full screen, advancing on its own."""
    link = walls.link_for_secret(token)
    stories = list(walls.stories(link))
    response = render(
        request,
        "culture/wall.html",
        {
            "link": link,
            "items": [(s, feeds.month_label(s)) for s in stories],
            "data_url": reverse("culture:wall_stories", args=[token]),
            "advance": _seconds(request.GET.get("advance"), WALL_ADVANCE, 2, 600),
            "refresh": _seconds(request.GET.get("refresh"), WALL_REFRESH, 2, 3600),
        },
    )
    return _wall_headers(response)


@require_safe
def wall_stories(request, token):
    """The wall's current stories as JSON: the wall fetches it again and again, so a story
    no longer shared disappears; an unknown or revoked link answers 404 and the wall empties."""
    link = walls.link_for_secret(token)
    data = {
        "stories": [
            {"id": s.pk, "text": s.text_redacted, "lang": s.language, "month": feeds.month_label(s)}
            for s in walls.stories(link)
        ]
    }
    return _wall_headers(JsonResponse(data))


# --- story of the month poster -------------------------------------------------------------


@login_required
@require_safe
def poster(request, pk, size, language):
    """A "story of the month" poster (A4 or A3 PDF) of one shared story, for walls without a
    screen: its managers and ambassadors print it."""
    if size not in POSTER_SIZES or language not in POSTER_LANGUAGES:
        raise Http404
    story = _shared_story(request.user, pk)
    if not access.manages(request.user, story.organisation_id):
        raise PermissionDenied
    pdf = render_poster(story, size, language)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        False, f"mango-story-of-the-month-{story.pk}-{size}-{language}.pdf"
    )
    add_never_cache_headers(response)
    return response


def render_poster(story, size: str, language: str) -> bytes:
    import weasyprint

    from mango.posters.views import poster_url_fetcher

    with language_override(language):
        html = get_template("culture/poster.html").render(
            {
                "story": story,
                "month": feeds.month_label(story),
                "size": size.upper(),
                "language": language,
                "organisation": story.organisation.name,
            }
        )
    return weasyprint.HTML(string=html, url_fetcher=poster_url_fetcher()).write_pdf()
