// Assessment scoring (分档计分): rules map an indicator's value to points; a scheme
// adds its rules up into a score per group (department, township, leader: the rows
// of a grouped Result) and ranks the groups.
//
// Rule methods (docs/targets-and-scoring.md has the formulas and the choices):
//   tiers         first matching tier: plan_completion >= 100% -> 100, >= 80% -> 75,
//                 >= 50% -> 50, otherwise 0
//   proportional  actual / target x weight, capped at weight; or with a bonus rate
//                 for the part above target, capped at max
//   efficacy      功效系数法 across the groups: base + span x (x - min) / (max - min)
//                 (60 + 40 x ... unless set); all groups equal -> base + span
//   deduction     -per x value (e.g. -1 per late monthly report), at most max in all
//
// Scores are exact (Value); display rounds half-up to the scheme's places. Ranks are
// on the exact totals, highest first; equal totals share a rank (1, 1, 3).
//
// A scheme is a TOML 1.0 file, read as a target set is (targets.h):
//
//   name = "county"
//   places = 2
//   [indicators.started_late]                  # custom indicators, as in targets
//   unit = "count"
//   expression = "performance_due * (1 - performance_rate)"
//   [[rule]]
//   indicator = "plan_completion"
//   method = "tiers"
//   tiers = [">= 100%: 30", ">= 80%: 22.5", ">= 50%: 15"]
//   [[rule]]
//   indicator = "late_reports"
//   method = "deduction"
//   per = 1
//   max = 10
#ifndef KEYPROJ_SCORING_H_
#define KEYPROJ_SCORING_H_

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "keyproj/engine.h"
#include "keyproj/expression.h"
#include "keyproj/query.h"
#include "keyproj/targets.h"
#include "keyproj/value.h"

namespace keyproj {

enum class RuleMethod : uint8_t { kTiers = 0, kProportional = 1, kEfficacy = 2, kDeduction = 3 };
std::string_view RuleMethodId(RuleMethod m);  // "tiers", "proportional", "efficacy", "deduction"

struct Tier {
  Bound bound = Bound::kAtLeast;
  Value threshold;  // in the indicator's units (rates as fractions, money in 分)
  Value points;
};

struct ScoringRule {
  std::string id;         // unique in the scheme; the indicator id unless given
  std::string label;      // the indicator's label unless given
  std::string indicator;  // catalogue or custom id
  Unit unit = Unit::kCount;  // of the indicator
  RuleMethod method = RuleMethod::kTiers;
  // Points when the indicator's value is not applicable (a rate over zero), for
  // every method. 0 unless set.
  Value not_applicable = Value::Integer(0);

  // kTiers: checked in order, the first that holds gives its points.
  std::vector<Tier> tiers;
  Value otherwise = Value::Integer(0);

  // kProportional: r = actual / target (target > 0), points = r x weight for
  // r <= 1. Above the target: weight, or with bonus_rate
  // weight + (r - 1) x weight x bonus_rate, at most max. Never below 0.
  Value target;
  Value weight;
  std::optional<Value> bonus_rate;
  std::optional<Value> max;

  // kEfficacy: base + span x (x - min) / (max - min) over the applicable values of
  // the groups scored (reversed when lower_is_better). All equal: base + span.
  Value base = Value::Integer(60);
  Value span = Value::Integer(40);
  bool lower_is_better = false;

  // kDeduction: -(per x value), at most max_deduction in all; a negative value
  // deducts nothing.
  Value per;
  std::optional<Value> max_deduction;

  // kTiers and kProportional with `target = "tasks"`: the value scored is the
  // group's 完成率, its actual over its own target in the target set given to
  // ScoreGroups ([tasks], 任务分解; else the value for all); `unit` is then kRate
  // (tiers in percent, ">= 120%: 10") and a proportional rule's target is 100%.
  // A group without a target (or a target not above 0) scores not_applicable.
  bool own_target = false;
};

struct ScoringScheme {
  std::string name;
  std::string title;
  std::optional<Dimension> group_by;  // what the scheme scores (the CLI groups by it)
  int places = 2;                     // display places of points and totals
  std::vector<CustomIndicator> indicators;  // custom indicators the file defines
  std::vector<ScoringRule> rules;
};

// Parses a scheme; `known_customs` as for ParseTargetSet. Errors: "line 9, column 9: ...",
// every one of the file's, as ParseTargetSet lists them.
absl::StatusOr<ScoringScheme> ParseScoringScheme(std::string_view text,
                                                 std::span<const CustomIndicator> known_customs = {});

// Checks a scheme built in code (ids unique, tiers present, targets positive, ...);
// ParseScoringScheme runs it too.
absl::Status ValidateScheme(const ScoringScheme& scheme);

// The indicator ids a query must compute for the scheme, distinct, in rule order.
std::vector<std::string> SchemeIndicatorIds(const ScoringScheme& scheme);

struct RuleScore {
  Value input;   // the indicator's value for the group
  Value points;  // always applicable
};

struct GroupScore {
  size_t row = 0;                  // index into result.rows
  std::vector<std::string> group;  // the row's group key
  std::vector<RuleScore> rules;    // one per rule of the scheme, in order
  Value total;
  int rank = 0;  // 1 = best; equal totals share a rank (1, 1, 3)
};

// Scores the group rows of a result (every row but the whole-scope row; a result
// without group-by scores its one row), best first; equal totals keep the result's
// row order. Errors: a rule's indicator is not a column of the result (NotFound);
// an exact value out of 128-bit range (OutOfRange).
// `targets`: the target set the own_target rules read each group's target from
// (MakeReport passes the request's, its [tasks] resolved); such a rule without one,
// or whose indicator has no target in it, is an error (InvalidArgument).
absl::StatusOr<std::vector<GroupScore>> ScoreGroups(const ScoringScheme& scheme, const Result& result,
                                                    const TargetSet* targets = nullptr);

// Display text of points rounded half-up: FormatPoints(Value::Ratio(17, 2), 1) = "8.5".
std::string FormatPoints(const Value& points, int places);

}  // namespace keyproj

#endif  // KEYPROJ_SCORING_H_
