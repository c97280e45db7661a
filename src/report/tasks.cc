// 任务分解: the [tasks] keys of a target set checked against the ledger and turned
// into the keys a Result row has (docs/targets-and-scoring.md §3, "Targets per group").
#include <utility>

#include "keyproj/internal/error_list.h"
#include "keyproj/internal/no_throw.h"
#include "keyproj/internal/text.h"
#include "keyproj/report.h"
#include "keyproj/report_request.h"

namespace keyproj {

using ::keyproj::internal::Append;
using ::keyproj::internal::Cat;

absl::StatusOr<TargetSet> ResolveTaskGroups(const TargetSet& set, const Ledger& ledger, const RegionNames* regions) {
  return internal::NoThrow("resolving the target set's tasks", [&]() -> absl::StatusOr<TargetSet> {
    if (!set.tasks_group_by) return set;
    const Dimension dim = *set.tasks_group_by;
    // The ledger's groups of the dimension, as the engine keys them (the date does
    // not matter: every project has its group whatever the date).
    Query q;
    q.as_of = *Date::FromYmd(2000, 1, 31);
    q.group_by = {dim};
    q.indicators = {"projects"};
    absl::StatusOr<Result> groups = Evaluate(ledger, q);
    if (!groups.ok()) return groups.status();
    TargetSet out = set;
    internal::ErrorList problems;  // every key's, not the first
    for (Target& t : out.targets) {
      for (size_t i = 0; i < t.groups.size(); ++i) {
        GroupTarget& g = t.groups[i];
        // A key as the engine writes it, or the label reports show for one (a
        // county's name from regions.csv, 产业 for industry); a label shared by two
        // groups names neither.
        std::string found;
        std::vector<std::string> by_label;
        for (const ResultRow& row : groups->rows) {
          if (row.group.empty() || row.group[0].empty()) continue;
          if (row.group[0] == g.written) found = row.group[0];
          if (GroupKeyLabel(dim, row.group[0], regions) == g.written) by_label.push_back(row.group[0]);
        }
        const std::string where =
            Cat("line ", g.line, ", column ", g.column, ": task '", t.indicator, "' of '", g.written, "': ");
        if (found.empty() && by_label.size() > 1) {
          std::string codes;
          for (const std::string& k : by_label) Append(&codes, codes.empty() ? "" : ", ", k);
          problems.Ok(absl::InvalidArgumentError(Cat(where, "the name is that of ", by_label.size(), " groups of ",
                                                     DimensionId(dim), " (", codes, "): write the code")));
          continue;
        }
        if (found.empty() && by_label.size() == 1) found = by_label[0];
        if (found.empty()) {
          const bool division = dim == Dimension::kCounty || dim == Dimension::kCity || dim == Dimension::kProvince;
          problems.Ok(absl::InvalidArgumentError(
              Cat(where, "no project of the ledger is in this ", DimensionId(dim), " (", DimensionLabel(dim), ")",
                  division && regions == nullptr ? "; names need regions.csv, else write the division code" : "")));
          continue;
        }
        for (size_t j = 0; j < i; ++j) {
          if (t.groups[j].key == found) {
            problems.Ok(absl::InvalidArgumentError(Cat(where, "the same group as '", t.groups[j].written, "' (line ",
                                                       t.groups[j].line, ")")));
            break;
          }
        }
        g.key = std::move(found);
      }
    }
    if (!problems.empty()) return problems.status();
    return out;
  });
}

}  // namespace keyproj
