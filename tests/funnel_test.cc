// The 招商 funnel section (workflow.md §3; Report::funnel, MakeFunnel): the stage
// counts and the conversion into each stage on a ledger checked by hand, and the
// section in every format.
//
// as_of 2024-09-30; attracted projects unless said otherwise:
//   county 610402
//     F1 intended 01-05, signed 02-01, started 03-01, completed 08-01, operating 09-01
//     F2 intended 02-01, signed 03-01, started 05-01
//     F3 intended 03-01
//     F4 signed 04-01, no intended_on (the agreement implies the intention)
//     F5 intended 10-05 (after as_of: not yet)
//   county 610403
//     G1 intended 05-01
//     G2 not attracted, started 02-01 (never in the funnel)
//     G3 intended 01-01, cancelled 06-01 (out)
// 610402: intended 4 (F1-F4), signed 3 (75%), started 2 (2/3), completed 1 (50%),
//         operating 1 (100%).
// 610403: intended 1, signed 0 (0%), then 0 over 0: not applicable.
// Whole:  intended 5, signed 3 (60%), started 2 (66.7%), completed 1 (50%), operating 1 (100%).
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "keyproj/ledger_builder.h"
#include "keyproj/narrative.h"
#include "keyproj/report.h"
#include "keyproj/report_request.h"

namespace keyproj {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

Date D(int y, int m, int d) { return *Date::FromYmd(y, m, d); }

Ledger FunnelLedger() {
  LedgerBuilder b;
  auto add = [&](std::string code, int32_t region, Attracted attracted, StageDates dates) {
    ProjectRecord r{.code = code, .name = "项目" + code, .region = region, .category = Category::kIndustry};
    r.attracted = attracted;
    r.dates = dates;
    EXPECT_TRUE(b.AddProject(std::move(r))) << code;
  };
  const Attracted yes = Attracted::kYes;
  add("F1", 610402, yes,
      {.intended_on = D(2024, 1, 5), .signed_on = D(2024, 2, 1), .started_on = D(2024, 3, 1),
       .completed_on = D(2024, 8, 1), .operating_on = D(2024, 9, 1)});
  add("F2", 610402, yes, {.intended_on = D(2024, 2, 1), .signed_on = D(2024, 3, 1), .started_on = D(2024, 5, 1)});
  add("F3", 610402, yes, {.intended_on = D(2024, 3, 1)});
  add("F4", 610402, yes, {.signed_on = D(2024, 4, 1)});
  add("F5", 610402, yes, {.intended_on = D(2024, 10, 5)});
  add("G1", 610403, yes, {.intended_on = D(2024, 5, 1)});
  add("G2", 610403, Attracted::kNo, {.started_on = D(2024, 2, 1)});
  add("G3", 610403, yes, {.intended_on = D(2024, 1, 1), .cancelled_on = D(2024, 6, 1)});
  absl::StatusOr<Ledger> l = std::move(b).Build();
  EXPECT_TRUE(l.ok()) << l.status();
  return l.ok() ? *std::move(l) : Ledger();
}

ReportRequest Request(std::optional<std::vector<Dimension>> funnel) {
  ReportRequest r;
  r.as_of = D(2024, 9, 30);
  r.groupings = {{}};
  r.indicators = {"projects"};
  r.funnel_group_by = std::move(funnel);
  return r;
}

Value I(int64_t n) { return Value::Integer(n); }
Value R(int64_t num, int64_t den) { return Value::Ratio(num, den); }

TEST(Funnel, StagesAndConversionsByHand) {
  const Ledger l = FunnelLedger();
  absl::StatusOr<Report> report = MakeReport(l, Request(std::vector<Dimension>{Dimension::kCounty}));
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_TRUE(report->funnel.has_value());
  EXPECT_EQ(report->funnel->title, "招商引资项目推进情况");
  const Result& r = report->funnel->result;
  std::vector<std::string> ids;
  for (const IndicatorRef& ref : r.indicators) ids.push_back(ref.id);
  EXPECT_THAT(ids, ElementsAre("intended", "signed", "funnel_signed_rate", "signed_started", "funnel_started_rate",
                               "signed_completed", "funnel_completed_rate", "operating", "funnel_operating_rate"));
  ASSERT_EQ(r.rows.size(), 3u);
  EXPECT_THAT(r.rows[0].group, ElementsAre("610402"));
  EXPECT_THAT(r.rows[0].values, ElementsAre(I(4), I(3), R(3, 4), I(2), R(2, 3), I(1), R(1, 2), I(1), R(1, 1)));
  EXPECT_THAT(r.rows[1].group, ElementsAre("610403"));
  EXPECT_THAT(r.rows[1].values, ElementsAre(I(1), I(0), R(0, 1), I(0), Value(), I(0), Value(), I(0), Value()));
  EXPECT_TRUE(r.rows[2].group.empty());
  EXPECT_THAT(r.rows[2].values, ElementsAre(I(5), I(3), R(3, 5), I(2), R(2, 3), I(1), R(1, 2), I(1), R(1, 1)));
  // The report's own tables are untouched.
  ASSERT_EQ(report->tables.size(), 1u);
  EXPECT_EQ(report->tables[0].result.indicators.size(), 1u);
}

TEST(Funnel, UnsetIsNoneEmptyIsTheWholeScope) {
  const Ledger l = FunnelLedger();
  absl::StatusOr<Report> none = MakeReport(l, Request(std::nullopt));
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_FALSE(none->funnel.has_value());
  absl::StatusOr<Report> whole = MakeReport(l, Request(std::vector<Dimension>{}));
  ASSERT_TRUE(whole.ok()) << whole.status();
  ASSERT_TRUE(whole->funnel.has_value());
  ASSERT_EQ(whole->funnel->result.rows.size(), 1u);
  EXPECT_EQ(whole->funnel->result.rows[0].values[0], I(5));
  // The funnel follows the request's filter: 610403 alone.
  ReportRequest one = Request(std::vector<Dimension>{});
  one.filter.region_prefixes = {"610403"};
  absl::StatusOr<Report> g = MakeReport(l, one);
  ASSERT_TRUE(g.ok()) << g.status();
  EXPECT_THAT(g->funnel->result.rows[0].values,
              ElementsAre(I(1), I(0), R(0, 1), I(0), Value(), I(0), Value(), I(0), Value()));
}

std::string Render(const Ledger& l, const Report& r, ReportFormat f) {
  absl::StatusOr<std::string> doc = RenderReport(l, r, f, RenderOptions{});
  EXPECT_TRUE(doc.ok()) << doc.status();
  return doc.ok() ? *doc : "";
}

TEST(Funnel, EveryFormatHasTheSection) {
  const Ledger l = FunnelLedger();
  absl::StatusOr<Report> report = MakeReport(l, Request(std::vector<Dimension>{Dimension::kCounty}));
  ASSERT_TRUE(report.ok()) << report.status();
  // CSV: its own section after the tables, display figures, "—" over zero.
  const std::string csv = Render(l, *report, ReportFormat::kCsv);
  EXPECT_THAT(csv, HasSubstr("\r\n\r\n招商引资项目推进情况（截至2024年9月30日）\r\n"
                             "县区,意向项目数（个）,签约项目数（个）,签约转化率（%）,签约项目开工数（个）,开工转化率（%）,"
                             "签约项目竣工数（个）,竣工转化率（%）,投产项目数（个）,投产转化率（%）\r\n"
                             "610402,4,3,75.0%,2,66.7%,1,50.0%,1,100.0%\r\n"
                             "610403,1,0,0.0%,0,—,0,—,0,—\r\n"
                             "合计,5,3,60.0%,2,66.7%,1,50.0%,1,100.0%\r\n"));
  // Markdown and the terminal table.
  EXPECT_THAT(Render(l, *report, ReportFormat::kMarkdown),
              HasSubstr("### 招商引资项目推进情况（截至2024年9月30日）\n\n| 县区 | 意向项目数（个） |"));
  EXPECT_THAT(Render(l, *report, ReportFormat::kTable), HasSubstr("招商引资项目推进情况（截至2024年9月30日）\n"));
  // JSON: "funnel" in the (one) table's object, values by id, exact.
  const std::string json = Render(l, *report, ReportFormat::kJson);
  EXPECT_THAT(json, HasSubstr("\"funnel\": {\"as_of\": \"2024-09-30\", \"title\": \"招商引资项目推进情况\", "
                              "\"group_by\": [\"county\"]"));
  EXPECT_THAT(json, HasSubstr("\"values\": {\"intended\": \"5\", \"signed\": \"3\", \"funnel_signed_rate\": "
                              "\"0.600000\", \"signed_started\": \"2\", \"funnel_started_rate\": \"0.666667\""));
  EXPECT_THAT(json, HasSubstr("\"funnel_started_rate\": null"));
  // Without a funnel, none of it.
  absl::StatusOr<Report> none = MakeReport(l, Request(std::nullopt));
  ASSERT_TRUE(none.ok());
  EXPECT_THAT(Render(l, *none, ReportFormat::kJson), Not(HasSubstr("funnel")));
  EXPECT_THAT(Render(l, *none, ReportFormat::kCsv), Not(HasSubstr("招商引资项目推进情况")));
}

TEST(Funnel, TheReportTextStatesIt) {
  const Ledger l = FunnelLedger();
  // {招商漏斗}: from the report's funnel (grouped: its whole-scope row), or computed
  // when the report has none; the same sentence.
  absl::StatusOr<NarrativeTemplate> t = NarrativeTemplate::Parse("招商引资方面，{招商漏斗}。");
  ASSERT_TRUE(t.ok()) << t.status();
  const std::string expected = "招商引资方面，意向项目5个，签约3个（转化率60.0%），开工2个（转化率66.7%），"
                               "竣工1个（转化率50.0%），投产1个（转化率100.0%）。";
  for (auto funnel : {std::optional<std::vector<Dimension>>{}, std::optional(std::vector{Dimension::kCounty})}) {
    absl::StatusOr<Report> report = MakeReport(l, Request(funnel));
    ASSERT_TRUE(report.ok()) << report.status();
    absl::StatusOr<std::string> text = t->Render(l, report->query, *report, RenderOptions{});
    ASSERT_TRUE(text.ok()) << text.status();
    EXPECT_EQ(*text, expected);
  }
  // A conversion over zero is left out.
  ReportRequest one = Request(std::nullopt);
  one.filter.region_prefixes = {"610403"};
  absl::StatusOr<Report> g = MakeReport(l, one);
  ASSERT_TRUE(g.ok()) << g.status();
  absl::StatusOr<std::string> text = t->Render(l, g->query, *g, RenderOptions{});
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_EQ(*text, "招商引资方面，意向项目1个，签约0个（转化率0.0%），开工0个，竣工0个，投产0个。");
  // The default template states it in its 招商引资 paragraph.
  EXPECT_THAT(std::string(NarrativeTemplate::DefaultText()), HasSubstr("招商引资方面，{招商漏斗}"));
  absl::StatusOr<Report> report = MakeReport(l, Request(std::nullopt));
  ASSERT_TRUE(report.ok());
  EXPECT_THAT(Render(l, *report, ReportFormat::kText), HasSubstr(expected.substr(0, expected.size() - 3)));
}

}  // namespace
}  // namespace keyproj
