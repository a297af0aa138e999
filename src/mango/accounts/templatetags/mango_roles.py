from django import template

from mango import labels

register = template.Library()


@register.filter
def role_label(code: str) -> str:
    """A role code ("team_member") as the reader's language names it."""
    return str(labels.ROLE.get(code, code))
