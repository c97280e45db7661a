// The path to a start (issue 13, workflow.md): §2 the countdowns (overdue_start,
// start_countdown, overdue_completion, signed_not_started, reserve_age) and §3 the
// 招商 funnel (intended, intended_ytd, intention_signed_rate, signed_completed,
// operating, operating_ytd, operating_rate), each on a small hand-built ledger whose
// answers are worked out by hand in the comments; the lists' notes through NoteOf.
// Definitions: docs/indicators.md ("Countdowns", "The 招商 funnel").
//
// as_of is 2024-09-30 unless a test says otherwise.
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

// A project of region 610402, category industry, with the given dates.
ProjectRecord P(std::string code, StageDates dates, Attracted attracted = Attracted::kNo) {
  return ProjectRecord{.code = code, .name = "项目" + code, .region = 610402, .category = Category::kIndustry,
                       .dates = dates, .attracted = attracted};
}

Ledger Build(std::vector<ProjectRecord> records) {
  LedgerBuilder b;
  for (ProjectRecord& r : records) {
    const std::string code = r.code;
    EXPECT_TRUE(b.AddProject(std::move(r))) << code << ": "
                                            << (b.diagnostics().empty() ? "" : b.diagnostics().back().ToString());
  }
  absl::StatusOr<Ledger> l = std::move(b).Build();
  EXPECT_TRUE(l.ok()) << l.status();
  return l.ok() ? *std::move(l) : Ledger();
}

Query Q(Date as_of, std::vector<std::string> ids) { return test_support::QueryOf(as_of, std::move(ids)); }

// The whole-scope row, with the notes of a list as "code:number".
class Res : public test_support::WholeScope {
 public:
  using WholeScope::WholeScope;
  // "code:number" for each listed project, from NoteOf (key and label checked).
  std::vector<std::string> Notes(std::string_view id, std::string_view key, std::string_view label) const {
    std::vector<std::string> out;
    const int c = r_.column(id);
    if (c < 0 || r_.rows.empty()) return out;
    for (uint32_t p : r_.total().projects[static_cast<size_t>(c)]) {
      const std::optional<ListNote> n = NoteOf(*l_, r_, static_cast<size_t>(c), p);
      if (!n) {
        ADD_FAILURE() << id << ": no note for " << l_->code(p);
        continue;
      }
      EXPECT_EQ(n->key, key) << id;
      EXPECT_EQ(n->label, label) << id;
      EXPECT_TRUE(n->number.has_value()) << id;
      out.push_back(std::string(l_->code(p)) + ":" + std::to_string(n->number.value_or(-1)));
    }
    return out;
  }
};

// ---- §2 overdue_start, start_countdown, overdue_completion ---------------------------

// as_of 2024-09-30; start_countdown's window (09-30, 10-30] (N = 30).
//   C1 planned_start 2024-09-30 = as_of: neither overdue nor in the countdown
//   C2 planned_start 2024-09-29: overdue 1 day
//   C3 planned_start 2024-10-30 = as_of + 30: countdown, 30 days left
//   C4 planned_start 2024-10-31 = as_of + 31: neither (in the window of N = 31)
//   C5 planned_start 2024-07-01, cancelled 2024-08-01: nowhere
//   C6 planned_start 2024-06-01, started 2024-06-10: started, nowhere
//   C7 planned_start 2024-08-01, started 2024-10-05 (after as_of): overdue 60 days
//      (Aug 31 + Sep 29)
//   C8 planned_start 2024-10-01, cancelled 2024-10-20 (after as_of): countdown, 1 day
//   C9 no planned_start: nowhere
// overdue_completion (planned_completion before as_of, started, not completed):
//   E1 started 2023-03-01, planned_completion 2024-09-29: overdue 1 day
//   E2 started 2023-03-01, planned_completion 2024-09-30 = as_of: not overdue
//   E3 started 2023-03-01, completed 2024-09-01, planned_completion 2024-08-01: completed
//   E4 started 2023-01-01, suspended 2024-01-01, planned_completion 2024-06-30: counted
//      (suspended projects are still to be completed), 92 days (Jul 31 + Aug 31 + Sep 30)
//   E5 started 2023-01-01, cancelled 2024-05-01, planned_completion 2024-01-01: nowhere
//   E6 started 2024-10-02 (after as_of), planned_completion 2024-09-01: not started
//      at as_of, so not overdue_completion -- but overdue_start? no planned_start: no
Ledger CountdownLedger() {
  std::vector<ProjectRecord> r;
  auto planned = [&](std::string code, Date start, StageDates d = {}) {
    ProjectRecord p = P(code, d);
    p.planned_start = start;
    r.push_back(p);
  };
  planned("C1", D(2024, 9, 30));
  planned("C2", D(2024, 9, 29));
  planned("C3", D(2024, 10, 30));
  planned("C4", D(2024, 10, 31));
  planned("C5", D(2024, 7, 1), {.cancelled_on = D(2024, 8, 1)});
  planned("C6", D(2024, 6, 1), {.started_on = D(2024, 6, 10)});
  planned("C7", D(2024, 8, 1), {.started_on = D(2024, 10, 5)});
  planned("C8", D(2024, 10, 1), {.cancelled_on = D(2024, 10, 20)});
  r.push_back(P("C9", {}));
  auto due = [&](std::string code, Date completion, StageDates d) {
    ProjectRecord p = P(code, d);
    p.planned_completion = completion;
    r.push_back(p);
  };
  due("E1", D(2024, 9, 29), {.started_on = D(2023, 3, 1)});
  due("E2", D(2024, 9, 30), {.started_on = D(2023, 3, 1)});
  due("E3", D(2024, 8, 1), {.started_on = D(2023, 3, 1), .completed_on = D(2024, 9, 1)});
  due("E4", D(2024, 6, 30), {.started_on = D(2023, 1, 1), .suspended_on = D(2024, 1, 1)});
  due("E5", D(2024, 1, 1), {.started_on = D(2023, 1, 1), .cancelled_on = D(2024, 5, 1)});
  due("E6", D(2024, 9, 1), {.started_on = D(2024, 10, 2)});
  return Build(std::move(r));
}

TEST(Countdowns, OverdueAndCountdownAroundAsOf) {
  const Ledger l = CountdownLedger();
  Res r(l, Q(D(2024, 9, 30), {"overdue_start", "start_countdown", "overdue_completion"}));
  EXPECT_EQ(r("overdue_start"), I(2));  // C2 C7
  EXPECT_THAT(r.Notes("overdue_start", "days_overdue", "逾期天数"), ElementsAre("C2:1", "C7:60"));
  EXPECT_EQ(r("start_countdown"), I(2));  // C3 C8
  EXPECT_THAT(r.Notes("start_countdown", "days_left", "剩余天数"), ElementsAre("C3:30", "C8:1"));
  EXPECT_EQ(r("overdue_completion"), I(2));  // E1 E4
  EXPECT_THAT(r.Notes("overdue_completion", "days_overdue", "逾期天数"), ElementsAre("E1:1", "E4:92"));
}

TEST(Countdowns, WindowOfNDays) {
  const Ledger l = CountdownLedger();
  Query q = Q(D(2024, 9, 30), {"start_countdown"});
  q.options.countdown_days = 31;  // (09-30, 10-31]: C3 C4 C8
  EXPECT_THAT(Res(l, q).Listed("start_countdown"), ElementsAre("C3", "C4", "C8"));
  q.options.countdown_days = 29;  // (09-30, 10-29]: C8 only
  EXPECT_THAT(Res(l, q).Listed("start_countdown"), ElementsAre("C8"));
  q.options.countdown_days = 1;   // 10-01 only: C8
  EXPECT_EQ(Res(l, q)("start_countdown"), I(1));
  for (int bad : {0, 367}) {
    q.options.countdown_days = bad;
    const absl::StatusOr<Result> e = Evaluate(l, q);
    ASSERT_FALSE(e.ok()) << bad;
    EXPECT_THAT(std::string(e.status().message()), HasSubstr("countdown days " + std::to_string(bad)));
  }
}

TEST(Countdowns, EarlierAsOf) {
  const Ledger l = CountdownLedger();
  // 2024-07-31: C5 (planned 07-01) not cancelled yet: overdue 30 days; C6 started
  // 06-10; C2, C7 (planned 08-01) in the window (07-31, 08-30]; C7 1 day left.
  Res r(l, Q(D(2024, 7, 31), {"overdue_start", "start_countdown", "overdue_completion"}));
  EXPECT_THAT(r.Notes("overdue_start", "days_overdue", "逾期天数"), ElementsAre("C5:30"));
  EXPECT_THAT(r.Notes("start_countdown", "days_left", "剩余天数"), ElementsAre("C7:1"));
  // E4: planned 06-30, suspended: 31 days overdue; E5 cancelled 05-01; E3 planned
  // 08-01 not yet due.
  EXPECT_THAT(r.Notes("overdue_completion", "days_overdue", "逾期天数"), ElementsAre("E4:31"));
}

// ---- §2 signed_not_started -----------------------------------------------------------

// Attracted projects, as_of 2024-09-30, M = 6: signed on or before 2024-03-30.
//   N1 signed 2024-03-30: exactly 6 whole months: listed, 6
//   N2 signed 2024-03-31: 5 whole months (the 30th is before the 31st): not yet
//   N3 signed 2023-01-15, cancelled 2024-05-01: nowhere
//   N4 signed 2023-01-15, started 2024-10-01 (after as_of): listed, 20 months
//   N5 signed 2023-06-01, started 2024-02-01: started
//   N6 signed 2024-10-01 (after as_of): not signed
//   N7 not attracted, planned 2023-01-01, not started: not signed
Ledger SignedLedger() {
  std::vector<ProjectRecord> r;
  r.push_back(P("N1", {.signed_on = D(2024, 3, 30)}, Attracted::kYes));
  r.push_back(P("N2", {.signed_on = D(2024, 3, 31)}, Attracted::kYes));
  r.push_back(P("N3", {.signed_on = D(2023, 1, 15), .cancelled_on = D(2024, 5, 1)}, Attracted::kYes));
  r.push_back(P("N4", {.signed_on = D(2023, 1, 15), .started_on = D(2024, 10, 1)}, Attracted::kYes));
  r.push_back(P("N5", {.signed_on = D(2023, 6, 1), .started_on = D(2024, 2, 1)}, Attracted::kYes));
  r.push_back(P("N6", {.signed_on = D(2024, 10, 1)}, Attracted::kYes));
  ProjectRecord n7 = P("N7", {});
  n7.planned_start = D(2023, 1, 1);
  r.push_back(n7);
  return Build(std::move(r));
}

TEST(Countdowns, SignedNotStarted) {
  const Ledger l = SignedLedger();
  Query q = Q(D(2024, 9, 30), {"signed_not_started"});
  Res r(l, q);
  EXPECT_EQ(r("signed_not_started"), I(2));
  EXPECT_THAT(r.Notes("signed_not_started", "months_since_signed", "签约月数"), ElementsAre("N1:6", "N4:20"));
  q.options.signed_months = 5;  // N2 now: 5 whole months
  EXPECT_THAT(Res(l, q).Listed("signed_not_started"), ElementsAre("N1", "N2", "N4"));
  q.options.signed_months = 20;  // N4 only
  EXPECT_THAT(Res(l, q).Listed("signed_not_started"), ElementsAre("N4"));
  q.options.signed_months = 21;
  EXPECT_THAT(Res(l, q).Listed("signed_not_started"), IsEmpty());
  // Month ends: at 2024-08-31, N1 (03-30) has 5 whole months; at 2024-09-29 too
  // (the 29th is before the 30th), at 2024-09-30 six.
  q.options.signed_months = 6;
  q.as_of = D(2024, 9, 29);
  EXPECT_THAT(Res(l, q).Listed("signed_not_started"), ElementsAre("N4"));
  for (int bad : {0, 121}) {
    q.options.signed_months = bad;
    const absl::StatusOr<Result> e = Evaluate(l, q);
    ASSERT_FALSE(e.ok()) << bad;
    EXPECT_THAT(std::string(e.status().message()), HasSubstr("signed months " + std::to_string(bad)));
  }
}

// ---- §2 reserve_age --------------------------------------------------------------------

// as_of 2024-09-30: 6 whole months back is 2024-03-30, 12 is 2023-09-30, 24 2022-09-30.
//   A1  reserved 2024-03-30: 6 months exactly    -> .6_12
//   A2  reserved 2024-03-31: 5 months            -> .0_6
//   A3  reserved 2023-09-30: 12 months exactly   -> .12_24
//   A4  reserved 2023-10-01: 11 months           -> .6_12
//   A5  reserved 2022-09-30: 24 months exactly   -> .24_
//   A6  reserved 2022-10-01: 23 months           -> .12_24
//   A7  reserved 2020-01-01: 56 months           -> .24_
//   A8  reserved 2024-10-05 (after as_of): in `reserve`, not reserved by as_of: no band
//   A9  no reserved_on: no band
//   A10 reserved 2021-01-01, started 2022-01-01: not reserve
//   A11 reserved 2021-01-01, cancelled 2024-01-01: cancelled
//   A12 attracted, reserved 2021-05-01, signed 2022-01-01: signed, not reserve
//   A13 reserved 2024-09-30 = as_of: 0 months -> .0_6
Ledger ReserveLedger() {
  std::vector<ProjectRecord> r;
  auto reserved = [&](std::string code, Date on) { r.push_back(P(code, {.reserved_on = on})); };
  reserved("A1", D(2024, 3, 30));
  reserved("A2", D(2024, 3, 31));
  reserved("A3", D(2023, 9, 30));
  reserved("A4", D(2023, 10, 1));
  reserved("A5", D(2022, 9, 30));
  reserved("A6", D(2022, 10, 1));
  reserved("A7", D(2020, 1, 1));
  reserved("A8", D(2024, 10, 5));
  r.push_back(P("A9", {}));
  r.push_back(P("A10", {.reserved_on = D(2021, 1, 1), .started_on = D(2022, 1, 1)}));
  r.push_back(P("A11", {.reserved_on = D(2021, 1, 1), .cancelled_on = D(2024, 1, 1)}));
  r.push_back(P("A12", {.reserved_on = D(2021, 5, 1), .signed_on = D(2022, 1, 1)}, Attracted::kYes));
  reserved("A13", D(2024, 9, 30));
  return Build(std::move(r));
}

TEST(ReserveAge, BandsAtTheirBoundaries) {
  const Ledger l = ReserveLedger();
  Res r(l, Q(D(2024, 9, 30), {"reserve", "reserve_age", "reserve_age.0_6", "reserve_age.6_12",
                              "reserve_age.12_24", "reserve_age.24_"}));
  EXPECT_EQ(r("reserve"), I(10));     // A1..A9, A13
  EXPECT_EQ(r("reserve_age"), I(8));  // not A8 (reserved after as_of) nor A9 (no date)
  EXPECT_EQ(r("reserve_age.0_6"), I(2));
  EXPECT_EQ(r("reserve_age.6_12"), I(2));
  EXPECT_EQ(r("reserve_age.12_24"), I(2));
  EXPECT_EQ(r("reserve_age.24_"), I(2));
  // The total lists the oldest band (workflow.md §2); a band lists its own.
  EXPECT_THAT(r.Notes("reserve_age", "months_since_reserved", "入库月数"), ElementsAre("A5:24", "A7:56"));
  EXPECT_THAT(r.Notes("reserve_age.24_", "months_since_reserved", "入库月数"), ElementsAre("A5:24", "A7:56"));
  EXPECT_THAT(r.Notes("reserve_age.12_24", "months_since_reserved", "入库月数"), ElementsAre("A3:12", "A6:23"));
  EXPECT_THAT(r.Notes("reserve_age.6_12", "months_since_reserved", "入库月数"), ElementsAre("A1:6", "A4:11"));
  EXPECT_THAT(r.Notes("reserve_age.0_6", "months_since_reserved", "入库月数"), ElementsAre("A2:5", "A13:0"));
}

TEST(ReserveAge, MonthEnds) {
  // as_of 2024-02-29: B1 reserved 2023-08-31 has 5 whole months (29 < 31), B2
  // 2023-08-29 six; B3 2022-02-28 24 (28 <= 29), B4 2022-03-01 23.
  const Ledger l = Build({P("B1", {.reserved_on = D(2023, 8, 31)}), P("B2", {.reserved_on = D(2023, 8, 29)}),
                          P("B3", {.reserved_on = D(2022, 2, 28)}), P("B4", {.reserved_on = D(2022, 3, 1)})});
  Res r(l, Q(D(2024, 2, 29), {"reserve_age.0_6", "reserve_age.6_12", "reserve_age.12_24", "reserve_age"}));
  EXPECT_THAT(r.Listed("reserve_age.0_6"), ElementsAre("B1"));
  EXPECT_THAT(r.Listed("reserve_age.6_12"), ElementsAre("B2"));
  EXPECT_THAT(r.Listed("reserve_age.12_24"), ElementsAre("B4"));
  EXPECT_THAT(r.Notes("reserve_age", "months_since_reserved", "入库月数"), ElementsAre("B3:24"));
}

TEST(ReserveAge, DottedIds) {
  EXPECT_EQ(FindIndicator("reserve_age.12_24").value().key, 3);
  EXPECT_EQ(FindIndicator("reserve_age.24_").value().key, 4);
  const absl::StatusOr<IndicatorRef> bad = FindIndicator("reserve_age.24");
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(std::string(bad.status().message()),
              HasSubstr("'24' is not an age band (0_6, 6_12, 12_24, 24_: whole months since reserved_on)"));
  EXPECT_FALSE(FindIndicator("overdue_start.0_6").ok());  // no parts
}

// ---- §3 the 招商 funnel ------------------------------------------------------------------

// Attracted unless said. as_of 2024-09-30.
//   F1  intended 2023-05-01, signed 2023-08-01, started 2023-12-01, completed
//       2024-06-01, operating_on 2024-07-01
//   F2  intended 2024-03-01 only
//   F3  signed 2024-02-01, no intended_on (the agreement implies the intention)
//   F4  intended_on 2024-10-10 (after as_of)
//   F5  stage operating, no operating_on (legacy), signed 2021-06-01, started
//       2022-01-01, completed 2023-06-01
//   F6  signed 2022-01-01, started 2022-03-01, completed 2024-09-01, not operating
//   F7  stage operating, signed 2022-10-01, started 2023-01-01, operating_on
//       2024-08-15 (trial production), completed 2024-12-01 (after as_of)
//   F8  intended 2024-01-05, cancelled 2024-04-01
//   F9  not attracted, started 2023-01-01, completed 2024-01-01, stage operating
//   F10 intended 2024-06-01, signed 2024-09-30 (= as_of)
Ledger FunnelLedger() {
  std::vector<ProjectRecord> r;
  const Attracted y = Attracted::kYes;
  r.push_back(P("F1", {.intended_on = D(2023, 5, 1), .signed_on = D(2023, 8, 1), .started_on = D(2023, 12, 1),
                       .completed_on = D(2024, 6, 1), .operating_on = D(2024, 7, 1)}, y));
  r.push_back(P("F2", {.intended_on = D(2024, 3, 1)}, y));
  r.push_back(P("F3", {.signed_on = D(2024, 2, 1)}, y));
  r.push_back(P("F4", {.intended_on = D(2024, 10, 10)}, y));
  ProjectRecord f5 = P("F5", {.signed_on = D(2021, 6, 1), .started_on = D(2022, 1, 1), .completed_on = D(2023, 6, 1)}, y);
  f5.stage = Stage::kOperating;
  r.push_back(f5);
  r.push_back(P("F6", {.signed_on = D(2022, 1, 1), .started_on = D(2022, 3, 1), .completed_on = D(2024, 9, 1)}, y));
  ProjectRecord f7 = P("F7", {.signed_on = D(2022, 10, 1), .started_on = D(2023, 1, 1), .completed_on = D(2024, 12, 1),
                              .operating_on = D(2024, 8, 15)}, y);
  f7.stage = Stage::kOperating;
  r.push_back(f7);
  r.push_back(P("F8", {.intended_on = D(2024, 1, 5), .cancelled_on = D(2024, 4, 1)}, y));
  ProjectRecord f9 = P("F9", {.started_on = D(2023, 1, 1), .completed_on = D(2024, 1, 1)});
  f9.stage = Stage::kOperating;
  r.push_back(f9);
  r.push_back(P("F10", {.intended_on = D(2024, 6, 1), .signed_on = D(2024, 9, 30)}, y));
  return Build(std::move(r));
}

const std::vector<std::string> kFunnelIds = {"intended", "intended_ytd", "signed", "intention_signed_rate",
                                             "signed_started", "signed_completed", "operating", "operating_ytd",
                                             "operating_rate", "completed"};

TEST(Funnel, EndOfSeptember) {
  const Ledger l = FunnelLedger();
  Res r(l, Q(D(2024, 9, 30), kFunnelIds));
  EXPECT_EQ(r("intended"), I(7));      // F1 F2 F3 F5 F6 F7 F10 (F4 later, F8 cancelled)
  EXPECT_EQ(r("intended_ytd"), I(2));  // F2 F10
  EXPECT_EQ(r("signed"), I(6));        // F1 F3 F5 F6 F7 F10
  EXPECT_EQ(r("intention_signed_rate"), R(6, 7));
  EXPECT_EQ(r("signed_started"), I(4));    // F1 F5 F6 F7
  EXPECT_EQ(r("signed_completed"), I(3));  // F1 F5 F6 (F7 completes in December)
  EXPECT_EQ(r("operating"), I(3));         // F1, F5 (stage alone), F7 (before completion); not F9
  EXPECT_EQ(r("operating_ytd"), I(2));     // F1 F7
  // Completed attracted projects F1 F5 F6; operating among them F1 F5 (F7 is not
  // completed yet, so it is in `operating` but not here).
  EXPECT_EQ(r("operating_rate"), R(2, 3));
  EXPECT_EQ(r("completed"), I(4));  // F1 F5 F6 F9
}

TEST(Funnel, EarlierAsOfs) {
  const Ledger l = FunnelLedger();
  // 2024-06-30: intended F1 F2 F3 F5 F6 F7 F10 (F8 cancelled 04-01): 7; signed F1 F3
  // F5 F6 F7: 5; operating: F5 only (F1 from 07-01, F7 from 08-15); completed attracted
  // F1 F5: operating_rate 1/2.
  Res r(l, Q(D(2024, 6, 30), kFunnelIds));
  EXPECT_EQ(r("intended"), I(7));
  EXPECT_EQ(r("intended_ytd"), I(2));  // F2 F10 (F8 cancelled)
  EXPECT_EQ(r("intention_signed_rate"), R(5, 7));
  EXPECT_EQ(r("signed_completed"), I(2));  // F1 F5
  EXPECT_EQ(r("operating"), I(1));
  EXPECT_EQ(r("operating_ytd"), I(0));
  EXPECT_EQ(r("operating_rate"), R(1, 2));
  // 2023-03-31: F5's stage says operating but it completed 2023-06-01: not yet
  // operating; nothing completed: operating_rate not applicable. Intended: F5 F6 F7
  // (signed); F1 intends in May.
  Res early(l, Q(D(2023, 3, 31), kFunnelIds));
  EXPECT_EQ(early("operating"), I(0));
  EXPECT_FALSE(early("operating_rate").applicable());
  EXPECT_EQ(early("intended"), I(3));
  EXPECT_EQ(early("intention_signed_rate"), R(3, 3));
  EXPECT_EQ(early("intended_ytd"), I(0));
}

TEST(Funnel, NoListsForFunnelCounts) {
  for (std::string_view id : {"intended", "intended_ytd", "signed_completed", "operating", "operating_ytd"}) {
    EXPECT_FALSE(FindIndicator(id).value().def->lists_projects) << id;
    EXPECT_TRUE(FindIndicator(id).value().def->additive) << id;
  }
  for (std::string_view id : {"intention_signed_rate", "operating_rate"}) {
    EXPECT_EQ(FindIndicator(id).value().def->unit, Unit::kRate) << id;
    EXPECT_FALSE(FindIndicator(id).value().def->additive) << id;
  }
  for (std::string_view id : {"overdue_start", "start_countdown", "overdue_completion", "signed_not_started",
                              "reserve_age"}) {
    EXPECT_TRUE(FindIndicator(id).value().def->lists_projects) << id;
  }
}

// ---- the new ids in the other places an id goes ------------------------------------------

TEST(Workflow, InACustomExpression) {
  // 签约未开工占比: signed_not_started / signed, over the SignedLedger: N1 N4 of
  // N1 N2 N4 N5 (N3 cancelled, N6 later).
  const Ledger l = SignedLedger();
  absl::StatusOr<CustomIndicatorSet> set = CustomIndicatorSet::Compile(
      {{.id = "waiting_share", .unit = Unit::kRate, .places = 1, .expression = "signed_not_started / signed"}});
  ASSERT_TRUE(set.ok()) << set.status();
  Query q = Q(D(2024, 9, 30), {"waiting_share"});
  q.custom = std::make_shared<const CustomIndicatorSet>(*std::move(set));
  EXPECT_EQ(Res(l, q)("waiting_share"), R(2, 4));
}

TEST(Workflow, BandsInACustomExpression) {
  // The oldest band's share of the aged reserve (ReserveLedger: A5 A7 of 8), and of
  // the 12_24 band under a filter (A3 A6 are both in 610402).
  const Ledger l = ReserveLedger();
  absl::StatusOr<CustomIndicatorSet> set = CustomIndicatorSet::Compile(
      {{.id = "old_share", .unit = Unit::kRate, .places = 1, .expression = "reserve_age.24_ / reserve_age"},
       {.id = "mid", .unit = Unit::kCount, .places = 0, .expression = "reserve_age.12_24[region=6104]"}});
  ASSERT_TRUE(set.ok()) << set.status();
  Query q = Q(D(2024, 9, 30), {"old_share", "mid"});
  q.custom = std::make_shared<const CustomIndicatorSet>(*std::move(set));
  const Res r(l, q);
  EXPECT_EQ(r("old_share"), R(2, 8));
  EXPECT_EQ(r("mid"), I(2));
  // An id followed by a number is still no expression.
  EXPECT_FALSE(CustomIndicatorSet::Compile({{.id = "x", .expression = "reserve_age .5"}}).ok());
  const absl::StatusOr<CustomIndicatorSet> bad = CustomIndicatorSet::Compile({{.id = "x", .expression = "reserve_age.5"}});
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(std::string(bad.status().message()), HasSubstr("'5' is not an age band"));
}

TEST(Workflow, AsATarget) {
  // At most 1 project overdue to start: CountdownLedger has 2 (C2 C7): behind, gap 1.
  absl::StatusOr<TargetSet> set = ParseTargetSet("[targets]\noverdue_start = \"<= 1\"\n");
  ASSERT_TRUE(set.ok()) << set.status();
  EXPECT_THAT(TargetIndicatorIds(*set), ElementsAre("overdue_start"));
  const Ledger l = CountdownLedger();
  const Res r(l, Q(D(2024, 9, 30), TargetIndicatorIds(*set)));
  absl::StatusOr<std::vector<TargetStatus>> st =
      EvaluateTargets(*set, r.result(), r.result().rows.size() - 1, Value::Ratio(3, 4));
  ASSERT_TRUE(st.ok()) << st.status();
  ASSERT_EQ(st->size(), 1u);
  EXPECT_EQ((*st)[0].actual, I(2));
  EXPECT_EQ((*st)[0].gap, I(1));
  EXPECT_EQ((*st)[0].state, TargetState::kBehind);
}

TEST(Workflow, InAScoringRule) {
  // One point off per project signed six months ago and not started, by county:
  // 610402 has N1 N4 (-2); 610403 has N9 signed 2023-09-01 (-1).
  std::vector<ProjectRecord> r = {
      P("N1", {.signed_on = D(2024, 3, 30)}, Attracted::kYes),
      P("N4", {.signed_on = D(2023, 1, 15), .started_on = D(2024, 10, 1)}, Attracted::kYes),
      P("N9", {.signed_on = D(2023, 9, 1)}, Attracted::kYes)};
  r[2].region = 610403;
  const Ledger l = Build(std::move(r));
  absl::StatusOr<ScoringScheme> s =
      ParseScoringScheme("[[rule]]\nindicator = \"signed_not_started\"\nmethod = \"deduction\"\nper = 1\n");
  ASSERT_TRUE(s.ok()) << s.status();
  Query q = Q(D(2024, 9, 30), SchemeIndicatorIds(*s));
  q.group_by = {Dimension::kCounty};
  const Res res(l, q);
  absl::StatusOr<std::vector<GroupScore>> scores = ScoreGroups(*s, res.result());
  ASSERT_TRUE(scores.ok()) << scores.status();
  ASSERT_EQ(scores->size(), 2u);
  EXPECT_THAT((*scores)[0].group, ElementsAre("610403"));
  EXPECT_EQ((*scores)[0].total, I(-1));
  EXPECT_THAT((*scores)[1].group, ElementsAre("610402"));
  EXPECT_EQ((*scores)[1].total, I(-2));
}

}  // namespace
}  // namespace keyproj
