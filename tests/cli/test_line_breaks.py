"""Cells typed with Alt+Enter in Excel (tests/data/line_breaks): a line break inside a
name must not break a Markdown table (written <br>) or a plain-text table (a space);
CSV, JSON and the workbook keep it."""
import csv
import io
import json
import unittest
import zipfile

from cli_support import TESTDATA, CliTestCase, keyproj

DATA = TESTDATA / "line_breaks"
NAME = "项目|一\n第二行"        # P1's name as typed
LEADER = "李四\r\n（副县长）"   # P2's leader, a CRLF
# P1 is listed under 停滞项目 (no investment in 3 months by 2024-09-30); the table is by leader.
REPORT = ["report", "--data", DATA, "--as-of", "2024-09-30", "--group-by", "leader",
          "--indicators", "projects,investment_ytd,stalled"]


class MarkdownTest(CliTestCase):
    def test_a_break_is_br_and_the_pipe_still_escaped(self):
        run = keyproj(*REPORT, "--format", "md")
        self.assertRan(run)
        text = run.text
        self.assertIn("| P1 | 项目\\|一<br>第二行 |", text)
        self.assertIn("| 李四<br>（副县长） |", text)
        # Every line of a table is a whole row: it starts and ends with a pipe.
        for line in text.splitlines():
            if line.startswith("|"):
                self.assertTrue(line.endswith("|"), line)
            self.assertNotIn("\r", line)
        self.assertNotIn("第二行 |", text.replace("<br>第二行 |", ""))

    def test_problems_in_md(self):
        run = keyproj("problems", "--data", DATA, "--as-of", "2024-09-30", "--group-by", "project", "--format", "md")
        self.assertRan(run)
        self.assertIn("用地指标未落实<br>待省厅批复", run.text)
        self.assertIn("项目\\|一<br>第二行", run.text)  # the group's heading
        for line in run.text.splitlines():
            if line.startswith("|"):
                self.assertTrue(line.endswith("|"), line)


class PlainTableTest(CliTestCase):
    def assertOnOneLine(self, text, *cells):
        """Each cell whole on a line of `text`; no cell's second line starts a line."""
        lines = text.splitlines()
        for cell in cells:
            self.assertTrue(any(cell in line for line in lines), (cell, text))
        for second in ("第二行", "（副县长）", "待省厅批复"):
            self.assertFalse(any(line.startswith(second) for line in lines), (second, text))
        self.assertNotIn("\r", text)

    def test_report_table(self):
        run = keyproj(*REPORT)
        self.assertRan(run)
        # The leader's group row, its list's title and P1's line in the 停滞项目 lists.
        self.assertOnOneLine(run.text, "李四 （副县长）             1", "李四 （副县长） · 停滞项目",
                             "  P1  项目|一 第二行  停滞情况")

    def test_problems_table(self):
        run = keyproj("problems", "--data", DATA, "--as-of", "2024-09-30", "--group-by", "project")
        self.assertRan(run)
        self.assertOnOneLine(run.text, "项目|一 第二行  用地      用地指标未落实 待省厅批复  自然资源局",
                             "一、项目|一 第二行（P1）")


class KeptTest(CliTestCase):
    """The formats that carry a break keep it."""

    def test_csv_json_and_xlsx(self):
        csv_run = keyproj(*REPORT, "--format", "csv")
        self.assertRan(csv_run)
        cells = [c for row in csv.reader(io.StringIO(csv_run.out.decode("utf-8-sig"), newline="")) for c in row]
        self.assertIn(NAME, cells)
        self.assertIn(LEADER, cells)
        json_run = keyproj(*REPORT, "--format", "json")
        self.assertRan(json_run)
        doc = json.loads(json_run.text)
        self.assertIn(LEADER, [row["group"].get("leader") for row in doc["rows"]])
        names = [p["name"] for row in doc["rows"] for ps in row.get("projects", {}).values() for p in ps]
        self.assertIn(NAME, names)
        out = self.tmp / "r.xlsx"
        self.assertRan(keyproj(*REPORT, "--format", "xlsx", "--out", out))
        with zipfile.ZipFile(out) as z:
            strings = z.read("xl/sharedStrings.xml").decode("utf-8")
        self.assertIn("项目|一\n第二行", strings)


if __name__ == "__main__":
    unittest.main()
