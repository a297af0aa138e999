"""De-identification: the written test set (tests/deid_cases.py), the policy, the API.

The summary test prints recall per kind and the false-removal share; quote them from
``.venv/bin/pytest tests/test_lib_deid.py -q -s -k summary``.
"""

import re
import subprocess
import sys
import threading
from collections import defaultdict

import pytest

from mango.lib import deid
from mango.lib.deid import Span, deidentify, redact, valid_iban, valid_national_number

from .deid_cases import CASES, EXTRA_KINDS, FAMILIES, needle_position, score
from .deid_heldout_cases import HELDOUT_CASES

TARGET_KINDS = ("person", "staff_first_name", "date", "phone", "email")


@pytest.fixture(scope="module", autouse=True)
def _deduce_loaded():
    deid.warm_up()


def _removed(result) -> set[int]:
    """Character positions of the original text that the result no longer shows."""
    return {i for s in result.spans if s.replacement != s.original for i in range(s.start, s.end)}


def _position(text: str, needle: str) -> int:
    pos = needle_position(text, needle)
    assert pos >= 0, f"{needle!r} is not in the case's text"
    return pos


def _caught(text: str, removed: set[int], needle: str) -> bool:
    start = _position(text, needle)
    return all(i in removed for i in range(start, start + len(needle)))


def _word_kept(text: str, removed: set[int], word: str) -> bool:
    m = re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text)
    assert m, f"{word!r} is not a word of the case's text"
    return not any(i in removed for i in range(m.start(), m.end()))


def _params() -> list:
    return [
        pytest.param(
            case,
            id=case.id,
            marks=[pytest.mark.xfail(reason=case.xfail, strict=True)] if case.xfail else [],
        )
        for case in CASES
    ]


@pytest.mark.parametrize("case", _params())
def test_each_case_removes_what_identifies_and_keeps_ordinary_words(case):
    result = deidentify(case.text, case.language)
    removed = _removed(result)
    missed = [needle for needle, _ in case.must_go if not _caught(case.text, removed, needle)]
    lost = [word for word in case.must_stay if not _word_kept(case.text, removed, word)]
    assert not missed and not lost, f"missed {missed}, wrongly removed {lost}: {result.text}"


def test_the_set_is_big_enough_and_every_case_is_well_formed():
    by_language = defaultdict(int)
    for case in CASES:
        by_language[case.language] += 1
        assert case.must_go and case.must_stay, case.id
        for needle, kind in case.must_go:
            assert kind in deid.KINDS or kind in EXTRA_KINDS, (case.id, kind)
            _position(case.text, needle)
    assert len(CASES) >= 60
    assert by_language["nl"] >= 25 and by_language["fr"] >= 15 and by_language["en"] >= 15
    assert len({case.id for case in CASES}) == len(CASES)


def test_summary_recall_per_kind_and_false_removals_meet_the_targets():
    found, total = defaultdict(int), defaultdict(int)
    kept_words = all_words = 0
    misses, losses = [], []
    for case in CASES:
        result = deidentify(case.text, case.language)
        removed = _removed(result)
        for needle, kind in case.must_go:
            total[kind] += 1
            if _caught(case.text, removed, needle):
                found[kind] += 1
            else:
                misses.append(f"{case.id}: {needle} ({kind})")
        for word in case.must_stay:
            all_words += 1
            if _word_kept(case.text, removed, word):
                kept_words += 1
            else:
                losses.append(f"{case.id}: {word}")
    recall = {kind: found[kind] / total[kind] for kind in sorted(total)}
    spans = sum(total.values())
    false_removal = (all_words - kept_words) / all_words

    print(
        f"\nDe-identification test set: {len(CASES)} sentences, {spans} identifying spans, "
        f"{all_words} ordinary words"
    )
    for kind, value in recall.items():
        print(f"  recall {kind:<17} {found[kind]:>3}/{total[kind]:<3} = {value:.3f}")
    print(
        f"  recall all kinds         {sum(found.values()):>3}/{spans:<3} = "
        f"{sum(found.values()) / spans:.3f}"
    )
    print(
        f"  false-removal share      {all_words - kept_words:>3}/{all_words:<3} = "
        f"{false_removal:.3f}"
    )
    for line in misses:
        print(f"  missed: {line}")
    for line in losses:
        print(f"  wrongly removed: {line}")

    for kind in TARGET_KINDS:
        assert recall[kind] >= 0.95, (kind, recall[kind], misses)
    assert false_removal <= 0.05, losses


# --- issue 12: the families of misses found on stories written apart from the project ------

GOAL_DIRECT, GOAL_OVERALL, GOAL_OVER_REDACTION = 0.97, 0.93, 0.02


def test_development_set_meets_the_goals_for_direct_and_all_identifiers():
    s = score(CASES, deidentify)
    assert s.direct >= GOAL_DIRECT, s.misses
    assert s.overall >= GOAL_OVERALL, s.misses
    assert s.over_redaction <= GOAL_OVER_REDACTION, (s.over_redacted, s.other_words)
    assert not s.stay_lost, s.stay_lost


@pytest.mark.parametrize("family", list(FAMILIES))
def test_each_family_of_misses_meets_the_goals(family):
    by_id = {case.id: case for case in CASES}
    cases = [by_id[i] for i in FAMILIES[family]]
    s = score(cases, deidentify)
    assert sum(s.total.values()) >= 4, family  # enough needles to mean something
    assert s.direct >= GOAL_DIRECT and s.overall >= GOAL_OVERALL, (family, s.misses)
    assert s.over_redaction <= GOAL_OVER_REDACTION, (family, s.over_redacted)


def test_the_held_out_set_is_well_formed_and_kept_apart():
    # Its recall is measured by benchmarks/deid_recall.py, never asserted here: a test would
    # invite tuning the rules on it.
    ids = {case.id for case in CASES}
    for case in HELDOUT_CASES:
        assert case.id not in ids and case.must_go and case.must_stay, case.id
        assert case.text not in {c.text for c in CASES}
        for needle, kind in case.must_go:
            assert kind in deid.KINDS or kind in EXTRA_KINDS, (case.id, kind)
            _position(case.text, needle)
    assert len({case.id for case in HELDOUT_CASES}) == len(HELDOUT_CASES) >= 30


@pytest.mark.parametrize(
    "text, language, expected",
    [
        # French titles in lowercase
        (
            "Hier, madame Dewez et monsieur Thiry ont chanté.",
            "fr",
            "Hier, madame [NOM] et monsieur [NOM] ont chanté.",
        ),
        (
            "Merci à mademoiselle Pirard pour le café.",
            "fr",
            "Merci à mademoiselle [NOM] pour le café.",
        ),
        # other mentions of a name found once
        (
            "Goossens bracht soep. Mevrouw Goossens kookte zelf.",
            "nl",
            "[NAAM] bracht soep. Mevrouw [NAAM] kookte zelf.",
        ),
        (
            "My nephew Benjamin came. Benj stayed till late.",
            "en",
            "My nephew [NAME] came. [NAME] stayed till late.",
        ),
        ("The porter, Desmond, sang.", "en", "The porter, [NAME], sang."),
        (
            "We belden Reinhilde, onze thuisverpleegster, en ze kwam.",
            "nl",
            "We belden [NAAM], onze thuisverpleegster, en ze kwam.",
        ),
        ("We lived in Leuven, my husband and I.", "en", "We lived in [PLACE], my husband and I."),
        # surname particles
        ("Dokter Van Acker belde terug.", "nl", "Dokter [NAAM] belde terug."),
        ("Ik zag mevrouw Vanden Berghe.", "nl", "Ik zag mevrouw [NAAM]."),
        ("Le docteur Le Goff est passé.", "fr", "Le docteur [NOM] est passé."),
        # streets without a street word
        ("Hij woont op de Vismarkt 4 in Mechelen.", "nl", "Hij woont op de [ADRES] in [PLAATS]."),
        ("We wonen aan de Steenweg op Halle 33.", "nl", "We wonen aan de [ADRES]."),
        # care organisations
        ("De verpleegster van i-mens kwam.", "nl", "De verpleegster van [INSTELLING] kwam."),
        ("Hij woont nu in Ter Wilgen.", "nl", "Hij woont nu in [INSTELLING]."),
        # short dates, ages in words or after verbs
        ("Sinds 2/9 slaapt hij beter.", "nl", "Sinds [DATUM] slaapt hij beter."),
        ("Ze is 87 geworden.", "nl", "Ze is [LEEFTIJD] geworden."),
        ("Il vient d'avoir quatre-vingt-dix ans.", "fr", "Il vient d'avoir [ÂGE]."),
        ("She turned seventy-two.", "en", "She turned [AGE]."),
        # rooms
        ("De man van kamer 214 zong.", "nl", "De man van [PLAATS] zong."),
        ("The lady in room 7A smiled.", "en", "The lady in [PLACE] smiled."),
    ],
)
def test_issue_12_families_are_redacted(text, language, expected):
    assert deidentify(text, language).text == expected


@pytest.mark.parametrize(
    "text, language",
    [
        ("We waren veertig jaar getrouwd en hij was dertig jaar postbode.", "nl"),
        ("Na twee jaar zorgen mocht ze naar huis; 3/4 van de patiënten blijft langer.", "nl"),
        ("Van Kerstmis tot Pasen lag ze op de afdeling, kamer aan kamer met anderen.", "nl"),
        ("Dokter, verpleegster en mama zaten samen op maandag in mei.", "nl"),
        ("I was on the ward for twenty years ago, and three quarters of us agreed.", "en"),
        ("Depuis vingt ans, je viens ici le lundi.", "fr"),
    ],
)
def test_issue_12_rules_leave_ordinary_sentences_alone(text, language):
    assert deidentify(text, language).text == text


# --- the result's shape -----------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_spans_are_sorted_disjoint_and_point_into_the_original(case):
    for keep in (False, True):
        result = deidentify(case.text, case.language, keep_staff_first_names=keep)
        previous_end = 0
        for span in result.spans:
            assert span.kind in deid.KINDS
            assert previous_end <= span.start < span.end <= len(case.text)
            assert case.text[span.start : span.end].strip() == case.text[span.start : span.end]
            previous_end = span.end
            if span.original is not None:
                assert keep and span.kind == "staff_first_name"
                assert span.original == case.text[span.start : span.end] == span.replacement
            else:
                assert span.replacement == deid.replacement(span.kind, case.language)
        assert redact(case.text, result.spans) == result.text


def test_replacement_tags_are_in_the_texts_language():
    text = "Mijn man Jef kreeg op 5 januari een kaartje."
    assert deidentify(text, "nl").text == "Mijn man [NAAM] kreeg op [DATUM] een kaartje."
    assert deidentify("Mon mari Paul est venu le 5 janvier.", "fr").text == (
        "Mon mari [NOM] est venu le [DATE]."
    )
    assert deidentify("My husband Paul came on 5 January.", "en").text == (
        "My husband [NAME] came on [DATE]."
    )
    assert deid.replacement("institution", "fr") == "[ÉTABLISSEMENT]"
    assert deid.replacement("age", "nl-BE") == "[LEEFTIJD]"


def test_an_unknown_language_or_kind_is_refused():
    with pytest.raises(ValueError, match="nl, fr and en"):
        deidentify("Hallo", "de")
    with pytest.raises(ValueError, match="Unknown kind"):
        deid.replacement("pet", "nl")


def test_an_empty_story_has_no_spans():
    assert deidentify("", "nl") == deid.Result("", [])


# --- redact(): re-applying a moderator's changes ----------------------------------------------


def test_redact_reapplies_spans_after_a_moderator_undoes_or_adds_one():
    text = "Verpleegster Els belde mijn dochter Lotte op 5 januari."
    result = deidentify(text, "nl")
    assert result.text == "Verpleegster [NAAM] belde mijn dochter [NAAM] op [DATUM]."

    # The moderator undoes the date (not identifying here) and adds "Verpleegster".
    spans = [s for s in result.spans if s.kind != "date"]
    spans.append(Span("person", 0, len("Verpleegster"), "[ROL]"))
    assert redact(text, spans) == "[ROL] [NAAM] belde mijn dochter [NAAM] op 5 januari."
    assert redact(text, []) == text
    assert redact(text, reversed(result.spans)) == result.text


def test_redact_refuses_overlapping_or_outside_spans():
    text = "Mijn man Jef kwam."
    with pytest.raises(ValueError, match="overlaps"):
        redact(text, [Span("person", 5, 12, "[NAAM]"), Span("person", 9, 12, "[NAAM]")])
    with pytest.raises(ValueError, match="outside"):
        redact(text, [Span("person", 10, 99, "[NAAM]")])


# --- policy: staff first names ------------------------------------------------------------------


def test_staff_first_names_are_kept_only_when_the_caller_allows_it():
    text = "Verpleegster Els Janssens bracht mijn man Jef elke avond koffie."
    removed = deidentify(text, "nl")
    assert removed.text == "Verpleegster [NAAM] [NAAM] bracht mijn man [NAAM] elke avond koffie."
    assert all(s.original is None for s in removed.spans)

    kept = deidentify(text, "nl", keep_staff_first_names=True)
    assert kept.text == "Verpleegster Els [NAAM] bracht mijn man [NAAM] elke avond koffie."
    staff = [s for s in kept.spans if s.kind == "staff_first_name"]
    assert [(s.original, s.replacement) for s in staff] == [("Els", "Els")]
    # The surname after a kept first name, and every relative's name, always go.
    assert all(s.original is None for s in kept.spans if s.kind != "staff_first_name")


@pytest.mark.parametrize(
    "text, language, name",
    [
        ("Ahmed van de nachtdienst belde me terug.", "nl", "Ahmed"),
        ("Dokter Koen kwam zelf zeggen dat het goed nieuws was.", "nl", "Koen"),
        ("Dr. Martine bleef naast me zitten.", "nl", "Martine"),
        ("Marleen, een collega van de palliatieve eenheid, bracht bloemen.", "nl", "Marleen"),
        ("L'infirmière Claire a tiré le rideau.", "fr", "Claire"),
        ("Nurse Sarah held my hand.", "en", "Sarah"),
        ("Stephen from the night shift phoned.", "en", "Stephen"),
    ],
)
def test_staff_first_names_are_recognised_from_their_role(text, language, name):
    kept = deidentify(text, language, keep_staff_first_names=True)
    assert kept.text == text
    assert [s.original for s in kept.spans] == [name]
    assert name not in deidentify(text, language).text


@pytest.mark.parametrize(
    "text, language, surname",
    [
        ("Dr. Dupont a été très patient.", "fr", "Dupont"),
        ("Dokter Vandenberghe nam de tijd.", "nl", "Vandenberghe"),
        ("Mijn zuster Anna kwam elke dag.", "nl", "Anna"),
    ],
)
def test_surnames_and_relatives_are_never_kept_as_staff_first_names(text, language, surname):
    kept = deidentify(text, language, keep_staff_first_names=True)
    assert surname not in kept.text
    assert all(s.kind != "staff_first_name" for s in kept.spans)


# --- numbers: checksums -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "number", ["85.07.30-033.28", "85073003328", "05.03.12-123.60", "05031212360"]
)
def test_valid_national_register_numbers_are_caught_with_or_without_punctuation(number):
    result = deidentify(f"Op mijn polsbandje stond {number} in grote cijfers.", "nl")
    assert result.text == "Op mijn polsbandje stond [NUMMER] in grote cijfers."
    assert [s.kind for s in result.spans] == ["identifier"]


def test_the_national_register_checksum_follows_both_rules():
    assert valid_national_number("85073003328")  # born 1985: 97 - (850730033 mod 97)
    assert valid_national_number("05031212360")  # born 2005: 97 - (2050312123 mod 97)
    assert not valid_national_number("85073003329")
    assert not valid_national_number("05031212361")
    assert not valid_national_number("8507300332")


def test_an_invalid_national_register_number_is_left_unless_named_as_one():
    # Decision: eleven digits shaped like a national register number but failing its checksum
    # are not one (a lab value, an order number) and stay; written right after
    # "rijksregisternummer" (or "numéro national", "patient number"...) they are removed as a
    # number whatever the checksum, since the teller says what they are.
    text = "Het bestelnummer was 85.07.30-033.29 voor de rolstoel."
    assert deidentify(text, "nl").text == text
    named = deidentify("Mijn rijksregisternummer is 85.07.30-033.29.", "nl")
    assert named.text == "Mijn rijksregisternummer is [NUMMER]."


def test_ibans_are_caught_only_when_their_checksum_holds():
    assert valid_iban("BE68 5390 0754 7034")
    assert not valid_iban("BE68 5390 0754 7035")
    assert not valid_iban("BE68 5390 0754 70")
    good = deidentify("Storten mag op BE68539007547034, dank u.", "nl")
    assert good.text == "Storten mag op [NUMMER], dank u."
    bad = "Storten mag op BE68 5390 0754 7035, dank u."
    assert "BE68" in deidentify(bad, "nl").text


# --- deduce: loaded once, used for Dutch --------------------------------------------------------


def test_warm_up_loads_deduce_once_and_returns_the_same_instance():
    first = deid.warm_up()
    assert deid.warm_up() is first
    assert type(first).__name__ == "Deduce"


def test_concurrent_first_loads_build_one_instance(monkeypatch):
    from mango.lib.deid import dutch

    calls = []

    def slow_load():
        calls.append(1)
        threading.Event().wait(0.05)
        return object()

    monkeypatch.setattr(dutch, "_deduce", None)
    monkeypatch.setattr(dutch, "_load", slow_load)
    got = []
    threads = [threading.Thread(target=lambda: got.append(dutch.get_deduce())) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1 and len({id(x) for x in got}) == 1


def test_deduce_finds_dutch_names_the_lists_do_not_know():
    text = "Gisteren kwam Wilhelmina Terpstra op bezoek."
    assert "Terpstra" not in deidentify(text, "nl").text
    assert "Terpstra" in deidentify(text, "en").text  # deduce runs on Dutch only


def test_importing_deduce_leaves_the_root_logger_alone():
    # deduce calls logging.basicConfig(level=DEBUG) on import; run the import in a fresh
    # interpreter, where it has not happened yet.
    code = (
        "import logging; from mango.lib.deid import dutch; r = logging.getLogger(); "
        "before = (list(r.handlers), r.level); dutch._import_deduce(); "
        "assert (list(r.handlers), r.level) == before, (r.handlers, r.level)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
