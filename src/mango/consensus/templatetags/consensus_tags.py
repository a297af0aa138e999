"""Template helpers: a text in the reader's language, figures as short text, and the
histogram of a distribution as an accessible SVG (no inline styles: classes only)."""

from django import template
from django.utils.formats import get_format
from django.utils.translation import gettext as _

from mango.lib.consensus.report import number

from ..models import localised

register = template.Library()

BAR = 24  # SVG units per score
HEIGHT = 60  # the tallest bar


@register.filter
def tr(texts):
    return localised(texts)


@register.filter
def num(value, digits=2):
    """A figure as short text (7, 6.75, 66.7; "-" for none) with the language's decimal
    separator."""
    return number(value, int(digits)).replace(".", get_format("DECIMAL_SEPARATOR"))


@register.inclusion_tag("consensus/_histogram.html")
def histogram(summary, own=None, label=""):
    """Bars per score (count above, score below), the median as a line, ``own`` (a score)
    outlined. The description lists every count for screen readers."""
    scale = summary.scale
    tallest = max(summary.counts) if summary.n else 0
    bars = []
    for i, count in enumerate(summary.counts):
        score = scale.low + i
        h = round(HEIGHT * count / tallest) if tallest else 0
        bars.append(
            {
                "score": score,
                "count": count,
                "x": i * BAR + 3,
                "y": 14 + HEIGHT - h,
                "h": h,
                "tx": i * BAR + BAR // 2,
                "band": scale.band(score),
                "own": own is not None and own == score,
            }
        )
    median_x = None
    if summary.median is not None:
        median_x = round((summary.median - scale.low) * BAR + BAR / 2, 1)
    counts = ", ".join(f"{b['score']}: {b['count']}" for b in bars)
    description = _("Scores (score: panellists): %(counts)s.") % {"counts": counts}
    if summary.median is not None:
        description += " " + _("Median %(median)s.") % {"median": num(summary.median)}
    if own is not None and own != "missing":
        description += " " + _("Your score: %(own)s.") % {"own": own}
    return {
        "bars": bars,
        "width": len(bars) * BAR,
        "median_x": median_x,
        "median": num(summary.median),
        "n": summary.n,
        "unable": summary.unable,
        "label": label,
        "description": description,
        "base": 14 + HEIGHT,
    }
