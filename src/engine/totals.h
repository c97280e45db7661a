// Private to the engine: the additive totals of one group, from which every
// catalogue indicator is computed. Adding two Totals is exact, associative and
// commutative, which is what makes threaded and sharded evaluation equal a single
// pass.
#ifndef KEYPROJ_SRC_ENGINE_TOTALS_H_
#define KEYPROJ_SRC_ENGINE_TOTALS_H_

#include <array>
#include <cstdint>
#include <vector>

#include "keyproj/approval.h"
#include "keyproj/funding.h"
#include "keyproj/money.h"
#include "keyproj/problem_kind.h"
#include "keyproj/value.h"

namespace keyproj::engine {

// Counts of projects (or problems) per group.
enum CountField : int {
  kProjects,
  kProjectsNew,
  kProjectsContinuing,
  kReserve,
  kReservedYtd,
  kStarted,
  kStartedYtd,
  kCompleted,
  kCompletedYtd,
  kSuspended,
  kCancelled,
  kDuePlanned,  // planned_start <= d
  kDueStarted,  // ... and started by d
  kSizeBand,
  kSigned,
  kSignedYtd,
  kSignedStarted,
  kPerformanceDue,
  kPerformanceMet,
  kStartedMonth,
  kCompletedMonth,
  kSignedMonth,
  kSupported,
  kLateReports,
  kStalled,
  kBehind,
  kProblemProjects,  // projects citing any constraint in M
  kUnassignedLeader,
  kProblemsRaised,
  kProblemsResolved,
  kProblemsOpen,
  kProblemsOverdue,
  // 前期手续 (kNeedApprovals): items (rows of approvals.csv) and projects.
  kApprovalsDoneYtd,
  kApprovalsPending,
  kApprovalsOverdue,
  kReadyToStart,
  kBlockedStart,
  kLandToStartYtd,
  kStartedWithoutPermit,
  // 向上争取 (kNeedSupport): projects that applied (requested > 0) and of those, won.
  kSupportApplied,
  kSupportSucceeded,
  // ---- §2 countdowns and §3 the 招商 funnel (workflow.md) ----
  kOverdueStart,
  kStartCountdown,
  kOverdueCompletion,
  kSignedNotStarted,
  kReserveAge0To6,    // reserve_age by whole months since reserved_on: [0, 6)
  kReserveAge6To12,   // [6, 12)
  kReserveAge12To24,  // [12, 24)
  kReserveAge24Up,    // [24, ...)
  kIntended,
  kIntendedYtd,
  kIntendedSigned,    // intended and signed (intention_signed_rate's numerator)
  kSignedCompleted,
  kOperating,
  kOperatingYtd,
  kAttractedCompleted,           // operating_rate's denominator
  kAttractedCompletedOperating,  // ... and its numerator
  // ---- §5 the quarter (kNeedQuarter): the quarter holding as_of, from its first day
  // to as_of, and the same days a year earlier ----
  kStartedQuarter,
  kCompletedQuarter,
  kSignedQuarter,
  kStartedQuarterLastYear,
  kCompletedQuarterLastYear,
  kSignedQuarterLastYear,
  kCountFields
};

// Sums of money (分) per group.
enum MoneyField : int {
  kTotalInvestment,
  kAnnualPlan,
  kInvestmentMonth,
  kInvestmentYtd,
  kInvestmentPrevYtd,
  kInvestmentToDate,
  kContracted,
  kFundsYtd,
  kFundsToDateSigned,
  kSupportApproved,
  kSupportArrived,
  kSupportApprovedPrev,
  kPlanNextYears,
  // kNeedSupport: requested; approved on the rows that requested; arrived on the
  // rows that were approved (the numerators of the two support ratios).
  kSupportRequested,
  kSupportApprovedOfRequested,
  kSupportArrivedOfApproved,
  // ---- §5 the quarter (kNeedQuarter): its months up to as_of's, and the same months
  // a year earlier ----
  kInvestmentQuarter,
  kInvestmentQuarterLastYear,
  kMoneyFields
};

// Projects behind the warning counts (kNoList: an indicator that lists none).
enum ListField : int {
  kNoList = -1,
  kListLate,
  kListStalled,
  kListBehind,
  kListProblems,
  kListUnassigned,
  kListProblemsOpen,
  kListProblemsOverdue,
  kListApprovalsDone,
  kListApprovalsPending,
  kListApprovalsOverdue,
  kListReadyToStart,
  kListBlockedStart,
  kListLandToStart,
  kListStartedWithoutPermit,
  // ---- §2 countdowns and §3 the 招商 funnel (workflow.md) ----
  kListOverdueStart,
  kListStartCountdown,
  kListOverdueCompletion,
  kListSignedNotStarted,
  kListReserveAge,  // every band; MakeRow keeps the band asked for (the oldest for the total)
  // ---- §6 dossiers (workflow.md): every project in scope (project_list) ----
  kListProjectList,
  kListFields
};

// Months of investment kept per group for negative_growth_streak: M - 35 .. M.
inline constexpr int kStreakMonths = 36;

// plan_next_years.YYYY (kNeedPlanByYear): the plans of the years Y + 1 .. Y + this,
// Y the year of as_of (a rolling plan is three years, a 五年规划 five; ten leaves room).
inline constexpr int kPlanYearsAhead = 10;

struct Totals {
  std::array<int64_t, kCountFields> count{};
  std::array<int128, kMoneyFields> money{};
  std::array<int128, kFundingSourceCount> approved_by_source{};
  std::array<int128, kFundingSourceCount> arrived_by_source{};
  std::array<int64_t, kProblemKindCount + 1> problem_kind{};  // by ProblemKind value
  // By ApprovalItem value (kNeedApprovals): items done in the year, pending, overdue.
  std::array<int64_t, kApprovalItemCount + 1> approvals_done_by_item{};
  std::array<int64_t, kApprovalItemCount + 1> approvals_pending_by_item{};
  std::array<int64_t, kApprovalItemCount + 1> approvals_overdue_by_item{};
  // By FundingSource value (kNeedSupport with kNeedFundingBySource): the support_*
  // totals of one source; a project counts once per source.
  std::array<int128, kFundingSourceCount> requested_by_source{};
  std::array<int128, kFundingSourceCount> approved_of_requested_by_source{};
  std::array<int128, kFundingSourceCount> arrived_of_approved_by_source{};
  std::array<int64_t, kFundingSourceCount> applied_by_source{};
  std::array<int64_t, kFundingSourceCount> succeeded_by_source{};
  std::array<int128, kStreakMonths> month_investment{};
  std::array<std::vector<uint32_t>, kListFields> lists;
  // By year after as_of's (kNeedPlanByYear): [k] is the plan for Y + 1 + k.
  std::array<int128, kPlanYearsAhead> plan_by_year{};

  Totals& operator+=(const Totals& o);
};

}  // namespace keyproj::engine

#endif  // KEYPROJ_SRC_ENGINE_TOTALS_H_
