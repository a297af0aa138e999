import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from mango import labels
from mango.lib import vocab
from mango.lib.access import StoryScope, story_scope


class Membership(models.Model):
    """A user's role in one organisation, or network-wide when organisation is empty."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        help_text=_("Leave empty for a network-wide role (researchers, administrators)."),
    )
    role = models.CharField(_("role"), max_length=20, choices=labels.ROLE_CHOICES)
    unit = models.ForeignKey(
        "organisations.Unit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        help_text=_("For team members: their team."),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="one_role_per_org"
            ),
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self):
        where = self.organisation.name if self.organisation_id else _("network")
        return f"{self.user} – {self.get_role_display()} ({where})"

    def clean(self):
        if self.organisation_id is None and self.role not in vocab.NETWORK_ROLES:
            raise ValidationError(
                _("Only researchers, network coordinators and administrators work network-wide.")
            )
        if self.unit_id and self.unit.organisation_id != self.organisation_id:
            raise ValidationError(_("The unit belongs to another organisation."))


def scope_for(user) -> StoryScope:
    """The user's story scope, computed once per request and cached on the user object."""
    if not user.is_authenticated:
        return StoryScope()
    cached = getattr(user, "_mango_scope", None)
    if cached is None:
        pairs = user.memberships.values_list("organisation_id", "role")
        cached = story_scope(pairs, is_superuser=user.is_superuser)
        user._mango_scope = cached
    return cached


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A personal API token. Only its hash is stored; the token is shown once on creation."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100, default="default")
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=8, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.user} {self.prefix}…"

    @classmethod
    def issue(cls, user, name: str = "default") -> tuple["ApiToken", str]:
        raw = "mango_" + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, key_hash=hash_token(raw), prefix=raw[6:14])
        return token, raw


class OrganisationPolicy(models.Model):
    """What an organisation allows beyond its managers' own rights (kept in the accounts app so
    that the organisations app's models stay as they are). No row: the defaults below."""

    organisation = models.OneToOneField(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="policy"
    )
    ambassadors_manage_people = models.BooleanField(
        _("ambassadors invite colleagues and manage units"),
        default=False,
        help_text=_(
            "Mangomoment ambassadors may invite colleagues, give and take the roles ambassador "
            "and team member, and add and rename units. Only managers deactivate accounts."
        ),
    )

    class Meta:
        verbose_name = _("organisation policy")
        verbose_name_plural = _("organisation policies")

    def __str__(self):
        return str(self.organisation)

    @classmethod
    def ambassadors_may_manage(cls, organisation_ids) -> set:
        """Of these organisations, the ids whose ambassadors manage people."""
        return set(
            cls.objects.filter(
                organisation_id__in=list(organisation_ids), ambassadors_manage_people=True
            ).values_list("organisation_id", flat=True)
        )
