"""Cuts a ledger folder into shards, one ledger folder per shard: the rows of each
project's tables go to its shard, the bureau's tables (baseline.csv, regions.csv) whole
to every shard. Standard library only; used by examples/python/rollup_dask.py and the
tests of partials (tests/cli/test_merge.py, bindings/python/tests/test_partials.py).

    split_ledger(Path("examples/data"), Path("/tmp/shards"), lambda row: row["region"][:4])
"""
import csv
import shutil
from pathlib import Path

# Tables whose rows belong to one project (by `code`); the bureau's tables (baseline.csv,
# regions.csv) go whole to every shard.
PROJECT_TABLES = ("projects.csv", "monthly.csv", "funding.csv", "plans.csv", "problems.csv", "approvals.csv")


def split_ledger(source: Path, out: Path, shard_of) -> list:
    """Writes one ledger folder per shard under `out`, shard_of(projects.csv row) naming
    the shard of each project, and returns the folders (sorted)."""
    with open(source / "projects.csv", encoding="utf-8", newline="") as f:
        shard = {row["code"]: shard_of(row) for row in csv.DictReader(f)}
    names = sorted(set(shard.values()))
    for name in names:
        (out / name).mkdir(parents=True)
    for path in sorted(source.iterdir()):
        if path.name not in PROJECT_TABLES:
            for name in names:
                shutil.copy(path, out / name / path.name)
            continue
        with open(path, encoding="utf-8", newline="") as f:
            reader = csv.reader(f)
            header = next(reader)
            code = header.index("code")
            files = {name: open(out / name / path.name, "w", encoding="utf-8", newline="") for name in names}
            try:
                writers = {name: csv.writer(fh, lineterminator="\n") for name, fh in files.items()}
                for w in writers.values():
                    w.writerow(header)
                for row in reader:
                    writers[shard[row[code]]].writerow(row)
            finally:
                for fh in files.values():
                    fh.close()
    return [out / n for n in names]
