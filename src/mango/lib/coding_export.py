"""A coding round's data as files: long CSV, XLSX, SPSS ``.sav`` with value labels, and a wide
CSV for Stata and R with its data dictionary. Framework-free: the caller gathers the rows.

Two tables come out of a round. *Codings*: what each coder decided, one row per story, coder
and code (1 present, 0 absent) for every finished assignment. *Final*: the settled coding per
story (agreed or adjudicated), one row per story and code. The wide layouts have one row per
story (final) or per story and coder (codings) and one variable per code; a single-code
codebook becomes one categorical variable named after the codebook.
"""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from dataclasses import dataclass, field

import pandas as pd

from . import spreadsheets

PRESENCE_LABELS = {0: "absent", 1: "present"}
MISSING_NOTE = "empty: not settled (final) / not coded"


@dataclass(frozen=True)
class CodeInfo:
    key: str
    label: str


@dataclass
class RoundData:
    """``codings``: story, coder, code, value (0/1). ``finals``: story, code, value (0/1),
    method. ``stories``: story and the attribute columns named in ``attributes`` (text values),
    ``attribute_labels`` their labels and value labels: ``{column: (label, {value: label})}``."""

    round_name: str
    codebook: str
    multiple: bool
    codes: list[CodeInfo]
    codings: pd.DataFrame
    finals: pd.DataFrame
    stories: pd.DataFrame
    attribute_labels: dict[str, tuple[str, dict[str, str]]] = field(default_factory=dict)


def variable_name(key: str, taken: set[str]) -> str:
    """A name valid in SPSS, Stata and R: letters, digits and _, starting with a letter, at
    most 32 characters, unique among ``taken`` (which it joins)."""
    name = re.sub(r"[^A-Za-z0-9_]", "_", key)
    if not name or not name[0].isalpha():
        name = "c_" + name
    name = name[:32]
    base, i = name, 2
    while name.lower() in taken:
        suffix = f"_{i}"
        name, i = base[: 32 - len(suffix)] + suffix, i + 1
    taken.add(name.lower())
    return name


def _csv(frame: pd.DataFrame) -> bytes:
    buffer = io.StringIO()
    # Round names, code labels and usernames are typed by people: never formulas.
    spreadsheets.csv_frame(frame).to_csv(
        buffer, index=False, quoting=csv.QUOTE_MINIMAL, lineterminator="\n"
    )
    return buffer.getvalue().encode("utf-8")


def codings_long(data: RoundData) -> pd.DataFrame:
    frame = data.codings[["story", "coder", "code", "value"]].copy()
    frame.insert(0, "round", data.round_name)
    return frame.sort_values(["story", "coder", "code"], kind="stable").reset_index(drop=True)


def finals_long(data: RoundData) -> pd.DataFrame:
    frame = data.finals[["story", "code", "value", "method"]].copy()
    frame.insert(0, "codebook", data.codebook)
    return frame.sort_values(["story", "code"], kind="stable").reset_index(drop=True)


@dataclass
class Variable:
    name: str
    label: str
    kind: str  # "id", "text", "presence", "category"
    values: dict = field(default_factory=dict)  # stored value -> label


@dataclass
class Wide:
    frame: pd.DataFrame
    variables: list[Variable]


def wide(data: RoundData, which: str) -> Wide:
    """One row per story (``final``) or per story and coder (``codings``), one variable per code
    (or one categorical variable for a single-code codebook), the story's attributes after."""
    if which not in ("final", "codings"):
        raise ValueError("Choose 'final' or 'codings'.")
    long = data.finals if which == "final" else data.codings
    index = ["story"] if which == "final" else ["story", "coder"]
    taken: set[str] = set()
    variables = [Variable(variable_name("story", taken), "Story id", "id")]
    if which == "codings":
        variables.append(Variable(variable_name("coder", taken), "Coder", "text"))
    keys = [c.key for c in data.codes]
    if long.empty:
        table = pd.DataFrame(columns=index)
    else:
        table = long.pivot_table(index=index, columns="code", values="value", aggfunc="max")
        table = table.reindex(columns=keys).reset_index()
    if data.multiple:
        names = {}
        for code in data.codes:
            var = Variable(variable_name(code.key, taken), code.label, "presence", PRESENCE_LABELS)
            variables.append(var)
            names[code.key] = var.name
        out = table.reindex(columns=index + keys).rename(columns=names)
        for name in names.values():
            out[name] = out[name].astype("Int64")
    else:
        numbers = {c.key: i for i, c in enumerate(data.codes, start=1)}
        var = Variable(
            variable_name(data.codebook, taken),
            data.codebook,
            "category",
            {numbers[c.key]: c.label for c in data.codes},
        )
        variables.append(var)
        present = table.reindex(columns=keys).fillna(0).to_numpy() if len(table) else None
        chosen = []
        for row in range(len(table)):
            hits = [keys[k] for k in range(len(keys)) if present[row, k] == 1]
            chosen.append(numbers[hits[0]] if len(hits) == 1 else pd.NA)
        out = table[index].copy()
        out[var.name] = pd.array(chosen, dtype="Int64")
    out = out.rename(columns={"story": variables[0].name})
    if which == "codings":
        out = out.rename(columns={"coder": variables[1].name})
    attributes = [c for c in data.stories.columns if c != "story"]
    if attributes:
        extra = data.stories.rename(columns={"story": variables[0].name})
        out = out.merge(extra, on=variables[0].name, how="left")
        for column in attributes:
            label, values = data.attribute_labels.get(column, (column, {}))
            name = variable_name(column, taken)
            out = out.rename(columns={column: name})
            variables.append(Variable(name, label, "text", dict(values)))
    sort = [v.name for v in variables[: len(index)]]
    out = out.sort_values(sort, kind="stable").reset_index(drop=True)
    return Wide(out, variables)


def dictionary(w: Wide) -> pd.DataFrame:
    """The data dictionary: variable, label, type and values of a wide table."""
    rows = []
    for v in w.variables:
        if v.kind in ("presence", "category"):
            values = "; ".join(f"{k} = {label}" for k, label in v.values.items())
            values += f"; {MISSING_NOTE}"
            kind = "integer"
        elif v.kind == "id":
            kind, values = "integer", ""
        else:
            kind = "text"
            values = "; ".join(f"{k} = {label}" for k, label in v.values.items())
        rows.append({"variable": v.name, "label": v.label, "type": kind, "values": values})
    return pd.DataFrame(rows, columns=["variable", "label", "type", "values"])


def long_csv(data: RoundData, which: str) -> bytes:
    return _csv(finals_long(data) if which == "final" else codings_long(data))


def wide_csv(data: RoundData, which: str) -> bytes:
    """Plain ASCII-safe names, 0/1 integers, empty cells for missing: reads straight into
    Stata (``import delimited``) and R (``read.csv``)."""
    return _csv(wide(data, which).frame)


def dictionary_csv(data: RoundData, which: str) -> bytes:
    return _csv(dictionary(wide(data, which)))


def to_xlsx(data: RoundData) -> bytes:
    """One workbook: the final coding (wide), the coders' codings (long) and the dictionary."""
    final = wide(data, "final")
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        final.frame.to_excel(writer, sheet_name="final", index=False)
        codings_long(data).to_excel(writer, sheet_name="codings", index=False)
        finals_long(data).to_excel(writer, sheet_name="final_long", index=False)
        dictionary(final).to_excel(writer, sheet_name="dictionary", index=False)
        spreadsheets.workbook_text_only(writer.book)
    return buffer.getvalue()


def to_sav(data: RoundData, which: str) -> bytes:
    """SPSS ``.sav``: codes as labelled integers (0 absent / 1 present, or the category's
    number), text attributes as labelled integers, variable labels from the codebook."""
    import pyreadstat

    w = wide(data, which)
    frame = w.frame.copy()
    column_labels, value_labels = {}, {}
    for v in w.variables:
        column_labels[v.name] = v.label
        if v.kind in ("presence", "category"):
            frame[v.name] = frame[v.name].astype("float64")
            value_labels[v.name] = {float(k): str(label) for k, label in v.values.items()}
        elif v.kind == "text" and v.values:
            numbers = {value: i for i, value in enumerate(v.values, start=1)}
            frame[v.name] = frame[v.name].map(numbers).astype("float64")
            value_labels[v.name] = {float(i): str(v.values[k]) for k, i in numbers.items()}
        elif v.kind == "text":
            frame[v.name] = frame[v.name].astype("string").fillna("").astype(str)
        else:
            frame[v.name] = frame[v.name].astype("float64")
    handle, path = tempfile.mkstemp(suffix=".sav")
    os.close(handle)
    try:
        pyreadstat.write_sav(
            frame,
            path,
            column_labels=column_labels,
            variable_value_labels=value_labels,
            file_label=f"{data.round_name} ({which})"[:64],
        )
        with open(path, "rb") as f:
            return f.read()
    finally:
        os.unlink(path)
