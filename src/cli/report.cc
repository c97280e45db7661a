// keyproj report: the dashboard tables and report text of a ledger at a date.
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/commands.h"
#include "cli/flags.h"
#include "cli/load.h"
#include "cli/output.h"
#include "cli/query_flags.h"
#include "keyproj/csv_loader.h"
#include "keyproj/engine.h"
#include "keyproj/expression.h"
#include "keyproj/narrative.h"
#include "keyproj/report.h"
#include "keyproj/report_xlsx.h"
#include "keyproj/targets.h"
#include "keyproj/internal/text.h"

namespace keyproj::cli {

using ::keyproj::internal::Cat;
namespace {

constexpr const char* kHelp =
    "usage: keyproj report --data DIR [--as-of DATE] [options]\n"
    "\n"
    "Computes the indicators of a ledger at a date, grouped as asked, and writes them\n"
    "as a table, JSON, CSV, Markdown, an Excel workbook or the paragraphs of a monthly\n"
    "report. Without --indicators it computes the standard dashboard (项目数, 开工率,\n"
    "完成投资, 同比, 占年度计划, 签约, 履约率, 到位资金, 向上争取 ...).\n"
    "\n"
    "options:\n"
    "  --group-by DIMS          one table per --group-by; DIMS is a dimension or several\n"
    "                           joined by commas for a cross table (category,county).\n"
    "                           Dimensions: category level build_type province city\n"
    "                           county department leader attracted sector industrial\n"
    "                           stage size_band. Default: category\n"
    "  --no-group               only the whole-scope row\n"
    "  --indicators IDS         indicator ids, comma-separated (keyproj indicators lists\n"
    "                           them); default: the standard dashboard\n"
    "  --targets FILE           a target set (examples/targets/1116.toml): adds the\n"
    "                           targets' status to the report\n"
    "  --unit wan|yi            money in 万元 (default) or 亿元\n"
    "  --places ID=N            display places of one indicator, e.g. start_rate=0\n"
    "  --format F               table (default), json, csv, md, xlsx or text\n"
    "  --out FILE               write to FILE (written whole or not at all); xlsx needs it\n"
    "  --out-encoding E         csv, md, text and table output: utf8 (default; csv gets a\n"
    "                           BOM so Excel reads it) or gb18030\n"
    "  --template FILE          --format text: the report template (docs/report-text.md);\n"
    "                           default: examples/templates/monthly.txt's text\n"
    "  --scope-name NAME        the scope in titles and text: 全县, 全市, 全省 (default:\n"
    "                           from the regions of the ledger)\n";
constexpr const char* kExample =
    "\nexamples:\n"
    "  keyproj report --data examples/data --as-of 2024-09-30\n"
    "  keyproj report --data examples/data --as-of 2024-09 --group-by county --unit yi\n"
    "  keyproj report --data examples/data --filter region=610403 --format text\n"
    "  keyproj report --data examples/data --group-by category --group-by county \\\n"
    "      --format xlsx --out 2024年9月重点项目.xlsx\n";

std::vector<FlagSpec> Specs() {
  std::vector<FlagSpec> specs = LoadFlagSpecs();
  for (const FlagSpec& s : QueryFlagSpecs()) specs.push_back(s);
  for (FlagSpec s : std::vector<FlagSpec>{{"group-by", true, true},
                                          {"no-group", false},
                                          {"indicators", true, true},
                                          {"targets", true},
                                          {"unit", true},
                                          {"places", true, true},
                                          {"format", true},
                                          {"out", true},
                                          {"out-encoding", true},
                                          {"template", true},
                                          {"scope-name", true}}) {
    specs.push_back(std::move(s));
  }
  return specs;
}

template <typename... Parts>
int Usage(const Parts&... message) {
  return UsageError("report", Cat(message...));
}

// 全县 when every project is in one county, 全市 in one city, else 全省.
std::string ScopeNameOf(const Ledger& ledger, const Filter& filter) {
  int32_t first = 0;
  bool one_county = true, one_city = true;
  const auto& region = internal::Columns(ledger).projects.region;
  for (uint32_t p = 0; p < ledger.size(); ++p) {
    if (region[p] == 0) continue;
    if (first == 0) first = region[p];
    one_county &= region[p] == first;
    one_city &= region[p] / 100 == first / 100;
  }
  for (const std::string& prefix : filter.region_prefixes) {
    if (prefix.size() == 6) one_county = true;
    if (prefix.size() == 4) one_city = true;
  }
  return one_county ? "全县" : one_city ? "全市" : "全省";
}

enum class Format { kTable, kJson, kCsv, kMd, kXlsx, kText };

absl::StatusOr<Format> ParseFormat(std::string_view f) {
  if (f == "table") return Format::kTable;
  if (f == "json") return Format::kJson;
  if (f == "csv") return Format::kCsv;
  if (f == "md" || f == "markdown") return Format::kMd;
  if (f == "xlsx") return Format::kXlsx;
  if (f == "text" || f == "txt") return Format::kText;
  return absl::InvalidArgumentError(Cat("--format ", f, ": use table, json, csv, md, xlsx or text"));
}

}  // namespace

int RunReport(const std::vector<std::string>& args) {
  absl::StatusOr<Flags> flags = Flags::Parse(args, Specs());
  if (!flags.ok()) return Usage(flags.status().message());
  if (flags->Has("help")) {
    std::cout << kHelp << kQueryFlagsHelp << kLoadFlagsHelp << kExample;
    return kExitOk;
  }
  if (!flags->Has("data")) return Usage(kDataRequired);

  // Everything that can be checked before the ledger is read, is.
  absl::StatusOr<Format> format = ParseFormat(flags->Get("format").value_or("table"));
  if (!format.ok()) return Usage(format.status().message());
  const std::optional<std::string> out_path = flags->Get("out");
  if (*format == Format::kXlsx && !out_path) return Usage("--format xlsx needs --out FILE.xlsx");
  const std::string out_encoding = flags->Get("out-encoding").value_or("utf8");
  if (out_encoding != "utf8" && out_encoding != "utf-8" && out_encoding != "gb18030") {
    return Usage(Cat("--out-encoding ", out_encoding, ": use utf8 or gb18030"));
  }
  RenderOptions render;
  absl::StatusOr<MoneyUnit> money_unit = MoneyUnitFromFlags(*flags);
  if (!money_unit.ok()) return Usage(money_unit.status().message());
  render.money_unit = *money_unit;
  for (const std::string& p : SplitList(flags->GetAll("places"))) {
    const size_t eq = p.find('=');
    const std::string id = p.substr(0, eq);
    const std::string n = eq == std::string::npos ? "" : p.substr(eq + 1);
    if (eq == std::string::npos || n.size() != 1 || n[0] < '0' || n[0] > '6') {
      return Usage(Cat("--places ", p, ": write it as ID=N with N from 0 to 6, e.g. start_rate=0"));
    }
    render.places[id] = n[0] - '0';
  }

  std::optional<TargetSet> targets;
  if (std::optional<std::string> path = flags->Get("targets")) {
    absl::StatusOr<std::string> text = ReadFile(*path);
    if (!text.ok()) {
      std::cerr << "keyproj report: --targets: " << text.status().message() << "\n";
      return kExitIo;
    }
    absl::StatusOr<TargetSet> set = ParseTargetSet(*text);
    if (!set.ok()) return Usage(Cat(*path, ": ", set.status().message()));
    targets = *std::move(set);
  }
  std::shared_ptr<const CustomIndicatorSet> custom;
  if (targets) {
    absl::StatusOr<std::shared_ptr<const CustomIndicatorSet>> set = CompileCustom(targets->indicators);
    if (!set.ok()) return Usage(set.status().message());
    custom = *std::move(set);
  }

  std::vector<std::string> indicators = SplitList(flags->GetAll("indicators"));
  if (indicators.empty()) indicators.assign(StandardDashboard().begin(), StandardDashboard().end());
  for (const std::string& id : indicators) {
    if (custom != nullptr && custom->IndexOf(id) >= 0) continue;
    if (absl::StatusOr<IndicatorRef> ref = FindIndicator(id); !ref.ok()) {
      return Usage(Cat("--indicators: ", ref.status().message()));
    }
  }
  std::vector<std::vector<Dimension>> groupings;
  if (!flags->Has("no-group")) {
    std::vector<std::string> specs = flags->GetAll("group-by");
    if (specs.empty()) specs = {"category"};
    for (const std::string& spec : specs) {
      std::vector<Dimension> dims;
      for (const std::string& d : SplitList({spec})) {
        absl::StatusOr<Dimension> dim = ParseDimension(d);
        if (!dim.ok()) return Usage(Cat("--group-by: ", dim.status().message()));
        dims.push_back(*dim);
      }
      groupings.push_back(std::move(dims));
    }
  } else if (flags->Has("group-by")) {
    return Usage("--no-group and --group-by contradict each other");
  }
  if (groupings.empty()) groupings.emplace_back();

  std::optional<NarrativeTemplate> narrative;
  if (*format == Format::kText) {
    std::string text(NarrativeTemplate::DefaultText());
    if (std::optional<std::string> path = flags->Get("template")) {
      absl::StatusOr<std::string> t = ReadFile(*path);
      if (!t.ok()) {
        std::cerr << "keyproj report: --template: " << t.status().message() << "\n";
        return kExitIo;
      }
      text = *std::move(t);
    }
    absl::StatusOr<NarrativeTemplate> parsed = NarrativeTemplate::Parse(text);
    if (!parsed.ok()) {
      return Usage(Cat(flags->Get("template").value_or("the default template"), ": ", parsed.status().message()));
    }
    narrative = *std::move(parsed);
  }

  // Load, compute, render.
  Progress progress(*format != Format::kJson, Cat("loading ", *flags->Get("data")));
  int exit_code = kExitOk;
  std::optional<LoadedQuery> loaded = LoadForQuery("report", *flags, progress, &exit_code);
  if (!loaded) return exit_code;
  const Ledger* ledger = &loaded->ledger;
  Query* base = &loaded->query;
  if (targets && !flags->Has("schedule")) ApplySchedule(*targets, &base->options);
  base->custom = custom;
  progress.Step("calculating");

  Report report;
  report.scope_name = flags->Get("scope-name").value_or(ScopeNameOf(*ledger, base->filter));
  report.regions = loaded->regions;
  for (const std::vector<Dimension>& dims : groupings) {
    Query q = *base;
    q.group_by = dims;
    q.indicators = indicators;
    absl::StatusOr<Result> result = Evaluate(*ledger, q);
    if (!result.ok()) {
      progress.End();
      return Usage(result.status().message());
    }
    report.tables.push_back({GroupingTitle(dims), *std::move(result), {}});
  }
  if (targets) {
    Query q = *base;
    q.indicators = TargetIndicatorIds(*targets);
    q.indicators.emplace_back("schedule");
    absl::StatusOr<Result> result = Evaluate(*ledger, q);
    if (!result.ok()) {
      progress.End();
      return Usage(result.status().message());
    }
    const Value schedule = result->total().values.back();
    absl::StatusOr<std::vector<TargetStatus>> statuses =
        EvaluateTargets(*targets, *result, result->rows.size() - 1, schedule);
    if (!statuses.ok()) {
      progress.End();
      return Usage(statuses.status().message());
    }
    report.tables.front().targets = *std::move(statuses);
  }

  progress.Step("writing");
  std::string doc;
  switch (*format) {
    case Format::kTable:
      doc = RenderTextTables(report, render);
      for (const ReportTable& t : report.tables) doc += RenderProjectLists(*ledger, t);
      break;
    case Format::kJson: doc = RenderJson(*ledger, report, render); break;
    case Format::kCsv: doc = RenderCsv(report, render); break;
    case Format::kMd:
      doc = RenderMarkdown(report, render);
      for (const ReportTable& t : report.tables) doc += RenderProjectLists(*ledger, t);
      break;
    case Format::kText: {
      absl::StatusOr<std::string> text = narrative->Render(*ledger, *base, report, render);
      if (!text.ok()) {
        progress.End();
        return Usage(text.status().message());
      }
      doc = *std::move(text);
      break;
    }
    case Format::kXlsx: {
      absl::Status st = WriteXlsx(*ledger, report, render, *out_path);
      progress.End();
      if (!st.ok()) {
        std::cerr << "keyproj report: " << st.message() << "\n";
        return kExitIo;
      }
      return kExitOk;
    }
  }
  if (out_encoding == "gb18030") {
    absl::StatusOr<std::string> converted = Utf8ToGb18030(doc);
    if (!converted.ok()) {
      progress.End();
      std::cerr << "keyproj report: --out-encoding gb18030: " << converted.status().message() << "\n";
      return kExitIo;
    }
    doc = *std::move(converted);
  } else if (*format == Format::kCsv) {
    doc.insert(0, "\xEF\xBB\xBF");  // Excel reads UTF-8 CSV only with a BOM
  }
  progress.End();
  if (out_path) {
    if (absl::Status st = WriteFileAtomically(*out_path, doc); !st.ok()) {
      std::cerr << "keyproj report: " << st.message() << "\n";
      return kExitIo;
    }
    return kExitOk;
  }
  std::cout << doc;
  std::cout.flush();
  return std::cout ? kExitOk : kExitIo;
}

}  // namespace keyproj::cli
