"""Thank-you cards as PDF: one story's, or a month's of a team or organisation."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from mango.lib import vocab

from . import access, cards
from .forms import MonthCardsForm


def _language(request) -> str:
    language = request.GET.get("lang") or get_language()
    return language if language in vocab.LANGUAGES else "nl"


def _pdf(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, filename)
    response["Cache-Control"] = "no-store, private"
    return response


@login_required
@require_safe
def card(request, pk):
    story = access.story_for_thanks(request.user, pk)
    found = cards.story_cards(story.pk)
    if not found:
        return render(request, "recognition/no_cards.html", {"story": story}, status=410)
    language = _language(request)
    return _pdf(cards.render(found, language), f"mango-card-{story.pk}-{language}.pdf")


@login_required
@require_safe
def cards_month(request):
    organisations = access.managed_organisations(request.user)
    if not organisations.exists():
        raise PermissionDenied
    form = MonthCardsForm(request.GET or None, organisations=organisations)
    if not request.GET or not form.is_valid():
        return render(
            request,
            "recognition/cards_month.html",
            {"form": form},
            status=400 if request.GET else 200,
        )
    (start, end), unit = form.cleaned_data["month"], form.cleaned_data["unit"]
    org = form.cleaned_data["organisation"]
    found = cards.month_cards(start, end, organisation=org, unit=unit)
    if not found:
        return render(
            request, "recognition/cards_month.html", {"form": form, "none": True}, status=404
        )
    language = form.cleaned_data["language"]
    where = unit.slug if unit else org.slug
    return _pdf(cards.render(found, language), f"mango-cards-{where}-{start:%Y-%m}-{language}.pdf")
