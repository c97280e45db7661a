// Internal: the CSV loader's parallel reading with a chosen part size, for tests and
// fuzzing (tiny parts cut small inputs into many, so that rows, quoted line breaks,
// bad bytes and errors fall on and around the cuts). LoadCsvLedger uses the same
// code with parts of a few MB (see loader.cc, "Files read in parallel, in parts").
#ifndef KEYPROJ_SRC_CSV_LOADER_PARTS_H_
#define KEYPROJ_SRC_CSV_LOADER_PARTS_H_

#include <cstddef>
#include <span>

#include "absl/status/statusor.h"
#include "keyproj/csv_loader.h"

namespace keyproj::internal {

// LoadCsvLedger(files, options, diagnostics) read in parallel (options.threads, 0 =
// every hardware thread, 1 = the calling thread only) with files cut into parts of
// about `part_bytes` (at least 1) -- whatever options.threads says, the parts path.
absl::StatusOr<Ledger> LoadCsvLedgerInParts(std::span<const CsvInput> files, const LoadOptions& options,
                                            size_t part_bytes, Diagnostics* diagnostics);

}  // namespace keyproj::internal

#endif  // KEYPROJ_SRC_CSV_LOADER_PARTS_H_
