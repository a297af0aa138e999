"""Word lists and the small text helpers the rules share: tokens, sentence starts, phrase lookup.

The long lists (municipalities, institutions, first names) are plain text files in ``data/``,
read once on first use. The short closed lists (roles, titles, kinship words, months, words
that must never be taken for a name) live here, because they are part of the rules.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import NamedTuple

DATA = Path(__file__).resolve().parent / "data"


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# --- tokens and sentences -------------------------------------------------------------------

# A word: letters and digits with inner hyphens and apostrophes ("Sint-Niklaas",
# "l'infirmière", "Braine-l'Alleud"), starting with a letter.
_TOKEN = re.compile(r"[^\W\d_](?:[\w'’-]*[^\W_])?")


class Token(NamedTuple):
    start: int
    end: int
    text: str


def tokenize(text: str) -> list[Token]:
    return [Token(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]


# Abbreviations after which a full stop does not end a sentence.
ABBREVIATIONS = _words(
    "Dr dr Drs drs Prof prof St st Sint Mr Mrs Ms Mx M Mme Mlle Mevr mevr Dhr dhr Mw mw "
    "Jr jr Sr sr nr Nr bv vb enz etc resp ca Ste Me Mgr Zr zr Br br vzw VZW"
)
_OPENING = "'\"“‘«„(‹[–—-"


def is_sentence_start(text: str, pos: int) -> bool:
    """True when the word at ``pos`` opens a sentence, a line or a quotation."""
    j = pos - 1
    if j >= 0 and text[j] in _OPENING and (j == 0 or text[j - 1].isspace() or text[j - 1] in ":("):
        return True
    while j >= 0 and text[j] in " \t\u00a0":
        j -= 1
    while j >= 0 and text[j] in _OPENING:
        j -= 1
        while j >= 0 and text[j] in " \t\u00a0":
            j -= 1
    if j < 0:
        return True
    c = text[j]
    if c in "!?…\n:;":
        return True
    if c == ".":
        k = j
        while k > 0 and (text[k - 1].isalpha()):
            k -= 1
        word = text[k:j]
        # "Dr. Martine", "J. Peeters": an abbreviation or an initial, not a sentence end.
        return not (word in ABBREVIATIONS or (len(word) == 1 and word.isupper()))
    return False


def is_capitalised(word: str) -> bool:
    return word[:1].isupper() and not word.isupper() or (len(word) == 1 and word.isupper())


def base_word(word: str) -> str:
    """The word without a possessive ending: "Mary's" -> "Mary", "Jan’s" -> "Jan"."""
    for suffix in ("'s", "’s", "'", "’"):
        if word.endswith(suffix) and len(word) > len(suffix) + 1:
            return word[: -len(suffix)]
    return word


def elided(word: str) -> str:
    """The word after a French elision: "l'infirmière" -> "infirmière"."""
    for mark in ("'", "’"):
        if mark in word:
            head, _, tail = word.partition(mark)
            if head.lower() in {"l", "d", "qu", "j", "m", "s", "n", "c"} and tail:
                return tail
    return word


# --- phrase lookup ----------------------------------------------------------------------------


class Gazetteer:
    """Exact, case-sensitive lookup of multi-word names in a token stream.

    Entries are tokenized like the text, and the characters between their tokens must match
    the text's (any run of whitespace counts as one space), so "La Louvière" matches "La
    Louvière" and not "la louvière" or "La. Louvière"."""

    def __init__(self, entries):
        self._index: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]] = {}
        for entry in entries:
            tokens = tokenize(entry)
            if not tokens:
                continue
            words = tuple(t.text for t in tokens)
            gaps = tuple(
                _norm_gap(entry[a.end : b.start]) for a, b in zip(tokens, tokens[1:], strict=False)
            )
            self._index.setdefault(words[0], []).append((words, gaps))
        for options in self._index.values():
            options.sort(key=lambda o: -len(o[0]))

    def find(self, text: str, tokens: list[Token]) -> list[tuple[int, int]]:
        """(first, last) token indexes of each longest match, left to right, not overlapping."""
        found, i = [], 0
        while i < len(tokens):
            for words, gaps in self._index.get(tokens[i].text, ()):
                n = len(words)
                if i + n > len(tokens):
                    continue
                if all(tokens[i + k].text == words[k] for k in range(1, n)) and all(
                    _norm_gap(text[tokens[i + k].end : tokens[i + k + 1].start]) == gaps[k]
                    for k in range(n - 1)
                ):
                    found.append((i, i + n - 1))
                    i += n - 1
                    break
            i += 1
        return found

    def __contains__(self, phrase: str) -> bool:
        tokens = tokenize(phrase)
        return bool(tokens) and any(
            len(words) == len(tokens)
            and all(w == t.text for w, t in zip(words, tokens, strict=True))
            for words, _ in self._index.get(tokens[0].text, ())
        )


def _norm_gap(gap: str) -> str:
    return re.sub(r"\s+", " ", gap)


def _read(name: str) -> list[str]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


@cache
def first_names() -> frozenset[str]:
    names = set()
    for name in ("first_names_nl.txt", "first_names_fr.txt", "first_names_en.txt"):
        names.update(_read(name))
    names.update(_read("first_names_other.txt"))
    return frozenset(names - NEVER_NAMES)


@cache
def municipalities() -> Gazetteer:
    return Gazetteer(_read("municipalities.txt"))


@cache
def institutions() -> Gazetteer:
    return Gazetteer(_read("institutions.txt"))


# --- closed word lists ------------------------------------------------------------------------

# First names that are also ordinary words: a name only after a role, title or kinship word,
# or inside a sentence (never as the capitalised first word of one).
NAMES_ALSO_WORDS = _words(
    "An Ben Elke Lieve Leen Toon Koen Staf Ward Roos Fleur Lies Rob Fien Miel Greet Mark Frank "
    "Bill Pat Guy Bob Art Dawn Ray Rose Grace Hope Faith Joy Carol Holly Ivy Daisy Lily Ruby "
    "Hazel Heather Violet Amber Jade Iris Sandy Rich Will Don Dean Sue Marine Aimé Prosper "
    "Constant Clément Victoire Blanche Aurore Olive Maxime Said"
)

# Never a person's name, whatever a list says (feasts that are also names, words of the
# domain): they also stop a name from running on.
NEVER_NAMES = _words("Noël Christian Eve Gran Mango Mangomoment April May June August")

# Words that are capitalised in stories but identify no one: feasts, days, months, countries,
# regions, languages, religions, brands, eponymous diseases.
KEEP_WORDS = _words(
    # feasts
    "Kerstmis Kerst Kerstavond Kerstdag Kerstfeest Pasen Paasdag Pinksteren Nieuwjaar Oudjaar "
    "Oudejaar Oudejaarsavond Sinterklaas Allerheiligen Allerzielen Moederdag Vaderdag Valentijn "
    "Valentijnsdag Carnaval Ramadan Suikerfeest Offerfeest Noël Pâques Toussaint Réveillon "
    "Christmas Easter Halloween Thanksgiving Hanukkah Eid Diwali Boxing New Year Eve "
    # days and months
    "Maandag Dinsdag Woensdag Donderdag Vrijdag Zaterdag Zondag Lundi Mardi Mercredi Jeudi "
    "Vendredi Samedi Dimanche Monday Tuesday Wednesday Thursday Friday Saturday Sunday "
    "Januari Februari Maart April Mei Juni Juli Augustus September Oktober November December "
    "Janvier Février Mars Avril Mai Juin Juillet Août Septembre Octobre Novembre Décembre "
    "January February March May June July August "
    # countries, regions, languages, peoples
    "België Belgique Belgium Vlaanderen Flandre Flandres Flanders Wallonië Wallonie Wallonia "
    "Nederland Frankrijk France Duitsland Allemagne Germany Spanje Espagne Spain Italië Italie "
    "Italy Marokko Maroc Morocco Turkije Turquie Turkey Syrië Syrie Syria Polen Pologne Poland "
    "Ierland Irlande Ireland Engeland Angleterre England Schotland Écosse Scotland Wales Europa "
    "Europe Afrika Afrique Africa Congo Kongo Luxemburg Luxembourg Limburg Kempen Westhoek "
    "Pajottenland Meetjesland Waasland Haspengouw Ardennen Ardennes Condroz Famenne Borinage "
    "West-Vlaanderen Oost-Vlaanderen Vlaams-Brabant Waals-Brabant Henegouwen Hainaut Brabant "
    "Nederlands Vlaams Frans Engels Duits Arabisch Turks Pools Dutch Flemish French English "
    "German British Irish Scottish Belgian Belg Belgische Belgisch Vlaamse Waalse Brusselse "
    "Syrische Marokkaanse Turkse Poolse Congolese néerlandais français anglais flamand "
    "Français Anglais Flamand Néerlandais Arabic Turkish Polish Spanish Italian "
    # religion
    "God Allah Jezus Christus Bijbel Koran Dieu Jésus Bible Coran Lord Jesus Quran "
    # brands, media, diseases, domain words
    "Mangomoment Mangomomenten Mango Covid COVID Corona Alzheimer Parkinson Down Crohn Hodgkin "
    "Kahler Huntington Tintin Kuifje Netflix WhatsApp Facebook Skype Zoom iPad Spotify YouTube "
    "Lego Playmobil Nutella Duvel MRI CT PET ICU IZ Spoed Intensieve Oncologie Cardiologie "
    "Hematologie Geriatrie Pediatrie Materniteit Palliatieve Revalidatie Chemo Bingo Scrabble "
    "Rummikub Monopoly Uno Jenga Red Cross Rode Kruis Croix-Rouge Ronde Tour Duivels Devils "
    "Diables Rouges Brel Stromae Adamo Clouseau Sinatra Elvis Beatles Mozart Bach Beethoven "
    "Chopin Schubert Vivaldi Piaf Aznavour"
)

# Capitalised function words and sentence openers: never a name, and they end a name.
STOP_CAPS = _words(
    # Dutch
    "De Het Een Ik Je Jij U Hij Zij Ze We Wij Jullie Mijn Zijn Haar Ons Onze Hun Die Dat Deze "
    "Dit Wat Wie Waar Wanneer Hoe Waarom En Maar Of Want Dus Toen Als Na Voor Op In Aan Bij "
    "Met Van Om Tot Door Over Onder Naast Sinds Nu Dan Ook Nog Al Geen Niet Er Daar Hier Elke "
    "Iedereen Niemand Iemand Alles Niets Zo Ja Nee Dank Merci Bedankt Sorry Proficiat Dag "
    "Goeiedag Hallo Allee Amai Zalig Oké Ok Pak Kijk Zeg Kom Ga Stil Toe Welkom Gelukkig Eerst "
    "Daarna Later Vandaag Gisteren Morgen Sindsdien Achteraf Onlangs Vorige Vorig Volgende "
    "Iedere Sommige Veel Weinig Twee Drie Vier Vijf Zes Zeven Acht Negen Tien Mama Papa Opa "
    "Oma Meneer Mevrouw Dokter Zuster Collega Niks Zelfs Soms Altijd Nooit Even Heel Echt "
    "Natuurlijk Samen Tijdens Terwijl Omdat Zonder Tegen Uw Hen Hem Men Wel Goed Tot Plots "
    # French
    "Le La Les Un Une Des Du Je Tu Il Elle On Nous Vous Ils Elles Mon Ma Mes Ton Ta Son Sa Ses "
    "Notre Nos Votre Vos Leur Leurs Ce Cette Ces Qui Que Quoi Où Quand Comment Pourquoi Et Mais "
    "Ou Donc Car Puis Alors Après Avant Pendant Depuis Avec Sans Pour Par Dans Sur Sous Chez "
    "À Au Aux Bonjour Bonsoir Oui Non Ça Cela Tout Toute Tous Toutes Chaque Personne Rien "
    "Aujourd'hui Hier Demain Ensuite Enfin Maintenant Madame Monsieur Mademoiselle Docteur "
    "Maman Papy Mamie Grâce Quelques Plusieurs Même Aussi Toujours Jamais Une Lorsque Comme "
    # English
    "The A An I You He She It We They My Your His Her Its Our Their This That These Those Who "
    "What Where When Why How And But Or So Then After Before During Since With Without For By "
    "On At To From Of Every Each Everyone Nobody Somebody Someone Nothing Everything Yes No "
    "Thank Thanks Sorry Hello Hi Dear Oh Morning Evening Night Today Yesterday Tomorrow Later "
    "Last Next One Two Three Four Five Six Seven Eight Nine Ten Mum Mom Dad Mummy Daddy Granny "
    "Grandma Grandpa Nan Nana Sir Madam Miss Doctor Nurse Sister Even Also Only Just Still "
    "Once Always Never Sometimes Because While Although Though If Instead Here There Now Not "
    "All Some Many Most Both Any Another Other Such Very Well Good Great Little Big Dr Mr Mrs"
)

# Staff roles, lowercase. A capitalised word right after one is a staff member's name.
STAFF_ROLES = _words(
    # Dutch
    "verpleegster verpleegkundige verpleger verpleegkundigen hoofdverpleegkundige "
    "hoofdverpleegster thuisverpleegster thuisverpleegkundige nachtverpleegster "
    "nachtverpleegkundige zorgkundige verzorgende verzorgster verzorger zuster dokter docter "
    "arts huisarts kinderarts hoofdarts geriater oncoloog cardioloog hematoloog neuroloog "
    "psychiater psycholoog psychologe chirurg anesthesist radioloog gynaecoloog uroloog "
    "pneumoloog internist specialist assistent assistente kinesist kinesiste kine kiné "
    "kinesitherapeut fysiotherapeut ergotherapeut ergo logopedist logopediste diëtist diëtiste "
    "vroedvrouw vroedkundige brancardier pastor aalmoezenier begeleider begeleidster opvoeder "
    "opvoedster animator animatrice collega stagiair stagiaire student studente vrijwilliger "
    "vrijwilligster poetsvrouw poetshulp onthaalmedewerker onthaalmedewerkster medewerker "
    "medewerkster secretaresse apotheker apothekeres ambulancier teamleider hoofdvroedvrouw "
    "zorgcoördinator coördinator verpleegassistent zorgverlener dr prof professor "
    "werker werkster kapster pedicure kok "
    # French
    "infirmière infirmier infirmières aide-soignante aide-soignant soignante soignant docteur "
    "médecin professeur kinésithérapeute kinésithérapeute ergothérapeute logopède psychologue "
    "sage-femme brancardière bénévole aumônier aumônière diététicienne diététicien oncologue "
    "chirurgien chirurgienne cardiologue pédiatre gériatre généraliste anesthésiste radiologue "
    "pneumologue hématologue neurologue interne collègue étudiante étudiant éducatrice "
    "éducateur animateur secrétaire puéricultrice puériculteur ambulancière accueillante "
    "technicienne technicien coordinatrice coordinateur pharmacienne pharmacien kiné "
    # English
    "nurse doctor consultant surgeon registrar physio physiotherapist therapist midwife porter "
    "volunteer chaplain carer caregiver paramedic receptionist cleaner dietitian dietician "
    "psychologist oncologist cardiologist haematologist hematologist anaesthetist anesthetist "
    "radiologist pharmacist colleague matron hca gp assistant technician "
    "coordinator nurses doctors"
)
STAFF_ROLE_SUFFIXES = (
    "verpleegster",
    "verpleegkundige",
    "verpleger",
    "zorgkundige",
    "therapeut",
    "huisarts",
    "kinderarts",
    "dokter",
    "medewerker",
    "medewerkster",
    "oloog",
    "ologe",
    "thérapeute",
    "soignante",
    "ologue",
    "ologist",
    "therapist",
)
# Staff titles that may stand before a first name ("Dr. Martine", "dokter Koen").
STAFF_TITLES = _words("Dr dr Dr. dr. Prof prof Prof. prof. Dokter dokter Docteur docteur Doctor")

# Titles of address: the name after one is a person's, never kept.
PERSON_TITLES = _words(
    "Mr Mrs Ms Miss Mx Mister Sir Lady Madam M Mme Mlle Madame Monsieur Mademoiselle Mevrouw "
    "mevrouw Meneer meneer Mijnheer mijnheer Mevr mevr Dhr dhr Mw mw Juffrouw juffrouw Zr Br "
    "Zuster Broeder Pater Père Soeur Sœur "
    # written in lowercase inside a French sentence: "... et madame Gilson", "monsieur Hardy"
    "madame monsieur mademoiselle mme mlle"
)

# Kinship and other personal relations: the name after one is a patient's or relative's.
KINSHIP = _words(
    # Dutch
    "man vrouw echtgenoot echtgenote partner vriend vriendin zoon dochter vader moeder papa "
    "mama pa ma opa oma grootvader grootmoeder bompa bomma vava moemoe broer zus zuster "
    "kleinzoon kleindochter kleinkind neef nicht schoonzoon schoondochter schoonmoeder "
    "schoonvader schoonzus schoonbroer tante nonkel oom buurman buurvrouw petekind meter "
    "peter zoontje dochtertje kindje baby kleine kleinzoontje kleindochtertje "
    "pleegzoon pleegdochter stiefvader stiefmoeder stiefzoon stiefdochter hond kat "
    "halfbroer halfzus achterkleinkind achterkleinzoon achterkleindochter overgrootmoeder "
    "overgrootvader metekind "
    # French
    "mari femme époux épouse compagnon compagne fils fille père mère maman papy mamie "
    "grand-mère grand-père frère sœur soeur petit-fils petite-fille oncle tante cousin cousine "
    "neveu nièce ami amie voisin voisine gendre belle-fille belle-mère beau-père filleul "
    "filleule chien chat bébé beau-frère belle-sœur belle-soeur demi-frère demi-sœur "
    "demi-soeur beaux-parents petit-neveu petite-nièce arrière-petit-fils arrière-petite-fille "
    # English
    "husband wife son daughter father mother dad mum mom brother sister grandson "
    "granddaughter grandmother grandfather grandma grandpa granny gran nan uncle aunt cousin "
    "nephew niece friend neighbour neighbor boyfriend girlfriend fiancé fiancée fiance "
    "brother-in-law sister-in-law son-in-law daughter-in-law mother-in-law father-in-law "
    "great-grandson great-granddaughter grandchild godmother godfather "
    "fiancee stepson stepdaughter stepfather stepmother godson goddaughter dog cat baby"
)
POSSESSIVES = _words(
    "mijn onze ons zijn haar hun my our his her their mon ma mes notre nos son sa ses"
)

# Words that introduce a name: "genaamd Jolien", "called Sarah", "qui s'appelle Inès".
NAMING_WORDS = _words(
    "genaamd heet heette noemt noemde named called appelle appelait prénommé prénommée "
    "nommé nommée dénommé dénommée"
)

# Surname particles: they may stand inside a name but never end one.
PARTICLES = _words(
    "van de der den ter ten 't het vande vanden vander Van De Der Den Ter Ten Vande Vanden Vander "
    "le la du des d' di da del dos el al bin ben Le La Du Des Da Di Del El Al St St. Sint"
)


# Particles that open a Flemish, Dutch or French surname when capitalised ("De Clercq",
# "Van der Heyden", "Vanden Abeele", "Le Bihan", "Du Bois"). A name found right after one of
# these takes it in, so that no "De [NAAM]" is left.
SURNAME_PARTICLES = _words(
    "De Van Vande Vanden Vander Der Den Ter Ten Le La Du Des Da Di Del Della Dos"
)
# Lowercase words that may follow a capitalised particle inside it: "Van der", "Van de",
# "Van den".
PARTICLE_INNER = _words("de der den ter ten la le des")


def is_staff_role(word: str) -> bool:
    low = base_word(elided(word)).lower()
    if low in STAFF_ROLES:
        return True
    if low.endswith("s") and low[:-1] in STAFF_ROLES and len(low) > 4:
        return True  # "nurses", "collega's" is caught by its base below
    return low.endswith(STAFF_ROLE_SUFFIXES) and len(low) > 6


def is_kin(word: str) -> bool:
    return elided(word).lower() in KINSHIP


def blocks_name(word: str) -> bool:
    """True for words that can never be (part of) a person's name."""
    return (
        word in STOP_CAPS
        or word in KEEP_WORDS
        or word in NEVER_NAMES
        or is_staff_role(word)
        or word.lower() in KINSHIP
    )


# Municipalities that are also ordinary words in one of the languages: taken for a place only
# inside a sentence, never as its capitalised first word ("As I was...", "Boom!", "Manage").
PLACES_ALSO_WORDS = _words(
    "As Ham Spa Lens Boom Mol Peer Geel Lint Malle Halen Lede Landen Balen Lot Bever Muizen "
    "Heffen Meer Wortel Paal Zolder Appels Kalken Doel Burcht Melden Lauwe Laken Vorst Haren "
    "Wellen Eine Mater Alken Essen Pelt Heist Proven Outer Ways Champion Aye Forest Celles "
    "Bouge Saintes Tertre Clavier Héron Bouillon Ans Philippine Manage Silly Dour Hove Elst "
    "Welle Roux Tilly Bergen Hal Herne Niel Olen Puurs Staden Ravels Kessel Lille Putte Lier "
    "Heers Stene Esen Loker Marke Zuun Welden Outer Donk Meise Melle"
)
