// Internal: the CSV loader's parallel reading with a chosen part size, for tests and
// fuzzing (tiny parts cut small inputs into many, so that rows, quoted line breaks,
// bad bytes and errors fall on and around the cuts). LoadCsvLedger uses the same
// code with parts of a few MB (see loader.cc, "Files read in parallel, in parts").
#ifndef KEYPROJ_SRC_CSV_LOADER_PARTS_H_
#define KEYPROJ_SRC_CSV_LOADER_PARTS_H_

#include <cstddef>
#include <iterator>
#include <span>
#include <string>

#include "absl/status/statusor.h"
#include "keyproj/csv_loader.h"

namespace keyproj::internal {

// The order a ledger's tables are read in: projects first (the others refer to it).
// The loader reads files so, and orders its problems so; a workbook's own problems
// (src/xlsx) are ordered among them by it.
inline constexpr Table kLoadOrder[] = {Table::kProjects,  Table::kPlans,    Table::kFunding, Table::kProblems,
                                       Table::kApprovals, Table::kBaseline, Table::kMonthly};
static_assert(std::size(kLoadOrder) == kTableCount);

// LoadCsvLedger(files, options, diagnostics) read in parallel (options.threads, 0 =
// every hardware thread, 1 = the calling thread only) with files cut into parts of
// about `part_bytes` (at least 1) -- whatever options.threads says, the parts path.
absl::StatusOr<Ledger> LoadCsvLedgerInParts(std::span<const CsvInput> files, const LoadOptions& options,
                                            size_t part_bytes, Diagnostics* diagnostics);

// A table's CSV text whose table is given, not taken from its name: a workbook's sheet
// (src/xlsx), `name` (the sheet's) naming it in diagnostics.
struct TableInput {
  Table table = Table::kProjects;
  std::string name;
  std::string bytes;
};

// LoadCsvLedger(files, ...) over such inputs, read by the same path as CSV files. One
// of them should be Table::kProjects (else NotFound, as for files in memory).
absl::StatusOr<Ledger> LoadTableInputs(std::span<const TableInput> tables, const LoadOptions& options,
                                       Diagnostics* diagnostics);

}  // namespace keyproj::internal

#endif  // KEYPROJ_SRC_CSV_LOADER_PARTS_H_
