from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mango import labels
from mango.lib import vocab
from mango.lib.receipts import new_receipt


class Story(models.Model):
    """One story as told. The text and contact details are personal health data."""

    receipt = models.CharField(max_length=13, unique=True, default=new_receipt, editable=False)
    text = models.TextField(_("story"), max_length=vocab.STORY_MAX_CHARS)
    language = models.CharField(_("language"), max_length=2, choices=labels.LANGUAGE_CHOICES)
    teller_role = models.CharField(_("told by"), max_length=20, choices=labels.TELLER_ROLE_CHOICES)
    setting = models.CharField(_("setting"), max_length=20, choices=labels.SETTING_CHOICES)
    oncological = models.CharField(
        _("oncological care"), max_length=10, choices=labels.ONCOLOGICAL_CHOICES
    )
    happened = models.CharField(_("when"), max_length=10, choices=labels.WHEN_CHOICES)
    gesture_by = models.CharField(_("gesture by"), max_length=20, choices=labels.GESTURE_BY_CHOICES)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stories",
    )
    unit = models.ForeignKey(
        "organisations.Unit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stories",
    )
    campaign = models.ForeignKey(
        "organisations.Campaign",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stories",
    )
    consent_research = models.BooleanField(_("consent for research"), default=False)
    consent_sharing = models.BooleanField(_("consent for sharing with staff"), default=False)
    contact_name = models.CharField(_("contact name"), max_length=120, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    source = models.CharField(max_length=10, choices=labels.SOURCE_CHOICES, default="form")
    status = models.CharField(max_length=15, choices=labels.STATUS_CHOICES, default="received")
    external_id = models.CharField(
        _("id in the source"), max_length=100, blank=True, help_text=_("For imported stories.")
    )
    illustrative = models.BooleanField(
        _("illustrative"), default=False, help_text=_("Written for the demo; not a real story.")
    )
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now, db_index=True)

    # De-identification and moderation. The redacted text is what shared pages show; the
    # original stays in `text` for the roles that need it. `redactions` holds the spans as
    # [{"kind", "start", "end", "replacement", "kept"}] with positions in `text`.
    text_redacted = models.TextField(_("de-identified story"), blank=True)
    redactions = models.JSONField(default=list, blank=True)
    deidentified_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    shareable = models.BooleanField(_("shareable"), null=True)
    review_note = models.TextField(_("reason"), blank=True)
    shared_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    erased_at = models.DateTimeField(null=True, blank=True)
    erasure_requested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "-submitted_at"]),
            models.Index(fields=["campaign", "-submitted_at"]),
        ]
        verbose_name = _("story")
        verbose_name_plural = _("stories")

    def __str__(self):
        # Never the text, nor the receipt (the teller's key, never shown to staff): this string
        # ends up in logs, admin pages and admin history.
        return f"Story #{self.pk}"

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None

    @property
    def is_shared(self) -> bool:
        return self.status == "shared"


class SubmissionKey(models.Model):
    """A story submission that must happen at most once: the form's one-time token, or an API
    client's ``Idempotency-Key``. The unique ``key`` is claimed before the story is stored, so
    a second request with the same key finds the first one's claim (and, once stored, its
    story) instead of storing another. ``story`` is empty while the first request stores it.

    Neither the token nor the key is stored, only a hash of it; the body's hash tells a retry
    (same body) from a reuse of the key for another story. Rows older than a day are dropped.
    """

    key = models.CharField(max_length=64, unique=True)
    fingerprint = models.CharField(max_length=64)
    story = models.ForeignKey(
        Story, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    # The form's thank-you page shows the receipt once: when it did, this is set.
    receipt_shown_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Submission of story #{self.story_id}"
