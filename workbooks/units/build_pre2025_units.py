"""Regenerate ``pre2025.csv``: Vietnam's units before the July 2025 reform, with the dates
each row is true on.

Source: the ``vietnam-provinces`` package, whose releases before the reform carry the
GSO list of one date (provinces → districts → communes):

* 0.4.3: the list of 3 February 2021 (its README names the seed file ``Xa_2021-02-03.csv``);
* 0.5.0: the list of 7 May 2023 (``__data_version__ = '2023-05-07'``);
* 0.6.0: the list of 4 January 2025 (``__data_version__ = '2025-01-04'``), after the
  district and commune mergers of late 2024 and Huế's becoming a city on 1 January 2025.

Its later releases only carry the two-level structure after the reform, which
``xladdin`` reads from the installed package.  A row of the CSV is one unit as one or
more lists show it; one column per list, headed by the list's date, holds 1 where the
row is in that list, so a plan picks the list nearest to 1 January of its year and says
which date it shows.

Run: ``python workbooks/units/build_pre2025_units.py`` (downloads the three wheels from PyPI).
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
RELEASES = {"0.4.3": "2021-02-03", "0.5.0": "2023-05-07", "0.6.0": "2025-01-04"}


def snapshot(version: str, folder: Path) -> list[tuple[str, str, str, str]]:
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(folder),
                    f"vietnam-provinces=={version}"], check=True)
    wheel = next(folder.glob(f"vietnam_provinces-{version}-*.whl"))
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
    return rows


def main() -> None:
    lists: dict[tuple[str, str, str, str], list[str]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for version, date in RELEASES.items():
            for row in snapshot(version, Path(tmp) / version):
                lists.setdefault(row, []).append(date)
    # parents before children, each level in GSO code order (the order of the lists)
    level_rank = {"tỉnh": 0, "huyện": 1, "xã": 2}
    parent_of = {row[0]: row[2] for row in lists}

    def key(row):
        chain, code = [], row[0]
        while code:
            chain.append(code)
            code = parent_of.get(code, "")
        return tuple(reversed(chain)), level_rank[row[3]], row[1]

    with open(HERE / "pre2025.csv", "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        dates = list(RELEASES.values())
        writer.writerow(["code", "name", "parent_code", "level", *dates])
        for row in sorted(lists, key=key):
            writer.writerow([*row, *("1" if d in lists[row] else "" for d in dates)])
    print(f"{len(lists)} rows written to {HERE / 'pre2025.csv'}")


if __name__ == "__main__":
    main()
