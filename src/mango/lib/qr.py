"""QR codes for the short links printed on posters, as PNG bytes or SVG text (no Django here).

Error correction Q (about 25% of the code may be lost) keeps a code readable through a crease,
a smudge or a strip of tape on a poster, at the cost of a slightly denser code; the short links
are short, so the code stays coarse enough to scan from a metre away. The quiet zone is the four
blank modules around the code that the QR specification asks for: without it phones struggle
to find the code on a busy notice board.
"""

from __future__ import annotations

import base64
import io

import qrcode
import qrcode.constants
import qrcode.image.pil
import qrcode.image.svg

ERROR_CORRECTION = qrcode.constants.ERROR_CORRECT_Q
QUIET_ZONE = 4  # modules
PNG_BOX_SIZE = 16  # pixels per module: about 600 px for a short link, sharp up to A5 in print


def _code(url: str, box_size: int) -> qrcode.QRCode:
    if not url:
        raise ValueError("A QR code needs a URL to point to.")
    if box_size < 1:
        raise ValueError(f"box_size must be at least 1, not {box_size!r}")
    code = qrcode.QRCode(error_correction=ERROR_CORRECTION, border=QUIET_ZONE, box_size=box_size)
    code.add_data(url)
    code.make(fit=True)
    return code


def png(url: str, *, box_size: int = PNG_BOX_SIZE) -> bytes:
    """The QR code for ``url`` as a black-on-white PNG, ``box_size`` pixels per module."""
    image = _code(url, box_size).make_image(
        image_factory=qrcode.image.pil.PilImage, fill_color="black", back_color="white"
    )
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def svg(url: str) -> str:
    """The QR code for ``url`` as a standalone SVG document: one path on a white square.

    The size is given in millimetres (one module is 1 mm) and a viewBox, so it scales cleanly.
    """
    # qrcode's SVG factories count a box_size of 10 as 1 mm.
    image = _code(url, 10).make_image(image_factory=qrcode.image.svg.SvgPathFillImage)
    body = image.to_string(encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"


def svg_data_uri(url: str) -> str:
    """The SVG as a ``data:`` URI, to embed in HTML that may load nothing else."""
    encoded = base64.b64encode(svg(url).encode("utf-8")).decode("ascii")
    return "data:image/svg+xml;base64," + encoded
