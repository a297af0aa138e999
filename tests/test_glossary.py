"""The glossary's rules that a test can see (docs/glossary.md): Dutch pages speak in the "u"
form and call a coder a "codeur", French pages call a story an "histoire" (never a "récit"),
in every catalogue, main and per app."""

import re

import pytest

from tests.test_translations import CATALOGUES, SRC, messages

# A Dutch text in the "je" form, or the word the glossary replaced.
NOT_IN_DUTCH = {
    "the je form (use u)": re.compile(r"\b(je|jij|jou|jouw|jullie)\b", re.I),
    'codeerder (use "codeur")': re.compile(r"codeerder", re.I),
}


@pytest.mark.parametrize("locale", CATALOGUES, ids=lambda p: str(p.relative_to(SRC)))
def test_dutch_texts_follow_the_glossary(locale):
    problems = []
    for entry in messages("nl", locale):
        for text in entry["strs"].values():
            for rule, pattern in NOT_IN_DUTCH.items():
                if pattern.search(text):
                    problems.append(f"{rule}: {entry['id']!r} -> {text!r}")
    assert not problems, "\n".join(problems)


def test_the_check_sees_a_je_form():
    assert NOT_IN_DUTCH["the je form (use u)"].search("Deze ronde is afgesloten: je codes")
    assert not NOT_IN_DUTCH["the je form (use u)"].search("Deze ronde is afgesloten: uw codes")


# A French text with the word the glossary replaced ("histoire / histoires" for story).
NOT_IN_FRENCH = {
    'récit (use "histoire")': re.compile(r"\br[ée]cits?\b", re.I),
    'désidentifié (use "anonymisé")': re.compile(r"d[ée]-?identifi", re.I),
}


@pytest.mark.parametrize("locale", CATALOGUES, ids=lambda p: str(p.relative_to(SRC)))
def test_french_texts_follow_the_glossary(locale):
    problems = []
    for entry in messages("fr", locale):
        for text in entry["strs"].values():
            for rule, pattern in NOT_IN_FRENCH.items():
                if pattern.search(text):
                    problems.append(f"{rule}: {entry['id']!r} -> {text!r}")
    assert not problems, "\n".join(problems)


def test_the_check_sees_a_recit():
    rule = NOT_IN_FRENCH['récit (use "histoire")']
    assert rule.search("Ce récit n'est plus partagé")
    assert rule.search("Récits partagés")
    assert not rule.search("Cette histoire n'est plus partagée")
    assert not rule.search("le récital du personnel")
