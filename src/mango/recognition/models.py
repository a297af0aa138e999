"""Praise that reaches the person: thank-you notes, their replies, and team digests."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ThankYouNote(models.Model):
    """A story linked to the staff member it praises; the note is e-mailed to them."""

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
    profession = models.CharField(_("profession"), max_length=40, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("thank-you note")
        verbose_name_plural = _("thank-you notes")

    def __str__(self):
        return f"Thank-you note #{self.pk}"
