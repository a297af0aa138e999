"""Public downloads for a campaign's or a unit's short link: its QR code and its A4 poster.

They are public on purpose: they show only the public link and the organisation's and unit's
names, which the story form shows to anyone who follows the link anyway.
"""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import get_template
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.utils.translation import override as language_override
from django.views.decorators.http import require_safe

from mango.lib import qr
from mango.organisations.models import Campaign, Unit

from .texts import poster_texts

POSTER_LANGUAGES = {code for code, _name in settings.LANGUAGES}
POSTER_TEMPLATE = "posters/poster.html"
# A code depends only on its URL, which the request path names; names on a poster can change.
QR_MAX_AGE = 24 * 3600
POSTER_MAX_AGE = 3600
# Rendered posters are kept this long in the cache: WeasyPrint takes a good fraction of a
# second per poster, and these URLs are public.
POSTER_CACHE_SECONDS = 7 * 24 * 3600
# Beyond these lengths (characters) the poster switches to its compact layout.
COMPACT_NAMES = 70
COMPACT_URL = 44


@dataclass(frozen=True)
class Subject:
    """What a code or poster is for, reduced to what gets printed."""

    kind: str  # "campaign" or "unit"
    key: str  # the campaign's slug or the unit's short code
    url: str  # the absolute short link
    organisation: str = ""
    unit: str = ""
    campaign: str = ""

    def is_long(self) -> bool:
        """Whether the names or the address take so much room that the poster needs smaller
        type to stay on one page."""
        names = len(self.organisation) + len(self.unit) + len(self.campaign)
        return names > COMPACT_NAMES or len(self.url) > COMPACT_URL

    def filename(self, suffix):
        return f"mango-{self.kind}-{self.key}-{suffix}"


def _campaign(slug) -> Subject:
    campaign = get_object_or_404(Campaign, slug=slug)
    organisations = [] if campaign.network_wide else list(campaign.organisations.all()[:2])
    # Name the organisation only when the link pre-fills it (see lifecycle.views_tell._prefill).
    organisation = organisations[0].name if len(organisations) == 1 else ""
    return Subject(
        "campaign",
        campaign.slug,
        settings.PUBLIC_URL + campaign.short_path(),
        organisation=organisation,
        campaign=campaign.name,
    )


def _unit(code) -> Subject:
    unit = get_object_or_404(Unit.objects.select_related("organisation"), short_code=code)
    return Subject(
        "unit",
        unit.short_code,
        settings.PUBLIC_URL + unit.short_path(),
        organisation=unit.organisation.name,
        unit=unit.name,
    )


def _download(content, content_type, filename, max_age, as_attachment):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment, filename)
    patch_cache_control(response, public=True, max_age=max_age)
    return response


def _png(subject):
    return _download(qr.png(subject.url), "image/png", subject.filename("qr.png"), QR_MAX_AGE, True)


def _svg(subject):
    return _download(
        qr.svg(subject.url),
        "image/svg+xml; charset=utf-8",
        subject.filename("qr.svg"),
        QR_MAX_AGE,
        True,
    )


def render_poster(subject, language) -> bytes:
    """The A4 poster for ``subject`` in ``language``, as PDF bytes."""
    # Imported here: WeasyPrint loads Pango and its fonts, which only this view needs.
    import weasyprint

    with language_override(language):
        html = get_template(POSTER_TEMPLATE).render(
            {
                "subject": subject,
                "texts": poster_texts(language),
                "language": language,
                "qr_src": qr.svg_data_uri(subject.url),
                "compact": subject.is_long(),
            }
        )
    return weasyprint.HTML(string=html, url_fetcher=poster_url_fetcher()).write_pdf()


def poster_url_fetcher():
    """A WeasyPrint URL fetcher that refuses every URL but ``data:`` ones.

    The poster is self-contained (local fonts, the code as a data: URI), so rendering it must
    never reach the network or the file system, whatever ends up in the HTML.
    """
    import weasyprint

    return weasyprint.URLFetcher(allowed_protocols={"data"}, allow_redirects=False)


def _template_version() -> str:
    source = get_template(POSTER_TEMPLATE).template.source
    return hashlib.sha256(source.encode("utf-8")).hexdigest()[:12]


def _pdf(subject, language):
    if language not in POSTER_LANGUAGES:
        raise Http404("No poster in that language.")
    # Everything the poster shows is in the key, so a renamed unit gets a fresh poster.
    parts = [
        _template_version(),
        language,
        subject.url,
        subject.organisation,
        subject.unit,
        subject.campaign,
    ]
    key = "poster:" + hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
    pdf = cache.get(key)
    if pdf is None:
        pdf = render_poster(subject, language)
        cache.set(key, pdf, timeout=POSTER_CACHE_SECONDS)
    filename = subject.filename(f"poster-{language}.pdf")
    return _download(pdf, "application/pdf", filename, POSTER_MAX_AGE, False)


@require_safe
def campaign_qr_png(request, slug):
    return _png(_campaign(slug))


@require_safe
def campaign_qr_svg(request, slug):
    return _svg(_campaign(slug))


@require_safe
def campaign_poster(request, slug, language):
    return _pdf(_campaign(slug), language)


@require_safe
def unit_qr_png(request, code):
    return _png(_unit(code))


@require_safe
def unit_qr_svg(request, code):
    return _svg(_unit(code))


@require_safe
def unit_poster(request, code, language):
    return _pdf(_unit(code), language)
