"""Praise that reaches the person: thank-you notes, their replies, and team digests."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mango import labels as mango_labels

from . import labels


def new_reply_key() -> str:
    return secrets.token_urlsafe(16)


class ThankYouNote(models.Model):
    """A story linked to the staff member it praises; the note is e-mailed to them.

    ``sent_at`` (and ``copy_sent_at`` for the line manager's copy) is set in the transaction
    that claims the note for sending, so a note is sent once; a failed send rolls the claim
    back and the job tries again. The reply link carries ``reply_key``: revoking the link
    changes the key, and every link made before stops working.
    """

    story = models.ForeignKey("stories.Story", on_delete=models.CASCADE, related_name="thank_yous")
    unit = models.ForeignKey(
        "organisations.Unit", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Their account, or an e-mail address for staff without one.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="thank_yous",
    )
    recipient_email = models.EmailField(_("e-mail address"), blank=True)
    recipient_name = models.CharField(_("first name"), max_length=120, blank=True)
    profession = models.CharField(
        _("profession"), max_length=40, blank=True, choices=labels.PROFESSION_CHOICES
    )
    language = models.CharField(
        _("language of the note"), max_length=2, choices=mango_labels.LANGUAGE_CHOICES, default="nl"
    )
    # The organisation's copy_line_manager setting decides whether this address gets a copy.
    line_manager_email = models.EmailField(_("line manager's e-mail address"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True, db_index=True)
    copy_sent_at = models.DateTimeField(null=True, blank=True)
    send_attempts = models.PositiveSmallIntegerField(default=0)
    # The kind of the last failure (an exception's class name), never a message or address.
    last_error = models.CharField(max_length=100, blank=True)
    reply_key = models.CharField(max_length=40, default=new_reply_key)
    reply_revoked_at = models.DateTimeField(null=True, blank=True)
    reply_text = models.TextField(_("reply"), max_length=1000, blank=True)
    replied_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("thank-you note")
        verbose_name_plural = _("thank-you notes")

    def __str__(self):
        return f"Thank-you note #{self.pk}"

    @property
    def address(self) -> str:
        if self.recipient_id and self.recipient.email:
            return self.recipient.email
        return self.recipient_email

    @property
    def first_name(self) -> str:
        if self.recipient_id:
            return self.recipient.first_name or self.recipient.get_username()
        return self.recipient_name


class DigestPreference(models.Model):
    """How often a staff member wants the digest, and in which language."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_preference"
    )
    frequency = models.CharField(
        _("how often"), max_length=10, choices=labels.FREQUENCY_CHOICES, default="weekly"
    )
    # Empty: the main language of the user's organisation.
    language = models.CharField(
        _("language"), max_length=2, choices=mango_labels.LANGUAGE_CHOICES, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("digest preference")
        verbose_name_plural = _("digest preferences")

    def __str__(self):
        return f"Digest preference of user #{self.user_id}"


class DigestDelivery(models.Model):
    """One person's digest for one period (``2026-W48``, ``2026-11``): the unique row is made
    before sending, and ``sent_at`` is set in the transaction that claims it for sending, so
    a digest goes out once and a failed one is sent by the next run."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_deliveries"
    )
    period = models.CharField(max_length=12)
    frequency = models.CharField(max_length=10)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # Nothing new in the period: nothing was sent, and nothing will be.
    empty = models.BooleanField(default=False)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=100, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "period"], name="one_digest_per_period"),
        ]
        verbose_name = _("digest delivery")
        verbose_name_plural = _("digest deliveries")

    def __str__(self):
        return f"Digest {self.period} for user #{self.user_id}"
