"""A mistyped poster link shows a friendly page in the visitor's language, not a bare 404;
the favicon is served; the stylesheet carries htmx's indicator rules."""

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext


def words(language: str, text: str) -> str:
    with translation.override(language):
        return gettext(text)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/u/XXXXXX", "/c/no-such-campaign"])
@pytest.mark.parametrize("language", ["nl", "fr", "en"])
def test_a_mistyped_poster_link_answers_in_the_visitors_language(path, language):
    response = Client(headers={"accept-language": language}).get(path)
    assert response.status_code == 404
    body = response.content.decode()
    assert f'<html lang="{language}"' in body
    assert words(language, "This link does not work") in body
    assert path in body
    assert f'href="/{language}/tell/"' in body


@pytest.mark.django_db
def test_a_good_poster_link_still_forwards_to_the_form(unit):
    response = Client(headers={"accept-language": "fr"}).get(f"/u/{unit.short_code}")
    assert response.status_code == 302
    assert response["Location"].startswith("/fr/tell/?unit_code=")


@pytest.mark.django_db
def test_every_page_names_the_favicon_and_it_exists():
    body = Client().get("/nl/").content.decode()
    assert 'rel="icon"' in body and "mango/favicon.svg" in body
    assert finders.find("mango/favicon.svg")


@pytest.mark.django_db
def test_htmx_indicator_styles_come_from_the_stylesheet_not_inline():
    body = Client().get("/nl/").content.decode()
    assert '"includeIndicatorStyles":false' in body
    css = open(finders.find("mango/mango.css"), encoding="utf-8").read()
    assert ".htmx-request .htmx-indicator" in css


@pytest.mark.django_db
def test_optional_fields_on_research_forms_say_optional_in_the_page_language():
    from tests.conftest import make_user

    client = Client()
    client.force_login(make_user("rik", "researcher", None))
    body = client.get("/nl/staff/research/rounds/new/").content.decode()
    assert "()" not in body
    assert "(optioneel)" in body
