"""Imports every command module so that each registers itself on the app."""

from . import demo, split, workbooks  # noqa: F401
