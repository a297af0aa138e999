"""Settings read from the environment fail loudly on bad values."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from mango.settings import env_bool, env_int, env_list


def test_booleans_accept_the_usual_words(monkeypatch):
    monkeypatch.setenv("X_FLAG", "yes")
    assert env_bool("X_FLAG", False) is True
    monkeypatch.setenv("X_FLAG", "off")
    assert env_bool("X_FLAG", True) is False
    monkeypatch.delenv("X_FLAG")
    assert env_bool("X_FLAG", True) is True


def test_a_bad_boolean_names_the_variable(monkeypatch):
    monkeypatch.setenv("X_FLAG", "perhaps")
    with pytest.raises(ImproperlyConfigured, match="X_FLAG"):
        env_bool("X_FLAG", False)


def test_a_bad_number_names_the_variable(monkeypatch):
    monkeypatch.setenv("X_NUM", "ten")
    with pytest.raises(ImproperlyConfigured, match="X_NUM must be a whole number"):
        env_int("X_NUM", 1)


def test_lists_are_split_on_commas(monkeypatch):
    monkeypatch.setenv("X_LIST", " a.example, ,b.example ")
    assert env_list("X_LIST", "") == ["a.example", "b.example"]


def test_password_hashing_uses_argon2():
    from mango import settings as mango_settings

    assert mango_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def _make_dry_run(target: str) -> list[str]:
    import subprocess
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    done = subprocess.run(
        ["make", "-n", "-s", target], cwd=root, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def test_make_serve_refuses_to_start_with_the_known_development_key(tmp_path):
    import os
    import subprocess
    import sys

    starts = [line for line in _make_dry_run("serve") if "gunicorn" in line or " migrate" in line]
    assert len(starts) == 2
    for line in starts:
        assert "MANGO_REQUIRE_SECRET=1" in line, line
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MANGO_", "DJANGO_"))}
    env.update(MANGO_REQUIRE_SECRET="1", MANGO_DATA_DIR=str(tmp_path))
    done = subprocess.run(
        [sys.executable, "-m", "mango", "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert "MANGO_SECRET_KEY" in done.stderr


def test_make_demo_keeps_its_development_key():
    runs = [line for line in _make_dry_run("demo") if "runserver" in line]
    assert runs and all("MANGO_DEBUG=1" in line for line in runs)
