"""keyproj report --partial-out and keyproj merge: the sample ledger cut into shards."""
import json
import sys
import unittest

from cli_support import SAMPLE, SOURCE, CliTestCase, keyproj

sys.path.insert(0, str(SOURCE / "examples" / "python"))
from split_ledger import split_ledger  # noqa: E402  (standard library only)

def by_city(row):
    return row["region"][:4]


def sorted_lists(doc):
    """Project lists in code order (keyproj merge lists by code; a ledger by its rows)."""
    tables = doc if isinstance(doc, list) else [doc]
    for table in tables:
        for row in table.get("rows", []):
            for key, entries in row.get("projects", {}).items():
                row["projects"][key] = sorted(entries, key=lambda e: e["code"])
    return doc


class MergeTest(CliTestCase):
    REQUEST = ["--as-of", "2024-09-30", "--group-by", "county", "--group-by", "category,leader",
               "--indicators", "projects,start_rate,investment_ytd,yoy_growth,quarter_yoy_growth,late_reports,stalled,"
               "overdue_start,reserve_age.24_,approvals_pending.land,problems_open"]

    def partials(self, shards, extra=()):
        paths = []
        for shard in shards:
            path = self.tmp / f"{shard.name}.kpp"
            run = keyproj("report", "--data", shard, *self.REQUEST, *extra, "--partial-out", path)
            self.assertRan(run)
            paths.append(path)
        return paths

    def test_three_shards_equal_the_whole_ledger(self):
        shards = split_ledger(SAMPLE, self.tmp / "shards", by_city)
        self.assertEqual(len(shards), 3)
        whole = keyproj("report", "--data", SAMPLE, *self.REQUEST, "--format", "json")
        self.assertRan(whole)
        paths = self.partials(shards)
        for order in (paths, paths[::-1], [paths[1], paths[0], paths[2]]):
            merged = keyproj("merge", *order, "--format", "json")
            self.assertRan(merged)
            self.assertEqual(sorted_lists(json.loads(merged.text)), sorted_lists(json.loads(whole.text)))
        # A tree: two shards combined into one partial, merged with the third.
        self.assertRan(keyproj("merge", paths[0], paths[1], "--partial-out", self.tmp / "ab.kpp"))
        tree = keyproj("merge", paths[2], self.tmp / "ab.kpp", "--format", "json")
        self.assertRan(tree)
        self.assertEqual(sorted_lists(json.loads(tree.text)), sorted_lists(json.loads(whole.text)))
        # Printed tables (the county tables' 小计 rows, the lists) as well.
        table = keyproj("merge", *paths, "--format", "csv")
        self.assertRan(table)
        whole_csv = keyproj("report", "--data", SAMPLE, *self.REQUEST, "--format", "csv")
        self.assertEqual(table.text.splitlines()[0], whole_csv.text.splitlines()[0])
        self.assertEqual(len(table.text.splitlines()), len(whole_csv.text.splitlines()))

    def test_places_are_the_merges_to_say(self):
        shards = split_ledger(SAMPLE, self.tmp / "shards", by_city)
        # A partial holds exact figures: printing options given to it are said to be
        # the merge's, not silently dropped.
        paths = self.partials(shards)
        run = keyproj("report", "--data", shards[0], *self.REQUEST, "--places", "start_rate=0", "--unit", "yi",
                      "--partial-out", self.tmp / "p.kpp")
        self.assertRan(run)
        self.assertIn("keyproj report: note: --places, --unit shape a printed report and a partial is not one: "
                      "give them to keyproj merge", run.err)
        self.assertNotIn("note:", keyproj("report", "--data", shards[0], *self.REQUEST,
                                          "--partial-out", self.tmp / "q.kpp").err)
        # merge --places, as report --places on the whole ledger.
        merged = keyproj("merge", *paths, "--places", "start_rate=0", "--format", "csv")
        whole = keyproj("report", "--data", SAMPLE, *self.REQUEST, "--places", "start_rate=0", "--format", "csv")
        self.assertRan(merged)
        totals = [[line for line in run.text.splitlines() if line.startswith("合计,")] for run in (merged, whole)]
        self.assertEqual(totals[0], totals[1])
        self.assertEqual(len(totals[0]), 2)  # a 合计 line per table
        self.assertRegex(totals[0][0], r",\d+%,")  # 开工率 with no decimals
        self.assertCleanError(keyproj("merge", *paths, "--places", "start_ratx=0"), 2,
                              "--places start_ratx=0: 'start_ratx' is no column of the merged report")

    def test_refusals_name_the_files(self):
        shards = split_ledger(SAMPLE, self.tmp / "shards", by_city)
        a, b, c = self.partials(shards)
        other = self.tmp / "other.kpp"
        self.assertRan(keyproj("report", "--data", shards[1], *self.REQUEST, "--stalled-months", "4",
                               "--partial-out", other))
        run = keyproj("merge", a, other)
        self.assertCleanError(run, 2, "different requests", "stalled_months", "a.kpp".replace("a.kpp", a.name),
                              other.name)
        # A setting that is a list names the item that differs, as a person reads it.
        base = shards[2] / "baseline.csv"
        base.write_text(base.read_text(encoding="utf-8").replace("7259363.67", "7259363.68"), encoding="utf-8")
        changed = self.tmp / "changed.kpp"
        self.assertRan(keyproj("report", "--data", shards[2], *self.REQUEST, "--partial-out", changed))
        run = keyproj("merge", a, changed)
        self.assertCleanError(run, 2, "different requests: baseline is item 1 of 10 '2024-06 all  7259363670000' in",
                              "and item 1 of 10 '2024-06 all  7259363680000' in ", "changed.kpp")
        self.assertNotIn("%09", run.err)
        late = self.tmp / "late.kpp"
        self.assertRan(keyproj("report", "--data", shards[2], *[x if x != "2024-09-30" else "2024-08-31"
                                                                 for x in self.REQUEST], "--partial-out", late))
        self.assertCleanError(keyproj("merge", a, late), 2, "as_of is '2024-09-30'", "'2024-08-31' in ", "late.kpp",
                              "(give every shard the same --as-of)")
        run = keyproj("merge", a, b, a)
        self.assertCleanError(run, 2, "overlap", a.name)
        data = a.read_bytes()
        (self.tmp / "cut.kpp").write_bytes(data[: len(data) // 2])
        self.assertCleanError(keyproj("merge", self.tmp / "cut.kpp", b), 3, "cut.kpp")
        flipped = bytearray(data)
        flipped[len(flipped) // 2] ^= 1
        (self.tmp / "flip.kpp").write_bytes(bytes(flipped))
        self.assertCleanError(keyproj("merge", self.tmp / "flip.kpp"), 3, "flip.kpp", "checksum")
        (self.tmp / "v9.kpp").write_bytes(data.replace(b"keyproj-partial\t2\n", b"keyproj-partial\t9\n", 1))
        self.assertCleanError(keyproj("merge", self.tmp / "v9.kpp"), 3, "v9.kpp", "version")
        self.assertCleanError(keyproj("merge", SAMPLE / "projects.csv"), 3, "not a keyproj partial")

    def test_what_cannot_merge_is_refused(self):
        run = keyproj("report", "--data", SAMPLE, "--format", "text", "--partial-out", self.tmp / "x.kpp")
        self.assertCleanError(run, 2, "whole ledger")
        run = keyproj("report", "--data", SAMPLE, "--targets", SAMPLE.parent / "targets" / "1116.toml",
                      "--partial-out", self.tmp / "x.kpp")
        self.assertCleanError(run, 2, "target set")
        self.assertFalse((self.tmp / "x.kpp").exists())
        shards = split_ledger(SAMPLE, self.tmp / "shards", by_city)
        paths = self.partials(shards[:1])
        self.assertCleanError(keyproj("merge", *paths, "--format", "text"), 2, "whole ledger")


if __name__ == "__main__":
    unittest.main()
