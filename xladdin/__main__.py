"""``python -m xladdin`` runs the CLI."""

from .cli import run

run()
