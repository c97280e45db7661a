"""Ledger.from_columns: a ledger from columns (lists, numpy arrays, a pandas
DataFrame) equals the one loaded from the same data as CSV -- the same report JSON,
byte for byte, and the same problems, located by table, row and column. numpy and
pandas are Debian's (scripts/install-deps.sh): never skipped."""
import csv
import datetime
import json
import re
import shutil
import tempfile
import unittest
from decimal import Decimal
from pathlib import Path

import numpy as np  # required: see the docstring
import pandas as pd  # required: see the docstring

from support import SAMPLE, keyproj

TABLES = ("projects", "monthly", "funding", "plans", "problems", "baseline", "approvals")
# projects.csv's one extra column (a contact person): kept as an extra column by the
# CSV loader and by the array API alike (capi/README.md), and not in any report.
EXTRA = "项目联系人"
MONEY = {"total_investment", "annual_plan", "contracted_investment", "investment", "funds_arrived",
         "requested", "approved", "arrived", "planned"}
DATES = {"planned_start", "planned_completion", "reserved_on", "started_on", "completed_on", "suspended_on",
         "cancelled_on", "signed_on", "start_due", "reported_on", "raised_on", "due", "resolved_on",
         "intended_on", "operating_on", "planned_on", "done_on"}
YES_NO = {"attracted", "required"}
WHOLE = {"region", "year", "plan_year"}
REPORT = dict(as_of="2024-09", group_by=["county", "category,county", ""])


def read_csv(folder: Path, table: str):
    """{header: [cell text, ...]} of folder/table.csv, or None when there is none."""
    path = folder / f"{table}.csv"
    if not path.is_file():
        return None
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    return {h: [r[i] for r in rows[1:]] for i, h in enumerate(rows[0])}


def sample_lists():
    return {t: read_csv(SAMPLE, t) for t in TABLES}


def write_csv(folder: Path, tables) -> None:
    for table, cols in tables.items():
        if cols is None:
            continue
        names = list(cols)
        with open(folder / f"{table}.csv", "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow(names)
            w.writerows(zip(*(cols[n] for n in names)))


def record_lines(path: Path):
    """{row number (1-based, after the header): the line of the file it starts on}."""
    starts, end = {}, 0
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        for row, _ in enumerate(reader):
            if row:
                starts[row] = end + 1
            end = reader.line_num
    return starts


def as_numpy(name: str, cells):
    """A column of CSV text as the typed numpy array a host would hold."""
    if name in MONEY:  # 万元 as int64 with 6 places (分 would be 4 + 2), exact from the text
        scaled = [Decimal(c).scaleb(6) if c else None for c in cells]
        assert all(s is None or s == s.to_integral_value() for s in scaled), name
        values = np.array([int(s) if s is not None else 0 for s in scaled], dtype=np.int64)
        return np.ma.MaskedArray(values, mask=[s is None for s in scaled]), 6
    if name in DATES or name == "month":
        text = [(c + "-01" if name == "month" else c) if c else "NaT" for c in cells]
        return np.array(text, dtype="datetime64[D]")
    if name in WHOLE:
        return np.ma.MaskedArray(np.array([int(c) if c else 0 for c in cells], dtype=np.int32),
                                 mask=[not c for c in cells])
    if name in YES_NO:
        return np.ma.MaskedArray(np.array([c == "1" for c in cells]), mask=[c not in ("0", "1") for c in cells])
    return np.array(cells, dtype=str)


def as_frame(cols) -> pd.DataFrame:
    """A DataFrame as pandas users build one: datetime64[ns] dates, nullable Int64,
    float money, nullable boolean, object text with None."""
    df = pd.DataFrame(cols)
    for name in df.columns:
        if name in DATES or name == "month":
            df[name] = pd.to_datetime(df[name].replace("", None), format="%Y-%m" if name == "month" else "%Y-%m-%d")
        elif name in WHOLE:
            df[name] = pd.array([int(c) if c else None for c in cols[name]], dtype="Int64")
        elif name in MONEY:
            df[name] = pd.to_numeric(df[name].replace("", np.nan))
        elif name in YES_NO:
            df[name] = pd.array([None if c == "" else c == "1" for c in cols[name]], dtype="boolean")
        else:
            df[name] = df[name].replace("", None)
    return df


def report_json(ledger) -> dict:
    return json.loads(ledger.report(**REPORT, regions=SAMPLE / "regions.csv").render("json"))


class FromColumns(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        with keyproj.Ledger.from_csv(SAMPLE) as ledger:
            cls.csv_count = ledger.project_count
            cls.csv_json = report_json(ledger)
        cls.tmp = Path(tempfile.mkdtemp(prefix="kp-columns-"))

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def assertSameLedger(self, ledger):
        self.assertEqual(ledger.problems, [])
        self.assertEqual(ledger.project_count, self.csv_count)
        self.assertEqual(report_json(ledger), self.csv_json)
        self.assertIsNone(ledger.path)

    def test_lists_of_csv_text(self):
        tables = sample_lists()
        self.assertGreater(len(tables["monthly"]["code"]), 1000)
        with keyproj.Ledger.from_columns(**tables) as ledger:
            self.assertSameLedger(ledger)
        # and in batches of 97 rows (row numbers run on across batches)
        with keyproj.Ledger.from_columns(**tables, batch_rows=97) as ledger:
            self.assertSameLedger(ledger)

    def test_threads(self):
        # 2: every batch read on two threads (a reader and this one), even a small one.
        tables = {t: {n: as_numpy(n, c) for n, c in cols.items()} for t, cols in sample_lists().items()}
        for threads in (1, 2, 0):
            with keyproj.Ledger.from_columns(**tables, threads=threads) as ledger:
                self.assertSameLedger(ledger)
        for bad in (-1, 1.5, True, "2"):
            with self.assertRaises(ValueError):
                keyproj.Ledger.from_columns(**tables, threads=bad)

    def test_numpy_arrays(self):
        tables = {t: {n: as_numpy(n, c) for n, c in cols.items()} for t, cols in sample_lists().items()}
        self.assertEqual(tables["projects"]["region"].dtype, np.int32)
        self.assertEqual(tables["monthly"]["month"].dtype, np.dtype("datetime64[D]"))
        with keyproj.Ledger.from_columns(**tables, batch_rows=1000) as ledger:
            self.assertSameLedger(ledger)

    def test_numpy_arrays_not_contiguous_or_foreign_byte_order(self):
        tables = {t: {n: as_numpy(n, c) for n, c in cols.items()} for t, cols in sample_lists().items()}
        for cols in tables.values():
            for name, value in cols.items():
                arr, scale = value if isinstance(value, tuple) else (value, None)
                if isinstance(arr, np.ma.MaskedArray) or arr.dtype.kind not in "iM":
                    continue
                wide = np.empty(2 * len(arr), dtype=arr.dtype.newbyteorder(">"))
                wide[::2] = arr  # every other element, big-endian: copied once to read
                cols[name] = wide[::2] if scale is None else (wide[::2], scale)
        with keyproj.Ledger.from_columns(**tables) as ledger:
            self.assertSameLedger(ledger)

    def test_fixed_width_arrays_are_read_in_place(self):
        from keyproj import columns
        for arr in (np.arange(5, dtype=np.int64), np.arange(5, dtype=np.int32), np.linspace(0, 1, 5),
                    np.array([True, False] * 2)):
            with self.subTest(str(arr.dtype)):
                self.assertEqual(columns.convert("projects", "x", arr).addr, arr.ctypes.data)  # no copy
                strided = columns.convert("projects", "x", arr[::2])
                self.assertNotEqual(strided.addr, arr.ctypes.data)  # copied once, contiguous
                self.assertEqual(strided.rows, len(arr[::2]))
        whole = np.arange(10, dtype=np.int64)
        col = columns.convert("monthly", "investment", (whole, 4))
        self.assertEqual((col.addr, col.scale, col.type), (whole.ctypes.data, 4, keyproj._ffi.COLUMN_TYPES["int64"]))

    def test_pandas_dataframes(self):
        frames = {t: as_frame(cols) for t, cols in sample_lists().items()}
        self.assertEqual(str(frames["projects"]["started_on"].dtype), "datetime64[ns]")
        self.assertEqual(str(frames["projects"]["region"].dtype), "Int64")
        with keyproj.Ledger.from_columns(**frames) as ledger:
            self.assertSameLedger(ledger)

    def test_frames_as_pd_read_csv_makes_them(self):
        # What a pandas user tries first: each file through pd.read_csv, defaults. Its
        # yes/no columns come out as numbers (attracted float64 with NaN, required
        # int64) and an optional column left empty (funding's currency) as float64
        # NaN: both are read as the CSV is, and a column no table has (the sample's
        # 项目联系人, object with NaN) is kept as an extra column, as the CSV loader
        # keeps it. A code column that pandas turns into numbers (baseline's key:
        # float64, 610402.0 with NaN on the 'all' rows) is read as the CSV's text
        # (610402), as are numbers where a date or a month is read (below).
        frames = {}
        for table in ("projects", "monthly", "funding", "plans", "problems", "baseline", "approvals"):
            frames[table] = pd.read_csv(SAMPLE / f"{table}.csv")
        self.assertEqual(str(frames["baseline"]["key"].dtype), "float64")
        self.assertIn(EXTRA, frames["projects"].columns)
        self.assertEqual(str(frames["projects"]["attracted"].dtype), "float64")
        self.assertEqual(str(frames["approvals"]["required"].dtype), "int64")
        self.assertTrue(frames["funding"]["currency"].isna().all())
        with keyproj.Ledger.from_columns(**frames) as ledger:
            self.assertSameLedger(ledger)
            ledger.pack(self.tmp / "frames.kpl")
        # The very ledger, extra column and all: its snapshot is byte for byte that of
        # the folder (less regions.csv, whose names a snapshot also holds).
        folder = self.tmp / "no-regions"
        shutil.copytree(SAMPLE, folder, ignore=shutil.ignore_patterns("regions.csv"))
        with keyproj.Ledger.from_csv(folder) as ledger:
            ledger.pack(self.tmp / "folder.kpl")
        self.assertEqual((self.tmp / "frames.kpl").read_bytes(), (self.tmp / "folder.kpl").read_bytes())
        # A yes/no number other than 1 or 0 is a problem at its cell.
        frames["approvals"].loc[3, "required"] = 2
        with self.assertRaises(keyproj.LoadError) as caught:
            keyproj.Ledger.from_columns(**frames)
        self.assertEqual([(p.file, p.line, p.field) for p in caught.exception.problems],
                         [("approvals.csv", 4, "required")])
        self.assertIn("int64 2 is neither 0 nor 1", caught.exception.problems[0].reason)

    def test_numbers_where_text_dates_and_months_are_read(self):
        # pandas reads 20240301 and 202403 as int64, an id or industry column of
        # digits as int64: each read as the CSV cell of that number would be (they
        # were refused, one column per exception).
        projects = {"code": ["A1", "A2"], "name": ["甲", "乙"], "started_on": np.array([20240301, 20240415]),
                    "stage": ["started", "started"], "industry": np.array([4411, 4412], dtype=np.int32)}
        monthly = {"code": ["A1", "A2"], "month": np.array([202403, 202404]), "investment": ["1.5", "2"]}
        problems = {"code": ["A1"], "id": np.array([7.0]), "kind": ["land"], "raised_on": [20240302]}
        as_text = {t: {k: [str(x) for x in v] for k, v in cols.items()}
                   for t, cols in (("projects", projects), ("monthly", monthly), ("problems", problems))}
        as_text["problems"]["id"] = ["7"]
        with keyproj.Ledger.from_columns(**as_text) as want, \
                keyproj.Ledger.from_columns(projects=projects, monthly=monthly, problems=problems) as got:
            want.pack(self.tmp / "text.kpl")
            got.pack(self.tmp / "numbers.kpl")
        self.assertEqual((self.tmp / "numbers.kpl").read_bytes(), (self.tmp / "text.kpl").read_bytes())
        # A number that is no date is a problem at its cell, as its text would be.
        monthly["month"] = np.array([202403, 202413])
        with self.assertRaises(keyproj.LoadError) as caught:
            keyproj.Ledger.from_columns(projects=projects, monthly=monthly)
        self.assertEqual([(p.file, p.line, p.field) for p in caught.exception.problems], [("monthly.csv", 2, "month")])

    def test_a_misspelt_column_is_a_problem_not_silent_zeros(self):
        # Kept as an extra, "investmnet" made every month's investment 0 with no
        # problem at all (a black-box tester's find); as in a CSV header, a near miss
        # of a column the table lacks is a problem at that column, said once however
        # many batches carry it.
        projects = {"code": ["A1"], "name": ["甲"]}
        monthly = {"code": ["A1"], "month": ["2024-09"], "investmnet": ["5"]}
        with self.assertRaises(keyproj.LoadError) as caught:
            keyproj.Ledger.from_columns(projects=projects, monthly=monthly)
        self.assertEqual([(p.file, p.column, p.field) for p in caught.exception.problems],
                         [("monthly.csv", 3, "investmnet")])
        self.assertIn("the file has no investment column", caught.exception.problems[0].reason)
        with keyproj.Ledger.from_columns(projects=projects, monthly=monthly, lenient=True, batch_rows=1) as ledger:
            self.assertEqual(len(ledger.problems), 1)

    def test_extra_columns_of_any_dtype_as_pandas_writes_them(self):
        # Extra columns of every dtype pandas makes, one header with spaces round it:
        # the ledger equals the one loaded from df.to_csv() of the same frames, byte
        # for byte once packed (bool as True/False, the header trimmed).
        # (attracted as Int64: float64 1.0 would be written "1.0", not a yes/no cell)
        projects = pd.read_csv(SAMPLE / "projects.csv", dtype={"attracted": "Int64"})
        n = len(projects)
        projects["已核实"] = [i % 3 == 0 for i in range(n)]
        projects[" 备注 "] = [f"备注{i}" if i % 4 else None for i in range(n)]
        projects["得分"] = [i / 8 for i in range(n)]
        projects["排序"] = list(range(n))
        projects["核实日期"] = pd.to_datetime(["2024-01-31"] * n)
        folder = self.tmp / "extras"
        folder.mkdir()
        projects.to_csv(folder / "projects.csv", index=False, date_format="%Y-%m-%d")
        with keyproj.Ledger.from_columns(projects) as ledger:
            ledger.pack(self.tmp / "extras-columns.kpl")
        with keyproj.Ledger.from_csv(folder) as ledger:
            ledger.pack(self.tmp / "extras-csv.kpl")
        self.assertEqual((self.tmp / "extras-columns.kpl").read_bytes(), (self.tmp / "extras-csv.kpl").read_bytes())

    def test_a_lone_surrogate_is_a_problem_at_its_cell(self):
        # A str that has no UTF-8 (a lone surrogate, as os.fsdecode makes of a stray
        # byte): a problem at its row and column, the row left out in lenient mode --
        # from a list and from a numpy str array alike.
        for make in (list, lambda cells: np.array(cells, dtype=str)):
            projects = {"code": make(["P1", "P2", "P3"]), "name": make(["甲", "bad\udcff", "丙"])}
            with self.assertRaises(keyproj.LoadError) as e:
                keyproj.Ledger.from_columns(projects)
            self.assertEqual([(p.file, p.line, p.column, p.field) for p in e.exception.problems],
                             [("projects.csv", 2, 2, "name")])
            self.assertIn("not valid UTF-8", e.exception.problems[0].reason)
            with keyproj.Ledger.from_columns(projects, lenient=True) as ledger:
                self.assertEqual(ledger.project_count, 2)

    def test_the_ledger_through_pandas_to_csv_and_back(self):
        # Each file read by pandas and written back with to_csv (yes/no columns with an
        # empty cell become 1.0/0.0, amounts 57490.0): the same ledger as the files.
        folder = self.tmp / "pandas-round-trip"
        folder.mkdir()
        for path in SAMPLE.glob("*.csv"):
            df = pd.read_csv(path, dtype={"key": str} if path.stem == "baseline" else None)
            df.to_csv(folder / path.name, index=False)
        self.assertIn(",0.0,", (folder / "projects.csv").read_text(encoding="utf-8"))
        with keyproj.Ledger.from_csv(folder) as ledger:
            self.assertEqual(ledger.problems, [])
            self.assertEqual(ledger.project_count, self.csv_count)
            self.assertEqual(report_json(ledger), self.csv_json)

    def test_exact_numbers(self):
        projects = {"code": ["P1", "P2", "P3", "P4"], "name": ["a", "b", "c", "d"], "region": [610402] * 4,
                    "category": ["industry"] * 4}
        cases = {  # total_investment given as ... -> its exact value
            "floats": ([0.1, 0.2, 1234.5678, None], "1234.8678"),
            "Decimals": ([Decimal("0.1"), Decimal("0.2"), Decimal("1234.5678"), None], "1234.8678"),
            "ints, 万元": ([1, 2, 3, None], "6.00"),
            "float64 array": (np.array([0.1, 0.2, 1234.5678, np.nan]), "1234.8678"),
            "int64 in 元 (scale 4)": ((np.array([1000, 2000, 12345678, 0]), 4), "1234.8678"),
            "list of int in 分 (scale 6)": (([100000, 200000, 1234567800, None], 6), "1234.8678"),
            "int32 array, 万元": (np.array([1, 2, 3, 0], dtype=np.int32), "6.00"),
            "int16 array, 万元": (np.array([1, 2, 3, 0], dtype=np.int16), "6.00"),
            "int8 Series, 万元": (pd.Series([1, 2, 3, 0], dtype="int8"), "6.00"),
        }
        for what, (values, total) in cases.items():
            with self.subTest(what):
                with keyproj.Ledger.from_columns({**projects, "total_investment": values}) as ledger:
                    row = ledger.report(as_of="2024-09", group_by="", indicators="total_investment").tables[0].total
                    self.assertEqual(row["total_investment"], Decimal(total))
                    self.assertEqual(str(row["total_investment"]), total)
        # 0.1 + 0.2 is 0.30000000000000004 as a float: read as those digits, refused
        # for being finer than 1 分, never rounded.
        with self.assertRaises(keyproj.LoadError) as e:
            keyproj.Ledger.from_columns({**projects, "total_investment": [0.1 + 0.2, 1, 2, 3]})
        self.assertEqual([(p.file, p.line, p.field) for p in e.exception.problems],
                         [("projects.csv", 1, "total_investment")])

    def test_series_of_different_indexes_are_refused(self):
        """Series are read by position; pandas pairs them by label. A Series sorted or
        filtered apart from the others would pair a row with another row's values."""
        s = pd.Series(["d", "c", "b", "a"], index=[0, 1, 2, 3])
        projects = {"code": pd.Series(["P1", "P2", "P3", "P4"]), "name": s.sort_values(),
                    "region": [610402] * 4, "category": ["industry"] * 4}
        with self.assertRaises(ValueError) as caught:
            keyproj.Ledger.from_columns(projects)
        self.assertIn("'code' and 'name' have different indexes", str(caught.exception))
        # The same index (or lists beside Series): read as given.
        projects["name"] = s.sort_values().reset_index(drop=True)
        with keyproj.Ledger.from_columns(projects) as ledger:
            self.assertEqual(ledger.project_count, 4)

    def test_none_is_missing(self):
        """None in a list (and a masked cell) is an empty CSV cell."""
        projects = {"code": ["P1", "P2"], "name": ["a", "b"], "region": [610402, None],
                    "started_on": [None, datetime.date(2024, 3, 1)], "stage": [None, "started"],
                    "total_investment": [None, Decimal("5")]}
        csv_twin = {"code": ["P1", "P2"], "name": ["a", "b"], "region": ["610402", ""],
                    "started_on": ["", "2024-03-01"], "stage": ["", "started"], "total_investment": ["", "5"]}
        folder = self.tmp / "none"
        folder.mkdir()
        write_csv(folder, {"projects": csv_twin})
        request = dict(as_of="2024-09", group_by="", indicators="projects,started,total_investment")
        with keyproj.Ledger.from_csv(folder) as a, keyproj.Ledger.from_columns(projects) as b:
            self.assertEqual(b.report(**request).render("json"), a.report(**request, regions=False).render("json"))
            self.assertEqual(b.report(**request).tables[0].total["started"], 1)

    def test_pandas_extension_dtypes_and_empty_tables(self):
        df = pd.DataFrame({"code": pd.array(["P1", "P2", None], dtype="string"),
                           "name": pd.Categorical(["a", "b", "c"]),
                           "region": pd.array([610402, None, 610403], dtype="Int64"),
                           "total_investment": pd.array([0.1, None, 2.5], dtype="Float64")})
        with self.assertRaises(keyproj.LoadError) as e:  # pandas NA in a required column
            keyproj.Ledger.from_columns(df)
        self.assertEqual([(p.line, p.column, p.field) for p in e.exception.problems], [(3, 1, "code")])
        with keyproj.Ledger.from_columns(df.iloc[:2]) as ledger:
            total = ledger.report(as_of="2024-09", group_by="", indicators="projects,total_investment").tables[0].total
            self.assertEqual((total["projects"], total["total_investment"]), (2, Decimal("0.1")))
        with keyproj.Ledger.from_columns({"code": np.array([], dtype=str), "name": []},
                                         monthly={"code": [], "month": np.array([], dtype="datetime64[D]")}) as ledger:
            self.assertEqual(ledger.project_count, 0)

    def bad_sample(self):
        """The sample with three bad cells (two in monthly, one in projects)."""
        tables = sample_lists()
        tables["monthly"]["investment"][4] = "12x"
        tables["monthly"]["month"][900] = "2024-13"
        tables["projects"]["started_on"][2] = "2024-02-30"
        folder = self.tmp / "bad"
        folder.mkdir(exist_ok=True)
        for t in TABLES:
            shutil.copy(SAMPLE / f"{t}.csv", folder)
        write_csv(folder, tables)
        return tables, folder

    def test_bad_cells_are_problems_as_from_csv(self):
        tables, folder = self.bad_sample()
        with self.assertRaises(keyproj.LoadError) as from_csv:
            keyproj.Ledger.from_csv(folder)
        with self.assertRaises(keyproj.LoadError) as from_columns:
            keyproj.Ledger.from_columns(**tables, batch_rows=500)
        expected = from_csv.exception.problems
        got = from_columns.exception.problems
        # The 3 bad cells. (The rows of the project whose row was refused are not listed
        # again in a strict load: nothing loads, and the project's own problem says why.)
        self.assertEqual(len(got), 3)
        # The same problems; line = the row's first line in the file there (the header is
        # line 1; a quoted cell may span lines), the row's number here. (Listed in another
        # order: the builder lists them table by table in KP_TABLE order, the CSV loader
        # in the order it reads the files.)
        lines = {f"{t}.csv": record_lines(folder / f"{t}.csv") for t in TABLES}
        self.assertEqual(sorted((p.file, lines[p.file][p.line], p.column, p.field, p.reason) for p in got),
                         sorted((p.file, p.line, p.column, p.field, p.reason) for p in expected))
        monthly = [p for p in got if p.file == "monthly.csv" and p.field != "code"]
        self.assertEqual([(p.line, p.field) for p in monthly], [(5, "investment"), (901, "month")])
        self.assertEqual(monthly[0].column, list(tables["monthly"]).index("investment") + 1)
        # lenient: the good rows load, the problems are the ledger's
        # and the rows of the refused project, left out, are listed by table
        with keyproj.Ledger.from_columns(**tables, lenient=True) as ledger:
            extra = [p for p in ledger.problems if p not in got]
            self.assertEqual([p for p in ledger.problems if p in got], got)
            self.assertTrue(extra)
            for p in extra:
                self.assertRegex(p.reason, r"^\d+ rows? of project '.+' not loaded \(lines? [\d, -]+\): "
                                           r"the project was rejected \(projects\.csv:3\)$")
            self.assertEqual(ledger.project_count, self.csv_count - 1)

    def test_approvals(self):
        """approvals.csv as columns (KP_TABLE_APPROVALS): the sample's rows load with
        no problem (test_lists_of_csv_text and the others pass it too); a batch with bad
        rows gives the problems from_csv gives, located by table, row and column, and
        lenient leaves those rows out."""
        tables = sample_lists()
        self.assertGreater(len(tables["approvals"]["code"]), 1000)
        first = tables["approvals"]["code"][0]  # reserved_on 2024-01-06, has an approval row
        bad = {"code": [first, "NOPE", first, first], "item": ["permit", "eia", "other", "立项"],
               "required": ["1", "1", "", "0"], "planned_on": [""] * 4,
               "done_on": ["", "2024-03-01", "1999-01-01", ""], "authority": [""] * 4, "document_no": [""] * 4}
        approvals = {name: cells + bad[name] for name, cells in tables["approvals"].items()}
        folder = self.tmp / "approvals"
        folder.mkdir(exist_ok=True)
        for t in TABLES:
            shutil.copy(SAMPLE / f"{t}.csv", folder)
        write_csv(folder, {"approvals": approvals})
        with self.assertRaises(keyproj.LoadError) as from_csv:
            keyproj.Ledger.from_csv(folder)
        n = len(tables["approvals"]["code"])
        expected = [(p.line - 1, p.field, p.reason) for p in from_csv.exception.problems]  # no multi-line cells
        self.assertEqual([(line, field) for line, field, _ in expected],
                         [(n + 1, "item"), (n + 2, "code"), (n + 3, "done_on"), (n + 4, "item")])
        self.assertIn("unknown approval item 'permit'", expected[0][2])
        self.assertIn("before the project's reserved_on 2024-01-06", expected[2][2])
        self.assertIn("a second row for item approval", expected[3][2])
        # From arrays a line is a row's number, in the reason too: "(first at line 2)"
        # of the file is row 1.
        expected = [(line, field, re.sub(r"first at line (\d+)", lambda m: f"first at line {int(m[1]) - 1}", why))
                    for line, field, why in expected]
        variants = {"text": approvals, "numpy": {n: as_numpy(n, c) for n, c in approvals.items()},
                    "pandas": as_frame(approvals)}
        self.assertEqual(variants["numpy"]["required"].dtype, np.bool_)
        for what, columns in variants.items():
            with self.subTest(what):
                with self.assertRaises(keyproj.LoadError) as e:
                    keyproj.Ledger.from_columns(**{**tables, "approvals": columns}, batch_rows=700)
                got = e.exception.problems
                self.assertEqual([(p.file, p.line, p.field, p.reason) for p in got],
                                 [("approvals.csv",) + x for x in expected])
                self.assertEqual([p.column for p in got], [2, 1, 5, 2])
                with keyproj.Ledger.from_columns(**{**tables, "approvals": columns}, lenient=True) as ledger:
                    self.assertEqual(ledger.problems, got)
                    self.assertEqual(ledger.project_count, self.csv_count)

    def test_a_table_the_library_cannot_read(self):
        tables = sample_lists()
        pieces = "总投资（个）"
        with self.assertRaises(keyproj.InvalidArgumentError) as e:  # a money column counted in pieces
            keyproj.Ledger.from_columns(**{**tables, "projects": {**tables["projects"], pieces: ["1"] * 1500}})
        self.assertIsInstance(e.exception, keyproj.KeyprojError)
        self.assertNotIsInstance(e.exception, keyproj.LoadError)
        self.assertEqual(e.exception.function, "kp_ledger_builder_add_columns")
        self.assertIn(f"{pieces}: column total_investment is read in 万元, not 个", e.exception.message)
        with self.assertRaises(keyproj.KeyprojError) as e:  # a type the field does not take
            keyproj.Ledger.from_columns({"code": [True, False], "name": ["a", "b"]})
        self.assertIn("code", e.exception.message)
        with self.assertRaises(keyproj.KeyprojError) as e:  # a required column missing
            keyproj.Ledger.from_columns({"name": ["a"]})
        self.assertIn("code", e.exception.message)

    def test_a_column_named_in_yuan_is_read_as_from_csv(self):
        # "总投资（元）" is converted exactly, from a DataFrame as from its CSV (until 0.7
        # the arrays refused it: a black-box analyst's find).
        import pandas as pd
        frame = pd.DataFrame({"项目代码": ["P1", "P2"], "项目名称": ["a", "b"], "所属区划": ["x", "y"],
                              "总投资（元）": [123456.78, 5]})
        with tempfile.TemporaryDirectory() as tmp:
            frame.to_csv(Path(tmp) / "projects.csv", index=False)
            from_csv = keyproj.Ledger.from_csv(tmp)
        from_columns = keyproj.Ledger.from_columns(frame)
        for ledger in (from_csv, from_columns):
            total = ledger.report(as_of="2024-09", group_by=None, indicators="total_investment").tables[0].total
            self.assertEqual(total["total_investment"], Decimal("12.346178"))

    def test_values_no_column_holds(self):
        projects = {"code": ["P1"], "name": ["a"]}
        for values, error, text in [
            (np.array([0.1], dtype=np.float32), TypeError, "projects.total_investment: float32"),
            ([1, 2], ValueError, "different lengths"),
            ([object()], TypeError, "projects.total_investment: a value of type object"),
            ((np.array([0.5]), 2), TypeError, "scale applies to int64 columns only"),
            ((np.array([5]), 19), ValueError, "scale 19"),
            ("12", TypeError, "expected a sequence"),
            (np.array(["1\x002"]), ValueError, "projects.total_investment: row 1: contains a NUL character"),
        ]:
            with self.subTest(text), self.assertRaisesRegex(error, text):
                keyproj.Ledger.from_columns({**projects, "total_investment": values})
        # A time of day is the cell's problem at its row, as in a CSV file (test_arguments).
        with self.assertRaisesRegex(keyproj.LoadError, r"projects.csv:1:3: started_on: not a date .*'2024-01-01 12:00:00'"):
            keyproj.Ledger.from_columns({**projects, "started_on": np.array(["2024-01-01T12"], dtype="datetime64[h]")})
        with self.assertRaisesRegex(ValueError, "batch_rows 0"):
            keyproj.Ledger.from_columns(projects, batch_rows=0)

    def test_a_nul_in_a_str_cell_is_refused_from_every_container(self):
        # A NUL would end the cell early in the library (a name cut short, a code that
        # matches another's prefix): refused, naming table, column and row, as numpy str arrays are.
        projects = {"code": ["P1", "P2", "P3"], "name": ["道路", "学校", "医院"]}
        for column, cells in (("name", ["道路", "学校", "医\0院"]), ("code", ["P1", "P2\0X", "P3"])):
            for what, values in (("list", cells), ("tuple", tuple(cells)), ("numpy object", np.array(cells, object)),
                                 ("numpy str", np.array(cells)), ("pandas", pd.Series(cells)),
                                 ("pandas string", pd.Series(cells, dtype="string")),
                                 ("with a missing cell", [None] + cells[1:])):
                row = next(i for i, c in enumerate(cells) if "\0" in c) + 1
                with self.subTest(column=column, what=what), self.assertRaisesRegex(
                        ValueError, rf"^projects\.{column}: row {row}: contains a NUL character$"):
                    keyproj.Ledger.from_columns({**projects, column: values})
        with self.assertRaisesRegex(ValueError, r"^monthly\.investment: row 2: contains a NUL character$"):
            keyproj.Ledger.from_columns(projects, monthly={"code": ["P1", "P2"], "month": ["2024-01", "2024-01"],
                                                           "investment": [Decimal("1"), "2\0"]})

    def test_whole_day_datetimes_and_ints_beyond_int64(self):
        projects = {"code": ["P1"], "name": ["a"], "region": [610402], "total_investment": [10 ** 20],
                    "started_on": np.array(["2024-03-01T00:00"], dtype="datetime64[m]")}
        with self.assertRaises(keyproj.LoadError) as e:  # 10^20 万元 goes as its digits, and is too large
            keyproj.Ledger.from_columns(projects)
        self.assertEqual([p.field for p in e.exception.problems], ["total_investment"])
        projects["total_investment"] = [10 ** 6]
        with keyproj.Ledger.from_columns(projects) as ledger:
            self.assertEqual(ledger.report(as_of="2024-09", group_by="", indicators="started").tables[0]
                             .total["started"], 1)


if __name__ == "__main__":
    unittest.main()
