"""keyproj targets and keyproj score on the sample ledger with the shipped examples."""
import json
import re
import shlex
import unittest

from cli_support import SAMPLE, SCHEME, SOURCE, TARGETS, CliTestCase, keyproj

AS_OF = "2024-09-30"


class Targets(CliTestCase):
    def test_table(self):
        run = keyproj("targets", "--data", SAMPLE, "--as-of", AS_OF, "--targets", TARGETS)
        self.assertRan(run)
        self.assertGolden("sample/targets.txt", run.out)

    def test_json_statuses_are_consistent(self):
        run = keyproj("targets", "--data", SAMPLE, "--as-of", AS_OF, "--targets", TARGETS, "--format", "json")
        self.assertRan(run)
        doc = json.loads(run.text)
        from decimal import Decimal
        block = doc["targets"][-1]
        self.assertEqual(block["group"], {})
        self.assertEqual(Decimal(block["schedule"]), Decimal("0.85"))  # the file's curve, September
        for s in block["status"]:
            if s["actual"] is None:
                self.assertEqual(s["status"], "not_applicable")
                continue
            actual, target = Decimal(s["actual"]), Decimal(s["target"])
            met = actual >= target if s["bound"] == ">=" else actual <= target
            self.assertEqual(s["status"] == "met", met, s)

    def test_per_county(self):
        run = keyproj("targets", "--data", SAMPLE, "--as-of", AS_OF, "--targets", TARGETS,
                      "--group-by", "county", "--format", "json")
        self.assertRan(run)
        self.assertGreater(len(json.loads(run.text)["targets"]), 2)

    def test_bad_file(self):
        bad = self.tmp / "t.toml"
        bad.write_text('[targets]\nreserv = ">= 1000"\n', encoding="utf-8")
        run = keyproj("targets", "--data", SAMPLE, "--targets", bad)
        self.assertCleanError(run, 2, "line 2", "reserv")


class Score(CliTestCase):
    def test_table(self):
        run = keyproj("score", "--data", SAMPLE, "--as-of", AS_OF, "--scheme", SCHEME)
        self.assertRan(run)
        self.assertGolden("sample/score.txt", run.out)

    def test_json_ranks(self):
        run = keyproj("score", "--data", SAMPLE, "--as-of", AS_OF, "--scheme", SCHEME, "--format", "json")
        self.assertRan(run)
        from decimal import Decimal
        groups = json.loads(run.text)["groups"]
        totals = [Decimal(g["total"]) for g in groups]
        self.assertEqual(totals, sorted(totals, reverse=True))
        for g in groups:
            # Each figure is rounded to 6 places on its own.
            rules = g["rules"].values()
            self.assertLessEqual(abs(sum(Decimal(r["points"]) for r in rules) - Decimal(g["total"])),
                                 Decimal("0.000001") * len(rules))
            self.assertEqual(g["rank"], 1 + sum(t > Decimal(g["total"]) for t in totals))

    def test_needs_a_scheme(self):
        self.assertCleanError(keyproj("score", "--data", SAMPLE), 2, "--scheme")


class ExampleCommands(CliTestCase):
    """The command lines the examples show in their comments are real commands."""

    # "#   keyproj score --data DIR ..." in a TOML comment, or a template line that
    # is such a command (templates have no comment syntax).
    COMMAND = re.compile(r"(?:^|#)\s*(keyproj\s+[a-z][a-z-]*(?:\s.*)?)$")

    def commands(self):
        examples = SOURCE / "examples"
        files = sorted(examples.glob("**/*.toml")) + sorted(p for p in (examples / "templates").glob("*") if p.is_file())
        for path in files:
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                m = self.COMMAND.search(line)
                if m:
                    yield f"{path.relative_to(SOURCE)}:{number}", m.group(1).strip()

    def test_commands_in_comments_parse(self):
        found = list(self.commands())
        self.assertGreaterEqual(len(found), 2, "the examples show how to run them")
        for where, command in found:
            # DIR stands for a ledger folder; paths are relative to the source tree.
            args = []
            for arg in shlex.split(command)[1:]:
                if arg == "DIR":
                    arg = str(SAMPLE)
                elif (SOURCE / arg).exists():
                    arg = str(SOURCE / arg)
                args.append(arg)
            with self.subTest(where=where, command=command):
                run = keyproj(*args, cwd=self.tmp)
                self.assertNotEqual(run.code, 2, f"{where}: usage error:\n{run.err}")
                self.assertGreaterEqual(run.code, 0, f"{where}: killed by a signal:\n{run.err}")


if __name__ == "__main__":
    unittest.main()
