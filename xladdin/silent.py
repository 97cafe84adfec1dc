"""How a job reports its progress: to nobody by default, to a bar on the command line."""

from __future__ import annotations


class Silent:
    """What a job reports its progress to when nobody watches (the CLI passes
    ``cli.progress.Progress``): ``phase(label, total)`` then ``step(n)``."""

    def phase(self, label: str, total: int | None = None) -> None:
        pass

    def step(self, count: int = 1) -> None:
        pass

    def __call__(self, *_args) -> None:
        self.step()
