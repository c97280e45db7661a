// Files in and out of a command: a small input file read whole, a document written
// whole or not at all; and the progress line on a terminal while a long step runs.
#ifndef KEYPROJ_CLI_OUTPUT_H_
#define KEYPROJ_CLI_OUTPUT_H_

#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "keyproj/diagnostic.h"
#include "keyproj/encoding.h"
#include "keyproj/report.h"
#include "keyproj/internal/file_io.h"
#include "cli/flags.h"

namespace keyproj::cli {

// A small input file read whole (a target set, a template, a curve).
using internal::ReadFile;

// Documents are written whole or not at all (a failure or an interrupted run never
// leaves a partial file): the same mechanism as the workbook writer's.
using internal::WriteFileAtomically;

// "1 project", "3 projects": a count and its English noun, singular for one.
std::string CountOf(uint64_t n, std::string_view one, std::string_view many);

// "4 problems", or "4 problems (and 3 lines on the rows they left out)" when some of
// the lines follow from others (Diagnostic::consequence): what there is to fix.
std::string ProblemCount(const Diagnostics& diagnostics);

// Writes a rendered document to `out` (whole or not at all) or to stdout, in
// `encoding` (EncodeDocument: GB18030, or UTF-8 with a BOM for CSV). Returns the
// exit status; a failure is said on stderr as "keyproj COMMAND: ...".
int WriteDocument(std::string_view command, const std::optional<std::string>& out, ReportFormat format,
                  Encoding encoding, std::string document);

// Where a command's document goes: --format (default table) and --out (none:
// standard output).
struct DocumentFlags {
  ReportFormat format = ReportFormat::kTable;
  std::string format_text;  // as given, for messages
  std::optional<std::string> out;
  Encoding encoding = Encoding::kUtf8;  // --out-encoding (OutEncodingFromFlags)
};

// Reads --format, --out and --out-encoding. Errors (InvalidArgument, a usage message): an unknown
// format; xlsx without --out (a workbook is written to a file).
absl::StatusOr<DocumentFlags> DocumentFromFlags(const Flags& flags);

// --out-encoding, for the commands that write text documents (report, merge, targets,
// score, problems). It applies to the formats a bureau's older tools open as text --
// csv, md, text and table -- and to no other: JSON is UTF-8 by its definition (RFC
// 8259; a reader given GB18030 fails or misreads it) and a workbook is a zip of XML
// that names its own encoding. kOutEncodingFormats is that list, and kOutEncodingHelp its line of
// --help.
inline constexpr ReportFormat kOutEncodingFormats[] = {ReportFormat::kCsv, ReportFormat::kMarkdown,
                                                       ReportFormat::kText, ReportFormat::kTable};
inline constexpr const char* kOutEncodingHelp =
    "  --out-encoding E         csv, md, text and table output: utf8 (default; csv gets a\n"
    "                           BOM so Excel reads it) or gb18030\n";

// The encoding --out-encoding asks for (utf8 when it is not given). Errors
// (InvalidArgument, a usage message): a value other than utf8 or gb18030; the
// option given with a format outside kOutEncodingFormats (json, xlsx).
absl::StatusOr<Encoding> OutEncodingFromFlags(const Flags& flags, const DocumentFlags& document);

// Flushes standard output; when anything written there failed (a full disk, a
// closed descriptor) says so on stderr as "keyproj COMMAND: cannot write to standard
// output: REASON" and returns kExitIo, else kExitOk. A closed pipe (EPIPE) is not a
// failure: see StandardOutputFailed.
int FinishStandardOutput(std::string_view command);

// Says that writing to standard output failed with `err` and returns kExitIo; except
// EPIPE, a reader that stopped reading (`| head`), which ends the command quietly
// with kExitOk.
int StandardOutputFailed(std::string_view command, int err);

// "keyproj: loading 台账/ ... 3.4 s" on stderr, redrawn in place, once a step has
// taken more than a second -- only when stderr is a terminal and the caller allows
// it (never for JSON). Cleared when the step ends.
class Progress {
 public:
  Progress(bool allowed, std::string what);
  ~Progress();  // ends the step
  void Step(std::string what);  // a new step; the clock restarts
  // Erases the line (before other output on stderr); it comes back after another
  // second of the step.
  void Clear();
  void End();

 private:
  void Run();
  std::mutex mu_;
  std::condition_variable cv_;
  std::string what_;
  bool done_ = false;
  bool shown_ = false;
  bool restart_ = false;
  int width_ = 0;
  std::thread thread_;
};

}  // namespace keyproj::cli

#endif  // KEYPROJ_CLI_OUTPUT_H_
