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
        [("Claes", "person")],
        ["Mevrouw", "kamer", "avond", "kruik", "nachtverpleegster"],
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
        [("Jens", "staff_first_name")],
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
        [("Lejeune", "person")],
        ["Madame", "chambre", "soir", "tisane"],
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
        [("O'Brien", "person")],
        ["Mrs", "room", "tea", "nurse"],
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
