"""This app's part of ``mango demo_load`` (illustrative data only): a finished two-round
Delphi on candidate statements for the Mangomoment model, rated by 40 illustrative panellists
in five stakeholder groups, and a consensus meeting with one live session (votes on importance
and feasibility, a top-5 ranking and decisions). Loading again replaces both studies.

Every write goes through ``actions``, as the pages do; the scores are drawn from a seeded
generator, so each load gives the same figures.
"""

from __future__ import annotations

import random

from django.contrib.auth import get_user_model

from . import actions, results
from .models import Study

DELPHI_TITLE = "Mangomoment-model: kandidaat-uitspraken (demo)"
MEETING_TITLE = "Consensusbijeenkomst Mangomoment-model (demo)"
GROUPS = ["patient", "family", "professional", "manager", "researcher"]
PER_GROUP = 8  # 40 panellists

SECTIONS = [
    {"nl": "Voorwaarden", "fr": "Conditions préalables", "en": "Preconditions"},
    {"nl": "Impact", "fr": "Impact", "en": "Impact"},
    {"nl": "Positieve resonantie", "fr": "Résonance positive", "en": "Positive resonance"},
]
# (section, statement in nl/fr/en, mean score in round 1, spread, group shifts)
STATEMENTS = [
    (
        0,
        {
            "nl": (
                "De persoonlijkheid en openheid van de patiënt bepalen mee of een gebaar aankomt."
            ),
            "fr": "La personnalité et l'ouverture du patient déterminent si un geste est reçu.",
            "en": "The patient's personality and openness decide whether a gesture lands.",
        },
        6.8,
        1.6,
        {"patient": 0.6, "manager": -0.6},
    ),
    (
        0,
        {
            "nl": "Zorgverleners hebben professionele en persoonlijke ruimte nodig voor gebaren.",
            "fr": (
                "Les soignants ont besoin d'un espace professionnel et personnel pour les gestes."
            ),
            "en": "Professionals need professional and personal room for gestures.",
        },
        8.0,
        0.9,
        {},
    ),
    (
        0,
        {
            "nl": "Veilige en correcte zorg is de basis waarop een Mangomoment kan groeien.",
            "fr": "Des soins sûrs et corrects sont la base d'un moment Mangomoment.",
            "en": "Safe and correct care is the base a Mangomoment grows on.",
        },
        8.3,
        0.8,
        {},
    ),
    (
        0,
        {
            "nl": "Leidinggevenden die persoonsgerichte zorg steunen, maken gebaren vaker.",
            "fr": (
                "Des managers qui soutiennent les soins centrés sur la personne rendent les "
                "gestes plus fréquents."
            ),
            "en": "Leaders who support person-centred care make gestures more frequent.",
        },
        7.4,
        1.3,
        {"manager": 0.8, "patient": -0.8},
    ),
    (
        0,
        {
            "nl": "Een vaste tijd per dag voor kleine gebaren moet in het uurrooster staan.",
            "fr": "Un temps fixe par jour pour les petits gestes doit figurer dans le planning.",
            "en": "A fixed time each day for small gestures belongs in the rota.",
        },
        4.2,
        1.8,
        {"manager": -1.2, "professional": 0.5},
    ),
    (
        1,
        {
            "nl": "Mangomomenten geven patiënten en familie een betere zorgervaring.",
            "fr": (
                "Les moments Mangomoment améliorent l'expérience des soins des patients et "
                "des proches."
            ),
            "en": "Mangomoments give patients and family a better experience of care.",
        },
        8.1,
        0.9,
        {},
    ),
    (
        1,
        {
            "nl": "Mangomomenten maken therapietrouw gemakkelijker.",
            "fr": "Les moments Mangomoment facilitent l'adhésion au traitement.",
            "en": "Mangomoments make adherence to therapy easier.",
        },
        6.2,
        1.7,
        {"researcher": -0.8, "patient": 0.6},
    ),
    (
        1,
        {
            "nl": "Gebaren beschermen zorgverleners tegen burn-out en geven werkplezier.",
            "fr": (
                "Les gestes protègent les soignants du burn-out et donnent de la joie au travail."
            ),
            "en": "Gestures protect professionals against burnout and bring joy in work.",
        },
        7.1,
        1.4,
        {"professional": 0.7},
    ),
    (
        1,
        {
            "nl": "Mangomomenten verhogen de loyaliteit van patiënten aan de organisatie.",
            "fr": "Les moments Mangomoment renforcent la fidélité des patients à l'organisation.",
            "en": "Mangomoments make patients more loyal to the organisation.",
        },
        5.6,
        1.8,
        {"manager": 1.0},
    ),
    (
        2,
        {
            "nl": "Een gebaar bouwt een vertrouwensrelatie tussen patiënt en zorgverlener.",
            "fr": "Un geste construit une relation de confiance entre patient et soignant.",
            "en": "A gesture builds trust between patient and professional.",
        },
        7.9,
        1.0,
        {},
    ),
    (
        2,
        {
            "nl": "Na een Mangomoment verdragen patiënten negatieve ervaringen beter.",
            "fr": (
                "Après un moment Mangomoment, les patients tolèrent mieux les expériences "
                "négatives."
            ),
            "en": "After a Mangomoment patients tolerate negative experiences better.",
        },
        6.4,
        1.6,
        {"family": 0.5},
    ),
    (
        2,
        {
            "nl": "Een Mangomoment moet altijd geregistreerd worden in het dossier.",
            "fr": "Un moment Mangomoment doit toujours être enregistré dans le dossier.",
            "en": "A Mangomoment should always be recorded in the patient file.",
        },
        3.0,
        1.5,
        {"researcher": 0.8},
    ),
]
PROPOSAL = {
    "nl": "Gebaren zorgen voor open communicatie en een veilig klimaat in het team.",
    "fr": "Les gestes favorisent une communication ouverte et un climat sûr dans l'équipe.",
    "en": "Gestures bring open communication and a safe climate in the team.",
}
# Panellists who leave after round 1 (attrition shows per group): two patients, one family.
DROP_OUT = {0, 1, PER_GROUP}


def _score(rng, mean, spread, shift):
    return max(1, min(9, round(rng.gauss(mean + shift, spread))))


def _delphi(researcher, rng) -> Study:
    study = actions.create_study(
        researcher,
        title=DELPHI_TITLE,
        kind="delphi",
        question={
            "nl": "Hoe belangrijk is deze uitspraak voor het Mangomoment-model?",
            "fr": "Quelle est l'importance de cet énoncé pour le modèle Mangomoment ?",
            "en": "How important is this statement for the Mangomoment model?",
        },
        instructions={
            "nl": "Geef elke uitspraak een score van 1 (niet belangrijk) tot 9 (heel belangrijk).",
            "fr": "Donnez à chaque énoncé un score de 1 (pas important) à 9 (très important).",
            "en": "Score each statement from 1 (not important) to 9 (very important).",
        },
        feedback_by_group=True,
    )
    sections = [actions.add_section(researcher, study, title=t) for t in SECTIONS]
    items = []
    for section, text, *_ in STATEMENTS:
        items.append(
            actions.add_item(researcher, study, text=text, section=sections[section], audit=False)
        )
    actions.set_rule(researcher, study, {"kind": "comet", "scope": "both"})
    panel = actions.add_panellists(
        researcher,
        study,
        [
            {
                "email": f"panellid-{g}-{n + 1}@demo.invalid",
                "group": g,
                "language": "fr" if n % 4 == 3 else "nl",
            }
            for g in GROUPS
            for n in range(PER_GROUP)
        ],
    )
    criterion = study.criteria.get()

    # Round 1: everyone answers; some are unable to judge the outcome statements.
    round1 = actions.open_round(researcher, study)
    for n, p in enumerate(panel):
        for item, (_, _, mean, spread, shifts) in zip(items, STATEMENTS, strict=True):
            unable = p.group == "patient" and item.key in ("S9",) and n % 3 == 0
            score = None if unable else _score(rng, mean, spread, shifts.get(p.group, 0))
            comment = None
            if n % 9 == 0 and item.key in ("S1", "S5", "S7"):
                comment = {
                    "S1": "Dit hangt ook af van de dag en van de pijn.",
                    "S5": "Een vast moment maakt het geforceerd.",
                    "S7": "Moeilijk te meten; ik heb het wel gezien bij ouderen.",
                }[item.key]
            actions.save_answer(p, round1, item, {criterion.pk: score}, comment=comment)
        actions.submit(p, round1)
    proposal = actions.propose(panel[20], round1, PROPOSAL["nl"])
    actions.close_round(researcher, round1)

    # Between rounds: items that reached consensus (in or out) are dropped, the proposal added.
    statuses = results.primary_status(round1)
    agreed = [i for i in items if statuses.get(i.pk) in ("in", "out")]
    if agreed:
        actions.drop_items(researcher, study, agreed, after_round=1)
    added = actions.add_proposal_as_item(researcher, proposal, text=PROPOSAL)

    # Round 2: scores move towards the panel's round-1 median; three panellists drop out.
    round2 = actions.open_round(researcher, study)
    medians = {c.item.pk: c.summary.median for c in results.round_cells(round1)}
    means = {
        i.pk: (mean, spread, shifts)
        for i, (_, _, mean, spread, shifts) in zip(items, STATEMENTS, strict=True)
    }
    means[added.pk] = (7.6, 1.0, {"professional": 0.4})
    for n, p in enumerate(panel):
        if n in DROP_OUT:
            continue
        for item in round2.items.all():
            mean, spread, shifts = means[item.pk]
            centre = (mean + medians[item.pk]) / 2 if item.pk in medians else mean
            score = _score(rng, centre, spread * 0.7, shifts.get(p.group, 0) * 0.6)
            actions.save_answer(p, round2, item, {criterion.pk: score})
        actions.submit(p, round2)
    actions.close_round(researcher, round2)
    return study


def _meeting(researcher, rng, delphi: Study) -> Study:
    """A consensus meeting on the items still undecided after the Delphi: importance and
    feasibility voted live, a top 5, and decisions with their rationale."""
    last = delphi.rounds.order_by("-number").first()
    undecided = [c.item for c in results.round_cells(last) if c.status == "undecided"] or list(
        delphi.items.all()[:5]
    )
    study = actions.create_study(
        researcher,
        title=MEETING_TITLE,
        kind="meeting",
        question={
            "nl": "Welke uitspraken nemen we op in het model?",
            "fr": "Quels énoncés retenons-nous dans le modèle ?",
            "en": "Which statements do we take into the model?",
        },
        criteria=[
            {
                "key": "importance",
                "label": {"nl": "Belang", "fr": "Importance", "en": "Importance"},
            },
            {
                "key": "feasibility",
                "label": {"nl": "Haalbaarheid", "fr": "Faisabilité", "en": "Feasibility"},
            },
        ],
        groups=[
            ["patient", "Patiënt"],
            ["family", "Familielid"],
            ["professional", "Zorgverlener"],
            ["manager", "Leidinggevende"],
            ["researcher", "Onderzoeker"],
            ["policymaker", "Beleidsmaker"],
        ],
    )
    items = [
        actions.add_item(researcher, study, text=i.text, key=i.key, audit=False) for i in undecided
    ]
    actions.set_rule(researcher, study, {"kind": "comet", "scope": "panel"})
    session = actions.create_live_session(researcher, study, name="Consensusbijeenkomst, zaal 1")
    room = [
        actions.live_join(session, g)
        for g in [
            "patient",
            "patient",
            "family",
            "professional",
            "professional",
            "professional",
            "manager",
            "manager",
            "researcher",
            "researcher",
            "policymaker",
            "family",
        ]
    ]
    importance, feasibility = study.criteria.all()
    for n, item in enumerate(items):
        actions.live_show(researcher, session, item=item)
        for p in room:
            actions.live_vote(p, importance, _score(rng, 7.0 - n * 0.4, 1.2, 0))
            actions.live_vote(p, feasibility, _score(rng, 5.5 + (n % 3), 1.5, 0))
        if n == 0:  # undecided in the room: a re-vote after discussion
            actions.live_revote(researcher, session)
            for p in room:
                actions.live_vote(p, importance, _score(rng, 7.6, 0.8, 0))
                actions.live_vote(p, feasibility, _score(rng, 6.8, 1.0, 0))
        decision = "in" if n < 2 else ("out" if n == len(items) - 1 else "undecided")
        actions.decide(
            researcher,
            session,
            item,
            decision=decision,
            rationale={
                "in": "Breed gedragen door alle groepen na bespreking.",
                "out": "Te weinig steun; het panel ziet dit als gevolg, niet als kern.",
                "undecided": "Terug naar de werkgroep voor een scherpere formulering.",
            }[decision],
        )
    actions.live_show(researcher, session, item=None, mode="ranking")
    for p in room:
        ballot = items[:]
        rng.shuffle(ballot)
        ballot.sort(key=lambda i: rng.random() * 2 + items.index(i))
        actions.live_rank(p, ballot[:5])
    return study  # the screen shows the top 5


def load(stdout) -> None:
    """Called by demo_load after the stories are loaded and moderated."""
    researcher = get_user_model().objects.filter(username="researcher").first()
    Study.objects.filter(title__in=[DELPHI_TITLE, MEETING_TITLE]).delete()
    rng = random.Random(2020)
    delphi = _delphi(researcher, rng)
    meeting = _meeting(researcher, rng, delphi)
    last = delphi.rounds.order_by("-number").first()
    statuses = [c.status for c in results.round_cells(last)]
    stdout.write(
        f"Consensus: a two-round Delphi with {delphi.panellists.count()} panellists "
        f"({statuses.count('in')} in, {statuses.count('out')} out, "
        f"{statuses.count('undecided')} undecided in round 2) and a live session "
        f"(room code {meeting.live_sessions.get().code})."
    )
