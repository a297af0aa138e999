"""Codes and codebooks in the page's language: ``{% load codes %}`` then
``{{ code|code_label }}``, ``{{ code|code_definition }}``, ``{{ codebook|codebook_name }}``.

Each falls back to the English base text when the language has none. A value that is not a
code (a plain string, a dict from a snapshot) shows as it is, so a template can use the filter
on whatever it is given.
"""

from django import template
from django.utils.translation import get_language

from mango.research.models import in_language

register = template.Library()


def _text(value, field):
    if isinstance(value, dict):
        language = (get_language() or "en").split("-")[0]
        return value.get(f"{field}_{language}") or value.get(field, "")
    if hasattr(value, field):
        return in_language(value, field)
    return value


@register.filter
def code_label(code):
    return _text(code, "label")


@register.filter
def code_definition(code):
    return _text(code, "definition")


@register.filter
def codebook_name(codebook):
    return _text(codebook, "name")


@register.filter
def codebook_description(codebook):
    return _text(codebook, "description")
