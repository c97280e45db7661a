"""Ledger.partial and keyproj.merge_partials: the sample ledger cut by city into three
shards, merged in any order, equals the whole ledger's report; refusals name the partial."""
import json
import sys
import tempfile
import unittest
from decimal import Decimal
from pathlib import Path

from support import SAMPLE, SOURCE, keyproj

sys.path.insert(0, str(SOURCE / "examples" / "python"))
from split_ledger import split_ledger  # noqa: E402  (standard library only)

REQUEST = dict(as_of="2024-09-30", group_by=["county", "leader"],
               indicators=["projects", "start_rate", "investment_ytd", "yoy_growth", "late_reports", "stalled"],
               custom={"ytd_per_project": "investment_ytd / projects"}, funnel="county")


def lists_by_code(doc):
    for table in doc if isinstance(doc, list) else [doc]:
        for row in table.get("rows", []):
            for key, entries in row.get("projects", {}).items():
                row["projects"][key] = sorted(entries, key=lambda e: e["code"])
    return doc


class Partials(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls._tmp = tempfile.TemporaryDirectory()
        shards = split_ledger(SAMPLE, Path(cls._tmp.name), lambda row: row["region"][:4])
        cls.partials = []
        for shard in shards:
            with keyproj.Ledger.from_csv(shard) as ledger:
                cls.partials.append(ledger.partial(**REQUEST))
        with keyproj.Ledger.from_csv(SAMPLE) as whole, whole.report(**REQUEST) as report:
            cls.expected = report.render("json")
            cls.expected_rows = [[dict(row) for row in t] for t in report.tables]
            cls.expected_funnel = [dict(row) for row in report.funnel]

    @classmethod
    def tearDownClass(cls):
        cls._tmp.cleanup()

    def test_merged_equals_whole_in_any_order(self):
        self.assertEqual(len(self.partials), 3)
        for order in (self.partials, self.partials[::-1]):
            with keyproj.merge_partials(order) as merged:
                self.assertEqual(lists_by_code(json.loads(merged.render("json"))),
                                 lists_by_code(json.loads(self.expected)))
                self.assertEqual([[dict(row) for row in t] for t in merged.tables], self.expected_rows)
                self.assertEqual([dict(row) for row in merged.funnel], self.expected_funnel)
                self.assertIsInstance(merged.tables[0].total["investment_ytd"], Decimal)

    def test_combined_partials_merge_as_theirs(self):
        first_two = keyproj.combine_partials(self.partials[:2])
        self.assertTrue(first_two.startswith(b"keyproj-partial\t2\n"))
        with keyproj.merge_partials([self.partials[2], first_two]) as merged:
            self.assertEqual([[dict(row) for row in t] for t in merged.tables], self.expected_rows)
            self.assertEqual([dict(row) for row in merged.funnel], self.expected_funnel)
        with self.assertRaises(keyproj.InvalidArgumentError):
            keyproj.combine_partials([first_two, self.partials[0]])

    def test_paths_and_names(self):
        with tempfile.TemporaryDirectory() as tmp:
            paths = []
            for i, p in enumerate(self.partials):
                paths.append(Path(tmp) / f"shard{i}.kpp")
                paths[-1].write_bytes(p)
            with keyproj.merge_partials(paths) as merged:
                self.assertEqual([[dict(row) for row in t] for t in merged.tables], self.expected_rows)
            with self.assertRaises(keyproj.InvalidArgumentError) as e:
                keyproj.merge_partials([paths[0], paths[0]])
            self.assertIn("overlap", str(e.exception))
            self.assertIn("shard0.kpp", str(e.exception))

    def test_refusals(self):
        with self.assertRaises(keyproj.KeyprojError) as e:
            keyproj.merge_partials([self.partials[0][:100]], names=["cut.kpp"])
        self.assertIn("cut.kpp", str(e.exception))
        self.assertEqual(e.exception.status_name, "DATA_LOSS")  # damaged, as a cut snapshot
        with keyproj.merge_partials(self.partials) as merged:
            with self.assertRaises(keyproj.InvalidArgumentError) as e:
                merged.render("text")
            self.assertIn("whole ledger", str(e.exception))
        with keyproj.Ledger.from_csv(SAMPLE) as ledger:
            other = ledger.partial(**dict(REQUEST, stalled_months=4))
            with self.assertRaises(keyproj.InvalidArgumentError) as e:
                keyproj.merge_partials([self.partials[0], other], names=["a.kpp", "b.kpp"])
            self.assertIn("stalled_months", str(e.exception))
            with self.assertRaises(keyproj.InvalidArgumentError) as e:
                ledger.partial(as_of="2024-09-30", targets=SOURCE / "examples" / "targets" / "1116.toml")
            self.assertIn("target set", str(e.exception))
        with self.assertRaises(ValueError):
            keyproj.merge_partials([])


if __name__ == "__main__":
    unittest.main()
