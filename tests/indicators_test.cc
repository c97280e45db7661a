// Every indicator of the catalogue on small hand-built ledgers whose expected values
// are worked out by hand in the comments. Definitions: ../shared/spec/indicators.md;
// the choices it left open: docs/indicators.md (binding).
//
// Conventions: as_of is 2024-09-30 unless a test says otherwise, so Y = 2024, M = 9,
// ytd = 2024-01..2024-09, prev_ytd = 2023-01..2023-09, 序时进度 (months) = 9/12.
// Money in the comments is in 万元.
#include <algorithm>
#include <initializer_list>
#include <ostream>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "keyproj/engine.h"
#include "keyproj/indicators.h"
#include "keyproj/ledger.h"
#include "keyproj/ledger_builder.h"
#include "keyproj/query.h"
#include "keyproj/internal/text.h"
#include "keyproj/value.h"

namespace keyproj {

namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// ---- the list of hand-checked ids ------------------------------------------------
// Every catalogue id must appear here, and every id here must have a hand-checked
// expectation below (grep the id). CatalogueIsCovered compares the list with
// Catalogue().
const char* const kTestedIds[] = {
    "projects",             // Lifecycle.*, Filters.*, GroupBy.*
    "projects_new",         // Lifecycle.CountsAtEndOfSeptember
    "projects_continuing",  // Lifecycle.CountsAtEndOfSeptember
    "reserve",              // Lifecycle.*, Attracted.*
    "reserved_ytd",         // Lifecycle.CountsAtEndOfSeptember
    "started",              // Lifecycle.*
    "started_ytd",          // Lifecycle.*
    "completed",            // Lifecycle.*
    "completed_ytd",        // Lifecycle.*
    "suspended",            // Lifecycle.*
    "cancelled",            // Lifecycle.*
    "start_rate",           // Lifecycle.*, EmptyScope.*
    "start_rate_due",       // Lifecycle.*
    "total_investment",     // Money.*
    "annual_plan",          // Money.*
    "investment_month",     // Money.*
    "investment_ytd",       // Money.*
    "investment_prev_ytd",  // Money.*
    "investment_to_date",   // Money.*
    "plan_completion",      // Money.*, Display.*
    "schedule",             // Schedule.*
    "schedule_gap_pp",      // Schedule.*, Money.*
    "yoy_growth",           // Growth.*
    "schedule_index",       // Money.*, Schedule.*
    "share",                // Money.GroupedByCounty
    "reserve_multiple",     // Lifecycle.*
    "size_band_count",      // Money.SizeBandCount
    "signed",               // Attracted.*
    "signed_ytd",           // Attracted.*
    "contracted_investment",   // Attracted.*
    "signed_started",          // Attracted.*
    "signed_start_rate",       // Attracted.*
    "performance_due",         // Attracted.*
    "performance_rate",        // Attracted.*
    "funds_arrived_ytd",       // Attracted.*
    "funds_arrival_rate",      // Attracted.*
    "supported_projects",      // Funding.*
    "support_approved",        // Funding.*
    "support_arrived",         // Funding.*
    "negative_growth_streak",  // Growth.Streak*
    "late_reports",            // Warnings.*
    "stalled",                 // Warnings.*
    "behind_schedule",         // Warnings.*
    "problems_by_kind",        // Warnings.*
    "started_month",           // Lifecycle.*
    "completed_month",         // Lifecycle.*
    "signed_month",            // Attracted.*
    "support_growth",          // Funding.*
    "plan_next_years",         // Money.*; .YYYY: PlanNextYears.* (quarter_test.cc)
    "problems_open",           // Problems.*
    "problems_overdue",        // Problems.*
    "problem_resolution_rate",  // Problems.*
    "unassigned_leader",        // Warnings.UnassignedLeader
    // Issue 13 (workflow.md §1, §4): tests/approvals_indicators_test.cc.
    "approvals_done_ytd",        // Approvals.*
    "approvals_pending",         // Approvals.*
    "approvals_overdue",         // Approvals.*
    "ready_to_start",            // Approvals.*
    "blocked_start",             // Approvals.*
    "land_to_start_ytd",         // Approvals.LandWindowBoundary
    "started_without_permit",    // Approvals.*
    "support_applied_projects",  // Support.*
    "support_requested",         // Support.*
    "support_success_rate",      // Support.*
    "support_approval_ratio",    // Support.*
    "support_arrival_ratio",     // Support.*
    // ---- §2 countdowns and §3 the 招商 funnel (workflow.md): workflow_indicators_test.cc ----
    "overdue_start",          // Countdowns.*
    "start_countdown",        // Countdowns.*
    "overdue_completion",     // Countdowns.*
    "signed_not_started",     // Countdowns.SignedNotStarted
    "reserve_age",            // ReserveAge.*
    "intended",               // Funnel.*
    "intended_ytd",           // Funnel.*
    "intention_signed_rate",  // Funnel.*
    "signed_completed",       // Funnel.*
    "operating",              // Funnel.*
    "operating_ytd",          // Funnel.*
    "operating_rate",         // Funnel.*
    // ---- §5 the quarter (workflow.md): quarter_test.cc ----
    "investment_quarter",            // Quarter.Investment*
    "investment_quarter_last_year",  // Quarter.Investment*
    "quarter_yoy_growth",            // Quarter.Investment*
    "started_quarter",               // Quarter.Events*, Quarter.LeapDays
    "completed_quarter",             // Quarter.Events*
    "signed_quarter",                // Quarter.Events*
    "started_quarter_last_year",     // Quarter.Events*, Quarter.LeapDays
    "completed_quarter_last_year",   // Quarter.Events*
    "signed_quarter_last_year",      // Quarter.Events*
    // ---- §6 dossiers: dossier_test.cc ----
    "project_list",  // Dossier.ProjectListIndicator
};

// ---- helpers -----------------------------------------------------------------------

Date D(int y, int m, int d) { return *Date::FromYmd(y, m, d); }
Month Mo(int y, int m) { return Month::FromYm(y, m); }
Money W(int64_t wan) { return Money::FromWan(wan); }
Value I(int64_t n) { return Value::Integer(n); }
// Money in 万元 as a Value (分).
Value Wan(int64_t wan) { return Value::Integer(static_cast<int128>(wan) * kFenPerWan); }
Value R(int64_t num, int64_t den) { return Value::Ratio(num, den); }
const Value kNA{};

IndustryCode Ind(std::string_view text) { return ParseIndustryCode(text).value(); }

// A LedgerBuilder that fails the test on any rejected record.
class Book {
 public:
  void Project(ProjectRecord r) {
    const std::string code = r.code;
    if (r.name.empty()) r.name = "项目" + code;
    EXPECT_TRUE(b_.AddProject(std::move(r))) << code << "\n" << Dump();
  }
  // One monthly row.
  void Row(MonthlyRecord r) { EXPECT_TRUE(b_.AddMonthly(r)) << r.code << " " << r.month.ToString() << "\n" << Dump(); }
  // Rows for consecutive months from `first`, with the given investment (万元).
  void Invest(std::string_view code, Month first, std::initializer_list<int64_t> wan) {
    Month m = first;
    for (int64_t w : wan) {
      Row({.code = code, .month = m, .investment = W(w)});
      m = m + 1;
    }
  }
  void Plan(std::string code, int year, int64_t wan) {
    EXPECT_TRUE(b_.AddPlan({.code = code, .year = year, .planned = W(wan)})) << code << "\n" << Dump();
  }
  void Funding(FundingRecord r) { EXPECT_TRUE(b_.AddFunding(std::move(r))) << Dump(); }
  void Problem(ProblemRecord r) { EXPECT_TRUE(b_.AddProblem(std::move(r))) << Dump(); }
  void Base(Month m, std::string dimension, std::string key, int64_t wan) {
    EXPECT_TRUE(b_.AddBaseline({.month = m, .dimension = dimension, .key = key, .investment = W(wan)})) << Dump();
  }

  Ledger Build() && {
    absl::StatusOr<Ledger> l = std::move(b_).Build();
    if (!l.ok()) {
      ADD_FAILURE() << l.status();
      return Ledger();
    }
    return *std::move(l);
  }

 private:
  std::string Dump() const {
    std::string out;
    for (const Diagnostic& d : b_.diagnostics()) out += d.ToString() + "\n";
    return out;
  }
  LedgerBuilder b_;
};

Query Q(Date as_of, std::vector<std::string> ids) {
  Query q;
  q.as_of = as_of;
  q.indicators = std::move(ids);
  return q;
}

std::vector<std::string> AllIds() {
  std::vector<std::string> ids;
  for (const IndicatorDef& d : Catalogue()) ids.emplace_back(d.id);
  return ids;
}

// The evaluated result, with lookups that fail the test instead of crashing.
class Res {
 public:
  Res(const Ledger& ledger, const Query& q) : ledger_(&ledger) {
    absl::StatusOr<Result> r = Evaluate(ledger, q);
    ok_ = r.ok();
    EXPECT_TRUE(ok_) << r.status();
    if (ok_) r_ = *std::move(r);
  }

  const Result& result() const { return r_; }
  size_t rows() const { return r_.rows.size(); }

  // The value of `id` in the whole-scope row, or in the row with the given key.
  Value operator()(std::string_view id) const { return Get(id, nullptr); }
  Value operator()(std::string_view id, const std::vector<std::string>& key) const { return Get(id, &key); }

  // The codes of the projects listed for `id` (in the order given, i.e. by project
  // number).
  std::vector<std::string> Listed(std::string_view id, const std::vector<std::string>* key = nullptr) const {
    std::vector<std::string> out;
    const ResultRow* row = Row(key);
    const int c = Column(id);
    if (row == nullptr || c < 0) return out;
    const std::vector<uint32_t>& ps = row->projects[static_cast<size_t>(c)];
    EXPECT_TRUE(std::is_sorted(ps.begin(), ps.end())) << id;
    for (uint32_t p : ps) out.emplace_back(ledger_->code(p));
    return out;
  }
  std::vector<std::string> Listed(std::string_view id, const std::vector<std::string>& key) const {
    return Listed(id, &key);
  }

  std::string Display(std::string_view id, MoneyUnit mu = MoneyUnit::kWan) const {
    const int c = Column(id);
    if (c < 0) return "<no column>";
    const IndicatorDef& def = *r_.indicators[static_cast<size_t>(c)].def;
    return DisplayValue(Get(id, nullptr), def.unit, def.places, mu);
  }

  const ResultRow* Row(const std::vector<std::string>* key) const {
    if (!ok_ || r_.rows.empty()) return nullptr;
    if (key == nullptr) {
      EXPECT_TRUE(r_.rows.back().group.empty());
      return &r_.rows.back();
    }
    for (size_t i = 0; i + 1 < r_.rows.size(); ++i) {
      if (r_.rows[i].group == *key) return &r_.rows[i];
    }
    ADD_FAILURE() << "no row with key " << testing::PrintToString(*key);
    return nullptr;
  }
  bool HasRow(const std::vector<std::string>& key) const {
    for (size_t i = 0; i + 1 < r_.rows.size(); ++i) {
      if (r_.rows[i].group == key) return true;
    }
    return false;
  }
  std::vector<std::vector<std::string>> Keys() const {
    std::vector<std::vector<std::string>> out;
    for (size_t i = 0; i + 1 < r_.rows.size(); ++i) out.push_back(r_.rows[i].group);
    return out;
  }

 private:
  int Column(std::string_view id) const {
    const int c = r_.column(id);
    if (ok_) {
      EXPECT_GE(c, 0) << "indicator " << id << " not in the result";
    }
    return c;
  }
  Value Get(std::string_view id, const std::vector<std::string>* key) const {
    const ResultRow* row = Row(key);
    const int c = Column(id);
    if (row == nullptr || c < 0) return Value::Integer(-999999);  // fails any expectation
    return row->values[static_cast<size_t>(c)];
  }

  const Ledger* ledger_;
  bool ok_ = false;
  Result r_;
};

// ---- the catalogue -----------------------------------------------------------------

TEST(Catalogue, IsCovered) {
  std::set<std::string> tested(std::begin(kTestedIds), std::end(kTestedIds));
  EXPECT_EQ(tested.size(), std::size(kTestedIds)) << "duplicate id in kTestedIds";
  std::set<std::string> catalogue;
  for (const IndicatorDef& def : Catalogue()) {
    catalogue.emplace(def.id);
    EXPECT_TRUE(tested.contains(std::string(def.id))) << "catalogue id '" << def.id << "' has no hand-checked test";
  }
  for (const std::string& id : tested) {
    EXPECT_TRUE(catalogue.contains(id)) << "kTestedIds names '" << id << "', which is not in the catalogue";
  }
  EXPECT_EQ(catalogue.size(), Catalogue().size()) << "duplicate id in the catalogue";
}

TEST(Catalogue, UnitsPlacesAndAdditivity) {
  // indicators.md: rates as a percent with one decimal, points one decimal, 万元 two,
  // counts whole; a rate is never additive, counts and sums are.
  for (const IndicatorDef& def : Catalogue()) {
    SCOPED_TRACE(std::string(def.id));
    EXPECT_FALSE(def.label.empty());
    EXPECT_FALSE(def.definition.empty());
    switch (def.unit) {
      case Unit::kCount:
        EXPECT_EQ(def.places, 0);
        EXPECT_TRUE(def.additive);
        break;
      case Unit::kMoney:
        EXPECT_EQ(def.places, 2);
        EXPECT_TRUE(def.additive);
        break;
      case Unit::kRate:
      case Unit::kPoints:
        EXPECT_EQ(def.places, 1);
        EXPECT_FALSE(def.additive);
        break;
      case Unit::kMultiple:
        EXPECT_EQ(def.places, 2);  // "1281 / 729 ≈ 1.76"
        EXPECT_FALSE(def.additive);
        break;
      case Unit::kMonths:
        EXPECT_EQ(def.places, 0);
        break;
    }
  }
  auto def = [](std::string_view id) { return FindIndicator(id).value().def; };
  EXPECT_EQ(def("start_rate")->unit, Unit::kRate);
  EXPECT_EQ(def("yoy_growth")->unit, Unit::kRate);
  EXPECT_EQ(def("schedule_gap_pp")->unit, Unit::kPoints);
  EXPECT_EQ(def("reserve_multiple")->unit, Unit::kMultiple);
  EXPECT_EQ(def("schedule_index")->unit, Unit::kMultiple);
  EXPECT_EQ(def("investment_ytd")->unit, Unit::kMoney);
  EXPECT_EQ(def("negative_growth_streak")->unit, Unit::kMonths);
  EXPECT_FALSE(def("negative_growth_streak")->additive);
  for (std::string_view id : {"late_reports", "stalled", "behind_schedule", "problems_by_kind", "problems_open",
                              "problems_overdue", "unassigned_leader"}) {
    EXPECT_TRUE(def(id)->lists_projects) << id;
  }
  EXPECT_FALSE(def("projects")->lists_projects);
  EXPECT_EQ(def("support_approved")->split, IndicatorSplit::kFundingSource);
  EXPECT_EQ(def("support_arrived")->split, IndicatorSplit::kFundingSource);
  EXPECT_EQ(def("problems_by_kind")->split, IndicatorSplit::kProblemKind);
}

TEST(Catalogue, SplitKeyLabelsNameThePart) {
  auto label = [](std::string_view id) {
    absl::StatusOr<IndicatorRef> ref = FindIndicator(id);
    EXPECT_TRUE(ref.ok()) << id << ": " << ref.status();
    return ref.ok() ? SplitKeyLabel(*ref) : std::string("?");
  };
  EXPECT_EQ(label("support_approved"), "");
  EXPECT_EQ(label("support_approved.central_budget"), "中央预算内");
  EXPECT_EQ(label("problems_by_kind.land"), "用地");
  EXPECT_EQ(label("approvals_done_ytd.feasibility"), "可研批复");
  EXPECT_EQ(label("approvals_pending.环评"), "环评");
  EXPECT_EQ(label("reserve_age.0_6"), "0-6个月");
  EXPECT_EQ(label("reserve_age.12_24"), "12-24个月");
  EXPECT_EQ(label("reserve_age.24_"), "24个月以上");
}

TEST(Catalogue, FindIndicatorAndDottedIds) {
  absl::StatusOr<IndicatorRef> r = FindIndicator("support_approved.central_budget");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->def->id, "support_approved");
  EXPECT_EQ(r->key, static_cast<int>(FundingSource::kCentralBudget));
  EXPECT_EQ(r->id, "support_approved.central_budget");

  r = FindIndicator("problems_by_kind.land");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->def->id, "problems_by_kind");
  EXPECT_EQ(r->key, static_cast<int>(ProblemKind::kLand));

  r = FindIndicator("start_rate");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->key, 0);

  EXPECT_FALSE(FindIndicator("no_such_indicator").ok());
  EXPECT_THAT(std::string(FindIndicator("no_such_indicator").status().message()), HasSubstr("no_such_indicator"));
  EXPECT_FALSE(FindIndicator("support_approved.bank_loan").ok());  // not a higher-level source
  // The error lists the sources IsHigherLevel admits (funding.h), in the table's order.
  EXPECT_THAT(std::string(FindIndicator("support_approved.bank_loan").status().message()),
              HasSubstr("is not a higher-level source (central_budget, special_bond, provincial, municipal, "
                        "policy_finance)"));
  EXPECT_FALSE(FindIndicator("support_approved.nonsense").ok());
  EXPECT_FALSE(FindIndicator("problems_by_kind.nonsense").ok());
  EXPECT_FALSE(FindIndicator("projects.land").ok());  // no parts
  EXPECT_FALSE(FindIndicator("").ok());
}

// ---- lifecycle counts ---------------------------------------------------------------

// All industry, region 610402.
//   L1  new         reserved 2023-06-01, planned 2024-03-01, started 2024-03-10
//   L2  continuing  planned 2022-04-01, started 2022-05-01, completed 2024-09-12
//   L3  continuing  started 2021-01-01, completed 2023-12-20
//   L4  new         reserved 2024-02-01, planned 2024-06-01, not started
//   L5  (unknown)   conceived, planned 2025-03-01
//   L6  new         preliminary, reserved 2023-11-01
//   L7  new         planned 2024-01-15, started 2024-02-01, suspended 2024-07-01
//                   (started and suspended in the same year)
//   L8  new         reserved 2024-01-10, cancelled 2024-04-01 (before as_of)
//   L9  continuing  planned 2024-01-01, started 2024-01-20, cancelled 2024-10-15
//                   (after as_of: still counts at 2024-09-30)
//   L10 new         planned 2024-09-01, started 2024-09-20 (stage column: started)
Ledger LifecycleLedger() {
  Book b;
  auto p = [](std::string code, BuildType bt) {
    return ProjectRecord{.code = code, .region = 610402, .industry = Ind("C36"), .category = Category::kIndustry,
                         .level = Level::kCounty, .build_type = bt};
  };
  ProjectRecord r = p("L1", BuildType::kNew);
  r.planned_start = D(2024, 3, 1);
  r.dates = {.reserved_on = D(2023, 6, 1), .started_on = D(2024, 3, 10)};
  b.Project(r);
  r = p("L2", BuildType::kContinuing);
  r.planned_start = D(2022, 4, 1);
  r.dates = {.started_on = D(2022, 5, 1), .completed_on = D(2024, 9, 12)};
  b.Project(r);
  r = p("L3", BuildType::kContinuing);
  r.dates = {.started_on = D(2021, 1, 1), .completed_on = D(2023, 12, 20)};
  b.Project(r);
  r = p("L4", BuildType::kNew);
  r.planned_start = D(2024, 6, 1);
  r.dates = {.reserved_on = D(2024, 2, 1)};
  b.Project(r);
  r = p("L5", BuildType::kUnknown);
  r.planned_start = D(2025, 3, 1);
  b.Project(r);
  r = p("L6", BuildType::kNew);
  r.stage = Stage::kPreliminary;
  r.dates = {.reserved_on = D(2023, 11, 1)};
  b.Project(r);
  r = p("L7", BuildType::kNew);
  r.planned_start = D(2024, 1, 15);
  r.dates = {.started_on = D(2024, 2, 1), .suspended_on = D(2024, 7, 1)};
  b.Project(r);
  r = p("L8", BuildType::kNew);
  r.dates = {.reserved_on = D(2024, 1, 10), .cancelled_on = D(2024, 4, 1)};
  b.Project(r);
  r = p("L9", BuildType::kContinuing);
  r.planned_start = D(2024, 1, 1);
  r.dates = {.started_on = D(2024, 1, 20), .cancelled_on = D(2024, 10, 15)};
  b.Project(r);
  r = p("L10", BuildType::kNew);
  r.stage = Stage::kStarted;
  r.planned_start = D(2024, 9, 1);
  r.dates = {.started_on = D(2024, 9, 20)};
  b.Project(r);
  return std::move(b).Build();
}

const std::vector<std::string> kLifecycleIds = {
    "projects", "projects_new", "projects_continuing", "reserve", "reserved_ytd", "started", "started_ytd",
    "started_month", "completed", "completed_ytd", "completed_month", "suspended", "cancelled", "start_rate",
    "start_rate_due", "reserve_multiple"};

TEST(Lifecycle, CountsAtEndOfSeptember) {
  const Ledger l = LifecycleLedger();
  Res r(l, Q(D(2024, 9, 30), kLifecycleIds));
  // Alive: all but L8 (cancelled 2024-04-01 <= as_of). L9 is cancelled after as_of.
  EXPECT_EQ(r("projects"), I(9));
  EXPECT_EQ(r("projects_new"), I(5));         // L1 L4 L6 L7 L10 (L8 is cancelled)
  EXPECT_EQ(r("projects_continuing"), I(3));  // L2 L3 L9
  EXPECT_EQ(r("started"), I(6));              // L1 L2 L3 L7 L9 L10
  EXPECT_EQ(r("started_ytd"), I(4));          // L1 L7 L9 L10
  EXPECT_EQ(r("started_month"), I(1));        // L10 (09-20)
  EXPECT_EQ(r("completed"), I(2));            // L2 L3
  EXPECT_EQ(r("completed_ytd"), I(1));        // L2
  EXPECT_EQ(r("completed_month"), I(1));      // L2 (09-12)
  EXPECT_EQ(r("suspended"), I(1));            // L7
  EXPECT_EQ(r("cancelled"), I(1));            // L8 only
  EXPECT_EQ(r("reserve"), I(3));              // L4 L5 L6
  EXPECT_EQ(r("reserved_ytd"), I(1));         // L4 (L8's 2024 reserve date does not count: cancelled)
  EXPECT_EQ(r("start_rate"), R(6, 9));
  EXPECT_EQ(r.Display("start_rate"), "66.7%");
  // planned_start <= as_of: L1 L2 L4 L7 L9 L10; of them started: all but L4.
  EXPECT_EQ(r("start_rate_due"), R(5, 6));
  EXPECT_EQ(r.Display("start_rate_due"), "83.3%");
  EXPECT_EQ(r("reserve_multiple"), R(3, 4));  // reserve 3 / started_ytd 4
  EXPECT_EQ(r.Display("reserve_multiple"), "0.75");
}

TEST(Lifecycle, MidMonthAsOfSeesOnlyEventsUpToTheDay) {
  const Ledger l = LifecycleLedger();
  // 2024-09-15: L10's start (09-20) has not happened; its stage column says started,
  // but the dates decide, so it is still in reserve.
  Res r(l, Q(D(2024, 9, 15), kLifecycleIds));
  EXPECT_EQ(r("projects"), I(9));
  EXPECT_EQ(r("started"), I(5));        // L1 L2 L3 L7 L9
  EXPECT_EQ(r("started_ytd"), I(3));    // L1 L7 L9
  EXPECT_EQ(r("started_month"), I(0));
  EXPECT_EQ(r("completed_month"), I(1));  // L2 on 09-12 <= 09-15
  EXPECT_EQ(r("reserve"), I(4));        // L4 L5 L6 L10
  EXPECT_EQ(r("start_rate"), R(5, 9));
  EXPECT_EQ(r("start_rate_due"), R(4, 6));  // L10 due (09-01) but not started
  EXPECT_EQ(r("reserve_multiple"), R(4, 3));
  EXPECT_EQ(r.Display("reserve_multiple"), "1.33");
}

// --group-by stage puts each project under the stage it had on as_of: the dates up to
// as_of decide, and the stage column stands where no dated event came after as_of.
TEST(Lifecycle, GroupByStageIsTheStageOnAsOf) {
  const Ledger l = LifecycleLedger();
  Query q = Q(D(2024, 9, 15), {"projects", "cancelled"});
  q.group_by = {Dimension::kStage};
  Res r(l, q);
  EXPECT_EQ(r("projects", {"started"}), I(2));      // L1, L9 (cancelled only on 10-15)
  EXPECT_EQ(r("cancelled", {"cancelled"}), I(1));   // L8
  EXPECT_EQ(r("projects", {"completed"}), I(2));    // L2 (09-12), L3
  EXPECT_EQ(r("projects", {"conceived"}), I(2));    // L5, L10 (its start, 09-20, is to come)
  EXPECT_EQ(r("projects", {"reserved"}), I(1));     // L4
  EXPECT_EQ(r("projects", {"preliminary"}), I(1));  // L6: its column, no later event
  EXPECT_EQ(r("projects", {"suspended"}), I(1));    // L7
  q.as_of = D(2024, 10, 31);
  Res later(l, q);
  EXPECT_EQ(later("cancelled", {"cancelled"}), I(2));  // L8, L9
  EXPECT_EQ(later("projects", {"started"}), I(2));     // L1, L10
}

TEST(Lifecycle, CancelledAfterAsOfCountsUntilItsDate) {
  const Ledger l = LifecycleLedger();
  // 2024-10-31: L9 is now cancelled too.
  Res r(l, Q(D(2024, 10, 31), kLifecycleIds));
  EXPECT_EQ(r("projects"), I(8));
  EXPECT_EQ(r("cancelled"), I(2));            // L8 L9
  EXPECT_EQ(r("started"), I(5));              // L1 L2 L3 L7 L10
  EXPECT_EQ(r("started_ytd"), I(3));          // L1 L7 L10
  EXPECT_EQ(r("projects_continuing"), I(2));  // L2 L3
  EXPECT_EQ(r("started_month"), I(0));
  EXPECT_EQ(r("completed_month"), I(0));
}

TEST(Lifecycle, StartedAndSuspendedInTheSameYear) {
  const Ledger l = LifecycleLedger();
  Query q = Q(D(2024, 6, 30), {"started", "started_ytd", "suspended", "reserve"});
  q.filter.codes = {"L7"};
  Res before(l, q);  // suspended 07-01 is after 06-30
  EXPECT_EQ(before("started"), I(1));
  EXPECT_EQ(before("started_ytd"), I(1));
  EXPECT_EQ(before("suspended"), I(0));
  EXPECT_EQ(before("reserve"), I(0));
  q.as_of = D(2024, 7, 1);
  Res after(l, q);
  EXPECT_EQ(after("started"), I(1));  // started and suspended ones are started
  EXPECT_EQ(after("started_ytd"), I(1));
  EXPECT_EQ(after("suspended"), I(1));
  EXPECT_EQ(after("reserve"), I(0));
  q.as_of = D(2024, 1, 31);  // before it started: reserve
  Res earlier(l, q);
  EXPECT_EQ(earlier("started"), I(0));
  EXPECT_EQ(earlier("suspended"), I(0));
  EXPECT_EQ(earlier("reserve"), I(1));
}

TEST(Lifecycle, CancelledBeforeAsOfCountsNowhereElse) {
  const Ledger l = LifecycleLedger();
  Query q = Q(D(2024, 9, 30), AllIds());
  q.filter.codes = {"L8"};
  Res r(l, q);
  for (const IndicatorDef& def : Catalogue()) {
    const Value v = r(def.id);
    if (def.id == "cancelled") {
      EXPECT_EQ(v, I(1));
    } else if (def.id == "schedule") {
      EXPECT_EQ(v, R(9, 12));
    } else if (def.additive || def.id == "negative_growth_streak") {
      EXPECT_EQ(v, I(0)) << def.id;
    } else {
      EXPECT_EQ(v, kNA) << def.id;
    }
  }
  // Before its cancellation it counted (reserved 2024-01-10).
  q.as_of = D(2024, 3, 31);
  q.indicators = {"projects", "reserve", "reserved_ytd", "cancelled"};
  Res early(l, q);
  EXPECT_EQ(early("projects"), I(1));
  EXPECT_EQ(early("reserve"), I(1));
  EXPECT_EQ(early("reserved_ytd"), I(1));
  EXPECT_EQ(early("cancelled"), I(0));
}

// ---- an empty scope, a zero denominator ---------------------------------------------

TEST(EmptyScope, CountsAreZeroAndRatesNotApplicable) {
  const Ledger l = LifecycleLedger();
  Query q = Q(D(2024, 9, 30), AllIds());
  q.indicators.push_back("support_approved.central_budget");
  q.indicators.push_back("problems_by_kind.land");
  q.filter.categories = {Category::kEcology};  // matches nothing
  Res r(l, q);
  ASSERT_EQ(r.rows(), 1u);
  for (const std::string& id : q.indicators) {
    const IndicatorDef* def = FindIndicator(id).value().def;
    const Value v = r(id);
    if (def->id == "schedule") {
      EXPECT_EQ(v, R(3, 4)) << id;  // the calendar's, not the group's
    } else if (def->additive || def->id == "negative_growth_streak") {
      EXPECT_EQ(v, I(0)) << id;
    } else {
      EXPECT_FALSE(v.applicable()) << id;
      EXPECT_EQ(DisplayValue(v, def->unit, def->places), "—") << id;
      EXPECT_EQ(MachineValue(v, def->unit), "") << id;
    }
  }
  EXPECT_EQ(r.Display("start_rate"), "—");
  EXPECT_EQ(r.Display("projects"), "0");
  for (std::string_view id : {"late_reports", "stalled", "problems_open"}) EXPECT_THAT(r.Listed(id), IsEmpty());

  // Grouped: no group rows at all, just the whole scope.
  q.group_by = {Dimension::kCounty};
  Res g(l, q);
  EXPECT_EQ(g.rows(), 1u);
  EXPECT_EQ(g("projects"), I(0));
}

TEST(EmptyScope, ZeroDenominatorInANonEmptyGroup) {
  // Projects exist, but none is due to start and none is signed.
  const Ledger l = LifecycleLedger();
  Query q = Q(D(2024, 9, 30), {"projects", "start_rate_due", "signed_start_rate", "performance_rate",
                              "reserve_multiple", "plan_completion", "yoy_growth"});
  q.filter.codes = {"L5", "L6"};  // L5 planned 2025, L6 no planned start; no starts this year
  Res r(l, q);
  EXPECT_EQ(r("projects"), I(2));
  EXPECT_EQ(r("start_rate_due"), kNA);
  EXPECT_EQ(r("signed_start_rate"), kNA);
  EXPECT_EQ(r("performance_rate"), kNA);
  EXPECT_EQ(r("reserve_multiple"), kNA);  // reserve 2 / started_ytd 0
  EXPECT_EQ(r("plan_completion"), kNA);
  EXPECT_EQ(r("yoy_growth"), kNA);
  EXPECT_EQ(r.Display("reserve_multiple"), "—");
  EXPECT_EQ(r.Display("yoy_growth"), "—");
}

// ---- money, plans, schedule ---------------------------------------------------------

//   M1 610402 total 10000, plan 2024 1200 (projects.csv), plans 2025 500, 2026 300;
//      started 2023-03-01; 2023-03..12: 100 a month; 2024-01..09:
//      100 100 100 100 -20 100 100 100 150 (May is a correction)
//      -> ytd 830, prev_ytd (2023-01..09) 700, to_date 1000 + 830 = 1830, month 150
//   M2 610402 total 5000, plans 2024 800, 2025 1000; started 2024-01-10;
//      2024-01..08: 50 a month, no September row -> ytd 400, month 0, to_date 400
//   M3 610403 reserve, total not known, no plan, no months
//   M4 610403 total 2000, no plan; started 2024-02-01; 2024-02..09: 25 a month, and
//      a 2024-10 row of 1000 (after as_of: counts nowhere) -> ytd 200, month 25
//   M5 610403 total 3000, plan 2024 1000 (plans.csv); started 2024-01-05;
//      2024-01..09: 100 a month -> ytd 900, month 100
// Whole scope: total 20000; annual_plan 3000; month 275; ytd 2330; prev_ytd 700;
// to_date 3330; plan_next_years 500 + 300 + 1000 = 1800.
Ledger MoneyLedger() {
  Book b;
  b.Project({.code = "M1", .region = 610402, .category = Category::kIndustry, .total_investment = W(10000),
             .annual_plan = W(1200), .plan_year = 2024, .dates = {.started_on = D(2023, 3, 1)}});
  b.Invest("M1", Mo(2023, 3), {100, 100, 100, 100, 100, 100, 100, 100, 100, 100});
  b.Invest("M1", Mo(2024, 1), {100, 100, 100, 100, -20, 100, 100, 100, 150});
  b.Plan("M1", 2025, 500);
  b.Plan("M1", 2026, 300);
  b.Project({.code = "M2", .region = 610402, .category = Category::kIndustry, .total_investment = W(5000),
             .dates = {.started_on = D(2024, 1, 10)}});
  b.Invest("M2", Mo(2024, 1), {50, 50, 50, 50, 50, 50, 50, 50});
  b.Plan("M2", 2024, 800);
  b.Plan("M2", 2025, 1000);
  b.Project({.code = "M3", .region = 610403, .category = Category::kUrban, .dates = {.reserved_on = D(2024, 5, 1)}});
  b.Project({.code = "M4", .region = 610403, .category = Category::kUrban, .total_investment = W(2000),
             .dates = {.started_on = D(2024, 2, 1)}});
  b.Invest("M4", Mo(2024, 2), {25, 25, 25, 25, 25, 25, 25, 25, 1000});
  b.Project({.code = "M5", .region = 610403, .category = Category::kUrban, .total_investment = W(3000),
             .dates = {.started_on = D(2024, 1, 5)}});
  b.Invest("M5", Mo(2024, 1), {100, 100, 100, 100, 100, 100, 100, 100, 100});
  b.Plan("M5", 2024, 1000);
  return std::move(b).Build();
}

const std::vector<std::string> kMoneyIds = {
    "total_investment", "annual_plan", "investment_month", "investment_ytd", "investment_prev_ytd",
    "investment_to_date", "plan_completion", "schedule", "schedule_gap_pp", "schedule_index",
    "share", "plan_next_years", "yoy_growth"};

TEST(Money, WholeScope) {
  const Ledger l = MoneyLedger();
  Res r(l, Q(D(2024, 9, 30), kMoneyIds));
  EXPECT_EQ(r("total_investment"), Wan(20000));  // M3's unknown total adds nothing
  EXPECT_EQ(r("annual_plan"), Wan(3000));
  EXPECT_EQ(r("investment_month"), Wan(275));
  EXPECT_EQ(r("investment_ytd"), Wan(2330));
  EXPECT_EQ(r("investment_prev_ytd"), Wan(700));
  EXPECT_EQ(r("investment_to_date"), Wan(3330));
  EXPECT_EQ(r("plan_next_years"), Wan(1800));
  // Projects without a plan still add their investment: 2330 / 3000.
  EXPECT_EQ(r("plan_completion"), R(2330, 3000));
  EXPECT_EQ(r.Display("plan_completion"), "77.7%");
  EXPECT_EQ(r("schedule"), R(3, 4));
  EXPECT_EQ(r.Display("schedule"), "75.0%");
  // (2330/3000 - 3/4) * 100 = 320/12000 * 100 = 8/3 points, ahead of schedule.
  EXPECT_EQ(r("schedule_gap_pp"), R(8, 3));
  EXPECT_EQ(r.Display("schedule_gap_pp"), "2.7");
  // (2330/3000) / (3/4) = 9320 / 9000 = 233/225.
  EXPECT_EQ(r("schedule_index"), R(233, 225));
  EXPECT_EQ(r.Display("schedule_index"), "1.04");
  EXPECT_EQ(r("share"), R(1, 1));
  // 2330 / 700 - 1 = 163/70 = 232.857...%
  EXPECT_EQ(r("yoy_growth"), R(163, 70));
  EXPECT_EQ(r.Display("yoy_growth"), "232.9%");
  EXPECT_EQ(r.Display("investment_ytd"), "2330.00");
  EXPECT_EQ(r.Display("investment_ytd", MoneyUnit::kYi), "0.23");
}

TEST(Money, GroupedByCounty) {
  const Ledger l = MoneyLedger();
  Query q = Q(D(2024, 9, 30), kMoneyIds);
  q.group_by = {Dimension::kCounty};
  Res r(l, q);
  ASSERT_EQ(r.rows(), 3u);
  EXPECT_THAT(r.Keys(), ElementsAre(std::vector<std::string>{"610402"}, std::vector<std::string>{"610403"}));
  const std::vector<std::string> a{"610402"}, b{"610403"};
  // 610402: M1 + M2.
  EXPECT_EQ(r("investment_ytd", a), Wan(1230));
  EXPECT_EQ(r("annual_plan", a), Wan(2000));
  EXPECT_EQ(r("plan_completion", a), R(1230, 2000));  // 61.5%
  EXPECT_EQ(r("schedule_gap_pp", a), R(-27, 2));      // 61.5 - 75 = -13.5: behind
  EXPECT_EQ(DisplayValue(r("schedule_gap_pp", a), Unit::kPoints, 1), "-13.5");
  EXPECT_EQ(r("share", a), R(1230, 2330));            // 52.8%
  EXPECT_EQ(DisplayValue(r("share", a), Unit::kRate, 1), "52.8%");
  EXPECT_EQ(r("plan_next_years", a), Wan(1800));
  // 610403: M3 + M4 + M5.
  EXPECT_EQ(r("investment_ytd", b), Wan(1100));
  EXPECT_EQ(r("annual_plan", b), Wan(1000));
  EXPECT_EQ(r("plan_completion", b), R(11, 10));
  EXPECT_EQ(r("schedule_gap_pp", b), R(35, 1));  // 110 - 75 = +35: ahead
  EXPECT_EQ(r("schedule_index", b), R(22, 15));  // 1.1 / 0.75
  EXPECT_EQ(r("share", b), R(1100, 2330));       // 47.2%
  EXPECT_EQ(DisplayValue(r("share", b), Unit::kRate, 1), "47.2%");
  EXPECT_EQ(r("total_investment", b), Wan(5000));
  EXPECT_EQ(r("investment_prev_ytd", b), Wan(0));
  EXPECT_EQ(r("yoy_growth", b), kNA);  // no prior-year base
  // Shares are of the whole scope; the whole row is last and not a sum of rates.
  EXPECT_EQ(r("plan_completion"), R(2330, 3000));
}

TEST(Money, GroupWithoutPlanHasNoCompletion) {
  const Ledger l = MoneyLedger();
  Query q = Q(D(2024, 9, 30), {"annual_plan", "plan_completion", "schedule_gap_pp", "schedule_index",
                              "investment_ytd"});
  q.filter.codes = {"M3", "M4"};
  Res r(l, q);
  EXPECT_EQ(r("annual_plan"), Wan(0));
  EXPECT_EQ(r("investment_ytd"), Wan(200));
  EXPECT_EQ(r("plan_completion"), kNA);
  EXPECT_EQ(r("schedule_gap_pp"), kNA);
  EXPECT_EQ(r("schedule_index"), kNA);
}

TEST(Money, MidMonthAsOfTakesTheWholeMonth) {
  const Ledger l = MoneyLedger();
  Res r(l, Q(D(2024, 9, 15), kMoneyIds));
  EXPECT_EQ(r("investment_month"), Wan(275));
  EXPECT_EQ(r("investment_ytd"), Wan(2330));
  EXPECT_EQ(r("investment_to_date"), Wan(3330));
  EXPECT_EQ(r("schedule"), R(9, 12));  // months mode: still September
}

TEST(Money, NegativeCorrectionMonth) {
  const Ledger l = MoneyLedger();
  Query q = Q(D(2024, 5, 31), {"investment_month", "investment_ytd", "investment_to_date", "investment_prev_ytd"});
  q.filter.codes = {"M1"};
  Res r(l, q);
  EXPECT_EQ(r("investment_month"), Wan(-20));
  EXPECT_EQ(r.Display("investment_month"), "-20.00");
  EXPECT_EQ(r("investment_ytd"), Wan(380));        // 100 * 4 - 20
  EXPECT_EQ(r("investment_to_date"), Wan(1380));   // 1000 + 380
  EXPECT_EQ(r("investment_prev_ytd"), Wan(300));   // 2023-03..05
}

TEST(Money, PlansAreForTheYearOfAsOf) {
  const Ledger l = MoneyLedger();
  // As of 2023-12-31 no project has a 2023 plan (M1's projects.csv plan is for 2024);
  // every plan is for a later year: M1 1200 + 500 + 300, M2 800 + 1000, M5 1000.
  Res r(l, Q(D(2023, 12, 31), {"annual_plan", "plan_completion", "plan_next_years", "investment_ytd",
                               "investment_prev_ytd", "yoy_growth"}));
  EXPECT_EQ(r("annual_plan"), Wan(0));
  EXPECT_EQ(r("plan_completion"), kNA);
  EXPECT_EQ(r("plan_next_years"), Wan(4800));
  EXPECT_EQ(r("investment_ytd"), Wan(1000));  // M1 2023-03..12
  EXPECT_EQ(r("investment_prev_ytd"), Wan(0));
  EXPECT_EQ(r("yoy_growth"), kNA);
  // As of 2026: M1's 2026 plan is the year's; nothing after it.
  Res later(l, Q(D(2026, 3, 31), {"annual_plan", "plan_next_years"}));
  EXPECT_EQ(later("annual_plan"), Wan(300));
  EXPECT_EQ(later("plan_next_years"), Wan(0));
}

TEST(Money, SizeBandCount) {
  const Ledger l = MoneyLedger();
  Query q = Q(D(2024, 9, 30), {"size_band_count"});
  // Default 500万: M1 10000, M2 5000, M4 2000, M5 3000; M3's total is not known.
  EXPECT_EQ(Res(l, q)("size_band_count"), I(4));
  q.options.size_band_threshold = 5000 * kFenPerWan;  // >= 5000万: M1 M2
  EXPECT_EQ(Res(l, q)("size_band_count"), I(2));
  q.options.size_band_threshold = 10001 * kFenPerWan;
  EXPECT_EQ(Res(l, q)("size_band_count"), I(0));
  q.options.size_band_threshold = 10000 * kFenPerWan;  // exactly 1亿: counted
  EXPECT_EQ(Res(l, q)("size_band_count"), I(1));
}

// ---- schedule modes -----------------------------------------------------------------

TEST(Schedule, Months) {
  const Ledger l = MoneyLedger();
  EXPECT_EQ(Res(l, Q(D(2024, 9, 30), {"schedule"}))("schedule"), R(3, 4));  // end of September = 75%
  EXPECT_EQ(Res(l, Q(D(2024, 1, 3), {"schedule"}))("schedule"), R(1, 12));
  EXPECT_EQ(Res(l, Q(D(2024, 12, 31), {"schedule"}))("schedule"), R(1, 1));
  Res r(l, Q(D(2024, 2, 1), {"schedule"}));
  EXPECT_EQ(r("schedule"), R(2, 12));
  EXPECT_EQ(r.Display("schedule"), "16.7%");
}

TEST(Schedule, Days) {
  const Ledger l = MoneyLedger();
  Query q = Q(D(2024, 9, 30), {"schedule", "schedule_gap_pp"});
  q.options.schedule = ScheduleMode::kDays;
  Res r(l, q);
  // 2024 is a leap year: 31+29+31+30+31+30+31+31+30 = 274th day of 366.
  EXPECT_EQ(r("schedule"), R(274, 366));
  EXPECT_EQ(r.Display("schedule"), "74.9%");
  // (2330/3000 - 274/366) * 100 = (852780 - 822000) * 100 / 1098000 = 2.803...
  EXPECT_EQ(r("schedule_gap_pp"), R(3078000, 1098000));
  EXPECT_EQ(r.Display("schedule_gap_pp"), "2.8");
  q.as_of = D(2024, 9, 15);  // mid-month: the day counts in days mode
  EXPECT_EQ(Res(l, q)("schedule"), R(259, 366));
  q.as_of = D(2023, 12, 31);
  EXPECT_EQ(Res(l, q)("schedule"), R(365, 365));
  q.as_of = D(2023, 1, 1);
  EXPECT_EQ(Res(l, q)("schedule"), R(1, 365));
}

TEST(Schedule, Curve) {
  const Ledger l = MoneyLedger();
  Query q = Q(D(2024, 9, 30), {"schedule", "schedule_gap_pp", "schedule_index"});
  q.options.schedule = ScheduleMode::kCurve;
  // A province that expects 85% by the end of September.
  q.options.curve = {50000, 120000, 200000, 300000, 400000, 500000, 600000, 700000, 850000, 900000, 950000, 1000000};
  Res r(l, q);
  EXPECT_EQ(r("schedule"), R(85, 100));
  EXPECT_EQ(r.Display("schedule"), "85.0%");
  // (2330/3000 - 0.85) * 100 = -7.333...: behind.
  EXPECT_EQ(r("schedule_gap_pp"), R(-22, 3));
  EXPECT_EQ(r.Display("schedule_gap_pp"), "-7.3");
  EXPECT_EQ(r("schedule_index"), R(2330 * 100, 3000 * 85));
  q.as_of = D(2024, 2, 10);
  EXPECT_EQ(Res(l, q)("schedule"), R(12, 100));
}

TEST(Schedule, CurveThatDoesNotReachFullOrFallsIsAnError) {
  const Ledger l = MoneyLedger();
  Query q = Q(D(2024, 9, 30), {"schedule"});
  q.options.schedule = ScheduleMode::kCurve;
  q.options.curve = {50000, 120000, 200000, 300000, 400000, 500000, 600000, 700000, 850000, 900000, 950000, 990000};
  absl::StatusOr<Result> r = Evaluate(l, q);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(ValidateQuery(q).ok());
  EXPECT_FALSE(Aggregation::Start(l, q).ok());
  // Falls in March.
  q.options.curve = {50000, 120000, 100000, 300000, 400000, 500000, 600000, 700000, 850000, 900000, 950000, 1000000};
  EXPECT_FALSE(Evaluate(l, q).ok());
  // The all-zero default curve in curve mode is an error too (0% by December).
  q.options.curve = {};
  EXPECT_FALSE(Evaluate(l, q).ok());
  // The same curve is fine when the mode is not curve.
  q.options.schedule = ScheduleMode::kMonths;
  EXPECT_TRUE(Evaluate(l, q).ok());
}

TEST(Schedule, GapSign) {
  // One project with a plan of 1000 for 2024 and 100 a month: ytd at 2024-09 is 900.
  Book b;
  b.Project({.code = "A", .annual_plan = W(1000), .plan_year = 2024, .dates = {.started_on = D(2024, 1, 1)}});
  b.Invest("A", Mo(2024, 1), {100, 100, 100, 100, 100, 100, 100, 100, 100});
  const Ledger l = std::move(b).Build();
  Query q = Q(D(2024, 9, 30), {"plan_completion", "schedule_gap_pp", "schedule_index"});
  Res ahead(l, q);  // 90% against 75%: +15 points (超序时进度)
  EXPECT_EQ(ahead("schedule_gap_pp"), R(15, 1));
  EXPECT_EQ(ahead.Display("schedule_gap_pp"), "15.0");
  EXPECT_EQ(ahead("schedule_index"), R(6, 5));
  q.options.schedule = ScheduleMode::kCurve;
  q.options.curve = {0, 0, 0, 0, 0, 0, 0, 0, 950000, 1000000, 1000000, 1000000};
  Res behind(l, q);  // 90% against 95%: -5 points (低于序时进度)
  EXPECT_EQ(behind("schedule_gap_pp"), R(-5, 1));
  EXPECT_EQ(behind.Display("schedule_gap_pp"), "-5.0");
  EXPECT_EQ(behind("schedule_index"), R(90, 95));
  q.options.curve = {0, 0, 0, 0, 0, 0, 0, 0, 900000, 1000000, 1000000, 1000000};
  Res even(l, q);
  EXPECT_EQ(even("schedule_gap_pp"), R(0, 1));
  EXPECT_EQ(even.Display("schedule_gap_pp"), "0.0");
  // A curve at 0 for the month: schedule 0, the index is a ratio over zero.
  q.as_of = D(2024, 3, 31);
  Res zero(l, q);
  EXPECT_EQ(zero("schedule_index"), kNA);
  EXPECT_EQ(zero("schedule_gap_pp"), R(30, 1));  // 300/1000 - 0
}

// ---- attracted (招商引资) projects -------------------------------------------------

//   S1 signed 2023-11-01, contracted 10000, start_due 2024-03-31, started 2024-03-15
//      (met); funds 2023-12: 1000, 2024-01..09: 500 a month -> ytd 4500, to date 5500
//   S2 signed 2024-02-10, contracted 6000, start_due 2024-06-30, started 2024-07-20
//      (late: due, not met); funds 2024-03: 600, 2024-08: 400 -> 1000
//   S3 signed 2024-09-05, contracted 4000, start_due 2024-12-31 (not due), not started
//   S4 stage signed but signed_on 2024-10-10 (after as_of): not signed yet -> reserve
//   S5 not attracted, started 2024-01-01, funds 2024-01: 300
//   S6 signed 2022-05-01, contracted 2000, start_due 2022-12-31, started 2022-10-01,
//      completed 2023-12-01
//   S7 signed 2024-01-05, contracted 3000, cancelled 2024-05-01 -> counts nowhere
Ledger AttractedLedger() {
  Book b;
  auto p = [](std::string code, Attracted a) {
    return ProjectRecord{.code = code, .region = 610402, .category = Category::kIndustry, .attracted = a};
  };
  ProjectRecord r = p("S1", Attracted::kYes);
  r.dates = {.signed_on = D(2023, 11, 1), .started_on = D(2024, 3, 15)};
  r.contracted_investment = W(10000);
  r.start_due = D(2024, 3, 31);
  b.Project(r);
  b.Row({.code = "S1", .month = Mo(2023, 12), .funds_arrived = W(1000)});
  for (int m = 1; m <= 9; ++m) b.Row({.code = "S1", .month = Mo(2024, m), .funds_arrived = W(500)});
  r = p("S2", Attracted::kYes);
  r.dates = {.signed_on = D(2024, 2, 10), .started_on = D(2024, 7, 20)};
  r.contracted_investment = W(6000);
  r.start_due = D(2024, 6, 30);
  b.Project(r);
  b.Row({.code = "S2", .month = Mo(2024, 3), .funds_arrived = W(600)});
  b.Row({.code = "S2", .month = Mo(2024, 8), .funds_arrived = W(400)});
  r = p("S3", Attracted::kYes);
  r.dates = {.signed_on = D(2024, 9, 5)};
  r.contracted_investment = W(4000);
  r.start_due = D(2024, 12, 31);
  b.Project(r);
  r = p("S4", Attracted::kYes);
  r.stage = Stage::kSigned;
  r.dates = {.signed_on = D(2024, 10, 10)};
  r.contracted_investment = W(9999);
  r.start_due = D(2024, 6, 30);
  b.Project(r);
  r = p("S5", Attracted::kNo);
  r.dates = {.started_on = D(2024, 1, 1)};
  b.Project(r);
  b.Row({.code = "S5", .month = Mo(2024, 1), .funds_arrived = W(300)});
  r = p("S6", Attracted::kYes);
  r.dates = {.signed_on = D(2022, 5, 1), .started_on = D(2022, 10, 1), .completed_on = D(2023, 12, 1)};
  r.contracted_investment = W(2000);
  r.start_due = D(2022, 12, 31);
  b.Project(r);
  r = p("S7", Attracted::kYes);
  r.dates = {.signed_on = D(2024, 1, 5), .cancelled_on = D(2024, 5, 1)};
  r.contracted_investment = W(3000);
  r.start_due = D(2024, 3, 1);
  b.Project(r);
  return std::move(b).Build();
}

TEST(Attracted, SignedProjectsAndPerformance) {
  const Ledger l = AttractedLedger();
  Res r(l, Q(D(2024, 9, 30), {"signed", "signed_ytd", "signed_month", "contracted_investment", "signed_started",
                              "signed_start_rate", "performance_due", "performance_rate", "funds_arrived_ytd",
                              "funds_arrival_rate", "reserve", "projects"}));
  EXPECT_EQ(r("projects"), I(6));  // S7 cancelled
  EXPECT_EQ(r("signed"), I(4));    // S1 S2 S3 S6
  EXPECT_EQ(r("signed_ytd"), I(2));    // S2 S3
  EXPECT_EQ(r("signed_month"), I(1));  // S3
  EXPECT_EQ(r("contracted_investment"), Wan(22000));  // 10000 + 6000 + 4000 + 2000
  EXPECT_EQ(r("signed_started"), I(3));               // S1 S2 S6
  EXPECT_EQ(r("signed_start_rate"), R(3, 4));
  EXPECT_EQ(r.Display("signed_start_rate"), "75.0%");
  EXPECT_EQ(r("performance_due"), I(3));  // S1 S2 S6 (S3 due 12-31; S4 not signed)
  EXPECT_EQ(r("performance_rate"), R(2, 3));  // S1 and S6 started by their due date
  EXPECT_EQ(r.Display("performance_rate"), "66.7%");
  // All projects' funds over ytd: S1 4500 + S2 1000 + S5 300.
  EXPECT_EQ(r("funds_arrived_ytd"), Wan(5800));
  // Signed projects' funds to date (S1 5500 + S2 1000) / their contracts 22000.
  EXPECT_EQ(r("funds_arrival_rate"), R(6500, 22000));
  EXPECT_EQ(r.Display("funds_arrival_rate"), "29.5%");
  EXPECT_EQ(r("reserve"), I(1));  // S4: a signed project has left reserve, S3 has
}

TEST(Attracted, EarlierAsOf) {
  const Ledger l = AttractedLedger();
  // 2024-03-31: S1 signed (started 03-15, due 03-31: met), S2 signed (due 06-30 not yet),
  // S6 signed; S7 signed 01-05, due 03-01, not started: due and not met (cancelled later).
  Res r(l, Q(D(2024, 3, 31), {"signed", "signed_ytd", "signed_started", "performance_due", "performance_rate",
                              "contracted_investment", "funds_arrived_ytd", "funds_arrival_rate"}));
  EXPECT_EQ(r("signed"), I(4));       // S1 S2 S6 S7
  EXPECT_EQ(r("signed_ytd"), I(2));   // S2 S7
  EXPECT_EQ(r("signed_started"), I(2));  // S1 S6
  EXPECT_EQ(r("performance_due"), I(3));  // S1 S6 S7
  EXPECT_EQ(r("performance_rate"), R(2, 3));
  EXPECT_EQ(r("contracted_investment"), Wan(21000));  // 10000 + 6000 + 2000 + 3000
  EXPECT_EQ(r("funds_arrived_ytd"), Wan(2400));       // S1 1500 + S2 600 + S5 300
  EXPECT_EQ(r("funds_arrival_rate"), R(2500 + 600, 21000));  // S1 1000 + 1500, S2 600
}

// ---- funding from higher levels (向上争取) ------------------------------------------

//   F1: 2024 central_budget approved 500 arrived 300; 2024 special_bond 1000 / 1000;
//       2024 bank_loan 2000 / 2000 (not a higher level); 2023 central_budget 400.
//   F2: 2024 provincial approved 0 arrived 0 (not supported); 2024 self_raised 800;
//       2023 special_bond 600 / 600.
//   F3: 2024 municipal 200 / 50 and a second batch 100 / (empty);
//       2025 central_budget 999 (a later year).
//   F4: cancelled 2024-03-01; 2024 central_budget 700 -> not counted.
//   F5: 2024 policy_finance 300 / 300; 2024 central_budget approved (empty) arrived 100.
Ledger FundingLedger() {
  Book b;
  for (const char* code : {"F1", "F2", "F3", "F5"}) {
    b.Project({.code = code, .region = 610402, .dates = {.started_on = D(2023, 1, 1)}});
  }
  b.Project({.code = "F4", .region = 610402, .dates = {.reserved_on = D(2023, 1, 1), .cancelled_on = D(2024, 3, 1)}});
  using S = FundingSource;
  auto f = [](std::string code, int year, S s, std::optional<Money> approved, std::optional<Money> arrived) {
    return FundingRecord{.code = code, .year = year, .source = s, .approved = approved, .arrived = arrived};
  };
  b.Funding(f("F1", 2024, S::kCentralBudget, W(500), W(300)));
  b.Funding(f("F1", 2024, S::kSpecialBond, W(1000), W(1000)));
  b.Funding(f("F1", 2024, S::kBankLoan, W(2000), W(2000)));
  b.Funding(f("F1", 2023, S::kCentralBudget, W(400), std::nullopt));
  b.Funding(f("F2", 2024, S::kProvincial, W(0), W(0)));
  b.Funding(f("F2", 2024, S::kSelfRaised, W(800), W(800)));
  b.Funding(f("F2", 2023, S::kSpecialBond, W(600), W(600)));
  b.Funding(f("F3", 2024, S::kMunicipal, W(200), W(50)));
  b.Funding(f("F3", 2024, S::kMunicipal, W(100), std::nullopt));
  b.Funding(f("F3", 2025, S::kCentralBudget, W(999), std::nullopt));
  b.Funding(f("F4", 2024, S::kCentralBudget, W(700), W(700)));
  b.Funding(f("F5", 2024, S::kPolicyFinance, W(300), W(300)));
  b.Funding(f("F5", 2024, S::kCentralBudget, std::nullopt, W(100)));
  return std::move(b).Build();
}

TEST(Funding, SupportAndItsSplitBySource) {
  const Ledger l = FundingLedger();
  Res r(l, Q(D(2024, 9, 30),
             {"supported_projects", "support_approved", "support_arrived", "support_approved.central_budget",
              "support_approved.special_bond", "support_approved.provincial", "support_approved.municipal",
              "support_approved.policy_finance", "support_arrived.central_budget", "support_arrived.municipal",
              "support_growth"}));
  EXPECT_EQ(r("supported_projects"), I(3));  // F1 F3 F5 (F2's provincial approval is 0)
  EXPECT_EQ(r("support_approved"), Wan(2100));  // F1 1500 + F3 300 + F5 300
  EXPECT_EQ(r("support_approved.central_budget"), Wan(500));
  EXPECT_EQ(r("support_approved.special_bond"), Wan(1000));
  EXPECT_EQ(r("support_approved.provincial"), Wan(0));
  EXPECT_EQ(r("support_approved.municipal"), Wan(300));
  EXPECT_EQ(r("support_approved.policy_finance"), Wan(300));
  EXPECT_EQ(r("support_arrived"), Wan(1750));  // F1 1300 + F3 50 + F5 400
  EXPECT_EQ(r("support_arrived.central_budget"), Wan(400));  // F1 300 + F5 100
  EXPECT_EQ(r("support_arrived.municipal"), Wan(50));
  // 2100 / (2023: F1 400 + F2 600) - 1 = 1.1
  EXPECT_EQ(r("support_growth"), R(11, 10));
  EXPECT_EQ(r.Display("support_growth"), "110.0%");
}

TEST(Funding, NoPriorYearSupport) {
  const Ledger l = FundingLedger();
  // 2025: F3's central_budget 999; 2024 had 2100 (F4 is cancelled by then).
  Res r(l, Q(D(2025, 6, 30), {"supported_projects", "support_approved", "support_growth"}));
  EXPECT_EQ(r("supported_projects"), I(1));
  EXPECT_EQ(r("support_approved"), Wan(999));
  EXPECT_EQ(r("support_growth"), R(999 - 2100, 2100));
  // 2023: base year 2022 has nothing -> not applicable.
  Res r2(l, Q(D(2023, 6, 30), {"support_approved", "support_growth"}));
  EXPECT_EQ(r2("support_approved"), Wan(1000));
  EXPECT_EQ(r2("support_growth"), kNA);
}

// ---- growth and the comparable base ------------------------------------------------

//   Y1 610402 industry: 2023-01..09 100 a month (prev 900), 2024-01..09 110 (ytd 990)
//   Y2 610403 urban:    2023-01..09  50 a month (prev 450), 2024-01..09  40 (ytd 360)
//   Y3 610502 livelihood: 2024-01..09 10 a month (ytd 90), nothing in 2023
// baseline.csv (2024-09): all 1250; region 610402 1100; category industry 825;
//   and an all base for 2024-08 (999), which a September query must not use.
Ledger GrowthLedger(bool with_baseline) {
  Book b;
  b.Project({.code = "Y1", .region = 610402, .category = Category::kIndustry, .dates = {.started_on = D(2022, 1, 1)}});
  b.Invest("Y1", Mo(2023, 1), {100, 100, 100, 100, 100, 100, 100, 100, 100});
  b.Invest("Y1", Mo(2024, 1), {110, 110, 110, 110, 110, 110, 110, 110, 110});
  b.Project({.code = "Y2", .region = 610403, .category = Category::kUrban, .dates = {.started_on = D(2022, 1, 1)}});
  b.Invest("Y2", Mo(2023, 1), {50, 50, 50, 50, 50, 50, 50, 50, 50});
  b.Invest("Y2", Mo(2024, 1), {40, 40, 40, 40, 40, 40, 40, 40, 40});
  b.Project({.code = "Y3", .region = 610502, .category = Category::kLivelihood, .dates = {.started_on = D(2024, 1, 1)}});
  b.Invest("Y3", Mo(2024, 1), {10, 10, 10, 10, 10, 10, 10, 10, 10});
  if (with_baseline) {
    b.Base(Mo(2024, 8), "all", "", 999);
    b.Base(Mo(2024, 9), "all", "", 1250);
    b.Base(Mo(2024, 9), "region", "610402", 1100);
    b.Base(Mo(2024, 9), "category", "industry", 825);
  }
  return std::move(b).Build();
}

TEST(Growth, WithoutBaseline) {
  const Ledger l = GrowthLedger(false);
  Res r(l, Q(D(2024, 9, 30), {"yoy_growth", "investment_ytd", "investment_prev_ytd"}));
  EXPECT_EQ(r("investment_ytd"), Wan(1440));
  EXPECT_EQ(r("investment_prev_ytd"), Wan(1350));
  EXPECT_EQ(r("yoy_growth"), R(90, 1350));  // 1440 / 1350 - 1 = 6.67%
  EXPECT_EQ(r.Display("yoy_growth"), "6.7%");
}

TEST(Growth, ComparableBaseForTheWholeScope) {
  const Ledger l = GrowthLedger(true);
  Query q = Q(D(2024, 9, 30), {"yoy_growth", "investment_prev_ytd"});
  Res r(l, q);
  EXPECT_EQ(r("yoy_growth"), R(190, 1250));  // 1440 / 1250 - 1 = 15.2%
  EXPECT_EQ(r.Display("yoy_growth"), "15.2%");
  EXPECT_EQ(r("investment_prev_ytd"), Wan(1350));  // the figure itself is not revised
  // Mid-month takes September's base too.
  q.as_of = D(2024, 9, 10);
  EXPECT_EQ(Res(l, q)("yoy_growth"), R(190, 1250));
  // use_baseline = false: always investment_prev_ytd.
  q.options.use_baseline = false;
  EXPECT_EQ(Res(l, q)("yoy_growth"), R(90, 1350));
  // August: the August base (999) against ytd 1280.
  q.options.use_baseline = true;
  q.as_of = D(2024, 8, 31);
  EXPECT_EQ(Res(l, q)("yoy_growth"), R(1280 - 999, 999));
  // July: no base for July -> prev_ytd (Y1 700 + Y2 350 = 1050) against 770 + 280 + 70.
  q.as_of = D(2024, 7, 31);
  EXPECT_EQ(Res(l, q)("yoy_growth"), R(1120 - 1050, 1050));
}

TEST(Growth, RegionBaseForACountyRow) {
  const Ledger l = GrowthLedger(true);
  Query q = Q(D(2024, 9, 30), {"yoy_growth"});
  q.group_by = {Dimension::kCounty};
  Res r(l, q);
  EXPECT_EQ(r("yoy_growth", {"610402"}), R(990 - 1100, 1100));  // -10.0% against the region base
  EXPECT_EQ(DisplayValue(r("yoy_growth", {"610402"}), Unit::kRate, 1), "-10.0%");
  EXPECT_EQ(r("yoy_growth", {"610403"}), R(360 - 450, 450));  // no base: -20.0% against prev_ytd
  EXPECT_EQ(r("yoy_growth", {"610502"}), kNA);                // no base at all
  EXPECT_EQ(r("yoy_growth"), R(190, 1250));                   // whole scope: the all base

  q.group_by = {Dimension::kCategory};
  Res c(l, q);
  EXPECT_EQ(c("yoy_growth", {"industry"}), R(990 - 825, 825));  // +20%
  EXPECT_EQ(c("yoy_growth", {"urban"}), R(-90, 450));
  EXPECT_EQ(c("yoy_growth", {"livelihood"}), kNA);

  // A filter that is one region is that region's report: its whole scope takes the
  // region's base, as its row in the county table does; a county row under a filter
  // containing it too. A row only partly in the filter, or another filter: no base.
  Query one = q;
  one.filter.region_prefixes = {"610402"};
  one.group_by = {};
  EXPECT_EQ(Res(l, one)("yoy_growth"), R(990 - 1100, 1100));
  one.filter.region_prefixes = {"6104"};
  one.group_by = {Dimension::kCounty};
  Res within(l, one);
  EXPECT_EQ(within("yoy_growth", {"610402"}), R(990 - 1100, 1100));
  EXPECT_EQ(within("yoy_growth"), R(990 + 360 - 1350, 1350));  // no 6104 base: prev_ytd
  one.filter.region_prefixes = {"610402", "610403"};
  one.group_by = {};
  EXPECT_EQ(Res(l, one)("yoy_growth"), R(990 + 360 - 1350, 1350));
  one.filter.region_prefixes = {"610402"};
  one.filter.categories = {Category::kIndustry};
  EXPECT_EQ(Res(l, one)("yoy_growth"), R(90, 900));

  // Two dimensions: no single-dimension base matches a row.
  q.group_by = {Dimension::kCounty, Dimension::kCategory};
  Res two(l, q);
  EXPECT_EQ(two("yoy_growth", {"610402", "industry"}), R(90, 900));
  EXPECT_EQ(two("yoy_growth"), R(190, 1250));

  q.options.use_baseline = false;
  q.group_by = {Dimension::kCounty};
  Res off(l, q);
  EXPECT_EQ(off("yoy_growth", {"610402"}), R(90, 900));
}

TEST(Growth, FilteredScopeDoesNotTakeTheWholeLedgersBase) {
  // The 'all' base is the comparable base of the whole ledger. A scope narrowed by a
  // filter (urban projects only) is not that population, so no base "matches the
  // row" and growth falls back to investment_prev_ytd: 360 / 450 - 1 = -20%. Taking
  // the all base would give 360 / 1250 - 1 = -71.2%.
  const Ledger l = GrowthLedger(true);
  Query q = Q(D(2024, 9, 30), {"yoy_growth"});
  q.filter.categories = {Category::kUrban};
  EXPECT_EQ(Res(l, q)("yoy_growth"), R(-90, 450));
}

// One project, so the streak is easy to follow.
//   2022: 100 a month. 2023: Jan..Oct 100, Nov 50, Dec 50.
//   2024: Jan 150, Feb 10, Mar..Sep see below.
// ytd growth: 2023-01..10: 0 (not negative); 2023-11: 1050 vs 1100 < 0;
//   2023-12: 1100 vs 1200 < 0; 2024-01: 150 vs 100 > 0 (but January is skipped);
//   2024-02: 160 vs 200 < 0.
TEST(Growth, StreakSkipsJanuary) {
  Book b;
  b.Project({.code = "N1", .dates = {.started_on = D(2021, 1, 1)}});
  b.Invest("N1", Mo(2022, 1), {100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100});
  b.Invest("N1", Mo(2023, 1), {100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 50, 50});
  b.Invest("N1", Mo(2024, 1), {150, 10});
  const Ledger l = std::move(b).Build();
  // Feb 2024 (1), January skipped (neither counted nor a break), Dec 2023 (2),
  // Nov 2023 (3), Oct 2023 growth 0 ends it.
  EXPECT_EQ(Res(l, Q(D(2024, 2, 29), {"negative_growth_streak"}))("negative_growth_streak"), I(3));
  // As of January: the walk starts at December of the year before.
  EXPECT_EQ(Res(l, Q(D(2024, 1, 31), {"negative_growth_streak"}))("negative_growth_streak"), I(2));
  EXPECT_EQ(Res(l, Q(D(2023, 12, 31), {"negative_growth_streak"}))("negative_growth_streak"), I(2));
  EXPECT_EQ(Res(l, Q(D(2023, 10, 31), {"negative_growth_streak"}))("negative_growth_streak"), I(0));
  Res r(l, Q(D(2024, 2, 29), {"negative_growth_streak"}));
  EXPECT_EQ(r.Display("negative_growth_streak"), "3");
}

TEST(Growth, StreakEndsAtANonNegativeMonth) {
  Book b;
  b.Project({.code = "N2", .dates = {.started_on = D(2022, 1, 1)}});
  b.Invest("N2", Mo(2023, 1), {100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100});
  // ytd: Feb 350 vs 200 +, Mar 400 vs 300 +, Apr 450 vs 400 +, May 500 vs 500 0,
  // Jun 550 vs 600 -, Jul 600 vs 700 -, Aug 650 vs 800 -, Sep 700 vs 900 -.
  b.Invest("N2", Mo(2024, 1), {50, 300, 50, 50, 50, 50, 50, 50, 50});
  const Ledger l = std::move(b).Build();
  EXPECT_EQ(Res(l, Q(D(2024, 9, 30), {"negative_growth_streak"}))("negative_growth_streak"), I(4));
  EXPECT_EQ(Res(l, Q(D(2024, 6, 15), {"negative_growth_streak"}))("negative_growth_streak"), I(1));
  EXPECT_EQ(Res(l, Q(D(2024, 5, 31), {"negative_growth_streak"}))("negative_growth_streak"), I(0));
  // A comparable base does not change the streak (it is against investment_prev_ytd).
}

// ---- warnings ----------------------------------------------------------------------

//  #  code cat          total  leader start       months (万元)                        plan 2024
//  0  W1   industry     12000  -      2024-01-10  Jan..Sep 100; Sep filed 10-20,        1000
//                                                 cites land+funds
//  1  W2   industry      9999  -      2024-01-10  Jan..Aug 100; no September row           -
//  2  W3   industry     20000  李四   2024-01-10  Jan..Sep 100; Sep filed 10-22,           -
//                                                 cites land
//  3  W4   industry     10000  -      2024-01-10  Jan..Jun 100, Jul..Sep 0; Aug cites     1000
//                                                 approval
//  4  W5   agriculture   2500  -      2024-01-10  Jan..Jun 100, Jul -50, Aug 0, Sep 0       700
//  5  W6   agriculture   3500  -      2024-08-15  Aug 0, Sep 0                               -
//  6  W7   industry        ?   -      2024-02-01, suspended 2024-06-01; Feb..May 100         -
//  7  W8   industry        ?   -      2024-01-10, completed 2024-08-31; Jan..Aug 100         -
//  8  W9   industry     15000  -      reserve                                                -
//  9  W10  industry     20000  -      2024-01-10, cancelled 2024-09-20; Jan..Aug 100         -
// 10  W11  industry        ?   王五   2024-01-10  Jan..Aug 150, Sep 100 (ytd 1300);       2000
//                                                 Sep filed 10-05
// W1..W5 are in 610402, W6..W11 in 610403.
Ledger WarningsLedger() {
  Book b;
  auto p = [](std::string code, int32_t region, Category cat, std::optional<int64_t> total_wan,
              std::string leader) {
    ProjectRecord r{.code = code, .region = region, .category = cat, .leader = leader};
    if (total_wan) r.total_investment = W(*total_wan);
    r.dates.started_on = D(2024, 1, 10);
    return r;
  };
  auto months = [&](std::string_view code, Month first, const std::vector<int64_t>& wan) {
    Month m = first;
    for (int64_t w : wan) {
      b.Row({.code = code, .month = m, .investment = W(w)});
      m = m + 1;
    }
  };

  b.Project(p("W1", 610402, Category::kIndustry, 12000, ""));
  months("W1", Mo(2024, 1), {100, 100, 100, 100, 100, 100, 100, 100});
  b.Row({.code = "W1", .month = Mo(2024, 9), .investment = W(100),
         .problems = static_cast<ProblemSet>(ProblemBit(ProblemKind::kLand) | ProblemBit(ProblemKind::kFunds)),
         .reported_on = D(2024, 10, 20)});
  b.Plan("W1", 2024, 1000);

  b.Project(p("W2", 610402, Category::kIndustry, 9999, ""));
  months("W2", Mo(2024, 1), {100, 100, 100, 100, 100, 100, 100, 100});

  b.Project(p("W3", 610402, Category::kIndustry, 20000, "李四"));
  months("W3", Mo(2024, 1), {100, 100, 100, 100, 100, 100, 100, 100});
  b.Row({.code = "W3", .month = Mo(2024, 9), .investment = W(100), .problems = ProblemBit(ProblemKind::kLand),
         .reported_on = D(2024, 10, 22)});

  b.Project(p("W4", 610402, Category::kIndustry, 10000, ""));
  months("W4", Mo(2024, 1), {100, 100, 100, 100, 100, 100, 0});
  b.Row({.code = "W4", .month = Mo(2024, 8), .investment = W(0), .problems = ProblemBit(ProblemKind::kApproval)});
  b.Row({.code = "W4", .month = Mo(2024, 9), .investment = W(0)});
  b.Plan("W4", 2024, 1000);

  b.Project(p("W5", 610402, Category::kAgriculture, 2500, ""));
  months("W5", Mo(2024, 1), {100, 100, 100, 100, 100, 100, -50, 0, 0});
  b.Plan("W5", 2024, 700);

  ProjectRecord r = p("W6", 610403, Category::kAgriculture, 3500, "");
  r.dates.started_on = D(2024, 8, 15);
  b.Project(r);
  months("W6", Mo(2024, 8), {0, 0});

  r = p("W7", 610403, Category::kIndustry, std::nullopt, "");
  r.dates = {.started_on = D(2024, 2, 1), .suspended_on = D(2024, 6, 1)};
  b.Project(r);
  months("W7", Mo(2024, 2), {100, 100, 100, 100});

  r = p("W8", 610403, Category::kIndustry, std::nullopt, "");
  r.dates.completed_on = D(2024, 8, 31);
  b.Project(r);
  months("W8", Mo(2024, 1), {100, 100, 100, 100, 100, 100, 100, 100});

  r = p("W9", 610403, Category::kIndustry, 15000, "");
  r.dates = {.reserved_on = D(2024, 1, 1)};
  b.Project(r);

  r = p("W10", 610403, Category::kIndustry, 20000, "");
  r.dates.cancelled_on = D(2024, 9, 20);
  b.Project(r);
  months("W10", Mo(2024, 1), {100, 100, 100, 100, 100, 100, 100, 100});

  b.Project(p("W11", 610403, Category::kIndustry, std::nullopt, "王五"));
  months("W11", Mo(2024, 1), {150, 150, 150, 150, 150, 150, 150, 150});
  b.Row({.code = "W11", .month = Mo(2024, 9), .investment = W(100), .reported_on = D(2024, 10, 5)});
  b.Plan("W11", 2024, 2000);

  // problems.csv
  auto pr = [](std::string code, std::string id, ProblemKind k, Date raised, std::optional<Date> due,
               std::optional<Date> resolved) {
    return ProblemRecord{.code = code, .id = id, .kind = k, .description = "问题" + id, .raised_on = raised,
                         .due = due, .resolved_on = resolved};
  };
  b.Problem(pr("W1", "P-1", ProblemKind::kLand, D(2024, 3, 1), D(2024, 6, 30), std::nullopt));      // open, overdue
  b.Problem(pr("W1", "P-2", ProblemKind::kFunds, D(2024, 4, 1), std::nullopt, D(2024, 5, 1)));      // resolved
  b.Problem(pr("W1", "P-3", ProblemKind::kApproval, D(2024, 9, 1), D(2024, 12, 31), std::nullopt));  // open
  b.Problem(pr("W2", "P-4", ProblemKind::kLand, D(2024, 10, 5), std::nullopt, std::nullopt));       // after as_of
  b.Problem(pr("W2", "P-5", ProblemKind::kEnergy, D(2024, 2, 1), D(2024, 9, 30), D(2024, 10, 10)));  // open; due == as_of
  b.Problem(pr("W10", "P-6", ProblemKind::kOther, D(2024, 1, 1), D(2024, 2, 1), std::nullopt));     // cancelled project
  return std::move(b).Build();
}

TEST(Warnings, LateReportsWithConfigurableDeadline) {
  const Ledger l = WarningsLedger();
  Query q = Q(D(2024, 9, 30), {"late_reports"});
  // Under way: W1 W2 W3 W4 W5 W6 W11 (W7 suspended, W8 completed, W9 not started,
  // W10 cancelled). W2 has no September row; W3 filed on 10-22; W1 on the 20th is
  // on time; rows without reported_on are on time.
  Res r(l, q);
  EXPECT_EQ(r("late_reports"), I(2));
  EXPECT_THAT(r.Listed("late_reports"), ElementsAre("W2", "W3"));
  // ResultRow::projects holds project numbers (order of addition: W2 is 1, W3 is 2).
  EXPECT_EQ(l.FindProject("W2"), 1u);
  EXPECT_THAT(r.result().total().projects[0], ElementsAre(1u, 2u));
  q.options.report_deadline_day = 25;
  Res r25(l, q);
  EXPECT_EQ(r25("late_reports"), I(1));
  EXPECT_THAT(r25.Listed("late_reports"), ElementsAre("W2"));
  q.options.report_deadline_day = 19;  // W1's filing on the 20th is now late
  Res r19(l, q);
  EXPECT_THAT(r19.Listed("late_reports"), ElementsAre("W1", "W2", "W3"));
  EXPECT_EQ(r19("late_reports"), I(3));
  // A mid-month as_of checks the same month; W10 (cancelled 09-20) is still under
  // way on 09-15 and has no September row.
  q.options.report_deadline_day = 20;
  q.as_of = D(2024, 9, 15);
  Res mid(l, q);
  EXPECT_THAT(mid.Listed("late_reports"), ElementsAre("W2", "W3", "W10"));
  // Grouped: each county lists its own.
  q.as_of = D(2024, 9, 30);
  q.group_by = {Dimension::kCounty};
  Res g(l, q);
  EXPECT_EQ(g("late_reports", {"610402"}), I(2));
  EXPECT_THAT(g.Listed("late_reports", {"610402"}), ElementsAre("W2", "W3"));
  EXPECT_EQ(g("late_reports", {"610403"}), I(0));
  EXPECT_THAT(g.Listed("late_reports", {"610403"}), IsEmpty());
  // Bad deadline days.
  q.options.report_deadline_day = 0;
  EXPECT_FALSE(Evaluate(l, q).ok());
  q.options.report_deadline_day = 32;
  EXPECT_FALSE(Evaluate(l, q).ok());
}

TEST(Warnings, DeadlineBeyondTheEndOfTheNextMonth) {
  // A deadline of the 31st for January's reports falls in February 2024 (29 days):
  // it is the last day of February.
  Book b;
  for (const char* code : {"J1", "J2"}) b.Project({.code = code, .dates = {.started_on = D(2023, 12, 1)}});
  b.Row({.code = "J1", .month = Mo(2024, 1), .investment = W(1), .reported_on = D(2024, 2, 29)});
  b.Row({.code = "J2", .month = Mo(2024, 1), .investment = W(1), .reported_on = D(2024, 3, 1)});
  // J3 reported December and February but not January: a slot with no row.
  b.Project({.code = "J3", .dates = {.started_on = D(2023, 12, 1)}});
  b.Row({.code = "J3", .month = Mo(2023, 12), .investment = W(1)});
  b.Row({.code = "J3", .month = Mo(2024, 2), .investment = W(1)});
  const Ledger l = std::move(b).Build();
  Query q = Q(D(2024, 1, 31), {"late_reports"});
  q.options.report_deadline_day = 31;
  EXPECT_THAT(Res(l, q).Listed("late_reports"), ElementsAre("J2", "J3"));
  q.options.report_deadline_day = 20;
  EXPECT_THAT(Res(l, q).Listed("late_reports"), ElementsAre("J1", "J2", "J3"));
  // February: J3 has its row (no filing date: on time); J1 and J2 have none.
  q.as_of = D(2024, 2, 29);
  EXPECT_THAT(Res(l, q).Listed("late_reports"), ElementsAre("J1", "J2"));
}

TEST(Warnings, StalledWithConfigurableWindow) {
  const Ledger l = WarningsLedger();
  Query q = Q(D(2024, 9, 30), {"stalled"});
  // N = 3 (Jul..Sep, started before 07-01): W4 (0 0 0), W5 (-50 0 0), and W7
  // (suspended). W6 started inside the window; W2 invested 100 in July.
  Res r(l, q);
  EXPECT_EQ(r("stalled"), I(3));
  EXPECT_THAT(r.Listed("stalled"), ElementsAre("W4", "W5", "W7"));
  q.options.stalled_months = 4;  // Jun..Sep: W4 and W5 invested in June
  Res r4(l, q);
  EXPECT_THAT(r4.Listed("stalled"), ElementsAre("W7"));
  EXPECT_EQ(r4("stalled"), I(1));
  q.options.stalled_months = 2;  // Aug..Sep, started before 08-01: W6 (08-15) is not
  Res r2(l, q);
  EXPECT_THAT(r2.Listed("stalled"), ElementsAre("W4", "W5", "W7"));
  q.options.stalled_months = 1;  // Sep only: W2 (no row: nothing invested) and W6 too
  Res r1(l, q);
  EXPECT_THAT(r1.Listed("stalled"), ElementsAre("W2", "W4", "W5", "W6", "W7"));
  EXPECT_EQ(r1("stalled"), I(5));
  q.options.stalled_months = 0;
  EXPECT_FALSE(Evaluate(l, q).ok());
  // Grouped by county.
  q.options.stalled_months = 3;
  q.group_by = {Dimension::kCounty};
  Res g(l, q);
  EXPECT_THAT(g.Listed("stalled", {"610402"}), ElementsAre("W4", "W5"));
  EXPECT_THAT(g.Listed("stalled", {"610403"}), ElementsAre("W7"));
  EXPECT_EQ(g("stalled", {"610403"}), I(1));
}

TEST(Warnings, BehindScheduleWithConfigurableThreshold) {
  const Ledger l = WarningsLedger();
  Query q = Q(D(2024, 9, 30), {"behind_schedule"});
  // Schedule 75%. With a plan: W1 900/1000 = 90%, W4 600/1000 = 60% (15 points
  // behind), W5 550/700 = 78.6%, W11 1300/2000 = 65% (exactly 10 points behind: not
  // "more than" 10).
  Res r(l, q);
  EXPECT_EQ(r("behind_schedule"), I(1));
  EXPECT_THAT(r.Listed("behind_schedule"), ElementsAre("W4"));
  q.options.behind_centipoints = 999;  // 9.99 points
  Res r999(l, q);
  EXPECT_THAT(r999.Listed("behind_schedule"), ElementsAre("W4", "W11"));
  EXPECT_EQ(r999("behind_schedule"), I(2));
  q.options.behind_centipoints = 1500;  // W4 is exactly 15 behind
  EXPECT_EQ(Res(l, q)("behind_schedule"), I(0));
  q.options.behind_centipoints = 1499;
  EXPECT_THAT(Res(l, q).Listed("behind_schedule"), ElementsAre("W4"));
  q.options.behind_centipoints = 0;  // anything below schedule
  EXPECT_THAT(Res(l, q).Listed("behind_schedule"), ElementsAre("W4", "W11"));
  q.options.behind_centipoints = -1;
  EXPECT_FALSE(Evaluate(l, q).ok());
  // A curve that expects 95% by September: W1 (90%) and W5 (78.6%) fall behind too.
  q.options.behind_centipoints = 1000;
  q.options.schedule = ScheduleMode::kCurve;
  q.options.curve = {0, 0, 0, 0, 0, 0, 0, 0, 950000, 1000000, 1000000, 1000000};
  // 95 - 90 = 5 (no), 95 - 60 = 35, 95 - 78.57 = 16.4, 95 - 65 = 30.
  EXPECT_THAT(Res(l, q).Listed("behind_schedule"), ElementsAre("W4", "W5", "W11"));
}

TEST(Warnings, ProblemsByKindAndItsDottedIds) {
  const Ledger l = WarningsLedger();
  Query q = Q(D(2024, 9, 30), {"problems_by_kind", "problems_by_kind.land", "problems_by_kind.funds",
                              "problems_by_kind.approval", "problems_by_kind.energy"});
  // September rows citing a constraint: W1 (land, funds), W3 (land). W4's approval is
  // in August.
  Res r(l, q);
  EXPECT_EQ(r("problems_by_kind"), I(2));
  EXPECT_THAT(r.Listed("problems_by_kind"), ElementsAre("W1", "W3"));
  EXPECT_EQ(r("problems_by_kind.land"), I(2));
  EXPECT_THAT(r.Listed("problems_by_kind.land"), ElementsAre("W1", "W3"));
  EXPECT_EQ(r("problems_by_kind.funds"), I(1));
  EXPECT_THAT(r.Listed("problems_by_kind.funds"), ElementsAre("W1"));
  EXPECT_EQ(r("problems_by_kind.approval"), I(0));
  EXPECT_THAT(r.Listed("problems_by_kind.approval"), IsEmpty());
  EXPECT_EQ(r("problems_by_kind.energy"), I(0));
  q.as_of = D(2024, 8, 31);
  Res aug(l, q);
  EXPECT_EQ(aug("problems_by_kind"), I(1));
  EXPECT_EQ(aug("problems_by_kind.approval"), I(1));
  EXPECT_THAT(aug.Listed("problems_by_kind.approval"), ElementsAre("W4"));
  EXPECT_EQ(aug("problems_by_kind.land"), I(0));
  // Grouped.
  q.as_of = D(2024, 9, 30);
  q.group_by = {Dimension::kCounty};
  Res g(l, q);
  EXPECT_EQ(g("problems_by_kind.land", {"610402"}), I(2));
  EXPECT_FALSE(g.HasRow({"610499"}));
  EXPECT_EQ(g("problems_by_kind", {"610403"}), I(0));
}

TEST(Warnings, UnassignedLeader) {
  const Ledger l = WarningsLedger();
  Query q = Q(D(2024, 9, 30), {"unassigned_leader"});
  // No leader and at or over the threshold (1亿; 农业农村 3000万): W1 12000, W4 10000
  // (exactly 1亿), W6 3500 (agriculture), W9 15000 (reserve, alive). W2 9999 is under,
  // W5 2500 agriculture is under, W3 has a leader, W10 is cancelled.
  Res r(l, q);
  EXPECT_EQ(r("unassigned_leader"), I(4));
  EXPECT_THAT(r.Listed("unassigned_leader"), ElementsAre("W1", "W4", "W6", "W9"));
  q.options.leader_threshold = int64_t{20000} * kFenPerWan;
  EXPECT_THAT(Res(l, q).Listed("unassigned_leader"), ElementsAre("W6"));
  q.options.leader_threshold = int64_t{10000} * kFenPerWan;
  q.options.leader_threshold_by_category[static_cast<size_t>(Category::kAgriculture)] = 0;  // the default
  EXPECT_THAT(Res(l, q).Listed("unassigned_leader"), ElementsAre("W1", "W4", "W9"));
  q.options.leader_threshold_by_category[static_cast<size_t>(Category::kAgriculture)] = 2500 * kFenPerWan;
  EXPECT_THAT(Res(l, q).Listed("unassigned_leader"), ElementsAre("W1", "W4", "W5", "W6", "W9"));
}

TEST(Problems, OpenOverdueAndResolutionRate) {
  const Ledger l = WarningsLedger();
  Query q = Q(D(2024, 9, 30), {"problems_open", "problems_overdue", "problem_resolution_rate"});
  // Raised by as_of (W10's P-6 does not count: cancelled): P-1 P-2 P-3 P-5.
  // Resolved by as_of: P-2. Open: P-1 P-3 P-5. Overdue (due < as_of): P-1 (P-5 is due
  // on as_of itself).
  Res r(l, q);
  EXPECT_EQ(r("problems_open"), I(3));
  EXPECT_THAT(r.Listed("problems_open"), ElementsAre("W1", "W2"));
  EXPECT_EQ(r("problems_overdue"), I(1));
  EXPECT_THAT(r.Listed("problems_overdue"), ElementsAre("W1"));
  EXPECT_EQ(r("problem_resolution_rate"), R(1, 4));
  EXPECT_EQ(r.Display("problem_resolution_rate"), "25.0%");
  // 2024-10-31: P-4 raised, P-5 resolved (10-10); open P-1 P-3 P-4, overdue P-1.
  q.as_of = D(2024, 10, 31);
  Res later(l, q);
  EXPECT_EQ(later("problems_open"), I(3));
  EXPECT_THAT(later.Listed("problems_open"), ElementsAre("W1", "W2"));
  EXPECT_EQ(later("problems_overdue"), I(1));
  EXPECT_EQ(later("problem_resolution_rate"), R(2, 5));
  // 2024-02-15: only P-5 raised (W10's P-6 counts: W10 is not cancelled yet, and
  // it is overdue since 02-01).
  q.as_of = D(2024, 2, 15);
  Res early(l, q);
  EXPECT_EQ(early("problems_open"), I(2));
  EXPECT_THAT(early.Listed("problems_open"), ElementsAre("W2", "W10"));
  EXPECT_EQ(early("problems_overdue"), I(1));
  EXPECT_THAT(early.Listed("problems_overdue"), ElementsAre("W10"));
  EXPECT_EQ(early("problem_resolution_rate"), R(0, 2));
  // Before any problem: the rate is not applicable.
  q.as_of = D(2023, 12, 31);
  Res none(l, q);
  EXPECT_EQ(none("problems_open"), I(0));
  EXPECT_EQ(none("problem_resolution_rate"), kNA);
  // Grouped: problems follow their project's group.
  q.as_of = D(2024, 9, 30);
  q.group_by = {Dimension::kCounty};
  Res g(l, q);
  EXPECT_EQ(g("problems_open", {"610402"}), I(3));
  EXPECT_EQ(g("problem_resolution_rate", {"610402"}), R(1, 4));
}

// ---- list notes (NoteOf): why a listed project is on its list ------------------------

// The note of every project listed for `id` in the whole-scope row, as "CODE key=value".
std::vector<std::string> Notes(const Ledger& l, const Query& q, std::string_view id) {
  std::vector<std::string> out;
  absl::StatusOr<Result> r = Evaluate(l, q);
  EXPECT_TRUE(r.ok()) << r.status();
  if (!r.ok()) return out;
  const int c = r->column(id);
  EXPECT_GE(c, 0) << id;
  if (c < 0) return out;
  for (uint32_t p : r->total().projects[static_cast<size_t>(c)]) {
    const std::optional<ListNote> n = NoteOf(l, *r, static_cast<size_t>(c), p);
    std::string s(l.code(p));
    if (n) {
      s += " " + std::string(n->key) + "=" + (n->number ? std::to_string(*n->number) : n->text);
    }
    out.push_back(std::move(s));
  }
  return out;
}

TEST(ListNotes, WarningsSayWhyAProjectIsListed) {
  const Ledger l = WarningsLedger();
  Query q = Q(D(2024, 9, 30), {});
  // late_reports: W2 has no September row, W3 filed on 10-22 (deadline the 20th).
  EXPECT_THAT(Notes(l, Q(q.as_of, {"late_reports"}), "late_reports"),
              ElementsAre("W2 reported_on=未报送", "W3 reported_on=2024-10-22"));
  // stalled (3 months): W4 Jul..Sep 0 (June 100): 3 months; W5 Jul -50, Aug 0, Sep 0:
  // 3; W7 suspended on 06-01.
  EXPECT_THAT(Notes(l, Q(q.as_of, {"stalled"}), "stalled"),
              ElementsAre("W4 months_without_investment=3", "W5 months_without_investment=3",
                          "W7 suspended_on=停建 2024-06-01"));
  // One month: W2 (Sep no row, Aug 100): 1; W6 started 08-15, Aug 0 and Sep 0: 2
  // (not counted before its start month).
  Query one = Q(q.as_of, {"stalled"});
  one.options.stalled_months = 1;
  EXPECT_THAT(Notes(l, one, "stalled"),
              ElementsAre("W2 months_without_investment=1", "W4 months_without_investment=3",
                          "W5 months_without_investment=3", "W6 months_without_investment=2",
                          "W7 suspended_on=停建 2024-06-01"));
  // behind_schedule: W4 600/1000 = 60.00%; with 9.99 points also W11 1300/2000 = 65%;
  // with a 95% curve W5 550/700 = 78.5714...% -> 78.57%.
  EXPECT_THAT(Notes(l, Q(q.as_of, {"behind_schedule"}), "behind_schedule"),
              ElementsAre("W4 plan_completion_centipercent=6000"));
  Query behind = Q(q.as_of, {"behind_schedule"});
  behind.options.behind_centipoints = 999;
  EXPECT_THAT(Notes(l, behind, "behind_schedule"),
              ElementsAre("W4 plan_completion_centipercent=6000", "W11 plan_completion_centipercent=6500"));
  behind.options.behind_centipoints = 1000;
  behind.options.schedule = ScheduleMode::kCurve;
  behind.options.curve = {0, 0, 0, 0, 0, 0, 0, 0, 950000, 1000000, 1000000, 1000000};
  EXPECT_THAT(Notes(l, behind, "behind_schedule"),
              ElementsAre("W4 plan_completion_centipercent=6000", "W5 plan_completion_centipercent=7857",
                          "W11 plan_completion_centipercent=6500"));
  // problems_by_kind: September's kinds, in the catalogue's order; a dotted id keeps
  // the whole month's kinds.
  EXPECT_THAT(Notes(l, Q(q.as_of, {"problems_by_kind"}), "problems_by_kind"),
              ElementsAre("W1 kinds=用地、资金", "W3 kinds=用地"));
  EXPECT_THAT(Notes(l, Q(q.as_of, {"problems_by_kind.funds"}), "problems_by_kind.funds"),
              ElementsAre("W1 kinds=用地、资金"));
  EXPECT_THAT(Notes(l, Q(D(2024, 8, 31), {"problems_by_kind"}), "problems_by_kind"), ElementsAre("W4 kinds=审批手续"));
  // unassigned_leader: the total investment in 分 (1万元 = 10^6 分): 12000万 etc.
  EXPECT_THAT(Notes(l, Q(q.as_of, {"unassigned_leader"}), "unassigned_leader"),
              ElementsAre("W1 total_investment_fen=12000000000", "W4 total_investment_fen=10000000000",
                          "W6 total_investment_fen=3500000000", "W9 total_investment_fen=15000000000"));
}

TEST(ListNotes, ProblemsCountOpenOnesAndTheMostOverdue) {
  const Ledger l = WarningsLedger();
  // 09-30: W1 has P-1 and P-3 open, W2 P-5 (due on as_of: not overdue). P-1 is due
  // 06-30: 92 days overdue.
  const Query q = Q(D(2024, 9, 30), {"problems_open", "problems_overdue"});
  EXPECT_THAT(Notes(l, q, "problems_open"), ElementsAre("W1 open_problems=2", "W2 open_problems=1"));
  EXPECT_THAT(Notes(l, q, "problems_overdue"), ElementsAre("W1 max_days_overdue=92"));
  // 02-15: W10's P-6, due 02-01, is 14 days overdue.
  const Query early = Q(D(2024, 2, 15), {"problems_open", "problems_overdue"});
  EXPECT_THAT(Notes(l, early, "problems_open"), ElementsAre("W2 open_problems=1", "W10 open_problems=1"));
  EXPECT_THAT(Notes(l, early, "problems_overdue"), ElementsAre("W10 max_days_overdue=14"));
}

TEST(ListNotes, NoNoteOffTheLists) {
  const Ledger l = WarningsLedger();
  absl::StatusOr<Result> r = Evaluate(l, Q(D(2024, 9, 30), {"projects", "late_reports"}));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_FALSE(NoteOf(l, *r, 0, 0).has_value());                // projects lists none
  EXPECT_FALSE(NoteOf(l, *r, 2, 0).has_value());                // no such column
  EXPECT_FALSE(NoteOf(l, *r, 1, l.size()).has_value());         // no such project
  EXPECT_TRUE(NoteOf(l, *r, 1, *l.FindProject("W2")).has_value());
}

// ---- filters -----------------------------------------------------------------------

//   G1 industry    provincial new        610402 工信局 张三 {制造业, 重点} attracted  C36 50000 started
//   G2 urban       municipal  continuing 610403 住建局 李四 {城建}         no         E48  8000 started
//   G3 industry    county     new        610502 工信局 -    {}             attracted  D44   300 reserve
//   G4 agriculture county     continuing 620102 农业局 张三 {乡村振兴}     not known  A01  3000 started
//   G5 livelihood  provincial new        (none) -      -    {}             not known  -       ? conceived
//   G6 industry    provincial new        610402 工信局 -    {}             no         C43  1000 started
// C43 (repair of machinery) is tertiary but industrial (section C).
Ledger GroupsLedger() {
  Book b;
  ProjectRecord r{.code = "G1", .region = 610402, .industry = Ind("C36"), .category = Category::kIndustry,
                  .level = Level::kProvincial, .build_type = BuildType::kNew, .total_investment = W(50000),
                  .dates = {.signed_on = D(2024, 1, 1), .started_on = D(2024, 2, 1)}, .attracted = Attracted::kYes,
                  .leader = "张三", .department = "工信局", .tags = {"制造业", "重点"}};
  b.Project(r);
  b.Project({.code = "G2", .region = 610403, .industry = Ind("E48"), .category = Category::kUrban,
             .level = Level::kMunicipal, .build_type = BuildType::kContinuing, .total_investment = W(8000),
             .dates = {.started_on = D(2023, 5, 1)}, .attracted = Attracted::kNo, .leader = "李四",
             .department = "住建局", .tags = {"城建"}});
  b.Project({.code = "G3", .region = 610502, .industry = Ind("D44"), .category = Category::kIndustry,
             .level = Level::kCounty, .build_type = BuildType::kNew, .total_investment = W(300),
             .dates = {.reserved_on = D(2024, 3, 1)}, .attracted = Attracted::kYes, .department = "工信局"});
  b.Project({.code = "G4", .region = 620102, .industry = Ind("A01"), .category = Category::kAgriculture,
             .level = Level::kCounty, .build_type = BuildType::kContinuing, .total_investment = W(3000),
             .dates = {.started_on = D(2024, 3, 1)}, .leader = "张三", .department = "农业局",
             .tags = {"乡村振兴"}});
  b.Project({.code = "G5", .category = Category::kLivelihood, .level = Level::kProvincial,
             .build_type = BuildType::kNew});
  b.Project({.code = "G6", .region = 610402, .industry = Ind("C43"), .category = Category::kIndustry,
             .level = Level::kProvincial, .build_type = BuildType::kNew, .total_investment = W(1000),
             .dates = {.started_on = D(2024, 5, 1)}, .attracted = Attracted::kNo, .department = "工信局"});
  return std::move(b).Build();
}

int64_t CountWith(const Ledger& l, Filter f) {
  Query q = Q(D(2024, 9, 30), {"projects"});
  q.filter = std::move(f);
  absl::StatusOr<Result> r = Evaluate(l, q);
  EXPECT_TRUE(r.ok()) << r.status();
  if (!r.ok()) return -1;
  const Value v = r->total().values[0];
  EXPECT_EQ(v.den(), 1);
  return static_cast<int64_t>(v.num());
}

TEST(Filters, EachCondition) {
  const Ledger l = GroupsLedger();
  EXPECT_EQ(CountWith(l, {}), 6);
  EXPECT_EQ(CountWith(l, {.categories = {Category::kIndustry}}), 3);  // G1 G3 G6
  EXPECT_EQ(CountWith(l, {.categories = {Category::kIndustry, Category::kUrban}}), 4);
  EXPECT_EQ(CountWith(l, {.levels = {Level::kProvincial}}), 3);  // G1 G5 G6
  EXPECT_EQ(CountWith(l, {.build_type = BuildType::kNew}), 4);   // G1 G3 G5 G6
  EXPECT_EQ(CountWith(l, {.build_type = BuildType::kContinuing}), 2);
  EXPECT_EQ(CountWith(l, {.region_prefixes = {"61"}}), 4);       // G1 G2 G3 G6
  EXPECT_EQ(CountWith(l, {.region_prefixes = {"6104"}}), 3);     // G1 G2 G6
  EXPECT_EQ(CountWith(l, {.region_prefixes = {"610402"}}), 2);   // G1 G6
  EXPECT_EQ(CountWith(l, {.region_prefixes = {"610403", "62"}}), 2);  // G2 G4
  EXPECT_EQ(CountWith(l, {.departments = {"工信局"}}), 3);  // G1 G3 G6
  EXPECT_EQ(CountWith(l, {.departments = {"住建局", "农业局"}}), 2);
  EXPECT_EQ(CountWith(l, {.departments = {"不存在的局"}}), 0);
  EXPECT_EQ(CountWith(l, {.leaders = {"张三"}}), 2);  // G1 G4
  EXPECT_EQ(CountWith(l, {.tags = {"重点"}}), 1);
  EXPECT_EQ(CountWith(l, {.tags = {"城建", "乡村振兴"}}), 2);  // any of them
  EXPECT_EQ(CountWith(l, {.tags = {"不存在"}}), 0);
  EXPECT_EQ(CountWith(l, {.attracted = true}), 2);  // G1 G3
  EXPECT_EQ(CountWith(l, {.sector = Sector::kSecondary}), 3);  // G1 C36, G2 E48, G3 D44
  EXPECT_EQ(CountWith(l, {.sector = Sector::kPrimary}), 1);    // G4
  EXPECT_EQ(CountWith(l, {.sector = Sector::kTertiary}), 1);   // G6 C43
  EXPECT_EQ(CountWith(l, {.industrial = true}), 3);            // G1 G3 G6
  // Size band: total investment >= 5000万 (G5's is not known).
  EXPECT_EQ(CountWith(l, {.min_total_investment = int64_t{5000} * kFenPerWan}), 2);  // G1 G2
  EXPECT_EQ(CountWith(l, {.min_total_investment = int64_t{500} * kFenPerWan,
                          .max_total_investment = int64_t{10000} * kFenPerWan}),
            3);  // G2 G4 G6
  EXPECT_EQ(CountWith(l, {.min_total_investment = int64_t{1000} * kFenPerWan}), 4);  // G1 G2 G4 G6 (>=)
  EXPECT_EQ(CountWith(l, {.codes = {"G2", "G4"}}), 2);
  EXPECT_EQ(CountWith(l, {.codes = {"G5"}}), 1);
  // Conditions combine with "and".
  EXPECT_EQ(CountWith(l, {.categories = {Category::kIndustry}, .region_prefixes = {"6104"}}), 2);  // G1 G6
  EXPECT_EQ(CountWith(l, {.leaders = {"张三"}, .tags = {"重点"}}), 1);
  EXPECT_EQ(CountWith(l, {.levels = {Level::kProvincial}, .attracted = true, .industrial = true}), 1);  // G1
}

TEST(Filters, ScopeAppliesToEveryIndicator) {
  const Ledger l = GroupsLedger();
  Query q = Q(D(2024, 9, 30), {"projects", "started", "start_rate", "total_investment", "signed"});
  q.filter.departments = {"工信局"};  // G1 G3 G6
  Res r(l, q);
  EXPECT_EQ(r("projects"), I(3));
  EXPECT_EQ(r("started"), I(2));  // G1 G6
  EXPECT_EQ(r("start_rate"), R(2, 3));
  EXPECT_EQ(r("total_investment"), Wan(51300));
  EXPECT_EQ(r("signed"), I(1));  // G1
}

// ---- group-by ----------------------------------------------------------------------

TEST(GroupBy, Category) {
  const Ledger l = GroupsLedger();
  Query q = Q(D(2024, 9, 30), {"projects", "started", "start_rate", "total_investment"});
  q.group_by = {Dimension::kCategory};
  Res r(l, q);
  ASSERT_EQ(r.rows(), 5u);
  EXPECT_TRUE(r.result().total().group.empty());
  EXPECT_EQ(r("projects", {"industry"}), I(3));
  EXPECT_EQ(r("started", {"industry"}), I(2));
  EXPECT_EQ(r("start_rate", {"industry"}), R(2, 3));
  EXPECT_EQ(r("total_investment", {"industry"}), Wan(51300));
  EXPECT_EQ(r("projects", {"urban"}), I(1));
  EXPECT_EQ(r("projects", {"livelihood"}), I(1));
  EXPECT_EQ(r("start_rate", {"livelihood"}), R(0, 1));
  EXPECT_EQ(r("projects", {"agriculture"}), I(1));
  EXPECT_EQ(r("projects"), I(6));
  EXPECT_EQ(r("start_rate"), R(4, 6));  // recomputed, not averaged
  ASSERT_EQ(r.result().group_by.size(), 1u);
  EXPECT_EQ(r.result().group_by[0], Dimension::kCategory);
}

TEST(GroupBy, RegionDepths) {
  const Ledger l = GroupsLedger();
  Query q = Q(D(2024, 9, 30), {"projects"});
  q.group_by = {Dimension::kCounty};
  Res county(l, q);
  // G5 has no region: a group with an empty key. Regions ascend.
  EXPECT_THAT(county.Keys(), ElementsAre(std::vector<std::string>{""}, std::vector<std::string>{"610402"},
                                         std::vector<std::string>{"610403"}, std::vector<std::string>{"610502"},
                                         std::vector<std::string>{"620102"}));
  EXPECT_EQ(county("projects", {"610402"}), I(2));
  EXPECT_EQ(county("projects", {""}), I(1));
  q.group_by = {Dimension::kCity};
  Res city(l, q);
  EXPECT_THAT(city.Keys(), ElementsAre(std::vector<std::string>{""}, std::vector<std::string>{"6104"},
                                       std::vector<std::string>{"6105"}, std::vector<std::string>{"6201"}));
  EXPECT_EQ(city("projects", {"6104"}), I(3));
  EXPECT_EQ(city("projects", {"6105"}), I(1));
  q.group_by = {Dimension::kProvince};
  Res prov(l, q);
  EXPECT_THAT(prov.Keys(), ElementsAre(std::vector<std::string>{""}, std::vector<std::string>{"61"},
                                       std::vector<std::string>{"62"}));
  EXPECT_EQ(prov("projects", {"61"}), I(4));
  EXPECT_EQ(prov("projects", {"62"}), I(1));
  EXPECT_EQ(prov("projects"), I(6));
}

TEST(GroupBy, TwoDimensionsAtOnce) {
  const Ledger l = GroupsLedger();
  Query q = Q(D(2024, 9, 30), {"projects", "total_investment"});
  q.group_by = {Dimension::kCategory, Dimension::kCounty};
  Res r(l, q);
  ASSERT_EQ(r.rows(), 6u);
  EXPECT_EQ(r("projects", {"industry", "610402"}), I(2));  // G1 G6
  EXPECT_EQ(r("total_investment", {"industry", "610402"}), Wan(51000));
  EXPECT_EQ(r("projects", {"industry", "610502"}), I(1));
  EXPECT_EQ(r("projects", {"urban", "610403"}), I(1));
  EXPECT_EQ(r("projects", {"agriculture", "620102"}), I(1));
  EXPECT_EQ(r("projects", {"livelihood", ""}), I(1));
  EXPECT_FALSE(r.HasRow({"urban", "610402"}));
  EXPECT_EQ(r("projects"), I(6));
  for (size_t i = 0; i + 1 < r.rows(); ++i) EXPECT_EQ(r.result().rows[i].group.size(), 2u);
}

// The group-by names are Dimension's enum table (query.h).
TEST(GroupBy, DimensionNames) {
  for (const EnumEntry<Dimension>& e : EnumTraits<Dimension>::entries()) {
    EXPECT_EQ(*ParseDimension(e.id), e.value);
    EXPECT_EQ(*ParseDimension(e.label), e.value);
    EXPECT_EQ(DimensionId(e.value), e.id);
    EXPECT_EQ(DimensionLabel(e.value), e.label);
  }
  EXPECT_EQ(*ParseDimension(" Region:City "), Dimension::kCity);
  EXPECT_EQ(*ParseDimension("region"), Dimension::kCounty);
  EXPECT_EQ(*ParseDimension("size"), Dimension::kSizeBand);
  EXPECT_EQ(*ParseDimension("区县"), Dimension::kCounty);
  absl::StatusOr<Dimension> bad = ParseDimension("township");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(),
            "unknown group-by dimension 'township' (known: category, level, build_type, province, city, county, "
            "department, leader, attracted, sector, industrial, stage, size_band, tag)");
  EXPECT_EQ(*ParseDimension("标签"), Dimension::kTag);
}

// Group by tag (docs/indicators.md, "Groups"): a project with several tags is in each
// tag's group, an untagged one in the empty key's, and the whole-scope row counts it
// once -- counts, sums, rates, the row passes (plans.csv, funding.csv, problems.csv)
// and the warning lists alike. As of 2024-09-30 (万元):
//   T1 610402 新动能+支柱性产业  started 02-01, invests 100 in 02..08 (700), no row for
//      September (late), plan 1000, central-budget support 300, an open problem
//   T2 610403 新动能             not started
//   T3 610402 (no tag)           started 03-01, 50 in 03..09 (350), filed on time
//   T4 610403 支柱性产业 (twice) started 2023-05-01, 20 in 01..09 (180), plan 500
// 新动能 = T1 T2: 2 projects, 1 started (50%), 700, plan 1000, support 300, late T1,
//   problem T1, share 700 / 1230;
// 支柱性产业 = T1 T4: 2, 2 (100%), 880, plan 1500, support 300, late T1, problem T1;
// （未填） = T3: 1, 1, 350; whole = 4 projects, 3 started (75%), 1230, plan 1500,
// support 300, late T1 once, problem T1 once -- not the rows' sums (5, 4, 1930, 2500,
// 600, 2, 2).
Ledger TagsLedger() {
  Book b;
  b.Project({.code = "T1", .region = 610402, .category = Category::kIndustry, .dates = {.started_on = D(2024, 2, 1)},
             .tags = {"新动能", "支柱性产业"}});
  b.Project({.code = "T2", .region = 610403, .category = Category::kIndustry, .tags = {"新动能"}});
  b.Project({.code = "T3", .region = 610402, .category = Category::kUrban, .dates = {.started_on = D(2024, 3, 1)}});
  b.Project({.code = "T4", .region = 610403, .category = Category::kUrban, .dates = {.started_on = D(2023, 5, 1)},
             .tags = {"支柱性产业", "支柱性产业"}});
  b.Invest("T1", Mo(2024, 2), {100, 100, 100, 100, 100, 100, 100});
  b.Invest("T3", Mo(2024, 3), {50, 50, 50, 50, 50, 50, 50});
  b.Invest("T4", Mo(2024, 1), {20, 20, 20, 20, 20, 20, 20, 20, 20});
  b.Plan("T1", 2024, 1000);
  b.Plan("T4", 2024, 500);
  b.Funding({.code = "T1", .year = 2024, .source = FundingSource::kCentralBudget, .approved = W(300)});
  b.Problem({.code = "T1", .id = "P1", .kind = ProblemKind::kLand, .raised_on = D(2024, 8, 1)});
  return std::move(b).Build();
}

TEST(GroupBy, TagCountsAProjectInEachOfItsTags) {
  const Ledger l = TagsLedger();
  Query q = Q(D(2024, 9, 30), {"projects", "started", "start_rate", "investment_ytd", "annual_plan",
                               "support_approved", "late_reports", "problems_open", "share"});
  q.group_by = {Dimension::kTag};
  Res r(l, q);
  using V = std::vector<std::string>;
  EXPECT_EQ(r.Keys(), (std::vector<V>{{""}, {"支柱性产业"}, {"新动能"}}));  // text order, the empty key first
  EXPECT_EQ(r("projects", {"新动能"}), I(2));
  EXPECT_EQ(r("started", {"新动能"}), I(1));
  EXPECT_EQ(r("start_rate", {"新动能"}), R(1, 2));
  EXPECT_EQ(r("investment_ytd", {"新动能"}), Wan(700));
  EXPECT_EQ(r("annual_plan", {"新动能"}), Wan(1000));
  EXPECT_EQ(r("support_approved", {"新动能"}), Wan(300));
  EXPECT_EQ(r("share", {"新动能"}), R(700, 1230));
  EXPECT_THAT(r.Listed("late_reports", V{"新动能"}), ElementsAre("T1"));
  EXPECT_THAT(r.Listed("problems_open", V{"新动能"}), ElementsAre("T1"));
  EXPECT_EQ(r("projects", {"支柱性产业"}), I(2));  // T4's repeated tag counts once
  EXPECT_EQ(r("started", {"支柱性产业"}), I(2));
  EXPECT_EQ(r("start_rate", {"支柱性产业"}), R(1, 1));
  EXPECT_EQ(r("investment_ytd", {"支柱性产业"}), Wan(880));
  EXPECT_EQ(r("annual_plan", {"支柱性产业"}), Wan(1500));
  EXPECT_EQ(r("support_approved", {"支柱性产业"}), Wan(300));
  EXPECT_THAT(r.Listed("late_reports", V{"支柱性产业"}), ElementsAre("T1"));
  EXPECT_EQ(r("projects", {""}), I(1));
  EXPECT_EQ(r("investment_ytd", {""}), Wan(350));
  EXPECT_THAT(r.Listed("late_reports", V{""}), IsEmpty());
  // The whole scope counts T1 once.
  EXPECT_EQ(r("projects"), I(4));
  EXPECT_EQ(r("started"), I(3));
  EXPECT_EQ(r("start_rate"), R(3, 4));
  EXPECT_EQ(r("investment_ytd"), Wan(1230));
  EXPECT_EQ(r("annual_plan"), Wan(1500));
  EXPECT_EQ(r("support_approved"), Wan(300));
  EXPECT_EQ(r("late_reports"), I(1));
  EXPECT_THAT(r.Listed("late_reports"), ElementsAre("T1"));
  EXPECT_THAT(r.Listed("problems_open"), ElementsAre("T1"));
  EXPECT_TRUE(GroupsOverlap(q.group_by));
  EXPECT_FALSE(GroupsOverlap(std::vector<Dimension>{Dimension::kCounty, Dimension::kDepartment}));
}

TEST(GroupBy, TagByCounty) {
  const Ledger l = TagsLedger();
  Query q = Q(D(2024, 9, 30), {"projects", "started", "investment_ytd", "late_reports"});
  q.group_by = {Dimension::kTag, Dimension::kCounty};
  Res r(l, q);
  using V = std::vector<std::string>;
  EXPECT_EQ(r.Keys(), (std::vector<V>{{"", "610402"},
                                      {"支柱性产业", "610402"},
                                      {"支柱性产业", "610403"},
                                      {"新动能", "610402"},
                                      {"新动能", "610403"}}));
  EXPECT_EQ(r("investment_ytd", {"新动能", "610402"}), Wan(700));  // T1
  EXPECT_EQ(r("started", {"新动能", "610403"}), I(0));            // T2
  EXPECT_EQ(r("investment_ytd", {"支柱性产业", "610402"}), Wan(700));
  EXPECT_EQ(r("investment_ytd", {"支柱性产业", "610403"}), Wan(180));  // T4
  EXPECT_EQ(r("projects", {"", "610402"}), I(1));                    // T3
  EXPECT_THAT(r.Listed("late_reports", V{"支柱性产业", "610402"}), ElementsAre("T1"));
  EXPECT_THAT(r.Listed("late_reports", V{"支柱性产业", "610403"}), IsEmpty());
  EXPECT_EQ(r("projects"), I(4));
  EXPECT_EQ(r("investment_ytd"), Wan(1230));
  // Grouping by tag twice is refused: the groups would be the pairs of a project's tags.
  q.group_by = {Dimension::kTag, Dimension::kTag};
  absl::StatusOr<Result> twice = Evaluate(l, q);
  ASSERT_FALSE(twice.ok());
  EXPECT_THAT(twice.status().message(), HasSubstr("group by tag at most once"));
  // Any other dimension too: county twice would make each county a city of its own.
  q.group_by = {Dimension::kCounty, Dimension::kCategory, Dimension::kCounty};
  twice = Evaluate(l, q);
  ASSERT_FALSE(twice.ok());
  EXPECT_THAT(twice.status().message(), HasSubstr("group by county at most once"));
}

TEST(GroupBy, OtherDimensionsPartitionTheScope) {
  const Ledger l = GroupsLedger();
  for (Dimension d : {Dimension::kLevel, Dimension::kBuildType, Dimension::kDepartment, Dimension::kLeader,
                      Dimension::kAttracted, Dimension::kSector, Dimension::kIndustrial, Dimension::kStage,
                      Dimension::kSizeBand}) {
    SCOPED_TRACE(std::string(DimensionId(d)));
    Query q = Q(D(2024, 9, 30), {"projects"});
    q.group_by = {d};
    Res r(l, q);
    int128 sum = 0;
    for (size_t i = 0; i + 1 < r.rows(); ++i) sum += r.result().rows[i].values[0].num();
    EXPECT_EQ(sum, 6);
  }
  Query q = Q(D(2024, 9, 30), {"projects"});
  q.group_by = {Dimension::kDepartment};
  Res dept(l, q);
  EXPECT_EQ(dept("projects", {"工信局"}), I(3));
  EXPECT_EQ(dept("projects", {""}), I(1));  // G5: no department
  q.group_by = {Dimension::kSector};
  Res sector(l, q);
  EXPECT_EQ(sector("projects", {"secondary"}), I(3));
  EXPECT_EQ(sector("projects", {"tertiary"}), I(1));
  EXPECT_EQ(sector("projects", {"primary"}), I(1));
  EXPECT_EQ(sector("projects", {""}), I(1));
  q.group_by = {Dimension::kLeader};
  Res leader(l, q);
  EXPECT_EQ(leader("projects", {"张三"}), I(2));
  EXPECT_EQ(leader("projects", {""}), I(3));  // G3 G5 G6
}

TEST(GroupBy, GroupedRowsUnderAFilter) {
  const Ledger l = GroupsLedger();
  Query q = Q(D(2024, 9, 30), {"projects", "started"});
  q.filter.categories = {Category::kIndustry};
  q.group_by = {Dimension::kCounty};
  Res r(l, q);
  EXPECT_THAT(r.Keys(), ElementsAre(std::vector<std::string>{"610402"}, std::vector<std::string>{"610502"}));
  EXPECT_EQ(r("projects", {"610402"}), I(2));
  EXPECT_EQ(r("started", {"610502"}), I(0));
  EXPECT_EQ(r("projects"), I(3));
}

// ---- display -----------------------------------------------------------------------

TEST(Display, HalfUpRounding) {
  // R1: plan 0.01万 (10000 分), ytd 8325 分 -> 0.8325 -> 83.25% -> "83.3%".
  // R2: plan 0.1万 (100000 分), ytd 83249 分 -> 0.83249 -> "83.2%".
  Book b;
  b.Project({.code = "R1", .annual_plan = Money::FromFen(10000), .plan_year = 2024,
             .dates = {.started_on = D(2024, 1, 1)}});
  b.Row({.code = "R1", .month = Mo(2024, 1), .investment = Money::FromFen(8325)});
  b.Project({.code = "R2", .annual_plan = Money::FromFen(100000), .plan_year = 2024,
             .dates = {.started_on = D(2024, 1, 1)}});
  b.Row({.code = "R2", .month = Mo(2024, 1), .investment = Money::FromFen(83249)});
  const Ledger l = std::move(b).Build();
  Query q = Q(D(2024, 1, 31), {"plan_completion", "investment_ytd"});
  q.filter.codes = {"R1"};
  Res r1(l, q);
  EXPECT_EQ(r1("plan_completion"), R(8325, 10000));
  EXPECT_EQ(r1.Display("plan_completion"), "83.3%");
  EXPECT_EQ(DisplayValue(r1("plan_completion"), Unit::kRate, 0), "83%");  // whole percents
  EXPECT_EQ(DisplayValue(r1("plan_completion"), Unit::kRate, 2), "83.25%");
  EXPECT_EQ(MachineValue(r1("plan_completion"), Unit::kRate), "0.832500");
  EXPECT_EQ(r1.Display("investment_ytd"), "0.01");  // 0.008325万 -> 0.01
  EXPECT_EQ(MachineValue(r1("investment_ytd"), Unit::kMoney), "0.008325");
  q.filter.codes = {"R2"};
  Res r2(l, q);
  EXPECT_EQ(r2("plan_completion"), R(83249, 100000));
  EXPECT_EQ(r2.Display("plan_completion"), "83.2%");
}

TEST(Display, ValuesAndUnits) {
  EXPECT_EQ(DisplayValue(R(8325, 10000), Unit::kRate, 1), "83.3%");
  EXPECT_EQ(DisplayValue(R(83249, 100000), Unit::kRate, 1), "83.2%");
  EXPECT_EQ(DisplayValue(R(808, 1000), Unit::kRate, 1), "80.8%");
  EXPECT_EQ(DisplayValue(R(81, 100), Unit::kRate, 0), "81%");
  // Half away from zero for negatives; never "-0".
  EXPECT_EQ(DisplayValue(R(-8325, 10000), Unit::kRate, 1), "-83.3%");
  EXPECT_EQ(DisplayValue(R(-475, 100), Unit::kPoints, 1), "-4.8");
  EXPECT_EQ(DisplayValue(R(-1, 100000), Unit::kRate, 1), "0.0%");
  EXPECT_EQ(DisplayValue(R(138, 10), Unit::kPoints, 1), "13.8");
  EXPECT_EQ(DisplayValue(R(1281, 729), Unit::kMultiple, 2), "1.76");
  // Money: 万元 with two places, 亿元 with one.
  EXPECT_EQ(DisplayValue(Value::Integer(int128{130} * kFenPerYi), Unit::kMoney, 1, MoneyUnit::kYi), "130.0");
  EXPECT_EQ(DisplayValue(Value::Integer(2629 * kFenPerYi / 10), Unit::kMoney, 1, MoneyUnit::kYi), "262.9");
  EXPECT_EQ(DisplayValue(Value::Integer(-1005000), Unit::kMoney, 2), "-1.01");  // -1.005万
  EXPECT_EQ(DisplayValue(Value::Integer(1005000), Unit::kMoney, 2), "1.01");
  EXPECT_EQ(DisplayValue(Value::Integer(729), Unit::kCount, 0), "729");
  EXPECT_EQ(DisplayValue(Value::Integer(3), Unit::kMonths, 0), "3");
  EXPECT_EQ(DisplayValue(kNA, Unit::kRate, 1), "—");
  EXPECT_EQ(DisplayValue(kNA, Unit::kMoney, 2), "—");
  EXPECT_EQ(DisplayValue(Value::Ratio(5, 0), Unit::kMultiple, 2), "—");
  EXPECT_FALSE(Value::Ratio(0, 0).applicable());
  EXPECT_EQ(Value::Ratio(1, -2), Value::Ratio(-1, 2));
  EXPECT_EQ(Value::Ratio(1, -2).den(), 2);
}

// ---- errors ------------------------------------------------------------------------

TEST(Errors, UnknownIndicatorId) {
  const Ledger l = LifecycleLedger();
  absl::StatusOr<Result> r = Evaluate(l, Q(D(2024, 9, 30), {"projects", "no_such_indicator"}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(r.status().message()), HasSubstr("no_such_indicator"));
  EXPECT_FALSE(Aggregation::Start(l, Q(D(2024, 9, 30), {"no_such_indicator"})).ok());
  EXPECT_FALSE(Evaluate(l, Q(D(2024, 9, 30), {"support_approved.bank_loan"})).ok());
  EXPECT_FALSE(Evaluate(l, Q(D(2024, 9, 30), {"problems_by_kind.nothing"})).ok());
  EXPECT_FALSE(Evaluate(l, Q(D(2024, 9, 30), {"start_rate.land"})).ok());
  EXPECT_FALSE(Evaluate(l, Q(D(2024, 9, 30), {})).ok());  // no indicators
}

TEST(Errors, BadFilterValues) {
  const Ledger l = LifecycleLedger();
  Query q = Q(D(2024, 9, 30), {"projects"});
  q.filter.region_prefixes = {"61x4"};
  EXPECT_FALSE(Evaluate(l, q).ok());
  q.filter.region_prefixes = {"6104020"};
  EXPECT_FALSE(Evaluate(l, q).ok());
}

TEST(Result, ColumnsAndOrder) {
  const Ledger l = LifecycleLedger();
  Query q = Q(D(2024, 9, 30), {"started", "projects", "support_approved.central_budget"});
  absl::StatusOr<Result> r = Evaluate(l, q);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->column("started"), 0);
  EXPECT_EQ(r->column("projects"), 1);
  EXPECT_EQ(r->column("support_approved.central_budget"), 2);
  EXPECT_EQ(r->column("support_approved"), -1);
  EXPECT_EQ(r->column("nope"), -1);
  EXPECT_EQ(r->as_of, D(2024, 9, 30));
  ASSERT_EQ(r->indicators.size(), 3u);
  EXPECT_EQ(r->indicators[2].key, static_cast<int>(FundingSource::kCentralBudget));
  ASSERT_EQ(r->rows.size(), 1u);
  EXPECT_EQ(r->rows[0].values.size(), 3u);
  EXPECT_EQ(r->rows[0].projects.size(), 3u);
  EXPECT_THAT(r->rows[0].projects[0], IsEmpty());  // started does not list projects
}

}  // namespace
}  // namespace keyproj
