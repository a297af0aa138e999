"""Mango: collect, study and share Mangomoments."""

__version__ = "0.1.0"
