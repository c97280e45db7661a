"""Regressions for what tests/cli_fuzz/cli_arg_fuzz.py found."""
import unittest

from cli_support import CliTestCase, TESTDATA, keyproj


class FuzzFindings(CliTestCase):
    def test_validate_says_on_stderr_that_the_ledger_has_problems(self):
        # Every non-zero exit has a message on stderr; validate's list itself stays
        # on stdout (its output, for a pipe), the verdict goes to stderr.
        run = keyproj("validate", "--data", TESTDATA / "many_errors")
        self.assertEqual(run.code, 1, run.err)
        self.assertIn("projects.csv:3:5:", run.text)
        self.assertRegex(run.err, r"^keyproj validate: .*many_errors: 17 problems; \d+ projects would load "
                                  r"with --lenient\n$")
        self.assertNotIn("problems;", run.text)


if __name__ == "__main__":
    unittest.main()
