"""One append-only audit log for every important change and every look at personal data."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "story.view_original": _("Viewed an original story text"),
    "story.view_admin": _("Opened a story in the admin (de-identified)"),
    "stories.searched": _("Listed stories with their original text"),
    "story.deidentified": _("De-identified a story"),
    "story.reviewed": _("Reviewed a story"),
    "story.redactions_changed": _("Changed a story's redactions"),
    "story.shared": _("Shared a story"),
    "story.unshared": _("Stopped sharing a story"),
    "story.consent_withdrawn": _("Teller withdrew consent"),
    "story.erased": _("Erased a story"),
    "story.exported": _("Exported a teller's data"),
    "stories.imported": _("Imported stories"),
    "data.exported": _("Exported data"),
    "coding.changed": _("Changed a coding"),
    "coding.adjudicated": _("Settled a story's final codes"),
    "codebook.changed": _("Changed a codebook"),
    "round.created": _("Created a coding round"),
    "round.closed": _("Closed a coding round"),
    "transcript.uploaded": _("Uploaded a transcript"),
    "transcript.viewed": _("Read a transcript"),
    "segment.changed": _("Coded or uncoded a transcript segment"),
    "project.imported": _("Imported a REFI-QDA project"),
    "codebook.imported": _("Imported a REFI-QDA codebook"),
    "classifier.training_requested": _("Asked for a classifier to be trained"),
    "classifier.trained": _("Trained a classifier"),
    "round.prioritised": _("Ordered a coding round uncertain first"),
    "membership.changed": _("Changed a role"),
    "account.two_factor_on": _("Turned on two-factor sign-in"),
    "account.two_factor_off": _("Turned off two-factor sign-in"),
    "organisation.changed": _("Changed organisation settings"),
}


def register_actions(actions: dict) -> None:
    """Add an app's own audit actions, from its ``AppConfig.ready()``: ``log.record`` refuses
    names it does not know, and this app stays free of the apps above it."""
    for key, label in actions.items():
        ACTIONS.setdefault(key, label)


class AppendOnly(Exception):
    pass


class AuditEvent(models.Model):
    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    # No database constraints on the references: the rows must never be updated (a trigger
    # forbids it), so deleting a user or organisation leaves their id here, and the actor's
    # name is copied. Empty actor: the teller (via their receipt code) or the system.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_name = models.CharField(_("actor"), max_length=150)
    action = models.CharField(_("action"), max_length=40, db_index=True)
    target_type = models.CharField(_("target type"), max_length=40)
    target_id = models.CharField(_("target"), max_length=40, blank=True)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="audit_events",
    )
    old = models.JSONField(_("old values"), default=dict, blank=True)
    new = models.JSONField(_("new values"), default=dict, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["organisation", "-at"])]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.target_type}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnly("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("Audit events cannot be deleted.")

    def get_action_display(self):
        return ACTIONS.get(self.action, self.action)
