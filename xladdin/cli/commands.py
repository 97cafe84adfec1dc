"""Imports every command module so that each registers itself on the app."""

from . import demo, excel, export, levels, rounds, split, workbooks  # noqa: F401
