"""Failures arrive as exceptions carrying the library's status and message, and the
problems of a load with file, line and column; misuse never crashes."""
import concurrent.futures
import multiprocessing
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

from support import BIN, PACKAGE_ROOT, SAMPLE, SampleLedgerTestCase, TESTDATA, cli, keyproj

MANY_ERRORS = TESTDATA / "many_errors"


class LoadErrors(unittest.TestCase):
    def test_missing_folder(self):
        with self.assertRaises(keyproj.NotFoundError) as e:
            keyproj.Ledger.from_csv("/no/such/ledger")
        err = e.exception
        self.assertIsInstance(err, keyproj.KeyprojError)
        self.assertEqual((err.status, err.status_name), (5, "NOT_FOUND"))
        self.assertEqual(err.function, "kp_ledger_open_csv")
        self.assertIn("/no/such/ledger", err.message)
        self.assertIn("kp_ledger_open_csv: NOT_FOUND: ", str(err))
        # A missing path is what `except FileNotFoundError` (or OSError) catches, as a
        # missing targets file already was (Python's own open).
        self.assertIsInstance(err, FileNotFoundError)
        self.assertIsInstance(err, LookupError)
        # Ledger.open of nothing names every kind of ledger it could have been (a
        # missing .kpl read "ledger folder not found").
        with self.assertRaises(keyproj.NotFoundError) as e:
            keyproj.Ledger.open("/no/such/ledger.kpl")
        self.assertIn("not found: /no/such/ledger.kpl (neither a ledger folder, nor a .kpl snapshot",
                      e.exception.message)

    def test_the_fx_hint_names_the_python_argument(self):
        with tempfile.TemporaryDirectory() as tmp:
            ledger = Path(tmp) / "ledger"
            shutil.copytree(SAMPLE, ledger)
            with open(ledger / "funding.csv", "a", encoding="utf-8") as f:
                first = (ledger / "projects.csv").read_text(encoding="utf-8").splitlines()[1].split(",")[0]
                header = (ledger / "funding.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
                row = {"code": first, "source": "local_fiscal", "year": "2024", "requested": "1", "currency": "EUR"}
                f.write(",".join(row.get(h, "") for h in header) + "\n")
            with self.assertRaises(keyproj.LoadError) as e:
                keyproj.Ledger.from_csv(ledger)
            self.assertIn("currency EUR needs an exchange rate (fx={'EUR': 'RATE'})", str(e.exception))

    def test_gbk_is_read_as_gb18030_and_closed_reports_say_so(self):
        with tempfile.TemporaryDirectory() as tmp:
            for f in SAMPLE.glob("*.csv"):
                (Path(tmp) / f.name).write_bytes(f.read_text(encoding="utf-8").encode("gb18030"))
            with keyproj.Ledger.from_csv(tmp, encoding="GBK") as gbk, keyproj.Ledger.from_csv(SAMPLE) as auto:
                self.assertEqual(gbk.project_count, auto.project_count)
        with keyproj.Ledger.from_csv(SAMPLE) as gbk, keyproj.Ledger.from_csv(SAMPLE) as auto:
            self.assertEqual(gbk.project_count, auto.project_count)
            report = gbk.report(as_of="2024-09-30")
            self.assertIn("tables>", repr(report))
            report.close()
            self.assertEqual(repr(report), "<keyproj.Report (closed)>")

    def test_a_pair_is_values_and_scale_and_the_errors_say_so(self):
        with self.assertRaisesRegex(ValueError, r"scale 610403: .*\(a 2-tuple is read as \(values, scale\)"):
            keyproj.Ledger.from_columns({"code": ["A1", "A2"], "name": ["a", "b"], "region": (610402, 610403)})
        with self.assertRaisesRegex(TypeError, r"got str \(a 2-tuple is read as \(values, scale\)"):
            keyproj.Ledger.from_columns({"code": ["A1", "A2"], "name": ("a", 2)})

    def test_strict_load_lists_every_problem_as_the_cli(self):
        with self.assertRaises(keyproj.LoadError) as e:
            keyproj.Ledger.from_csv(MANY_ERRORS)
        err = e.exception
        self.assertEqual(err.status_name, "INVALID_ARGUMENT")
        self.assertIsInstance(err, ValueError)
        # `keyproj validate` lists the same problems, one "file:line:column: ..." per line.
        listed = cli("validate", "--data", MANY_ERRORS, check=False)
        self.assertEqual(listed.returncode, 1)
        expected = [l for l in listed.stdout.decode("utf-8").splitlines() + listed.stderr.decode("utf-8").splitlines()
                    if l.startswith(("projects.csv:", "monthly.csv:"))]
        self.assertEqual(len(err.problems), 17)
        # The same texts, but for the hint naming the option: the CLI's flag, here
        # Ledger.from_csv's keyword as a Python caller writes it.
        self.assertEqual([p.text for p in err.problems],
                         [l.replace("--merge-duplicates sum", "merge_duplicates=True") for l in expected])
        self.assertTrue(any("merge_duplicates=True" in p.reason for p in err.problems))
        first = err.problems[0]
        self.assertEqual((first.file, first.line, first.column, first.field), ("projects.csv", 3, 5, "total_investment"))
        self.assertIn("not a decimal number", first.reason)
        self.assertEqual(str(first), first.text)
        for p in err.problems:
            self.assertTrue(p.file.endswith(".csv") and p.line > 0 and p.column > 0 and p.reason, p)
        self.assertIn("projects.csv:3:5:", str(err))

    def test_bad_options(self):
        with self.assertRaisesRegex(ValueError, "encoding 'latin1'"):
            keyproj.Ledger.from_csv(SAMPLE, encoding="latin1")
        with self.assertRaisesRegex(ValueError, "path: contains a NUL"):
            keyproj.Ledger.from_csv("examples\0data")
        with self.assertRaisesRegex(TypeError, "open one with Ledger.from_csv"):
            keyproj.Ledger()


class RequestErrors(SampleLedgerTestCase):
    def assertInvalid(self, function, needle, **kwargs):
        with self.assertRaises(keyproj.InvalidArgumentError) as e:
            self.ledger.report(**kwargs)
        self.assertEqual(e.exception.function, function)
        self.assertEqual(e.exception.status, 3)
        self.assertIn(needle, e.exception.message)
        self.assertIn(needle, str(e.exception))
        return e.exception

    def test_bad_indicator_carries_the_c_message(self):
        err = self.assertInvalid("kp_report_request_set_indicators", "no_such_indicator",
                                 indicators=["projects", "no_such_indicator"])
        self.assertTrue(err.message.startswith("indicators: "), err.message)
        # The message is the library's, the same the CLI prints for the same id.
        run = cli("report", "--data", SAMPLE, "--indicators", "projects,no_such_indicator", check=False)
        self.assertNotEqual(run.returncode, 0)
        self.assertIn(err.message.split(": ", 1)[1].split(";")[0], run.stderr.decode("utf-8"))

    def test_bad_values_name_themselves(self):
        self.assertInvalid("kp_report_request_set_as_of", "as_of '2024-13-45'", as_of="2024-13-45")
        self.assertInvalid("kp_report_request_add_grouping", "'category,nowhere'", group_by="category,nowhere")
        self.assertInvalid("kp_report_request_set_filter", "filter 'colour=red'", filter="colour=red")
        self.assertInvalid("kp_report_request_set_schedule", "schedule 'weekly'", schedule="weekly")
        self.assertInvalid("kp_report_request_set_threshold", "deadline_day 40", deadline_day=40)
        self.assertInvalid("kp_report_request_add_custom_indicator", "unit 'furlongs'",
                           custom={"x": ("projects * 2", None, "furlongs")})

    def test_python_side_checks(self):
        with self.assertRaisesRegex(TypeError, "binary float"):
            self.ledger.report(behind_points=5.5)
        with self.assertRaisesRegex(ValueError, "hundredths"):
            self.ledger.report(behind_points="5.555")
        with self.assertRaisesRegex(TypeError, "stalled_months: expected int"):
            self.ledger.report(stalled_months="3")
        with self.assertRaisesRegex(TypeError, "countdown_days: expected int"):
            self.ledger.report(countdown_days="30")
        with self.assertRaisesRegex(TypeError, "signed_months: expected int"):
            self.ledger.report(signed_months=6.0)
        report = self.ledger.report(group_by="county", indicators="projects")
        with self.assertRaisesRegex(ValueError, "format 'pdf'"):
            report.render("pdf")
        with self.assertRaisesRegex(KeyError, "'start_rate' is not in table"):
            report.tables[0].total.display("start_rate")

    def test_library_refuses_what_python_passes_on(self):
        report = self.ledger.report(group_by="county", indicators="projects")
        with self.assertRaises(keyproj.KeyprojError) as e:
            report.render_targets()  # no target set was asked for
        self.assertEqual(e.exception.function, "kp_report_render_targets")
        self.assertTrue(e.exception.message)
        for kwargs, message in (({"countdown_days": 0}, "countdown_days 0"),
                                ({"countdown_days": 367}, "countdown_days 367"),
                                ({"signed_months": 121}, "signed_months 121")):
            with self.assertRaises(keyproj.InvalidArgumentError) as e:
                self.ledger.report(indicators="projects", **kwargs)
            self.assertEqual(e.exception.function, "kp_report_request_set_threshold")
            self.assertIn(message, e.exception.message)

    def test_a_workbook_is_not_rendered(self):
        report = self.ledger.report(group_by="county", indicators="projects")
        for call in (lambda: report.render("xlsx"), lambda: report.render("xlsx", encoding="utf-8"),
                     lambda: report.render_targets("xlsx"), lambda: report.render_scores("xlsx")):
            with self.assertRaisesRegex(ValueError, r"format 'xlsx': .*use Report\.write_xlsx\(path\)") as e:
                call()
            self.assertNotIsInstance(e.exception, keyproj.KeyprojError)  # refused before any C call
        with self.assertRaises(ValueError) as e:
            report.render("pdf")
        self.assertIn("use one of table, json, csv, markdown, md, text", str(e.exception))
        self.assertNotIn("xlsx", str(e.exception))
        with self.assertRaises(ValueError) as e:
            self.ledger.problem_list(format="xlsx")
        self.assertNotIn("xlsx,", str(e.exception).split("use one of")[1])

    def test_a_file_that_cannot_be_written_is_an_os_error(self):
        report = self.ledger.report(group_by="county", indicators="projects")
        with tempfile.TemporaryDirectory() as tmp:
            for call, function in ((lambda p: report.write_xlsx(p), "kp_report_write_xlsx"),
                                   (lambda p: report.dossiers(format="xlsx", path=p), "kp_report_write_xlsx"),
                                   (lambda p: self.ledger.pack(p), "kp_ledger_pack")):
                path = Path(tmp) / "no_such_folder" / "out.bin"
                with self.assertRaises(OSError) as e:
                    call(path)
                err = e.exception
                self.assertIsInstance(err, keyproj.UnavailableError)
                self.assertIsInstance(err, keyproj.KeyprojError)
                self.assertEqual((err.function, err.status, err.status_name), (function, 14, "UNAVAILABLE"))
                self.assertIn(str(path), err.message)
                self.assertEqual(str(err), f"{function}: UNAVAILABLE: {err.message}")
        self.assertTrue(issubclass(keyproj.PermissionDeniedError, PermissionError))

    def test_targets_file_error_names_the_file(self):
        with tempfile.TemporaryDirectory() as tmp:
            bad = Path(tmp) / "bad.toml"
            bad.write_text('name = "x"\n[[target]]\nindicator = "no_such"\n', encoding="utf-8")
            with self.assertRaises(keyproj.KeyprojError) as e:
                self.ledger.report(targets=bad, group_by=[])
            self.assertTrue(e.exception.message.startswith(f"{bad}: targets: "), e.exception.message)
            with self.assertRaises(FileNotFoundError):
                self.ledger.report(targets=Path(tmp) / "missing.toml")


# A ledger of one project whose one bad cell (a negative total_investment) fails a strict load.
ONE_BAD_CELL = ("code,name,region,category,total_investment\n"
                "2024-610403-05-01-AAAAAA,a,610403,urban,-5\n")


def project_count(folder):
    """A pool's job (module level, so a spawned worker can import it)."""
    with keyproj.Ledger.from_csv(folder) as ledger:
        return ledger.project_count


class Pickling(unittest.TestCase):
    """Exceptions cross processes (multiprocessing, concurrent.futures, dask) whole."""

    def assertSameError(self, got, sent):
        self.assertIs(type(got), type(sent))
        for attr in ("function", "status", "status_name", "message"):
            self.assertEqual(getattr(got, attr), getattr(sent, attr), attr)
        self.assertEqual(str(got), str(sent))
        self.assertEqual(got.args, sent.args)

    def test_every_error_class_round_trips(self):
        errors = [keyproj.KeyprojError("kp_f", 13, "INTERNAL", "boom"),
                  keyproj.KeyprojError("kp_f", 2, "UNKNOWN", ""),
                  keyproj.InvalidArgumentError("kp_report_request_set_as_of", 3, "INVALID_ARGUMENT", "as_of 'x'"),
                  keyproj.NotFoundError("kp_ledger_open_csv", 5, "NOT_FOUND", "/no/such"),
                  keyproj.OutOfRangeError("kp_report_value_text", 11, "OUT_OF_RANGE", "row 9"),
                  keyproj.PermissionDeniedError("kp_ledger_open", 7, "PERMISSION_DENIED", "cannot read /x"),
                  keyproj.UnavailableError("kp_ledger_pack", 14, "UNAVAILABLE", "cannot write /x")]
        for protocol in range(2, pickle.HIGHEST_PROTOCOL + 1):
            for sent in errors:
                with self.subTest(type(sent).__name__, protocol=protocol):
                    self.assertSameError(pickle.loads(pickle.dumps(sent, protocol)), sent)

    def test_load_error_round_trips_with_its_problems(self):
        with tempfile.TemporaryDirectory() as tmp:
            Path(tmp, "projects.csv").write_text(ONE_BAD_CELL, encoding="utf-8")
            with self.assertRaises(keyproj.LoadError) as e:
                keyproj.Ledger.from_csv(tmp)
        sent = e.exception
        sent.note = "set after raising"  # an attribute a caller added travels too
        got = pickle.loads(pickle.dumps(sent))
        self.assertSameError(got, sent)
        self.assertEqual(got.problems, sent.problems)
        self.assertEqual(len(got.problems), 1)
        self.assertIsInstance(got.problems[0], keyproj.Problem)
        self.assertEqual(got.problems[0][:3], ("projects.csv", 2, 5))
        self.assertEqual(got.note, "set after raising")
        # And one made of many problems (its str() lists at most 20).
        with self.assertRaises(keyproj.LoadError) as e:
            keyproj.Ledger.from_csv(MANY_ERRORS)
        got = pickle.loads(pickle.dumps(e.exception))
        self.assertSameError(got, e.exception)
        self.assertEqual(got.problems, e.exception.problems)

    def test_a_pool_delivers_the_load_error_and_keeps_working(self):
        with tempfile.TemporaryDirectory() as tmp:
            Path(tmp, "projects.csv").write_text(ONE_BAD_CELL, encoding="utf-8")
            # spawn: the worker starts afresh (no fork of a process with the library's threads).
            with concurrent.futures.ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
                with self.assertRaises(keyproj.LoadError) as e:
                    pool.submit(project_count, tmp).result(timeout=120)
                self.assertEqual(e.exception.status_name, "INVALID_ARGUMENT")
                self.assertEqual([p[:3] for p in e.exception.problems], [("projects.csv", 2, 5)])
                self.assertIn("projects.csv:2:5:", str(e.exception))
                self.assertEqual(pool.submit(project_count, str(SAMPLE)).result(timeout=120), 1500)


def run_python(code, **env):
    full = dict(os.environ, PYTHONPATH=str(PACKAGE_ROOT), **env)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=full, timeout=120)


class ImportChecks(unittest.TestCase):
    def test_a_missing_library_is_named(self):
        run = run_python("import keyproj", KEYPROJ_LIBRARY="/nowhere/libkeyproj.so.1")
        self.assertNotEqual(run.returncode, 0)
        self.assertIn("ImportError: keyproj: cannot load libkeyproj.so.1", run.stderr)
        self.assertIn("KEYPROJ_LIBRARY: /nowhere/libkeyproj.so.1: no such file", run.stderr)

    def test_another_abi_is_refused(self):
        # A library with every kp_* symbol whose kp_abi_version() says 2: made here
        # from the package's own prototype table.
        names = [name for name, _, _ in keyproj._ffi.PROTOTYPES]
        source = "".join(f"int {n}(void) {{ return {2 if n == 'kp_abi_version' else 0}; }}\n" for n in names)
        with tempfile.TemporaryDirectory() as tmp:
            c_file, lib = Path(tmp) / "fake.c", Path(tmp) / "libkeyproj.so.1"
            c_file.write_text(source)
            subprocess.run(["cc", "-shared", "-fPIC", "-o", str(lib), str(c_file)], check=True)
            run = run_python("import keyproj", KEYPROJ_LIBRARY=str(lib))
        self.assertNotEqual(run.returncode, 0)
        self.assertIn(f"ImportError: keyproj {keyproj.__version__} (Python) is written for ABI 1 "
                      f"(libkeyproj.so.1), but {lib} has ABI 2", run.stderr)

    def test_the_library_in_use_is_the_one_named(self):
        if "KEYPROJ_LIBRARY" in os.environ:
            self.assertEqual(keyproj.library_path, os.environ["KEYPROJ_LIBRARY"])
        self.assertEqual(keyproj.library_version, keyproj.__version__)
        self.assertTrue(os.path.exists(BIN))


if __name__ == "__main__":
    unittest.main()
