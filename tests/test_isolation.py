"""Tenant isolation: every staff page, admin page and story API endpoint, asked by someone who
does not own an organisation's stories, answers 302-to-sign-in, 403 or 404 (or 200 with their
own data only) and never shows those stories, their contact details or their receipts.

The matrix is built from the URL configuration itself. Every URL under ``/<lang>/staff/``,
``/admin/``, ``/posters/`` and ``/api/`` must have an entry in ``SPECS`` (or, for the pages
Django's admin generates per model, a target object in ``ADMIN_TARGETS``), and every other URL
must be listed in ``PUBLIC_PAGES``: a new route fails the suite until someone decides how to
fill its arguments and what each user should get.

The organisation's stories carry canaries (``ISOLATION-CANARY-<uuid>``) in the original text,
the de-identified text and the contact details. A response leaks if its body or headers hold
a canary, a contact e-mail address or a receipt code. Every request is also checked to leave
the stories, memberships, users and the organisation's audit trail unchanged.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLResolver, get_resolver, resolve, reverse
from django.urls.resolvers import LocalePrefixPattern
from django.utils import timezone, translation

from mango.accounts.models import ApiToken, Membership
from mango.audit.log import record
from mango.audit.models import AuditEvent
from mango.organisations.models import Unit
from mango.stories.models import Story
from tests.conftest import make_story, make_user

pytestmark = pytest.mark.django_db

MARK = "ISOLATION-CANARY"
LANG = "<lang>/"
# Expected answers besides plain status codes.
LOGIN = "302 to the sign-in page"
ADMIN_LOGIN = "302 to the admin sign-in page"
ADMIN_HOME = "302 to the admin index, which then asks to sign in"
# outsider: a manager of another organisation; loner: signed in, no role anywhere; member: a
# team member of the organisation; researcher: a researcher bound to the other organisation.
USERS = ("anonymous", "outsider", "loner", "member", "researcher")


# --- Collecting the URLs ----------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    key: str  # the namespaced URL name, or the route itself for unnamed patterns
    route: str  # "<lang>/staff/stories/<int:pk>/"
    name: str | None


def _join(prefix: str, part: str) -> str:
    # As Django's ResolverMatch.route joins them: a "^" is dropped unless it starts the route.
    return prefix + part.removeprefix("^") if prefix else part


def _walk(patterns, prefix="", namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if isinstance(pattern.pattern, LocalePrefixPattern):
                part = LANG
            else:
                part = str(pattern.pattern)
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, _join(prefix, part), ns)
        else:
            route = _join(prefix, str(pattern.pattern))
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield Route(key=name or route, route=route, name=name)


def all_routes() -> list[Route]:
    return list(_walk(get_resolver().url_patterns))


def in_matrix(route: Route) -> bool:
    return route.route.startswith((f"{LANG}staff/", "admin/", "posters/", "api/", "^api/"))


ROUTES = all_routes()
MATRIX = [r for r in ROUTES if in_matrix(r)]

# Every URL outside the matrix, and why it is not in it: public pages that show no stories.
PUBLIC_PAGES = {
    "campaign_link",  # poster short link: forwards to the form
    "unit_link",  # poster short link: forwards to the form
    "set_language",
    "home",
    "tell",  # the story form
    "tell_units",  # htmx: the unit options of an organisation (fuzzed in test_fuzz_intake)
    "thanks",  # the teller's receipt, once, from their session
    "receipt_mail",  # POST: e-mails the receipt of the thanks cookie only (test_receipt_mail.py)
    "my_story",  # the teller's own story, by receipt code (tests/test_view_teller.py)
    "login",
    "logout",
    "two_factor",  # the signed-in user's own two-factor set-up (tests/test_two_factor.py)
    "two_factor_verify",  # the sign-in code page; shows no stories
}
# Apps whose pages live outside /staff/ and that sweep every one of their routes for leaks in
# a test file of their own, built from their URL list: a route name belongs to the app when it
# is in the app's namespace or in its list of names; the file must name every such route.
SWEPT_ELSEWHERE = {
    "culture": ("tests/test_culture_isolation.py", None),
    "recognition": ("tests/test_recognition_access.py", None),
    "pulse": ("tests/test_pulse_access.py", None),
    "consensus": ("tests/test_consensus_access.py", None),
    "accounts": (
        "tests/test_accounts_access.py",
        {
            "landing",
            "people",
            "person",
            "units",
            "password_reset",
            "password_reset_done",
            "password_reset_confirm",
        },
    ),
}


def swept_by(key: str) -> str | None:
    """The app whose own sweep covers this route, if any."""
    for app, (_path, names) in SWEPT_ELSEWHERE.items():
        if (names is None and key.startswith(f"{app}:")) or (names and key in names):
            return app
    return None


KNOWN_NAMES = {
    "staff:stories",
    "staff:story",
    "staff:moderation",
    "staff:moderate",
    "staff:shared",
    "staff:audit",
    "staff:import",
    "campaigns:list",
    "transcripts:projects",
    "transcripts:document",
    "api:list_stories",
    "api:story",
}


# --- The organisations, users and canaries ----------------------------------------------------


@dataclass
class World:
    org: object
    other_org: object
    unit: object
    campaign: object
    owner: object
    users: dict  # USERS -> user (None for anonymous)
    tokens: dict  # USERS -> raw API token (None for anonymous)
    pending: Story  # de-identified, waiting for moderation; both consents
    shared: Story  # shared with the organisation's teams
    research_only: Story  # no consent for sharing: managers of the organisation may not read it
    own: Story  # the outsider's own organisation's story
    event: AuditEvent  # an audit row of the organisation, with a canary in its note
    search_word: str  # a word in every story's text, safe to echo back
    shared_redacted: str  # marker in the shared story's de-identified text (teams may read it)
    secrets: list[str] = field(default_factory=list)

    @property
    def stories(self) -> list[Story]:
        return [self.pending, self.shared, self.research_only]

    def forbidden(self, user: str, key: str) -> list[str]:
        """What ``user`` must never see on ``key``: everything of the organisation's, except
        that the organisation's team members read the shared story's de-identified text."""
        if user == "member" and key == "staff:shared":
            return self.secrets
        return [*self.secrets, self.shared_redacted]


def canary_story(organisation, label: str, search_word: str, **fields) -> tuple[Story, list]:
    uid = uuid.uuid4().hex
    fields.setdefault(
        "text_redacted", f"{MARK}-{uid}-redacted {label}: [NAAM] bracht {search_word}."
    )
    story = make_story(
        organisation,
        text=f"{MARK}-{uid} {label}: verpleegkundige Anna bracht me {search_word} om middernacht.",
        contact_name=f"{MARK}-{uid}-naam",
        contact_email=f"canary-{uid}@example.org",
        contact_phone="+32 470 12 34 56",
        **fields,
    )
    return story, [uid, story.contact_email, story.receipt]


@pytest.fixture
def world(org, other_org, unit, campaign):
    search_word = "papaja" + uuid.uuid4().hex[:8]
    common = {"unit": unit, "campaign": campaign}
    pending, s1 = canary_story(org, "pending", search_word, **common)
    shared_redacted = "SHARED-" + uuid.uuid4().hex
    shared, s2 = canary_story(
        org,
        "shared",
        search_word,
        status="shared",
        shared_at=timezone.now(),
        text_redacted=f"{shared_redacted} [NAAM] bracht me {search_word}.",
        **common,
    )
    research_only, s3 = canary_story(org, "research", search_word, consent_sharing=False, **common)
    own = make_story(
        other_org,
        text=f"OWN-{uuid.uuid4().hex} Het verhaal van de eigen organisatie, {search_word}.",
        campaign=campaign,
    )
    event_uid = uuid.uuid4().hex
    owner = make_user("manager", "manager", org)
    with transaction.atomic():
        event = record(
            owner, "story.reviewed", pending, organisation=org, note=f"{MARK}-{event_uid} note"
        )
    users = {
        "anonymous": None,
        "outsider": make_user("outsider", "manager", other_org),
        "loner": make_user("loner"),
        "member": make_user("member", "team_member", org),
        "researcher": make_user("researcher", "researcher", other_org),
    }
    tokens = {name: ApiToken.issue(user)[1] if user else None for name, user in users.items()}
    return World(
        org=org,
        other_org=other_org,
        unit=unit,
        campaign=campaign,
        owner=owner,
        users=users,
        tokens=tokens,
        pending=pending,
        shared=shared,
        research_only=research_only,
        own=own,
        event=event,
        search_word=search_word,
        shared_redacted=shared_redacted,
        secrets=[MARK, event_uid, *s1, *s2, *s3],
    )


# --- What each URL is asked, and what each user should get -----------------------------------


@dataclass
class Variant:
    label: str
    url: str
    expect: dict  # USERS -> status code, or LOGIN / ADMIN_LOGIN
    method: str = "GET"
    data: Callable[[], dict] | None = None  # built per request: uploads are read once
    headers: dict = field(default_factory=dict)
    api: bool = False  # send the user's bearer token
    echoes: tuple = ()  # strings the request carries itself, so the page may repeat them


def url(name: str, query: dict | None = None, **kwargs) -> str:
    with translation.override("nl"):
        path = reverse(name, kwargs=kwargs or None)
    return f"{path}?{urlencode(query)}" if query else path


def staff(outsider, loner, member, researcher):
    return {
        "anonymous": LOGIN,
        "outsider": outsider,
        "loner": loner,
        "member": member,
        "researcher": researcher,
    }


def api(outsider, loner, member, researcher):
    return {
        "anonymous": 401,
        "outsider": outsider,
        "loner": loner,
        "member": member,
        "researcher": researcher,
    }


def everyone(status):
    return dict.fromkeys(USERS, status)


# Outsiders of the story's organisation get 404, its members who lack the right 403.
ONE_STORY = staff(outsider=404, loner=404, member=403, researcher=404)


def _story_list(w: World):
    e = staff(outsider=200, loner=403, member=403, researcher=200)
    return [
        Variant("list", url("staff:stories"), e),
        Variant("search", url("staff:stories", {"q": w.search_word}), e),
        Variant("by number", url("staff:stories", {"q": f"#{w.pending.pk}"}), e),
        Variant(
            "filtered to the organisation",
            url(
                "staff:stories",
                {"organisation": w.org.pk, "unit": w.unit.pk, "campaign": w.campaign.pk},
            ),
            e,
        ),
        Variant(
            "htmx results",
            url("staff:stories", {"q": w.search_word}),
            e,
            headers={"HX-Request": "true", "HX-Target": "results"},
        ),
    ]


def _story(w: World):
    return [
        Variant(f"{s.status} story {s.pk}", url("staff:story", pk=s.pk), ONE_STORY)
        for s in w.stories
    ]


def _moderation(w: World):
    queues = ["to_review", "shared", "not_shared", "withdrawn", "waiting"]
    e = staff(outsider=200, loner=403, member=403, researcher=403)
    return [Variant("queue", url("staff:moderation"), e)] + [
        Variant(f"queue {q}", url("staff:moderation", {"queue": q}), e) for q in queues
    ]


MODERATION_POSTS = {
    "redact": {"action": "redact", "kind": "person", "phrase": "Anna"},
    "redact range": {"action": "redact", "kind": "person", "start": "0", "end": "10"},
    "undo": {"action": "undo", "index": "0"},
    "decide": {"action": "decide", "shareable": "yes", "reason": "Mag gedeeld worden."},
}


def _moderate(w: World):
    variants = []
    for s in w.stories:
        target = url("staff:moderate", pk=s.pk)
        variants.append(Variant(f"{s.status} story {s.pk}", target, ONE_STORY))
        for label, data in MODERATION_POSTS.items():
            variants.append(
                Variant(
                    f"POST {label} on {s.status} story {s.pk}",
                    target,
                    ONE_STORY,
                    method="POST",
                    data=lambda data=data: dict(data),
                )
            )
        variants.append(
            Variant(
                f"htmx POST redact on story {s.pk}",
                target,
                ONE_STORY,
                method="POST",
                data=lambda: dict(MODERATION_POSTS["redact"]),
                headers={"HX-Request": "true"},
            )
        )
    return variants


def _shared(w: World):
    e = staff(outsider=200, loner=403, member=200, researcher=200)
    return [
        Variant("shared", url("staff:shared"), e),
        Variant("page 2", url("staff:shared", {"page": 2}), e),
    ]


def _audit(w: World):
    e = staff(outsider=200, loner=403, member=403, researcher=403)
    return [
        Variant("trail", url("staff:audit"), e),
        Variant("by the owner", url("staff:audit", {"actor": w.owner.username}), e),
        Variant("reviews", url("staff:audit", {"action": "story.reviewed"}), e),
    ]


def _csv_upload(w: World) -> dict:
    body = (
        "text,teller_role,setting,consent_research,organisation\n"
        f"Een verhaal dat nooit binnen mag komen {w.search_word},patient,hospital,yes,"
        f"{w.org.slug}\n"
    )
    return {
        "file": SimpleUploadedFile("stories.csv", body.encode(), content_type="text/csv"),
        "campaign": w.campaign.slug,
        "skip_invalid": "on",
    }


def _import(w: World):
    e = staff(outsider=403, loner=403, member=403, researcher=403)
    return [
        Variant("form", url("staff:import"), e),
        Variant("POST a file", url("staff:import"), e, method="POST", data=lambda: _csv_upload(w)),
    ]


def _campaigns(w: World):
    return [Variant("campaigns", url("campaigns:list"), staff(200, 403, 200, 200))]


def _campaign_new(w: World):
    # The outsider manages their own organisation: the form is theirs to fill, for it only.
    return [Variant("new campaign form", url("campaigns:new"), staff(200, 403, 403, 403))]


def _campaign_edit(w: World):
    e = staff(outsider=404, loner=403, member=403, researcher=403)
    target = url("campaigns:edit", pk=w.campaign.pk)
    return [
        Variant("edit campaign", target, e),
        Variant("close campaign", target, e, method="POST", data=lambda: {"action": "close"}),
        Variant(
            "POST edit campaign",
            target,
            e,
            method="POST",
            data=lambda: {
                "name": "Overwritten",
                "opens_on": "2020-01-01",
                "organisations": [w.other_org.pk],
            },
        ),
    ]


def _api_list(w: World):
    e = api(outsider=200, loner=403, member=403, researcher=200)
    path = url("api:list_stories")
    queries = {
        "list": {},
        "the organisation's": {"organisation": w.org.slug},
        "the unit's": {"unit": w.unit.short_code},
        "the unit's by slug": {"organisation": w.org.slug, "unit": w.unit.slug},
        "the campaign's": {"campaign": w.campaign.slug},
        "search": {"q": w.search_word},
        "by number": {"q": f"#{w.pending.pk}"},
        "big page": {"page_size": 100},
    }
    return [
        Variant(
            label,
            f"{path}?{urlencode(q)}" if q else path,
            e,
            api=True,
        )
        for label, q in queries.items()
    ]


def _api_story(w: World):
    e = api(outsider=404, loner=404, member=403, researcher=404)
    return [
        Variant(f"{s.status} story {s.pk}", url("api:story", story_id=s.pk), e, api=True)
        for s in w.stories
    ]


def _public(name: str, status: int = 200, **kwargs):
    def build(w: World):
        args = {k: v(w) if callable(v) else v for k, v in kwargs.items()}
        return [Variant(name, url(name, **args), everyone(status))]

    return build


def _literal(path: Callable[[World], str], expect: dict, label: str = "literal"):
    return lambda w: [Variant(label, path(w), expect)]


SPECS: dict[str, Callable[[World], list[Variant]]] = {
    "staff:stories": _story_list,
    "staff:story": _story,
    "staff:moderation": _moderation,
    "staff:moderate": _moderate,
    "staff:shared": _shared,
    "staff:audit": _audit,
    "staff:import": _import,
    "campaigns:list": _campaigns,
    "campaigns:new": _campaign_new,
    "campaigns:edit": _campaign_edit,
    # The API: the same path answers GET (the list, with a token) and POST (the public form's
    # twin, fuzzed in tests/test_fuzz_intake.py).
    "api:list_stories": _api_list,
    "api:stories": _api_list,
    "api:story": _api_story,
    "api:vocabulary": _public("api:vocabulary"),
    "api:openapi-json": _public("api:openapi-json"),
    "api:openapi-view": _public("api:openapi-view"),
    "api:api-root": _public("api:api-root", status=404),
    "^api/(?P<rest>.*)$": _literal(lambda w: f"/api/stories/{w.pending.pk}/text", everyone(404)),
    # Posters and QR codes are public on purpose: they show only names and the short link.
    "posters:campaign_qr_png": _public("posters:campaign_qr_png", slug=lambda w: w.campaign.slug),
    "posters:campaign_qr_svg": _public("posters:campaign_qr_svg", slug=lambda w: w.campaign.slug),
    "posters:campaign_poster": _public(
        "posters:campaign_poster", slug=lambda w: w.campaign.slug, language="nl"
    ),
    "posters:unit_qr_png": _public("posters:unit_qr_png", code=lambda w: w.unit.short_code),
    "posters:unit_qr_svg": _public("posters:unit_qr_svg", code=lambda w: w.unit.short_code),
    "posters:unit_poster": _public(
        "posters:unit_poster", code=lambda w: w.unit.short_code, language="nl"
    ),
}

# --- The research workbench: a coding round of the organisation's stories ------------------


def _research_round(w: World):
    """One round of the organisation, coded by one of its researchers (made once per world)."""
    if getattr(w, "_round", None) is None:
        from mango.research import actions
        from mango.research.models import Codebook

        coder = make_user("isolation-coder", "researcher", w.org)
        w._round = actions.create_round(
            coder,
            name="Isolation round",
            codebook=Codebook.objects.get(slug="dimensions"),
            stories=w.stories,
            coders=[coder],
            coders_per_story=1,
            organisation=w.org,
        )
    return w._round


def _research(route: str, expect: dict, method: str = "GET", data=None, **kwargs):
    def build(w: World):
        r = _research_round(w)
        args = {k: v(w) if callable(v) else v for k, v in kwargs.items()}
        if "pk" in args:
            args["pk"] = r.pk
        return [
            Variant(
                f"{method} {args}",
                url(route, **args),
                expect,
                method=method,
                data=data and (lambda: data),
            )
        ]

    return build


RESEARCHERS_ONLY = staff(outsider=403, loner=403, member=403, researcher=200)
ROUND = ONE_STORY  # outsiders of the round's organisation 404, its members 403

SPECS |= {
    "research:codebooks": _research("research:codebooks", RESEARCHERS_ONLY),
    "research:codebook": _research("research:codebook", RESEARCHERS_ONLY, slug="screening"),
    "research:codebook_edit": lambda w: [
        *_research("research:codebook_edit", everyone_staff(403), slug="screening")(w),
        *_research(
            "research:codebook_edit",
            everyone_staff(403),
            method="POST",
            data={"name": "Overwritten"},
            slug="screening",
        )(w),
    ],
    "research:rounds": _research("research:rounds", RESEARCHERS_ONLY),
    "research:round_create": lambda w: [
        *_research("research:round_create", RESEARCHERS_ONLY)(w),
        *_research(
            "research:round_create",
            RESEARCHERS_ONLY,
            method="POST",
            data={"name": "Stolen", "organisation": w.org.pk, "coders_per_story": 1},
        )(w),
    ],
    "research:round": _research("research:round", ROUND, pk=0),
    "research:round_close": _research("research:round_close", ROUND, method="POST", data={}, pk=0),
    "research:code_start": _research("research:code_start", ROUND, pk=0),
    "research:code": _research("research:code", ROUND, pk=0, n=1),
    "research:code_toggle": _research(
        "research:code_toggle", ROUND, method="POST", data={"code": "respect"}, pk=0, n=1
    ),
    "research:code_done": _research("research:code_done", ROUND, method="POST", data={}, pk=0, n=1),
    "research:code_original": _research("research:code_original", ROUND, pk=0, n=1),
    "research:agreement": _research("research:agreement", ROUND, pk=0),
    "research:adjudication": _research("research:adjudication", ROUND, pk=0),
    "research:adjudicate": _research(
        "research:adjudicate", ROUND, pk=0, story_id=lambda w: w.pending.pk
    ),
    "research:export": lambda w: [
        variant
        for name in ("final.csv", "codings.csv", "round.xlsx", "final.sav")
        for variant in _research("research:export", ROUND, pk=0, filename=name)(w)
    ],
}


# --- The classifier: network-wide models; only administrators and network-wide researchers ---


def _trained_model(w: World):
    """A ready model of the dimensions codebook (made once per world)."""
    if getattr(w, "_model", None) is None:
        from mango.classify.models import TrainedModel
        from mango.research.models import Codebook

        w._model = TrainedModel.objects.create(
            codebook=Codebook.objects.get(slug="dimensions"), kind="labels", status="ready"
        )
    return w._model


def _classify_models(w: World):
    from mango.research.models import Codebook

    codebook = Codebook.objects.get(slug="dimensions").pk
    return [
        Variant("GET", url("classify:models"), everyone_staff(403)),
        Variant(
            "POST train",
            url("classify:models"),
            everyone_staff(403),
            method="POST",
            data=lambda: {"codebook": codebook, "kind": "labels"},
        ),
    ]


SPECS |= {
    "classify:models": _classify_models,
    "classify:model": lambda w: [
        Variant("GET", url("classify:model", pk=_trained_model(w).pk), everyone_staff(403)),
        Variant(
            "htmx",
            url("classify:model", pk=_trained_model(w).pk),
            everyone_staff(403),
            headers={"HX-Request": "true", "HX-Target": "training"},
        ),
    ],
    # Ordering a round is its managers' act: outsiders of its organisation 404, members 403.
    "classify:uncertain_first": lambda w: [
        *_research("classify:uncertain_first", ROUND, method="POST", data={}, pk=0)(_with_model(w))
    ],
}


def _with_model(w: World) -> World:
    _trained_model(w)
    return w


def _dashboard(route: str, **kwargs):
    """Counts only, of the user's own stories; asking for the organisation's ids is 404."""
    own = staff(outsider=200, loner=403, member=403, researcher=200)
    foreign = staff(outsider=404, loner=403, member=403, researcher=404)

    def build(w: World):
        variants = [
            Variant("own", url(route, **kwargs), own),
            Variant("the organisation", url(route, {"organisation": w.org.pk}, **kwargs), foreign),
            Variant("its unit", url(route, {"unit": w.unit.pk}, **kwargs), foreign),
        ]
        if route == "analysis:dashboard":
            variants += [
                Variant("export", url(route, {"export": "xlsx"}), own),
                Variant(
                    "htmx",
                    url(route, {"group": "unit"}),
                    own,
                    headers={"HX-Request": "true", "HX-Target": "dashboard-results"},
                ),
            ]
        return variants

    return build


SPECS |= {
    "analysis:dashboard": _dashboard("analysis:dashboard"),
    "analysis:chart": _dashboard("analysis:chart", chart="months"),
}


def _report(w: World):
    """The dashboard's report: of the user's own stories; the organisation's ids are 404."""
    own = staff(outsider=200, loner=403, member=403, researcher=200)
    foreign = staff(outsider=404, loner=403, member=403, researcher=404)

    def form():
        return {"format": "html", "language": "nl"}

    return [
        Variant("own", url("analysis:report"), own, method="POST", data=form),
        Variant(
            "xlsx",
            url("analysis:report"),
            own,
            method="POST",
            data=lambda: {"format": "xlsx", "language": "fr"},
        ),
        Variant(
            "the organisation",
            url("analysis:report", {"organisation": w.org.pk}),
            foreign,
            method="POST",
            data=form,
        ),
        Variant(
            "its unit",
            url("analysis:report", {"unit": w.unit.pk}),
            foreign,
            method="POST",
            data=form,
        ),
    ]


def _report_job(route: str):
    """A report made for the organisation's manager: nobody else may see it or its file."""

    def build(w: World):
        from mango.accounts.models import scope_for
        from mango.analysis import aggregate, report_jobs

        job = report_jobs.start(
            w.owner,
            aggregate.Selection(scope=scope_for(w.owner)),
            fmt="xlsx",
            language="nl",
            group="respondent_group",
        )
        return [
            Variant(
                "the manager's report",
                url(route, token=job.token),
                staff(outsider=404, loner=403, member=403, researcher=404),
            )
        ]

    return build


SPECS |= {
    "analysis:report": _report,
    "analysis:report_status": _report_job("analysis:report_status"),
    "analysis:report_file": _report_job("analysis:report_file"),
}


@pytest.fixture(autouse=True)
def _reports_in_a_temporary_folder(settings, tmp_path):
    """Reports asked for here are written under DATA_DIR: not the checkout's var/."""
    settings.DATA_DIR = tmp_path


def everyone_staff(status):
    return staff(outsider=status, loner=status, member=status, researcher=status)


# --- Django's admin: only staff accounts get in; none of the non-owners is one -------------

ADMIN_ONLY = everyone(ADMIN_LOGIN)
# The object each generated admin page of a model is asked about.
ADMIN_TARGETS: dict[str, Callable[[World], object]] = {
    "stories.story": lambda w: w.pending.pk,
    "audit.auditevent": lambda w: w.event.pk,
    "auth.user": lambda w: w.owner.pk,
    "auth.group": lambda w: 1,
    "accounts.membership": lambda w: w.owner.memberships.get().pk,
    "accounts.apitoken": lambda w: ApiToken.objects.filter(user=w.users["member"]).get().pk,
    "organisations.organisation": lambda w: w.org.pk,
    "organisations.campaign": lambda w: w.campaign.pk,
    "organisations.unit": lambda w: w.unit.pk,
    "axes.accessattempt": lambda w: 1,
    "axes.accesslog": lambda w: 1,
    "axes.accessfailurelog": lambda w: 1,
    # An unconfirmed device, so the owner is never asked for a code in the other cells.
    "otp_totp.totpdevice": lambda w: _totp_device(w).pk,
}
# django-otp's device admin adds a config page and a QR code page per device.
ADMIN_VIEWS = ("changelist", "add", "history", "delete", "change", "config", "qrcode")


def _totp_device(w: World):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.get_or_create(
        user=w.owner, name="isolation", defaults={"confirmed": False}
    )[0]


ADMIN_POST = {"post": "yes", "text": "overwritten", "is_staff": "on", "is_superuser": "on"}

# --- Transcripts: a project of the organisation with a canary in its transcript ------------


def _transcripts(w: World):
    """The organisation's transcript project, one document and one segment (made once)."""
    if getattr(w, "_transcripts", None) is None:
        from mango.qualitative.models import Document, Project, Segment
        from mango.research.models import Codebook

        codebook = Codebook.objects.get(slug="mangomoment-model")
        coder = make_user("isolation-transcriber", "researcher", w.org)
        project = Project.objects.create(name="Isolation", organisation=w.org, codebook=codebook)
        uid = uuid.uuid4().hex
        w.secrets.append(uid)
        document = Document.objects.create(
            project=project, title="Interview", text=f"P1: {MARK}-{uid} een mango {w.search_word}"
        )
        segment = Segment.objects.create(
            document=document, code=codebook.codes.first(), start=4, end=20, coder=coder
        )
        w._transcripts = (project, document, segment)
    return w._transcripts


def _transcript(name: str, expect: dict, target="project", method="GET", data=None, **kwargs):
    def build(w: World):
        project, document, segment = _transcripts(w)
        pk = {"project": project, "document": document, "segment": segment}[target].pk
        extra = {k: v(project) if callable(v) else v for k, v in kwargs.items()}
        return [
            Variant(
                f"{method} {name}",
                url(name, pk=pk, **extra),
                expect,
                method=method,
                data=data and (lambda: dict(data)),
            )
        ]

    return build


def _transcript_upload(w: World) -> dict:
    body = f"P2: een verhaal dat nooit binnen mag komen {w.search_word}"
    return {
        "action": "upload",
        "kind": "interview",
        "file": SimpleUploadedFile("x.txt", body.encode(), content_type="text/plain"),
    }


TRANSCRIPT_READERS = staff(outsider=403, loner=403, member=403, researcher=200)
# A project of the organisation: outsiders 404, members of it without the right 403.
ONE_PROJECT = ONE_STORY

SPECS |= {
    "transcripts:projects": lambda w: [
        Variant("list", url("transcripts:projects"), TRANSCRIPT_READERS),
        Variant(
            "POST a project in the organisation",
            url("transcripts:projects"),
            staff(outsider=403, loner=403, member=403, researcher=400),
            method="POST",
            data=lambda: {
                "name": "Stolen",
                "organisation": w.org.pk,
                "codebook": "mangomoment-model",
            },
        ),
    ],
    "transcripts:import": lambda w: [
        Variant("form", url("transcripts:import"), TRANSCRIPT_READERS),
        Variant(
            "POST a project into the organisation",
            url("transcripts:import"),
            staff(outsider=403, loner=403, member=403, researcher=400),
            method="POST",
            data=lambda: {
                "action": "qdpx",
                "qdpx-organisation": w.org.pk,
                "qdpx-file": SimpleUploadedFile("p.qdpx", b"PK"),
            },
        ),
    ],
    "transcripts:project": lambda w: [
        *_transcript("transcripts:project", ONE_PROJECT)(w),
        Variant(
            "POST a transcript",
            url("transcripts:project", pk=_transcripts(w)[0].pk),
            ONE_PROJECT,
            method="POST",
            data=lambda: _transcript_upload(w),
        ),
        *_transcript(
            "transcripts:project",
            ONE_PROJECT,
            method="POST",
            data={"action": "participant", "p-label": "P9"},
        )(w),
    ],
    "transcripts:document": lambda w: [
        *_transcript("transcripts:document", ONE_PROJECT, target="document")(w),
        *_transcript(
            "transcripts:document",
            ONE_PROJECT,
            target="document",
            method="POST",
            data={"start": 0, "end": 3, "code": 1},
        )(w),
    ],
    "transcripts:segment_delete": _transcript(
        "transcripts:segment_delete", ONE_PROJECT, target="segment", method="POST", data={}
    ),
    "transcripts:code": _transcript(
        "transcripts:code", ONE_PROJECT, code_pk=lambda p: p.codebook.codes.first().pk
    ),
    "transcripts:cooccurrence": _transcript("transcripts:cooccurrence", ONE_PROJECT),
    "transcripts:agreement": _transcript("transcripts:agreement", ONE_PROJECT),
    "transcripts:export_qdpx": _transcript("transcripts:export_qdpx", ONE_PROJECT),
    "transcripts:export_qdc": _transcript("transcripts:export_qdc", ONE_PROJECT),
}

SPECS |= {
    "admin:index": _public("admin:index", ADMIN_LOGIN),
    # The sign-in form itself answers everyone; it shows no data.
    "admin:login": _public("admin:login"),
    "admin:password_change": _public("admin:password_change", ADMIN_LOGIN),
    "admin:password_change_done": _public("admin:password_change_done", ADMIN_LOGIN),
    "admin:autocomplete": _literal(
        lambda w: (
            url("admin:autocomplete")
            + "?app_label=stories&model_name=story&field_name=organisation&term=a"
        ),
        ADMIN_ONLY,
    ),
    "admin:jsi18n": _public("admin:jsi18n", ADMIN_LOGIN),
    "admin:view_on_site": lambda w: [
        Variant(
            "view on site",
            url(
                "admin:view_on_site",
                content_type_id=ContentType.objects.get_for_model(Story).pk,
                object_id=w.pending.pk,
            ),
            ADMIN_ONLY,
        )
    ],
    "admin:app_list": _public("admin:app_list", ADMIN_LOGIN, app_label="stories"),
    "admin:auth_user_password_change": _public(
        "admin:auth_user_password_change", ADMIN_LOGIN, id=lambda w: w.owner.pk
    ),
    "admin/(?P<url>.*)$": _literal(lambda w: f"/admin/stories/nothing/{w.pending.pk}/", ADMIN_ONLY),
}


def _admin_logout(w: World):
    # Django's admin sends those who may not use it from its sign-out page to its index.
    e = everyone(ADMIN_HOME)
    return [
        Variant("GET", url("admin:logout"), e),
        Variant("POST", url("admin:logout"), e, method="POST", data=dict),
    ]


SPECS["admin:logout"] = _admin_logout

_MODEL_PAGE = re.compile(r"^admin:(?P<app>[a-z_]+?)_(?P<model>[a-z]+)_(?P<view>[a-z]+)$")
_MODEL_REDIRECT = re.compile(r"^admin/(?P<app>\w+)/(?P<model>\w+)/<path:object_id>/$")


def _registered_models() -> dict[str, type]:
    return {m._meta.label_lower: m for m in admin.site._registry}


def _admin_model_spec(route: Route):
    """Variants for a page the admin generates for a registered model, or None."""
    models = _registered_models()
    match = _MODEL_PAGE.match(route.key) if route.name else None
    if match and match["view"] in ADMIN_VIEWS:
        label = f"{match['app']}.{match['model']}"
        if label not in models or label not in ADMIN_TARGETS:
            return None
        view = match["view"]
        name = route.name

        def build(w: World):
            key = "pk" if view in ("config", "qrcode") else "object_id"  # django-otp names it pk
            kwargs = {} if view in ("changelist", "add") else {key: ADMIN_TARGETS[label](w)}
            target = url(name, **kwargs)
            variants = [Variant(view, target, ADMIN_ONLY)]
            if view == "changelist":
                variants.append(Variant("search", url(name, {"q": w.search_word}), ADMIN_ONLY))
            if view in ("add", "change", "delete"):
                variants.append(
                    Variant(
                        f"POST {view}",
                        target,
                        ADMIN_ONLY,
                        method="POST",
                        data=lambda: dict(ADMIN_POST),
                    )
                )
            return variants

        return build
    match = _MODEL_REDIRECT.match(route.route) if not route.name else None
    if match:
        label = f"{match['app']}.{match['model']}"
        if label in models and label in ADMIN_TARGETS:
            return lambda w: [
                Variant(
                    "object",
                    f"/admin/{match['app']}/{match['model']}/{ADMIN_TARGETS[label](w)}/",
                    ADMIN_ONLY,
                )
            ]
    return None


def spec_for(route: Route):
    return SPECS.get(route.key) or _admin_model_spec(route)


# --- Asking -----------------------------------------------------------------------------------


def clients(w: World) -> dict[str, Client]:
    out = {}
    for name, user in w.users.items():
        client = Client()
        if user is not None:
            client.force_login(user)
        out[name] = client
    return out


def snapshot(w: World):
    """What no non-owner's request may change."""
    return (
        list(Story.objects.order_by("pk").values()),
        list(Membership.objects.order_by("pk").values()),
        list(
            get_user_model()
            .objects.order_by("pk")
            .values("pk", "username", "password", "is_staff", "is_superuser", "is_active")
        ),
        list(ApiToken.objects.order_by("pk").values("pk", "user_id", "key_hash")),
        list(AuditEvent.objects.filter(organisation=w.org).values_list("pk", flat=True)),
        list(Unit.objects.order_by("pk").values()),
    )


def body_of(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def send(client: Client, variant: Variant, token: str | None):
    headers = dict(variant.headers)
    if variant.api and token:
        headers["Authorization"] = f"Bearer {token}"
    if variant.method == "GET":
        return client.get(variant.url, headers=headers)
    data = variant.data() if variant.data else {}
    return client.post(variant.url, data, headers=headers)


def problems(response, expected, forbidden: list[str], echoes=()) -> list[str]:
    """Everything wrong with one answer, as readable lines (empty when all is well)."""
    found = []
    status = response.status_code
    location = response.headers.get("Location", "")
    if status >= 500:
        found.append(f"server error {status}")
    elif expected == LOGIN:
        if status != 302 or not location.startswith(url("login")):
            found.append(f"expected a redirect to sign in, got {status} {location}")
    elif expected == ADMIN_LOGIN:
        if status != 302 or not location.startswith(url("admin:login")):
            found.append(f"expected a redirect to the admin sign-in, got {status} {location}")
    elif expected == ADMIN_HOME:
        if status != 302 or location != url("admin:index"):
            found.append(f"expected a redirect to the admin index, got {status} {location}")
    elif status != expected:
        found.append(f"expected {expected}, got {status} {location}")
    body = body_of(response)
    headers = "\n".join(f"{k}: {v}" for k, v in response.headers.items())
    for secret in forbidden:
        if secret in echoes:
            continue
        if secret.encode() in body:
            found.append(f"the body holds {secret!r}")
        if secret in headers:
            found.append(f"a header holds {secret!r}")
    return found


def normalised(route: str) -> str:
    return re.sub(r"^[a-z]{2}/", LANG, route) if not route.startswith(("admin/", "api/")) else route


# --- The matrix -------------------------------------------------------------------------------


def test_the_matrix_is_built_from_the_url_configuration():
    keys = {r.key for r in MATRIX}
    assert len(MATRIX) > 20
    assert KNOWN_NAMES <= keys, KNOWN_NAMES - keys
    assert any(r.route.startswith("admin/") for r in MATRIX)
    assert any(r.route.startswith("posters/") for r in MATRIX)
    # Admin pages of the story model are in, found through the included admin URLconf.
    assert {"admin:stories_story_change", "admin:stories_story_changelist"} <= keys


def test_every_url_in_the_matrix_knows_how_to_build_its_arguments():
    unknown = [f"{r.key} ({r.route})" for r in MATRIX if spec_for(r) is None]
    assert not unknown, (
        "URLs the isolation matrix cannot fill; add them to SPECS (or ADMIN_TARGETS) in "
        f"tests/test_isolation.py with what each non-owner should get: {unknown}"
    )


def test_every_url_outside_the_matrix_is_a_known_public_page():
    others = {r.key for r in ROUTES if not in_matrix(r) and swept_by(r.key) is None}
    assert others == PUBLIC_PAGES, (
        f"new: {sorted(others - PUBLIC_PAGES)}; gone: {sorted(PUBLIC_PAGES - others)}. A staff "
        "page belongs under /staff/ (and in the matrix); a public one in PUBLIC_PAGES."
    )


def test_every_route_outside_the_matrix_is_swept_by_its_apps_own_test():
    """Each app's sweep names every route of that app (and, built from the app's URL list,
    fails on a new one)."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    missing = []
    for route in ROUTES:
        app = swept_by(route.key)
        if app is None or in_matrix(route):
            continue
        sweep = root / SWEPT_ELSEWHERE[app][0]
        text = sweep.read_text() if sweep.is_file() else ""
        short = route.key.split(":")[-1]  # a sweep may key its table by the bare name
        if f'"{route.key}"' not in text and f'"{short}"' not in text:
            missing.append(f"{route.key} (in {SWEPT_ELSEWHERE[app][0]})")
    assert missing == []


def test_the_matrix_recognises_an_unknown_staff_route():
    new = Route(
        key="staff:story_export",
        route=f"{LANG}staff/stories/<int:pk>/export/",
        name="staff:story_export",
    )
    assert in_matrix(new) and spec_for(new) is None


@pytest.mark.parametrize("route", MATRIX, ids=[r.key for r in MATRIX])
def test_no_non_owner_gets_another_organisations_stories(route, world):
    spec = spec_for(route)
    if spec is None:
        pytest.fail(f"{route.key} ({route.route}) is not in the isolation matrix")
    variants = spec(world)
    assert variants
    users = clients(world)
    failures = []
    before = snapshot(world)
    for variant in variants:
        path = urlsplit(variant.url).path
        assert normalised(resolve(path).route) == route.route, (variant.url, route.route)
        for user in USERS:
            response = send(users[user], variant, world.tokens[user])
            for problem in problems(
                response, variant.expect[user], world.forbidden(user, route.key), variant.echoes
            ):
                failures.append(
                    f"{variant.method} {variant.url} [{variant.label}] as {user}: {problem}"
                )
            after = snapshot(world)
            if after != before:
                failures.append(f"{variant.method} {variant.url} as {user} changed the data")
                before = after
    assert not failures, "\n".join(failures)


def test_the_matrix_has_hundreds_of_cells(world):
    cells = sum(len(spec_for(r)(world)) for r in MATRIX) * len(USERS)
    assert cells > 300


# --- Positive controls: the same checks do fail on data the user may read ---------------------


def test_the_owner_reads_the_stories_so_the_checks_can_fail(world):
    client = Client()
    client.force_login(world.owner)
    token = ApiToken.issue(world.owner)[1]
    bearer = {"Authorization": f"Bearer {token}"}
    pending = world.pending
    pages = {
        "list": client.get(url("staff:stories")),
        "detail": client.get(url("staff:story", pk=pending.pk)),
        "moderate": client.get(url("staff:moderate", pk=pending.pk)),
        "audit": client.get(url("staff:audit")),
        "api list": client.get(url("api:list_stories"), headers=bearer),
        "api detail": client.get(url("api:story", story_id=pending.pk), headers=bearer),
    }
    for label, response in pages.items():
        assert response.status_code == 200, label
        assert MARK.encode() in response.content, label
        leaks = problems(response, 200, world.forbidden("outsider", "staff:stories"))
        assert any(MARK in p for p in leaks), label
    assert pending.text.encode() in pages["detail"].content
    assert pending.text_redacted.encode() in pages["detail"].content
    assert pending.text in pages["api detail"].json()["text"]
    # The API never returns contact details or receipts, not even to the owner.
    for label in ("api list", "api detail"):
        for secret in (pending.contact_email, pending.contact_name, pending.receipt):
            assert secret.encode() not in pages[label].content, (label, secret)
    # A manager may not read the story whose teller did not consent to sharing.
    assert client.get(url("staff:story", pk=world.research_only.pk)).status_code == 403


@pytest.mark.parametrize("user", ["outsider", "researcher"])
def test_readers_elsewhere_see_their_own_organisations_story_on_the_same_pages(user, world):
    client = Client()
    client.force_login(world.users[user])
    own = world.own.text[:40].encode()
    assert own in client.get(url("staff:stories")).content
    token = world.tokens[user]
    listed = client.get(url("api:list_stories"), headers={"Authorization": f"Bearer {token}"})
    assert [item["id"] for item in listed.json()["items"]] == [world.own.pk]


def test_a_team_member_reads_the_shared_story_only_de_identified(world):
    client = Client()
    client.force_login(world.users["member"])
    page = client.get(url("staff:shared"))
    assert page.status_code == 200
    assert world.shared_redacted.encode() in page.content
    assert not problems(page, 200, world.forbidden("member", "staff:shared"))
