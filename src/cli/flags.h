// Command-line options of the form --name VALUE, --name=VALUE and --switch.
#ifndef KEYPROJ_CLI_FLAGS_H_
#define KEYPROJ_CLI_FLAGS_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "keyproj/csv_loader.h"

namespace keyproj::cli {

struct FlagSpec {
  std::string name;   // without the leading "--"
  bool takes_value;
  bool repeatable = false;
  // With takes_value: the value is given only as --name=VALUE; a bare --name has the
  // value "" and never takes the next argument (--funnel, --funnel=county).
  bool value_optional = false;
};

// The one short option: -h, read as --help by every command.
inline constexpr std::string_view kShortHelp = "-h";

class Flags {
 public:
  // Parses argv against the specs; an unknown option, a missing value or a stray
  // argument is an error that names it.
  static absl::StatusOr<Flags> Parse(const std::vector<std::string>& args,
                                     const std::vector<FlagSpec>& specs);

  bool Has(const std::string& name) const { return values_.contains(name); }
  std::optional<std::string> Get(const std::string& name) const;
  std::vector<std::string> GetAll(const std::string& name) const;

 private:
  std::map<std::string, std::vector<std::string>> values_;
};

// "keyproj COMMAND: MESSAGE" and where the options are listed, on stderr; returns
// the exit status of bad usage (2).
int UsageError(std::string_view command, std::string_view message);
// "keyproj COMMAND: FILE: MESSAGE" for a file the user wrote that does not read (a
// target set, a scoring scheme, a template: its problems, each at its line) -- bad
// usage too (2), but without the pointer to --help, which is not where it is wrong.
int FileError(std::string_view command, std::string_view file, const absl::Status& status);

// The options every command that reads a ledger shares.
inline const std::vector<FlagSpec>& LoadFlagSpecs() {
  static const std::vector<FlagSpec> kSpecs = {
      {"data", true}, {"encoding", true}, {"lenient", false},
      {"merge-duplicates", true}, {"fx", true, true}, {"regions", true}, {"help", false}};
  return kSpecs;
}
inline constexpr const char* kLoadFlagsHelp =
    "  --data DIR               the ledger folder (projects.csv, monthly.csv, ...);\n"
    "                           `--data` may be left out: keyproj COMMAND DIR\n"
    "  --encoding E             auto (default: UTF-8, else GB18030), utf8 or gb18030\n"
    "  --lenient                load the good rows and list the bad ones, instead of\n"
    "                           refusing the whole ledger when anything is wrong\n"
    "  --merge-duplicates sum   add up two monthly rows of one project and month\n"
    "                           (default: they are an error)\n"
    "  --fx CUR=RATE            exchange rate to yuan for funding.csv, e.g. --fx USD=7.1\n"
    "  --regions FILE           names of counties, cities and provinces for reports\n"
    "                           (default: regions.csv in the ledger folder, if any)\n"
    "  --data FILE.kpl          a snapshot written by `keyproj pack` also works as the\n"
    "                           ledger (opened at once; the load options above were\n"
    "                           applied when it was packed, and it holds its region names)\n";

// The library names its options in messages as 'name' or 'name=value'
// ("load with 'encoding=gb18030'"); this rewrites those it knows into the flags of
// the CLI ("load with --encoding gb18030"), leaving the rest of the text as it is.
std::string FlagsForOptions(std::string_view message);

// Reads the shared load options; error names the bad option.
absl::StatusOr<LoadOptions> LoadOptionsFromFlags(const Flags& flags);

}  // namespace keyproj::cli

#endif  // KEYPROJ_CLI_FLAGS_H_
