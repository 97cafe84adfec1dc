"""Shared test set-up.

* The tests folder is importable (libreoffice.py, standin/, xlwings_book.py).
* Hypothesis runs without its per-example deadline: speed is measured in bench/, never
  by a test that fails on a busy machine.
"""

import sys
from pathlib import Path

from hypothesis import settings

sys.path.insert(0, str(Path(__file__).parent))

settings.register_profile("xladdin", deadline=None)
settings.load_profile("xladdin")
