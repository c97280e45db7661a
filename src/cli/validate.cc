// keyproj validate: every problem in a ledger folder, as file:line:column: reason.
#include <algorithm>
#include <iostream>

#include "cli/commands.h"
#include "cli/flags.h"
#include "cli/load.h"
#include "cli/output.h"
#include "keyproj/xlsx_ledger.h"
#include "keyproj/regions.h"
#include "keyproj/snapshot.h"
#include "keyproj/internal/text.h"

namespace keyproj::cli {

using ::keyproj::internal::Cat;
using ::keyproj::internal::Append;
namespace {

// What the loader decided about a file laid out as a bureau's sheet (台账), on one
// line: "projects.csv: header found at line 3; unit 万元 from line 2; 合计 at line 34
// agrees". A workbook's sheet says "row" (its lines are the sheet's rows). Plain
// files have no layout and print nothing.
std::string DescribeLayout(const TableLayout& l, std::string_view line) {
  std::string out = Cat(l.file, ": header found at ", line, " ", l.header_line);
  if (l.header_rows > 1) Append(&out, "-", l.header_line + l.header_rows - 1, " (", l.header_rows, " rows, merged cells)");
  for (const LayoutLine& n : l.notes) {
    if (!l.unit.empty() && n.line == l.unit_line) {
      Append(&out, "; unit ", l.unit, " from ", line, " ", n.line, " \"", n.text, "\"");
    } else {
      Append(&out, "; ", line, " ", n.line, " kept as a note \"", n.text, "\"");
    }
  }
  const bool unit_in_notes = std::any_of(l.notes.begin(), l.notes.end(),
                                         [&](const LayoutLine& n) { return n.line == l.unit_line; });
  if (!l.unit.empty() && !unit_in_notes) Append(&out, "; unit ", l.unit, " from ", line, " ", l.unit_line);
  for (const std::string& h : l.unit_headers) Append(&out, "; unit of column '", h, "' from its header");
  if (l.serial_column > 0) Append(&out, "; 序号 in column ", l.serial_column, " ignored");
  for (const LayoutLine& s : l.sections) Append(&out, "; section ", line, " ", s.line, " \"", s.text, "\"");
  for (const LayoutTotal& t : l.totals) {
    Append(&out, "; ", t.word, " at ", line, " ", t.line,
           t.word == "其中" ? " left out"
           : !t.checked     ? " not checked"
           : t.agrees       ? " agrees"
                            : " does not agree");
  }
  for (const LayoutLine& f : l.footers) Append(&out, "; footer at ", line, " ", f.line, " ignored");
  return out;
}

// The columns of a table's file that name no field, kept as text beside the ledger
// (ledger-format.md) -- said, so that a column meant as a field and named otherwise
// is not left out unseen: "projects.csv: kept as text, not read as a field: 所属县区,
// 项目联系人". A column that looks like the county (所属县区, 县区 ...) says where the
// county is read from instead. "" when there are none.
std::string DescribeExtras(Table t, const std::vector<ExtraColumn>& extras) {
  if (extras.empty()) return "";
  std::string out = Cat(CsvFileName(t), ": kept as text, not read as a field: ");
  bool county = false;
  for (size_t i = 0; i < extras.size(); ++i) {
    Append(&out, i == 0 ? "" : ", ", extras[i].header);
    for (std::string_view word : {"县区", "区县", "区划", "地区", "county"}) {
      county |= t == Table::kProjects && extras[i].header.find(word) != std::string::npos;
    }
  }
  if (county) {
    Append(&out, " (a project's county is read from the column region -- 行政区划代码, 6-digit codes such as "
                 "610402 -- or else from its national project code)");
  }
  return out;
}

constexpr const char* kHelp =
    "usage: keyproj validate --data DIR [options]\n"
    "\n"
    "Checks a ledger folder and lists every problem as file:line:column: column name:\n"
    "reason, all of them in one run. Exit status 0 when the ledger is clean, 1 when\n"
    "there are problems (with --lenient too: the rows they name would be left out).\n"
    "\n"
    "options:\n";
constexpr const char* kExample =
    "\nexample:\n"
    "  keyproj validate --data ./台账 --encoding gb18030\n";

}  // namespace

int RunValidate(const std::vector<std::string>& args) {
  absl::StatusOr<Flags> flags = Flags::Parse(args, LoadFlagSpecs());
  if (!flags.ok()) {
    std::cerr << "keyproj validate: " << flags.status().message() << "\n" << kHelp << kLoadFlagsHelp;
    return kExitUsage;
  }
  if (flags->Has("help")) {
    std::cout << kHelp << kLoadFlagsHelp << kExample;
    return kExitOk;
  }
  absl::StatusOr<LoadOptions> options = LoadOptionsFromFlags(*flags);
  if (!options.ok()) return UsageError("validate", std::string(options.status().message()));
  std::optional<std::string> dir = flags->Get("data");
  if (!dir) {
    std::cerr << "keyproj validate: --data DIR is required\n";
    return kExitUsage;
  }
  // Validation always reads every row, so it reports the same list in both modes.
  options->lenient = true;
  Diagnostics diagnostics;
  // A snapshot (keyproj pack) is checked whole as it is opened, region names too.
  std::shared_ptr<const RegionNames> packed;
  absl::StatusOr<Ledger> ledger = OpenLedger(*dir, *options, &diagnostics, &packed);
  if (!ledger.ok()) {
    std::cerr << "keyproj validate: " << ledger.status().message() << "\n";
    return kExitIo;
  }
  // regions.csv (names for reports) is checked too.
  const std::string regions_path = flags->Get("regions").value_or(*dir);
  absl::StatusOr<RegionNames> regions = !flags->Has("regions") && packed
                                            ? *packed
                                            : LoadRegionNames(regions_path, options->encoding, &diagnostics);
  if (!regions.ok()) {
    std::cerr << "keyproj validate: " << Cat(regions.status().message()) << "\n";
    return kExitIo;
  }
  const bool workbook = IsZipFile(*dir);  // as OpenLedger tells a workbook
  for (const TableLayout& l : ledger->layouts()) std::cout << DescribeLayout(l, workbook ? "row" : "line") << "\n";
  for (int t = 0; t < kTableCount; ++t) {
    if (std::string kept = DescribeExtras(static_cast<Table>(t), ledger->extras(static_cast<Table>(t))); !kept.empty()) {
      std::cout << kept << "\n";
    }
  }
  for (const Diagnostic& d : diagnostics) std::cout << FlagsForOptions(d.ToString()) << "\n";
  if (diagnostics.empty()) {
    std::cout << *dir << ": ok, " << CountOf(ledger->size(), "project", "projects") << "\n";
    return kExitOk;
  }
  // The list is the output (stdout, for a pipe); that the ledger failed is said on
  // stderr, as every other non-zero exit is.
  std::cout.flush();
  std::cerr << "keyproj validate: " << *dir << ": " << ProblemCount(diagnostics) << "; "
            << CountOf(ledger->size(), "project", "projects")
            << " would load with --lenient\n";
  return kExitDataErrors;
}

}  // namespace keyproj::cli
