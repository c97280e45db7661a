// A report as an Excel workbook (.xlsx, written with libxlsxwriter): the file a
// bureau forwards.
#ifndef KEYPROJ_REPORT_XLSX_H_
#define KEYPROJ_REPORT_XLSX_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "keyproj/ledger.h"
#include "keyproj/report.h"

namespace keyproj {

// The custom document property (docProps/custom.xml) every workbook keyproj writes as
// a report carries, its value the keyproj version: a ledger workbook reader
// (--data ledger.xlsx) refuses such a file instead of misreading it.
inline constexpr std::string_view kReportXlsxMark = "keyproj report";

// Writes `report` to `path`: one sheet per table, named by its title (made unique,
// at most 31 characters, without the characters Excel forbids). Every sheet prints as
// a bureau forwards it (docs/report.md): row 1 the title ("2024年1-9月全省重点项目建设
// 进展情况表（按县区）"), row 2 the unit line ("单位：万元、%、个"), row 3 the bold
// headers, frozen together with the group columns; bordered cells; landscape A4 one
// page wide, rows 1-3 repeated on every page. Figures as numbers in report units with
// number formats showing the display places (money in the chosen unit, rates as
// percents, counts whole), "—" where not applicable; a county table's 小计 rows
// (PrintedRows). A sheet "目标" when any table has targets, a sheet "项目清单" listing
// the projects behind warning indicators (code, name, indicator, group), and unless
// options.charts is false a sheet "图表": investment by month against 序时进度 and the
// first table's groups ranked by plan_completion, with the figures behind them (one
// engine evaluation per month of the year up to as_of). The workbook is written to a
// temporary file beside `path` and renamed, so a failure leaves no partial file.
// Errors: Unavailable / Internal naming the path when it cannot be written; those of
// Evaluate for the charts' figures.
absl::Status WriteXlsx(const Ledger& ledger, const Report& report, const RenderOptions& options,
                       const std::string& path);

}  // namespace keyproj

#endif  // KEYPROJ_REPORT_XLSX_H_
