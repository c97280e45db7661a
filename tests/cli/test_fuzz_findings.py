"""Regressions for what tests/cli_fuzz/cli_arg_fuzz.py found."""
import unittest

from cli_support import SAMPLE, TESTDATA, CliTestCase, keyproj


class FuzzFindings(CliTestCase):
    def test_validate_says_on_stderr_that_the_ledger_has_problems(self):
        # Every non-zero exit has a message on stderr; validate's list itself stays
        # on stdout (its output, for a pipe), the verdict goes to stderr.
        run = keyproj("validate", "--data", TESTDATA / "many_errors")
        self.assertEqual(run.code, 1, run.err)
        self.assertIn("projects.csv:3:5:", run.text)
        self.assertRegex(run.err, r"^keyproj validate: .*many_errors: 17 problems; 1 project would load "
                                  r"with --lenient\n$")
        self.assertNotIn("problems;", run.text)

    def test_a_template_that_is_not_utf8_is_a_usage_error_at_its_line(self):
        template = self.tmp / "gbk.txt"
        template.write_bytes("{范围}完成投资\n".encode("utf-8") + "共{projects}个项目\n".encode("gbk"))
        for encoding in ("utf8", "gb18030"):
            run = keyproj("report", "--data", SAMPLE, "--as-of", "2024-09-30", "--format", "text",
                          "--template", template, "--out-encoding", encoding)
            self.assertCleanError(run, 2, f"{template}: line 2, column 1: not UTF-8 text")
            self.assertEqual(run.out, b"")

    def test_a_scope_name_that_is_not_utf8_is_a_usage_error(self):
        for fmt in ("text", "table", "json"):
            # (--out-encoding is for the text formats: json refuses it.)
            encoding = ["--out-encoding", "gb18030"] if fmt != "json" else []
            run = keyproj("report", "--data", SAMPLE, "--as-of", "2024-09-30", "--format", fmt,
                          "--scope-name", b"\xe5\x85\xa8\xff", *encoding)
            self.assertCleanError(run, 2, "--scope-name: not UTF-8 text (byte 4)")


if __name__ == "__main__":
    unittest.main()
