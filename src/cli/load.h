// Loading the ledger named by --data, with every problem printed to stderr.
#ifndef KEYPROJ_CLI_LOAD_H_
#define KEYPROJ_CLI_LOAD_H_

#include <memory>
#include <optional>
#include <string_view>

#include "cli/flags.h"
#include "keyproj/ledger.h"
#include "keyproj/query.h"
#include "keyproj/report_request.h"
#include "keyproj/regions.h"

namespace keyproj::cli {

// The usage error of a command run without --data (commands check it before reading
// any other file).
inline constexpr std::string_view kDataRequired = "--data DIR is required (the folder holding projects.csv)";

// Loads the ledger and prints its diagnostics to stderr. On failure returns nullopt
// and sets *exit_code (kExitUsage, kExitIo or kExitDataErrors); a bad load option
// (--fx USD=abc, --merge-duplicates max) is a usage error of `command`, said before
// anything is read.
// A progress line, if given, is cleared before anything is printed. When --data is a
// snapshot and `packed_regions` is not null, it receives the region names packed with
// it (the file is opened once for both).
class Progress;
std::optional<Ledger> LoadFromFlags(std::string_view command, const Flags& flags, int* exit_code, Progress* progress = nullptr,
                                    std::shared_ptr<const RegionNames>* packed_regions = nullptr);

// The region names of --regions FILE, else of regions.csv in the --data folder (an
// empty set when there is none). Problems are printed to stderr; with any, and
// without --lenient, returns null and sets *exit_code (kExitDataErrors, kExitIo).
std::shared_ptr<const RegionNames> RegionsFromFlags(const Flags& flags, int* exit_code,
                                                    Progress* progress = nullptr);

// What report, targets and score start from: the ledger and its region names.
struct LoadedLedger {
  Ledger ledger;
  std::shared_ptr<const RegionNames> regions;
};

// Loads both, clearing `progress` before anything is printed. On failure the
// problem is on stderr and *exit_code says which.
std::optional<LoadedLedger> LoadWithRegions(std::string_view command, const Flags& flags, Progress& progress, int* exit_code);

// Computes the report of `request`, printing a failure as a usage error of
// `command` (a bad indicator, option or date is how the command was called). A
// [tasks] group the ledger cannot place is the mistake of the target set's file,
// `targets_file` (when given): printed naming it, as its other mistakes are.
std::optional<Report> MakeReportOrUsage(std::string_view command, const Ledger& ledger,
                                        const ReportRequest& request, Progress& progress, int* exit_code,
                                        std::string_view targets_file = {});

}  // namespace keyproj::cli

#endif  // KEYPROJ_CLI_LOAD_H_
