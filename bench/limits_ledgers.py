#!/usr/bin/env python3
"""Writes the ledgers docs/limits.md measures (standard library only):

  limits_ledgers.py long name|extra|progress DIR   the sample ledger, one cell of 100 MB
  limits_ledgers.py wide N ROWS DIR                projects.csv with N extra columns
  limits_ledgers.py leaders N DIR                  N projects, each its own leader
  limits_ledgers.py thin N DIR                     N projects, 3 monthly rows each

then e.g. `keyproj report --data DIR --as-of 2024-09-30 --format json` under
/usr/bin/time -f "%e s %M KB". Each kind's figures are in docs/limits.md."""
import os
import shutil
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAMPLE = os.path.join(ROOT, "examples", "data")
HEADER = ("code,name,region,industry,category,level,build_type,total_investment,planned_start,"
          "planned_completion,stage,reserved_on,started_on,leader\n")
MB = 1 << 20


def long_cell(kind, dst):
    shutil.copytree(SAMPLE, dst)
    table = "monthly.csv" if kind == "progress" else "projects.csv"
    path = os.path.join(dst, table)
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if kind == "name":
        cells = lines[1].split(",")
        cells[1] = "名" * (100 * MB // 3)
        lines[1] = ",".join(cells)
    elif kind == "extra":
        lines[0] += ",备注"
        for i in range(1, len(lines)):
            if lines[i]:
                lines[i] += "," + ("x" * (100 * MB) if i == 1 else "y")
    elif kind == "progress":
        k = lines[0].split(",").index("progress")
        cells = lines[1].split(",")
        cells[k] = "进" * (100 * MB // 3)
        lines[1] = ",".join(cells)
    else:
        sys.exit(f"unknown kind {kind}")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))


def wide(n, rows, dst):
    os.makedirs(dst)
    with open(os.path.join(SAMPLE, "projects.csv"), encoding="utf-8") as f:
        sample = f.read().split("\n")
    with open(os.path.join(dst, "projects.csv"), "w", encoding="utf-8") as f:
        f.write(sample[0] + "".join(f",c{i}" for i in range(n)) + "\n")
        tail = "".join(f",{j % 10}" for j in range(n))
        for i in range(1, rows + 1):
            f.write(sample[i] + tail + "\n")


def projects(n, dst, leader, months):
    os.makedirs(dst)
    counties = ["610402", "610403", "610404", "610422", "610423", "610302", "610303", "610502"]
    categories = ["industry", "infrastructure", "livelihood", "urban", "agriculture"]
    with open(os.path.join(dst, "projects.csv"), "w", encoding="utf-8", buffering=1 << 24) as p, \
         open(os.path.join(dst, "monthly.csv"), "w", encoding="utf-8", buffering=1 << 24) as m:
        p.write(HEADER)
        m.write("code,month,investment\n")
        for i in range(n):
            code = f"P{i:08d}"
            p.write(f"{code},项目{i},{counties[i % 8]},C13,{categories[i % 5]},county,new,"
                    f"{1000 + i % 5000}.00,2024-01-01,2026-12-31,started,2023-12-01,2024-01-15,{leader(i)}\n")
            m.write(months(code, i))


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    kind = argv[1]
    if kind == "long":
        long_cell(argv[2], argv[3])
    elif kind == "wide":
        wide(int(argv[2]), int(argv[3]), argv[4])
    elif kind == "leaders":
        projects(int(argv[2]), argv[3], lambda i: f"负责人{i}",
                 lambda code, i: f"{code},2024-03,{i % 1000}.{i % 100:02d}\n")
    elif kind == "thin":
        projects(int(argv[2]), argv[3], lambda i: f"领导{i % 2000}",
                 lambda code, i: (f"{code},2024-07,{i % 1000}.{i % 100:02d}\n{code},2024-08,{i % 700}.00\n"
                                  f"{code},2024-09,{i % 300}.50\n"))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
