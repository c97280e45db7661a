"""Report arguments as Python programs hold them (numpy and pandas dates, None for a
default, one path for one partial) are taken as meant, and values that are not are
refused by a ValueError or TypeError naming the argument -- never a silent default
or an exception from deep inside. numpy and pandas are Debian's: never skipped."""
import datetime
import tempfile
import unittest
from decimal import Decimal
from pathlib import Path

import numpy as np  # required: see the docstring
import pandas as pd  # required: see the docstring

from support import SAMPLE, SampleLedgerTestCase, keyproj

ONE = dict(group_by="", indicators="projects,investment_ytd")
DATE_EXPECTED = "a date is expected"


class AsOf(SampleLedgerTestCase):
    def as_of(self, value):
        with self.ledger.report(as_of=value, **ONE) as report:
            return report.as_of, report.tables[0].total["investment_ytd"]

    def test_numpy_and_pandas_dates(self):
        day, month_end = self.as_of("2024-09-15"), self.as_of("2024-09")
        self.assertEqual(month_end[0], datetime.date(2024, 9, 30))
        self.assertNotEqual(day[1], month_end[1])
        for value, expected in ((np.datetime64("2024-09-15"), day),
                                (np.datetime64("2024-09-15T00:00:00.000000000"), day),  # datetime64[ns], midnight
                                (np.datetime64("2024-09"), month_end),  # a month: its end, as "2024-09"
                                (np.datetime64("2024-09-30"), month_end),
                                (pd.Timestamp("2024-09-15"), day),
                                (pd.Timestamp("2024-09-30").to_pydatetime(), month_end),
                                (datetime.date(2024, 9, 15), day)):
            with self.subTest(value=value):
                self.assertEqual(self.as_of(value), expected)
        self.assertIn("2024年9月15日", self.ledger.problem_list(as_of=np.datetime64("2024-09-15")))

    def test_not_a_date_is_refused(self):
        for value, reason in ((datetime.datetime(2024, 9, 30, 12, 0), "is not a whole day"),
                              (pd.Timestamp("2024-09-30 08:00"), "is not a whole day"),
                              (pd.Timestamp("2024-09-30") + pd.Timedelta(1, "ns"), "is not a whole day"),
                              (np.datetime64("2024-09-30T12", "h"), "is not a whole day"),
                              (datetime.datetime(2024, 9, 30, tzinfo=datetime.timezone.utc), "has a timezone"),
                              (pd.Timestamp("2024-09-30", tz="Asia/Shanghai"), "has a timezone"),
                              (np.datetime64("NaT"), "NaT is not a date"),
                              (pd.NaT, "NaT is not a date")):
            with self.subTest(value=value), self.assertRaises(ValueError) as e:
                self.ledger.report(as_of=value, **ONE)
            self.assertNotIsInstance(e.exception, keyproj.KeyprojError)  # refused in Python, before the call
            self.assertTrue(str(e.exception).startswith("as_of"), e.exception)
            self.assertIn(reason, str(e.exception))
            if "NaT" not in reason:
                self.assertIn(DATE_EXPECTED, str(e.exception))
        with self.assertRaisesRegex(ValueError, "as_of .*day or month precision"):
            self.ledger.report(as_of=np.datetime64("2024", "Y"), **ONE)
        with self.assertRaisesRegex(TypeError, "as_of: expected a str, a datetime.date"):
            self.ledger.report(as_of=20240930, **ONE)

    def test_from_columns_reports_the_same_values_at_their_rows(self):
        # as_of refuses them; a column's cell is a problem at its row, as the CSV file's
        # "2024-03-01 09:30:00" would be, and the other rows and cells are still read (a
        # black-box analyst's find: one such cell stopped the load and hid the others).
        projects = {"code": ["P1", "P2"], "name": ["a", "b"], "region": [610402, 610402],
                    "total_investment": ["x", "1"]}
        for value, reason in ((pd.Timestamp("2024-03-01", tz="Asia/Shanghai"), "has a timezone"),
                              (datetime.datetime(2024, 3, 1, tzinfo=datetime.timezone.utc), "has a timezone"),
                              (datetime.datetime(2024, 3, 1, 9, 30), "is not a whole day"),
                              (pd.Timestamp("2024-03-01") + pd.Timedelta(1, "ns"), "is not a whole day")):
            with self.subTest(value=value):
                with self.assertRaises(keyproj.LoadError) as built:
                    keyproj.Ledger.from_columns({**projects, "started_on": [value, datetime.date(2024, 3, 2)]})
                where = [(p.line, p.field) for p in built.exception.problems]
                self.assertEqual(where, [(1, "total_investment"), (1, "started_on")], built.exception.problems)
                self.assertIn("not a date", built.exception.problems[1].reason)
                with self.assertRaises(ValueError) as asked:
                    self.ledger.report(as_of=value, **ONE)
                self.assertTrue(str(asked.exception).startswith(f"as_of: {value!r} {reason}; {DATE_EXPECTED}"))
        for column, rows in ((pd.Series(pd.to_datetime(["2024-03-01", "2024-03-02"])).dt.tz_localize("Asia/Shanghai"),
                              [1, 2]),
                             (pd.Series(pd.to_datetime(["2024-03-01 08:00", "2024-03-02"])), [1])):
            with self.subTest(column=column.dtype), self.assertRaises(keyproj.LoadError) as built:
                keyproj.Ledger.from_columns({**projects, "started_on": column})
            self.assertEqual([(p.line, p.field) for p in built.exception.problems],
                             [(1, "total_investment")] + [(row, "started_on") for row in rows])
        # A pandas Period is its own spelling: a month reads as the month, a quarter is a
        # problem at its row; a time of day is no date.
        monthly = {"code": ["P1", "P2"], "month": [pd.Period("2024-03", "M"), pd.Period("2024Q1", "Q")],
                   "investment": [1, 2]}
        with self.assertRaises(keyproj.LoadError) as built:
            keyproj.Ledger.from_columns({**projects, "total_investment": ["1", "1"]}, monthly=monthly)
        self.assertEqual([(p.file, p.line, p.field) for p in built.exception.problems], [("monthly.csv", 2, "month")])
        self.assertIn("'2024Q1'", built.exception.problems[0].reason)
        with self.assertRaises(keyproj.LoadError) as built:
            keyproj.Ledger.from_columns({**projects, "total_investment": ["1", "1"],
                                         "started_on": [datetime.time(8, 0), None]})
        self.assertIn("'08:00:00'", built.exception.problems[0].reason)


class OtherArguments(SampleLedgerTestCase):
    def test_behind_points(self):
        for value in ("abc", "", "NaN", "Infinity", "5%"):
            with self.subTest(value=value), self.assertRaises(ValueError) as e:
                self.ledger.report(behind_points=value, **ONE)
            self.assertIn(f"behind_points {value!r}: not a number", str(e.exception))
        for value in (True, [5], None.__class__):
            with self.subTest(value=value), self.assertRaisesRegex(TypeError, "behind_points: expected an int"):
                self.ledger.report(behind_points=value, **ONE)
        same = [self.ledger.report(behind_points=v, indicators="behind_schedule", group_by="county").render("json")
                for v in (5, "5", " 5.00 ", Decimal("5"), np.int64(5))]
        self.assertEqual(len(set(same)), 1)

    def test_custom(self):
        for custom, error, text in (({"x": 1.5}, TypeError, r"custom x: expected an expression \(str\), a mapping"),
                                    ({"x": None}, TypeError, "custom x: expected an expression"),
                                    ({"x": ("projects", None, "count", "extra")}, TypeError, "custom x: expected"),
                                    ({"x": {"label": "X"}}, ValueError, "custom x: a mapping needs 'expression'"),
                                    ({"x": {"expression": "projects", "units": "count"}}, ValueError, "'units'"),
                                    (["x"], TypeError, "custom: expected a mapping")):
            with self.subTest(custom=custom), self.assertRaisesRegex(error, text):
                self.ledger.report(custom=custom, indicators="projects", group_by="")
        for spec in ("projects * 2", ("projects * 2",), ["projects * 2", "双倍", "count"],
                     {"expression": "projects * 2", "unit": "count"}):
            with self.subTest(spec=spec):
                total = self.ledger.report(custom={"x": spec}, indicators="projects,x", group_by="").tables[0].total
                self.assertEqual(total["x"], 2 * total["projects"])

    def test_empty_indicators_are_refused(self):
        for value in ([], (), "", " ", ","):
            with self.subTest(value=value), self.assertRaisesRegex(
                    ValueError, r"^indicators .*: empty: pass None for the standard dashboard$"):
                self.ledger.report(indicators=value)
        standard = self.ledger.report(indicators=None).tables[0].columns
        self.assertEqual([c.id for c in standard], keyproj.standard_dashboard())

    def test_encoding_none_is_the_default(self):
        with keyproj.Ledger.from_csv(SAMPLE, encoding=None) as ledger:
            self.assertEqual(ledger.report(**ONE).render("json"), self.ledger.report(**ONE).render("json"))
        with keyproj.Ledger.open(SAMPLE, encoding=None) as ledger:
            self.assertEqual(ledger.project_count, self.ledger.project_count)
        with self.assertRaisesRegex(ValueError, r"encoding 5: use 'auto' \(or None\)"):
            keyproj.Ledger.from_csv(SAMPLE, encoding=5)

    def test_one_partial_is_not_a_sequence(self):
        request = dict(as_of="2024-09-30", group_by="county", indicators="projects,investment_ytd")
        expected = self.ledger.report(**request).render("json")
        data = self.ledger.partial(**request)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "a.kpp"
            path.write_bytes(data)
            for one in (str(path), path, data, bytearray(data), memoryview(data)):
                with self.subTest(type(one).__name__):
                    self.assertEqual(keyproj.merge_partials(one).render("json"), expected)
                    self.assertEqual(keyproj.combine_partials(one), keyproj.combine_partials([data]))
            with self.assertRaises(keyproj.KeyprojError) as e:  # DATA_LOSS: cut short
                keyproj.merge_partials(data[:-1], names="shard-a")
            self.assertIn("shard-a", e.exception.message)
            with self.assertRaises(FileNotFoundError) as e:
                keyproj.merge_partials(str(Path(tmp) / "missing.kpp"))
            self.assertEqual(e.exception.filename, str(Path(tmp) / "missing.kpp"))


if __name__ == "__main__":
    unittest.main()
