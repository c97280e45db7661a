"""Bad usage is exit 2 with a message naming the option, said before the ledger is read
(docs/report.md: 0 ok, 1 ledger problems, 2 bad usage, 3 I/O); and the small things
every command shares: -h, the messages' English."""
import unittest

from cli_support import SAMPLE, TARGETS, SCHEME, TESTDATA, CliTestCase, keyproj

FX_LEDGER = TESTDATA / "cli_fx"  # one funding row in US dollars

# Every command that reads a ledger (each takes --fx and the other load options),
# with what else it needs to run.
LEDGER_COMMANDS = {
    "report": [],
    "targets": ["--targets", TARGETS],
    "score": ["--scheme", SCHEME],
    "problems": [],
    "summary": [],
    "validate": [],
    "pack": ["--out", "never-written.kpl"],
}


class OutEncodingTest(CliTestCase):
    """--out-encoding is for csv, md, text and table: JSON is UTF-8 by definition, a
    workbook holds Unicode."""

    def test_report_refuses_it_for_json_and_xlsx(self):
        for fmt, extra in (("json", []), ("xlsx", ["--out", self.tmp / "r.xlsx"])):
            for encoding in ("gb18030", "utf8"):
                run = keyproj("report", "--data", SAMPLE, "--format", fmt, *extra, "--out-encoding", encoding)
                self.assertCleanError(run, 2, "keyproj report: --out-encoding", f"--format {fmt}",
                                      "csv, md, text and table")
                self.assertEqual(run.out, b"")
        self.assertEqual(list(self.tmp.iterdir()), [])

    def test_merge_refuses_it_for_json_and_xlsx(self):
        # Refused before the partials are read: these do not exist.
        for fmt, extra in (("json", []), ("xlsx", ["--out", self.tmp / "m.xlsx", "--no-charts"])):
            run = keyproj("merge", self.tmp / "a.kpp", "--format", fmt, *extra, "--out-encoding", "gb18030")
            self.assertCleanError(run, 2, "keyproj merge: --out-encoding", f"--format {fmt}")

    def test_text_formats_take_it(self):
        for fmt in ("csv", "md", "text", "table"):
            run = keyproj("report", "--data", SAMPLE, "--format", fmt, "--out-encoding", "gb18030")
            self.assertRan(run)
            self.assertIn("项目".encode("gb18030"), run.out, fmt)

    def test_commands_without_it_say_so(self):
        for command, extra in (("targets", ["--targets", TARGETS]), ("score", ["--scheme", SCHEME]),
                               ("problems", [])):
            run = keyproj(command, "--data", SAMPLE, *extra, "--out-encoding", "gb18030")
            self.assertCleanError(run, 2, f"keyproj {command}: unknown option --out-encoding")


if __name__ == "__main__":
    unittest.main()
