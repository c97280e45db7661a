#include "cli/load.h"

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <system_error>

#include "absl/strings/str_join.h"
#include "cli/commands.h"
#include "cli/output.h"
#include "cli/query_flags.h"
#include "keyproj/csv_loader.h"
#include "keyproj/snapshot.h"
#include "keyproj/internal/text.h"

namespace keyproj::cli {

using ::keyproj::internal::Cat;

std::optional<Ledger> LoadFromFlags(std::string_view command, const Flags& flags, int* exit_code,
                                    Progress* progress, std::shared_ptr<const RegionNames>* packed_regions) {
  std::optional<std::string> dir = flags.Get("data");
  if (!dir) {
    *exit_code = UsageError(command, kDataRequired);
    return std::nullopt;
  }
  absl::StatusOr<LoadOptions> options = LoadOptionsFromFlags(flags);
  if (!options.ok()) {
    if (progress != nullptr) progress->Clear();
    *exit_code = UsageError(command, std::string(options.status().message()));
    return std::nullopt;
  }
  Diagnostics diagnostics;
  // A folder of CSV files or a snapshot (keyproj pack), which is opened once for
  // both the ledger and its region names.
  absl::StatusOr<Ledger> ledger = OpenLedger(*dir, *options, &diagnostics, packed_regions);
  if (progress != nullptr && (!ledger.ok() || !diagnostics.empty())) progress->Clear();
  for (const Diagnostic& d : diagnostics) std::cerr << FlagsForOptions(d.ToString()) << "\n";
  if (!ledger.ok()) {
    // (A snapshot that cannot be opened has no diagnostics: its message says why.)
    const bool data = ledger.status().code() == absl::StatusCode::kInvalidArgument && !diagnostics.empty();
    if (data) {
      std::cerr << "keyproj: " << diagnostics.size() << (diagnostics.size() == 1 ? " problem" : " problems")
                << " in " << *dir << "; nothing was loaded. Fix them, or use --lenient to load "
                << "the good rows.\n";
    } else {
      std::cerr << "keyproj: " << ledger.status().message() << "\n";
    }
    *exit_code = data ? kExitDataErrors : kExitIo;
    return std::nullopt;
  }
  if (!diagnostics.empty()) {
    std::cerr << "keyproj: --lenient: " << ProblemCount(diagnostics)
              << " (listed above); the rows they name were left out, the rest was loaded.\n";
  }
  *exit_code = kExitOk;
  return std::move(*ledger);
}

std::shared_ptr<const RegionNames> RegionsFromFlags(const Flags& flags, int* exit_code, Progress* progress) {
  const std::optional<std::string> file = flags.Get("regions");
  const std::string path = file ? *file : flags.Get("data").value_or(".");
  absl::StatusOr<LoadOptions> options = LoadOptionsFromFlags(flags);
  Diagnostics diagnostics;
  // The ledger folder's regions.csv is optional; a file named with --regions is not
  // (a folder named there must hold one).
  const Encoding encoding = options.ok() ? options->encoding : Encoding::kAuto;
  absl::StatusOr<RegionNames> names = file ? LoadNamedRegionNames(path, encoding, &diagnostics)
                                           : LoadRegionNames(path, encoding, &diagnostics);
  if (progress != nullptr && (!names.ok() || !diagnostics.empty())) progress->Clear();
  if (!names.ok()) {
    std::cerr << "keyproj: --regions: " << Cat(names.status().message()) << "\n";
    *exit_code = kExitIo;
    return nullptr;
  }
  for (const Diagnostic& d : diagnostics) std::cerr << FlagsForOptions(d.ToString()) << "\n";
  if (!diagnostics.empty() && !flags.Has("lenient")) {
    std::cerr << "keyproj: " << diagnostics.size() << (diagnostics.size() == 1 ? " problem" : " problems")
              << " in the region names; fix them, or use --lenient to keep the good rows.\n";
    *exit_code = kExitDataErrors;
    return nullptr;
  }
  *exit_code = kExitOk;
  return std::make_shared<const RegionNames>(*std::move(names));
}

std::optional<LoadedLedger> LoadWithRegions(std::string_view command, const Flags& flags, Progress& progress,
                                            int* exit_code) {
  std::shared_ptr<const RegionNames> packed;
  std::optional<Ledger> ledger = LoadFromFlags(command, flags, exit_code, &progress, &packed);
  if (!ledger) return std::nullopt;
  if (packed != nullptr && !flags.Has("regions")) return LoadedLedger{*std::move(ledger), std::move(packed)};
  std::shared_ptr<const RegionNames> regions = RegionsFromFlags(flags, exit_code, &progress);
  if (regions == nullptr) return std::nullopt;
  return LoadedLedger{*std::move(ledger), std::move(regions)};
}

std::optional<Report> MakeReportOrUsage(std::string_view command, const Ledger& ledger,
                                        const ReportRequest& request, Progress& progress, int* exit_code,
                                        std::string_view targets_file) {
  if (!targets_file.empty() && request.targets != nullptr && request.targets->tasks_group_by) {
    // (MakeReport resolves them again: a pass over the projects, no more.)
    if (absl::StatusOr<TargetSet> tasks = ResolveTaskGroups(*request.targets, ledger, request.regions.get()); !tasks.ok()) {
      progress.End();
      *exit_code = FileError(command, targets_file, tasks.status());
      return std::nullopt;
    }
  }
  absl::StatusOr<Report> report = MakeReport(ledger, request);
  if (!report.ok()) {
    progress.End();
    *exit_code = UsageError(command, FlagsForOptions(Cat(report.status().message())));
    return std::nullopt;
  }
  if (!report->notes.empty()) progress.End();
  for (const std::string& note : report->notes) std::cerr << "keyproj " << command << ": note: " << note << "\n";
  return *std::move(report);
}

}  // namespace keyproj::cli
