"""Group by tag (a project in each of its tags' groups, the whole scope counting it
once, and every format saying the groups do not add up) and the warning lists per
group in every format (docs/report.md, "Project lists")."""
import json
import re
import zipfile
from decimal import Decimal

from cli_support import SAMPLE, CliTestCase, keyproj

AS_OF = "2024-09-30"
NOTE = "注：项目可有多个标签，各标签分组之和不等于合计。"
WARNINGS = "projects,investment_ytd,start_rate,late_reports,problems_overdue"


class TagGroups(CliTestCase):
    def report(self, *args):
        run = keyproj("report", "--data", SAMPLE, "--as-of", AS_OF, *args)
        self.assertRan(run)
        return run

    def json(self, *args):
        return json.loads(self.report("--format", "json", *args).text)

    def test_golden_dashboard_by_tag(self):
        self.assertGolden("sample/report.tag.md", self.report("--group-by", "tag", "--format", "md").out)

    def test_each_tag_row_is_the_scope_filtered_to_that_tag(self):
        doc = self.json("--group-by", "tag", "--indicators", WARNINGS)
        self.assertEqual(doc["group_by"], ["tag"])
        self.assertIs(doc["groups_overlap"], True)
        rows, total = doc["rows"][:-1], doc["rows"][-1]
        tags = [r["group"]["tag"] for r in rows]
        self.assertEqual(tags[0], "")  # the untagged projects, as other empty keys
        self.assertGreaterEqual(len(tags), 5)
        for row in rows[1:]:
            tag = row["group"]["tag"]
            one = self.json("--no-group", "--filter", f"tags={tag}", "--indicators", WARNINGS)["rows"][-1]
            self.assertEqual(row["values"], one["values"], tag)
            self.assertEqual(row["projects"], one["projects"], tag)
        # The whole scope counts a project once: the same as ungrouped, and less than
        # the rows' sum because some projects have two tags.
        flat = self.json("--no-group", "--indicators", WARNINGS)["rows"][-1]
        self.assertEqual(total["values"], flat["values"])
        self.assertEqual(total["projects"], flat["projects"])
        for key in ("projects", "late_reports", "investment_ytd"):
            rows_sum = sum(Decimal(r["values"][key]) for r in rows)
            self.assertGreater(rows_sum, Decimal(total["values"][key]), key)
        # Not a tag grouping: no overlap field.
        self.assertNotIn("groups_overlap", self.json("--group-by", "county", "--indicators", "projects"))

    def test_tag_by_county(self):
        doc = self.json("--group-by", "tag,county", "--indicators", "projects,investment_ytd")
        by_tag = {r["group"]["tag"]: r for r in self.json("--group-by", "tag", "--indicators",
                                                          "projects,investment_ytd")["rows"][:-1]}
        sums = {}
        for r in doc["rows"][:-1]:
            self.assertEqual(list(r["group"]), ["tag", "county"])
            acc = sums.setdefault(r["group"]["tag"], [0, Decimal(0)])
            acc[0] += int(r["values"]["projects"])
            acc[1] += Decimal(r["values"]["investment_ytd"])
        # Within one tag the counties partition it.
        for tag, (n, ytd) in sums.items():
            self.assertEqual(n, int(by_tag[tag]["values"]["projects"]), tag)
            self.assertEqual(ytd, Decimal(by_tag[tag]["values"]["investment_ytd"]), tag)
        flat = self.json("--no-group", "--indicators", "projects,investment_ytd")["rows"][-1]
        self.assertEqual(doc["rows"][-1]["values"], flat["values"])

    def test_the_note_in_every_format(self):
        args = ("--group-by", "tag", "--group-by", "county", "--indicators", "projects,late_reports")
        for fmt in ("table", "md", "csv"):
            text = self.report("--format", fmt, *args).out.decode("utf-8-sig")
            self.assertEqual(text.count(NOTE), 1, fmt)  # under the tag table, not the county one
            self.assertLess(text.index(NOTE), text.index("按县区"), fmt)
        self.assertNotIn(NOTE, self.report("--group-by", "tag", "--format", "text").text)  # speaks for the whole
        out = self.tmp / "tags.xlsx"
        self.report("--format", "xlsx", "--out", out, *args)
        with zipfile.ZipFile(out) as z:
            strings = z.read("xl/sharedStrings.xml").decode()
        self.assertIn(NOTE, strings)

    def test_tag_twice_is_refused(self):
        run = keyproj("report", "--data", SAMPLE, "--group-by", "tag,tag")
        self.assertCleanError(run, 2, "group by tag at most once")

    def test_any_dimension_twice_is_refused(self):
        # county,county made each county a city of its own: a 宝鸡市小计 row under every
        # county of 宝鸡市, holding that county's figures (a black-box tester's find).
        for group_by in ("county,county", "category,county,category"):
            with self.subTest(group_by):
                run = keyproj("report", "--data", SAMPLE, "--group-by", group_by)
                self.assertCleanError(run, 2, f"group by {group_by.split(',')[0]} at most once")


class ListsPerGroup(CliTestCase):
    """Every group row that lists projects gets a heading naming the group and the
    indicator, with its projects; rows listing none get no heading; the whole scope's
    lists come last, as before."""

    # Without the 小计 rows, so that the CSV rows line up with the JSON rows.
    ARGS = ("--group-by", "county", "--indicators", "projects,late_reports,stalled", "--no-subtotals")

    def setUp(self):
        super().setUp()
        run = keyproj("report", "--data", SAMPLE, "--as-of", AS_OF, "--format", "json", *self.ARGS)
        self.assertRan(run)
        self.doc = json.loads(run.text)
        # County names as the tables print them.
        table = keyproj("report", "--data", SAMPLE, "--as-of", AS_OF, "--format", "csv", *self.ARGS)
        lines = table.out.decode("utf-8-sig").split("\r\n")
        self.names = [line.split(",")[0] for line in lines[2:2 + len(self.doc["rows"]) - 1]]

    def expected_headings(self):
        """(heading, codes) per group row and list, then the whole scope's."""
        out = []
        labels = {"late_reports": "未按时报送", "stalled": "停滞项目"}
        for name, row in zip(self.names, self.doc["rows"][:-1]):
            for key, label in labels.items():
                listed = row["projects"][key]
                self.assertEqual(len(listed), int(row["values"][key]))
                if listed:
                    out.append((f"{name} · {label}（{len(listed)}个项目）", [p["code"] for p in listed]))
        total = self.doc["rows"][-1]
        for key, label in labels.items():
            out.append((f"{label}（{total['values'][key]}个项目）", [p["code"] for p in total["projects"][key]]))
        return out

    def test_table(self):
        text = keyproj("report", "--data", SAMPLE, "--as-of", AS_OF, *self.ARGS).text
        want = self.expected_headings()
        self.assertGreater(len(want), 10)
        got = re.findall(r"^(\S.*（\d+个项目）)：\n((?:  .*\n)*)", text, re.M)
        self.assertEqual([h for h, _ in got], [h for h, _ in want])
        for (heading, lines), (_, codes) in zip(got, want):
            self.assertEqual([line.split()[0] for line in lines.splitlines()], codes, heading)
        # A county without late or stalled projects has no heading at all.
        quiet = [n for n, r in zip(self.names, self.doc["rows"][:-1])
                 if r["values"]["late_reports"] == "0" and r["values"]["stalled"] == "0"]
        for name in quiet:
            self.assertNotIn(f"{name} · ", text)

    def test_markdown_and_csv(self):
        want = self.expected_headings()
        md = keyproj("report", "--data", SAMPLE, "--as-of", AS_OF, "--format", "md", *self.ARGS).text
        self.assertEqual(re.findall(r"^#### (.*)$", md, re.M), [h for h, _ in want])
        csv = keyproj("report", "--data", SAMPLE, "--as-of", AS_OF, "--format", "csv", *self.ARGS)
        lines = csv.out.decode("utf-8-sig").split("\r\n")
        titles = [line for line in lines if re.fullmatch(r".*（\d+个项目）", line)]
        self.assertEqual(titles, [h for h, _ in want])
        for heading, codes in want:
            at = lines.index(heading)
            self.assertEqual(lines[at + 1].split(",")[:2], ["项目代码", "项目名称"])
            self.assertEqual([line.split(",")[0] for line in lines[at + 2:at + 2 + len(codes)]], codes, heading)

    def test_workbook_names_every_tag_of_a_listed_project(self):
        doc = json.loads(keyproj("report", "--data", SAMPLE, "--as-of", AS_OF, "--format", "json",
                                 "--group-by", "tag", "--indicators", "late_reports").text)
        tags_of = {}
        for row in doc["rows"][:-1]:
            for p in row["projects"]["late_reports"]:
                tags_of.setdefault(p["code"], []).append(row["group"]["tag"] or "（未填）")
        two = [code for code, tags in tags_of.items() if len(tags) == 2]
        self.assertTrue(two, "the sample has a late project with two tags")
        out = self.tmp / "tags.xlsx"
        self.assertRan(keyproj("report", "--data", SAMPLE, "--as-of", AS_OF, "--group-by", "tag",
                               "--indicators", "late_reports", "--format", "xlsx", "--out", out))
        with zipfile.ZipFile(out) as z:
            strings = z.read("xl/sharedStrings.xml").decode()
        self.assertIn("、".join(tags_of[two[0]]), strings)
