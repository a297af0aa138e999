"""Positions in REFI-QDA files: code points (the standard) or UTF-16 code units (NVivo).

Files shaped like NVivo for Windows and Mac, ATLAS.ti and MAXQDA exports, with emoji and other
characters outside the Basic Multilingual Plane before, inside and after the coded passages
(tests/fixtures/refiqda-tools, written by its build.py). Every test names the exact passages.
"""

import io
import random
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from mango.lib import refiqda as r
from mango.lib.refiqda import positions as p

TOOLS = Path(__file__).parent / "fixtures" / "refiqda-tools"
NS = {"q": r.PROJECT_NS}


def qdpx(tool: str) -> bytes:
    """The fixture folder ``tool`` packed as the tool's .qdpx archive."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted((TOOLS / tool).rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(TOOLS / tool).as_posix())
    return buffer.getvalue()


# What each file's coders coded: source -> [(code, passage)], and how its positions count.
EXPECTED = {
    "nvivo-windows-12.6": {
        "interview_07": [
            ("Emotie", "Eng"),
            ("Ruimte voor gebaren", "de verpleegkundige bracht me thee 🍵"),
            ("Ruimte voor gebaren", "bleef even zitten"),
            ("Gezien worden", "Ik voelde me gezien 👩\u200d⚕️❤️, echt gezien"),
            ("Emotie", "sliep ik 😴 tot de ochtend"),
        ],
        "whatsapp_afdeling": [
            ("Gezien worden", "Mevrouw De Vries vroeg naar jou 😍🥰😍 ze wil je bedanken"),
            ("Ruimte voor gebaren", "Koffie staat klaar"),
            ("Emotie", "dit maakt mijn dag"),
        ],
        "interview_08": [("Ruimte voor gebaren", "De arts nam de tijd")],
    },
    "nvivo-mac-12.7": {
        "Focusgroep 2": [
            ("Collegialiteit", "Een collega die vraagt hoe het gaat 🫂"),
            ("Erkenning", "een kaart met 𝐃𝐀𝐍𝐊𝐉𝐄𝐖𝐄𝐋 🇳🇱 van een familie"),
            ("Erkenning", "Dat raakt me 🥹 elke keer"),
            ("Collegialiteit", "zware dagen"),
        ],
    },
    "atlas-ti-win-23.4": {
        "Interview 12": [
            ("Vertrouwen", "belde de huisarts ons 's avonds nog op 📞"),
            ("Resonantie", "Dat vergeet ik nooit 💛"),
            ("Vertrouwen", "Dat we er niet alleen voor stonden 🤝🏼"),
            ("Resonantie", "vader 👴 overleed"),
        ],
    },
    "maxqda-2020": {
        "Focusgroep": [
            ("Leiderschap", "Leidinggevenden steunen ons 💪"),
            ("Waardering", "kregen we taart 🎂 en een kaartje 💌 van de directie"),
            ("Leiderschap", "dat maakt het verschil"),
        ],
    },
}
READINGS = {
    "nvivo-windows-12.6": {
        "interview_07": ("utf16", "positions"),
        "whatsapp_afdeling": ("utf16", "positions"),
        "interview_08": ("codepoints", "agree"),
    },
    "nvivo-mac-12.7": {"Focusgroep 2": ("utf16", "positions")},
    "atlas-ti-win-23.4": {"Interview 12": ("codepoints", "positions")},
    "maxqda-2020": {"Focusgroep": ("codepoints", "positions")},
}


def passages(project: r.Project) -> dict:
    codes = project.code_index()
    return {
        d.name: sorted(
            (codes[r.guid_key(s.code)].name, d.text[s.start : s.end]) for s in d.segments
        )
        for d in project.documents
    }


def utf16(text: str, position: int) -> int:
    """Independent of the code under test: the length of the text before, in UTF-16."""
    return len(text[:position].encode("utf-16-le")) // 2


# --- counting ---------------------------------------------------------------------------------


def test_utf16_positions_convert_both_ways_on_random_texts():
    rng = random.Random(5)
    alphabet = "ab é\n—中" + "😀🥭👍🏽𝐃𠀋🇳🇱"
    for _ in range(200):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        index = p.Utf16Index(text)
        assert index.utf16_length == len(text.encode("utf-16-le")) // 2
        for position in range(len(text) + 1):
            unit = utf16(text, position)
            assert index.to_utf16(position) == unit
            assert index.to_code_point(unit) == position
        halves = {utf16(text, i) + 1 for i, c in enumerate(text) if ord(c) > 0xFFFF}
        for unit in halves:
            assert index.to_code_point(unit) is None  # between the two halves of one character
        assert index.to_code_point(index.utf16_length + 1) is None
        assert index.to_code_point(-1) is None


@pytest.mark.parametrize(
    "text, position, expected",
    [
        ("een mango", 4, True),
        ("een mango", 5, False),
        ("een mango", 0, True),
        ("een mango", 9, True),
        ("thee 🍵 en", 5, True),
        ("café-moment", 5, True),
        ("cafe\u0301 au lait", 4, False),  # between a letter and its accent
        ("中文文本", 2, True),  # no spaces between words
        ("𝐃𝐀𝐍𝐊", 2, False),  # mathematical letters are letters
    ],
)
def test_word_boundaries(text, position, expected):
    assert p.on_boundary(text, position) is expected


# --- the tools' files -------------------------------------------------------------------------


@pytest.mark.parametrize("tool", sorted(EXPECTED))
def test_each_tools_file_covers_exactly_the_coded_passages(tool):
    project = r.read_project(qdpx(tool))
    assert passages(project) == {name: sorted(found) for name, found in EXPECTED[tool].items()}
    assert {x.name: (x.reading, x.basis) for x in project.readings} == READINGS[tool]
    assert not any(x.doubtful or x.accepted for x in project.readings)
    for reading in project.readings:
        assert reading.fit.on_words == reading.selections  # every passage on word boundaries


def test_the_nvivo_windows_file_keeps_its_line_ends_memo_user_and_bom_out_of_the_text():
    project = r.read_project(qdpx("nvivo-windows-12.6"))
    assert project.origin == "NVivo for Windows 12.6"
    interview = project.documents[0]
    assert interview.text.startswith("I: Hoe was uw eerste nacht") and "\r\n" in interview.text
    memos = {interview.text[s.start : s.end]: s.memo for s in interview.segments}
    assert memos["de verpleegkundige bracht me thee 🍵"] == "Een klein gebaar"
    assert {project.user_index()[r.guid_key(s.user)].name for s in interview.segments} == {"Coder"}
    # Windows line ends unified afterwards: the passages move with the text.
    unified = r.normalise_newlines(interview)
    assert sorted(unified.text[s.start : s.end] for s in unified.segments) == sorted(
        found for _, found in EXPECTED["nvivo-windows-12.6"]["interview_07"]
    )


def test_a_coding_at_the_end_lies_past_the_end_as_code_points_and_fits_as_utf16():
    project = r.read_project(qdpx("nvivo-windows-12.6"))
    whatsapp = next(x for x in project.readings if x.name == "whatsapp_afdeling")
    assert whatsapp.fits["codepoints"].outside == 1
    assert whatsapp.fits["utf16"].outside == 0
    document = next(d for d in project.documents if d.name == "whatsapp_afdeling")
    last = max(document.segments, key=lambda s: s.end)
    assert last.end == len(document.text)
    assert document.text[last.start : last.end] == "dit maakt mijn dag"
    # Read as code points, as Mango read it before, the import would have failed.
    with pytest.raises(r.PositionsDoubtful, match="whatsapp_afdeling.*lies outside the text"):
        r.read_project(qdpx("nvivo-windows-12.6"), positions="codepoints")


def test_the_memos_of_mac_and_atlas_files_come_from_their_notes():
    mac = r.read_project(qdpx("nvivo-mac-12.7"))
    (document,) = mac.documents
    assert {document.text[s.start : s.end]: s.memo for s in document.segments if s.memo} == {
        "Een collega die vraagt hoe het gaat 🫂": "Steun onder collega's"
    }
    atlas = r.read_project(qdpx("atlas-ti-win-23.4"))
    (document,) = atlas.documents
    assert {document.text[s.start : s.end]: s.memo for s in document.segments if s.memo} == {
        "belde de huisarts ons 's avonds nog op 📞": "Beschikbaarheid buiten uren"
    }
    assert atlas.notes == [] and "sets of codes or documents" in atlas.skipped


def test_summaries_say_which_reading_each_source_got():
    lines = [x.describe() for x in r.read_project(qdpx("nvivo-windows-12.6")).readings]
    assert lines[0].startswith("interview_07: UTF-16 code units, decided by the positions;")
    assert "5 of 5 selections on word boundaries" in lines[0]
    assert "1 outside the text" in lines[1]  # whatsapp: read as code points
    assert lines[2].startswith("interview_08: Unicode characters (code points), both readings")


# --- deciding ---------------------------------------------------------------------------------


def _source(text, passages, unit="codepoints", name="doc"):
    spans = []
    for passage in passages:
        start = text.index(passage)
        end = start + len(passage)
        if unit == "utf16":
            start, end = utf16(text, start), utf16(text, end)
        spans.append((start, end))
    return p.SourceSpans(r.new_guid(), name, text, spans)


TEXT = "Eerst 😀 een zin, dan 🥭 de mango en 🎉 het feest, tot slot 👍 de koffie."
PASSAGES = ["een zin", "de mango", "het feest", "de koffie"]


def test_positions_decide_over_the_origin():
    (nvivo,) = p.choose([_source(TEXT, PASSAGES, "utf16")], "ATLAS.ti 23")
    assert (nvivo.reading, nvivo.basis, nvivo.doubtful) == ("utf16", "positions", False)
    (standard,) = p.choose([_source(TEXT, PASSAGES)], "NVivo for Windows 14")
    assert (standard.reading, standard.basis, standard.doubtful) == (
        "codepoints",
        "positions",
        False,
    )


def test_a_tie_goes_to_the_files_other_sources_then_to_the_origin():
    # Passages made of whole emoji run: both readings put them on boundaries.
    tied = "😀😀😀 🎉🎉🎉 🥭🥭🥭 👍👍👍"
    tie = p.SourceSpans(r.new_guid(), "tie", tied, [(0, 2)])
    clear = _source(TEXT, PASSAGES, "utf16", name="clear")
    readings = p.choose([tie, clear], "Some tool")
    assert [(x.name, x.reading, x.basis) for x in readings] == [
        ("tie", "utf16", "file"),
        ("clear", "utf16", "positions"),
    ]
    assert p.choose([tie], "NVivo 12 For Mac")[0].reading == "utf16"
    assert p.choose([tie], "MAXQDA 2022")[0].reading == "codepoints"
    assert p.choose([tie], "NVivo 12")[0].basis == "origin"


def test_positions_in_utf8_bytes_fit_neither_reading():
    text = "Één café, één crème brûlée 🍮; daarna één thé à la menthe en één réunion 🙂 later."
    words = ["café", "crème brûlée", "thé", "menthe", "réunion", "later"]
    spans = []
    for word in words:
        start = text.index(word)
        spans.append((len(text[:start].encode()), len(text[: start + len(word)].encode())))
    (reading,) = p.choose([p.SourceSpans(r.new_guid(), "bytes", text, spans)], "Other 1.0")
    assert reading.doubtful
    message = p.doubt_message([reading])
    assert message.startswith("The positions of the source 'bytes' fit neither")
    assert "For example: the selection" in message


def test_a_few_half_words_are_no_reason_to_doubt():
    text = "Leidinggevenden steunen ons, ook als het druk is."
    (reading,) = p.choose([p.SourceSpans(r.new_guid(), "d", text, [(0, 10), (16, 23)])], "MAXQDA")
    assert reading.fit.inside_words == 1 and not reading.doubtful


def test_a_forced_reading_is_used_as_asked():
    (reading,) = p.choose([_source(TEXT, PASSAGES)], "Tool", forced="utf16")
    assert (reading.reading, reading.basis) == ("utf16", "forced")
    assert reading.doubtful  # code point positions read as UTF-16 units land inside words
    with pytest.raises(ValueError, match="Unknown reading"):
        p.choose([], "Tool", forced="bytes")


# --- reading files that do not fit -------------------------------------------------------------


def _doubtful_file() -> bytes:
    """An NVivo-shaped project whose positions count UTF-8 bytes: they fit no reading."""
    text = "Één café, één crème brûlée 🍮; daarna één thé à la menthe en één réunion 🙂 later."
    selections = []
    for i, word in enumerate(["café", "crème brûlée", "thé", "menthe", "réunion", "later"]):
        start = text.index(word)
        a, b = len(text[:start].encode()), len(text[: start + len(word)].encode())
        selections.append(
            f'<PlainTextSelection guid="00000000-0000-4000-8000-0000000000{i:02d}" '
            f'startPosition="{a}" endPosition="{b}"><Coding guid="00000000-0000-4000-8000-'
            f'0000000001{i:02d}"><CodeRef targetGUID="c0000000-0000-4000-8000-000000000001"/>'
            "</Coding></PlainTextSelection>"
        )
    qde = (
        '<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" '
        'name="Bytes" origin="Other tool 1.0"><CodeBook><Codes>'
        '<Code guid="c0000000-0000-4000-8000-000000000001" name="Woord" isCodable="true"/>'
        "</Codes></CodeBook><Sources>"
        '<TextSource guid="d0000000-0000-4000-8000-000000000001" name="Menukaart" '
        'plainTextPath="internal://d0000000-0000-4000-8000-000000000001.txt">'
        + "".join(selections)
        + "</TextSource></Sources></Project>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("project.qde", qde)
        archive.writestr("sources/d0000000-0000-4000-8000-000000000001.txt", text.encode())
    return buffer.getvalue()


DOUBTFUL = _doubtful_file()


def test_reading_stops_on_positions_that_fit_no_reading_and_names_source_and_examples():
    with pytest.raises(r.PositionsDoubtful) as caught:
        r.read_project(DOUBTFUL)
    message = str(caught.value)
    assert "the source 'Menukaart' fit neither" in message
    assert "of 6 selections" in message
    assert message.count("the selection ") == p.MAX_EXAMPLES
    (reading,) = caught.value.readings
    assert reading.doubtful and not reading.accepted


def test_accepted_positions_are_read_as_they_go_and_cut_at_the_end():
    project = r.read_project(DOUBTFUL, accept_positions=True)
    (document,) = project.documents
    (reading,) = project.readings
    assert reading.accepted
    assert all(0 <= s.start < s.end <= len(document.text) for s in document.segments)
    # The last selection, counted in bytes, lies wholly past the end: cut at the end, it is
    # empty and left out, and the summary says so.
    assert len(document.segments) == 5
    assert project.skipped == [f"an empty selection at {len(document.text)} in 'Menukaart'"]
    assert "imported although the positions fit badly" in reading.describe()


def test_convert_cuts_past_the_end_and_moves_split_characters_to_their_start():
    text = "ab😀cd"
    assert p.convert(text, [(0, 99), (3, 4)], "utf16") == [(0, 5), (2, 3)]
    assert p.convert(text, [(0, 99)], "codepoints") == [(0, 5)]


# --- writing and round trips -------------------------------------------------------------------


@pytest.mark.parametrize("tool", sorted(EXPECTED))
@pytest.mark.parametrize("unit", ["codepoints", "utf16"])
def test_read_write_read_keeps_every_passage(tool, unit):
    first = r.read_project(qdpx(tool))
    data = r.write_project(first, positions=unit)
    again = r.read_project(data)
    assert passages(again) == passages(first)
    assert {x.reading for x in again.readings if x.basis != "agree"} == {unit}


def test_writing_utf16_counts_each_character_outside_the_bmp_twice():
    first = r.read_project(qdpx("nvivo-mac-12.7"))
    data = r.write_project(first, positions="utf16")
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("project.qde"))
    assert root.get("origin") == "NVivo for Mac 12.7"  # already says it counts UTF-16
    (document,) = first.documents
    written = sorted(
        (int(x.get("startPosition")), int(x.get("endPosition")))
        for x in root.iterfind(".//q:PlainTextSelection", NS)
    )
    assert written == sorted(
        (utf16(document.text, s.start), utf16(document.text, s.end)) for s in document.segments
    )
    # The same positions as NVivo wrote them.
    original = etree.fromstring((TOOLS / "nvivo-mac-12.7" / "project.qde").read_bytes())
    assert written == sorted(
        (int(x.get("startPosition")), int(x.get("endPosition")))
        for x in original.iterfind(".//{*}PlainTextSelection")
    )


def test_a_mango_file_in_utf16_says_so_in_its_origin():
    project = r.read_project(qdpx("atlas-ti-win-23.4"))
    project.origin = "Mango"
    data = r.write_project(project, positions="utf16")
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("project.qde"))
    assert root.get("origin") == "Mango (positions in UTF-16 code units)"
    assert p.counts_utf16(root.get("origin"))
    with pytest.raises(ValueError, match="Unknown unit"):
        r.write_project(project, positions="bytes")
