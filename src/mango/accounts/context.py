"""Template context of the accounts app: whether the menu offers the people page, and how
CSV files for Excel are written in the reader's locale (research.exports.for_excel)."""

from django.utils import formats

from .people import can_manage


def people(request):
    # Excel in a locale with decimal commas (nl, fr) separates cells with semicolons.
    context = {"excel_semicolons": formats.get_format("DECIMAL_SEPARATOR") == ","}
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return context
    return {**context, "can_manage_people": can_manage(user)}
