"""Receipt codes: what a teller keeps to ask about or withdraw their story later.

Crockford base32 without the ambiguous letters (I, L, O, U), so a code read aloud or copied by
hand survives; 10 random characters give 50 bits, enough that guessing one is hopeless.
"""

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_receipt() -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(10))
    return f"M-{body[:5]}-{body[5:]}"


def normalise_receipt(raw: str) -> str:
    """Accept lowercase, missing dashes and confusable letters; return the canonical form."""
    chars = "".join(c for c in raw.upper().translate(_CONFUSABLE) if c in ALPHABET)
    if chars.startswith("M") and len(chars) == 11:
        chars = chars[1:]
    if len(chars) != 10:
        raise ValueError("A receipt code has 10 letters and digits, like M-4F7KQ-9XR2D.")
    return f"M-{chars[:5]}-{chars[5:]}"
