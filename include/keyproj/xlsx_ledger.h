// A ledger kept as one Excel workbook (.xlsx), a sheet per table: `--data
// ledger.xlsx` wherever a folder or a .kpl goes (OpenLedger), and the workbook
// `keyproj generate --format xlsx` writes. docs/ledger-loading.md, "Workbooks (.xlsx)",
// has every decision.
//
// Each sheet named as a table (项目 / 项目基本信息 / projects, 月报 / monthly, ...:
// the names of Table in ledger.h) becomes that table's CSV text and is read by the CSV
// loader, so a sheet may be laid out as a bureau keeps it, exactly as a CSV file may.
// Problems are located as sheet!cell (Diagnostic::cell): "项目!C12: total_investment:
// not a decimal number".
#ifndef KEYPROJ_XLSX_LEDGER_H_
#define KEYPROJ_XLSX_LEDGER_H_

#include <filesystem>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "keyproj/csv_loader.h"
#include "keyproj/date.h"
#include "keyproj/diagnostic.h"
#include "keyproj/ledger.h"
#include "keyproj/regions.h"

namespace keyproj {

inline constexpr std::string_view kXlsxSuffix = ".xlsx";

// Whether `path` is a regular file that starts as a zip file does ("PK\3\4"): what
// OpenLedger reads as a workbook.
bool IsZipFile(const std::filesystem::path& path);

// Loads the workbook at `path` (options as for LoadCsvLedger; the encoding does not
// apply: a workbook's text is Unicode). `regions` (when not null) receives the names
// of its sheet 行政区划 / regions (区划代码, 名称), empty without one. Errors: those of
// reading the file; InvalidArgument for a file that is not a readable workbook or is a
// keyproj report workbook, DataLoss for a corrupt zip, ResourceExhausted over the
// reader's limits, NotFound without a projects sheet (naming the sheets it has), and
// InvalidArgument summarising the diagnostics when a strict load finds problems.
absl::StatusOr<Ledger> LoadXlsxLedger(const std::filesystem::path& path, const LoadOptions& options,
                                      Diagnostics* diagnostics, RegionNames* regions = nullptr);

// The same from the workbook's bytes, `name` naming it in messages.
absl::StatusOr<Ledger> LoadXlsxLedger(std::string_view bytes, const std::string& name, const LoadOptions& options,
                                      Diagnostics* diagnostics, RegionNames* regions = nullptr);

struct XlsxLedgerOptions {
  // true: each sheet laid out as a bureau keeps it (below); false: the header in row 1
  // and the rows under it, nothing else (a plain workbook, loadable without the
  // 台账 layout rules).
  bool bureau_layout = true;
  std::string unit_name = "XX县发展和改革局";  // 填报单位 in each sheet's footer
  std::string reporter = "张三";               // 填报人
  std::string title_place = "XX县";            // "2024年XX县重点项目台账（项目基本信息）"
  Date filed_on = Date::FromDays(internal::civil::DaysFromCivil(2024, 9, 30));  // 填报日期
  int year = 0;  // the title's year; 0: filed_on's
};

// Writes `ledger` (and `regions`, null: none) as a bureau's workbook: a sheet per
// table with rows, each with a title row, a unit row (单位：万元), the Chinese header
// with a 序号 column first, the rows, a 合计 row summing the money columns exactly,
// and a footer (填报单位 / 填报人 / 填报日期); dates as Excel dates, money as numbers
// where a double holds them exactly (else as text), codes and other text as text.
// Written to a temporary beside `path` and renamed.
absl::Status WriteXlsxLedger(const Ledger& ledger, const RegionNames* regions, const std::filesystem::path& path,
                             const XlsxLedgerOptions& options = {});

}  // namespace keyproj

#endif  // KEYPROJ_XLSX_LEDGER_H_
