// examples/cpp/dashboard.cc -- keyproj from C++: the core library itself
// (LoadCsvLedger, MakeReport, RenderReport), as README's "The engine from C++".
//
//   dashboard_cpp DATA_DIR [AS_OF]      e.g. dashboard_cpp examples/data 2024-09
//
// Prints the same county table as examples/c/dashboard.c -- exact values
// (MachineValue: the texts of the JSON contract), tab-separated, a `total` line
// last -- then the report as the CLI's terminal table. Built and run by ctest
// `example.cpp` (examples/CMakeLists.txt); links keyproj::core.
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "keyproj/keyproj.h"

namespace {

// Every column of a result as exact text, one tab-separated line per group.
void PrintExact(const keyproj::ReportTable& table) {
  const keyproj::Result& result = table.result;
  std::cout << "# " << table.title << "\ncounty";
  for (const keyproj::IndicatorRef& indicator : result.indicators) std::cout << '\t' << indicator.id;
  std::cout << '\n';
  for (const keyproj::ResultRow& row : result.rows) {
    std::cout << (row.group.empty() ? std::string("total") : row.group[0]);  // the whole scope is last
    for (size_t c = 0; c < row.values.size(); ++c) {
      std::string text = keyproj::MachineValue(row.values[c], result.indicators[c].def->unit);
      std::cout << '\t' << (text.empty() ? "-" : text);  // "" = not applicable
    }
    std::cout << '\n';
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3) {
    std::cerr << "usage: dashboard_cpp DATA_DIR [AS_OF]   e.g. dashboard_cpp examples/data 2024-09\n";
    return 2;
  }
  keyproj::Diagnostics problems;
  absl::StatusOr<keyproj::Ledger> ledger = keyproj::LoadCsvLedger(argv[1], keyproj::LoadOptions{}, &problems);
  if (!ledger.ok()) {
    std::cerr << "dashboard_cpp: " << ledger.status() << '\n';
    for (const keyproj::Diagnostic& problem : problems) std::cerr << "  " << problem.ToString() << '\n';
    return 1;
  }

  keyproj::ReportRequest request;  // what `keyproj report` takes
  if (argc == 3) {
    request.as_of = keyproj::Date::Parse(argv[2]);
    if (!request.as_of) {
      // A month alone ("2024-09") is the month's end, as in the CLI and the C ABI.
      std::optional<keyproj::Month> month = keyproj::Month::Parse(argv[2]);
      if (!month) {
        std::cerr << "dashboard_cpp: AS_OF '" << argv[2] << "' is neither a date nor a month (2024-09-30, 2024-09)\n";
        return 2;
      }
      request.as_of = month->last_day();
    }
  }
  // County names for the rendered table (regions.csv in the ledger folder, if any).
  absl::StatusOr<keyproj::RegionNames> regions = keyproj::LoadRegionNames(argv[1], keyproj::Encoding::kAuto, &problems);
  if (!regions.ok()) {
    std::cerr << "dashboard_cpp: " << regions.status() << '\n';
    for (const keyproj::Diagnostic& problem : problems) std::cerr << "  " << problem.ToString() << '\n';
    return 1;
  }
  request.regions = std::make_shared<const keyproj::RegionNames>(*std::move(regions));
  request.groupings = {{keyproj::Dimension::kCounty}};
  request.indicators = {"projects", "start_rate", "investment_ytd"};
  absl::StatusOr<keyproj::Report> report = keyproj::MakeReport(*ledger, request);
  if (!report.ok()) {
    std::cerr << "dashboard_cpp: MakeReport: " << report.status() << '\n';
    return 1;
  }

  std::cout << "keyproj: " << ledger->size() << " projects\n";
  PrintExact(report->tables[0]);
  absl::StatusOr<std::string> table = keyproj::RenderReport(*ledger, *report, keyproj::ReportFormat::kTable, {});
  if (!table.ok()) {
    std::cerr << "dashboard_cpp: RenderReport: " << table.status() << '\n';
    return 1;
  }
  std::cout << '\n' << *table;
  return 0;
}
