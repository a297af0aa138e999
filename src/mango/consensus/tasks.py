"""huey's consumer (``mango run_huey``) imports each app's ``tasks`` module and nothing
else: the jobs in jobs.py are registered with the worker from here."""

from .jobs import (
    send_links_job,
)

__all__ = [
    "send_links_job",
]
