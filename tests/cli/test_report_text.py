"""keyproj report --format text on the two worked reports of the shared spec
(indicators.md): the paragraphs state each report's figures as the report does."""
import json
import unittest

from cli_support import SAMPLE, TESTDATA, CliTestCase, keyproj

# The province's 序时进度 curve in the city report: 85% by the end of September.
CURVE = "curve:5,12,22,32,42,55,65,75,85,92,97,100"


class WorkedReports(CliTestCase):
    def test_city(self):
        run = keyproj("report", "--data", TESTDATA / "report_city", "--as-of", "2024-09-30",
                      "--schedule", CURVE, "--scope-name", "全市", "--format", "text",
                      "--template", TESTDATA / "report_city" / "report.tmpl")
        self.assertRan(run)
        self.assertEqual(run.text,
                         "1-9月份，全市固定资产投资完成320亿元，同比增长20%。"
                         "其中，产业投资同比增长18%，占全部投资的55%；工业投资同比增长23%，占45%。"
                         "全市30个省重点项目完成投资130亿元，占年度计划的88%；"
                         "其中续建项目完成投资70亿元，占年度计划的92%，超序时进度7个百分点。\n")

    def test_city_with_the_month_schedule_is_not_ahead_by_7(self):
        # Under month / 12 (75%) the continuing projects are 17 points ahead: the
        # report's 7 comes from the curve, and the CLI must pass it through.
        run = keyproj("report", "--data", TESTDATA / "report_city", "--as-of", "2024-09-30",
                      "--format", "text", "--template", TESTDATA / "report_city" / "report.tmpl")
        self.assertRan(run)
        self.assertIn("超序时进度17个百分点", run.text)

    def test_county(self):
        run = keyproj("report", "--data", TESTDATA / "report_county", "--as-of", "2024-10",
                      "--filter", "size>=500", "--format", "text",
                      "--template", TESTDATA / "report_county" / "report.tmpl")
        self.assertRan(run)
        self.assertEqual(run.text,
                         "1-10月份，全县500万元以上新开工项目729个，完成投资262.9亿元，同比增长8.4%；"
                         "新入库项目427个，储备项目1281个，储备倍数1.76倍。"
                         "招商引资方面，累计签约项目236个，签约总投资822.3亿元，其中已开工207个、已竣工121个；"
                         "到位资金259.5亿元，同比增长21.3%。\n")

    def test_bad_template_names_line_and_column(self):
        bad = self.tmp / "bad.tmpl"
        bad.write_text("第一行\n{期间}完成投资{investment_ydt|亿元}亿元\n", encoding="utf-8")
        run = keyproj("report", "--data", TESTDATA / "report_city", "--format", "text", "--template", bad)
        self.assertCleanError(run, 2, "line 2", "investment_ydt")


class ApprovalsSentence(CliTestCase):
    """The 前期手续 sentence of a city's report (shared spec workflow.md §1):
    "截至9月底,我市共完成立项可研报告批复28项,拿地即开工项目15项,征地拆迁18项", from
    tests/data/report_approvals (make.py says which projects count and which must not)."""

    def test_text(self):
        run = keyproj("report", TESTDATA / "report_approvals", "--as-of", "2025-09-30", "--format", "text")
        self.assertRan(run)
        self.assertIn("\n前期手续方面，1-9月份全市共完成立项可研报告批复28项，拿地即开工项目15项，"
                      "征地拆迁18项；具备开工条件项目3个，尚有12项前期手续未办结。\n", run.text)
        # The warnings behind a start: F18 and F20..F28 planned to start and have not;
        # F20..F28 wait for their environmental assessment (eia, planned 2025-08-31).
        self.assertIn("\n有10个项目已过计划开工时间仍未开工", run.text)
        self.assertIn("\n有9个项目已到计划开工时间但前期手续尚未办结", run.text)

    def test_json_with_the_projects(self):
        ids = "approvals_done_ytd.feasibility,land_to_start_ytd,approvals_done_ytd.land_acquisition"
        run = keyproj("report", TESTDATA / "report_approvals", "--as-of", "2025-09-30", "--format", "json",
                      "--no-group", "--indicators", ids)
        self.assertRan(run)
        total = json.loads(run.text)["rows"][-1]
        self.assertEqual(total["values"], {"approvals_done_ytd.feasibility": "28", "land_to_start_ytd": "15",
                                           "approvals_done_ytd.land_acquisition": "18"})
        land = total["projects"]["land_to_start_ytd"]
        self.assertEqual([p["code"] for p in land], [f"XY-F-{i:03d}" for i in range(1, 16)])
        # The day the land was done to the start: F01 the same day, F02 the 30th day.
        self.assertEqual((land[0]["days_land_to_start"], land[1]["days_land_to_start"]), (0, 30))
        self.assertEqual([p["code"] for p in total["projects"]["approvals_done_ytd.land_acquisition"]],
                         [f"XY-F-{i:03d}" for i in range(1, 19)])
        self.assertEqual(len(total["projects"]["approvals_done_ytd.feasibility"]), 28)

    def test_a_day_earlier_the_window_moves_with_the_dates(self):
        # --land-start-days 29 leaves out F02 and F10 (30 days from land to start).
        run = keyproj("report", TESTDATA / "report_approvals", "--as-of", "2025-09-30", "--format", "json",
                      "--no-group", "--indicators", "land_to_start_ytd", "--land-start-days", "29")
        self.assertRan(run)
        self.assertEqual(json.loads(run.text)["rows"][-1]["values"]["land_to_start_ytd"], "13")


class QuarterBulletin(CliTestCase):
    """The quarter bulletin (季通报, shared spec workflow.md §5): --template quarter, the
    built-in examples/templates/quarter.txt, on the sample ledger at the end of the third
    quarter; its figures against --format json, and plan_next_years.YYYY."""

    QUARTER_IDS = ("investment_ytd,yoy_growth,plan_completion,schedule_gap_pp,investment_quarter,"
                   "quarter_yoy_growth,projects,started_ytd,completed_ytd,start_rate,started_quarter,"
                   "completed_quarter,signed_quarter,started_quarter_last_year,completed_quarter_last_year,"
                   "signed_quarter_last_year,plan_next_years")

    def bulletin(self, *extra, cwd=None):
        return keyproj("report", "--data", SAMPLE, "--as-of", "2024-09-30", "--format", "text",
                       "--template", "quarter", *extra, cwd=cwd)

    def test_golden(self):
        run = self.bulletin()
        self.assertRan(run)
        self.assertGolden("sample/report.quarter.txt", run.out)
        self.assertTrue(run.text.startswith("前三季度，"), run.text[:40])

    def test_figures_are_the_json_ones(self):
        run = keyproj("report", "--data", SAMPLE, "--as-of", "2024-09-30", "--format", "json", "--no-group",
                      "--indicators", self.QUARTER_IDS)
        self.assertRan(run)
        v = json.loads(run.text)["rows"][-1]["values"]
        text = self.bulletin().text

        def yi(x):  # 万元 -> 亿元, one place, half-up as every surface rounds
            from decimal import Decimal, ROUND_HALF_UP
            return str((Decimal(x) / 10000).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))

        def pct(x):
            from decimal import Decimal, ROUND_HALF_UP
            return str((Decimal(x) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)) + "%"

        self.assertIn(f"前三季度，全省重点项目完成投资{yi(v['investment_ytd'])}亿元，同比增长{pct(v['yoy_growth'])}，"
                      f"占年度计划的{pct(v['plan_completion'])}", text)
        self.assertIn(f"其中三季度完成投资{yi(v['investment_quarter'])}亿元，"
                      f"同比增长{pct(v['quarter_yoy_growth'])}。", text)
        self.assertIn(f"三季度新开工{v['started_quarter']}个、竣工{v['completed_quarter']}个、"
                      f"签约{v['signed_quarter']}个，上年同期分别为{v['started_quarter_last_year']}个、"
                      f"{v['completed_quarter_last_year']}个、{v['signed_quarter_last_year']}个。", text)
        self.assertIn(f"2024年以后各年度计划投资{yi(v['plan_next_years'])}亿元。", text)

    def test_mid_quarter_names_the_months(self):
        run = keyproj("report", "--data", SAMPLE, "--as-of", "2024-08-31", "--format", "text",
                      "--template", "quarter")
        self.assertRan(run)
        self.assertTrue(run.text.startswith("1-8月份，"), run.text[:40])
        self.assertIn("其中7-8月份完成投资", run.text)

    def test_a_file_named_quarter_is_dot_slash_quarter(self):
        (self.tmp / "quarter").write_text("{季度}|{报告期}\n", encoding="utf-8")
        own = keyproj("report", "--data", SAMPLE, "--as-of", "2024-09-30", "--format", "text",
                      "--template", "./quarter", cwd=self.tmp)
        self.assertRan(own)
        self.assertEqual(own.text, "三季度|前三季度\n")
        built_in = keyproj("report", "--data", SAMPLE, "--as-of", "2024-09-30", "--format", "text",
                           "--template", "quarter", cwd=self.tmp)
        self.assertRan(built_in)
        self.assertTrue(built_in.text.startswith("前三季度，全省重点项目完成投资"))

    def test_plan_for_one_later_year(self):
        run = keyproj("report", "--data", SAMPLE, "--as-of", "2024-09-30", "--format", "json", "--no-group",
                      "--indicators", "plan_next_years,plan_next_years.2025,plan_next_years.2026")
        self.assertRan(run)
        v = json.loads(run.text)["rows"][-1]["values"]
        # plans.csv of the sample has 2025 and 2026 after 2024: the two add up to the sum.
        self.assertEqual(v["plan_next_years.2025"], "20134551.00")
        self.assertEqual(v["plan_next_years.2026"], "16987715.00")
        self.assertEqual(v["plan_next_years"], "37122266.00")
        table = keyproj("report", "--data", SAMPLE, "--as-of", "2024-09-30", "--no-group",
                        "--indicators", "plan_next_years.2026")
        self.assertRan(table)
        self.assertIn("滚动计划投资·2026年", table.text)
        bad = keyproj("report", "--data", SAMPLE, "--as-of", "2024-09-30", "--no-group",
                      "--indicators", "plan_next_years.2024")
        self.assertCleanError(bad, 2, "plan_next_years.2024", "annual_plan")



class OptionsTheTextDoesNotUse(CliTestCase):
    """Options of tables given with --format text (or --dossier) change nothing there,
    and a target set's [schedule] changes 序时进度: each is said on stderr, once."""

    TARGETS = SAMPLE.parent / "targets" / "1116.toml"

    def text(self, *extra):
        return keyproj("report", "--data", SAMPLE, "--as-of", "2024-09-30", "--format", "text", *extra)

    def test_table_options(self):
        plain = self.text()
        self.assertRan(plain)
        self.assertNotIn("note:", plain.err)
        run = self.text("--group-by", "county", "--indicators", "projects")
        self.assertRan(run)
        self.assertEqual(run.out, plain.out)
        self.assertIn("keyproj report: note: --group-by, --indicators shape tables, and the text writes the "
                      "figures its template names: not used here", run.err)

    def test_targets_schedule_and_status(self):
        run = self.text("--targets", str(self.TARGETS))
        self.assertRan(run)
        self.assertIn("note: the text shows no target status", run.err)
        self.assertIn("note: 序时进度 is the target set's [schedule]", run.err)
        # With --schedule the calendar's stays, and nothing is said of it.
        calendar = self.text("--targets", str(self.TARGETS), "--schedule", "months")
        self.assertRan(calendar)
        self.assertNotIn("序时进度 is the target set's", calendar.err)
        self.assertEqual(calendar.out, self.text().out)

    def test_one_dossier_dimension(self):
        run = self.text("--dossier", "county,leader")
        self.assertCleanError(run, 2, "--dossier county,leader: one dimension")


if __name__ == "__main__":
    unittest.main()
