"""Reports from the web: what a dashboard shows, as HTML, PDF or XLSX, in nl, fr or en.

HTML and XLSX are built while the user waits (seconds); a PDF takes longer (WeasyPrint lays
out every page), so it is built by a background job (huey) while a progress page asks every
two seconds whether it is ready. The job's state and its file live under
``MANGO_DATA_DIR/reports/<token>/`` (``state.json`` and the report), readable only by the
user who asked for it (a wrong user, an unknown or expired token: 404), and are forgotten
after ``KEEP`` (an hourly sweep, and every new request, removes older ones).

The job reads the user's scope again when it runs (``scope_for``), so a role taken away in the
meantime is not reported on.
"""

from __future__ import annotations

import json
import logging
import os
import re
import secrets
import shutil
import tempfile
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from mango.lib import reports

log = logging.getLogger("mango.analysis")

FORMATS = ("html", "pdf", "xlsx")
IN_BACKGROUND = ("pdf",)  # formats built by a job, with a progress page
KEEP = timedelta(hours=24)
CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
SELECTION_FIELDS = ("campaign", "organisation", "unit", "start", "end")

PENDING, RUNNING, READY, FAILED = "pending", "running", "ready", "failed"


@dataclass
class Job:
    token: str
    user: int
    format: str
    language: str
    group: str
    selection: dict  # the Selection's campaign, organisation, unit, start, end
    created: str  # ISO time, UTC
    status: str = PENDING
    size: int = 0

    @property
    def filename(self) -> str:
        return f"mango-report-{self.created[:10]}.{self.format}"

    @property
    def created_at(self) -> datetime:
        return datetime.fromisoformat(self.created)


def folder() -> Path:
    return Path(settings.DATA_DIR) / "reports"


def _path(token: str) -> Path:
    return folder() / token


def build(selection, *, fmt: str, language: str, group: str) -> bytes:
    """The report of ``selection`` (an ``aggregate.Selection``) in ``fmt``, as bytes."""
    from . import data

    if fmt not in FORMATS:
        raise ValueError(f"A report is html, pdf or xlsx, not {fmt!r}.")
    source = data.selection_input(selection, language=language, group=group)
    return reports.render(reports.build_report(source), fmt)


def start(user, selection, *, fmt: str, language: str, group: str) -> Job:
    """Record a job for ``user`` and queue it (huey runs it at once in tests)."""
    forget_expired()
    job = Job(
        token=secrets.token_urlsafe(24),
        user=user.pk,
        format=fmt,
        language=language,
        group=group,
        selection={name: getattr(selection, name) for name in SELECTION_FIELDS},
        created=datetime.now(UTC).isoformat(timespec="seconds"),
    )
    _path(job.token).mkdir(parents=True, exist_ok=True)
    _save(job)
    build_report_job(job.token)
    return job


def load(token: str, user) -> Job | None:
    """The user's job, or None: unknown, someone else's or expired."""
    if not TOKEN.match(token or ""):
        return None
    try:
        job = Job(**json.loads((_path(token) / "state.json").read_text("utf-8")))
    except (OSError, ValueError, TypeError):
        return None
    if job.user != user.pk or datetime.now(UTC) - job.created_at > KEEP:
        return None
    return job


def file_of(job: Job) -> Path:
    return _path(job.token) / f"report.{job.format}"


def _save(job: Job) -> None:
    """state.json written whole (a temporary file renamed into place): the progress page
    never reads half a file."""
    target = _path(job.token) / "state.json"
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".state.", suffix=".tmp")
    with os.fdopen(handle, "w", encoding="utf-8") as file:
        json.dump(asdict(job), file)
    os.replace(temporary, target)


@db_task()
def build_report_job(token: str) -> None:
    from django.contrib.auth import get_user_model

    from mango.accounts.models import scope_for

    from .aggregate import Selection

    path = _path(token) / "state.json"
    try:
        job = Job(**json.loads(path.read_text("utf-8")))
    except (OSError, ValueError, TypeError):
        return  # forgotten meanwhile
    job.status = RUNNING
    _save(job)
    try:
        user = get_user_model().objects.get(pk=job.user, is_active=True)
        selection = Selection(scope=scope_for(user), **job.selection)
        content = build(selection, fmt=job.format, language=job.language, group=job.group)
        target = file_of(job)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".report.", suffix=".tmp")
        with os.fdopen(handle, "wb") as file:
            file.write(content)
        os.replace(temporary, target)
        job.status, job.size = READY, len(content)
    except Exception:
        log.exception("report job %s failed", token)  # the token only: no personal data
        job.status = FAILED
    _save(job)


def forget_expired(now: datetime | None = None) -> int:
    """Remove the jobs (and files) older than ``KEEP``; how many were removed."""
    now = now or datetime.now(UTC)
    removed = 0
    if not folder().is_dir():
        return 0
    for path in folder().iterdir():
        try:
            created = datetime.fromisoformat(
                json.loads((path / "state.json").read_text("utf-8"))["created"]
            )
        except (OSError, ValueError, KeyError, TypeError):
            # No readable state: a folder being created, or debris; old debris goes.
            try:
                created = datetime.fromtimestamp(path.stat().st_mtime, UTC)
            except OSError:
                continue
        if now - created > KEEP:
            shutil.rmtree(path, ignore_errors=True)
            removed += 1
    return removed


@db_periodic_task(crontab(minute="41"))
def forget_reports_sweep() -> None:
    removed = forget_expired()
    if removed:
        log.info("forgot %s expired reports", removed)
