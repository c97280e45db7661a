#include "cli/load.h"

#include <iostream>

#include "cli/commands.h"
#include "cli/output.h"
#include "keyproj/csv_loader.h"

namespace keyproj::cli {

std::optional<Ledger> LoadFromFlags(const Flags& flags, int* exit_code, Progress* progress) {
  std::optional<std::string> dir = flags.Get("data");
  if (!dir) {
    std::cerr << "keyproj: --data DIR is required (the folder holding projects.csv)\n";
    *exit_code = kExitUsage;
    return std::nullopt;
  }
  absl::StatusOr<LoadOptions> options = LoadOptionsFromFlags(flags);
  if (!options.ok()) {
    std::cerr << "keyproj: " << options.status().message() << "\n";
    *exit_code = kExitUsage;
    return std::nullopt;
  }
  Diagnostics diagnostics;
  absl::StatusOr<Ledger> ledger = LoadCsvLedger(*dir, *options, &diagnostics);
  if (progress != nullptr && (!ledger.ok() || !diagnostics.empty())) progress->Clear();
  for (const Diagnostic& d : diagnostics) std::cerr << d.ToString() << "\n";
  if (!ledger.ok()) {
    const bool data = ledger.status().code() == absl::StatusCode::kInvalidArgument;
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
    std::cerr << "keyproj: --lenient: " << diagnostics.size()
              << (diagnostics.size() == 1 ? " problem" : " problems")
              << " (listed above); the rows they name were left out, the rest was loaded.\n";
  }
  *exit_code = kExitOk;
  return std::move(*ledger);
}

}  // namespace keyproj::cli
