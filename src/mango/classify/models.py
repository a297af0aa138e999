"""Trained classifiers of a codebook and the suggestions they make for stories.

A ``TrainedModel`` row tracks one training job (queued, running with progress, ready or
failed) and, once ready, names its signed model directory under ``DATA_DIR/models`` and holds
its cross-validated metrics, including its agreement with the human final codes. The latest
ready model of a codebook and kind makes the ``Suggestion`` rows: one per story and code, with
the calibrated probability and whether it passes the code's threshold.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

KIND_CHOICES = [
    ("screening", _("Screening (Mangomoment or not)")),
    ("labels", _("Codes of the codebook")),
]
STATUS_CHOICES = [
    ("queued", _("Queued")),
    ("running", _("Training")),
    ("ready", _("Ready")),
    ("failed", _("Failed")),
]


class TrainedModel(models.Model):
    codebook = models.ForeignKey(
        "research.Codebook",
        on_delete=models.CASCADE,
        related_name="trained_models",
        verbose_name=_("codebook"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=KIND_CHOICES)
    backend = models.CharField(_("backend"), max_length=20, default="tfidf")
    # The model directory, relative to DATA_DIR/models; empty until the model is saved.
    path = models.CharField(max_length=200, blank=True)
    labels = models.JSONField(default=list, blank=True)
    thresholds = models.JSONField(default=list, blank=True)
    # Cross-validated metrics, and "agreement": Cohen's kappa per code against final codes.
    metrics = models.JSONField(default=dict, blank=True)
    n_stories = models.PositiveIntegerField(_("stories"), default=0)
    status = models.CharField(_("status"), max_length=10, choices=STATUS_CHOICES, default="queued")
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)  # percent
    # What the job is doing, or why it failed; never story text.
    message = models.CharField(_("message"), max_length=300, blank=True)
    created = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    finished = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("trained model")
        verbose_name_plural = _("trained models")

    def __str__(self):
        return f"{self.codebook.slug}/{self.kind}#{self.pk}"

    @property
    def is_busy(self) -> bool:
        return self.status in ("queued", "running")


class Suggestion(models.Model):
    story = models.ForeignKey("stories.Story", on_delete=models.CASCADE, related_name="suggestions")
    codebook = models.ForeignKey(
        "research.Codebook", on_delete=models.CASCADE, related_name="suggestions"
    )
    code_key = models.CharField(_("code"), max_length=60)
    probability = models.FloatField(_("probability"))
    predicted = models.BooleanField(_("suggested"))
    model = models.ForeignKey(TrainedModel, on_delete=models.CASCADE, related_name="suggestions")
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["story", "-probability"]
        constraints = [
            models.UniqueConstraint(
                fields=["story", "codebook", "code_key"], name="one_suggestion_per_code"
            )
        ]
        indexes = [models.Index(fields=["codebook", "story"])]
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")

    def __str__(self):
        return f"{self.story_id}:{self.code_key}={self.probability:.2f}"
