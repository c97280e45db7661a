"""examples/python/dashboard.py runs, and what it prints is the engine's figures (as
the CLI's JSON has them), so the example cannot rot unnoticed. Label `examples`."""
import os
import subprocess
import sys
import unittest
from decimal import Decimal

from support import PACKAGE_ROOT, SAMPLE, SOURCE, cli_json

SCRIPT = SOURCE / "examples" / "python" / "dashboard.py"


class DashboardExample(unittest.TestCase):
    def run_example(self, *args):
        env = dict(os.environ, PYTHONPATH=str(PACKAGE_ROOT))
        run = subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, env=env,
                             timeout=120)
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertEqual(run.stderr, "")
        return run.stdout.splitlines()

    def check(self, lines, cli_args):
        doc = cli_json("report", "--data", SAMPLE, "--format", "json", "--group-by", "county",
                       "--indicators", "projects,start_rate,investment_ytd", *cli_args)
        counties = doc["rows"][:-1]
        self.assertEqual(lines[0], f"按县区: {len(counties)} counties")
        # One printed line per county with its code and exact figures, in the CLI's order.
        rows = [l.split() for l in lines[3:3 + len(counties)]]
        for row, want in zip(rows, counties):
            v = want["values"]
            self.assertEqual([row[0], row[2], row[4], row[5]],
                             [want["group"]["county"], v["projects"], v["start_rate"], v["investment_ytd"]])
        total = doc["rows"][-1]
        last = lines[3 + len(counties)].split()
        self.assertEqual([last[0], last[1], last[2], last[4]],
                         ["(whole", "scope)", total["values"]["projects"], total["values"]["start_rate"]])
        self.assertIn(f"investment so far this year: {total['values']['investment_ytd']} 万元 (counties add up to "
                      f"{total['values']['investment_ytd']}: equal)", lines)
        self.assertIn(f"start rate: {total['display']['start_rate']},", "\n".join(lines))
        largest = max(counties, key=lambda r: Decimal(r["values"]["investment_ytd"]))
        self.assertTrue(lines[-1].startswith("largest investment: "), lines[-1])
        self.assertIn(f" {largest['values']['investment_ytd']} 万元", lines[-1].split(",")[0])

    def test_default_date(self):
        self.check(self.run_example(), [])

    def test_other_date(self):
        self.check(self.run_example("--as-of", "2024-05"), ["--as-of", "2024-05"])


if __name__ == "__main__":
    unittest.main()
