#!/usr/bin/env python3
"""A national roll-up on dask.distributed: each shard's partial is computed on a worker
process through keyproj, and a reduce step merges them into the report of the union --
which this script checks against the report of the whole ledger, then prints.

    PYTHONPATH=bindings/python python3 examples/python/rollup_dask.py [--projects N] [--data DIR]

Without --data it writes a generated ledger (`keyproj generate`: KEYPROJ_BIN, else
build/dev/src/keyproj, else `keyproj` on the PATH) to a temporary folder. The shards are
that ledger cut by county, each a ledger folder of its own, as a province's counties
would hold theirs. The pattern is docs/scale-out.md's: a map step per shard calling the
library (here Ledger.partial; in C kp_partial_make), a reduce step merging
(keyproj.merge_partials; kp_report_merge_partials). Only the partials travel between
processes, never a ledger.

Needs Debian's python3-distributed (scripts/install-deps.sh) and libkeyproj.so.1 (built
in build/dev, or named by KEYPROJ_LIBRARY).
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
try:
    import keyproj
except ModuleNotFoundError:  # run from a checkout without installing the package
    sys.path.insert(0, str(ROOT / "bindings" / "python"))
    import keyproj
sys.path.insert(0, str(Path(__file__).resolve().parent))
from split_ledger import split_ledger  # noqa: E402  (beside this script)

# The request every shard answers: the same on every shard, as_of included (a shard
# left to default it would take its own last month).
REQUEST = dict(
    as_of="2024-09-30",
    group_by=["city", "county", "category"],
    indicators=["projects", "started", "start_rate", "investment_ytd", "plan_completion", "yoy_growth",
                "late_reports", "stalled", "overdue_start"],
)
FX = {"USD": "7.1"}  # the generated ledger's dollar funding rows (keyproj generate's default rate)

def lists_by_code(doc):
    """The report's JSON with project lists in code order (merge_partials lists by code;
    a ledger by its rows)."""
    for table in doc if isinstance(doc, list) else [doc]:
        for row in table.get("rows", []):
            for key, entries in row.get("projects", {}).items():
                row["projects"][key] = sorted(entries, key=lambda e: e["code"])
    return doc


# ---- what runs on the workers ---------------------------------------------------------

def map_shard(folder: str) -> bytes:
    """The map step: one shard's partial, computed where the shard is."""
    with keyproj.Ledger.from_csv(folder, fx=FX) as ledger:
        return ledger.partial(**REQUEST)


def reduce_partials(*partials: bytes) -> str:
    """The reduce step: the union's report from the partials, as JSON (a document
    travels back; a report handle would not)."""
    with keyproj.merge_partials(partials) as report:
        return report.render("json")


def keyproj_cli() -> str:
    for candidate in (os.environ.get("KEYPROJ_BIN"), str(ROOT / "build" / "dev" / "src" / "keyproj")):
        if candidate and Path(candidate).is_file():
            return candidate
    found = shutil.which("keyproj")
    if found is None:
        raise SystemExit("rollup_dask: no keyproj CLI to generate a ledger with (set KEYPROJ_BIN or pass --data)")
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, help="a ledger folder (default: a generated one)")
    parser.add_argument("--projects", type=int, default=6000, help="projects of the generated ledger")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    from dask.distributed import Client, LocalCluster  # Debian: python3-distributed

    with tempfile.TemporaryDirectory(prefix="keyproj-rollup-") as tmp:
        tmp = Path(tmp)
        source = args.data
        if source is None:
            source = tmp / "ledger"
            subprocess.run([keyproj_cli(), "generate", "--projects", str(args.projects), "--out", str(source)],
                           check=True, capture_output=True)
        shards = split_ledger(source, tmp / "shards", lambda row: row["region"] or "unknown")
        started = time.monotonic()
        # Worker processes (not threads): each loads libkeyproj.so.1 itself, as a
        # machine of a real cluster would.
        with LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                          dashboard_address=None) as cluster, Client(cluster) as client:
            partials = client.map(map_shard, [str(s) for s in shards])
            merged_json = client.submit(reduce_partials, *partials).result()
            partial_bytes = client.gather(partials)
        elapsed = time.monotonic() - started

        # The same question of the whole ledger, in this process: the roll-up must equal it.
        with keyproj.Ledger.from_csv(source, fx=FX) as whole:
            with whole.report(**REQUEST) as report:
                expected = report.render("json")
        if lists_by_code(json.loads(merged_json)) != lists_by_code(json.loads(expected)):
            print("rollup_dask: the merged report differs from the whole ledger's", file=sys.stderr)
            return 1
        sizes = [len(p) for p in partial_bytes]
        print(f"{len(shards)} shards on {args.workers} worker processes: partials of "
              f"{min(sizes)}..{max(sizes)} bytes, mapped and merged in {elapsed:.1f} s; "
              f"equal to the whole ledger's report")
        with keyproj.merge_partials(partial_bytes) as merged:
            print(merged.render("table"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
