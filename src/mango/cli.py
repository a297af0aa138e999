"""The ``mango`` command: Django's management commands, with two-word spellings.

``mango import stories FILE`` runs the management command ``import_stories``; any other
arguments go to Django as they are (``mango migrate``, ``mango runserver``).
"""

import os
import sys


def resolve(argv: list[str], commands: set[str]) -> list[str]:
    """Join the first two words into one command name when such a command exists."""
    if len(argv) >= 3 and f"{argv[1]}_{argv[2]}" in commands:
        return [argv[0], f"{argv[1]}_{argv[2]}", *argv[3:]]
    return argv


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mango.settings")
    import django
    from django.core.management import execute_from_command_line, get_commands

    django.setup()
    execute_from_command_line(resolve(sys.argv, set(get_commands())))


if __name__ == "__main__":
    main()
