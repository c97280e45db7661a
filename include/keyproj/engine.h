// Evaluating a query over a ledger: one fused pass over the projects computes every
// requested indicator for every group, in chunks on several threads whose partial
// totals merge exactly and in any order. The same merge lets a caller compute
// partials per shard (any split of the projects) and combine them centrally.
#ifndef KEYPROJ_ENGINE_H_
#define KEYPROJ_ENGINE_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "keyproj/indicators.h"
#include "keyproj/ledger.h"
#include "keyproj/query.h"
#include "keyproj/value.h"

namespace keyproj {

struct CarriedNotes;  // src/engine/partial_hooks.h

struct ResultRow {
  // The group's key, one text per group-by dimension ("industry", "610402", "是").
  // Empty for the whole-scope row.
  std::vector<std::string> group;
  std::vector<Value> values;  // one per indicator of the query
  // For indicators that list projects (late_reports, stalled, ...): the project
  // numbers, ascending; empty for the others.
  std::vector<std::vector<uint32_t>> projects;
};

struct Result {
  Date as_of;
  std::vector<Dimension> group_by;
  std::vector<IndicatorRef> indicators;
  // Groups in ascending key order, then the whole-scope row, always last.
  std::vector<ResultRow> rows;
  // Keeps the definitions of custom indicators that `indicators` point to.
  std::shared_ptr<const CustomIndicatorSet> custom;
  std::shared_ptr<const std::vector<IndicatorDef>> custom_defs;
  // How many threads Evaluate's pass ran on (QueryOptions::threads, bounded by
  // min_projects_per_thread); 1 from Aggregation::Finish.
  int threads = 1;
  // A result merged from partials (partial.h): the list notes each shard computed,
  // which NoteOf returns instead of reading a ledger (the merge has none). Null
  // otherwise.
  std::shared_ptr<const CarriedNotes> carried_notes;

  const ResultRow& total() const { return rows.back(); }
  // Index of an indicator id in this result, or -1.
  int column(std::string_view id) const;
};

// Why a listed project is on an indicator's list: the date or figure that put it
// there (a bureau acts on "项目A, 逾期45天", not on a count). Every surface that
// prints a list prints its note beside the code and name.
struct ListNote {
  std::string_view key;    // machine name, e.g. "days_overdue", "days_past_planned_start" (JSON, C, Python)
  std::string_view label;  // Chinese column head, e.g. "逾期天数", "逾期开工天数（缺少手续）"
  // The figure when the reason is a number, else nullopt and `text` says it (a date,
  // the missing items). The key names the number's unit, which is how reports print
  // it (NoteValueText, report.h): a key ending in "_fen" is money in 分 ("万元"), in
  // "_centipercent" hundredths of a percent ("60.00%"); one containing "days" is days
  // ("45天"), "months" months ("3个月"); any other is a plain count. A note may have
  // both: the number and a text that details it ("逾期92天（可研批复）"; JSON gives the
  // number under the key and the printed whole as "note").
  std::optional<int64_t> number;
  std::string text;
};

// The note of project p on the list of column `column` of `result` (evaluated on
// `ledger`); nullopt when that indicator lists no projects or keeps no note.
std::optional<ListNote> NoteOf(const Ledger& ledger, const Result& result, size_t column, uint32_t p);

class Aggregation;

// Computes the query. Errors: an unknown indicator id, a bad option.
absl::StatusOr<Result> Evaluate(const Ledger& ledger, const Query& query);

// The partial totals of a query over some of the projects, for sharded evaluation:
//   Aggregation a = Aggregation::Start(ledger, query).value();
//   a.AddProjects(0, n / 2);  b.AddProjects(n / 2, n);  a.Merge(b);  a.Finish();
// gives exactly what Evaluate gives.
class Aggregation {
 public:
  static absl::StatusOr<Aggregation> Start(const Ledger& ledger, const Query& query);
  ~Aggregation();
  Aggregation(Aggregation&&) noexcept;
  Aggregation& operator=(Aggregation&&) noexcept;

  // Adds projects [first, end) (project numbers of the ledger).
  void AddProjects(uint32_t first, uint32_t end);
  // Adds another aggregation of the same ledger and query.
  void Merge(const Aggregation& other);
  Result Finish() const;

  struct State;

 private:
  friend struct AggregationAccess;  // partials (src/engine/partial_hooks.h) read the totals
  friend absl::StatusOr<Result> Evaluate(const Ledger& ledger, const Query& query);
  explicit Aggregation(std::unique_ptr<State> state);
  std::unique_ptr<State> s_;
};

}  // namespace keyproj

#endif  // KEYPROJ_ENGINE_H_
