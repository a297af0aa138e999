"""Managing colleagues inside Mango: invite, give and take roles per unit, deactivate.

One function per change, each in one transaction with its audit row (never e-mail addresses
or names in the audit values: user ids, roles and unit ids only). Who may manage whom is
decided by ``managed_organisations``: an organisation's managers manage its people;
administrators manage every organisation. Where the organisation allows it
(``OrganisationPolicy.ambassadors_manage_people``), its Mangomoment ambassadors invite colleagues,
give and take the roles ambassador and team member, and add and rename units
(``people_organisations``); deactivating accounts and the policy itself stay with managers.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from mango import labels, mail
from mango.audit.log import record
from mango.organisations.models import Organisation

from .models import Membership, OrganisationPolicy, scope_for

# Roles an organisation manager may give inside their organisation. Network-wide roles
# (researcher, administrator, coordinator) are given by administrators in the admin.
ORGANISATION_ROLES = ("manager", "ambassador", "team_member")
# Roles an ambassador may give and take, where the organisation lets ambassadors manage people.
AMBASSADOR_ROLES = ("ambassador", "team_member")


def managed_organisations(user):
    """The organisations whose people ``user`` manages (a queryset, possibly empty)."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    if scope_for(user).everything:
        return Organisation.objects.all()
    ids = user.memberships.filter(role="manager").values_list("organisation_id", flat=True)
    return Organisation.objects.filter(pk__in=list(ids))


def people_organisations(user):
    """The organisations whose people ``user`` may invite and whose units they manage: the
    managed ones, and those where they are an ambassador and the organisation allows it."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    if scope_for(user).everything:
        return Organisation.objects.all()
    pairs = list(user.memberships.values_list("organisation_id", "role"))
    managed = {org for org, role in pairs if role == "manager" and org is not None}
    ambassador = {org for org, role in pairs if role == "ambassador" and org is not None}
    allowed = OrganisationPolicy.ambassadors_may_manage(ambassador - managed)
    return Organisation.objects.filter(pk__in=managed | allowed)


def can_manage(user) -> bool:
    return people_organisations(user).exists()


def manages(user, organisation) -> bool:
    """Whether ``user`` has a manager's rights in ``organisation`` (not only an ambassador's)."""
    return managed_organisations(user).filter(pk=organisation.pk).exists()


def roles_given_by(user, organisation) -> tuple:
    """The roles ``user`` may give and take in ``organisation``."""
    return ORGANISATION_ROLES if manages(user, organisation) else AMBASSADOR_ROLES


def _check(actor, organisation) -> None:
    if not people_organisations(actor).filter(pk=organisation.pk).exists():
        raise PermissionDenied


def _check_role(actor, organisation, role) -> None:
    if role not in ORGANISATION_ROLES:
        raise ValidationError(_("Choose one of the roles offered."))
    if role not in roles_given_by(actor, organisation):
        raise ValidationError(
            _("Only the organisation's managers give or take the role %(role)s.")
            % {"role": str(labels.ROLE[role]).lower()}
        )


def _check_unit(organisation, unit) -> None:
    if unit is not None and unit.organisation_id != organisation.pk:
        raise ValidationError(_("The unit belongs to another organisation."))


def set_password_link(request, user) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    return request.build_absolute_uri(path)


def invite(request, actor, *, email, first_name, organisation, role, unit=None, language):
    """Create the colleague's account (no usable password) with one role, and e-mail them a
    link to choose a password. The link works once (it changes when the password does)."""
    _check(actor, organisation)
    _check_unit(organisation, unit)
    _check_role(actor, organisation, role)
    User = get_user_model()
    email = User.objects.normalize_email(email.strip())
    if (
        User.objects.filter(email__iexact=email).exists()
        or User.objects.filter(username__iexact=email).exists()
    ):
        raise ValidationError(
            _("Someone with this e-mail address already has an account: give them a role instead.")
        )
    with transaction.atomic():
        user = User(username=email, email=email, first_name=first_name.strip())
        user.set_unusable_password()
        user.save()
        Membership.objects.create(user=user, organisation=organisation, role=role, unit=unit)
        record(
            actor,
            "account.invited",
            user,
            organisation=organisation,
            new={"role": role, "unit": unit.pk if unit else None},
        )
        link = set_password_link(request, user)
        context = {
            "first_name": user.first_name,
            "inviter": actor.get_full_name() or actor.get_username(),
            "organisation": organisation.name,
            "role": role,
            "username": user.username,
            "link": link,
        }
        # Inside the transaction: when the mail cannot be delivered, no half-invited account.
        mail.send([email], "accounts/mail/invitation", context, language=language)
    return user


def give_role(actor, user, *, organisation, role, unit=None) -> Membership:
    _check(actor, organisation)
    _check_unit(organisation, unit)
    _check_role(actor, organisation, role)
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(
            user=user, organisation=organisation, role=role, defaults={"unit": unit}
        )
        old_unit = None if created else membership.unit_id
        if not created and membership.unit_id != (unit.pk if unit else None):
            membership.unit = unit
            membership.save(update_fields=["unit"])
        record(
            actor,
            "membership.changed",
            user,
            organisation=organisation,
            old={} if created else {"role": role, "unit": old_unit},
            new={"role": role, "unit": unit.pk if unit else None},
        )
    return membership


def take_role(actor, membership: Membership) -> None:
    organisation = membership.organisation
    if organisation is None:
        raise PermissionDenied
    _check(actor, organisation)
    _check_role(actor, organisation, membership.role)
    if membership.user_id == actor.pk and membership.role == "manager":
        raise ValidationError(_("You cannot take away your own manager role."))
    with transaction.atomic():
        record(
            actor,
            "membership.changed",
            membership.user,
            organisation=organisation,
            old={"role": membership.role, "unit": membership.unit_id},
        )
        membership.delete()


def set_active(actor, user, *, organisation, active: bool) -> None:
    """Deactivate (or reactivate) a colleague's account: they can no longer sign in. Only
    for accounts that belong to the actor's organisations alone, and only by a manager."""
    if not manages(actor, organisation):
        raise ValidationError(_("Only the organisation's managers deactivate accounts."))
    if user.pk == actor.pk:
        raise ValidationError(_("You cannot deactivate your own account."))
    others = user.memberships.exclude(organisation=organisation)
    if not scope_for(actor).everything and others.exists():
        raise ValidationError(
            _(
                "This person also works for another organisation or network-wide; "
                "ask an administrator."
            )
        )
    with transaction.atomic():
        user.is_active = active
        user.save(update_fields=["is_active"])
        record(
            actor,
            "account.deactivated" if not active else "account.reactivated",
            user,
            organisation=organisation,
            old={"active": not active},
            new={"active": active},
        )


def landing_url(user) -> str | None:
    """The page meant for the user's role, right after signing in; None for an account
    without any role (it gets a page that says so)."""
    scope = scope_for(user)
    if scope.everything or scope.research_everywhere or scope.research_orgs:
        return reverse("staff:stories")
    if scope.sharing_orgs:
        return reverse("staff:moderation")
    if scope.member_orgs:
        return reverse("staff:shared")
    if scope.coordinates_network:
        try:  # the learning network's programme, where that app is installed
            return reverse("culture:network")
        except NoReverseMatch:
            return reverse("campaigns:list")
    return None


def add_unit(actor, *, organisation, name, oncological=False, pilot=False):
    """A new ward or team in the actor's organisation, with its own poster short code."""
    from django.utils.text import slugify

    from mango.organisations.models import Unit

    _check(actor, organisation)
    name = name.strip()
    if not name:
        raise ValidationError(_("Give the unit a name."))
    base = slugify(name)[:40] or "unit"
    slug, n = base, 2
    while Unit.objects.filter(organisation=organisation, slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    with transaction.atomic():
        unit = Unit.objects.create(
            organisation=organisation, name=name, slug=slug, oncological=oncological, pilot=pilot
        )
        record(
            actor,
            "organisation.changed",
            unit,
            organisation=organisation,
            new={"unit_added": unit.pk, "oncological": oncological, "pilot": pilot},
        )
    return unit


def rename_unit(actor, unit, *, name, oncological):
    _check(actor, unit.organisation)
    name = name.strip()
    if not name:
        raise ValidationError(_("Give the unit a name."))
    with transaction.atomic():
        old = {"name": unit.name, "oncological": unit.oncological}
        unit.name, unit.oncological = name, oncological
        unit.save(update_fields=["name", "oncological"])
        record(
            actor,
            "organisation.changed",
            unit,
            organisation=unit.organisation,
            old={"oncological": old["oncological"], "renamed": old["name"] != name},
            new={"oncological": oncological},
        )


def set_policy(actor, organisation, *, ambassadors_manage_people: bool) -> OrganisationPolicy:
    """Whether the organisation's ambassadors invite colleagues and manage units; managers
    (and administrators) decide. Audited as a change of organisation settings."""
    if not manages(actor, organisation):
        raise PermissionDenied
    with transaction.atomic():
        policy, _created = OrganisationPolicy.objects.select_for_update().get_or_create(
            organisation=organisation
        )
        old = policy.ambassadors_manage_people
        if old == ambassadors_manage_people:
            return policy
        policy.ambassadors_manage_people = ambassadors_manage_people
        policy.save(update_fields=["ambassadors_manage_people"])
        record(
            actor,
            "organisation.changed",
            organisation,
            organisation=organisation,
            old={"ambassadors_manage_people": old},
            new={"ambassadors_manage_people": ambassadors_manage_people},
        )
    return policy
