// --data ledger.xlsx: the workbook reader (src/xlsx/workbook.h) on hand-made parts
// zipped with libzip, the sheets loaded as a ledger with sheet!cell locations, and the
// workbook `generate --format xlsx` writes loaded back to the same ledger.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>
#include <zip.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "keyproj/csv_loader.h"
#include "keyproj/csv_writer.h"
#include "keyproj/generator.h"
#include "keyproj/internal/file_io.h"
#include "keyproj/internal/ledger_compare.h"
#include "keyproj/snapshot.h"
#include "keyproj/xlsx_ledger.h"
#include "xlsx/workbook.h"

namespace keyproj {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

fs::path TempPath(const std::string& name) {
  return fs::temp_directory_path() / ("keyproj_xlsx_test_" + std::to_string(getpid()) + "_" + name);
}

// The parts zipped (deflated), as bytes.
std::string Zip(const std::vector<std::pair<std::string, std::string>>& parts) {
  const fs::path path = TempPath("zip.xlsx");
  fs::remove(path);
  int error = 0;
  zip_t* z = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  EXPECT_NE(z, nullptr);
  for (const auto& [name, text] : parts) {
    zip_source_t* s = zip_source_buffer(z, text.data(), text.size(), 0);
    EXPECT_GE(zip_file_add(z, name.c_str(), s, ZIP_FL_ENC_UTF_8), 0);
  }
  EXPECT_EQ(zip_close(z), 0);
  absl::StatusOr<std::string> bytes = internal::ReadFile(path.string());
  fs::remove(path);
  return bytes.ok() ? *bytes : "";
}

constexpr const char* kNs = R"(xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships")";

// Styles: 0 General, 1 built-in date (14), 2 a custom month format, 3 text (49),
// 4 a custom date format with quoted text and a colour, 5 a time (20).
const std::string kStyles = std::string("<styleSheet ") + kNs +
                            R"(><numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;"/>)"
                            R"(<numFmt numFmtId="165" formatCode="[Red]&quot;day &quot;yyyy/mm/dd"/></numFmts>)"
                            R"(<cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>)"
                            R"(<cellXfs count="6"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/><xf numFmtId="49"/>)"
                            R"(<xf numFmtId="165"/><xf numFmtId="20"/></cellXfs></styleSheet>)";

// A workbook of the named sheets (their sheetData and what follows it).
std::string Book(const std::vector<std::pair<std::string, std::string>>& sheets, const std::string& shared,
                 bool date1904 = false, const std::string& custom = "") {
  std::string wb = std::string("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><workbook ") + kNs + ">";
  if (date1904) wb += R"(<workbookPr date1904="1"/>)";
  wb += "<sheets>";
  std::string rels = R"(<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)";
  std::vector<std::pair<std::string, std::string>> parts;
  for (size_t i = 0; i < sheets.size(); ++i) {
    const std::string n = std::to_string(i + 1);
    wb += "<sheet name=\"" + sheets[i].first + "\" sheetId=\"" + n + "\" r:id=\"rId" + n + "\"/>";
    rels += "<Relationship Id=\"rId" + n +
            "\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" "
            "Target=\"worksheets/sheet" + n + ".xml\"/>";
    parts.push_back({"xl/worksheets/sheet" + n + ".xml",
                     std::string("<worksheet ") + kNs + ">" + sheets[i].second + "</worksheet>"});
  }
  wb += "</sheets></workbook>";
  rels += R"(<Relationship Id="rS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>)"
          R"(<Relationship Id="rT" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="/xl/styles.xml"/>)"
          "</Relationships>";
  parts.push_back({"_rels/.rels",
                   R"(<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>)"});
  parts.push_back({"xl/workbook.xml", wb});
  parts.push_back({"xl/_rels/workbook.xml.rels", rels});
  parts.push_back({"xl/sharedStrings.xml", std::string("<sst ") + kNs + ">" + shared + "</sst>"});
  parts.push_back({"xl/styles.xml", kStyles});
  if (!custom.empty()) parts.push_back({"docProps/custom.xml", custom});
  return Zip(parts);
}

// Cell text by reference ("B2"), a problem as "!" + problem.
std::map<std::string, std::string> Cells(const xlsx::Sheet& sheet) {
  std::map<std::string, std::string> out;
  for (const xlsx::Cell& c : sheet.cells) {
    out[xlsx::CellName(c.row, c.col)] = c.problem.empty() ? c.text : "!" + c.problem;
  }
  return out;
}

TEST(XlsxReader, PlainDecimalByStringWork) {
  EXPECT_EQ(xlsx::PlainDecimal("1.5E+3"), "1500");
  EXPECT_EQ(xlsx::PlainDecimal("-2.5e-3"), "-0.0025");
  EXPECT_EQ(xlsx::PlainDecimal("1E-7"), "0.0000001");
  EXPECT_EQ(xlsx::PlainDecimal("1.2300E2"), "123");
  EXPECT_EQ(xlsx::PlainDecimal("123456789012345678E-2"), "1234567890123456.78");
  EXPECT_EQ(xlsx::PlainDecimal("86973.60000000001"), "86973.60000000001");  // as written
  EXPECT_EQ(xlsx::PlainDecimal("0.10"), "0.10");
  EXPECT_EQ(xlsx::PlainDecimal("abc"), std::nullopt);
  EXPECT_EQ(xlsx::PlainDecimal("1E999"), std::nullopt);
  EXPECT_EQ(xlsx::PlainDecimal("1E"), std::nullopt);
  EXPECT_EQ(xlsx::CellName(12, 3), "C12");
  EXPECT_EQ(xlsx::CellName(1, 28), "AB1");
  EXPECT_EQ(xlsx::CellName(1048576, 16384), "XFD1048576");
}

TEST(XlsxReader, ValuesAsTheWorkbookHoldsThem) {
  const std::string shared =
      "<si><t>项目代码</t></si>"
      "<si><r><t>富</t></r><r><rPr><b/></rPr><t>文本</t></r><rPh sb=\"0\" eb=\"1\"><t>フ</t></rPh></si>"
      "<si><t>0012</t></si>"
      "<si><t>a_x000D_b</t></si>";
  const std::string data =
      "<sheetData><row r=\"1\">"
      "<c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c>"
      "<c r=\"C1\" t=\"inlineStr\"><is><t>行内</t></is></c><c r=\"D1\" t=\"s\" s=\"3\"><v>2</v></c>"
      "<c r=\"E1\" t=\"s\"><v>3</v></c></row>"
      "<row r=\"3\"><c r=\"A3\"><v>1.5E+3</v></c><c r=\"B3\" s=\"1\"><v>45292</v></c>"
      "<c r=\"C3\" s=\"2\"><v>45292</v></c><c r=\"D3\" s=\"3\"><v>45292</v></c>"
      "<c r=\"E3\" s=\"4\"><v>45351.75</v></c><c r=\"F3\" s=\"5\"><v>0.5</v></c>"
      "<c r=\"G3\" t=\"b\"><v>1</v></c><c r=\"H3\" t=\"b\"><v>0</v></c></row>"
      "<row r=\"4\"><c r=\"A4\" s=\"1\"><v>60</v></c><c r=\"B4\" s=\"1\"><v>59</v></c><c r=\"C4\" s=\"1\"><v>61</v></c>"
      "<c r=\"D4\" s=\"1\"><v>1</v></c></row>"
      "<row r=\"5\"><c r=\"A5\"><f>SUM(A3:A4)</f><v>1560</v></c>"
      "<c r=\"B5\"><f>SUM(D3:D9)</f></c>"
      "<c r=\"C5\" t=\"e\"><f>A3/0</f><v>#DIV/0!</v></c>"
      "<c r=\"D5\" t=\"str\"><f>A1&amp;\"x\"</f><v>项目代码x</v></c>"
      "<c r=\"E5\" s=\"1\"/></row>"
      "</sheetData><mergeCells count=\"1\"><mergeCell ref=\"A1:B1\"/></mergeCells>";
  const std::string bytes = Book({{"项目", data}}, shared);
  absl::StatusOr<xlsx::Workbook> wb = xlsx::Workbook::Open(bytes, "t.xlsx");
  ASSERT_TRUE(wb.ok()) << wb.status();
  EXPECT_FALSE(wb->date1904());
  ASSERT_EQ(wb->sheet_names(), std::vector<std::string>{"项目"});
  absl::StatusOr<xlsx::Sheet> sheet = wb->ReadSheet(0);
  ASSERT_TRUE(sheet.ok()) << sheet.status();
  std::map<std::string, std::string> c = Cells(*sheet);
  EXPECT_EQ(c["A1"], "项目代码");
  EXPECT_EQ(c["B1"], "富文本");   // rich runs joined, the phonetic run left out
  EXPECT_EQ(c["C1"], "行内");
  EXPECT_EQ(c["D1"], "0012");     // text stays text
  EXPECT_EQ(c["E1"], "a\rb");     // _x000D_
  EXPECT_EQ(c["A3"], "1500");
  EXPECT_EQ(c["B3"], "2024-01-01");
  EXPECT_EQ(c["C3"], "2024-01");  // a format without the day: the month
  EXPECT_EQ(c["D3"], "45292");    // text-formatted: the number, not a date
  EXPECT_EQ(c["E3"], "2024-02-29");  // the day of a date-time
  EXPECT_EQ(c["F3"], "0.5");      // a time alone stays a number
  EXPECT_EQ(c["G3"], "TRUE");
  EXPECT_EQ(c["H3"], "FALSE");
  EXPECT_EQ(c["A4"], "1900-02-29");  // Excel's day that never was; the date parser says so
  EXPECT_EQ(c["B4"], "1900-02-28");
  EXPECT_EQ(c["C4"], "1900-03-01");
  EXPECT_EQ(c["D4"], "1900-01-01");
  EXPECT_EQ(c["A5"], "1560");  // a formula's saved value
  EXPECT_EQ(c["B5"], "!formula =SUM(D3:D9) has no saved value: open and save the workbook in Excel or WPS");
  EXPECT_EQ(c["C5"], "!the cell holds the error #DIV/0! (formula =A3/0)");
  EXPECT_EQ(c["D5"], "项目代码x");
  EXPECT_EQ(c.count("E5"), 0u);  // a styled empty cell is no content
  ASSERT_EQ(sheet->merged.size(), 1u);
  EXPECT_EQ(sheet->merged[0].last_col, 2);
}

TEST(XlsxReader, The1904DateSystem) {
  const std::string data = "<sheetData><row r=\"1\"><c r=\"A1\" s=\"1\"><v>43830</v></c>"
                           "<c r=\"B1\" s=\"1\"><v>0</v></c><c r=\"C1\" s=\"1\"><v>60</v></c></row></sheetData>";
  const std::string bytes = Book({{"projects", data}}, "", true);  // kept while the workbook is read
  absl::StatusOr<xlsx::Workbook> wb = xlsx::Workbook::Open(bytes, "t.xlsx");
  ASSERT_TRUE(wb.ok()) << wb.status();
  EXPECT_TRUE(wb->date1904());
  absl::StatusOr<xlsx::Sheet> sheet = wb->ReadSheet(0);
  ASSERT_TRUE(sheet.ok());
  std::map<std::string, std::string> c = Cells(*sheet);
  EXPECT_EQ(c["A1"], "2024-01-01");  // 45292 in the 1900 system
  EXPECT_EQ(c["B1"], "1904-01-01");
  EXPECT_EQ(c["C1"], "1904-03-01");  // no 1900 leap-year bug here
}

TEST(XlsxReader, HostileFilesAreErrorsNotCrashes) {
  const std::string good = Book({{"projects", "<sheetData/>"}}, "<si><t>x</t></si>");
  // Not a zip; a truncated one; a zip without a workbook; a corrupted byte.
  EXPECT_THAT(xlsx::Workbook::Open("code,name\n", "a.xlsx").status().message(), HasSubstr("not a zip"));
  for (size_t cut : {size_t{10}, good.size() / 2, good.size() - 5}) {
    absl::StatusOr<xlsx::Workbook> wb = xlsx::Workbook::Open(std::string_view(good).substr(0, cut), "cut.xlsx");
    EXPECT_FALSE(wb.ok()) << cut;
  }
  EXPECT_THAT(xlsx::Workbook::Open(Zip({{"word/document.xml", "<w/>"}}), "d.docx").status().message(),
              HasSubstr("not an .xlsx workbook"));
  // A DTD (entity expansion) is refused.
  const std::string dtd = Zip({{"xl/workbook.xml",
                                "<!DOCTYPE lol [<!ENTITY a \"aaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]><workbook>&b;</workbook>"}});
  EXPECT_THAT(xlsx::Workbook::Open(dtd, "lol.xlsx").status().message(), HasSubstr("DTD"));
  // A part that inflates beyond the limit (a zip bomb in small).
  const std::string big = Book({{"projects", "<sheetData>" + std::string(100000, ' ') + "</sheetData>"}}, "");
  xlsx::Limits limits;
  limits.part_bytes = 50000;
  absl::StatusOr<xlsx::Workbook> wb = xlsx::Workbook::Open(big, "bomb.xlsx", limits);
  ASSERT_TRUE(wb.ok()) << wb.status();
  absl::StatusOr<xlsx::Sheet> sheet = wb->ReadSheet(0);
  EXPECT_EQ(sheet.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(sheet.status().message(), HasSubstr("zip bomb"));
  // Cells beyond the grid, and too many cells.
  const std::string grid = Book({{"projects", "<sheetData><row r=\"1\"><c r=\"XFE1\"><v>1</v></c></row></sheetData>"}}, "");
  wb = xlsx::Workbook::Open(grid, "grid.xlsx");
  ASSERT_TRUE(wb.ok());
  EXPECT_THAT(wb->ReadSheet(0).status().message(), HasSubstr("XFE1"));
  limits = {};
  limits.cells = 2;
  const std::string many = Book({{"projects", "<sheetData><row><c><v>1</v></c><c><v>2</v></c><c><v>3</v></c></row></sheetData>"}}, "");
  wb = xlsx::Workbook::Open(many, "many.xlsx", limits);
  ASSERT_TRUE(wb.ok());
  EXPECT_EQ(wb->ReadSheet(0).status().code(), absl::StatusCode::kResourceExhausted);
  // Two cells far apart: the sheet's CSV text would be gigabytes of commas.
  const std::string apart = Book({{"projects", "<sheetData><row r=\"1\"><c r=\"A1\"><v>1</v></c></row>"
                                               "<row r=\"1048576\"><c r=\"XFD1048576\"><v>1</v></c></row></sheetData>"}}, "");
  absl::StatusOr<Ledger> far = LoadXlsxLedger(apart, "far.xlsx", LoadOptions(), nullptr);
  EXPECT_EQ(far.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(far.status().message(), HasSubstr("A1 to XFD1048576"));
  // A shared string that does not exist is the cell's problem.
  const std::string missing = Book({{"projects", "<sheetData><row><c t=\"s\"><v>7</v></c></row></sheetData>"}}, "");
  wb = xlsx::Workbook::Open(missing, "s.xlsx");
  ASSERT_TRUE(wb.ok());
  absl::StatusOr<xlsx::Sheet> s = wb->ReadSheet(0);
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_THAT(Cells(*s)["A1"], HasSubstr("shared string 7 does not exist"));
}

// A row of inline strings.
std::string Row(int r, const std::vector<std::string>& cells, int first_col = 1) {
  std::string out = "<row r=\"" + std::to_string(r) + "\">";
  for (size_t i = 0; i < cells.size(); ++i) {
    if (cells[i].empty()) continue;
    out += "<c r=\"" + xlsx::CellName(r, static_cast<int32_t>(first_col + i)) + "\" t=\"inlineStr\"><is><t>" +
           cells[i] + "</t></is></c>";
  }
  return out + "</row>";
}

TEST(XlsxLedger, ProblemsAreLocatedAsSheetAndCell) {
  // Data from column B (column A empty), a blank row 2, a cell with a line break.
  const std::string projects = "<sheetData>" + Row(1, {"项目代码", "项目名称", "总投资（万元）"}, 2) +
                               Row(3, {"P1", "一号\n二号", "100"}, 2) + Row(4, {"P2", "二", "十万"}, 2) +
                               Row(5, {"P3", "三", "5"}, 2) + "</sheetData>";
  const std::string monthly = "<sheetData>" + Row(1, {"code", "month", "investment"}) +
                              "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>P1</t></is></c>"
                              "<c r=\"B2\" s=\"2\"><v>45292</v></c><c r=\"C2\"><f>1/0</f></c></row>" +
                              Row(3, {"P3", "2024-02", "7"}) + "</sheetData>";
  const std::string bytes = Book({{"说明", "<sheetData/>"}, {" Projects ", projects}, {"月报", monthly}, {"资金", ""}}, "");
  Diagnostics d;
  LoadOptions options;
  options.lenient = true;
  absl::StatusOr<Ledger> ledger = LoadXlsxLedger(bytes, "ledger.xlsx", options, &d);
  ASSERT_TRUE(ledger.ok()) << ledger.status();
  EXPECT_EQ(ledger->size(), 2u);  // P1 and P3; P2's total is not a number
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].cell, "D4");
  EXPECT_EQ(d[0].file, " Projects ");
  EXPECT_EQ(d[0].line, 4);
  EXPECT_EQ(d[0].column, 4);
  EXPECT_THAT(d[0].ToString(), HasSubstr(" Projects !D4: 总投资（万元）: "));
  EXPECT_EQ(d[1].ToString(), "月报!C2: formula =1/0 has no saved value: open and save the workbook in Excel or WPS; "
                             "the row was not read");
  // Strict: the load fails, its message the first located problem.
  absl::StatusOr<Ledger> strict = LoadXlsxLedger(bytes, "ledger.xlsx", LoadOptions(), &d);
  EXPECT_EQ(strict.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(strict.status().message(), HasSubstr("Projects !D4"));
}

TEST(XlsxLedger, SheetsThatAreMissingEmptyOrAReport) {
  const std::string projects = "<sheetData>" + Row(1, {"code", "name"}) + Row(2, {"P1", "一"}) + "</sheetData>";
  Diagnostics d;
  // No projects sheet: the error names the sheets there are.
  absl::StatusOr<Ledger> l = LoadXlsxLedger(Book({{"月报", projects}, {"Sheet2", ""}}, ""), "a.xlsx", {}, &d);
  EXPECT_EQ(l.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(l.status().message(), HasSubstr("its sheets: 月报, Sheet2"));
  // An empty optional sheet is no table; an empty projects sheet is an error.
  l = LoadXlsxLedger(Book({{"重点项目", projects}, {"月度调度", "<sheetData/>"}}, ""), "b.xlsx", {}, &d);
  ASSERT_TRUE(l.ok()) << l.status();
  EXPECT_EQ(l->size(), 1u);
  EXPECT_TRUE(d.empty());
  l = LoadXlsxLedger(Book({{"项目台账", "<sheetData/>"}}, ""), "c.xlsx", {}, &d);
  EXPECT_FALSE(l.ok());
  ASSERT_FALSE(d.empty());
  EXPECT_EQ(d[0].file, "项目台账");
  // Two sheets for one table: the second is not read.
  l = LoadXlsxLedger(Book({{"项目", projects}, {"projects", projects}}, ""), "d.xlsx", {}, &d);
  EXPECT_FALSE(l.ok());
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].ToString(), "projects: a second sheet for the projects table (first: 项目); not read");
  // A workbook keyproj wrote as a report.
  const std::string custom = R"(<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="keyproj report"><vt:lpwstr>1.4.0</vt:lpwstr></property></Properties>)";
  l = LoadXlsxLedger(Book({{"项目", projects}}, "", false, custom), "report.xlsx", {}, &d);
  EXPECT_EQ(l.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(l.status().message(),
              HasSubstr("report.xlsx is a report written by keyproj report --format xlsx, not a ledger"));
}

// A bureau's sheet as Excel keeps it: a title merged across, the unit row (元), a
// two-row header from merged cells (项目代码 merged down, 投资情况 over 总投资 and
// 签约投资额, 计划 over 开工时间), 序号, a number cell and a text cell of money, a
// 合计 that is off by 1 分 (located as the sheet's cell), a footer. The same rules
// as a CSV file's (csv_loader_test's Layout.*), met through the sheet's CSV text.
TEST(XlsxLedger, BureauSheetWithMergedHeaderUnitAndTotals) {
  const std::string projects =
      "<sheetData>" + Row(1, {"2009年襄城区重点项目台账"}) + Row(2, {"单位：元"}) +
      Row(3, {"序号", "项目代码", "项目名称", "投资情况", "", "计划"}) + Row(4, {"", "", "", "总投资", "签约投资额", "开工时间"}) +
      "<row r=\"5\"><c r=\"A5\"><v>1</v></c><c r=\"B5\" t=\"inlineStr\"><is><t>A1</t></is></c>"
      "<c r=\"C5\" t=\"inlineStr\"><is><t>甲</t></is></c><c r=\"D5\"><v>1234567.89</v></c>"
      "<c r=\"E5\" t=\"inlineStr\"><is><t>200000.50</t></is></c><c r=\"F5\" s=\"1\"><v>45352</v></c></row>"
      "<row r=\"6\"><c r=\"A6\"><v>2</v></c><c r=\"B6\" t=\"inlineStr\"><is><t>A2</t></is></c>"
      "<c r=\"C6\" t=\"inlineStr\"><is><t>乙</t></is></c><c r=\"D6\"><v>1E+8</v></c></row>" +
      "<row r=\"7\"><c r=\"A7\" t=\"inlineStr\"><is><t>合计</t></is></c><c r=\"D7\"><f>SUM(D5:D6)</f><v>101234567.9</v></c>"
      "<c r=\"E7\"><v>200000.5</v></c></row>" +
      Row(8, {"填报单位：襄城区发改局", "", "填报人：张三"}) +
      "</sheetData><mergeCells count=\"3\"><mergeCell ref=\"A1:F1\"/><mergeCell ref=\"D3:E3\"/>"
      "<mergeCell ref=\"B3:B4\"/></mergeCells>";
  Diagnostics d;
  LoadOptions lenient;
  lenient.lenient = true;
  absl::StatusOr<Ledger> l = LoadXlsxLedger(Book({{"项目", projects}}, ""), "襄城区.xlsx", lenient, &d);
  ASSERT_TRUE(l.ok()) << l.status();
  ASSERT_EQ(l->size(), 2u);
  // 1,234,567.89 元 is 123.456789 万元, exactly; 10^8 元 (written 1E+8) is 10,000 万元.
  EXPECT_EQ(internal::Columns(*l).projects.total_investment[0], 123'456'789);  // 分
  EXPECT_EQ(internal::Columns(*l).projects.total_investment[1], 10'000'000'000);
  EXPECT_EQ(internal::Columns(*l).projects.contracted_investment[0], 20'000'050);
  EXPECT_EQ(Date::FromDays(internal::Columns(*l).projects.planned_start[0]).ToString(), "2024-03-01");
  // The 合计 of 总投资 is 1 分 under the sum of its rows: reported at its cell. 签约投资额's agrees.
  ASSERT_EQ(d.size(), 1u) << d[0].ToString();
  EXPECT_EQ(d[0].cell, "D7");
  EXPECT_THAT(d[0].ToString(), HasSubstr("项目!D7: "));
  EXPECT_THAT(d[0].reason, HasSubstr("合计 101234567.90 元 but the rows above sum to 101234567.89 元"));
  ASSERT_EQ(l->layouts().size(), 1u);
  const TableLayout& layout = l->layouts()[0];
  EXPECT_EQ(layout.header_line, 3);
  EXPECT_EQ(layout.header_rows, 2);
  EXPECT_EQ(layout.unit, "元");
  EXPECT_EQ(layout.unit_line, 2);
  EXPECT_EQ(layout.serial_column, 1);
  ASSERT_EQ(layout.totals.size(), 1u);
  EXPECT_EQ(layout.totals[0].line, 7);
  EXPECT_FALSE(layout.totals[0].agrees);
  ASSERT_EQ(layout.footers.size(), 1u);
  EXPECT_EQ(layout.footers[0].line, 8);
}

// The generated ledger written as a workbook loads to the ledger its CSV folder
// loads to, through OpenLedger (--data) as every command opens it.
void ExpectRoundTrip(bool bureau_layout) {
  GeneratorOptions g;
  g.projects = 120;
  g.usd_rate = "";
  absl::StatusOr<Ledger> generated = GenerateLedger(g);
  ASSERT_TRUE(generated.ok());
  absl::StatusOr<std::vector<CsvInput>> csv = WriteCsvLedgerToMemory(*generated);
  ASSERT_TRUE(csv.ok());
  absl::StatusOr<Ledger> from_csv = LoadCsvLedger(*csv, LoadOptions(), nullptr);
  ASSERT_TRUE(from_csv.ok()) << from_csv.status();
  RegionNames names;
  for (const GeneratedRegion& r : GeneratorRegions()) names.Add(r.code, r.name);
  const fs::path path = TempPath(bureau_layout ? "bureau.xlsx" : "plain.xlsx");
  XlsxLedgerOptions x;
  x.bureau_layout = bureau_layout;
  ASSERT_TRUE(WriteXlsxLedger(*generated, &names, path, x).ok());
  ASSERT_TRUE(IsZipFile(path));
  Diagnostics d;
  std::shared_ptr<const RegionNames> regions;
  absl::StatusOr<Ledger> from_xlsx = OpenLedger(path, LoadOptions(), &d, &regions);
  fs::remove(path);
  ASSERT_TRUE(from_xlsx.ok()) << from_xlsx.status() << (d.empty() ? "" : "\n" + d[0].ToString());
  EXPECT_EQ(internal::DescribeLedgerDifference(*from_csv, *from_xlsx), "");
  ASSERT_NE(regions, nullptr);
  EXPECT_EQ(regions->size(), names.size());
  EXPECT_EQ(regions->Find(GeneratorRegions()[0].code), GeneratorRegions()[0].name);
}

TEST(XlsxLedger, PlainWorkbookRoundTrip) { ExpectRoundTrip(false); }

// The bureau's layout (title, unit row, 序号, 合计, footer) is read by the CSV
// loader's layout rules, through the sheet's CSV text.
TEST(XlsxLedger, BureauWorkbookRoundTrip) { ExpectRoundTrip(true); }

}  // namespace
}  // namespace keyproj
