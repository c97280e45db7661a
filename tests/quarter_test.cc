// §5 of workflow.md, the quarter bulletin and the rolling plan: the quarter ids
// (investment_quarter, started_quarter, completed_quarter, signed_quarter, each a year
// earlier, and quarter_yoy_growth) and plan_next_years.YYYY, on small hand-built
// ledgers whose answers are worked out by hand in the comments. Definitions:
// docs/indicators.md ("The quarter and the rolling plan").
#include <string>
#include <string_view>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "whole_scope_result.h"
#include "keyproj/engine.h"
#include "keyproj/expression.h"
#include "keyproj/indicators.h"
#include "keyproj/ledger.h"
#include "keyproj/ledger_builder.h"
#include "keyproj/query.h"
#include "keyproj/value.h"

namespace keyproj {
namespace {

using ::testing::HasSubstr;

Date D(int y, int m, int d) { return *Date::FromYmd(y, m, d); }
Month M(int y, int m) { return Month::FromYm(y, m); }
Value I(int64_t n) { return Value::Integer(n); }
Value Wan(int64_t wan) { return Value::Integer(static_cast<int128>(wan) * kFenPerWan); }

// A LedgerBuilder that fails the test on any rejected record.
class Book {
 public:
  void Project(std::string code, StageDates dates, Attracted attracted = Attracted::kNo) {
    ProjectRecord r{.code = code, .name = "项目" + code, .region = 610402, .category = Category::kIndustry,
                    .dates = dates, .attracted = attracted};
    EXPECT_TRUE(b_.AddProject(std::move(r))) << code << "\n" << Dump();
  }
  void Invest(std::string_view code, Month m, int64_t wan) {
    EXPECT_TRUE(b_.AddMonthly({.code = code, .month = m, .investment = Money::FromWan(wan)}))
        << code << " " << m.ToString() << "\n"
        << Dump();
  }
  void Base(Month m, int64_t wan) {
    EXPECT_TRUE(b_.AddBaseline({.month = m, .dimension = "all", .investment = Money::FromWan(wan)})) << Dump();
  }
  void Plan(std::string code, int year, int64_t wan) {
    EXPECT_TRUE(b_.AddPlan({.code = code, .year = year, .planned = Money::FromWan(wan)})) << code << "\n" << Dump();
  }
  Ledger Build() && {
    absl::StatusOr<Ledger> l = std::move(b_).Build();
    EXPECT_TRUE(l.ok()) << l.status();
    return l.ok() ? *std::move(l) : Ledger();
  }

 private:
  std::string Dump() const {
    std::string out;
    for (const Diagnostic& d : b_.diagnostics()) out += d.ToString() + "\n";
    return out;
  }
  LedgerBuilder b_;
};

using Res = test_support::WholeScope;
Query Q(Date as_of, std::vector<std::string> ids) { return test_support::QueryOf(as_of, std::move(ids)); }

const std::vector<std::string> kQuarterIds = {
    "investment_quarter", "investment_quarter_last_year", "quarter_yoy_growth",
    "started_quarter",    "completed_quarter",            "signed_quarter",
    "started_quarter_last_year", "completed_quarter_last_year", "signed_quarter_last_year"};

// Investment, as_of 2024-08-15 (mid-month: whole months, so the quarter is July and
// August 2024; a year earlier July and August 2023):
//   A  2024-06 100 (before the quarter), 07 200, 08 300, 09 999 (after as_of's month);
//      2023-06 50, 07 70, 08 80, 09 90                 -> quarter 500, last year 150
//   B  2024-07 -20 (a correction), 08 40; 2023-07 10   -> quarter 20, last year 10
//   C  cancelled 2024-08-01, 2024-07 1000, 2023-07 1000 -> counted nowhere (not alive)
// investment_quarter = 520万, investment_quarter_last_year = 160万,
// quarter_yoy_growth = 520 / 160 - 1 = 2.25.
// By hand against investment_ytd: A 2024-01..08 = 100 + 200 + 300 = 600, B 20 -> 620.
Ledger InvestmentLedger() {
  Book b;
  b.Project("A", {.started_on = D(2022, 3, 1)});
  b.Project("B", {.started_on = D(2022, 3, 1)});
  b.Project("C", {.started_on = D(2022, 3, 1), .cancelled_on = D(2024, 8, 1)});
  b.Invest("A", M(2024, 6), 100);
  b.Invest("A", M(2024, 7), 200);
  b.Invest("A", M(2024, 8), 300);
  b.Invest("A", M(2024, 9), 999);
  b.Invest("A", M(2023, 6), 50);
  b.Invest("A", M(2023, 7), 70);
  b.Invest("A", M(2023, 8), 80);
  b.Invest("A", M(2023, 9), 90);
  b.Invest("B", M(2024, 7), -20);
  b.Invest("B", M(2024, 8), 40);
  b.Invest("B", M(2023, 7), 10);
  b.Invest("C", M(2024, 7), 1000);
  b.Invest("C", M(2023, 7), 1000);
  return std::move(b).Build();
}

TEST(Quarter, InvestmentIsTheQuartersMonthsUpToAsOfsMonth) {
  const Ledger l = InvestmentLedger();
  std::vector<std::string> ids = kQuarterIds;
  ids.push_back("investment_ytd");
  const Res r(l, Q(D(2024, 8, 15), ids));
  EXPECT_EQ(r("investment_quarter"), Wan(520));
  EXPECT_EQ(r("investment_quarter_last_year"), Wan(160));
  EXPECT_EQ(r("quarter_yoy_growth"), Value::Ratio(9, 4));
  EXPECT_EQ(r("investment_ytd"), Wan(620));
}

TEST(Quarter, InvestmentAtEachQuartersEnd) {
  const Ledger l = InvestmentLedger();
  // 2024-06-30: Q2 is April..June: A 100; a year earlier A 50 -> growth 100%.
  const Res june(l, Q(D(2024, 6, 30), kQuarterIds));
  EXPECT_EQ(june("investment_quarter"), Wan(100));
  EXPECT_EQ(june("investment_quarter_last_year"), Wan(50));
  EXPECT_EQ(june("quarter_yoy_growth"), I(1));
  // 2024-09-30: Q3 July..September: A 200 + 300 + 999, B 20 -> 1519; a year earlier
  // A 70 + 80 + 90, B 10 -> 250. C was cancelled by then.
  const Res sep(l, Q(D(2024, 9, 30), kQuarterIds));
  EXPECT_EQ(sep("investment_quarter"), Wan(1519));
  EXPECT_EQ(sep("investment_quarter_last_year"), Wan(250));
  // The first month of a quarter alone: 2024-07-31 is July: A 200, B -20 -> 180; a
  // year earlier A 70, B 10, and C's 1000 not (cancelled 2024-08-01 is after as_of:
  // C is alive at 2024-07-31 and counts, now 1000 too) -> 1180 and 1080.
  const Res july(l, Q(D(2024, 7, 31), kQuarterIds));
  EXPECT_EQ(july("investment_quarter"), Wan(1180));
  EXPECT_EQ(july("investment_quarter_last_year"), Wan(1080));
  // Q1 2025: no months with figures, both zero, growth not applicable.
  const Res q1(l, Q(D(2025, 3, 31), kQuarterIds));
  EXPECT_EQ(q1("investment_quarter"), I(0));
  EXPECT_EQ(q1("investment_quarter_last_year"), I(0));
  EXPECT_FALSE(q1("quarter_yoy_growth").applicable());
}

// baseline.csv's comparable bases are for the year so far; the quarter's is derived
// from them (docs/indicators.md): base(M) less base(the month before the quarter), or
// base(M) itself in the first quarter. The ledger: A invests 100万 in every month of
// 2023 and 2024. Bases (revised 2023 figures, year so far): 1-2月 180, 1-3月 270, 1-6月
// 560, 1-9月 850 (no 1-8月).
Ledger BaselineLedger(bool with_june) {
  Book b;
  b.Project("A", {.started_on = D(2022, 3, 1)});
  for (int y : {2023, 2024}) {
    for (int m = 1; m <= 12; ++m) b.Invest("A", M(y, m), 100);
  }
  b.Base(M(2024, 2), 180);
  b.Base(M(2024, 3), 270);
  if (with_june) b.Base(M(2024, 6), 560);
  b.Base(M(2024, 9), 850);
  return std::move(b).Build();
}

TEST(Quarter, GrowthAgainstTheQuartersComparableBase) {
  const std::vector<std::string> ids = {"investment_quarter", "investment_quarter_last_year", "quarter_yoy_growth",
                                        "investment_ytd", "yoy_growth"};
  const Ledger l = BaselineLedger(true);
  // Q3 at 2024-09-30: 300 against 850 - 560 = 290 -> 10/290 = 1/29; the year so far
  // 900 against 850 -> 1/17. The raw last-year figure stays 300.
  const Res sep(l, Q(D(2024, 9, 30), ids));
  EXPECT_EQ(sep("investment_quarter"), Wan(300));
  EXPECT_EQ(sep("investment_quarter_last_year"), Wan(300));
  EXPECT_EQ(sep("quarter_yoy_growth"), Value::Ratio(1, 29));
  EXPECT_EQ(sep("yoy_growth"), Value::Ratio(1, 17));
  // Q1: the year so far is the quarter -- one base, one growth: 300 / 270 - 1 = 1/9
  // at March, 200 / 180 - 1 = 1/9 at February (1-2月, mid-month too).
  for (Date d : {D(2024, 3, 31), D(2024, 2, 29), D(2024, 2, 10)}) {
    const Res q1(l, Q(d, ids));
    EXPECT_EQ(q1("quarter_yoy_growth"), Value::Ratio(1, 9)) << d.ToString();
    EXPECT_EQ(q1("quarter_yoy_growth"), q1("yoy_growth")) << d.ToString();
  }
  // Q2 at May: no base for 1-5月, so neither growth has one: both against 2023's raw.
  const Res may(l, Q(D(2024, 5, 31), ids));
  EXPECT_EQ(may("quarter_yoy_growth"), I(0));
  EXPECT_EQ(may("yoy_growth"), I(0));
  // Without the 1-6月 base the quarter's cannot be derived: the raw 300 -> 0%, while
  // the year so far still takes 850.
  const Ledger no_june = BaselineLedger(false);
  const Res sep2(no_june, Q(D(2024, 9, 30), ids));
  EXPECT_EQ(sep2("quarter_yoy_growth"), I(0));
  EXPECT_EQ(sep2("yoy_growth"), Value::Ratio(1, 17));
  // QueryOptions::use_baseline = false: the raw figures for both.
  Query raw = Q(D(2024, 9, 30), ids);
  raw.options.use_baseline = false;
  const Res sep3(l, raw);
  EXPECT_EQ(sep3("quarter_yoy_growth"), I(0));
  EXPECT_EQ(sep3("yoy_growth"), I(0));
}

// Events, as_of 2024-08-15: the quarter from 2024-07-01 to 2024-08-15, a year
// earlier from 2023-07-01 to 2023-08-15.
//   S1 started 2024-07-01 (the quarter's first day)   started_quarter
//   S2 started 2024-08-15 (as_of)                      started_quarter
//   S3 started 2024-08-16 (after as_of)                -
//   S4 started 2024-06-30 (the quarter before)         -
//   S5 started 2023-07-01                              started_quarter_last_year
//   S6 started 2023-08-15                              started_quarter_last_year
//   S7 started 2023-08-16 (after the same day)         -
//   S8 started 2024-07-10, cancelled 2024-08-01        - (not alive at as_of)
//   S9 started 2023-07-05, cancelled 2024-01-01        - (not alive at as_of)
//   K1 started 2022-01-01, completed 2024-08-01        completed_quarter
//   K2 started 2022-01-01, completed 2023-07-31        completed_quarter_last_year
//   K3 started 2022-01-01, completed 2023-09-01        -
//   G1 attracted, signed 2024-07-15                    signed_quarter
//   G2 attracted, signed 2023-08-10                    signed_quarter_last_year
//   G3 attracted, signed 2024-08-20 (after as_of)      -
//   G4 attracted, signed 2023-06-30                    -
// started 2 / 2, completed 1 / 1, signed 1 / 1.
Ledger EventLedger() {
  Book b;
  b.Project("S1", {.started_on = D(2024, 7, 1)});
  b.Project("S2", {.started_on = D(2024, 8, 15)});
  b.Project("S3", {.started_on = D(2024, 8, 16)});
  b.Project("S4", {.started_on = D(2024, 6, 30)});
  b.Project("S5", {.started_on = D(2023, 7, 1)});
  b.Project("S6", {.started_on = D(2023, 8, 15)});
  b.Project("S7", {.started_on = D(2023, 8, 16)});
  b.Project("S8", {.started_on = D(2024, 7, 10), .cancelled_on = D(2024, 8, 1)});
  b.Project("S9", {.started_on = D(2023, 7, 5), .cancelled_on = D(2024, 1, 1)});
  b.Project("K1", {.started_on = D(2022, 1, 1), .completed_on = D(2024, 8, 1)});
  b.Project("K2", {.started_on = D(2022, 1, 1), .completed_on = D(2023, 7, 31)});
  b.Project("K3", {.started_on = D(2022, 1, 1), .completed_on = D(2023, 9, 1)});
  b.Project("G1", {.signed_on = D(2024, 7, 15)}, Attracted::kYes);
  b.Project("G2", {.signed_on = D(2023, 8, 10)}, Attracted::kYes);
  b.Project("G3", {.signed_on = D(2024, 8, 20)}, Attracted::kYes);
  b.Project("G4", {.signed_on = D(2023, 6, 30)}, Attracted::kYes);
  return std::move(b).Build();
}

TEST(Quarter, EventsFromTheQuartersFirstDayToAsOf) {
  const Ledger l = EventLedger();
  const Res r(l, Q(D(2024, 8, 15), kQuarterIds));
  EXPECT_EQ(r("started_quarter"), I(2));
  EXPECT_EQ(r("started_quarter_last_year"), I(2));
  EXPECT_EQ(r("completed_quarter"), I(1));
  EXPECT_EQ(r("completed_quarter_last_year"), I(1));
  EXPECT_EQ(r("signed_quarter"), I(1));
  EXPECT_EQ(r("signed_quarter_last_year"), I(1));
  // One day later, 2024-08-16: S3 starts (3), and S7 a year earlier (3).
  const Res next(l, Q(D(2024, 8, 16), kQuarterIds));
  EXPECT_EQ(next("started_quarter"), I(3));
  EXPECT_EQ(next("started_quarter_last_year"), I(3));
  // 2024-06-30, Q2 (2024-04-01..06-30; 2023-04-01..06-30): S4 now, G4 a year earlier.
  const Res june(l, Q(D(2024, 6, 30), kQuarterIds));
  EXPECT_EQ(june("started_quarter"), I(1));
  EXPECT_EQ(june("started_quarter_last_year"), I(0));
  EXPECT_EQ(june("signed_quarter"), I(0));
  EXPECT_EQ(june("signed_quarter_last_year"), I(1));
}

// The quarter ids are additive: a group's rows add up to the whole scope.
TEST(Quarter, GroupRowsAddUp) {
  Book b;
  b.Project("A", {.started_on = D(2024, 7, 2)});
  b.Project("B", {.started_on = D(2024, 7, 3)});
  b.Invest("A", M(2024, 7), 10);
  b.Invest("B", M(2024, 7), 32);
  Ledger l = std::move(b).Build();
  Query q = Q(D(2024, 7, 31), {"investment_quarter", "started_quarter"});
  q.group_by = {Dimension::kCategory};
  absl::StatusOr<Result> r = Evaluate(l, q);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->total().values[0], Wan(42));
  EXPECT_EQ(r->total().values[1], I(2));
}

// 29 February: as_of 2024-02-29 compares with 2023-01-01..2023-02-28; as_of
// 2025-02-28, the end of February, with the whole of 1-2月 2024, 29 February included
// (a month's last day a year earlier is that month's last day); a mid-month day
// compares with the same day.
//   F1 started 2023-02-28, F2 started 2024-02-29, F3 started 2024-02-28,
//   F4 started 2024-02-15, F5 started 2025-02-15
TEST(Quarter, LeapDays) {
  Book b;
  b.Project("F1", {.started_on = D(2023, 2, 28)});
  b.Project("F2", {.started_on = D(2024, 2, 29)});
  b.Project("F3", {.started_on = D(2024, 2, 28)});
  b.Project("F4", {.started_on = D(2024, 2, 15)});
  b.Project("F5", {.started_on = D(2025, 2, 15)});
  const Ledger l = std::move(b).Build();
  const Res leap(l, Q(D(2024, 2, 29), kQuarterIds));
  EXPECT_EQ(leap("started_quarter"), I(3));            // F2 F3 F4
  EXPECT_EQ(leap("started_quarter_last_year"), I(1));  // F1
  const Res after(l, Q(D(2025, 2, 28), kQuarterIds));
  EXPECT_EQ(after("started_quarter"), I(1));            // F5
  EXPECT_EQ(after("started_quarter_last_year"), I(3));  // F2 F3 F4
  const Res mid(l, Q(D(2025, 2, 15), kQuarterIds));
  EXPECT_EQ(mid("started_quarter"), I(1));            // F5
  EXPECT_EQ(mid("started_quarter_last_year"), I(1));  // F4 (2024-02-15), not F3
}

TEST(Quarter, CatalogueEntries) {
  for (const std::string& id : kQuarterIds) {
    absl::StatusOr<IndicatorRef> ref = FindIndicator(id);
    ASSERT_TRUE(ref.ok()) << id;
    EXPECT_EQ(ref->def->additive, id != "quarter_yoy_growth") << id;
    EXPECT_FALSE(ref->def->lists_projects) << id;
  }
  EXPECT_EQ(FindIndicator("investment_quarter")->def->unit, Unit::kMoney);
  EXPECT_EQ(FindIndicator("investment_quarter")->def->label, "当季完成投资");
  EXPECT_EQ(FindIndicator("quarter_yoy_growth")->def->unit, Unit::kRate);
  EXPECT_EQ(FindIndicator("signed_quarter_last_year")->def->label, "上年同季签约数");
}

// ---- plan_next_years.YYYY ----------------------------------------------------------

// as_of 2024-08-15 (Y = 2024, the years kept one by one are 2025..2034):
//   A  2024 1000 (annual_plan), 2025 800, 2026 600, 2034 5, 2035 7
//   B  2025 200
//   C  cancelled 2024-08-01, 2025 999 (counted nowhere)
// plan_next_years = 800 + 600 + 5 + 7 + 200 = 1612; .2025 = 1000, .2026 = 600,
// .2034 = 5, .2027 = 0.
Ledger PlanLedger() {
  Book b;
  b.Project("A", {.started_on = D(2023, 3, 1)});
  b.Project("B", {.started_on = D(2023, 3, 1)});
  b.Project("C", {.started_on = D(2023, 3, 1), .cancelled_on = D(2024, 8, 1)});
  b.Plan("A", 2024, 1000);
  b.Plan("A", 2025, 800);
  b.Plan("A", 2026, 600);
  b.Plan("A", 2034, 5);
  b.Plan("A", 2035, 7);
  b.Plan("B", 2025, 200);
  b.Plan("C", 2025, 999);
  return std::move(b).Build();
}

TEST(PlanNextYears, OneLaterYear) {
  const Ledger l = PlanLedger();
  const Res r(l, Q(D(2024, 8, 15), {"plan_next_years", "plan_next_years.2025", "plan_next_years.2026",
                                     "plan_next_years.2027", "plan_next_years.2034", "annual_plan"}));
  EXPECT_EQ(r("plan_next_years"), Wan(1612));
  EXPECT_EQ(r("plan_next_years.2025"), Wan(1000));
  EXPECT_EQ(r("plan_next_years.2026"), Wan(600));
  EXPECT_EQ(r("plan_next_years.2027"), I(0));
  EXPECT_EQ(r("plan_next_years.2034"), Wan(5));
  EXPECT_EQ(r("annual_plan"), Wan(1000));
  // In a custom indicator: the next two years.
  absl::StatusOr<CustomIndicatorSet> set = CustomIndicatorSet::Compile(
      {CustomIndicator{"two", "", Unit::kMoney, 2, "plan_next_years.2025 + plan_next_years.2026"}});
  ASSERT_TRUE(set.ok()) << set.status();
  Query q = Q(D(2024, 8, 15), {"two"});
  q.custom = std::make_shared<const CustomIndicatorSet>(*std::move(set));
  const Res two(l, q);
  EXPECT_EQ(two("two"), Wan(1600));
  // A year later, 2025 is annual_plan, and .2026 the first later year.
  const Res later(l, Q(D(2025, 1, 31), {"plan_next_years", "plan_next_years.2026", "annual_plan"}));
  EXPECT_EQ(later("plan_next_years"), Wan(612));
  EXPECT_EQ(later("plan_next_years.2026"), Wan(600));
  EXPECT_EQ(later("annual_plan"), Wan(1000));
}

TEST(PlanNextYears, LabelsAndErrors) {
  absl::StatusOr<IndicatorRef> ref = FindIndicator("plan_next_years.2026");
  ASSERT_TRUE(ref.ok()) << ref.status();
  EXPECT_EQ(ref->key, 2026);
  EXPECT_EQ(ref->def->split, IndicatorSplit::kYear);
  EXPECT_EQ(SplitKeyLabel(*ref), "2026年");
  for (std::string_view bad : {"plan_next_years.26", "plan_next_years.20x6", "plan_next_years.12026",
                               "plan_next_years.1899", "plan_next_years.next"}) {
    absl::StatusOr<IndicatorRef> r = FindIndicator(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_THAT(r.status().message(), HasSubstr("is not a year")) << bad;
  }
  // The year must be one of the ten after as_of's: checked with the query.
  const Ledger l = PlanLedger();
  auto error = [&](std::string id) {
    absl::StatusOr<Result> r = Evaluate(l, Q(D(2024, 8, 15), {id}));
    return r.ok() ? std::string("ok") : std::string(r.status().message());
  };
  EXPECT_EQ(error("plan_next_years.2024"),
            "indicator 'plan_next_years.2024': 2024 is not one of the 10 years after as_of's year 2024 "
            "(2025..2034; the plan for as_of's year is annual_plan)");
  EXPECT_EQ(error("plan_next_years.2035"),
            "indicator 'plan_next_years.2035': 2035 is not one of the 10 years after as_of's year 2024 (2025..2034)");
  EXPECT_THAT(error("plan_next_years.2020"), HasSubstr("not one of the 10 years after"));
  // The same in a custom indicator's term.
  absl::StatusOr<CustomIndicatorSet> set = CustomIndicatorSet::Compile(
      {CustomIndicator{"far", "", Unit::kMoney, 2, "plan_next_years.2040 * 2"}});
  ASSERT_TRUE(set.ok()) << set.status();
  Query q = Q(D(2024, 8, 15), {"far"});
  q.custom = std::make_shared<const CustomIndicatorSet>(*std::move(set));
  absl::StatusOr<Result> r = Evaluate(l, q);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("'plan_next_years.2040': 2040 is not one of the 10 years"));
}

}  // namespace
}  // namespace keyproj
