"""Validation of one story as a teller, an API client or an import row gives it.

One rule set for the web form, the API and the importer, so a story that one path accepts is
accepted by all. ``clean_story`` returns normalised values and a dict of field -> message codes;
callers turn the codes into translated messages.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from . import vocab

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^[+0-9][0-9 ()./-]{5,24}$")
# Control characters (C0, DEL and C1) other than newline and tab never belong in a story, and
# neither do lone surrogates, which no UTF-8 text (nor database) can hold.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
# What a key from a URL or form (a slug, a short code) may look like; anything else is unknown.
_KEY = re.compile(r"^[A-Za-z0-9_-]{1,100}$")

TRUE_WORDS = {"1", "true", "yes", "y", "ja", "j", "oui", "o", "x"}
FALSE_WORDS = {"0", "false", "no", "n", "nee", "non", ""}


class Problem(str):
    """A validation message code, e.g. ``"required"`` or ``"too_long"``."""


@dataclass
class Cleaned:
    values: dict = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def normalise_text(text: str) -> str:
    """Unify newlines, drop control characters, NFC-normalise and trim (in that order, so a
    control character between a letter and its accent cannot keep them apart)."""
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return unicodedata.normalize("NFC", text).strip()


def parse_key(value) -> str | None:
    """A slug or short code as given in a URL or form, or None when it cannot be one."""
    if isinstance(value, str) and _KEY.match(value):
        return value
    return None


def parse_id(value) -> int | None:
    """A database id as given in a form (ASCII digits, within 63 bits), or None."""
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and value.isascii() and value.isdigit() and len(value) < 19:
        number = int(value)
    else:
        return None
    return number if 0 < number < 2**63 else None


def parse_bool(value) -> bool | None:
    """Read yes/no in the three languages; ``None`` when it is not a yes or a no."""
    if isinstance(value, bool):
        return value
    if value is None:
        return False
    word = str(value).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return None


def _choice(data: dict, name: str, allowed: tuple[str, ...], out: Cleaned, default=None):
    raw = data.get(name)
    value = (str(raw).strip().lower() if raw is not None else "") or default
    if value is None:
        out.errors[name] = "required"
    elif value not in allowed:
        out.errors[name] = "invalid_choice"
    else:
        out.values[name] = value


def clean_story(data: dict, *, require_consent: bool = True) -> Cleaned:
    """Check and normalise a story's fields.

    ``data`` keys: text, language, teller_role, setting, oncological, happened, gesture_by,
    consent_research, consent_sharing, contact_name, contact_email, contact_phone.
    ``require_consent``: the public form and API insist on at least one consent, because a
    story without any consent cannot be used; imports of older campaigns may lack it.
    """
    out = Cleaned()
    text = normalise_text(str(data.get("text") or ""))
    if not text:
        out.errors["text"] = "required"
    elif len(text) < vocab.STORY_MIN_CHARS:
        out.errors["text"] = "too_short"
    elif len(text) > vocab.STORY_MAX_CHARS:
        out.errors["text"] = "too_long"
    else:
        out.values["text"] = text

    _choice(data, "language", vocab.LANGUAGES, out, default="nl")
    _choice(data, "teller_role", vocab.TELLER_ROLES, out)
    _choice(data, "setting", vocab.SETTINGS, out)
    _choice(data, "oncological", vocab.ONCOLOGICAL, out, default="unknown")
    _choice(data, "happened", vocab.WHEN, out, default="unknown")
    _choice(data, "gesture_by", vocab.GESTURE_BY, out, default="unknown")

    for name in ("consent_research", "consent_sharing"):
        flag = parse_bool(data.get(name))
        if flag is None:
            out.errors[name] = "invalid_bool"
        else:
            out.values[name] = flag
    if (
        require_consent
        and "consent_research" not in out.errors
        and "consent_sharing" not in out.errors
        and not (out.values["consent_research"] or out.values["consent_sharing"])
    ):
        out.errors["consent"] = "consent_required"

    name = normalise_text(str(data.get("contact_name") or ""))
    if len(name) > 120:
        out.errors["contact_name"] = "too_long"
    else:
        out.values["contact_name"] = name
    email = normalise_text(str(data.get("contact_email") or ""))
    if email and (len(email) > 254 or not _EMAIL.match(email)):
        out.errors["contact_email"] = "invalid_email"
    else:
        out.values["contact_email"] = email
    phone = normalise_text(str(data.get("contact_phone") or ""))
    if phone and not _PHONE.match(phone):
        out.errors["contact_phone"] = "invalid_phone"
    else:
        out.values["contact_phone"] = phone
    return out
