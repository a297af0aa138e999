"""huey's consumer (``mango run_huey``) imports each app's ``tasks`` module and nothing
else: the jobs in jobs.py are registered with the worker from here."""

from .jobs import (
    catch_up_facts_sweep,
    deidentify_story_job,
    deidentify_waiting_job,
    deidentify_waiting_sweep,
    forget_submission_keys_sweep,
)

__all__ = [
    "catch_up_facts_sweep",
    "deidentify_story_job",
    "deidentify_waiting_job",
    "deidentify_waiting_sweep",
    "forget_submission_keys_sweep",
]
