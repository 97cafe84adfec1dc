"""python -m bench: every benchmark, one line each."""

from . import consolidate_forms, write_forms

print(write_forms.report(write_forms.run()))
print(consolidate_forms.report(consolidate_forms.run()))
