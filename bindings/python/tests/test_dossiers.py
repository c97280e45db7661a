"""Report.dossiers: the report text once per group (docs/report-text.md, "Dossiers"),
through the C ABI's kp_render_options version 2, against the CLI's --dossier on
tests/data/dossier (figures worked out by hand in tests/dossier_test.cc)."""
import re
import tempfile
import unittest
import zipfile
from pathlib import Path

from support import TESTDATA, cli, keyproj

DATA = TESTDATA / "dossier"


class Dossiers(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.ledger = keyproj.Ledger.from_csv(DATA)
        cls.report = cls.ledger.report(as_of="2024-05-31")

    def test_text_and_markdown_equal_the_cli(self):
        for fmt, cli_fmt in (("text", "text"), ("md", "md")):
            want = cli("report", "--data", DATA, "--as-of", "2024-05-31", "--format", cli_fmt,
                       "--dossier", "leader").stdout.decode("utf-8")
            got = self.report.dossiers(by="leader", format=fmt)
            self.assertEqual(got, want)
            self.assertIn("张三（包抓项目2个）", got)

    def test_own_template_and_unit(self):
        text = self.report.dossiers(by="leader", template="{范围}：{项目清单|亿元|2}", unit="yi")
        self.assertIn("二、李四（包抓项目1个）\n李四同志包抓：（1）商贸物流园项目：年度计划0.20亿元，累计完成0.08亿元，完成率37.5%",
                      text)

    def test_xlsx_a_sheet_per_group(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "专报.xlsx"
            self.assertIsNone(self.report.dossiers(by="leader", format="xlsx", path=path))
            with zipfile.ZipFile(path) as z:
                names = re.findall(r'<sheet name="([^"]*)"', z.read("xl/workbook.xml").decode("utf-8"))
        self.assertEqual(names, ["张三", "李四", "未落实包抓领导"])

    def test_errors(self):
        with self.assertRaises(ValueError):
            self.report.dossiers(format="json")
        with self.assertRaises(ValueError):
            self.report.dossiers(format="xlsx")
        with self.assertRaises(keyproj.KeyprojError) as caught:
            self.report.dossiers(by="boss")
        self.assertIn("dossier_by", str(caught.exception))


if __name__ == "__main__":
    unittest.main()
