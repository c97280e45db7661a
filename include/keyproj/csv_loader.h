// Loading a ledger from its CSV folder (see shared spec ledger-format.md).
//
// projects.csv is required; monthly.csv, funding.csv, plans.csv, problems.csv and
// baseline.csv are loaded when present. Files are UTF-8 (with or without BOM) or
// GB18030 -- named explicitly, or detected when a file is not valid UTF-8. Headers
// may be English ids or Chinese aliases (full- or half-width brackets), in any
// order; unknown columns are kept. Every bad cell is reported as file:line:column
// and reason, all of them in one run.
#ifndef KEYPROJ_CSV_LOADER_H_
#define KEYPROJ_CSV_LOADER_H_

#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "keyproj/diagnostic.h"
#include "keyproj/ledger.h"
#include "keyproj/ledger_builder.h"

namespace keyproj {

enum class Encoding : uint8_t {
  kAuto = 0,     // UTF-8 when valid, else GB18030 (same content either way: no diagnostic)
  kUtf8 = 1,     // invalid UTF-8 is an error with its line and column
  kGb18030 = 2,  // also reads GBK/GB2312, which it contains
};

struct LoadOptions {
  Encoding encoding = Encoding::kAuto;
  // Strict (false): nothing is loaded if anything is wrong. Lenient: the good rows
  // load and the bad ones come back as diagnostics.
  bool lenient = false;
  DuplicateMonths duplicate_months = DuplicateMonths::kError;
  // Exchange rates for funding.csv's currency column: {"USD", "7.1"}.
  std::vector<std::pair<std::string, std::string>> fx_rates;
};

// An input file already in memory: `name` is used in diagnostics and decides the
// table ("monthly.csv" -> Table::kMonthly).
struct CsvInput {
  std::string name;
  std::string bytes;
};

// Loads DIR/projects.csv and the optional files beside it. Diagnostics (when not
// null) receive every problem found, also on success in lenient mode. The status is
// NotFound / PermissionDenied for a missing folder or unreadable file, and
// InvalidArgument summarising the diagnostics when a strict load finds problems.
absl::StatusOr<Ledger> LoadCsvLedger(const std::filesystem::path& dir, const LoadOptions& options,
                                     Diagnostics* diagnostics);

// The same from files in memory (tests, fuzzing, callers that fetched the files
// themselves). One of them must be projects.csv.
absl::StatusOr<Ledger> LoadCsvLedger(std::span<const CsvInput> files, const LoadOptions& options,
                                     Diagnostics* diagnostics);

// Converts GB18030 bytes to UTF-8 (glibc iconv). Error: the byte offset of the
// first sequence that is not GB18030.
absl::StatusOr<std::string> Gb18030ToUtf8(std::string_view bytes);
absl::StatusOr<std::string> Utf8ToGb18030(std::string_view utf8);

// Offset of the first byte that is not part of valid UTF-8, or npos.
size_t FindInvalidUtf8(std::string_view bytes);

}  // namespace keyproj

#endif  // KEYPROJ_CSV_LOADER_H_
