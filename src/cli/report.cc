// keyproj report: the dashboard tables and report text of a ledger at a date.
#include <algorithm>
#include <fstream>
#include <map>
#include <iostream>
#include <sstream>

#include "absl/strings/str_join.h"
#include "cli/commands.h"
#include "cli/flags.h"
#include "cli/load.h"
#include "cli/output.h"
#include "cli/query_flags.h"
#include "keyproj/csv_loader.h"
#include "keyproj/dossier.h"
#include "keyproj/encoding.h"
#include "keyproj/engine.h"
#include "keyproj/expression.h"
#include "keyproj/indicators.h"
#include "keyproj/narrative.h"
#include "keyproj/partial.h"
#include "keyproj/report.h"
#include "keyproj/report_request.h"
#include "keyproj/report_xlsx.h"
#include "keyproj/targets.h"
#include "keyproj/internal/error_list.h"
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
    "                           stage size_band tag (a project is in the group of each\n"
    "                           of its tags; such groups do not add up to 合计).\n"
    "                           Default: category\n"
    "  --no-group               only the whole-scope row\n"
    "  --funnel[=DIMS]          add the 招商 funnel (招商引资项目推进情况: intended, signed,\n"
    "                           started, completed, operating and the conversion into\n"
    "                           each): --funnel for the whole scope, --funnel=county a\n"
    "                           row per group and the whole scope last\n"
    "  --indicators IDS         indicator ids, comma-separated (keyproj indicators lists\n"
    "                           them); default: the standard dashboard\n"
    "  --custom ID[:UNIT]=EXPR  a custom indicator defined here, shown after the others\n"
    "                           (repeatable; docs/indicators.md, custom indicators):\n"
    "                           --custom 'industry_share:rate=investment_ytd[category=\n"
    "                           industry] / investment_ytd'. UNIT: rate, money, count,\n"
    "                           points, multiple (default), months\n"
    "  --targets FILE           a target set (examples/targets/1116.toml): adds the\n"
    "                           targets' status to the report\n"
    "  --unit wan|yi            money in 万元 (default) or 亿元\n"
    "  --places ID=N            display places of one indicator, e.g. start_rate=0\n"
    "  --format F               table (default), json, csv, md, xlsx or text\n"
    "  --out FILE               write to FILE (written whole or not at all); xlsx needs it\n";
// (then kOutEncodingHelp)
constexpr const char* kHelpAfterOutEncoding =
    "  --template FILE|NAME     --format text: the report template (docs/report-text.md);\n"
    "                           default: examples/templates/monthly.txt's text. The\n"
    "                           built-in names: monthly (that text) and quarter (the\n"
    "                           quarter bulletin, examples/templates/quarter.txt); a\n"
    "                           file of one of those names is ./quarter\n"
    "  --scope-name NAME        the scope in titles and text (default: from the regions\n"
    "                           of the ledger: 全区, 全县 or 全市 for one district, county\n"
    "                           or county-level city; 全市 for one city; else 全省)\n"
    "  --no-charts              --format xlsx: leave out the sheet 图表 (the charts of\n"
    "                           investment by month against 序时进度 and of the groups\n"
    "                           ranked by 占年度计划, with their figures)\n"
    "  --no-subtotals           a table grouped by county prints its counties alone;\n"
    "                           by default, when they lie in several cities, each\n"
    "                           city's counties are followed by the city's 小计 row\n"
    "                           (the city's own figures; JSON keeps the counties alone)\n"
    "  --dossier DIM            --format text, md or xlsx: a dossier (专报) per group of\n"
    "                           DIM (leader, department, county, ...), a heading (md) or\n"
    "                           a sheet (xlsx) each, from --template (a file, or the\n"
    "                           built-in leader, monthly or quarter) or the leader\n"
    "                           dossier (examples/templates/leader.txt)\n"
    "  --partial-out FILE       write this shard's partial (.kpp) instead of the report:\n"
    "                           exact aggregates that `keyproj merge` adds up with other\n"
    "                           shards' (docs/scale-out.md); give every shard --as-of\n";
constexpr const char* kExample =
    "\nexamples:\n"
    "  keyproj report --data examples/data --as-of 2024-09-30\n"
    "  keyproj report --data examples/data --as-of 2024-09 --group-by county --unit yi\n"
    "  keyproj report --data examples/data --filter region=610403 --format text\n"
    "  keyproj report --data examples/data --format text --dossier leader\n"
    "  keyproj report --data examples/data --group-by category --group-by county \\\n"
    "      --format xlsx --out 2024年9月重点项目.xlsx\n"
    "  keyproj report --data examples/data --as-of 2024-09-30 --format text --template quarter\n";

std::vector<FlagSpec> Specs() {
  std::vector<FlagSpec> specs = LoadFlagSpecs();
  for (const FlagSpec& s : QueryFlagSpecs()) specs.push_back(s);
  for (FlagSpec s : std::vector<FlagSpec>{{"group-by", true, true},
                                          {"no-group", false},
                                          {"funnel", true, false, true},
                                          {"indicators", true, true},
                                          {"custom", true, true},
                                          {"targets", true},
                                          {"unit", true},
                                          {"places", true, true},
                                          {"format", true},
                                          {"out", true},
                                          {"out-encoding", true},
                                          {"template", true},
                                          {"scope-name", true},
                                          {"no-charts", false},
                                          {"no-subtotals", false},
                                          {"dossier", true},
                                          {"partial-out", true}}) {
    specs.push_back(std::move(s));
  }
  return specs;
}

template <typename... Parts>
int Usage(const Parts&... message) {
  return UsageError("report", Cat(message...));
}

// An indicator id the report can show: the catalogue's, or a custom indicator of the
// target set or of --custom. The error says where the ids are listed.
absl::Status CheckIndicatorId(std::string_view id, const TargetSet* targets, const std::vector<CustomIndicator>& custom) {
  auto named = [&](const CustomIndicator& c) { return c.id == id; };
  if (targets != nullptr && std::any_of(targets->indicators.begin(), targets->indicators.end(), named)) {
    return absl::OkStatus();
  }
  if (std::any_of(custom.begin(), custom.end(), named)) return absl::OkStatus();
  absl::StatusOr<IndicatorRef> ref = FindIndicator(id);
  if (ref.ok()) return absl::OkStatus();
  return absl::InvalidArgumentError(Cat(ref.status().message(), " (keyproj indicators lists the ids)"));
}

// --custom ID[:UNIT]=EXPR, repeated (not split at commas: an expression may hold
// them): the custom indicators a report defines on the command line, as a target set
// or a C host's request does (the expression is compiled with the report). The
// label is the id; the places are the unit's.
absl::StatusOr<std::vector<CustomIndicator>> CustomFromFlags(const Flags& flags) {
  std::vector<CustomIndicator> custom;
  for (const std::string& spec : flags.GetAll("custom")) {
    const size_t eq = spec.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == spec.size()) {
      return absl::InvalidArgumentError(
          Cat("--custom ", spec, ": write it as ID=EXPRESSION or ID:UNIT=EXPRESSION, e.g. ",
              "share:rate=investment_ytd[category=industry] / investment_ytd"));
    }
    CustomIndicator c;
    const std::string head = spec.substr(0, eq);
    const size_t colon = head.find(':');
    c.id = head.substr(0, colon);
    if (colon != std::string::npos) {
      absl::StatusOr<Unit> unit = ParseUnit(head.substr(colon + 1));
      if (!unit.ok()) return absl::InvalidArgumentError(Cat("--custom ", c.id, ": ", unit.status().message()));
      c.unit = *unit;
    }
    c.places = DefaultPlaces(c.unit);
    c.expression = spec.substr(eq + 1);
    for (const CustomIndicator& before : custom) {
      if (before.id == c.id) return absl::InvalidArgumentError(Cat("--custom ", c.id, " given twice"));
    }
    custom.push_back(std::move(c));
  }
  return custom;
}

}  // namespace

int RunReport(const std::vector<std::string>& args) {
  absl::StatusOr<Flags> flags = Flags::Parse(args, Specs());
  if (!flags.ok()) return Usage(flags.status().message());
  if (flags->Has("help")) {
    std::cout << kHelp << kOutEncodingHelp << kHelpAfterOutEncoding << kQueryFlagsHelp << kLoadFlagsHelp << kExample;
    return kExitOk;
  }
  if (!flags->Has("data")) return Usage(kDataRequired);

  // Everything that can be checked before the ledger is read, is -- and every wrong
  // option is said at once.
  internal::ErrorList wrong;
  absl::StatusOr<DocumentFlags> document = DocumentFromFlags(*flags);
  wrong.Ok(document.status());
  absl::StatusOr<MoneyUnit> money_unit = MoneyUnitFromFlags(*flags);
  wrong.Ok(money_unit.status());
  absl::StatusOr<ReportRequest> request = RequestFromFlags(*flags);
  wrong.Ok(request.status());
  absl::StatusOr<std::vector<CustomIndicator>> custom = CustomFromFlags(*flags);
  wrong.Ok(custom.status());
  if (!wrong.empty()) return Usage(wrong.status().message());
  const std::string& format_text = document->format_text;
  const ReportFormat format = document->format;
  const std::optional<std::string>& out_path = document->out;
  RenderOptions render;
  render.charts = !flags->Has("no-charts");
  render.money_unit = *money_unit;
  if (std::optional<std::string> path = flags->Get("targets")) {
    absl::StatusOr<std::string> text = ReadFile(*path);
    if (!text.ok()) {
      std::cerr << "keyproj report: --targets: " << text.status().message() << "\n";
      return kExitIo;
    }
    absl::StatusOr<TargetSet> set = ParseTargetSet(*text);
    if (!set.ok()) return FileError("report", *path, set.status());
    request->targets = std::make_shared<const TargetSet>(*std::move(set));
  }
  request->custom = *std::move(custom);
  request->indicators = SplitList(flags->GetAll("indicators"));
  {
    internal::ErrorList unknown;  // every id that is wrong, not the first
    for (const std::string& id : request->indicators) unknown.Ok(CheckIndicatorId(id, request->targets.get(), request->custom));
    if (!unknown.empty()) return Usage("--indicators: ", unknown.status().message());
  }
  // A --custom indicator is shown after the others unless --indicators places it
  // (MakeReport's rule for every request's custom indicators).
  // (After --targets: its custom indicators take places too.)
  absl::StatusOr<std::map<std::string, int, std::less<>>> places = PlacesFromFlags(
      *flags, [&](std::string_view id) { return CheckIndicatorId(id, request->targets.get(), request->custom); });
  if (!places.ok()) return Usage(places.status().message());
  render.places = *std::move(places);
  request->groupings.clear();
  if (!flags->Has("no-group")) {
    std::vector<std::string> specs = flags->GetAll("group-by");
    if (specs.empty()) specs = {"category"};
    internal::ErrorList unknown;  // every dimension that is wrong, not the first
    for (const std::string& spec : specs) {
      std::vector<Dimension> dims;
      for (const std::string& d : SplitList({spec})) {
        absl::StatusOr<Dimension> dim = ParseDimension(d);
        if (unknown.Ok(dim.status())) dims.push_back(*dim);
      }
      request->groupings.push_back(std::move(dims));
    }
    if (!unknown.empty()) return Usage("--group-by: ", unknown.status().message());
  } else if (flags->Has("group-by")) {
    return Usage("--no-group and --group-by contradict each other");
  }
  if (request->groupings.empty()) request->groupings.emplace_back();
  if (std::optional<std::string> funnel = flags->Get("funnel")) {
    std::vector<Dimension> dims;
    for (const std::string& d : SplitList({*funnel})) {
      absl::StatusOr<Dimension> dim = ParseDimension(d);
      if (!dim.ok()) return Usage("--funnel: ", dim.status().message());
      dims.push_back(*dim);
    }
    request->funnel_group_by = std::move(dims);
  }
  request->subtotals = !flags->Has("no-subtotals");
  request->scope_name = flags->Get("scope-name").value_or("");
  if (const size_t bad = FindInvalidUtf8(request->scope_name); bad != std::string::npos) {
    return Usage("--scope-name: not UTF-8 text (byte ", bad + 1, ")");
  }

  if (flags->Has("partial-out") && (format == ReportFormat::kText || flags->Has("dossier"))) {
    return Usage("--partial-out: the report text and dossiers read the whole ledger and cannot be merged");
  }
  if (std::optional<std::string> by = flags->Get("dossier")) {
    if (format != ReportFormat::kText && format != ReportFormat::kMarkdown && format != ReportFormat::kXlsx) {
      return Usage("--dossier writes --format text, md or xlsx, not ", format_text);
    }
    if (by->find(',') != std::string::npos) {
      return Usage("--dossier ", *by, ": one dimension (a dossier is addressed to one group: a leader, a county); "
                   "narrow the scope with --filter, e.g. --filter region=610403 --dossier leader");
    }
    absl::StatusOr<Dimension> dim = ParseDimension(*by);
    if (!dim.ok()) return Usage("--dossier: ", dim.status().message());
    render.dossier_by = *dim;
  }
  if (flags->Has("template") && format != ReportFormat::kText && !render.dossier_by) {
    return Usage("--template is the text of --format text (or of --dossier), not of --format ", format_text,
                 "; add --format text");
  }
  if (format == ReportFormat::kText || render.dossier_by) {
    std::string text(render.dossier_by ? LeaderDossierText() : NarrativeTemplate::DefaultText());
    if (std::optional<std::string_view> built_in = NarrativeTemplate::BuiltInText(flags->Get("template").value_or(""))) {
      text = *built_in;
    } else if (std::optional<std::string> path = flags->Get("template")) {
      absl::StatusOr<std::string> t = ReadFile(*path);
      if (!t.ok()) {
        std::cerr << "keyproj report: --template: " << t.status().message() << "\n";
        return kExitIo;
      }
      text = *std::move(t);
    }
    absl::StatusOr<NarrativeTemplate> parsed = NarrativeTemplate::Parse(text);
    if (!parsed.ok()) {
      return FileError("report", flags->Get("template").value_or("the default template"), parsed.status());
    }
    render.text_template = std::make_shared<const NarrativeTemplate>(*std::move(parsed));
  }

  // Options that would be taken without a word and change nothing, or change more than
  // they seem to: said once, before the work.
  if (format == ReportFormat::kText || render.dossier_by) {
    std::vector<std::string> unused;
    for (const char* name : {"group-by", "no-group", "indicators", "no-subtotals", "custom"}) {
      if (flags->Has(name)) unused.push_back(Cat("--", name));
    }
    if (!unused.empty()) {
      std::cerr << "keyproj report: note: " << absl::StrJoin(unused, ", ")
                << (unused.size() == 1 ? " shapes" : " shape")
                << " tables, and the text writes the figures its template names: not used here\n";
    }
    if (request->targets) {
      std::cerr << "keyproj report: note: the text shows no target status (keyproj targets, or a table "
                   "format, prints them)\n";
    }
  }
  if (request->targets && request->targets->schedule && !request->schedule) {
    std::cerr << "keyproj report: note: 序时进度 is the target set's [schedule] (" << flags->Get("targets").value_or("")
              << "); --schedule months keeps the calendar's\n";
  }

  // Load, compute, render.
  Progress progress(format != ReportFormat::kJson, Cat("loading ", *flags->Get("data")));
  int exit_code = kExitOk;
  std::optional<LoadedLedger> loaded = LoadWithRegions("report", *flags, progress, &exit_code);
  if (!loaded) return exit_code;
  request->regions = loaded->regions;
  progress.Step("calculating");
  if (std::optional<std::string> partial_out = flags->Get("partial-out")) {
    absl::StatusOr<std::string> partial = MakePartial(loaded->ledger, *request);
    progress.End();
    // A partial holds exact figures, not printed ones: how they are printed is the
    // merge's to say. Taken without a word, these would seem to have been applied.
    std::vector<std::string> printing;
    for (const char* name : {"places", "unit", "no-charts", "out-encoding", "template"}) {
      if (flags->Has(name)) printing.push_back(Cat("--", name));
    }
    if (partial.ok() && !printing.empty()) {
      std::cerr << "keyproj report: note: " << absl::StrJoin(printing, ", ")
                << " shape a printed report and a partial is not one: give them to keyproj merge\n";
    }
    if (!partial.ok()) return Usage("--partial-out: ", partial.status().message());
    if (absl::Status st = WriteFileAtomically(*partial_out, *partial); !st.ok()) {
      std::cerr << "keyproj report: --partial-out: " << st.message() << "\n";
      return kExitIo;
    }
    return kExitOk;
  }
  std::optional<Report> report =
      MakeReportOrUsage("report", loaded->ledger, *request, progress, &exit_code, flags->Get("targets").value_or(""));
  if (!report) return exit_code;

  progress.Step("writing");
  if (format == ReportFormat::kXlsx) {
    absl::Status st = WriteXlsx(loaded->ledger, *report, render, *out_path);
    progress.End();
    if (!st.ok()) {
      std::cerr << "keyproj report: " << st.message() << "\n";
      return kExitIo;
    }
    return kExitOk;
  }
  absl::StatusOr<std::string> doc = RenderReport(loaded->ledger, *report, format, render);
  progress.End();
  if (!doc.ok()) return Usage(doc.status().message());
  return WriteDocument("report", out_path, format, document->encoding, *std::move(doc));
}

}  // namespace keyproj::cli
