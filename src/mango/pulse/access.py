"""Who may see and change what in the pulse app, from a user's memberships.

- administrators and network coordinators: every organisation; they keep the inspiration
  modules and reflection sessions and see every organisation's name on the network dashboard;
- network-wide researchers: every organisation's charts (results only, never an answer);
- managers and ambassadors: their organisation's pulses, charts, actions and settings;
- researchers of an organisation: its charts;
- team members: their own team's charts and action log (a team learns from its own data).

Outsiders get 404, members without the right 403 (as for stories).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.http import Http404

MANAGES = {"manager", "ambassador"}


@dataclass(frozen=True)
class PulseAccess:
    everything: bool = False  # reads every organisation
    coordinates: bool = False  # keeps the network's modules and sessions; sees every name
    manage_orgs: frozenset = field(default_factory=frozenset)
    read_orgs: frozenset = field(default_factory=frozenset)
    team_units: frozenset = field(default_factory=frozenset)
    member_orgs: frozenset = field(default_factory=frozenset)

    @property
    def any(self) -> bool:
        return self.everything or bool(self.read_orgs) or bool(self.team_units)

    def can_manage(self, organisation_id) -> bool:
        return self.coordinates or organisation_id in self.manage_orgs

    def can_read_org(self, organisation_id) -> bool:
        return self.everything or organisation_id in self.read_orgs

    def can_read_unit(self, unit) -> bool:
        return self.can_read_org(unit.organisation_id) or unit.pk in self.team_units

    def can_log_actions(self, unit) -> bool:
        return self.can_manage(unit.organisation_id) or unit.pk in self.team_units

    def check_org(self, organisation_id, *, manage=False) -> None:
        allowed = self.can_manage(organisation_id) if manage else self.can_read_org(organisation_id)
        if allowed:
            return
        if self.everything or organisation_id in self.member_orgs:
            raise PermissionDenied
        raise Http404

    def check_unit(self, unit, *, log=False) -> None:
        allowed = self.can_log_actions(unit) if log else self.can_read_unit(unit)
        if allowed:
            return
        if self.everything or unit.organisation_id in self.member_orgs:
            raise PermissionDenied
        raise Http404


def pulse_access(rows, *, is_superuser: bool = False) -> PulseAccess:
    """From ``(organisation_id | None, role, unit_id | None)`` rows."""
    rows = list(rows)
    if is_superuser or any(role == "administrator" for _o, role, _u in rows):
        return PulseAccess(everything=True, coordinates=True)
    coordinates = any(org is None and role == "network_coordinator" for org, role, _u in rows)
    everything = coordinates or any(org is None and role == "researcher" for org, role, _u in rows)
    manage = frozenset(org for org, role, _u in rows if org is not None and role in MANAGES)
    research = frozenset(org for org, role, _u in rows if org is not None and role == "researcher")
    return PulseAccess(
        everything=everything,
        coordinates=coordinates,
        manage_orgs=manage,
        read_orgs=manage | research,
        team_units=frozenset(u for _o, role, u in rows if role == "team_member" and u),
        member_orgs=frozenset(org for org, _r, _u in rows if org is not None),
    )


def access_for(user) -> PulseAccess:
    if not user.is_authenticated:
        return PulseAccess()
    cached = getattr(user, "_mango_pulse_access", None)
    if cached is None:
        rows = user.memberships.values_list("organisation_id", "role", "unit_id")
        cached = pulse_access(rows, is_superuser=user.is_superuser)
        user._mango_pulse_access = cached
    return cached
