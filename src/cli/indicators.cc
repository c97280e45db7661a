// keyproj indicators: the catalogue, for choosing --indicators.
#include <iostream>

#include "cli/commands.h"
#include "cli/flags.h"
#include "keyproj/expression.h"
#include "keyproj/indicators.h"
#include "keyproj/internal/text.h"
#include "keyproj/internal/text_table.h"
#include "report/escape.h"

namespace keyproj::cli {

using ::keyproj::internal::Cat;
using ::keyproj::internal::Append;
using ::keyproj::internal::TextTable;
using ::keyproj::internal::Align;
namespace {

constexpr const char* kHelp =
    "usage: keyproj indicators [--format table|json]\n"
    "\n"
    "Lists every indicator of the catalogue: its id (what --indicators, targets,\n"
    "scoring schemes and custom expressions use), its Chinese label, unit and default\n"
    "display places, and its definition. The default dashboard is marked with *.\n"
    "\n"
    "example:\n"
    "  keyproj indicators\n"
    "  keyproj report --data examples/data --indicators projects,start_rate,stalled\n";

}  // namespace

int RunIndicators(const std::vector<std::string>& args) {
  absl::StatusOr<Flags> flags = Flags::Parse(args, {{"format", true}, {"help", false}});
  if (!flags.ok()) {
    std::cerr << "keyproj indicators: " << Cat(flags.status().message()) << "\n" << kHelp;
    return kExitUsage;
  }
  if (flags->Has("help")) {
    std::cout << kHelp;
    return kExitOk;
  }
  const std::string format = flags->Get("format").value_or("table");
  if (format != "table" && format != "json") {
    std::cerr << "keyproj indicators: --format " << format << ": use table or json\n";
    return kExitUsage;
  }
  auto in_dashboard = [](std::string_view id) {
    for (std::string_view d : StandardDashboard()) {
      if (d == id) return true;
    }
    return false;
  };
  std::string out;
  if (format == "json") {
    out = "[";
    bool first = true;
    for (const IndicatorDef& def : Catalogue()) {
      Append(&out, first ? "\n" : ",\n", " {\"id\": ");
      first = false;
      report_internal::AppendJsonString(&out, def.id);
      Append(&out, ", \"label\": ");
      report_internal::AppendJsonString(&out, def.label);
      Append(&out, ", \"unit\": ");
      report_internal::AppendJsonString(&out, UnitId(def.unit));
      Append(&out, ", \"places\": ", def.places, ", \"additive\": ", def.additive ? "true" : "false",
             ", \"lists_projects\": ", def.lists_projects ? "true" : "false", ", \"dashboard\": ",
             in_dashboard(def.id) ? "true" : "false", ", \"definition\": ");
      report_internal::AppendJsonString(&out, def.definition);
      Append(&out, "}");
    }
    Append(&out, "\n]\n");
  } else {
    TextTable table({"id", "指标", "单位", "位数", "定义"},
                    {Align::kLeft, Align::kLeft, Align::kLeft, Align::kRight, Align::kLeft});
    for (const IndicatorDef& def : Catalogue()) {
      table.AddRow({Cat(def.id, in_dashboard(def.id) ? " *" : ""), std::string(def.label),
                    std::string(UnitId(def.unit)), std::to_string(def.places), std::string(def.definition)});
    }
    out = table.Render();
    Append(&out, "\n* the standard dashboard (report's default). Split ids: support_approved.central_budget,\n"
                 "  problems_by_kind.land, reserve_age.24_, ... (a funding source, a constraint kind or\n"
                 "  an age band in whole months after the dot).\n");
  }
  std::cout << out;
  return kExitOk;
}

}  // namespace keyproj::cli
