"""REFI-QDA projects and codebooks: writing, reading, validation, positions, other tools' files."""

import io
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import etree

from mango.lib import refiqda as r

NS = {"q": r.PROJECT_NS}
FIXTURES = Path(__file__).parent / "fixtures" / "refiqda"


def _project(text="Interviewer: Hoe was het?\nP1: Ze bracht me een mango 😀 — café.\n"):
    anna, bert = r.User(r.new_guid(), "anna"), r.User(r.new_guid(), "bert")
    child = r.Code(r.new_guid(), "Vertrouwen", "Een relatie van vertrouwen", color="#AA0000")
    parent = r.Code(r.new_guid(), "Resonantie", "Positieve resonantie", children=[child])
    other = r.Code(r.new_guid(), "Categorie", codable=False)
    start = text.index("mango")
    document = r.Document(
        r.new_guid(),
        "Interview 1",
        text,
        created=datetime(2024, 3, 1, 10, 0, tzinfo=UTC),
        segments=[
            r.Segment(r.new_guid(), start, start + 7, child.guid, anna.guid, "memo: é 😀"),
            r.Segment(r.new_guid(), 0, 12, parent.guid, bert.guid),
        ],
    )
    case = r.Case(
        r.new_guid(), "P1", {"role": "patient", "oncological": True}, documents=[document.guid]
    )
    return r.Project(
        "Mango-interviews",
        users=[anna, bert],
        codes=[parent, other],
        documents=[document],
        notes=[r.Note(r.new_guid(), "Projectmemo", "Eerste ronde.")],
        cases=[case],
    )


def _zip(entries: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


# --- writing -----------------------------------------------------------------------------------


def test_the_archive_holds_project_qde_and_one_utf8_text_per_source():
    project = _project()
    archive = zipfile.ZipFile(io.BytesIO(r.write_project(project)))
    document = project.documents[0]
    assert sorted(archive.namelist()) == ["project.qde", f"sources/{document.guid}.txt"]
    raw = archive.read(f"sources/{document.guid}.txt")
    assert not raw.startswith(b"\xef\xbb\xbf")
    assert raw.decode("utf-8") == document.text


def test_the_xml_uses_the_namespace_and_the_schema_order():
    root = etree.fromstring(
        zipfile.ZipFile(io.BytesIO(r.write_project(_project()))).read("project.qde")
    )
    assert root.tag == f"{{{r.PROJECT_NS}}}Project"
    order = [etree.QName(child).localname for child in root]
    assert order == ["Users", "CodeBook", "Variables", "Cases", "Sources", "Notes"]
    source = root.find("q:Sources/q:TextSource", NS)
    assert source.get("plainTextPath") == f"internal://{source.get('guid')}.txt"
    selection = source.find("q:PlainTextSelection", NS)
    # PlainTextSelection: Description?, Coding*, NoteRef*
    assert [etree.QName(c).localname for c in selection] in (["Coding"], ["Coding", "NoteRef"])
    coding = selection.find("q:Coding", NS)
    assert coding.find("q:CodeRef", NS).get("targetGUID")
    assert coding.get("creatingUser") == selection.get("creatingUser")
    category = root.xpath("//q:Code[@name='Categorie']", namespaces=NS)[0]
    assert category.get("isCodable") == "false"


def test_every_element_the_schema_gives_a_guid_has_one():
    root = etree.fromstring(
        zipfile.ZipFile(io.BytesIO(r.write_project(_project()))).read("project.qde")
    )
    for tag in ("User", "Code", "TextSource", "PlainTextSelection", "Coding", "Note", "Case"):
        elements = root.findall(f".//q:{tag}", NS)
        assert elements, tag
        for element in elements:
            assert len(element.get("guid")) == 36, (tag, element.get("guid"))


def test_a_project_reads_back_the_same():
    project = _project()
    back = r.read_project(r.write_project(project))
    assert back.name == project.name
    assert [u.name for u in back.users] == ["anna", "bert"]
    assert [
        (c.name, c.description, c.codable, c.color, p.name if p else None)
        for c, p in r.walk_codes(back.codes)
    ] == [
        (c.name, c.description, c.codable, c.color, p.name if p else None)
        for c, p in r.walk_codes(project.codes)
    ]
    (document,) = back.documents
    original = project.documents[0]
    assert document.text == original.text
    assert document.created == original.created
    codes = back.code_index()
    users = back.user_index()

    def seen(doc, codes, users):
        return sorted(
            (
                s.start,
                s.end,
                codes[r.guid_key(s.code)].name,
                users[r.guid_key(s.user)].name,
                s.memo,
                doc.text[s.start : s.end],
            )
            for s in doc.segments
        )

    assert seen(document, codes, users) == seen(
        original, project.code_index(), project.user_index()
    )
    assert [(n.name, n.text) for n in back.notes] == [("Projectmemo", "Eerste ronde.")]
    assert [(c.name, c.attributes, c.documents) for c in back.cases] == [
        ("P1", {"role": "patient", "oncological": True}, [document.guid])
    ]
    assert back.skipped == []


@pytest.mark.parametrize(
    "text, word",
    [
        ("café crème, s'il vous plaît", "crème"),
        ("😀😀 emoji first, then the mango 🥭 here", "mango 🥭"),
        ("combining: cafe\u0301 au lait", "cafe\u0301"),
        ("Chinese 中文 and Arabic مرحبا", "مرحبا"),
    ],
)
def test_positions_count_characters_and_survive_non_ascii(text, word):
    code = r.Code(r.new_guid(), "x")
    start = text.index(word)
    document = r.Document(
        r.new_guid(),
        "d",
        text,
        segments=[r.Segment(r.new_guid(), start, start + len(word), code.guid)],
    )
    data = r.write_project(r.Project("p", codes=[code], documents=[document]))
    qde = zipfile.ZipFile(io.BytesIO(data)).read("project.qde")
    selection = etree.fromstring(qde).find(".//q:PlainTextSelection", NS)
    # The standard counts characters, not UTF-8 bytes nor UTF-16 units.
    assert int(selection.get("startPosition")) == start
    assert int(selection.get("endPosition")) == start + len(word)
    back = r.read_project(data).documents[0]
    (segment,) = back.segments
    assert back.text[segment.start : segment.end] == word


def test_a_codebook_reads_back_with_its_hierarchy():
    project = _project()
    data = r.write_codebook(project.codes)
    root = etree.fromstring(data)
    assert root.tag == f"{{{r.CODEBOOK_NS}}}CodeBook"
    codes, origin = r.read_codebook(data)
    assert origin == "Mango"
    assert [(c.guid, c.name, p.guid if p else None) for c, p in r.walk_codes(codes)] == [
        (c.guid, c.name, p.guid if p else None) for c, p in r.walk_codes(project.codes)
    ]


# --- validation ----------------------------------------------------------------------------------


def test_writing_refuses_a_segment_outside_the_text():
    project = _project()
    project.documents[0].segments[0].end = len(project.documents[0].text) + 1
    with pytest.raises(r.RefiQdaError, match="outside the text of 'Interview 1'"):
        r.write_project(project)


def test_writing_refuses_an_unknown_code_and_duplicate_guids():
    project = _project()
    project.documents[0].segments[0].code = r.new_guid()
    with pytest.raises(r.RefiQdaError, match="not in the codebook"):
        r.write_project(project)
    project = _project()
    project.codes[1].guid = project.codes[0].guid
    with pytest.raises(r.RefiQdaError, match="used twice"):
        r.write_project(project)


def test_reading_refuses_what_is_not_a_qdpx():
    with pytest.raises(r.RefiQdaError, match="not a zip archive"):
        r.read_project(b"this is plain text")
    with pytest.raises(r.RefiQdaError, match="not a zip archive"):
        r.read_project(b"PK\x03\x04 truncated")
    with pytest.raises(r.RefiQdaError, match="no project.qde"):
        r.read_project(_zip({"readme.txt": "hello"}))
    with pytest.raises(r.RefiQdaError, match="not well-formed XML"):
        r.read_project(_zip({"project.qde": "<Project name='x'"}))
    with pytest.raises(r.RefiQdaError, match="root element is <html>"):
        r.read_project(_zip({"project.qde": "<html/>"}))


def _qde(selection, text="Hello world", code_guid="11111111-1111-4111-8111-111111111111"):
    return _zip(
        {
            "project.qde": f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="t">
 <CodeBook><Codes><Code guid="{code_guid}" name="c" isCodable="true"/></Codes></CodeBook>
 <Sources><TextSource guid="22222222-2222-4222-8222-222222222222" name="doc"
   plainTextPath="internal://22222222-2222-4222-8222-222222222222.txt">{selection}
 </TextSource></Sources>
</Project>""",
            "sources/22222222-2222-4222-8222-222222222222.txt": text.encode(),
        }
    )


def test_reading_refuses_a_selection_outside_the_text():
    data = _qde(
        '<PlainTextSelection guid="33333333-3333-4333-8333-333333333333" startPosition="6" '
        'endPosition="99"><Coding guid="44444444-4444-4444-8444-444444444444">'
        '<CodeRef targetGUID="11111111-1111-4111-8111-111111111111"/></Coding>'
        "</PlainTextSelection>"
    )
    with pytest.raises(
        r.PositionsDoubtful, match=r"source 'doc' fit neither.*6–99 lies outside the text.*11 char"
    ):
        r.read_project(data)


def test_reading_refuses_an_unknown_code_reference():
    data = _qde(
        '<PlainTextSelection guid="33333333-3333-4333-8333-333333333333" startPosition="0" '
        'endPosition="5"><Coding guid="44444444-4444-4444-8444-444444444444">'
        '<CodeRef targetGUID="99999999-9999-4999-8999-999999999999"/></Coding>'
        "</PlainTextSelection>"
    )
    with pytest.raises(r.RefiQdaError, match="refers to the code 9999.*not in the codebook"):
        r.read_project(data)


def test_reading_refuses_bad_positions_and_missing_text_files():
    bad = _qde(
        '<PlainTextSelection guid="33333333-3333-4333-8333-333333333333" startPosition="a" '
        'endPosition="5"/>'
    )
    with pytest.raises(r.RefiQdaError, match="startPosition='a' is not a whole number"):
        r.read_project(bad)
    archive = zipfile.ZipFile(io.BytesIO(_qde("")))
    without_text = _zip({"project.qde": archive.read("project.qde")})
    with pytest.raises(r.RefiQdaError, match="lacks its text file"):
        r.read_project(without_text)


def test_reading_refuses_entities_and_dtds():
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE Project [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        '<Project xmlns="urn:QDA-XML:project:1.0" name="&b;"/>'
    )
    with pytest.raises(r.RefiQdaError, match="DTD or entities"):
        r.read_project(_zip({"project.qde": bomb}))


def test_reading_refuses_an_archive_that_unpacks_too_large(monkeypatch):
    from mango.lib.refiqda import reader

    monkeypatch.setattr(reader, "MAX_TOTAL_BYTES", 1000)
    data = _zip({"project.qde": "<Project/>", "sources/a.txt": "x" * 5000})
    with pytest.raises(r.RefiQdaError, match="unpacks to more than"):
        r.read_project(data)


def test_reading_a_codebook_refuses_a_project_archive_and_empty_books():
    with pytest.raises(r.RefiQdaError, match="not a .qdc codebook"):
        r.read_codebook(r.write_project(_project()))
    with pytest.raises(r.RefiQdaError, match="holds no codes"):
        r.read_codebook(b'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes/></CodeBook>')


# --- line ends ------------------------------------------------------------------------------------


def test_windows_line_ends_are_unified_and_positions_follow():
    text = "Interviewer: Hoe?\r\nP1: Een mango.\r\nEinde\rklaar"
    code = r.Code(r.new_guid(), "x")
    word = text.index("mango")
    document = r.Document(
        r.new_guid(),
        "d",
        text,
        segments=[
            r.Segment(r.new_guid(), word, word + 5, code.guid),
            r.Segment(r.new_guid(), 0, len(text), code.guid),
            r.Segment(r.new_guid(), text.index("Einde"), text.index("klaar") + 5, code.guid),
        ],
    )
    unified = r.normalise_newlines(document)
    assert unified.text == "Interviewer: Hoe?\nP1: Een mango.\nEinde\nklaar"
    assert [unified.text[s.start : s.end] for s in unified.segments] == [
        "mango",
        unified.text,
        "Einde\nklaar",
    ]
    assert document.text == text  # the original is left as it was


# --- files written by other tools -----------------------------------------------------------------

# Fixtures in tests/fixtures/refiqda/ follow the structure of other tools' exports, as
# published in the test suites of open-source QDA tools; names and texts are ours.
#
# NVivo for Windows 12.6: an extra xsd namespace, basePath="", a richTextPath beside the plain
# text, nested codes, codings without a user, the text files in "Sources/" with a capital S.
# The text here has Windows line ends and a byte-order mark; the selection is at 43-50.
NVIVO_QDE = (FIXTURES / "nvivo-windows-12.6.qde").read_bytes()


def test_an_nvivo_shaped_project_is_read():
    text = "I: Wat deed de verpleegkundige?\r\nR: Ze nam de tijd, dat was een café-moment.\r\n"
    word = "de tijd"
    data = _zip(
        {
            "project.qde": NVIVO_QDE,
            "Sources/56a79789-d535-4fb8-bedd-a915504c54ba.txt": b"\xef\xbb\xbf"
            + text.encode("utf-8"),
            "Sources/56a79789-d535-4fb8-bedd-a915504c54ba.docx": b"PK not read",
        }
    )
    project = r.read_project(data)
    assert project.origin == "NVivo for Windows 12.6"
    (document,) = project.documents
    assert document.text == text  # the byte-order mark is gone, line ends as written
    (segment,) = document.segments
    assert document.text[segment.start : segment.end] == word
    # GUIDs in braces or capitals still find their code and user.
    assert segment.code == "4d62f0cc-182f-44b8-a043-339c90779e9e"
    assert segment.user == "8ca3a2c1-8b7a-41c3-a9dd-a8fb46caa645"
    unified = r.normalise_newlines(document)
    (moved,) = unified.segments
    assert unified.text[moved.start : moved.end] == word


# An ATLAS.ti (Windows 23.4) codebook: the namespace URN of 1.0 with a 0:4 schema location,
# capital GUIDs, colours, descriptions and a code group as a Set.
ATLAS_QDC = (FIXTURES / "atlas-ti-win-23.4.qdc").read_bytes()

# NVivo 12 for Mac writes the codebook namespace as "1:0" and flat codes.
NVIVO_MAC_QDC = (FIXTURES / "nvivo-12-mac.qdc").read_bytes()


def test_an_atlas_ti_codebook_is_read():
    codes, origin = r.read_codebook(ATLAS_QDC)
    assert origin == "ATLAS.ti Win 23.4.0"
    assert [(c.name, c.color, c.description) for c in codes] == [
        ("Vertrouwen", "#46AA00", "Relatie van vertrouwen tussen patiënt en zorgverlener"),
        ("Werkplezier", None, ""),
    ]


def test_an_nvivo_for_mac_codebook_is_read():
    codes, origin = r.read_codebook(NVIVO_MAC_QDC)
    assert origin == "NVivo 12 For Mac"
    assert [c.name for c in codes] == ["Impact op patiënten"]


# MAXQDA 2020 (Release 20.4.2) exports: pictures and an audio recording in a VideoSource
# beside the text, which Mango does not hold and reports as left out.
MAXQDA_QDE = (FIXTURES / "maxqda-2020.qde").read_bytes()


def test_a_maxqda_shaped_project_reports_what_it_leaves_out():
    data = _zip(
        {
            "project.qde": MAXQDA_QDE,
            "A0000000-0000-4000-8000-000000000001.txt": "Leidinggevenden steunen ons.",
        }
    )
    project = r.read_project(data)
    (document,) = project.documents
    (segment,) = document.segments
    assert document.text[segment.start : segment.end] == "Leidinggev"
    assert segment.memo == "Memo bij de selectie"
    assert segment.user is None
    assert project.skipped == [
        "picture 'Screenshot'",
        "video recording 'New Recording 11'",
        "sets of codes or documents",
    ]


def test_inline_text_and_a_bare_project_qde_are_read():
    qde = """<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Inline">
 <Users><User guid="{AAAAAAAA-0000-4000-8000-000000000001}" name="Ann"/></Users>
 <CodeBook><Codes><Code guid="C0000000-0000-4000-8000-000000000001" name="c" isCodable="true"/>
 </Codes></CodeBook>
 <Sources><TextSource guid="D0000000-0000-4000-8000-000000000001" name="doc">
  <PlainTextContent>😀 een café</PlainTextContent>
  <PlainTextSelection guid="E0000000-0000-4000-8000-000000000001" startPosition="6"
    endPosition="10" creatingUser="aaaaaaaa-0000-4000-8000-000000000001">
   <Coding guid="F0000000-0000-4000-8000-000000000001">
    <CodeRef targetGUID="c0000000-0000-4000-8000-000000000001"/>
    <NoteRef targetGUID="B0000000-0000-4000-8000-000000000001"/>
   </Coding>
  </PlainTextSelection>
 </TextSource></Sources>
 <Notes><Note guid="B0000000-0000-4000-8000-000000000001" name="memo">
  <PlainTextContent>Een memo</PlainTextContent></Note></Notes>
</Project>""".encode()
    project = r.read_project(qde)
    (document,) = project.documents
    (segment,) = document.segments
    assert document.text[segment.start : segment.end] == "café"
    assert segment.memo == "Een memo"
    assert project.user_index()[r.guid_key(segment.user)].name == "Ann"
    assert project.notes == []  # the note is the segment's memo, not a project note


def test_reading_refuses_a_member_that_unpacks_to_hundreds_of_times_its_size():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("project.qde", "w") as stream:
            for _ in range(4):
                stream.write(b" " * 2**20)
    with pytest.raises(r.RefiQdaError, match="times its packed size"):
        r.read_project(buffer.getvalue())
