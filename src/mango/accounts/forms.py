"""Forms of the people pages and the password reset that mails through mango.mail."""

from django import forms
from django.contrib.auth.forms import PasswordResetForm
from django.utils.translation import gettext_lazy as _

from mango import labels, mail
from mango.organisations.models import Unit

from .people import ORGANISATION_ROLES

ROLE_CHOICES = [(role, labels.ROLE[role]) for role in ORGANISATION_ROLES]


class RoleFields(forms.Form):
    """Organisation, role and (for team members) a unit, limited to what the actor manages."""

    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=None)
    role = forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES)
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=None,
        required=False,
        help_text=_("For team members: their team."),
    )

    def __init__(self, *args, organisations, roles=ORGANISATION_ROLES, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["role"].choices = [(r, label) for r, label in ROLE_CHOICES if r in roles]
        self.fields["unit"].queryset = Unit.objects.filter(
            organisation__in=organisations
        ).select_related("organisation")
        self.fields["unit"].label_from_instance = lambda u: f"{u.organisation.name} – {u.name}"
        if organisations.count() == 1:
            self.fields["organisation"].initial = organisations.first()

    def clean(self):
        data = super().clean()
        unit, organisation = data.get("unit"), data.get("organisation")
        if unit and organisation and unit.organisation_id != organisation.pk:
            self.add_error("unit", _("The unit belongs to another organisation."))
        if data.get("role") == "team_member" and not unit:
            self.add_error("unit", _("Choose the team member's unit."))
        return data


class InviteForm(RoleFields):
    email = forms.EmailField(label=_("E-mail address"))
    first_name = forms.CharField(label=_("First name"), max_length=150)
    field_order = ["email", "first_name", "organisation", "role", "unit"]


class MangoPasswordResetForm(PasswordResetForm):
    """Django's reset form, sending its mail through mango.mail in the page's language."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        from django.utils import translation

        link = "{protocol}://{domain}{path}".format(
            protocol=context["protocol"],
            domain=context["domain"],
            path=_reset_path(context["uid"], context["token"]),
        )
        mail.send(
            [to_email],
            "accounts/mail/password_reset",
            {
                "first_name": context["user"].first_name,
                "username": context["user"].get_username(),
                "link": link,
            },
            language=translation.get_language() or "nl",
        )


def _reset_path(uid, token) -> str:
    from django.urls import reverse

    return reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})


class UnitForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=None)
    name = forms.CharField(label=_("Name"), max_length=200)
    oncological = forms.BooleanField(label=_("Oncological care"), required=False)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if organisations.count() == 1:
            self.fields["organisation"].initial = organisations.first()
