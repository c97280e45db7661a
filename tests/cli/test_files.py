"""What the CLI does with the paths it is given (docs/reliability.md): inputs are
regular files or a clear error, never a hang or an endless read; an --out target is
replaced whole (symlinks followed, permissions kept) or, when it is a FIFO, a device
or the process's own stdout, written in place; every write failure is a message and
exit 3, with nothing partial left behind."""
import os
import shutil
import stat
import subprocess
import threading
import unittest

from cli_support import BIN, SAMPLE, SCHEME, TARGETS, CliTestCase, keyproj



def csv_report(*extra):
    return ["report", "--data", SAMPLE, "--format", "csv", *extra]


class OutputTargetTest(CliTestCase):
    @classmethod
    def setUpClass(cls):
        run = keyproj(*csv_report())  # once: what every CSV target below must receive
        assert run.code == 0, run.err
        cls._expected_csv = run.out

    def expected_csv(self):
        return self._expected_csv

    def test_symlink_is_followed_and_stays_a_link(self):
        real = self.tmp / "outside" / "real.csv"
        real.parent.mkdir()
        real.write_text("old")
        link = self.tmp / "link.csv"
        link.symlink_to(real)
        self.assertRan(keyproj(*csv_report("--out", link)))
        self.assertTrue(link.is_symlink())
        self.assertEqual(os.readlink(link), str(real))
        self.assertEqual(real.read_bytes(), self.expected_csv())

    def test_relative_and_dangling_symlinks(self):
        (self.tmp / "d").mkdir()
        link = self.tmp / "d" / "link.csv"
        link.symlink_to("new.csv")  # relative to the link's folder, not the cwd
        self.assertRan(keyproj(*csv_report("--out", link)))
        self.assertTrue(link.is_symlink())
        self.assertEqual((self.tmp / "d" / "new.csv").read_bytes(), self.expected_csv())
        self.assertFalse((self.tmp / "new.csv").exists())

    def test_symlink_loop_is_an_error(self):
        (self.tmp / "a").symlink_to(self.tmp / "b")
        (self.tmp / "b").symlink_to(self.tmp / "a")
        self.assertCleanError(keyproj(*csv_report("--out", self.tmp / "a")), 3, "symbolic links")

    def test_permissions_of_a_replaced_file_are_kept(self):
        out = self.tmp / "report.csv"
        out.write_text("old")
        os.chmod(out, 0o640)
        self.assertRan(keyproj(*csv_report("--out", out)))
        self.assertEqual(stat.S_IMODE(out.stat().st_mode), 0o640)
        self.assertEqual(out.read_bytes(), self.expected_csv())

    def through_fifo(self, *args):
        """Runs keyproj with --out a FIFO whose reader is a thread; (run, bytes read)."""
        fifo = self.tmp / "pipe"
        os.mkfifo(fifo)
        got = {}

        def read():
            with open(fifo, "rb") as f:
                got["bytes"] = f.read()

        reader = threading.Thread(target=read)
        reader.start()
        run = keyproj(*args, "--out", fifo)
        reader.join(timeout=60)
        self.assertTrue(stat.S_ISFIFO(fifo.lstat().st_mode), "the FIFO is still a FIFO")
        return run, got.get("bytes", b"")

    def test_fifo_is_written_not_replaced(self):
        run, got = self.through_fifo(*csv_report())
        self.assertRan(run)
        self.assertEqual(got, self.expected_csv())

    def test_xlsx_into_a_fifo(self):
        run, got = self.through_fifo("report", "--data", SAMPLE, "--format", "xlsx")
        self.assertRan(run)
        self.assertTrue(got.startswith(b"PK"), "a zip (xlsx) came through the FIFO")

    def test_full_device_is_an_error_and_stays_a_device(self):
        target = self.tmp / "full"
        if os.geteuid() == 0:
            os.mknod(target, 0o666 | stat.S_IFCHR, os.makedev(1, 7))  # a private /dev/full
        else:
            target = "/dev/full"  # only root could replace it; still must be an error
        for fmt in ("csv", "xlsx"):
            run = keyproj("report", "--data", SAMPLE, "--format", fmt, "--out", target)
            self.assertCleanError(run, 3, "No space left on device")
            self.assertTrue(stat.S_ISCHR(os.lstat(target).st_mode))
        self.assertEqual([p.name for p in self.tmp.iterdir()], ["full"] if target != "/dev/full" else [])

    def test_dev_null(self):
        self.assertRan(keyproj(*csv_report("--out", "/dev/null")))
        self.assertTrue(stat.S_ISCHR(os.lstat("/dev/null").st_mode))

    def test_dev_stdout_is_the_own_stdout(self):
        out = self.tmp / "so.csv"
        out.write_bytes(b"before\n")
        with open(out, "ab") as f:  # appended to, as `>>` would
            proc = subprocess.run([BIN, *map(str, csv_report("--out", "/dev/stdout"))], stdout=f,
                                  stderr=subprocess.PIPE, timeout=300)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(out.read_bytes(), b"before\n" + self.expected_csv())
        self.assertTrue(os.path.islink("/dev/stdout"))

    def test_folder_and_missing_folder(self):
        self.assertCleanError(keyproj(*csv_report("--out", self.tmp)), 3, "a folder, not a file")
        self.assertCleanError(keyproj(*csv_report("--out", self.tmp / "no" / "x.csv")), 3,
                              "No such file or directory")

    def test_unwritable_place_leaves_nothing(self):
        (self.tmp / "file").write_text("x")
        self.assertCleanError(keyproj(*csv_report("--out", self.tmp / "file" / "x.csv")), 3, "Not a directory")
        self.assertEqual([p.name for p in self.tmp.iterdir()], ["file"])

    def test_generate_follows_symlinked_files_in_its_folder(self):
        out = self.tmp / "ledger"
        out.mkdir()
        real = self.tmp / "projects_real.csv"
        real.write_text("old")
        (out / "projects.csv").symlink_to(real)
        self.assertRan(keyproj("generate", "--projects", "20", "--out", out))
        self.assertTrue((out / "projects.csv").is_symlink())
        self.assertIn("code", real.read_text(encoding="utf-8-sig").splitlines()[0])
        self.assertEqual(sorted(p.name for p in self.tmp.iterdir()), ["ledger", "projects_real.csv"])


class StandardOutputTest(CliTestCase):
    def test_full_stdout_is_said(self):
        with open("/dev/full", "wb") as full:
            proc = subprocess.run([BIN, *map(str, csv_report())], stdout=full, stderr=subprocess.PIPE,
                                  timeout=300)
        self.assertEqual(proc.returncode, 3)
        self.assertIn(b"cannot write to standard output: No space left on device", proc.stderr)

    def test_closed_pipe_ends_quietly(self):
        # `keyproj ... | head`: the reader has what it wanted; as with cat, nothing is
        # said and the status is 0 (docs/reliability.md), not "Broken pipe" and 3.
        data = self.tmp / "ledger"
        self.assertRan(keyproj("generate", "--projects", "3000", "--out", data))
        # About 0.4 MB of JSON, and of a table: far more than a
        # pipe holds once its reader has gone.
        for args in (["report", "--data", data, "--fx", "USD=7.1", "--group-by", "leader", "--format", "json"],
                     ["report", "--data", data, "--fx", "USD=7.1", "--group-by", "leader,county"]):
            proc = subprocess.Popen([BIN, *map(str, args)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            proc.stdout.read(1)
            proc.stdout.close()
            err = proc.stderr.read()
            self.assertEqual(proc.wait(timeout=300), 0, (args, err))
            self.assertEqual(err, b"", args)

    def test_closed_stdout(self):
        proc = subprocess.run([BIN, *map(str, csv_report())], stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, timeout=300,
                              preexec_fn=lambda: os.close(1))
        self.assertEqual(proc.returncode, 3)
        self.assertIn(b"cannot write to standard output: Bad file descriptor", proc.stderr)

    def test_every_command_says_a_failed_stdout(self):
        for args in (["indicators"], ["summary", "--data", SAMPLE], ["validate", "--data", SAMPLE],
                     ["report", "--help"], ["--version"]):
            with open("/dev/full", "wb") as full:
                proc = subprocess.run([BIN, *map(str, args)], stdout=full, stderr=subprocess.PIPE, timeout=300)
            self.assertEqual(proc.returncode, 3, args)
            self.assertIn(b"cannot write to standard output", proc.stderr, args)


class InputFileTest(CliTestCase):
    def hostile_inputs(self):
        fifo = self.tmp / "fifo"
        os.mkfifo(fifo)
        folder = self.tmp / "folder"
        folder.mkdir()
        return {"a folder": folder, "a FIFO": fifo, "a device": "/dev/zero"}

    def test_every_file_flag_refuses_what_is_not_a_file(self):
        for what, path in self.hostile_inputs().items():
            for args in (["report", "--data", SAMPLE, "--format", "text", "--template", path],
                         ["report", "--data", SAMPLE, "--targets", path],
                         ["targets", "--data", SAMPLE, "--targets", path],
                         ["score", "--data", SAMPLE, "--scheme", path],
                         ["report", "--data", SAMPLE, "--regions", path]):
                run = keyproj(*args)
                self.assertIn(run.code, (2, 3), (what, args, run.err))
                self.assertIn(str(path), run.err, (what, args))
                self.assertNotIn("terminate called", run.err)
            run = keyproj("report", "--data", SAMPLE, "--schedule", f"curve:{path}")
            self.assertIn(run.code, (2, 3), (what, run.err))
            self.assertIn(str(path), run.err)

    def test_ledger_files_that_are_not_files(self):
        for what in ("fifo", "zero", "folder"):
            data = self.tmp / what
            shutil.copytree(SAMPLE, data)
            monthly = data / "monthly.csv"
            monthly.unlink()
            if what == "fifo":
                os.mkfifo(monthly)
            elif what == "zero":
                monthly.symlink_to("/dev/zero")
            else:
                monthly.mkdir()
            run = keyproj("summary", "--data", data)
            self.assertCleanError(run, 3, "monthly.csv")

    def test_regions_folder_without_regions_csv(self):
        run = keyproj("report", "--data", SAMPLE, "--regions", self.tmp)
        self.assertCleanError(run, 3, "without regions.csv")

    def test_calendar_edges(self):
        for as_of in ("1900-01-01", "1900-01-31", "9999-12-31", "9999-12"):
            for fmt in ("json", "text"):
                self.assertRan(keyproj("report", "--data", SAMPLE, "--as-of", as_of, "--format", fmt))
            self.assertRan(keyproj("targets", "--data", SAMPLE, "--targets", TARGETS, "--as-of", as_of))
            self.assertRan(keyproj("score", "--data", SAMPLE, "--scheme", SCHEME, "--as-of", as_of))
        for as_of in ("1899-12-31", "10000-01-01", "0000-01-01", "2024-02-30", "-1"):
            self.assertCleanError(keyproj("report", "--data", SAMPLE, "--as-of", as_of), 2, as_of)

    def test_generate_months_out_of_range_is_refused_not_clamped(self):
        run = keyproj("generate", "--projects", "5", "--months", "5000", "--out", self.tmp / "g")
        self.assertCleanError(run, 2, "--months 5000")
        self.assertFalse((self.tmp / "g").exists())


if __name__ == "__main__":
    unittest.main()
