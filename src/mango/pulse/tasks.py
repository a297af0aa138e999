"""huey's consumer (``mango run_huey``) imports each app's ``tasks`` module: the pulse app's
jobs are registered from here (de-identifying free-text answers; forgetting used tokens)."""

from .jobs import deidentify_answers_job, deidentify_answers_sweep, forget_tokens_sweep

__all__ = ["deidentify_answers_job", "deidentify_answers_sweep", "forget_tokens_sweep"]
