"""keyproj targets and keyproj score on the sample ledger with the shipped examples."""
import json
from decimal import Decimal
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

    def test_bad_file_lists_every_problem_naming_the_file(self):
        bad = self.tmp / "t.toml"
        bad.write_text('[targets]\nreserv = ">= 1000"\nstarted_ytd = ">= lots"\n', encoding="utf-8")
        run = keyproj("targets", "--data", SAMPLE, "--targets", bad)
        self.assertCleanError(run, 2, f"{bad}: 2 problems:\n  line 2, column 1: unknown indicator 'reserv'",
                              "\n  line 3, column 15: target 'started_ytd'")
        # The file is wrong, not the command line: no pointer to --help.
        self.assertNotIn("--help", run.err)

    def test_tasks_the_ledger_cannot_place_name_the_file(self):
        # [tasks] groups are checked against the ledger, after the file reads: still
        # the file's mistakes, named by it, every one, for targets, score and report.
        bad = self.tmp / "tasks.toml"
        bad.write_text('[tasks]\ngroup_by = "county"\n[tasks.started_ytd]\n"不存在县" = ">= 10"\n"秦都区" = ">= 5"\n'
                       '"也不存在" = ">= 5"\n', encoding="utf-8")
        for args in (("targets", "--targets", bad), ("report", "--targets", bad),
                     ("score", "--scheme", SCHEME, "--targets", bad)):
            with self.subTest(args[0]):
                run = keyproj(*args, "--data", SAMPLE)
                self.assertCleanError(run, 2, f"keyproj {args[0]}: {bad}: 2 problems:\n  line 4, column 1: task "
                                      "'started_ytd' of '不存在县'", "\n  line 6, column 1: task 'started_ytd' of '也不存在'")
                self.assertNotIn("--help", run.err)


class Score(CliTestCase):
    def test_table(self):
        run = keyproj("score", "--data", SAMPLE, "--as-of", AS_OF, "--scheme", SCHEME)
        self.assertRan(run)
        self.assertGolden("sample/score.txt", run.out)

    def test_efficacy_over_rates_without_a_name(self):
        # 同比增长 by county: exact scores too long for 128 bits are still scored (they
        # once failed the command); a scheme without title or name is headed 分档计分.
        scheme = self.tmp / "yoy.toml"
        scheme.write_text('group_by = "county"\n[[rule]]\nmethod = "proportional"\nindicator = "plan_completion"\n'
                          'target = "100%"\nweight = 30\n[[rule]]\nmethod = "efficacy"\nindicator = "yoy_growth"\n',
                          encoding="utf-8")
        run = keyproj("score", "--data", SAMPLE, "--as-of", AS_OF, "--scheme", scheme)
        self.assertRan(run)
        self.assertTrue(run.text.startswith("分档计分（截至"), run.text[:40])
        run = keyproj("score", "--data", SAMPLE, "--as-of", AS_OF, "--scheme", scheme, "--format", "json")
        self.assertRan(run)
        groups = json.loads(run.text)["groups"]
        self.assertGreater(len(groups), 10)
        best = [g for g in groups if g["rank"] == 1]
        self.assertGreaterEqual(Decimal(best[0]["rules"]["yoy_growth"]["points"]), 60)

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


TASKS = SOURCE / "examples" / "targets" / "county_tasks.toml"


class TargetsPerGroup(CliTestCase):
    """任务分解: examples/targets/county_tasks.toml, 咸阳市's counties each with its own task."""

    def run_tasks(self, *extra):
        return keyproj("targets", "--data", SAMPLE, "--as-of", AS_OF, "--filter", "region=6104",
                       "--targets", TASKS, *extra)

    def test_table(self):
        run = self.run_tasks()
        self.assertRan(run)
        self.assertGolden("sample/targets.county_tasks.txt", run.out)

    def test_json_each_county_against_its_own_task(self):
        from decimal import Decimal
        run = self.run_tasks("--format", "json")
        self.assertRan(run)
        blocks = json.loads(run.text)["targets"]
        self.assertEqual(len(blocks), 9)  # 8 counties and the city
        by_county = {b["group"].get("county"): {s["indicator"]: s for s in b["status"]} for b in blocks}
        # Own tasks as the file writes them: 秦都区 by code, 杨陵区 by name.
        self.assertEqual(by_county["610402"]["started_ytd"]["target"], "24")
        self.assertEqual(by_county["610402"]["started_ytd"]["target_of"], "group")
        self.assertEqual(by_county["610403"]["started_ytd"]["target"], "15")
        # 永寿县 has no started_ytd task and no value for all.
        self.assertIsNone(by_county["610426"]["started_ytd"]["target"])
        self.assertEqual(by_county["610426"]["started_ytd"]["status"], "not_applicable")
        # plan_completion: 75% for all, 礼泉县 its own 85%.
        self.assertEqual(Decimal(by_county["610404"]["plan_completion"]["target"]), Decimal("0.75"))
        self.assertEqual(Decimal(by_county["610425"]["plan_completion"]["target"]), Decimal("0.85"))
        # The city: investment_ytd, a task for every county, against the sum of the
        # counties' own tasks (and the sum of their actuals).
        city = by_county[None]
        tasks = sum(Decimal(b["status"][2]["target"]) for b in blocks[:-1])
        self.assertEqual([b["status"][2]["indicator"] for b in blocks], ["investment_ytd"] * 9)
        self.assertEqual(Decimal(city["investment_ytd"]["target"]), tasks)
        self.assertEqual(Decimal(city["investment_ytd"]["target"]), Decimal("4580000"))  # 458亿元
        self.assertEqual(city["investment_ytd"]["target_of"], "groups_sum")
        actual = sum(Decimal(b["status"][2]["actual"]) for b in blocks[:-1])
        self.assertEqual(Decimal(city["investment_ytd"]["actual"]), actual)
        # started_ytd: 永寿县 has no task, so the seven others' are not the city's --
        # no target for the city, rather than 7 counties' tasks against 8 counties' starts.
        self.assertIsNone(city["started_ytd"]["target"])
        self.assertEqual(city["started_ytd"]["target_of"], "none")
        self.assertEqual(city["started_ytd"]["status"], "not_applicable")

    def test_csv_and_md(self):
        csv = self.run_tasks("--format", "csv")
        self.assertRan(csv)
        lines = csv.text.lstrip("\ufeff").splitlines()
        self.assertEqual(lines[0], "县区,序时进度,指标,实际,目标,完成进度,差距,状态")
        self.assertEqual(len(lines), 1 + 9 * 3)
        self.assertIn("永寿县,75.0%,新开工项目数,6,—,—,—,—", lines)
        md = self.run_tasks("--format", "md")
        self.assertRan(md)
        self.assertIn("### 2024年咸阳市重点项目目标任务分解 — 杨陵区", md.text)

    def test_report_shows_every_county(self):
        run = keyproj("report", "--data", SAMPLE, "--as-of", AS_OF, "--filter", "region=6104",
                      "--targets", TASKS)
        self.assertRan(run)
        self.assertIn("2024年咸阳市重点项目目标任务分解 — 永寿县", run.text)

    def test_report_in_json_csv_and_xlsx_shows_every_county(self):
        """`report --targets` with a broken-down set: every format carries each county's
        block, the same figures as `keyproj targets`."""
        import zipfile
        args = ("report", "--data", SAMPLE, "--as-of", AS_OF, "--filter", "region=6104", "--targets", TASKS)
        want = json.loads(self.run_tasks("--format", "json").text)["targets"]
        doc = json.loads(keyproj(*args, "--format", "json").text)
        first = doc[0] if isinstance(doc, list) else doc
        self.assertEqual(first["targets_by_group"], want)
        self.assertEqual(len(first["targets"]), len(want[-1]["status"]))  # the whole scope's, as before
        csv = keyproj(*args, "--format", "csv").text.lstrip("\ufeff")
        tasks_csv = self.run_tasks("--format", "csv").text.lstrip("\ufeff")
        self.assertTrue(csv.endswith("\r\n\r\n" + tasks_csv), csv[-300:])
        out = self.tmp / "r.xlsx"
        self.assertRan(keyproj(*args, "--format", "xlsx", "--out", out))
        with zipfile.ZipFile(out) as z:
            book = z.read("xl/workbook.xml").decode("utf-8")
            strings = z.read("xl/sharedStrings.xml").decode("utf-8")
        self.assertIn('name="任务分解"', book)
        self.assertIn("2024年1-9月全市重点项目目标任务分解完成情况表（按县区）", strings)
        for county in ("永寿县", "杨陵区", "秦都区"):
            self.assertIn(county, strings)

    def test_other_grouping_and_unknown_county_are_errors(self):
        run = self.run_tasks("--group-by", "department")
        self.assertCleanError(run, 2, "breaks its targets down by county")
        bad = self.tmp / "t.toml"
        bad.write_text('[tasks]\ngroup_by = "county"\n[tasks.started_ytd]\n"610499" = ">= 5"\n',
                       encoding="utf-8")
        run = keyproj("targets", "--data", SAMPLE, "--targets", bad)
        self.assertCleanError(run, 2, "line 4, column 1", "610499")

    def test_score_against_own_tasks(self):
        scheme = SOURCE / "examples" / "scoring" / "county_tasks.toml"
        run = keyproj("score", "--data", SAMPLE, "--as-of", AS_OF, "--filter", "region=6104",
                      "--scheme", scheme, "--targets", TASKS)
        self.assertRan(run)
        self.assertGolden("sample/score.county_tasks.txt", run.out)
        run = keyproj("score", "--data", SAMPLE, "--as-of", AS_OF, "--filter", "region=6104", "--scheme", scheme)
        self.assertCleanError(run, 2, "rule 'started'", "--targets")


if __name__ == "__main__":
    unittest.main()
