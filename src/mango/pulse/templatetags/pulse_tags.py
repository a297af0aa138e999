from django import template

from mango.pulse.models import in_language as _in_language

register = template.Library()


@register.filter
def in_language(texts):
    """The text of a per-language dict in the current language (or a fallback)."""
    return _in_language(texts)
