"""The Dutch and French catalogues: complete, compiled, and actually used by the pages.

No gettext tools are needed: the .po files are read by the small parser below, the .mo files by
Python's own ``gettext`` module, and the marked strings are found in the sources with ``ast``
and a few regular expressions (a cheap stand-in for ``makemessages``).
"""

import ast
import gettext
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.utils.translation import trim_whitespace

SRC = Path(settings.BASE_DIR)
LOCALE = SRC / "locale"
# The main catalogue, then one per app that keeps its own (src/mango/<app>/locale/): Django
# reads app catalogues after LOCALE_PATHS, so an app's strings need not touch the main one.
CATALOGUES = [LOCALE, *sorted(p for p in SRC.glob("*/locale") if p.is_dir())]
TEMPLATE_DIRS = [SRC / "templates", *sorted(p for p in SRC.glob("*/templates") if p.is_dir())]
TRANSLATED = ("nl", "fr")
ALL = ("en", "nl", "fr")
CTX = "\x04"  # how gettext joins a context and its msgid


# ----- a small .po parser -------------------------------------------------------------------

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def _unquote(text: str) -> str:
    text = text.strip()
    assert text.startswith('"') and text.endswith('"'), text
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), text[1:-1])


def parse_po(path: Path) -> list[dict]:
    """Entries as dicts: ctxt, id, plural, strs ({index: text}), flags, line."""
    entries = []
    entry = None
    field = None

    def finish():
        if entry is not None and entry.get("id") is not None:
            entries.append(entry)

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#~"):  # blank, or an obsolete entry
            continue
        if line.startswith("#"):
            if entry is not None and entry.get("id") is not None:
                finish()
                entry = None
            entry = entry or {"flags": set(), "strs": {}, "ctxt": None, "plural": None}
            if line.startswith("#,"):
                entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
            continue
        keyword = re.match(r"(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(\".*\")$", line)
        if keyword:
            name, index, value = keyword.group(1), keyword.group(2), _unquote(keyword.group(3))
            if name in ("msgctxt", "msgid") and entry is not None and entry.get("id") is not None:
                finish()
                entry = None
            entry = entry or {"flags": set(), "strs": {}, "ctxt": None, "plural": None}
            if name == "msgctxt":
                entry["ctxt"], field = value, ("ctxt",)
            elif name == "msgid":
                entry["id"], entry["line"], field = value, number, ("id",)
            elif name == "msgid_plural":
                entry["plural"], field = value, ("plural",)
            else:
                field = ("strs", int(index or 0))
                entry["strs"][field[1]] = value
        elif line.startswith('"'):
            if field[0] == "strs":
                entry["strs"][field[1]] += _unquote(line)
            else:
                entry[field[0]] += _unquote(line)
        else:
            raise AssertionError(f"{path}:{number}: cannot parse {raw!r}")
    finish()
    return entries


def po_path(language: str, locale: Path = LOCALE) -> Path:
    return locale / language / "LC_MESSAGES" / "django.po"


def mo_path(language: str, locale: Path = LOCALE) -> Path:
    return locale / language / "LC_MESSAGES" / "django.mo"


def messages(language: str, locale: Path = LOCALE) -> list[dict]:
    """The entries, header left out."""
    return [e for e in parse_po(po_path(language, locale)) if e["id"] != ""]


def each_catalogue(languages):
    """Parameters (locale, language) for every catalogue, named by its folder."""
    return [
        pytest.param(locale, language, id=f"{locale.relative_to(SRC)}-{language}")
        for locale in CATALOGUES
        for language in languages
    ]


def key(entry: dict) -> str:
    return entry["id"] if entry["ctxt"] is None else entry["ctxt"] + CTX + entry["id"]


def nplurals(language: str, locale: Path = LOCALE) -> int:
    header = next(e for e in parse_po(po_path(language, locale)) if e["id"] == "")["strs"][0]
    return int(re.search(r"nplurals\s*=\s*(\d+)", header).group(1))


# ----- (a) complete ------------------------------------------------------------------------


@pytest.mark.parametrize(("locale", "language"), each_catalogue(ALL))
def test_the_catalogue_exists_and_parses(locale, language):
    assert po_path(language, locale).is_file()
    assert messages(language, locale), "an empty catalogue: run makemessages"


@pytest.mark.parametrize(("locale", "language"), each_catalogue(TRANSLATED))
def test_every_entry_is_translated_and_none_is_fuzzy(locale, language):
    problems = []
    for entry in parse_po(po_path(language, locale)):
        where = (
            f"{po_path(language, locale).relative_to(SRC)}:{entry.get('line', 0)} {entry['id']!r}"
        )
        if "fuzzy" in entry["flags"]:
            problems.append(f"fuzzy: {where}")
        if entry["id"] == "":
            continue
        wanted = nplurals(language, locale) if entry["plural"] is not None else 1
        strs = [entry["strs"].get(i, "") for i in range(wanted)]
        if not all(s.strip() for s in strs):
            problems.append(f"untranslated: {where}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(("locale", "language"), each_catalogue(TRANSLATED))
def test_the_catalogues_hold_the_same_messages(locale, language):
    assert {key(e) for e in messages(language, locale)} == {key(e) for e in messages("en", locale)}


_PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%%[a-z]+|\{\{ *\w+ *\}\}")


@pytest.mark.parametrize(("locale", "language"), each_catalogue(TRANSLATED))
def test_placeholders_are_kept(locale, language):
    problems = []
    for entry in messages(language, locale):
        for index, text in entry["strs"].items():
            source = entry["plural"] if index and entry["plural"] is not None else entry["id"]
            if sorted(_PLACEHOLDER.findall(source)) != sorted(_PLACEHOLDER.findall(text)):
                problems.append(f"{entry['id']!r} -> {text!r}")
    assert not problems, "\n".join(problems)


# Every string marked in the sources is in the catalogues: a cheap makemessages, so a string
# added to a template or a module without a translation fails here, not in front of a patient.

_GETTEXT = {
    "_": (None, 0, None),
    "gettext": (None, 0, None),
    "gettext_lazy": (None, 0, None),
    "gettext_noop": (None, 0, None),
    "ngettext": (None, 0, 1),
    "ngettext_lazy": (None, 0, 1),
    "pgettext": (0, 1, None),
    "pgettext_lazy": (0, 1, None),
    "npgettext": (0, 1, 2),
    "npgettext_lazy": (0, 1, 2),
}


def _python_msgids(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        if name not in _GETTEXT:
            continue
        ctxt_at, id_at, _plural_at = _GETTEXT[name]
        args = node.args
        if len(args) <= id_at or not all(
            isinstance(a, ast.Constant) and isinstance(a.value, str) for a in args[: id_at + 1]
        ):
            continue
        msgid = args[id_at].value
        yield msgid if ctxt_at is None else args[ctxt_at].value + CTX + msgid


_TRANSLATE = re.compile(
    r"{%\s*(?:translate|trans)\s+(?P<q>[\"'])(?P<id>.*?)(?P=q)"
    r"(?:\s+context\s+(?P<cq>[\"'])(?P<ctxt>.*?)(?P=cq))?[^%]*%}"
)
_UNDERSCORE = re.compile(r"\b_\((?P<q>[\"'])(?P<id>.*?)(?P=q)\)")  # {{ x|default:_("...") }}
_BLOCK = re.compile(
    r"{%\s*(?:blocktranslate|blocktrans)(?P<opts>[^%]*)%}(?P<body>.*?)"
    r"{%\s*(?:endblocktranslate|endblocktrans)\s*%}",
    re.S,
)


def _template_msgids(path: Path):
    text = path.read_text(encoding="utf-8")
    for match in _TRANSLATE.finditer(text):
        msgid = match.group("id").replace("%", "%%")
        yield msgid if match.group("ctxt") is None else match.group("ctxt") + CTX + msgid
    for match in _UNDERSCORE.finditer(text):
        yield match.group("id")
    for match in _BLOCK.finditer(text):
        opts = match.group("opts")
        body = re.split(r"{%\s*plural\s*%}", match.group("body"))[0]
        body = body.replace("%", "%%")
        body = re.sub(r"{{\s*(\w+)\s*}}", r"%(\1)s", body)
        if re.search(r"\btrimmed\b", opts):
            body = trim_whitespace(body)
        context = re.search(r"\bcontext\s+([\"'])(.*?)\1", opts)
        yield body if context is None else context.group(2) + CTX + body


def marked_in_sources() -> dict[str, str]:
    """msgid -> where it is marked."""
    found = {}
    for path in sorted(SRC.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for msgid in _python_msgids(path):
            found.setdefault(msgid, str(path.relative_to(SRC)))
    for path in sorted(p for folder in TEMPLATE_DIRS for p in folder.rglob("*.html")):
        for msgid in _template_msgids(path):
            found.setdefault(msgid, str(path.relative_to(SRC)))
    return found


def test_the_source_scan_finds_the_strings_it_should():
    found = marked_in_sources()
    assert "Send my story" in found  # a template {% translate %}
    assert "setting" + CTX + "Other" in found  # pgettext_lazy
    assert "%(n)s story" in found  # a plural blocktranslate
    assert "%%n of at most %%max characters" in found  # a percent sign, doubled
    assert "(not de-identified yet)" in found  # _("...") as a filter argument
    assert len(found) > 200


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_string_marked_in_the_sources_is_translated(language):
    translated = {
        key(e)
        for locale in CATALOGUES
        for e in messages(language, locale)
        if all(e["strs"].values())
    }
    missing = {msgid: where for msgid, where in marked_in_sources().items() if msgid}
    missing = {msgid: where for msgid, where in missing.items() if msgid not in translated}
    assert not missing, (
        "Run makemessages (see tests/test_translations.py) and translate:\n"
        + "\n".join(f"{where}: {msgid!r}" for msgid, where in sorted(missing.items()))
    )


# ----- (c) compiled ------------------------------------------------------------------------


def _expected_catalog(language: str, locale: Path = LOCALE) -> dict:
    """What msgfmt makes of the .po: translated, non-fuzzy entries only."""
    catalog = {}
    for entry in messages(language, locale):
        if "fuzzy" in entry["flags"] or not all(entry["strs"].values()):
            continue
        if entry["plural"] is None:
            catalog[key(entry)] = entry["strs"][0]
        else:
            for index, text in entry["strs"].items():
                catalog[(key(entry), index)] = text
    return catalog


@pytest.mark.parametrize(("locale", "language"), each_catalogue(ALL))
def test_the_mo_file_is_compiled_from_the_current_po_file(locale, language):
    assert mo_path(language, locale).is_file(), "run: mango compilemessages"
    with mo_path(language, locale).open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    catalog = {k: v for k, v in compiled._catalog.items() if k != ""}
    assert catalog == _expected_catalog(language, locale), (
        "the .mo is stale: run mango compilemessages"
    )
    if language in TRANSLATED:
        assert compiled.info().get("language") == language
        assert compiled.info().get("plural-forms"), "the header was lost (a fuzzy header?)"


# ----- (b) used by the pages ---------------------------------------------------------------


class _Text(HTMLParser):
    """The visible text of a page, one string per text node, scripts and styles left out."""

    def __init__(self):
        super().__init__()
        self.nodes = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("script", "style")

    def handle_endtag(self, tag):
        self._skip -= tag in ("script", "style")

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.nodes.append(" ".join(data.split()))


def visible_text(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    return parser.nodes


PHRASES = {
    "nl": ["Vertel uw Mangomoment", "Verstuur mijn verhaal", "Uw toestemming", "ontvangstcode"],
    "fr": [
        "Racontez votre moment Mango",
        "Envoyer mon histoire",
        "Votre consentement",
        "code de suivi",
    ],
}
ENGLISH = ["Tell your Mangomoment", "Send my story", "Your consent", "receipt code"]
# Text that is the same in English: the brand, the language names, the hidden honeypot field,
# and words the languages share.
SAME_EVERYWHERE = {"Mango", "Nederlands", "français", "English", "Website"}
SAME_AS_ENGLISH = {"nl": set(), "fr": {"Organisation"}}


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_form_speaks_the_language_of_its_address(client, db, language):
    response = client.get(f"/{language}/tell/")
    assert response.status_code == 200
    html = response.content.decode()
    for phrase in PHRASES[language]:
        assert phrase in html
    for phrase in ENGLISH:
        assert phrase not in html


@pytest.mark.parametrize("language", TRANSLATED)
def test_no_english_is_left_on_the_form(client, db, unit, language):
    # With an organisation to choose, and after a submit with errors, most strings show.
    english = set(visible_text(client.post("/en/tell/", {"text": ""}).content.decode()))
    english |= set(visible_text(client.get("/en/").content.decode()))
    page = client.post(f"/{language}/tell/", {"text": ""})
    assert page.status_code == 400
    shown = set(visible_text(page.content.decode()))
    shown |= set(visible_text(client.get(f"/{language}/").content.decode()))
    left = english & shown - SAME_EVERYWHERE - SAME_AS_ENGLISH[language]
    left -= {unit.organisation.name, unit.name}
    assert not left, f"English on the {language} pages: {sorted(left)}"


def test_the_character_counter_keeps_its_placeholders(client, db):
    for language in TRANSLATED:
        html = client.get(f"/{language}/tell/").content.decode()
        template = re.search(r'data-template="([^"]*)"', html).group(1)
        assert "%n" in template and "%max" in template and "%%" not in template
