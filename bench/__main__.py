"""python -m bench: every benchmark, one line each."""

from . import consolidate_forms, huge_split, write_forms

print(write_forms.report(write_forms.run()))
print(consolidate_forms.report(consolidate_forms.run()))
print(huge_split.report(huge_split.run()))
