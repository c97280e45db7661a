// Private to the library: what partials (partial.h, src/report/partial.cc) need of
// the engine. An Aggregation's groups are keyed by codes private to one ledger's
// plan (string ids, tag-set numbers); exported here with their keys as the report
// prints them, they can cross machines and be added up by text, then turned into a
// Result by the same row code that Finish uses.
#ifndef KEYPROJ_SRC_ENGINE_PARTIAL_HOOKS_H_
#define KEYPROJ_SRC_ENGINE_PARTIAL_HOOKS_H_

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/catalogue_internal.h"
#include "engine/totals.h"
#include "keyproj/engine.h"
#include "keyproj/ledger.h"
#include "keyproj/query.h"

namespace keyproj {

// The notes of a merged result's lists: [column] maps a project number (of the
// listing ledger the merge builds) to its note, as the shard computed it.
struct CarriedNote {
  std::string key, label;
  std::optional<int64_t> number;
  std::string text;
};
struct CarriedNotes {
  std::vector<std::map<uint32_t, CarriedNote>> by_column;
};

namespace engine {

// One group of an exported aggregation: its scope (0 = the query's own, s > 0 a
// custom filter's), its key per dimension as the code rows sort by (0 for the text
// dimensions department, leader and tag, which sort by text) and as text, and its
// totals (lists left empty: a shard's lists travel as the rows of its Result).
struct PortableGroup {
  uint32_t scope = 0;
  std::vector<uint32_t> codes;
  std::vector<std::string> texts;
  Totals totals;
  // The comparable bases of a scope-0 row (baseline.csv), looked up on the shard.
  ComparableBases base;
};

struct PortableTotals {
  // Per scope, the whole scope's totals (lists empty).
  std::vector<Totals> alls;
  // The groups rows are made of (a tag set's totals already spread to its tags).
  std::vector<PortableGroup> groups;
  ComparableBases whole_base;
};

// Every number of a Totals, in one fixed order (what a partial file writes).
size_t TotalsNumberCount();
void TotalsToNumbers(const Totals& t, std::vector<int128>* out);
// Error: a count that does not fit its field.
absl::Status TotalsFromNumbers(const std::vector<int128>& numbers, Totals* t);

// The totals of an aggregation (Start + AddProjects), keys as text.
PortableTotals ExportTotals(const Aggregation& aggregation);

// The result of `query` from merged totals, as Finish would give it on the union of
// the shards: rows in Finish's order, values by MakeRow, lists empty (the caller
// fills them). `empty` is a ledger without projects (the query is prepared on it).
// Errors: those of Aggregation::Start; totals of a different shape.
absl::StatusOr<Result> FinishPortable(const Ledger& empty, const Query& query, const PortableTotals& totals);

}  // namespace engine
}  // namespace keyproj

#endif  // KEYPROJ_SRC_ENGINE_PARTIAL_HOOKS_H_
