// A report as an Excel workbook (.xlsx, written with libxlsxwriter): the file a
// bureau forwards.
#ifndef KEYPROJ_REPORT_XLSX_H_
#define KEYPROJ_REPORT_XLSX_H_

#include <string>

#include "absl/status/status.h"
#include "keyproj/ledger.h"
#include "keyproj/report.h"

namespace keyproj {

// Writes `report` to `path`: one sheet per table, named by its title (made unique,
// at most 31 characters, without the characters Excel forbids); row 1 the bold
// headers, frozen together with the group columns; figures as numbers in report
// units with number formats showing the display places (money in the chosen unit,
// rates as percents, counts whole), "—" where not applicable; a sheet "目标" when
// any table has targets and a sheet "项目清单" listing the projects behind warning
// indicators (code, name, indicator, group). The workbook is written to a temporary
// file beside `path` and renamed, so a failure leaves no partial file.
// Errors: Unavailable / Internal naming the path when it cannot be written.
absl::Status WriteXlsx(const Ledger& ledger, const Report& report, const RenderOptions& options,
                       const std::string& path);

}  // namespace keyproj

#endif  // KEYPROJ_REPORT_XLSX_H_
