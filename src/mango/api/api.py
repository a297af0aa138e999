"""The JSON API: submit a story (public), read stories (with a personal token), vocabulary.

Endpoints stay thin: validation is ``mango.lib.intake``, placement and storage are
``mango.lifecycle.actions``, who reads what is ``mango.stories.access``, and the list filters are
the staff list's ``StoryFilter``. This module translates between those and JSON, and gives
every failure a JSON body ``{"detail": ...}`` (plus ``"errors"``: field -> message for
validation) with the right status code.
"""

import contextlib
import functools
import math
import re
import time

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.db import transaction
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Header, NinjaAPI, Query
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.responses import Status

from mango import labels
from mango.audit.log import record
from mango.lib import intake, vocab
from mango.lib.ratelimit import parse_rate
from mango.lifecycle import actions
from mango.organisations.models import Campaign, Organisation, Unit
from mango.stories import privacy, submissions, throttle
from mango.stories.access import get_story_for_user, require_story_reader, visible_stories
from mango.stories.filters import StoryFilter
from mango.stories.placement import PlacementError, place
from mango.stories.problems import message

from . import schemas
from .auth import token_auth

# The status of every story just submitted; a retry gets the first answer, with this status.
FIRST_STATUS = "received"
IDEMPOTENCY_KEY_MAX = 255
# A story is at most 5,000 characters; even fully \u-escaped it stays far below this.
MAX_BODY_BYTES = 100 * 1024
# Slugs and short codes are ASCII; anything else cannot name an organisation, unit or campaign,
# and keeping it away from the database spares PostgreSQL strings it refuses (NUL bytes).
_SLUG = re.compile(r"^[-a-zA-Z0-9_]{1,100}$")

api = NinjaAPI(
    title="Mango API",
    version="1",
    description=(
        "Submit Mangomoments and read the stories your roles give access to. "
        "Reading needs a personal token: `Authorization: Bearer mango_...` "
        "(create one with `mango token create USERNAME`). Errors are JSON: "
        '`{"detail": "..."}`, with `"errors"` (field -> message) when fields are invalid.'
    ),
    urls_namespace="api",
)


class Invalid(Exception):
    """Fields the API cannot accept; ``errors`` maps field names to readable messages."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(errors)
        self.errors = errors


class RateLimited(Exception):
    def __init__(self, retry_after: int):
        super().__init__(retry_after)
        self.retry_after = retry_after


# --- Request guards, around every operation (before authentication and body parsing) ------


def _too_big(request) -> bool:
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > MAX_BODY_BYTES:
        return True
    try:
        return len(request.body) > MAX_BODY_BYTES
    except RequestDataTooBig:
        return True


def _guard(run):
    @functools.wraps(run)
    def wrapper(request, *args, **kwargs):
        # API clients often send no Accept-Language; they get English rather than the site's
        # default language. Those that send one get messages in it, as on the web.
        language = None if "HTTP_ACCEPT_LANGUAGE" in request.META else "en"
        with translation.override(language) if language else contextlib.nullcontext():
            if _too_big(request):
                detail = _("The request body is too large: at most %(n)d kB.") % {
                    "n": MAX_BODY_BYTES // 1024
                }
                response = api.create_response(request, {"detail": detail}, status=413)
            else:
                response = run(request, *args, **kwargs)
        if language:
            response.headers.setdefault("Content-Language", language)
        return response

    return wrapper


api.add_decorator(_guard, mode="view")


# --- Errors --------------------------------------------------------------------------------


def _field_name(loc) -> str:
    """``("body", "payload", "text")`` -> ``"text"``; ``("query", "page")`` -> ``"page"``."""
    parts = [str(p) for p in loc[1:] if str(p) not in ("payload", "filters")]
    return ".".join(parts) or "body"


@api.exception_handler(ValidationError)
def _on_validation_error(request, exc):
    errors: dict[str, str] = {}
    for error in exc.errors:
        field = _field_name(error.get("loc", ()))
        text = error.get("msg", "")
        if field == "body" and error.get("type") == "missing":
            text = _("Send a JSON object in the request body.")
        errors.setdefault(field, text)
    return _on_invalid(request, Invalid(errors))


@api.exception_handler(Invalid)
def _on_invalid(request, exc):
    detail = _("Some fields are not valid: see errors.")
    return api.create_response(request, {"detail": detail, "errors": exc.errors}, status=422)


@api.exception_handler(HttpError)
def _on_http_error(request, exc):
    detail = str(exc)
    if exc.status_code == 400 and detail.startswith("Cannot parse request body"):
        detail = _("The request body is not valid JSON.")
    response = api.create_response(request, {"detail": detail}, status=exc.status_code)
    if isinstance(exc, AuthenticationError):
        response["WWW-Authenticate"] = 'Bearer realm="mango"'
    return response


@api.exception_handler(PermissionDenied)
def _on_forbidden(request, exc):
    detail = _("Your roles do not give access to this.")
    return api.create_response(request, {"detail": detail}, status=403)


@api.exception_handler(Http404)
def _on_not_found(request, exc):
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


@api.exception_handler(RateLimited)
def _on_rate_limited(request, exc):
    detail = _("Too many stories from this address for now. Please try again later.")
    response = api.create_response(request, {"detail": detail}, status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response


def _retry_after() -> int:
    """Seconds until the current window of ``stories.throttle`` ends."""
    _limit, seconds = parse_rate(settings.MANGO_SUBMIT_RATE)
    now = time.time()
    return max(1, math.ceil((now // seconds + 1) * seconds - now))


# --- Finding organisations, units and campaigns by slug or code -----------------------------


def _by_slug(model, value: str):
    value = value.strip()
    if not _SLUG.match(value):
        return None
    return model.objects.filter(slug=value).first()


def _find_unit(value: str, organisation):
    """A unit by its short code, or by its slug within ``organisation``."""
    value = value.strip()
    if not _SLUG.match(value):
        return None
    unit = Unit.objects.select_related("organisation").filter(short_code=value).first()
    if unit is None and organisation is not None:
        unit = (
            Unit.objects.select_related("organisation")
            .filter(organisation=organisation, slug=value)
            .first()
        )
    return unit


def _find_places(source) -> tuple[dict, dict[str, str]]:
    """The organisation, unit and campaign ``source`` names, and messages for unknown ones."""
    found: dict = {"organisation": None, "unit": None, "campaign": None}
    errors: dict[str, str] = {}
    if source.organisation:
        found["organisation"] = _by_slug(Organisation, source.organisation)
        if found["organisation"] is None:
            errors["organisation"] = message("organisation", "unknown_organisation")
    if source.unit:
        found["unit"] = _find_unit(source.unit, found["organisation"])
        if found["unit"] is None:
            errors["unit"] = message("unit", "unknown_unit")
    if source.campaign:
        found["campaign"] = _by_slug(Campaign, source.campaign)
        if found["campaign"] is None:
            errors["campaign"] = message("campaign", "unknown_campaign")
    return found, errors


# --- Endpoints -----------------------------------------------------------------------------


@api.post(
    "/stories",
    auth=None,
    response={
        201: schemas.ReceiptOut,
        400: schemas.Error,
        409: schemas.Error,
        413: schemas.Error,
        422: schemas.FieldErrors,
        429: schemas.Error,
    },
    tags=["stories"],
    summary="Submit a story",
    url_name="stories",
)
def submit_story(
    request,
    payload: schemas.StoryIn,
    idempotency_key: str | None = Header(
        None,
        alias="Idempotency-Key",
        description=(
            "Optional; a new random value (a UUID) per story. A retry with the same key and "
            "the same body within 24 hours stores nothing and gets the first answer again; the "
            "same key with another body is refused (422)."
        ),
        min_length=1,
        max_length=IDEMPOTENCY_KEY_MAX,
        pattern=r"^[\x21-\x7e]+$",
    ),
):
    """Submit a story, as the public form does: the same rules, messages and rate limit.

    At least one of `consent_research` and `consent_sharing` must be true. The answer holds the
    teller's receipt; it is returned this once and never again by the API (except to a retry
    with the same `Idempotency-Key` and body).
    """
    raw = payload.model_dump()
    body_hash = submissions.fingerprint(raw)
    if idempotency_key is not None:
        earlier = submissions.settled("api", idempotency_key)
        if earlier is not None:
            return _replay(earlier, body_hash)
    # Every attempt counts, valid or not, as on the web form: a client probing the rules
    # is slowed down just like one flooding us with stories.
    if not throttle.allow_submission(request):
        raise RateLimited(_retry_after())
    checked = intake.clean_story(raw, require_consent=True)
    errors = {
        field: message(field, code, str(raw.get("text") or ""))
        for field, code in checked.errors.items()
    }
    found, place_errors = _find_places(payload)
    errors.update(place_errors)
    placement = None
    if not place_errors:
        try:
            placement = place(found["organisation"], found["unit"], found["campaign"])
        except PlacementError as err:
            errors.setdefault(err.field, message(err.field, err.code))
    if errors:
        raise Invalid(errors)
    if idempotency_key is None:
        story = actions.submit_story(checked.values, placement, source="api")
        return Status(201, {"receipt": story.receipt, "status": story.status})
    try:
        submission, stored = submissions.submit_once(
            "api",
            idempotency_key,
            body_hash,
            lambda: actions.submit_story(checked.values, placement, source="api"),
        )
    except submissions.Unclaimed:
        raise HttpError(409, _in_progress()) from None
    if not stored:
        return _replay(submission, body_hash)
    return Status(201, {"receipt": submission.story.receipt, "status": FIRST_STATUS})


def _in_progress() -> str:
    return _(
        "A request with this Idempotency-Key is still being processed. Send it again in a "
        "moment, with the same key."
    )


def _replay(submission, body_hash: str):
    """The answer to a request whose ``Idempotency-Key`` was used before: the first answer
    for the same body, a refusal for another."""
    if submission.story is None and submission.fingerprint == body_hash:
        # The first request with this key is still storing its story.
        raise HttpError(409, _in_progress())
    if submission.fingerprint != body_hash:
        raise Invalid(
            {
                "Idempotency-Key": _(
                    "This Idempotency-Key was already used for another story in the last "
                    "24 hours. Use a new key for each story."
                )
            }
        )
    return Status(201, {"receipt": submission.story.receipt, "status": FIRST_STATUS})


def _story_filter(query: schemas.StoryQuery) -> StoryFilter:
    """The staff list's filter form, fed with ids for the slugs and codes the client gave."""
    data = {
        name: getattr(query, name) or ""
        for name in ("q", "teller_role", "setting", "oncological", "language")
    }
    found, errors = _find_places(query)
    for name, obj in found.items():
        if obj is not None:
            data[name] = obj.pk
    form = StoryFilter(data)
    if not form.is_valid():
        for name, messages in form.errors.items():
            errors.setdefault(name, messages[0])
    if errors:
        raise Invalid(errors)
    return form


@api.get(
    "/stories",
    auth=token_auth,
    response={
        200: schemas.StoryPage,
        401: schemas.Error,
        403: schemas.Error,
        422: schemas.FieldErrors,
    },
    tags=["stories"],
    summary="List stories",
)
def list_stories(request, filters: Query[schemas.StoryQuery]):
    """The stories your roles let you read, newest first, with the staff list's filters.

    Team members read no raw stories and get 403.
    """
    user = request.auth
    require_story_reader(user)
    form = _story_filter(filters)
    found = form.apply(visible_stories(user)).select_related("organisation", "unit", "campaign")
    count = found.count()
    size = filters.page_size
    start = (filters.page - 1) * size
    items = list(found[start : start + size])
    # The items carry original texts: the search goes in the audit trail, as reading one
    # story on the web does. It names the filters and counts, never the texts or search words.
    with transaction.atomic():
        record(
            user,
            "stories.searched",
            None,
            new={
                "via": "api",
                "filters": _audited_filters(filters),
                "page": filters.page,
                "returned": len(items),
                "matching": count,
            },
        )
    return {
        "count": count,
        "page": filters.page,
        "page_size": size,
        "pages": max(1, math.ceil(count / size)),
        "items": items,
    }


def _audited_filters(query: schemas.StoryQuery) -> dict:
    """The filters a search used, for the audit trail: codes and slugs as given; of the free
    text search only the number of words (they may name a person)."""
    used = {
        name: getattr(query, name)
        for name in (
            "organisation",
            "unit",
            "campaign",
            "teller_role",
            "setting",
            "oncological",
            "language",
        )
        if getattr(query, name)
    }
    if query.q and query.q.split():
        used["q_words"] = len(query.q.split())
    return used


@api.get(
    "/stories/{story_id}",
    auth=token_auth,
    response={
        200: schemas.StoryOut,
        401: schemas.Error,
        403: schemas.Error,
        404: schemas.Error,
        422: schemas.FieldErrors,
    },
    tags=["stories"],
    summary="Read a story",
    url_name="story",
)
def read_story(request, story_id: int):
    """One story: 404 when it is not your organisation's, 403 when your role may not read it."""
    story = get_story_for_user(request.auth, story_id)
    if story.text:
        # The answer holds the original text: reading it goes in the audit trail, as on the web.
        privacy.view_original(request.auth, story)
    return story


_VOCABULARY = {
    "language": (labels.LANGUAGE, vocab.LANGUAGES),
    "teller_role": (labels.TELLER_ROLE, vocab.TELLER_ROLES),
    "setting": (labels.SETTING, vocab.SETTINGS),
    "oncological": (labels.ONCOLOGICAL, vocab.ONCOLOGICAL),
    "happened": (labels.WHEN, vocab.WHEN),
    "gesture_by": (labels.GESTURE_BY, vocab.GESTURE_BY),
    "organisation_kind": (labels.ORGANISATION_KIND, vocab.ORGANISATION_KINDS),
    "role": (labels.ROLE, vocab.ROLES),
    "source": (labels.SOURCE, vocab.SOURCES),
    "status": (labels.STATUS, vocab.STATUSES),
}


@api.get(
    "/vocabulary",
    auth=None,
    response=schemas.VocabularyOut,
    tags=["vocabulary"],
    summary="List the codes",
    url_name="vocabulary",
)
def vocabulary(request):
    """The codes a story is described with, with English labels, to build forms with."""
    with translation.override("en"):
        result: dict = {
            name: [{"code": code, "label": str(names[code])} for code in codes]
            for name, (names, codes) in _VOCABULARY.items()
        }
    result["text_min_chars"] = vocab.STORY_MIN_CHARS
    result["text_max_chars"] = vocab.STORY_MAX_CHARS
    return result
