// keyproj problems: the 问题清单 / 责任清单 / 时限清单 of a ledger at a date
// (include/keyproj/problem_list.h).
#include <iostream>

#include "cli/commands.h"
#include "cli/flags.h"
#include "cli/load.h"
#include "cli/output.h"
#include "cli/query_flags.h"
#include "keyproj/internal/error_list.h"
#include "keyproj/internal/text.h"
#include "keyproj/problem_list.h"

namespace keyproj::cli {

using ::keyproj::internal::Cat;

namespace {

constexpr const char* kHelp =
    "usage: keyproj problems --data DIR [--as-of DATE] [options]\n"
    "\n"
    "The open problems of problems.csv at a date (raised by then, not resolved by then)\n"
    "as a bureau sends them round: grouped by 责任单位 (owner), kind or project, each\n"
    "with its project, kind, description, owner, raised_on, due_on and days overdue,\n"
    "the most overdue first; counts per group and in total.\n"
    "\n"
    "options:\n"
    "  --group-by G             owner (责任单位, the default), kind or project\n"
    "  --overdue                only the overdue problems (due before --as-of, still open)\n"
    "  --format F               table (default), json, csv, md, text or xlsx\n"
    "  --out FILE               write to FILE (written whole or not at all); xlsx needs it\n";
constexpr const char* kExample =
    "\nexample:\n"
    "  keyproj problems --data examples/data --as-of 2024-09-30 --overdue --format text\n";

template <typename... Parts>
int Usage(const Parts&... message) {
  return UsageError("problems", Cat(message...));
}

}  // namespace

int RunProblems(const std::vector<std::string>& args) {
  std::vector<FlagSpec> specs = LoadFlagSpecs();
  for (const FlagSpec& s : QueryFlagSpecs()) specs.push_back(s);
  specs.push_back({"group-by", true});
  specs.push_back({"overdue", false});
  specs.push_back({"format", true});
  specs.push_back({"out", true});
  specs.push_back({"out-encoding", true});
  absl::StatusOr<Flags> flags = Flags::Parse(args, specs);
  if (!flags.ok()) return Usage(flags.status().message());
  if (flags->Has("help")) {
    std::cout << kHelp << kOutEncodingHelp << kQueryFlagsHelp << kLoadFlagsHelp << kExample;
    return kExitOk;
  }
  if (!flags->Has("data")) return Usage(kDataRequired);
  internal::ErrorList wrong;  // every wrong option at once
  absl::StatusOr<DocumentFlags> document = DocumentFromFlags(*flags);
  wrong.Ok(document.status());
  ProblemListRequest request;
  const std::string group_text = flags->Get("group-by").value_or("owner");
  const std::optional<ProblemGrouping> group_by = ParseEnum<ProblemGrouping>(group_text);
  if (!group_by) wrong.Ok(absl::InvalidArgumentError(Cat("--group-by ", group_text, ": use owner, kind or project")));
  absl::StatusOr<ReportRequest> query = RequestFromFlags(*flags);  // --as-of, --filter, ...
  wrong.Ok(query.status());
  if (!wrong.empty()) return Usage(wrong.status().message());
  const ReportFormat format = document->format;
  const std::optional<std::string>& out_path = document->out;
  request.group_by = *group_by;
  request.overdue_only = flags->Has("overdue");
  request.as_of = query->as_of;
  request.filter = query->filter;

  Progress progress(format != ReportFormat::kJson, Cat("loading ", *flags->Get("data")));
  int exit_code = kExitOk;
  std::optional<Ledger> ledger = LoadFromFlags("problems", *flags, &exit_code, &progress);
  if (!ledger) return exit_code;
  absl::StatusOr<ProblemList> list = MakeProblemList(*ledger, request);
  progress.End();
  if (!list.ok()) return Usage(list.status().message());
  if (format == ReportFormat::kXlsx) {
    if (absl::Status st = WriteProblemListXlsx(*list, *out_path); !st.ok()) {
      std::cerr << "keyproj problems: " << st.message() << "\n";
      return kExitIo;
    }
    return kExitOk;
  }
  absl::StatusOr<std::string> doc = RenderProblemList(*list, format);
  if (!doc.ok()) return Usage(doc.status().message());
  return WriteDocument("problems", out_path, format, document->encoding, *std::move(doc));
}

}  // namespace keyproj::cli
