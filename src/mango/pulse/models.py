"""Measuring the culture: pulse instruments and their answers, the action log, and the
learning network (inspiration modules, reflection sessions).

An answer (``Response`` + ``Answer``) holds no account, address, cookie, device identifier or
time: only the period and the team it counts for, and its language. What the pages show is
read from ``Tally`` (per period, team and item: how many answered each value), kept current in
the same transaction as the answer, and released under the k-anonymity rule of
``mango.lib.anonymity``.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from mango.lib import anonymity

LANGUAGES = ("nl", "fr", "en")

# The levels of the Mangomoment model an item can be tied to: codes of the research codebook
# "mangomoment-model" (preconditions and catalysts; impact).
LEVEL_CHOICES = [
    ("patient_level", _("Patient level: personality and openness")),
    ("professional_level", _("Professional level: room for gestures")),
    ("leadership_level", _("Leadership level: support for person-centred care")),
    ("impact_patients", _("Impact on patients and family")),
    ("impact_professionals", _("Impact on professionals")),
    ("positive_resonance", _("Positive resonance")),
    ("impact_organisation", _("Impact on the organisation")),
]

ITEM_KINDS = [
    ("scale", _("Scale")),
    ("text", _("Free text")),
]

ACTION_KINDS = [
    ("workshop", _("Workshop")),
    ("module", _("Inspiration module")),
    ("team_meeting", _("Team meeting")),
    ("video", _("Video moment")),
    ("other", _("Other")),
]

PDSA_STAGES = [
    ("plan", _("Plan")),
    ("do", _("Do")),
    ("study", _("Study")),
    ("act", _("Act")),
]


def in_language(texts: dict, language: str | None = None) -> str:
    """The text in the language asked for (or the current one), else Dutch, English, French."""
    language = (language or get_language() or "nl")[:2]
    texts = texts or {}
    for lang in (language, "nl", "en", "fr"):
        if texts.get(lang):
            return texts[lang]
    return ""


class Instrument(models.Model):
    """A set of items asked together. Mango ships the Mangomoment pulse (no organisation);
    an organisation adds its own, naming who holds the rights to the items."""

    slug = models.SlugField(_("slug"), unique=True)
    names = models.JSONField(_("name"), default=dict, help_text=_("Per language: nl, fr, en."))
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="pulse_instruments",
        help_text=_("Empty: shipped with Mango, for every organisation."),
    )
    rights_holder = models.CharField(_("rights holder"), max_length=200)
    licence_note = models.TextField(
        _("licence"), blank=True, help_text=_("Under which terms the items may be used.")
    )
    shipped = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-shipped", "slug"]
        verbose_name = _("pulse instrument")
        verbose_name_plural = _("pulse instruments")

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return in_language(self.names)


class Item(models.Model):
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="items")
    key = models.SlugField(_("key"), max_length=40)
    order = models.PositiveIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=10, choices=ITEM_KINDS, default="scale")
    texts = models.JSONField(_("question"), default=dict)
    short_labels = models.JSONField(
        _("short name"), default=dict, blank=True, help_text=_("For chart titles, per language.")
    )
    low_labels = models.JSONField(_("label of the lowest value"), default=dict, blank=True)
    high_labels = models.JSONField(_("label of the highest value"), default=dict, blank=True)
    scale_min = models.SmallIntegerField(_("lowest value"), default=1)
    scale_max = models.SmallIntegerField(_("highest value"), default=5)
    favourable_from = models.SmallIntegerField(
        _("favourable from"), default=4, help_text=_("Answers at or above count as favourable.")
    )
    level = models.CharField(
        _("level of the Mangomoment model"), max_length=30, choices=LEVEL_CHOICES
    )
    required = models.BooleanField(_("required"), default=False)

    class Meta:
        ordering = ["instrument", "order", "key"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "key"], name="pulse_item_key"),
        ]
        verbose_name = _("pulse item")
        verbose_name_plural = _("pulse items")

    def __str__(self):
        return self.key

    def clean(self):
        if self.kind == "scale" and not (
            self.scale_min < self.scale_max
            and self.scale_min <= self.favourable_from
            and self.favourable_from <= self.scale_max
        ):
            raise ValidationError(
                _("The scale needs lowest < highest, and 'favourable from' between them.")
            )

    def text(self, language=None) -> str:
        return in_language(self.texts, language)

    def short(self, language=None) -> str:
        return in_language(self.short_labels, language) or self.text(language)

    def values(self) -> range:
        return range(self.scale_min, self.scale_max + 1)


class PulseSettings(models.Model):
    """An organisation's choices for its pulse results and the network dashboard."""

    organisation = models.OneToOneField(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="pulse_settings"
    )
    k = models.PositiveSmallIntegerField(
        _("smallest group shown"),
        default=anonymity.DEFAULT_K,
        help_text=_("Results of a team appear only when at least this many answered (3 or more)."),
    )
    named_in_network = models.BooleanField(
        _("show our name to the other organisations of the learning network"), default=False
    )

    class Meta:
        verbose_name = _("pulse settings")
        verbose_name_plural = _("pulse settings")

    def __str__(self):
        return f"Pulse settings of organisation #{self.organisation_id}"

    def clean(self):
        if self.k < anonymity.MIN_K:
            raise ValidationError(
                {
                    "k": _("At least %(k)s, so that no one can be recognised.")
                    % {"k": anonymity.MIN_K}
                }
            )


def k_for(organisation_id) -> int:
    k = PulseSettings.objects.filter(organisation_id=organisation_id).values_list("k", flat=True)
    return anonymity.effective_k(k.first())


class Pulse(models.Model):
    """A recurring pulse check: every ``every_weeks`` weeks from ``starts_on``, for some teams."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="pulses"
    )
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="pulses")
    units = models.ManyToManyField(
        "organisations.Unit", related_name="pulses", verbose_name=_("teams")
    )
    every_weeks = models.PositiveSmallIntegerField(_("every how many weeks"), default=4)
    open_days = models.PositiveSmallIntegerField(
        _("open for how many days"), default=14, help_text=_("Each period's answering window.")
    )
    starts_on = models.DateField(_("first period starts on"))
    active = models.BooleanField(_("running"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation", "-starts_on"]
        verbose_name = _("pulse check")
        verbose_name_plural = _("pulse checks")

    def __str__(self):
        return f"{self.instrument.name} / {self.organisation.name}"


class Period(models.Model):
    pulse = models.ForeignKey(Pulse, on_delete=models.CASCADE, related_name="periods")
    number = models.PositiveIntegerField()
    opens_on = models.DateField(db_index=True)
    closes_on = models.DateField()

    class Meta:
        ordering = ["pulse", "number"]
        constraints = [
            models.UniqueConstraint(fields=["pulse", "number"], name="pulse_period_number"),
        ]
        verbose_name = _("pulse period")
        verbose_name_plural = _("pulse periods")

    def __str__(self):
        return f"{self.opens_on:%Y-%m-%d}"

    def is_open(self, day) -> bool:
        return self.opens_on <= day <= self.closes_on


class Response(models.Model):
    """One person's answers in one period, for one team. Deliberately nothing else: no user,
    no address, no cookie or device id, no time (the period says when)."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="responses")
    unit = models.ForeignKey("organisations.Unit", on_delete=models.CASCADE, related_name="+")
    language = models.CharField(max_length=2)

    class Meta:
        indexes = [models.Index(fields=["unit", "period"])]
        verbose_name = _("pulse response")
        verbose_name_plural = _("pulse responses")

    def __str__(self):
        return f"Pulse response #{self.pk}"


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="answers")
    value = models.SmallIntegerField(null=True, blank=True)
    # Free text: the original waits for de-identification (a background job), which replaces
    # it with the redacted text and empties ``text``.
    text = models.TextField(blank=True)
    text_redacted = models.TextField(blank=True)
    deidentified = models.BooleanField(default=False, db_index=True)

    class Meta:
        verbose_name = _("pulse answer")
        verbose_name_plural = _("pulse answers")

    def __str__(self):
        return f"Pulse answer #{self.pk}"


class Tally(models.Model):
    """Per period, team and scale item: how many answered each value (``counts[i]`` for
    ``scale_min + i``). The pages read these, never the answers one by one."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="tallies")
    unit = models.ForeignKey("organisations.Unit", on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="+")
    opens_on = models.DateField()
    respondents = models.PositiveIntegerField(default=0)  # people who answered in the period
    counts = models.JSONField(default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["period", "unit", "item"], name="pulse_tally_once"),
        ]
        indexes = [
            models.Index(fields=["unit", "opens_on"]),
            models.Index(fields=["organisation", "opens_on"]),
        ]

    def __str__(self):
        return f"Tally of period #{self.period_id}, unit #{self.unit_id}"


class UsedToken(models.Model):
    """Double-submission guard: the hash of a form's one-time token, per period. Not linked to
    any answer, no time stored; removed when the period has closed."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)

    def __str__(self):
        return f"Used token of period #{self.period_id}"


class InspirationModule(models.Model):
    """An online inspiration module of the learning network, kept by the network coordinator."""

    slug = models.SlugField(_("slug"), unique=True)
    titles = models.JSONField(_("title"), default=dict)
    introductions = models.JSONField(_("introduction"), default=dict, blank=True)
    assignments = models.JSONField(_("assignments"), default=dict, blank=True)
    notes_for_use = models.JSONField(
        _("note for use in the organisation"), default=dict, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("inspiration module")
        verbose_name_plural = _("inspiration modules")

    def __str__(self):
        return self.title

    @property
    def title(self) -> str:
        return in_language(self.titles)


def module_file_path(instance, filename):
    return f"{instance.module.slug}/{filename}"


def module_storage():
    """Module files live under the data folder and are served by the app (signed-in users
    only), not from a public media URL."""
    from django.core.files.storage import FileSystemStorage

    return FileSystemStorage(location=settings.DATA_DIR / "pulse-modules")


class ModuleFile(models.Model):
    """A visual or document of a module (a slide deck, a poster, a worksheet)."""

    module = models.ForeignKey(InspirationModule, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(_("file"), upload_to=module_file_path, storage=module_storage)
    language = models.CharField(_("language"), max_length=2, blank=True)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    visual = models.BooleanField(_("visual"), default=False)

    def __str__(self):
        return self.caption or self.file.name


class Action(models.Model):
    """What a team tried, with the preconditions and catalysts it targets and its PDSA stage."""

    unit = models.ForeignKey("organisations.Unit", on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=ACTION_KINDS)
    module = models.ForeignKey(
        InspirationModule,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="uses",
        verbose_name=_("inspiration module"),
    )
    codes = models.ManyToManyField(
        "research.Code", blank=True, related_name="+", verbose_name=_("what it targets")
    )
    pdsa_stage = models.CharField(_("PDSA stage"), max_length=10, choices=PDSA_STAGES)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "pk"]
        indexes = [models.Index(fields=["organisation", "date"])]
        verbose_name = _("action")
        verbose_name_plural = _("actions")

    def __str__(self):
        return self.title


class ReflectionSession(models.Model):
    """A two-monthly reflection session of the learning network."""

    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-date"]
        verbose_name = _("reflection session")
        verbose_name_plural = _("reflection sessions")

    def __str__(self):
        return self.title or f"{self.date}"


class SessionProgress(models.Model):
    """One organisation at a reflection session: attendance, its own assessment of its
    progress, and the notes of its peers."""

    session = models.ForeignKey(ReflectionSession, on_delete=models.CASCADE, related_name="rows")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    attended = models.PositiveSmallIntegerField(_("people present"), default=0)
    progress = models.PositiveSmallIntegerField(
        _("progress (1-5)"), null=True, blank=True, help_text=_("The organisation's own view.")
    )
    self_assessment = models.TextField(_("self-assessment"), blank=True)
    peer_review = models.TextField(_("peer-review notes"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session", "organisation"], name="pulse_session_org_once"
            ),
        ]

    def __str__(self):
        return f"Progress of organisation #{self.organisation_id}"
