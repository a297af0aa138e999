"""Stories going back to their teams: which units a story belongs to, and what teams do with it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class StoryUnit(models.Model):
    """A story belongs to one or more units: from the unit's QR link, or set by a moderator."""

    story = models.ForeignKey("stories.Story", on_delete=models.CASCADE, related_name="team_links")
    unit = models.ForeignKey(
        "organisations.Unit", on_delete=models.CASCADE, related_name="story_links"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["story", "unit"], name="story_unit_once"),
        ]
        indexes = [models.Index(fields=["unit", "story"])]
        verbose_name = _("story's team")
        verbose_name_plural = _("stories' teams")

    def __str__(self):
        return f"Story #{self.story_id} in unit #{self.unit_id}"


class Reflection(models.Model):
    """A team's learning conversation about one shared story (appreciative questions)."""

    story = models.ForeignKey("stories.Story", on_delete=models.CASCADE, related_name="reflections")
    unit = models.ForeignKey(
        "organisations.Unit", on_delete=models.CASCADE, related_name="reflections"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    what_happened = models.TextField(_("what happened"), blank=True)
    made_possible = models.TextField(_("what made it possible"), blank=True)
    action_idea = models.TextField(
        _("what we will do to make such moments more frequent"), blank=True
    )
    # Preconditions and catalysts of the Mangomoment model, from the model codebook.
    codes = models.ManyToManyField("research.Code", blank=True, related_name="reflections")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("reflection")
        verbose_name_plural = _("reflections")

    def __str__(self):
        return f"Reflection #{self.pk}"


class Touch(models.Model):
    """ "This touched me": one per staff member and story. Only the count is ever shown."""

    story = models.ForeignKey("stories.Story", on_delete=models.CASCADE, related_name="touches")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["story", "user"], name="touch_once")]
        verbose_name = _("touch")
        verbose_name_plural = _("touches")

    def __str__(self):
        return f"Touch on story #{self.story_id}"


class WallLink(models.Model):
    """A secret link to a story wall (a screen on a ward or in a hall): no sign-in, only the
    link. Only a hash of its secret is stored; the link is shown once, when made or renewed."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="wall_links"
    )
    unit = models.ForeignKey(
        "organisations.Unit",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="wall_links",
        help_text=_("Leave empty for a wall with the whole organisation's stories."),
    )
    name = models.CharField(_("where the screen is"), max_length=100, blank=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    renewed_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("story wall link")
        verbose_name_plural = _("story wall links")

    def __str__(self):
        return f"Story wall link #{self.pk}"

    @property
    def active(self) -> bool:
        return self.revoked_at is None
