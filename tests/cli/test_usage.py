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

    def test_targets_score_and_problems_take_it(self):
        # A bureau's older Excel opens their csv too: GB18030 as asked, the same text.
        for command, extra in (("targets", ["--targets", TARGETS]), ("score", ["--scheme", SCHEME]),
                               ("problems", [])):
            with self.subTest(command=command):
                utf8 = keyproj(command, "--data", SAMPLE, *extra, "--format", "csv")
                gb = keyproj(command, "--data", SAMPLE, *extra, "--format", "csv", "--out-encoding", "gb18030")
                self.assertRan(utf8)
                self.assertRan(gb)
                self.assertEqual(gb.out.decode("gb18030"), utf8.out.decode("utf-8-sig"))
                self.assertNotEqual(gb.out, utf8.out)
                self.assertCleanError(keyproj(command, "--data", SAMPLE, *extra, "--format", "json",
                                              "--out-encoding", "gb18030"), 2, f"keyproj {command}: --out-encoding")


class FxTest(CliTestCase):
    """A rate that is not a positive decimal is how the command was called, not a
    problem of the ledger: exit 2, once, naming --fx, before anything is read."""

    def test_every_command_refuses_a_bad_rate_before_reading(self):
        for command, extra in LEDGER_COMMANDS.items():
            for rate in ("abc", "0", "-1", "7,1", "1e3"):
                run = keyproj(command, "--data", FX_LEDGER, *extra, "--fx", f"USD={rate}", cwd=self.tmp)
                self.assertCleanError(run, 2, f"keyproj {command}: --fx USD={rate}",
                                      f"exchange rate for USD is not a positive decimal: '{rate}'",
                                      f"keyproj {command} --help")
                self.assertNotIn("needs an exchange rate", run.err, (command, rate))
                self.assertNotIn("funding.csv", run.err, (command, rate))
                # Nothing was read: a folder that is not there gives the same answer.
                missing = keyproj(command, "--data", self.tmp / "missing", *extra, "--fx", f"USD={rate}",
                                  cwd=self.tmp)
                self.assertCleanError(missing, 2, f"--fx USD={rate}")
        self.assertEqual(list(self.tmp.iterdir()), [])

    def test_a_good_rate_loads(self):
        self.assertRan(keyproj("report", "--data", FX_LEDGER, "--fx", "USD=7.1"))
        self.assertRan(keyproj("validate", "--data", FX_LEDGER, "--fx", "USD=0.5"))
        # Without a rate, the dollar row is the ledger's problem (exit 1).
        self.assertCleanError(keyproj("report", "--data", FX_LEDGER), 1, "currency USD needs an exchange rate")

    def test_other_load_options_are_usage_errors_of_the_command(self):
        run = keyproj("report", "--data", SAMPLE, "--merge-duplicates", "max")
        self.assertCleanError(run, 2, "keyproj report: --merge-duplicates max",
                              "(keyproj report --help lists the options)")
        run = keyproj("summary", "--data", SAMPLE, "--encoding", "latin1")
        self.assertCleanError(run, 2, "keyproj summary: --encoding latin1", "(keyproj summary --help")


class PlacesAndTemplateTest(CliTestCase):
    def report(self, *args):
        return keyproj("report", "--data", SAMPLE, "--as-of", "2024-09-30", *args)

    def test_unknown_indicator_is_refused(self):
        run = self.report("--places", "foo=1")
        self.assertCleanError(run, 2, "keyproj report: --places foo=1", "unknown indicator 'foo'",
                              "keyproj indicators")
        run = self.report("--places", "start_rate=0,start_ratee=1")
        self.assertCleanError(run, 2, "--places start_ratee=1", "unknown indicator 'start_ratee'")

    def test_every_unknown_indicator_and_dimension_is_listed(self):
        run = self.report("--indicators", "projects,nope,start_rate,zzz")
        self.assertCleanError(run, 2, "keyproj report: --indicators: 2 problems:\n  unknown indicator 'nope'",
                              "\n  unknown indicator 'zzz'")
        run = self.report("--group-by", "county,plnet", "--group-by", "categry")
        self.assertCleanError(run, 2, "keyproj report: --group-by: 2 problems:\n  unknown group-by dimension 'plnet'",
                              "\n  unknown group-by dimension 'categry'")

    def test_an_id_given_twice_is_refused(self):
        for args in (["--places", "start_rate=1", "--places", "start_rate=0"], ["--places", "start_rate=1,start_rate=0"]):
            self.assertCleanError(self.report(*args), 2, "keyproj report: --places start_rate given twice")

    def test_known_ids_take_places(self):
        self.assertRan(self.report("--indicators", "start_rate,support_approved.central_budget",
                                   "--places", "start_rate=0", "--places", "support_approved.central_budget=0"))
        # A custom indicator of --targets is known too.
        self.assertRan(self.report("--targets", TARGETS, "--indicators", "projects_over_1yi",
                                   "--places", "projects_over_1yi=0"))

    def test_template_without_text_is_refused(self):
        for args in ([], ["--format", "md"], ["--format", "json"]):
            run = self.report("--template", "quarter", *args)
            self.assertCleanError(run, 2, "keyproj report: --template", "--format text")
        self.assertRan(self.report("--template", "quarter", "--format", "text"))
        self.assertRan(self.report("--template", "leader", "--format", "md", "--dossier", "leader"))


class EveryMistakeAtOnceTest(CliTestCase):
    """A command line with several mistakes lists them all (one run, not one a run),
    and a mistyped option names the one it most likely meant."""

    def test_every_mistake_of_the_command_line(self):
        for command, extra in LEDGER_COMMANDS.items():
            run = keyproj(command, SAMPLE, *extra, "--fromat", "json", "--lenient=yes", "--regions", "--as_of")
            with self.subTest(command=command):
                self.assertCleanError(run, 2, f"keyproj {command}: 4 problems:", "\n  --regions needs a value",
                                      "\n  unknown option --fromat", "\n  --lenient takes no value",
                                      "\n  unknown option --as_of")
                # The guess is one of the command's own options.
                if command in ("report", "targets", "score", "problems"):
                    self.assertIn("--as_of (did you mean --as-of?)", run.err)
                else:
                    self.assertNotIn("did you mean --as-of", run.err)
        # A mistyped option's value is not a second mistake; an option nothing is near
        # gets no guess.
        run = keyproj("report", SAMPLE, "--grup-by", "county", "--xyz", "1")
        self.assertCleanError(run, 2, "2 problems:", "unknown option --grup-by (did you mean --group-by?)",
                              "unknown option --xyz\n")
        self.assertNotIn("'county'", run.err)
        self.assertNotIn("'1'", run.err)

    def test_every_wrong_value_of_a_report(self):
        run = keyproj("report", SAMPLE, "--as-of", "2024-13-01", "--format", "jsn", "--unit", "yuan",
                      "--filter", "catgory=x", "--stalled-months", "0", "--custom", "bad")
        self.assertCleanError(run, 2, "keyproj report: 6 problems:", "--format jsn", "--unit yuan",
                              "--as-of 2024-13-01", "--filter catgory=x", "--stalled-months 0", "--custom bad")
        self.assertEqual(run.out, b"")
        # A filter's own problems are each a problem of the command line, named by it.
        run = keyproj("report", SAMPLE, "--filter", "catgory=x,level=zz", "--as-of", "2024-13-01")
        self.assertCleanError(run, 2, "keyproj report: 3 problems:\n  --as-of 2024-13-01",
                              "\n  --filter catgory=x,level=zz: column 1: unknown filter key 'catgory'",
                              "\n  --filter catgory=x,level=zz: column 17: 'zz' is not a level")


class ShortHelpTest(CliTestCase):
    def test_every_command_takes_h(self):
        for command in ("report", "targets", "score", "problems", "indicators", "validate", "summary",
                        "generate", "pack", "merge"):
            short = keyproj(command, "-h")
            self.assertRan(short)
            self.assertEqual(short.out, keyproj(command, "--help").out, command)
            self.assertIn(b"usage: keyproj " + command.encode(), short.out)
        # Among other arguments, and at the top level.
        self.assertRan(keyproj("report", "--data", SAMPLE, "-h"))
        self.assertEqual(keyproj("-h").out, keyproj("--help").out)


class MessagesTest(CliTestCase):
    def test_one_project_is_singular(self):
        data = self.tmp / "ledger"
        data.mkdir()
        (data / "projects.csv").write_text("code,name,region,category,total_investment\n"
                                           "P1,一,610402,industry,100\n"
                                           "P2,,610402,industry,100\n", encoding="utf-8")
        run = keyproj("validate", "--data", data)
        self.assertEqual(run.code, 1, run.err)
        self.assertIn("1 problem; 1 project would load with --lenient", run.err)
        (data / "projects.csv").write_text("code,name,region,category,total_investment\n"
                                           "P1,一,610402,industry,100\n", encoding="utf-8")
        run = keyproj("validate", "--data", data)
        self.assertRan(run)
        self.assertIn(": ok, 1 project\n", run.text)

    def test_a_utf16_file_is_told_once_how_to_save_it(self):
        data = self.tmp / "ledger"
        data.mkdir()
        (data / "projects.csv").write_bytes("code,name,region,category,total_investment\r\n"
                                            "P1,项目一,610402,industry,100\r\n".encode("utf-16"))
        for encoding in ("auto", "utf8"):
            said = keyproj("validate", "--data", data, "--encoding", encoding).out.decode()
            self.assertEqual(said.count("the file is UTF-16: save it as CSV UTF-8;"), 1, (encoding, said))
            self.assertNotIn("save it as UTF-8", said, encoding)
            self.assertNotIn("save as UTF-8", said, encoding)

    def test_a_duplicate_base_of_the_whole_scope_has_one_space(self):
        data = self.tmp / "ledger"
        data.mkdir()
        (data / "projects.csv").write_text("code,name,region,category,total_investment\n"
                                           "P1,一,610402,industry,100\n", encoding="utf-8")
        (data / "baseline.csv").write_text("month,dimension,key,investment\n"
                                           "2024-03,all,,50\n2024-03,all,,60\n", encoding="utf-8")
        run = keyproj("validate", "--data", data)
        self.assertIn("duplicate base for 2024-03 all (first at line 2)", run.text)


if __name__ == "__main__":
    unittest.main()
