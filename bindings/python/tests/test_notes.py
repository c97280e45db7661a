"""List notes through the binding: Project.note_key / note_label / note / note_text, why
a listed project is listed, on a small ledger checked by hand and against the CLI's
JSON on the sample ledger."""
import tempfile
import unittest
from pathlib import Path

from support import SAMPLE, SampleLedgerTestCase, cli_json, keyproj

# A1 12000万 without a leader, September filed 10-25 (late); A2 suspended 06-01; A3
# invested only in May: June..September without investment (its September row, 0, filed
# on time).
PROJECTS = ("code,name,region,category,total_investment,started_on,suspended_on,leader\n"
            "A1,甲项目,610402,industry,12000,2024-01-10,,\n"
            "A2,乙项目,610402,industry,500,2024-01-10,2024-06-01,张三\n"
            "A3,丙项目,610403,industry,800,2024-01-10,,李四\n")
MONTHLY = ("code,month,investment,reported_on\n"
           "A1,2024-08,100,2024-09-10\n"
           "A1,2024-09,100,2024-10-25\n"
           "A2,2024-05,100,2024-06-10\n"
           "A3,2024-05,100,2024-06-10\n"
           "A3,2024-09,0,2024-10-10\n")


class SmallLedger(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        Path(self.dir.name, "projects.csv").write_text(PROJECTS, encoding="utf-8")
        Path(self.dir.name, "monthly.csv").write_text(MONTHLY, encoding="utf-8")
        self.ledger = keyproj.Ledger.from_csv(self.dir.name)

    def tearDown(self):
        self.dir.cleanup()

    def test_notes_by_hand(self):
        report = self.ledger.report(as_of="2024-09-30", group_by="",
                                    indicators="late_reports,stalled,unassigned_leader,projects")
        total = report.tables[0].total
        self.assertEqual(total.projects("late_reports"),
                         [keyproj.Project("A1", "甲项目", "reported_on", "报送日期", "2024-10-25", "2024-10-25")])
        self.assertEqual(total.projects("stalled"), [
            keyproj.Project("A2", "乙项目", "suspended_on", "停滞情况", "停建 2024-06-01", "停建 2024-06-01"),
            keyproj.Project("A3", "丙项目", "months_without_investment", "停滞情况", 4, "4个月"),
        ])
        leader = total.projects("unassigned_leader")
        self.assertEqual([(p.code, p.note_key, p.note, p.note_text) for p in leader],
                         [("A1", "total_investment_fen", 12000 * 1000000, "12000.00万元")])
        self.assertIsInstance(leader[0].note, int)
        self.assertEqual(total.projects("projects"), [])


class SampleNotes(SampleLedgerTestCase):
    def test_notes_equal_the_json(self):
        ids = "late_reports,stalled,behind_schedule,problems_open,problems_overdue"
        report = self.ledger.report(as_of="2024-09", group_by="county", indicators=ids)
        doc = cli_json("report", "--data", SAMPLE, "--as-of", "2024-09", "--group-by", "county", "--indicators", ids,
                       "--format", "json")
        seen = 0
        for row, json_row in zip(report.tables[0], doc["rows"]):
            for cid in ids.split(","):
                for p, j in zip(row.projects(cid), json_row["projects"][cid], strict=True):
                    self.assertEqual((p.code, p.name), (j["code"], j["name"]))
                    self.assertIsNotNone(p.note_key, f"{cid} {p.code}")
                    self.assertEqual(j[p.note_key], p.note)
                    seen += 1
        self.assertGreater(seen, 0)


if __name__ == "__main__":
    unittest.main()
