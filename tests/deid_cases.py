"""Sentences written for the de-identification tests, in the manner of real Mangomoments.

Each case names the substrings that must be redacted (``must_go``, with the kind of thing they
are) and ordinary words that must survive (``must_stay``). Every name, place, number and date
here is invented. Cases are written to be realistic, not to suit the rules: where the rules miss
something the case says so (``xfail``) and it still counts in the recall figures.

National register numbers used below (checksums computed by hand): 85.07.30-033.28 and
71.02.15-123.59, 90.02.28-166.25 (born before 2000), 05.03.12-123.60 (born in 2005).
BE68 5390 0754 7034 is the IBAN the Belgian banks use as their example.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Case:
    id: str
    language: str
    text: str
    must_go: list[tuple[str, str]] = field(default_factory=list)  # (substring, kind)
    must_stay: list[str] = field(default_factory=list)
    xfail: str | None = None


CASES = [
    # --- Dutch (Flemish) -----------------------------------------------------------------------
    Case(
        "nl-az-groeninge",
        "nl",
        "Op 5 januari kreeg ik in AZ Groeninge mijn eerste immunotherapie. Verpleegkundige Sofie "
        "bracht een bekertje ijswater.",
        [("5 januari", "date"), ("AZ Groeninge", "institution"), ("Sofie", "staff_first_name")],
        ["Op", "immunotherapie", "Verpleegkundige", "bekertje"],
    ),
    Case(
        "nl-uz-leuven",
        "nl",
        "Mijn vader, Jan Peeters, lag in 2019 drie weken in UZ Leuven. Elke ochtend kwam dezelfde "
        "verpleger hem scheren.",
        [("Jan Peeters", "person"), ("UZ Leuven", "institution")],
        ["vader", "2019", "Elke", "ochtend", "verpleger"],
    ),
    Case(
        "nl-jessa",
        "nl",
        "In het Jessa Ziekenhuis Hasselt heeft zorgkundige Nathalie op 14/02 een hartjesballon "
        "aan mijn bed gehangen.",
        [
            ("Jessa Ziekenhuis Hasselt", "institution"),
            ("Nathalie", "staff_first_name"),
            ("14/02", "date"),
        ],
        ["zorgkundige", "hartjesballon", "bed"],
    ),
    Case(
        "nl-phone-email",
        "nl",
        "Bel gerust naar 0478 12 34 56 of mail naar els.vandamme@telenet.be als u vragen hebt, "
        "zei de hoofdverpleegkundige.",
        [("0478 12 34 56", "phone"), ("els.vandamme@telenet.be", "email")],
        ["Bel", "gerust", "vragen", "hoofdverpleegkundige"],
    ),
    Case(
        "nl-nachtdienst",
        "nl",
        "Ahmed van de nachtdienst nam elke keer rustig de telefoon op, ook om drie uur 's nachts.",
        [("Ahmed", "staff_first_name")],
        ["nachtdienst", "telefoon", "drie", "uur"],
    ),
    Case(
        "nl-woonzorgcentrum",
        "nl",
        "Mijn moeder is 84 jaar en woont sinds Pasen in woonzorgcentrum De Linde in Roeselare.",
        [("84 jaar", "age"), ("De Linde", "institution"), ("Roeselare", "location")],
        ["moeder", "Pasen", "woonzorgcentrum"],
    ),
    Case(
        "nl-dokter-weekday-date",
        "nl",
        "Dokter Koen Vermeulen kwam op vrijdag 12 maart 2021 nog even langs voor hij met verlof "
        "ging.",
        [
            ("Koen", "staff_first_name"),
            ("Vermeulen", "person"),
            ("vrijdag 12 maart 2021", "date"),
        ],
        ["Dokter", "langs", "verlof"],
    ),
    Case(
        "nl-dochter",
        "nl",
        "Onze dochter Lotte van zes mocht de verpleegster helpen om een pleister op de pop te "
        "plakken.",
        [("Lotte", "person")],
        ["Onze", "dochter", "zes", "verpleegster", "pleister", "pop"],
    ),
    Case(
        "nl-street",
        "nl",
        "We wonen in de Kerkstraat 24 in Sint-Niklaas, vlak bij het station.",
        [("Kerkstraat 24", "address"), ("Sint-Niklaas", "location")],
        ["wonen", "vlak", "station"],
    ),
    Case(
        "nl-kinesist",
        "nl",
        "Kinesist Pieter legde de oefening zo dat ze eindigde aan het raam, vanwaar mijn man Roger "
        "de duiven kon zien.",
        [("Pieter", "staff_first_name"), ("Roger", "person")],
        ["Kinesist", "oefening", "raam", "duiven"],
    ),
    Case(
        "nl-lieve-mensen",
        "nl",
        "Lieve mensen van de afdeling, bedankt voor alles wat jullie voor Mariette gedaan hebben.",
        [("Mariette", "person")],
        ["Lieve", "mensen", "afdeling", "bedankt"],
    ),
    Case(
        "nl-vrijwilligster",
        "nl",
        "Elke dinsdag in december bracht vrijwilligster Godelieve koffie en speculoos rond in het "
        "dagziekenhuis van AZ Delta.",
        [("Godelieve", "staff_first_name"), ("AZ Delta", "institution")],
        ["Elke", "dinsdag", "december", "koffie", "speculoos", "dagziekenhuis"],
    ),
    Case(
        "nl-age-23",
        "nl",
        "Ik ben 23 en lag daar tussen allemaal oudere mensen, tot zorgkundige Fatima een "
        "spelconsole regelde.",
        [("23", "age"), ("Fatima", "staff_first_name")],
        ["Ik", "oudere", "mensen", "spelconsole"],
    ),
    Case(
        "nl-kerstmis-zna",
        "nl",
        "Met Kerstmis lag mijn man op intensieve zorg in ZNA Middelheim; de verpleging had een "
        "kerstboompje op zijn kast gezet.",
        [("ZNA Middelheim", "institution")],
        ["Kerstmis", "intensieve", "verpleging", "kerstboompje"],
    ),
    Case(
        "nl-rijksregisternummer",
        "nl",
        "Op het briefje aan mijn bed stond gewoon mijn nummer: 85.07.30-033.28, voor iedereen "
        "leesbaar.",
        [("85.07.30-033.28", "identifier")],
        ["briefje", "bed", "nummer", "leesbaar"],
    ),
    Case(
        "nl-iban",
        "nl",
        "Wie iets wil geven voor de bloemen van de afdeling, mag dat storten op BE68 5390 0754 "
        "7034.",
        [("BE68 5390 0754 7034", "identifier")],
        ["bloemen", "afdeling", "storten"],
    ),
    Case(
        "nl-werd-90",
        "nl",
        "Op 3 april werd mijn vader 90 en heel de afdeling geriatrie zong voor hem.",
        [("3 april", "date"), ("90", "age")],
        ["vader", "afdeling", "geriatrie"],
    ),
    Case(
        "nl-verpleegster-els",
        "nl",
        "Verpleegster Els heeft na haar dienst nog een half uur bij mij gezeten, tot mijn man Dirk "
        "mij kwam halen.",
        [("Els", "staff_first_name"), ("Dirk", "person")],
        ["Verpleegster", "dienst", "half", "uur"],
    ),
    Case(
        "nl-mevrouw",
        "nl",
        "Mevrouw Claes van kamer 12 kreeg elke avond een warme kruik van de nachtverpleegster.",
        [("Claes", "person"), ("kamer 12", "room")],
        ["Mevrouw", "avond", "kruik", "nachtverpleegster"],
    ),
    Case(
        "nl-revalidatie",
        "nl",
        "Toen we van het Sint-Trudo Ziekenhuis naar revalidatiecentrum Pellenberg verhuisden, had "
        "de sociale dienst alles al geregeld.",
        [("Sint-Trudo Ziekenhuis", "institution"), ("Pellenberg", "institution")],
        ["Toen", "revalidatiecentrum", "sociale", "dienst"],
    ),
    Case(
        "nl-kleinzoon-age",
        "nl",
        "Mijn kleinzoon Wout (8) mocht met de helm van de ambulancier op de foto.",
        [("Wout", "person"), ("8", "age")],
        ["kleinzoon", "helm", "ambulancier", "foto"],
    ),
    Case(
        "nl-collega-apposition",
        "nl",
        "Jens, een collega van de nacht, zette zachte muziek op voor de patiënt in kamer 4.",
        [("Jens", "staff_first_name"), ("kamer 4", "room")],
        ["collega", "nacht", "muziek", "patiënt"],
    ),
    Case(
        "nl-kortrijk-luik",
        "nl",
        "Wij zijn van Kortrijk, maar mijn zus woont in Luik en kwam elke zondag met de trein.",
        [("Kortrijk", "location"), ("Luik", "location")],
        ["Wij", "zus", "zondag", "trein"],
    ),
    Case(
        "nl-dr-martine",
        "nl",
        "Dr. Martine tekende op de achterkant van een brief hoe de tumor lag.",
        [("Martine", "staff_first_name")],
        ["Dr", "achterkant", "brief", "tumor"],
    ),
    Case(
        "nl-vrouw-full-date",
        "nl",
        "Op maandag 14 februari 2022 stond er een mango op het nachtkastje van mijn vrouw Hilde "
        "Wouters.",
        [("maandag 14 februari 2022", "date"), ("Hilde Wouters", "person")],
        ["mango", "nachtkastje", "vrouw"],
    ),
    Case(
        "nl-jarige-aalst",
        "nl",
        "De 72-jarige patiënt uit Aalst kreeg van de verpleegkundige van AZ Sint-Blasius een "
        "kaartje.",
        [("72-jarige", "age"), ("Aalst", "location"), ("AZ Sint-Blasius", "institution")],
        ["De", "patiënt", "verpleegkundige", "kaartje"],
    ),
    Case(
        "nl-gsm-slashes",
        "nl",
        "Mijn e-mailadres is marleen.desmet@gmail.com en mijn gsm 0495/12.34.56, voor als er "
        "nieuws is.",
        [("marleen.desmet@gmail.com", "email"), ("0495/12.34.56", "phone")],
        ["gsm", "nieuws"],
    ),
    Case(
        "nl-ontslag-spoed",
        "nl",
        "Bij het ontslag op 2 mei schreef de chirurg met de hand: bel de afdeling op 09 332 21 11, "
        "niet de spoed.",
        [("2 mei", "date"), ("09 332 21 11", "phone")],
        ["ontslag", "chirurg", "afdeling", "spoed"],
    ),
    Case(
        "nl-pastor",
        "nl",
        "Vorige week kwam pastor Luc met een kaarsje en las een gedicht voor dat mijn vrouw "
        "Annemie vroeger zo graag had.",
        [("Luc", "staff_first_name"), ("Annemie", "person")],
        ["Vorige", "week", "pastor", "kaarsje", "gedicht"],
    ),
    Case(
        "nl-genk-zol",
        "nl",
        "Wij kwamen uit Genk en de vroedvrouw in het ZOL heeft ons op 28/12 de eerste fles leren "
        "geven.",
        [("Genk", "location"), ("ZOL", "institution"), ("28/12", "date")],
        ["vroedvrouw", "eerste", "fles"],
    ),
    Case(
        "nl-wzc-numeric-date",
        "nl",
        "Sinds de operatie op 13.06.2023 woon ik in WZC Sint-Jozef in Heist-op-den-Berg.",
        [
            ("13.06.2023", "date"),
            ("WZC Sint-Jozef", "institution"),
            ("Heist-op-den-Berg", "location"),
        ],
        ["Sinds", "operatie", "woon"],
    ),
    Case(
        "nl-patientnummer",
        "nl",
        "Ons patiëntnummer was 20230415 en toch kende iedereen op de afdeling ons bij naam, zelfs "
        "poetsvrouw Rita.",
        [("20230415", "identifier"), ("Rita", "staff_first_name")],
        ["afdeling", "naam", "poetsvrouw"],
    ),
    Case(
        "nl-ben-je",
        "nl",
        "'Ben je ook zo bang geweest?' vroeg de verpleegster, en ze bleef bij mij tot mijn dochter "
        "Sarah er was.",
        [("Sarah", "person")],
        ["Ben", "bang", "verpleegster", "dochter"],
    ),
    Case(
        "nl-professor",
        "nl",
        "Mijn man is op 5 juni 1947 geboren in Brugge en lag in AZ Sint-Jan op de afdeling van "
        "professor Vandenberghe.",
        [
            ("5 juni 1947", "date"),
            ("Brugge", "location"),
            ("AZ Sint-Jan", "institution"),
            ("Vandenberghe", "person"),
        ],
        ["geboren", "afdeling", "professor"],
    ),
    Case(
        "nl-intl-phone",
        "nl",
        "Haar nummer is +32 9 123 45 67, dat is het onthaal van woonzorgcentrum Ter Wilgen.",
        [("+32 9 123 45 67", "phone"), ("Ter Wilgen", "institution")],
        ["nummer", "onthaal", "woonzorgcentrum"],
    ),
    # --- French --------------------------------------------------------------------------------
    Case(
        "fr-3-mars",
        "fr",
        "Le 3 mars, pour nos quarante ans de mariage, les infirmières ont mis une nappe sur la "
        "table de la chambre.",
        [("3 mars", "date")],
        ["Le", "quarante", "ans", "mariage", "infirmières", "nappe"],
    ),
    Case(
        "fr-infirmiere-claire",
        "fr",
        "Pendant ma chimio, l'infirmière Claire a préparé une playlist de Brel rien que pour moi.",
        [("Claire", "staff_first_name")],
        ["Pendant", "chimio", "playlist", "Brel"],
    ),
    Case(
        "fr-mari-saint-luc",
        "fr",
        "Mon mari, Jean-Pierre Dubois, 78 ans, était hospitalisé aux Cliniques universitaires "
        "Saint-Luc.",
        [
            ("Jean-Pierre Dubois", "person"),
            ("78 ans", "age"),
            ("Cliniques universitaires Saint-Luc", "institution"),
        ],
        ["Mon", "mari", "hospitalisé"],
    ),
    Case(
        "fr-phone-email",
        "fr",
        "Vous pouvez me joindre au 0475 12 34 56 ou par courriel à sophie.lambert@skynet.be.",
        [("0475 12 34 56", "phone"), ("sophie.lambert@skynet.be", "email")],
        ["Vous", "joindre", "courriel"],
    ),
    Case(
        "fr-chu-liege",
        "fr",
        "Ma fille Inès a accouché au CHU de Liège le 1er mai, et la sage-femme Aurélie est restée "
        "après sa garde.",
        [
            ("Inès", "person"),
            ("CHU de Liège", "institution"),
            ("1er mai", "date"),
            ("Aurélie", "staff_first_name"),
        ],
        ["fille", "accouché", "sage-femme", "garde"],
    ),
    Case(
        "fr-madame",
        "fr",
        "Madame Lejeune, de la chambre 12, recevait chaque soir une tisane de l'aide-soignante.",
        [("Lejeune", "person"), ("chambre 12", "room")],
        ["Madame", "soir", "tisane"],
    ),
    Case(
        "fr-adresse",
        "fr",
        "Nous habitons au 14 rue des Tilleuls à Namur, tout près de l'hôpital.",
        [("14 rue des Tilleuls", "address"), ("Namur", "location")],
        ["Nous", "habitons", "près"],
    ),
    Case(
        "fr-docteur",
        "fr",
        "Le docteur Martin Lefèvre a pris le temps de tout réexpliquer à mon père.",
        [("Martin", "staff_first_name"), ("Lefèvre", "person")],
        ["docteur", "temps", "père"],
    ),
    Case(
        "fr-fils-age",
        "fr",
        "Mon fils Lucas, qui a 9 ans, attendait le mardi avec impatience pour voir la bénévole.",
        [("Lucas", "person"), ("9 ans", "age")],
        ["fils", "mardi", "impatience", "bénévole"],
    ),
    Case(
        "fr-maison-de-repos",
        "fr",
        "À la maison de repos Les Tilleuls, à Wavre, on fête chaque résident le jour de son "
        "anniversaire.",
        [("Les Tilleuls", "institution"), ("Wavre", "location")],
        ["maison", "repos", "résident", "anniversaire"],
    ),
    Case(
        "fr-noel-erasme",
        "fr",
        "Pour Noël, l'équipe de l'Hôpital Erasme a décoré la chambre de maman avec des guirlandes.",
        [("Hôpital Erasme", "institution")],
        ["Noël", "équipe", "chambre", "maman", "guirlandes"],
    ),
    Case(
        "fr-numero-national",
        "fr",
        "Sur mon bracelet, il y avait mon nom et mon numéro, 71.02.15-123.59, lisible par tous.",
        [("71.02.15-123.59", "identifier")],
        ["bracelet", "nom", "lisible"],
    ),
    Case(
        "fr-jeudi-apposition",
        "fr",
        "Le jeudi 3 février, Sophie, une infirmière du service, m'a apporté un croissant.",
        [("jeudi 3 février", "date"), ("Sophie", "staff_first_name")],
        ["Le", "infirmière", "service", "croissant"],
    ),
    Case(
        "fr-mme-clinique",
        "fr",
        "Ma voisine, Mme Renard, m'a conduite chaque semaine à la Clinique Saint-Jean pour la "
        "radiothérapie.",
        [("Renard", "person"), ("Clinique Saint-Jean", "institution")],
        ["voisine", "Mme", "semaine", "radiothérapie"],
    ),
    Case(
        "fr-frere-charleroi",
        "fr",
        "Ils ont appelé mon frère Olivier à Charleroi à trois heures du matin.",
        [("Olivier", "person"), ("Charleroi", "location")],
        ["Ils", "frère", "heures", "matin"],
    ),
    Case(
        "fr-citadelle",
        "fr",
        "Depuis 10 ans, je viens au CHR de la Citadelle pour mes dialyses et l'infirmier Karim me "
        "garde toujours le même fauteuil.",
        [("CHR de la Citadelle", "institution"), ("Karim", "staff_first_name")],
        ["Depuis", "ans", "dialyses", "infirmier", "fauteuil"],
    ),
    Case(
        "fr-14-07",
        "fr",
        "Le 14/07, ma mère a soufflé ses bougies avec toute l'équipe de la résidence Les Jardins.",
        [("14/07", "date"), ("Les Jardins", "institution")],
        ["mère", "bougies", "équipe", "résidence"],
    ),
    Case(
        "fr-site-chef",
        "fr",
        "Le site www.mangomoment.be m'a donné l'idée d'écrire à l'infirmière en chef, Véronique.",
        [("www.mangomoment.be", "url"), ("Véronique", "staff_first_name")],
        ["site", "idée", "infirmière", "chef"],
    ),
    Case(
        "fr-post-2000",
        "fr",
        "Mon fils est né en 2005 ; son numéro de registre, 05031212360, était écrit sur la porte.",
        [("05031212360", "identifier")],
        ["fils", "2005", "porte"],
    ),
    # --- English -------------------------------------------------------------------------------
    Case(
        "en-12-december",
        "en",
        "On 12 December I had my stem cell transplant, so I spent Christmas in isolation.",
        [("12 December", "date")],
        ["On", "stem", "Christmas", "isolation"],
    ),
    Case(
        "en-nurse-sarah",
        "en",
        "Nurse Sarah noticed I was cold and brought a heated blanket before I even asked.",
        [("Sarah", "staff_first_name")],
        ["Nurse", "cold", "blanket"],
    ),
    Case(
        "en-husband-patel",
        "en",
        "My husband Tom was 82 and very deaf, so Dr. Patel wrote everything down in big letters.",
        [("Tom", "person"), ("82", "age"), ("Patel", "person")],
        ["My", "husband", "deaf", "letters"],
    ),
    Case(
        "en-phone-email",
        "en",
        "You can reach me on 07700 900123 or at tom.baker@example.co.uk if you want to share this "
        "story.",
        [("07700 900123", "phone"), ("tom.baker@example.co.uk", "email")],
        ["You", "reach", "story"],
    ),
    Case(
        "en-katrien",
        "en",
        "Katrien, one of our senior nurses, brought in drumsticks from her son's room.",
        [("Katrien", "staff_first_name")],
        ["senior", "nurses", "drumsticks", "room"],
    ),
    Case(
        "en-ghent-hospital",
        "en",
        "We had flown in from Ireland that evening, and the doctor on call met us at Ghent "
        "University Hospital.",
        [("Ghent University Hospital", "institution")],
        ["Ireland", "evening", "doctor"],
    ),
    Case(
        "en-daughter-emily",
        "en",
        "My daughter Emily, who is 7, was born on the 5th of May at AZ Delta in Roeselare.",
        [
            ("Emily", "person"),
            ("7", "age"),
            ("5th of May", "date"),
            ("AZ Delta", "institution"),
            ("Roeselare", "location"),
        ],
        ["daughter", "born"],
    ),
    Case(
        "en-porter-called",
        "en",
        "The porter, a cheerful man called Dave, took the long way round through the garden.",
        [("Dave", "staff_first_name")],
        ["The", "porter", "cheerful", "garden"],
    ),
    Case(
        "en-mrs-obrien",
        "en",
        "Mrs O'Brien from room 4 got a cup of tea every night at ten from the night nurse.",
        [("O'Brien", "person"), ("room 4", "room")],
        ["Mrs", "tea", "nurse"],
    ),
    Case(
        "en-son-jack",
        "en",
        "Our son Jack turned 18 on the ward on Monday, March 14th, and the nurses baked a cake.",
        [("Jack", "person"), ("18", "age"), ("Monday, March 14th", "date")],
        ["Our", "ward", "nurses", "cake"],
    ),
    Case(
        "en-address",
        "en",
        "Please send the card to 22 Baker Street, London NW1 6XE, where my mother lives now.",
        [("22 Baker Street", "address"), ("NW1 6XE", "address")],
        ["Please", "card", "mother"],
    ),
    Case(
        "en-volunteer-named",
        "en",
        "Every Tuesday a volunteer named Margaret played the piano in the day hospital.",
        [("Margaret", "staff_first_name")],
        ["Every", "Tuesday", "volunteer", "piano", "hospital"],
    ),
    Case(
        "en-grace-june",
        "en",
        "Grace under pressure is what I saw in that team at UZ Brussel in June 2019.",
        [("UZ Brussel", "institution"), ("June 2019", "date")],
        ["Grace", "pressure", "team"],
    ),
    Case(
        "en-register-number",
        "en",
        "My wife's national register number, 90.02.28-166.25, was printed on every wristband.",
        [("90.02.28-166.25", "identifier")],
        ["wife", "printed", "wristband"],
    ),
    Case(
        "en-dr-hannah",
        "en",
        "Dr. Hannah Ryan sat on the edge of the bed and held my hand for a long time.",
        [("Hannah", "staff_first_name"), ("Ryan", "person")],
        ["edge", "bed", "hand"],
    ),
    Case(
        "en-physio-ben",
        "en",
        "I'm 34 and the youngest on the ward, so physio Ben brought me comics from home.",
        [("34", "age"), ("Ben", "staff_first_name")],
        ["youngest", "ward", "comics"],
    ),
    Case(
        "en-will-agnes",
        "en",
        "'Will you remember me?' my grandmother Agnes asked the carer every evening.",
        [("Agnes", "person")],
        ["Will", "grandmother", "carer", "evening"],
    ),
    Case(
        "en-url-phone",
        "en",
        "More information on https://www.mangomoment.be/en/stories or call +32 2 555 12 34.",
        [("https://www.mangomoment.be/en/stories", "url"), ("+32 2 555 12 34", "phone")],
        ["More", "information", "call"],
    ),
    Case(
        "en-night-shift",
        "en",
        "After the funeral, Stephen from the night shift sent us a card on 14/02.",
        [("Stephen", "staff_first_name"), ("14/02", "date")],
        ["After", "funeral", "card"],
    ),
]


# Issue 12: one group per family of misses found on stories written apart from the project.
CASES += [
    # --- French names after lowercase titles, mid-sentence ------------------------------------
    Case(
        "fr-madame-monsieur-lowercase",
        "fr",
        "Tous les matins, madame Vandermeulen demandait des nouvelles de monsieur Collard, son "
        "voisin de palier.",
        [("Vandermeulen", "person"), ("Collard", "person")],
        ["matins", "demandait", "nouvelles", "voisin", "palier"],
    ),
    Case(
        "fr-mademoiselle-lowercase",
        "fr",
        "Je n'oublierai jamais comment mademoiselle Dufrasne a coiffé ma grand-mère avant la "
        "visite.",
        [("Dufrasne", "person")],
        ["oublierai", "jamais", "coiffé", "grand-mère", "visite"],
    ),
    Case(
        "fr-madame-apposition",
        "fr",
        "Grâce à madame Kabongo, la secrétaire du service, nous avons eu un rendez-vous le jour "
        "même.",
        [("Kabongo", "person")],
        ["Grâce", "secrétaire", "service", "rendez-vous", "jour"],
    ),
    # --- another mention of a caught name, short forms, appositions ---------------------------
    Case(
        "nl-surname-first-then-title",
        "nl",
        "Pauwels kwam elke dag met de krant. Meneer Pauwels was de vriendelijkste vrijwilliger "
        "van het huis.",
        [("Pauwels", "person")],
        ["krant", "Meneer", "vriendelijkste", "vrijwilliger", "huis"],
    ),
    Case(
        "en-short-form",
        "en",
        "My son Christopher stayed the night on the ward. Chris slept in the chair by my bed.",
        [("Christopher", "person"), ("Chris", "person")],
        ["son", "night", "ward", "slept", "chair", "bed"],
    ),
    Case(
        "fr-second-mention-after-comma",
        "fr",
        "Sans Lemaire, je ne serais jamais arrivé à mes séances : mon beau-frère Thibault "
        "Lemaire m'a conduit à chacune.",
        [("Lemaire", "person"), ("Thibault Lemaire", "person")],
        ["beau-frère", "conduit", "séances", "serais", "arrivé"],
    ),
    Case(
        "en-apposition-cleaner",
        "en",
        "Our cleaner, Rosalind, always stopped to chat with my father about his garden.",
        [("Rosalind", "staff_first_name")],
        ["cleaner", "chat", "father", "garden"],
    ),
    Case(
        "fr-apposition-aide-soignante",
        "fr",
        "Notre aide-soignante, Fatoumata, chantait en faisant la toilette de maman.",
        [("Fatoumata", "staff_first_name")],
        ["aide-soignante", "chantait", "toilette", "maman"],
    ),
    Case(
        "nl-apposition-kine",
        "nl",
        "Mijn kinesist, Wannes, liet me elke dag een stapje verder lopen in de gang.",
        [("Wannes", "staff_first_name")],
        ["kinesist", "stapje", "verder", "lopen", "gang"],
    ),
    # --- surnames with particles ---------------------------------------------------------------
    Case(
        "nl-van-particle",
        "nl",
        "Onze huisarts, dokter Van Damme, belde zelf op zondag om te horen hoe het ging.",
        [("Van Damme", "person")],
        ["huisarts", "dokter", "zondag", "horen"],
    ),
    Case(
        "nl-de-particle-mevrouw",
        "nl",
        "Ik deelde de kamer met mevrouw De Wilde, en haar zoon Pieter-Jan Vander Elst bracht "
        "voor ons allebei pralines.",
        [("De Wilde", "person"), ("Pieter-Jan Vander Elst", "person")],
        ["deelde", "kamer", "zoon", "allebei", "pralines"],
    ),
    Case(
        "nl-d-particle",
        "nl",
        "Verpleegkundige Ilse D'Hondt gaf me haar eigen sjaal toen ik het koud had.",
        [("Ilse", "staff_first_name"), ("D'Hondt", "person")],
        ["Verpleegkundige", "eigen", "sjaal", "koud"],
    ),
    Case(
        "fr-du-particle",
        "fr",
        "Le chirurgien, le docteur Du Bois, est venu s'asseoir sur le lit de mon fils.",
        [("Du Bois", "person")],
        ["chirurgien", "docteur", "asseoir", "lit", "fils"],
    ),
    Case(
        "en-van-de-particle",
        "en",
        "My mother shared a room with Mrs Van de Velde, who taught her to knit again.",
        [("Van de Velde", "person")],
        ["mother", "shared", "taught", "knit"],
    ),
    # --- street addresses without a -straat/-rue ending ---------------------------------------
    Case(
        "nl-groenplaats",
        "nl",
        "Mijn nonkel woont op de Groenplaats 3 en zag de ambulance vanuit zijn raam vertrekken.",
        [("Groenplaats 3", "address")],
        ["nonkel", "woont", "ambulance", "raam", "vertrekken"],
    ),
    Case(
        "nl-kouter-grote-markt",
        "nl",
        "We verhuisden van de Kouter 12 naar een flat aan de Grote Markt 1, dichter bij de dokter.",
        [("Kouter 12", "address"), ("Grote Markt 1", "address")],
        ["verhuisden", "flat", "dichter", "dokter"],
    ),
    Case(
        "nl-steenweg-op",
        "nl",
        "De thuisverpleging reed elke ochtend naar de Steenweg op Brussel 120, ook met sneeuw.",
        [("Steenweg op Brussel 120", "address")],
        ["thuisverpleging", "reed", "ochtend", "sneeuw"],
    ),
    Case(
        "nl-dorp",
        "nl",
        "Mijn ouders wonen in Dorp 14, naast de bakker, en de huisarts kwam daar te voet.",
        [("Dorp 14", "address")],
        ["ouders", "wonen", "bakker", "huisarts", "voet"],
    ),
    Case(
        "fr-place-boulevard",
        "fr",
        "Nous avons quitté le Boulevard Anspach 20 pour un rez-de-chaussée Place Flagey 7, à "
        "cause du fauteuil.",
        [("Boulevard Anspach 20", "address"), ("Place Flagey 7", "address")],
        ["quitté", "rez-de-chaussée", "cause", "fauteuil"],
    ),
    Case(
        "en-church-road",
        "en",
        "The nurse drove the flowers to 12 Church Road herself after her shift.",
        [("12 Church Road", "address")],
        ["nurse", "drove", "flowers", "herself", "shift"],
    ),
    # --- care organisations and hospitals ------------------------------------------------------
    Case(
        "nl-i-mens-thuiszorg",
        "nl",
        "De verpleegster van i-mens en de poetshulp van Thuiszorg Vleminckx kwamen op hetzelfde "
        "uur.",
        [("i-mens", "institution"), ("Thuiszorg Vleminckx", "institution")],
        ["verpleegster", "poetshulp", "hetzelfde", "uur"],
    ),
    Case(
        "nl-zna-gza-jessa",
        "nl",
        "Na de spoed van ZNA werd ze overgebracht naar GZA, en de revalidatie deed ze in Jessa.",
        [("ZNA", "institution"), ("GZA", "institution"), ("Jessa", "institution")],
        ["spoed", "overgebracht", "revalidatie"],
    ),
    Case(
        "nl-wzc-ter",
        "nl",
        "In WZC Ter Biest mocht mijn vader zijn kanarie meenemen, en in Ter Kouter ook.",
        [("WZC Ter Biest", "institution"), ("Ter Kouter", "institution")],
        ["vader", "kanarie", "meenemen"],
    ),
    Case(
        "fr-hopital-residence",
        "fr",
        "Après l'Hôpital de Jolimont, ma mère est allée à la Résidence Le Grand Chêne, puis au "
        "Home Les Lilas.",
        [
            ("Hôpital de Jolimont", "institution"),
            ("Résidence Le Grand Chêne", "institution"),
            ("Home Les Lilas", "institution"),
        ],
        ["mère", "allée"],
    ),
    Case(
        "fr-mutualite-chu",
        "fr",
        "La Mutualité Socialiste a tout remboursé, et au CHU on nous a prêté un fauteuil.",
        [("Mutualité Socialiste", "institution"), ("CHU", "institution")],
        ["remboursé", "prêté", "fauteuil"],
    ),
    Case(
        "en-uz-leuven-wgk",
        "en",
        "After UZ Leuven sent him home, the Wit-Gele Kruis nurse came twice a day.",
        [("UZ Leuven", "institution"), ("Wit-Gele Kruis", "institution")],
        ["sent", "home", "nurse", "twice", "day"],
    ),
    # --- dates in short form, ages in words or after verbs -------------------------------------
    Case(
        "nl-short-dates",
        "nl",
        "Op 4/5 werd hij opgenomen en op 3-4-2024 mocht hij naar huis.",
        [("4/5", "date"), ("3-4-2024", "date")],
        ["opgenomen", "mocht", "huis"],
    ),
    Case(
        "fr-short-date",
        "fr",
        "Depuis le 3.4.24, ma mère a une infirmière à domicile deux fois par jour.",
        [("3.4.24", "date")],
        ["mère", "infirmière", "domicile", "deux", "fois", "jour"],
    ),
    Case(
        "nl-age-words-verb",
        "nl",
        "Mijn vader is achtentachtig jaar en vorige maand is mijn moeder 84 geworden.",
        [("achtentachtig jaar", "age"), ("84", "age")],
        ["vader", "vorige", "maand", "moeder"],
    ),
    Case(
        "fr-age-words",
        "fr",
        "À quatre-vingt-huit ans, mon grand-père vient d'avoir 90 ans de souvenirs, disait-il.",
        [("quatre-vingt-huit ans", "age")],
        ["grand-père", "souvenirs"],
    ),
    Case(
        "en-age-words",
        "en",
        "My aunt is ninety-three years old and she turned 84 the year I was born.",
        [("ninety-three years old", "age"), ("84", "age")],
        ["aunt", "born"],
    ),
    # --- room numbers --------------------------------------------------------------------------
    Case(
        "nl-kamer-312",
        "nl",
        "De vrouw in kamer 312 kreeg elke avond bezoek van haar hond.",
        [("kamer 312", "room")],
        ["vrouw", "avond", "bezoek", "hond"],
    ),
    Case(
        "en-room-4b",
        "en",
        "The man in room 4B on the cardiology ward asked every nurse to sing for him.",
        [("room 4B", "room")],
        ["man", "cardiology", "ward", "nurse", "sing"],
    ),
]


# Issue 12, second round: wider forms of the same families.
CASES += [
    Case(
        "nl-vrijdagmarkt-no-number",
        "nl",
        "Elke zaterdag reed de vrijwilliger haar in de rolstoel over de Vrijdagmarkt naar de "
        "bakker.",
        [("Vrijdagmarkt", "address")],
        ["zaterdag", "vrijwilliger", "rolstoel", "bakker"],
    ),
    Case(
        "nl-room-floor-dot",
        "nl",
        "Ze lag op kamer 4.17 en de zorgkundige zette elke ochtend de gordijnen open.",
        [("kamer 4.17", "room")],
        ["zorgkundige", "ochtend", "gordijnen"],
    ),
    Case(
        "fr-institut-erasme",
        "fr",
        "Après l'Institut Bordet, il a été suivi à l'Hôpital Érasme par une équipe formidable.",
        [("Institut Bordet", "institution"), ("Hôpital Érasme", "institution")],
        ["suivi", "équipe", "formidable"],
    ),
    Case(
        "nl-date-dash-cue",
        "nl",
        "Sinds 14-2 krijgt hij thuisverpleging, en vanaf 3.5 ook een poetshulp.",
        [("14-2", "date"), ("3.5", "date")],
        ["krijgt", "thuisverpleging", "poetshulp"],
    ),
    Case(
        "en-ordinal-birthday",
        "en",
        "The nurses sang for her 90th birthday and my father celebrated his 85th on the ward.",
        [("90th birthday", "age"), ("85th", "age")],
        ["nurses", "sang", "father", "ward"],
    ),
    Case(
        "nl-ordinal-verjaardag",
        "nl",
        "Op haar 95ste verjaardag kreeg oma een taart van de keuken.",
        [("95ste verjaardag", "age")],
        ["oma", "taart", "keuken"],
    ),
    Case(
        "fr-apposition-adjective",
        "fr",
        "Mon infirmière préférée, Ségolène, m'a appris à faire mes piqûres seule.",
        [("Ségolène", "staff_first_name")],
        ["infirmière", "préférée", "appris", "piqûres", "seule"],
    ),
    Case(
        "nl-name-then-apposition",
        "nl",
        "We belden meteen Gwendolien, onze thuisverpleegster, en zij kwam binnen het kwartier.",
        [("Gwendolien", "staff_first_name")],
        ["belden", "meteen", "thuisverpleegster", "kwartier"],
    ),
    Case(
        "en-name-then-kin-apposition",
        "en",
        "We called Eleanor, my sister-in-law, who drove through the night to be there.",
        [("Eleanor", "person")],
        ["called", "drove", "night"],
    ),
    Case(
        "nl-lowercase-particle-title",
        "nl",
        "Ik lag naast mevrouw van den Bossche, die me elke avond een mop vertelde.",
        [("van den Bossche", "person")],
        ["naast", "avond", "mop", "vertelde"],
    ),
]


# The issue-12 families of misses, each with the development cases written for it. The tests
# hold each family's recall to the goals (direct identifiers 0.97, all 0.93).
FAMILIES = {
    "french lowercase titles": [
        "fr-madame-monsieur-lowercase",
        "fr-mademoiselle-lowercase",
        "fr-madame-apposition",
    ],
    "other mentions, short forms, appositions": [
        "nl-surname-first-then-title",
        "en-short-form",
        "fr-second-mention-after-comma",
        "en-apposition-cleaner",
        "fr-apposition-aide-soignante",
        "nl-apposition-kine",
        "fr-apposition-adjective",
        "nl-name-then-apposition",
        "en-name-then-kin-apposition",
    ],
    "surname particles": [
        "nl-van-particle",
        "nl-de-particle-mevrouw",
        "nl-d-particle",
        "fr-du-particle",
        "en-van-de-particle",
        "nl-lowercase-particle-title",
    ],
    "addresses without a street word": [
        "nl-groenplaats",
        "nl-kouter-grote-markt",
        "nl-steenweg-op",
        "nl-dorp",
        "nl-vrijdagmarkt-no-number",
        "fr-place-boulevard",
        "en-church-road",
    ],
    "care organisations and hospitals": [
        "nl-i-mens-thuiszorg",
        "nl-zna-gza-jessa",
        "nl-wzc-ter",
        "fr-hopital-residence",
        "fr-mutualite-chu",
        "en-uz-leuven-wgk",
        "fr-institut-erasme",
    ],
    "short dates, ages in words or after verbs": [
        "nl-short-dates",
        "fr-short-date",
        "nl-age-words-verb",
        "fr-age-words",
        "en-age-words",
        "nl-date-dash-cue",
        "en-ordinal-birthday",
        "nl-ordinal-verjaardag",
    ],
    "room numbers": [
        "nl-room-floor-dot",
        "nl-kamer-312",
        "en-room-4b",
        "nl-mevrouw",
        "nl-collega-apposition",
        "fr-madame",
        "en-mrs-obrien",
    ],
}

# --- scoring ------------------------------------------------------------------------------------
# Shared by tests/test_lib_deid.py and benchmarks/deid_recall.py.

# Kinds that name someone directly; the rest (dates, ages, places, institutions, rooms) only
# together with other facts.
DIRECT_KINDS = ("person", "staff_first_name", "phone", "email", "address", "identifier", "url")
# Evaluation-only kinds: a case may name them, the de-identifier reports another kind.
EXTRA_KINDS = {"room": "location"}
_WORD = re.compile(r"\w+(?:['’-]\w+)*")


def removed_positions(result) -> set[int]:
    """Character positions of the original text that the result no longer shows."""
    return {i for s in result.spans if s.replacement != s.original for i in range(s.start, s.end)}


def needle_position(text: str, needle: str) -> int:
    """The first whole-word occurrence of ``needle`` (any occurrence when none is whole)."""
    m = re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", text)
    return m.start() if m else text.find(needle)


@dataclass
class Score:
    found: dict[str, int] = field(default_factory=dict)
    total: dict[str, int] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)
    other_words: int = 0  # word tokens outside every needle
    over_redacted: int = 0  # ... of which some character was removed
    stay_words: int = 0
    stay_lost: list[str] = field(default_factory=list)

    def recall(self, kinds=None) -> float:
        kinds = list(self.total) if kinds is None else [k for k in kinds if k in self.total]
        total = sum(self.total[k] for k in kinds)
        return sum(self.found.get(k, 0) for k in kinds) / total if total else 1.0

    @property
    def direct(self) -> float:
        return self.recall(DIRECT_KINDS)

    @property
    def overall(self) -> float:
        return self.recall()

    @property
    def over_redaction(self) -> float:
        return self.over_redacted / self.other_words if self.other_words else 0.0


def score(cases, deidentify) -> Score:
    """Recall per kind (a needle counts when every character of it is removed) and
    over-redaction: the share of word tokens outside every needle that lose a character."""
    s = Score()
    for case in cases:
        result = deidentify(case.text, case.language)
        removed = removed_positions(result)
        inside: set[int] = set()
        for needle, kind in case.must_go:
            start = needle_position(case.text, needle)
            chars = range(start, start + len(needle))
            for m in re.finditer(rf"(?<!\w){re.escape(needle)}(?!\w)", case.text):
                inside.update(range(m.start(), m.end()))  # every mention of it
            inside.update(chars)
            s.total[kind] = s.total.get(kind, 0) + 1
            if start >= 0 and all(i in removed for i in chars):
                s.found[kind] = s.found.get(kind, 0) + 1
            else:
                s.misses.append(f"{case.id}: {needle} ({kind})")
        for m in _WORD.finditer(case.text):
            if any(i in inside for i in range(m.start(), m.end())):
                continue
            s.other_words += 1
            if any(i in removed for i in range(m.start(), m.end())):
                s.over_redacted += 1
        for word in case.must_stay:
            s.stay_words += 1
            m = re.search(rf"(?<!\w){re.escape(word)}(?!\w)", case.text)
            if m and any(i in removed for i in range(m.start(), m.end())):
                s.stay_lost.append(f"{case.id}: {word}")
    return s
