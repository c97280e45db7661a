// The indicator catalogue: each indicator's id, label, unit, display places and
// definition, next to how its value is computed from a group's totals. This table
// is the one place an indicator is defined; the C API, Python, the CLI and reports
// read it.
#include <algorithm>
#include <array>
#include <string>

#include "engine/catalogue_internal.h"
#include "engine/partial_hooks.h"
#include "keyproj/approval.h"
#include "keyproj/date.h"
#include "keyproj/funding.h"
#include "keyproj/problem_kind.h"
#include "keyproj/internal/ledger_columns.h"
#include "keyproj/internal/text.h"

namespace keyproj {

using ::keyproj::internal::Cat;
namespace engine {
namespace {

using R = const RowContext&;

Value Count(R r, CountField f) { return Value::Integer(r.group.count[f]); }
Value Sum(R r, MoneyField f) { return Value::Integer(r.group.money[f]); }
Value CountRatio(R r, CountField num, CountField den) {
  return Value::Ratio(r.group.count[num], r.group.count[den]);
}

// (plan_completion - schedule) x 100, exactly.
Value ScheduleGap(R r) {
  const int128 ytd = r.group.money[kInvestmentYtd], plan = r.group.money[kAnnualPlan];
  if (plan == 0 || !r.schedule.applicable()) return Value();
  const int128 sn = r.schedule.num(), sd = r.schedule.den();
  return Value::Ratio((ytd * sd - plan * sn) * 100, plan * sd);
}

Value Growth(int128 now, int128 base) { return Value::Ratio(now - base, base); }

Value NegativeGrowthStreak(R r) {
  const auto& m = r.group.month_investment;
  int streak = 0;
  for (int k = kStreakMonths - 1; k >= kStreakMonths - 12; --k) {
    const int back = kStreakMonths - 1 - k;
    const int moy = ((r.as_of_month - 1 - back) % 12 + 12) % 12 + 1;
    if (moy == 1) continue;  // January is not a period of its own (1-2月 is the first)
    int128 ytd = 0, prev = 0;
    for (int i = k - (moy - 1); i <= k; ++i) {
      ytd += m[i];
      prev += m[i - 12];
    }
    if (prev <= 0 || ytd >= prev) break;  // growth not negative, or not applicable
    ++streak;
  }
  return Value::Integer(streak);
}

// ---- list notes (ListNote: why a listed project is on its list) --------------------
// Each reads the facts of one project at as_of the way the pass decided them
// (evaluate.cc); a project is only asked about when it is on the list.

using N = const NoteContext&;
using internal::Columns;

ListNote NumberNote(std::string_view key, std::string_view label, int64_t number) {
  return ListNote{key, label, number, {}};
}
std::string DayText(int32_t day) { return Date::FromDays(day).ToString(); }
ListNote TextNote(std::string_view key, std::string_view label, std::string text) {
  return ListNote{key, label, std::nullopt, std::move(text)};
}

// late_reports: the month's filing date when it came after the deadline, else 未报送.
std::optional<ListNote> LateNote(N n, uint32_t p) {
  const std::optional<uint64_t> slot = n.ledger.slot(p, Month::Of(n.as_of));
  const internal::MonthlyColumns& mc = Columns(n.ledger).monthly;
  if (slot && (mc.flags[*slot] & internal::kHasRow) && mc.reported_on[*slot] != kNoDay) {
    return TextNote("reported_on", "报送日期", DayText(mc.reported_on[*slot]));
  }
  return TextNote("reported_on", "报送日期", "未报送");
}

// stalled: a suspended project's 停建 date (key suspended_on), else the months up to
// as_of's month (counted back from it, not before the start month) without
// investment (key months_without_investment); one label, so one column.
std::optional<ListNote> StalledNote(N n, uint32_t p) {
  const internal::ProjectColumns& c = Columns(n.ledger).projects;
  constexpr std::string_view kLabel = "停滞情况";
  const int32_t suspended_on = c.suspended_on[p];
  if (suspended_on != kNoDay && suspended_on <= n.as_of.days()) {
    return TextNote("suspended_on", kLabel, Cat("停建 ", DayText(suspended_on)));
  }
  const Month month = Month::Of(n.as_of);
  const int32_t started_on = c.started_on[p];
  const Month first = started_on != kNoDay ? Month::Of(Date::FromDays(started_on)) : month;
  int64_t months = 0;
  for (Month m = month; first <= m && n.ledger.InvestmentIn(p, m) <= 0; m = m - 1) ++months;
  return NumberNote("months_without_investment", kLabel, months);
}

// behind_schedule: the project's own plan_completion (investment_ytd / its plan for
// the year) in hundredths of a percent, rounded half-up: an integer that shows the
// figure to 0.01% exactly as the other surfaces round it ("45.25%").
std::optional<ListNote> BehindNote(N n, uint32_t p) {
  const Periods periods = Periods::For(n.as_of);
  const int64_t plan = n.ledger.Plan(p, periods.year);
  if (plan == kNoMoney || plan <= 0) return std::nullopt;
  const int128 ytd = n.ledger.Investment(p, periods.ytd);
  const int128 scaled = ytd * 10000;
  // Half-up for either sign: floor((2 * scaled + plan) / (2 * plan)).
  int128 num = 2 * scaled + plan, den = 2 * static_cast<int128>(plan);
  int128 q = num / den;
  if (num % den != 0 && num < 0) --q;
  return NumberNote("plan_completion_centipercent", "占年度计划", static_cast<int64_t>(q));
}

// problems_by_kind: the kinds the project cited in as_of's month, by their labels.
std::optional<ListNote> KindsNote(N n, uint32_t p) {
  const std::optional<uint64_t> slot = n.ledger.slot(p, Month::Of(n.as_of));
  const ProblemSet set = slot ? Columns(n.ledger).monthly.problems[*slot] : 0;
  std::string kinds;
  for (const EnumEntry<ProblemKind>& e : EnumTraits<ProblemKind>::entries()) {
    if (Contains(set, e.value)) internal::Append(&kinds, kinds.empty() ? "" : "、", e.label);
  }
  return TextNote("kinds", "制约因素", std::move(kinds));
}

// problems_open: how many of the project's problems are open at as_of (raised by
// then, or with no raised_on, and not resolved by then: the pass's rule).
// problems_overdue: the days past due of its most overdue open problem.
struct OpenProblems {
  int64_t open = 0;
  int64_t max_days_overdue = -1;  // -1: none overdue
};
OpenProblems OpenProblemsOf(N n, uint32_t p) {
  const internal::ProblemColumns& q = Columns(n.ledger).problems;
  const int32_t d = n.as_of.days();
  OpenProblems out;
  for (size_t i = 0; i < q.project.size(); ++i) {
    if (q.project[i] != p || !internal::ProblemOpenOn(q, i, d)) continue;
    ++out.open;
    if (q.due[i] != kNoDay && q.due[i] < d) out.max_days_overdue = std::max<int64_t>(out.max_days_overdue, d - q.due[i]);
  }
  return out;
}
std::optional<ListNote> OpenProblemsNote(N n, uint32_t p) {
  return NumberNote("open_problems", "未解决问题数", OpenProblemsOf(n, p).open);
}
std::optional<ListNote> OverdueProblemsNote(N n, uint32_t p) {
  const OpenProblems o = OpenProblemsOf(n, p);
  if (o.max_days_overdue < 0) return std::nullopt;
  return NumberNote("max_days_overdue", "最长超期天数", o.max_days_overdue);
}

// unassigned_leader: the total investment that puts the project over the threshold.
std::optional<ListNote> TotalInvestmentNote(N n, uint32_t p) {
  const int64_t total = Columns(n.ledger).projects.total_investment[p];
  if (total == kNoMoney) return std::nullopt;
  return NumberNote("total_investment_fen", "总投资", total);
}

// An approvals count: the total, or one item's (a dotted id).
Value ByItem(R r, CountField total, const std::array<int64_t, kApprovalItemCount + 1>& by_item) {
  return Value::Integer(r.key == 0 ? r.group.count[total] : by_item[r.key]);
}

// ---- the notes of the approvals lists: why project p is on the list ----------------


// Project p's approvals rows of item `key` (all items when 0) that `pick` selects,
// as their Chinese labels joined by "、"; *days_overdue (if given) receives the
// largest as_of - planned_on of those rows.
template <typename Pick>
std::string ItemLabels(N n, uint32_t p, Pick pick, int64_t* days_overdue = nullptr) {
  const internal::ApprovalColumns& a = Columns(n.ledger).approvals;
  std::string text;
  for (uint32_t i = a.row_begin[p]; i < a.row_begin[p + 1]; ++i) {
    if (n.key != 0 && static_cast<int>(a.item[i]) != n.key) continue;
    if (!pick(a, i)) continue;
    internal::Append(&text, text.empty() ? "" : "、", EnumLabel(a.item[i]));
    if (days_overdue != nullptr) *days_overdue = std::max<int64_t>(*days_overdue, n.as_of.days() - a.planned_on[i]);
  }
  return text;
}

std::optional<ListNote> DoneNote(N n, uint32_t p) {
  const int32_t first = Periods::For(n.as_of).ytd.first.first_day().days(), d = n.as_of.days();
  return TextNote("done", "办结手续", ItemLabels(n, p, [first, d](const internal::ApprovalColumns& a, uint32_t i) {
                    return ApprovalDoneWithin(a, i, first, d);
                  }));
}

std::optional<ListNote> PendingNote(N n, uint32_t p) {
  const int32_t d = n.as_of.days();
  return TextNote("pending", "未办手续",
                  ItemLabels(n, p, [d](const internal::ApprovalColumns& a, uint32_t i) { return ApprovalPending(a, i, d); }));
}

std::optional<ListNote> OverdueNote(N n, uint32_t p) {
  const int32_t d = n.as_of.days();
  int64_t days = 0;
  std::string text = ItemLabels(
      n, p, [d](const internal::ApprovalColumns& a, uint32_t i) { return ApprovalOverdue(a, i, d); }, &days);
  return ListNote{"days_overdue", "逾期天数", days, std::move(text)};
}

std::optional<ListNote> ReadyNote(N n, uint32_t p) {
  const int32_t planned = Columns(n.ledger).projects.planned_start[p];
  return TextNote("planned_start", "计划开工", planned == kNoDay ? std::string() : DayText(planned));
}

std::optional<ListNote> BlockedNote(N n, uint32_t p) {
  const int32_t d = n.as_of.days();
  const int32_t planned = Columns(n.ledger).projects.planned_start[p];
  if (planned == kNoDay) return std::nullopt;  // not on the list
  // The number is the days since the planned start, the items what is missing: the
  // key names the number's unit (ListNote), as approvals_overdue's does.
  return ListNote{"days_past_planned_start", "逾期开工天数（缺少手续）", static_cast<int64_t>(d) - planned,
                  ItemLabels(n, p, [d](const internal::ApprovalColumns& a, uint32_t i) { return ApprovalPending(a, i, d); })};
}

// The done_on of project p's `item` row, or kNoDay when it has none.
int32_t ItemDone(const Ledger& l, uint32_t p, ApprovalItem item) {
  const internal::ApprovalColumns& a = internal::Columns(l).approvals;
  for (uint32_t i = a.row_begin[p]; i < a.row_begin[p + 1]; ++i) {
    if (a.item[i] == item) return a.done_on[i];
  }
  return kNoDay;
}

std::optional<ListNote> LandToStartNote(N n, uint32_t p) {
  const int32_t land = ItemDone(n.ledger, p, ApprovalItem::kLand);
  const int32_t started = Columns(n.ledger).projects.started_on[p];
  if (land == kNoDay || started == kNoDay) return std::nullopt;
  return NumberNote("days_land_to_start", "拿地至开工天数", int64_t{started} - land);
}

std::optional<ListNote> WithoutPermitNote(N n, uint32_t p) {
  const int32_t permit = ItemDone(n.ledger, p, ApprovalItem::kConstructionPermit);
  const int32_t started = Columns(n.ledger).projects.started_on[p];
  const bool done = permit != kNoDay && permit <= n.as_of.days();
  return TextNote("permit", "施工许可", Cat("开工", started == kNoDay ? std::string() : DayText(started), "，施工许可",
                                           done ? DayText(permit) : std::string("未办理")));
}

// ---- §2 countdowns: why a project is on the list ----
// A note with a number of days or months (engine.h, ListNote); nullopt when the date
// behind it is not known.
std::optional<ListNote> DaysOverdueNote(const NoteContext& n, int32_t due) {
  if (due == kNoDay) return std::nullopt;
  return NumberNote("days_overdue", "逾期天数", int64_t{n.as_of.days()} - due);
}
std::optional<ListNote> MonthsSinceNote(const NoteContext& n, int32_t day, std::string_view key,
                                        std::string_view label) {
  if (day == kNoDay) return std::nullopt;
  return NumberNote(key, label, WholeMonths(Date::FromDays(day), n.as_of));
}
std::optional<ListNote> OverdueStartNote(const NoteContext& n, uint32_t p) {
  return DaysOverdueNote(n, Columns(n.ledger).projects.planned_start[p]);
}
std::optional<ListNote> CountdownNote(const NoteContext& n, uint32_t p) {
  const int32_t planned = Columns(n.ledger).projects.planned_start[p];
  if (planned == kNoDay) return std::nullopt;
  return NumberNote("days_left", "剩余天数", int64_t{planned} - n.as_of.days());
}
std::optional<ListNote> OverdueCompletionNote(const NoteContext& n, uint32_t p) {
  return DaysOverdueNote(n, Columns(n.ledger).projects.planned_completion[p]);
}
std::optional<ListNote> SignedMonthsNote(const NoteContext& n, uint32_t p) {
  return MonthsSinceNote(n, Columns(n.ledger).projects.signed_on[p], "months_since_signed", "签约月数");
}
std::optional<ListNote> ReserveAgeNote(const NoteContext& n, uint32_t p) {
  return MonthsSinceNote(n, Columns(n.ledger).projects.reserved_on[p], "months_since_reserved", "入库月数");
}

Value ReserveAge(R r) {
  if (r.key != 0) return Count(r, static_cast<CountField>(kReserveAge0To6 + r.key - 1));
  int64_t all = 0;
  for (int band = 0; band < kReserveAgeBands; ++band) all += r.group.count[kReserveAge0To6 + band];
  return Value::Integer(all);
}

// plan_next_years: every year after as_of's, or one (a dotted id; its key is the year,
// which Prepare has checked is one of the kPlanYearsAhead after as_of's).
Value PlanNextYears(R r) {
  if (r.key == 0) return Sum(r, kPlanNextYears);
  const int k = r.key - r.as_of_year - 1;
  if (k < 0 || k >= kPlanYearsAhead) return Value();
  return Value::Integer(r.group.plan_by_year[static_cast<size_t>(k)]);
}

struct Entry {
  IndicatorDef def;
  Computation computation;
};

constexpr IndicatorSplit kNoSplit = IndicatorSplit::kNone;

// clang-format off
constexpr Entry kEntries[] = {
  {{"projects", "项目数", Unit::kCount, 0, true, false, kNoSplit, "projects in scope, not cancelled"},
   {0, [](R r) { return Count(r, kProjects); }}},
  {{"projects_new", "新建项目数", Unit::kCount, 0, true, false, kNoSplit, "projects with build_type new"},
   {kNeedBuildType, [](R r) { return Count(r, kProjectsNew); }}},
  {{"projects_continuing", "续建项目数", Unit::kCount, 0, true, false, kNoSplit, "projects with build_type continuing"},
   {kNeedBuildType, [](R r) { return Count(r, kProjectsContinuing); }}},
  {{"reserve", "储备项目数", Unit::kCount, 0, true, false, kNoSplit, "projects not yet started nor signed at as_of (谋划, 储备, 前期)"},
   {0, [](R r) { return Count(r, kReserve); }}},
  {{"reserved_ytd", "新谋划入库数", Unit::kCount, 0, true, false, kNoSplit, "reserved_on within the year up to as_of"},
   {kNeedYtdCounts, [](R r) { return Count(r, kReservedYtd); }}},
  {{"started", "已开工项目数", Unit::kCount, 0, true, false, kNoSplit, "started_on <= as_of (completed and suspended ones included)"},
   {0, [](R r) { return Count(r, kStarted); }}},
  {{"started_ytd", "新开工项目数", Unit::kCount, 0, true, false, kNoSplit, "started_on within the year up to as_of"},
   {kNeedYtdCounts, [](R r) { return Count(r, kStartedYtd); }}},
  {{"completed", "竣工项目数", Unit::kCount, 0, true, false, kNoSplit, "completed_on <= as_of"},
   {0, [](R r) { return Count(r, kCompleted); }}},
  {{"completed_ytd", "当年竣工项目数", Unit::kCount, 0, true, false, kNoSplit, "completed_on within the year up to as_of"},
   {kNeedYtdCounts, [](R r) { return Count(r, kCompletedYtd); }}},
  {{"suspended", "停建缓建项目数", Unit::kCount, 0, true, false, kNoSplit, "suspended at as_of"},
   {0, [](R r) { return Count(r, kSuspended); }}},
  {{"cancelled", "退出项目数", Unit::kCount, 0, true, false, kNoSplit, "cancelled_on <= as_of (counted nowhere else)"},
   {0, [](R r) { return Count(r, kCancelled); }}},
  {{"start_rate", "开工率", Unit::kRate, 1, false, false, kNoSplit, "started / projects"},
   {0, [](R r) { return CountRatio(r, kStarted, kProjects); }}},
  {{"start_rate_due", "计划开工率", Unit::kRate, 1, false, false, kNoSplit, "started among those with planned_start <= as_of / those"},
   {kNeedDue, [](R r) { return CountRatio(r, kDueStarted, kDuePlanned); }}},
  {{"total_investment", "总投资", Unit::kMoney, 2, true, false, kNoSplit, "sum of total investment"},
   {kNeedSize, [](R r) { return Sum(r, kTotalInvestment); }}},
  {{"annual_plan", "年度计划投资", Unit::kMoney, 2, true, false, kNoSplit, "sum of the plans for year(as_of)"},
   {kNeedPlan, [](R r) { return Sum(r, kAnnualPlan); }}},
  {{"investment_month", "当月完成投资", Unit::kMoney, 2, true, false, kNoSplit, "investment in the month of as_of"},
   {kNeedMonthly, [](R r) { return Sum(r, kInvestmentMonth); }}},
  {{"investment_ytd", "累计完成投资", Unit::kMoney, 2, true, false, kNoSplit, "investment from January to the month of as_of"},
   {kNeedMonthly, [](R r) { return Sum(r, kInvestmentYtd); }}},
  {{"investment_prev_ytd", "上年同期完成投资", Unit::kMoney, 2, true, false, kNoSplit, "investment in the same months a year earlier"},
   {kNeedMonthly, [](R r) { return Sum(r, kInvestmentPrevYtd); }}},
  {{"investment_to_date", "开工累计完成投资", Unit::kMoney, 2, true, false, kNoSplit, "investment of all months up to the month of as_of (开累)"},
   {kNeedMonthly, [](R r) { return Sum(r, kInvestmentToDate); }}},
  {{"plan_completion", "占年度计划", Unit::kRate, 1, false, false, kNoSplit, "investment_ytd / annual_plan", true},
   {kNeedMonthly | kNeedPlan, [](R r) { return Value::Ratio(r.group.money[kInvestmentYtd], r.group.money[kAnnualPlan]); }}},
  {{"schedule", "序时进度", Unit::kRate, 1, false, false, kNoSplit, "share of the year due at as_of (months, days or a curve)"},
   {0, [](R r) { return r.schedule; }}},
  {{"schedule_gap_pp", "超（低于）序时进度", Unit::kPoints, 1, false, false, kNoSplit, "(plan_completion - schedule) in percentage points"},
   {kNeedMonthly | kNeedPlan, ScheduleGap}},
  {{"yoy_growth", "同比增长", Unit::kRate, 1, false, false, kNoSplit, "investment_ytd / base - 1 (base: comparable base, else investment_prev_ytd)"},
   {kNeedMonthly, [](R r) {
      return Growth(r.group.money[kInvestmentYtd], r.base.ytd.value_or(r.group.money[kInvestmentPrevYtd]));
    }}},
  {{"schedule_index", "进度指数", Unit::kMultiple, 2, false, false, kNoSplit, "plan_completion / schedule"},
   {kNeedMonthly | kNeedPlan, [](R r) {
      if (!r.schedule.applicable()) return Value();
      return Value::Ratio(r.group.money[kInvestmentYtd] * r.schedule.den(), r.group.money[kAnnualPlan] * r.schedule.num());
    }}},
  {{"share", "占比", Unit::kRate, 1, false, false, kNoSplit, "the group's investment_ytd / the whole scope's"},
   {kNeedMonthly, [](R r) { return Value::Ratio(r.group.money[kInvestmentYtd], r.all.money[kInvestmentYtd]); }}},
  {{"reserve_multiple", "储备倍数", Unit::kMultiple, 2, false, false, kNoSplit, "reserve / started_ytd (rule of thumb: >= 3)"},
   {kNeedYtdCounts, [](R r) { return CountRatio(r, kReserve, kStartedYtd); }}},
  {{"size_band_count", "规模以上项目数", Unit::kCount, 0, true, false, kNoSplit, "projects with total investment >= the size threshold (500万 unless set)"},
   {kNeedSize, [](R r) { return Count(r, kSizeBand); }}},
  {{"signed", "签约项目数", Unit::kCount, 0, true, false, kNoSplit, "attracted projects with signed_on <= as_of"},
   {kNeedSigned, [](R r) { return Count(r, kSigned); }}},
  {{"signed_ytd", "当年签约项目数", Unit::kCount, 0, true, false, kNoSplit, "attracted projects signed within the year up to as_of"},
   {kNeedYtdCounts, [](R r) { return Count(r, kSignedYtd); }}},
  {{"contracted_investment", "签约总投资", Unit::kMoney, 2, true, false, kNoSplit, "contracted investment of the signed projects"},
   {kNeedSigned, [](R r) { return Sum(r, kContracted); }}},
  {{"signed_started", "签约项目开工数", Unit::kCount, 0, true, false, kNoSplit, "signed projects that have started"},
   {kNeedSigned, [](R r) { return Count(r, kSignedStarted); }}},
  {{"signed_start_rate", "签约项目开工率", Unit::kRate, 1, false, false, kNoSplit, "signed_started / signed"},
   {kNeedSigned, [](R r) { return CountRatio(r, kSignedStarted, kSigned); }}},
  {{"performance_due", "应履约项目数", Unit::kCount, 0, true, false, kNoSplit, "signed projects whose start_due <= as_of"},
   {kNeedSigned, [](R r) { return Count(r, kPerformanceDue); }}},
  {{"performance_rate", "履约率", Unit::kRate, 1, false, false, kNoSplit, "those of performance_due that started by start_due / performance_due"},
   {kNeedSigned, [](R r) { return CountRatio(r, kPerformanceMet, kPerformanceDue); }}},
  {{"funds_arrived_ytd", "到位资金", Unit::kMoney, 2, true, false, kNoSplit, "funds arrived from January to the month of as_of"},
   {kNeedMonthly, [](R r) { return Sum(r, kFundsYtd); }}},
  {{"funds_arrival_rate", "资金到位率", Unit::kRate, 1, false, false, kNoSplit, "funds arrived to date / contracted investment (signed projects)"},
   {kNeedMonthly | kNeedSigned, [](R r) { return Value::Ratio(r.group.money[kFundsToDateSigned], r.group.money[kContracted]); }}},
  {{"supported_projects", "向上争取项目数", Unit::kCount, 0, true, false, kNoSplit, "projects with approved > 0 from a higher-level source in year(as_of)"},
   {kNeedFunding, [](R r) { return Count(r, kSupported); }}},
  {{"support_approved", "争取资金", Unit::kMoney, 2, true, false, IndicatorSplit::kFundingSource, "approved from higher-level sources in year(as_of); .source for one"},
   {kNeedFunding, [](R r) { return Value::Integer(r.key == 0 ? r.group.money[kSupportApproved] : r.group.approved_by_source[r.key]); }}},
  {{"support_arrived", "争取资金到位", Unit::kMoney, 2, true, false, IndicatorSplit::kFundingSource, "arrived from higher-level sources in year(as_of); .source for one"},
   {kNeedFunding, [](R r) { return Value::Integer(r.key == 0 ? r.group.money[kSupportArrived] : r.group.arrived_by_source[r.key]); }}},
  {{"negative_growth_streak", "连续负增长月数", Unit::kMonths, 0, false, false, kNoSplit, "consecutive months to as_of with negative ytd growth (January skipped)"},
   {kNeedStreak, NegativeGrowthStreak}},
  {{"late_reports", "未按时报送", Unit::kCount, 0, true, true, kNoSplit, "projects under way with no report for the month, or filed after the deadline"},
   {kNeedLate, [](R r) { return Count(r, kLateReports); }, kListLate, LateNote}},
  {{"stalled", "停滞项目", Unit::kCount, 0, true, true, kNoSplit, "under way with no investment in the last N months, or suspended"},
   {kNeedStalled, [](R r) { return Count(r, kStalled); }, kListStalled, StalledNote}},
  {{"behind_schedule", "滞后项目", Unit::kCount, 0, true, true, kNoSplit, "projects whose own plan_completion is more than X points below schedule"},
   {kNeedBehind | kNeedMonthly | kNeedPlan, [](R r) { return Count(r, kBehind); }, kListBehind, BehindNote}},
  {{"problems_by_kind", "要素制约", Unit::kCount, 0, true, true, IndicatorSplit::kProblemKind, "projects citing a constraint in the month; .kind for one kind"},
   {kNeedMonthProblems, [](R r) { return Value::Integer(r.key == 0 ? r.group.count[kProblemProjects] : r.group.problem_kind[r.key]); }, kListProblems, KindsNote}},
  {{"started_month", "当月开工数", Unit::kCount, 0, true, false, kNoSplit, "started within the month of as_of"},
   {kNeedMonthCounts, [](R r) { return Count(r, kStartedMonth); }}},
  {{"completed_month", "当月竣工数", Unit::kCount, 0, true, false, kNoSplit, "completed within the month of as_of"},
   {kNeedMonthCounts, [](R r) { return Count(r, kCompletedMonth); }}},
  {{"signed_month", "当月签约数", Unit::kCount, 0, true, false, kNoSplit, "signed within the month of as_of"},
   {kNeedMonthCounts, [](R r) { return Count(r, kSignedMonth); }}},
  {{"support_growth", "争取资金增长", Unit::kRate, 1, false, false, kNoSplit, "support_approved / the same a year earlier - 1"},
   {kNeedFunding, [](R r) { return Growth(r.group.money[kSupportApproved], r.group.money[kSupportApprovedPrev]); }}},
  {{"plan_next_years", "滚动计划投资", Unit::kMoney, 2, true, false, IndicatorSplit::kYear, "plans for the years after year(as_of); .YYYY for one of the ten years after it"},
   {kNeedPlanNext, PlanNextYears}},
  {{"problems_open", "未解决问题", Unit::kCount, 0, true, true, kNoSplit, "problems raised by as_of and not resolved"},
   {kNeedProblems, [](R r) { return Count(r, kProblemsOpen); }, kListProblemsOpen, OpenProblemsNote}},
  {{"problems_overdue", "超期问题", Unit::kCount, 0, true, true, kNoSplit, "open problems past their due date"},
   {kNeedProblems, [](R r) { return Count(r, kProblemsOverdue); }, kListProblemsOverdue, OverdueProblemsNote}},
  {{"problem_resolution_rate", "问题解决率", Unit::kRate, 1, false, false, kNoSplit, "problems resolved by as_of / problems raised by as_of"},
   {kNeedProblems, [](R r) { return CountRatio(r, kProblemsResolved, kProblemsRaised); }}},
  {{"unassigned_leader", "未落实包抓领导", Unit::kCount, 0, true, true, kNoSplit, "projects over the leader threshold with no leader"},
   {kNeedLeader, [](R r) { return Count(r, kUnassignedLeader); }, kListUnassigned, TotalInvestmentNote}},
  // ---- 前期手续 (workflow.md §1; docs/indicators.md "Approvals") ----
  {{"approvals_done_ytd", "手续办结数", Unit::kCount, 0, true, true, IndicatorSplit::kApprovalItem, "approval items done within the year up to as_of (items); .item for one"},
   {kNeedApprovals, [](R r) { return ByItem(r, kApprovalsDoneYtd, r.group.approvals_done_by_item); }, kListApprovalsDone, DoneNote}},
  {{"approvals_pending", "未办结手续", Unit::kCount, 0, true, true, IndicatorSplit::kApprovalItem, "required approval items not done by as_of, projects not cancelled (items); .item for one"},
   {kNeedApprovals, [](R r) { return ByItem(r, kApprovalsPending, r.group.approvals_pending_by_item); }, kListApprovalsPending, PendingNote}},
  {{"approvals_overdue", "超期未办手续", Unit::kCount, 0, true, true, IndicatorSplit::kApprovalItem, "pending approval items with planned_on < as_of (items); .item for one"},
   {kNeedApprovals, [](R r) { return ByItem(r, kApprovalsOverdue, r.group.approvals_overdue_by_item); }, kListApprovalsOverdue, OverdueNote}},
  {{"ready_to_start", "具备开工条件", Unit::kCount, 0, true, true, kNoSplit, "alive, not started, with approval rows, every required item done by as_of"},
   {kNeedApprovals, [](R r) { return Count(r, kReadyToStart); }, kListReadyToStart, ReadyNote}},
  {{"blocked_start", "手续制约开工", Unit::kCount, 0, true, true, kNoSplit, "planned_start <= as_of, alive, not started, some required item not done"},
   {kNeedApprovals, [](R r) { return Count(r, kBlockedStart); }, kListBlockedStart, BlockedNote}},
  {{"land_to_start_ytd", "拿地即开工", Unit::kCount, 0, true, true, kNoSplit, "started within the year up to as_of, 0..N days after its land item was done (N: land_to_start_days)"},
   {kNeedApprovals, [](R r) { return Count(r, kLandToStartYtd); }, kListLandToStart, LandToStartNote}},
  {{"started_without_permit", "未批先建", Unit::kCount, 0, true, true, kNoSplit, "started by as_of with a required construction_permit not done by started_on"},
   {kNeedApprovals, [](R r) { return Count(r, kStartedWithoutPermit); }, kListStartedWithoutPermit, WithoutPermitNote}},
  // ---- 向上争取 (workflow.md §4): higher-level sources, year(as_of) ----
  {{"support_applied_projects", "申报项目数", Unit::kCount, 0, true, false, IndicatorSplit::kFundingSource, "projects with requested > 0 from a higher-level source in year(as_of); .source for one"},
   {kNeedSupport | kNeedFunding, [](R r) { return r.key == 0 ? Count(r, kSupportApplied) : Value::Integer(r.group.applied_by_source[r.key]); }}},
  {{"support_requested", "申报资金", Unit::kMoney, 2, true, false, IndicatorSplit::kFundingSource, "requested from higher-level sources in year(as_of); .source for one"},
   {kNeedSupport | kNeedFunding, [](R r) { return r.key == 0 ? Sum(r, kSupportRequested) : Value::Integer(r.group.requested_by_source[r.key]); }}},
  {{"support_success_rate", "争取成功率", Unit::kRate, 1, false, false, IndicatorSplit::kFundingSource, "of support_applied_projects, those with approved > 0 / support_applied_projects"},
   {kNeedSupport | kNeedFunding, [](R r) {
      return r.key == 0 ? CountRatio(r, kSupportSucceeded, kSupportApplied)
                        : Value::Ratio(r.group.succeeded_by_source[r.key], r.group.applied_by_source[r.key]);
    }}},
  {{"support_approval_ratio", "资金获批率", Unit::kRate, 1, false, false, IndicatorSplit::kFundingSource, "approved / requested over the rows with requested > 0"},
   {kNeedSupport | kNeedFunding, [](R r) {
      return r.key == 0 ? Value::Ratio(r.group.money[kSupportApprovedOfRequested], r.group.money[kSupportRequested])
                        : Value::Ratio(r.group.approved_of_requested_by_source[r.key], r.group.requested_by_source[r.key]);
    }}},
  {{"support_arrival_ratio", "争取资金到位率", Unit::kRate, 1, false, false, IndicatorSplit::kFundingSource, "arrived / approved over the rows with approved > 0"},
   {kNeedSupport | kNeedFunding, [](R r) {
      return r.key == 0 ? Value::Ratio(r.group.money[kSupportArrivedOfApproved], r.group.money[kSupportApproved])
                        : Value::Ratio(r.group.arrived_of_approved_by_source[r.key], r.group.approved_by_source[r.key]);
    }}},
  // ---- §2 countdowns and §3 the 招商 funnel (workflow.md) ----
  {{"overdue_start", "逾期未开工项目数", Unit::kCount, 0, true, true, kNoSplit, "alive, not started, planned_start before as_of (note: days overdue)"},
   {kNeedCountdowns, [](R r) { return Count(r, kOverdueStart); }, kListOverdueStart, OverdueStartNote}},
  {{"start_countdown", "开工倒计时项目数", Unit::kCount, 0, true, true, kNoSplit, "alive, not started, planned_start in (as_of, as_of + N days], N = 30 unless set (note: days left)"},
   {kNeedCountdowns, [](R r) { return Count(r, kStartCountdown); }, kListStartCountdown, CountdownNote}},
  {{"overdue_completion", "逾期未竣工项目数", Unit::kCount, 0, true, true, kNoSplit, "started, not completed, planned_completion before as_of (note: days overdue)"},
   {kNeedCountdowns, [](R r) { return Count(r, kOverdueCompletion); }, kListOverdueCompletion, OverdueCompletionNote}},
  {{"signed_not_started", "签约未开工项目数", Unit::kCount, 0, true, true, kNoSplit, "signed at least M whole months before as_of (6 unless set), alive, not started (note: months since signing)"},
   {kNeedCountdowns, [](R r) { return Count(r, kSignedNotStarted); }, kListSignedNotStarted, SignedMonthsNote}},
  {{"reserve_age", "储备项目库龄", Unit::kCount, 0, true, true, IndicatorSplit::kAgeBand, "reserve projects reserved by as_of, by whole months since reserved_on: .0_6, .6_12, .12_24, .24_ (the total lists .24_)"},
   {kNeedReserveAge, ReserveAge, kListReserveAge, ReserveAgeNote}},
  {{"intended", "意向项目数", Unit::kCount, 0, true, false, kNoSplit, "attracted projects with intended_on <= as_of, or signed by as_of"},
   {kNeedFunnel, [](R r) { return Count(r, kIntended); }}},
  {{"intended_ytd", "当年意向项目数", Unit::kCount, 0, true, false, kNoSplit, "attracted projects with intended_on within the year up to as_of"},
   {kNeedFunnel, [](R r) { return Count(r, kIntendedYtd); }}},
  {{"intention_signed_rate", "意向签约率", Unit::kRate, 1, false, false, kNoSplit, "signed among intended / intended"},
   {kNeedFunnel, [](R r) { return CountRatio(r, kIntendedSigned, kIntended); }}},
  {{"signed_completed", "签约项目竣工数", Unit::kCount, 0, true, false, kNoSplit, "signed projects completed by as_of"},
   {kNeedFunnel, [](R r) { return Count(r, kSignedCompleted); }}},
  {{"operating", "投产项目数", Unit::kCount, 0, true, false, kNoSplit, "attracted projects with operating_on <= as_of, or stage operating, no operating_on and completed by as_of"},
   {kNeedFunnel, [](R r) { return Count(r, kOperating); }}},
  {{"operating_ytd", "当年投产项目数", Unit::kCount, 0, true, false, kNoSplit, "attracted projects with operating_on within the year up to as_of"},
   {kNeedFunnel, [](R r) { return Count(r, kOperatingYtd); }}},
  {{"operating_rate", "投产率", Unit::kRate, 1, false, false, kNoSplit, "operating among completed attracted projects / completed attracted projects"},
   {kNeedFunnel, [](R r) { return CountRatio(r, kAttractedCompletedOperating, kAttractedCompleted); }}},
  // ---- §5 the quarter (workflow.md; docs/indicators.md "The quarter") ----
  {{"investment_quarter", "当季完成投资", Unit::kMoney, 2, true, false, kNoSplit, "investment in the months of as_of's quarter up to the month of as_of"},
   {kNeedQuarter, [](R r) { return Sum(r, kInvestmentQuarter); }}},
  {{"investment_quarter_last_year", "上年同季完成投资", Unit::kMoney, 2, true, false, kNoSplit, "investment_quarter's months a year earlier"},
   {kNeedQuarter, [](R r) { return Sum(r, kInvestmentQuarterLastYear); }}},
  {{"quarter_yoy_growth", "当季同比增长", Unit::kRate, 1, false, false, kNoSplit, "investment_quarter / base - 1 (base: the comparable base of the quarter, else investment_quarter_last_year)"},
   {kNeedQuarter, [](R r) {
      return Growth(r.group.money[kInvestmentQuarter], r.base.quarter.value_or(r.group.money[kInvestmentQuarterLastYear]));
    }}},
  {{"started_quarter", "当季开工数", Unit::kCount, 0, true, false, kNoSplit, "started_on from the first day of as_of's quarter to as_of"},
   {kNeedQuarter, [](R r) { return Count(r, kStartedQuarter); }}},
  {{"completed_quarter", "当季竣工数", Unit::kCount, 0, true, false, kNoSplit, "completed_on from the first day of as_of's quarter to as_of"},
   {kNeedQuarter, [](R r) { return Count(r, kCompletedQuarter); }}},
  {{"signed_quarter", "当季签约数", Unit::kCount, 0, true, false, kNoSplit, "attracted projects signed from the first day of as_of's quarter to as_of"},
   {kNeedQuarter, [](R r) { return Count(r, kSignedQuarter); }}},
  {{"started_quarter_last_year", "上年同季开工数", Unit::kCount, 0, true, false, kNoSplit, "started_quarter's days a year earlier (29 February: to 28 February)"},
   {kNeedQuarter, [](R r) { return Count(r, kStartedQuarterLastYear); }}},
  {{"completed_quarter_last_year", "上年同季竣工数", Unit::kCount, 0, true, false, kNoSplit, "completed_quarter's days a year earlier"},
   {kNeedQuarter, [](R r) { return Count(r, kCompletedQuarterLastYear); }}},
  {{"signed_quarter_last_year", "上年同季签约数", Unit::kCount, 0, true, false, kNoSplit, "signed_quarter's days a year earlier"},
   {kNeedQuarter, [](R r) { return Count(r, kSignedQuarterLastYear); }}},
  // ---- §6 dossiers (workflow.md; docs/report-text.md, "Dossiers") ----
  {{"project_list", "项目清单", Unit::kCount, 0, true, true, kNoSplit, "projects in scope, not cancelled (as projects), listed (note: the project's own plan_completion)"},
   {kNeedProjectList, [](R r) { return Count(r, kProjects); }, kListProjectList, BehindNote}},
};
// clang-format on

constexpr size_t kEntryCount = sizeof(kEntries) / sizeof(kEntries[0]);

// An indicator lists projects (IndicatorDef::lists_projects, what callers read) exactly
// when its computation names the list it keeps.
constexpr bool ListsAgree() {
  for (const Entry& e : kEntries) {
    if (e.def.lists_projects != (e.computation.list != kNoList)) return false;
  }
  return true;
}
static_assert(ListsAgree(), "lists_projects set without a list, or a list without lists_projects");

const std::array<IndicatorDef, kEntryCount>& Defs() {
  static const std::array<IndicatorDef, kEntryCount> defs = [] {
    std::array<IndicatorDef, kEntryCount> d{};
    for (size_t i = 0; i < kEntryCount; ++i) d[i] = kEntries[i].def;
    return d;
  }();
  return defs;
}

}  // namespace

const Computation& ComputationOf(const IndicatorDef* def) {
  return kEntries[static_cast<size_t>(def - Defs().data())].computation;
}

}  // namespace engine

std::span<const IndicatorDef> Catalogue() { return engine::Defs(); }

std::optional<ListNote> NoteOf(const Ledger& ledger, const Result& result, size_t column, uint32_t p) {
  if (result.carried_notes != nullptr) {  // merged from partials: the shards' notes
    const auto& by_column = result.carried_notes->by_column;
    if (column >= by_column.size()) return std::nullopt;
    auto it = by_column[column].find(p);
    if (it == by_column[column].end()) return std::nullopt;
    return ListNote{it->second.key, it->second.label, it->second.number, it->second.text};
  }
  if (column >= result.indicators.size() || p >= ledger.size()) return std::nullopt;
  const IndicatorRef& ref = result.indicators[column];
  if (ref.def == nullptr || !ref.def->lists_projects) return std::nullopt;  // custom indicators list none
  const engine::Computation& c = engine::ComputationOf(ref.def);
  if (c.note == nullptr) return std::nullopt;
  return c.note(engine::NoteContext{ledger, result.as_of, ref.key}, p);
}

std::span<const std::string_view> StandardDashboard() {
  static constexpr std::string_view kIds[] = {
      "projects",          "started",          "start_rate",          "completed",
      "annual_plan",       "investment_month", "investment_ytd",      "investment_prev_ytd",
      "plan_completion",   "yoy_growth",       "share",               "signed",
      "signed_started",    "signed_start_rate", "performance_due",    "performance_rate",
      "funds_arrived_ytd", "funds_arrival_rate", "supported_projects", "support_approved"};
  return kIds;
}

std::string SplitKeyLabel(const IndicatorRef& ref) {
  if (ref.def == nullptr || ref.key == 0) return "";
  switch (ref.def->split) {
    case IndicatorSplit::kNone: return "";
    case IndicatorSplit::kFundingSource: return std::string(EnumLabel(static_cast<FundingSource>(ref.key)));
    case IndicatorSplit::kProblemKind: return std::string(EnumLabel(static_cast<ProblemKind>(ref.key)));
    case IndicatorSplit::kApprovalItem: return std::string(EnumLabel(static_cast<ApprovalItem>(ref.key)));
    case IndicatorSplit::kAgeBand: {
      if (ref.key < 1 || ref.key > engine::kReserveAgeBands) return "";
      const int first = engine::kReserveAgeBandFirstMonths[ref.key];
      if (ref.key == engine::kReserveAgeBands) return Cat(first, "个月以上");
      return Cat(first, "-", engine::kReserveAgeBandFirstMonths[ref.key + 1], "个月");
    }
    case IndicatorSplit::kYear: return Cat(ref.key, "年");
  }
  return "";
}

absl::StatusOr<IndicatorRef> FindIndicator(std::string_view id) {
  const size_t dot = id.find('.');
  const std::string_view base = id.substr(0, dot);
  for (const IndicatorDef& def : Catalogue()) {
    if (def.id != base) continue;
    IndicatorRef ref{&def, 0, std::string(id)};
    if (dot == std::string_view::npos) return ref;
    const std::string_view key = id.substr(dot + 1);
    if (def.split == IndicatorSplit::kFundingSource) {
      std::optional<FundingSource> s = ParseEnum<FundingSource>(key);
      if (!s || !IsHigherLevel(*s)) {
        std::string higher;  // the ids IsHigherLevel admits, in the table's order
        for (const EnumEntry<FundingSource>& e : EnumTraits<FundingSource>::entries()) {
          if (IsHigherLevel(e.value)) internal::Append(&higher, higher.empty() ? "" : ", ", e.id);
        }
        return absl::InvalidArgumentError(
            Cat("indicator '", id, "': '", key, "' is not a higher-level source (", higher, ")"));
      }
      ref.key = static_cast<int>(*s);
      return ref;
    }
    if (def.split == IndicatorSplit::kApprovalItem) {
      std::optional<ApprovalItem> item = ParseEnum<ApprovalItem>(key);
      if (!item) {
        return absl::InvalidArgumentError(
            Cat("indicator '", id, "': '", key, "' is not an approval item (", AcceptedEnumValues<ApprovalItem>(), ")"));
      }
      ref.key = static_cast<int>(*item);
      return ref;
    }
    if (def.split == IndicatorSplit::kProblemKind) {
      std::optional<ProblemKind> k = ParseEnum<ProblemKind>(key);
      if (!k) {
        return absl::InvalidArgumentError(
            Cat("indicator '", id, "': '", key, "' is not a constraint kind (", AcceptedEnumValues<ProblemKind>(), ")"));
      }
      ref.key = static_cast<int>(*k);
      return ref;
    }
    if (def.split == IndicatorSplit::kAgeBand) {
      // "0_6", "6_12", "12_24", "24_": the bands' first months, the next band's first.
      std::string accepted;
      for (int band = 1; band <= engine::kReserveAgeBands; ++band) {
        const std::string name =
            Cat(engine::kReserveAgeBandFirstMonths[band], "_",
                band < engine::kReserveAgeBands ? std::to_string(engine::kReserveAgeBandFirstMonths[band + 1]) : "");
        if (key == name) {
          ref.key = band;
          return ref;
        }
        internal::Append(&accepted, accepted.empty() ? "" : ", ", name);
      }
      return absl::InvalidArgumentError(
          Cat("indicator '", id, "': '", key, "' is not an age band (", accepted, ": whole months since reserved_on)"));
    }
    if (def.split == IndicatorSplit::kYear) {
      // A year of four digits, as plans.csv holds them (1900..9999); whether it is one
      // of the years after as_of's is checked with the query (evaluate.cc).
      const bool digits = key.size() == 4 && std::all_of(key.begin(), key.end(), [](char c) { return c >= '0' && c <= '9'; });
      const int year = digits ? std::stoi(std::string(key)) : 0;
      if (year < 1900) {
        return absl::InvalidArgumentError(
            Cat("indicator '", id, "': '", key, "' is not a year (", base, ".2026 is the plan for 2026)"));
      }
      ref.key = year;
      return ref;
    }
    return absl::InvalidArgumentError(Cat("indicator '", base, "' has no parts ('", id, "')"));
  }
  // A report's Chinese label ("开工率") names its indicator too, when one has it: what
  // a bureau's user types first. The column keeps the id.
  const IndicatorDef* labelled = nullptr;
  for (const IndicatorDef& def : Catalogue()) {
    if (def.label != id) continue;
    if (labelled != nullptr) return absl::InvalidArgumentError(Cat("indicator '", id, "' names several; give its id"));
    labelled = &def;
  }
  if (labelled != nullptr) return IndicatorRef{labelled, 0, std::string(labelled->id)};
  // (The near ids cost an edit distance to every id: a check made many times asks
  // IsCatalogueName instead.)
  std::string near;
  for (const IndicatorDef& def : Catalogue()) {
    if (internal::NearMiss(base, def.id)) internal::Append(&near, near.empty() ? "" : ", ", def.id);
  }
  return absl::InvalidArgumentError(Cat("unknown indicator '", id, "'", near.empty() ? "" : Cat(" (did you mean ", near, "?)")));
}

bool IsCatalogueName(std::string_view name) {
  const auto defs = Catalogue();
  return std::any_of(defs.begin(), defs.end(), [&](const IndicatorDef& d) { return d.id == name || d.label == name; });
}

}  // namespace keyproj
