"""QR codes as PNG and SVG, without Django."""

import base64
import io
import xml.etree.ElementTree as ET

import pytest
from PIL import Image

from mango.lib import qr

URL = "https://mango.example.org/u/k7m2p9x"
SVG_NS = "{http://www.w3.org/2000/svg}"


def test_the_png_is_a_black_and_white_square_png_with_a_quiet_zone():
    data = qr.png(URL)
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG"
    width, height = image.size
    assert width == height
    assert 300 <= width <= 1200
    grey = image.convert("L")
    # The four-module quiet zone: the border is white all round.
    border = qr.QUIET_ZONE * qr.PNG_BOX_SIZE
    for x, y in [(0, 0), (border - 1, border - 1), (width - 1, height // 2), (width // 2, 0)]:
        assert grey.getpixel((x, y)) == 255
    # The top-left finder pattern starts right after it, in black.
    assert grey.getpixel((border, border)) == 0


def test_the_png_box_size_sets_its_resolution():
    small = Image.open(io.BytesIO(qr.png(URL, box_size=4)))
    large = Image.open(io.BytesIO(qr.png(URL, box_size=8)))
    assert large.size[0] == 2 * small.size[0]


def test_the_svg_parses_as_one_path_on_a_white_square():
    text = qr.svg(URL)
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == f"{SVG_NS}svg"
    assert root.get("viewBox")
    assert root.get("width").endswith("mm")
    assert root.find(f"{SVG_NS}rect").get("fill") == "white"
    paths = root.findall(f"{SVG_NS}path")
    assert len(paths) == 1 and paths[0].get("d")


def test_the_svg_data_uri_holds_the_same_svg():
    uri = qr.svg_data_uri(URL)
    assert uri.startswith("data:image/svg+xml;base64,")
    assert base64.b64decode(uri.split(",", 1)[1]).decode("utf-8") == qr.svg(URL)


def test_longer_urls_make_larger_codes():
    short = Image.open(io.BytesIO(qr.png(URL, box_size=1))).size[0]
    long = Image.open(io.BytesIO(qr.png(URL + "?" + "x" * 200, box_size=1))).size[0]
    assert long > short


@pytest.mark.parametrize("url", ["", None])
def test_a_code_needs_a_url(url):
    with pytest.raises(ValueError, match="URL"):
        qr.png(url)


def test_the_box_size_must_be_positive():
    with pytest.raises(ValueError, match="box_size"):
        qr.png(URL, box_size=0)


def test_the_png_decodes_back_to_the_url():
    # zxing-cpp is not a project dependency: the check runs where it is installed.
    zxingcpp = pytest.importorskip("zxingcpp")
    image = Image.open(io.BytesIO(qr.png(URL)))
    results = zxingcpp.read_barcodes(image)
    assert [r.text for r in results] == [URL]
    assert results[0].format == zxingcpp.BarcodeFormat.QRCode
