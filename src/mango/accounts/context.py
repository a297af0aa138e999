"""Template context of the accounts app: whether the menu offers the people page."""

from .people import can_manage


def people(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"can_manage_people": can_manage(user)}
