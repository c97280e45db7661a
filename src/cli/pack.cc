// keyproj pack: a ledger folder, loaded and validated once, written as one
// snapshot file (.kpl) that every command then opens at once (docs/snapshot.md).
#include <filesystem>
#include <iostream>
#include <system_error>

#include "cli/commands.h"
#include "cli/flags.h"
#include "cli/load.h"
#include "cli/output.h"
#include "keyproj/internal/text.h"
#include "keyproj/snapshot.h"

namespace keyproj::cli {

using ::keyproj::internal::Cat;
namespace {

constexpr const char* kHelp =
    "usage: keyproj pack --data DIR --out FILE.kpl [options]\n"
    "\n"
    "Loads a ledger folder (with the load options below, as every command does) and\n"
    "writes it, with the region names of regions.csv or --regions, as one snapshot\n"
    "file. `--data FILE.kpl` then works in every command in place of the folder and\n"
    "opens in milliseconds instead of parsing the CSV again; the reports are the same.\n"
    "The file replaces FILE atomically. Packing a snapshot again copies it.\n"
    "\n"
    "options:\n"
    "  --out FILE               the snapshot to write (required; .kpl by convention)\n";
constexpr const char* kExample =
    "\nexample:\n"
    "  keyproj pack --data ./台账 --fx USD=7.1 --out ledger.kpl\n"
    "  keyproj report --data ledger.kpl --as-of 2024-09-30\n";

}  // namespace

int RunPack(const std::vector<std::string>& args) {
  std::vector<FlagSpec> specs = LoadFlagSpecs();
  specs.push_back({"out", true});
  absl::StatusOr<Flags> flags = Flags::Parse(args, specs);
  if (!flags.ok()) {
    std::cerr << "keyproj pack: " << flags.status().message() << "\n" << kHelp << kLoadFlagsHelp;
    return kExitUsage;
  }
  if (flags->Has("help")) {
    std::cout << kHelp << kLoadFlagsHelp << kExample;
    return kExitOk;
  }
  if (!flags->Has("data")) {
    std::cerr << "keyproj pack: " << kDataRequired << "\n";
    return kExitUsage;
  }
  const std::optional<std::string> out = flags->Get("out");
  if (!out || out->empty()) {
    std::cerr << "keyproj pack: --out FILE is required (the snapshot to write, e.g. ledger.kpl)\n";
    return kExitUsage;
  }
  Progress progress(true, Cat("loading ", *flags->Get("data")));
  int exit_code = kExitOk;
  std::optional<LoadedLedger> loaded = LoadWithRegions("pack", *flags, progress, &exit_code);
  if (!loaded) return exit_code;
  progress.Step(Cat("writing ", *out));
  const absl::Status written = WriteSnapshot(loaded->ledger, loaded->regions.get(), *out);
  progress.End();
  if (!written.ok()) {
    std::cerr << "keyproj pack: " << written.message() << "\n";
    return kExitIo;
  }
  std::error_code ec;
  const uintmax_t bytes = std::filesystem::file_size(*out, ec);
  std::cout << *out << ": " << CountOf(loaded->ledger.size(), "project", "projects") << ", "
            << CountOf(loaded->regions->size(), "region name", "region names");
  if (!ec) std::cout << ", " << bytes << " bytes";
  std::cout << "\n";
  return kExitOk;
}

}  // namespace keyproj::cli
