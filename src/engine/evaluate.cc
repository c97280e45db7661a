// The fused pass: each project in scope is visited once, its group found, and every
// total that the requested indicators need is added to that group. Chunks of
// projects run on several threads; their partial totals merge exactly.
#include <algorithm>
#include <array>
#include <deque>
#include <exception>
#include <limits>
#include <map>
#include <memory>
#include <numeric>
#include <system_error>
#include <thread>
#include <tuple>
#include <type_traits>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_join.h"
#include "engine/catalogue_internal.h"
#include "engine/partial_hooks.h"
#include "engine/totals.h"
#include "keyproj/engine.h"
#include "keyproj/expression.h"
#include "keyproj/internal/text.h"
#include "keyproj/internal/no_throw.h"
#include "keyproj/internal/project_fields.h"

namespace keyproj {

using ::keyproj::internal::kTotalsBlockSize;
using ::keyproj::internal::kHasRow;
using ::keyproj::internal::Cat;

namespace engine {

Totals& Totals::operator+=(const Totals& o) {
  for (int i = 0; i < kCountFields; ++i) count[i] += o.count[i];
  for (int i = 0; i < kMoneyFields; ++i) money[i] += o.money[i];
  for (int i = 0; i < kFundingSourceCount; ++i) {
    approved_by_source[i] += o.approved_by_source[i];
    arrived_by_source[i] += o.arrived_by_source[i];
  }
  for (size_t i = 0; i < problem_kind.size(); ++i) problem_kind[i] += o.problem_kind[i];
  for (size_t i = 0; i < approvals_done_by_item.size(); ++i) {
    approvals_done_by_item[i] += o.approvals_done_by_item[i];
    approvals_pending_by_item[i] += o.approvals_pending_by_item[i];
    approvals_overdue_by_item[i] += o.approvals_overdue_by_item[i];
  }
  for (int i = 0; i < kFundingSourceCount; ++i) {
    requested_by_source[i] += o.requested_by_source[i];
    approved_of_requested_by_source[i] += o.approved_of_requested_by_source[i];
    arrived_of_approved_by_source[i] += o.arrived_of_approved_by_source[i];
    applied_by_source[i] += o.applied_by_source[i];
    succeeded_by_source[i] += o.succeeded_by_source[i];
  }
  for (int i = 0; i < kStreakMonths; ++i) month_investment[i] += o.month_investment[i];
  for (int i = 0; i < kPlanYearsAhead; ++i) plan_by_year[i] += o.plan_by_year[i];
  for (int i = 0; i < kListFields; ++i) lists[i].insert(lists[i].end(), o.lists[i].begin(), o.lists[i].end());
  return *this;
}

namespace {

bool Known(int32_t day) { return day != kNoDay; }
// lo <= day <= hi in one unsigned comparison, branch-free in the pass (needs lo <= hi;
// with lo > kNoDay an unknown day is never within).
bool Within(int32_t day, int32_t lo, int32_t hi) {
  return static_cast<uint32_t>(day) - static_cast<uint32_t>(lo) <= static_cast<uint32_t>(hi) - static_cast<uint32_t>(lo);
}
// A known day on or before d.
bool On(int32_t day, int32_t d) { return Within(day, kNoDay + 1, d); }
// All ones when b, else 0: `x & MaskIf(b)` is x or 0 without a branch.
int64_t MaskIf(bool b) { return -static_cast<int64_t>(b); }

// An amount, or 0 when not known.
int64_t OrZero(int64_t fen) { return fen & MaskIf(fen != kNoMoney); }
// The stage project p was in on day d, for --group-by stage: the dates decide
// (indicators.md, "the dates decide, not the stage column alone"), so a report as of
// a past month puts a project cancelled since under the stage it had then. The stage
// column is the ledger's latest word, and says more than the dates where no dated
// event came after d (前期工作 has no date of its own; its project has a reserved_on):
// it stands when the dates up to d imply what all the dates imply.
Stage StageOnDay(const internal::ProjectColumns& c, uint32_t p, int32_t d) {
  const bool attracted = c.attracted[p] == Attracted::kYes;
  const Stage then = StageFromDates(internal::StageDatesOf(c, p, [d](int32_t day) { return day <= d; }), attracted);
  return then == StageFromDates(internal::StageDatesOf(c, p, Known), attracted) ? c.stage[p] : then;
}
// Bit s set for each source s that IsHigherLevel.
constexpr uint32_t kHigherLevelSources = [] {
  uint32_t bits = 0;
  for (int s = 0; s < kFundingSourceCount; ++s) bits |= IsHigherLevel(static_cast<FundingSource>(s)) ? 1u << s : 0u;
  return bits;
}();

// One group-by dimension packed into the 64-bit group key.
struct DimSpec {
  Dimension dim;
  int shift;
  int bits;
};

int BitsFor(uint64_t max_value) {
  int bits = 1;
  while (bits < 64 && (max_value >> bits) != 0) ++bits;
  return bits;
}

}  // namespace

// A filter prepared for the pass: names resolved to ids, prefixes to ranges.
struct Scope {
  Filter filter;
  uint16_t category_mask = 0, level_mask = 0;
  std::vector<std::pair<int32_t, int32_t>> region_ranges;  // [lo, hi] of 6-digit codes
  absl::flat_hash_set<uint32_t> departments, leaders, tags;
  absl::flat_hash_set<uint32_t> codes;
  bool has_departments = false, has_leaders = false, has_tags = false, has_codes = false;
  bool everything = true;  // no condition at all: the common case, checked first

  bool Contains(const Ledger& l, uint32_t p) const { return everything || Test(l, p); }
  bool Test(const Ledger& l, uint32_t p) const;
};

// The running totals one block of projects reads (ledger.h, TotalsBlock), each null
// when its month is before the block's months (all zero).
struct BlockRows {
  const int64_t* to_date = nullptr;           // investment through as_of's month
  const int64_t* before_month = nullptr;      // ... through the month before
  const int64_t* before_year = nullptr;       // ... through December of last year
  const int64_t* prev_ytd = nullptr;          // ... through the same month last year
  const int64_t* before_prev_year = nullptr;  // ... through December two years back
  const int64_t* funds_to_date = nullptr;     // funds arrived through as_of's month
  const int64_t* funds_before_year = nullptr; // ... through December of last year
  // With kNeedStreak: investment through each of the kStreakMonths months to as_of's,
  // after the month before them ([0]).
  std::array<const int64_t*, kStreakMonths + 1> streak{};
  // With kNeedQuarter: investment through the month before as_of's quarter, and
  // through the same month a year earlier.
  const int64_t* before_quarter = nullptr;
  const int64_t* before_prev_quarter = nullptr;
};

inline int64_t At(const int64_t* row, uint32_t i) { return row == nullptr ? 0 : row[i]; }

// A column of the result: a catalogue indicator, or a custom one.
struct Column {
  IndicatorRef ref;
  int custom = -1;  // index in the custom set, or -1
};

// What a query asks of the pass, prepared once and shared by every chunk.
struct Plan {
  const Ledger* ledger = nullptr;
  Query query;
  std::vector<IndicatorRef> refs;
  uint32_t needs = 0;
  bool need_lists = false;
  Periods periods;
  Value schedule;
  int32_t d = 0;              // as_of day number
  int32_t year_first_day = 0;
  int32_t month_first_day = 0;
  int32_t deadline_day = 0;   // last on-time filing day for month M
  int32_t stalled_window_first_day = 0;
  // §2: the last day of start_countdown's window (d + N), the last signing day that
  // is M whole months before d, and the last reserving day of each reserve_age band
  // boundary (6, 12, 24 months: MonthsBefore, date.h).
  int32_t countdown_last_day = 0;
  int32_t signed_last_day = 0;
  std::array<int32_t, kReserveAgeBands + 1> age_last_day{};  // [b]: WholeMonths >= band b's first month
  // §5: the first day of as_of's quarter; the same a year earlier, and as_of's day a
  // year earlier.
  int32_t quarter_first_day = 0;
  int32_t prev_quarter_first_day = 0;
  int32_t prev_d = 0;

  Scope scope;
  // Custom indicators: their columns, the extra scopes their filtered terms need
  // (kept as groups whose key carries the scope number above the dimensions), and
  // each set term's scope (0 = the query's own).
  std::vector<Column> columns;
  std::shared_ptr<const CustomIndicatorSet> custom;
  std::shared_ptr<std::vector<IndicatorDef>> custom_defs;
  std::vector<Scope> extra_scopes;
  std::vector<int> term_scope;
  int scope_shift = 0;

  std::vector<DimSpec> dims;
  // Group by tag: a project is in each of its tags' groups. The pass keys it by its
  // tag set instead (tag_set_of[p]: sets of the same tags share a number, 0 = no
  // tag), so that the pass's groups stay disjoint -- every total, row passes and
  // lists included, is added once and the whole scope is their sum as for any
  // grouping -- and Finish adds each set's totals to the group of each of its tags
  // (tag_sets[set]: string ids of the tags, sorted). -1: no tag dimension, and none
  // of this runs.
  int tag_dim = -1;
  std::vector<uint32_t> tag_set_of;
  std::vector<std::vector<uint32_t>> tag_sets;

  bool InScope(uint32_t p) const { return scope.Contains(*ledger, p); }
  // The group keys of projects first .. end - 1 into keys[0 .. end - first).
  void KeysOf(uint32_t first, uint32_t end, uint64_t* keys) const;
  uint64_t KeyOf(uint32_t p) const;
  template <Dimension D>
  uint32_t Code(uint32_t p) const;
  std::string KeyText(Dimension dim, uint32_t code) const;
  BlockRows RowsOf(uint32_t block) const;
  // Adds project p, entry i of its block (whose rows are `rows`), to t; false for a
  // cancelled project, which counts only as cancelled.
  bool AddProject(uint32_t p, uint32_t i, const BlockRows& rows, Totals& t) const;
  // The bureau's working cycle beyond the dashboard (workflow.md: §1-3 approvals,
  // countdowns and the 招商 funnel; §5 the quarter; §6 a dossier's list of every
  // project) of the projects first .. end - 1
  // (of one block, whose rows are `rows`) that AddProject added, project p's to
  // *group_of[p % kTotalsBlockSize] (`discarded`: not added). A pass of its own, taken
  // only when asked for, like the row passes: inside AddProject, even behind a test
  // that is never true, it made the standard dashboard's pass slower.
  void AddWorkflowTotals(uint32_t first, uint32_t end, const BlockRows& rows, Totals* const* group_of,
                         const Totals* discarded) const;
  // The §2 countdowns and §3 funnel totals of project p, alive (not cancelled).
  void AddWorkflow(uint32_t p, bool started, bool completed, bool signed_, Totals& t) const;
  // The quarter's totals (kNeedQuarter) of project p (not cancelled), entry i of its block.
  void AddQuarter(uint32_t p, uint32_t i, const BlockRows& rows, Totals& t) const;
  // Adds the funding.csv rows of projects first .. end - 1 (of one block), project
  // p's to *group_of[p % kTotalsBlockSize]; kSupport: also the support_* totals
  // (kNeedSupport), a separate instance so that the dashboard's loop is unchanged.
  template <bool kSupport>
  void AddFundingRows(uint32_t first, uint32_t end, Totals* const* group_of) const;
  // Adds the approvals.csv rows of project p (not cancelled) to t (kNeedApprovals).
  void AddApprovals(uint32_t p, Totals& t) const;
  // The same for plans (plans.csv and the projects.csv shorthand).
  void AddPlanRows(uint32_t first, uint32_t end, Totals* const* group_of) const;
};

bool Scope::Test(const Ledger& l, uint32_t p) const {
  const internal::ProjectColumns& c = internal::Columns(l).projects;
  const Filter& f = filter;
  if (category_mask != 0 && !(category_mask >> static_cast<int>(c.category[p]) & 1)) return false;
  if (level_mask != 0 && !(level_mask >> static_cast<int>(c.level[p]) & 1)) return false;
  if (f.build_type && c.build_type[p] != *f.build_type) return false;
  if (!region_ranges.empty()) {
    bool any = false;
    for (auto [lo, hi] : region_ranges) any |= c.region[p] >= lo && c.region[p] <= hi;
    if (!any) return false;
  }
  if (has_departments && !departments.contains(c.department[p])) return false;
  if (has_leaders && !leaders.contains(c.leader[p])) return false;
  if (has_tags) {
    bool any = false;
    for (uint32_t i = c.tag_begin[p]; i < c.tag_begin[p + 1] && !any; ++i) any = tags.contains(c.tag_ids[i]);
    if (!any) return false;
  }
  if (f.attracted && (c.attracted[p] == Attracted::kYes) != *f.attracted) return false;
  if (f.sector && SectorOf(c.industry[p]) != *f.sector) return false;
  if (f.industrial && IsIndustrial(c.industry[p]) != *f.industrial) return false;
  if (f.min_total_investment &&
      (c.total_investment[p] == kNoMoney || c.total_investment[p] < *f.min_total_investment)) {
    return false;
  }
  if (f.max_total_investment &&
      (c.total_investment[p] == kNoMoney || c.total_investment[p] >= *f.max_total_investment)) {
    return false;
  }
  if (has_codes && !codes.contains(p)) return false;
  return true;
}

// The code of project p in dimension D: a template, so that the pass over a block
// switches on the dimension once rather than once per project.
template <Dimension D>
uint32_t Plan::Code(uint32_t p) const {
  const internal::ProjectColumns& c = internal::Columns(*ledger).projects;
  if constexpr (D == Dimension::kCategory) return static_cast<uint32_t>(c.category[p]);
  if constexpr (D == Dimension::kLevel) return static_cast<uint32_t>(c.level[p]);
  if constexpr (D == Dimension::kBuildType) return static_cast<uint32_t>(c.build_type[p]);
  if constexpr (D == Dimension::kProvince) return static_cast<uint32_t>(c.region[p] / 10000);
  if constexpr (D == Dimension::kCity) return static_cast<uint32_t>(c.region[p] / 100);
  if constexpr (D == Dimension::kCounty) return static_cast<uint32_t>(c.region[p]);
  if constexpr (D == Dimension::kDepartment) return c.department[p];
  if constexpr (D == Dimension::kLeader) return c.leader[p];
  if constexpr (D == Dimension::kAttracted) return static_cast<uint32_t>(c.attracted[p]);
  if constexpr (D == Dimension::kSector) return static_cast<uint32_t>(SectorOf(c.industry[p]));
  if constexpr (D == Dimension::kIndustrial) {
    return c.industry[p].known() ? (IsIndustrial(c.industry[p]) ? 2u : 1u) : 0u;
  }
  if constexpr (D == Dimension::kStage) return static_cast<uint32_t>(StageOnDay(c, p, d));
  if constexpr (D == Dimension::kTag) return tag_set_of[p];
  if constexpr (D == Dimension::kSizeBand) {
    const int64_t v = c.total_investment[p];
    if (v == kNoMoney) return 0;
    uint32_t band = 1;
    for (int64_t bound : query.options.size_bands) band += v >= bound;
    return band;
  }
  return 0;
}

namespace {
// Calls f(std::integral_constant<Dimension, dim>{}).
template <typename F>
void WithDimension(Dimension dim, F&& f) {
  using D = Dimension;
  switch (dim) {
    case D::kCategory: return f(std::integral_constant<D, D::kCategory>{});
    case D::kLevel: return f(std::integral_constant<D, D::kLevel>{});
    case D::kBuildType: return f(std::integral_constant<D, D::kBuildType>{});
    case D::kProvince: return f(std::integral_constant<D, D::kProvince>{});
    case D::kCity: return f(std::integral_constant<D, D::kCity>{});
    case D::kCounty: return f(std::integral_constant<D, D::kCounty>{});
    case D::kDepartment: return f(std::integral_constant<D, D::kDepartment>{});
    case D::kLeader: return f(std::integral_constant<D, D::kLeader>{});
    case D::kAttracted: return f(std::integral_constant<D, D::kAttracted>{});
    case D::kSector: return f(std::integral_constant<D, D::kSector>{});
    case D::kIndustrial: return f(std::integral_constant<D, D::kIndustrial>{});
    case D::kStage: return f(std::integral_constant<D, D::kStage>{});
    case D::kSizeBand: return f(std::integral_constant<D, D::kSizeBand>{});
    case D::kTag: return f(std::integral_constant<D, D::kTag>{});
  }
}
}  // namespace

void Plan::KeysOf(uint32_t first, uint32_t end, uint64_t* keys) const {
  std::fill(keys, keys + (end - first), uint64_t{0});
  for (const DimSpec& s : dims) {
    WithDimension(s.dim, [&](auto dim) {
      for (uint32_t p = first; p < end; ++p) keys[p - first] |= static_cast<uint64_t>(Code<decltype(dim)::value>(p)) << s.shift;
    });
  }
}

uint64_t Plan::KeyOf(uint32_t p) const {
  uint64_t key = 0;
  KeysOf(p, p + 1, &key);
  return key;
}

BlockRows Plan::RowsOf(uint32_t block) const {
  const Ledger& l = *ledger;
  const Month month = periods.month;
  BlockRows rows{l.InvestmentRow(block, month),
                 l.InvestmentRow(block, month - 1),
                 l.InvestmentRow(block, periods.ytd.first - 1),
                 l.InvestmentRow(block, periods.prev_ytd.last),
                 l.InvestmentRow(block, periods.prev_ytd.first - 1),
                 l.FundsRow(block, month),
                 l.FundsRow(block, periods.ytd.first - 1)};
  if (needs & kNeedStreak) {
    for (int j = 0; j <= kStreakMonths; ++j) rows.streak[j] = l.InvestmentRow(block, month - (kStreakMonths - j));
  }
  if (needs & kNeedQuarter) {
    rows.before_quarter = l.InvestmentRow(block, periods.quarter.first - 1);
    rows.before_prev_quarter = l.InvestmentRow(block, periods.quarter.first - 13);
  }
  return rows;
}

namespace {
std::string WanText(int64_t fen) {
  if (fen >= kFenPerYi && fen % kFenPerYi == 0) return Cat(fen / kFenPerYi, "亿");
  return FormatExact(fen, kFenPerWan, 0) + "万";
}
}  // namespace

std::string Plan::KeyText(Dimension dim, uint32_t code) const {
  const Ledger& l = *ledger;
  switch (dim) {
    case Dimension::kCategory: return std::string(EnumId(static_cast<Category>(code)));
    case Dimension::kLevel: return std::string(EnumId(static_cast<Level>(code)));
    case Dimension::kBuildType: return std::string(EnumId(static_cast<BuildType>(code)));
    case Dimension::kProvince:
    case Dimension::kCity:
    case Dimension::kCounty: return code == 0 ? "" : std::to_string(code);
    case Dimension::kDepartment:
    case Dimension::kLeader:
    case Dimension::kTag: return std::string(l.text(code));  // a tag's string id once Finish spread the sets
    case Dimension::kAttracted:
      return code == static_cast<uint32_t>(Attracted::kYes) ? "1" : code == static_cast<uint32_t>(Attracted::kNo) ? "0" : "";
    case Dimension::kSector: return std::string(EnumId(static_cast<Sector>(code)));
    case Dimension::kIndustrial: return code == 0 ? "" : code == 2 ? "1" : "0";
    case Dimension::kStage: return std::string(EnumId(static_cast<Stage>(code)));
    case Dimension::kSizeBand: {
      const std::vector<int64_t>& b = query.options.size_bands;
      if (code == 0) return "";
      if (b.empty()) return "all";
      if (code == 1) return "<" + WanText(b.front());
      if (code == b.size() + 1) return ">=" + WanText(b.back());
      return WanText(b[code - 2]) + "-" + WanText(b[code - 1]);
    }
  }
  return "";
}

bool Plan::AddProject(uint32_t p, uint32_t i, const BlockRows& rows, Totals& t) const {
  const Ledger& l = *ledger;
  const internal::ProjectColumns& c = internal::Columns(l).projects;
  if (On(c.cancelled_on[p], d)) {
    ++t.count[kCancelled];
    return false;
  }
  const int32_t started_on = c.started_on[p], completed_on = c.completed_on[p];
  const bool started = On(started_on, d);
  const bool completed = On(completed_on, d);
  const bool suspended = On(c.suspended_on[p], d) & !completed;
  const int32_t signed_on = c.signed_on[p];
  const bool signed_ = (c.attracted[p] == Attracted::kYes) & On(signed_on, d);
  // Conditions are combined with & rather than && throughout: both sides are cheap,
  // and a branch per condition would be mispredicted on a mixed ledger.
  auto in_ytd = [&](int32_t day) { return Within(day, year_first_day, d); };
  auto in_month = [&](int32_t day) { return Within(day, month_first_day, d); };

  // Every total is a read-modify-write of the group's memory, and on a dense pass
  // those stores, not the arithmetic, are the limit: each family of totals is added
  // only when a requested indicator needs it (catalogue_internal.h, Need).
  ++t.count[kProjects];
  t.count[kReserve] += !started & !signed_;
  t.count[kStarted] += started;
  t.count[kCompleted] += completed;
  t.count[kSuspended] += suspended;
  if (needs & kNeedBuildType) {
    t.count[kProjectsNew] += c.build_type[p] == BuildType::kNew;
    t.count[kProjectsContinuing] += c.build_type[p] == BuildType::kContinuing;
  }
  if (needs & kNeedYtdCounts) {
    t.count[kReservedYtd] += in_ytd(c.reserved_on[p]);
    t.count[kStartedYtd] += in_ytd(started_on);
    t.count[kCompletedYtd] += in_ytd(completed_on);
    t.count[kSignedYtd] += signed_ & in_ytd(signed_on);
  }
  if (needs & kNeedMonthCounts) {
    t.count[kStartedMonth] += in_month(started_on);
    t.count[kCompletedMonth] += in_month(completed_on);
    t.count[kSignedMonth] += signed_ & in_month(signed_on);
  }
  if (needs & kNeedDue) {
    const bool due_planned = On(c.planned_start[p], d);
    t.count[kDuePlanned] += due_planned;
    t.count[kDueStarted] += due_planned & started;
  }
  const int64_t total = c.total_investment[p];
  if (needs & kNeedSize) {
    t.money[kTotalInvestment] += OrZero(total);
    t.count[kSizeBand] += (total != kNoMoney) & (total >= query.options.size_band_threshold);
  }
  if (needs & kNeedSigned) {
    t.count[kSigned] += signed_;
    t.count[kSignedStarted] += signed_ & started;
    t.money[kContracted] += signed_ ? OrZero(c.contracted_investment[p]) : 0;
    const int32_t start_due = c.start_due[p];
    const bool performance_due = signed_ & On(start_due, d);
    t.count[kPerformanceDue] += performance_due;
    // Within() needs lo <= hi, which performance_due guarantees (start_due is known).
    t.count[kPerformanceMet] += performance_due && Within(started_on, kNoDay + 1, start_due);
  }

  const Month month = periods.month;
  int64_t ytd = 0;
  if (needs & (kNeedMonthly | kNeedBehind)) {
    // Every period sum is a difference of two running totals.
    const int64_t to_date = At(rows.to_date, i);
    ytd = to_date - At(rows.before_year, i);
    t.money[kInvestmentToDate] += to_date;
    t.money[kInvestmentYtd] += ytd;
    t.money[kInvestmentMonth] += to_date - At(rows.before_month, i);
    t.money[kInvestmentPrevYtd] += At(rows.prev_ytd, i) - At(rows.before_prev_year, i);
    const int64_t funds_to_date = At(rows.funds_to_date, i);
    t.money[kFundsYtd] += funds_to_date - At(rows.funds_before_year, i);
    if (signed_) t.money[kFundsToDateSigned] += funds_to_date;
  }
  // The plans themselves are added by AddPlanRows; behind_schedule needs the
  // project's own.
  const int64_t plan = (needs & kNeedBehind) ? l.Plan(p, periods.year) : kNoMoney;
  if (needs & kNeedStreak) {
    for (int k = 0; k < kStreakMonths; ++k) {
      t.month_investment[k] += At(rows.streak[k + 1], i) - At(rows.streak[k], i);
    }
  }
  const bool under_way = started && !completed;
  const internal::MonthlyColumns& mc = internal::Columns(l).monthly;
  if ((needs & kNeedLate) && under_way && !suspended) {
    const std::optional<uint64_t> slot = l.slot(p, month);
    const bool has_row = slot && (mc.flags[*slot] & kHasRow);
    const bool late = !has_row || (mc.reported_on[*slot] != kNoDay && mc.reported_on[*slot] > deadline_day);
    if (late) {
      ++t.count[kLateReports];
      if (need_lists) t.lists[kListLate].push_back(p);
    }
  }
  if ((needs & kNeedStalled) && under_way) {
    bool stalled = suspended;
    if (!stalled && started_on < stalled_window_first_day) {
      stalled = true;
      for (int k = 0; k < query.options.stalled_months && stalled; ++k) {
        stalled = l.InvestmentIn(p, month - k) <= 0;
      }
    }
    if (stalled) {
      ++t.count[kStalled];
      if (need_lists) t.lists[kListStalled].push_back(p);
    }
  }
  if ((needs & kNeedBehind) && under_way && !suspended && plan != kNoMoney && plan > 0 && schedule.applicable()) {
    // ytd / plan < schedule - X / 10000  <=>  ytd * sd * 10000 < plan * (sn * 10000 - X * sd)
    const int128 sn = schedule.num(), sd = schedule.den();
    const int128 lhs = static_cast<int128>(ytd) * sd * 10000;
    const int128 rhs = static_cast<int128>(plan) * (sn * 10000 - query.options.behind_centipoints * sd);
    if (lhs < rhs) {
      ++t.count[kBehind];
      if (need_lists) t.lists[kListBehind].push_back(p);
    }
  }
  if (needs & kNeedMonthProblems) {
    const std::optional<uint64_t> slot = l.slot(p, month);
    const ProblemSet set = slot ? mc.problems[*slot] : 0;
    if (set != 0) {
      ++t.count[kProblemProjects];
      for (int k = 1; k <= kProblemKindCount; ++k) t.problem_kind[k] += Contains(set, static_cast<ProblemKind>(k));
      if (need_lists) t.lists[kListProblems].push_back(p);
    }
  }
  if (needs & kNeedLeader) {
    const auto cat = static_cast<size_t>(c.category[p]);
    const int64_t by_cat = cat < query.options.leader_threshold_by_category.size()
                               ? query.options.leader_threshold_by_category[cat]
                               : 0;
    const int64_t threshold = by_cat != 0 ? by_cat : query.options.leader_threshold;
    if (total != kNoMoney && total >= threshold && c.leader[p] == 0) {
      ++t.count[kUnassignedLeader];
      if (need_lists) t.lists[kListUnassigned].push_back(p);
    }
  }
  return true;
}

void Plan::AddWorkflowTotals(uint32_t first, uint32_t end, const BlockRows& rows, Totals* const* group_of,
                             const Totals* discarded) const {
  const internal::ProjectColumns& c = internal::Columns(*ledger).projects;
  for (uint32_t p = first; p < end; ++p) {
    const uint32_t i = p % kTotalsBlockSize;
    Totals* t = group_of[i];
    if (t == discarded) continue;  // out of scope or cancelled
    if (needs & kNeedApprovals) AddApprovals(p, *t);
    if (needs & (kNeedCountdowns | kNeedReserveAge | kNeedFunnel)) {
      const bool signed_ = (c.attracted[p] == Attracted::kYes) & On(c.signed_on[p], d);
      AddWorkflow(p, On(c.started_on[p], d), On(c.completed_on[p], d), signed_, *t);
    }
    if (needs & kNeedQuarter) AddQuarter(p, i, rows, *t);
    if (needs & kNeedProjectList) t->lists[kListProjectList].push_back(p);
  }
}

void Plan::AddQuarter(uint32_t p, uint32_t i, const BlockRows& rows, Totals& t) const {
  const internal::ProjectColumns& c = internal::Columns(*ledger).projects;
  // Whole months, as every monthly figure: the quarter's months up to as_of's, and
  // the same months a year earlier (rows.prev_ytd ends at as_of's month - 12).
  t.money[kInvestmentQuarter] += At(rows.to_date, i) - At(rows.before_quarter, i);
  t.money[kInvestmentQuarterLastYear] += At(rows.prev_ytd, i) - At(rows.before_prev_quarter, i);
  // Days: from the quarter's first day to as_of, and the same days a year earlier.
  auto now = [&](int32_t day) { return Within(day, quarter_first_day, d); };
  auto before = [&](int32_t day) { return Within(day, prev_quarter_first_day, prev_d); };
  const bool attracted = c.attracted[p] == Attracted::kYes;
  t.count[kStartedQuarter] += now(c.started_on[p]);
  t.count[kCompletedQuarter] += now(c.completed_on[p]);
  t.count[kSignedQuarter] += attracted & now(c.signed_on[p]);
  t.count[kStartedQuarterLastYear] += before(c.started_on[p]);
  t.count[kCompletedQuarterLastYear] += before(c.completed_on[p]);
  t.count[kSignedQuarterLastYear] += attracted & before(c.signed_on[p]);
}

void Plan::AddApprovals(uint32_t p, Totals& t) const {
  const internal::ProjectColumns& c = internal::Columns(*ledger).projects;
  const internal::ApprovalColumns& a = internal::Columns(*ledger).approvals;
  const int32_t started_on = c.started_on[p];
  const bool started = On(started_on, d);
  const bool alive = !On(c.suspended_on[p], d);  // and not cancelled: AddProject returned before
  int64_t done = 0, pending = 0, overdue = 0;
  int32_t land_done = kNoDay, permit_done = kNoDay;
  bool permit_required = false;
  const uint32_t begin = a.row_begin[p], end = a.row_begin[p + 1];
  for (uint32_t i = begin; i < end; ++i) {
    const auto item = static_cast<size_t>(a.item[i]);
    const bool done_ytd = ApprovalDoneWithin(a, i, year_first_day, d);
    const bool is_pending = ApprovalPending(a, i, d);
    const bool is_overdue = ApprovalOverdue(a, i, d);
    t.approvals_done_by_item[item] += done_ytd;
    t.approvals_pending_by_item[item] += is_pending;
    t.approvals_overdue_by_item[item] += is_overdue;
    t.count[kApprovalsDoneYtd] += done_ytd;
    done += done_ytd;
    pending += is_pending;
    overdue += is_overdue;
    // One row per item but `other` (the builder rejects a second).
    if (a.item[i] == ApprovalItem::kLand) land_done = a.done_on[i];
    if (a.item[i] == ApprovalItem::kConstructionPermit && a.required[i] != 0) {
      permit_required = true;
      permit_done = a.done_on[i];
    }
  }
  t.count[kApprovalsPending] += pending;
  t.count[kApprovalsOverdue] += overdue;
  // A project with no approvals rows is not known to be ready (docs/indicators.md).
  const bool ready = alive & !started & (end > begin) & (pending == 0);
  const bool blocked = On(c.planned_start[p], d) & alive & !started & (pending > 0);
  // 拿地即开工: started this year, 0..N days after the land item was done (a start
  // before the land is not one).
  const bool land_to_start = Known(land_done) && Within(started_on, year_first_day, d) && started_on >= land_done &&
                             started_on - land_done <= query.options.land_to_start_days;
  // 未批先建: the permit was not done by the start day (on the day is in time).
  const bool without_permit = started & permit_required & (!Known(permit_done) || permit_done > started_on);
  t.count[kReadyToStart] += ready;
  t.count[kBlockedStart] += blocked;
  t.count[kLandToStartYtd] += land_to_start;
  t.count[kStartedWithoutPermit] += without_permit;
  if (need_lists) {
    if (done > 0) t.lists[kListApprovalsDone].push_back(p);
    if (pending > 0) t.lists[kListApprovalsPending].push_back(p);
    if (overdue > 0) t.lists[kListApprovalsOverdue].push_back(p);
    if (ready) t.lists[kListReadyToStart].push_back(p);
    if (blocked) t.lists[kListBlockedStart].push_back(p);
    if (land_to_start) t.lists[kListLandToStart].push_back(p);
    if (without_permit) t.lists[kListStartedWithoutPermit].push_back(p);
  }
}

void Plan::AddWorkflow(uint32_t p, bool started, bool completed, bool signed_, Totals& t) const {
  const internal::ProjectColumns& c = internal::Columns(*ledger).projects;
  const int32_t signed_on = c.signed_on[p];
  auto in_ytd = [&](int32_t day) { return Within(day, year_first_day, d); };
  if (needs & kNeedCountdowns) {
    // Alive (not cancelled: AddProject returned before; not suspended), not started.
    const bool waiting = !started & !On(c.suspended_on[p], d);
    const int32_t planned_start = c.planned_start[p];
    const bool overdue_start = waiting & On(planned_start, d - 1);
    const bool countdown = waiting & Within(planned_start, d + 1, countdown_last_day);
    const bool overdue_completion = started & !completed & On(c.planned_completion[p], d - 1);
    const bool signed_waiting = waiting & signed_ & On(signed_on, signed_last_day);
    t.count[kOverdueStart] += overdue_start;
    t.count[kStartCountdown] += countdown;
    t.count[kOverdueCompletion] += overdue_completion;
    t.count[kSignedNotStarted] += signed_waiting;
    if (need_lists) {
      if (overdue_start) t.lists[kListOverdueStart].push_back(p);
      if (countdown) t.lists[kListStartCountdown].push_back(p);
      if (overdue_completion) t.lists[kListOverdueCompletion].push_back(p);
      if (signed_waiting) t.lists[kListSignedNotStarted].push_back(p);
    }
  }
  if (needs & kNeedReserveAge) {
    // A reserve project (as `reserve`) reserved by d, in the band of its whole months
    // since reserved_on: the bands' last days descend, so each test is one range.
    const int32_t r = c.reserved_on[p];
    const bool aged = !started & !signed_ & On(r, d);
    t.count[kReserveAge0To6] += aged & Within(r, age_last_day[2] + 1, d);
    t.count[kReserveAge6To12] += aged & Within(r, age_last_day[3] + 1, age_last_day[2]);
    t.count[kReserveAge12To24] += aged & Within(r, age_last_day[4] + 1, age_last_day[3]);
    t.count[kReserveAge24Up] += aged & On(r, age_last_day[4]);
    if (need_lists && aged) t.lists[kListReserveAge].push_back(p);
  }
  if (needs & kNeedFunnel) {
    const bool attracted = c.attracted[p] == Attracted::kYes;
    const int32_t operating_on = c.operating_on[p];
    // A signed agreement implies the intention (intended_on, when given, is not
    // after signed_on): the funnel never narrows upward.
    const bool intended = attracted & (On(c.intended_on[p], d) | signed_);
    // Legacy ledgers mark operating by the stage alone; it counts from completion.
    const bool operating =
        attracted & (On(operating_on, d) | (!Known(operating_on) & (c.stage[p] == Stage::kOperating) & completed));
    t.count[kIntended] += intended;
    t.count[kIntendedYtd] += attracted & in_ytd(c.intended_on[p]);
    t.count[kIntendedSigned] += intended & signed_;
    t.count[kSignedCompleted] += signed_ & completed;
    t.count[kOperating] += operating;
    t.count[kOperatingYtd] += attracted & in_ytd(operating_on);
    t.count[kAttractedCompleted] += attracted & completed;
    t.count[kAttractedCompletedOperating] += attracted & completed & operating;
  }
}

// The row passes go row by row rather than project by project: no loop per project
// whose length the branch predictor would have to guess, and no branches in a row
// (masks: a row of another year or source adds zeros).
void Plan::AddPlanRows(uint32_t first, uint32_t end, Totals* const* group_of) const {
  const internal::PlanColumns& pc = internal::Columns(*ledger).plans;
  for (uint32_t i = pc.row_begin[first], e = pc.row_begin[end]; i < e; ++i) {
    Totals& t = *group_of[pc.project[i] % kTotalsBlockSize];
    const int year = pc.year[i];
    const int64_t planned = pc.planned[i];
    // One row per project and year (the builder merges or rejects a second one).
    if (needs & kNeedPlan) t.money[kAnnualPlan] += planned & MaskIf(year == periods.year);
    if (needs & kNeedPlanNext) t.money[kPlanNextYears] += planned & MaskIf(year > periods.year);
    if (needs & kNeedPlanByYear) {
      const int k = year - periods.year - 1;
      if (k >= 0 && k < kPlanYearsAhead) t.plan_by_year[static_cast<size_t>(k)] += planned;
    }
  }
}

template <bool kSupport>
void Plan::AddFundingRows(uint32_t first, uint32_t end, Totals* const* group_of) const {
  const internal::FundingColumns& f = internal::Columns(*ledger).funding;
  uint32_t last_supported = UINT32_MAX;
  // kSupport: the project (and the source) whose rows are being read, and whether
  // they have applied (requested > 0) or won (approved > 0) yet, and been counted.
  struct Run {
    uint32_t project = UINT32_MAX;
    FundingSource source = FundingSource::kUnknown;
    bool applied = false, approved = false, counted_applied = false, counted_succeeded = false;
  } whole, by_source;
  const bool split = (needs & kNeedFundingBySource) != 0;
  for (uint32_t i = f.row_begin[first], e = f.row_begin[end]; i < e; ++i) {
    const uint32_t p = f.project[i];
    Totals& t = *group_of[p % kTotalsBlockSize];
    const FundingSource source = f.source[i];
    const bool higher = (kHigherLevelSources >> static_cast<int>(source) & 1u) != 0;
    const int year = f.year[i];
    const int64_t approved = OrZero(f.approved[i]), arrived = OrZero(f.arrived[i]);
    const int64_t now = MaskIf(higher & (year == periods.year));
    const int64_t prev = MaskIf(higher & (year == periods.year - 1));
    if (needs & kNeedFundingBySource) {
      t.approved_by_source[static_cast<size_t>(source)] += approved & now;
      t.arrived_by_source[static_cast<size_t>(source)] += arrived & now;
    }
    t.money[kSupportApproved] += approved & now;
    t.money[kSupportArrived] += arrived & now;
    t.money[kSupportApprovedPrev] += approved & prev;
    // A project counts once however many of its rows qualify (rows are in project order).
    const bool first_support = ((approved & now) > 0) & (p != last_supported);
    t.count[kSupported] += first_support;
    last_supported = first_support ? p : last_supported;
    if constexpr (kSupport) {
      if (!(higher & (year == periods.year))) continue;
      const int64_t requested = OrZero(f.requested[i]);
      const bool asked = requested > 0;
      t.money[kSupportRequested] += requested;
      t.money[kSupportApprovedOfRequested] += asked ? approved : 0;
      t.money[kSupportArrivedOfApproved] += approved > 0 ? arrived : 0;
      // A project counts once in the total and once per source (rows are sorted by
      // project, year and source, so a project's and a source's rows are adjacent).
      auto count = [&](Run& run, bool same, int64_t& applied, int64_t& succeeded) {
        if (!same) run = Run{p, source};
        run.applied |= asked;
        run.approved |= approved > 0;
        if (run.applied && !run.counted_applied) {
          ++applied;
          run.counted_applied = true;
        }
        if (run.applied && run.approved && !run.counted_succeeded) {
          ++succeeded;
          run.counted_succeeded = true;
        }
      };
      count(whole, whole.project == p, t.count[kSupportApplied], t.count[kSupportSucceeded]);
      if (split) {
        const auto s = static_cast<size_t>(source);
        t.requested_by_source[s] += requested;
        t.approved_of_requested_by_source[s] += asked ? approved : 0;
        t.arrived_of_approved_by_source[s] += approved > 0 ? arrived : 0;
        count(by_source, by_source.project == p && by_source.source == source, t.applied_by_source[s],
              t.succeeded_by_source[s]);
      }
    }
  }
}

}  // namespace engine

using engine::Plan;
using engine::Totals;
using engine::Known;
using engine::On;

struct Aggregation::State {
  std::shared_ptr<const Plan> plan;
  absl::flat_hash_map<uint64_t, uint32_t> index;  // group key -> position in groups
  std::vector<uint64_t> keys;
  std::deque<Totals> groups;  // a deque: references stay valid as groups are added

  Totals& Group(uint64_t key) {
    auto [it, inserted] = index.try_emplace(key, static_cast<uint32_t>(groups.size()));
    if (inserted) {
      keys.push_back(key);
      groups.emplace_back();
    }
    return groups[it->second];
  }
};

namespace {

absl::Status PrepareScope(const Ledger& ledger, const Filter& f, engine::Scope* scope) {
  engine::Scope& p = *scope;
  p.filter = f;
  for (Category c : f.categories) p.category_mask |= static_cast<uint16_t>(1u << static_cast<int>(c));
  for (Level v : f.levels) p.level_mask |= static_cast<uint16_t>(1u << static_cast<int>(v));
  for (const std::string& prefix : f.region_prefixes) {
    if (prefix.empty() || prefix.size() > 6 || !std::all_of(prefix.begin(), prefix.end(), [](char ch) {
          return ch >= '0' && ch <= '9';
        })) {
      return absl::InvalidArgumentError(Cat("region filter '", prefix, "' is not 2, 4 or 6 digits"));
    }
    p.region_ranges.push_back(RegionPrefixRange(prefix));
  }
  auto ids_of = [&](const std::vector<std::string>& texts, absl::flat_hash_set<uint32_t>& out, bool& has) {
    has = !texts.empty();
    for (const std::string& t : texts) {
      if (std::optional<uint32_t> id = internal::Columns(ledger).strings.Find(t); id && *id != 0) out.insert(*id);
    }
  };
  ids_of(f.departments, p.departments, p.has_departments);
  ids_of(f.leaders, p.leaders, p.has_leaders);
  ids_of(f.tags, p.tags, p.has_tags);
  p.has_codes = !f.codes.empty();
  for (const std::string& code : f.codes) {
    std::optional<uint32_t> project = ledger.FindProject(code);
    if (!project) return absl::InvalidArgumentError(Cat("code filter: no project '", code, "' in the ledger"));
    p.codes.insert(*project);
  }
  p.everything = p.category_mask == 0 && p.level_mask == 0 && !f.build_type && p.region_ranges.empty() &&
                 !p.has_departments && !p.has_leaders && !p.has_tags && !f.attracted && !f.sector &&
                 !f.industrial && !f.min_total_investment && !f.max_total_investment && !p.has_codes;
  return absl::OkStatus();
}

// Numbers every project's set of tags (Plan::tag_set_of, tag_sets): 0 for none, the
// same number for the same tags in any order or repeated.
void PrepareTagSets(const Ledger& ledger, Plan* plan) {
  const internal::ProjectColumns& c = internal::Columns(ledger).projects;
  std::map<std::vector<uint32_t>, uint32_t> number;
  plan->tag_sets = {{}};
  number.emplace(std::vector<uint32_t>{}, 0);
  plan->tag_set_of.assign(ledger.size(), 0);
  std::vector<uint32_t> tags;
  for (uint32_t p = 0; p < ledger.size(); ++p) {
    tags.assign(c.tag_ids.begin() + c.tag_begin[p], c.tag_ids.begin() + c.tag_begin[p + 1]);
    std::erase(tags, 0u);  // the empty string: no tag
    std::sort(tags.begin(), tags.end());
    tags.erase(std::unique(tags.begin(), tags.end()), tags.end());
    auto [it, added] = number.try_emplace(tags, static_cast<uint32_t>(plan->tag_sets.size()));
    if (added) plan->tag_sets.push_back(tags);
    plan->tag_set_of[p] = it->second;
  }
}

// The parts of the pass a reference needs: its catalogue entry's, and for one funding
// source of a split id, the totals by source.
uint32_t NeedsOf(const IndicatorRef& ref) {
  uint32_t needs = engine::ComputationOf(ref.def).needs;
  if (ref.key != 0 && ref.def->split == IndicatorSplit::kFundingSource) needs |= engine::kNeedFundingBySource;
  if (ref.key != 0 && ref.def->split == IndicatorSplit::kYear) needs |= engine::kNeedPlanByYear;
  return needs;
}

// A year split (plan_next_years.2026) names one of the years after as_of's that the
// pass keeps (engine::kPlanYearsAhead); any other year is an error rather than a
// silent zero: a plan for the current year is annual_plan, one for a past year is
// no longer a plan of the rolling plan.
absl::Status CheckYearSplit(const IndicatorRef& ref, Date as_of) {
  if (ref.key == 0 || ref.def->split != IndicatorSplit::kYear) return absl::OkStatus();
  const int year = as_of.ymd().year;
  if (ref.key > year && ref.key <= year + engine::kPlanYearsAhead) return absl::OkStatus();
  return absl::InvalidArgumentError(Cat("indicator '", ref.id, "': ", ref.key, " is not one of the ",
                                        engine::kPlanYearsAhead, " years after as_of's year ", year, " (", year + 1,
                                        "..", year + engine::kPlanYearsAhead,
                                        ref.key == year ? "; the plan for as_of's year is annual_plan)" : ")"));
}

absl::StatusOr<std::shared_ptr<const Plan>> Prepare(const Ledger& ledger, const Query& query) {
  if (absl::Status s = ValidateQuery(query); !s.ok()) return s;
  auto plan = std::make_shared<Plan>();
  plan->ledger = &ledger;
  plan->query = query;
  Plan& p = *plan;
  p.custom = query.custom;
  if (p.custom != nullptr) {
    // Definitions the result can point to; their text lives in the custom set.
    auto defs = std::make_shared<std::vector<IndicatorDef>>();
    for (const CustomIndicatorSet::Compiled& c : p.custom->indicators()) {
      defs->push_back(IndicatorDef{c.def.id, c.def.label.empty() ? std::string_view(c.def.id) : c.def.label,
                                   c.def.unit, c.def.places, false, false, IndicatorSplit::kNone,
                                   c.def.expression});
    }
    p.custom_defs = std::move(defs);
  }
  for (const std::string& id : query.indicators) {
    const int custom = p.custom != nullptr ? p.custom->IndexOf(id) : -1;
    if (custom >= 0) {
      p.columns.push_back({IndicatorRef{&(*p.custom_defs)[static_cast<size_t>(custom)], 0, id}, custom});
      continue;
    }
    absl::StatusOr<IndicatorRef> ref = FindIndicator(id);
    if (!ref.ok()) return ref.status();
    if (absl::Status st = CheckYearSplit(*ref, query.as_of); !st.ok()) return st;
    p.needs |= NeedsOf(*ref);
    p.need_lists |= ref->def->lists_projects;
    p.refs.push_back(*ref);
    p.columns.push_back({*std::move(ref), -1});
  }
  if (p.custom != nullptr) {
    // Each distinct filter of a custom term is an extra scope of the same pass.
    std::vector<std::string> scope_texts;
    for (const ExpressionTerm& term : p.custom->terms()) {
      if (absl::Status st = CheckYearSplit(term.indicator, query.as_of); !st.ok()) return st;
      p.needs |= NeedsOf(term.indicator);
      if (!term.filter) {
        p.term_scope.push_back(0);
        continue;
      }
      const std::string text = FilterText(*term.filter);
      auto it = std::find(scope_texts.begin(), scope_texts.end(), text);
      if (it == scope_texts.end()) {
        engine::Scope scope;
        if (absl::Status st = PrepareScope(ledger, *term.filter, &scope); !st.ok()) return st;
        p.extra_scopes.push_back(std::move(scope));
        scope_texts.push_back(text);
        it = scope_texts.end() - 1;
      }
      p.term_scope.push_back(static_cast<int>(it - scope_texts.begin()) + 1);
    }
  }
  p.periods = Periods::For(query.as_of);
  p.d = query.as_of.days();
  p.year_first_day = p.periods.ytd.first.first_day().days();
  p.month_first_day = p.periods.month.first_day().days();
  const Month next = p.periods.month + 1;
  const int deadline = std::min(query.options.report_deadline_day, next.last_day().ymd().day);
  // Total also for an as_of in 9999-12, whose next month no Date can be parsed in.
  p.deadline_day = next.first_day().days() + deadline - 1;
  p.stalled_window_first_day = (p.periods.month - (query.options.stalled_months - 1)).first_day().days();
  p.countdown_last_day = p.d + query.options.countdown_days;
  p.signed_last_day = MonthsBefore(query.as_of, query.options.signed_months).days();
  for (int band = 1; band <= engine::kReserveAgeBands; ++band) {
    p.age_last_day[band] = MonthsBefore(query.as_of, engine::kReserveAgeBandFirstMonths[band]).days();
  }
  p.quarter_first_day = p.periods.quarter.first.first_day().days();
  p.prev_quarter_first_day = (p.periods.quarter.first - 12).first_day().days();
  // The same day a year earlier; a month's last day stays one (29 February 2024 ->
  // 28 February 2023, 28 February 2025 -> 29 February 2024): 1-2月 against 1-2月.
  p.prev_d = query.as_of == p.periods.month.last_day() ? (p.periods.month - 12).last_day().days()
                                                        : MonthsBefore(query.as_of, 12).days();
  switch (query.options.schedule) {
    case ScheduleMode::kMonths:
      p.schedule = Value::Ratio(p.periods.month.month(), 12);
      break;
    case ScheduleMode::kDays: {
      const int32_t first = p.year_first_day;
      const int32_t days_in_year = Month::FromYm(p.periods.year, 12).last_day().days() - first + 1;
      p.schedule = Value::Ratio(p.d - first + 1, days_in_year);
      break;
    }
    case ScheduleMode::kCurve:
      p.schedule = Value::Ratio(query.options.curve[p.periods.month.month() - 1], 1'000'000);
      break;
  }

  if (absl::Status st = PrepareScope(ledger, query.filter, &p.scope); !st.ok()) return st;

  int shift = 0;
  for (Dimension dim : query.group_by) {
    uint64_t max = 0;
    switch (dim) {
      case Dimension::kDepartment:
      case Dimension::kLeader: max = internal::Columns(ledger).strings.size(); break;
      case Dimension::kProvince: max = 99; break;
      case Dimension::kCity: max = 9999; break;
      case Dimension::kCounty: max = 999999; break;
      case Dimension::kSizeBand: max = query.options.size_bands.size() + 1; break;
      case Dimension::kTag: {
        // Holds a tag set's number in the pass and a tag's string id after it.
        p.tag_dim = static_cast<int>(p.dims.size());
        PrepareTagSets(ledger, &p);
        max = std::max<uint64_t>(internal::Columns(ledger).strings.size(), p.tag_sets.size());
        break;
      }
      default: max = 255; break;
    }
    const int bits = engine::BitsFor(max);
    if (shift + bits > 64) return absl::InvalidArgumentError("too many group-by dimensions at once");
    p.dims.push_back({dim, shift, bits});
    shift += bits;
  }
  p.scope_shift = shift;
  if (!p.extra_scopes.empty() && shift + engine::BitsFor(p.extra_scopes.size()) > 64) {
    return absl::InvalidArgumentError("too many group-by dimensions for the custom indicators' filters");
  }
  return std::shared_ptr<const Plan>(std::move(plan));
}

engine::ComparableBases ComparableBase(const Plan& plan, const std::vector<Dimension>& dims,
                                      const std::vector<std::string>& key) {
  if (!plan.query.options.use_baseline) return {};
  // A base is for a whole dimension value; under a filter it covers other projects.
  // The size floor is the exception: published bases are for the statistical scope
  // of projects of 500万 and more (规模以上), which is what that filter selects.
  const Filter& f = plan.query.filter;
  if (!f.categories.empty() || !f.levels.empty() || f.build_type || !f.departments.empty() ||
      !f.leaders.empty() || !f.tags.empty() || f.attracted || f.sector || f.industrial || f.max_total_investment ||
      !f.codes.empty()) {
    return {};
  }
  const Ledger& l = *plan.ledger;
  const internal::BaselineColumns& b = internal::Columns(l).baseline;
  if (b.month.empty() || dims.size() > 1) return {};
  std::string_view dimension = "all", key_text = "";
  if (dims.size() == 1) {
    switch (dims[0]) {
      case Dimension::kProvince:
      case Dimension::kCity:
      case Dimension::kCounty: dimension = "region"; break;
      default: dimension = DimensionId(dims[0]); break;
    }
    key_text = key[0];
  }
  // A filter by region leaves a row whole when the row is one region that lies inside
  // it: a county's row under its city's filter, and the whole scope of a filter that
  // is one county, city or province -- that region's own base (a county's 同比 in its
  // own report read -12.0% against the raw figure, in the county table -13.2%
  // against its base: a black-box tester's find). Any other row of a filtered scope
  // is part of its dimension value: no base.
  if (!f.region_prefixes.empty()) {
    const auto is_region_key = [](std::string_view k) { return k.size() == 2 || k.size() == 4 || k.size() == 6; };
    if (dimension == "all") {
      if (f.region_prefixes.size() != 1 || !is_region_key(f.region_prefixes[0])) return {};
      dimension = "region";
      key_text = f.region_prefixes[0];
    } else if (dimension != "region" ||
               std::none_of(f.region_prefixes.begin(), f.region_prefixes.end(),
                            [&](const std::string& prefix) { return key_text.starts_with(prefix); })) {
      return {};
    }
  }
  auto base_of = [&](Month month) -> std::optional<int128> {
    for (size_t i = 0; i < b.month.size(); ++i) {
      if (b.month[i] == month.index() && l.text(b.dimension[i]) == dimension && l.text(b.key[i]) == key_text) {
        return static_cast<int128>(b.investment[i]);
      }
    }
    return std::nullopt;
  };
  engine::ComparableBases bases;
  bases.ytd = base_of(plan.periods.month);
  const Month quarter_first = plan.periods.quarter.first;
  if (quarter_first == plan.periods.ytd.first) {
    bases.quarter = bases.ytd;
  } else if (const std::optional<int128> before = base_of(quarter_first - 1); bases.ytd && before) {
    bases.quarter = *bases.ytd - *before;
  }
  return bases;
}

// One result row. scoped[s]: the row's totals in scope s (0 = the query's own, s > 0
// a custom filter's; null when no project of the row is in it); alls[s]: the whole
// scope's totals in scope s.
// Whether the part of a split indicator that `ref` names (a dotted id) lists fewer
// projects than the indicator's list: those of OnPartList. reserve_age's total lists
// its oldest band too (workflow.md §2).
bool NarrowsList(const IndicatorRef& ref) {
  switch (ref.def->split) {
    case IndicatorSplit::kAgeBand: return true;
    case IndicatorSplit::kProblemKind:
    case IndicatorSplit::kApprovalItem: return ref.key != 0;
    default: return false;
  }
}

// Whether project p, on the list of ref's indicator, is on the list of the part `ref`
// names: in the reserve_age band; citing the problem kind in the month; having the
// approval item in the indicator's state.
bool OnPartList(const Plan& plan, const IndicatorRef& ref, uint32_t p) {
  const Ledger& l = *plan.ledger;
  switch (ref.def->split) {
    case IndicatorSplit::kAgeBand: {
      const int band = ref.key != 0 ? ref.key : engine::kReserveAgeBands;
      const int32_t reserved_on = internal::Columns(l).projects.reserved_on[p];
      return engine::ReserveAgeBand(WholeMonths(Date::FromDays(reserved_on), plan.query.as_of)) == band;
    }
    case IndicatorSplit::kProblemKind: {
      const std::optional<uint64_t> slot = l.slot(p, plan.periods.month);
      return slot && Contains(internal::Columns(l).monthly.problems[*slot], static_cast<ProblemKind>(ref.key));
    }
    case IndicatorSplit::kApprovalItem: {
      const internal::ApprovalColumns& a = internal::Columns(l).approvals;
      const engine::ListField list = engine::ComputationOf(ref.def).list;
      for (uint32_t i = a.row_begin[p]; i < a.row_begin[p + 1]; ++i) {
        if (static_cast<int>(a.item[i]) == ref.key &&
            engine::ApprovalInListState(list, a, i, plan.year_first_day, plan.d)) {
          return true;
        }
      }
      return false;
    }
    default: return true;
  }
}

// The comparable base of the row with key `key` (empty: the whole scope).
engine::ComparableBases RowBase(const Plan& plan, const std::vector<std::string>& key) {
  const std::vector<Dimension> none;
  return ComparableBase(plan, key.empty() ? none : plan.query.group_by, key);
}

// `base`: RowBase's, or (merged partials) the one the shards looked up.
ResultRow MakeRow(const Plan& plan, const std::vector<const Totals*>& scoped, const std::vector<Totals>& alls,
                  std::vector<std::string> key, const engine::ComparableBases& base) {
  ResultRow row;
  const Totals empty;
  const Totals& group = scoped[0] != nullptr ? *scoped[0] : empty;
  const Totals& all = alls[0];
  std::vector<Value> term_values;  // of the custom set, computed once per row
  if (plan.custom != nullptr) {
    const std::span<const ExpressionTerm> terms = plan.custom->terms();
    for (size_t t = 0; t < terms.size(); ++t) {
      const auto s = static_cast<size_t>(plan.term_scope[t]);
      const Totals& g = scoped[s] != nullptr ? *scoped[s] : empty;
      const engine::RowContext ctx{g, alls[s], plan.schedule, s == 0 ? base : engine::ComparableBases{},
                                   plan.periods.month.month(), terms[t].indicator.key, plan.periods.year};
      term_values.push_back(engine::ComputationOf(terms[t].indicator.def).value(ctx));
    }
  }
  for (const engine::Column& column : plan.columns) {
    const IndicatorRef& ref = column.ref;
    if (column.custom >= 0) {
      // An exact result too large for 128 bits cannot be shown; it reads as not
      // applicable (docs/indicators.md).
      absl::StatusOr<Value> v = plan.custom->Evaluate(static_cast<size_t>(column.custom), term_values);
      row.values.push_back(v.ok() ? *v : Value());
      row.projects.emplace_back();
      continue;
    }
    const engine::RowContext ctx{group, all, plan.schedule, base, plan.periods.month.month(), ref.key,
                                 plan.periods.year};
    row.values.push_back(engine::ComputationOf(ref.def).value(ctx));
    std::vector<uint32_t> projects;
    if (ref.def->lists_projects) {
      // The catalogue's list for the indicator (catalogue.cc checks there is one).
      projects = group.lists[engine::ComputationOf(ref.def).list];
      if (NarrowsList(ref)) std::erase_if(projects, [&](uint32_t p) { return !OnPartList(plan, ref, p); });
      std::sort(projects.begin(), projects.end());
      projects.erase(std::unique(projects.begin(), projects.end()), projects.end());
    }
    row.projects.push_back(std::move(projects));
  }
  row.group = std::move(key);
  return row;
}

}  // namespace

Aggregation::Aggregation(std::unique_ptr<State> state) : s_(std::move(state)) {}
Aggregation::~Aggregation() = default;
Aggregation::Aggregation(Aggregation&&) noexcept = default;
Aggregation& Aggregation::operator=(Aggregation&&) noexcept = default;

absl::StatusOr<Aggregation> Aggregation::Start(const Ledger& ledger, const Query& query) {
  absl::StatusOr<std::shared_ptr<const Plan>> plan = Prepare(ledger, query);
  if (!plan.ok()) return plan.status();
  auto state = std::make_unique<State>();
  state->plan = *std::move(plan);
  return Aggregation(std::move(state));
}

void Aggregation::AddProjects(uint32_t first, uint32_t end) {
  const Plan& plan = *s_->plan;
  end = std::min(end, plan.ledger->size());
  const Ledger& l = *plan.ledger;
  // The scopes a project counts in: the query's (0) and each custom filter's that
  // it also passes; a scope's groups carry its number above the dimensions.
  auto scoped_key = [&](uint64_t key, size_t scope) { return key | (static_cast<uint64_t>(scope) << plan.scope_shift); };
  // A small direct-mapped cache in front of the group map: dashboards have a few
  // dozen groups, and the map lookup would otherwise cost as much as a project.
  struct Cached {
    uint64_t key = ~uint64_t{0};
    Totals* totals = nullptr;
  };
  constexpr size_t kCacheSize = 64;
  std::array<Cached, kCacheSize> cache{};
  std::vector<uint64_t> keys(kTotalsBlockSize);
  // Per scope, the group each project of the block went to; projects not added
  // (out of scope, cancelled) point to `discarded`, so the row passes need no branch.
  Totals discarded;
  const size_t scopes = 1 + plan.extra_scopes.size();
  std::vector<Totals*> group_of(scopes * kTotalsBlockSize);
  // Block by block, so that each month of running totals is one contiguous read.
  // Per-block arrays (keys, group_of, the rows) are indexed by the project's entry in
  // its block, i = p % kTotalsBlockSize; a thread's range may start inside a block.
  for (uint32_t block_first = first; block_first < end;) {
    const uint32_t block = block_first / kTotalsBlockSize;
    const uint32_t block_end = std::min(end, (block + 1) * kTotalsBlockSize);
    const engine::BlockRows rows = plan.RowsOf(block);
    plan.KeysOf(block_first, block_end, &keys[block_first % kTotalsBlockSize]);
    std::fill(group_of.begin(), group_of.end(), &discarded);
    for (uint32_t p = block_first; p < block_end; ++p) {
      if (!plan.InScope(p)) continue;
      const uint32_t i = p % kTotalsBlockSize;
      const uint64_t key = keys[i];
      Cached& slot = cache[(key ^ (key >> 7) ^ (key >> 17)) % kCacheSize];
      if (slot.totals == nullptr || slot.key != key) slot = {key, &s_->Group(key)};
      if (plan.AddProject(p, i, rows, *slot.totals)) group_of[i] = slot.totals;
      for (size_t s = 0; s < plan.extra_scopes.size(); ++s) {
        if (!plan.extra_scopes[s].Contains(l, p)) continue;
        Totals& t = s_->Group(scoped_key(key, s + 1));
        if (plan.AddProject(p, i, rows, t)) group_of[(s + 1) * kTotalsBlockSize + i] = &t;
      }
    }
    if (plan.needs & engine::kNeedWorkflowPass) {
      for (size_t s = 0; s < scopes; ++s) {
        plan.AddWorkflowTotals(block_first, block_end, rows, &group_of[s * kTotalsBlockSize], &discarded);
      }
    }
    if (plan.needs & (engine::kNeedPlan | engine::kNeedPlanNext)) {
      for (size_t s = 0; s < scopes; ++s) plan.AddPlanRows(block_first, block_end, &group_of[s * kTotalsBlockSize]);
    }
    if (plan.needs & engine::kNeedSupport) {
      for (size_t s = 0; s < scopes; ++s) {
        plan.AddFundingRows<true>(block_first, block_end, &group_of[s * kTotalsBlockSize]);
      }
    } else if (plan.needs & engine::kNeedFunding) {
      for (size_t s = 0; s < scopes; ++s) {
        plan.AddFundingRows<false>(block_first, block_end, &group_of[s * kTotalsBlockSize]);
      }
    }
    block_first = block_end;
  }
  // Problems (problems.csv rows) belong to their project's group.
  if (plan.needs & engine::kNeedProblems) {
    const internal::ProblemColumns& q = internal::Columns(l).problems;
    for (size_t i = 0; i < q.project.size(); ++i) {
      const uint32_t p = q.project[i];
      if (p < first || p >= end || !plan.InScope(p)) continue;
      if (On(internal::Columns(l).projects.cancelled_on[p], plan.d)) continue;
      if (!On(q.raised_on[i], plan.d) && Known(q.raised_on[i])) continue;
      const uint64_t key = plan.KeyOf(p);
      for (size_t s = 0; s <= plan.extra_scopes.size(); ++s) {
        if (s > 0 && !plan.extra_scopes[s - 1].Contains(l, p)) continue;
        Totals& t = s_->Group(scoped_key(key, s));
        ++t.count[engine::kProblemsRaised];
        if (On(q.resolved_on[i], plan.d)) {
          ++t.count[engine::kProblemsResolved];
          continue;
        }
        ++t.count[engine::kProblemsOpen];
        t.lists[engine::kListProblemsOpen].push_back(p);
        if (Known(q.due[i]) && q.due[i] < plan.d) {
          ++t.count[engine::kProblemsOverdue];
          t.lists[engine::kListProblemsOverdue].push_back(p);
        }
      }
    }
  }
}

void Aggregation::Merge(const Aggregation& other) {
  for (size_t i = 0; i < other.s_->keys.size(); ++i) s_->Group(other.s_->keys[i]) += other.s_->groups[i];
}

namespace {

using State = Aggregation::State;

// The result's header: date, grouping, columns and the custom set they point to.
Result ResultHeader(const Plan& plan) {
  Result result;
  result.as_of = plan.query.as_of;
  result.group_by = plan.query.group_by;
  for (const engine::Column& c : plan.columns) result.indicators.push_back(c.ref);
  result.custom = plan.custom;
  result.custom_defs = plan.custom_defs;
  return result;
}

// Whole-scope totals per scope (the pass's groups, before a tag dimension spreads
// them: each project once).
std::vector<Totals> ScopeTotals(const Plan& plan, const State& s) {
  std::vector<Totals> alls(plan.extra_scopes.size() + 1);
  for (size_t g = 0; g < s.keys.size(); ++g) alls[s.keys[g] >> plan.scope_shift] += s.groups[g];
  return alls;
}

// The groups the rows are made of: the pass's, or with a tag dimension, each tag
// set's totals added to the group of each of its tags (no tag: the empty key), in
// *by_tag.
const State* RowGroups(const Plan& plan, const State& s, State* by_tag) {
  if (plan.tag_dim < 0) return &s;
  const engine::DimSpec& t = plan.dims[static_cast<size_t>(plan.tag_dim)];
  const uint64_t field = ((uint64_t{1} << t.bits) - 1) << t.shift;
  for (size_t g = 0; g < s.keys.size(); ++g) {
    const std::vector<uint32_t>& tags = plan.tag_sets[(s.keys[g] & field) >> t.shift];
    const uint64_t rest = s.keys[g] & ~field;
    if (tags.empty()) by_tag->Group(rest) += s.groups[g];
    for (uint32_t tag : tags) by_tag->Group(rest | (static_cast<uint64_t>(tag) << t.shift)) += s.groups[g];
  }
  return by_tag;
}

// Dimensions whose rows sort by their text (department, leader, tag), not a code.
bool SortsByText(Dimension d) {
  return d == Dimension::kDepartment || d == Dimension::kLeader || d == Dimension::kTag;
}

// A row's key: per dimension the code it sorts by (0 for a text dimension, whose
// codes are private to the ledger) and its text.
struct KeyedRow {
  std::vector<std::string> text;
  std::vector<uint32_t> codes;
  size_t group = 0;
};

KeyedRow KeyOfGroup(const Plan& plan, uint64_t key, size_t group) {
  KeyedRow k{{}, {}, group};
  for (const engine::DimSpec& d : plan.dims) {
    const uint32_t code = static_cast<uint32_t>((key >> d.shift) & ((uint64_t{1} << d.bits) - 1));
    k.codes.push_back(SortsByText(d.dim) ? 0 : code);
    k.text.push_back(plan.KeyText(d.dim, code));
  }
  return k;
}

// Rows in ascending key order: enumerations and regions by their codes, text
// dimensions by their text.
void SortRows(const std::vector<Dimension>& dims, std::vector<KeyedRow>* rows) {
  std::sort(rows->begin(), rows->end(), [&](const KeyedRow& a, const KeyedRow& b) {
    for (size_t i = 0; i < dims.size(); ++i) {
      const bool text = SortsByText(dims[i]);
      if (text ? a.text[i] != b.text[i] : a.codes[i] != b.codes[i]) {
        return text ? a.text[i] < b.text[i] : a.codes[i] < b.codes[i];
      }
    }
    return false;
  });
}

uint64_t DimMask(const Plan& plan) {
  return plan.scope_shift >= 64 ? ~uint64_t{0} : (uint64_t{1} << plan.scope_shift) - 1;
}

}  // namespace

Result Aggregation::Finish() const {
  const Plan& plan = *s_->plan;
  Result result = ResultHeader(plan);
  const size_t scopes = plan.extra_scopes.size() + 1;
  const uint64_t dim_mask = DimMask(plan);
  std::vector<Totals> alls = ScopeTotals(plan, *s_);
  State by_tag;
  const State* groups = RowGroups(plan, *s_, &by_tag);
  auto scoped_of = [&](uint64_t key) {
    std::vector<const Totals*> scoped(scopes, nullptr);
    for (size_t s = 0; s < scopes; ++s) {
      auto it = groups->index.find(key | (static_cast<uint64_t>(s) << plan.scope_shift));
      if (it != groups->index.end()) scoped[s] = &groups->groups[it->second];
    }
    return scoped;
  };

  if (!plan.dims.empty()) {
    std::vector<KeyedRow> rows;
    for (size_t g = 0; g < groups->keys.size(); ++g) {
      if ((groups->keys[g] & ~dim_mask) != 0) continue;  // a custom filter's scope, not a row
      rows.push_back(KeyOfGroup(plan, groups->keys[g], g));
    }
    SortRows(plan.query.group_by, &rows);
    for (KeyedRow& k : rows) {
      const engine::ComparableBases base = RowBase(plan, k.text);
      result.rows.push_back(MakeRow(plan, scoped_of(groups->keys[k.group]), alls, std::move(k.text), base));
    }
  }
  std::vector<const Totals*> whole;
  for (const Totals& a : alls) whole.push_back(&a);
  result.rows.push_back(MakeRow(plan, whole, alls, {}, RowBase(plan, {})));
  return result;
}

// Partials (engine/partial_hooks.h): the same groups and rows, keyed by text.
struct AggregationAccess {
  static const State& Of(const Aggregation& a) { return *a.s_; }
};

namespace engine {

engine::PortableTotals ExportTotals(const Aggregation& aggregation) {
  const State& s = AggregationAccess::Of(aggregation);
  const Plan& plan = *s.plan;
  PortableTotals out;
  out.alls = ScopeTotals(plan, s);
  for (Totals& t : out.alls) {
    for (auto& list : t.lists) list.clear();
  }
  State by_tag;
  const State* groups = RowGroups(plan, s, &by_tag);
  const uint64_t dim_mask = DimMask(plan);
  for (size_t g = 0; g < groups->keys.size(); ++g) {
    KeyedRow k = KeyOfGroup(plan, groups->keys[g] & dim_mask, g);
    PortableGroup pg;
    pg.scope = static_cast<uint32_t>(groups->keys[g] >> plan.scope_shift);
    pg.codes = std::move(k.codes);
    pg.texts = std::move(k.text);
    pg.totals = groups->groups[g];
    for (auto& list : pg.totals.lists) list.clear();
    if (pg.scope == 0) pg.base = RowBase(plan, pg.texts);
    out.groups.push_back(std::move(pg));
  }
  out.whole_base = RowBase(plan, {});
  return out;
}

absl::StatusOr<Result> FinishPortable(const Ledger& empty, const Query& query, const PortableTotals& totals) {
  absl::StatusOr<std::shared_ptr<const Plan>> prepared = Prepare(empty, query);
  if (!prepared.ok()) return prepared.status();
  const Plan& plan = **prepared;
  const size_t scopes = plan.extra_scopes.size() + 1;
  if (totals.alls.size() != scopes) {
    return absl::InvalidArgumentError(Cat("the totals have ", totals.alls.size(), " scopes; the query has ", scopes));
  }
  Result result = ResultHeader(plan);
  std::map<std::pair<uint32_t, std::vector<std::string>>, const PortableGroup*> index;
  for (const PortableGroup& g : totals.groups) {
    if (g.scope >= scopes || g.texts.size() != plan.dims.size() || g.codes.size() != plan.dims.size()) {
      return absl::InvalidArgumentError(Cat("a group's scope (", g.scope, ") or key (", g.texts.size(),
                                            " parts) does not fit the query"));
    }
    if (!index.try_emplace({g.scope, g.texts}, &g).second) {
      return absl::InvalidArgumentError(Cat("the group '", absl::StrJoin(g.texts, "/"), "' comes twice"));
    }
  }
  if (!plan.dims.empty()) {
    std::vector<KeyedRow> rows;
    for (size_t g = 0; g < totals.groups.size(); ++g) {
      if (totals.groups[g].scope == 0) rows.push_back({totals.groups[g].texts, totals.groups[g].codes, g});
    }
    SortRows(plan.query.group_by, &rows);
    for (KeyedRow& k : rows) {
      std::vector<const Totals*> scoped(scopes, nullptr);
      for (size_t s = 0; s < scopes; ++s) {
        auto it = index.find({static_cast<uint32_t>(s), k.text});
        if (it != index.end()) scoped[s] = &it->second->totals;
      }
      const engine::ComparableBases& base = totals.groups[k.group].base;
      result.rows.push_back(MakeRow(plan, scoped, totals.alls, std::move(k.text), base));
    }
  }
  std::vector<const Totals*> whole;
  for (const Totals& a : totals.alls) whole.push_back(&a);
  result.rows.push_back(MakeRow(plan, whole, totals.alls, {}, totals.whole_base));
  return result;
}

namespace {
// Every array of numbers of a Totals, in the file's order: the one list of them that
// partial files read and write. A new field of Totals must be added here (the
// static_assert below counts the bytes).
constexpr auto kTotalsArrays = std::make_tuple(
    &Totals::count, &Totals::money, &Totals::approved_by_source, &Totals::arrived_by_source, &Totals::problem_kind,
    &Totals::approvals_done_by_item, &Totals::approvals_pending_by_item, &Totals::approvals_overdue_by_item,
    &Totals::requested_by_source, &Totals::approved_of_requested_by_source, &Totals::arrived_of_approved_by_source,
    &Totals::applied_by_source, &Totals::succeeded_by_source, &Totals::month_investment, &Totals::plan_by_year);

template <typename T, typename F>
void ForEachArray(T& t, F&& f) {
  std::apply([&](auto... member) { (f(t.*member), ...); }, kTotalsArrays);
}

template <typename... M>
constexpr size_t BytesOf(std::tuple<M...>) {
  return (sizeof(std::remove_reference_t<decltype(std::declval<Totals&>().*std::declval<M>())>) + ... + 0);
}
constexpr size_t kNumberBytes = BytesOf(kTotalsArrays) + sizeof(Totals::lists);
// Padding between the arrays (int128's alignment) aside, every byte is an array above.
static_assert(kNumberBytes <= sizeof(Totals) && sizeof(Totals) - kNumberBytes < 2 * sizeof(int128),
              "a field of Totals is missing from ForEachArray (partial files would drop it)");
}  // namespace

size_t TotalsNumberCount() {
  size_t n = 0;
  Totals t;
  ForEachArray(t, [&](auto& a) { n += a.size(); });
  return n;
}

void TotalsToNumbers(const Totals& t, std::vector<int128>* out) {
  ForEachArray(t, [&](const auto& a) {
    for (auto v : a) out->push_back(static_cast<int128>(v));
  });
}

absl::Status TotalsFromNumbers(const std::vector<int128>& numbers, Totals* t) {
  if (numbers.size() != TotalsNumberCount()) {
    return absl::InvalidArgumentError(Cat(numbers.size(), " numbers for ", TotalsNumberCount(), " totals"));
  }
  size_t i = 0;
  bool fits = true;
  ForEachArray(*t, [&](auto& a) {
    using V = std::remove_reference_t<decltype(a[0])>;
    for (auto& v : a) {
      const int128 n = numbers[i++];
      if constexpr (std::is_same_v<V, int64_t>) {
        fits &= n >= std::numeric_limits<int64_t>::min() && n <= std::numeric_limits<int64_t>::max();
      }
      v = static_cast<V>(n);
    }
  });
  if (!fits) return absl::InvalidArgumentError("a count out of its range");
  return absl::OkStatus();
}

}  // namespace engine

absl::StatusOr<Result> Evaluate(const Ledger& ledger, const Query& query) {
  return internal::NoThrow("evaluating the query", [&]() -> absl::StatusOr<Result> {
    absl::StatusOr<Aggregation> whole = Aggregation::Start(ledger, query);
    if (!whole.ok()) return whole.status();
    const uint32_t n = ledger.size();
    int threads = query.options.threads;
    if (threads == 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    // Below min_projects_per_thread projects a thread costs more than it saves.
    const uint32_t min_chunk = std::max(1u, query.options.min_projects_per_thread);
    threads = static_cast<int>(std::min<uint32_t>(static_cast<uint32_t>(threads), std::max(1u, n / min_chunk)));
    if (threads <= 1) {
      whole->AddProjects(0, n);
      return whole->Finish();
    }
    std::vector<Aggregation> parts;
    for (int t = 1; t < threads; ++t) {
      auto state = std::make_unique<Aggregation::State>();
      state->plan = whole->s_->plan;
      parts.push_back(Aggregation(std::move(state)));
    }
    // Every part runs to its end or keeps what it threw: an exception (memory
    // exhausted) must not leave a worker running, nor end the process from inside
    // one; the first is rethrown here, after the joins, for NoThrow to turn into a
    // Status.
    std::vector<std::exception_ptr> failed(static_cast<size_t>(threads));
    std::vector<std::thread> workers;
    workers.reserve(static_cast<size_t>(threads - 1));
    const uint32_t chunk = (n + static_cast<uint32_t>(threads) - 1) / static_cast<uint32_t>(threads);
    for (int t = 1; t < threads; ++t) {
      const uint32_t first = chunk * static_cast<uint32_t>(t), end = std::min(n, first + chunk);
      auto work = [&parts, &failed, t, first, end]() noexcept {
        try {
          parts[static_cast<size_t>(t - 1)].AddProjects(first, end);
        } catch (...) {
          failed[static_cast<size_t>(t)] = std::current_exception();
        }
      };
      try {
        workers.emplace_back(work);
      } catch (...) {
        work();  // no thread to be had (a process limit, memory): this part runs here, same answer
      }
    }
    try {
      whole->AddProjects(0, std::min(n, chunk));
    } catch (...) {
      failed[0] = std::current_exception();
    }
    for (std::thread& w : workers) w.join();
    for (const std::exception_ptr& e : failed) {
      if (e) std::rethrow_exception(e);
    }
    for (const Aggregation& part : parts) whole->Merge(part);
    Result result = whole->Finish();
    result.threads = threads;
    return result;
  });
}

int Result::column(std::string_view id) const {
  for (size_t i = 0; i < indicators.size(); ++i) {
    if (indicators[i].id == id) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace keyproj
