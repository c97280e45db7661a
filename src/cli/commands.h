// The keyproj commands. Each takes the arguments after its name and returns the
// process exit code (see kExit*).
#ifndef KEYPROJ_CLI_COMMANDS_H_
#define KEYPROJ_CLI_COMMANDS_H_

#include <string>
#include <vector>

namespace keyproj::cli {

// Exit codes, documented in `keyproj --help` and README.md.
inline constexpr int kExitOk = 0;
inline constexpr int kExitDataErrors = 1;  // the ledger has problems (listed on stderr)
inline constexpr int kExitUsage = 2;       // a bad option or argument
inline constexpr int kExitIo = 3;          // a folder or file could not be read or written

int RunSummary(const std::vector<std::string>& args);
int RunValidate(const std::vector<std::string>& args);
int RunGenerate(const std::vector<std::string>& args);
int RunReport(const std::vector<std::string>& args);
int RunTargets(const std::vector<std::string>& args);
int RunScore(const std::vector<std::string>& args);
int RunIndicators(const std::vector<std::string>& args);
int RunProblems(const std::vector<std::string>& args);
int RunMerge(const std::vector<std::string>& args);
int RunPack(const std::vector<std::string>& args);

}  // namespace keyproj::cli

#endif  // KEYPROJ_CLI_COMMANDS_H_
