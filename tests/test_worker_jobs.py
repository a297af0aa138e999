"""The background worker knows every job: huey's consumer (``mango run_huey``) imports only
each app's ``tasks`` module, so a job defined elsewhere and not imported there would be queued
by the web process and never run (or fail as unknown) in the worker."""

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"
DECORATORS = {"db_task", "db_periodic_task", "task", "periodic_task"}


def defined_jobs() -> set[str]:
    """module.function for every function decorated as a huey job in the sources."""
    found = set()
    for path in (SRC / "mango").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.FunctionDef):
                continue
            for decorator in node.decorator_list:
                call = decorator.func if isinstance(decorator, ast.Call) else decorator
                if getattr(call, "id", getattr(call, "attr", None)) in DECORATORS:
                    module = ".".join(path.relative_to(SRC).with_suffix("").parts)
                    found.add(f"{module}.{node.name}")
    return found


# What run_huey does at start, in a fresh process (this one has imported everything already).
WORKER_START = """
import json, django
django.setup()
from django.utils.module_loading import autodiscover_modules
autodiscover_modules("tasks")
from huey.contrib.djhuey import HUEY
print(json.dumps(sorted(HUEY._registry._registry)))
"""


def test_the_worker_registers_every_job_defined_in_the_sources(tmp_path):
    jobs = defined_jobs()
    assert "mango.lifecycle.jobs.deidentify_waiting_sweep" in jobs  # the scan sees jobs at all
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "mango.settings",
        "MANGO_DATA_DIR": str(tmp_path),
    }
    env.pop("DATABASE_URL", None)
    out = subprocess.run(
        [sys.executable, "-c", WORKER_START], env=env, capture_output=True, text=True, check=True
    ).stdout
    registered = set(json.loads(out.strip().splitlines()[-1]))
    assert jobs - registered == set()
