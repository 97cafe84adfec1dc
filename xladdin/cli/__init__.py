"""Command line interface: ``xladdin --help``."""

from .app import app, main, run

__all__ = ["app", "main", "run"]
