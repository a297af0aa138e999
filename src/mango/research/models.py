"""The research workbench: codebooks, coding rounds, each coder's codings and the final codes.

A coder's codings are never overwritten by adjudication: ``Coding`` keeps what every coder
decided, ``FinalCode`` (with one ``Decision`` per story and codebook) is what analysis uses.
Other apps read final codes through ``mango.research.finals``, not these tables directly.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# Codebooks and codes are written in English (``name``, ``label``, ``definition``: the base text
# that REFI-QDA exchange and exports use) and carry their own Dutch and French text beside it.
TRANSLATED_LANGUAGES = ("nl", "fr")
CODEBOOK_TEXTS = ("name", "description")
CODE_TEXTS = ("label", "definition")


def in_language(obj, field: str, language: str | None = None) -> str:
    """``obj.<field>`` in ``language`` (default: the active one), falling back to English, the
    base text. A blank translation falls back too, so a new code shows before it is translated."""
    language = (language or get_language() or "en").split("-")[0].lower()
    if language in TRANSLATED_LANGUAGES:
        value = getattr(obj, f"{field}_{language}", "")
        if value:
            return value
    return getattr(obj, field)


def translation_fields(texts) -> list[str]:
    return [f"{field}_{lang}" for field in texts for lang in TRANSLATED_LANGUAGES]


class Codebook(models.Model):
    """A versioned, hierarchical set of codes. Editing it bumps ``version`` and stores a
    snapshot (``CodebookVersion``), so a round can say which version its coders saw."""

    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_nl = models.CharField(_("name (Dutch)"), max_length=200, blank=True)
    name_fr = models.CharField(_("name (French)"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_nl = models.TextField(_("description (Dutch)"), blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    multiple = models.BooleanField(
        _("several codes per story"),
        default=False,
        help_text=_("A story may take several codes (multi-label); otherwise exactly one."),
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("codebook")
        verbose_name_plural = _("codebooks")

    def __str__(self):
        return self.name

    def name_in(self, language: str | None = None) -> str:
        return in_language(self, "name", language)

    def description_in(self, language: str | None = None) -> str:
        return in_language(self, "description", language)

    @property
    def local_name(self) -> str:
        """The name in the active language (templates: ``{{ codebook.local_name }}``)."""
        return self.name_in()

    @property
    def local_description(self) -> str:
        return self.description_in()

    def snapshot(self) -> dict:
        """The codebook and its codes as plain data (what a version stores)."""
        return {
            "slug": self.slug,
            "name": self.name,
            "description": self.description,
            **{f: getattr(self, f) for f in translation_fields(CODEBOOK_TEXTS)},
            "multiple": self.multiple,
            "version": self.version,
            "codes": [
                {
                    "key": c.key,
                    "label": c.label,
                    "parent": c.parent.key if c.parent_id else None,
                    "definition": c.definition,
                    "inclusion": c.inclusion,
                    "exclusion": c.exclusion,
                    "examples": c.examples,
                    **{f: getattr(c, f) for f in translation_fields(CODE_TEXTS)},
                    "order": c.order,
                    "hotkey": c.hotkey,
                    "active": c.active,
                }
                for c in self.codes.select_related("parent").order_by("order", "key")
            ],
        }


class CodebookVersion(models.Model):
    codebook = models.ForeignKey(Codebook, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField(_("version"))
    snapshot = models.JSONField(default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["codebook", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["codebook", "version"], name="one_snapshot_per_version")
        ]
        verbose_name = _("codebook version")
        verbose_name_plural = _("codebook versions")

    def __str__(self):
        return f"{self.codebook.slug} v{self.version}"


class Code(models.Model):
    """One code. ``parent`` builds the hierarchy; a code with children groups them and may be
    applied itself. Codes in use are retired (``active=False``), never deleted."""

    codebook = models.ForeignKey(Codebook, on_delete=models.CASCADE, related_name="codes")
    key = models.SlugField(_("key"), max_length=60)
    label = models.CharField(_("label"), max_length=200)
    label_nl = models.CharField(_("label (Dutch)"), max_length=200, blank=True)
    label_fr = models.CharField(_("label (French)"), max_length=200, blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent code"),
    )
    definition = models.TextField(_("definition"), blank=True)
    definition_nl = models.TextField(_("definition (Dutch)"), blank=True)
    definition_fr = models.TextField(_("definition (French)"), blank=True)
    inclusion = models.TextField(_("include when"), blank=True)
    exclusion = models.TextField(_("exclude when"), blank=True)
    examples = models.TextField(_("examples"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    hotkey = models.CharField(_("key on the keyboard"), max_length=1, blank=True)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["codebook", "order", "key"]
        constraints = [
            models.UniqueConstraint(fields=["codebook", "key"], name="code_key_per_codebook")
        ]
        verbose_name = _("code")
        verbose_name_plural = _("codes")

    def __str__(self):
        return f"{self.codebook.slug}:{self.key}"

    def label_in(self, language: str | None = None) -> str:
        """The label in ``language`` (default: the active one), else in English."""
        return in_language(self, "label", language)

    def definition_in(self, language: str | None = None) -> str:
        return in_language(self, "definition", language)

    @property
    def local_label(self) -> str:
        """The label in the active language: what every page shows (``{{ code.local_label }}``
        or ``{{ code|code_label }}``); ``label`` stays the English base text."""
        return self.label_in()

    @property
    def local_definition(self) -> str:
        return self.definition_in()

    @property
    def depth(self) -> int:
        depth, node = 0, self
        while node.parent_id is not None and depth < 10:
            node, depth = node.parent, depth + 1
        return depth


ROUND_STATUS_CHOICES = [("open", _("Open")), ("closed", _("Closed"))]


class CodingRound(models.Model):
    """A set of stories coded with one codebook by some coders, each story by
    ``coders_per_story`` of them. Blind while open: coders see only their own codes."""

    name = models.CharField(_("name"), max_length=200)
    codebook = models.ForeignKey(Codebook, on_delete=models.PROTECT, related_name="rounds")
    codebook_version = models.PositiveIntegerField(_("codebook version"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ROUND_STATUS_CHOICES, default="open"
    )
    coders_per_story = models.PositiveSmallIntegerField(_("coders per story"), default=2)
    show_suggestions = models.BooleanField(
        _("show the classifier's suggestions"),
        default=False,
        help_text=_("Coders see the suggested codes; off for unbiased reliability figures."),
    )
    # Empty: network-wide (like a network-wide campaign); only network-wide researchers and
    # administrators see such a round.
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coding_rounds",
        verbose_name=_("organisation"),
    )
    # The filter and sample the stories were drawn with, for the methods section.
    selection = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("coding round")
        verbose_name_plural = _("coding rounds")

    def __str__(self):
        return self.name

    @property
    def is_open(self) -> bool:
        return self.status == "open"


class RoundCoder(models.Model):
    round = models.ForeignKey(CodingRound, on_delete=models.CASCADE, related_name="round_coders")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="round_coders"
    )

    class Meta:
        ordering = ["round", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["round", "user"], name="coder_once_per_round")
        ]

    def __str__(self):
        return f"{self.round_id}:{self.user_id}"


class Assignment(models.Model):
    """A story to be coded by one coder in a round. The coder screen walks assignments by
    ``priority`` (highest first, empty last; the classifier may set it to put uncertain
    stories first), then ``position`` (the round's shuffled order)."""

    round = models.ForeignKey(CodingRound, on_delete=models.CASCADE, related_name="assignments")
    story = models.ForeignKey(
        "stories.Story", on_delete=models.CASCADE, related_name="coding_assignments"
    )
    coder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="coding_assignments"
    )
    position = models.PositiveIntegerField(default=0)
    priority = models.FloatField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["round", "coder", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "story", "coder"], name="one_assignment_per_coder_story"
            )
        ]
        indexes = [
            models.Index(fields=["round", "coder", "position"]),
            # The coder screen's queue order, and its progress count, without table lookups.
            models.Index(
                fields=["round", "coder", "priority", "position", "id"], name="assignment_queue"
            ),
            models.Index(fields=["round", "coder", "done_at"], name="assignment_progress"),
        ]

    def __str__(self):
        return f"{self.round_id}:{self.story_id}:{self.coder_id}"


class Coding(models.Model):
    """A coder's code on a story in a round: one row per coder, story and code. A missing
    row means the code is absent (once the assignment is done) or not coded yet."""

    round = models.ForeignKey(CodingRound, on_delete=models.CASCADE, related_name="codings")
    story = models.ForeignKey("stories.Story", on_delete=models.CASCADE, related_name="codings")
    coder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="codings"
    )
    code = models.ForeignKey(Code, on_delete=models.PROTECT, related_name="codings")
    value = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["round", "story", "coder", "code"], name="one_coding_per_code"
            )
        ]
        indexes = [models.Index(fields=["round", "story"])]

    def __str__(self):
        return f"{self.round_id}:{self.story_id}:{self.coder_id}:{self.code_id}"


DECISION_METHOD_CHOICES = [("agreed", _("Coders agreed")), ("adjudicated", _("Adjudicated"))]


class Decision(models.Model):
    """That a story's final coding in a codebook is settled (even with no code present, which
    FinalCode rows alone could not say). One per story and codebook; the latest wins."""

    story = models.ForeignKey("stories.Story", on_delete=models.CASCADE, related_name="decisions")
    codebook = models.ForeignKey(Codebook, on_delete=models.CASCADE, related_name="decisions")
    round = models.ForeignKey(
        CodingRound, on_delete=models.SET_NULL, null=True, blank=True, related_name="decisions"
    )
    method = models.CharField(max_length=12, choices=DECISION_METHOD_CHOICES)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    comment = models.TextField(_("comment"), blank=True)
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["story", "codebook"], name="one_decision_per_story")
        ]

    def __str__(self):
        return f"{self.codebook_id}:{self.story_id}"


class FinalCode(models.Model):
    """A code present in a story's final coding (agreed by the coders or adjudicated). For a
    single-code codebook exactly one row per decided story."""

    story = models.ForeignKey("stories.Story", on_delete=models.CASCADE, related_name="final_codes")
    code = models.ForeignKey(Code, on_delete=models.PROTECT, related_name="final_codes")
    round = models.ForeignKey(
        CodingRound, on_delete=models.SET_NULL, null=True, blank=True, related_name="final_codes"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    comment = models.TextField(_("comment"), blank=True)
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["story", "code"], name="one_final_code_per_story")
        ]
        indexes = [models.Index(fields=["code", "story"])]
        verbose_name = _("final code")
        verbose_name_plural = _("final codes")

    def __str__(self):
        return f"{self.story_id}:{self.code_id}"
