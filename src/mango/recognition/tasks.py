"""huey's consumer (``mango run_huey``) imports each app's ``tasks`` module and nothing
else: the jobs in jobs.py are registered with the worker from here."""

from .jobs import (
    digests_job,
    send_note_job,
    unsent_notes_sweep,
)

__all__ = [
    "digests_job",
    "send_note_job",
    "unsent_notes_sweep",
]
