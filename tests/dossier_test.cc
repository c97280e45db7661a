// Dossiers (dossier.h) and the list words of the report text ({项目清单}, {滞后项目},
// {问题项目}; docs/report-text.md), on tests/data/dossier, a ledger small enough to
// check every figure by hand. As of 2024-05-31 (序时进度 5/12 = 41.67%; a project is
// lagging below 31.67%), money in 万元:
//
//   A1 城东污水处理厂   张三  plan 4000, 2024-01..05: 300+300+400+400+500 = 1900 -> 47.5%
//   A2 高新区电池项目   张三  plan 5000, 2024-01..05: 100+100+200+200+200 = 800 -> 16.0%
//                             (lagging); 2023-05: 800 (the year before);
//                             problems Q1 open and overdue since 2024-04-30 (31 days),
//                             Q2 open (due 2024-09-30), Q5 raised 2024-06-01: not yet
//   A3 文化中心项目     王五  cancelled 2024-03-01: 王五 has no project in scope
//   B1 商贸物流园项目   李四  plan 2000, 250+250+250 = 750 -> 37.5%; Q3 resolved
//                             2024-04-01, Q4 raised 2024-07-15: none open
//   C1 现代农业园项目   (no leader), no plan, nothing invested
//
// So 张三: 2 projects, plan 9000, 1-5月 2700 -> 30.0%, 11.7 points below 序时进度;
// 李四: 1 project, 750 / 2000 = 37.5%, 4.2 points below.
#include "keyproj/dossier.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "keyproj/csv_loader.h"
#include "keyproj/engine.h"
#include "keyproj/narrative.h"
#include "keyproj/report.h"
#include "keyproj/report_request.h"

namespace keyproj {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

const Ledger& DossierLedger() {
  static const Ledger* l = [] {
    Diagnostics diagnostics;
    absl::StatusOr<Ledger> ledger =
        LoadCsvLedger(std::filesystem::path(KEYPROJ_TESTDATA_DIR) / "dossier", LoadOptions{}, &diagnostics);
    EXPECT_TRUE(ledger.ok()) << ledger.status();
    return new Ledger(*std::move(ledger));
  }();
  return *l;
}

Date D(int y, int m, int d) { return *Date::FromYmd(y, m, d); }

Query At(Date as_of = D(2024, 5, 31)) {
  Query q;
  q.as_of = as_of;
  return q;
}

Report ReportAt(Date as_of = D(2024, 5, 31), Filter filter = {}) {
  ReportRequest request;
  request.as_of = as_of;
  request.filter = std::move(filter);
  request.groupings = {{Dimension::kLeader}};
  request.indicators = {"projects"};
  absl::StatusOr<Report> r = MakeReport(DossierLedger(), request);
  EXPECT_TRUE(r.ok()) << r.status();
  return *std::move(r);
}

NarrativeTemplate Parse(std::string_view text) {
  absl::StatusOr<NarrativeTemplate> t = NarrativeTemplate::Parse(text);
  EXPECT_TRUE(t.ok()) << t.status();
  return *std::move(t);
}

std::vector<GroupText> ByLeader(std::string_view text, const RenderOptions& options = {},
                                ListStyle style = ListStyle::kLines, Query q = At()) {
  const NarrativeTemplate t = Parse(text);
  Report report;
  absl::StatusOr<std::vector<GroupText>> g =
      t.RenderGroups(DossierLedger(), q, Dimension::kLeader, report, options, style,
                     [](std::string_view key) { return DossierScopeName(Dimension::kLeader, key, nullptr); });
  EXPECT_TRUE(g.ok()) << g.status();
  return g.ok() ? *std::move(g) : std::vector<GroupText>{};
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// project_list (docs/indicators.md, "Dossiers"): every project in scope but the
// cancelled, counted as `projects` and listed, each noted with its own plan_completion.
// Sections are numbered as a bureau writes them, past 99 too (a city's leaders).
TEST(Dossier, ChineseOrdinals) {
  const std::pair<size_t, std::string_view> cases[] = {
      {1, "一"},        {9, "九"},           {10, "十"},           {11, "十一"},         {20, "二十"},
      {21, "二十一"},   {99, "九十九"},      {100, "一百"},        {101, "一百零一"},    {110, "一百一十"},
      {111, "一百一十一"}, {120, "一百二十"}, {205, "二百零五"},    {999, "九百九十九"},  {1000, "一千"},
      {1001, "一千零一"}, {1010, "一千零一十"}, {1100, "一千一百"}, {2019, "二千零一十九"}, {9999, "九千九百九十九"},
      {10000, "10000"}, {0, "0"}};
  for (const auto& [n, want] : cases) EXPECT_EQ(ChineseOrdinal(n), want) << n;
}

TEST(Dossier, ProjectListIndicator) {
  Query q = At();
  q.indicators = {"project_list", "projects"};
  q.group_by = {Dimension::kLeader};
  absl::StatusOr<Result> r = Evaluate(DossierLedger(), q);
  ASSERT_TRUE(r.ok()) << r.status();
  auto codes = [&](size_t row) {
    std::vector<std::string> out;
    for (uint32_t p : r->rows[row].projects[0]) {
      std::optional<ListNote> note = NoteOf(DossierLedger(), *r, 0, p);
      out.push_back(std::string(DossierLedger().code(p)) +
                    (note ? "=" + std::to_string(*note->number) : std::string()));
    }
    return out;
  };
  // Rows: (no leader), 张三, 李四, 王五, the whole scope.
  ASSERT_EQ(r->rows.size(), 5u);
  EXPECT_EQ(r->rows[3].group, std::vector<std::string>{"王五"});
  EXPECT_THAT(codes(0), ElementsAre("C1"));  // no plan: no note
  // A1 1900 / 4000 = 47.50%, A2 800 / 5000 = 16.00%, B1 750 / 2000 = 37.50%.
  EXPECT_THAT(codes(1), ElementsAre("A1=4750", "A2=1600"));
  EXPECT_THAT(codes(2), ElementsAre("B1=3750"));
  EXPECT_THAT(codes(3), ElementsAre());  // A3 cancelled
  EXPECT_THAT(codes(4), ElementsAre("A1=4750", "A2=1600", "B1=3750", "C1"));
  for (const ResultRow& row : r->rows) {
    EXPECT_EQ(row.values[0], row.values[1]);
    EXPECT_EQ(row.values[0], Value::Integer(static_cast<int64_t>(row.projects[0].size())));
  }
}

TEST(Dossier, TheDefaultIsTheShippedFile) {
  EXPECT_EQ(ReadFile(std::filesystem::path(KEYPROJ_SOURCE_DIR) / "examples" / "templates" / "leader.txt"),
            LeaderDossierText());
  EXPECT_TRUE(NarrativeTemplate::Parse(LeaderDossierText()).ok());
}

TEST(Dossier, GroupsWithProjectsInKeyOrderAndTheirOwnFigures) {
  const std::vector<GroupText> g =
      ByLeader("{范围}{projects}个，{期间}完成{investment_ytd|万元}万元，占年度计划的{plan_completion}，"
               "{schedule_gap_pp|超低}");
  // 王五's only project was cancelled: no text for him. The unnamed group sorts first
  // here (RenderGroups keeps the grouped table's order; MakeDossiers puts it last).
  ASSERT_EQ(g.size(), 3u);
  EXPECT_EQ(g[0].key, "");
  EXPECT_EQ(g[0].projects, 1);
  EXPECT_EQ(g[0].text, "未落实包抓领导的1个，1-5月份完成0.00万元，占年度计划的—，—");
  EXPECT_EQ(g[1].key, "张三");
  EXPECT_EQ(g[1].projects, 2);
  EXPECT_EQ(g[1].text, "张三同志包抓2个，1-5月份完成2700.00万元，占年度计划的30.0%，低于序时进度11.7个百分点");
  EXPECT_EQ(g[2].key, "李四");
  EXPECT_EQ(g[2].text, "李四同志包抓1个，1-5月份完成750.00万元，占年度计划的37.5%，低于序时进度4.2个百分点");
}

TEST(Dossier, LastYearIsTheSameGroupsRow) {
  // 张三 a year earlier: A2's 800 of 2023-05; 2700 / 800 - 1 = 237.5%. 李四 had
  // nothing: 同比 over zero is not applicable.
  const std::vector<GroupText> g = ByLeader("{investment_ytd|上年|万元}|{investment_ytd|同比|增减}");
  ASSERT_EQ(g.size(), 3u);
  EXPECT_EQ(g[1].text, "800.00|增长237.5%");
  EXPECT_EQ(g[2].text, "0.00|—");
}

TEST(Dossier, ProjectListsInTheUnitAsked) {
  RenderOptions yi;
  yi.money_unit = MoneyUnit::kYi;
  const std::vector<GroupText> g = ByLeader("{项目清单}\n{项目清单|万元|0}", yi);
  ASSERT_EQ(g.size(), 3u);
  // Without a unit word: the caller's (亿元, one place); 1900万 = 0.19亿 -> 0.2.
  EXPECT_EQ(g[1].text,
            "（1）城东污水处理厂：年度计划0.4亿元，累计完成0.2亿元，完成率47.5%\n"
            "（2）高新区电池项目：年度计划0.5亿元，累计完成0.1亿元，完成率16.0%\n"
            "（1）城东污水处理厂：年度计划4000万元，累计完成1900万元，完成率47.5%\n"
            "（2）高新区电池项目：年度计划5000万元，累计完成800万元，完成率16.0%");
  EXPECT_EQ(g[0].text,
            "（1）现代农业园项目：年度计划未填报，累计完成0.0亿元，完成率—\n"
            "（1）现代农业园项目：年度计划未填报，累计完成0万元，完成率—");
  // 亿元 with two places: 0.075亿 rounds half-up to 0.08.
  const std::vector<GroupText> two = ByLeader("{项目清单|亿元|2}");
  EXPECT_EQ(two[2].text, "（1）商贸物流园项目：年度计划0.20亿元，累计完成0.08亿元，完成率37.5%");
}

TEST(Dossier, LaggingAndProblemListsAndTheirEmptyForm) {
  const std::vector<GroupText> g = ByLeader("{滞后项目|万元}\n{问题项目}", {}, ListStyle::kBullets);
  ASSERT_EQ(g.size(), 3u);
  EXPECT_EQ(g[1].text,
            "- 高新区电池项目：年度计划5000.00万元，累计完成800.00万元，完成率16.0%，序时进度41.7%\n"
            "- 高新区电池项目：用地指标未落实（用地，责任单位：区自然资源局，时限：2024年4月30日，已超期31天）；"
            "配套资金缺口较大（资金，责任单位：区财政局，时限：2024年9月30日）");
  // 李四: nothing lagging; Q3 resolved, Q4 raised after as_of.
  EXPECT_EQ(g[2].text, "无\n无");
  // A month later Q5 (raised 2024-06-01) is open too, and Q1 is 61 days overdue.
  const std::vector<GroupText> june = ByLeader("{问题项目}", {}, ListStyle::kLines, At(D(2024, 6, 30)));
  EXPECT_THAT(june[1].text, HasSubstr("已超期61天）；配套资金缺口较大"));
  EXPECT_THAT(june[1].text, HasSubstr("施工许可未办理（审批手续，责任单位：区住建局，时限：2024年6月30日）"));
}

TEST(Dossier, ListWordsInTheWholeScopeText) {
  const NarrativeTemplate t = Parse("{项目清单|万元|0}");
  Report report;
  absl::StatusOr<std::string> s = t.Render(DossierLedger(), At(), report, RenderOptions{});
  ASSERT_TRUE(s.ok()) << s.status();
  // Every project in scope but the cancelled A3, in ledger order.
  EXPECT_EQ(*s,
            "（1）城东污水处理厂：年度计划4000万元，累计完成1900万元，完成率47.5%\n"
            "（2）高新区电池项目：年度计划5000万元，累计完成800万元，完成率16.0%\n"
            "（3）商贸物流园项目：年度计划2000万元，累计完成750万元，完成率37.5%\n"
            "（4）现代农业园项目：年度计划未填报，累计完成0万元，完成率—");
}

TEST(Dossier, ListWordErrors) {
  auto error = [](std::string_view text) {
    absl::StatusOr<NarrativeTemplate> t = NarrativeTemplate::Parse(text);
    return t.ok() ? std::string("parsed") : std::string(t.status().message());
  };
  EXPECT_EQ(error("x{项目清单|增减}"),
            "line 1, column 8: the list '项目清单' takes only a money unit (亿元, 万元) and places (0-6), not '增减'");
  EXPECT_EQ(error("{滞后项目|亿元|万元}"), "line 1, column 10: a second money unit ('万元')");
  EXPECT_THAT(error("?{问题项目}x"), HasSubstr("is a word, not a value to test"));
  EXPECT_THAT(error("{项目}"), HasSubstr("项目清单, 滞后项目, 问题项目"));
}

TEST(Dossier, ScopeNames) {
  RegionNames regions;
  regions.Add(610402, "秦都区");
  EXPECT_EQ(DossierScopeName(Dimension::kLeader, "张三", nullptr), "张三同志包抓");
  EXPECT_EQ(DossierScopeName(Dimension::kLeader, "", nullptr), "未落实包抓领导的");
  EXPECT_EQ(DossierScopeName(Dimension::kDepartment, "区水务局", nullptr), "区水务局负责");
  EXPECT_EQ(DossierScopeName(Dimension::kCounty, "610402", &regions), "秦都区");
  EXPECT_EQ(DossierScopeName(Dimension::kCounty, "610403", &regions), "610403");
  EXPECT_EQ(DossierScopeName(Dimension::kCategory, "industry", nullptr), "产业");
  // Yes/no dimensions by what the group is; a stage as a stage ("开工阶段重点项目").
  EXPECT_EQ(DossierScopeName(Dimension::kAttracted, "yes", nullptr), "招商引资");
  EXPECT_EQ(DossierScopeName(Dimension::kAttracted, "no", nullptr), "非招商引资");
  EXPECT_EQ(DossierScopeName(Dimension::kIndustrial, "no", nullptr), "非工业");
  EXPECT_EQ(DossierScopeName(Dimension::kStage, "started", nullptr), "开工阶段");
}

TEST(Dossier, YesNoGroupsAreNamedByWhatTheyAre) {
  absl::StatusOr<Dossiers> d = MakeDossiers(DossierLedger(), ReportAt(), Dimension::kAttracted, RenderOptions{});
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->title, "全市重点项目按是否招商引资分类专报（截至2024年5月31日）");
  ASSERT_FALSE(d->sections.empty());
  for (const DossierSection& s : d->sections) {
    EXPECT_THAT(s.heading, ::testing::AnyOf(HasSubstr("、招商引资项目（"), HasSubstr("、非招商引资项目（"),
                                            HasSubstr("、（未填）（")));
    EXPECT_THAT(s.text, Not(::testing::StartsWith("否"))) << s.text;
    EXPECT_THAT(s.text, Not(::testing::StartsWith("是"))) << s.text;
  }
}

TEST(Dossier, HeadingsTitleAndTheUnassignedLast) {
  const Report report = ReportAt();
  absl::StatusOr<Dossiers> d = MakeDossiers(DossierLedger(), report, Dimension::kLeader, RenderOptions{});
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->title, "全市重点项目包抓领导专报（截至2024年5月31日）");
  std::vector<std::string> headings;
  for (const DossierSection& s : d->sections) headings.push_back(s.heading);
  EXPECT_THAT(headings, ElementsAre("一、张三（包抓项目2个）", "二、李四（包抓项目1个）", "三、未落实包抓领导（项目1个）"));
  EXPECT_THAT(d->sections[0].text,
              HasSubstr("张三同志包抓重点项目2个，总投资3.00亿元，年度计划投资9000.00万元；1-5月份完成投资2700.00万元，"
                        "占年度计划的30.0%，低于序时进度11.7个百分点；已开工2个，开工率100.0%。"));
  EXPECT_THAT(d->sections[2].text, HasSubstr("未填报年度计划"));

  // The report's scope narrows every group: in 秦都区 (610402) only A1 and C1 are
  // left, so 李四 has no dossier.
  Filter qindu;
  qindu.region_prefixes = {"610402"};
  absl::StatusOr<Dossiers> narrow =
      MakeDossiers(DossierLedger(), ReportAt(D(2024, 5, 31), qindu), Dimension::kLeader, RenderOptions{});
  ASSERT_TRUE(narrow.ok()) << narrow.status();
  headings.clear();
  for (const DossierSection& s : narrow->sections) headings.push_back(s.heading);
  EXPECT_THAT(headings, ElementsAre("一、张三（包抓项目1个）", "二、未落实包抓领导（项目1个）"));
  EXPECT_THAT(narrow->sections[0].text, Not(HasSubstr("高新区电池项目")));
}

TEST(Dossier, RenderedAsTextOrMarkdownOnly) {
  const Report report = ReportAt();
  RenderOptions options;
  options.dossier_by = Dimension::kLeader;
  absl::StatusOr<std::string> md = RenderReport(DossierLedger(), report, ReportFormat::kMarkdown, options);
  ASSERT_TRUE(md.ok()) << md.status();
  EXPECT_THAT(*md, HasSubstr("# 全市重点项目包抓领导专报（截至2024年5月31日）\n\n## 一、张三（包抓项目2个）\n\n"));
  EXPECT_THAT(*md, HasSubstr("项目推进情况：\n- 城东污水处理厂："));
  absl::StatusOr<std::string> json = RenderReport(DossierLedger(), report, ReportFormat::kJson, options);
  ASSERT_FALSE(json.ok());
  EXPECT_EQ(json.status().message(), "dossiers are written as text, md or xlsx, not json (dossier_by is set)");
}

}  // namespace
}  // namespace keyproj
