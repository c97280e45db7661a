"""Running the keyproj binary from the CLI tests."""
import os
import shutil
import subprocess
import tempfile
import unittest
from pathlib import Path

SOURCE = Path(os.environ.get("KEYPROJ_SOURCE_DIR", Path(__file__).resolve().parents[2]))
BIN = os.environ.get("KEYPROJ_BIN", str(SOURCE / "build/dev/src/keyproj"))
SAMPLE = SOURCE / "examples" / "data"
TARGETS = SOURCE / "examples" / "targets" / "1116.toml"
SCHEME = SOURCE / "examples" / "scoring" / "county.toml"
TESTDATA = SOURCE / "tests" / "data"
GOLDEN = SOURCE / "tests" / "golden"
# KEYPROJ_UPDATE_GOLDEN=1 rewrites the golden files instead of comparing (then
# read the diff before committing it).
UPDATE = os.environ.get("KEYPROJ_UPDATE_GOLDEN") == "1"


class Run:
    def __init__(self, proc):
        self.code = proc.returncode
        self.out = proc.stdout
        self.err = proc.stderr.decode("utf-8", "replace")

    @property
    def text(self):
        return self.out.decode("utf-8")


def keyproj(*args, cwd=None):
    """Runs the CLI; bytes arguments go as they are (text that is not UTF-8)."""
    argv = [BIN, *(a if isinstance(a, bytes) else str(a) for a in args)]
    proc = subprocess.run(argv, capture_output=True, cwd=cwd, timeout=300)
    return Run(proc)


class CliTestCase(unittest.TestCase):
    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory()
        self.tmp = Path(self._tmp.name)

    def tearDown(self):
        self._tmp.cleanup()

    def assertRan(self, run, code=0):
        self.assertEqual(run.code, code, f"exit {run.code}, stderr:\n{run.err}")

    def assertCleanError(self, run, code, *needles):
        """A non-zero exit with a message that names what went wrong, no crash."""
        self.assertEqual(run.code, code, f"exit {run.code}, stderr:\n{run.err}")
        self.assertIn("keyproj", run.err)
        for n in needles:
            self.assertIn(n, run.err)
        for crash in ("terminate called", "Traceback", "Aborted", "Segmentation", "what():"):
            self.assertNotIn(crash, run.err)

    def assertGolden(self, name, data: bytes):
        path = GOLDEN / name
        if UPDATE:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            return
        self.assertTrue(path.exists(), f"{path} is missing (KEYPROJ_UPDATE_GOLDEN=1 writes it)")
        expected = path.read_bytes()
        if data != expected:
            self.fail(f"{name} differs from the golden file; got:\n{data.decode('utf-8', 'replace')[:3000]}")


def edited_sample(tmp, name, edit):
    """A copy of the sample ledger in tmp whose file `name` has its lines changed by
    edit(lines) (in place); returns the copy's folder."""
    ledger = Path(tmp) / "ledger"
    shutil.copytree(SAMPLE, ledger)
    path = ledger / name
    lines = path.read_text(encoding="utf-8").splitlines()
    edit(lines)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return ledger
