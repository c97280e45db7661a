"""Figures read through the package equal, exactly, what the CLI prints for the same
request (both are keyproj::MakeReport; the CLI's JSON is the contract)."""
import copy
import datetime
import gc
import pickle
import tempfile
import unittest
import warnings
import weakref
import zipfile
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from support import SAMPLE, SCHEME, TESTDATA, SampleLedgerTestCase, TARGETS, cli, cli_json, keyproj


def as_tables(doc):
    """The CLI's JSON: one table object, or a list of them for several --group-by."""
    return doc if isinstance(doc, list) else [doc]


class ReportAgainstCli(SampleLedgerTestCase):
    def assertSameAsCli(self, report, cli_args, unit="wan"):
        expected = as_tables(cli_json("report", "--data", SAMPLE, "--format", "json", *cli_args))
        self.assertEqual(len(report.tables), len(expected))
        cells = 0
        for table, doc in zip(report.tables, expected):
            self.assertEqual(table.title, doc["title"])
            self.assertEqual(list(table.group_by), doc["group_by"])
            self.assertEqual(len(table.rows), len(doc["rows"]))
            self.assertEqual(doc["rows"][-1]["group"], {}, "the CLI's whole-scope row is last")
            for row, want in zip(table.rows, doc["rows"]):
                self.assertEqual(row.group, want["group"])
                self.assertEqual(list(row), list(want["values"]))
                for cid, text in want["values"].items():
                    got = row[cid]
                    # Exact: the same decimal text, digit for digit (Decimal keeps the exponent).
                    self.assertEqual(None if got is None else str(got), text, f"{table.title} {row.group} {cid}")
                    self.assertEqual(row.display(cid, unit), want["display"][cid])
                    cells += 1
        self.assertGreaterEqual(cells, 50, "the comparison must cover real figures")
        return expected

    def test_default_report(self):
        report = self.ledger.report()
        self.assertEqual([c.id for c in report.tables[0].columns], keyproj.standard_dashboard())
        doc = self.assertSameAsCli(report, [])
        self.assertTrue(report.tables[0].total.is_total)
        self.assertFalse(report.tables[0].rows[0].is_total)
        # Not every value may be None or zero: the sample has figures.
        self.assertGreater(report.tables[0].total["investment_ytd"], 0)
        self.assertEqual(doc[0]["as_of"], "2024-09-30")

    def test_several_groupings_date_filter_indicators(self):
        ids = ["projects", "start_rate", "investment_ytd", "plan_completion", "yoy_growth", "funds_arrival_rate"]
        report = self.ledger.report(as_of="2024-06", filter="category=industry|urban",
                                    group_by=["county", ("category", "county"), ""], indicators=ids)
        self.assertEqual([t.group_by for t in report.tables], [("county",), ("category", "county"), ()])
        self.assertEqual([c.id for c in report.tables[0].columns], ids)
        self.assertSameAsCli(report, ["--as-of", "2024-06", "--filter", "category=industry|urban", "--group-by",
                                      "county", "--group-by", "category,county", "--group-by", "",
                                      "--indicators", ",".join(ids)])

    def test_countdown_thresholds(self):
        ids = "start_countdown,signed_not_started,overdue_start,reserve_age.24_"
        report = self.ledger.report(group_by="county", indicators=ids, countdown_days=366, signed_months=1)
        self.assertSameAsCli(report, ["--group-by", "county", "--indicators", ids, "--countdown-days", "366",
                                      "--signed-months", "1"])
        default = self.ledger.report(group_by="", indicators=ids)
        total, narrow = report.tables[0].total, default.tables[0].total
        # A wider window and a shorter wait list more projects (the keywords reach the engine).
        self.assertGreater(int(total["start_countdown"]), int(narrow["start_countdown"]))
        self.assertGreater(int(total["signed_not_started"]), int(narrow["signed_not_started"]))
        self.assertEqual(len(total.projects("start_countdown")), int(total["start_countdown"]))

    def test_unit_yi_display(self):
        report = self.ledger.report(group_by="county", as_of=datetime.date(2024, 3, 31))
        self.assertSameAsCli(report, ["--group-by", "county", "--as-of", "2024-03-31", "--unit", "yi"], unit="yi")

    def test_land_start_days(self):
        # P1 started 30 days after its land item was done, P2 31 days: land_to_start_ytd
        # (拿地即开工) counts a start within land_start_days (30 by default, 0 to 366).
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            (folder / "projects.csv").write_text(
                "code,name,region,started_on\nP1,项目一,610402,2024-04-20\nP2,项目二,610402,2024-05-02\n",
                encoding="utf-8")
            (folder / "approvals.csv").write_text(
                "code,item,done_on\nP1,land,2024-03-21\nP2,land,2024-04-01\n", encoding="utf-8")
            with keyproj.Ledger.from_csv(folder) as ledger:
                def listed(**kw):
                    total = ledger.report(as_of="2024-09-30", group_by="", indicators="land_to_start_ytd",
                                          **kw).tables[0].total
                    return total["land_to_start_ytd"], [p.code for p in total.projects("land_to_start_ytd")]

                self.assertEqual(listed(), (Decimal(1), ["P1"]))
                self.assertEqual(listed(land_start_days=29), (Decimal(0), []))
                self.assertEqual(listed(land_start_days=31), (Decimal(2), ["P1", "P2"]))
                with self.assertRaisesRegex(keyproj.InvalidArgumentError, "land_to_start_days 367"):
                    listed(land_start_days=367)
                with self.assertRaisesRegex(TypeError, "land_start_days: expected int"):
                    listed(land_start_days="30")

    def test_thresholds(self):
        ids = "projects,stalled,late_reports,behind_schedule"
        report = self.ledger.report(group_by="county", indicators=ids, stalled_months=2, deadline_day=10,
                                    behind_points="5.5", schedule="days")
        self.assertSameAsCli(report, ["--group-by", "county", "--indicators", ids, "--stalled-months", "2",
                                      "--deadline-day", "10", "--behind-points", "5.5", "--schedule", "days"])
        # The project lists behind a cell are as many as the count it shows.
        listed = 0
        for row in report.tables[0]:
            for cid in ("stalled", "late_reports"):
                projects = row.projects(cid)
                self.assertEqual(len(projects), int(row[cid]), f"{row.group} {cid}")
                listed += len(projects)
        self.assertGreater(listed, 0)
        self.assertTrue(all(p.code and p.name for p in report.tables[0].total.projects("stalled")))
        self.assertEqual(report.tables[0].total.projects("projects"), [])

    def test_render_equals_cli_output(self):
        report = self.ledger.report(group_by=["county", "category"], as_of="2024-09")
        args = ["--data", SAMPLE, "--group-by", "county", "--group-by", "category", "--as-of", "2024-09"]
        for fmt, cli_fmt in (("json", "json"), ("table", "table"), ("markdown", "md"), ("text", "text")):
            with self.subTest(fmt):
                self.assertEqual(report.render(fmt), cli("report", *args, "--format", cli_fmt).stdout.decode("utf-8"))
        self.assertEqual(report.render("csv", encoding="utf-8"), cli("report", *args, "--format", "csv").stdout)
        gb = report.render("table", unit="yi", encoding="gb18030")
        self.assertIsInstance(gb, bytes)
        self.assertEqual(gb, cli("report", *args, "--unit", "yi", "--out-encoding", "gb18030").stdout)
        self.assertEqual(gb.decode("gb18030"), report.render("table", unit="yi"))

    def test_labels_and_scope(self):
        report = self.ledger.report(as_of="2024-09", group_by="county", indicators=["start_rate", "investment_ytd"])
        self.assertEqual(report.as_of, datetime.date(2024, 9, 30))
        self.assertEqual(report.as_of.isoformat(), cli_json("report", "--data", str(SAMPLE), "--as-of", "2024-09",
                                                            "--indicators", "start_rate", "--format", "json")["as_of"])
        self.assertTrue(report.scope_name)
        columns = report.tables[0].columns
        catalogue = {i.id: i.label for i in keyproj.indicators()}
        self.assertTrue(columns[0].label.startswith(catalogue["start_rate"]), columns[0].label)
        self.assertTrue(columns[1].label.endswith("（万元）"), columns[1].label)
        # Region names from the ledger folder's regions.csv, as the CLI prints them.
        with open(SAMPLE / "regions.csv", encoding="utf-8") as f:
            names = dict(line.rstrip("\n").split(",")[:2] for line in f.readlines()[1:])
        for row in report.tables[0].rows[:-1]:
            self.assertEqual(row.labels["county"], names.get(row.group["county"], row.group["county"]))
        self.assertEqual(report.tables[0].total.labels, {})
        bare = self.ledger.report(as_of="2024-09", group_by="county", indicators="projects", regions=False)
        self.assertEqual([r.labels for r in bare.tables[0].rows[:-1]], [r.group for r in bare.tables[0].rows[:-1]])

    def test_a_group_row_by_its_key(self):
        # table["610402"] (a black-box analyst's first try was a TypeError), a tuple for
        # several dimensions; a bad key or column is a KeyError that says what there is.
        report = self.ledger.report(as_of="2024-09", group_by=["county", "category,county"], indicators="projects")
        by_county, by_two = report.tables
        row = by_county["610402"]
        self.assertEqual(row.group, {"county": "610402"})
        self.assertIs(by_county[-1], by_county.total)
        first = by_two.rows[0]
        self.assertIs(by_two[first.group["category"], first.group["county"]], first)
        with self.assertRaisesRegex(KeyError, "no group of table '按县区' has this key \\(keys: '610302'"):
            by_county["999"]
        with self.assertRaisesRegex(KeyError, "named by 2 key\\(s\\), one per dimension \\(category, county\\)"):
            by_two["610402"]
        with self.assertRaisesRegex(KeyError, "column 'nope' is not in this row \\(columns: projects\\)"):
            row["nope"]

    def test_dimensions_and_ledger_columns_for_menus(self):
        # What a vendor found no call for: the groupings and each table's columns.
        dims = keyproj.dimensions()
        self.assertIn(keyproj.Dimension("county", "县区"), dims)
        for d in dims:
            table = self.ledger.report(as_of="2024-09", group_by=d.id, indicators="projects").tables[0]
            self.assertEqual(table.group_by, (d.id,))
        projects = keyproj.ledger_columns("projects")
        self.assertEqual(projects[0].id, "code")
        self.assertEqual(projects[0].chinese, "项目代码")
        self.assertTrue(projects[0].required)
        self.assertIn("项目编码", projects[0].aliases)
        self.assertFalse([c for c in projects if c.id == "total_investment"][0].required)
        self.assertEqual([c.id for c in keyproj.ledger_columns("plans")], ["code", "year", "planned"])
        # Named by the Chinese headers it lists, a table loads.
        monthly = {c.chinese: [v] for c, v in zip(keyproj.ledger_columns("monthly"), ["P1", "2024-09", "12.5"])}
        ledger = keyproj.Ledger.from_columns({"项目代码": ["P1"], "项目名称": ["甲"]}, monthly=monthly)
        total = ledger.report(as_of="2024-09", group_by=None, indicators="investment_ytd").tables[0].total
        self.assertEqual(total["investment_ytd"], Decimal("12.5"))
        with self.assertRaisesRegex(ValueError, "table 'nope': expected one of projects, monthly"):
            keyproj.ledger_columns("nope")

    def test_a_date_outside_the_ledgers_figures_is_warned(self):
        # A mistyped year gave a report of zeros without a word (a black-box analyst's
        # find): the report is still made, its notes say why the figures are zero, and
        # each is warned as a keyproj.ReportNote -- what the CLI prints on stderr.
        with self.assertWarns(keyproj.ReportNote) as caught:
            late = self.ledger.report(as_of="2030-01", group_by=None, indicators="investment_ytd")
        expected = ("the ledger's monthly figures end in 2024-09; as of 2030-01-31 the months from 2024-10 "
                    "count as having no investment")
        self.assertEqual(late.notes, [expected])
        self.assertEqual(str(caught.warning), expected)
        self.assertIn(expected, cli("report", "--data", SAMPLE, "--as-of", "2030-01").stderr.decode("utf-8"))
        with warnings.catch_warnings():
            warnings.simplefilter("error", keyproj.ReportNote)
            self.assertEqual(self.ledger.report(as_of="2024-09").notes, [])
            with self.assertRaises(keyproj.ReportNote):
                self.ledger.report(as_of="1999-01")

    def test_custom_indicator(self):
        report = self.ledger.report(
            group_by="", indicators=["investment_ytd", "industry_share"],
            custom={"industry_share": {"expression": "investment_ytd[category=industry] / investment_ytd",
                                       "label": "产业占比", "unit": "rate"}})
        self.assertEqual(report.tables[0].columns[1], keyproj.Column("industry_share", "rate", "产业占比（%）"))
        industry = self.ledger.report(group_by="", filter="category=industry", indicators="investment_ytd")
        # Worked from the two exact sums: the ratio, half-up to the 6 decimals of a rate.
        ratio = industry.tables[0].total["investment_ytd"] / report.tables[0].total["investment_ytd"]
        self.assertEqual(report.tables[0].total["industry_share"], ratio.quantize(Decimal("0.000001"), ROUND_HALF_UP))
        self.assertEqual(report.tables[0].total.display("industry_share"),
                         f"{(ratio * 100).quantize(Decimal('0.1'), ROUND_HALF_UP)}%")

    def test_targets_and_scores_match_cli(self):
        report = self.ledger.report(targets=TARGETS, scheme=SCHEME, group_by=[])
        self.assertEqual(report.tables, [])
        self.assertEqual(report.render_targets("json"),
                         cli("targets", "--data", SAMPLE, "--targets", TARGETS, "--format", "json").stdout.decode())
        self.assertEqual(report.render_scores("csv"),
                         cli("score", "--data", SAMPLE, "--scheme", SCHEME, "--format", "csv").stdout.decode("utf-8-sig"))
        # TOML text works as well as a path.
        again = self.ledger.report(targets=TARGETS.read_text(encoding="utf-8"), group_by=[])
        self.assertEqual(again.render_targets("table"), report.render_targets("table"))

    def test_write_xlsx(self):
        report = self.ledger.report(group_by=["county", "category"])
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "报表.xlsx"
            report.write_xlsx(path, unit="yi")
            with zipfile.ZipFile(path) as z:
                names = z.namelist()
                self.assertIn("xl/workbook.xml", names)
                # The two tables, then the charts' sheet (on by default).
                self.assertEqual(len([n for n in names if n.startswith("xl/worksheets/sheet")]), 3)
                self.assertIn("按县区".encode("utf-8"), z.read("xl/workbook.xml"))
                self.assertIn("图表".encode("utf-8"), z.read("xl/workbook.xml"))
                self.assertIn("xl/charts/chart1.xml", names)

    def test_report_outlives_ledger_and_close_is_safe(self):
        ledger = keyproj.Ledger.from_csv(SAMPLE)
        report = ledger.report(group_by="county")
        total = report.tables[0].total["investment_ytd"]
        ledger.close()
        ledger.close()  # idempotent
        with self.assertRaisesRegex(ValueError, "ledger is closed"):
            ledger.report()
        self.assertIn("按县区", report.render("table"))  # still valid: it holds the ledger
        self.assertEqual(report.tables[0].total.display("investment_ytd"), f"{total.quantize(Decimal('0.01'), ROUND_HALF_UP)}")
        with report:
            pass
        with self.assertRaisesRegex(ValueError, "report is closed"):
            report.render()
        self.assertEqual(report.tables[0].total["investment_ytd"], total)  # values were read already

    def test_an_unreferenced_report_is_freed_at_once(self):
        # No reference cycle between a report, its tables and rows: reference
        # counting frees it (and so its kp_report) without waiting for the collector.
        gc.disable()
        try:
            report = self.ledger.report(group_by="county")
            row = report.tables[0].total
            gone = weakref.ref(report)
            del report
            self.assertIsNone(gone())
            self.assertTrue(row.display("start_rate").endswith("%"))  # a row keeps the handle it reads
        finally:
            gc.enable()

    def test_project_count_and_catalogue(self):
        doc = cli_json("report", "--data", SAMPLE, "--format", "json", "--no-group", "--indicators", "projects")
        self.assertEqual(self.ledger.project_count, 1500)
        # projects.csv's rows are the ledger's projects (the 'projects' indicator leaves out cancelled ones).
        rows = (SAMPLE / "projects.csv").read_text(encoding="utf-8-sig").strip().splitlines()
        self.assertEqual(self.ledger.project_count, len(rows) - 1)
        self.assertLessEqual(int(doc["rows"][-1]["values"]["projects"]), self.ledger.project_count)
        listed = cli("indicators").stdout.decode("utf-8")
        catalogue = keyproj.indicators()
        self.assertGreater(len(catalogue), 20)
        for ind in catalogue:
            self.assertIn(ind.id, listed)
            self.assertIn(ind.unit, keyproj._ffi.UNITS)
        self.assertTrue(set(keyproj.standard_dashboard()) <= {i.id for i in catalogue})
        # The flags `keyproj indicators --format json` has, read through the C ABI.
        documented = {d["id"]: d for d in cli_json("indicators", "--format", "json")}
        for ind in catalogue:
            want = documented[ind.id]
            self.assertEqual((ind.additive, ind.lists_projects, ind.dashboard),
                             (want["additive"], want["lists_projects"], want["dashboard"]), ind.id)

    def test_groups_overlap_and_labels_in_yi(self):
        report = self.ledger.report(as_of="2024-09-30", group_by=["tag", "county"], indicators="investment_ytd")
        self.assertEqual([t.groups_overlap for t in report.tables], [True, False])
        self.assertEqual(report.tables[1].column_label("investment_ytd", "yi"), "累计完成投资（亿元）")
        self.assertEqual(report.tables[1].columns[0].label, "累计完成投资（万元）")


class CopiesAndPickles(SampleLedgerTestCase):
    """Ledgers and reports are immutable handles: copies are the object itself, and
    pickling says what to send instead; rows pickle as their plain values."""

    def test_pickling_a_handle_says_what_to_send(self):
        report = self.ledger.report(group_by="county", indicators="projects,start_rate")
        for obj, needles in ((self.ledger, ("keyproj.Ledger", "ledger.path", "ledger.pack(path)", "Ledger.open")),
                             (report, ("keyproj.Report", "to_pandas()", "rows")),
                             (report.tables[0], ("keyproj.Table", "to_pandas()", "rows"))):
            for protocol in range(0, pickle.HIGHEST_PROTOCOL + 1):
                with self.subTest(type(obj).__name__, protocol=protocol), self.assertRaises(TypeError) as e:
                    pickle.dumps(obj, protocol)
                for needle in needles:
                    self.assertIn(needle, str(e.exception))
        with self.assertRaisesRegex(TypeError, "cannot deep-copy a keyproj.Table"):
            copy.deepcopy(report.tables[0])
        table = copy.copy(report.tables[0])  # a shallow copy reads the same report
        self.assertEqual(table.total.display("start_rate"), report.tables[0].total.display("start_rate"))

    def test_ledgers_and_reports_copy_as_themselves(self):
        report = self.ledger.report(group_by="county", indicators="projects")
        for obj in (self.ledger, report):
            self.assertIs(copy.copy(obj), obj)
            self.assertIs(copy.deepcopy(obj), obj)
            self.assertIs(copy.deepcopy([obj, obj])[0], obj)
        with keyproj.Ledger.from_csv(SAMPLE) as other:
            twin = copy.copy(other)
        self.assertTrue(twin._handle.closed)  # the same ledger: closed with it

    def test_rows_pickle_as_their_values(self):
        with self.ledger.report(group_by="county", indicators="projects,start_rate,late_reports") as report:
            rows = report.tables[0].rows
            got = pickle.loads(pickle.dumps(rows))
            copied = copy.deepcopy(rows[0])
            self.assertEqual(copied.display("start_rate"), rows[0].display("start_rate"))  # a copy keeps its report
        for row, sent in zip(got, rows):
            self.assertIsInstance(row, keyproj.Row)
            self.assertEqual(dict(row), dict(sent))
            self.assertEqual((row.group, row.labels, row.is_total), (sent.group, sent.labels, sent.is_total))
        self.assertTrue(got[-1].is_total)
        self.assertFalse(got[0].is_total)
        self.assertEqual(got[0]["projects"], rows[0]["projects"])
        with self.assertRaisesRegex(ValueError, "unpickled"):
            got[0].display("start_rate")
        with self.assertRaisesRegex(ValueError, "unpickled"):
            got[-1].projects("late_reports")


class Loading(unittest.TestCase):
    def test_lenient_load_keeps_problems(self):
        ledger = keyproj.Ledger.from_csv(Path(__file__).resolve().parents[3] / "tests/data/many_errors", lenient=True)
        with ledger:
            self.assertEqual(ledger.project_count, 1)  # "1 projects would load with --lenient"
            self.assertEqual(len(ledger.problems), 17)

    def test_options_reach_the_loader(self):
        with keyproj.Ledger.from_csv(SAMPLE, encoding="utf-8", fx={"USD": "7.1"}, merge_duplicates=True) as ledger:
            self.assertEqual(ledger.problems, [])
            self.assertEqual(ledger.project_count, 1500)
        with self.assertRaises(keyproj.InvalidArgumentError) as e:
            keyproj.Ledger.from_csv(SAMPLE, fx="USD")
        self.assertIn("options.fx_rates 'USD'", e.exception.message)
        with self.assertRaises(TypeError):
            keyproj.Ledger.from_csv(SAMPLE, fx={"USD": 7.1})

    def test_threads_give_the_same_ledger(self):
        # The report of a ledger read on one thread and on two is the same, to the byte.
        texts = []
        for threads in (1, 2, 0):
            with keyproj.Ledger.from_csv(SAMPLE, fx={"USD": "7.1"}, threads=threads) as ledger:
                with ledger.report(group_by="county") as report:
                    texts.append(report.render(format="json"))
        self.assertEqual(texts[0], texts[1])
        self.assertEqual(texts[0], texts[2])
        for bad in (-1, True, "2", 1.5):
            with self.assertRaises(ValueError):
                keyproj.Ledger.from_csv(SAMPLE, threads=bad)


class TagGroups(SampleLedgerTestCase):
    """group_by="tag" reaches the engine as the CLI's --group-by tag: a project with two
    tags is listed in both tags' rows, and once in the whole scope's."""

    def test_tag_rows_and_their_lists(self):
        ids = "projects,investment_ytd,late_reports"
        report = self.ledger.report(group_by="tag", indicators=ids)
        table = report.tables[0]
        self.assertEqual(table.group_by, ("tag",))
        doc = cli_json("report", "--data", SAMPLE, "--format", "json", "--group-by", "tag", "--indicators", ids)
        self.assertTrue(doc["groups_overlap"])
        self.assertEqual(len(table.rows), len(doc["rows"]))
        rows_of = {}
        for row, want in zip(table.rows, doc["rows"]):
            self.assertEqual(row.group, want["group"])
            self.assertEqual(str(row["investment_ytd"]), want["values"]["investment_ytd"])
            codes = [p.code for p in row.projects("late_reports")]
            self.assertEqual(codes, [p["code"] for p in want["projects"]["late_reports"]])
            if not row.is_total:
                for code in codes:
                    rows_of.setdefault(code, []).append(row.group["tag"])
        twice = [c for c, tags in rows_of.items() if len(tags) == 2]
        self.assertTrue(twice, "a late project with two tags")
        total = [p.code for p in table.total.projects("late_reports")]
        self.assertEqual(total.count(twice[0]), 1)
        self.assertEqual(sorted(total), sorted(rows_of))
        self.assertEqual(report.render("table"), cli("report", "--data", SAMPLE, "--group-by", "tag",
                                                      "--indicators", ids).stdout.decode("utf-8"))


class TargetsPerGroup(SampleLedgerTestCase):
    """任务分解: a target set with [tasks] through the C ABI reads as the CLI prints it."""

    def test_county_tasks_match_cli(self):
        tasks = SAMPLE.parent / "targets" / "county_tasks.toml"
        report = self.ledger.report(targets=tasks, filter="region=6104", as_of="2024-09-30", group_by=[])
        args = ("targets", "--data", SAMPLE, "--targets", tasks, "--filter", "region=6104", "--as-of", "2024-09-30")
        for fmt in ("json", "table", "csv", "md"):
            with self.subTest(format=fmt):
                want = cli(*args, "--format", fmt).stdout.decode("utf-8-sig")
                self.assertEqual(report.render_targets(fmt).lstrip("\ufeff"), want)
        self.assertIn('"target_of": "groups_sum"', report.render_targets("json"))
        with self.assertRaises(keyproj.KeyprojError) as caught:
            self.ledger.report(targets=tasks, targets_group_by="department", group_by=[])
        self.assertIn("breaks its targets down by county", str(caught.exception))


class SubtotalsChartsTemplates(SampleLedgerTestCase):
    """subtotals=, write_xlsx(charts=) and template_text reach the library as the CLI's
    --no-subtotals, --no-charts and --template NAME do."""

    def test_subtotals_on_and_off_match_cli(self):
        args = ("report", "--data", SAMPLE, "--as-of", "2024-09-30", "--group-by", "county",
                "--indicators", "projects,start_rate", "--format", "csv")
        kwargs = dict(as_of="2024-09-30", group_by="county", indicators="projects,start_rate")
        with_rows = self.ledger.report(**kwargs)
        without = self.ledger.report(subtotals=False, **kwargs)
        csv_with, csv_without = (r.render("csv").lstrip("\ufeff") for r in (with_rows, without))
        self.assertEqual(csv_with, cli(*args).stdout.decode("utf-8-sig"))
        self.assertIn("宝鸡市小计,524,70.6%", csv_with)
        self.assertEqual(csv_without, cli(*args, "--no-subtotals").stdout.decode("utf-8-sig"))
        self.assertNotIn("小计", csv_without)
        # The rows read from Python are the counties and the whole scope either way.
        self.assertEqual(len(with_rows.tables[0].rows), len(without.tables[0].rows))

    def test_workbook_with_and_without_charts(self):
        report = self.ledger.report(as_of="2024-09-30", group_by="county")
        with tempfile.TemporaryDirectory() as tmp:
            for charts in (True, False):
                path = Path(tmp) / f"r{charts}.xlsx"
                report.write_xlsx(path, charts=charts)
                with zipfile.ZipFile(path) as z:
                    self.assertEqual("xl/charts/chart1.xml" in z.namelist(), charts)

    def test_built_in_templates(self):
        quarter = keyproj.template_text("quarter")
        self.assertEqual(quarter, (SAMPLE.parent / "templates" / "quarter.txt").read_text(encoding="utf-8"))
        report = self.ledger.report(as_of="2024-09-30")
        self.assertEqual(report.render("text", template=quarter),
                         cli("report", "--data", SAMPLE, "--as-of", "2024-09-30", "--format", "text",
                             "--template", "quarter").stdout.decode("utf-8"))
        self.assertIn("{项目清单", keyproj.template_text("leader"))
        with self.assertRaises(keyproj.NotFoundError) as caught:
            keyproj.template_text("weekly")
        self.assertIn("monthly, quarter and leader", str(caught.exception))

    def test_template_by_name_or_path_as_the_cli_takes_it(self):
        """template= takes what --template takes: a built-in name or a file (a str
        naming it, or a path object), besides the text itself. Either way the text is
        rendered, never the name or the path."""
        report = self.ledger.report(as_of="2024-09-30")
        want = cli("report", "--data", SAMPLE, "--as-of", "2024-09-30", "--format", "text",
                   "--template", "quarter").stdout.decode("utf-8")
        shipped = SAMPLE.parent / "templates" / "quarter.txt"
        for template in ("quarter", shipped, str(shipped)):
            self.assertEqual(report.render("text", template=template), want, template)
        self.assertIn("包抓项目", report.dossiers(by="leader", template="leader"))
        with tempfile.TemporaryDirectory() as tmp:
            with self.assertRaises(FileNotFoundError):
                report.render("text", template=str(Path(tmp) / "missing.txt"))
            bad = Path(tmp) / "bad.txt"
            bad.write_text("{范围}完成投资{investment_ytdd}\n", encoding="utf-8")
            with self.assertRaises(keyproj.KeyprojError) as caught:
                report.render("text", template=bad)
            self.assertIn(f"{bad}: ", str(caught.exception))
            self.assertIn("investment_ytdd", str(caught.exception))
        # A one-line text of its own is still a template.
        self.assertEqual(report.render("text", template="本期无新增项目"), "本期无新增项目")


class Problems(unittest.TestCase):
    """The problem list through the C ABI reads as the CLI prints it."""

    def test_problem_list_matches_cli(self):
        folder = TESTDATA / "problem_list"
        with keyproj.Ledger.from_csv(folder) as ledger:
            cases = (((), {}),
                     (("--overdue", "--group-by", "kind"), {"overdue": True, "group_by": "kind"}),
                     (("--group-by", "project", "--filter", "region=610402"), {"group_by": "project",
                                                                                "filter": "region=610402"}))
            for args, kwargs in cases:
                for fmt in ("text", "json", "csv", "md"):
                    with self.subTest(args=args, format=fmt):
                        want = cli("problems", "--data", folder, "--as-of", "2024-09-30", "--format", fmt,
                                   *args).stdout.decode("utf-8-sig")
                        got = ledger.problem_list(as_of="2024-09-30", format=fmt, **kwargs)
                        self.assertEqual(got.lstrip("\ufeff"), want)
            with self.assertRaises(keyproj.KeyprojError) as caught:
                ledger.problem_list(as_of="2024-09-30", group_by="colour")
            self.assertIn("group_by 'colour'", str(caught.exception))



class CliOptionsReachPython(SampleLedgerTestCase):
    """What `keyproj report` takes as --places, --no-baseline and --schedule curve:FILE,
    report() and the renderers take too, with the CLI's figures."""

    ARGS = ("--as-of", "2024-09-30", "--group-by", "county")

    def cli_text(self, *args, fmt="csv"):
        return cli("report", "--data", SAMPLE, *self.ARGS, "--format", fmt, *args).stdout.decode("utf-8-sig")

    def test_places(self):
        report = self.ledger.report(as_of="2024-09-30", group_by="county")
        for places in ({"start_rate": 0, "plan_completion": 2}, "start_rate=0, plan_completion=2"):
            self.assertEqual(report.render("csv", places=places),
                             self.cli_text("--places", "start_rate=0", "--places", "plan_completion=2"))
        self.assertEqual(report.render("text", places={"start_rate": 3}),
                         self.cli_text("--places", "start_rate=3", fmt="text"))
        self.assertNotEqual(report.render("csv", places={"start_rate": 0}), report.render("csv"))
        with tempfile.TemporaryDirectory() as tmp:
            report.write_xlsx(Path(tmp) / "r.xlsx", places={"start_rate": 0})
        for bad, message in (({"start_ratx": 0}, "'start_ratx' is no indicator of the report"),
                             ("start_rate=7", "places start_rate=7: write it as ID=N with N from 0 to 6"),
                             ("start_rate=0,start_rate=1", "places start_rate given twice")):
            with self.assertRaises(keyproj.InvalidArgumentError) as caught:
                report.render("csv", places=bad)
            self.assertIn(message, str(caught.exception))
        with self.assertRaises(TypeError):
            report.render("csv", places={"start_rate": 1.0})

    def test_baseline_off(self):
        on = self.ledger.report(as_of="2024-09-30", group_by="county")
        off = self.ledger.report(as_of="2024-09-30", group_by="county", baseline=False)
        self.assertEqual(off.render("csv"), self.cli_text("--no-baseline"))
        self.assertEqual(on.render("csv"), self.cli_text())
        self.assertNotEqual(on.tables[0].total["yoy_growth"], off.tables[0].total["yoy_growth"])

    def test_schedule_curve_file(self):
        with tempfile.TemporaryDirectory() as tmp:
            curve = Path(tmp) / "curve.txt"
            curve.write_text("8\n16\n25\n33\n41\n50\n58\n66\n85\n90\n95\n100\n", encoding="utf-8")
            report = self.ledger.report(as_of="2024-09-30", group_by="county", schedule=f"curve:{curve}")
            self.assertEqual(report.render("csv"), self.cli_text("--schedule", f"curve:{curve}"))
            with self.assertRaises(FileNotFoundError):
                self.ledger.report(schedule=f"curve:{Path(tmp) / 'missing.txt'}")

    def test_csv_as_str_has_no_byte_order_mark(self):
        report = self.ledger.report(as_of="2024-09-30")
        self.assertFalse(report.render("csv").startswith("\ufeff"))
        self.assertTrue(report.render("csv", encoding="utf-8").startswith(b"\xef\xbb\xbf"))


class TargetsAndScoresAsData(SampleLedgerTestCase):
    """target_statuses() and scores(): the CLI's JSON of `keyproj targets` and `keyproj
    score`, as Python data with exact Decimals."""

    def test_targets(self):
        report = self.ledger.report(as_of="2024-09-30", targets=TARGETS, group_by=[])
        statuses = report.target_statuses()
        want = cli_json("targets", "--data", SAMPLE, "--as-of", "2024-09-30", "--targets", TARGETS,
                        "--format", "json")["targets"]
        self.assertEqual(len(statuses), len(want))
        whole = statuses[-1]
        self.assertEqual(whole["group"], {})
        self.assertIsInstance(whole["schedule"], Decimal)
        for got, expected in zip(whole["status"], want[-1]["status"]):
            self.assertEqual(got["indicator"], expected["indicator"])
            self.assertEqual(got["status"], expected["status"])
            for key in ("target", "actual", "progress", "gap"):
                self.assertEqual(got[key], None if expected[key] is None else Decimal(expected[key]), key)
        reserve = next(s for s in whole["status"] if s["indicator"] == "reserve")
        self.assertEqual((reserve["actual"], reserve["target"]), (Decimal(356), Decimal(1000)))
        with self.assertRaises(keyproj.KeyprojError):
            self.ledger.report(as_of="2024-09-30").target_statuses()  # no target set

    def test_scores(self):
        report = self.ledger.report(as_of="2024-09-30", scheme=SCHEME, scores_group_by="county", group_by=[])
        scores = report.scores()
        want = cli_json("score", "--data", SAMPLE, "--as-of", "2024-09-30", "--scheme", SCHEME,
                        "--group-by", "county", "--format", "json")["groups"]
        self.assertEqual([(g["rank"], g["group"], g["label"], g["total"]) for g in scores],
                         [(g["rank"], g["group"], g["label"], Decimal(g["total"])) for g in want])
        self.assertTrue(all(isinstance(r["points"], Decimal) for g in scores for r in g["rules"].values()))
        self.assertEqual(scores, sorted(scores, key=lambda g: g["rank"]))


class RoundedOnce(SampleLedgerTestCase):
    def test_rounded_agrees_with_display_where_rerounding_may_not(self):
        """Row.rounded rounds the exact figure once, as the report prints it; the
        6-decimal values rounded again may differ (a ...4996 read as ...500)."""
        report = self.ledger.report(as_of="2024-09-30", group_by=["county", "leader"])
        cells = 0
        for table in report.tables:
            for row in table.rows:
                for col in table.columns:
                    if col.unit != "rate":
                        continue
                    exact = row.rounded(col.id, 3)
                    if exact is None:
                        self.assertIsNone(row[col.id])
                        continue
                    shown = f"{(exact * 100).quantize(Decimal('0.1'))}%"
                    self.assertEqual(shown.replace("-0.0%", "0.0%"), row.display(col.id), (row.group, col.id))
                    cells += 1
        self.assertGreater(cells, 1000)
        money = report.tables[0].total.rounded("investment_ytd", 2)
        self.assertEqual(money, report.tables[0].total["investment_ytd"].quantize(Decimal("0.01"), ROUND_HALF_UP))
        with self.assertRaises(TypeError):
            report.tables[0].total.rounded("start_rate", 2.0)


if __name__ == "__main__":
    unittest.main()
