"""huey's consumer (``mango run_huey``) imports each app's ``tasks`` module: the analysis
app's jobs are registered from here (building a report for the web; forgetting old ones)."""

from .report_jobs import build_report_job, forget_reports_sweep

__all__ = ["build_report_job", "forget_reports_sweep"]
