// Assessment scoring (分档计分): parsing schemes, scoring and ranking groups. See
// include/keyproj/scoring.h and docs/targets-and-scoring.md.
#include "keyproj/scoring.h"

#include <algorithm>
#include <numeric>
#include <utility>

#include "keyproj/internal/error_list.h"
#include "keyproj/internal/rational.h"
#include "assess/spec_file.h"
#include "assess/toml_file.h"
#include "keyproj/internal/text.h"
#include "keyproj/internal/no_throw.h"

namespace keyproj {

using ::keyproj::internal::Cat;
using ::keyproj::internal::TrimAscii;
namespace {

using internal::rational::Q;
using toml::Node;

absl::StatusOr<Value> PointsValue(const Node& rule, std::string_view key, const Value& fallback) {
  absl::StatusOr<std::optional<Q>> q = spec::GetNumber(rule, key);
  if (!q.ok()) return q.status();
  if (!*q) return fallback;
  absl::StatusOr<Value> v = internal::rational::ToValue(**q);
  if (!v.ok()) return toml::ErrorAt(*rule.Find(key), "the number is too large");
  return *v;
}

// "BOUND QUANTITY: POINTS", e.g. ">= 100%: 40".
absl::StatusOr<Tier> ParseTier(const Node& item, Unit unit) {
  if (item.kind != Node::kString) {
    return toml::ErrorAt(item, Cat("expected a tier as a string, e.g. \">= 100%: 40\", found ", item.KindName()));
  }
  std::string_view text = item.text;
  size_t colon = text.rfind(':');
  size_t colon_len = 1;
  const size_t wide = text.rfind("：");
  if (wide != std::string_view::npos && (colon == std::string_view::npos || wide > colon)) {
    colon = wide;
    colon_len = 3;
  }
  if (colon == std::string_view::npos) {
    return toml::ErrorAt(item, Cat("expected a tier \"bound value: points\" (e.g. \">= 100%: 40\"), found \"", text, "\""));
  }
  absl::StatusOr<BoundedQuantity> q = ParseBoundedQuantity(text.substr(0, colon), unit);
  if (!q.ok()) return toml::ErrorAt(item, Cat("tier \"", text, "\": ", std::string(q.status().message())));
  std::optional<Q> points = internal::rational::ParseDecimal(TrimAscii(text.substr(colon + colon_len)));
  if (!points) {
    return toml::ErrorAt(item, Cat("tier \"", text, "\": expected the points after ':', found '",
                                   TrimAscii(text.substr(colon + colon_len)), "'"));
  }
  absl::StatusOr<Value> pv = internal::rational::ToValue(*points);
  if (!pv.ok()) return toml::ErrorAt(item, "the points are too large");
  return Tier{q->bound, q->value, *pv};
}

constexpr std::string_view kIdUsedBefore = "the id is used by an earlier rule (give each rule of the same indicator its own id)";

int Cmp(const Value& a, const Value& b) { return internal::rational::Compare(internal::rational::FromValue(a), internal::rational::FromValue(b)); }

// The first tier is the one that holds, so a tier after one of the same bound with a
// threshold no stricter (">= 50%: 10" then ">= 75%: 20") is never reached: every
// value it holds for, the earlier one took. A scheme written lowest tier first would
// give everyone the lowest points without a word. Tiers are given in order to
// Shadowing, which answers with the earlier tier that shadows the new one, if any:
// the strictest of each bound so far (one pass, for a scheme of 20 000 tiers too).
class TierOrder {
 public:
  std::optional<size_t> Shadowing(const std::vector<Tier>& tiers, size_t j) {
    std::optional<size_t>& strictest = tiers[j].bound == Bound::kAtLeast ? lowest_at_least_ : highest_at_most_;
    if (strictest) {
      const int c = Cmp(tiers[*strictest].threshold, tiers[j].threshold);
      // >=: an earlier threshold at or below this one holds first; <=: at or above.
      if (tiers[j].bound == Bound::kAtLeast ? c <= 0 : c >= 0) return strictest;
    }
    strictest = j;
    return std::nullopt;
  }

 private:
  std::optional<size_t> lowest_at_least_, highest_at_most_;
};
constexpr std::string_view kTierOrder =
    "(the first tier that holds gives the points: write them from the strictest threshold down, e.g. "
    "[\">= 100%: 40\", \">= 80%: 30\"])";

// One [[rule]]: the rule, or nullopt with its problems added to `problems` -- every
// one of them, each at its value (a weight that is not positive at the weight), so a
// scheme with mistakes in several rules and keys is told them in one run. Only a
// method or an indicator that cannot be read ends the rule's reading: which keys it
// takes, and in which unit its quantities are, follow from them.
// *id: the rule's id once it is known (its "id", else its indicator's), also when
// the rule has problems, so that a later rule giving the same id is told in this run.
std::optional<ScoringRule> ParseRule(const Node& node, const CustomIndicatorSet& customs, internal::ErrorList& problems,
                                     std::string* id) {
  if (node.kind != Node::kTable) {
    problems.Ok(toml::ErrorAt(node, "expected a [[rule]] table"));
    return std::nullopt;
  }
  const size_t before = problems.size();
  absl::StatusOr<std::optional<std::string>> method_text = spec::GetString(node, "method");
  if (!problems.Ok(method_text.status())) return std::nullopt;
  if (!*method_text) {
    problems.Ok(toml::ErrorAtKey(node, "the rule needs a method (tiers, proportional, efficacy or deduction)"));
    return std::nullopt;
  }
  ScoringRule r;
  const std::string& m = **method_text;
  if (m == "tiers") {
    r.method = RuleMethod::kTiers;
    problems.Ok(spec::CheckKeys(
        node, {"id", "label", "indicator", "method", "not_applicable", "tiers", "otherwise", "target"}, "a tiers [[rule]]"));
  } else if (m == "proportional") {
    r.method = RuleMethod::kProportional;
    problems.Ok(spec::CheckKeys(
        node, {"id", "label", "indicator", "method", "not_applicable", "target", "weight", "bonus_rate", "max"},
        "a proportional [[rule]]"));
  } else if (m == "efficacy") {
    r.method = RuleMethod::kEfficacy;
    problems.Ok(spec::CheckKeys(
        node, {"id", "label", "indicator", "method", "not_applicable", "base", "span", "lower_is_better"},
        "an efficacy [[rule]]"));
  } else if (m == "deduction") {
    r.method = RuleMethod::kDeduction;
    problems.Ok(spec::CheckKeys(node, {"id", "label", "indicator", "method", "not_applicable", "per", "max"},
                                "a deduction [[rule]]"));
  } else {
    problems.Ok(toml::ErrorAt(*node.Find("method"),
                              Cat("unknown method '", m, "' (expected tiers, proportional, efficacy or deduction)")));
    return std::nullopt;
  }

  absl::StatusOr<std::optional<std::string>> indicator = spec::GetString(node, "indicator");
  if (!problems.Ok(indicator.status())) return std::nullopt;
  if (!*indicator) {
    problems.Ok(toml::ErrorAtKey(node, "the rule needs an indicator"));
    return std::nullopt;
  }
  absl::StatusOr<spec::IndicatorInfo> info =
      spec::ResolveIndicator(**indicator, customs, *node.Find("indicator"), /*at_key=*/false);
  if (!problems.Ok(info.status())) return std::nullopt;
  r.indicator = info->id;
  r.unit = info->unit;
  r.label = info->label;
  r.id = info->id;
  for (auto [key, field] : {std::pair{"id", &r.id}, std::pair{"label", &r.label}}) {
    absl::StatusOr<std::optional<std::string>> v = spec::GetString(node, key);
    if (problems.Ok(v.status()) && *v) *field = **v;
  }
  *id = r.id;
  // A problem of the rule's, from here on named by its id: at a value, or at the rule.
  auto bad = [&](const Node& at, std::string_view what) { return toml::ErrorAt(at, Cat("rule '", r.id, "': ", what)); };
  auto bad_rule = [&](std::string_view what) { return toml::ErrorAtKey(node, Cat("rule '", r.id, "': ", what)); };
  // target = "tasks": the group's 完成率 against its own target (the target set's).
  if (const Node* target = node.Find("target");
      target != nullptr && target->kind == Node::kString && TrimAscii(target->text) == "tasks") {
    r.own_target = true;
    r.unit = Unit::kRate;
    r.target = Value::Integer(1);
  } else if (target != nullptr && r.method == RuleMethod::kTiers) {
    problems.Ok(
        bad(*target, "a tiers rule takes target = \"tasks\" only (the group's 完成率 against its own target)"));
  }
  const Value zero = Value::Integer(0);
  // The number at `key`: nullopt when absent, or when it does not read or has the
  // wrong sign (reported, at the value).
  enum class Sign { kAny, kPositive, kNotNegative };
  auto points = [&](std::string_view key, Sign sign = Sign::kAny) -> std::optional<Value> {
    const Node* at = node.Find(key);
    if (at == nullptr) return std::nullopt;
    absl::StatusOr<Value> v = PointsValue(node, key, Value());
    if (!problems.Ok(v.status())) return std::nullopt;
    if ((sign == Sign::kPositive && Cmp(*v, zero) <= 0) || (sign == Sign::kNotNegative && Cmp(*v, zero) < 0)) {
      problems.Ok(bad(*at, Cat(key, sign == Sign::kPositive ? " must be positive" : " must not be negative")));
      return std::nullopt;
    }
    return *v;
  };
  auto required = [&](std::string_view key, Sign sign) -> std::optional<Value> {
    if (node.Find(key) == nullptr) {
      problems.Ok(bad_rule(Cat("a ", m, " rule needs '", key, "'")));
      return std::nullopt;
    }
    return points(key, sign);
  };
  r.not_applicable = points("not_applicable").value_or(zero);

  switch (r.method) {
    case RuleMethod::kTiers: {
      const Node* tiers = node.Find("tiers");
      if (tiers == nullptr || tiers->kind != Node::kArray || tiers->items.empty()) {
        problems.Ok(tiers == nullptr ? bad_rule("a tiers rule needs tiers = [\">= 100%: 40\", ...]")
                                     : bad(*tiers, "expected tiers = [\">= 100%: 40\", ...]"));
      } else {
        std::vector<std::string_view> texts;  // of r.tiers, as written
        TierOrder order;
        for (const Node& item : tiers->items) {
          absl::StatusOr<Tier> t = ParseTier(item, r.unit);
          if (!problems.Ok(t.status())) continue;
          r.tiers.push_back(*t);
          texts.push_back(item.text);
          if (std::optional<size_t> i = order.Shadowing(r.tiers, r.tiers.size() - 1)) {
            problems.Ok(bad(item, Cat("the tier \"", item.text, "\" is never reached: \"", texts[*i],
                                      "\" before it holds for every value it would ", kTierOrder)));
            r.tiers.pop_back();
            texts.pop_back();
          }
        }
      }
      r.otherwise = points("otherwise").value_or(zero);
      break;
    }
    case RuleMethod::kProportional: {
      const Node* target = node.Find("target");
      if (target == nullptr) {
        problems.Ok(bad_rule("a proportional rule needs a target"));
      } else if (!r.own_target) {
        // target = "tasks" (own_target): each group's own target, from the target set.
        if (target->kind != Node::kString && target->kind != Node::kNumber) {
          problems.Ok(bad(*target, "expected the target as a quantity, e.g. \"95%\" or 10"));
        } else if (absl::StatusOr<Value> t = ParseQuantity(target->text, r.unit); !t.ok()) {
          problems.Ok(bad(*target, std::string(t.status().message())));
        } else if (Cmp(*t, zero) <= 0) {
          problems.Ok(bad(*target, "the target must be positive"));
        } else {
          r.target = *t;
        }
      }
      const std::optional<Value> weight = required("weight", Sign::kPositive);
      if (weight) r.weight = *weight;
      r.bonus_rate = points("bonus_rate", Sign::kNotNegative);
      r.max = points("max");
      const Node* bonus = node.Find("bonus_rate");
      const Node* max = node.Find("max");
      if (bonus != nullptr && max == nullptr) {
        problems.Ok(bad(*bonus, "a bonus_rate needs a max (the most the rule can give)"));
      } else if (max != nullptr && bonus == nullptr) {
        problems.Ok(bad(*max, "max is for a rule with a bonus_rate (without one the weight is the cap)"));
      } else if (r.max && weight && Cmp(*r.max, *weight) < 0) {
        problems.Ok(bad(*max, "max must be at least the weight"));
      }
      break;
    }
    case RuleMethod::kEfficacy:
      r.base = points("base").value_or(Value::Integer(60));
      r.span = node.Find("span") == nullptr ? Value::Integer(40) : points("span", Sign::kNotNegative).value_or(zero);
      if (absl::StatusOr<std::optional<bool>> lower = spec::GetBool(node, "lower_is_better"); problems.Ok(lower.status())) {
        r.lower_is_better = lower->value_or(false);
      }
      break;
    case RuleMethod::kDeduction:
      if (const std::optional<Value> per = required("per", Sign::kPositive)) r.per = *per;
      r.max_deduction = points("max", Sign::kPositive);
      break;
  }
  if (problems.size() != before) return std::nullopt;
  return r;
}

}  // namespace

std::string_view RuleMethodId(RuleMethod m) {
  switch (m) {
    case RuleMethod::kTiers: return "tiers";
    case RuleMethod::kProportional: return "proportional";
    case RuleMethod::kEfficacy: return "efficacy";
    case RuleMethod::kDeduction: return "deduction";
  }
  return "";
}

absl::Status ValidateScheme(const ScoringScheme& s) {
  if (s.rules.empty()) return absl::InvalidArgumentError("a scoring scheme needs at least one rule");
  if (s.places < 0 || s.places > 12) return absl::InvalidArgumentError("places must be 0..12");
  const Value zero = Value::Integer(0);
  for (size_t i = 0; i < s.rules.size(); ++i) {
    const ScoringRule& r = s.rules[i];
    auto bad = [&](std::string_view what) {
      return absl::InvalidArgumentError(Cat("rule '", r.id, "': ", what));
    };
    if (r.id.empty()) return absl::InvalidArgumentError(Cat("rule ", i + 1, " has no id"));
    for (size_t j = 0; j < i; ++j) {
      if (s.rules[j].id == r.id) {
        return bad(kIdUsedBefore);
      }
    }
    if (!r.not_applicable.applicable()) return bad("not_applicable must be a number");
    switch (r.method) {
      case RuleMethod::kTiers: {
        if (r.tiers.empty()) return bad("a tiers rule needs at least one tier");
        TierOrder order;
        for (size_t j = 0; j < r.tiers.size(); ++j) {
          const Tier& t = r.tiers[j];
          if (!t.threshold.applicable() || !t.points.applicable()) return bad("a tier needs a threshold and points");
          if (std::optional<size_t> i = order.Shadowing(r.tiers, j)) {
            return bad(Cat("tier ", j + 1, " is never reached: tier ", *i + 1, " before it holds for every value it would ",
                           kTierOrder));
          }
        }
        if (!r.otherwise.applicable()) return bad("otherwise must be a number");
        break;
      }
      case RuleMethod::kProportional:
        if (!r.target.applicable() || Cmp(r.target, zero) <= 0) return bad("the target must be positive");
        if (!r.weight.applicable() || Cmp(r.weight, zero) <= 0) return bad("the weight must be positive");
        if (r.bonus_rate && (!r.bonus_rate->applicable() || Cmp(*r.bonus_rate, zero) < 0)) {
          return bad("bonus_rate must not be negative");
        }
        if (r.bonus_rate && !r.max) return bad("a bonus_rate needs a max (the most the rule can give)");
        if (r.max && !r.bonus_rate) return bad("max is for a rule with a bonus_rate (without one the weight is the cap)");
        if (r.max && (!r.max->applicable() || Cmp(*r.max, r.weight) < 0)) return bad("max must be at least the weight");
        break;
      case RuleMethod::kEfficacy:
        if (!r.base.applicable() || !r.span.applicable()) return bad("base and span must be numbers");
        if (Cmp(r.span, zero) < 0) return bad("span must not be negative");
        break;
      case RuleMethod::kDeduction:
        if (!r.per.applicable() || Cmp(r.per, zero) <= 0) return bad("per must be positive");
        if (r.max_deduction && (!r.max_deduction->applicable() || Cmp(*r.max_deduction, zero) <= 0)) {
          return bad("max must be positive");
        }
        break;
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<ScoringScheme> ParseScoringScheme(std::string_view text,
                                                 std::span<const CustomIndicator> known_customs) {
  return internal::NoThrow("reading the scoring scheme", [&]() -> absl::StatusOr<ScoringScheme> {
    absl::StatusOr<Node> doc = toml::Parse(text);
    if (!doc.ok()) return doc.status();
    const Node& root = *doc;
    internal::ErrorList problems;  // all of them, not the first
    problems.Ok(spec::CheckKeys(root, {"name", "title", "group_by", "places", "indicators", "rule"}, "a scoring scheme"));
    ScoringScheme scheme;
    for (auto [key, field] : {std::pair{"name", &scheme.name}, std::pair{"title", &scheme.title}}) {
      absl::StatusOr<std::optional<std::string>> v = spec::GetString(root, key);
      if (problems.Ok(v.status()) && *v) *field = **v;
    }
    absl::StatusOr<std::optional<std::string>> group_by = spec::GetString(root, "group_by");
    if (problems.Ok(group_by.status()) && *group_by) {
      absl::StatusOr<Dimension> d = ParseDimension(**group_by);
      if (d.ok()) {
        scheme.group_by = *d;
      } else {
        problems.Ok(toml::ErrorAt(*root.Find("group_by"), std::string(d.status().message())));
      }
    }
    absl::StatusOr<std::optional<int>> places = spec::GetInt(root, "places", 0, 12);
    if (problems.Ok(places.status())) scheme.places = places->value_or(2);

    std::optional<CustomIndicatorSet> compiled = spec::ReadIndicators(root, known_customs, &scheme.indicators, problems);
    if (!compiled) return problems.status();  // rules naming them would seem wrong too

    const Node* rules = root.Find("rule");
    if (rules == nullptr || rules->kind != Node::kArray || rules->items.empty()) {
      problems.Ok(rules == nullptr ? absl::InvalidArgumentError("line 1, column 1: expected [[rule]] tables")
                                   : toml::ErrorAt(*rules, "expected [[rule]] tables"));
      return problems.status();
    }
    std::vector<std::string> ids;  // of every rule read so far, with problems or not
    for (const Node& node : rules->items) {
      std::string id;
      std::optional<ScoringRule> r = ParseRule(node, *compiled, problems, &id);
      // What ParseRule cannot see alone, an id an earlier rule has: at the id (else
      // at the indicator, which the id defaults to).
      if (!id.empty() && std::find(ids.begin(), ids.end(), id) != ids.end()) {
        const Node* at = node.Find("id") != nullptr ? node.Find("id") : node.Find("indicator");
        problems.Ok(toml::ErrorAt(*at, Cat("rule '", id, "': ", kIdUsedBefore)));
        continue;
      }
      if (!id.empty()) ids.push_back(id);
      if (r) scheme.rules.push_back(*std::move(r));
    }
    if (!problems.empty()) return problems.status();
    if (absl::Status st = ValidateScheme(scheme); !st.ok()) return st;
    return scheme;
  });
}

std::vector<std::string> SchemeIndicatorIds(const ScoringScheme& scheme) {
  std::vector<std::string> ids;
  for (const ScoringRule& r : scheme.rules) {
    if (std::find(ids.begin(), ids.end(), r.indicator) == ids.end()) ids.push_back(r.indicator);
  }
  return ids;
}

absl::StatusOr<std::vector<GroupScore>> ScoreGroups(const ScoringScheme& scheme, const Result& result,
                                                    const TargetSet* targets) {
  if (absl::Status st = ValidateScheme(scheme); !st.ok()) return st;
  const size_t n = result.rows.empty() ? 0 : result.group_by.empty() ? result.rows.size() : result.rows.size() - 1;
  std::vector<GroupScore> out(n);
  std::vector<Q> totals(n);
  for (size_t g = 0; g < n; ++g) {
    out[g].row = g;
    out[g].group = result.rows[g].group;
  }
  for (const ScoringRule& rule : scheme.rules) {
    const int col = result.column(rule.indicator);
    if (col < 0) {
      return absl::NotFoundError(Cat("rule '", rule.id, "': indicator '", rule.indicator, "' is not a column of the result"));
    }
    const Target* own = nullptr;
    if (rule.own_target) {
      if (targets == nullptr) {
        return absl::InvalidArgumentError(Cat("rule '", rule.id, "' scores each group against its own target (target = "
                                              "\"tasks\"): give the scoring a target set (--targets)"));
      }
      for (const Target& t : targets->targets) {
        if (t.indicator == rule.indicator) own = &t;
      }
      if (own == nullptr) {
        return absl::InvalidArgumentError(Cat("rule '", rule.id, "' scores against each group's own target, but the target set ",
                                              targets->name, " has no target for '", rule.indicator, "'"));
      }
    }
    std::vector<std::optional<Q>> x(n);
    std::vector<Value> inputs(n);
    for (size_t g = 0; g < n; ++g) {
      const std::vector<Value>& values = result.rows[g].values;
      if (static_cast<size_t>(col) >= values.size()) return absl::InvalidArgumentError("a result row is short of values");
      inputs[g] = values[static_cast<size_t>(col)];
      if (own != nullptr) {
        // 完成率 = actual / the group's own target (none, or not above 0: not applicable).
        absl::StatusOr<std::pair<Value, TargetStatus::Source>> target = TargetValueFor(*targets, *own, result, g);
        if (!target.ok()) return target.status();
        absl::StatusOr<Value> rate = TargetProgress(inputs[g], target->first);
        if (!rate.ok()) return rate.status();
        inputs[g] = *rate;
      }
      if (inputs[g].applicable()) x[g] = internal::rational::FromValue(inputs[g]);
    }
    // Efficacy: the range over the groups' applicable values.
    std::optional<Q> lo, hi;
    for (const std::optional<Q>& v : x) {
      if (!v) continue;
      lo = lo ? internal::rational::Min(*lo, *v) : *v;
      hi = hi ? internal::rational::Max(*hi, *v) : *v;
    }
    for (size_t g = 0; g < n; ++g) {
      Q p;
      if (!x[g]) {
        p = internal::rational::FromValue(rule.not_applicable);
      } else {
        const Q& v = *x[g];
        switch (rule.method) {
          case RuleMethod::kTiers: {
            p = internal::rational::FromValue(rule.otherwise);
            for (const Tier& t : rule.tiers) {
              const int c = internal::rational::Compare(v, internal::rational::FromValue(t.threshold));
              if (t.bound == Bound::kAtLeast ? c >= 0 : c <= 0) {
                p = internal::rational::FromValue(t.points);
                break;
              }
            }
            break;
          }
          case RuleMethod::kProportional: {
            const Q weight = internal::rational::FromValue(rule.weight);
            const Q r = *internal::rational::Div(v, internal::rational::FromValue(rule.target));
            const Q one = internal::rational::FromInt(1);
            if (internal::rational::Compare(r, one) <= 0) {
              p = internal::rational::Mul(r, weight);
            } else if (rule.bonus_rate) {
              p = internal::rational::Add(weight, internal::rational::Mul(internal::rational::Mul(internal::rational::Sub(r, one), weight),
                                                      internal::rational::FromValue(*rule.bonus_rate)));
              p = internal::rational::Min(p, internal::rational::FromValue(*rule.max));
            } else {
              p = weight;
            }
            p = internal::rational::Max(p, internal::rational::FromInt(0));
            break;
          }
          case RuleMethod::kEfficacy: {
            const Q base = internal::rational::FromValue(rule.base), span = internal::rational::FromValue(rule.span);
            const Q range = internal::rational::Sub(*hi, *lo);
            if (internal::rational::Sign(range) == 0) {
              p = internal::rational::Add(base, span);
            } else {
              const Q above = rule.lower_is_better ? internal::rational::Sub(*hi, v) : internal::rational::Sub(v, *lo);
              p = internal::rational::Add(base, internal::rational::Mul(span, *internal::rational::Div(above, range)));
            }
            break;
          }
          case RuleMethod::kDeduction: {
            Q d = internal::rational::Mul(internal::rational::FromValue(rule.per), internal::rational::Max(v, internal::rational::FromInt(0)));
            if (rule.max_deduction) d = internal::rational::Min(d, internal::rational::FromValue(*rule.max_deduction));
            p = internal::rational::Neg(d);
            break;
          }
        }
      }
      absl::StatusOr<Value> pv = internal::rational::ToShownValue(p);
      if (!pv.ok()) return pv.status();
      out[g].rules.push_back(RuleScore{inputs[g], *pv});
      totals[g] = internal::rational::Add(totals[g], p);
    }
  }
  for (size_t g = 0; g < n; ++g) {
    absl::StatusOr<Value> t = internal::rational::ToShownValue(totals[g]);  // ranked below by the exact totals
    if (!t.ok()) return t.status();
    out[g].total = *t;
  }
  // Best first; equal totals keep the row order and share the rank of the first.
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&totals](size_t a, size_t b) { return internal::rational::Compare(totals[a], totals[b]) > 0; });
  std::vector<GroupScore> ranked;
  ranked.reserve(n);
  for (size_t k = 0; k < n; ++k) {
    const size_t g = order[k];
    const bool tie = k > 0 && internal::rational::Compare(totals[g], totals[order[k - 1]]) == 0;
    out[g].rank = tie ? ranked.back().rank : static_cast<int>(k) + 1;
    ranked.push_back(std::move(out[g]));
  }
  out = std::move(ranked);
  return out;
}

std::string FormatPoints(const Value& points, int places) {
  if (!points.applicable()) return "—";
  return points.Decimal(places);
}

}  // namespace keyproj
