// The 前期手续 (approvals) and 向上争取 (support) figures of issue 13 (the shared spec
// workflow.md §1 and §4; docs/indicators.md "Approvals" and "Support") on small
// hand-built ledgers whose answers are worked out by hand in the comments.
//
// as_of is 2024-09-30 unless a test says otherwise: year(as_of) = 2024, the year runs
// from 2024-01-01. Money in the comments is in 万元.
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "whole_scope_result.h"
#include "keyproj/engine.h"
#include "keyproj/expression.h"
#include "keyproj/report.h"
#include "keyproj/indicators.h"
#include "keyproj/ledger.h"
#include "keyproj/ledger_builder.h"
#include "keyproj/query.h"
#include "keyproj/scoring.h"
#include "keyproj/targets.h"
#include "keyproj/value.h"

namespace keyproj {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

Date D(int y, int m, int d) { return *Date::FromYmd(y, m, d); }
Value I(int64_t n) { return Value::Integer(n); }
Value R(int64_t num, int64_t den) { return Value::Ratio(num, den); }
Value Wan(int64_t wan) { return Value::Integer(static_cast<int128>(wan) * kFenPerWan); }
std::optional<Money> W(int64_t wan) { return Money::FromWan(wan); }
const Value kNA{};

// A builder that fails the test on any rejected record.
class Book {
 public:
  void Project(ProjectRecord r) {
    if (r.name.empty()) r.name = "项目" + r.code;
    if (r.region == 0) r.region = 610402;
    const std::string code = r.code;
    EXPECT_TRUE(b_.AddProject(std::move(r))) << code << Dump();
  }
  void Approval(std::string code, ApprovalItem item, bool required, std::optional<Date> planned_on,
                std::optional<Date> done_on) {
    EXPECT_TRUE(b_.AddApproval(
        {.code = code, .item = item, .required = required, .planned_on = planned_on, .done_on = done_on}))
        << code << Dump();
  }
  void Funding(std::string code, int year, FundingSource s, std::optional<Money> requested,
               std::optional<Money> approved, std::optional<Money> arrived) {
    EXPECT_TRUE(b_.AddFunding(
        {.code = code, .year = year, .source = s, .requested = requested, .approved = approved, .arrived = arrived}))
        << code << Dump();
  }
  Ledger Build() && {
    absl::StatusOr<Ledger> l = std::move(b_).Build();
    EXPECT_TRUE(l.ok()) << l.status();
    return l.ok() ? *std::move(l) : Ledger();
  }

 private:
  std::string Dump() const {
    std::string out;
    for (const Diagnostic& d : b_.diagnostics()) out += "\n" + d.ToString();
    return out;
  }
  LedgerBuilder b_;
};

Query Q(Date as_of, std::vector<std::string> ids) { return test_support::QueryOf(as_of, std::move(ids)); }

// The whole-scope row, with a note printed as "number|text" ("-" for no number).
class Res : public test_support::WholeScope {
 public:
  using WholeScope::WholeScope;
  std::string Note(std::string_view id, std::string_view code) const {
    if (r_.column(id) < 0 || !l_->FindProject(code)) return "<no such column or project>";
    const std::optional<ListNote> n = RawNote(id, code);
    if (!n) return "<no note>";
    return (n->number ? std::to_string(*n->number) : std::string("-")) + "|" + n->text;
  }
};

// ---- 前期手续 ---------------------------------------------------------------------------
//
// A1 not started, planned_start 2024-08-01:
//      feasibility  planned 06-01, done 03-10          done in the year
//      land         planned 10-15, done 10-05          done after as_of: pending, not overdue
//      eia          planned 07-01, not done            pending, overdue 91 days (07-01 .. 09-30)
//      energy       not required, not done             neither
//    -> blocked (planned_start 60 days ago; missing 用地批复、环评)
// A2 not started, planned_start 2024-12-01:
//      approval done 2023-11-01 (last year); feasibility done 2024-02-01 (in the year);
//      construction_permit not required, not done
//    -> ready_to_start (every required item done)
// A3 not started, planned_start 2024-05-01, no approvals rows: neither ready nor blocked
// A4 started 2024-04-20: land done 03-21 (30 days before); permit done 04-20 (the start
//      day: in time) -> land_to_start within 30 days, not started_without_permit
// A5 started 2024-05-02: land done 04-01 (31 days before); permit done 06-01 (after
//      the start) -> land_to_start only with N >= 31; started_without_permit
// A6 started 2024-02-01: land done 03-01 (after the start: never land_to_start);
//      permit required, not done, no planned_on (pending, not overdue); eia planned
//      01-10 not done (pending, overdue 264 days) -> started_without_permit
// A7 cancelled 2024-06-01 (not started): feasibility done 02-01, eia pending planned
//      03-01 -> counts nowhere
// A8 started 2024-03-01, suspended 2024-07-01, planned_start 2024-02-01: permit
//      required, planned 02-15, not done (pending, overdue 228 days)
//      -> started_without_permit (it did start), not blocked (started)
//
// At 2024-09-30, N = 30:
//   approvals_done_ytd = A1 1 + A2 1 + A4 2 + A5 2 + A6 1 = 7
//     .feasibility 2 (A1 A2), .land 3 (A4 A5 A6), .construction_permit 2 (A4 A5),
//     .approval 0 (A2's is 2023), .eia 0
//   approvals_pending = A1 2 (land, eia) + A6 2 (eia, permit) + A8 1 (permit) = 5
//     .land 1, .eia 2, .construction_permit 2, .energy 0 (not required); list A1 A6 A8
//   approvals_overdue = A1 eia + A6 eia + A8 permit = 3; .eia 2, .construction_permit 1
//   ready_to_start 1 (A2), blocked_start 1 (A1), land_to_start_ytd 1 (A4),
//   started_without_permit 3 (A5 A6 A8)
Ledger ApprovalsLedger() {
  Book b;
  using A = ApprovalItem;
  b.Project({.code = "A1", .planned_start = D(2024, 8, 1)});
  b.Approval("A1", A::kFeasibility, true, D(2024, 6, 1), D(2024, 3, 10));
  b.Approval("A1", A::kLand, true, D(2024, 10, 15), D(2024, 10, 5));
  b.Approval("A1", A::kEia, true, D(2024, 7, 1), std::nullopt);
  b.Approval("A1", A::kEnergy, false, std::nullopt, std::nullopt);
  b.Project({.code = "A2", .planned_start = D(2024, 12, 1)});
  b.Approval("A2", A::kApproval, true, std::nullopt, D(2023, 11, 1));
  b.Approval("A2", A::kFeasibility, true, std::nullopt, D(2024, 2, 1));
  b.Approval("A2", A::kConstructionPermit, false, std::nullopt, std::nullopt);
  b.Project({.code = "A3", .planned_start = D(2024, 5, 1)});
  b.Project({.code = "A4", .dates = {.started_on = D(2024, 4, 20)}});
  b.Approval("A4", A::kLand, true, std::nullopt, D(2024, 3, 21));
  b.Approval("A4", A::kConstructionPermit, true, std::nullopt, D(2024, 4, 20));
  b.Project({.code = "A5", .dates = {.started_on = D(2024, 5, 2)}});
  b.Approval("A5", A::kLand, true, std::nullopt, D(2024, 4, 1));
  b.Approval("A5", A::kConstructionPermit, true, std::nullopt, D(2024, 6, 1));
  b.Project({.code = "A6", .dates = {.started_on = D(2024, 2, 1)}});
  b.Approval("A6", A::kLand, true, std::nullopt, D(2024, 3, 1));
  b.Approval("A6", A::kEia, true, D(2024, 1, 10), std::nullopt);
  b.Approval("A6", A::kConstructionPermit, true, std::nullopt, std::nullopt);
  b.Project({.code = "A7", .dates = {.cancelled_on = D(2024, 6, 1)}});
  b.Approval("A7", A::kFeasibility, true, std::nullopt, D(2024, 2, 1));
  b.Approval("A7", A::kEia, true, D(2024, 3, 1), std::nullopt);
  b.Project({.code = "A8", .planned_start = D(2024, 2, 1),
             .dates = {.started_on = D(2024, 3, 1), .suspended_on = D(2024, 7, 1)}});
  b.Approval("A8", A::kConstructionPermit, true, D(2024, 2, 15), std::nullopt);
  return std::move(b).Build();
}

const std::vector<std::string> kApprovalIds = {
    "approvals_done_ytd", "approvals_pending", "approvals_overdue", "ready_to_start",
    "blocked_start",      "land_to_start_ytd", "started_without_permit"};

TEST(Approvals, CountsAtEndOfSeptember) {
  const Ledger l = ApprovalsLedger();
  Res r(l, Q(D(2024, 9, 30), kApprovalIds));
  EXPECT_EQ(r("approvals_done_ytd"), I(7));
  EXPECT_EQ(r("approvals_pending"), I(5));
  EXPECT_THAT(r.Listed("approvals_pending"), ElementsAre("A1", "A6", "A8"));
  EXPECT_EQ(r("approvals_overdue"), I(3));
  EXPECT_THAT(r.Listed("approvals_overdue"), ElementsAre("A1", "A6", "A8"));
  EXPECT_EQ(r("ready_to_start"), I(1));
  EXPECT_THAT(r.Listed("ready_to_start"), ElementsAre("A2"));
  EXPECT_EQ(r("blocked_start"), I(1));
  EXPECT_THAT(r.Listed("blocked_start"), ElementsAre("A1"));
  EXPECT_EQ(r("land_to_start_ytd"), I(1));
  EXPECT_THAT(r.Listed("land_to_start_ytd"), ElementsAre("A4"));
  EXPECT_EQ(r("started_without_permit"), I(3));
  EXPECT_THAT(r.Listed("started_without_permit"), ElementsAre("A5", "A6", "A8"));
}

TEST(Approvals, DottedIdsCountOneItemAndListItsProjects) {
  const Ledger l = ApprovalsLedger();
  Res r(l, Q(D(2024, 9, 30),
             {"approvals_done_ytd.feasibility", "approvals_done_ytd.land", "approvals_done_ytd.construction_permit",
              "approvals_done_ytd.approval", "approvals_done_ytd.eia", "approvals_pending.land",
              "approvals_pending.eia", "approvals_pending.construction_permit", "approvals_pending.energy",
              "approvals_overdue.eia", "approvals_overdue.construction_permit", "approvals_overdue.land"}));
  EXPECT_EQ(r("approvals_done_ytd.feasibility"), I(2));
  EXPECT_EQ(r("approvals_done_ytd.land"), I(3));
  EXPECT_EQ(r("approvals_done_ytd.construction_permit"), I(2));
  EXPECT_EQ(r("approvals_done_ytd.approval"), I(0));
  EXPECT_EQ(r("approvals_done_ytd.eia"), I(0));
  EXPECT_EQ(r("approvals_pending.land"), I(1));
  EXPECT_THAT(r.Listed("approvals_pending.land"), ElementsAre("A1"));
  EXPECT_EQ(r("approvals_pending.eia"), I(2));
  EXPECT_THAT(r.Listed("approvals_pending.eia"), ElementsAre("A1", "A6"));
  EXPECT_EQ(r("approvals_pending.construction_permit"), I(2));
  EXPECT_THAT(r.Listed("approvals_pending.construction_permit"), ElementsAre("A6", "A8"));
  EXPECT_EQ(r("approvals_pending.energy"), I(0));  // A1's energy is not required
  EXPECT_THAT(r.Listed("approvals_pending.energy"), IsEmpty());
  EXPECT_EQ(r("approvals_overdue.eia"), I(2));
  EXPECT_THAT(r.Listed("approvals_overdue.eia"), ElementsAre("A1", "A6"));
  EXPECT_THAT(r.Listed("approvals_done_ytd.land"), ElementsAre("A4", "A5", "A6"));
  // A6's permit is pending but has no planned_on: not overdue.
  EXPECT_EQ(r("approvals_overdue.construction_permit"), I(1));
  EXPECT_THAT(r.Listed("approvals_overdue.construction_permit"), ElementsAre("A8"));
  EXPECT_EQ(r("approvals_overdue.land"), I(0));  // A1's land is planned after as_of
  EXPECT_THAT(r.Listed("approvals_overdue.land"), IsEmpty());
}

TEST(Approvals, Notes) {
  const Ledger l = ApprovalsLedger();
  Res r(l, Q(D(2024, 9, 30), {"approvals_pending", "approvals_overdue", "ready_to_start", "blocked_start",
                              "land_to_start_ytd", "started_without_permit", "approvals_overdue.construction_permit",
                              "approvals_pending.eia", "approvals_done_ytd"}));
  EXPECT_EQ(r.Note("approvals_pending", "A1"), "-|用地批复、环评");  // in item order
  EXPECT_EQ(r.Note("approvals_pending", "A6"), "-|环评、施工许可");
  EXPECT_EQ(r.Note("approvals_pending.eia", "A6"), "-|环评");
  // Days overdue of the most overdue item: A1 eia 07-01 -> 91; A6 eia 01-10 -> 264
  // (2024 is a leap year); A8 permit 02-15 -> 228.
  EXPECT_EQ(r.Note("approvals_overdue", "A1"), "91|环评");
  EXPECT_EQ(r.Note("approvals_overdue", "A6"), "264|环评");
  EXPECT_EQ(r.Note("approvals_overdue", "A8"), "228|施工许可");
  EXPECT_EQ(r.Note("approvals_overdue.construction_permit", "A8"), "228|施工许可");
  EXPECT_EQ(r.Note("ready_to_start", "A2"), "-|2024-12-01");
  EXPECT_EQ(r.Note("blocked_start", "A1"), "60|用地批复、环评");  // 08-01 .. 09-30
  EXPECT_EQ(r.Note("land_to_start_ytd", "A4"), "30|");
  EXPECT_EQ(r.Note("started_without_permit", "A5"), "-|开工2024-05-02，施工许可2024-06-01");
  EXPECT_EQ(r.Note("started_without_permit", "A6"), "-|开工2024-02-01，施工许可未办理");
  EXPECT_EQ(r.Note("started_without_permit", "A8"), "-|开工2024-03-01，施工许可未办理");
  const std::optional<ListNote> n = r.RawNote("blocked_start", "A1");
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(n->key, "days_past_planned_start");  // the number is days (08-01 .. 09-30), not a count
  EXPECT_EQ(n->label, "逾期开工天数（缺少手续）");
  EXPECT_EQ(NoteValueText(*n, MoneyUnit::kWan), "60天（用地批复、环评）");
  EXPECT_EQ(r.RawNote("approvals_overdue", "A1")->key, "days_overdue");
  // The items done this year: A2's approval was 2023; A6's permit is not done.
  EXPECT_EQ(r.Note("approvals_done_ytd", "A2"), "-|可研批复");
  EXPECT_EQ(r.Note("approvals_done_ytd", "A4"), "-|用地批复、施工许可");
  EXPECT_THAT(r.Listed("approvals_done_ytd"), ElementsAre("A1", "A2", "A4", "A5", "A6"));
}

TEST(Approvals, LandWindowBoundary) {
  const Ledger l = ApprovalsLedger();
  Query q = Q(D(2024, 9, 30), {"land_to_start_ytd"});
  q.options.land_to_start_days = 29;  // A4's 30 days no longer fit
  EXPECT_EQ(Res(l, q)("land_to_start_ytd"), I(0));
  q.options.land_to_start_days = 30;
  EXPECT_THAT(Res(l, q).Listed("land_to_start_ytd"), ElementsAre("A4"));
  q.options.land_to_start_days = 31;  // A5's 31 days fit; A6 started before its land
  EXPECT_THAT(Res(l, q).Listed("land_to_start_ytd"), ElementsAre("A4", "A5"));
  q.options.land_to_start_days = 366;
  EXPECT_THAT(Res(l, q).Listed("land_to_start_ytd"), ElementsAre("A4", "A5"));
  q.options.land_to_start_days = 0;  // only a start on the land's own day
  EXPECT_EQ(Res(l, q)("land_to_start_ytd"), I(0));
  q.options.land_to_start_days = 367;
  absl::StatusOr<Result> bad = Evaluate(l, q);
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(std::string(bad.status().message()), HasSubstr("land to start days 367 must be 0..366"));
  q.options.land_to_start_days = -1;
  EXPECT_FALSE(Evaluate(l, q).ok());
  // The window is about the start's year: in 2025 A4 and A5 started last year.
  q = Q(D(2025, 3, 31), {"land_to_start_ytd"});
  EXPECT_EQ(Res(l, q)("land_to_start_ytd"), I(0));
}

TEST(Approvals, EarlierAndLaterAsOf) {
  const Ledger l = ApprovalsLedger();
  // 2024-10-10: A1's land (done 10-05) is done now -> A1 pending only eia; done_ytd 8.
  Res oct(l, Q(D(2024, 10, 10), {"approvals_done_ytd", "approvals_pending", "approvals_pending.land",
                                 "approvals_done_ytd.land", "blocked_start"}));
  EXPECT_EQ(oct("approvals_done_ytd"), I(8));
  EXPECT_EQ(oct("approvals_done_ytd.land"), I(4));
  EXPECT_EQ(oct("approvals_pending"), I(4));
  EXPECT_EQ(oct("approvals_pending.land"), I(0));
  EXPECT_EQ(oct.Note("blocked_start", "A1"), "70|环评");
  // 2024-04-30: A5 has not started; A7 is not yet cancelled (pending eia, overdue since
  // 03-01); A8 (started 03-01, permit planned 02-15) is not yet suspended.
  //   pending: A1 land, eia; A5 permit (not done by 04-30); A6 eia, permit; A7 eia; A8 permit = 7
  //   overdue (planned_on < 04-30): A6 eia, A7 eia, A8 permit = 3
  //   ready: A5 is not started; its permit is pending -> not ready; A2 ready (done 02-01)
  //   done_ytd: A1 feas 03-10, A2 feas 02-01, A4 land 03-21 + permit 04-20, A5 land 04-01,
  //             A6 land 03-01, A7 feas 02-01 = 7
  //   without_permit: A4 no (on the day); A6, A8 -> 2
  Res apr(l, Q(D(2024, 4, 30), kApprovalIds));
  EXPECT_EQ(apr("approvals_pending"), I(7));
  EXPECT_THAT(apr.Listed("approvals_pending"), ElementsAre("A1", "A5", "A6", "A7", "A8"));
  EXPECT_EQ(apr("approvals_overdue"), I(3));
  EXPECT_THAT(apr.Listed("approvals_overdue"), ElementsAre("A6", "A7", "A8"));
  EXPECT_EQ(apr("approvals_done_ytd"), I(7));
  EXPECT_THAT(apr.Listed("ready_to_start"), ElementsAre("A2"));
  // planned_start <= 04-30, not started, something pending: none (A1 is planned 08-01,
  // A3 has no rows, A8 started).
  EXPECT_EQ(apr("blocked_start"), I(0));
  EXPECT_THAT(apr.Listed("started_without_permit"), ElementsAre("A6", "A8"));
  EXPECT_THAT(apr.Listed("land_to_start_ytd"), ElementsAre("A4"));
}

TEST(Approvals, LedgerWithoutApprovalsCountsNothing) {
  Book b;
  b.Project({.code = "P1", .planned_start = D(2024, 1, 1)});
  b.Project({.code = "P2", .dates = {.started_on = D(2024, 3, 1)}});
  const Ledger l = std::move(b).Build();
  Res r(l, Q(D(2024, 9, 30), kApprovalIds));
  for (const std::string& id : kApprovalIds) {
    EXPECT_EQ(r(id), I(0)) << id;
    EXPECT_THAT(r.Listed(id), IsEmpty()) << id;
  }
}

TEST(Approvals, FindIndicatorParsesItems) {
  absl::StatusOr<IndicatorRef> ref = FindIndicator("approvals_pending.eia");
  ASSERT_TRUE(ref.ok()) << ref.status();
  EXPECT_EQ(ref->key, static_cast<int>(ApprovalItem::kEia));
  EXPECT_EQ(ref->def->split, IndicatorSplit::kApprovalItem);
  ref = FindIndicator("approvals_done_ytd.环评");  // a Chinese label reads too
  ASSERT_TRUE(ref.ok()) << ref.status();
  EXPECT_EQ(ref->key, static_cast<int>(ApprovalItem::kEia));
  ref = FindIndicator("approvals_overdue.nonsense");
  ASSERT_FALSE(ref.ok());
  EXPECT_THAT(std::string(ref.status().message()),
              HasSubstr("'nonsense' is not an approval item (approval (立项), feasibility (可研批复), "));
  EXPECT_FALSE(FindIndicator("ready_to_start.eia").ok());  // no parts
  EXPECT_FALSE(FindIndicator("approvals_pending.central_budget").ok());
}

// ---- 向上争取 -----------------------------------------------------------------------------
//
// Higher-level sources (IsHigherLevel) in 2024:
//   S1 central_budget req 1000 appr 600 arr 300; special_bond req 500 appr 0 arr 0;
//      (central_budget 2023 req 800 appr 800 arr 800: last year; bank_loan 2024 req 900
//      appr 900: not higher-level)
//   S2 provincial req 200 appr 200 arr 200; provincial (second row) req 0 appr 100 arr 50
//      (approved without requested)
//   S3 municipal req 0 appr 0 (requested 0); central_budget req empty appr 400 arr 400
//   S4 cancelled 2024-03-01: central_budget req 300 appr 300 -> nowhere
//   S5 policy_finance req 100, approved and arrived empty (applied, nothing won)
//   S6 special_bond req 300 appr 0; municipal req 0 appr 150 arr 0 (won where it did
//      not apply: the project applied and won)
//
// support_applied_projects = S1 S2 S5 S6 = 4
// support_requested = 1000 + 500 + 200 + 100 + 300 = 2100
// support_success_rate = (S1 S2 S6) 3 / 4
// support_approval_ratio = approved on rows with req > 0 (600 + 0 + 200 + 0 + 0) / 2100 = 800/2100
// support_approved = 600 + 200 + 100 + 400 + 150 = 1450
// support_arrival_ratio = arrived on rows with appr > 0 (300 + 200 + 50 + 400 + 0) / 1450 = 950/1450
// By source:
//   central_budget: applied 1 (S1; S3's request is empty), requested 1000, success 1/1,
//     approval 600/1000, arrival (300 + 400) / (600 + 400)
//   special_bond: applied 2 (S1 S6), requested 800, success 0/2, approval 0/800, arrival n/a
//   provincial: applied 1 (S2, two rows, once), requested 200, success 1/1, approval
//     200/200, arrival (200 + 50) / 300
//   municipal: applied 0, requested 0, success n/a, approval n/a, arrival 0/150
//   policy_finance: applied 1, requested 100, success 0/1, approval 0/100, arrival n/a
Ledger SupportLedger() {
  Book b;
  using S = FundingSource;
  for (const char* code : {"S1", "S2", "S3", "S5", "S6"}) b.Project({.code = code});
  b.Project({.code = "S4", .dates = {.reserved_on = D(2023, 1, 1), .cancelled_on = D(2024, 3, 1)}});
  b.Funding("S1", 2024, S::kCentralBudget, W(1000), W(600), W(300));
  b.Funding("S1", 2024, S::kSpecialBond, W(500), W(0), W(0));
  b.Funding("S1", 2023, S::kCentralBudget, W(800), W(800), W(800));
  b.Funding("S1", 2024, S::kBankLoan, W(900), W(900), std::nullopt);
  b.Funding("S2", 2024, S::kProvincial, W(200), W(200), W(200));
  b.Funding("S2", 2024, S::kProvincial, W(0), W(100), W(50));
  b.Funding("S3", 2024, S::kMunicipal, W(0), W(0), std::nullopt);
  b.Funding("S3", 2024, S::kCentralBudget, std::nullopt, W(400), W(400));
  b.Funding("S4", 2024, S::kCentralBudget, W(300), W(300), std::nullopt);
  b.Funding("S5", 2024, S::kPolicyFinance, W(100), std::nullopt, std::nullopt);
  b.Funding("S6", 2024, S::kSpecialBond, W(300), W(0), std::nullopt);
  b.Funding("S6", 2024, S::kMunicipal, W(0), W(150), W(0));
  return std::move(b).Build();
}

const std::vector<std::string> kSupportIds = {"support_applied_projects", "support_requested", "support_success_rate",
                                              "support_approval_ratio", "support_arrival_ratio", "support_approved"};

TEST(Support, WholeScope) {
  const Ledger l = SupportLedger();
  Res r(l, Q(D(2024, 9, 30), kSupportIds));
  EXPECT_EQ(r("support_applied_projects"), I(4));
  EXPECT_EQ(r("support_requested"), Wan(2100));
  EXPECT_EQ(r("support_success_rate"), R(3, 4));
  EXPECT_EQ(r("support_approval_ratio"), R(800, 2100));
  EXPECT_EQ(r("support_approved"), Wan(1450));
  EXPECT_EQ(r("support_arrival_ratio"), R(950, 1450));
  // Each figure alone (the pass adds only what is asked for) comes out the same.
  for (const std::string& id : kSupportIds) {
    EXPECT_EQ(Res(l, Q(D(2024, 9, 30), {id}))(id), r(id)) << id;
  }
}

TEST(Support, BySource) {
  const Ledger l = SupportLedger();
  std::vector<std::string> ids;
  for (const char* s : {"central_budget", "special_bond", "provincial", "municipal", "policy_finance"}) {
    for (const char* f : {"support_applied_projects", "support_requested", "support_success_rate",
                          "support_approval_ratio", "support_arrival_ratio"}) {
      ids.push_back(std::string(f) + "." + s);
    }
  }
  Res r(l, Q(D(2024, 9, 30), ids));
  EXPECT_EQ(r("support_applied_projects.central_budget"), I(1));
  EXPECT_EQ(r("support_requested.central_budget"), Wan(1000));
  EXPECT_EQ(r("support_success_rate.central_budget"), R(1, 1));
  EXPECT_EQ(r("support_approval_ratio.central_budget"), R(600, 1000));
  EXPECT_EQ(r("support_arrival_ratio.central_budget"), R(700, 1000));
  EXPECT_EQ(r("support_applied_projects.special_bond"), I(2));
  EXPECT_EQ(r("support_requested.special_bond"), Wan(800));
  EXPECT_EQ(r("support_success_rate.special_bond"), R(0, 2));
  EXPECT_EQ(r("support_approval_ratio.special_bond"), R(0, 800));
  EXPECT_EQ(r("support_arrival_ratio.special_bond"), kNA);
  EXPECT_EQ(r("support_applied_projects.provincial"), I(1));  // two rows, one project
  EXPECT_EQ(r("support_requested.provincial"), Wan(200));
  EXPECT_EQ(r("support_success_rate.provincial"), R(1, 1));
  EXPECT_EQ(r("support_approval_ratio.provincial"), R(1, 1));
  EXPECT_EQ(r("support_arrival_ratio.provincial"), R(250, 300));
  EXPECT_EQ(r("support_applied_projects.municipal"), I(0));
  EXPECT_EQ(r("support_requested.municipal"), Wan(0));
  EXPECT_EQ(r("support_success_rate.municipal"), kNA);
  EXPECT_EQ(r("support_approval_ratio.municipal"), kNA);
  EXPECT_EQ(r("support_arrival_ratio.municipal"), R(0, 150));
  EXPECT_EQ(r("support_applied_projects.policy_finance"), I(1));
  EXPECT_EQ(r("support_requested.policy_finance"), Wan(100));
  EXPECT_EQ(r("support_success_rate.policy_finance"), R(0, 1));
  EXPECT_EQ(r("support_approval_ratio.policy_finance"), R(0, 100));
  EXPECT_EQ(r("support_arrival_ratio.policy_finance"), kNA);
  // Only higher-level sources split (as support_approved).
  absl::StatusOr<IndicatorRef> bad = FindIndicator("support_requested.bank_loan");
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(std::string(bad.status().message()), HasSubstr("is not a higher-level source"));
}

TEST(Support, OtherYear) {
  const Ledger l = SupportLedger();
  // 2023: S1's central_budget only (req 800 appr 800 arr 800).
  Res r(l, Q(D(2023, 6, 30), kSupportIds));
  EXPECT_EQ(r("support_applied_projects"), I(1));
  EXPECT_EQ(r("support_requested"), Wan(800));
  EXPECT_EQ(r("support_success_rate"), R(1, 1));
  EXPECT_EQ(r("support_approval_ratio"), R(1, 1));
  EXPECT_EQ(r("support_arrival_ratio"), R(1, 1));
  // 2025: nothing.
  Res none(l, Q(D(2025, 6, 30), kSupportIds));
  EXPECT_EQ(none("support_applied_projects"), I(0));
  EXPECT_EQ(none("support_success_rate"), kNA);
  EXPECT_EQ(none("support_approval_ratio"), kNA);
  EXPECT_EQ(none("support_arrival_ratio"), kNA);
}

// ---- the new ids in expressions, targets and scoring ------------------------------------

TEST(IssueThirteenIds, InACustomExpression) {
  const Ledger l = ApprovalsLedger();
  absl::StatusOr<CustomIndicatorSet> set = CustomIndicatorSet::Compile(
      {CustomIndicator{"blocked_share", "手续制约占比", Unit::kRate, 1, "blocked_start / (blocked_start + ready_to_start)"},
       CustomIndicator{"eia_overdue_share", "", Unit::kRate, 1, "approvals_overdue.eia / approvals_pending.eia"}});
  ASSERT_TRUE(set.ok()) << set.status();
  Query q = Q(D(2024, 9, 30), {"blocked_share", "eia_overdue_share"});
  q.custom = std::make_shared<const CustomIndicatorSet>(*std::move(set));
  Res r(l, q);
  EXPECT_EQ(r("blocked_share"), R(1, 2));      // A1 / (A1 + A2)
  EXPECT_EQ(r("eia_overdue_share"), R(2, 2));  // both pending eia items are overdue
}

TEST(IssueThirteenIds, InATargetSet) {
  absl::StatusOr<TargetSet> set = ParseTargetSet(
      "[targets]\nready_to_start = { target = \">= 2\" }\nsupport_success_rate = { target = \">= 50%\" }\n");
  ASSERT_TRUE(set.ok()) << set.status();
  const Ledger l = ApprovalsLedger();
  Res r(l, Q(D(2024, 9, 30), TargetIndicatorIds(*set)));
  absl::StatusOr<std::vector<TargetStatus>> st =
      EvaluateTargets(*set, r.result(), r.result().rows.size() - 1, R(9, 12));
  ASSERT_TRUE(st.ok()) << st.status();
  ASSERT_EQ(st->size(), 2u);
  EXPECT_EQ((*st)[0].actual, I(1));  // A2
  EXPECT_EQ((*st)[0].target.label, "具备开工条件");
  EXPECT_EQ((*st)[0].state, TargetState::kBehind);  // 1/2 < 9/12
  EXPECT_EQ((*st)[1].state, TargetState::kNotApplicable);  // no funding rows: 0 / 0
}

TEST(IssueThirteenIds, InAScoringRule) {
  absl::StatusOr<ScoringScheme> scheme = ParseScoringScheme(
      "[[rule]]\nindicator = \"started_without_permit\"\nmethod = \"deduction\"\nper = 2\nmax = 5\n");
  ASSERT_TRUE(scheme.ok()) << scheme.status();
  const Ledger l = ApprovalsLedger();
  Res r(l, Q(D(2024, 9, 30), SchemeIndicatorIds(*scheme)));
  absl::StatusOr<std::vector<GroupScore>> scores = ScoreGroups(*scheme, r.result());
  ASSERT_TRUE(scores.ok()) << scores.status();
  ASSERT_EQ(scores->size(), 1u);
  EXPECT_EQ((*scores)[0].rules[0].input, I(3));    // A5 A6 A8
  EXPECT_EQ((*scores)[0].total, I(-5));            // -(2 x 3), at most 5
}

}  // namespace
}  // namespace keyproj
