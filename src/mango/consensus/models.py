"""Consensus studies: Delphi rounds, nominal groups and consensus meetings.

A ``Study`` holds the question, its ``Section``s and ``Item``s (statements, each optionally
linked to its evidence), the ``Criterion``s items are rated on, the ``Panellist``s (no
accounts: each has a signed, revocable link) and its ``Round``s. A panellist's ``Rating`` is
one score per round, item and criterion (empty: unable to judge, which does not count).

The consensus rule is a spec of ``mango.lib.consensus`` chosen before round 1 opens; opening
round 1 locks it (``rule_locked_at``) and no write may change it afterwards (``actions``).

Texts that panellists read (question, instructions, items, criteria, sections) are kept per
language as ``{"nl": ..., "fr": ..., "en": ...}``; ``localised`` picks one with a fallback.
Live sessions (``LiveSession``) let participants vote from their phones with a room code.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

LANGUAGES = ("nl", "fr", "en")

KIND_CHOICES = [
    ("delphi", _("Delphi")),
    ("nominal", _("Nominal group")),
    ("meeting", _("Consensus meeting")),
]

# The stakeholder groups of the consensus meeting behind the Mangomoment model; a study may
# replace them with its own list (``Study.groups``).
DEFAULT_GROUPS = [
    ("patient", _("Patient")),
    ("family", _("Family member")),
    ("professional", _("Healthcare professional")),
    ("manager", _("Manager")),
    ("researcher", _("Researcher")),
    ("policymaker", _("Policymaker")),
]

ROUND_STATUS = [("draft", _("Not yet open")), ("open", _("Open")), ("closed", _("Closed"))]

DECISION_CHOICES = [
    ("in", _("Accepted")),
    ("out", _("Rejected")),
    ("undecided", _("Undecided")),
]


def localised(texts, language: str | None = None) -> str:
    """The text in ``language`` (default: the active one), else nl, en, fr, else any."""
    if not isinstance(texts, dict):
        return str(texts or "")
    language = (language or translation.get_language() or "nl")[:2]
    for key in (language, "nl", "en", "fr"):
        if texts.get(key):
            return texts[key]
    return next((v for v in texts.values() if v), "")


class Study(models.Model):
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=KIND_CHOICES, default="delphi")
    question = models.JSONField(_("question"), default=dict, blank=True)
    instructions = models.JSONField(_("instructions"), default=dict, blank=True)
    # Empty: network-wide; only network-wide researchers and administrators manage it.
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consensus_studies",
        verbose_name=_("organisation"),
    )
    # [[key, label], ...]; empty: DEFAULT_GROUPS.
    groups = models.JSONField(_("stakeholder groups"), default=list, blank=True)
    feedback_by_group = models.BooleanField(
        _("feedback per stakeholder group"),
        default=False,
        help_text=_("From round 2 on, panellists also see each group's distribution."),
    )
    # The rule spec (``mango.lib.consensus``), fixed before round 1 opens.
    rule = models.JSONField(_("consensus rule"), default=dict, blank=True)
    rule_locked_at = models.DateTimeField(null=True, blank=True)
    rule_locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("consensus study")
        verbose_name_plural = _("consensus studies")

    def __str__(self):
        return self.title

    @property
    def rule_locked(self) -> bool:
        return self.rule_locked_at is not None

    def group_choices(self) -> list[tuple[str, str]]:
        if self.groups:
            return [(str(k), str(v)) for k, v in self.groups]
        return [(k, str(v)) for k, v in DEFAULT_GROUPS]

    def group_label(self, key: str) -> str:
        return dict(self.group_choices()).get(key, key)


class Criterion(models.Model):
    """What items are rated on (importance, feasibility, ...), each with its own scale."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="criteria")
    key = models.SlugField(_("key"), max_length=40)
    label = models.JSONField(_("label"), default=dict)
    scale_min = models.PositiveSmallIntegerField(_("lowest score"), default=1)
    scale_max = models.PositiveSmallIntegerField(_("highest score"), default=9)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["study", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["study", "key"], name="consensus_criterion_key")
        ]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")

    def __str__(self):
        return self.key

    def label_text(self) -> str:
        return localised(self.label) or self.key

    @property
    def scores(self) -> list[int]:
        return list(range(self.scale_min, self.scale_max + 1))


class Section(models.Model):
    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="sections")
    title = models.JSONField(_("title"), default=dict)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["study", "order", "id"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self):
        return localised(self.title)

    def title_text(self) -> str:
        return localised(self.title)


class Item(models.Model):
    """A statement panellists rate. Items proposed by panellists in round 1 keep who proposed
    them (never shown to others); accepted items may become codes of a codebook version."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="items")
    section = models.ForeignKey(
        Section,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="items",
        verbose_name=_("section"),
    )
    key = models.CharField(_("number"), max_length=20)
    text = models.JSONField(_("statement"), default=dict)
    order = models.PositiveIntegerField(_("order"), default=0)
    # Evidence behind the statement.
    stories = models.ManyToManyField("stories.Story", blank=True, related_name="+")
    segments = models.ManyToManyField("qualitative.Segment", blank=True, related_name="+")
    codes = models.ManyToManyField("research.Code", blank=True, related_name="+")
    proposed_by = models.ForeignKey(
        "Panellist", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The round after which the facilitator dropped it (consensus reached or out).
    dropped_after = models.PositiveSmallIntegerField(null=True, blank=True)
    # The code this item became (``actions.items_to_codebook``): the link back.
    became_code = models.ForeignKey(
        "research.Code",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consensus_items",
    )
    became_version = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["study", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["study", "key"], name="consensus_item_key")]
        verbose_name = _("item")
        verbose_name_plural = _("items")

    def __str__(self):
        return f"{self.key} {self.text_text()[:40]}"

    def text_text(self) -> str:
        return localised(self.text)


class Round(models.Model):
    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveSmallIntegerField(_("round"))
    status = models.CharField(_("status"), max_length=10, choices=ROUND_STATUS, default="draft")
    items = models.ManyToManyField(Item, blank=True, related_name="rounds")
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["study", "number"]
        constraints = [
            models.UniqueConstraint(fields=["study", "number"], name="consensus_round_number")
        ]
        verbose_name = _("round")
        verbose_name_plural = _("rounds")

    def __str__(self):
        return f"{self.study} #{self.number}"

    @property
    def is_open(self) -> bool:
        return self.status == "open"


def new_nonce() -> str:
    return secrets.token_urlsafe(12)


class Panellist(models.Model):
    """A panel member without an account. Their link is signed and names ``nonce``: revoking
    it (a new nonce, or ``revoked_at``) makes every earlier link fail."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="panellists")
    name = models.CharField(_("name"), max_length=120, blank=True)
    email = models.EmailField(_("e-mail address"))
    group = models.CharField(_("stakeholder group"), max_length=40)
    language = models.CharField(_("language"), max_length=2, default="nl")
    nonce = models.CharField(max_length=40, default=new_nonce)
    revoked_at = models.DateTimeField(null=True, blank=True)
    invited_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["study", "group", "id"]
        constraints = [
            models.UniqueConstraint(fields=["study", "email"], name="consensus_panellist_email")
        ]
        verbose_name = _("panellist")
        verbose_name_plural = _("panellists")

    def __str__(self):
        return f"P{self.pk}"

    @property
    def forgotten(self) -> bool:
        """Their name and address were erased (``actions.forget_panellist``)."""
        return not self.name and self.email == f"removed-{self.pk}@invalid"

    @property
    def label(self) -> str:
        """What staff pages show: the name, else an anonymous number."""
        return self.name or f"P{self.pk}"


class Rating(models.Model):
    """One score; ``score`` empty means "unable to judge" (counted as answered, not scored)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="ratings")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="ratings")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="ratings")
    panellist = models.ForeignKey(Panellist, on_delete=models.CASCADE, related_name="ratings")
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["round", "item", "criterion", "panellist"], name="consensus_one_rating"
            )
        ]
        indexes = [models.Index(fields=["round", "item"])]

    def __str__(self):
        return (
            f"{self.round_id}/{self.item_id}/{self.criterion_id}/P{self.panellist_id}: {self.score}"
        )


class Comment(models.Model):
    """A panellist's comment on an item in a round; shown to the panel without a name."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="comments")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="comments")
    panellist = models.ForeignKey(Panellist, on_delete=models.CASCADE, related_name="comments")
    text = models.TextField(_("comment"), max_length=2000)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["round", "item", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "item", "panellist"], name="consensus_one_comment"
            )
        ]

    def __str__(self):
        return f"{self.round_id}/{self.item_id}/P{self.panellist_id}"


class Proposal(models.Model):
    """A new statement a panellist proposes (round 1); the facilitator may add it as an item."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="proposals")
    panellist = models.ForeignKey(Panellist, on_delete=models.CASCADE, related_name="proposals")
    text = models.TextField(_("proposed statement"), max_length=1000)
    item = models.ForeignKey(
        Item, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["round", "id"]

    def __str__(self):
        return f"{self.round_id}/P{self.panellist_id}"


class Submission(models.Model):
    """A panellist marked their round as done (they may still change it while it is open)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="submissions")
    panellist = models.ForeignKey(Panellist, on_delete=models.CASCADE, related_name="submissions")
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "panellist"], name="consensus_one_submission")
        ]

    def __str__(self):
        return f"{self.round_id}/P{self.panellist_id}"


# --- live sessions ------------------------------------------------------------------------

LIVE_MODES = [
    ("waiting", _("Waiting")),
    ("rating", _("Rating")),
    ("ranking", _("Top 5")),
    ("closed", _("Closed")),
]


def new_room_code() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
    return "".join(secrets.choice(alphabet) for _ in range(6))


class LiveSession(models.Model):
    """A focus group or consensus meeting in a room: the facilitator's screen shows the item
    being voted on and the live distribution; participants vote with the room code."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="live_sessions")
    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(_("room code"), max_length=8, unique=True, default=new_room_code)
    mode = models.CharField(_("mode"), max_length=10, choices=LIVE_MODES, default="waiting")
    current_item = models.ForeignKey(
        Item, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Each re-vote on an item is a new ballot; the screen shows the latest.
    ballot = models.PositiveSmallIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("live session")
        verbose_name_plural = _("live sessions")

    def __str__(self):
        return self.name


class LiveParticipant(models.Model):
    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="participants")
    token = models.CharField(max_length=40, unique=True, default=new_nonce)
    group = models.CharField(_("stakeholder group"), max_length=40)
    joined_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.session_id}/{self.pk}"


class LiveVote(models.Model):
    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="votes")
    participant = models.ForeignKey(LiveParticipant, on_delete=models.CASCADE, related_name="votes")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="+")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="+")
    ballot = models.PositiveSmallIntegerField(default=1)
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session", "participant", "item", "criterion", "ballot"],
                name="consensus_one_live_vote",
            )
        ]
        indexes = [models.Index(fields=["session", "item", "ballot"])]

    def __str__(self):
        return f"{self.session_id}/{self.item_id}/{self.ballot}: {self.score}"


class LiveRanking(models.Model):
    """A participant's top 5: ``rank`` 1 is their first choice."""

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="rankings")
    participant = models.ForeignKey(
        LiveParticipant, on_delete=models.CASCADE, related_name="rankings"
    )
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session", "participant", "rank"], name="consensus_one_item_per_rank"
            ),
            models.UniqueConstraint(
                fields=["session", "participant", "item"], name="consensus_rank_item_once"
            ),
        ]

    def __str__(self):
        return f"{self.session_id}/{self.participant_id}/{self.rank}: {self.item_id}"


class Decision(models.Model):
    """The meeting's decision on an item and why (one per item and session; the latest
    stands)."""

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="decisions")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="decisions")
    decision = models.CharField(_("decision"), max_length=10, choices=DECISION_CHOICES)
    rationale = models.TextField(_("rationale"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["session", "item__order", "item_id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "item"], name="consensus_one_decision")
        ]

    def __str__(self):
        return f"{self.session_id}/{self.item_id}: {self.decision}"
