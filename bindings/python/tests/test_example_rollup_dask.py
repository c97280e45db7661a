"""examples/python/rollup_dask.py runs (dask.distributed, 2 worker processes): it asserts
itself that the merged report equals the whole ledger's, and prints it. Label `examples`."""
import os
import subprocess
import sys
import unittest

from support import PACKAGE_ROOT, SOURCE

SCRIPT = SOURCE / "examples" / "python" / "rollup_dask.py"


class RollupDaskExample(unittest.TestCase):
    def test_runs_and_equals_the_whole_ledger(self):
        env = dict(os.environ, PYTHONPATH=str(PACKAGE_ROOT))
        run = subprocess.run([sys.executable, str(SCRIPT), "--projects", "3000"], capture_output=True, text=True,
                             env=env, timeout=300)
        self.assertEqual(run.returncode, 0, run.stderr)
        lines = run.stdout.splitlines()
        self.assertRegex(lines[0], r"^24 shards on 2 worker processes: .* equal to the whole ledger's report$")
        self.assertIn("按县区（截至2024年9月30日）", lines)
        self.assertIn("宝鸡市小计", run.stdout)


if __name__ == "__main__":
    unittest.main()
