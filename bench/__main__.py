"""python -m bench: every benchmark, one line each."""

from . import write_forms

print(write_forms.report(write_forms.run()))
