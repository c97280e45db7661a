"""keyproj report: every format on the sample ledger against golden files, the JSON
contract, the workbook read back, and bad input."""
import json
import re
from decimal import ROUND_HALF_UP, Decimal
import shutil
import subprocess
import tempfile
import unittest
import zipfile
from pathlib import Path

from cli_support import BIN, SAMPLE, SOURCE, TESTDATA, CliTestCase, edited_sample, keyproj

AS_OF = "2024-09-30"


class Formats(CliTestCase):
    def report(self, *args):
        run = keyproj("report", "--data", SAMPLE, "--as-of", AS_OF, *args)
        self.assertRan(run)
        return run

    def test_table(self):
        run = self.report()
        self.assertGolden("sample/report.table.txt", run.out)
        self.assertEqual(run.err, "")  # no progress line when stderr is not a terminal

    def test_json_labels_beside_codes(self):
        """JSON keeps the codes other tools join on, and gives the names the tables print
        beside them: a web page needs no regions.csv of its own."""
        doc = json.loads(self.report("--group-by", "county", "--indicators", "projects", "--format", "json").out)
        by_code = {r["group"].get("county"): r["labels"] for r in doc["rows"]}
        self.assertEqual(by_code["610403"], {"county": "杨陵区"})
        self.assertEqual(by_code[None], {})  # the whole scope
        scores = json.loads(keyproj("score", "--data", SAMPLE, "--as-of", AS_OF, "--scheme",
                                    SAMPLE.parent / "scoring" / "county.toml", "--group-by", "county",
                                    "--format", "json").out)
        self.assertIn({"group": "610403", "label": "杨陵区"},
                      [{"group": g["group"], "label": g["label"]} for g in scores["groups"]])

    def test_table_by_county_in_yi(self):
        self.assertGolden("sample/report.county.yi.txt", self.report("--group-by", "county", "--unit", "yi").out)

    def test_json(self):
        run = self.report("--format", "json")
        self.assertGolden("sample/report.json", run.out)

    def test_csv_has_a_bom_for_excel(self):
        run = self.report("--format", "csv")
        self.assertTrue(run.out.startswith(b"\xef\xbb\xbf"))
        self.assertGolden("sample/report.csv", run.out)

    def test_csv_in_gb18030(self):
        utf8 = self.report("--format", "csv").out[3:]
        gb = self.report("--format", "csv", "--out-encoding", "gb18030").out
        self.assertFalse(gb.startswith(b"\xef\xbb\xbf"))
        self.assertEqual(gb.decode("gb18030"), utf8.decode("utf-8"))

    def test_markdown(self):
        self.assertGolden("sample/report.md", self.report("--format", "md").out)

    def test_text(self):
        self.assertGolden("sample/report.text.txt", self.report("--format", "text").out)

    def test_two_groupings_and_warnings(self):
        run = self.report("--group-by", "category", "--group-by", "county,level",
                          "--indicators", "projects,investment_ytd,start_rate,late_reports,stalled",
                          "--places", "start_rate=0")
        self.assertGolden("sample/report.two-tables.txt", run.out)


class LedgerFolderWithoutData(CliTestCase):
    """`keyproj report DIR` is `keyproj report --data DIR`: what a newcomer types first."""

    def test_positional_folder_is_the_data_folder(self):
        with_flag = keyproj("report", "--data", SAMPLE, "--as-of", AS_OF)
        positional = keyproj("report", SAMPLE, "--as-of", AS_OF)
        self.assertRan(with_flag)
        self.assertRan(positional)
        self.assertEqual(positional.out, with_flag.out)
        self.assertRan(keyproj("validate", SAMPLE))

    def test_a_date_past_the_ledgers_last_month_is_noted(self):
        # The sample's monthly figures end in 2024-09: a year-end report drafted from
        # them reads 四季度 as zero, and says so on stderr (the report itself is made).
        late = keyproj("report", SAMPLE, "--as-of", "2024-12-31", "--no-group")
        self.assertRan(late)
        self.assertIn("keyproj report: note: the ledger's monthly figures end in 2024-09; "
                      "as of 2024-12-31 the months from 2024-10 count as having no investment", late.err)
        self.assertIn("合计", late.text)
        for command in ("targets", "score"):
            extra = {"targets": ["--targets", SOURCE / "examples" / "targets" / "1116.toml"],
                     "score": ["--scheme", SOURCE / "examples" / "scoring" / "county.toml"]}[command]
            run = keyproj(command, SAMPLE, "--as-of", "2025-01", *extra)
            self.assertRan(run)
            self.assertIn(f"keyproj {command}: note: the ledger's monthly figures end in 2024-09", run.err)
        # Within the last month (mid-month takes the month's row): no note.
        for as_of in ("2024-09-30", "2024-09-15", "2023-06-30"):
            self.assertNotIn("note:", keyproj("report", SAMPLE, "--as-of", as_of).err)

    def test_a_split_ids_list_is_headed_by_its_part(self):
        run = keyproj("report", SAMPLE, "--as-of", "2024-09-30", "--no-group",
                      "--indicators", "approvals_pending,approvals_pending.land")
        self.assertRan(run)
        self.assertIn("\n未办结手续（", run.text)
        self.assertIn("\n未办结手续·用地批复（139个项目）：", run.text)

    def test_a_second_folder_is_an_error(self):
        self.assertCleanError(keyproj("report", SAMPLE, "--data", SAMPLE), 2, "--data given twice")
        self.assertCleanError(keyproj("report", SAMPLE, SAMPLE), 2, "unexpected argument")


class JsonContract(CliTestCase):
    def test_contract(self):
        run = keyproj("report", "--data", SAMPLE, "--as-of", AS_OF, "--format", "json")
        self.assertRan(run)
        doc = json.loads(run.text)
        self.assertEqual(doc["as_of"], AS_OF)
        self.assertEqual(doc["group_by"], ["category"])
        rows = doc["rows"]
        self.assertEqual(rows[-1]["group"], {})  # the whole scope, last
        for row in rows[:-1]:
            self.assertEqual(list(row["group"]), ["category"])
        total = rows[-1]["values"]
        # Exact decimal strings; counts add up; rates are fractions.
        self.assertEqual(sum(int(r["values"]["projects"]) for r in rows[:-1]), int(total["projects"]))
        from decimal import Decimal
        self.assertEqual(sum(Decimal(r["values"]["investment_ytd"]) for r in rows[:-1]),
                         Decimal(total["investment_ytd"]))
        rate = Decimal(total["start_rate"])
        self.assertTrue(0 < rate < 1)
        self.assertEqual(rows[-1]["display"]["start_rate"], f"{(rate * 100).quantize(Decimal('0.1'))}%")
        for row in rows:
            for k, v in row["values"].items():
                self.assertTrue(v is None or isinstance(v, str), (k, v))

    def test_not_applicable_is_null(self):
        # Projects that are not attracted have no contracts: signed_start_rate is 0 / 0.
        run = keyproj("report", "--data", SAMPLE, "--as-of", AS_OF, "--format", "json",
                      "--filter", "attracted=0",
                      "--no-group", "--indicators", "signed,signed_start_rate")
        self.assertRan(run)
        row = json.loads(run.text)["rows"][-1]
        self.assertEqual(row["values"]["signed"], "0")
        self.assertIsNone(row["values"]["signed_start_rate"])
        self.assertEqual(row["display"]["signed_start_rate"], "—")

    def test_warning_lists_name_projects(self):
        run = keyproj("report", "--data", SAMPLE, "--as-of", AS_OF, "--format", "json", "--no-group",
                      "--indicators", "late_reports")
        self.assertRan(run)
        row = json.loads(run.text)["rows"][-1]
        late = row["projects"]["late_reports"]
        self.assertEqual(len(late), int(row["values"]["late_reports"]))
        self.assertTrue(late and all(p["code"] and p["name"] for p in late))


class CustomIndicators(CliTestCase):
    """--custom ID[:UNIT]=EXPR: a custom indicator defined on the command line, shown
    after the others, equal to the figures it is made of."""

    def test_a_share_by_county(self):
        run = keyproj("report", "--data", SAMPLE, "--as-of", AS_OF, "--format", "json", "--group-by", "county",
                      "--indicators", "investment_ytd",
                      "--custom", "industry_share:rate=investment_ytd[category=industry] / investment_ytd")
        self.assertRan(run)
        rows = json.loads(run.text)["rows"]
        self.assertEqual(list(rows[-1]["values"]), ["investment_ytd", "industry_share"])
        # The first county's share, against its industry projects' own figure.
        row = rows[0]
        self.assertTrue(row["display"]["industry_share"].endswith("%"), row["display"])
        part = keyproj("report", "--data", SAMPLE, "--as-of", AS_OF, "--format", "json", "--no-group",
                       "--indicators", "investment_ytd", "--filter", "category=industry",
                       "--filter", f"region={row['group']['county']}")
        self.assertRan(part)
        industry = Decimal(json.loads(part.text)["rows"][-1]["values"]["investment_ytd"])
        share = Decimal(row["values"]["industry_share"])
        # (a ratio's value is its 6 decimals, rounded half-up)
        exact = industry / Decimal(row["values"]["investment_ytd"])
        self.assertEqual(share, exact.quantize(Decimal("0.000001"), ROUND_HALF_UP))

    def test_shown_after_the_standard_dashboard(self):
        run = keyproj("report", "--data", SAMPLE, "--as-of", AS_OF, "--format", "csv", "--no-group",
                      "--custom", "started_share=started / projects", "--places", "started_share=3")
        self.assertRan(run)
        header, total = run.text.lstrip("\ufeff").splitlines()[1:3]
        self.assertTrue(header.endswith("started_share（倍）"), header)
        self.assertEqual(header.count(","), len(json.loads(
            keyproj("report", "--data", SAMPLE, "--as-of", AS_OF, "--format", "json", "--no-group").text)
            ["rows"][-1]["values"]) + 1)
        self.assertRegex(total, r",0\.\d{3}$")

    def test_mistakes_are_usage_errors(self):
        for custom, message in [("x", "write it as ID=EXPRESSION"),
                                ("x:furlongs=projects", "unknown unit 'furlongs'"),
                                ("x=nonsense_id * 2", "unknown indicator 'nonsense_id'")]:
            run = keyproj("report", "--data", SAMPLE, "--as-of", AS_OF, "--no-group", "--custom", custom)
            self.assertRan(run, 2)
            self.assertIn(message, run.err)
        run = keyproj("report", "--data", SAMPLE, "--as-of", AS_OF, "--no-group",
                      "--custom", "x=projects", "--custom", "x=started")
        self.assertRan(run, 2)


class Workbook(CliTestCase):
    def test_xlsx_read_back(self):
        out = self.tmp / "月报.xlsx"
        run = keyproj("report", "--data", SAMPLE, "--as-of", AS_OF, "--group-by", "category",
                      "--group-by", "county", "--format", "xlsx", "--out", out)
        self.assertRan(run)
        self.assertEqual(sorted(p.name for p in self.tmp.iterdir()), ["月报.xlsx"])  # no temporary left
        data = json.loads(keyproj("report", "--data", SAMPLE, "--as-of", AS_OF, "--format", "json").text)
        with zipfile.ZipFile(out) as z:
            workbook = z.read("xl/workbook.xml").decode()
            self.assertIn('name="按项目类别"', workbook)
            self.assertIn('name="按县区"', workbook)
            sheet = z.read("xl/worksheets/sheet1.xml").decode()
            strings = z.read("xl/sharedStrings.xml").decode()
        self.assertIn('ySplit="3"', sheet)  # the title, unit line and header rows are frozen
        self.assertIn("累计完成投资（万元）", strings)
        self.assertIn("项目类别", strings)
        # The whole-scope investment as a number, rounded as displayed (2 places).
        total = data["rows"][-1]["display"]["investment_ytd"]
        self.assertIn(f"<v>{total.rstrip('0').rstrip('.')}</v>", sheet)

    def test_xlsx_charts_against_the_engine(self):
        """The sheet 图表 of the county dashboard: each month's 累计完成投资 is the engine's
        investment_ytd at that month's end; the counties ranked by 占年度计划 are the
        county table's figures, best first; the chart XML (golden) points at them."""
        out = self.tmp / "county.xlsx"
        self.assertRan(keyproj("report", "--data", SAMPLE, "--as-of", AS_OF, "--group-by", "county",
                               "--format", "xlsx", "--out", out))
        with zipfile.ZipFile(out) as z:
            workbook = z.read("xl/workbook.xml").decode()
            sheets = re.findall(r'<sheet name="([^"]*)"', workbook)
            self.assertEqual(sheets, ["按县区", "图表"])
            strings = [re.sub(r"<[^>]+>", "", si) for si in
                       re.findall(r"<si>(.*?)</si>", z.read("xl/sharedStrings.xml").decode())]
            cells = {}
            for ref, attrs, value in re.findall(r'<c r="([A-Z]+\d+)"([^>]*)><v>([^<]*)</v></c>',
                                                z.read("xl/worksheets/sheet2.xml").decode()):
                # libxlsxwriter writes a number with 16 significant digits: 9323064.81 may
                # come back as 9323064.810000001; the display places recover it.
                cells[ref] = strings[int(value)] if 't="s"' in attrs else Decimal(value).quantize(Decimal("0.001"))
            charts = [z.read(f"xl/charts/chart{n}.xml") for n in (1, 2)]
        self.assertGolden("sample/report.county.chart1.xml", charts[0])
        self.assertGolden("sample/report.county.chart2.xml", charts[1])
        for m in range(1, 10):
            row = m + 3
            self.assertEqual(cells[f"A{row}"], f"{m}月")
            month_end = f"2024-{m:02d}"
            whole = json.loads(keyproj("report", "--data", SAMPLE, "--as-of", month_end, "--no-group",
                                       "--indicators", "investment_ytd,annual_plan,schedule", "--format",
                                       "json").text)["rows"][-1]["display"]
            self.assertEqual(cells[f"B{row}"], Decimal(whole["investment_ytd"]), month_end)
            self.assertEqual(cells[f"C{row}"], Decimal(whole["annual_plan"]), month_end)
            schedule = Decimal(whole["schedule"].rstrip("%")) / 100
            self.assertEqual(cells[f"D{row}"], schedule, month_end)
            due = cells[f"E{row}"]  # plan × schedule, exactly, then to 2 places
            exact = Decimal(whole["annual_plan"]) * m / 12  # months mode: m/12
            self.assertEqual(due, exact.quantize(Decimal("0.01"), ROUND_HALF_UP), month_end)
        counties = json.loads(keyproj("report", "--data", SAMPLE, "--as-of", AS_OF, "--group-by", "county",
                                      "--indicators", "plan_completion", "--format", "json").text)["rows"][:-1]
        names = dict(line.split(",", 1) for line in (SAMPLE / "regions.csv").read_text().splitlines()[1:])
        ranked = sorted(counties, key=lambda r: -Decimal(r["values"]["plan_completion"]))
        self.assertEqual(cells["A14"], "名次")
        for i, county in enumerate(ranked):
            row = 15 + i
            self.assertEqual(cells[f"A{row}"], str(i + 1))
            self.assertEqual(cells[f"B{row}"], names[county["group"]["county"]])
            shown = Decimal(county["display"]["plan_completion"].rstrip("%")) / 100
            self.assertEqual(cells[f"C{row}"], shown)
        self.assertNotIn(f"A{15 + len(ranked)}", cells)
        self.assertIn(f"<c:f>'图表'!$B$15:$B${14 + len(ranked)}</c:f>".encode(), charts[1])

    def test_subtotals_are_the_cities_figures_and_can_be_left_out(self):
        """County under city: each city's 小计 after its counties, in every printed format,
        with the figures `--group-by city` gives; --no-subtotals and --no-charts opt out."""
        ids = "projects,start_rate,investment_ytd"
        cities = json.loads(keyproj("report", "--data", SAMPLE, "--as-of", AS_OF, "--group-by", "city",
                                    "--indicators", ids, "--format", "json").text)["rows"][:-1]
        names = dict(line.split(",", 1) for line in (SAMPLE / "regions.csv").read_text().splitlines()[1:])
        csv = keyproj("report", "--data", SAMPLE, "--as-of", AS_OF, "--group-by", "county", "--indicators", ids,
                      "--format", "csv").out.decode("utf-8-sig").splitlines()
        subtotal_lines = [line for line in csv if "小计" in line]
        self.assertEqual(subtotal_lines, [
            ",".join([names[c["group"]["city"]] + "小计"] + [c["display"][i] for i in ids.split(",")])
            for c in cities])
        # Each 小计 follows the last county of its city.
        for line in subtotal_lines:
            city_code = next(code for code, name in names.items() if line.startswith(name + "小计"))
            before = csv[csv.index(line) - 1].split(",")[0]
            self.assertTrue(next(code for code, name in names.items() if name == before).startswith(city_code))
        md = keyproj("report", "--data", SAMPLE, "--as-of", AS_OF, "--group-by", "county", "--indicators", ids,
                     "--format", "md").text
        self.assertEqual(md.count("小计 |"), len(cities))
        bare = keyproj("report", "--data", SAMPLE, "--as-of", AS_OF, "--group-by", "county", "--indicators", ids,
                       "--no-subtotals")
        self.assertRan(bare)
        self.assertNotIn("小计", bare.text)
        out = self.tmp / "bare.xlsx"
        self.assertRan(keyproj("report", "--data", SAMPLE, "--as-of", AS_OF, "--group-by", "county",
                               "--indicators", ids, "--no-charts", "--format", "xlsx", "--out", out))
        with zipfile.ZipFile(out) as z:
            self.assertEqual(re.findall(r'<sheet name="([^"]*)"', z.read("xl/workbook.xml").decode()), ["按县区"])
            self.assertIn("宝鸡市小计", z.read("xl/sharedStrings.xml").decode())

    def test_xlsx_needs_out(self):
        run = keyproj("report", "--data", SAMPLE, "--format", "xlsx")
        self.assertCleanError(run, 2, "--out")


class BadInput(CliTestCase):
    def test_missing_folder(self):
        run = keyproj("report", "--data", self.tmp / "no-such-folder", "--as-of", AS_OF)
        self.assertCleanError(run, 3, "no-such-folder")
        self.assertEqual(run.out, b"")

    def test_malformed_date(self):
        for bad in ("2024-13-01", "2024-02-30", "yesterday", "2024/9/31"):
            run = keyproj("report", "--data", SAMPLE, "--as-of", bad)
            self.assertCleanError(run, 2, "--as-of", bad)

    def test_unknown_indicator(self):
        run = keyproj("report", "--data", SAMPLE, "--indicators", "projects,start_rat")
        self.assertCleanError(run, 2, "start_rat")

    def test_unknown_dimension_and_format(self):
        self.assertCleanError(keyproj("report", "--data", SAMPLE, "--group-by", "township"), 2, "township")
        self.assertCleanError(keyproj("report", "--data", SAMPLE, "--format", "pdf"), 2, "pdf")

    def test_bad_filter_names_the_column(self):
        run = keyproj("report", "--data", SAMPLE, "--filter", "category=industri")
        self.assertCleanError(run, 2, "industri")

    def test_gb18030_ledger_without_the_flag_is_detected(self):
        # A folder saved by Excel in GB18030: read by detection, same figures as
        # when the encoding is named.
        folder = TESTDATA / "gb18030_chinese_headers"
        auto = keyproj("report", "--data", folder, "--format", "json", "--no-group", "--indicators", "projects")
        named = keyproj("report", "--data", folder, "--encoding", "gb18030", "--format", "json",
                        "--no-group", "--indicators", "projects")
        self.assertRan(auto)
        self.assertRan(named)
        self.assertEqual(auto.out, named.out)

    def test_gb18030_ledger_read_as_utf8_is_an_error(self):
        run = keyproj("report", "--data", TESTDATA / "gb18030_chinese_headers", "--encoding", "utf8")
        self.assertCleanError(run, 1, "projects.csv", "UTF-8")
        # The library names its option ('encoding=gb18030'); the CLI says the flag.
        self.assertIn("--encoding gb18030", run.err)
        self.assertNotIn("'encoding", run.err)
        self.assertEqual(run.out, b"")

    def test_no_partial_output_file(self):
        out = self.tmp / "report.csv"
        run = keyproj("report", "--data", self.tmp / "missing", "--format", "csv", "--out", out)
        self.assertCleanError(run, 3)
        self.assertEqual(list(self.tmp.iterdir()), [])
        # A bad ledger: nothing is written either.
        bad = self.tmp / "bad"
        shutil.copytree(SAMPLE, bad)
        with open(bad / "projects.csv", "a", encoding="utf-8") as f:
            f.write("X-1,坏项目,61040,,industry,county,new,abc,,,,,,,,,,,,,,,,,\n")
        run = keyproj("report", "--data", bad, "--format", "csv", "--out", out)
        self.assertCleanError(run, 1, "projects.csv:")
        self.assertFalse(out.exists())
        self.assertEqual(sorted(p.name for p in self.tmp.iterdir()), ["bad"])

    def test_unwritable_output(self):
        run = keyproj("report", "--data", SAMPLE, "--as-of", AS_OF, "--out", self.tmp / "no" / "dir" / "r.txt")
        self.assertCleanError(run, 3, "r.txt")

    def test_stalled_months_up_to_the_engines_limit(self):
        # 24 is kMaxStalledMonths (include/keyproj/query.h): the CLI's range is the engine's.
        run = keyproj("report", "--data", SAMPLE, "--as-of", AS_OF, "--indicators", "stalled",
                      "--stalled-months", "24")
        self.assertRan(run)
        run = keyproj("report", "--data", SAMPLE, "--as-of", AS_OF, "--indicators", "stalled",
                      "--stalled-months", "25")
        self.assertCleanError(run, 2, "--stalled-months 25", "from 1 to 24")

    def test_land_start_days(self):
        # P1 started 30 days after its land item was done, P2 31 days (拿地即开工,
        # land_to_start_ytd); the window is --land-start-days (30 by default, 0 to 366).
        data = self.tmp / "ledger"
        data.mkdir()
        (data / "projects.csv").write_text(
            "code,name,region,started_on\n"
            "P1,项目一,610402,2024-04-20\n"
            "P2,项目二,610402,2024-05-02\n", encoding="utf-8")
        (data / "approvals.csv").write_text(
            "code,item,done_on\n"
            "P1,land,2024-03-21\n"
            "P2,land,2024-04-01\n", encoding="utf-8")

        def listed(*flags):
            run = keyproj("report", "--data", data, "--as-of", AS_OF, "--format", "json", "--no-group",
                          "--indicators", "land_to_start_ytd", *flags)
            self.assertRan(run)
            row = json.loads(run.text)["rows"][-1]
            return row["values"]["land_to_start_ytd"], [p["code"] for p in row["projects"]["land_to_start_ytd"]]

        self.assertEqual(listed(), ("1", ["P1"]))
        self.assertEqual(listed("--land-start-days", "29"), ("0", []))
        self.assertEqual(listed("--land-start-days", "31"), ("2", ["P1", "P2"]))
        self.assertEqual(listed("--land-start-days", "0"), ("0", []))
        run = keyproj("report", "--data", data, "--as-of", AS_OF, "--indicators", "land_to_start_ytd",
                      "--land-start-days", "367")
        self.assertCleanError(run, 2, "--land-start-days 367", "from 0 to 366")

    def test_countdown_flags_up_to_the_engines_limits(self):
        # 366 and 120 are kMaxCountdownDays and kMaxSignedMonths (include/keyproj/query.h).
        def total(*flags):
            run = keyproj("report", "--data", SAMPLE, "--as-of", AS_OF, "--no-group", "--format", "csv",
                          "--indicators", "start_countdown,signed_not_started", *flags)
            self.assertRan(run)
            # The whole-scope row (the project lists follow the table).
            row = next(line for line in run.text.splitlines() if line.startswith("合计,"))
            return [int(v) for v in row.split(",")[1:]]
        default = total()
        widest = total("--countdown-days", "366", "--signed-months", "1")
        self.assertGreater(widest[0], default[0])  # a wider window counts more
        self.assertGreater(widest[1], default[1])  # a shorter wait since signing too
        self.assertEqual(total("--countdown-days", "30", "--signed-months", "6"), default)  # the defaults
        for flag, bad, message in (("--countdown-days", "367", "from 1 to 366"), ("--countdown-days", "0", "from 1"),
                                   ("--signed-months", "121", "from 1 to 120")):
            run = keyproj("report", "--data", SAMPLE, "--as-of", AS_OF, "--indicators", "start_countdown", flag, bad)
            self.assertCleanError(run, 2, f"{flag} {bad}", message)

    def test_every_problem_is_listed(self):
        run = keyproj("report", "--data", TESTDATA / "many_errors")
        self.assertEqual(run.code, 1)
        lines = [l for l in run.err.splitlines() if ".csv:" in l]
        self.assertGreater(len(lines), 3)
        for line in lines:
            self.assertRegex(line, r"\.csv:\d+:\d+: ")


class Regions(CliTestCase):
    def test_names_from_the_ledger_folder(self):
        run = keyproj("report", "--data", SAMPLE, "--as-of", AS_OF, "--group-by", "city", "--format", "csv",
                      "--indicators", "projects")
        self.assertRan(run)
        lines = run.text.splitlines()
        self.assertEqual([l.split(",")[0] for l in lines[2:5]], ["宝鸡市", "咸阳市", "渭南市"])
        # JSON keeps the codes: it is what other tools join on.
        doc = json.loads(keyproj("report", "--data", SAMPLE, "--as-of", AS_OF, "--group-by", "city",
                                 "--format", "json", "--indicators", "projects").text)
        self.assertEqual([r["group"].get("city") for r in doc["rows"]], ["6103", "6104", "6105", None])

    def test_codes_without_regions_csv_and_the_regions_flag(self):
        bare = self.tmp / "bare"
        shutil.copytree(SAMPLE, bare)
        (bare / "regions.csv").unlink()
        args = ("report", "--data", bare, "--as-of", AS_OF, "--group-by", "city", "--format", "csv",
                "--indicators", "projects")
        run = keyproj(*args)
        self.assertRan(run)
        self.assertEqual([l.split(",")[0] for l in run.text.splitlines()[2:5]], ["6103", "6104", "6105"])
        names = self.tmp / "names.csv"
        names.write_text("行政区划代码,名称\n6104,咸阳\n", encoding="utf-8")
        run = keyproj(*args, "--regions", names)
        self.assertRan(run)
        self.assertEqual([l.split(",")[0] for l in run.text.splitlines()[2:5]], ["6103", "咸阳", "6105"])

    def test_bad_regions_csv(self):
        bad = self.tmp / "bad"
        shutil.copytree(SAMPLE, bad)
        with open(bad / "regions.csv", "a", encoding="utf-8") as f:
            f.write("61040,某县\n")
        run = keyproj("report", "--data", bad, "--as-of", AS_OF)
        self.assertCleanError(run, 1, "regions.csv:30:1:", "61040", "--lenient")
        self.assertEqual(run.out, b"")
        self.assertRan(keyproj("report", "--data", bad, "--as-of", AS_OF, "--lenient"))
        validate = keyproj("validate", "--data", bad)
        self.assertEqual(validate.code, 1)
        self.assertIn("regions.csv:30:1:", validate.text)

    def test_generate_writes_the_sample_names(self):
        out = self.tmp / "gen"
        self.assertRan(keyproj("generate", "--usd-rate", "none", "--out", out))
        self.assertEqual((out / "regions.csv").read_bytes(), (SAMPLE / "regions.csv").read_bytes())
        # The whole sample is what the generator writes, approvals.csv included.
        names = sorted(p.name for p in SAMPLE.glob("*.csv"))
        self.assertIn("approvals.csv", names)
        self.assertEqual(sorted(p.name for p in out.glob("*.csv")), names)
        for name in names:
            self.assertEqual((out / name).read_bytes(), (SAMPLE / name).read_bytes(), name)


class Summary(CliTestCase):
    def test_approvals_and_funnel_dates(self):
        import csv
        with open(SAMPLE / "approvals.csv", encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        with open(SAMPLE / "projects.csv", encoding="utf-8", newline="") as f:
            projects = list(csv.DictReader(f))
        run = keyproj("summary", "--data", SAMPLE)
        self.assertRan(run)
        lines = run.text.splitlines()
        self.assertTrue(lines[0].endswith(f", {len(rows)} 条前期手续"), lines[0])
        intended = sum(1 for p in projects if p["intended_on"])
        operating = sum(1 for p in projects if p["operating_on"])
        self.assertIn(f"意向时间: {intended} 个项目, 投产时间: {operating} 个项目", lines)
        permits = [r for r in rows if r["item"] == "construction_permit"]
        done = sum(1 for r in permits if r["done_on"])
        optional = sum(1 for r in permits if r["required"] == "0")
        [line] = [x for x in lines if x.startswith("施工许可")]
        self.assertEqual(line.split()[1:], ["construction_permit", str(len(permits)), str(done),
                                            str(len(permits) - done), str(optional)])
        [total] = [x for x in lines if x.startswith("合计")]
        codes = len({r["code"] for r in rows})
        self.assertEqual(total.split()[:2], ["合计", f"({codes}"])
        self.assertEqual(total.split()[-4:], [str(len(rows)), str(sum(1 for r in rows if r["done_on"])),
                                              str(sum(1 for r in rows if not r["done_on"])),
                                              str(sum(1 for r in rows if r["required"] == "0"))])

    def test_summary_names_the_counties(self):
        # Each county by its code and, when regions.csv names them, its city and name;
        # a folder without regions.csv has the codes only.
        import csv
        with open(SAMPLE / "regions.csv", encoding="utf-8", newline="") as f:
            names = {r["region"]: r["name"] for r in csv.DictReader(f)}
        with open(SAMPLE / "projects.csv", encoding="utf-8", newline="") as f:
            in_county = sum(1 for p in csv.DictReader(f) if p["region"] == "610402")
        run = keyproj("summary", "--data", SAMPLE)
        self.assertRan(run)
        [line] = [x for x in run.text.splitlines() if x.startswith("610402 ")]
        self.assertEqual(line.split()[:4], ["610402", names["6104"], names["610402"], str(in_county)])
        data = self.tmp / "no-regions"
        shutil.copytree(SAMPLE, data, ignore=shutil.ignore_patterns("regions.csv"))
        run = keyproj("summary", "--data", data)
        self.assertRan(run)
        [line] = [x for x in run.text.splitlines() if x.startswith("610402 ")]
        self.assertEqual(line.split()[:2], ["610402", str(in_county)])

    def test_no_approvals_table_without_approvals(self):
        data = self.tmp / "data"
        shutil.copytree(SAMPLE, data)
        (data / "approvals.csv").unlink()
        run = keyproj("summary", "--data", data)
        self.assertRan(run)
        self.assertIn(", 0 条前期手续", run.text)
        self.assertNotIn("审批事项", run.text)

    def test_validate_reports_approvals_problems_with_their_place(self):
        data = self.tmp / "data"
        shutil.copytree(SAMPLE, data)
        with open(data / "approvals.csv", "a", encoding="utf-8") as f:
            f.write("NOPE,land,1,,,,\n")
        lines = (data / "approvals.csv").read_text(encoding="utf-8").count("\n")
        run = keyproj("validate", "--data", data)
        self.assertEqual(run.code, 1, run.err)
        self.assertIn(f"approvals.csv:{lines}:1: code: unknown project code 'NOPE'", run.text)


class Indicators(CliTestCase):
    def test_every_listed_id_is_accepted_by_report(self):
        run = keyproj("indicators", "--format", "json")
        self.assertRan(run)
        catalogue = json.loads(run.text)
        ids = [i["id"] for i in catalogue]
        self.assertIn("start_rate", ids)
        self.assertEqual(len(ids), len(set(ids)))
        report = keyproj("report", "--data", SAMPLE, "--as-of", AS_OF, "--no-group", "--format", "json",
                         "--indicators", ",".join(ids))
        self.assertRan(report)
        self.assertEqual(list(json.loads(report.text)["rows"][-1]["values"]), ids)
        # The dashboard marks are exactly the report's default columns.
        default = keyproj("report", "--data", SAMPLE, "--as-of", AS_OF, "--no-group", "--format", "json")
        self.assertEqual([i["id"] for i in catalogue if i["dashboard"]],
                         sorted(json.loads(default.text)["rows"][-1]["values"], key=ids.index))

    def test_table_shows_labels(self):
        run = keyproj("indicators")
        self.assertRan(run)
        self.assertIn("开工率", run.text)
        self.assertIn("start_rate *", run.text)


class Help(CliTestCase):
    def test_every_command_has_help_with_an_example(self):
        for command in ("report", "targets", "score", "validate", "generate", "summary", "indicators"):
            run = keyproj(command, "--help")
            self.assertRan(run)
            self.assertIn("usage: keyproj " + command, run.text)
            self.assertIn("example", run.text)

    def test_top_level(self):
        run = keyproj("--help")
        self.assertRan(run)
        for command in ("report", "targets", "score", "validate", "generate"):
            self.assertIn(command, run.text)
        self.assertCleanError(keyproj("reprot"), 2, "reprot")


class ProgressLine(CliTestCase):
    def test_on_a_terminal_only(self):
        import os
        import pty
        master, slave = pty.openpty()
        env = dict(os.environ, KEYPROJ_PROGRESS_DELAY_MS="0")
        proc = subprocess.Popen([BIN, "report", "--data", str(SAMPLE), "--as-of", AS_OF],
                                stdout=subprocess.PIPE, stderr=slave, env=env)
        out, _ = proc.communicate(timeout=120)
        os.close(slave)
        seen = b""
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
        os.close(master)
        self.assertEqual(proc.returncode, 0)
        text = seen.decode("utf-8", "replace")
        self.assertIn("keyproj: loading", text)
        self.assertTrue(text.rstrip(" ").endswith("\r"), repr(text[-40:]))  # erased at the end
        self.assertNotIn(b"keyproj:", out)  # the document itself is untouched

    def test_never_with_json_or_in_a_pipe(self):
        import os
        import pty
        master, slave = pty.openpty()
        env = dict(os.environ, KEYPROJ_PROGRESS_DELAY_MS="0")
        proc = subprocess.Popen([BIN, "report", "--data", str(SAMPLE), "--format", "json"],
                                stdout=subprocess.PIPE, stderr=slave, env=env)
        proc.communicate(timeout=120)
        os.close(slave)
        os.set_blocking(master, False)
        try:
            seen = os.read(master, 4096)
        except OSError:
            seen = b""
        os.close(master)
        self.assertEqual(seen, b"")
        piped = subprocess.run([BIN, "report", "--data", str(SAMPLE)], capture_output=True, env=env)
        self.assertEqual(piped.stderr, b"")



class ALastMonthFewReach(CliTestCase):
    """One monthly row typed a year ahead makes the default date that month: the report
    is made, and stderr says how few projects reach it and which --as-of to give."""

    def test_note(self):
        with tempfile.TemporaryDirectory() as tmp:
            code = (SAMPLE / "monthly.csv").read_text(encoding="utf-8").splitlines()[1].split(",")[0]
            ledger = edited_sample(tmp, "monthly.csv", lambda lines: lines.append(f"{code},2025-09,12.00,,,,"))
            run = keyproj("report", ledger, "--no-group")
            self.assertRan(run)
            self.assertIn(f"note: the report is as of 2025-09-30, the ledger's last month with figures, but only "
                          f"1 project has figures that late ({code}) where ", run.err)
            self.assertIn("else make the report as of 2024-09, the month most projects have reported", run.err)
            # Given a date, nothing is said; the sample as it is says nothing either.
            self.assertNotIn("figures that late", keyproj("report", ledger, "--as-of", "2024-09", "--no-group").err)
            self.assertNotIn("figures that late", keyproj("report", SAMPLE, "--no-group").err)


class RowsOfARejectedProject(CliTestCase):
    """A project refused for one cell takes its rows in the other files with it: those
    lines are listed, and counted apart from the problems there are to fix."""

    def test_validate_and_lenient_count_the_problem_once(self):
        def bad_stage(lines):
            header, row = lines[0].split(","), lines[1].split(",")
            row[header.index("stage")] = "finished"
            lines[1] = ",".join(row)

        with tempfile.TemporaryDirectory() as tmp:
            ledger = edited_sample(tmp, "projects.csv", bad_stage)
            run = keyproj("validate", ledger)
            self.assertEqual(run.code, 1, run.err)
            self.assertIn("unknown stage 'finished'", run.text)
            self.assertIn("the project was rejected (projects.csv:2)", run.text)
            self.assertRegex(run.err, r": 1 problem \(and [0-9]+ lines? on the rows they left out\); "
                                      r"1499 projects would load with --lenient")
            lenient = keyproj("report", ledger, "--lenient", "--no-group")
            self.assertRan(lenient)
            self.assertRegex(lenient.err, r"--lenient: 1 problem \(and [0-9]+ lines? on the rows they left out\)")


if __name__ == "__main__":
    unittest.main()
