// keyproj targets and keyproj score: where a scope stands against its target set,
// and the assessment ranking of groups under a scoring scheme.
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/commands.h"
#include "cli/flags.h"
#include "cli/load.h"
#include "cli/output.h"
#include "cli/query_flags.h"
#include "keyproj/engine.h"
#include "keyproj/expression.h"
#include "keyproj/report.h"
#include "keyproj/scoring.h"
#include "keyproj/targets.h"
#include "keyproj/internal/text.h"
#include "keyproj/internal/text_table.h"
#include "report/escape.h"

namespace keyproj::cli {

using ::keyproj::internal::Cat;
using ::keyproj::internal::Append;
using ::keyproj::internal::TextTable;
using ::keyproj::internal::Align;
namespace {

constexpr const char* kTargetsHelp =
    "usage: keyproj targets --data DIR --targets FILE [--as-of DATE] [options]\n"
    "\n"
    "Evaluates a target set (目标任务, e.g. the \"1116\" goal) at a date: for every target\n"
    "the actual value, the target, progress, the gap and the status -- 已完成 (met),\n"
    "序时推进 (on track: progress at least 序时进度) or 滞后 (behind). With --group-by,\n"
    "one block per group as well (the targets are the same for every group).\n"
    "\n"
    "options:\n"
    "  --targets FILE           the target set (format: docs/targets-and-scoring.md)\n"
    "  --group-by DIM           also evaluate each group of DIM (county, department, ...)\n"
    "  --unit wan|yi            money in 万元 (default) or 亿元\n"
    "  --format F               table (default) or json\n"
    "  --out FILE               write to FILE instead of stdout\n";
constexpr const char* kTargetsExample =
    "\nexample:\n"
    "  keyproj targets --data examples/data --as-of 2024-09-30 --targets examples/targets/1116.toml\n";

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
    "  --format F               table (default), json or csv\n"
    "  --out FILE               write to FILE instead of stdout\n";
constexpr const char* kScoreExample =
    "\nexample:\n"
    "  keyproj score --data examples/data --as-of 2024-09-30 --scheme examples/scoring/county.toml\n";

std::vector<FlagSpec> Specs(std::string_view file_flag) {
  std::vector<FlagSpec> specs = LoadFlagSpecs();
  for (const FlagSpec& s : QueryFlagSpecs()) specs.push_back(s);
  specs.push_back({std::string(file_flag), true});
  specs.push_back({"group-by", true});
  specs.push_back({"unit", true});
  specs.push_back({"format", true});
  specs.push_back({"out", true});
  return specs;
}

template <typename... Parts>
int Usage(std::string_view command, const Parts&... message) {
  return UsageError(command, Cat(message...));
}

int Emit(std::string_view command, const std::optional<std::string>& out, const std::string& doc) {
  if (out) {
    if (absl::Status st = WriteFileAtomically(*out, doc); !st.ok()) {
      std::cerr << "keyproj " << command << ": " << st.message() << "\n";
      return kExitIo;
    }
    return kExitOk;
  }
  std::cout << doc;
  std::cout.flush();
  return std::cout ? kExitOk : kExitIo;
}

using report_internal::AppendJsonString;
using report_internal::AppendJsonValue;

}  // namespace

int RunTargets(const std::vector<std::string>& args) {
  constexpr std::string_view kCmd = "targets";
  absl::StatusOr<Flags> flags = Flags::Parse(args, Specs("targets"));
  if (!flags.ok()) return Usage(kCmd, flags.status().message());
  if (flags->Has("help")) {
    std::cout << kTargetsHelp << kQueryFlagsHelp << kLoadFlagsHelp << kTargetsExample;
    return kExitOk;
  }
  if (!flags->Has("data")) return Usage(kCmd, kDataRequired);
  const std::optional<std::string> path = flags->Get("targets");
  if (!path) return Usage(kCmd, "--targets FILE is required (e.g. examples/targets/1116.toml)");
  const std::string format = flags->Get("format").value_or("table");
  if (format != "table" && format != "json") return Usage(kCmd, Cat("--format ", format, ": use table or json"));
  RenderOptions render;
  absl::StatusOr<MoneyUnit> money_unit = MoneyUnitFromFlags(*flags);
  if (!money_unit.ok()) return Usage(kCmd, money_unit.status().message());
  render.money_unit = *money_unit;
  std::vector<Dimension> group_by;
  if (std::optional<std::string> g = flags->Get("group-by")) {
    absl::StatusOr<Dimension> dim = ParseDimension(*g);
    if (!dim.ok()) return Usage(kCmd, dim.status().message());
    group_by.push_back(*dim);
  }
  absl::StatusOr<std::string> text = ReadFile(*path);
  if (!text.ok()) {
    std::cerr << "keyproj targets: " << text.status().message() << "\n";
    return kExitIo;
  }
  absl::StatusOr<TargetSet> set = ParseTargetSet(*text);
  if (!set.ok()) return Usage(kCmd, Cat(*path, ": ", set.status().message()));
  absl::StatusOr<std::shared_ptr<const CustomIndicatorSet>> custom = CompileCustom(set->indicators);
  if (!custom.ok()) return Usage(kCmd, custom.status().message());

  Progress progress(format != "json", Cat("loading ", *flags->Get("data")));
  int exit_code = kExitOk;
  std::optional<LoadedQuery> loaded = LoadForQuery(kCmd, *flags, progress, &exit_code);
  if (!loaded) return exit_code;
  const Ledger* ledger = &loaded->ledger;
  const std::shared_ptr<const RegionNames>& regions = loaded->regions;
  Query* q = &loaded->query;
  if (!flags->Has("schedule")) ApplySchedule(*set, &q->options);
  q->custom = *custom;
  q->group_by = group_by;
  q->indicators = TargetIndicatorIds(*set);
  q->indicators.emplace_back("schedule");
  absl::StatusOr<Result> result = Evaluate(*ledger, *q);
  progress.End();
  if (!result.ok()) return Usage(kCmd, result.status().message());

  std::string doc;
  const std::string title = set->title.empty() ? set->name : set->title;
  if (format == "json") Append(&doc, "{\"as_of\": \"", result->as_of.ToString(), "\", \"targets\": ", "[");
  for (size_t row = 0; row < result->rows.size(); ++row) {
    const Value schedule = result->rows[row].values.back();
    absl::StatusOr<std::vector<TargetStatus>> statuses = EvaluateTargets(*set, *result, row, schedule);
    if (!statuses.ok()) return Usage(kCmd, statuses.status().message());
    ReportTable table{RowLabel(*result, row, regions.get()), Result(), *std::move(statuses)};
    if (format == "json") {
      Append(&doc, row == 0 ? "\n" : ",\n", " {\"group\": ");
      report_internal::AppendJsonGroup(&doc, result->group_by, result->rows[row].group);
      Append(&doc, ", \"schedule\": ");
      AppendJsonValue(&doc, schedule, Unit::kRate);
      Append(&doc, ", \"status\": ", RenderTargetsJson(table.targets, render), "}");
    } else {
      Append(&doc, row == 0 ? "" : "\n", title, " — ", table.title, "（截至", result->as_of.ToString(),
             "，序时进度", DisplayValue(schedule, Unit::kRate, 1), "）\n", RenderTargetsTable(table, render));
    }
  }
  if (format == "json") Append(&doc, "\n]}\n");
  return Emit(kCmd, flags->Get("out"), doc);
}

int RunScore(const std::vector<std::string>& args) {
  constexpr std::string_view kCmd = "score";
  absl::StatusOr<Flags> flags = Flags::Parse(args, Specs("scheme"));
  if (!flags.ok()) return Usage(kCmd, flags.status().message());
  if (flags->Has("help")) {
    std::cout << kScoreHelp << kQueryFlagsHelp << kLoadFlagsHelp << kScoreExample;
    return kExitOk;
  }
  if (!flags->Has("data")) return Usage(kCmd, kDataRequired);
  const std::optional<std::string> path = flags->Get("scheme");
  if (!path) return Usage(kCmd, "--scheme FILE is required (e.g. examples/scoring/county.toml)");
  const std::string format = flags->Get("format").value_or("table");
  if (format != "table" && format != "json" && format != "csv") {
    return Usage(kCmd, Cat("--format ", format, ": use table, json or csv"));
  }
  absl::StatusOr<std::string> text = ReadFile(*path);
  if (!text.ok()) {
    std::cerr << "keyproj score: " << text.status().message() << "\n";
    return kExitIo;
  }
  absl::StatusOr<ScoringScheme> scheme = ParseScoringScheme(*text);
  if (!scheme.ok()) return Usage(kCmd, Cat(*path, ": ", scheme.status().message()));
  std::vector<Dimension> group_by;
  if (std::optional<std::string> g = flags->Get("group-by")) {
    absl::StatusOr<Dimension> dim = ParseDimension(*g);
    if (!dim.ok()) return Usage(kCmd, dim.status().message());
    group_by.push_back(*dim);
  } else if (scheme->group_by) {
    group_by.push_back(*scheme->group_by);
  } else {
    return Usage(kCmd, "the scheme names no group_by: give --group-by DIM (department, county, ...)");
  }
  absl::StatusOr<std::shared_ptr<const CustomIndicatorSet>> custom = CompileCustom(scheme->indicators);
  if (!custom.ok()) return Usage(kCmd, custom.status().message());

  Progress progress(format != "json", Cat("loading ", *flags->Get("data")));
  int exit_code = kExitOk;
  std::optional<LoadedQuery> loaded = LoadForQuery(kCmd, *flags, progress, &exit_code);
  if (!loaded) return exit_code;
  const Ledger* ledger = &loaded->ledger;
  const std::shared_ptr<const RegionNames>& regions = loaded->regions;
  Query* q = &loaded->query;
  q->custom = *custom;
  q->group_by = group_by;
  q->indicators = SchemeIndicatorIds(*scheme);
  absl::StatusOr<Result> result = Evaluate(*ledger, *q);
  progress.End();
  if (!result.ok()) return Usage(kCmd, result.status().message());
  absl::StatusOr<std::vector<GroupScore>> scores = ScoreGroups(*scheme, *result);
  if (!scores.ok()) return Usage(kCmd, scores.status().message());

  const int places = scheme->places;
  std::string doc;
  if (format == "json") {
    Append(&doc, "{\"as_of\": \"", result->as_of.ToString(), "\", \"scheme\": ");
    AppendJsonString(&doc, scheme->name);
    Append(&doc, ", \"group_by\": \"", DimensionId(group_by[0]), "\", \"groups\": [");
    for (size_t i = 0; i < scores->size(); ++i) {
      const GroupScore& g = (*scores)[i];
      Append(&doc, i == 0 ? "\n" : ",\n", " {\"rank\": ", g.rank, ", \"group\": ");
      AppendJsonString(&doc, g.group.empty() ? "" : g.group[0]);
      Append(&doc, ", \"total\": ");
      AppendJsonValue(&doc, g.total, Unit::kMultiple);
      Append(&doc, ", \"rules\": {");
      for (size_t r = 0; r < g.rules.size(); ++r) {
        if (r > 0) Append(&doc, ", ");
        AppendJsonString(&doc, scheme->rules[r].id);
        Append(&doc, ": {\"input\": ");
        AppendJsonValue(&doc, g.rules[r].input, scheme->rules[r].unit);
        Append(&doc, ", \"points\": ");
        AppendJsonValue(&doc, g.rules[r].points, Unit::kMultiple);
        Append(&doc, "}");
      }
      Append(&doc, "}}");
    }
    Append(&doc, "\n]}\n");
    return Emit(kCmd, flags->Get("out"), doc);
  }
  std::vector<std::string> headers = {"排名", std::string(DimensionLabel(group_by[0])), "总分"};
  for (const ScoringRule& rule : scheme->rules) headers.push_back(rule.label.empty() ? rule.id : rule.label);
  std::vector<Align> align(headers.size(), Align::kRight);
  align[1] = Align::kLeft;
  std::vector<std::vector<std::string>> rows;
  for (const GroupScore& g : *scores) {
    std::vector<std::string> cells = {std::to_string(g.rank), RowLabel(*result, g.row, regions.get()), FormatPoints(g.total, places)};
    for (const RuleScore& r : g.rules) cells.push_back(FormatPoints(r.points, places));
    rows.push_back(std::move(cells));
  }
  if (format == "csv") {
    doc = "\xEF\xBB\xBF";
    auto line = [&](const std::vector<std::string>& cells) { report_internal::AppendCsvLine(&doc, cells); };
    line(headers);
    for (const auto& r : rows) line(r);
    return Emit(kCmd, flags->Get("out"), doc);
  }
  TextTable table(headers, align);
  for (auto& r : rows) table.AddRow(std::move(r));
  Append(&doc, scheme->title.empty() ? scheme->name : scheme->title, "（截至", result->as_of.ToString(), "）\n",
         table.Render());
  return Emit(kCmd, flags->Get("out"), doc);
}

}  // namespace keyproj::cli
