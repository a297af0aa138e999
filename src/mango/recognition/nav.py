"""This app's entries in the staff menu: (label, url) pairs the signed-in user may open."""


def items(request, scope) -> list[tuple[str, str]]:
    return []
