"""The workbook as a bureau prints it: LibreOffice (Debian's libreoffice-calc-nogui) opens
the county dashboard headless and prints it to PDF; poppler's pdfinfo and pdftotext read
the pages back. Every page is landscape A4, every table prints one page wide (the last
column's header and figures on the page of the first column), and every page carries
the sheet's title, unit line and header row.

Run by ctest as cli.print_xlsx (label `print`: the dev preset only; the sanitizer presets
leave it out, as LibreOffice is not what they check)."""
import json
import os
import re
import subprocess
import unittest
from decimal import Decimal

from cli_support import SAMPLE, CliTestCase, keyproj

AS_OF = "2024-09-30"
A4_LANDSCAPE = (841.89, 595.3)  # points, rounded as pdfinfo prints them


class PrintedWorkbook(CliTestCase):
    def convert(self, xlsx):
        """The workbook printed to PDF by LibreOffice with a profile of its own (parallel
        runs must not share one); returns the text of each page."""
        env = dict(os.environ, HOME=str(self.tmp))
        proc = subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{self.tmp}/lo-profile", "--headless",
             "--convert-to", "pdf", "--outdir", str(self.tmp), str(xlsx)],
            capture_output=True, env=env, timeout=240)
        pdf = xlsx.with_suffix(".pdf")
        self.assertTrue(pdf.exists(), f"soffice made no PDF (exit {proc.returncode}):\n"
                                      f"{proc.stdout.decode()}{proc.stderr.decode()}")
        info = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", str(pdf)], capture_output=True,
                              check=True).stdout.decode()
        pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
        sizes = re.findall(r"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info, re.M)
        self.assertEqual(len(sizes), pages)
        for n, (w, h) in enumerate(sizes, 1):
            self.assertAlmostEqual(float(w), A4_LANDSCAPE[0], delta=1, msg=f"page {n} width")
            self.assertAlmostEqual(float(h), A4_LANDSCAPE[1], delta=1, msg=f"page {n} height")
        texts = []
        for n in range(1, pages + 1):
            texts.append(subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), "-layout", str(pdf), "-"],
                                        capture_output=True, check=True).stdout.decode())
        return texts

    def test_county_dashboard_prints_one_page_wide_with_titles(self):
        xlsx = self.tmp / "county.xlsx"
        # The county dashboard, and the county × category table: long enough to take
        # several pages.
        self.assertRan(keyproj("report", "--data", SAMPLE, "--as-of", AS_OF, "--group-by", "county",
                               "--group-by", "county,category", "--format", "xlsx", "--out", xlsx))
        tables = json.loads(keyproj("report", "--data", SAMPLE, "--as-of", AS_OF, "--group-by", "county",
                                    "--group-by", "county,category", "--format", "json").text)
        pages = self.convert(xlsx)

        county_title = "2024年1-9月全省重点项目建设进展情况表（按县区）"
        cross_title = "2024年1-9月全省重点项目建设进展情况表（按县区×项目类别）"
        county_pages = [p for p in pages if county_title in p]
        cross_pages = [p for p in pages if cross_title in p]
        chart_pages = [p for p in pages if "2024年1-9月全省重点项目投资进度图表" in p]
        # Every page belongs to one sheet: its title is on it.
        self.assertEqual(len(county_pages) + len(cross_pages) + len(chart_pages), len(pages))
        # The county dashboard: one page, as wide as the table (the last column's header
        # and its whole-scope figure beside the first column's 合计).
        self.assertEqual(len(county_pages), 1)
        self.assertGreater(len(cross_pages), 1, "the cross table should need several pages")
        self.assertEqual(len(chart_pages), 1)
        display = tables[0]["rows"][-1]["display"]
        last_figure = format(Decimal(list(display.values())[-1]), ",")  # as the number format shows it
        total_row = next(line for line in county_pages[0].splitlines() if line.strip().startswith("合计"))
        self.assertTrue(total_row.rstrip().endswith(last_figure), f"{last_figure!r} not last in {total_row!r}")
        # Each page of a table: title, unit line, the header row from the first column
        # to the last.
        for n, page in enumerate(county_pages + cross_pages, 1):
            self.assertIn("单位：万元、%、个", page, f"page {n}")
            self.assertIn("项目数（个）", page, f"page {n}")
            self.assertIn("争取资金（万元）", page, f"page {n}")  # the last column
        # The cross table's pages end where its rows do: 合计 on the last one only.
        self.assertTrue(all(not re.search(r"^\s*合计", p, re.M) for p in cross_pages[:-1]))
        self.assertRegex(cross_pages[-1], r"(?m)^\s*合计")
        # The chart sheet on one page, its tables and both charts' titles.
        self.assertIn("名次", chart_pages[0])
        self.assertIn("累计完成投资与序时进度", chart_pages[0])
        self.assertIn("占年度计划排名", chart_pages[0])


if __name__ == "__main__":
    unittest.main()
