"""keyproj problems: the problem list of tests/data/problem_list (its README has the
figures counted by hand) and of the sample ledger."""
import json
import unittest
import zipfile

from cli_support import SAMPLE, TESTDATA, CliTestCase, keyproj

LEDGER = TESTDATA / "problem_list"
AS_OF = "2024-09-30"


class Problems(CliTestCase):
    def test_by_owner_golden(self):
        run = keyproj("problems", "--data", LEDGER, "--as-of", AS_OF)
        self.assertRan(run)
        self.assertGolden("problem_list/by_owner.txt", run.out)
        run = keyproj("problems", "--data", LEDGER, "--as-of", AS_OF, "--format", "text")
        self.assertRan(run)
        self.assertGolden("problem_list/by_owner.text.txt", run.out)

    def test_json_overdue_and_grouping(self):
        run = keyproj("problems", "--data", LEDGER, "--as-of", AS_OF, "--format", "json")
        self.assertRan(run)
        doc = json.loads(run.text)
        self.assertEqual((doc["total"], doc["overdue"]), (7, 5))
        self.assertEqual([g["label"] for g in doc["groups"]], ["区自然资源局", "区住建局", "（未填）", "区财政局"])
        self.assertEqual([p["days_overdue"] for p in doc["groups"][0]["problems"]], [92, 29, 1])
        run = keyproj("problems", "--data", LEDGER, "--as-of", AS_OF, "--overdue", "--group-by", "kind",
                      "--format", "json")
        self.assertRan(run)
        doc = json.loads(run.text)
        self.assertEqual(doc["total"], 5)
        self.assertTrue(doc["overdue_only"])
        self.assertEqual(doc["group_by"], "kind")
        self.assertTrue(all(p["days_overdue"] > 0 for g in doc["groups"] for p in g["problems"]))

    def test_sample_counts_match_the_indicators(self):
        run = keyproj("problems", "--data", SAMPLE, "--as-of", AS_OF, "--format", "json")
        self.assertRan(run)
        doc = json.loads(run.text)
        report = keyproj("report", "--data", SAMPLE, "--as-of", AS_OF, "--group-by", "",
                         "--indicators", "problems_open,problems_overdue", "--format", "json")
        self.assertRan(report)
        total = json.loads(report.text)["rows"][-1]["values"]
        self.assertEqual(int(total["problems_open"]), doc["total"])
        self.assertEqual(int(total["problems_overdue"]), doc["overdue"])

    def test_csv_md_and_xlsx(self):
        csv = keyproj("problems", "--data", LEDGER, "--as-of", AS_OF, "--format", "csv")
        self.assertRan(csv)
        lines = csv.text.lstrip("\ufeff").splitlines()
        self.assertEqual(len(lines), 1 + 7)
        md = keyproj("problems", "--data", LEDGER, "--as-of", AS_OF, "--format", "md", "--group-by", "project")
        self.assertRan(md)
        self.assertIn("#### 一、城南污水处理厂（2021-610402-44-01-123456）（3个问题，其中超期3个）", md.text)
        out = self.tmp / "问题清单.xlsx"
        run = keyproj("problems", "--data", LEDGER, "--as-of", AS_OF, "--format", "xlsx", "--out", out)
        self.assertRan(run)
        with zipfile.ZipFile(out) as z:
            strings = z.read("xl/sharedStrings.xml").decode("utf-8")
        self.assertIn("用地指标未落实", strings)
        self.assertIn("区自然资源局（3个问题，其中超期3个）", strings)

    def test_usage_errors(self):
        run = keyproj("problems", "--data", LEDGER, "--group-by", "colour")
        self.assertCleanError(run, 2, "--group-by colour")
        run = keyproj("problems", "--data", LEDGER, "--format", "xlsx")
        self.assertCleanError(run, 2, "--out")
        run = keyproj("problems", "--data", LEDGER, "--as-of", AS_OF, "--filter", "colour=red")
        self.assertCleanError(run, 2, "colour")


if __name__ == "__main__":
    unittest.main()
