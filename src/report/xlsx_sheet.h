// The look of every sheet of the workbook (xlsx.cc, xlsx_charts.cc and any sheet added
// later): a bureau prints the workbook and forwards it as it is, so each sheet is a
// printed table —
//   row 1  the title ("2024年1-9月全省重点项目建设进展情况表"), merged across the
//          table's width, bold and larger;
//   row 2  the unit line ("单位：万元、个、%"), right-aligned;
//   row 3… the header row(s), bold, wrapped and centred; then the table's rows;
// every table cell with a thin border; landscape A4, fitted to one page wide and as
// many tall as it needs, the title, unit and header rows repeated on every page and
// frozen on screen. A sheet writer writes its cells through Style (which tracks the
// column widths) and calls SetUpPrintedSheet once at the end.
#ifndef KEYPROJ_SRC_REPORT_XLSX_SHEET_H_
#define KEYPROJ_SRC_REPORT_XLSX_SHEET_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include <xlsxwriter.h>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"

#include "keyproj/date.h"
#include "keyproj/report.h"
#include "keyproj/value.h"

namespace keyproj::xlsx {

// The rows of a printed sheet (0-based, as libxlsxwriter counts).
inline constexpr size_t kTitleRow = 0;
inline constexpr size_t kUnitRow = 1;
inline constexpr size_t kHeaderRow = 2;  // the first header row; the body follows the header rows

// How a table cell looks: a figure or text of the body, a header, or a bold total row
// (小计, 合计).
enum class Look { kBody, kHeader, kTotal };

// Column widths in Excel's character units (a CJK character counts two), grown as
// cells are written. Headers wrap: they widen a column only up to kHeaderWrap.
class Widths {
 public:
  void See(size_t col, std::string_view text);
  void SeeHeader(size_t col, std::string_view text);
  size_t columns() const { return body_.size(); }
  double Width(size_t col) const;
  // Lines the wrapped header of `col` takes at its width.
  int HeaderLines(size_t col) const;

 private:
  void Grow(size_t col);
  std::vector<double> body_;
  std::vector<int> header_;  // display width of the widest header text
};

struct PrintedSheet {
  std::string title;
  std::string unit_line;  // "单位：万元、%"; "" for none
  size_t columns = 1;     // the table's width: the title and unit line span it
  size_t header_rows = 1;
  size_t frozen_columns = 0;  // group columns kept on screen when scrolling right
  // Pages tall when printed: 0, as many as the rows take; 1 for a sheet of charts,
  // which a page break would cut.
  uint16_t pages_tall = 0;
};

class Style {
 public:
  Style(lxw_workbook* wb, const RenderOptions& options) : wb_(wb), options_(options) {}

  const RenderOptions& options() const { return options_; }

  lxw_error Text(lxw_worksheet* ws, size_t row, size_t col, const std::string& text, Look look, Widths* widths);

  // One figure: a number in report units (money in the chosen unit, rates as
  // fractions shown as percents), first rounded half-up to `places` (as every surface
  // shows it) and then written as the double closest to that decimal; "—" when not
  // applicable.
  lxw_error Figure(lxw_worksheet* ws, size_t row, size_t col, const Value& v, Unit unit, int places, Look look,
                   Widths* widths);

  // The title and unit line, the column widths and header heights, page setup and
  // frozen panes: call once, after the cells are written.
  lxw_error SetUpPrintedSheet(lxw_worksheet* ws, const PrintedSheet& sheet, const Widths& widths);

  // The number format of figures of `unit` shown with `places` decimals ("#,##0.00",
  // "0.0%"), as charts' axes use it.
  static std::string NumberFormatCode(Unit unit, int places);

 private:
  // Formats are made once per workbook and look (libxlsxwriter owns them).
  lxw_format* TextFormat(Look look);
  lxw_format* NumberFormat(Unit unit, int places, Look look);
  lxw_format* Banner(bool title);

  lxw_workbook* wb_;
  const RenderOptions& options_;
  std::map<Look, lxw_format*> text_;
  std::map<std::tuple<Unit, int, Look>, lxw_format*> numbers_;
  lxw_format* title_ = nullptr;
  lxw_format* unit_ = nullptr;
};

// "2024年1-9月" (January alone: "2024年1月"): the months a report as of `as_of` covers.
std::string PeriodTitle(Date as_of);

// "2024年1-9月全省重点项目建设进展情况表": the period, the scope's name and the subject.
std::string SheetTitle(const Report& report, std::string_view subject);

// "单位：万元、%、个": the units of a sheet's figures, each once, money first, then
// percents and counts; "" for none.
std::string UnitLine(const std::vector<Unit>& units, MoneyUnit money_unit);

// Writes a workbook to `path` whole or not at all: `write` fills it (libxlsxwriter
// writes to a file name: a temporary one beside `path`, published when complete --
// internal/file_io.h: an uncommitted output removes its temporary). No exception
// leaves it (an absl::FunctionRef, unlike a std::function, never allocates).
// Errors: the file cannot be written (Unavailable), `write` or libxlsxwriter fails.
absl::Status WriteWorkbook(const std::string& path, absl::FunctionRef<lxw_error(lxw_workbook*)> write);

}  // namespace keyproj::xlsx

#endif  // KEYPROJ_SRC_REPORT_XLSX_SHEET_H_
