"""Interview and focus-group transcripts, their participants and coded text segments.

A segment is ``document.text[start:end]`` (code points, end exclusive: see
``mango.lib.transcripts``) coded with one code of the project's codebook by one coder.
Imported segments whose coder has no Mango account keep the coder's name instead.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mango import labels

KIND_CHOICES = [("interview", _("Interview")), ("focus_group", _("Focus group"))]


class Project(models.Model):
    """A set of transcripts coded with one codebook. Empty organisation: network-wide, seen
    only by network-wide researchers and administrators."""

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="qualitative_projects",
        verbose_name=_("organisation"),
    )
    codebook = models.ForeignKey(
        "research.Codebook",
        on_delete=models.PROTECT,
        related_name="qualitative_projects",
        verbose_name=_("codebook"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("transcript project")
        verbose_name_plural = _("transcript projects")

    def __str__(self):
        return self.name


class Document(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="documents")
    guid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=KIND_CHOICES, default="interview")
    text = models.TextField(_("text"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["project", "title", "id"]
        verbose_name = _("transcript")
        verbose_name_plural = _("transcripts")

    def __str__(self):
        return self.title


class Participant(models.Model):
    """Someone who speaks in transcripts, by a label (never a name) and attributes."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="participants")
    guid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    label = models.CharField(_("label"), max_length=60, help_text=_("For example P1; no names."))
    role = models.CharField(
        _("role"), max_length=20, choices=labels.TELLER_ROLE_CHOICES, blank=True
    )
    setting = models.CharField(
        _("setting"), max_length=20, choices=labels.SETTING_CHOICES, blank=True
    )
    oncological = models.CharField(
        _("oncological care"), max_length=10, choices=labels.ONCOLOGICAL_CHOICES, blank=True
    )
    documents = models.ManyToManyField(
        Document, related_name="participants", blank=True, verbose_name=_("transcripts")
    )

    class Meta:
        ordering = ["project", "label"]
        constraints = [
            models.UniqueConstraint(fields=["project", "label"], name="participant_label_once")
        ]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")

    def __str__(self):
        return self.label


class Segment(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="segments")
    guid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.ForeignKey(
        "research.Code", on_delete=models.PROTECT, related_name="segments", verbose_name=_("code")
    )
    start = models.PositiveIntegerField(_("start"))
    end = models.PositiveIntegerField(_("end"))
    coder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="segments",
    )
    coder_name = models.CharField(_("coder"), max_length=150, blank=True)
    memo = models.TextField(_("memo"), blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["document", "start", "end", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="segment_not_empty"
            )
        ]
        indexes = [models.Index(fields=["code", "document"])]
        verbose_name = _("segment")
        verbose_name_plural = _("segments")

    def __str__(self):
        return f"{self.document_id}:{self.start}-{self.end}:{self.code_id}"

    @property
    def coder_label(self) -> str:
        return self.coder.get_username() if self.coder_id else self.coder_name

    @property
    def text(self) -> str:
        return self.document.text[self.start : self.end]
