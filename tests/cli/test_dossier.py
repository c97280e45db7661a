"""keyproj report --dossier: the report text once per group (docs/report-text.md,
"Dossiers") on tests/data/dossier, whose figures tests/dossier_test.cc works out by
hand (as of 2024-05-31: 张三 2 projects, 1-5月 2700万 of a plan of 9000万 = 30.0%,
11.7 points below 序时进度 41.7%; 李四 750 / 2000 = 37.5%; 王五's only project was
cancelled, so he has no dossier)."""
import re
import unittest
import zipfile

from cli_support import TESTDATA, CliTestCase, keyproj

DATA = TESTDATA / "dossier"


def run_dossier(*args):
    return keyproj("report", "--data", DATA, "--as-of", "2024-05-31", *args)


class Dossiers(CliTestCase):
    def test_leader_text_golden(self):
        run = run_dossier("--format", "text", "--dossier", "leader")
        self.assertRan(run)
        self.assertGolden("dossier/leader.text.txt", run.out)
        self.assertNotIn("王五", run.text)

    def test_leader_markdown_golden(self):
        run = run_dossier("--format", "md", "--dossier", "leader")
        self.assertRan(run)
        self.assertGolden("dossier/leader.md", run.out)

    def test_county_names_from_regions(self):
        run = run_dossier("--format", "text", "--dossier", "county")
        self.assertRan(run)
        headings = re.findall(r"^[一二三四五六七八九十]+、.*$", run.text, re.M)
        self.assertEqual(headings, ["一、秦都区（项目2个）", "二、杨陵区（项目2个）"])
        self.assertIn("秦都区重点项目2个", run.text)
        self.assertTrue(run.text.startswith("全市重点项目分县区专报（截至2024年5月31日）\n"))

    def test_the_scope_filter_narrows_every_group(self):
        run = run_dossier("--format", "text", "--dossier", "leader", "--filter", "region=610402")
        self.assertRan(run)
        self.assertIn("一、张三（包抓项目1个）", run.text)
        self.assertNotIn("李四", run.text)
        self.assertNotIn("高新区电池项目", run.text)

    def test_own_template(self):
        tmpl = self.tmp / "mine.txt"
        tmpl.write_text("{范围}项目{projects}个：\n{项目清单|万元|0}\n", encoding="utf-8")
        run = run_dossier("--format", "text", "--dossier", "leader", "--template", tmpl)
        self.assertRan(run)
        self.assertIn("二、李四（包抓项目1个）\n李四同志包抓项目1个：\n"
                      "（1）商贸物流园项目：年度计划2000万元，累计完成750万元，完成率37.5%\n", run.text)

    def test_xlsx_a_sheet_per_leader(self):
        out = self.tmp / "专报.xlsx"
        run = run_dossier("--format", "xlsx", "--dossier", "leader", "--out", out)
        self.assertRan(run)
        with zipfile.ZipFile(out) as z:
            workbook = z.read("xl/workbook.xml").decode("utf-8")
            strings = z.read("xl/sharedStrings.xml").decode("utf-8")
        self.assertEqual(re.findall(r'<sheet name="([^"]*)"', workbook), ["张三", "李四", "未落实包抓领导"])
        self.assertIn("一、张三（包抓项目2个）", strings)
        self.assertIn("（1）高新区电池项目：年度计划5000.00万元，累计完成800.00万元，完成率16.0%，序时进度41.7%",
                      strings)

    def test_formats_without_dossiers_are_refused(self):
        run = run_dossier("--format", "json", "--dossier", "leader")
        self.assertCleanError(run, 2, "--dossier writes --format text, md or xlsx, not json")
        run = run_dossier("--format", "text", "--dossier", "boss")
        self.assertCleanError(run, 2, "--dossier", "boss")


if __name__ == "__main__":
    unittest.main()
