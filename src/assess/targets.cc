// Target sets (目标任务): parsing the TOML file, and the status of each target for a
// result row. See include/keyproj/targets.h and docs/targets-and-scoring.md.
#include "keyproj/targets.h"

#include <algorithm>
#include <utility>

#include "keyproj/internal/error_list.h"
#include "keyproj/internal/rational.h"
#include "assess/spec_file.h"
#include "assess/toml_file.h"
#include "keyproj/internal/text.h"
#include "keyproj/internal/no_throw.h"

namespace keyproj {

using ::keyproj::internal::Append;
using ::keyproj::internal::Cat;
using ::keyproj::internal::TrimAscii;
using ::keyproj::internal::TrimSpaces;
namespace {

using internal::rational::Q;
using toml::Node;

bool StripSuffix(std::string_view& s, std::string_view suffix) {
  if (s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix) {
    s.remove_suffix(suffix.size());
    s = TrimAscii(s);
    return true;
  }
  return false;
}

std::string_view UnitHint(Unit unit) {
  switch (unit) {
    case Unit::kCount: return "a count, e.g. 600";
    case Unit::kMoney: return "an amount in 万元 or 亿元, e.g. 300亿元";
    case Unit::kRate: return "a percent, e.g. 95%";
    case Unit::kPoints: return "percentage points, e.g. 5";
    case Unit::kMultiple: return "a multiple, e.g. 3";
    case Unit::kMonths: return "a number of months, e.g. 3";
  }
  return "a number";
}

// A target of the indicator `info`, its key at `line`: no bound, no value yet.
// Whether a >= target on the indicator is paced unless the file says: quantities that
// build up through the year -- counts, money, months, and the rates that do
// (IndicatorDef::builds_up_in_year, 占年度计划) -- are 序时推进 while their progress
// keeps up with 序时进度; other rates (履约率, 同比增长) are met or behind.
bool PacedByDefault(const spec::IndicatorInfo& info, Bound bound) {
  const bool builds_up = info.unit == Unit::kCount || info.unit == Unit::kMoney || info.unit == Unit::kMonths ||
                         info.builds_up_in_year;
  return builds_up && bound == Bound::kAtLeast;
}

Target TargetOf(const spec::IndicatorInfo& info, int line) {
  Target t;
  t.indicator = info.id;
  t.label = info.label;
  t.unit = info.unit;
  t.places = info.places;
  t.line = line;
  return t;
}

// The [tasks] table (任务分解): group_by and a sub-table per indicator whose keys are
// the groups and whose values are bounds, `"610402" = ">= 120"`. An indicator with a
// target in [targets] gets its groups added (same bound); one without gets a target
// with no value for all. A problem of an indicator's table or of a group's value is
// kept in `problems` and the reading goes on; one of the [tasks] table itself is
// returned.
absl::Status ReadTasks(const Node& tasks, const CustomIndicatorSet& customs, TargetSet* set, internal::ErrorList& problems) {
  if (tasks.kind != Node::kTable) {
    return toml::ErrorAt(tasks, "expected a [tasks] table: group_by and a [tasks.<indicator>] table per indicator");
  }
  const Node* group_by = tasks.Find("group_by");
  if (group_by == nullptr) {
    return toml::ErrorAtKey(tasks, "[tasks] needs group_by = \"county\" (or city, department, leader, ...): what the "
                                   "targets are broken down by");
  }
  if (group_by->kind != Node::kString) return toml::ErrorAt(*group_by, Cat("expected a string, found ", group_by->KindName()));
  absl::StatusOr<Dimension> dim = ParseDimension(group_by->text);
  if (!dim.ok()) return toml::ErrorAt(*group_by, Cat(dim.status().message()));
  set->tasks_group_by = *dim;
  bool any = false;
  for (const auto& [id, entry] : tasks.members) {
    if (id == "group_by") continue;
    any = true;
    if (entry.kind != Node::kTable) {
      problems.Ok(toml::ErrorAtKey(entry, Cat("expected a [tasks.", id, "] table of groups, e.g. \"610402\" = \">= 120\"")));
      continue;
    }
    absl::StatusOr<spec::IndicatorInfo> info = spec::ResolveIndicator(id, customs, entry, /*at_key=*/true);
    if (!problems.Ok(info.status())) continue;
    if (entry.members.empty()) {
      problems.Ok(toml::ErrorAtKey(entry, Cat("[tasks.", id, "] gives no group a value")));
      continue;
    }
    auto it = std::find_if(set->targets.begin(), set->targets.end(),
                           [&](const Target& t) { return t.indicator == info->id; });
    const bool has_all = it != set->targets.end();
    if (!has_all) {
      set->targets.push_back(TargetOf(*info, entry.key_line));  // with no value for all
      it = set->targets.end() - 1;
    }
    Target& t = *it;
    bool bound_set = has_all;  // by [targets], or by the first group read
    for (const auto& [key, value] : entry.members) {
      if (value.kind != Node::kString) {
        problems.Ok(toml::ErrorAt(value, Cat("task '", id, "' of '", key, "': expected a bound and a value as a string, "
                                             "e.g. \">= 120\", found ", value.KindName())));
        continue;
      }
      absl::StatusOr<BoundedQuantity> q = ParseBoundedQuantity(value.text, t.unit);
      if (!q.ok()) {
        problems.Ok(toml::ErrorAt(value, Cat("task '", id, "' of '", key, "': ", q.status().message())));
        continue;
      }
      if (!bound_set) {
        bound_set = true;
        t.bound = q->bound;
        t.paced = PacedByDefault(*info, t.bound);
      }
      if (q->bound != t.bound) {
        problems.Ok(toml::ErrorAt(value, Cat("task '", id, "' of '", key, "': the bound ", BoundText(q->bound),
                                             " differs from ", BoundText(t.bound),
                                             has_all ? " of its target in [targets]" : " of the first group",
                                             " (one indicator has one bound)")));
        continue;
      }
      const std::string_view trimmed = TrimSpaces(key);
      if (trimmed.empty()) {
        problems.Ok(toml::ErrorAtKey(value, Cat("task '", id, "': an empty group key")));
        continue;
      }
      t.groups.push_back({std::string(trimmed), std::string(trimmed), q->value, value.key_line, value.key_column});
    }
  }
  if (!any) return toml::ErrorAtKey(tasks, "[tasks] breaks no indicator down: add [tasks.<indicator>] tables");
  return absl::OkStatus();
}

// The value a row of a result grouped by the tasks' dimension is compared with
// (`row` null: the whole-scope row): docs/targets-and-scoring.md §3.
absl::StatusOr<std::pair<Value, TargetStatus::Source>> GroupValue(const Target& t, const Result& result,
                                                                   const ResultRow* row) {
  using Source = TargetStatus::Source;
  if (row != nullptr) {
    for (const GroupTarget& g : t.groups) {
      if (g.key == row->group[0]) return std::pair{g.value, Source::kGroup};
    }
    return std::pair{t.value, t.value.applicable() ? Source::kAll : Source::kNone};
  }
  if (t.value.applicable()) return std::pair{t.value, Source::kAll};
  // 分解 adds up to the whole: the sum of the own values of the groups reported, when
  // every one of them has its own -- tasks for 3 counties of 24 are not the whole's
  // task, and their sum against all 24 counties' actual would read as far beyond it.
  // Only counts and money add up (rates, growth and multiples do not).
  if ((t.unit != Unit::kCount && t.unit != Unit::kMoney) || t.groups.empty()) return std::pair{Value(), Source::kNone};
  Q sum = internal::rational::FromInt(0);
  bool any = false;
  for (const ResultRow& other : result.rows) {
    if (other.group.empty()) continue;
    const auto own = std::find_if(t.groups.begin(), t.groups.end(),
                                  [&](const GroupTarget& g) { return g.key == other.group[0]; });
    if (own == t.groups.end()) return std::pair{Value(), Source::kNone};
    sum = internal::rational::Add(sum, internal::rational::FromValue(own->value));
    any = true;
  }
  if (!any) return std::pair{Value(), Source::kNone};
  absl::StatusOr<Value> v = internal::rational::ToValue(sum);
  if (!v.ok()) return v.status();
  return std::pair{*v, Source::kGroupsSum};
}

// A set with [tasks] is evaluated grouped by their dimension alone.
absl::Status CheckTasksGrouping(const TargetSet& set, const Result& result) {
  if (!set.tasks_group_by) return absl::OkStatus();
  if (result.group_by.size() == 1 && result.group_by[0] == *set.tasks_group_by) return absl::OkStatus();
  std::string grouping;
  for (Dimension d : result.group_by) Append(&grouping, grouping.empty() ? "" : ", ", DimensionId(d));
  return absl::InvalidArgumentError(
      Cat("the target set", set.name.empty() ? "" : Cat(" ", set.name), " breaks its targets down by ",
          DimensionId(*set.tasks_group_by), " ([tasks] group_by): its targets are evaluated grouped by ",
          DimensionId(*set.tasks_group_by), ", not ", grouping.empty() ? "for the whole scope alone" : grouping));
}

}  // namespace

absl::StatusOr<Value> TargetProgress(const Value& actual, const Value& target) {
  if (!actual.applicable() || !target.applicable()) return Value();
  const Q t = internal::rational::FromValue(target);
  if (internal::rational::Sign(t) <= 0) return Value();
  return internal::rational::ToValue(*internal::rational::Div(internal::rational::FromValue(actual), t));
}

absl::StatusOr<std::pair<Value, TargetStatus::Source>> TargetValueFor(const TargetSet& set, const Target& target,
                                                                      const Result& result, size_t row) {
  if (row >= result.rows.size()) {
    return absl::OutOfRangeError(Cat("row ", row, " of a result with ", result.rows.size(), " rows"));
  }
  if (!set.tasks_group_by) return std::pair{target.value, TargetStatus::Source::kAll};
  if (absl::Status st = CheckTasksGrouping(set, result); !st.ok()) return st;
  const ResultRow& r = result.rows[row];
  return GroupValue(target, result, r.group.empty() ? nullptr : &r);
}

std::string_view BoundText(Bound b) { return b == Bound::kAtLeast ? ">=" : "<="; }

absl::StatusOr<Value> ParseQuantity(std::string_view text, Unit unit) {
  std::string_view s = TrimSpaces(text);
  // The number is the longest prefix of sign, digits, '.', '_' and ','.
  size_t n = 0;
  while (n < s.size() && ((s[n] >= '0' && s[n] <= '9') || s[n] == '.' || s[n] == '_' || s[n] == ',' ||
                          (n == 0 && (s[n] == '-' || s[n] == '+')))) {
    ++n;
  }
  std::string number;
  for (char c : s.substr(0, n)) {
    if (c != ',') number.push_back(c);  // thousands separators: "1,000"
  }
  std::optional<Q> q = internal::rational::ParseDecimal(number);
  if (!q) return absl::InvalidArgumentError(Cat("expected ", UnitHint(unit), ", found '", s, "'"));
  std::string_view suffix = TrimSpaces(s.substr(n));
  const std::string_view original_suffix = suffix;
  bool ok = false;
  switch (unit) {
    case Unit::kRate:
      ok = StripSuffix(suffix, "%") || StripSuffix(suffix, "％");
      if (ok) q = *internal::rational::Div(*q, internal::rational::FromInt(100));
      if (!ok && original_suffix.empty()) {
        return absl::InvalidArgumentError(Cat("a rate needs a percent sign (e.g. 95%), found '", s, "'"));
      }
      break;
    case Unit::kMoney: {
      int64_t fen = kFenPerWan;  // no unit: 万元, the ledger's unit
      if (StripSuffix(suffix, "亿元") || StripSuffix(suffix, "亿")) {
        fen = kFenPerYi;
      } else if (StripSuffix(suffix, "万元") || StripSuffix(suffix, "万")) {
        fen = kFenPerWan;
      } else if (StripSuffix(suffix, "元")) {
        fen = 100;
      }
      ok = true;
      q = internal::rational::Mul(*q, internal::rational::FromInt(fen));
      break;
    }
    case Unit::kCount:
      ok = suffix.empty() || StripSuffix(suffix, "个") || StripSuffix(suffix, "项") || StripSuffix(suffix, "家");
      break;
    case Unit::kPoints:
      ok = suffix.empty() || StripSuffix(suffix, "个百分点") || StripSuffix(suffix, "百分点") ||
           StripSuffix(suffix, "pp");
      break;
    case Unit::kMultiple:
      ok = suffix.empty() || StripSuffix(suffix, "倍");
      break;
    case Unit::kMonths:
      ok = suffix.empty() || StripSuffix(suffix, "个月") || StripSuffix(suffix, "月");
      break;
  }
  if (!ok || !suffix.empty()) {
    return absl::InvalidArgumentError(
        Cat("expected ", UnitHint(unit), ", found '", TrimSpaces(text), "' ('", original_suffix, "' does not fit)"));
  }
  absl::StatusOr<Value> v = internal::rational::ToValue(*q);
  if (!v.ok()) return absl::InvalidArgumentError(Cat("the quantity '", s, "' is too large"));
  return v;
}

absl::StatusOr<BoundedQuantity> ParseBoundedQuantity(std::string_view text, Unit unit) {
  std::string_view s = TrimSpaces(text);
  BoundedQuantity out{Bound::kAtLeast, Value()};
  if (s.substr(0, 2) == ">=") {
    s.remove_prefix(2);
  } else if (s.substr(0, 3) == "≥") {
    s.remove_prefix(3);
  } else if (s.substr(0, 2) == "<=") {
    out.bound = Bound::kAtMost;
    s.remove_prefix(2);
  } else if (s.substr(0, 3) == "≤") {
    out.bound = Bound::kAtMost;
    s.remove_prefix(3);
  } else {
    return absl::InvalidArgumentError(Cat("expected '>=' or '<=' before the value, found '", TrimSpaces(text), "'"));
  }
  absl::StatusOr<Value> v = ParseQuantity(s, unit);
  if (!v.ok()) return v.status();
  out.value = *v;
  return out;
}

std::string QuantityText(const Value& v, Unit unit) {
  if (!v.applicable()) return "—";
  const Q q = internal::rational::FromValue(v);
  switch (unit) {
    case Unit::kRate: return Cat(spec::ExactText(internal::rational::Mul(q, internal::rational::FromInt(100))), "%");
    case Unit::kMoney: {
      const Q yi = *internal::rational::Div(q, internal::rational::FromInt(kFenPerYi));
      if (yi.den == 1 && yi.num != 0) return Cat(spec::ExactText(yi), "亿元");
      return Cat(spec::ExactText(*internal::rational::Div(q, internal::rational::FromInt(kFenPerWan))), "万元");
    }
    default: return spec::ExactText(q);
  }
}

namespace {

// The [schedule] table: mode, and a curve for mode "curve".
absl::StatusOr<ScheduleSpec> ReadSchedule(const Node& sched) {
  if (sched.kind != Node::kTable) return toml::ErrorAt(sched, "expected a [schedule] table (mode, curve)");
  if (absl::Status st = spec::CheckKeys(sched, {"mode", "curve"}, "[schedule]"); !st.ok()) return st;
  ScheduleSpec spec;
  absl::StatusOr<std::optional<std::string>> mode = spec::GetString(sched, "mode");
  if (!mode.ok()) return mode.status();
  const Node* curve = sched.Find("curve");
  const std::string m = mode->value_or(curve != nullptr ? "curve" : "months");
  const std::optional<ScheduleMode> parsed = ParseEnum<ScheduleMode>(m);
  if (!parsed) {
    return toml::ErrorAt(*sched.Find("mode"), Cat("unknown schedule mode '", m, "' (expected months, days or curve)"));
  }
  spec.mode = *parsed;
  if (spec.mode == ScheduleMode::kCurve) {
    if (curve == nullptr) return toml::ErrorAtKey(sched, "a curve schedule needs curve = [12 cumulative percents]");
    if (curve->kind != Node::kArray || curve->items.size() != 12) {
      return toml::ErrorAt(*curve, "expected curve = [12 cumulative percents, January to December]");
    }
    std::vector<std::string> percents;
    for (const Node& item : curve->items) {
      const bool text = item.kind == Node::kNumber || item.kind == Node::kString;
      percents.push_back(text ? item.text : std::string());
    }
    int bad_month = -1;
    absl::StatusOr<std::array<int64_t, 12>> parsed_curve = ParseScheduleCurve(percents, &bad_month);
    if (!parsed_curve.ok()) return toml::ErrorAt(curve->items[bad_month], Cat(parsed_curve.status().message()));
    spec.curve = *parsed_curve;
  } else if (curve != nullptr) {
    return toml::ErrorAtKey(*curve, Cat("a curve is only for mode = \"curve\" (mode is \"", m, "\")"));
  }
  return spec;
}

// One entry of [targets]: `id = ">= 1000"` or `id = { target = ..., label, paced, places }`.
absl::StatusOr<Target> ReadTarget(const std::string& id, const Node& entry, const CustomIndicatorSet& customs) {
  if (entry.dotted_key && entry.Find("target") == nullptr) {
    // TOML reads `support_approved.central_budget = ">= 5亿元"` as a table
    // support_approved with a key central_budget; the dotted indicator id must be
    // quoted. (`reserve.target = ">= 1000"` is the table form, and fine.)
    std::string path = id;
    for (const Node* n = &entry; n->kind == Node::kTable && n->dotted_key && !n->members.empty();
         n = &n->members.front().second) {
      Append(&path, ".", n->members.front().first);
    }
    return toml::ErrorAtKey(entry, Cat("the dotted key ", path, " is a table in TOML: write an indicator id with a "
                                       "'.' in quotes (\"", path, "\" = ...)"));
  }
  absl::StatusOr<spec::IndicatorInfo> info = spec::ResolveIndicator(id, customs, entry, /*at_key=*/true);
  if (!info.ok()) return info.status();
  Target t = TargetOf(*info, entry.key_line);
  const Node* bound = &entry;
  std::optional<bool> paced;
  if (entry.kind == Node::kTable) {
    if (absl::Status st = spec::CheckKeys(entry, {"target", "label", "paced", "places"}, Cat("the target '", id, "'"));
        !st.ok()) {
      return st;
    }
    bound = entry.Find("target");
    if (bound == nullptr) return toml::ErrorAtKey(entry, Cat("the target '", id, "' needs target = \">= value\""));
    absl::StatusOr<std::optional<std::string>> label = spec::GetString(entry, "label");
    if (!label.ok()) return label.status();
    if (*label) t.label = **label;
    absl::StatusOr<std::optional<bool>> p = spec::GetBool(entry, "paced");
    if (!p.ok()) return p.status();
    paced = *p;
    absl::StatusOr<std::optional<int>> places = spec::GetInt(entry, "places", 0, 12);
    if (!places.ok()) return places.status();
    if (*places) t.places = **places;
  }
  if (bound->kind != Node::kString) {
    return toml::ErrorAt(*bound, Cat("expected a bound and a value as a string, e.g. \">= 1000\" or \">= 95%\", found ",
                                     bound->KindName()));
  }
  absl::StatusOr<BoundedQuantity> q = ParseBoundedQuantity(bound->text, t.unit);
  if (!q.ok()) return toml::ErrorAt(*bound, Cat("target '", id, "': ", std::string(q.status().message())));
  t.bound = q->bound;
  t.value = q->value;
  t.paced = paced.value_or(PacedByDefault(*info, t.bound));
  if (t.paced && t.bound == Bound::kAtMost) {
    return toml::ErrorAt(*entry.Find("paced"), Cat("target '", id, "': only a >= target can be paced"));
  }
  return t;
}

}  // namespace

absl::StatusOr<TargetSet> ParseTargetSet(std::string_view text, std::span<const CustomIndicator> known_customs) {
  return internal::NoThrow("reading the target set", [&]() -> absl::StatusOr<TargetSet> {
    absl::StatusOr<Node> doc = toml::Parse(text);
    if (!doc.ok()) return doc.status();
    const Node& root = *doc;
    internal::ErrorList problems;
    problems.Ok(spec::CheckKeys(root, {"name", "title", "schedule", "indicators", "targets", "tasks"}, "a target set"));
    TargetSet set;
    for (auto [key, field] : {std::pair{"name", &set.name}, std::pair{"title", &set.title}}) {
      absl::StatusOr<std::optional<std::string>> v = spec::GetString(root, key);
      if (problems.Ok(v.status()) && *v) *field = **v;
    }
    if (const Node* sched = root.Find("schedule")) {
      absl::StatusOr<ScheduleSpec> schedule = ReadSchedule(*sched);
      if (problems.Ok(schedule.status())) set.schedule = *schedule;
    }
    std::optional<CustomIndicatorSet> compiled = spec::ReadIndicators(root, known_customs, &set.indicators, problems);
    if (!compiled) return problems.status();  // targets naming them would seem wrong too

    const Node* targets = root.Find("targets");
    const Node* tasks = root.Find("tasks");
    if (targets == nullptr && tasks == nullptr) {
      problems.Ok(absl::InvalidArgumentError("line 1, column 1: expected a [targets] table (or a [tasks] table)"));
      return problems.status();
    }
    if (targets != nullptr && (targets->kind != Node::kTable || targets->members.empty())) {
      problems.Ok(toml::ErrorAt(*targets, "expected a [targets] table with at least one target"));
    } else if (targets != nullptr) {
      for (const auto& [id, entry] : targets->members) {
        absl::StatusOr<Target> t = ReadTarget(id, entry, *compiled);
        if (problems.Ok(t.status())) set.targets.push_back(*std::move(t));
      }
    }
    if (tasks != nullptr) problems.Ok(ReadTasks(*tasks, *compiled, &set, problems));
    if (!problems.empty()) return problems.status();
    return set;
  });
}

std::vector<std::string> TargetIndicatorIds(const TargetSet& set) {
  std::vector<std::string> ids;
  for (const Target& t : set.targets) {
    if (std::find(ids.begin(), ids.end(), t.indicator) == ids.end()) ids.push_back(t.indicator);
  }
  return ids;
}

void ApplySchedule(const TargetSet& set, QueryOptions* options) {
  if (!set.schedule) return;
  options->schedule = set.schedule->mode;
  if (set.schedule->mode == ScheduleMode::kCurve) options->curve = set.schedule->curve;
}

std::string_view TargetStateId(TargetState s) {
  switch (s) {
    case TargetState::kMet: return "met";
    case TargetState::kOnTrack: return "on_track";
    case TargetState::kBehind: return "behind";
    case TargetState::kNotApplicable: return "not_applicable";
  }
  return "";
}

std::string_view TargetStateLabel(TargetState s) {
  switch (s) {
    case TargetState::kMet: return "已完成";
    case TargetState::kOnTrack: return "序时推进";
    case TargetState::kBehind: return "滞后";
    case TargetState::kNotApplicable: return "—";
  }
  return "";
}

absl::StatusOr<std::vector<TargetStatus>> EvaluateTargets(const TargetSet& set, const Result& result, size_t row,
                                                          const Value& schedule) {
  if (row >= result.rows.size()) {
    return absl::OutOfRangeError(Cat("row ", row, " of a result with ", result.rows.size(), " rows"));
  }
  const ResultRow& r = result.rows[row];
  std::vector<TargetStatus> out;
  out.reserve(set.targets.size());
  for (const Target& t : set.targets) {
    const int col = result.column(t.indicator);
    if (col < 0 || static_cast<size_t>(col) >= r.values.size()) {
      return absl::NotFoundError(Cat("target indicator '", t.indicator, "' is not a column of the result"));
    }
    TargetStatus s;
    s.target = t;
    s.target.groups.clear();  // the status carries the one value it was compared with
    absl::StatusOr<std::pair<Value, TargetStatus::Source>> value = TargetValueFor(set, t, result, row);
    if (!value.ok()) return value.status();
    s.target.value = value->first;
    s.source = value->second;
    s.actual = r.values[static_cast<size_t>(col)];
    s.gap_unit = t.unit == Unit::kRate ? Unit::kPoints : t.unit;
    if (!s.actual.applicable() || !s.target.value.applicable()) {
      s.state = TargetState::kNotApplicable;
      out.push_back(std::move(s));
      continue;
    }
    const Q actual = internal::rational::FromValue(s.actual), target = internal::rational::FromValue(s.target.value);
    Q gap = t.bound == Bound::kAtLeast ? internal::rational::Sub(target, actual) : internal::rational::Sub(actual, target);
    if (t.unit == Unit::kRate) gap = internal::rational::Mul(gap, internal::rational::FromInt(100));
    absl::StatusOr<Value> gap_value = internal::rational::ToValue(gap);
    if (!gap_value.ok()) return gap_value.status();
    s.gap = *gap_value;
    absl::StatusOr<Value> progress = TargetProgress(s.actual, s.target.value);
    if (!progress.ok()) return progress.status();
    s.progress = *progress;
    const int cmp = internal::rational::Compare(actual, target);
    const bool met = t.bound == Bound::kAtLeast ? cmp >= 0 : cmp <= 0;
    if (met) {
      s.state = TargetState::kMet;
    } else if (t.paced && schedule.applicable() && s.progress.applicable() &&
               internal::rational::Compare(internal::rational::FromValue(s.progress), internal::rational::FromValue(schedule)) >= 0) {
      s.state = TargetState::kOnTrack;
    } else {
      s.state = TargetState::kBehind;
    }
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace keyproj
