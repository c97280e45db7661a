// The paragraphs of a monthly report from templates (narrative.h, docs/report-text.md).
//
// The golden tests render tests/data/report_*/report.tmpl over the ledgers that
// reproduce the two worked reports of the shared spec (indicators.md, "Worked figures
// from real bureau reports") and compare with text written by hand from those reports.
// The unit tests use the city ledger, whose exact figures golden_reports_test.cc
// states (amounts in hundredths of 万元 there).
#include "keyproj/narrative.h"

#include <array>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "keyproj/csv_loader.h"
#include "keyproj/engine.h"
#include "keyproj/query.h"
#include "keyproj/report.h"

namespace keyproj {

using ::keyproj::internal::Cat;
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

struct Loaded {
  absl::StatusOr<Ledger> ledger;
  Diagnostics diagnostics;
};

const Loaded& Load(const std::filesystem::path& dir) {
  auto* loaded = new Loaded{absl::InternalError("not loaded"), {}};
  loaded->ledger = LoadCsvLedger(dir, LoadOptions{}, &loaded->diagnostics);  // strict
  return *loaded;
}
const Loaded& County() {
  static const Loaded& l = Load(std::filesystem::path(KEYPROJ_TESTDATA_DIR) / "report_county");
  return l;
}
const Loaded& City() {
  static const Loaded& l = Load(std::filesystem::path(KEYPROJ_TESTDATA_DIR) / "report_city");
  return l;
}
const Loaded& Sample() {
  static const Loaded& l = Load(std::filesystem::path(KEYPROJ_SOURCE_DIR) / "examples" / "data");
  return l;
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

Date D(int y, int m, int d) { return *Date::FromYmd(y, m, d); }

// The province's 序时进度 curve of the city report: 85% by the end of September.
std::array<int64_t, 12> ProvinceCurve() {
  return {50000, 120000, 220000, 320000, 420000, 550000, 650000, 750000, 850000, 920000, 970000, 1000000};
}

Query CityQuery(Date as_of = D(2024, 9, 30)) {
  Query q;
  q.as_of = as_of;
  q.options.schedule = ScheduleMode::kCurve;
  q.options.curve = ProvinceCurve();
  return q;
}

Query CountyQuery() {
  Query q;
  q.as_of = D(2024, 10, 31);
  q.filter.min_total_investment = int64_t{500} * kFenPerWan;  // the report counts >= 500万
  return q;
}

// The rendered text, or "ERROR: " and why.
std::string Render(const Loaded& l, const Query& q, std::string_view text, std::string_view scope = "全市",
                   const RenderOptions& options = {}) {
  if (!l.ledger.ok()) return Cat("ERROR: ledger: ", std::string(l.ledger.status().message()));
  absl::StatusOr<NarrativeTemplate> t = NarrativeTemplate::Parse(text);
  if (!t.ok()) return Cat("ERROR: ", std::string(t.status().message()));
  Report report;
  report.scope_name = std::string(scope);
  absl::StatusOr<std::string> out = t->Render(*l.ledger, q, report, options);
  if (!out.ok()) return Cat("ERROR: ", std::string(out.status().message()));
  return *out;
}
std::string City(std::string_view text, const RenderOptions& options = {}) {
  return Render(City(), CityQuery(), text, "全市", options);
}

// The error Parse gives, or "" when it parses.
std::string ParseError(std::string_view text) {
  absl::StatusOr<NarrativeTemplate> t = NarrativeTemplate::Parse(text);
  return t.ok() ? std::string() : std::string(t.status().message());
}

// ================================ golden reports ====================================

TEST(NarrativeGolden, CityReport) {
  const std::string tmpl = ReadFile(std::filesystem::path(KEYPROJ_TESTDATA_DIR) / "report_city" / "report.tmpl");
  ASSERT_FALSE(tmpl.empty());
  EXPECT_EQ(Render(City(), CityQuery(), tmpl, "全市"),
            "1-9月份，全市固定资产投资完成320亿元，同比增长20%。"
            "其中，产业投资同比增长18%，占全部投资的55%；工业投资同比增长23%，占45%。"
            "全市30个省重点项目完成投资130亿元，占年度计划的88%；"
            "其中续建项目完成投资70亿元，占年度计划的92%，超序时进度7个百分点。\n");
}

TEST(NarrativeGolden, CityKeyProjectsAndNewProvincialOnes) {
  EXPECT_EQ(City("全市{projects[level=municipal]}个市重点项目中，产业类{projects[level=municipal,category=industry]}个、"
                 "城建类{projects[level=municipal,category=urban]}个、"
                 "民生类{projects[level=municipal,category=livelihood]}个、"
                 "文旅类{projects[level=municipal,category=culture_tourism]}个；"
                 "新建省重点项目完成投资{investment_ytd[level=provincial,build_type=new]|亿元|0}亿元，"
                 "占年度计划的{plan_completion[level=provincial,build_type=new]|0}。"),
            "全市40个市重点项目中，产业类13个、城建类10个、民生类9个、文旅类8个；"
            "新建省重点项目完成投资60亿元，占年度计划的83%。");
}

TEST(NarrativeGolden, CountyReport) {
  const std::string tmpl = ReadFile(std::filesystem::path(KEYPROJ_TESTDATA_DIR) / "report_county" / "report.tmpl");
  ASSERT_FALSE(tmpl.empty());
  EXPECT_EQ(Render(County(), CountyQuery(), tmpl, "全县"),
            "1-10月份，全县500万元以上新开工项目729个，完成投资262.9亿元，同比增长8.4%；"
            "新入库项目427个，储备项目1281个，储备倍数1.76倍。"
            "招商引资方面，累计签约项目236个，签约总投资822.3亿元，其中已开工207个、已竣工121个；"
            "到位资金259.5亿元，同比增长21.3%。\n");
}

// ================================ the default template ==============================

TEST(NarrativeDefault, IsTheShippedFile) {
  EXPECT_EQ(ReadFile(std::filesystem::path(KEYPROJ_SOURCE_DIR) / "examples" / "templates" / "monthly.txt"),
            NarrativeTemplate::DefaultText());
}

TEST(NarrativeDefault, RendersOnTheSampleLedger) {
  const Loaded& l = Sample();
  ASSERT_TRUE(l.ledger.ok()) << l.ledger.status();
  Query q;
  q.as_of = D(2024, 9, 30);
  const std::string text = Render(l, q, NarrativeTemplate::DefaultText(), "全县");
  EXPECT_THAT(text, StartsWith("1-9月份，全县重点项目完成投资"));
  EXPECT_THAT(text, Not(HasSubstr("—")));
  EXPECT_THAT(text, Not(HasSubstr("ERROR")));
  EXPECT_THAT(text, Not(HasSubstr("{")));
  EXPECT_THAT(text, HasSubstr("向上争取方面，2024年共向上申报项目"));
  // The sample ledger has approvals.csv: the 前期手续 paragraph is there.
  EXPECT_THAT(text, HasSubstr("\n\n前期手续方面，1-9月份全县共完成立项可研报告批复"));
}

TEST(NarrativeDefault, RendersOnTheCityLedger) {
  // The figures of the first paragraph, 1 place as the default template writes them:
  // 320.1亿元, 20.0% (320123456 / 266781234 - 1 = 19.99%), 88.0%, 7.6 points ahead
  // (130000000 / 148200000 = 87.72% against 85%).
  const std::string text = Render(City(), CityQuery(), NarrativeTemplate::DefaultText(), "全市");
  EXPECT_THAT(text, StartsWith("1-9月份，全市重点项目完成投资320.1亿元，同比增长20.0%，占年度计划的"));
  // No approvals.csv: no 前期手续 paragraph, and no blank line left for it.
  EXPECT_THAT(text, Not(HasSubstr("前期手续")));
  EXPECT_THAT(text, Not(HasSubstr("\n\n\n")));
}

// ================================ formats ===========================================

TEST(NarrativeFormat, ChangeWords) {
  // yoy_growth of the city: 320123456 / 266781234 - 1 = 19.995%.
  EXPECT_EQ(City("{yoy_growth|增减}"), "增长20.0%");
  EXPECT_EQ(City("{yoy_growth|增减|2}"), "增长19.99%");
  EXPECT_EQ(City("{-yoy_growth|增减}"), "下降20.0%");
  EXPECT_EQ(City("{-0.03|增减}"), "下降3.0%");
  EXPECT_EQ(City("{0 - 3%|增减}"), "下降3.0%");
  EXPECT_EQ(City("{yoy_growth - yoy_growth|增减}"), "持平");
  // Rounds to zero: 持平, never "增长0.0%" or "下降0.0%".
  EXPECT_EQ(City("{0.0004|增减}"), "持平");
  EXPECT_EQ(City("{-0.0004|增减}"), "持平");
  EXPECT_EQ(City("{0.0004|增减|2}"), "增长0.04%");
  EXPECT_EQ(City("{-0.0004|增减|2}"), "下降0.04%");
  // Not applicable: no project in region 99, a division by zero.
  EXPECT_EQ(City("同比{yoy_growth[region=99]|增减}"), "同比—");
  EXPECT_EQ(City("{yoy_growth / 0|增减}"), "—");
  EXPECT_EQ(City("{yoy_growth[region=99]}"), "—");
  // Money and points: 增加/减少, 提高/降低.
  EXPECT_EQ(City("{investment_ytd - investment_prev_ytd|亿元|增减}亿元"), "增加53.3亿元");
  EXPECT_EQ(City("{investment_prev_ytd - investment_ytd|亿元|增减}亿元"), "减少53.3亿元");
  EXPECT_EQ(City("{-2.5|points|增减}个百分点"), "降低2.5个百分点");
}

TEST(NarrativeFormat, AheadOrBehindSchedule) {
  // Continuing provincial projects: 70123456 / 76100000 = 92.15% against 85%.
  EXPECT_EQ(City("{schedule_gap_pp[level=provincial,build_type=continuing]|超低}"), "超序时进度7.1个百分点");
  EXPECT_EQ(City("{schedule_gap_pp[level=provincial,build_type=continuing]|超低|0}"), "超序时进度7个百分点");
  EXPECT_EQ(City("{-3|超低}"), "低于序时进度3.0个百分点");
  EXPECT_EQ(City("{0 - schedule_gap_pp[level=provincial,build_type=continuing]|超低|2}"), "低于序时进度7.15个百分点");
  EXPECT_EQ(City("{0.04|超低}"), "与序时进度持平");
  EXPECT_EQ(City("{-0.04|超低}"), "与序时进度持平");
  EXPECT_EQ(City("{schedule_gap_pp[region=99]|超低}"), "—");
  // By months instead of the province's curve: 92.15% against 75%.
  Query q = CityQuery();
  q.options.schedule = ScheduleMode::kMonths;
  EXPECT_EQ(Render(City(), q, "{schedule_gap_pp[level=provincial,build_type=continuing]|超低|0}"),
            "超序时进度17个百分点");
}

TEST(NarrativeFormat, PlainNumbers) {
  EXPECT_EQ(City("{projects[level=provincial]}"), "30");
  EXPECT_EQ(City("{plan_completion[level=provincial]}"), "87.7%");
  EXPECT_EQ(City("{plan_completion[level=provincial]|0}"), "88%");
  EXPECT_EQ(City("{schedule}"), "85.0%");
  EXPECT_EQ(City("{schedule_gap_pp[level=provincial,build_type=continuing]}"), "7.1");
}

TEST(NarrativeFormat, MoneyInWanAndYi) {
  // 3,201,234.56万元.
  EXPECT_EQ(City("{investment_ytd|万元}"), "3201234.56");
  EXPECT_EQ(City("{investment_ytd|亿元}"), "320.1");
  EXPECT_EQ(City("{investment_ytd|亿元|2}"), "320.12");
  EXPECT_EQ(City("{investment_ytd|万元|0}"), "3201235");
  // No unit word: RenderOptions::money_unit (万元 unless set), 1 place in 亿元.
  EXPECT_EQ(City("{investment_ytd}"), "3201234.56");
  RenderOptions yi;
  yi.money_unit = MoneyUnit::kYi;
  EXPECT_EQ(City("{investment_ytd}", yi), "320.1");
  EXPECT_EQ(City("{investment_ytd|万元}", yi), "3201234.56");
  // RenderOptions::places overrides the default, a places word overrides both.
  yi.places["investment_ytd"] = 0;
  EXPECT_EQ(City("{investment_ytd}", yi), "320");
  EXPECT_EQ(City("{investment_ytd|3}", yi), "320.123");
  EXPECT_EQ(City("{investment_ytd[level=provincial]}", yi), "130");
}

// 金额 writes money with its unit: 亿元 from 1亿元 up, 万元 below, so that a small
// scope's figure is not "0.0亿元"; a money word fixes the unit, places apply to
// either, and 增减 and a calculation take it as they take 亿元.
TEST(NarrativeFormat, AmountWithItsUnit) {
  // 3,201,234.56万元 in all; 1,300,000万元 of it provincial.
  EXPECT_EQ(City("{investment_ytd|金额}"), "320.1亿元");
  EXPECT_EQ(City("{investment_ytd|金额|2}"), "320.12亿元");
  EXPECT_EQ(City("{investment_ytd|金额|万元}"), "3201234.56万元");
  EXPECT_EQ(City("{investment_ytd / 10000|金额}"), "320.12万元");  // the figure over 10^4: under 1亿元
  EXPECT_EQ(City("{investment_ytd / 10000|金额|0}"), "320万元");
  EXPECT_EQ(City("{investment_ytd / 320.123456|金额}"), "1.0亿元");  // 1亿元 exactly
  EXPECT_EQ(City("{investment_ytd / 320.2|金额}"), "9997.61万元");  // under 1亿元
  // Under 1亿元 but 10000万元 as shown: 1.0亿元.
  EXPECT_EQ(City("{investment_ytd / 320.1236|金额}"), "1.0亿元");    // 9999.996万元
  EXPECT_EQ(City("{investment_ytd / 320.1236|金额|2}"), "1.00亿元");
  EXPECT_EQ(City("{investment_ytd / 320.138|金额|0}"), "1亿元");     // 9999.55万元
  EXPECT_EQ(City("{investment_ytd / 320.2|金额|0}"), "9998万元");
  EXPECT_EQ(City("{0 - investment_ytd / 10000|金额|增减}"), "减少320.12万元");
  EXPECT_EQ(City("{investment_ytd - investment_ytd|金额|增减}"), "持平");
  EXPECT_EQ(City("{investment_ytd[level=provincial]|金额}"), "130.0亿元");
  EXPECT_EQ(City("{investment_ytd / 0|金额}"), "—");
  EXPECT_EQ(ParseError("{plan_completion|金额}"), "line 1, column 2: 'plan_completion' is a rate: 金额 applies to money");
  EXPECT_EQ(ParseError("{investment_ytd|金额|金额}"), "line 1, column 20: a second 金额 ('金额')");
}

TEST(NarrativeFormat, CompoundExpressionsWithAUnit) {
  // 产业 share: (129654321 + 46421087) / 320123456 = 55.0%.
  EXPECT_EQ(City("{investment_ytd[category=industry] / investment_ytd|%}"), "55.0%");
  EXPECT_EQ(City("{investment_ytd[category=industry] / investment_ytd|rate|0}"), "55%");
  // Money computed in 万元: 3201234.56 - 2667812.34.
  EXPECT_EQ(City("{investment_ytd - investment_prev_ytd|money|万元}"), "533422.22");
  EXPECT_EQ(City("{investment_ytd - investment_prev_ytd|亿元}"), "53.3");
  EXPECT_EQ(City("{projects[level=provincial] + projects[level=municipal]|个}"), "70");
  EXPECT_EQ(City("{investment_ytd / investment_prev_ytd|multiple}"), "1.20");
  // A plain id with its own unit named is fine.
  EXPECT_EQ(City("{projects[level=provincial]|count}"), "30");
}

TEST(NarrativeFormat, LastYearAndGrowthOnLastYear) {
  // The same date a year earlier: 2,667,812.34万元.
  EXPECT_EQ(City("{investment_ytd|上年|亿元}"), "266.8");
  EXPECT_EQ(City("{investment_ytd|同比|增减}"), "增长20.0%");
  EXPECT_EQ(City("{investment_ytd|同比|0}"), "20%");
  EXPECT_EQ(City("{investment_ytd[region=99]|同比|增减}"), "—");
  // County funds: 2,139,456.78万元 in 2023-01..10, growth 21.298%.
  EXPECT_EQ(Render(County(), CountyQuery(), "{funds_arrived_ytd|上年|亿元}|{funds_arrived_ytd|同比|2}"),
            "213.9|21.30%");
}

// ================================ words and lines ===================================

TEST(NarrativeWords, PeriodMonthYearDateScope) {
  const std::string words = "{期间}|{月份}|{年}|{截至}|{范围}";
  EXPECT_EQ(Render(City(), CityQuery(D(2024, 9, 30)), words), "1-9月份|9月份|2024|2024年9月30日|全市");
  EXPECT_EQ(Render(City(), CityQuery(D(2024, 1, 31)), words, "全区"), "1月份|1月份|2024|2024年1月31日|全区");
  EXPECT_EQ(Render(City(), CityQuery(D(2024, 12, 5)), words), "1-12月份|12月份|2024|2024年12月5日|全市");
  // A year before 29 February is 28 February.
  const std::string leap = Render(City(), CityQuery(D(2024, 2, 29)), "{ 期间 }|{investment_ytd|上年|万元}");
  EXPECT_EQ(leap, Render(City(), CityQuery(D(2024, 2, 28)), "{期间}|{investment_ytd|上年|万元}"));
  EXPECT_THAT(leap, StartsWith("1-2月份|"));
  EXPECT_THAT(leap, Not(HasSubstr("—")));
}

TEST(NarrativeWords, ConditionalLines) {
  const std::string text =
      "开头\n"
      "?{projects[level=provincial]}有{projects[level=provincial]}个省重点项目。\n"
      "?{projects[region=99]}没有项目时不出现。\n"
      "?!{projects[region=99]}没有项目时出现。\n"
      "?!{projects[level=provincial]}有项目时不出现。\n"
      "?{plan_completion[region=99]}不适用时不出现。\n"
      "?!{plan_completion[region=99]}不适用时也不出现。\n"
      "?{investment_ytd[level=provincial] / annual_plan[level=provincial] - 1}算式不需要单位。\n"
      "结尾?{projects[level=provincial]}不在行首：照抄。\n"
      "?{{不是条件}}\n"
      "?{projects[region=99]}最后一行没有换行";
  EXPECT_EQ(City(text),
            "开头\n"
            "有30个省重点项目。\n"
            "没有项目时出现。\n"
            "算式不需要单位。\n"
            "结尾?30不在行首：照抄。\n"
            "?{不是条件}\n");
}

TEST(NarrativeWords, Escapes) {
  EXPECT_EQ(City("{{范围}} {{{projects[level=provincial]}}} }}{{"), "{范围} {30} }{");
  EXPECT_EQ(City("没有占位符的文字。\n"), "没有占位符的文字。\n");
  EXPECT_EQ(City(""), "");
  EXPECT_EQ(City("\xEF\xBB\xBF{范围}"), "全市");  // a BOM is dropped
  // Full-width separators and brackets, as a Chinese input method types them.
  EXPECT_EQ(City("{investment_ytd［level=provincial］｜亿元｜0}"), "130");
  EXPECT_EQ(City("{projects[level=provincial|municipal]}"), "70");
  EXPECT_EQ(City("{projects[department=\"a|b}c\"]}"), "0");
}

// ================================ parse errors ======================================

TEST(NarrativeParse, Errors) {
  EXPECT_EQ(ParseError("完成投资\n  {investment_ytdd}"),
            "line 2, column 4: unknown indicator 'investment_ytdd' (did you mean investment_ytd?) (expected a catalogue id)");
  EXPECT_EQ(ParseError("完成投资{investment_ytd + }"),
            "line 1, column 23: expected a number, an indicator id or '(', found end of text");
  EXPECT_THAT(ParseError("{investment_ytd[category=foo]}"), StartsWith("line 1, column 26: "));
  EXPECT_THAT(ParseError("{investment_ytd[category=foo]}"), HasSubstr("'foo'"));
  EXPECT_EQ(ParseError("{projects|亿}"),
            "line 1, column 11: unknown format word '亿' (expected 亿元, 万元, 金额, a number of places (0-6), 增减, "
            "超低, 上年, 同比, or a unit: rate (%), money, count (个), points (百分点), multiple (倍), months (月))");
  EXPECT_EQ(ParseError("第一行\n数字{projects"),
            "line 2, column 3: '{' is not closed on its line (write '{{' for a literal '{')");
  // Every problem of a template, each where it is (a broken placeholder's line left
  // at it: the rest of the line is the same typo's).
  EXPECT_EQ(ParseError("数字{projects\n}"),
            "2 problems:\n"
            "  line 1, column 3: '{' is not closed on its line (write '{{' for a literal '{')\n"
            "  line 2, column 1: '}' without a '{' (write '}}' for a literal '}')");
  EXPECT_EQ(ParseError("完成{investment_ytdd}，开工{startd}\n?{foo}x\n{projects{x}} {nope}\n{projects}"),
            "4 problems:\n"
            "  line 1, column 4: unknown indicator 'investment_ytdd' (did you mean investment_ytd?) (expected a catalogue id)\n"
            "  line 1, column 24: unknown indicator 'startd' (did you mean started?) (expected a catalogue id)\n"
            "  line 2, column 3: unknown indicator 'foo' (expected a catalogue id)\n"
            "  line 3, column 10: '{' inside a placeholder (is a '}' missing?)");
  EXPECT_EQ(ParseError("{projects{x}}"), "line 1, column 10: '{' inside a placeholder (is a '}' missing?)");
  EXPECT_EQ(ParseError("a\nb\n投资}"), "line 3, column 3: '}' without a '{' (write '}}' for a literal '}')");
  EXPECT_EQ(ParseError("占比{investment_ytd / annual_plan}"),
            "line 1, column 4: 'investment_ytd / annual_plan' is a calculation: name its unit with a format word "
            "(rate or %, money or 亿元/万元, count or 个, points, multiple, months)");
  EXPECT_EQ(ParseError("{}"), "line 1, column 1: empty placeholder (write '{{' for a literal '{')");
  EXPECT_EQ(ParseError("{ |1}"), "line 1, column 1: empty placeholder (write '{{' for a literal '{')");
  EXPECT_EQ(ParseError("{期间|1}"), "line 1, column 5: the word '期间' takes no format words");
  EXPECT_THAT(ParseError("{投资}"), StartsWith("line 1, column 2: unknown word '投资' (the words are 期间, 月份"));
  EXPECT_EQ(ParseError("{plan_completion|亿元}"),
            "line 1, column 2: 'plan_completion' is a rate: 亿元 and 万元 apply to money");
  EXPECT_EQ(ParseError("{funds_arrived_ytd|同比|亿元}"),
            "line 1, column 2: 'funds_arrived_ytd' with 同比 is a rate: 亿元 and 万元 apply to money");
  EXPECT_EQ(ParseError("{plan_completion|超低}"),
            "line 1, column 2: 'plan_completion' is a rate: 超低 applies to percentage points (schedule_gap_pp)");
  EXPECT_EQ(ParseError("{projects|%}"), "line 1, column 11: 'projects' is a count, not a rate");
  EXPECT_EQ(ParseError("{projects|7}"), "line 1, column 11: places must be 0 to 6, not '7'");
  EXPECT_EQ(ParseError("{projects|0|1}"), "line 1, column 13: a second number of places ('1')");
  EXPECT_EQ(ParseError("{projects||1}"), "line 1, column 11: empty format word (expected 亿元, 万元, 金额, a number of "
                                         "places (0-6), 增减, 超低, 上年, 同比, or a unit: rate (%), money, count "
                                         "(个), points (百分点), multiple (倍), months (月))");
  EXPECT_EQ(ParseError("{yoy_growth|增减|超低}"), "line 1, column 16: a second of 增减 and 超低 ('超低')");
  EXPECT_EQ(ParseError("{a / b|rate|money}"),
            "line 1, column 2: unknown indicator 'a' (expected a catalogue id)");
  EXPECT_EQ(ParseError("{investment_ytd - 1|rate|money}"), "line 1, column 26: a second unit ('money')");
  EXPECT_EQ(ParseError("?{foo}x"), "line 1, column 3: unknown indicator 'foo' (expected a catalogue id)");
  EXPECT_EQ(ParseError("?{期间}x"), "line 1, column 3: '期间' is a word, not a value to test");
  // Columns count characters, not bytes.
  EXPECT_EQ(ParseError("一二三{projects|x}"), "line 1, column 14: unknown format word 'x' (expected 亿元, 万元, 金额, a "
                                              "number of places (0-6), 增减, 超低, 上年, 同比, or a unit: rate (%), "
                                              "money, count (个), points (百分点), multiple (倍), months (月))");
}

TEST(NarrativeParse, BytesThatAreNotUtf8AreAnErrorAtTheirLine) {
  // Found by tests/cli_fuzz: they reached the report as they were, or failed its
  // GB18030 encoding as "not valid UTF-8 at byte offset N" of the output.
  EXPECT_EQ(ParseError("{projects}\xff个"), "line 1, column 11: not UTF-8 text (save the template as UTF-8)");
  EXPECT_EQ(ParseError("第一行\n共{projects}\xe4\xb8个\n"),
            "line 2, column 12: not UTF-8 text (save the template as UTF-8)");
  EXPECT_EQ(ParseError("\xEF\xBB\xBF\n\n\xed\xa0\x80"),  // a BOM, then a surrogate on line 3
            "line 3, column 1: not UTF-8 text (save the template as UTF-8)");
  EXPECT_EQ(ParseError("全县\n"), "");
}

TEST(NarrativeParse, TheGoldenTemplatesAndTheDefaultParse) {
  EXPECT_EQ(ParseError(NarrativeTemplate::DefaultText()), "");
  EXPECT_EQ(ParseError(ReadFile(std::filesystem::path(KEYPROJ_TESTDATA_DIR) / "report_city" / "report.tmpl")), "");
  EXPECT_EQ(ParseError(ReadFile(std::filesystem::path(KEYPROJ_TESTDATA_DIR) / "report_county" / "report.tmpl")), "");
}

TEST(NarrativeRender, ALineOfAHundredThousandPlaceholdersIsLinear) {
  // Found by tests/cli_fuzz: a 1 MB template of {projects}{projects}... took two
  // minutes (the column of every placeholder was counted from the line's start, and
  // every placeholder's custom indicator was looked up by a linear search).
  std::string text;
  constexpr int kPlaceholders = 100000;
  for (int i = 0; i < kPlaceholders; ++i) text += i % 2 == 0 ? "{projects}" : "{projects + 1|个}";
  const auto start = std::chrono::steady_clock::now();
  const std::string out = City(text);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_THAT(out, Not(StartsWith("ERROR")));
  const std::string one = City("{projects}"), two = City("{projects + 1|个}");
  ASSERT_THAT(one, Not(StartsWith("ERROR")));
  std::string expected;
  for (int i = 0; i < kPlaceholders / 2; ++i) expected += one + two;
  EXPECT_EQ(out, expected);
  // Well under a second in the dev build, a few under ASan; quadratic was minutes.
  EXPECT_LT(seconds, 20.0);
}

TEST(NarrativeRender, BadQueryIsAnError) {
  Query q = CityQuery();
  q.options.curve[11] = 900000;  // never reaches 100%
  EXPECT_THAT(Render(City(), q, "{projects}"), StartsWith("ERROR: "));
  // A template without placeholders needs no query.
  EXPECT_EQ(Render(City(), q, "{范围}"), "全市");
}

// A filter that matches no project: one line saying so, not sentences of 0.00万元 and —.
TEST(NarrativeRender, AScopeWithoutProjectsSaysSo) {
  Query q = CityQuery();
  q.filter.region_prefixes = {"619999"};
  EXPECT_EQ(Render(City(), q, NarrativeTemplate::DefaultText()), "没有符合条件的项目。\n");
  EXPECT_EQ(Render(City(), q, "{范围}完成投资{investment_ytd|金额}"), "没有符合条件的项目。\n");
  EXPECT_EQ(Render(City(), q, "{范围}"), "全市");  // words alone: as written
  q.filter.region_prefixes.clear();
  EXPECT_THAT(Render(City(), q, NarrativeTemplate::DefaultText()), Not(HasSubstr("没有符合条件的项目")));
}

// ================================ the quarter bulletin (workflow.md §5) ===============

// {报告期} names the year so far as a bulletin does at a quarter's end (as_of the last
// day of March, June, September, December), and as {期间} does otherwise; {季度} names
// the quarter at its end and its months so far otherwise. {期间} never changes.
TEST(NarrativeWords, ReportPeriodAndQuarter) {
  const std::string words = "{报告期}|{季度}|{期间}";
  struct Case {
    Date as_of;
    std::string_view want;
  };
  const Case cases[] = {
      // Quarter ends.
      {D(2024, 3, 31), "一季度|一季度|1-3月份"},
      {D(2024, 6, 30), "上半年|二季度|1-6月份"},
      {D(2024, 9, 30), "前三季度|三季度|1-9月份"},
      {D(2024, 12, 31), "全年|四季度|1-12月份"},
      // Month ends within a quarter.
      {D(2024, 1, 31), "1月份|1月份|1月份"},
      {D(2024, 2, 29), "1-2月份|1-2月份|1-2月份"},
      {D(2024, 4, 30), "1-4月份|4月份|1-4月份"},
      {D(2024, 5, 31), "1-5月份|4-5月份|1-5月份"},
      {D(2024, 8, 31), "1-8月份|7-8月份|1-8月份"},
      {D(2024, 11, 30), "1-11月份|10-11月份|1-11月份"},
      // Mid-month, also in a quarter's last month: not its end yet.
      {D(2024, 3, 30), "1-3月份|1-3月份|1-3月份"},
      {D(2024, 9, 15), "1-9月份|7-9月份|1-9月份"},
      {D(2024, 12, 30), "1-12月份|10-12月份|1-12月份"},
      {D(2024, 7, 10), "1-7月份|7月份|1-7月份"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Render(City(), CityQuery(c.as_of), words), c.want) << c.as_of.ToString();
  }
  EXPECT_EQ(ParseError("{季度|1}"), "line 1, column 5: the word '季度' takes no format words");
  EXPECT_THAT(ParseError("{季报}"), HasSubstr("报告期, 季度"));
}

TEST(NarrativeQuarter, IsTheShippedFileAndABuiltInName) {
  EXPECT_EQ(ReadFile(std::filesystem::path(KEYPROJ_SOURCE_DIR) / "examples" / "templates" / "quarter.txt"),
            NarrativeTemplate::QuarterText());
  EXPECT_EQ(NarrativeTemplate::BuiltInText("quarter"), NarrativeTemplate::QuarterText());
  EXPECT_EQ(NarrativeTemplate::BuiltInText("monthly"), NarrativeTemplate::DefaultText());
  EXPECT_EQ(NarrativeTemplate::BuiltInText("quarter.txt"), std::nullopt);
  EXPECT_EQ(NarrativeTemplate::BuiltInText(""), std::nullopt);
  EXPECT_EQ(ParseError(NarrativeTemplate::QuarterText()), "");
  // docs/report-text.md lists the text whole.
  const std::string doc = ReadFile(std::filesystem::path(KEYPROJ_SOURCE_DIR) / "docs" / "report-text.md");
  const size_t intro = doc.find("`examples/templates/quarter.txt` (identical");
  ASSERT_NE(intro, std::string::npos);
  const size_t begin = doc.find("```\n", intro) + 4;
  EXPECT_EQ(doc.substr(begin, doc.find("```\n", begin) - begin), NarrativeTemplate::QuarterText());
}

// In the first quarter the year so far is the quarter: each figure is stated once.
TEST(NarrativeQuarter, TheFirstQuarterSaysItsFiguresOnce) {
  const Loaded& l = Sample();
  ASSERT_TRUE(l.ledger.ok()) << l.ledger.status();
  for (const auto& [as_of, period] : {std::pair{D(2024, 3, 31), std::string("一季度")},
                                      std::pair{D(2024, 1, 31), std::string("1月份")},
                                      std::pair{D(2024, 9, 30), std::string("三季度")}}) {
    SCOPED_TRACE(as_of.ToString());
    Query q;
    q.as_of = as_of;
    const std::string text = Render(l, q, NarrativeTemplate::QuarterText(), "全县");
    auto count = [&](std::string_view in, const std::string& what) {
      size_t n = 0;
      for (size_t at = in.find(what); at != std::string::npos; at = in.find(what, at + 1)) ++n;
      return n;
    };
    // The quarter's starts once, after its own sentence; never as the year so far's.
    EXPECT_EQ(count(text, "。" + period + "新开工"), 1u) << text;
    EXPECT_EQ(count(text, "，" + period + "新开工"), 0u) << text;
    const std::string_view first = std::string_view(text).substr(0, text.find('\n'));
    EXPECT_EQ(count(first, "完成投资"), as_of.ymd().month == 9 ? 2u : 1u) << text;
  }
}

// The bulletin's quarter sentence against the figures it states, on the sample ledger
// at the end of the third quarter and in the middle of it.
TEST(NarrativeQuarter, RendersOnTheSampleLedger) {
  const Loaded& l = Sample();
  ASSERT_TRUE(l.ledger.ok()) << l.ledger.status();
  for (const Date as_of : {D(2024, 9, 30), D(2024, 8, 31)}) {
    SCOPED_TRACE(as_of.ToString());
    Query q;
    q.as_of = as_of;
    const std::string text = Render(l, q, NarrativeTemplate::QuarterText(), "全县");
    EXPECT_THAT(text, Not(HasSubstr("ERROR")));
    EXPECT_THAT(text, Not(HasSubstr("{")));
    const bool end = as_of == D(2024, 9, 30);
    EXPECT_THAT(text, StartsWith(end ? "前三季度，全县重点项目完成投资" : "1-8月份，全县重点项目完成投资"));
    // The same figures through placeholders of their own.
    const std::string quarter = Render(
        l, q,
        "其中{季度}完成投资{investment_quarter|亿元}亿元，同比{quarter_yoy_growth|增减}。|"
        "{季度}新开工{started_quarter}个、竣工{completed_quarter}个、签约{signed_quarter}个");
    const size_t bar = quarter.find('|');
    ASSERT_NE(bar, std::string::npos) << quarter;
    EXPECT_THAT(text, HasSubstr(quarter.substr(0, bar)));
    EXPECT_THAT(text, HasSubstr(quarter.substr(bar + 1)));
    EXPECT_THAT(quarter, StartsWith(end ? "其中三季度完成投资" : "其中7-8月份完成投资"));
  }
}

}  // namespace
}  // namespace keyproj
