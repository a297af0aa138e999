"""This app's part of ``mango demo_load`` (illustrative data only)."""


def load(stdout) -> None:
    """Called by demo_load after the stories are loaded and moderated."""
