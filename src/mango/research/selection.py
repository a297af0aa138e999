"""Which stories go into a round: a filter on the stories the researcher may read, then an
optional stratified sample by respondent group (the campaign's three analysis groups)."""

from django.db.models import Case, CharField, Q, Value, When

from mango.lib import sampling
from mango.lib.analysis.describe import (
    ONCOLOGICAL_PATIENTS,
    OTHER_PATIENTS,
    PATIENT_ROLES,
    PROFESSIONALS,
)

OTHER_GROUP = "other"
GROUPS = (PROFESSIONALS, ONCOLOGICAL_PATIENTS, OTHER_PATIENTS, OTHER_GROUP)

GROUP_RULES = {
    PROFESSIONALS: Q(teller_role=PROFESSIONALS),
    ONCOLOGICAL_PATIENTS: Q(teller_role__in=PATIENT_ROLES, oncological="yes"),
    OTHER_PATIENTS: Q(teller_role__in=PATIENT_ROLES, oncological="no"),
}


def with_group(stories):
    """The stories annotated with ``respondent_group``."""
    whens = [When(rule, then=Value(group)) for group, rule in GROUP_RULES.items()]
    return stories.annotate(
        respondent_group=Case(*whens, default=Value(OTHER_GROUP), output_field=CharField())
    )


def filter_stories(stories, *, campaign=None, organisation=None, group="", oncological=""):
    stories = stories.filter(erased_at__isnull=True)
    if campaign is not None:
        stories = stories.filter(campaign=campaign)
    if organisation is not None:
        stories = stories.filter(organisation=organisation)
    if oncological:
        stories = stories.filter(oncological=oncological)
    if group:
        stories = with_group(stories).filter(respondent_group=group)
    return stories


def sample(stories, n: int | None, seed: int) -> list[int]:
    """Story ids: all of them, or ``n`` drawn proportionally from each respondent group."""
    if not n:
        return list(stories.order_by("pk").values_list("pk", flat=True))
    strata: dict[str, list[int]] = {}
    for pk, group in with_group(stories).values_list("pk", "respondent_group"):
        strata.setdefault(group, []).append(pk)
    return sampling.stratified_sample(strata, n, seed)
