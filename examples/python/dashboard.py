#!/usr/bin/env python3
"""The sample ledger's dashboard as a pandas DataFrame: one row per county, then the
whole scope, with the exact figures of the engine (Decimal: money in 万元, rates as
fractions) and a few facts worked out from them.

    PYTHONPATH=bindings/python python3 examples/python/dashboard.py [--data DIR] [--as-of 2024-09]

Needs pandas (Debian: python3-pandas) and libkeyproj.so.1 (built in build/dev, or
named by KEYPROJ_LIBRARY).
"""
import argparse
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
try:
    import keyproj
except ModuleNotFoundError:  # run from a checkout without installing the package
    sys.path.insert(0, str(ROOT / "bindings" / "python"))
    import keyproj
import pandas as pd

INDICATORS = ["projects", "started", "start_rate", "investment_ytd", "plan_completion", "yoy_growth",
              "funds_arrived_ytd"]


def percent(value):
    return "—" if value is None else f"{(value * 100).quantize(Decimal('0.1'), ROUND_HALF_UP)}%"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT / "examples" / "data")
    parser.add_argument("--as-of", help="2024-09-30, or 2024-09 for the month's end (default: the last month)")
    args = parser.parse_args(argv)

    with keyproj.Ledger.from_csv(args.data) as ledger:
        with ledger.report(as_of=args.as_of, group_by="county", indicators=INDICATORS) as report:
            table = report.tables[0]
            df = table.to_pandas()  # exact Decimal columns; counts as pandas Int64
    # Each county's name as the reports print it (Row.labels: the ledger's regions.csv
    # names, else the code); the whole-scope row, last, has no group.
    df.insert(0, "name", ["(whole scope)" if row.is_total else row.labels["county"] for row in table.rows])

    print(f"{table.title}: {len(df) - 1} counties")
    with pd.option_context("display.max_rows", None, "display.max_columns", None, "display.width", 250):
        print(df.to_string())

    counties, total = df.iloc[:-1], df.iloc[-1]
    # Exact arithmetic on the Decimals: the counties add up to the whole scope.
    summed = sum(counties["investment_ytd"], Decimal(0))
    print()
    print(f"investment so far this year: {total['investment_ytd']} 万元 "
          f"(counties add up to {summed}: {'equal' if summed == total['investment_ytd'] else 'DIFFERENT'})")
    print(f"start rate: {percent(total['start_rate'])}, plan completion: {percent(total['plan_completion'])}, "
          f"growth on last year: {percent(total['yoy_growth'])}")
    top = counties.sort_values("investment_ytd", ascending=False).head(3)
    print("largest investment: " + ", ".join(f"{row['name']} {row['investment_ytd']} 万元" for _, row in top.iterrows()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
