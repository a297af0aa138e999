"""The fixed vocabularies a story is described with.

Codes are stable identifiers stored in the database, used in imports and in the API; the
Django layer attaches translated labels to them. Keep codes lowercase ASCII.
"""

LANGUAGES = ("nl", "fr", "en")

# Who tells the story.
TELLER_ROLES = ("patient", "resident", "family", "professional", "other")

# The care setting the story happened in: the five settings of the Mangomoment campaign.
SETTINGS = ("hospital", "rehabilitation", "residential", "disability", "primary", "other")

# Whether the care was oncological; tellers often do not know, so "unknown" is a real answer.
ONCOLOGICAL = ("yes", "no", "unknown")

# Roughly when it happened, relative to telling it.
WHEN = ("week", "month", "year", "older", "unknown")

# Who performed the gesture (a role, never a name).
GESTURE_BY = (
    "nurse",
    "doctor",
    "care_assistant",
    "therapist",
    "other_staff",
    "volunteer",
    "patient",
    "family",
    "unknown",
)

# Organisation kinds: the five settings of care organisations in the implementation project.
ORGANISATION_KINDS = ("hospital", "rehabilitation", "residential", "disability", "primary")

# Membership roles, from most to least privileged.
# network_coordinator: the learning network's coordinator, network-wide; sees every
# organisation's programme checklist and activity, never raw stories.
ROLES = (
    "administrator",
    "researcher",
    "network_coordinator",
    "manager",
    "ambassador",
    "team_member",
)
NETWORK_ROLES = ("administrator", "researcher", "network_coordinator")

# Where a story came from.
SOURCES = ("form", "api", "import", "demo")

# A story's progress (issue: privacy and moderation fills in the later steps).
STATUSES = ("received", "deidentified", "reviewed", "shared", "withdrawn", "erased")

# Length limits for the story text, in characters after trimming whitespace.
STORY_MIN_CHARS = 20
STORY_MAX_CHARS = 5000

# What a praised staff member does, for fair recognition: are cleaners, porters and night staff
# recognised as often as nurses and doctors? Counts only, never a ranking of people.
PROFESSIONS = (
    "nurse",
    "care_assistant",
    "doctor",
    "allied_health",
    "cleaner",
    "porter",
    "kitchen",
    "reception",
    "volunteer",
    "manager",
    "other",
)
