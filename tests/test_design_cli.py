"""`mango classify --help` answers with the classify commands instead of "Unknown command"."""

import subprocess
import sys

from mango.cli import family

COMMANDS = {"classify_train", "classify_predict", "import_stories", "migrate"}


def test_a_first_word_alone_names_its_family():
    assert family(["mango", "classify", "--help"], COMMANDS) == [
        "classify_predict",
        "classify_train",
    ]
    assert family(["mango", "classify"], COMMANDS) == ["classify_predict", "classify_train"]


def test_complete_commands_and_options_are_left_to_django():
    assert family(["mango", "classify", "train", "--help"], COMMANDS) == []
    assert family(["mango", "migrate"], COMMANDS) == []
    assert family(["mango", "--version"], COMMANDS) == []
    assert family(["mango", "nothing"], COMMANDS) == []


def test_mango_classify_help_lists_the_commands():
    done = subprocess.run(
        [sys.executable, "-m", "mango", "classify", "--help"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "mango classify train" in done.stdout
    assert "Unknown command" not in done.stdout + done.stderr
