"""The limits of docs/limits.md that a user meets on the command line: a 100 MB cell
reaches the report whole, a row of 10^6 columns loads, an amount one 分 past the
range is an error naming its cell, and expressions nested too deep (in a target
file) are an error naming the place -- never a crash, a hang or a wrong figure.
The engine's side of each limit is tests/limits_test.cc."""
import json

from cli_support import CliTestCase, keyproj

HEADER = ("code,name,region,industry,category,level,build_type,total_investment,"
          "planned_start,planned_completion,stage,reserved_on,started_on,leader")
MB = 1 << 20


def project_row(code, name="甲", total="1000.00", leader="张三"):
    return (f"{code},{name},610403,C13,industry,county,new,{total},2024-01-01,2026-12-31,"
            f"started,2023-12-01,2024-01-15,{leader}")


class Limits(CliTestCase):
    def ledger(self, rows, monthly=None, extra_header=""):
        folder = self.tmp / "ledger"
        folder.mkdir()
        (folder / "projects.csv").write_text(HEADER + extra_header + "\n" + "\n".join(rows) + "\n",
                                             encoding="utf-8")
        if monthly is not None:
            (folder / "monthly.csv").write_text("code,month,investment\n" + "\n".join(monthly) + "\n",
                                                encoding="utf-8")
        return folder

    def test_hundred_megabyte_cell_reaches_the_report(self):
        # A leader's name of 100 MB (a runaway paste): loaded, grouped by, and written
        # whole in the JSON report.
        leader = "王" * (100 * MB // 3)
        folder = self.ledger([project_row("P1", leader=leader), project_row("P2", leader="李四")],
                             ["P1,2024-03,10.00", "P2,2024-03,5.00"])
        run = keyproj("report", "--data", folder, "--as-of", "2024-09-30", "--group-by", "leader",
                      "--indicators", "projects,investment_ytd", "--format", "json")
        self.assertRan(run)
        rows = json.loads(run.text)["rows"]
        self.assertEqual([r["group"]["leader"] for r in rows[:-1]], ["李四", leader])
        self.assertEqual(rows[1]["values"]["investment_ytd"], "10.00")
        self.assertEqual(rows[-1]["values"]["projects"], "2")

    def test_million_columns_load(self):
        n = 10 ** 6
        extra = "".join(f",c{i}" for i in range(n))
        cells = "".join(f",{i % 10}" for i in range(n))
        folder = self.ledger([project_row("P1") + cells, project_row("P2") + "," * n], extra_header=extra)
        run = keyproj("validate", "--data", folder)
        self.assertRan(run)
        # A row wider than its header: one error at the first field past the header.
        (folder / "projects.csv").write_text(HEADER + "\n" + project_row("P1") + "\n"
                                             + project_row("P2") + "," * n + "\n", encoding="utf-8")
        run = keyproj("validate", "--data", folder)
        self.assertRan(run, 1)
        self.assertIn(f"projects.csv:3:15: row has {14 + n} fields, header has 14", run.text)

    def test_amount_one_fen_past_the_range(self):
        folder = self.ledger([project_row("P1", total="9223372036854.775807"),
                              project_row("P2", total="9223372036854.775808")])
        run = keyproj("validate", "--data", folder)
        self.assertRan(run, 1)
        self.assertIn("projects.csv:3:8: total_investment: amount out of range (the most is "
                      "9,223,372,036,854.775807 万元, the int64 limit of 分): '9223372036854.775808'", run.text)
        self.assertNotIn("projects.csv:2:", run.text)
        # The largest amount itself loads, and its sum with itself is exact (128-bit sums).
        folder2 = self.tmp / "edge"
        folder2.mkdir()
        (folder2 / "projects.csv").write_text(
            HEADER + "\n" + project_row("P1", total="9223372036854.775807") + "\n"
            + project_row("P2", total="9223372036854.775807") + "\n", encoding="utf-8")
        run = keyproj("report", "--data", folder2, "--as-of", "2024-09-30", "--no-group",
                      "--indicators", "total_investment", "--format", "json")
        self.assertRan(run)
        self.assertEqual(json.loads(run.text)["rows"][-1]["values"]["total_investment"],
                         "18446744073709.551614")

    def targets(self, expression, more=""):
        # Custom indicators as `id = "expression"` in one [indicators] table: no dotted
        # keys (a TOML file has at most 4096 '.', docs/targets-and-scoring.md).
        path = self.tmp / "targets.toml"
        path.write_text('name = "t"\n[indicators]\ndeep = "' + expression + '"\n' + more
                        + '[targets]\ndeep = ">= 1"\n', encoding="utf-8")
        return path

    def test_expressions_nested_too_deep_in_a_target_file(self):
        sample = self.ledger([project_row("P1")])
        for depth in (10 ** 4, 10 ** 5):
            path = self.targets("(" * depth + "projects" + ")" * depth)
            run = keyproj("targets", "--data", sample, "--as-of", "2024-09-30", "--targets", path)
            self.assertCleanError(run, 2, "column 101: expressions nest deeper than 100 levels")
        # 10^4 customs, each referencing the one before: a nesting, refused as one.
        chain = "".join(f'c{i} = "c{i - 1} + 1"\n' for i in range(1, 10 ** 4))
        path = self.targets("c9999", 'c0 = "projects"\n' + chain)
        run = keyproj("targets", "--data", sample, "--as-of", "2024-09-30", "--targets", path)
        self.assertCleanError(run, 2, "custom indicators reference each other more than 100 levels deep")
        # A flat sum of 10^5 terms is no nesting: it is computed.
        path = self.targets(" + ".join(["projects"] * 10 ** 5))
        run = keyproj("targets", "--data", sample, "--as-of", "2024-09-30", "--targets", path,
                      "--format", "json")
        self.assertRan(run)
        status = json.loads(run.text)["targets"][0]["status"][0]
        self.assertEqual(status["actual"], "100000.000000")  # 10^5 times the one project
