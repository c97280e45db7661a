"""Ledgers laid out as bureaus keep them (台账: title and unit rows, 序号, 合计,
footer; docs/ledger-loading.md "Bureau layouts"): the sample ledger so laid out gives
the reports of the plain folder byte for byte, validate prints each decision (and
nothing new for a plain folder), a snapshot keeps them, a wrong 合计 is reported at
its line and column."""
import csv
import io
import shutil
import tempfile
import unittest
from decimal import Decimal

from cli_support import SAMPLE, CliTestCase, edited_sample, keyproj

AS_OF = "2024-09-30"
MONEY = {"total_investment", "contracted_investment", "annual_plan", "investment", "funds_arrived",
         "requested", "approved", "arrived", "planned"}


def bureau_layout(text, yuan, wrong_total=False):
    """A plain table file as a bureau's sheet: title, unit row, 序号, 合计, footer."""
    rows = list(csv.reader(io.StringIO(text)))
    header = rows[0]
    money = [c for c, h in enumerate(header) if h in MONEY]
    sums = {c: Decimal(0) for c in money}
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["2009年襄城区重点项目台账"] + [""] * len(header))
    w.writerow([""] * len(header) + ["单位：元" if yuan else "单位：万元"])
    w.writerow(["序号"] + header)
    for i, row in enumerate(rows[1:], 1):
        for c in money:
            if row[c]:
                sums[c] += Decimal(row[c])
                if yuan:
                    row[c] = str((Decimal(row[c]) * 10000).quantize(Decimal("0.01")))
        w.writerow([str(i)] + row)
    total = ["合计"] + [""] * len(header)
    for k, c in enumerate(money):
        s = sums[c] + (Decimal("0.01") if wrong_total and k == 0 else 0)
        total[c + 1] = str((s * 10000).quantize(Decimal("0.01"))) if yuan else str(s)
    w.writerow(total)
    w.writerow(["填报单位：襄城区发展和改革局", "", "填报人：张三", "", "审核人：李四"])
    return out.getvalue(), len(rows) + 3


class BureauLayout(CliTestCase):
    def laid_out(self, name, yuan=True, encoding="utf-8", wrong_total=False):
        data = self.tmp / name
        shutil.copytree(SAMPLE, data)
        lines = {}
        for table in ("projects", "monthly", "plans", "funding"):
            path = data / f"{table}.csv"
            text, lines[table] = bureau_layout(path.read_text(encoding="utf-8"), yuan, wrong_total)
            path.write_bytes(text.encode(encoding))
        return data, lines

    def test_reports_are_the_plain_folders(self):
        for encoding in ("utf-8", "gb18030"):
            data, _ = self.laid_out(f"data-{encoding}", encoding=encoding)
            for args in (("--as-of", AS_OF), ("--as-of", AS_OF, "--format", "json", "--group-by", "county")):
                want = keyproj("report", "--data", SAMPLE, *args)
                got = keyproj("report", "--data", data, *args)
                self.assertRan(want)
                self.assertRan(got)
                self.assertEqual(got.out, want.out)

    def test_validate_prints_each_decision_and_a_snapshot_keeps_them(self):
        data, lines = self.laid_out("data")
        run = keyproj("validate", "--data", data)
        self.assertRan(run)
        total_line = lines["projects"]
        want = (f'projects.csv: header found at line 3; line 1 kept as a note "2009年襄城区重点项目台账"; '
                f'unit 元 from line 2 "单位：元"; 序号 in column 1 ignored; '
                f"合计 at line {total_line} agrees; footer at line {total_line + 1} ignored")
        self.assertEqual(run.text.splitlines()[0], want)
        self.assertEqual(len(run.text.splitlines()), 6)  # four files, the column kept as text, then "ok"
        self.assertIn(": ok, 1500 projects", run.text.splitlines()[-1])
        kpl = self.tmp / "ledger.kpl"
        self.assertRan(keyproj("pack", "--data", data, "--out", kpl))
        packed = keyproj("validate", "--data", kpl)
        self.assertRan(packed)
        self.assertEqual(packed.text.splitlines()[:4], run.text.splitlines()[:4])

    def test_a_plain_folder_prints_nothing_new(self):
        # But the column it keeps as text (a black-box user's 所属县区 was left out unseen).
        run = keyproj("validate", "--data", SAMPLE)
        self.assertRan(run)
        self.assertEqual(run.text.strip().splitlines(), ["projects.csv: kept as text, not read as a field: 项目联系人",
                                                         f"{SAMPLE}: ok, 1500 projects"])

    def test_a_county_column_kept_as_text_says_where_the_county_is_read_from(self):
        with tempfile.TemporaryDirectory() as tmp:
            ledger = edited_sample(tmp, "projects.csv", lambda lines: lines.__setitem__(
                slice(None), [line + (",所属县区" if i == 0 else ",秦都区") for i, line in enumerate(lines)]))
            run = keyproj("validate", "--data", ledger)
            self.assertRan(run)
            self.assertIn("projects.csv: kept as text, not read as a field: 项目联系人, 所属县区 (a project's county is "
                          "read from the column region -- 行政区划代码, 6-digit codes such as 610402 -- or else from its "
                          "national project code)", run.text)

    def test_a_wrong_total_is_reported_at_its_line_and_column(self):
        data, lines = self.laid_out("data", yuan=False, wrong_total=True)
        run = keyproj("validate", "--data", data)
        self.assertEqual(run.code, 1, run.err)
        self.assertIn(f"projects.csv:{lines['projects']}:9: total_investment: 合计 ", run.text)
        self.assertIn(" 万元 but the rows above sum to ", run.text)
        self.assertIn(f"合计 at line {lines['projects']} does not agree", run.text)


if __name__ == "__main__":
    unittest.main()
