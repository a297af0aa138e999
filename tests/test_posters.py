"""Public QR codes and posters for campaigns and units, and the staff page that lists them.

Reading the PDF's text needs pdftotext, and the page's raster pdftoppm (Debian: poppler-utils);
decoding the printed QR code needs zxing-cpp. Those checks are skipped where they are missing.
"""

import io
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
import zlib
from datetime import date, timedelta

import pytest
from django.utils import timezone

from mango.organisations.models import Campaign
from mango.posters import texts
from mango.posters.views import poster_url_fetcher
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

PUBLIC_URL = "https://mango.example.org"
TITLES = {
    "nl": "Hebt u een Mangomoment beleefd?",
    "fr": "Avez-vous vécu un moment Mango ?",
    "en": "Did you experience a Mangomoment?",
}


@pytest.fixture(autouse=True)
def public_url(settings):
    settings.PUBLIC_URL = PUBLIC_URL


def words(text: str) -> str:
    """Whitespace (line breaks, non-breaking spaces) folded to single spaces."""
    return " ".join(text.split())


def pdf_streams(data: bytes):
    """The PDF's bytes, then every Flate stream inflated (WeasyPrint packs its page
    dictionaries into compressed object streams)."""
    yield data
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            yield zlib.decompress(match.group(1))
        except zlib.error:
            continue


def pdf_pages(data: bytes) -> list[tuple[float, ...]]:
    """The MediaBox of every page object."""
    boxes = []
    for chunk in pdf_streams(data):
        for obj in re.finditer(
            rb"<<(?:[^<>]|<<[^<>]*>>)*?/Type\s*/Page\b(?:[^<>]|<<[^<>]*>>)*>>", chunk
        ):
            box = re.search(rb"/MediaBox\s*\[([^\]]*)\]", obj.group(0))
            if box:
                boxes.append(tuple(float(n) for n in box.group(1).split()))
    return boxes


def pdf_text(data: bytes) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext is missing (Debian package poppler-utils)")
    done = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    )
    return words(done.stdout.decode("utf-8"))


def get_pdf(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "application/pdf"
    data = b"".join(response.streaming_content) if response.streaming else response.content
    assert data.startswith(b"%PDF-")
    return response, data


# The codes --------------------------------------------------------------------------------


def test_the_unit_qr_code_downloads_as_a_png(client, unit):
    response = client.get(f"/posters/unit/{unit.short_code}/qr.png")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG\r\n\x1a\n")
    assert response["Content-Disposition"] == (
        f'attachment; filename="mango-unit-{unit.short_code}-qr.png"'
    )
    assert "public" in response["Cache-Control"] and "max-age=" in response["Cache-Control"]


def test_the_unit_qr_code_downloads_as_an_svg(client, unit):
    response = client.get(f"/posters/unit/{unit.short_code}/qr.svg")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    assert f'filename="mango-unit-{unit.short_code}-qr.svg"' in response["Content-Disposition"]
    assert ET.fromstring(response.content).tag == "{http://www.w3.org/2000/svg}svg"


def test_the_campaign_qr_codes_download_as_png_and_svg(client, campaign):
    png = client.get("/posters/campaign/campagne/qr.png")
    svg = client.get("/posters/campaign/campagne/qr.svg")
    assert png["Content-Type"] == "image/png" and png.content.startswith(b"\x89PNG")
    assert svg["Content-Type"].startswith("image/svg+xml")
    assert 'filename="mango-campaign-campagne-qr.png"' in png["Content-Disposition"]


def test_the_qr_code_points_to_the_short_link(client, unit):
    zxingcpp = pytest.importorskip("zxingcpp")
    from PIL import Image

    response = client.get(f"/posters/unit/{unit.short_code}/qr.png")
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(response.content)))
    assert [r.text for r in found] == [f"{PUBLIC_URL}/u/{unit.short_code}"]


# The posters ------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
def test_the_unit_poster_is_one_a4_page_with_the_link_and_names(client, unit, language):
    response, data = get_pdf(client, f"/posters/unit/{unit.short_code}/poster-{language}.pdf")
    assert response["Content-Disposition"] == (
        f'inline; filename="mango-unit-{unit.short_code}-poster-{language}.pdf"'
    )
    assert "public" in response["Cache-Control"]
    pages = pdf_pages(data)
    assert len(pages) == 1
    x0, y0, x1, y1 = pages[0]
    assert abs((x1 - x0) - 595.28) < 1 and abs((y1 - y0) - 841.89) < 1
    text = pdf_text(data)
    assert f"{PUBLIC_URL}/u/{unit.short_code}" in text
    assert "AZ Testziekenhuis" in text and "Oncologie" in text
    assert words(TITLES[language]) in text
    assert "5" in text


def test_the_poster_says_it_takes_five_minutes_and_may_be_anonymous(client, unit):
    _, data = get_pdf(client, f"/posters/unit/{unit.short_code}/poster-nl.pdf")
    text = pdf_text(data)
    assert "5 minuten" in text and "anoniem" in text


def test_the_campaign_poster_names_the_campaign_and_its_only_organisation(client, org):
    campaign = Campaign.objects.create(
        name="Lentecampagne", slug="lente", opens_on=date(2020, 1, 1)
    )
    campaign.organisations.set([org])
    _, data = get_pdf(client, "/posters/campaign/lente/poster-fr.pdf")
    assert len(pdf_pages(data)) == 1
    text = pdf_text(data)
    assert f"{PUBLIC_URL}/c/lente" in text
    assert "Lentecampagne" in text and "AZ Testziekenhuis" in text


def test_a_campaign_for_several_organisations_names_none_of_them(client, campaign):
    _, data = get_pdf(client, "/posters/campaign/campagne/poster-en.pdf")
    text = pdf_text(data)
    assert "Campagne" in text and f"{PUBLIC_URL}/c/campagne" in text
    assert "AZ Testziekenhuis" not in text and "WZC Elders" not in text


def test_long_names_still_fit_on_one_page(client, org):
    org.name = "Algemeen Ziekenhuis Sint-Jan Brugge-Oostende, campus Henri Serruys en Sint-Rembert"
    org.save()
    long_unit = org.units.create(
        name="Dienst geriatrie en palliatieve zorg – afdeling 3 Noord, dag- en nachtzorg",
        slug="geriatrie",
    )
    _, data = get_pdf(client, f"/posters/unit/{long_unit.short_code}/poster-fr.pdf")
    assert len(pdf_pages(data)) == 1


def test_names_are_printed_as_text_not_markup(client, unit):
    unit.name = '<img src="https://example.org/x.png">Dagzaal'
    unit.save()
    _, data = get_pdf(client, f"/posters/unit/{unit.short_code}/poster-en.pdf")
    assert '<img src="https://example.org/x.png">Dagzaal' in pdf_text(data)


def test_a_renamed_unit_gets_a_fresh_poster(client, unit):
    url = f"/posters/unit/{unit.short_code}/poster-nl.pdf"
    _, before = get_pdf(client, url)
    unit.name = "Dagziekenhuis"
    unit.save()
    _, after = get_pdf(client, url)
    assert before != after
    assert "Dagziekenhuis" in pdf_text(after)


def test_the_printed_qr_code_scans_to_the_short_link(client, unit, tmp_path):
    zxingcpp = pytest.importorskip("zxingcpp")
    from PIL import Image

    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm is missing (Debian package poppler-utils)")
    _, data = get_pdf(client, f"/posters/unit/{unit.short_code}/poster-nl.pdf")
    (tmp_path / "poster.pdf").write_bytes(data)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "100", "-singlefile", "poster.pdf", "page"],
        cwd=tmp_path,
        check=True,
    )
    found = zxingcpp.read_barcodes(Image.open(tmp_path / "page.png"))
    assert [r.text for r in found] == [f"{PUBLIC_URL}/u/{unit.short_code}"]


def test_rendering_may_load_nothing_but_data_uris():
    fetcher = poster_url_fetcher()
    for url in ["https://example.org/logo.png", "http://127.0.0.1/", "file:///etc/passwd"]:
        with pytest.raises(ValueError, match="disallowed"):
            fetcher.fetch(url)
    assert fetcher.fetch("data:text/plain;base64,aGk=").read() == b"hi"


# What does not exist ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/posters/unit/nosuch1/qr.png",
        "/posters/unit/nosuch1/qr.svg",
        "/posters/unit/nosuch1/poster-nl.pdf",
        "/posters/campaign/nosuch/qr.png",
        "/posters/campaign/nosuch/qr.svg",
        "/posters/campaign/nosuch/poster-en.pdf",
    ],
)
def test_an_unknown_campaign_or_unit_is_404(client, db, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("language", ["de", "NL", "xx", "nl-be", ""])
def test_an_unknown_language_is_404(client, unit, campaign, language):
    assert client.get(f"/posters/unit/{unit.short_code}/poster-{language}.pdf").status_code == 404
    assert client.get(f"/posters/campaign/campagne/poster-{language}.pdf").status_code == 404


def test_downloads_are_read_only(client, unit):
    assert client.post(f"/posters/unit/{unit.short_code}/qr.png").status_code == 405


# The texts --------------------------------------------------------------------------------


def test_the_drafts_cover_every_sentence_in_dutch_and_french():
    for language in ("nl", "fr"):
        assert set(texts.DRAFTS[language]) == set(texts.SOURCE)
        assert texts.poster_texts(language)["title"] == TITLES[language].replace(" ?", "\u00a0?")
    assert texts.poster_texts("en") == texts.SOURCE


def test_a_translators_version_wins_over_the_draft(monkeypatch):
    monkeypatch.setattr(texts, "gettext", lambda s: "Vertaald" if s == texts.SOURCE["ask"] else s)
    result = texts.poster_texts("nl")
    assert result["ask"] == "Vertaald"
    assert result["title"] == TITLES["nl"]


# The staff page ---------------------------------------------------------------------------


def test_anonymous_users_are_sent_to_sign_in(client):
    response = client.get("/nl/staff/campaigns/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_manager_sees_the_links_of_their_campaigns_and_units(client, manager, campaign, unit):
    client.force_login(manager)
    response = client.get("/nl/staff/campaigns/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Campagne" in page and "Oncologie" in page
    assert f"{PUBLIC_URL}/c/campagne" in page and f"{PUBLIC_URL}/u/{unit.short_code}" in page
    for path in [
        "/posters/campaign/campagne/qr.png",
        "/posters/campaign/campagne/qr.svg",
        f"/posters/unit/{unit.short_code}/qr.png",
        f"/posters/unit/{unit.short_code}/qr.svg",
    ]:
        assert f'href="{path}"' in page
    for language in ("nl", "fr", "en"):
        assert f'href="/posters/campaign/campagne/poster-{language}.pdf"' in page
        assert f'href="/posters/unit/{unit.short_code}/poster-{language}.pdf"' in page


def test_a_manager_does_not_see_other_organisations(client, manager, other_org, unit):
    elsewhere = other_org.units.create(name="Afdeling Zon", slug="zon")
    only_theirs = Campaign.objects.create(name="Enkel Elders", slug="elders", opens_on=date.today())
    only_theirs.organisations.set([other_org])
    network = Campaign.objects.create(
        name="Netwerkbreed", slug="netwerk", opens_on=date.today(), network_wide=True
    )
    client.force_login(manager)
    page = client.get("/nl/staff/campaigns/").content.decode()
    assert elsewhere.short_code not in page and "Afdeling Zon" not in page
    assert "Enkel Elders" not in page
    assert network.name in page


def test_a_team_member_sees_their_units_but_no_campaigns(client, member, campaign, unit):
    client.force_login(member)
    response = client.get("/nl/staff/campaigns/")
    assert response.status_code == 200
    page = response.content.decode()
    assert f"/posters/unit/{unit.short_code}/qr.png" in page
    assert "/posters/campaign/" not in page


def test_a_researcher_sees_everything(client, researcher, campaign, unit, other_org):
    elsewhere = other_org.units.create(name="Afdeling Zon", slug="zon")
    client.force_login(researcher)
    page = client.get("/nl/staff/campaigns/").content.decode()
    assert "/posters/campaign/campagne/qr.png" in page
    assert unit.short_code in page and elsewhere.short_code in page


def test_a_user_without_any_role_gets_403(client, db):
    client.force_login(make_user("nobody"))
    assert client.get("/nl/staff/campaigns/").status_code == 403


def test_campaigns_show_whether_they_are_open(client, admin_user, org):
    today = timezone.localdate()
    Campaign.objects.create(
        name="Voorbij",
        slug="voorbij",
        opens_on=today - timedelta(days=60),
        closes_on=today - timedelta(days=1),
    )
    Campaign.objects.create(name="Straks", slug="straks", opens_on=today + timedelta(days=5))
    Campaign.objects.create(name="Nu", slug="nu", opens_on=today)
    client.force_login(admin_user)
    page = client.get("/en/staff/campaigns/").content.decode()
    assert page.count('data-status="closed"') == 1
    assert page.count('data-status="upcoming"') == 1
    assert page.count('data-status="open"') == 1
