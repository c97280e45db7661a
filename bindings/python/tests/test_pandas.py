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
        self.assertTrue(all(dtype == object for dtype in df.dtypes))
        for i, row in enumerate(table.rows):
            for cid in df.columns:
                cell = df.iloc[i][cid]
                if row[cid] is None:
                    self.assertIsNone(cell)
                else:
                    self.assertIsInstance(cell, Decimal)
                    self.assertEqual(str(cell), str(row[cid]))  # the same digits
        self.assertEqual(df.attrs["title"], table.title)
        self.assertEqual(df.attrs["units"]["investment_ytd"], "money")
        # The sum of the counties is the whole scope, exactly (money in 万元 adds up).
        counties = df.iloc[:-1]
        self.assertEqual(sum(counties["projects"]), df.iloc[-1]["projects"])
        self.assertEqual(sum(counties["investment_ytd"], Decimal(0)), df.iloc[-1]["investment_ytd"])

    def test_float_frame(self):
        df = self.report.tables[0].to_pandas(numbers="float")
        self.assertTrue(all(str(dtype) == "float64" for dtype in df.dtypes))
        total = self.report.tables[0].total
        self.assertEqual(df.iloc[-1]["start_rate"], float(total["start_rate"]))
        for cid in df.columns:
            self.assertEqual(math.isnan(df.iloc[-1][cid]), total[cid] is None)
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


if __name__ == "__main__":
    unittest.main()
