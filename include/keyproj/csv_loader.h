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
#include "keyproj/encoding.h"
#include "keyproj/ledger.h"
#include "keyproj/ledger_builder.h"
#include "keyproj/regions.h"

namespace keyproj {

// The file of a table in a ledger folder: "projects.csv", "monthly.csv", ...
inline std::string CsvFileName(Table t) { return std::string(TableName(t)) + ".csv"; }

struct LoadOptions {
  Encoding encoding = Encoding::kAuto;
  // Strict (false): nothing is loaded if anything is wrong. Lenient: the good rows
  // load and the bad ones come back as diagnostics.
  bool lenient = false;
  DuplicateMonths duplicate_months = DuplicateMonths::kError;
  // Exchange rates for funding.csv's currency column: {"USD", "7.1"}.
  std::vector<std::pair<std::string, std::string>> fx_rates;
  // Threads reading the files: 0 = one per hardware thread; 1 = all on the calling
  // thread, one file after the other. With more, files are decoded and cut into parts
  // at row boundaries, the parts read in parallel and given to the builder in file
  // order: the ledger and the diagnostics are the same (docs/ledger.md, "Loading").
  // Also the builder's (BuildOptions::threads), and so ColumnLedgerBuilder's, which
  // reads a big batch on two threads unless this is 1 (docs/ledger.md).
  int threads = 0;
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

// A column of a ledger table as ledger-format.md writes it, for a host's menus and
// column mappings: the English header (also the field's name in problems), the
// Chinese header (its unit in brackets), further accepted headers ('|'-separated) and
// whether the file must have it. Static strings, NUL-terminated.
struct LedgerColumn {
  std::string_view id;       // "total_investment"
  std::string_view chinese;  // "总投资（万元）"
  std::string_view aliases;  // "项目编码|项目编号"
  bool required;
};
// The columns of `table`, in the order ledger-format.md lists them (the headers the
// loader and the column arrays match; others are kept as extra columns).
std::span<const LedgerColumn> LedgerColumns(Table table);

// Parses the bytes of a regions.csv (UTF-8 with or without BOM, or GB18030 as
// `encoding` says or as detected). Every bad row is a diagnostic naming `file`, the
// line, the column and the reason (a code that is not 2, 4 or 6 digits, an empty
// name, a code named twice); the good rows are kept. A file without the two
// columns is one diagnostic for line 1.
RegionNames ParseRegionNames(std::string_view bytes, const std::string& file, Encoding encoding,
                             Diagnostics* diagnostics);

// Reads `path` (a regions.csv, or a ledger folder holding one). A folder without
// regions.csv gives an empty set. Errors: the file exists but cannot be read.
absl::StatusOr<RegionNames> LoadRegionNames(const std::filesystem::path& path, Encoding encoding,
                                            Diagnostics* diagnostics);
// The same for a path a user named for its region names (--regions, a C host's
// kp_report_request_set_regions_from_csv): a folder without regions.csv is NotFound,
// since an empty set there would silently replace the names the ledger came with.
absl::StatusOr<RegionNames> LoadNamedRegionNames(const std::filesystem::path& path, Encoding encoding,
                                                 Diagnostics* diagnostics);

}  // namespace keyproj

#endif  // KEYPROJ_CSV_LOADER_H_
