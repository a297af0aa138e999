import secrets

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mango import labels


def new_short_code() -> str:
    # Short, unambiguous and unguessable enough for a public link on a poster.
    return "".join(secrets.choice("23456789abcdefghjkmnpqrstuvwxyz") for _ in range(7))


class Wave(models.Model):
    """A cohort of organisations that joined the learning network together (e.g. 2019, 2022)."""

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), unique=True)
    starts_on = models.DateField(_("starts on"))

    class Meta:
        ordering = ["starts_on", "name"]
        verbose_name = _("wave")
        verbose_name_plural = _("waves")

    def __str__(self):
        return self.name


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=labels.ORGANISATION_KIND_CHOICES)
    language = models.CharField(
        _("main language"), max_length=2, choices=labels.LANGUAGE_CHOICES, default="nl"
    )
    keep_staff_first_names = models.BooleanField(
        _("keep staff first names in shared stories"),
        default=False,
        help_text=_(
            "Only when the teller consented to sharing: a nurse's or carer's first name stays "
            "in the shared story, so the person praised recognises themselves."
        ),
    )
    wave = models.ForeignKey(
        Wave,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("wave"),
    )
    joined_on = models.DateField(_("joined the learning network on"), null=True, blank=True)
    copy_line_manager = models.BooleanField(
        _("copy the line manager on thank-you notes"),
        default=False,
        help_text=_("The line manager of a praised colleague receives a copy of the note."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name


class Unit(models.Model):
    """A ward, team or department of an organisation."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="units")
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"))
    oncological = models.BooleanField(_("oncological care"), default=False)
    pilot = models.BooleanField(
        _("pilot team"), default=False, help_text=_("One of the Mangomoment pilot teams.")
    )
    short_code = models.CharField(max_length=12, unique=True, default=new_short_code)

    class Meta:
        ordering = ["organisation__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "slug"], name="unit_slug_per_org")
        ]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self):
        return f"{self.organisation.name} – {self.name}"

    def short_path(self) -> str:
        return reverse("unit_link", args=[self.short_code])


class CampaignQuerySet(models.QuerySet):
    def open_on(self, day):
        return self.filter(opens_on__lte=day).filter(
            models.Q(closes_on__isnull=True) | models.Q(closes_on__gte=day)
        )

    def covering(self, organisation):
        """Campaigns that accept stories about this organisation (or network-wide ones)."""
        if organisation is None:
            return self.filter(network_wide=True)
        return self.filter(models.Q(network_wide=True) | models.Q(organisations=organisation))


class Campaign(models.Model):
    """A call for stories, open between two dates, for some organisations or the network."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), unique=True)
    description = models.TextField(_("description"), blank=True)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"), null=True, blank=True)
    network_wide = models.BooleanField(
        _("network-wide"), default=False, help_text=_("Accept stories about any organisation.")
    )
    organisations = models.ManyToManyField(Organisation, blank=True, related_name="campaigns")

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_on", "name"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")

    def __str__(self):
        return self.name

    def is_open(self, day=None) -> bool:
        day = day or timezone.localdate()
        return self.opens_on <= day and (self.closes_on is None or day <= self.closes_on)

    def short_path(self) -> str:
        return reverse("campaign_link", args=[self.slug])
