"""The sentences on a poster, in the poster's language.

The English sentences are the translators' source (marked with ``gettext_noop`` so makemessages
finds them). Until a translation catalogue has them, the Dutch and French drafts below are used,
so posters printed today are right in all three languages; a translator's version, once there,
wins over the draft.
"""

from django.utils.translation import gettext, gettext_noop
from django.utils.translation import override as language_override

SOURCE = {
    "title": gettext_noop("Did you experience a Mangomoment?"),
    "explanation": gettext_noop(
        "A Mangomoment is a small, unexpected gesture in care that means a great deal to "
        "someone: a patient, a resident, a family member or a carer. It costs little or no "
        "time or money, and fits exactly what that person needed at that moment."
    ),
    "ask": gettext_noop("Tell us your story."),
    "scan": gettext_noop("Scan the code with your phone’s camera, or type the link:"),
    "time": gettext_noop("It takes 5 minutes, and you can stay anonymous if you wish."),
    "why": gettext_noop("Your story shows care teams what makes care warmer."),
}

# French typography puts a (non-breaking) space before ? and :.
NBSP = "\u00a0"

DRAFTS = {
    "nl": {
        "title": "Hebt u een Mangomoment beleefd?",
        "explanation": (
            "Een Mangomoment is een klein, onverwacht gebaar in de zorg dat voor iemand heel "
            "veel betekent: een patiënt, een bewoner, een familielid of een zorgverlener. Het "
            "kost weinig of geen tijd of geld, en past precies bij wat die persoon op dat moment "
            "nodig had."
        ),
        "ask": "Vertel ons uw verhaal.",
        "scan": "Scan de code met de camera van uw smartphone, of typ de link:",
        "time": "Het duurt 5 minuten, en u mag anoniem blijven als u dat wilt.",
        "why": "Met uw verhaal zien zorgteams wat zorg warmer maakt.",
    },
    "fr": {
        "title": f"Avez-vous vécu un moment Mango{NBSP}?",
        "explanation": (
            "Un moment Mango, c’est un petit geste inattendu dans les soins qui compte beaucoup "
            f"pour quelqu’un{NBSP}: un patient, un résident, un proche ou un soignant. Il ne "
            "coûte que peu ou pas de temps ni d’argent, et répond exactement à ce dont cette "
            "personne avait besoin à cet instant."
        ),
        "ask": "Racontez-nous votre histoire.",
        "scan": (
            f"Scannez le code avec l’appareil photo de votre smartphone, ou tapez le lien{NBSP}:"
        ),
        "time": "Cela prend 5 minutes, et vous pouvez rester anonyme si vous le souhaitez.",
        "why": (
            "Votre histoire montre aux équipes de soins ce qui rend les soins plus chaleureux."
        ),
    },
}


def poster_texts(language: str) -> dict[str, str]:
    """Every sentence of the poster in ``language``: the translation, else the draft."""
    drafts = DRAFTS.get(language, {})
    texts = {}
    with language_override(language):
        for key, source in SOURCE.items():
            translated = gettext(source)
            texts[key] = translated if translated != source else drafts.get(key, source)
    return texts
