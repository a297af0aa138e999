"""The shared story rules (framework-free)."""

import pytest

from mango.lib import intake, vocab

GOOD = {
    "text": "Een verpleegkundige bracht mij een mango op intensieve zorg.",
    "language": "nl",
    "teller_role": "patient",
    "setting": "hospital",
    "oncological": "no",
    "happened": "week",
    "gesture_by": "nurse",
    "consent_research": True,
    "consent_sharing": False,
}


def test_a_complete_story_is_accepted_with_normalised_values():
    out = intake.clean_story({**GOOD, "text": "  " + GOOD["text"] + "\r\n", "setting": "Hospital"})
    assert out.ok, out.errors
    assert out.values["text"] == GOOD["text"]
    assert out.values["setting"] == "hospital"
    assert out.values["consent_research"] is True


def test_an_empty_story_is_required():
    assert intake.clean_story({**GOOD, "text": "   "}).errors == {"text": "required"}


def test_a_short_story_is_too_short():
    assert intake.clean_story({**GOOD, "text": "Dank u"}).errors == {"text": "too_short"}


def test_length_limits_are_inclusive():
    at_max = "a" * vocab.STORY_MAX_CHARS
    assert intake.clean_story({**GOOD, "text": at_max}).ok
    assert intake.clean_story({**GOOD, "text": at_max + "b"}).errors == {"text": "too_long"}
    assert intake.clean_story({**GOOD, "text": "a" * vocab.STORY_MIN_CHARS}).ok


def test_control_characters_are_removed_but_newlines_kept():
    out = intake.clean_story({**GOOD, "text": "Eerste regel\x00\x07\nTweede regel, heel lief"})
    assert out.values["text"] == "Eerste regel\nTweede regel, heel lief"


def test_unknown_choices_are_rejected():
    out = intake.clean_story({**GOOD, "teller_role": "king", "setting": ""})
    assert out.errors == {"teller_role": "invalid_choice", "setting": "required"}


def test_optional_choices_default_to_unknown():
    data = {k: v for k, v in GOOD.items() if k not in ("oncological", "happened", "gesture_by")}
    out = intake.clean_story(data)
    assert out.ok
    assert (out.values["oncological"], out.values["happened"], out.values["gesture_by"]) == (
        "unknown",
        "unknown",
        "unknown",
    )


def test_at_least_one_consent_is_required_unless_waived():
    data = {**GOOD, "consent_research": False, "consent_sharing": False}
    assert intake.clean_story(data).errors == {"consent": "consent_required"}
    assert intake.clean_story(data, require_consent=False).ok


@pytest.mark.parametrize(
    "word,expected",
    [("ja", True), ("Oui", True), ("1", True), ("nee", False), ("", False), ("misschien", None)],
)
def test_yes_and_no_are_read_in_three_languages(word, expected):
    assert intake.parse_bool(word) is expected


def test_a_bad_yes_or_no_is_reported():
    assert intake.clean_story({**GOOD, "consent_sharing": "misschien"}).errors == {
        "consent_sharing": "invalid_bool"
    }


def test_contact_details_are_checked_only_when_given():
    assert intake.clean_story({**GOOD, "contact_email": "", "contact_phone": ""}).ok
    out = intake.clean_story({**GOOD, "contact_email": "not-an-address", "contact_phone": "abc"})
    assert out.errors == {"contact_email": "invalid_email", "contact_phone": "invalid_phone"}
    ok = intake.clean_story(
        {**GOOD, "contact_email": "an@example.be", "contact_phone": "+32 9 123 45 67"}
    )
    assert ok.ok
