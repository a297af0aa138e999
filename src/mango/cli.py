"""The ``mango`` command: Django's management commands, with two-word spellings.

``mango import stories FILE`` runs the management command ``import_stories``; any other
arguments go to Django as they are (``mango migrate``, ``mango runserver``). A first word
alone (``mango classify``, ``mango classify --help``) lists its commands.
``mango runserver --warm-deid`` loads de-identification before serving, so that the first
story told does not wait for it.
"""

import os
import sys

WARM = "--warm-deid"


def resolve(argv: list[str], commands: set[str]) -> list[str]:
    """Join the first two words into one command name when such a command exists."""
    if len(argv) >= 3 and f"{argv[1]}_{argv[2]}" in commands:
        return [argv[0], f"{argv[1]}_{argv[2]}", *argv[3:]]
    return argv


def family(argv: list[str], commands: set[str]) -> list[str]:
    """The commands that ``argv``'s first word starts, when that word is no command itself
    and no second word completes it (``mango classify --help``); else empty."""
    if len(argv) < 2 or argv[1] in commands or argv[1].startswith("-"):
        return []
    if len(argv) >= 3 and f"{argv[1]}_{argv[2]}" in commands:
        return []
    return sorted(c for c in commands if c.startswith(f"{argv[1]}_"))


def family_help(word: str, names: list[str]) -> str:
    from django.core.management import get_commands, load_command_class

    apps = get_commands()
    lines = [f"Usage: mango {word} <command> [options]", "", "Commands:"]
    for name in names:
        try:
            help_text = load_command_class(apps[name], name).help
        except Exception:  # noqa: BLE001 - a broken command still gets its line
            help_text = ""
        first = (help_text or "").strip().splitlines()[0] if help_text else ""
        lines.append(f"  mango {name.replace('_', ' ', 1):<28} {first}")
    lines += ["", f"'mango {word} <command> --help' tells more about one command."]
    return "\n".join(lines)


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mango.settings")
    import django
    from django.core.management import execute_from_command_line, get_commands

    django.setup()
    commands = set(get_commands())
    argv = list(sys.argv)
    names = family(argv, commands)
    if names:
        print(family_help(argv[1], names))
        sys.exit(0 if len(argv) == 2 or argv[2] in ("-h", "--help", "help") else 1)
    if WARM in argv:
        argv.remove(WARM)
        from mango.lib import deid

        print("Loading de-identification (about 10 s)...", flush=True)
        deid.warm_up()
    execute_from_command_line(resolve(argv, commands))


if __name__ == "__main__":
    main()
