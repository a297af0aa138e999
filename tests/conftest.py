"""Shared fixtures: two organisations and users in every role, the owner/member/outsider trio."""

import gc
import sys

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import translation
from huey.contrib.djhuey import HUEY

from mango.accounts.models import Membership
from mango.organisations.models import Campaign, Organisation, Unit
from mango.stories.models import Story

# Jobs run in the test process, at once, on huey's in-memory storage: what the queue does
# with them (retries, a worker process) is huey's business; what they do is ours to test.
HUEY.immediate = True


_gc_frozen = False


def _freeze_gc_once_deduce_is_loaded():
    """Once deduce is loaded in this process, keep its lookup structures (millions of objects
    that live as long as the process) out of the cyclic garbage collector: with them tracked,
    every gc.collect() (statsmodels' multipletests and hypothesis call it) took 5-10 s."""
    global _gc_frozen
    if not _gc_frozen and "deduce" in sys.modules:
        gc.collect()
        gc.freeze()
        _gc_frozen = True


def pytest_runtest_teardown(item, nextitem):
    _freeze_gc_once_deduce_is_loaded()


# Whole modules that also run on PostgreSQL (`make test-postgres` runs `-m postgres` only),
# marked here rather than with their own `pytestmark`: the API and its raw bodies, text
# handling under fuzz (unicode, control characters, emoji), the staff search (case-insensitive)
# and consent withdrawal and erasure (row locks). Other tests opt in with
# `@pytest.mark.postgres` or a module's pytestmark.
POSTGRES_MODULES = {
    "test_api.py",
    "test_fuzz_intake.py",
    "test_view_staff.py",
    "test_view_teller.py",
}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.path.name in POSTGRES_MODULES:
            item.add_marker(pytest.mark.postgres)


@pytest.fixture(scope="session")
def deduce_loaded():
    """deduce loaded in this process (5-15 s, once): for tests whose time limits should not
    include it, such as a browser waiting for a submission that de-identifies."""
    from mango.lib import deid

    deid.warm_up()
    _freeze_gc_once_deduce_is_loaded()


@pytest.fixture(autouse=True)
def _default_language():
    # A request through LocaleMiddleware leaves its language active in the thread; without a
    # reset, a later test's reverse() would build /en/ URLs depending on test order.
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _shipped_codebooks(request):
    """The codebooks a data migration ships: a browser test's live server flushes every table
    when it ends, so tests after it would find them gone. Put back when missing."""
    if request.node.get_closest_marker("django_db") is None and not (
        {"db", "transactional_db", "live_server"} & set(request.fixturenames)
    ):
        return
    request.getfixturevalue("db" if "live_server" not in request.fixturenames else "live_server")
    from mango.research.models import Code, Codebook, CodebookVersion
    from mango.research.shipped import SHIPPED, load

    if Codebook.objects.filter(slug__in=SHIPPED).count() < len(SHIPPED):
        load(Codebook, Code, CodebookVersion)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Argon2 is deliberately slow; tests that create users would spend most of their time on
    # it. test_password_hashing_uses_argon2 checks the real setting.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def org(db):
    return Organisation.objects.create(name="AZ Testziekenhuis", slug="az-test", kind="hospital")


@pytest.fixture
def other_org(db):
    return Organisation.objects.create(name="WZC Elders", slug="wzc-elders", kind="residential")


@pytest.fixture
def unit(org):
    return Unit.objects.create(organisation=org, name="Oncologie", slug="onco", oncological=True)


@pytest.fixture
def campaign(org, other_org):
    from datetime import date

    c = Campaign.objects.create(name="Campagne", slug="campagne", opens_on=date(2020, 1, 1))
    c.organisations.set([org, other_org])
    return c


def make_user(username, role=None, organisation=None, **extra):
    user = get_user_model().objects.create_user(username=username, password="pw-for-tests", **extra)
    if role:
        Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


@pytest.fixture
def manager(org):
    """The owner: manages the organisation the stories belong to."""
    return make_user("manager", "manager", org)


@pytest.fixture
def member(org):
    """A member of the same organisation without the right to read raw stories."""
    return make_user("member", "team_member", org)


@pytest.fixture
def outsider(other_org):
    """A manager of another organisation."""
    return make_user("outsider", "manager", other_org)


@pytest.fixture
def researcher(db):
    return make_user("researcher", "researcher", None)


@pytest.fixture
def admin_user(db):
    return make_user("admin", is_superuser=True, is_staff=True)


def story_values(**fields) -> dict:
    """A valid story's fields as the form stores them; ``fields`` override any."""
    values = {
        "text": "De verpleegkundige bracht me een mango toen ik daar zo naar verlangde.",
        "language": "nl",
        "teller_role": "patient",
        "setting": "hospital",
        "oncological": "no",
        "happened": "month",
        "gesture_by": "nurse",
        "consent_research": True,
        "consent_sharing": True,
    }
    values.update(fields)
    return values


def new_story(organisation=None, **fields) -> Story:
    """An unsaved story (for ``make_stories``)."""
    values = story_values(**fields)
    # Stories made here skip de-identification (tests of that step make their own): the
    # "redacted" text is the text itself unless a test says otherwise.
    values.setdefault("text_redacted", values["text"])
    values.setdefault("status", "deidentified")
    return Story(organisation=organisation, **values)


def make_stories(stories: list[Story]) -> list[Story]:
    """Store stories in one go and count them in the analysis tables once, as a lifecycle
    step would."""
    from mango.analysis import facts

    Story.objects.bulk_create(stories)
    facts.update(story.pk for story in stories)
    return stories


def make_story(organisation=None, **fields) -> Story:
    return make_stories([new_story(organisation, **fields)])[0]


@pytest.fixture
def story(org):
    return make_story(org)


class Mailbox:
    """What a real SMTP server received: parsed messages, in order of arrival."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        from email import message_from_bytes, policy

        message = message_from_bytes(envelope.original_content, policy=policy.default)
        message.envelope_to = list(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list:
        return [m for m in self.messages if address in m.envelope_to]

    @staticmethod
    def text(message) -> str:
        return message.get_body(preferencelist=("plain",)).get_content()

    @staticmethod
    def html(message) -> str:
        return message.get_body(preferencelist=("html",)).get_content()


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server (aiosmtpd) on a free local port; Django sends to it over SMTP for
    the test's duration. Yields the Mailbox."""
    import socket

    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield mailbox
    finally:
        controller.stop()
