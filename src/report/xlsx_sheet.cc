// The printed look of the workbook's sheets (xlsx_sheet.h).
#include "xlsx_sheet.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <system_error>

#include "keyproj/internal/file_io.h"
#include "keyproj/internal/no_throw.h"
#include "keyproj/internal/text.h"
#include "keyproj/internal/text_table.h"
#include "keyproj/report_xlsx.h"

namespace keyproj::xlsx {

using ::keyproj::internal::Cat;
using ::keyproj::internal::DisplayWidth;
namespace {

constexpr double kMinWidth = 6;
constexpr double kMaxWidth = 60;
// A header wider than this wraps rather than widening its column: a dashboard of
// twenty indicators then still prints one page wide at a readable size.
constexpr int kHeaderWrap = 12;
// Excel's width unit is a digit of the default font; a CJK character of the fonts
// Excel and LibreOffice fall back to is a little wider than two.
constexpr double kCharWidth = 1.15;
constexpr double kLineHeight = 14.25;  // points: one line of the default 11pt font
constexpr double kTitleHeight = 30;

// Text of a number as its format shows it, for column widths: thousands separators
// for counts and money.
std::string ShownNumber(std::string_view decimal, Unit unit) {
  std::string out(decimal);
  if (unit == Unit::kRate) return out + "%";
  if (unit != Unit::kCount && unit != Unit::kMoney) return out;
  size_t start = out.starts_with('-') ? 1 : 0;
  size_t end = std::min(out.find('.'), out.size());
  for (size_t i = end; i > start + 3; i -= 3) out.insert(i - 3, ",");
  return out;
}

}  // namespace

// ---- widths ----------------------------------------------------------------------

void Widths::Grow(size_t col) {
  if (col >= body_.size()) {
    body_.resize(col + 1, kMinWidth);
    header_.resize(col + 1, 0);
  }
}

void Widths::See(size_t col, std::string_view text) {
  Grow(col);
  body_[col] = std::clamp(kCharWidth * static_cast<double>(DisplayWidth(text)) + 2, body_[col], kMaxWidth);
}

void Widths::SeeHeader(size_t col, std::string_view text) {
  Grow(col);
  header_[col] = std::max(header_[col], static_cast<int>(DisplayWidth(text)));
}

double Widths::Width(size_t col) const {
  if (col >= body_.size()) return kMinWidth;
  return std::clamp(std::max(body_[col], kCharWidth * std::min(header_[col], kHeaderWrap) + 2), kMinWidth, kMaxWidth);
}

int Widths::HeaderLines(size_t col) const {
  if (col >= header_.size() || header_[col] == 0) return 1;
  // A line holds the width less the cell's padding, and a CJK character does not split.
  const int line = std::max(2, static_cast<int>((Width(col) - 1) / kCharWidth));
  return (header_[col] + line - 1) / line;
}

// ---- formats ---------------------------------------------------------------------

std::string Style::NumberFormatCode(Unit unit, int places) {
  const std::string decimals = places > 0 ? Cat(".", std::string(static_cast<size_t>(places), '0')) : "";
  switch (unit) {
    case Unit::kCount:
    case Unit::kMoney: return Cat("#,##0", decimals);
    case Unit::kRate: return Cat("0", decimals, "%");
    case Unit::kPoints:
    case Unit::kMultiple:
    case Unit::kMonths: return Cat("0", decimals);
  }
  return "General";
}

lxw_format* Style::TextFormat(Look look) {
  auto [it, added] = text_.try_emplace(look, nullptr);
  if (!added) return it->second;
  lxw_format* f = workbook_add_format(wb_);
  if (f == nullptr) return nullptr;
  format_set_border(f, LXW_BORDER_THIN);
  format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
  if (look == Look::kHeader) {
    format_set_bold(f);
    format_set_text_wrap(f);
    format_set_align(f, LXW_ALIGN_CENTER);
  }
  if (look == Look::kTotal) format_set_bold(f);
  it->second = f;
  return f;
}

lxw_format* Style::NumberFormat(Unit unit, int places, Look look) {
  auto [it, added] = numbers_.try_emplace({unit, places, look}, nullptr);
  if (!added) return it->second;
  lxw_format* f = workbook_add_format(wb_);
  if (f == nullptr) return nullptr;
  format_set_num_format(f, NumberFormatCode(unit, places).c_str());
  format_set_border(f, LXW_BORDER_THIN);
  format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
  if (look == Look::kTotal) format_set_bold(f);
  it->second = f;
  return f;
}

lxw_format* Style::Banner(bool title) {
  lxw_format*& f = title ? title_ : unit_;
  if (f != nullptr) return f;
  f = workbook_add_format(wb_);
  if (f == nullptr) return nullptr;
  format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
  if (title) {
    format_set_bold(f);
    format_set_font_size(f, 16);
    format_set_align(f, LXW_ALIGN_CENTER);
  } else {
    format_set_align(f, LXW_ALIGN_RIGHT);
  }
  return f;
}

// ---- cells -----------------------------------------------------------------------

lxw_error Style::Text(lxw_worksheet* ws, size_t row, size_t col, const std::string& text, Look look,
                      Widths* widths) {
  if (look == Look::kHeader) {
    widths->SeeHeader(col, text);
  } else {
    widths->See(col, text);
  }
  lxw_format* format = TextFormat(look);
  if (format == nullptr) return LXW_ERROR_MEMORY_MALLOC_FAILED;
  return worksheet_write_string(ws, static_cast<lxw_row_t>(row), static_cast<lxw_col_t>(col), text.c_str(), format);
}

lxw_error Style::Figure(lxw_worksheet* ws, size_t row, size_t col, const Value& v, Unit unit, int places, Look look,
                        Widths* widths) {
  if (!v.applicable()) return Text(ws, row, col, "—", look, widths);
  places = std::clamp(places, 0, 12);
  std::string decimal;
  switch (unit) {
    case Unit::kMoney: {
      const int64_t unit_fen = options_.money_unit == MoneyUnit::kYi ? kFenPerYi : kFenPerWan;
      decimal = Value::Ratio(v.num(), v.den() * unit_fen).Decimal(places);
      break;
    }
    case Unit::kRate: decimal = v.Decimal(places + 2); break;
    default: decimal = v.Decimal(places); break;
  }
  // The double closest to the decimal (from_chars: correctly rounded, unlike strtod
  // independent of the C locale).
  double number = 0;
  const auto [end, ec] = std::from_chars(decimal.data(), decimal.data() + decimal.size(), number);
  if (ec != std::errc() || end != decimal.data() + decimal.size()) {
    return Text(ws, row, col, decimal, look, widths);  // out of double's range: keep the text
  }
  lxw_format* format = NumberFormat(unit, places, look);
  if (format == nullptr) return LXW_ERROR_MEMORY_MALLOC_FAILED;
  widths->See(col, ShownNumber(unit == Unit::kRate ? v.Decimal(places, 2) : decimal, unit));
  return worksheet_write_number(ws, static_cast<lxw_row_t>(row), static_cast<lxw_col_t>(col), number, format);
}

// ---- the printed sheet -------------------------------------------------------------

lxw_error Style::SetUpPrintedSheet(lxw_worksheet* ws, const PrintedSheet& sheet, const Widths& widths) {
  const size_t columns = std::max<size_t>({sheet.columns, widths.columns(), 1});
  const auto last_col = static_cast<lxw_col_t>(columns - 1);
  for (size_t c = 0; c < columns; ++c) {
    const auto col = static_cast<lxw_col_t>(c);
    if (lxw_error e = worksheet_set_column(ws, col, col, widths.Width(c), nullptr); e != LXW_NO_ERROR) return e;
  }
  // The title and the unit line span the table (a merged range needs two cells).
  for (const bool title : {true, false}) {
    const std::string& text = title ? sheet.title : sheet.unit_line;
    if (text.empty()) continue;
    lxw_format* format = Banner(title);
    if (format == nullptr) return LXW_ERROR_MEMORY_MALLOC_FAILED;
    const auto row = static_cast<lxw_row_t>(title ? kTitleRow : kUnitRow);
    const lxw_error e = columns > 1 ? worksheet_merge_range(ws, row, 0, row, last_col, text.c_str(), format)
                                    : worksheet_write_string(ws, row, 0, text.c_str(), format);
    if (e != LXW_NO_ERROR) return e;
  }
  if (lxw_error e = worksheet_set_row(ws, static_cast<lxw_row_t>(kTitleRow), kTitleHeight, nullptr);
      e != LXW_NO_ERROR) {
    return e;
  }
  // Wrapped headers: as many lines as the most wrapped one (Excel does not fit the
  // height of a row itself when it opens a file).
  int lines = 1;
  for (size_t c = 0; c < columns; ++c) lines = std::max(lines, widths.HeaderLines(c));
  const size_t header_end = kHeaderRow + std::max<size_t>(sheet.header_rows, 1);
  for (size_t r = kHeaderRow; r < header_end; ++r) {
    if (lxw_error e = worksheet_set_row(ws, static_cast<lxw_row_t>(r), kLineHeight * lines + 4, nullptr);
        e != LXW_NO_ERROR) {
      return e;
    }
  }

  worksheet_set_landscape(ws);
  worksheet_set_paper(ws, 9);  // A4
  worksheet_fit_to_pages(ws, 1, sheet.pages_tall);  // one page wide
  worksheet_center_horizontally(ws);
  worksheet_set_margins(ws, 0.4, 0.4, 0.6, 0.6);
  if (lxw_error e = worksheet_set_footer(ws, "&C第 &P 页，共 &N 页"); e != LXW_NO_ERROR) return e;
  if (lxw_error e = worksheet_repeat_rows(ws, static_cast<lxw_row_t>(kTitleRow), static_cast<lxw_row_t>(header_end - 1));
      e != LXW_NO_ERROR) {
    return e;
  }
  worksheet_freeze_panes(ws, static_cast<lxw_row_t>(header_end), static_cast<lxw_col_t>(sheet.frozen_columns));
  return LXW_NO_ERROR;
}

// ---- titles ----------------------------------------------------------------------

std::string PeriodTitle(Date as_of) {
  const YearMonthDay ymd = as_of.ymd();
  return ymd.month == 1 ? Cat(ymd.year, "年1月") : Cat(ymd.year, "年1-", ymd.month, "月");
}

std::string SheetTitle(const Report& report, std::string_view subject) {
  return Cat(PeriodTitle(report.query.as_of), report.scope_name, subject);
}

std::string UnitLine(const std::vector<Unit>& units, MoneyUnit money_unit) {
  // Money first, then percents, as bureaus write it (单位：亿元、%、个).
  std::vector<std::string_view> seen;
  for (Unit u : {Unit::kMoney, Unit::kRate, Unit::kCount, Unit::kPoints, Unit::kMultiple, Unit::kMonths}) {
    if (std::find(units.begin(), units.end(), u) != units.end()) seen.push_back(UnitSuffix(u, money_unit));
  }
  if (seen.empty()) return "";
  std::string out = "单位：";
  for (size_t i = 0; i < seen.size(); ++i) out += Cat(i > 0 ? "、" : "", seen[i]);
  return out;
}

namespace {

absl::Status LxwError(const std::string& path, lxw_error e) {
  std::string message = internal::Cat("cannot write ", path, ": ", lxw_strerror(e));
  switch (e) {
    case LXW_ERROR_CREATING_XLSX_FILE:
    case LXW_ERROR_CREATING_TMPFILE:
    case LXW_ERROR_READING_TMPFILE:
    case LXW_ERROR_ZIP_FILE_OPERATION:
    case LXW_ERROR_ZIP_CLOSE:
      return absl::UnavailableError(message);
    default:
      return absl::InternalError(message);
  }
}

}  // namespace

absl::Status WriteWorkbook(const std::string& path, absl::FunctionRef<lxw_error(lxw_workbook*)> write) {
  return internal::NoThrow("writing the workbook", [&]() -> absl::Status {
    absl::StatusOr<internal::AtomicOutput> output = internal::AtomicOutput::Begin(path);
    if (!output.ok()) return output.status();
    const std::string& temp = output->temp_path();
    lxw_workbook* wb = nullptr;
    try {
      // Small workbooks: the sheets stay in memory (constant_memory would write strings
      // inline instead of to the shared table); libxlsxwriter's own temporary files go to
      // the system temporary directory.
      lxw_workbook_options workbook_options{};
      workbook_options.constant_memory = LXW_FALSE;
      workbook_options.tmpdir = nullptr;
      workbook_options.use_zip64 = LXW_FALSE;
      wb = workbook_new_opt(temp.c_str(), &workbook_options);
      lxw_error e = wb == nullptr ? LXW_ERROR_MEMORY_MALLOC_FAILED
                                  : workbook_set_custom_property_string(wb, std::string(kReportXlsxMark).c_str(),
                                                                        KEYPROJ_VERSION);
      if (e == LXW_NO_ERROR) e = write(wb);
      if (e != LXW_NO_ERROR) {
        lxw_workbook_free(wb);
        wb = nullptr;
      } else {
        e = workbook_close(wb);  // frees wb, whatever it returns
        wb = nullptr;
      }
      if (e != LXW_NO_ERROR) return LxwError(path, e);
      return output->Commit();
    } catch (const std::exception& e) {  // std::bad_alloc from the strings and maps of `write`
      lxw_workbook_free(wb);
      return absl::InternalError(internal::Cat("cannot write ", path, ": ", e.what()));
    }
  });
}

}  // namespace keyproj::xlsx
