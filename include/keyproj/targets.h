// Targets (目标任务): a named set of indicators with a bound (>= or <=) and a value,
// e.g. the "1116" goal (reserve >= 1000, supported_projects >= 100, signed_ytd >= 100,
// started_ytd >= 600) with 履约率 >= 95%, 开工率 >= 50%, 资金到位率 >= 45% and
// investment growth >= 10%, plus an optional 序时进度 curve.
//
// A target set is a small TOML 1.0 file (docs/targets-and-scoring.md §2), read with
// toml++ and its numbers exactly from their text:
//
//   name = "1116"
//   [schedule]
//   mode = "curve"
//   curve = [4, 10, 18, 27, 36, 47, 56, 65, 75, 84, 92, 100]   # cumulative %
//   [indicators.projects_over_1yi]                               # custom indicators
//   unit = "count"
//   expression = "projects[size>=1亿]"
//   [targets]
//   reserve = ">= 1000"
//   performance_rate = ">= 95%"
//   funds_arrived_ytd = { target = ">= 300亿元", label = "到位资金" }
//   [tasks]                                   # 任务分解: a value per group
//   group_by = "county"
//   [tasks.started_ytd]
//   "610402" = ">= 120"
//   "杨陵区" = ">= 80"                          # a name: ResolveTaskGroups (report_request.h)
//
// For each target and a result row: the actual value, progress (actual / target),
// the gap, and a status: met, on_track (progress >= 序时进度; "paced" targets only)
// or behind.
#ifndef KEYPROJ_TARGETS_H_
#define KEYPROJ_TARGETS_H_

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "keyproj/engine.h"
#include "keyproj/expression.h"
#include "keyproj/query.h"
#include "keyproj/value.h"

namespace keyproj {

enum class Bound : uint8_t {
  kAtLeast = 0,  // >=, ≥
  kAtMost = 1,   // <=, ≤
};
std::string_view BoundText(Bound b);  // ">=" / "<="

// A quantity in the units of an indicator, as bureaus write it: "1000", "95%",
// "300亿元", "2500万元", "-5%", "3倍". Returns the value as the engine holds it
// (money in 分, rates as fractions). A rate needs '%'; money without a unit is in
// 万元; counts, points (also "pp", "个百分点"), multiples ("倍") and months ("个月")
// are plain numbers. Errors say what was expected.
absl::StatusOr<Value> ParseQuantity(std::string_view text, Unit unit);

// ">= 95%", "≤ 5": a bound and a quantity.
struct BoundedQuantity {
  Bound bound;
  Value value;
};
absl::StatusOr<BoundedQuantity> ParseBoundedQuantity(std::string_view text, Unit unit);

// The text of a quantity in the way ParseQuantity reads it back: "95%", "300亿元"
// (money in 亿元 when whole 亿, else 万元), "1000".
std::string QuantityText(const Value& v, Unit unit);

// One group's own value of a target (docs/targets-and-scoring.md §3, "Targets per
// group"). `key` is as the file writes it until ResolveTaskGroups (report_request.h)
// turns it into the key a Result row has (a division code, a department's name).
struct GroupTarget {
  std::string key;
  std::string written;  // as the file writes it ("杨陵区"), for messages
  Value value;          // engine units; the bound is the Target's
  int line = 0, column = 0;
};

struct Target {
  std::string indicator;  // a catalogue id or a custom indicator id
  std::string label;      // the indicator's label unless the file gives one
  Unit unit = Unit::kCount;
  int places = 0;
  Bound bound = Bound::kAtLeast;
  Value value;  // engine units
  // Compared with 序时进度 while not yet met: on_track when progress >= schedule.
  // Default: true for >= targets on counts, money and months (quantities that build
  // up through the year), false for rates, points and multiples and for <= targets.
  bool paced = true;
  int line = 0;  // where the file defines it
  // 任务分解: the task of each group of TargetSet::tasks_group_by that has its own
  // (the [tasks] table). Without a value for all, `value` is not applicable.
  std::vector<GroupTarget> groups;
};

struct ScheduleSpec {
  ScheduleMode mode = ScheduleMode::kMonths;
  std::array<int64_t, 12> curve{};  // kCurve: millionths, as QueryOptions::curve
};

struct TargetSet {
  std::string name;
  std::string title;
  std::optional<ScheduleSpec> schedule;
  std::vector<CustomIndicator> indicators;  // custom indicators the file defines
  std::vector<Target> targets;              // in file order
  // The dimension of the [tasks] table (group_by), when the file breaks targets
  // down; then every Target::groups key is a group of it.
  std::optional<Dimension> tasks_group_by;
};

// Parses a target set. `known_customs` are custom indicators defined elsewhere
// (e.g. on the command line) that targets may name; the file's own [indicators]
// are compiled together with them. Errors: "line 12, column 20: ...", every one of the
// file's ("3 problems:" then one an indented line; docs/targets-and-scoring.md).
absl::StatusOr<TargetSet> ParseTargetSet(std::string_view text, std::span<const CustomIndicator> known_customs = {});

// The indicator ids a query must compute for the set, distinct, in file order.
std::vector<std::string> TargetIndicatorIds(const TargetSet& set);

// Sets the schedule mode and curve of `options` from the set, if it has one.
void ApplySchedule(const TargetSet& set, QueryOptions* options);

enum class TargetState : uint8_t {
  kMet = 0,            // 已完成: the actual value satisfies the bound
  kOnTrack = 1,        // 序时推进: not met, paced, progress >= schedule
  kBehind = 2,         // 滞后
  kNotApplicable = 3,  // the actual value is not applicable (e.g. a rate over zero)
};
std::string_view TargetStateId(TargetState s);     // "met", "on_track", "behind", "not_applicable"
std::string_view TargetStateLabel(TargetState s);  // "已完成", "序时推进", "滞后", "—"

struct TargetStatus {
  Target target;
  Value actual;
  // actual / target, a fraction (display as a rate). Not applicable when the
  // actual is, or when the target is not positive (progress towards 0 or a
  // negative growth is meaningless).
  Value progress;
  // How far from the bound, positive = short of it: target - actual for >=,
  // actual - target for <=. In gap_unit: the indicator's unit, except that rates
  // give their gap in percentage points (95% vs 90.5% -> 4.5).
  Value gap;
  Unit gap_unit = Unit::kCount;
  TargetState state = TargetState::kNotApplicable;
  // Where target.value comes from (a set with [tasks]): the group's own value, the
  // value for all, the sum of the groups' own values (the whole-scope row), or none.
  enum class Source : uint8_t { kAll = 0, kGroup = 1, kGroupsSum = 2, kNone = 3 };
  Source source = Source::kAll;
};

// actual / target, a fraction: a target's 完成进度 (TargetStatus::progress) and a
// scoring rule's 完成率 against a group's own target (scoring.h). Not applicable when
// either value is, or when the target is not above 0 (progress towards 0 or a
// negative growth is meaningless).
absl::StatusOr<Value> TargetProgress(const Value& actual, const Value& target);

// The value row `row` of `result` is compared with for `target` (one of set.targets),
// as EvaluateTargets does: with [tasks], the group's own value, else the value for
// all, else (the whole-scope row, counts and money) the sum of the groups' own, else
// none (not applicable, Source::kNone). Errors: as EvaluateTargets (the grouping).
absl::StatusOr<std::pair<Value, TargetStatus::Source>> TargetValueFor(const TargetSet& set, const Target& target,
                                                                      const Result& result, size_t row);

// The status of every target of the set for one row of a result (row index into
// result.rows; result.rows.size() - 1 is the whole scope). `schedule` is the
// 序时进度 to compare paced targets with, a fraction (e.g. the row's `schedule`
// value); when it is not applicable no target is on_track.
// With [tasks] (tasks_group_by), the result must be grouped by that dimension alone:
// a group row is compared with its own value (target.value is it), else the value
// for all, else it has none (not_applicable, "—"). The whole-scope row keeps the
// value for all; without one, an additive target (count or money) is the sum of the
// own values of the result's groups, any other has none.
// Errors: a target's indicator is not a column of the result (NotFound); the row
// is out of range (OutOfRange); a set with tasks and a result grouped otherwise
// (InvalidArgument).
absl::StatusOr<std::vector<TargetStatus>> EvaluateTargets(const TargetSet& set, const Result& result, size_t row,
                                                          const Value& schedule);

}  // namespace keyproj

#endif  // KEYPROJ_TARGETS_H_
