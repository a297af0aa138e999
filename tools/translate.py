"""Fill translations into a catalogue and compile it (a developer's tool, not shipped).

    .venv/bin/python tools/translate.py src/mango/culture/locale translations.json

translations.json maps a msgid to {"nl": "...", "fr": "..."} (a plural msgid to
{"nl": ["one", "other"], "fr": [...]}; a msgid with a context is written "context\\x04msgid").
Entries are matched exactly; fuzzy flags on them are dropped. Prints what is still untranslated.
"""

import json
import sys
from pathlib import Path

import polib

PLURALS = {
    "nl": "nplurals=2; plural=(n != 1);",
    "en": "nplurals=2; plural=(n != 1);",
    "fr": "nplurals=2; plural=(n > 1);",
}


def fill(locale: Path, translations: dict) -> list[str]:
    missing = []
    for language in ("nl", "fr", "en"):
        path = locale / language / "LC_MESSAGES" / "django.po"
        po = polib.pofile(str(path), wrapwidth=79)
        # A new catalogue's header comes fuzzy and without its language: settle it once.
        if po.metadata_is_fuzzy or not po.metadata.get("Language"):
            po.metadata_is_fuzzy = False
            po.metadata["Language"] = language
            po.metadata["Plural-Forms"] = PLURALS[language]
            po.header = "Mango's catalogue; see tools/translate.py."
        for entry in po:
            if entry.obsolete:
                continue
            key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
            wanted = translations.get(key, {}).get(language)
            if wanted is not None:
                if entry.msgid_plural:
                    entry.msgstr_plural = dict(enumerate(wanted))
                else:
                    entry.msgstr = wanted
                if "fuzzy" in entry.flags:
                    entry.flags.remove("fuzzy")
                    entry.previous_msgid = None
            done = all(entry.msgstr_plural.values()) if entry.msgid_plural else entry.msgstr
            if language != "en" and (not done or "fuzzy" in entry.flags):
                missing.append(f"{language}: {key!r}")
        po.save(str(path))
        po.save_as_mofile(str(path.with_suffix(".mo")))
    return missing


if __name__ == "__main__":
    data = json.loads(Path(sys.argv[2]).read_text(encoding="utf-8")) if len(sys.argv) > 2 else {}
    left = fill(Path(sys.argv[1]), data)
    print("\n".join(left) if left else "every entry is translated")
    sys.exit(1 if left else 0)
