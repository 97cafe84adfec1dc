"""Regenerate ``pre2025.csv``: Vietnam's units before the July 2025 reform.

Source: the ``vietnam-provinces`` package, release 0.6.0 (data of 4 January 2025, GSO
codes: 63 provinces, their districts and communes).  Its later releases only carry the
two-level structure after the reform, which is what ``xladdin`` reads from the installed
package for years from 2026; plans of 2025 and earlier (the seeds: Hải Phòng 2023,
Quảng Trị 2024, Định Hóa 2024) need the districts, hence this file.

Run: ``python workbooks/units/build_pre2025_units.py`` (downloads the 0.6.0 wheel from PyPI).
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", tmp,
             "vietnam-provinces==0.6.0"],
            check=True,
        )
        wheel = next(Path(tmp).glob("vietnam_provinces-0.6.0-*.whl"))
        with zipfile.ZipFile(wheel) as archive:
            provinces = json.loads(archive.read("vietnam_provinces/data/nested-divisions.json"))
    rows = []
    for province in provinces:
        p_code = f"{province['code']:02d}"
        rows.append((p_code, province["name"], "", "tỉnh"))
        for district in province["districts"]:
            d_code = f"{district['code']:03d}"
            rows.append((d_code, district["name"], p_code, "huyện"))
            for ward in district["wards"]:
                rows.append((f"{ward['code']:05d}", ward["name"], d_code, "xã"))
    with open(HERE / "pre2025.csv", "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["code", "name", "parent_code", "level"])
        writer.writerows(rows)
    print(f"{len(rows)} units written to {HERE / 'pre2025.csv'}")


if __name__ == "__main__":
    main()
