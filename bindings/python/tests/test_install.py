"""`pip install --no-build-isolation --no-index bindings/python` works offline, and
the installed package finds the library through KEYPROJ_LIBRARY or beside itself."""
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

from support import PACKAGE_ROOT, SAMPLE, keyproj

PROBE = ("import keyproj, sys; l = keyproj.Ledger.from_csv(sys.argv[1]); "
         "print(keyproj.__file__); print(keyproj.library_path); "
         "print(l.report(group_by='').tables[0].total['investment_ytd'])")


class PipInstall(unittest.TestCase):
    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory()
        self.tmp = Path(self._tmp.name)

    def tearDown(self):
        self._tmp.cleanup()

    def test_offline_install_into_a_target(self):
        # Built from a copy: setuptools writes build/ and *.egg-info into the tree it builds.
        src = self.tmp / "src"
        shutil.copytree(PACKAGE_ROOT, src, ignore=shutil.ignore_patterns("tests", "build", "*.egg-info",
                                                                          "__pycache__", "*.so*"))
        site = self.tmp / "site"
        env = dict(os.environ, PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_CACHE_DIR="1", PIP_NO_INPUT="1")
        env.pop("PYTHONPATH", None)
        env.pop("LD_PRELOAD", None)  # pip's own run needs no sanitizer runtime
        pip = subprocess.run([sys.executable, "-m", "pip", "install", "--no-build-isolation", "--no-index",
                              "--target", str(site), str(src)], capture_output=True, text=True, env=env,
                             timeout=300)
        self.assertEqual(pip.returncode, 0, pip.stdout + pip.stderr)
        installed = site / "keyproj"
        self.assertTrue((installed / "_ffi.py").is_file())
        self.assertTrue(list(site.glob("keyproj-*.dist-info")))

        expected = str(keyproj.Ledger.from_csv(SAMPLE).report(group_by="").tables[0].total["investment_ytd"])
        run_env = dict(os.environ, PYTHONPATH=str(site))
        # 1. through KEYPROJ_LIBRARY (as ctest sets it, or the built library's path).
        run_env["KEYPROJ_LIBRARY"] = keyproj.library_path
        run = subprocess.run([sys.executable, "-c", PROBE, str(SAMPLE)], capture_output=True, text=True,
                             env=run_env, cwd=self.tmp, timeout=120)
        self.assertEqual(run.returncode, 0, run.stderr)
        module, library, value = run.stdout.splitlines()
        self.assertEqual(Path(module).parent, installed)
        self.assertEqual(library, keyproj.library_path)
        self.assertEqual(value, expected)
        # 2. the library copied beside the installed package, no KEYPROJ_LIBRARY.
        shutil.copy(keyproj.library_path, installed / "libkeyproj.so.1")
        del run_env["KEYPROJ_LIBRARY"]
        run = subprocess.run([sys.executable, "-c", PROBE, str(SAMPLE)], capture_output=True, text=True,
                             env=run_env, cwd=self.tmp, timeout=120)
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertEqual(run.stdout.splitlines()[1:], [str(installed / "libkeyproj.so.1"), expected])


if __name__ == "__main__":
    unittest.main()
