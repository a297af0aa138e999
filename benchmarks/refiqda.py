"""REFI-QDA import and export of a whole project of about 600,000 characters, emoji-rich
(NVivo-shaped: positions in UTF-16 code units) against the same project in plain ASCII.

The project is made up: 30 interview transcripts of about 20,000 characters, messages-style
(every few words an emoji, flags, skin tones, a ZWJ family), 80 coded passages each, every
passage one to six whole words with its emoji. The ASCII twin has the same words and
codings, its emoji replaced by ``:)``-style ASCII of the same code point count, so the two
differ only in the characters outside the BMP.

- ``lib read``: ``mango.lib.refiqda.read_project`` on the .qdpx (unzip, parse, decide each
  source's reading, convert the positions).
- ``import``: ``mango.qualitative.actions.import_project``: the above plus the new codebook,
  documents and segments written to a temporary SQLite database, audited.
- ``export``: ``actions.export_project`` (code points) and with ``positions="utf16"``.

Afterwards every imported segment must cover exactly the passage it was made from, and an
export imported again must cover the same passages: a benchmark that got its speed by
skipping the conversion would fail here. Minimum of ``--repeat`` runs after a warm-up.

    .venv/bin/python benchmarks/refiqda.py    # writes results/refiqda.json and .md
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import random
import sys
import tempfile
import time
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))

from workbench import setup_database  # noqa: E402

DOCUMENTS, CHARACTERS, CODINGS = 30, 20_000, 80
WORDS = (
    "de verpleegkundige bracht een warme deken en bleef even bij mij zitten toen ik bang was "
    "voor de operatie zij luisterde naar mijn verhaal over thuis en de kinderen café één"
).split()
EMOJI = ["😀", "🥭", "👍🏽", "🇳🇱", "❤️", "😭", "🙏", "👨\u200d👩\u200d👧", "🎉", "☕", "💐", "🫶"]
CODES = ["Gezien worden", "Ruimte voor gebaren", "Emotie", "Collegialiteit", "Erkenning"]


def _ascii(emoji: str) -> str:
    """ASCII of the same number of code points (so both texts are equally long)."""
    return (":)" * len(emoji))[: len(emoji)]


def _texts(rng: random.Random, emoji: bool) -> list[tuple[str, list[tuple[int, int, str]]]]:
    """Each document's text and its codings (code point start, end, code)."""
    documents = []
    for _ in range(DOCUMENTS):
        tokens, spans, size = [], [], 0
        while size < CHARACTERS:
            token = rng.choice(WORDS)
            if rng.random() < 0.25:
                sign = rng.choice(EMOJI)
                token += " " + (sign if emoji else _ascii(sign))
            tokens.append(token)
            size += len(token) + 1
        text = ""
        starts = []
        for token in tokens:
            starts.append(len(text))
            text += token + (".\n" if rng.random() < 0.05 else " ")
        for i in sorted(rng.sample(range(len(tokens) - 6), CODINGS)):
            n = rng.randint(1, 6)
            start = starts[i]
            end = starts[i + n - 1] + len(tokens[i + n - 1])
            spans.append((start, end, rng.choice(CODES)))
        documents.append((text, spans))
    return documents


def _utf16(text: str, position: int) -> int:
    return len(text[:position].encode("utf-16-le")) // 2


def build_qdpx(documents, origin: str) -> bytes:
    """An NVivo-shaped .qdpx: positions in UTF-16 units, written by hand (not by Mango)."""
    codes = {name: f"c0de0000-0000-4000-8000-{i:012d}" for i, name in enumerate(CODES)}
    user = "8ca3a2c1-8b7a-41c3-a9dd-a8fb46caa645"
    sources, files = [], {}
    for d, (text, spans) in enumerate(documents):
        guid = f"d0c00000-0000-4000-8000-{d:012d}"
        selections = []
        for s, (start, end, code) in enumerate(spans):
            # Positions as NVivo writes them; computed from the encoded text, not by Mango.
            a, b = _utf16(text, start), _utf16(text, end)
            selections.append(
                f'<PlainTextSelection guid="5e1e0000-{d:04d}-4000-8000-{s:012d}" '
                f'startPosition="{a}" endPosition="{b}" creatingUser="{user}">'
                f'<Coding guid="c0d10000-{d:04d}-4000-8000-{s:012d}">'
                f'<CodeRef targetGUID="{codes[code]}"/></Coding></PlainTextSelection>'
            )
        sources.append(
            f'<TextSource guid="{guid}" name="interview_{d:02d}" '
            f'plainTextPath="internal://{guid}.txt">' + "".join(selections) + "</TextSource>"
        )
        files[f"Sources/{guid}.txt"] = b"\xef\xbb\xbf" + text.encode()
    qde = (
        '<?xml version="1.0" encoding="utf-8"?>'
        f'<Project xmlns="urn:QDA-XML:project:1.0" name="Bench" origin="{origin}">'
        f'<Users><User guid="{user}" name="Coder"/></Users><CodeBook><Codes>'
        + "".join(f'<Code guid="{g}" name="{n}" isCodable="true"/>' for n, g in codes.items())
        + "</Codes></CodeBook><Sources>"
        + "".join(sources)
        + "</Sources></Project>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", qde)
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _best(fn, repeat: int):
    fn()  # warm-up
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return min(times), result


def _passages(project) -> list[tuple[str, str]]:
    return sorted(
        (d.title, d.text[s.start : s.end])
        for d in project.documents.all()
        for s in d.segments.all()
    )


def measure(name: str, documents, data: bytes, repeat: int) -> dict:
    from django.contrib.auth import get_user_model

    from mango.lib import refiqda
    from mango.qualitative import actions

    user = get_user_model().objects.get_or_create(username="bench")[0]
    read_s, project = _best(lambda: refiqda.read_project(data), repeat)
    readings = sorted({(r.reading, r.basis) for r in project.readings})
    import_s, imported = _best(lambda: actions.import_project(user, data), repeat)
    mango_project = imported.project
    export_s, exported = _best(lambda: actions.export_project(user, mango_project), repeat)
    export16_s, exported16 = _best(
        lambda: actions.export_project(user, mango_project, positions="utf16"), repeat
    )
    wanted = sorted(
        (f"interview_{d:02d}", text[start:end])
        for d, (text, spans) in enumerate(documents)
        for start, end, _ in spans
    )
    got = _passages(mango_project)
    again = actions.import_project(user, exported.data, codebook=mango_project.codebook)
    again16 = actions.import_project(user, exported16.data, codebook=mango_project.codebook)
    return {
        "name": name,
        "characters": sum(len(t) for t, _ in documents),
        "characters_outside_bmp": sum(sum(ord(c) > 0xFFFF for c in t) for t, _ in documents),
        "segments": sum(len(s) for _, s in documents),
        "qdpx_bytes": len(data),
        "readings": [f"{r} ({b})" for r, b in readings],
        "lib_read_s": round(read_s, 3),
        "import_s": round(import_s, 3),
        "export_s": round(export_s, 3),
        "export_utf16_s": round(export16_s, 3),
        "passages_exact": got == wanted,
        "round_trip_exact": _passages(again.project) == got,
        "round_trip_utf16_exact": _passages(again16.project) == got,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=HERE / "results")
    args = parser.parse_args()
    rich = _texts(random.Random(7), emoji=True)
    plain = _texts(random.Random(7), emoji=False)
    with tempfile.TemporaryDirectory() as tmp:
        setup_database(Path(tmp), "refiqda")
        runs = [
            measure("emoji-rich", rich, build_qdpx(rich, "NVivo for Windows 12.6"), args.repeat),
            measure("plain ASCII", plain, build_qdpx(plain, "NVivo for Windows 12.6"), args.repeat),
        ]
    load = os.getloadavg()
    ratio = {
        key: round(runs[0][key] / runs[1][key], 2) if runs[1][key] else None
        for key in ("lib_read_s", "import_s", "export_s", "export_utf16_s")
    }
    result = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "load_1m": round(load[0], 3)},
        "repeat": args.repeat,
        "runs": runs,
        "ratio_emoji_to_ascii": ratio,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "refiqda.json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    (args.out / "refiqda.md").write_text(_markdown(result))
    print(_markdown(result))
    if not all(r["passages_exact"] and r["round_trip_exact"] for r in runs):
        sys.exit("Some segment does not cover the passage it was made from.")


def _markdown(r: dict) -> str:
    rich, plain = r["runs"]
    ratio = r["ratio_emoji_to_ascii"]
    rows = [
        ("characters (outside the BMP)", "characters", None),
        ("segments", "segments", None),
        ("read the .qdpx (lib)", "lib_read_s", "lib_read_s"),
        ("import into Mango (SQLite)", "import_s", "import_s"),
        ("export, code points", "export_s", "export_s"),
        ("export, UTF-16 units", "export_utf16_s", "export_utf16_s"),
    ]
    lines = [
        "# REFI-QDA import and export of a 600,000-character project\n",
        f"`benchmarks/refiqda.py`, {r['date']}, SQLite, {r['machine']['cpus']} CPUs, load "
        f"{r['machine']['load_1m']} (1 min) when it ended; minimum of {r['repeat']} runs.\n",
        "| step | emoji-rich (NVivo, UTF-16) | plain ASCII | ratio |",
        "| --- | ---: | ---: | ---: |",
    ]
    for label, key, ratio_key in rows:
        a, b = rich[key], plain[key]
        if key == "segments":
            a, b = f"{a:,}", f"{b:,}"
        elif key == "characters":
            a = f"{a:,} ({rich['characters_outside_bmp']:,})"
            b = f"{b:,} ({plain['characters_outside_bmp']:,})"
        elif ratio_key:
            a, b = f"{a} s", f"{b} s"
        lines.append(f"| {label} | {a} | {b} | {ratio[ratio_key] if ratio_key else ''} |")
    lines += [
        f"| positions read as | {', '.join(rich['readings'])} | {', '.join(plain['readings'])} | |",
        f"| every segment covers its passage | {rich['passages_exact']} | "
        f"{plain['passages_exact']} | |",
        f"| round trip (export, import) exact: code points / UTF-16 | "
        f"{rich['round_trip_exact']} / {rich['round_trip_utf16_exact']} | "
        f"{plain['round_trip_exact']} / {plain['round_trip_utf16_exact']} | |",
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
