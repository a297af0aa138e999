"""``{% teller_news story %}``: on the teller's status page, whether their story reached the
team and what they wrote back (the page is reached only with the receipt code)."""

from django import template

from mango.recognition import notes

register = template.Library()


@register.inclusion_tag("recognition/_teller_news.html")
def teller_news(story):
    return {"news": notes.teller_news(story)}
