// keyproj: the command-line face of the engine.
#include <csignal>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <new>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/output.h"

#if defined(__linux__) && defined(__GLIBC__)
#include <unistd.h>
#endif

namespace {

constexpr const char* kVersion = KEYPROJ_VERSION;  // from CMake's project(VERSION)

constexpr const char* kHelp =
    "keyproj -- the calculation engine for key-project ledgers (重点项目台账)\n"
    "\n"
    "usage: keyproj COMMAND [options]      keyproj COMMAND --help for its options\n"
    "\n"
    "commands:\n"
    "  report     the dashboard of a ledger at a date: table, json, csv, md, xlsx, or the\n"
    "             Chinese paragraphs of the monthly report (--format text)\n"
    "  targets    where the scope stands against a target set (the \"1116\" goal, ...)\n"
    "  score      the assessment ranking of groups under a scoring scheme (分档计分)\n"
    "  indicators the catalogue: every indicator id, label, unit and definition\n"
    "  summary    what a ledger folder holds: projects by stage, category, county and month\n"
    "  validate   list every problem in a ledger folder as file:line:column: reason\n"
    "  generate   write a synthetic ledger (for demos and benchmarks)\n"
    "  problems   the open and overdue problems (问题清单) by owner, kind or project\n"
    "  merge      the report of several shards from their partials (report --partial-out)\n"
    "  pack       write a ledger folder as one snapshot file (.kpl) that opens at once:\n"
    "             --data ledger.kpl then works in every command\n"
    "\n"
    "exit status: 0 ok; 1 the ledger has problems (listed on stderr); 2 bad usage;\n"
    "             3 a file or folder could not be read or written\n"
    "\n"
    "examples:\n"
    "  keyproj report --data examples/data --as-of 2024-09-30\n"
    "  keyproj report --data examples/data --as-of 2024-09-30 --format text\n"
    "  keyproj generate --projects 300 --format xlsx --out ledger.xlsx\n"
    "  keyproj report --data ledger.xlsx --fx USD=7.1\n"
    "             (--data also takes a workbook, a sheet per table; a generated ledger has\n"
    "             funding in US dollars, which --fx gives the rate of)\n";

// The command's exit status. Nothing below throws by design (the library returns
// absl::Status); this is the last line: an exception that still arrives -- memory
// exhausted, a bug -- is said on stderr with exit 3, never an abort.
int Run(const std::string& command, const std::vector<std::string>& args) {
  try {
    if (command == "report") return keyproj::cli::RunReport(args);
    if (command == "targets") return keyproj::cli::RunTargets(args);
    if (command == "score") return keyproj::cli::RunScore(args);
    if (command == "indicators") return keyproj::cli::RunIndicators(args);
    if (command == "summary") return keyproj::cli::RunSummary(args);
    if (command == "validate") return keyproj::cli::RunValidate(args);
    if (command == "generate") return keyproj::cli::RunGenerate(args);
    if (command == "problems") return keyproj::cli::RunProblems(args);
    if (command == "merge") return keyproj::cli::RunMerge(args);
    if (command == "pack") return keyproj::cli::RunPack(args);
    std::cerr << "keyproj: unknown command '" << command << "'\n\n" << kHelp;
    return keyproj::cli::kExitUsage;
  } catch (const std::bad_alloc&) {
    std::cerr << "keyproj " << command << ": out of memory\n";
  } catch (const std::exception& e) {
    std::cerr << "keyproj " << command << ": internal error: " << e.what() << "\n";
  } catch (...) {
    std::cerr << "keyproj " << command << ": internal error\n";
  }
  return keyproj::cli::kExitIo;
}

// glibc's malloc asks for transparent huge pages on the memory it maps only when its
// tunable glibc.malloc.hugetlb is 1 (glibc 2.35 and later), and tunables are read
// when a process starts. A big ledger's string pools, indexes and parsed records are
// hundreds of MB that keyproj does not size itself (docs/ledger.md, "Huge pages");
// on Debian's kernels ("madvise") each 4 KB of them is a page fault of its own. So the
// command starts itself again, once, with the tunable set: `keyproj summary` of the
// realistic 10^6 ledger took 6.1-6.5 s instead of 7.1-8.0 s, with a third of the page
// faults. A GLIBC_TUNABLES the caller set (even empty) is theirs and is left alone;
// if the new start fails, this one goes on as it is.
void StartWithHugePageMalloc(char** argv) {
#if defined(__linux__) && defined(__GLIBC__) && __GLIBC_PREREQ(2, 35)
  if (std::getenv("GLIBC_TUNABLES") != nullptr) return;
  if (::setenv("GLIBC_TUNABLES", "glibc.malloc.hugetlb=1", 1) != 0) return;
  ::execv("/proc/self/exe", argv);
  ::unsetenv("GLIBC_TUNABLES");
#else
  (void)argv;
#endif
}

}  // namespace

int main(int argc, char** argv) {
  StartWithHugePageMalloc(argv);
  // A reader that goes away (`keyproj report | head -1`) makes writes fail with EPIPE
  // instead of killing the process: on standard output the command then ends quietly
  // with status 0 (StandardOutputFailed), a file named by --out is an error (exit 3).
  std::signal(SIGPIPE, SIG_IGN);
  std::vector<std::string> args(argv + 1, argv + argc);
  int rc = keyproj::cli::kExitOk;
  std::string command = "";
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    (args.empty() ? std::cerr : std::cout) << kHelp;
    rc = args.empty() ? keyproj::cli::kExitUsage : keyproj::cli::kExitOk;
  } else if (args[0] == "--version") {
    std::cout << "keyproj " << kVersion << "\n";
  } else {
    command = args[0];
    args.erase(args.begin());
    rc = Run(command, args);
  }
  // Whatever went to stdout must have arrived: a failed write is exit 3 with a message.
  const int out = keyproj::cli::FinishStandardOutput(command);
  return rc != keyproj::cli::kExitOk ? rc : out;
}
