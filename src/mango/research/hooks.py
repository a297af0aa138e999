"""Hooks for the classifier (``mango.classify``): suggested codes in the coder screen.

The coder screen calls ``suggestions(round, story)`` only when the round's
``show_suggestions`` is on; it returns ``{code_key: probability}`` from the suggester that was
registered, or nothing. Register one at start-up (``AppConfig.ready``)::

    from mango.research import hooks
    hooks.register_suggester(lambda round, story: {"respect": 0.82})

The order of the stories is the other hook: the screen walks a coder's assignments by
``Assignment.priority`` (highest first, empty last), then their shuffled position, so a job
that writes, say, ``1 - |p - 0.5|`` there puts the uncertain stories first.
"""

from collections.abc import Callable

_suggester: Callable | None = None


def register_suggester(function: Callable | None) -> None:
    global _suggester
    _suggester = function


def suggestions(round, story) -> dict[str, float]:
    if not round.show_suggestions or _suggester is None:
        return {}
    return dict(_suggester(round, story) or {})
