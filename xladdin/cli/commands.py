"""Imports every command module so that each registers itself on the app."""

from . import demo, rounds, split, workbooks  # noqa: F401
