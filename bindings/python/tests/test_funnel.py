"""The 招商 funnel through the binding (funnel=None|""|"county", Report.funnel), on the
ledger of tests/funnel_test.cc (checked by hand there) and against the CLI."""
import tempfile
import unittest
from decimal import Decimal
from pathlib import Path

from support import cli, keyproj

PROJECTS = ("code,name,region,category,attracted,intended_on,signed_on,started_on,completed_on,operating_on,"
            "cancelled_on\n"
            "F1,项目F1,610402,industry,1,2024-01-05,2024-02-01,2024-03-01,2024-08-01,2024-09-01,\n"
            "F2,项目F2,610402,industry,1,2024-02-01,2024-03-01,2024-05-01,,,\n"
            "F3,项目F3,610402,industry,1,2024-03-01,,,,,\n"
            "F4,项目F4,610402,industry,1,,2024-04-01,,,,\n"
            "F5,项目F5,610402,industry,1,2024-10-05,,,,,\n"
            "G1,项目G1,610403,industry,1,2024-05-01,,,,,\n"
            "G2,项目G2,610403,industry,0,,,2024-02-01,,,\n"
            "G3,项目G3,610403,industry,1,2024-01-01,,,,,2024-06-01\n")


class Funnel(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        Path(self.dir.name, "projects.csv").write_text(PROJECTS, encoding="utf-8")
        self.ledger = keyproj.Ledger.from_csv(self.dir.name)

    def tearDown(self):
        self.dir.cleanup()

    def report(self, funnel):
        return self.ledger.report(as_of="2024-09-30", group_by="", indicators="projects", funnel=funnel)

    def test_none_whole_and_grouped(self):
        self.assertIsNone(self.report(None).funnel)
        whole = self.report("")
        self.assertEqual(len(whole.tables), 1)  # the funnel is not one of the groupings' tables
        self.assertEqual(whole.funnel.title, "招商引资项目推进情况")
        self.assertEqual(whole.funnel.group_by, ())
        self.assertEqual(dict(whole.funnel.total), {
            "intended": 5, "signed": 3, "funnel_signed_rate": Decimal("0.600000"),
            "signed_started": 2, "funnel_started_rate": Decimal("0.666667"),
            "signed_completed": 1, "funnel_completed_rate": Decimal("0.500000"),
            "operating": 1, "funnel_operating_rate": Decimal("1.000000")})
        grouped = self.report("county")
        self.assertEqual([r.group for r in grouped.funnel.rows], [{"county": "610402"}, {"county": "610403"}, {}])
        g2 = grouped.funnel.rows[1]
        self.assertEqual((g2["intended"], g2["signed"], g2["funnel_signed_rate"]), (1, 0, Decimal("0.000000")))
        self.assertIsNone(g2["funnel_started_rate"])  # 0 over 0
        self.assertEqual(grouped.funnel.rows[0].display("funnel_signed_rate"), "75.0%")

    def test_bad_dimension(self):
        with self.assertRaises(keyproj.InvalidArgumentError) as e:
            self.report("nowhere")
        self.assertIn("funnel 'nowhere'", str(e.exception))

    def test_same_as_cli(self):
        report = self.report("county")
        for fmt, cli_fmt in (("json", "json"), ("table", "table"), ("markdown", "md"), ("text", "text")):
            with self.subTest(fmt):
                out = cli("report", "--data", self.dir.name, "--as-of", "2024-09-30", "--no-group",
                          "--indicators", "projects", "--funnel=county", "--format", cli_fmt).stdout.decode("utf-8")
                self.assertEqual(report.render(fmt), out)
                self.assertIn("招商引资", out)


if __name__ == "__main__":
    unittest.main()
