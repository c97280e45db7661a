"""Report.to_pandas with Debian's python3-pandas (installed by scripts/install-deps.sh):
never skipped, so a machine without pandas fails here instead of passing quietly."""
import math
import unittest
from decimal import Decimal

import pandas as pd  # required: see the docstring

from support import SAMPLE, keyproj


class ToPandas(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        with keyproj.Ledger.from_csv(SAMPLE) as ledger:
            cls.report = ledger.report(group_by=["county", "category,county", ""], as_of="2024-09")

    def test_decimal_frame_holds_the_exact_values(self):
        table = self.report.tables[0]
        df = table.to_pandas()
        self.assertEqual(list(df.columns), [c.id for c in table.columns])
        self.assertEqual(df.index.name, "county")
        self.assertEqual(list(df.index), [r.group.get("county", "") for r in table.rows])
        self.assertEqual(df.index[-1], "")  # the whole-scope row, last
        counts = [c.id for c in table.columns if c.unit == "count"]
        self.assertIn("projects", counts)
        for c in table.columns:
            self.assertEqual(str(df.dtypes[c.id]), "Int64" if c.unit == "count" else "object", c.id)
        for i, row in enumerate(table.rows):
            for cid in df.columns:
                cell = df[cid].iloc[i]
                if row[cid] is None:
                    self.assertTrue(cell is pd.NA if cid in counts else cell is None, (cid, cell))
                elif cid in counts:
                    self.assertEqual(cell, int(row[cid]))  # exact
                else:
                    self.assertIsInstance(cell, Decimal)
                    self.assertEqual(str(cell), str(row[cid]))  # the same digits
        self.assertEqual(df.attrs["title"], table.title)
        self.assertEqual(df.attrs["units"]["investment_ytd"], "money")
        self.assertEqual(df.attrs["labels"], {c.id: c.label for c in table.columns})
        self.assertEqual(df.attrs["labels"]["start_rate"], "开工率（%）")
        # The sum of the counties is the whole scope, exactly (money in 万元 adds up).
        counties = df.iloc[:-1]
        self.assertEqual(sum(counties["projects"]), df.iloc[-1]["projects"])
        self.assertEqual(sum(counties["investment_ytd"], Decimal(0)), df.iloc[-1]["investment_ytd"])

    def test_float_frame(self):
        table = self.report.tables[0]
        df = table.to_pandas(numbers="float")
        for c in table.columns:  # counts stay exact ints
            self.assertEqual(str(df.dtypes[c.id]), "Int64" if c.unit == "count" else "float64", c.id)
        total = table.total
        self.assertEqual(df.iloc[-1]["start_rate"], float(total["start_rate"]))
        self.assertEqual(df["projects"].iloc[-1], int(total["projects"]))
        for c in table.columns:
            cell = df[c.id].iloc[-1]
            self.assertEqual(cell is pd.NA if c.unit == "count" else math.isnan(cell), total[c.id] is None)
        self.assertEqual(df.attrs["labels"]["investment_ytd"], "累计完成投资（万元）")
        with self.assertRaisesRegex(ValueError, "numbers 'double'"):
            self.report.tables[0].to_pandas(numbers="double")

    def test_cross_table_and_whole_scope_table(self):
        frames = self.report.to_pandas()
        self.assertEqual(len(frames), 3)
        cross = frames[1]
        self.assertIsInstance(cross.index, pd.MultiIndex)
        self.assertEqual(list(cross.index.names), ["category", "county"])
        self.assertEqual(cross.index[-1], ("", ""))
        industry = cross.xs("industry", level="category")
        self.assertGreater(len(industry), 1)
        self.assertEqual(len(frames[2]), 1)  # the whole scope alone
        self.assertEqual(frames[2].iloc[0]["investment_ytd"], frames[0].iloc[-1]["investment_ytd"])
        self.assertEqual(frames[1].iloc[-1]["projects"], frames[0].iloc[-1]["projects"])


class EmptyKeys(unittest.TestCase):
    """The （未填） group (its key "") and the whole-scope row are told apart."""

    @classmethod
    def setUpClass(cls):
        with keyproj.Ledger.from_csv(SAMPLE) as ledger:
            cls.report = ledger.report(group_by=["leader", "leader,county"], as_of="2024-09",
                                       indicators="projects,start_rate,investment_ytd,late_reports")

    def test_the_unfilled_group_is_none_and_the_whole_scope_is_empty(self):
        table = self.report.tables[0]
        unfilled = [r for r in table.rows[:-1] if r.group == {"leader": ""}]
        self.assertEqual(len(unfilled), 1)  # the sample has projects with no leader
        self.assertEqual(unfilled[0].group, {"leader": ""})  # Row.group is as before
        for numbers in ("decimal", "float"):
            df = table.to_pandas(numbers)
            self.assertEqual(df.index.name, "leader")
            self.assertTrue(df.index.is_unique)
            self.assertEqual(list(df.index), [None if r.group.get("leader") == "" else r.group.get("leader", "")
                                              for r in table.rows])
            self.assertEqual(df.index[-1], "")
            whole = df.loc[""]  # one row: the whole scope
            self.assertIsInstance(whole, pd.Series)
            self.assertEqual(whole["projects"], int(table.total["projects"]))
            groups = df.drop(index="")
            self.assertEqual(len(groups), len(table.rows) - 1)
            self.assertEqual(groups["projects"].sum(), int(table.total["projects"]))
            self.assertEqual(df[df.index.isna()]["projects"].iloc[0], int(unfilled[0]["projects"]))

    def test_cross_table(self):
        table = self.report.tables[1]
        df = table.to_pandas()
        self.assertTrue(df.index.is_unique)
        self.assertEqual(df.index[-1], ("", ""))
        self.assertIsInstance(df.loc[("", "")], pd.Series)
        self.assertEqual(df.drop(index=("", ""))["projects"].sum(), int(table.total["projects"]))
        no_leader = df[df.index.get_level_values("leader").isna()]
        self.assertEqual(len(no_leader), sum(1 for r in table.rows if r.group.get("leader") == ""))
        self.assertGreater(len(no_leader), 0)


if __name__ == "__main__":
    unittest.main()
