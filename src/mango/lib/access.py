"""Who may read which stories, decided from a user's memberships alone.

A membership is (organisation id or ``None`` for network-wide, role). Researchers read stories
whose teller consented to research; organisation managers and ambassadors read their
organisation's stories whose teller consented to sharing with staff; team members read no raw
stories (they get de-identified, shared stories). Administrators read everything. Network
coordinators read no stories either; they see every organisation's programme (checklist,
activity).
"""

from __future__ import annotations

from dataclasses import dataclass, field

NETWORK = None  # the organisation of a network-wide membership

READS_RESEARCH = {"researcher"}
READS_SHARED = {"manager", "ambassador"}
MANAGES = {"manager", "ambassador"}
COORDINATES = {"network_coordinator"}


@dataclass(frozen=True)
class StoryScope:
    everything: bool = False
    research_everywhere: bool = False
    research_orgs: frozenset = field(default_factory=frozenset)
    sharing_orgs: frozenset = field(default_factory=frozenset)
    # Organisations the user belongs to at all: decides 403 (member) against 404 (outsider).
    member_orgs: frozenset = field(default_factory=frozenset)
    network_member: bool = False
    # The learning network's coordinator: every organisation's programme, no raw stories.
    coordinates_network: bool = False

    @property
    def reads_any(self) -> bool:
        return (
            self.everything
            or self.research_everywhere
            or bool(self.research_orgs)
            or bool(self.sharing_orgs)
        )

    def can_read(self, organisation_id, consent_research: bool, consent_sharing: bool) -> bool:
        if self.everything:
            return True
        if consent_research and (self.research_everywhere or organisation_id in self.research_orgs):
            return True
        return consent_sharing and organisation_id in self.sharing_orgs

    def is_member_of(self, organisation_id) -> bool:
        return self.everything or self.network_member or organisation_id in self.member_orgs


def story_scope(memberships, *, is_superuser: bool = False) -> StoryScope:
    """Build the scope from ``(organisation_id | None, role)`` pairs."""
    pairs = list(memberships)
    if is_superuser or any(role == "administrator" for _, role in pairs):
        return StoryScope(everything=True)
    return StoryScope(
        research_everywhere=any(org is NETWORK and role in READS_RESEARCH for org, role in pairs),
        research_orgs=frozenset(
            org for org, role in pairs if org is not NETWORK and role in READS_RESEARCH
        ),
        sharing_orgs=frozenset(
            org for org, role in pairs if org is not NETWORK and role in READS_SHARED
        ),
        member_orgs=frozenset(org for org, _ in pairs if org is not NETWORK),
        network_member=any(org is NETWORK for org, _ in pairs),
        coordinates_network=any(org is NETWORK and role in COORDINATES for org, role in pairs),
    )
