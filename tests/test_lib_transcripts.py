"""Transcripts: reading txt and docx, speaker turns, co-occurrence and retrieval of segments."""

import io
import zipfile

import docx
import pytest

from mango.lib.transcripts import (
    Coded,
    TranscriptError,
    check_segment,
    cooccurrence,
    read_transcript,
    retrieve,
    speaker_turns,
    speakers,
)


def test_utf8_with_bom_and_windows_line_ends():
    data = "\ufeffInterviewer: Hoe gaat het?\r\nP1: Goed, café!\r\n".encode()
    assert read_transcript("a.txt", data) == "Interviewer: Hoe gaat het?\nP1: Goed, café!\n"


def test_windows_1252_is_the_fallback():
    data = "R: Ze bracht koffie – één kop.\r".encode("cp1252")
    assert read_transcript("a.TXT", data) == "R: Ze bracht koffie – één kop.\n"


def test_utf16_with_bom():
    data = "P2: Très bien 😀".encode("utf-16")
    assert read_transcript("a.txt", data) == "P2: Très bien 😀"


def test_text_is_stored_in_nfc():
    assert read_transcript("a.txt", "cafe\u0301".encode()) == "caf\u00e9"


def _zip_without_word() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    return buffer.getvalue()


def _docx(*paragraphs, table=None) -> bytes:
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for i, row in enumerate(table):
            for j, cell in enumerate(row):
                grid.cell(i, j).text = cell
        document.add_paragraph("Na de tabel.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_paragraphs_become_lines_and_tables_stay_in_place():
    data = _docx("Interviewer: Vertel eens.", "P1: Ze gaf me een mango 🥭.", table=[["I", "Ja"]])
    assert read_transcript("interview.docx", data) == (
        "Interviewer: Vertel eens.\nP1: Ze gaf me een mango 🥭.\nI\tJa\nNa de tabel."
    )


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("a.pdf", b"%PDF", "Upload a .txt or .docx file"),
        ("a.doc", b"\xd0\xcf\x11\xe0", "Upload a .txt or .docx file"),
        ("a.docx", b"not a zip", r"not a Word \(.docx\) document"),
        ("a.docx", _zip_without_word(), r"not a Word \(.docx\) document"),
        ("a.txt", b"   \n\n", "holds no text"),
        ("a.txt", b"abc\x00def", "binary data"),
    ],
)
def test_bad_files_get_a_clear_error(name, data, message):
    with pytest.raises(TranscriptError, match=message):
        read_transcript(name, data)


def test_speaker_turns():
    text = (
        "Interview 3, 12 maart\n"
        "Interviewer: Hoe was het?\n"
        "P1: Goed. Om 10:30 kwam ze binnen.\n"
        "Ze bleef even.\n"
        "R: Ja.\n"
        "Dat was moeilijk: ik wist het niet.\n"
        "Participant 3: Inderdaad.\n"
        "Participant 3: Nog iets."
    )
    turns = speaker_turns(text)
    assert [t.speaker for t in turns] == [
        None,
        "Interviewer",
        "P1",
        "R",
        "Participant 3",
        "Participant 3",
    ]
    p1 = turns[2]
    assert text[p1.start : p1.end] == "P1: Goed. Om 10:30 kwam ze binnen.\nZe bleef even.\n"
    assert text[p1.text_start : p1.end].startswith("Goed.")
    # "Dat was moeilijk:" is a sentence, not a speaker (a multi-word label seen once).
    assert "moeilijk" in text[turns[3].start : turns[3].end]
    assert turns[-1].end == len(text)
    assert speakers(text) == ["Interviewer", "P1", "R", "Participant 3"]


def test_no_labels_no_turns_but_the_text():
    assert [(t.speaker, t.start, t.end) for t in speaker_turns("Gewoon tekst.")] == [(None, 0, 13)]


def test_cooccurrence_counts_overlapping_pairs_per_document():
    segments = [
        Coded("d1", 0, 10, "a"),
        Coded("d1", 5, 15, "b"),  # overlaps a
        Coded("d1", 10, 20, "c"),  # touches a (ends at 10): no overlap with a; overlaps b
        Coded("d1", 12, 13, "a"),  # inside b and c
        Coded("d2", 0, 5, "a"),
        Coded("d3", 0, 5, "b"),  # another document: no co-occurrence with d2's a
    ]
    table = cooccurrence(segments, codes=["a", "b", "c"])
    assert table.get("a", "a") == 3
    assert table.get("a", "b") == table.get("b", "a") == 2
    assert table.get("b", "c") == 1
    assert table.get("a", "c") == 1
    assert table.rows() == [("a", [3, 2, 1]), ("b", [2, 2, 1]), ("c", [1, 1, 1])]


def test_cooccurrence_agrees_with_brute_force():
    import random

    rng = random.Random(4)
    segments = []
    for _ in range(300):
        start = rng.randrange(0, 200)
        segments.append(
            Coded(rng.choice("xy"), start, start + rng.randrange(1, 30), rng.choice("abcd"))
        )
    table = cooccurrence(segments)
    expected = {}
    for i, s in enumerate(segments):
        expected[(s.code, s.code)] = expected.get((s.code, s.code), 0) + 1
        for t in segments[i + 1 :]:
            if (
                s.document == t.document
                and s.code != t.code
                and s.start < t.end
                and t.start < s.end
            ):
                for key in ((s.code, t.code), (t.code, s.code)):
                    expected[key] = expected.get(key, 0) + 1
    assert table.counts == expected


def test_retrieve_gives_the_segments_of_a_code_in_document_order():
    texts = {"d2": "Tweede: een mango.", "d1": "Eerste 😀 tekst met vertrouwen."}
    segments = [
        Coded("d1", texts["d1"].index("vertrouwen"), len(texts["d1"]) - 1, "trust"),
        Coded("d2", 8, 17, "trust"),
        Coded("d1", 0, 6, "other"),
    ]
    found = retrieve(segments, "trust", texts, context=4)
    assert [(f.segment.document, f.text) for f in found] == [
        ("d2", "een mango"),
        ("d1", "vertrouwen"),
    ]
    assert found[1].before == "met " and found[1].after == "."
    assert [f.text for f in retrieve(segments, {"trust", "other"}, texts)] == [
        "een mango",
        "Eerste",
        "vertrouwen",
    ]


def test_check_segment():
    check_segment("abc", 0, 3)
    for start, end in [(0, 4), (2, 2), (-1, 1), (2, 1)]:
        with pytest.raises(TranscriptError, match="not inside the text"):
            check_segment("abc", start, end)
    with pytest.raises(TranscriptError, match="whole-number"):
        check_segment("abc", True, 2)


def test_a_docx_zip_bomb_is_refused_before_it_is_parsed(monkeypatch):
    from mango.lib import transcripts

    def never(*args, **kwargs):
        raise AssertionError("python-docx must not parse a zip bomb")

    monkeypatch.setattr(docx, "Document", never)
    for megabytes in (65, 3):  # too large in all; or hundreds of times its packed size
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("[Content_Types].xml", "<Types/>")
            with archive.open("word/document.xml", "w") as stream:
                for _ in range(megabytes):
                    stream.write(b" " * 2**20)
        assert len(buffer.getvalue()) < 100_000
        with pytest.raises(TranscriptError) as err:
            read_transcript("bomb.docx", buffer.getvalue())
        assert str(err.value) == transcripts.TOO_LARGE_DOCX
