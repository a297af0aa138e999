import subprocess
import sys

from mango.cli import resolve


def test_two_words_become_one_command_when_it_exists():
    assert resolve(["mango", "import", "stories", "f.csv"], {"import_stories"}) == [
        "mango",
        "import_stories",
        "f.csv",
    ]


def test_other_arguments_pass_through_unchanged():
    assert resolve(["mango", "migrate", "--noinput"], {"import_stories", "migrate"}) == [
        "mango",
        "migrate",
        "--noinput",
    ]
    assert resolve(["mango"], set()) == ["mango"]


def test_the_installed_command_runs_django_checks():
    done = subprocess.run(
        [sys.executable, "-m", "mango", "check"], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "no issues" in done.stdout
