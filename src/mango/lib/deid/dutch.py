"""Dutch through deduce: one instance per process, its tags mapped to ours, its known slips cut.

deduce (built for Dutch medical text) loads a 74 MB lookup cache in 5-15 s; ``make install``
builds the cache, and ``get_deduce`` loads it once, on first use or from ``warm_up()``.
"""

from __future__ import annotations

import logging
import re
import threading

from . import lexicon as lx
from .rules import Candidate

_lock = threading.Lock()
_deduce = None

# deduce's final tags -> our kinds. "locatie" is split into address and location below.
TAGS = {
    "persoon": "person",
    "patient": "person",
    "datum": "date",
    "leeftijd": "age",
    "telefoonnummer": "phone",
    "emailadres": "email",
    "url": "url",
    "ziekenhuis": "institution",
    "zorginstelling": "institution",
    "instelling": "institution",
    "bsn": "identifier",
    "id": "identifier",
    "patientnummer": "identifier",
}
_STREETISH = re.compile(r"\d|(?:straat|laan|weg|plein|lei|dreef|baan|kaai|markt|dijk)\b", re.I)


def get_deduce():
    """The process's deduce instance, loaded on first call (thread-safe)."""
    global _deduce
    if _deduce is None:
        with _lock:
            if _deduce is None:
                _deduce = _load()
    return _deduce


def _load():
    return _import_deduce()()


def _import_deduce():
    # deduce calls logging.basicConfig(level=DEBUG) on import, which would turn on debug
    # logging to stdout for the whole application: keep the root logger as it was.
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    try:
        from deduce import Deduce
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
    return Deduce


def candidates(text: str) -> list[Candidate]:
    doc = get_deduce().deidentify(text)
    out: list[Candidate] = []
    for ann in doc.annotations:
        tag = ann.tag
        if tag == "locatie":
            kind = "address" if _STREETISH.search(ann.text) else "location"
        else:
            kind = TAGS.get(tag, "identifier")
        if kind == "person":
            out += _person_pieces(text, ann.start_char, ann.end_char)
        elif kind == "location" and ann.text.strip() in lx.KEEP_WORDS:
            continue  # regions and countries ("Westhoek") name no one
        else:
            out.append(Candidate(ann.start_char, ann.end_char, kind, "deduce"))
    return out


def _person_pieces(text: str, start: int, end: int) -> list[Candidate]:
    """deduce's person spans, cut where it slips: it joins names across a sentence end
    ("Sint-Niklaas. Verpleegster Els"), takes in the role or title before a name ("Dokter
    Koen", "collega Yusuf"), and takes capitalised sentence openers for surnames ("Pak de
    rode", "Stil maar")."""
    tokens = [t for t in lx.tokenize(text[start:end])]
    pieces: list[list[lx.Token]] = [[]]
    for n, tok in enumerate(tokens):
        word = tok.text
        if n > 0 and "." in text[start + tokens[n - 1].end : start + tok.start]:
            prev = tokens[n - 1].text
            if not (prev in lx.ABBREVIATIONS or (len(prev) == 1 and prev.isupper())):
                pieces.append([])
        if (
            lx.is_staff_role(word)
            or word.rstrip(".") in lx.STAFF_TITLES
            or word in lx.PERSON_TITLES
            or word in lx.ABBREVIATIONS
            or lx.is_kin(word)
        ):
            pieces.append([])
            continue
        pieces[-1].append(tok)
    out = []
    firsts = lx.first_names()
    for piece in pieces:
        while piece and piece[0].text in lx.PARTICLES:  # "van Hof ter Beke"
            piece = piece[1:]
        if not piece:
            continue
        a, b = start + piece[0].start, start + piece[-1].end
        words = [t.text for t in piece]
        if len(words) == 1:
            word = words[0]
            if word in lx.KEEP_WORDS or word in lx.NEVER_NAMES:
                continue
            if word in lx.NAMES_ALSO_WORDS and lx.is_sentence_start(text, a):
                continue  # "Lieve mensen van de afdeling": a greeting, not Lieve
            if word not in firsts and (
                word in lx.STOP_CAPS or (lx.is_sentence_start(text, a) and _common(word))
            ):
                continue
        elif " ".join(words) in lx.KEEP_WORDS or all(w in lx.KEEP_WORDS for w in words):
            continue
        out.append(Candidate(a, b, "person", "deduce"))
    return out


def _common(word: str) -> bool:
    """An ordinary Dutch word, by deduce's own list of common words."""
    return word.lower() in _common_words()


common_word = _common


_COMMON: frozenset[str] | None = None


def _common_words() -> frozenset[str]:
    global _COMMON
    if _COMMON is None:
        try:
            from importlib.resources import files

            path = files("deduce") / "data/lookup/src/whitelist/lst_common_word/items.txt"
            _COMMON = frozenset(path.read_text(encoding="utf-8").split("\n"))
        except (ModuleNotFoundError, FileNotFoundError, OSError):
            _COMMON = frozenset()
    return _COMMON
