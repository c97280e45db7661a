"""Times keyproj.Ledger.from_columns on numpy arrays: N projects (default 10^5) and
24 monthly rows each (2.4 million rows for 10^5), the shape of a city's ledger over
two years. Best of 3 (time.perf_counter); prints projects/s and the split between
Python (converting the columns) and the library (kp_ledger_builder_add_columns +
_finish). Needs numpy only.

    PYTHONPATH=bindings/python KEYPROJ_LIBRARY=build/release/capi/libkeyproj.so.1 \\
        python3 bench/python/from_columns_bench.py [N] [--profile]
"""
import cProfile
import pstats
import sys
import time

import numpy as np

import keyproj
from keyproj import columns as kp_columns

MONTHS = 24
CATEGORIES = np.array(["industry", "urban", "livelihood", "culture_tourism", "ecology", "agriculture"])


def make_tables(n: int):
    rng = np.random.default_rng(20241203)
    codes = np.char.add("KP-", np.arange(n).astype("U7"))
    first_month = np.datetime64("2023-01-01", "D")
    projects = {
        "code": codes,
        "name": np.char.add("项目", np.arange(n).astype("U7")),  # non-ASCII text: the UTF-8 encoding path
        "region": rng.choice(np.array([610402, 610403, 610404, 610481], dtype=np.int32), n),
        "category": rng.choice(CATEGORIES, n),
        "total_investment": (rng.integers(1, 10**9, n, dtype=np.int64), 4),  # 元 as int64, scale 4
        "stage": np.full(n, "started"),
        "started_on": first_month + rng.integers(0, 365, n).astype("timedelta64[D]"),
    }
    month_starts = np.array([f"{2023 + m // 12}-{m % 12 + 1:02d}-01" for m in range(MONTHS)], dtype="datetime64[D]")
    monthly = {
        "code": np.repeat(codes, MONTHS),
        "month": np.tile(month_starts, n),
        "investment": (rng.integers(0, 10**8, n * MONTHS, dtype=np.int64), 4),
        "funds_arrived": rng.integers(0, 10**6, n * MONTHS).astype(np.float64) / 100,  # 万元 with 2 places
    }
    return projects, monthly


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    n = int(args[0]) if args else 100_000
    projects, monthly = make_tables(n)
    print(f"keyproj {keyproj.__version__}, library {keyproj.library_path}")
    print(f"{n} projects, {n * MONTHS} monthly rows ({MONTHS} a project), numpy arrays")
    if "--profile" in sys.argv:
        cProfile.runctx("keyproj.Ledger.from_columns(projects, monthly).close()", globals(),
                        {"projects": projects, "monthly": monthly}, "/tmp/from_columns.prof")
        pstats.Stats("/tmp/from_columns.prof").sort_stats("cumulative").print_stats(25)
        return
    best = convert_best = None
    for _ in range(3):
        t0 = time.perf_counter()
        kp_columns.table_columns("projects", projects)
        kp_columns.table_columns("monthly", monthly)
        t1 = time.perf_counter()
        with keyproj.Ledger.from_columns(projects, monthly) as ledger:
            t2 = time.perf_counter()
            assert ledger.project_count == n, ledger.project_count
        best = t2 - t1 if best is None else min(best, t2 - t1)
        convert_best = t1 - t0 if convert_best is None else min(convert_best, t1 - t0)
    print(f"from_columns: {best:.3f} s (best of 3), {n / best:,.0f} projects/s, "
          f"{n * MONTHS / best:,.0f} monthly rows/s")
    print(f"  of which Python-side column conversion: {convert_best:.3f} s")


if __name__ == "__main__":
    main()
