"""Changing a document's text while keeping its segments on the same characters.

Windows tools write ``\\r\\n`` line ends and count both characters in positions; a browser
turns every line end into one ``\\n`` before Mango's coding screen counts anything. So an
imported document's line ends are unified here, and every position is moved with its text.
"""

from __future__ import annotations

from dataclasses import replace

from .model import Document


def _newline_map(text: str) -> tuple[str, list[int]]:
    """The unified text and, for each old position 0..len(text), its new position."""
    out: list[str] = []
    where = [0] * (len(text) + 1)
    i = 0
    while i < len(text):
        where[i] = len(out)
        char = text[i]
        if char == "\r":
            if i + 1 < len(text) and text[i + 1] == "\n":
                # "\r\n" becomes one "\n": both old positions map to it.
                i += 1
                where[i] = len(out)
            out.append("\n")
        else:
            out.append(char)
        i += 1
    where[len(text)] = len(out)
    return "".join(out), where


def normalise_newlines(document: Document) -> Document:
    """A copy of ``document`` with ``\\n`` line ends and its segments' positions moved along.

    A segment that ended between ``\\r`` and ``\\n`` ends before the new ``\\n``.
    """
    if "\r" not in document.text:
        return document
    text, where = _newline_map(document.text)
    segments = [replace(s, start=where[s.start], end=where[s.end]) for s in document.segments]
    return replace(document, text=text, segments=segments)
