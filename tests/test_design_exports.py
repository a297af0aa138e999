"""CSV files for Excel: a byte order mark, and in a decimal-comma locale semicolons between
cells and decimal commas; the plain CSV files stay as R, Stata and Python read them."""

import codecs
import csv
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from mango.research.exports import for_excel
from tests.conftest import make_story, make_user

PLAIN = 'code,label,kappa\nrespect,"Patiënt, familie",0.734\n=1+1,x,12\n'


def test_for_excel_in_a_decimal_comma_locale_uses_semicolons_and_decimal_commas():
    body = for_excel(PLAIN.encode(), decimal_comma=True)
    assert body.startswith(codecs.BOM_UTF8)
    text = body.decode("utf-8-sig")
    assert text.splitlines()[1] == "respect;Patiënt, familie;0,734"
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[2] == ["=1+1", "x", "12"]  # cells are copied, not re-interpreted


def test_for_excel_in_english_keeps_commas_and_adds_the_byte_order_mark():
    body = for_excel(PLAIN, decimal_comma=False)
    assert body.startswith(codecs.BOM_UTF8)
    assert list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))[1][2] == "0.734"


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "separator"), [("nl", ";"), ("fr", ";"), ("en", ",")])
def test_the_dashboard_offers_the_csv_for_excel_in_the_readers_locale(org, language, separator):
    make_story(org, text="De verpleegkundige bracht thee voor de patiënt.")
    client = Client()
    client.force_login(make_user("researcher", "researcher", None))
    with translation.override(language):
        url = reverse("analysis:dashboard")
    page = client.get(url).content.decode()
    assert "export=excel" in page
    response = client.get(url, {"export": "excel"})
    assert response.content.startswith(codecs.BOM_UTF8)
    assert "excel" in response["Content-Disposition"]
    header = response.content.decode("utf-8-sig").splitlines()[1]
    assert separator in header
    plain = client.get(url, {"export": "csv"}).content
    assert not plain.startswith(codecs.BOM_UTF8)
