"""Landing after sign-in, the people page (invite, roles, deactivate), setting a password."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mango.audit.log import record

from . import people as actions
from .forms import InviteForm, RoleFields, UnitForm
from .models import Membership, OrganisationPolicy


@login_required
def landing(request):
    """Each role lands on a page meant for it (a team member on the shared stories, not 403)."""
    url = actions.landing_url(request.user)
    if url is None:
        return render(request, "accounts/no_role.html")
    return redirect(url)


def _managed(request):
    """The organisations whose people the user manages (as a manager, or as an ambassador where
    the organisation allows it); 403 for anyone else."""
    organisations = actions.people_organisations(request.user)
    if not organisations.exists():
        raise PermissionDenied
    return organisations


def _roles(request) -> tuple:
    """The roles the forms offer: all three to a manager, ambassador and team member to an
    ambassador (the actions check each organisation again)."""
    if actions.managed_organisations(request.user).exists():
        return actions.ORGANISATION_ROLES
    return actions.AMBASSADOR_ROLES


def _policies(request):
    """Per organisation the user manages: whether its ambassadors manage people."""
    managed = list(actions.managed_organisations(request.user).order_by("name"))
    allowed = OrganisationPolicy.ambassadors_may_manage(o.pk for o in managed)
    return [{"organisation": o, "ambassadors_manage_people": o.pk in allowed} for o in managed]


def _set_policy(request):
    pk = request.POST.get("organisation", "")
    if not pk.isdigit():
        raise Http404
    organisation = get_object_or_404(actions.managed_organisations(request.user), pk=int(pk))
    allow = request.POST.get("ambassadors_manage_people") == "1"
    actions.set_policy(request.user, organisation, ambassadors_manage_people=allow)
    messages.success(
        request,
        (
            _("Ambassadors of %(organisation)s may now invite colleagues and manage units.")
            if allow
            else _("Only managers of %(organisation)s invite colleagues and manage units now.")
        )
        % {"organisation": organisation.name},
    )
    return redirect("people")


def _errors(form, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


@login_required
@require_http_methods(["GET", "POST"])
def people(request):
    organisations = _managed(request)
    if request.method == "POST" and request.POST.get("action") == "policy":
        return _set_policy(request)
    form = InviteForm(request.POST or None, organisations=organisations, roles=_roles(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = actions.invite(
                request,
                request.user,
                email=data["email"],
                first_name=data["first_name"],
                organisation=data["organisation"],
                role=data["role"],
                unit=data["unit"],
                language=translation.get_language(),
            )
        except ValidationError as error:
            _errors(form, error)
        else:
            messages.success(
                request,
                _("Invitation sent to %(email)s. Their account works once they choose a password.")
                % {"email": user.email},
            )
            return redirect("people")
    members = (
        get_user_model()
        .objects.filter(memberships__organisation__in=organisations)
        .distinct()
        .order_by("first_name", "username")
        .prefetch_related("memberships__organisation", "memberships__unit")
    )
    return render(
        request,
        "accounts/people.html",
        {
            "form": form,
            "members": members,
            "organisations": organisations,
            "policies": _policies(request),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def person(request, pk):
    organisations = _managed(request)
    user = get_object_or_404(get_user_model(), pk=pk)
    memberships = user.memberships.filter(organisation__in=organisations).select_related(
        "organisation", "unit"
    )
    if not memberships.exists():
        raise Http404
    form = RoleFields(
        request.POST if request.POST.get("action") == "give" else None,
        organisations=organisations,
        roles=_roles(request),
    )
    error = ""
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "give" and form.is_valid():
                data = form.cleaned_data
                actions.give_role(
                    request.user,
                    user,
                    organisation=data["organisation"],
                    role=data["role"],
                    unit=data["unit"],
                )
                messages.success(request, _("Role given."))
                return redirect("person", pk=user.pk)
            if action == "take":
                membership = get_object_or_404(
                    Membership, pk=request.POST.get("membership"), user=user
                )
                actions.take_role(request.user, membership)
                messages.success(request, _("Role taken away."))
                return redirect("person", pk=user.pk)
            if action in ("deactivate", "reactivate"):
                organisation = memberships.first().organisation
                actions.set_active(
                    request.user, user, organisation=organisation, active=action == "reactivate"
                )
                messages.success(
                    request,
                    _("Account deactivated.")
                    if action == "deactivate"
                    else _("Account reactivated."),
                )
                return redirect("person", pk=user.pk)
        except ValidationError as err:
            error = " ".join(err.messages)
    return render(
        request,
        "accounts/person.html",
        {"person": user, "memberships": memberships, "form": form, "error": error},
    )


class SetPasswordView(auth_views.PasswordResetConfirmView):
    """The invitation's and the reset mail's link: choose a password, then land signed in on
    the page meant for one's role. Audited."""

    template_name = "accounts/password_set.html"
    post_reset_login = True
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"
    success_url = reverse_lazy("landing")

    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)
            membership = form.user.memberships.exclude(organisation=None).first()
            record(
                form.user,
                "account.password_set",
                form.user,
                organisation=membership.organisation if membership else None,
            )
        return response


@login_required
@require_http_methods(["GET", "POST"])
def units(request):
    """The organisation's wards and teams: add one (it gets its own poster link), rename."""
    from mango.organisations.models import Unit

    organisations = _managed(request)
    form = UnitForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and request.POST.get("unit"):
        unit = get_object_or_404(Unit, pk=request.POST["unit"], organisation__in=organisations)
        try:
            actions.rename_unit(
                request.user,
                unit,
                name=request.POST.get("name", ""),
                oncological=bool(request.POST.get("oncological")),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Unit saved."))
        return redirect("units")
    if request.method == "POST" and form.is_valid():
        try:
            unit = actions.add_unit(
                request.user,
                organisation=form.cleaned_data["organisation"],
                name=form.cleaned_data["name"],
                oncological=form.cleaned_data["oncological"],
            )
        except ValidationError as error:
            _errors(form, error)
        else:
            messages.success(request, _("Unit %(name)s added.") % {"name": unit.name})
            return redirect("units")
    listed = Unit.objects.filter(organisation__in=organisations).select_related("organisation")
    return render(request, "accounts/units.html", {"form": form, "units": listed})
