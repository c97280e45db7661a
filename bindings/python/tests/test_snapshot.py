"""Snapshots: Ledger.open takes a folder or a .kpl, ledger.pack writes one; the
report from the snapshot equals the report from the folder (region names too) and
the CLI's from the same file; a bad file is a KeyprojError naming it."""
import tempfile
import unittest
from pathlib import Path

from support import SAMPLE, TESTDATA, cli, keyproj


class Snapshots(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = Path(self.tmp.name)

    def tearDown(self):
        self.tmp.cleanup()

    def test_pack_then_open_gives_the_same_reports(self):
        kpl = self.dir / "sample.kpl"
        with keyproj.Ledger.open(SAMPLE) as folder:
            self.assertEqual(folder.problems, [])
            folder.pack(kpl)
            expected = folder.report(as_of="2024-09-30", group_by=["county", "category"])
            expected_text = expected.render("table")
        with keyproj.Ledger.open(kpl) as packed:
            self.assertEqual(packed.project_count, 1500)
            got = packed.report(as_of="2024-09-30", group_by=["county", "category"])
            self.assertEqual(got.render("table"), expected_text)
            self.assertIn("渭滨区", got.render("table"))
        # The CLI reads the file the library wrote, and says the same.
        out = cli("report", "--data", kpl, "--as-of", "2024-09-30", "--format", "json").stdout
        ref = cli("report", "--data", SAMPLE, "--as-of", "2024-09-30", "--format", "json").stdout
        self.assertEqual(out, ref)

    def test_a_ledger_from_csv_packs_its_region_names(self):
        # from_csv reads the folder's regions.csv as open does, so the snapshot keeps
        # the names its reports showed (it packed codes only before).
        kpl = self.dir / "from_csv.kpl"
        with keyproj.Ledger.from_csv(SAMPLE) as ledger:
            ledger.pack(kpl)
        with keyproj.Ledger.open(kpl) as packed:
            rows = packed.report(as_of="2024-09-30", group_by=["county"]).tables[0].rows
            self.assertEqual(rows[0].group, {"county": "610302"})
            self.assertEqual(rows[0].labels, {"county": "渭滨区"})

    def test_bad_files_are_named(self):
        with self.assertRaises(keyproj.NotFoundError):
            keyproj.Ledger.open(self.dir / "none.kpl")
        foreign = self.dir / "foreign.kpl"
        foreign.write_text("code,name\nA1,x\n")
        with self.assertRaises(keyproj.KeyprojError) as e:
            keyproj.Ledger.open(foreign)
        self.assertIn("not a keyproj snapshot", e.exception.message)
        self.assertIn(str(foreign), e.exception.message)
        kpl = self.dir / "sample.kpl"
        with keyproj.Ledger.open(SAMPLE) as folder:
            folder.pack(kpl)
        cut = self.dir / "cut.kpl"
        cut.write_bytes(kpl.read_bytes()[:9000])
        with self.assertRaises(keyproj.KeyprojError) as e:
            keyproj.Ledger.open(cut)
        self.assertEqual(e.exception.status_name, "DATA_LOSS")
        self.assertIn("truncated", e.exception.message)

    def test_open_a_workbook(self):
        # --data ledger.xlsx: Ledger.open reads a workbook as the CLI does; its
        # problems are located as sheet!cell.
        book = self.dir / "ledger.xlsx"
        folder = self.dir / "csv"
        cli("generate", "--projects", "60", "--usd-rate", "none", "--format", "xlsx", "--plain", "--out", book)
        cli("generate", "--projects", "60", "--usd-rate", "none", "--out", folder)
        with keyproj.Ledger.open(book) as from_book, keyproj.Ledger.open(folder) as from_folder:
            self.assertEqual(from_book.project_count, 60)
            request = dict(as_of="2024-09-30", group_by=["county"])
            self.assertEqual(from_book.report(**request).render("table"),
                             from_folder.report(**request).render("table"))
        problems = TESTDATA / "xlsx" / "problems.xlsx"
        with keyproj.Ledger.open(problems, lenient=True) as lenient:
            self.assertEqual(lenient.project_count, 1)
            [p] = lenient.problems
            self.assertEqual((p.file, p.line, p.column, p.field), ("项目", 3, 3, "total_investment"))
            self.assertTrue(p.text.startswith("项目!C3: total_investment: "), p.text)


if __name__ == "__main__":
    unittest.main()
