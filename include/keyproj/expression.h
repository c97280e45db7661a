// Custom indicators: a caller defines a new indicator at run time as an arithmetic
// expression over catalogue ids, each optionally narrowed by a filter:
//
//   investment_ytd[category=industry] / investment_ytd            产业投资占比
//   investment_ytd[industrial=1, region=6104] - investment_prev_ytd
//   performance_due * (1 - performance_rate)                       未按约定开工数
//   projects[size>=10000]                                          1亿元以上项目数
//
// Grammar (docs/targets-and-scoring.md has the full reference):
//   expr    := term (('+' | '-') term)*
//   term    := unary (('*' | '/') unary)*
//   unary   := '-' unary | primary
//   primary := number ['%'] | id [filter] | '(' expr ')'
//   filter  := '[' condition (',' condition)* ']'
//   condition := key '=' value ('|' value)*  |  'size' ('>=' | '<') number
// An id is a catalogue id ("investment_ytd", "support_approved.special_bond") or
// the id of another custom indicator of the same set.
//
// Units inside an expression: counts are counts, money is in 万元 (so
// `investment_ytd - 500` subtracts 500万元), rates are fractions (`95%` = 0.95),
// points are points. A custom indicator whose unit is money has its result read in
// 万元 and stored in 分 like every money Value.
//
// Arithmetic is exact (rationals over arbitrary-precision integers). Division by
// zero and any not-applicable operand give "not applicable". Every parse error
// names the 1-based column (in characters, not bytes) and what was expected.
#ifndef KEYPROJ_EXPRESSION_H_
#define KEYPROJ_EXPRESSION_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "keyproj/enum_table.h"
#include "keyproj/indicators.h"
#include "keyproj/query.h"
#include "keyproj/value.h"

namespace keyproj {

// One catalogue indicator that an expression reads, computed over the projects of
// the row's group that also pass `filter` (no filter: the group itself).
struct ExpressionTerm {
  IndicatorRef indicator;
  std::optional<Filter> filter;
  // Canonical text, e.g. "investment_ytd[category=industry,region=6104]": keys in a
  // fixed order, values normalised and sorted. Two terms are the same computation
  // exactly when their texts are equal (the engine may key its extra scopes on it).
  std::string text;
};

namespace expression_internal {
// One step of an expression's postfix program.
struct Op {
  enum Kind : uint8_t { kTerm, kNumber, kAdd, kSub, kMul, kDiv, kNeg };
  Kind kind = kNumber;
  int term = 0;  // kTerm: index in terms()
  Value number;  // kNumber
};
}  // namespace expression_internal

class Expression {
 public:
  // Parses an expression over catalogue ids only (references to custom indicators
  // need a CustomIndicatorSet). Errors: "column 17: expected ')', found end of text".
  static absl::StatusOr<Expression> Parse(std::string_view text);

  Expression() = default;

  // The distinct terms the expression reads, in order of first appearance.
  std::span<const ExpressionTerm> terms() const { return terms_; }

  // The value from the values of terms() (as the engine computes them: money in 分,
  // rates as fractions), one per term. The result is in expression units (money in
  // 万元). Not applicable on a division by zero or a not-applicable operand.
  // Errors: the wrong number of values (InvalidArgument); an exact result that does
  // not fit a 128-bit fraction (OutOfRange).
  absl::StatusOr<Value> Evaluate(std::span<const Value> term_values) const;

  // The expression in canonical form (fully parenthesised binary operations, terms
  // in canonical text): for error messages and tests.
  std::string ToString() const;

 private:
  friend class CustomIndicatorSet;
  std::vector<ExpressionTerm> terms_;
  std::vector<expression_internal::Op> program_;  // postfix
};

// Parses the filter of a term without the brackets: "category=industry, region=6104".
// Errors name the column within `text`.
absl::StatusOr<Filter> ParseFilter(std::string_view text);

// The canonical text of a filter (see ExpressionTerm::text), without brackets.
std::string FilterText(const Filter& filter);

// "count", "money", "rate", "points", "multiple", "months" (or 个/万元/%/百分点/倍/月).
absl::StatusOr<Unit> ParseUnit(std::string_view text);
std::string_view UnitId(Unit unit);

// The places a report prints for a unit when the caller gives none (indicators.md:
// counts whole, money 2 in 万元, rates and points 1, multiples 2).
int DefaultPlaces(Unit unit);

struct CustomIndicator {
  std::string id;     // [A-Za-z_][A-Za-z0-9_]*, not a catalogue id
  std::string label;  // Chinese label of reports; the id when empty
  Unit unit = Unit::kMultiple;
  int places = 2;
  std::string expression;
};

// A set of custom indicators compiled together: references between them are
// resolved, cycles rejected, and each is flattened into terms over catalogue ids.
class CustomIndicatorSet {
 public:
  struct Compiled {
    CustomIndicator def;
    Expression expression;  // flattened: its terms are catalogue ids only
    // For each term of `expression`, its index in the set's terms().
    std::vector<int> set_terms;
  };

  // Errors (InvalidArgument), each naming the custom indicator:
  //   custom indicator 'x': column 5: unknown indicator 'investment_ytdd'
  //   custom indicators form a cycle: a -> b -> a
  // and duplicate ids, ids that shadow a catalogue id, bad ids.
  static absl::StatusOr<CustomIndicatorSet> Compile(std::vector<CustomIndicator> defs);

  CustomIndicatorSet() = default;

  // In definition order.
  std::span<const Compiled> indicators() const { return indicators_; }
  const Compiled* Find(std::string_view id) const;
  int IndexOf(std::string_view id) const;  // -1 when absent

  // The distinct terms of every indicator of the set: what the engine computes per
  // row.
  std::span<const ExpressionTerm> terms() const { return terms_; }

  // The value of indicators()[i] in engine units (money in 分, as the catalogue's
  // money), from the values of the set's terms().
  absl::StatusOr<Value> Evaluate(size_t i, std::span<const Value> set_term_values) const;

 private:
  std::vector<Compiled> indicators_;
  std::vector<ExpressionTerm> terms_;
  // Indexes of indicators_ in the order of their ids, for IndexOf: a report template
  // makes an indicator of every placeholder, thousands in a long one.
  std::vector<int> by_id_;
};

}  // namespace keyproj

#endif  // KEYPROJ_EXPRESSION_H_
