// WriteXlsx: a workbook written for a small hand-built ledger, read back with
// `unzip -p` and checked cell by cell against figures worked out by hand below.
//
// The ledger, as of 2024-09-30 (money in 万元):
//   X1 industry        started 2024-02-01, plan 2024: 1000, invested 2024-07: 1000,
//                      2024-08: 234.565
//   X2 industry        started 2023-05-01, no plan, invested 2024-01: 50, 2024-02: 50;
//                      nothing in Jul..Sep: stalled
//   Y1 infrastructure  started 2024-04-01, no plan, invested 2024-09: 200.004
// So:
//   industry        projects 2, investment_ytd 1334.565 -> 1334.57 (half-up: the
//                   double 1334.565 lies below the half), plan_completion
//                   1334.565 / 1000 = 1.334565 -> 133.5% (fraction 1.335), stalled 1
//   infrastructure  projects 1, investment_ytd 200.004 -> 200.00, plan_completion not
//                   applicable (no plan), stalled 0
//   whole scope     projects 3, investment_ytd 1534.569 -> 1534.57, plan_completion
//                   1.534569 -> 153.5% (1.535), stalled 1 (X2)
//   in 亿元 (one decimal): 0.1334565 -> 0.1, 0.0200004 -> 0.0, 0.1534569 -> 0.2
#include "keyproj/report_xlsx.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <unistd.h>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "keyproj/csv_loader.h"
#include "keyproj/dossier.h"
#include "keyproj/engine.h"
#include "keyproj/ledger.h"
#include "keyproj/ledger_builder.h"
#include "keyproj/query.h"
#include "keyproj/report.h"
#include "keyproj/report_request.h"
#include "keyproj/targets.h"
#include "keyproj/internal/text.h"
#include "keyproj/value.h"

namespace keyproj {

using ::keyproj::internal::Cat;
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

Date D(int y, int m, int d) { return *Date::FromYmd(y, m, d); }
Money W(std::string_view wan) { return Money::ParseWan(wan).value(); }

Ledger TestLedger() {
  LedgerBuilder b;
  EXPECT_TRUE(b.AddProject({.code = "X1", .name = "新材料产业园项目", .region = 610402, .category = Category::kIndustry,
                            .annual_plan = W("1000"), .plan_year = 2024,
                            .dates = {.started_on = D(2024, 2, 1)}}));
  EXPECT_TRUE(b.AddProject({.code = "X2", .name = "旧厂房改造项目", .region = 610402, .category = Category::kIndustry,
                            .dates = {.started_on = D(2023, 5, 1)}}));
  EXPECT_TRUE(b.AddProject({.code = "Y1", .name = "城区供水管网项目", .region = 610402,
                            .category = Category::kInfrastructure, .dates = {.started_on = D(2024, 4, 1)}}));
  EXPECT_TRUE(b.AddMonthly({.code = "X1", .month = Month::FromYm(2024, 7), .investment = W("1000")}));
  EXPECT_TRUE(b.AddMonthly({.code = "X1", .month = Month::FromYm(2024, 8), .investment = W("234.565")}));
  EXPECT_TRUE(b.AddMonthly({.code = "X2", .month = Month::FromYm(2024, 1), .investment = W("50")}));
  EXPECT_TRUE(b.AddMonthly({.code = "X2", .month = Month::FromYm(2024, 2), .investment = W("50")}));
  EXPECT_TRUE(b.AddMonthly({.code = "Y1", .month = Month::FromYm(2024, 9), .investment = W("200.004")}));
  absl::StatusOr<Ledger> l = std::move(b).Build();
  EXPECT_TRUE(l.ok()) << l.status();
  return l.ok() ? *std::move(l) : Ledger();
}

Result Eval(const Ledger& l, std::vector<Dimension> group_by, std::vector<std::string> ids) {
  Query q;
  q.as_of = D(2024, 9, 30);
  q.group_by = std::move(group_by);
  q.indicators = std::move(ids);
  absl::StatusOr<Result> r = Evaluate(l, q);
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? *std::move(r) : Result();
}

// The grouped table, the whole-scope table with a target "projects >= 5".
Report TestReport(const Ledger& l) {
  Report report;
  report.query.as_of = D(2024, 9, 30);
  report.tables.push_back(
      {"按项目类别", Eval(l, {Dimension::kCategory}, {"projects", "investment_ytd", "plan_completion", "stalled"}), {}});
  ReportTable whole{"全部[汇总]:总体/情况?", Eval(l, {}, {"projects", "investment_ytd"}), {}};
  absl::StatusOr<TargetSet> set = ParseTargetSet("name = \"t\"\n[targets]\nprojects = \">= 5\"\n");
  EXPECT_TRUE(set.ok()) << set.status();
  if (set.ok()) {
    absl::StatusOr<std::vector<TargetStatus>> st =
        EvaluateTargets(*set, whole.result, whole.result.rows.size() - 1, Value::Ratio(9, 12));
    EXPECT_TRUE(st.ok()) << st.status();
    if (st.ok()) whole.targets = *st;
  }
  report.tables.push_back(std::move(whole));
  return report;
}

// ---- reading the workbook back -------------------------------------------------------

std::string Run(const std::string& command) {
  std::string out;
  FILE* p = popen(command.c_str(), "r");
  if (p == nullptr) {
    ADD_FAILURE() << "cannot run " << command;
    return out;
  }
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  const int rc = pclose(p);
  EXPECT_EQ(rc, 0) << command;
  return out;
}

std::string Member(const fs::path& file, std::string_view member) {
  return Run(Cat("unzip -p '", file.string(), "' '", member, "'"));
}

std::string Unescape(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '&') {
      out.push_back(s[i]);
      continue;
    }
    static const std::pair<std::string_view, char> kEntities[] = {
        {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
    bool done = false;
    for (const auto& [entity, c] : kEntities) {
      if (s.substr(i).starts_with(entity)) {
        out.push_back(c);
        i += entity.size() - 1;
        done = true;
        break;
      }
    }
    if (!done) out.push_back('&');
  }
  return out;
}

// The value of attribute `name` in the start tag `tag` ("" when absent).
std::string Attr(std::string_view tag, std::string_view name) {
  const std::string key = Cat(" ", name, "=\"");
  const size_t at = tag.find(key);
  if (at == std::string_view::npos) return "";
  const size_t begin = at + key.size();
  return Unescape(tag.substr(begin, tag.find('"', begin) - begin));
}

// Every element `<name ...>` or `<name .../>` of `xml`: its start tag and its content.
std::vector<std::pair<std::string, std::string>> Elements(std::string_view xml, std::string_view name) {
  std::vector<std::pair<std::string, std::string>> out;
  const std::string open = Cat("<", name);
  for (size_t at = xml.find(open); at != std::string_view::npos; at = xml.find(open, at + 1)) {
    const char next = xml[at + open.size()];
    if (next != ' ' && next != '>' && next != '/') continue;
    const size_t tag_end = xml.find('>', at);
    std::string tag(xml.substr(at, tag_end + 1 - at));
    std::string content;
    if (!tag.ends_with("/>")) {
      const size_t close = xml.find(Cat("</", name, ">"), tag_end);
      content = std::string(xml.substr(tag_end + 1, close - tag_end - 1));
    }
    out.emplace_back(std::move(tag), std::move(content));
  }
  return out;
}

// The text of each <t> in `xml`, joined.
std::string Text(std::string_view xml) {
  std::string out;
  for (const auto& [tag, content] : Elements(xml, "t")) out += Unescape(content);
  return out;
}

struct Cell {
  bool is_string = false;
  std::string value;   // the string, or the <v> of a number
  std::string format;  // the number format code ("General" for none)
  bool bordered = false;  // a thin border all round
};

class Workbook {
 public:
  explicit Workbook(const fs::path& file) : file_(file) {
    for (const auto& [tag, content] : Elements(Member(file, "xl/workbook.xml"), "sheet")) {
      sheet_names_.push_back(Attr(tag, "name"));
    }
    for (const auto& [tag, content] : Elements(Member(file, "xl/sharedStrings.xml"), "si")) {
      strings_.push_back(Text(content));
    }
    const std::string styles = Member(file, "xl/styles.xml");
    std::map<std::string, std::string> codes = {{"0", "General"}, {"1", "0"},   {"2", "0.00"},
                                                {"3", "#,##0"},   {"4", "#,##0.00"}, {"9", "0%"},
                                                {"10", "0.00%"}};
    for (const auto& [tag, content] : Elements(styles, "numFmt")) codes[Attr(tag, "numFmtId")] = Attr(tag, "formatCode");
    const std::vector<std::pair<std::string, std::string>> xfs = Elements(styles, "cellXfs");
    if (!xfs.empty()) {
      for (const auto& [tag, content] : Elements(xfs[0].second, "xf")) {
        xf_formats_.push_back(codes[Attr(tag, "numFmtId")]);
        xf_borders_.push_back(Attr(tag, "borderId"));
      }
    }
    const std::vector<std::pair<std::string, std::string>> borders = Elements(styles, "borders");
    if (!borders.empty()) {
      for (const auto& [tag, content] : Elements(borders[0].second, "border")) {
        thin_.push_back(content.find("<left style=\"thin\"") != std::string::npos &&
                        content.find("<right style=\"thin\"") != std::string::npos &&
                        content.find("<top style=\"thin\"") != std::string::npos &&
                        content.find("<bottom style=\"thin\"") != std::string::npos);
      }
    }
  }

  const std::vector<std::string>& sheet_names() const { return sheet_names_; }
  const std::vector<std::string>& strings() const { return strings_; }
  std::string SheetXml(int n) const { return Member(file_, Cat("xl/worksheets/sheet", n, ".xml")); }
  std::string Xml(std::string_view member) const { return Member(file_, member); }

  // The cells of sheet n (1-based), by reference ("B2").
  std::map<std::string, Cell> Cells(int n) const {
    std::map<std::string, Cell> out;
    for (const auto& [tag, content] : Elements(SheetXml(n), "c")) {
      Cell cell;
      const std::vector<std::pair<std::string, std::string>> v = Elements(content, "v");
      const std::string raw = v.empty() ? "" : v[0].second;
      if (Attr(tag, "t") == "s") {
        cell.is_string = true;
        const size_t i = std::stoul(raw);
        cell.value = i < strings_.size() ? strings_[i] : "<bad index>";
      } else if (Attr(tag, "t") == "inlineStr") {
        cell.is_string = true;
        cell.value = Text(content);
      } else {
        cell.value = raw;
      }
      const std::string s = Attr(tag, "s");
      const size_t xf = s.empty() ? 0 : std::stoul(s);
      cell.format = xf < xf_formats_.size() ? xf_formats_[xf] : "<bad style>";
      if (xf < xf_borders_.size() && !xf_borders_[xf].empty()) {
        const size_t border = std::stoul(xf_borders_[xf]);
        cell.bordered = border < thin_.size() && thin_[border];
      }
      out[Attr(tag, "r")] = std::move(cell);
    }
    return out;
  }

 private:
  fs::path file_;
  std::vector<std::string> sheet_names_;
  std::vector<std::string> strings_;
  std::vector<std::string> xf_formats_;
  std::vector<std::string> xf_borders_;
  std::vector<bool> thin_;  // per border id
};

std::string Str(const std::map<std::string, Cell>& cells, const std::string& ref) {
  auto it = cells.find(ref);
  if (it == cells.end()) return "<empty>";
  return it->second.is_string ? it->second.value : "<number " + it->second.value + ">";
}
// "1334.57 #,##0.00": a number cell's value and format.
std::string Num(const std::map<std::string, Cell>& cells, const std::string& ref) {
  auto it = cells.find(ref);
  if (it == cells.end()) return "<empty>";
  if (it->second.is_string) return "<string " + it->second.value + ">";
  return it->second.value + " " + it->second.format;
}

// The row (1-based) whose column A holds `label`, or 0.
int RowOf(const std::map<std::string, Cell>& cells, const std::string& label) {
  for (int r = 1; r < 100; ++r) {
    if (Str(cells, Cat("A", r)) == label) return r;
  }
  return 0;
}

std::vector<std::string> DirEntries(const fs::path& dir) {
  std::vector<std::string> out;
  for (const fs::directory_entry& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

class XlsxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           Cat("keyproj_xlsx_", getpid(), "_", ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  fs::path dir_;
};

// ---- tests ---------------------------------------------------------------------------

TEST_F(XlsxTest, WritesTablesTargetsAndProjects) {
  const Ledger l = TestLedger();
  const Report report = TestReport(l);
  const fs::path file = dir_ / "report.xlsx";
  {
    std::ofstream old(file);
    old << "an older file, replaced";
  }
  ASSERT_TRUE(WriteXlsx(l, report, RenderOptions{}, file.string()).ok());
  // Only the workbook is left: the temporary file was renamed.
  EXPECT_THAT(DirEntries(dir_), ElementsAre("report.xlsx"));

  const Workbook wb(file);
  // The second title loses []:/? ; then the fixed sheets.
  EXPECT_THAT(wb.sheet_names(), ElementsAre("按项目类别", "全部汇总总体情况", "目标", "项目清单", "图表"));
  EXPECT_THAT(wb.strings(), testing::Contains("—"));

  // Sheet 1, grouped by category.
  const std::string xml1 = wb.SheetXml(1);
  EXPECT_THAT(xml1, HasSubstr("<pane xSplit=\"1\" ySplit=\"3\" topLeftCell=\"B4\""));
  EXPECT_THAT(xml1, HasSubstr("state=\"frozen\""));
  const auto c1 = wb.Cells(1);
  EXPECT_EQ(Str(c1, "A3"), "项目类别");
  EXPECT_EQ(Str(c1, "B3"), "项目数（个）");
  EXPECT_EQ(Str(c1, "C3"), "累计完成投资（万元）");
  EXPECT_EQ(Str(c1, "D3"), "占年度计划（%）");
  EXPECT_EQ(Str(c1, "E3"), "停滞项目（个）");
  EXPECT_EQ(Str(c1, "F3"), "<empty>");
  const int ind = RowOf(c1, "产业");
  const int inf = RowOf(c1, "基础设施");
  ASSERT_GT(ind, 3);
  ASSERT_GT(inf, 3);
  EXPECT_EQ(RowOf(c1, "合计"), 6);  // last, after the title, unit line and header
  EXPECT_EQ(Str(c1, "A7"), "<empty>");
  const std::string i = Cat(ind), f = Cat(inf);
  EXPECT_EQ(Num(c1, "B" + i), "2 #,##0");
  EXPECT_EQ(Num(c1, "C" + i), "1334.57 #,##0.00");
  EXPECT_EQ(Num(c1, "D" + i), "1.335 0.0%");
  EXPECT_EQ(Num(c1, "E" + i), "1 #,##0");
  EXPECT_EQ(Num(c1, "B" + f), "1 #,##0");
  EXPECT_EQ(Num(c1, "C" + f), "200 #,##0.00");
  EXPECT_EQ(Str(c1, "D" + f), "—");
  EXPECT_EQ(Num(c1, "E" + f), "0 #,##0");
  EXPECT_EQ(Num(c1, "B6"), "3 #,##0");
  EXPECT_EQ(Num(c1, "C6"), "1534.57 #,##0.00");
  EXPECT_EQ(Num(c1, "D6"), "1.535 0.0%");
  EXPECT_EQ(Num(c1, "E6"), "1 #,##0");
  // Raw XML too: the money cell's <v> is the displayed decimal.
  EXPECT_THAT(xml1, HasSubstr("<v>1334.57</v>"));
  EXPECT_THAT(xml1, HasSubstr("<v>1534.57</v>"));

  // Sheet 2, no group-by: a "范围" column holding "合计".
  EXPECT_THAT(wb.SheetXml(2), HasSubstr("<pane xSplit=\"1\" ySplit=\"3\" topLeftCell=\"B4\""));
  const auto c2 = wb.Cells(2);
  EXPECT_EQ(Str(c2, "A3"), "范围");
  EXPECT_EQ(Str(c2, "B3"), "项目数（个）");
  EXPECT_EQ(Str(c2, "C3"), "累计完成投资（万元）");
  EXPECT_EQ(Str(c2, "A4"), "合计");
  EXPECT_EQ(Num(c2, "B4"), "3 #,##0");
  EXPECT_EQ(Num(c2, "C4"), "1534.57 #,##0.00");
  EXPECT_EQ(Str(c2, "A5"), "<empty>");

  // 目标: projects 3 against >= 5: progress 60%, gap 2, behind the 75% schedule.
  const auto c3 = wb.Cells(3);
  std::vector<std::string> header, row;
  for (char col = 'A'; col <= 'G'; ++col) {
    header.push_back(Str(c3, Cat(col, "3")));
    row.push_back(Str(c3, Cat(col, "4")));
  }
  EXPECT_THAT(header, ElementsAre("指标", "实际", "目标", "完成进度", "差距", "状态", "<empty>"));
  EXPECT_THAT(row, ElementsAre("项目数", "3", ">= 5", "60.0%", "2", "滞后", "<empty>"));
  EXPECT_EQ(Str(c3, "A5"), "<empty>");

  // 项目清单: the stalled project, with its group from the grouped table and why it
  // is listed (no investment 2024-03..09: 7 months).
  const auto c4 = wb.Cells(4);
  header.clear();
  row.clear();
  for (char col = 'A'; col <= 'F'; ++col) {
    header.push_back(Str(c4, Cat(col, "3")));
    row.push_back(Str(c4, Cat(col, "4")));
  }
  EXPECT_THAT(header, ElementsAre("指标", "分组", "项目代码", "项目名称", "列入原因", "<empty>"));
  EXPECT_THAT(row, ElementsAre("停滞项目", "产业", "X2", "旧厂房改造项目", "停滞情况：7个月", "<empty>"));
  EXPECT_EQ(Str(c4, "A5"), "<empty>");
}

TEST_F(XlsxTest, MoneyInYiAndPlacesOverride) {
  const Ledger l = TestLedger();
  Report report;
  report.tables.push_back(
      {"按项目类别", Eval(l, {Dimension::kCategory}, {"investment_ytd", "plan_completion"}), {}});
  RenderOptions options;
  options.money_unit = MoneyUnit::kYi;
  options.places["plan_completion"] = 2;
  const fs::path file = dir_ / "yi.xlsx";
  ASSERT_TRUE(WriteXlsx(l, report, options, file.string()).ok());
  const Workbook wb(file);
  // No targets, no listing indicator: the table and the charts.
  EXPECT_THAT(wb.sheet_names(), ElementsAre("按项目类别", "图表"));
  const auto c = wb.Cells(1);
  EXPECT_EQ(Str(c, "B3"), "累计完成投资（亿元）");
  const std::string i = Cat(RowOf(c, "产业")), f = Cat(RowOf(c, "基础设施"));
  EXPECT_EQ(Num(c, "B" + i), "0.1 #,##0.0");
  EXPECT_EQ(Num(c, "B" + f), "0 #,##0.0");
  EXPECT_EQ(Num(c, "B6"), "0.2 #,##0.0");
  EXPECT_EQ(Num(c, "C" + i), "1.3346 0.00%");  // 1.334565 to four places
  EXPECT_EQ(Num(c, "C6"), "1.5346 0.00%");
  EXPECT_EQ(Str(c, "C" + f), "—");
}

TEST_F(XlsxTest, SheetNamesAreCutAndMadeUnique) {
  const Ledger l = TestLedger();
  const Result r = Eval(l, {}, {"projects"});
  // 40 characters; the first 31 of them are kept.
  std::string long_title;
  for (int k = 0; k < 4; ++k) long_title += "一二三四五六七八九十";
  std::string first31;
  for (int k = 0; k < 3; ++k) first31 += "一二三四五六七八九十";
  first31 += "一";
  std::string first27;
  for (int k = 0; k < 2; ++k) first27 += "一二三四五六七八九十";
  first27 += "一二三四五六七";
  Report report;
  report.tables = {{long_title, r, {}}, {long_title, r, {}}, {"Data", r, {}}, {"DATA", r, {}},
                   {"'目标'", r, {}},   {"???", r, {}}};
  absl::StatusOr<TargetSet> set = ParseTargetSet("[targets]\nprojects = \">= 1\"\n");
  ASSERT_TRUE(set.ok());
  report.tables[0].targets = EvaluateTargets(*set, r, 0, Value()).value();
  const fs::path file = dir_ / "names.xlsx";
  const absl::Status s = WriteXlsx(l, report, RenderOptions{}, file.string());
  ASSERT_TRUE(s.ok()) << s;
  const Workbook wb(file);
  EXPECT_THAT(wb.sheet_names(),
              ElementsAre(first31, first27 + " (2)", "Data", "DATA (2)", "目标", "表6", "目标 (2)", "图表"));
}

// Each sheet prints as a bureau forwards it: title and unit line above the table,
// borders, landscape A4 one page wide, the rows down to the header repeated.
TEST_F(XlsxTest, SheetsArePrintedTables) {
  const Ledger l = TestLedger();
  const fs::path file = dir_ / "printed.xlsx";
  ASSERT_TRUE(WriteXlsx(l, TestReport(l), RenderOptions{}, file.string()).ok());
  const Workbook wb(file);
  const auto c1 = wb.Cells(1);
  // The period (as_of 2024-09-30), the scope's name (Report's default 全市), the subject.
  EXPECT_EQ(Str(c1, "A1"), "2024年1-9月全市重点项目建设进展情况表（按项目类别）");
  EXPECT_FALSE(c1.at("A1").bordered);
  // The units the sheet's columns use: money, rates, counts.
  EXPECT_EQ(Str(c1, "A2"), "单位：万元、%、个");
  const std::string xml1 = wb.SheetXml(1);
  EXPECT_THAT(xml1, HasSubstr("<mergeCell ref=\"A1:E1\"/>"));
  EXPECT_THAT(xml1, HasSubstr("<mergeCell ref=\"A2:E2\"/>"));
  EXPECT_THAT(xml1, HasSubstr("<pageSetUpPr fitToPage=\"1\"/>"));
  EXPECT_THAT(xml1, HasSubstr("<pageSetup paperSize=\"9\" fitToHeight=\"0\" orientation=\"landscape\"/>"));
  // Every cell of the table, header to 合计, has its border.
  for (char col = 'A'; col <= 'E'; ++col) {
    for (int row = 3; row <= 6; ++row) {
      const std::string ref = Cat(col, row);
      ASSERT_TRUE(c1.contains(ref)) << ref;
      EXPECT_TRUE(c1.at(ref).bordered) << ref;
    }
  }
  // The whole-scope table: no grouping in its title; 范围 and two indicators wide.
  EXPECT_EQ(Str(wb.Cells(2), "A1"), "2024年1-9月全市重点项目建设进展情况表");
  EXPECT_THAT(wb.SheetXml(2), HasSubstr("<mergeCell ref=\"A1:C1\"/>"));
  // The other sheets: their own subjects; text cells carry their units (no unit line).
  EXPECT_EQ(Str(wb.Cells(3), "A1"), "2024年1-9月全市重点项目目标任务完成情况表");
  EXPECT_EQ(Str(wb.Cells(3), "A2"), "<empty>");
  EXPECT_EQ(Str(wb.Cells(4), "A1"), "2024年1-9月全市重点项目预警清单");
  // Rows 1-3 repeated on every printed page, on every sheet.
  const std::string workbook = wb.Xml("xl/workbook.xml");
  for (int sheet = 0; sheet < 5; ++sheet) {
    const std::string name = wb.sheet_names()[static_cast<size_t>(sheet)];
    EXPECT_THAT(workbook, HasSubstr(Cat("<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"", sheet, "\">'",
                                        name, "'!$1:$3</definedName>")));
    EXPECT_THAT(wb.SheetXml(sheet + 1), HasSubstr("orientation=\"landscape\""));
  }
}

// The elements `name` inside `xml`, their content only.
std::vector<std::string> Contents(std::string_view xml, std::string_view name) {
  std::vector<std::string> out;
  for (auto& [tag, content] : Elements(xml, name)) out.push_back(std::move(content));
  return out;
}

// The sheet 图表 of the test ledger, figures worked out by hand (header comment):
//   investment_ytd at the month ends: Jan 50 (X2), Feb..Jun 100, Jul 1100 (X1's 1000),
//   Aug 1334.565 -> 1334.57, Sep 1534.569 -> 1534.57; annual_plan 1000 (X1) all year;
//   序时进度 by months m/12; the plan by then 1000 × m/12: 83.33, 166.67, 250, ...
//   ranked by plan_completion: 产业 133.5% alone (基础设施 has no plan: left out).
TEST_F(XlsxTest, ChartsOfInvestmentBySchedule) {
  const Ledger l = TestLedger();
  const fs::path file = dir_ / "charts.xlsx";
  ASSERT_TRUE(WriteXlsx(l, TestReport(l), RenderOptions{}, file.string()).ok());
  const Workbook wb(file);
  ASSERT_EQ(wb.sheet_names().back(), "图表");
  const auto c = wb.Cells(5);
  EXPECT_EQ(Str(c, "A1"), "2024年1-9月全市重点项目投资进度图表");
  EXPECT_EQ(Str(c, "A2"), "单位：万元、%");
  std::vector<std::string> header;
  for (char col = 'A'; col <= 'F'; ++col) header.push_back(Str(c, Cat(col, "3")));
  EXPECT_THAT(header, ElementsAre("月份", "累计完成投资（万元）", "年度计划投资（万元）", "序时进度（%）",
                                  "按序时进度应完成投资（万元）", "<empty>"));
  const char* ytd[] = {"50", "100", "100", "100", "100", "100", "1100", "1334.57", "1534.57"};
  const char* schedule[] = {"0.083", "0.167", "0.25", "0.333", "0.417", "0.5", "0.583", "0.667", "0.75"};
  const char* due[] = {"83.33", "166.67", "250", "333.33", "416.67", "500", "583.33", "666.67", "750"};
  for (int m = 1; m <= 9; ++m) {
    const std::string row = Cat(m + 3);
    EXPECT_EQ(Str(c, "A" + row), Cat(m, "月"));
    EXPECT_EQ(Num(c, "B" + row), Cat(ytd[m - 1], " #,##0.00")) << m;
    EXPECT_EQ(Num(c, "C" + row), "1000 #,##0.00") << m;
    EXPECT_EQ(Num(c, "D" + row), Cat(schedule[m - 1], " 0.0%")) << m;
    EXPECT_EQ(Num(c, "E" + row), Cat(due[m - 1], " #,##0.00")) << m;
    // And the engine's own figure at that month end agrees.
    Query q;
    q.as_of = Month::FromYm(2024, m).last_day();
    q.indicators = {"investment_ytd"};
    absl::StatusOr<Result> r = Evaluate(l, q);
    ASSERT_TRUE(r.ok()) << r.status();
    const Value v = r->total().values[0];
    EXPECT_EQ(std::stod(c.at("B" + row).value), std::stod(Value::Ratio(v.num(), v.den() * kFenPerWan).Decimal(2)));
  }
  EXPECT_EQ(Str(c, "A13"), "<empty>");
  EXPECT_EQ(Str(c, "A14"), "名次");
  EXPECT_EQ(Str(c, "B14"), "项目类别");
  EXPECT_EQ(Str(c, "C14"), "占年度计划（%）");
  EXPECT_EQ(Str(c, "A15"), "1");
  EXPECT_EQ(Str(c, "B15"), "产业");
  EXPECT_EQ(Num(c, "C15"), "1.335 0.0%");
  EXPECT_EQ(Str(c, "B16"), "<empty>");

  // Chart 1: two lines over the months, named, pointing at columns B and E.
  const std::string chart1 = wb.Xml("xl/charts/chart1.xml");
  EXPECT_THAT(chart1, HasSubstr("<c:lineChart>"));
  EXPECT_THAT(Contents(Contents(chart1, "c:title")[0], "a:t"), ElementsAre("2024年1-9月全市累计完成投资与序时进度"));
  const std::vector<std::string> series1 = Contents(chart1, "c:ser");
  ASSERT_EQ(series1.size(), 2u);
  EXPECT_THAT(Contents(series1[0], "c:f"), ElementsAre("'图表'!$A$4:$A$12", "'图表'!$B$4:$B$12"));
  EXPECT_THAT(Contents(Contents(series1[0], "c:tx")[0], "c:v"), ElementsAre("累计完成投资"));
  EXPECT_THAT(Contents(series1[1], "c:f"), ElementsAre("'图表'!$A$4:$A$12", "'图表'!$E$4:$E$12"));
  EXPECT_THAT(Contents(Contents(series1[1], "c:tx")[0], "c:v"), ElementsAre("序时进度"));
  EXPECT_THAT(series1[1], HasSubstr("<a:prstDash val=\"dash\"/>"));
  EXPECT_THAT(chart1, HasSubstr("月份"));
  EXPECT_THAT(chart1, HasSubstr("完成投资（万元）"));
  EXPECT_THAT(chart1, HasSubstr("<c:legendPos val=\"b\"/>"));

  // Chart 2: horizontal bars of the ranked groups, best on top (categories reversed).
  const std::string chart2 = wb.Xml("xl/charts/chart2.xml");
  EXPECT_THAT(chart2, HasSubstr("<c:barChart><c:barDir val=\"bar\"/>"));
  EXPECT_THAT(Contents(Contents(chart2, "c:title")[0], "a:t"), ElementsAre("2024年1-9月全市各项目类别占年度计划排名"));
  const std::vector<std::string> series2 = Contents(chart2, "c:ser");
  ASSERT_EQ(series2.size(), 1u);
  // One group: a range of one cell, which Excel writes as the cell.
  EXPECT_THAT(Contents(series2[0], "c:f"), ElementsAre("'图表'!$B$15", "'图表'!$C$15"));
  EXPECT_THAT(Contents(Contents(series2[0], "c:tx")[0], "c:v"), ElementsAre("占年度计划"));
  EXPECT_THAT(Contents(chart2, "c:catAx")[0], HasSubstr("<c:orientation val=\"maxMin\"/>"));
}

// Ranked groups best first; equal ones keep the table's order; a whole-scope first
// table has no ranking; charts=false leaves the sheet out.
TEST_F(XlsxTest, ChartRankingAndOptOut) {
  const Ledger l = TestLedger();
  Report by_code;
  by_code.query.as_of = D(2024, 9, 30);
  by_code.tables.push_back({"按县", Eval(l, {Dimension::kCounty}, {"projects"}), {}});
  const fs::path one = dir_ / "one.xlsx";
  ASSERT_TRUE(WriteXlsx(l, by_code, RenderOptions{}, one.string()).ok());
  const auto c = Workbook(one).Cells(2);
  // One county 610402 (no regions: its code), 153.5%.
  EXPECT_EQ(Str(c, "B15"), "610402");
  EXPECT_EQ(Num(c, "C15"), "1.535 0.0%");

  Report whole;
  whole.query.as_of = D(2024, 2, 29);
  whole.tables.push_back({"全部", Eval(l, {}, {"projects"}), {}});
  const fs::path feb = dir_ / "feb.xlsx";
  ASSERT_TRUE(WriteXlsx(l, whole, RenderOptions{}, feb.string()).ok());
  const Workbook wb(feb);
  EXPECT_THAT(wb.sheet_names(), ElementsAre("全部", "图表"));
  const auto f = wb.Cells(2);
  EXPECT_EQ(Str(f, "A1"), "2024年1-2月全市重点项目投资进度图表");
  EXPECT_EQ(Str(f, "A5"), "2月");
  EXPECT_EQ(Num(f, "B5"), "100 #,##0.00");
  EXPECT_EQ(Str(f, "A6"), "<empty>");
  EXPECT_EQ(Str(f, "A7"), "<empty>");  // no ranking table
  EXPECT_THAT(keyproj::Run(Cat("unzip -l '", feb.string(), "'")), HasSubstr("xl/charts/chart1.xml"));
  EXPECT_THAT(keyproj::Run(Cat("unzip -l '", feb.string(), "'")), testing::Not(HasSubstr("xl/charts/chart2.xml")));

  RenderOptions bare;
  bare.charts = false;
  const fs::path none = dir_ / "none.xlsx";
  ASSERT_TRUE(WriteXlsx(l, whole, bare, none.string()).ok());
  EXPECT_THAT(Workbook(none).sheet_names(), ElementsAre("全部"));
  EXPECT_THAT(keyproj::Run(Cat("unzip -l '", none.string(), "'")), testing::Not(HasSubstr("xl/charts/")));
}

TEST_F(XlsxTest, MissingDirectoryIsAnErrorAndLeavesNothing) {
  const Ledger l = TestLedger();
  const fs::path file = dir_ / "no-such-dir" / "report.xlsx";
  const absl::Status s = WriteXlsx(l, TestReport(l), RenderOptions{}, file.string());
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(s.message()), HasSubstr(file.string()));
  EXPECT_FALSE(fs::exists(file));
  EXPECT_THAT(DirEntries(dir_), IsEmpty());
}

TEST_F(XlsxTest, FailedRenameRemovesTheTemporaryFile) {
  // The path is a directory with something in it: the workbook is written beside it,
  // then cannot replace it.
  const Ledger l = TestLedger();
  const fs::path target = dir_ / "report.xlsx";
  fs::create_directories(target / "inside");
  const absl::Status s = WriteXlsx(l, TestReport(l), RenderOptions{}, target.string());
  EXPECT_FALSE(s.ok());
  EXPECT_THAT(std::string(s.message()), HasSubstr(target.string()));
  EXPECT_THAT(DirEntries(dir_), ElementsAre("report.xlsx"));
  EXPECT_TRUE(fs::is_directory(target));
}

// Dossiers (dossier.h) as a workbook: a sheet per leader of tests/data/dossier (figures
// worked out by hand in tests/dossier_test.cc), the title and heading in A1 and A2, a
// line of the text per row, an empty row between paragraphs; 王五 (his only project
// cancelled) has no sheet, the projects without a leader come last.
TEST_F(XlsxTest, DossiersASheetPerGroup) {
  Diagnostics diagnostics;
  absl::StatusOr<Ledger> l = LoadCsvLedger(fs::path(KEYPROJ_TESTDATA_DIR) / "dossier", LoadOptions{}, &diagnostics);
  ASSERT_TRUE(l.ok()) << l.status();
  ReportRequest request;
  request.as_of = D(2024, 5, 31);
  request.groupings = {};
  absl::StatusOr<Report> report = MakeReport(*l, request);
  ASSERT_TRUE(report.ok()) << report.status();
  RenderOptions options;
  options.dossier_by = Dimension::kLeader;
  const fs::path file = dir_ / "dossiers.xlsx";
  const absl::Status s = WriteXlsx(*l, *report, options, file.string());
  ASSERT_TRUE(s.ok()) << s;
  const Workbook wb(file);
  EXPECT_THAT(wb.sheet_names(), ElementsAre("张三", "李四", "未落实包抓领导"));
  const std::map<std::string, Cell> zhang = wb.Cells(1);
  EXPECT_EQ(Str(zhang, "A1"), "全市重点项目包抓领导专报（截至2024年5月31日）");
  EXPECT_EQ(Str(zhang, "A2"), "一、张三（包抓项目2个）");
  EXPECT_THAT(Str(zhang, "A3"), HasSubstr("1-5月份完成投资2700.00万元，占年度计划的30.0%，低于序时进度11.7个百分点"));
  EXPECT_EQ(Str(zhang, "A4"), "<empty>");
  EXPECT_EQ(Str(zhang, "A5"), "项目推进情况：");
  EXPECT_EQ(Str(zhang, "A6"), "（1）城东污水处理厂：年度计划4000.00万元，累计完成1900.00万元，完成率47.5%");
  EXPECT_EQ(Str(zhang, "A7"), "（2）高新区电池项目：年度计划5000.00万元，累计完成800.00万元，完成率16.0%");
  const std::map<std::string, Cell> li = wb.Cells(2);
  EXPECT_EQ(Str(li, "A2"), "二、李四（包抓项目1个）");
  EXPECT_EQ(RowOf(li, "无未解决的问题。"), 10);

  // Without groups (a scope with no project) the workbook still has its sheet.
  request.filter.codes = {"A3"};  // cancelled
  absl::StatusOr<Report> none = MakeReport(*l, request);
  ASSERT_TRUE(none.ok()) << none.status();
  const fs::path empty = dir_ / "none.xlsx";
  ASSERT_TRUE(WriteXlsx(*l, *none, options, empty.string()).ok());
  const Workbook wb2(empty);
  EXPECT_EQ(wb2.sheet_names().size(), 1u);
  EXPECT_EQ(Str(wb2.Cells(1), "A1"), "全市重点项目包抓领导专报（截至2024年5月31日）");
}

}  // namespace
}  // namespace keyproj
