// Private to the engine: what each catalogue indicator needs from the pass over the
// projects, and how its value comes out of a group's totals.
#ifndef KEYPROJ_SRC_ENGINE_CATALOGUE_INTERNAL_H_
#define KEYPROJ_SRC_ENGINE_CATALOGUE_INTERNAL_H_

#include <cstdint>
#include <optional>

#include "engine/totals.h"
#include "keyproj/engine.h"
#include "keyproj/indicators.h"
#include "keyproj/ledger.h"

namespace keyproj::engine {

// Parts of the pass an indicator needs; the pass skips what no indicator needs.
enum Need : uint32_t {
  kNeedMonthly = 1u << 0,    // investment and funds sums
  kNeedPlan = 1u << 1,       // plan for the year
  kNeedFunding = 1u << 2,    // funding.csv rows
  kNeedProblems = 1u << 3,   // problems.csv rows
  kNeedStreak = 1u << 4,     // 36 months of investment per group
  kNeedLate = 1u << 5,       // late reports
  kNeedStalled = 1u << 6,    // stalled projects
  kNeedBehind = 1u << 7,     // behind-schedule projects
  kNeedMonthProblems = 1u << 8,  // constraints cited in month M
  kNeedPlanNext = 1u << 9,   // plans after the year
  kNeedLeader = 1u << 10,    // unassigned leaders
  kNeedBuildType = 1u << 11,   // new and continuing projects
  kNeedYtdCounts = 1u << 12,   // reserved, started, completed, signed within the year
  kNeedMonthCounts = 1u << 13, // started, completed, signed within the month
  kNeedDue = 1u << 14,         // planned to start by as_of, and of those started
  kNeedSize = 1u << 15,        // total investment and the size band
  kNeedSigned = 1u << 16,      // signed projects, their contracts and performance
  kNeedFundingBySource = 1u << 17,  // funding split by source (support_approved.central_budget)
  kNeedApprovals = 1u << 18,   // approvals.csv rows of each project (前期手续)
  kNeedSupport = 1u << 19,     // requested and the support ratios (向上争取), funding rows
  // ---- §2 countdowns and §3 the 招商 funnel (workflow.md) ----
  // (From bit 24, clear of the bits other families take after 17.)
  kNeedCountdowns = 1u << 24,  // overdue_start, start_countdown, overdue_completion, signed_not_started
  kNeedReserveAge = 1u << 25,  // reserve projects by months since reserved_on
  kNeedFunnel = 1u << 26,      // intended, operating and the funnel's other steps
  // ---- §5 the quarter and the rolling plan (workflow.md) ----
  kNeedQuarter = 1u << 27,     // investment, starts, completions, signings in the quarter, and a year earlier
  kNeedPlanByYear = 1u << 28,  // plans by later year (plan_next_years.2026)
  // ---- §6 dossiers ----
  kNeedProjectList = 1u << 29,  // project_list: every project of the group, listed
};
// The families added by the pass of their own after AddProject (evaluate.cc,
// AddWorkflowTotals), which the standard dashboard does not take.
inline constexpr uint32_t kNeedWorkflowPass =
    kNeedApprovals | kNeedCountdowns | kNeedReserveAge | kNeedFunnel | kNeedQuarter | kNeedProjectList;
// Always added: projects, reserve, started, completed, suspended, cancelled.

// Approval row i (approvals.csv) at as_of day d: pending when required and not done
// by d (a done_on after d is not done yet); overdue when pending and planned_on < d.
// The pass, the dotted lists and the notes all ask these.
inline bool ApprovalPending(const internal::ApprovalColumns& a, uint32_t i, int32_t d) {
  return (a.required[i] != 0) & !((a.done_on[i] != kNoDay) & (a.done_on[i] <= d));
}
inline bool ApprovalOverdue(const internal::ApprovalColumns& a, uint32_t i, int32_t d) {
  return ApprovalPending(a, i, d) & (a.planned_on[i] != kNoDay) & (a.planned_on[i] < d);
}
// Done within as_of's year up to d (first_day: 1 January of that year).
inline bool ApprovalDoneWithin(const internal::ApprovalColumns& a, uint32_t i, int32_t first_day, int32_t d) {
  return (a.done_on[i] != kNoDay) & (a.done_on[i] >= first_day) & (a.done_on[i] <= d);
}
// The state a list of approvals_* keeps: done within the year, pending or overdue.
inline bool ApprovalInListState(ListField list, const internal::ApprovalColumns& a, uint32_t i, int32_t first_day,
                                int32_t d) {
  if (list == kListApprovalsDone) return ApprovalDoneWithin(a, i, first_day, d);
  if (list == kListApprovalsOverdue) return ApprovalOverdue(a, i, d);
  return ApprovalPending(a, i, d);
}

// A row's comparable bases (上年同期可比口径, baseline.csv, 分), each empty where the file
// gives none: the year so far's (the row for as_of's month), and the quarter's -- the
// year so far's less the one through the month before the quarter (in the first
// quarter the year so far is the quarter), so that a bulletin's 同比 of the year and
// of its quarter are against the same revised figures.
struct ComparableBases {
  std::optional<int128> ytd;
  std::optional<int128> quarter;
  friend bool operator==(const ComparableBases&, const ComparableBases&) = default;
};

// Everything an indicator's value may depend on, for one result row.
struct RowContext {
  const Totals& group;
  const Totals& all;        // the whole scope (for share)
  const Value& schedule;    // 序时进度 of the query
  ComparableBases base;     // baseline.csv bases for this row
  int as_of_month;          // 1..12: the month of as_of (for the growth streak)
  int key;                  // split key of a dotted id; 0 = the total
  int as_of_year;           // the year of as_of (plan_next_years.YYYY's key is a year)
};

// What a list's note (engine.h, ListNote) is computed from: the facts of one project.
struct NoteContext {
  const Ledger& ledger;
  Date as_of;
  int key;  // split key of a dotted id; 0 = the total
};

struct Computation {
  uint32_t needs;
  Value (*value)(const RowContext&);
  // The projects behind the value (Totals::lists), for an indicator whose
  // IndicatorDef::lists_projects is set; kNoList for the others.
  ListField list = kNoList;
  // Why project p is on that list; null: the list keeps no note.
  std::optional<ListNote> (*note)(const NoteContext&, uint32_t p) = nullptr;
};

// reserve_age's bands (IndicatorSplit::kAgeBand keys): 1 = [0, 6) whole months since
// reserved_on, 2 = [6, 12), 3 = [12, 24), 4 = 24 and more; the pass and the list
// filter read these bounds.
inline constexpr int kReserveAgeBandFirstMonths[] = {0, 0, 6, 12, 24};  // by key; [0] unused
inline constexpr int kReserveAgeBands = 4;
inline int ReserveAgeBand(int months) {
  int band = 1;
  while (band < kReserveAgeBands && months >= kReserveAgeBandFirstMonths[band + 1]) ++band;
  return band;
}

// The computation of a catalogue entry (def must come from Catalogue()).
const Computation& ComputationOf(const IndicatorDef* def);

}  // namespace keyproj::engine

#endif  // KEYPROJ_SRC_ENGINE_CATALOGUE_INTERNAL_H_
