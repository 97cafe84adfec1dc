"""python -m bench [N ...]: the national-scale benchmark (default N = 1,000 and 10,000),
written to bench/results/latest.md; `python -m bench 100 1000` for a quick look."""

import sys

from . import huge_split, scale

sizes = tuple(int(n) for n in sys.argv[1:]) or scale.SIZES
print(scale.main(sizes))
print(huge_split.report(huge_split.run()))
