"""python -m bench [--forms-only] [N ...]: the national-scale benchmark (default N = 1,000
and 10,000), written to bench/results/latest.md; `python -m bench 100 1000` for a quick
look.  --forms-only measures reading the forms alone (consolidate, the naive loop,
openpyxl, calamine, the floor; a few minutes) and writes bench/results/forms-latest.md:
for a machine too busy for the whole run, whose ratios within one run still hold."""

import sys

from . import huge_split, scale

forms_only = "--forms-only" in sys.argv
sizes = tuple(int(n) for n in sys.argv[1:] if n != "--forms-only") or scale.SIZES
print(scale.main(sizes, forms_only=forms_only))
if not forms_only:
    print(huge_split.report(huge_split.run()))
