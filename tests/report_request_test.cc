// MakeReport: the report flow every surface (CLI, C ABI, Python) calls.
#include "keyproj/report_request.h"

#include <map>
#include <random>
#include <string>

#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "keyproj/expression.h"
#include "keyproj/generator.h"
#include "keyproj/ledger_builder.h"
#include "keyproj/narrative.h"
#include "keyproj/partial.h"
#include "keyproj/internal/ledger_columns.h"
#include "keyproj/internal/text.h"

namespace keyproj {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;
using ::keyproj::internal::Cat;

const Ledger& Sample() {
  static const Ledger* ledger = [] {
    GeneratorOptions o;
    o.projects = 400;
    o.seed = 7;
    return new Ledger(*GenerateLedger(o));
  }();
  return *ledger;
}

constexpr std::string_view kTargets = R"(name = "1116"
[schedule]
curve = [4, 10, 18, 27, 36, 47, 56, 65, 85, 90, 95, 100]
[targets]
reserve = ">= 100"
started_ytd = ">= 60"
start_rate = ">= 50%"
)";

constexpr std::string_view kScheme = R"(name = "county"
[[rule]]
indicator = "plan_completion"
method = "tiers"
tiers = [">= 100%: 30", ">= 50%: 15"]
)";

TEST(MakeReport, DefaultsAreTheLastMonthTheDashboardByCategoryAndAScopeName) {
  ReportRequest request;
  absl::StatusOr<Report> report = MakeReport(Sample(), request);
  ASSERT_TRUE(report.ok()) << report.status();
  // The generator's reports run to 2024-09: the default date is that month's end.
  EXPECT_EQ(report->query.as_of, *Date::FromYmd(2024, 9, 30));
  ASSERT_EQ(report->tables.size(), 1u);
  const Result& r = report->tables[0].result;
  EXPECT_EQ(r.group_by, std::vector<Dimension>{Dimension::kCategory});
  ASSERT_EQ(r.indicators.size(), StandardDashboard().size());
  for (size_t i = 0; i < r.indicators.size(); ++i) EXPECT_EQ(r.indicators[i].id, StandardDashboard()[i]);
  EXPECT_EQ(report->tables[0].title, GroupingTitle({Dimension::kCategory}));
  // 24 counties in 3 cities of one province.
  EXPECT_EQ(report->scope_name, "全省");
  EXPECT_FALSE(report->targets.has_value());
  EXPECT_FALSE(report->scores.has_value());
}

// A custom indicator is a column after the request's indicators (the dashboard by
// default) unless they name it, where they place it: for every host, as for
// `keyproj report --custom` (a vendor's custom indicator through the C ABI gave no
// column, and no word).
TEST(MakeReport, CustomIndicatorsAreShownAfterTheOthersUnlessPlaced) {
  ReportRequest request;
  request.custom = {{"ind_share", "工业投资占比", Unit::kRate, 1, "investment_ytd[industrial=1] / investment_ytd"}};
  absl::StatusOr<Report> report = MakeReport(Sample(), request);
  ASSERT_TRUE(report.ok()) << report.status();
  const std::vector<IndicatorRef>& shown = report->tables[0].result.indicators;
  ASSERT_EQ(shown.size(), StandardDashboard().size() + 1);
  EXPECT_EQ(shown.back().id, "ind_share");
  request.indicators = {"projects"};
  report = MakeReport(Sample(), request);
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_EQ(report->tables[0].result.indicators.size(), 2u);
  EXPECT_EQ(report->tables[0].result.indicators[1].id, "ind_share");
  request.indicators = {"ind_share", "projects"};
  report = MakeReport(Sample(), request);
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_EQ(report->tables[0].result.indicators.size(), 2u);
  EXPECT_EQ(report->tables[0].result.indicators[0].id, "ind_share");
}

TEST(MakeReport, ScopeNameFollowsTheFilterUnlessGiven) {
  ReportRequest request;
  // A county-level scope by its code's last two digits (GB/T 2260): a district
  // 01-20 全区, a county 21-80 全县, a county-level city 81-99 全市.
  for (const auto& [county, name] : {std::pair{"610403", "全区"}, std::pair{"610424", "全县"},
                                     std::pair{"610481", "全市"}, std::pair{"610120", "全区"},
                                     std::pair{"610121", "全县"}}) {
    request.filter.region_prefixes = {county};
    EXPECT_EQ(MakeReport(Sample(), request)->scope_name, name) << county;
  }
  request.filter.region_prefixes = {std::to_string(GeneratorCounties()[0].code / 100)};
  EXPECT_EQ(MakeReport(Sample(), request)->scope_name, "全市");
  // Several alternatives: their common extent. Two counties of one city, or a county
  // and its own city, are 全市; a county and another city (the sample holds two cities)
  // are the ledger's 全省.
  for (const auto& [regions, name] :
       {std::pair{std::vector<std::string>{"610402", "610403"}, "全市"},
        std::pair{std::vector<std::string>{"6104", "610403"}, "全市"},
        std::pair{std::vector<std::string>{"610403", "6105"}, "全省"},
        std::pair{std::vector<std::string>{"6104", "6105"}, "全省"}}) {
    request.filter.region_prefixes = regions;
    EXPECT_EQ(MakeReport(Sample(), request)->scope_name, name) << regions[0] << "|" << regions[1];
  }
  request.scope_name = "全区";
  EXPECT_EQ(MakeReport(Sample(), request)->scope_name, "全区");
}

TEST(MakeReport, EachGroupingIsATableOfTheSameQuery) {
  ReportRequest request;
  request.as_of = *Date::FromYmd(2024, 6, 30);
  request.groupings = {{}, {Dimension::kCity}, {Dimension::kCategory, Dimension::kCity}};
  request.indicators = {"projects", "investment_ytd"};
  absl::StatusOr<Report> report = MakeReport(Sample(), request);
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_EQ(report->tables.size(), 3u);
  EXPECT_EQ(report->tables[0].result.rows.size(), 1u);  // the whole scope alone
  EXPECT_EQ(report->tables[1].result.rows.size(), 4u);  // 3 cities and the whole
  for (const ReportTable& t : report->tables) {
    EXPECT_EQ(t.result.as_of, *request.as_of);
    // Every table's whole-scope row is the same figure.
    EXPECT_TRUE(t.result.total().values[1] == report->tables[0].result.total().values[1]);
  }
}

TEST(MakeReport, TargetsPerGroupUseTheSetsScheduleUnlessTheRequestNamesOne) {
  ReportRequest request;
  request.targets = std::make_shared<const TargetSet>(*ParseTargetSet(kTargets));
  request.targets_group_by = {Dimension::kCity};
  absl::StatusOr<Report> report = MakeReport(Sample(), request);
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_TRUE(report->targets.has_value());
  const TargetsTable& t = *report->targets;
  ASSERT_EQ(t.result.rows.size(), 4u);
  ASSERT_EQ(t.rows.size(), 4u);
  for (const auto& statuses : t.rows) EXPECT_EQ(statuses.size(), 3u);
  // The set's curve: 85% due by the end of September.
  EXPECT_TRUE(t.schedule.back() == Value::Ratio(85, 100));
  EXPECT_EQ(report->query.options.schedule, ScheduleMode::kCurve);
  // The whole scope's statuses are shown with the first table too.
  ASSERT_EQ(report->tables.front().targets.size(), 3u);
  EXPECT_TRUE(report->tables.front().targets[0].actual == t.rows.back()[0].actual);

  request.schedule = ScheduleSpec{ScheduleMode::kMonths, {}};
  report = MakeReport(Sample(), request);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_TRUE(report->targets->schedule.back() == Value::Ratio(9, 12));
}

// One id in the request and a target set: alike, one indicator (each file may carry
// the definitions it needs); differently, an error naming both.
TEST(MakeReport, ACustomIndicatorDefinedAlikeTwiceIsOne) {
  const CustomIndicator share{"ind_share", "产业占比", Unit::kRate, 1,
                              "investment_ytd[category=industry] / investment_ytd"};
  ReportRequest request;
  request.groupings = {{}};
  request.custom = {share};
  auto set = std::make_shared<TargetSet>();
  set->name = "1116";
  set->indicators = {share};
  request.targets = set;
  absl::StatusOr<Report> report = MakeReport(Sample(), request);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_GE(report->tables[0].result.column("ind_share"), 0);

  set->indicators[0].expression = "investment_ytd[category=urban] / investment_ytd";
  report = MakeReport(Sample(), request);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().message(),
            "custom indicator 'ind_share' is defined twice, differently: in the request as "
            "'investment_ytd[category=industry] / investment_ytd' and in the target set '1116' as "
            "'investment_ytd[category=urban] / investment_ytd'; give one of them another id");
}

TEST(MakeReport, ScoresNeedAGrouping) {
  ReportRequest request;
  request.groupings.clear();
  request.scheme = std::make_shared<const ScoringScheme>(*ParseScoringScheme(kScheme));
  absl::StatusOr<Report> report = MakeReport(Sample(), request);
  ASSERT_FALSE(report.ok());
  EXPECT_THAT(std::string(report.status().message()), HasSubstr("'scores_group_by'"));

  request.scores_group_by = {Dimension::kCounty};
  report = MakeReport(Sample(), request);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_TRUE(report->tables.empty());
  ASSERT_TRUE(report->scores.has_value());
  EXPECT_EQ(report->scores->scores.size(), GeneratorCounties().size());
  for (size_t i = 1; i < report->scores->scores.size(); ++i) {
    EXPECT_LE(report->scores->scores[i - 1].rank, report->scores->scores[i].rank);
  }
}

// The groups an assessment ranks: 甲 (2 projects) and 乙 (1); not 丙, whose one
// project was cancelled before as_of (no figure to be judged on), nor the （未填）
// group of a project with no department. Efficacy on projects over 甲 and 乙 alone:
// 乙 60 + 40 x (1 - 1) / (2 - 1) = 60, 甲 100 -- with 丙's 0 as the range's bottom 乙
// would have had 80.
TEST(MakeReport, ScoresRankGroupsWithAProjectNotCancelledAndAKey) {
  LedgerBuilder b;
  const Date started = *Date::FromYmd(2024, 2, 1);
  const Date cancelled = *Date::FromYmd(2024, 3, 1);
  for (auto [code, department] : {std::pair{"P1", "甲"}, std::pair{"P2", "甲"}, std::pair{"P3", "乙"}}) {
    EXPECT_TRUE(b.AddProject({.code = code, .name = Cat("项目", code), .region = 610302, .category = Category::kIndustry,
                              .dates = {.started_on = started}, .department = department}));
  }
  EXPECT_TRUE(b.AddProject({.code = "P4", .name = "项目P4", .region = 610302, .category = Category::kIndustry,
                            .dates = {.cancelled_on = cancelled}, .department = "丙"}));
  EXPECT_TRUE(b.AddProject({.code = "P5", .name = "项目P5", .region = 610302, .category = Category::kIndustry,
                            .dates = {.started_on = started}}));
  absl::StatusOr<Ledger> ledger = std::move(b).Build();
  ASSERT_TRUE(ledger.ok()) << ledger.status();
  ReportRequest request;
  request.groupings.clear();
  request.as_of = *Date::FromYmd(2024, 9, 30);
  absl::StatusOr<ScoringScheme> scheme = ParseScoringScheme(
      "name = \"d\"\ngroup_by = \"department\"\n[[rule]]\nindicator = \"started\"\nmethod = \"efficacy\"\n");
  ASSERT_TRUE(scheme.ok()) << scheme.status();
  request.scheme = std::make_shared<const ScoringScheme>(*scheme);
  absl::StatusOr<Report> report = MakeReport(*ledger, request);
  ASSERT_TRUE(report.ok()) << report.status();
  const std::vector<GroupScore>& scores = report->scores->scores;
  ASSERT_EQ(scores.size(), 2u);
  EXPECT_EQ(scores[0].group, std::vector<std::string>{"甲"});
  EXPECT_EQ(scores[0].total, Value::Integer(100));
  EXPECT_EQ(scores[1].group, std::vector<std::string>{"乙"});
  EXPECT_EQ(scores[1].total, Value::Integer(60));
  // The result holds the scheme's indicators only, the whole scope last.
  const Result& result = report->scores->result;
  ASSERT_EQ(result.indicators.size(), 1u);
  EXPECT_EQ(result.indicators[0].id, "started");
  ASSERT_EQ(result.rows.size(), 3u);
  EXPECT_TRUE(result.rows.back().group.empty());
  EXPECT_EQ(result.rows.back().values[0], Value::Integer(4));
}

// A date past the ledger's figures or before them is allowed, but said (Report::notes,
// which the CLI, the C ABI and Python pass on): a black-box vendor's report as of a
// mistyped 2030-01 read as a publishable one of zeros.
TEST(MakeReport, NotesSayWhenTheDateIsOutsideTheLedgersFigures) {
  const auto notes = [](std::optional<Date> as_of) {
    ReportRequest request;
    request.as_of = as_of;
    absl::StatusOr<Report> report = MakeReport(Sample(), request);
    EXPECT_TRUE(report.ok()) << report.status();
    return report.ok() ? report->notes : std::vector<std::string>{"(failed)"};
  };
  EXPECT_THAT(notes(std::nullopt), ::testing::IsEmpty());
  EXPECT_THAT(notes(Date::FromYmd(2024, 6, 30)), ::testing::IsEmpty());
  EXPECT_THAT(notes(Date::FromYmd(2024, 9, 15)), ::testing::IsEmpty());
  EXPECT_THAT(notes(Date::FromYmd(2030, 1, 31)),
              ::testing::ElementsAre("the ledger's monthly figures end in 2024-09; as of 2030-01-31 the months from "
                                     "2024-10 count as having no investment"));
  const std::vector<std::string> early = notes(Date::FromYmd(1999, 1, 31));
  ASSERT_EQ(early.size(), 1u);
  EXPECT_THAT(early[0], AllOf(StartsWith("the ledger's monthly figures begin in "),
                              HasSubstr("; as of 1999-01-31 no project has reported yet, so every investment figure is 0")));
}

// A filter value no project has (a typo: region=610499, a leader's name misspelt) makes
// the report of nobody, and says so; a value that some project has says nothing, even
// when the other conditions leave nobody.
TEST(MakeReport, NotesSayWhichFilterValuesNoProjectHas) {
  const auto notes = [](std::string_view filter) {
    ReportRequest request;
    absl::StatusOr<Filter> f = ParseFilter(filter);
    if (!f.ok()) return std::vector<std::string>{Cat(filter, ": ", f.status().message())};
    request.filter = *f;
    request.as_of = Date::FromYmd(2024, 9, 30);
    absl::StatusOr<Report> report = MakeReport(Sample(), request);
    EXPECT_TRUE(report.ok()) << report.status();
    return report.ok() ? report->notes : std::vector<std::string>{"(failed)"};
  };
  const Ledger& l = Sample();
  const std::string region = std::to_string(l.region(0));
  const std::string leader(l.text(internal::Columns(l).projects.leader[0]));
  ASSERT_FALSE(leader.empty());
  EXPECT_THAT(notes(Cat("region=", region, "|", region.substr(0, 4))), ::testing::IsEmpty());
  EXPECT_THAT(notes(Cat("leader=", leader)), ::testing::IsEmpty());
  EXPECT_THAT(notes(Cat("region=99|", region)),
              ::testing::ElementsAre("no project of the ledger is in region 99 (filter region=99)"));
  EXPECT_THAT(notes(Cat("leader=", leader, "|张不在,tag=不存在,department=无此部门")),
              ::testing::UnorderedElementsAre("no project of the ledger has leader '张不在' (filter leader=张不在)",
                                              "no project of the ledger has department '无此部门' (filter department=无此部门)",
                                              "no project of the ledger has tag '不存在' (filter tag=不存在)"));
}

TEST(MakeReport, ErrorsSayWhatIsWrong) {
  ReportRequest request;
  request.indicators = {"start_rat"};
  absl::StatusOr<Report> report = MakeReport(Sample(), request);
  ASSERT_FALSE(report.ok());
  EXPECT_THAT(std::string(report.status().message()), HasSubstr("start_rat"));

  // A ledger without monthly figures has no default date.
  LedgerBuilder builder;
  ProjectRecord p;
  p.code = "P1";
  p.name = "项目";
  ASSERT_TRUE(builder.AddProject(std::move(p)));
  absl::StatusOr<Ledger> empty = std::move(builder).Build();
  ASSERT_TRUE(empty.ok());
  report = MakeReport(*empty, ReportRequest{});
  ASSERT_FALSE(report.ok());
  EXPECT_THAT(std::string(report.status().message()), HasSubstr("'as_of'"));
  ReportRequest dated;
  dated.as_of = *Date::FromYmd(2024, 9, 30);
  EXPECT_TRUE(MakeReport(*empty, dated).ok());
}

// Counties in two cities, by hand (as of 2024-09-30):
//   610302 (city 6103): A1 industry started, A2 industry not started
//   610303 (city 6103): A3 infrastructure started
//   610402 (city 6104): B1 industry started, B2 infrastructure not started
// By county: 610302 2/1/50%, 610303 1/1/100%, then 6103小计 3/2/66.7% (2 of 3: not the
// mean 75% of its counties' rates), 610402 2/1/50%, 6104小计 2/1/50%, 合计 5/3/60%.
Ledger TwoCities() {
  LedgerBuilder b;
  const Date started = *Date::FromYmd(2024, 2, 1);
  EXPECT_TRUE(b.AddProject({.code = "A1", .name = "甲一", .region = 610302, .category = Category::kIndustry,
                            .dates = {.started_on = started}}));
  EXPECT_TRUE(b.AddProject({.code = "A2", .name = "甲二", .region = 610302, .category = Category::kIndustry}));
  EXPECT_TRUE(b.AddProject({.code = "A3", .name = "甲三", .region = 610303, .category = Category::kInfrastructure,
                            .dates = {.started_on = started}}));
  EXPECT_TRUE(b.AddProject({.code = "B1", .name = "乙一", .region = 610402, .category = Category::kIndustry,
                            .dates = {.started_on = started}}));
  EXPECT_TRUE(b.AddProject({.code = "B2", .name = "乙二", .region = 610402, .category = Category::kInfrastructure}));
  absl::StatusOr<Ledger> l = std::move(b).Build();
  EXPECT_TRUE(l.ok()) << l.status();
  return l.ok() ? *std::move(l) : Ledger();
}

// Each printed row: its group cells joined by "|", then its values.
std::vector<std::string> Printed(const ReportTable& table) {
  std::vector<std::string> out;
  for (const PrintedRow& row : PrintedRows(table)) {
    std::string line;
    for (const std::string& cell : GroupCells(row)) line += cell + "|";
    for (size_t c = 0; c < row.result->indicators.size(); ++c) {
      line += " " + DisplayCell(*row.result, row.row, c, RenderOptions{});
    }
    out.push_back(line + (row.subtotal ? " (subtotal)" : ""));
  }
  return out;
}

TEST(MakeReport, CountiesUnderTheirCityWithTheCitysOwnFigures) {
  const Ledger l = TwoCities();
  ReportRequest request;
  request.as_of = *Date::FromYmd(2024, 9, 30);
  request.groupings = {{Dimension::kCounty}, {Dimension::kCategory, Dimension::kCounty}, {Dimension::kCategory}};
  request.indicators = {"projects", "started", "start_rate"};
  absl::StatusOr<Report> report = MakeReport(l, request);
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_EQ(report->tables.size(), 3u);
  EXPECT_THAT(Printed(report->tables[0]),
              testing::ElementsAre("610302| 2 1 50.0%", "610303| 1 1 100.0%", "6103小计| 3 2 66.7% (subtotal)",
                                   "610402| 2 1 50.0%", "6104小计| 2 1 50.0% (subtotal)", "合计| 5 3 60.0%"));
  // Exactly 2/3, from the engine for the city.
  const ReportTable& county = report->tables[0];
  ASSERT_TRUE(county.subtotals.has_value());
  EXPECT_EQ(county.subtotals->group_by, std::vector<Dimension>{Dimension::kCity});
  EXPECT_EQ(county.subtotals->rows[0].values[2], Value::Ratio(2, 3));
  // The result itself keeps its rows: the counties and 合计 (JSON, C, Python).
  EXPECT_EQ(county.result.rows.size(), 4u);
  // Ending in county: the city within each category.
  EXPECT_THAT(Printed(report->tables[1]),
              testing::ElementsAre("产业|610302| 2 1 50.0%", "产业|6103小计| 2 1 50.0% (subtotal)",
                                   "产业|610402| 1 1 100.0%", "产业|6104小计| 1 1 100.0% (subtotal)",
                                   "基础设施|610303| 1 1 100.0%", "基础设施|6103小计| 1 1 100.0% (subtotal)",
                                   "基础设施|610402| 1 0 0.0%", "基础设施|6104小计| 1 0 0.0% (subtotal)",
                                   "合计|| 5 3 60.0%"));
  // Not grouped by county: no subtotals.
  EXPECT_FALSE(report->tables[2].subtotals.has_value());

  // Every printed format carries the 小计 rows; JSON does not.
  const std::string table = *RenderReport(l, *report, ReportFormat::kTable, {});
  EXPECT_THAT(table, HasSubstr("6103小计"));
  EXPECT_THAT(*RenderReport(l, *report, ReportFormat::kCsv, {}), HasSubstr("6104小计,2,1,50.0%"));
  EXPECT_THAT(*RenderReport(l, *report, ReportFormat::kMarkdown, {}), HasSubstr("| 6103小计 |"));
  EXPECT_THAT(*RenderReport(l, *report, ReportFormat::kJson, {}), Not(HasSubstr("小计")));

  // Opted out, or the counties in one city: the counties alone.
  request.subtotals = false;
  EXPECT_FALSE(MakeReport(l, request)->tables[0].subtotals.has_value());
  request.subtotals = true;
  request.filter.region_prefixes = {"6103"};
  absl::StatusOr<Report> one_city = MakeReport(l, request);
  ASSERT_TRUE(one_city.ok()) << one_city.status();
  EXPECT_FALSE(one_city->tables[0].subtotals.has_value());
  EXPECT_EQ(PrintedRows(one_city->tables[0]).size(), 3u);
}

TEST(RenderReport, EveryFormatButTheWorkbookIsADocument) {
  ReportRequest request;
  request.indicators = {"projects", "start_rate", "late_reports"};
  const Report report = *MakeReport(Sample(), request);
  const RenderOptions options;
  EXPECT_EQ(*RenderReport(Sample(), report, ReportFormat::kJson, options), RenderJson(Sample(), report, options));
  EXPECT_EQ(*RenderReport(Sample(), report, ReportFormat::kCsv, options), RenderCsv(&Sample(), report, options));
  // With the ledger, the CSV lists the projects behind late_reports (code, name and
  // the note's column); without it, the tables alone.
  EXPECT_THAT(RenderCsv(&Sample(), report, options), HasSubstr("\r\n项目代码,项目名称,报送日期\r\n"));
  EXPECT_THAT(RenderCsv(report, options), Not(HasSubstr("项目代码")));
  EXPECT_THAT(*RenderReport(Sample(), report, ReportFormat::kTable, options), HasSubstr("按项目类别"));
  EXPECT_THAT(*RenderReport(Sample(), report, ReportFormat::kText, options), HasSubstr("1-9月份"));
  EXPECT_FALSE(RenderReport(Sample(), report, ReportFormat::kXlsx, options).ok());
  // A template of the caller's own.
  RenderOptions own = options;
  own.text_template = std::make_shared<const NarrativeTemplate>(*NarrativeTemplate::Parse("{范围}共{projects}个项目"));
  EXPECT_EQ(*RenderReport(Sample(), report, ReportFormat::kText, own),
            "全省共" + report.tables[0].result.total().values[0].Decimal(0) + "个项目");
}

TEST(NoteValueText, TheKeyNamesTheUnit) {
  auto note = [](std::string_view key, std::optional<int64_t> n, std::string text) {
    return ListNote{key, "标签", n, std::move(text)};
  };
  EXPECT_EQ(NoteValueText(note("reported_on", std::nullopt, "未报送")), "未报送");
  EXPECT_EQ(NoteValueText(note("max_days_overdue", 92, "")), "92天");
  EXPECT_EQ(NoteValueText(note("months_without_investment", 4, "")), "4个月");
  EXPECT_EQ(NoteValueText(note("plan_completion_centipercent", 7857, "")), "78.57%");
  EXPECT_EQ(NoteValueText(note("total_investment_fen", 1234567890123, "")), "1234567.89万元");
  EXPECT_EQ(NoteValueText(note("total_investment_fen", 1234567890123, ""), MoneyUnit::kYi), "123.5亿元");
  EXPECT_EQ(NoteValueText(note("open_problems", 2, "")), "2");
  // A number and a text: both; a plain count gives way to its text.
  EXPECT_EQ(NoteValueText(note("days_overdue", 92, "可研批复")), "92天（可研批复）");
  EXPECT_EQ(NoteValueText(note("open_items", 2, "可研批复、用地批复")), "可研批复、用地批复");
  EXPECT_EQ(NoteLine(note("max_days_overdue", 92, "")), "标签：92天");
}

TEST(EncodeDocument, CsvGetsAByteOrderMarkAndGb18030IsConverted) {
  EXPECT_EQ(*EncodeDocument("a,b\r\n", ReportFormat::kCsv, Encoding::kUtf8), "\xEF\xBB\xBF" "a,b\r\n");
  EXPECT_EQ(*EncodeDocument("合计", ReportFormat::kText, Encoding::kUtf8), "合计");
  EXPECT_EQ(*EncodeDocument("合计", ReportFormat::kCsv, Encoding::kGb18030), "\xBA\xCF\xBC\xC6");
  // JSON is UTF-8 by definition: GB18030 JSON is refused, for every surface (C, Python).
  absl::StatusOr<std::string> json = EncodeDocument("{\"a\": \"合计\"}", ReportFormat::kJson, Encoding::kGb18030);
  EXPECT_EQ(json.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(*EncodeDocument("{}", ReportFormat::kJson, Encoding::kUtf8), "{}");
}

TEST(ReportFormat, IsOneVocabulary) {
  EXPECT_EQ(ParseEnum<ReportFormat>("markdown"), ReportFormat::kMarkdown);
  EXPECT_EQ(ParseEnum<ReportFormat>("JSON"), ReportFormat::kJson);
  EXPECT_EQ(EnumId(ReportFormat::kText), "text");
  EXPECT_FALSE(ParseEnum<ReportFormat>("pdf").has_value());
}

// ---- targets per group (任务分解) -----------------------------------------------------

// The generator's counties (its list has the province and cities too).
const GeneratedRegion& County(size_t i) {
  static const std::vector<GeneratedRegion> counties = [] {
    std::vector<GeneratedRegion> out;
    for (const GeneratedRegion& r : GeneratorRegions()) {
      if (r.code >= 100000) out.push_back(r);
    }
    return out;
  }();
  return counties.at(i);
}
const GeneratedRegion& FirstCounty() { return County(0); }

std::shared_ptr<const RegionNames> GeneratorNames() {
  auto names = std::make_shared<RegionNames>();
  for (const GeneratedRegion& r : GeneratorRegions()) names->Add(r.code, r.name);
  return names;
}

TEST(ResolveTaskGroups, KeysByCodeOrNameAndUnknownOnesAreErrorsWithTheirLine) {
  const std::string code = std::to_string(FirstCounty().code);
  const std::string text = Cat("name = \"t\"\n[tasks]\ngroup_by = \"county\"\n[tasks.started_ytd]\n\"", code,
                               "\" = \">= 5\"\n\"", County(1).name, "\" = \">= 6\"\n");
  absl::StatusOr<TargetSet> set = ParseTargetSet(text);
  ASSERT_TRUE(set.ok()) << set.status();
  const std::shared_ptr<const RegionNames> names = GeneratorNames();
  absl::StatusOr<TargetSet> resolved = ResolveTaskGroups(*set, Sample(), names.get());
  ASSERT_TRUE(resolved.ok()) << resolved.status().message();
  EXPECT_EQ(resolved->targets[0].groups[0].key, code);
  EXPECT_EQ(resolved->targets[0].groups[1].key, std::to_string(County(1).code));
  EXPECT_EQ(resolved->targets[0].groups[1].written, County(1).name);
  // A name without regions.csv is unknown.
  absl::StatusOr<TargetSet> no_names = ResolveTaskGroups(*set, Sample(), nullptr);
  ASSERT_FALSE(no_names.ok());
  EXPECT_THAT(no_names.status().message(), HasSubstr("line 6, column 1"));
  EXPECT_THAT(no_names.status().message(), HasSubstr("names need regions.csv"));
  // A county the ledger does not have: an error naming its line, not dropped.
  absl::StatusOr<TargetSet> typo =
      ParseTargetSet("[tasks]\ngroup_by = \"county\"\n[tasks.started_ytd]\n\"619999\" = \">= 5\"\n");
  ASSERT_TRUE(typo.ok());
  absl::StatusOr<TargetSet> bad = ResolveTaskGroups(*typo, Sample(), names.get());
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(), HasSubstr("line 4, column 1: task 'started_ytd' of '619999': no project"));
  // The same county twice, once by code and once by name.
  absl::StatusOr<TargetSet> twice = ParseTargetSet(Cat("[tasks]\ngroup_by = \"county\"\n[tasks.started_ytd]\n\"", code,
                                                      "\" = \">= 5\"\n\"", FirstCounty().name, "\" = \">= 6\"\n"));
  ASSERT_TRUE(twice.ok());
  absl::StatusOr<TargetSet> dup = ResolveTaskGroups(*twice, Sample(), names.get());
  ASSERT_FALSE(dup.ok());
  EXPECT_THAT(dup.status().message(), HasSubstr("the same group as '" + code + "'"));
  // All of them at once, each at its line.
  absl::StatusOr<TargetSet> three =
      ParseTargetSet(Cat("[tasks]\ngroup_by = \"county\"\n[tasks.started_ytd]\n\"619999\" = \">= 5\"\n\"", code,
                         "\" = \">= 5\"\n\"", FirstCounty().name, "\" = \">= 6\"\n\"619998\" = \">= 5\"\n"));
  ASSERT_TRUE(three.ok());
  absl::StatusOr<TargetSet> all = ResolveTaskGroups(*three, Sample(), names.get());
  ASSERT_FALSE(all.ok());
  EXPECT_THAT(std::string(all.status().message()),
              AllOf(StartsWith("3 problems:\n  line 4, column 1: task 'started_ytd' of '619999': no project"),
                    HasSubstr(Cat("\n  line 6, column 1: task 'started_ytd' of '", FirstCounty().name,
                                  "': the same group as '", code, "' (line 5)")),
                    HasSubstr("\n  line 7, column 1: task 'started_ytd' of '619998': no project")));
}

TEST(MakeReport, TasksGroupTheTargetsByTheirDimensionUnlessTheRequestGroupsThemOtherwise) {
  const std::string code = std::to_string(FirstCounty().code);
  absl::StatusOr<TargetSet> set =
      ParseTargetSet(Cat("name = \"t\"\n[tasks]\ngroup_by = \"county\"\n[tasks.started_ytd]\n\"", code, "\" = \">= 5\"\n"));
  ASSERT_TRUE(set.ok()) << set.status();
  ReportRequest request;
  request.groupings.clear();
  request.targets = std::make_shared<const TargetSet>(*set);
  absl::StatusOr<Report> report = MakeReport(Sample(), request);
  ASSERT_TRUE(report.ok()) << report.status();
  const TargetsTable& t = *report->targets;
  ASSERT_EQ(t.result.group_by, std::vector<Dimension>{Dimension::kCounty});
  ASSERT_GT(t.rows.size(), 2u);
  bool seen = false;
  for (size_t row = 0; row + 1 < t.rows.size(); ++row) {
    const TargetStatus& s = t.rows[row][0];
    if (t.result.rows[row].group[0] == code) {
      seen = true;
      EXPECT_TRUE(s.target.value == Value::Integer(5));
    } else {
      EXPECT_EQ(s.state, TargetState::kNotApplicable);  // no task, no value for all
    }
  }
  EXPECT_TRUE(seen);
  // One county's task is not the whole scope's (the others have none): no target there.
  EXPECT_FALSE(t.rows.back()[0].target.value.applicable());
  EXPECT_EQ(t.rows.back()[0].state, TargetState::kNotApplicable);
  // Rendered: the report's table output carries every county's block.
  absl::StatusOr<std::string> doc = RenderReport(Sample(), *report, ReportFormat::kTable, {});
  ASSERT_TRUE(doc.ok()) << doc.status();
  EXPECT_THAT(*doc, HasSubstr(">= 5"));

  request.targets_group_by = {Dimension::kDepartment};
  absl::StatusOr<Report> other = MakeReport(Sample(), request);
  ASSERT_FALSE(other.ok());
  EXPECT_THAT(other.status().message(), HasSubstr("breaks its targets down by county"));
}

// ---- partials (partial.h): shards' partials merged == the whole ledger's report ----

// Routes a generated ledger's records to the builder of each project's shard (and to
// a builder of the whole); the bureau's comparable bases go to every shard.
class ShardSink : public GeneratorSink {
 public:
  ShardSink(size_t shards, std::mt19937_64* rng) : shards_(shards), rng_(rng) {}
  void SetExtraHeaders(Table table, std::vector<std::string> headers) override {
    for (LedgerBuilder& b : shards_) b.SetExtraHeaders(table, headers);
    whole_.SetExtraHeaders(table, std::move(headers));
  }
  void Project(ProjectRecord&& r) override {
    const size_t s = std::uniform_int_distribution<size_t>(0, shards_.size() - 1)(*rng_);
    shard_of_[r.code] = s;
    shards_[s].AddProject(r);
    whole_.AddProject(std::move(r));
  }
  void Monthly(const MonthlyRecord& r) override {
    Of(std::string(r.code)).AddMonthly(r);
    whole_.AddMonthly(r);
  }
  void Funding(FundingRecord&& r) override {
    Of(r.code).AddFunding(r);
    whole_.AddFunding(std::move(r));
  }
  void Plan(PlanRecord&& r) override {
    Of(r.code).AddPlan(r);
    whole_.AddPlan(std::move(r));
  }
  void Problem(ProblemRecord&& r) override {
    Of(r.code).AddProblem(r);
    whole_.AddProblem(std::move(r));
  }
  void Baseline(BaselineRecord&& r) override {
    for (LedgerBuilder& b : shards_) b.AddBaseline(r);
    whole_.AddBaseline(std::move(r));
  }
  void Approval(ApprovalRecord&& r) override {
    Of(r.code).AddApproval(r);
    whole_.AddApproval(std::move(r));
  }

  std::vector<LedgerBuilder> shards_;
  LedgerBuilder whole_;

 private:
  LedgerBuilder& Of(const std::string& code) { return shards_[shard_of_.at(code)]; }
  std::map<std::string, size_t> shard_of_;
  std::mt19937_64* rng_;
};

std::string ValueText(const Value& v) {
  return v.applicable() ? Cat(Int128ToString(v.num()), "/", Int128ToString(v.den())) : "n/a";
}

// Every value, list (as codes) and note of `b` (on ledger lb) equals `a`'s (on la).
void ExpectSameResult(const Ledger& la, const Result& a, const Ledger& lb, const Result& b, const std::string& where) {
  ASSERT_EQ(a.rows.size(), b.rows.size()) << where;
  ASSERT_EQ(a.indicators.size(), b.indicators.size()) << where;
  for (size_t r = 0; r < a.rows.size(); ++r) {
    const ResultRow& x = a.rows[r];
    const ResultRow& y = b.rows[r];
    ASSERT_EQ(x.group, y.group) << where << " row " << r;
    for (size_t c = 0; c < a.indicators.size(); ++c) {
      const std::string at = Cat(where, " row ", r, " (", absl::StrJoin(x.group, "/"), ") ", a.indicators[c].id);
      EXPECT_EQ(ValueText(x.values[c]), ValueText(y.values[c])) << at;
      std::map<std::string, std::string> xs, ys;  // code -> note
      auto note = [](const std::optional<ListNote>& n) {
        return n ? Cat(n->key, "|", n->label, "|", n->number ? std::to_string(*n->number) : "-", "|", n->text) : "none";
      };
      for (uint32_t p : x.projects[c]) xs[std::string(la.code(p))] = Cat(la.name(p), " ", note(NoteOf(la, a, c, p)));
      for (uint32_t p : y.projects[c]) ys[std::string(lb.code(p))] = Cat(lb.name(p), " ", note(NoteOf(lb, b, c, p)));
      EXPECT_EQ(xs, ys) << at;
      // The merged lists are in code order (partial.h).
      for (size_t k = 1; k < y.projects[c].size(); ++k) EXPECT_LT(lb.code(y.projects[c][k - 1]), lb.code(y.projects[c][k]));
    }
  }
}

std::vector<ReportRequest> PartialRequests() {
  std::vector<ReportRequest> out;
  ReportRequest dashboard;
  dashboard.as_of = Date::FromYmd(2024, 9, 30);
  dashboard.groupings = {{Dimension::kCounty}, {Dimension::kCity}, {}};
  out.push_back(dashboard);

  ReportRequest warnings = dashboard;
  warnings.groupings = {{Dimension::kLeader}, {Dimension::kCategory, Dimension::kCounty}, {Dimension::kTag}};
  warnings.indicators = {"projects", "late_reports", "stalled", "behind_schedule", "problems_by_kind", "problems_by_kind.land",
                         "problems_open", "problems_overdue", "unassigned_leader", "approvals_pending.land",
                         "approvals_overdue", "ready_to_start", "overdue_start", "start_countdown",
                         "reserve_age.24_", "reserve_age", "signed_not_started", "yoy_growth", "negative_growth_streak"};
  warnings.funnel_group_by = std::vector<Dimension>{Dimension::kCounty};
  out.push_back(warnings);

  ReportRequest custom = dashboard;
  custom.as_of = Date::FromYmd(2024, 6, 30);
  custom.groupings = {{Dimension::kDepartment}, {Dimension::kSizeBand, Dimension::kStage}};
  custom.custom = {{"ind_share", "工业投资占比", Unit::kRate, 1, "investment_ytd[industrial=1] / investment_ytd"},
                   {"started_per_signed", "", Unit::kMultiple, 2, "started / signed + support_approved.central_budget"}};
  custom.indicators = {"ind_share", "started_per_signed", "start_rate", "plan_completion", "quarter_yoy_growth", "problem_resolution_rate"};
  custom.filter.region_prefixes = {"6103", "6104"};
  custom.options.schedule = ScheduleMode::kDays;
  custom.options.stalled_months = 2;
  out.push_back(custom);
  return out;
}

TEST(Partials, RandomShardsMergeToTheWholeLedgersReport) {
  std::mt19937_64 rng(20261203);
  for (uint64_t seed = 1; seed <= 4; ++seed) {
    const size_t shard_count = 2 + static_cast<size_t>(rng() % 4);  // 2..5
    ShardSink sink(shard_count, &rng);
    GeneratorOptions g;
    g.projects = 200 + 150 * seed;
    g.seed = seed;
    g.usd_rate = "";  // no foreign-currency rows: the builders have no exchange rate
    ASSERT_TRUE(GenerateRecords(g, sink).ok());
    absl::StatusOr<Ledger> whole = std::move(sink.whole_).Build();
    ASSERT_TRUE(whole.ok()) << whole.status();
    std::vector<Ledger> shards;
    for (LedgerBuilder& b : sink.shards_) {
      absl::StatusOr<Ledger> l = std::move(b).Build();
      ASSERT_TRUE(l.ok()) << l.status();
      shards.push_back(*std::move(l));
    }
    auto regions = std::make_shared<RegionNames>();
    for (const GeneratedRegion& r : GeneratorRegions()) regions->Add(r.code, r.name);
    int request_number = 0;
    for (ReportRequest request : PartialRequests()) {
      request.regions = regions;
      const std::string where = Cat("seed ", seed, ", ", shard_count, " shards, request ", ++request_number);
      absl::StatusOr<Report> expected = MakeReport(*whole, request);
      ASSERT_TRUE(expected.ok()) << where << ": " << expected.status();
      std::vector<std::string> bytes;
      for (const Ledger& shard : shards) {
        absl::StatusOr<std::string> partial = MakePartial(shard, request);
        ASSERT_TRUE(partial.ok()) << where << ": " << partial.status();
        bytes.push_back(*std::move(partial));
      }
      std::vector<std::string> names;
      for (size_t i = 0; i < bytes.size(); ++i) names.push_back(Cat("shard", i, ".kpp"));
      std::vector<PartialInput> inputs;
      for (size_t i = 0; i < bytes.size(); ++i) inputs.push_back({names[i], bytes[i]});
      std::shuffle(inputs.begin(), inputs.end(), rng);
      // A tree: the first shards combined into one partial, which merges with the rest.
      const size_t combine = 1 + static_cast<size_t>(rng() % (inputs.size() - 1));
      absl::StatusOr<std::string> combined = CombinePartials(std::span(inputs).first(combine));
      ASSERT_TRUE(combined.ok()) << where << ": " << combined.status();
      inputs.erase(inputs.begin(), inputs.begin() + static_cast<std::ptrdiff_t>(combine));
      inputs.push_back({"combined.kpp", *combined});
      std::shuffle(inputs.begin(), inputs.end(), rng);
      absl::StatusOr<MergedReport> merged = MergePartials(inputs);
      ASSERT_TRUE(merged.ok()) << where << ": " << merged.status();
      const Report& got = merged->report;
      EXPECT_EQ(got.scope_name, expected->scope_name) << where;
      ASSERT_EQ(got.tables.size(), expected->tables.size()) << where;
      for (size_t t = 0; t < got.tables.size(); ++t) {
        EXPECT_EQ(got.tables[t].title, expected->tables[t].title) << where;
        ExpectSameResult(*whole, expected->tables[t].result, merged->ledger, got.tables[t].result,
                         Cat(where, " table ", t));
        ASSERT_EQ(got.tables[t].subtotals.has_value(), expected->tables[t].subtotals.has_value()) << where;
        if (got.tables[t].subtotals) {
          ExpectSameResult(*whole, *expected->tables[t].subtotals, merged->ledger, *got.tables[t].subtotals,
                           Cat(where, " subtotals ", t));
        }
      }
      ASSERT_EQ(got.funnel.has_value(), expected->funnel.has_value()) << where;
      if (got.funnel) ExpectSameResult(*whole, expected->funnel->result, merged->ledger, got.funnel->result, where);
      // The printed tables (小计 rows included) read only the results and the regions'
      // names; the lists below them are in ledger order, compared above by code.
      RenderOptions render;
      EXPECT_TRUE(RenderTextTables(got, render) == RenderTextTables(*expected, render)) << where;
      EXPECT_TRUE(RenderMarkdown(got, render) == RenderMarkdown(*expected, render)) << where;
    }
  }
}

TEST(Partials, RefusesOverlapsOtherRequestsAndDamage) {
  absl::StatusOr<Ledger> ledger = GenerateLedger({.projects = 120, .seed = 7});
  ASSERT_TRUE(ledger.ok());
  ReportRequest request;
  request.as_of = Date::FromYmd(2024, 9, 30);
  absl::StatusOr<std::string> a = MakePartial(*ledger, request);
  ASSERT_TRUE(a.ok()) << a.status();
  const std::vector<PartialInput> twice = {{"a.kpp", *a}, {"b.kpp", *a}};
  absl::StatusOr<MergedReport> overlap = MergePartials(twice);
  ASSERT_FALSE(overlap.ok());
  EXPECT_EQ(overlap.status().code(), absl::StatusCode::kInvalidArgument);  // they do not go together
  EXPECT_THAT(std::string(overlap.status().message()), HasSubstr("overlap"));
  EXPECT_THAT(std::string(overlap.status().message()), HasSubstr("a.kpp and b.kpp"));

  ReportRequest later = request;
  later.as_of = Date::FromYmd(2024, 8, 31);
  absl::StatusOr<std::string> b = MakePartial(*ledger, later);
  ASSERT_TRUE(b.ok());
  const std::vector<PartialInput> differ = {{"a.kpp", *a}, {"b.kpp", *b}};
  absl::StatusOr<MergedReport> mixed = MergePartials(differ);
  ASSERT_FALSE(mixed.ok());
  EXPECT_EQ(mixed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(mixed.status().message()), HasSubstr("as_of is '2024-09-30' in a.kpp and '2024-08-31' in b.kpp"));

  // Every prefix of the file is refused (truncated), never merged: damaged bytes, as a
  // cut snapshot's (DataLoss), not a request that does not fit.
  for (size_t n = 0; n < a->size(); n += 1 + a->size() / 200) {
    const std::vector<PartialInput> cut = {{"cut.kpp", std::string_view(*a).substr(0, n)}};
    EXPECT_EQ(MergePartials(cut).status().code(), absl::StatusCode::kDataLoss) << n;
  }
  std::string v9 = *a;
  v9.replace(v9.find('\t') + 1, 1, "9");  // the magic line's format version
  const std::vector<PartialInput> newer = {{"v9.kpp", v9}};
  EXPECT_EQ(MergePartials(newer).status().code(), absl::StatusCode::kFailedPrecondition);
  ReportRequest with_targets = request;
  with_targets.targets = std::make_shared<const TargetSet>();
  EXPECT_THAT(std::string(MakePartial(*ledger, with_targets).status().message()), HasSubstr("target set"));
  ReportRequest by_code = request;
  by_code.filter.codes = {std::string(ledger->code(0))};
  EXPECT_THAT(std::string(MakePartial(*ledger, by_code).status().message()), HasSubstr("project code"));
}

}  // namespace
}  // namespace keyproj
