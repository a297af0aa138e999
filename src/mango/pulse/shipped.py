"""The Mangomoment pulse: Mango's own short instrument (written for Mango; no third-party
items), five questions and one open question, each tied to a level of the Mangomoment model.

``load`` is idempotent (it adds what is missing); the data migration calls it with the
historical models, the demo and the tests with the current ones.
"""

SLUG = "mangomoment-pulse"
RIGHTS = "Mango (open licence: EUPL-1.2, as the software)"

AGREE_LOW = {"nl": "Helemaal niet akkoord", "fr": "Pas du tout d'accord", "en": "Strongly disagree"}
AGREE_HIGH = {"nl": "Helemaal akkoord", "fr": "Tout à fait d'accord", "en": "Strongly agree"}

INSTRUMENT = {
    "names": {"nl": "Mangomoment-pulse", "fr": "Pulse Mangomoment", "en": "Mangomoment pulse"},
    "licence_note": (
        "Written for Mango; free to use with the software. Not a validated scale: a short "
        "local pulse check for teams, read over time."
    ),
}

ITEMS = [
    {
        "key": "gestures",
        "short_labels": {
            "nl": "Kleine gebaren gedaan of gezien",
            "fr": "Petits gestes faits ou vus",
            "en": "Small gestures made or seen",
        },
        "level": "positive_resonance",
        "texts": {
            "nl": "In de voorbije twee weken heb ik een klein gebaar gedaan of gezien dat voor "
            "een patiënt, bewoner, naaste of collega het verschil maakte.",
            "fr": "Ces deux dernières semaines, j'ai fait ou vu un petit geste qui a fait la "
            "différence pour un patient, un résident, un proche ou un collègue.",
            "en": "In the last two weeks I made or saw a small gesture that made a difference "
            "for a patient, resident, relative or colleague.",
        },
    },
    {
        "key": "room",
        "short_labels": {
            "nl": "Ruimte voor een gebaar",
            "fr": "Liberté pour un geste",
            "en": "Room for a gesture",
        },
        "level": "professional_level",
        "texts": {
            "nl": "In ons team krijg ik de ruimte om zo'n klein gebaar te maken.",
            "fr": "Dans notre équipe, j'ai la liberté de faire un tel petit geste.",
            "en": "In our team I have room to make such a small gesture.",
        },
    },
    {
        "key": "talk",
        "short_labels": {
            "nl": "Praten over wat goed gaat",
            "fr": "Parler de ce qui va bien",
            "en": "Talking about what goes well",
        },
        "level": "impact_organisation",
        "texts": {
            "nl": "In ons team praten we over wat goed gaat, niet alleen over wat misloopt.",
            "fr": "Dans notre équipe, nous parlons de ce qui va bien, pas seulement de ce qui "
            "ne va pas.",
            "en": "In our team we talk about what goes well, not only about what goes wrong.",
        },
    },
    {
        "key": "leadership",
        "short_labels": {
            "nl": "Steun van de leidinggevende",
            "fr": "Soutien du responsable",
            "en": "Support from the manager",
        },
        "level": "leadership_level",
        "texts": {
            "nl": "Mijn leidinggevende moedigt kleine gebaren voor patiënten en collega's aan.",
            "fr": "Mon responsable encourage les petits gestes envers les patients et les "
            "collègues.",
            "en": "My manager encourages small gestures for patients and colleagues.",
        },
    },
    {
        "key": "recommend",
        "short_labels": {
            "nl": "Team aanbevelen als werkplek",
            "fr": "Recommander l'équipe comme lieu de travail",
            "en": "Would recommend the team",
        },
        "level": "impact_professionals",
        "scale_min": 0,
        "scale_max": 10,
        "favourable_from": 9,
        "texts": {
            "nl": "Hoe waarschijnlijk is het dat u dit team aanbeveelt als plek om te werken?",
            "fr": "Quelle est la probabilité que vous recommandiez cette équipe comme lieu de "
            "travail ?",
            "en": "How likely are you to recommend this team as a place to work?",
        },
        "low_labels": {"nl": "Helemaal niet", "fr": "Pas du tout", "en": "Not at all"},
        "high_labels": {"nl": "Zeker wel", "fr": "Certainement", "en": "Certainly"},
    },
    {
        "key": "moment",
        "short_labels": {
            "nl": "Een gebaar dat bijbleef",
            "fr": "Un geste marquant",
            "en": "A gesture that stayed",
        },
        "level": "impact_patients",
        "kind": "text",
        "texts": {
            "nl": "Welk klein gebaar is u bijgebleven? (niet verplicht; noem geen namen)",
            "fr": "Quel petit geste vous a marqué ? (facultatif ; ne citez pas de noms)",
            "en": "Which small gesture stayed with you? (optional; please name no one)",
        },
    },
]


def load(Instrument, Item):
    """Create the Mangomoment pulse and its items where missing; returns the instrument."""
    instrument, _ = Instrument.objects.get_or_create(
        slug=SLUG,
        defaults={
            "names": INSTRUMENT["names"],
            "rights_holder": RIGHTS,
            "licence_note": INSTRUMENT["licence_note"],
            "shipped": True,
        },
    )
    have = set(Item.objects.filter(instrument=instrument).values_list("key", flat=True))
    # The data migration 0002 runs with the models as they were then (no short names yet).
    named = any(f.name == "short_labels" for f in Item._meta.get_fields())
    for order, data in enumerate(ITEMS, start=1):
        if data["key"] in have:
            continue
        scale = data.get("kind", "scale") == "scale"
        Item.objects.create(
            instrument=instrument,
            key=data["key"],
            order=order * 10,
            kind=data.get("kind", "scale"),
            texts=data["texts"],
            **({"short_labels": data["short_labels"]} if named else {}),
            level=data["level"],
            scale_min=data.get("scale_min", 1),
            scale_max=data.get("scale_max", 5),
            favourable_from=data.get("favourable_from", 4),
            low_labels=data.get("low_labels", AGREE_LOW if scale else {}),
            high_labels=data.get("high_labels", AGREE_HIGH if scale else {}),
            required=False,
        )
    return instrument


def label_shipped(Instrument, Item):
    """Give the shipped items their short names where they have none (for charts)."""
    for data in ITEMS:
        Item.objects.filter(instrument__slug=SLUG, key=data["key"], short_labels={}).update(
            short_labels=data["short_labels"]
        )
