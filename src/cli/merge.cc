// keyproj merge: the report of several shards from their partials (.kpp files that
// `keyproj report --partial-out` wrote), without any shard's ledger.
#include <iostream>

#include "cli/commands.h"
#include "cli/flags.h"
#include "cli/output.h"
#include "cli/query_flags.h"
#include "keyproj/partial.h"
#include "keyproj/report_xlsx.h"
#include "keyproj/internal/text.h"

namespace keyproj::cli {

using ::keyproj::internal::Cat;
namespace {

constexpr const char* kHelp =
    "usage: keyproj merge P1.kpp P2.kpp ... [--format F] [--out FILE]\n"
    "\n"
    "Adds up the partials of shards of a ledger (keyproj report ... --partial-out\n"
    "P.kpp on each shard, with the same request and --as-of) and writes the report of\n"
    "their union: value for value what `keyproj report` gives on the union ledger,\n"
    "project lists in project code order. Refuses partials of different requests\n"
    "(naming the setting), shards sharing a project (naming it), other format\n"
    "versions and corrupt or truncated files. docs/scale-out.md explains.\n"
    "\n"
    "options:\n"
    "  --format F               table (default), json, csv, md or xlsx (with --no-charts:\n"
    "                           the charts need the whole ledger); not text\n"
    "  --out FILE               write to FILE (written whole or not at all)\n";
// (then kOutEncodingHelp)
constexpr const char* kHelpAfterOutEncoding =
    "  --unit wan|yi            money in 万元 (default) or 亿元\n"
    "  --places ID=N            display places of an indicator of the report (0-6),\n"
    "                           repeated or joined by commas: --places start_rate=0\n"
    "  --no-charts              --format xlsx: the workbook without the sheet 图表\n"
    "  --partial-out FILE       write the partial of the union instead of its report: one\n"
    "                           partial that merges with others as the inputs would (a\n"
    "                           tree: combine within a province, merge at the centre)\n"
    "\n"
    "example:\n"
    "  keyproj report --data north --as-of 2024-09-30 --group-by county --partial-out north.kpp\n"
    "  keyproj report --data south --as-of 2024-09-30 --group-by county --partial-out south.kpp\n"
    "  keyproj merge north.kpp south.kpp --format json\n";

const std::vector<FlagSpec>& Specs() {
  static const std::vector<FlagSpec> kSpecs = {{"format", true},   {"out", true},       {"out-encoding", true},
                                               {"unit", true},     {"no-charts", false}, {"help", false},
                                               {"partial-out", true}, {"places", true, true}};
  return kSpecs;
}

// A partial that could not be read (damaged, foreign, another format version) is a
// file error, as a damaged snapshot is (exit 3); partials that read well but do not
// go together (different requests, overlapping shards) are bad usage (exit 2).
int MergeExit(const absl::Status& status) {
  return status.code() == absl::StatusCode::kInvalidArgument ? kExitUsage : kExitIo;
}

}  // namespace

int RunMerge(const std::vector<std::string>& args) {
  // The partials are the arguments that are neither an option nor its value.
  std::vector<std::string> options, files;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i].rfind("--", 0) != 0 && args[i] != kShortHelp) {
      files.push_back(args[i]);
      continue;
    }
    options.push_back(args[i]);
    const std::string name = args[i].substr(2);
    for (const FlagSpec& s : Specs()) {
      if (s.name == name && s.takes_value && i + 1 < args.size()) options.push_back(args[++i]);
    }
  }
  absl::StatusOr<Flags> flags = Flags::Parse(options, Specs());
  if (!flags.ok()) return UsageError("merge", std::string(flags.status().message()));
  if (flags->Has("help")) {
    std::cout << kHelp << kOutEncodingHelp << kHelpAfterOutEncoding;
    return kExitOk;
  }
  if (files.empty()) return UsageError("merge", "name the partial files to merge (keyproj report --partial-out)");
  absl::StatusOr<DocumentFlags> document = DocumentFromFlags(*flags);
  if (!document.ok()) return UsageError("merge", std::string(document.status().message()));
  RenderOptions render;
  absl::StatusOr<MoneyUnit> money_unit = MoneyUnitFromFlags(*flags);
  if (!money_unit.ok()) return UsageError("merge", std::string(money_unit.status().message()));
  render.money_unit = *money_unit;
  render.charts = !flags->Has("no-charts");
  if (absl::Status st = MergedRenderable(document->format, render); !st.ok()) {
    return UsageError("merge", Cat("--format ", document->format_text, ": ", st.message(),
                                   document->format == ReportFormat::kXlsx ? "; add --no-charts" : ""));
  }

  std::vector<std::string> bytes;
  for (const std::string& f : files) {
    absl::StatusOr<std::string> b = ReadFile(f);
    if (!b.ok()) {
      std::cerr << "keyproj merge: " << b.status().message() << "\n";
      return kExitIo;
    }
    bytes.push_back(*std::move(b));
  }
  std::vector<PartialInput> inputs;
  for (size_t i = 0; i < files.size(); ++i) inputs.push_back({files[i], bytes[i]});
  if (std::optional<std::string> partial_out = flags->Get("partial-out")) {
    absl::StatusOr<std::string> combined = CombinePartials(inputs);
    if (!combined.ok()) {
      std::cerr << "keyproj merge: " << FlagsForOptions(Cat(combined.status().message())) << "\n";
      return MergeExit(combined.status());
    }
    if (absl::Status st = WriteFileAtomically(*partial_out, *combined); !st.ok()) {
      std::cerr << "keyproj merge: --partial-out: " << st.message() << "\n";
      return kExitIo;
    }
    return kExitOk;
  }
  absl::StatusOr<MergedReport> merged = MergePartials(inputs);
  if (!merged.ok()) {
    std::cerr << "keyproj merge: " << FlagsForOptions(Cat(merged.status().message())) << "\n";
    return MergeExit(merged.status());
  }
  // --places: of the indicators the merged report shows (the partials' request says
  // which; a custom indicator's id too).
  absl::StatusOr<std::map<std::string, int, std::less<>>> places = PlacesFromFlags(*flags, [&](std::string_view id) {
    for (const ReportTable& t : merged->report.tables) {
      for (const IndicatorRef& ref : t.result.indicators) {
        if (ref.id == id) return absl::OkStatus();
      }
    }
    return absl::InvalidArgumentError(Cat("'", id, "' is no column of the merged report"));
  });
  if (!places.ok()) return UsageError("merge", std::string(places.status().message()));
  render.places = *std::move(places);
  if (document->format == ReportFormat::kXlsx) {
    if (absl::Status st = WriteXlsx(merged->ledger, merged->report, render, *document->out); !st.ok()) {
      std::cerr << "keyproj merge: " << st.message() << "\n";
      return kExitIo;
    }
    return kExitOk;
  }
  absl::StatusOr<std::string> doc = RenderMerged(*merged, document->format, render);
  if (!doc.ok()) return UsageError("merge", std::string(doc.status().message()));
  return WriteDocument("merge", document->out, document->format, document->encoding, *std::move(doc));
}

}  // namespace keyproj::cli
