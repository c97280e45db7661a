"""Shared by the binding's tests: where things are, the CLI to compare with, and the
package itself (from this checkout unless PYTHONPATH already names one)."""
import json
import os
import subprocess
import sys
import unittest
from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parents[1]  # bindings/python
SOURCE = Path(os.environ.get("KEYPROJ_SOURCE_DIR", PACKAGE_ROOT.parents[1]))
BIN = os.environ.get("KEYPROJ_BIN", str(SOURCE / "build/dev/src/keyproj"))
SAMPLE = SOURCE / "examples" / "data"
TESTDATA = SOURCE / "tests" / "data"
TARGETS = SOURCE / "examples" / "targets" / "1116.toml"
SCHEME = SOURCE / "examples" / "scoring" / "county.toml"

if not os.environ.get("PYTHONPATH"):
    sys.path.insert(0, str(PACKAGE_ROOT))

import keyproj  # noqa: E402,F401  (after the path is set; the tests import it from here)


def cli(*args, check=True) -> subprocess.CompletedProcess:
    """Runs the keyproj CLI; stdout as bytes."""
    proc = subprocess.run([BIN, *map(str, args)], capture_output=True, timeout=300)
    if check and proc.returncode != 0:
        raise AssertionError(f"keyproj {' '.join(map(str, args))}: exit {proc.returncode}\n"
                             f"{proc.stderr.decode('utf-8', 'replace')}")
    return proc


def cli_json(*args) -> dict:
    return json.loads(cli(*args).stdout.decode("utf-8"))


class SampleLedgerTestCase(unittest.TestCase):
    """A test class sharing one ledger of the sample folder, opened once: self.ledger."""

    @classmethod
    def setUpClass(cls):
        cls.ledger = keyproj.Ledger.from_csv(SAMPLE)

    @classmethod
    def tearDownClass(cls):
        cls.ledger.close()
