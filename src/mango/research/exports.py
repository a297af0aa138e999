"""Gathering a round's codings and final codes for ``mango.lib.coding_export``."""

import codecs
import csv
import io
import re

import pandas as pd
from django.utils import formats, translation

from mango import labels
from mango.lib import coding_export
from mango.stories.models import Story

from .forms import RESPONDENT_GROUPS
from .models import Assignment, Coding, Decision, FinalCode
from .selection import with_group

ATTRIBUTES = ("organisation", "teller_role", "setting", "oncological", "respondent_group")


def round_data(round) -> coding_export.RoundData:
    codes = list(round.codebook.codes.order_by("order", "key"))
    given = set(
        Coding.objects.filter(round=round, value=True).values_list(
            "story_id", "coder_id", "code_id"
        )
    )
    used = {code_id for _, _, code_id in given}
    columns = [c for c in codes if c.active or c.pk in used]
    done = Assignment.objects.filter(round=round, done_at__isnull=False).values_list(
        "story_id", "coder_id", "coder__username"
    )
    codings = pd.DataFrame(
        [
            (story, username, c.key, int((story, coder, c.pk) in given))
            for story, coder, username in done
            for c in columns
        ],
        columns=["story", "coder", "code", "value"],
    )
    story_ids = list(Assignment.objects.filter(round=round).values_list("story_id", flat=True))
    decided = dict(
        Decision.objects.filter(codebook=round.codebook, story_id__in=story_ids).values_list(
            "story_id", "method"
        )
    )
    present = set(
        FinalCode.objects.filter(code__codebook=round.codebook, story_id__in=decided).values_list(
            "story_id", "code_id"
        )
    )
    finals = pd.DataFrame(
        [
            (story, c.key, int((story, c.pk) in present), method)
            for story, method in sorted(decided.items())
            for c in columns
        ],
        columns=["story", "code", "value", "method"],
    )
    attrs = (
        with_group(Story.objects.filter(pk__in=set(story_ids)))
        .values_list("pk", "organisation__slug", *ATTRIBUTES[1:])
        .order_by("pk")
    )
    stories = pd.DataFrame(list(attrs), columns=["story", *ATTRIBUTES])
    with translation.override("en"):  # data files keep one language: English
        attribute_labels = {
            "organisation": ("Organisation (slug)", {}),
            "teller_role": ("Told by", {k: str(v) for k, v in labels.TELLER_ROLE.items()}),
            "setting": ("Setting", {k: str(v) for k, v in labels.SETTING.items()}),
            "oncological": (
                "Oncological care",
                {k: str(v) for k, v in labels.ONCOLOGICAL.items()},
            ),
            "respondent_group": (
                "Respondent group",
                {k: str(v) for k, v in RESPONDENT_GROUPS if k},
            ),
        }
    return coding_export.RoundData(
        round_name=round.name,
        codebook=round.codebook.slug,
        multiple=round.codebook.multiple,
        codes=[coding_export.CodeInfo(c.key, c.label) for c in columns],
        codings=codings,
        finals=finals,
        stories=stories,
        attribute_labels=attribute_labels,
    )


DECIMAL = re.compile(r"^-?\d+\.\d+$")


def for_excel(body: bytes | str, *, decimal_comma: bool) -> bytes:
    """A UTF-8 CSV file as Excel opens it in one go: with a byte order mark (so "Patiënt" is
    not garbled), and where the reader's locale writes decimals with a comma (Belgium,
    France, the Netherlands) with semicolons between cells and decimal commas in numbers,
    as Excel expects there. Other CSV downloads stay comma-separated for R, Stata and Python."""
    text = body.decode("utf-8-sig") if isinstance(body, bytes) else body
    rows = csv.reader(io.StringIO(text))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";" if decimal_comma else ",", lineterminator="\r\n")
    for row in rows:
        if decimal_comma:
            row = [cell.replace(".", ",") if DECIMAL.match(cell) else cell for cell in row]
        writer.writerow(row)
    return codecs.BOM_UTF8 + out.getvalue().encode("utf-8")


def excel_decimal_comma() -> bool:
    """Whether the active language writes decimals with a comma (nl, fr: yes; en: no)."""
    return formats.get_format("DECIMAL_SEPARATOR") == ","
