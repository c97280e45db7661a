// keyproj targets and keyproj score: where a scope stands against its target set,
// and the assessment ranking of groups under a scoring scheme.
#include <algorithm>
#include <iostream>

#include "cli/commands.h"
#include "cli/flags.h"
#include "cli/load.h"
#include "cli/output.h"
#include "cli/query_flags.h"
#include "keyproj/engine.h"
#include "keyproj/expression.h"
#include "keyproj/report.h"
#include "keyproj/report_request.h"
#include "keyproj/scoring.h"
#include "keyproj/targets.h"
#include "keyproj/internal/error_list.h"
#include "keyproj/internal/text.h"

namespace keyproj::cli {

using ::keyproj::internal::Cat;
using ::keyproj::internal::Append;
namespace {

constexpr const char* kTargetsHelp =
    "usage: keyproj targets --data DIR --targets FILE [--as-of DATE] [options]\n"
    "\n"
    "Evaluates a target set (目标任务, e.g. the \"1116\" goal) at a date: for every target\n"
    "the actual value, the target, progress, the gap and the status -- 已完成 (met),\n"
    "序时推进 (on track: progress at least 序时进度) or 滞后 (behind). With --group-by,\n"
    "one block per group as well (the targets are the same for every group).\n"
    "A set with a [tasks] table (任务分解) gives groups their own targets: then one\n"
    "block per group of its group_by, each against its own target.\n"
    "\n"
    "options:\n"
    "  --targets FILE           the target set (format: docs/targets-and-scoring.md)\n"
    "  --group-by DIM           also evaluate each group of DIM (county, department, ...)\n"
    "  --unit wan|yi            money in 万元 (default) or 亿元\n"
    "  --format F               table (default), json, csv or md\n"
    "  --out FILE               write to FILE instead of stdout\n";
constexpr const char* kTargetsExample =
    "\nexample:\n"
    "  keyproj targets --data examples/data --as-of 2024-09-30 --targets examples/targets/1116.toml\n"
    "  keyproj targets --data examples/data --as-of 2024-09-30 --filter region=6104 \\\n"
    "      --targets examples/targets/county_tasks.toml\n";

constexpr const char* kScoreHelp =
    "usage: keyproj score --data DIR --scheme FILE [--as-of DATE] [options]\n"
    "\n"
    "Scores the groups of a ledger under an assessment scheme (分档计分: tiers,\n"
    "proportional, efficacy coefficient, deductions) and ranks them: a line per group\n"
    "with its rank, total and the points of every rule.\n"
    "\n"
    "options:\n"
    "  --scheme FILE            the scoring scheme (format: docs/targets-and-scoring.md)\n"
    "  --group-by DIM           what to score (default: the scheme's group_by)\n"
    "  --targets FILE           the target set whose [tasks] the rules with\n"
    "                           target = \"tasks\" score each group against (完成率)\n"
    "  --format F               table (default), json or csv\n"
    "  --out FILE               write to FILE instead of stdout\n";
constexpr const char* kScoreExample =
    "\nexample:\n"
    "  keyproj score --data examples/data --as-of 2024-09-30 --scheme examples/scoring/county.toml\n";

std::vector<FlagSpec> Specs(std::string_view file_flag) {
  std::vector<FlagSpec> specs = LoadFlagSpecs();
  for (const FlagSpec& s : QueryFlagSpecs()) specs.push_back(s);
  specs.push_back({std::string(file_flag), true});
  // score: the target set of the rules with target = "tasks" (each group's own target).
  if (file_flag == "scheme") specs.push_back({"targets", true});
  specs.push_back({"group-by", true});
  specs.push_back({"unit", true});
  specs.push_back({"format", true});
  specs.push_back({"out", true});
  specs.push_back({"out-encoding", true});
  return specs;
}

template <typename... Parts>
int Usage(std::string_view command, const Parts&... message) {
  return UsageError(command, Cat(message...));
}

// The parts targets and score share: flags parsed, the spec file read, the ledger
// loaded, the report made, the document written.
struct AssessCommand {
  std::string_view name;
  std::string_view file_flag;  // "targets" or "scheme"
  std::string_view help, example, file_example;
  std::vector<std::string_view> formats;
};

template <typename Spec, typename ParseFn, typename SetFn, typename RenderFn>
int RunAssess(const AssessCommand& cmd, const std::vector<std::string>& args, ParseFn parse, SetFn set,
              RenderFn render_doc) {
  absl::StatusOr<Flags> flags = Flags::Parse(args, Specs(cmd.file_flag));
  if (!flags.ok()) return Usage(cmd.name, flags.status().message());
  if (flags->Has("help")) {
    std::cout << cmd.help << kOutEncodingHelp << kQueryFlagsHelp << kLoadFlagsHelp << cmd.example;
    return kExitOk;
  }
  if (!flags->Has("data")) return Usage(cmd.name, kDataRequired);
  const std::optional<std::string> path = flags->Get(std::string(cmd.file_flag));
  if (!path) return Usage(cmd.name, "--", cmd.file_flag, " FILE is required (e.g. ", cmd.file_example, ")");
  internal::ErrorList wrong;  // every wrong option at once
  const std::string format_text = flags->Get("format").value_or("table");
  const std::optional<ReportFormat> format = ParseEnum<ReportFormat>(format_text);
  absl::StatusOr<Encoding> out_encoding = Encoding::kUtf8;
  if (!format || std::find(cmd.formats.begin(), cmd.formats.end(), EnumId(*format)) == cmd.formats.end()) {
    std::string accepted;
    for (size_t i = 0; i < cmd.formats.size(); ++i) {
      Append(&accepted, i == 0 ? "" : i + 1 == cmd.formats.size() ? " or " : ", ", cmd.formats[i]);
    }
    wrong.Ok(absl::InvalidArgumentError(Cat("--format ", format_text, ": use ", accepted)));
  } else {
    out_encoding = OutEncodingFromFlags(*flags, DocumentFlags{*format, format_text, flags->Get("out")});
    wrong.Ok(out_encoding.status());
  }
  RenderOptions render;
  absl::StatusOr<MoneyUnit> money_unit = MoneyUnitFromFlags(*flags);
  wrong.Ok(money_unit.status());
  absl::StatusOr<std::vector<Dimension>> group_by = OneDimensionFromFlags(*flags);
  wrong.Ok(group_by.status());
  absl::StatusOr<ReportRequest> request = RequestFromFlags(*flags);
  wrong.Ok(request.status());
  if (!wrong.empty()) return Usage(cmd.name, wrong.status().message());
  render.money_unit = *money_unit;
  request->groupings.clear();

  absl::StatusOr<std::string> text = ReadFile(*path);
  if (!text.ok()) {
    std::cerr << "keyproj " << cmd.name << ": " << text.status().message() << "\n";
    return kExitIo;
  }
  absl::StatusOr<Spec> spec = parse(*text);
  if (!spec.ok()) return FileError(cmd.name, *path, spec.status());
  set(*request, std::make_shared<const Spec>(*std::move(spec)), *group_by);
  if (const std::optional<std::string> targets = flags->Get("targets"); targets && cmd.file_flag == "scheme") {
    absl::StatusOr<std::string> targets_text = ReadFile(*targets);
    if (!targets_text.ok()) {
      std::cerr << "keyproj " << cmd.name << ": --targets: " << targets_text.status().message() << "\n";
      return kExitIo;
    }
    absl::StatusOr<TargetSet> target_set = ParseTargetSet(*targets_text);
    if (!target_set.ok()) return FileError(cmd.name, *targets, target_set.status());
    request->targets = std::make_shared<const TargetSet>(*std::move(target_set));
  }

  Progress progress(*format != ReportFormat::kJson, Cat("loading ", *flags->Get("data")));
  int exit_code = kExitOk;
  std::optional<LoadedLedger> loaded = LoadWithRegions(cmd.name, *flags, progress, &exit_code);
  if (!loaded) return exit_code;
  request->regions = loaded->regions;
  const std::optional<std::string> targets_file = cmd.file_flag == "targets" ? path : flags->Get("targets");
  std::optional<Report> report =
      MakeReportOrUsage(cmd.name, loaded->ledger, *request, progress, &exit_code, targets_file.value_or(""));
  if (!report) return exit_code;
  progress.End();
  absl::StatusOr<std::string> doc = render_doc(*report, *format, render);
  if (!doc.ok()) return Usage(cmd.name, doc.status().message());
  return WriteDocument(cmd.name, flags->Get("out"), *format, *out_encoding, *std::move(doc));
}

}  // namespace

int RunTargets(const std::vector<std::string>& args) {
  const AssessCommand cmd{"targets", "targets", kTargetsHelp, kTargetsExample, "examples/targets/1116.toml",
                          {"table", "json", "csv", "md"}};
  return RunAssess<TargetSet>(
      cmd, args, [](std::string_view text) { return ParseTargetSet(text); },
      [](ReportRequest& r, std::shared_ptr<const TargetSet> set, const std::vector<Dimension>& group_by) {
        r.targets = std::move(set);
        r.targets_group_by = group_by;
      },
      RenderTargets);
}

int RunScore(const std::vector<std::string>& args) {
  const AssessCommand cmd{"score", "scheme", kScoreHelp, kScoreExample, "examples/scoring/county.toml",
                          {"table", "json", "csv"}};
  return RunAssess<ScoringScheme>(
      cmd, args, [](std::string_view text) { return ParseScoringScheme(text); },
      [](ReportRequest& r, std::shared_ptr<const ScoringScheme> scheme, const std::vector<Dimension>& group_by) {
        r.scheme = std::move(scheme);
        r.scores_group_by = group_by;
      },
      RenderScores);
}

}  // namespace keyproj::cli
