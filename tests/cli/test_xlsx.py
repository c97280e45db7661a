"""--data ledger.xlsx in every command, and keyproj generate --format xlsx: the
workbook gives the output of the CSV folder of the same ledger; a report workbook,
a file that is no workbook and a broken one are clean errors."""
import unittest
import zipfile

from cli_support import CliTestCase, keyproj

AS_OF = "2024-09-30"
COMMANDS = [
    ("report", "--as-of", AS_OF, "--format", "json"),
    ("report", "--as-of", AS_OF, "--format", "json", "--group-by", "county"),
    ("report", "--as-of", AS_OF, "--format", "text"),
    ("problems", "--as-of", AS_OF),
]


class Workbook(CliTestCase):
    def generate(self, *extra):
        folder = self.tmp / "csv"
        self.assertRan(keyproj("generate", "--projects", "200", "--usd-rate", "none", "--out", folder))
        book = self.tmp / "ledger.xlsx"
        run = keyproj("generate", "--projects", "200", "--usd-rate", "none", "--format", "xlsx", *extra,
                      "--out", book)
        self.assertRan(run)
        self.assertIn("200 projects written to", run.err)
        with zipfile.ZipFile(book) as z:
            self.assertIn("xl/workbook.xml", z.namelist())
        return folder, book

    def assertSameAsFolder(self, folder, book):
        for command in COMMANDS:
            with self.subTest(command=command):
                want = keyproj(command[0], "--data", folder, *command[1:])
                got = keyproj(command[0], "--data", book, *command[1:])
                self.assertRan(want)
                self.assertRan(got)
                self.assertEqual(got.out, want.out)
        run = keyproj("validate", "--data", book)
        self.assertRan(run)
        self.assertIn("ok, 200 projects", run.text)
        # A workbook packs as a folder does.
        kpl = self.tmp / "ledger.kpl"
        self.assertRan(keyproj("pack", "--data", book, "--out", kpl))
        self.assertEqual(keyproj(*COMMANDS[1][:1], "--data", kpl, *COMMANDS[1][1:]).out,
                         keyproj(*COMMANDS[1][:1], "--data", folder, *COMMANDS[1][1:]).out)

    def test_plain_workbook_reads_as_the_folder(self):
        self.assertSameAsFolder(*self.generate("--plain"))

    def test_bureau_workbook_reads_as_the_folder(self):
        folder, book = self.generate()
        self.assertSameAsFolder(folder, book)
        # validate shows what the layout rules decided, at the sheet's rows: title 1,
        # unit 2, header 3, 200 projects in rows 4-203, 合计 in row 204.
        run = keyproj("validate", "--data", book)
        self.assertIn("项目基本信息: header found at row 3", run.text)
        self.assertIn("合计 at row 204 agrees", run.text)

    def test_report_workbook_is_refused(self):
        folder, book = self.generate("--plain")
        report = self.tmp / "report.xlsx"
        self.assertRan(keyproj("report", "--data", book, "--as-of", AS_OF, "--format", "xlsx", "--out", report))
        self.assertCleanError(keyproj("report", "--data", report), 3,
                              "report.xlsx is a report written by keyproj report --format xlsx, not a ledger")
        self.assertCleanError(keyproj("validate", "--data", report), 3, "is a report written by keyproj")

    def test_not_a_workbook(self):
        text = self.tmp / "ledger.xlsx"
        text.write_text("code,name\n")
        run = keyproj("validate", "--data", text)
        self.assertNotEqual(run.code, 0)
        docx = self.tmp / "other.xlsx"
        with zipfile.ZipFile(docx, "w") as z:
            z.writestr("word/document.xml", "<w/>")
        self.assertCleanError(keyproj("summary", "--data", docx), 3, "not an .xlsx workbook")
        _, book = self.generate("--plain")
        cut = self.tmp / "cut.xlsx"
        cut.write_bytes(book.read_bytes()[:5000])
        self.assertCleanError(keyproj("summary", "--data", cut), 3, "cut.xlsx")

    def test_usage(self):
        self.assertCleanError(keyproj("generate", "--format", "ods", "--out", self.tmp / "x"), 2, "--format ods")
        self.assertCleanError(keyproj("generate", "--plain", "--out", self.tmp / "x"), 2, "--plain")
        self.assertCleanError(keyproj("generate", "--format", "xlsx", "--chinese-headers", "--out",
                                      self.tmp / "x.xlsx"), 2, "--chinese-headers")


if __name__ == "__main__":
    unittest.main()
