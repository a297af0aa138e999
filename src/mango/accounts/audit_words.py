"""The audit trail in words: "Els (organisation manager) invited Nele as team member".

Each event becomes one sentence in the reader's language, naming the people by their first
names (usernames where none) and linking to what the event is about. Values are described,
never dumped as data.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from mango import labels

TARGET_WORDS = {
    "story": lambda: _("story"),
    "user": lambda: _("account"),
    "codinground": lambda: _("coding round"),
    "codebook": lambda: _("codebook"),
    "document": lambda: _("transcript"),
    "segment": lambda: _("transcript segment"),
    "organisation": lambda: _("organisation"),
    "trainedmodel": lambda: _("classifier model"),
    "campaign": lambda: _("campaign"),
}
TARGET_LINKS = {
    "story": ("staff:story", "pk"),
    "user": ("person", "pk"),
    "codinground": ("research:round", "pk"),
    "document": ("transcripts:document", "pk"),
    "campaign": ("campaigns:edit", "pk"),
}


def _role(code) -> str:
    return str(labels.ROLE.get(code, code)).lower()


def _person(user) -> str:
    return (user.first_name or user.get_username()) if user else ""


class Sentences:
    """Sentences for a page of events: looks up the people involved in two queries."""

    def __init__(self, events):
        events = list(events)
        User = get_user_model()
        ids = {e.actor_id for e in events if e.actor_id}
        ids |= {
            int(e.target_id) for e in events if e.target_type == "user" and e.target_id.isdigit()
        }
        self.users = User.objects.in_bulk(ids)
        roles = {}
        from .models import Membership

        for m in Membership.objects.filter(user_id__in=ids).order_by("pk"):
            roles.setdefault((m.user_id, m.organisation_id), m.role)
            roles.setdefault((m.user_id, "any"), m.role)
        self.roles = roles
        self.events = events

    def actor(self, event) -> str:
        user = self.users.get(event.actor_id)
        if user is None:
            return {"teller": _("The teller"), "system": _("Mango")}.get(
                event.actor_name, event.actor_name
            )
        role = self.roles.get((user.pk, event.organisation_id)) or self.roles.get((user.pk, "any"))
        return f"{_person(user)} ({_role(role)})" if role else _person(user)

    def target(self, event) -> str:
        if event.target_type == "user" and event.target_id.isdigit():
            user = self.users.get(int(event.target_id))
            if user is not None:
                return _person(user)
        word = TARGET_WORDS.get(event.target_type)
        noun = word() if word else event.target_type
        return f"{noun} {event.target_id}".strip()

    def link(self, event) -> str:
        name = TARGET_LINKS.get(event.target_type)
        if not name or not event.target_id.isdigit():
            return ""
        try:
            return reverse(name[0], kwargs={name[1]: int(event.target_id)})
        except NoReverseMatch:
            return ""

    def sentence(self, event) -> str:
        words = {"actor": self.actor(event), "target": self.target(event)}
        old, new = event.old or {}, event.new or {}
        if event.action == "account.invited":
            return _("%(actor)s invited %(target)s as %(role)s") % {
                **words,
                "role": _role(new.get("role")),
            }
        if event.action == "membership.changed" and new.get("role") and not old:
            return _("%(actor)s gave %(target)s the role %(role)s") % {
                **words,
                "role": _role(new["role"]),
            }
        if event.action == "membership.changed" and old.get("role") and not new:
            return _("%(actor)s took the role %(role)s away from %(target)s") % {
                **words,
                "role": _role(old["role"]),
            }
        if event.action == "account.deactivated":
            return _("%(actor)s deactivated the account of %(target)s") % words
        if event.action == "account.reactivated":
            return _("%(actor)s reactivated the account of %(target)s") % words
        if event.action == "account.password_set":
            return _("%(actor)s chose a new password") % words
        label = event.get_action_display()
        sentence = _("%(actor)s: %(action)s (%(target)s)") % {**words, "action": str(label).lower()}
        changes = describe_changes(old, new)
        return f"{sentence}. {changes}" if changes else sentence

    def rows(self):
        return [(e, self.sentence(e), self.link(e)) for e in self.events]


# The names of the values that events record, as the reader's language says them; a name not
# listed here is shown with its underscores as spaces.
FIELD_WORDS = {
    "active": lambda: _("active"),
    "codes": lambda: _("codes"),
    "fields": lambda: _("fields"),
    "format": lambda: _("format"),
    "kind": lambda: _("kind"),
    "name": lambda: _("name"),
    "oncological": lambda: _("oncological care"),
    "pilot": lambda: _("pilot team"),
    "renamed": lambda: _("renamed"),
    "role": lambda: _("role"),
    "rows": lambda: _("rows"),
    "status": lambda: _("status"),
    "unit": lambda: _("unit"),
    "unit_added": lambda: _("unit added"),
    "units": lambda: _("units"),
    "version": lambda: _("version"),
    "created": lambda: _("created"),
    "characters": lambda: _("characters"),
    "project": lambda: _("project"),
    "document": lambda: _("transcript"),
    "code": lambda: _("code"),
    "start": lambda: _("from character"),
    "end": lambda: _("to character"),
    "ambassadors_manage_people": lambda: _("ambassadors invite colleagues and manage units"),
    "slug": lambda: _("short link"),
    "description": lambda: _("description changed"),
    "opens_on": lambda: _("opens on"),
    "closes_on": lambda: _("closes on"),
    "network_wide": lambda: _("network-wide"),
    "organisations": lambda: _("organisations"),
}


def _field_value(key: str, value):
    """A recorded value in words where it is a code with a label (a role, a status)."""
    if key == "role" and isinstance(value, str):
        return _role(value)
    if key == "status" and isinstance(value, str):
        return str(labels.STATUS.get(value, value)).lower()
    return value


def _value(value) -> str:
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    if value is None or value == "":
        return "—"
    if isinstance(value, list | tuple):
        return ", ".join(_value(v) for v in value) or "—"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_value(v)}" for k, v in value.items())
    return str(value)


def describe_changes(old: dict, new: dict) -> str:
    """``{"status": "shared"} -> {"status": "reviewed"}`` as "status: shared → reviewed"."""
    parts = []
    for key in list(dict.fromkeys([*old, *new])):
        word = FIELD_WORDS.get(key)
        field = word() if word else key.replace("_", " ")
        before = _value(_field_value(key, old.get(key)))
        after = _value(_field_value(key, new.get(key)))
        if key in old and key in new:
            parts.append(f"{field}: {before} → {after}")
        elif key in new:
            parts.append(f"{field}: {after}")
        else:
            parts.append(f"{field}: {before} → —")
    return "; ".join(parts)
