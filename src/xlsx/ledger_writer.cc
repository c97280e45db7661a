// WriteXlsxLedger: a ledger as a bureau's workbook (keyproj generate --format xlsx).
// The cells come from the CSV writer's text (one place for how a value is written),
// typed per column: dates as Excel dates, money as numbers where a double holds the
// decimal exactly, everything else as text.
#include <xlsxwriter.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "csv/csv_reader.h"
#include "csv/csv_schema.h"
#include "keyproj/csv_writer.h"
#include "keyproj/date.h"
#include "keyproj/internal/file_io.h"
#include "keyproj/internal/no_throw.h"
#include "keyproj/internal/project_fields.h"
#include "keyproj/internal/text.h"
#include "keyproj/money.h"
#include "keyproj/xlsx_ledger.h"
#include "xlsx/workbook.h"

namespace keyproj {

using internal::Cat;

namespace {

enum class Kind : uint8_t { kText, kMoney, kDate, kMonth };

Kind KindOf(Table table, std::string_view id) {
  if (table == Table::kProjects) {
    for (const internal::ProjectField& f : internal::ProjectFields()) {
      if (f.id != id) continue;
      if (f.kind == internal::FieldKind::kMoney) return Kind::kMoney;
      if (f.kind == internal::FieldKind::kDate) return Kind::kDate;
      return Kind::kText;
    }
    return Kind::kText;
  }
  if (id == "month") return Kind::kMonth;
  if (id.ends_with("_on") || id == "due") return Kind::kDate;
  for (const CsvColumn& c : CsvColumns(table)) {
    if (c.id == id && c.chinese.find("万元") != std::string_view::npos) return Kind::kMoney;
  }
  return Kind::kText;
}

// Excel's serial number of a day (1900 system: from 1900-03-01 on, days since
// 1899-12-30; before, since 1899-12-31, Excel counting a 1900-02-29 between).
std::optional<double> Serial(std::string_view iso) {
  std::optional<Date> d = iso.size() == 7 ? std::optional<Date>() : Date::Parse(iso);
  if (iso.size() == 7) {
    if (std::optional<Month> m = Month::Parse(iso)) d = m->first_day();
  }
  if (!d || d->ymd().year < 1900) return std::nullopt;
  const int32_t days = d->days();
  const int32_t march1900 = internal::civil::DaysFromCivil(1900, 3, 1);
  return static_cast<double>(days - internal::civil::DaysFromCivil(1899, 12, days >= march1900 ? 30 : 31));
}

// The decimal as a double when the workbook will hold this decimal: libxlsxwriter
// writes a number as "%.16G", and 16 digits of the nearest double are not always the
// decimal (86973.6 is written 86973.60000000001). Such a value is written as text.
std::optional<double> ExactNumber(std::string_view decimal) {
  std::string s(decimal);
  s.erase(std::remove(s.begin(), s.end(), ','), s.end());
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (s.empty() || end != s.c_str() + s.size()) return std::nullopt;
  char written[64];
  std::snprintf(written, sizeof(written), "%.16G", v);
  auto trimmed = [](std::string t) {  // "100.00" -> "100", "-0" -> "0"
    if (t.find('.') != std::string::npos) {
      while (t.back() == '0') t.pop_back();
      if (t.back() == '.') t.pop_back();
    }
    if (t == "-0") t = "0";
    return t;
  };
  const std::optional<std::string> plain = xlsx::PlainDecimal(written);
  if (!plain || trimmed(*plain) != trimmed(s)) return std::nullopt;
  return v;
}

struct Formats {
  lxw_format* title = nullptr;
  lxw_format* header = nullptr;
  lxw_format* text = nullptr;
  lxw_format* money = nullptr;
  lxw_format* date = nullptr;
  lxw_format* month = nullptr;
};

std::string Check(lxw_error e) { return e == LXW_NO_ERROR ? "" : lxw_strerror(e); }

// One table's sheet. `english` and `chinese` are the CSV writer's text of the table
// with English and Chinese headers (the same rows).
absl::Status WriteTable(lxw_workbook* wb, const Formats& f, Table table, std::string_view english,
                        std::string_view chinese, const XlsxLedgerOptions& options, int year) {
  internal::CsvReader en(english), zh(chinese);
  if (!en.Next() || !zh.Next()) return absl::OkStatus();
  std::vector<std::string> ids, headers;
  for (std::string_view h : en.fields()) ids.emplace_back(h);
  for (std::string_view h : zh.fields()) headers.emplace_back(h);
  std::vector<Kind> kinds;
  bool any_money = false;
  for (const std::string& id : ids) {
    kinds.push_back(KindOf(table, id));
    any_money |= kinds.back() == Kind::kMoney;
  }
  const std::string sheet_name(FindEnumEntry(table)->label);
  lxw_worksheet* ws = workbook_add_worksheet(wb, sheet_name.c_str());
  if (ws == nullptr) return absl::InternalError(Cat("cannot add the sheet ", sheet_name));
  const bool bureau = options.bureau_layout;
  const lxw_col_t first = bureau ? 1 : 0;  // column A holds 序号
  lxw_row_t row = 0;
  if (bureau) {
    const std::string title = Cat(year, "年", options.title_place, "重点项目台账（", sheet_name, "）");
    const lxw_col_t last = static_cast<lxw_col_t>(first + headers.size() - 1);
    worksheet_merge_range(ws, 0, 0, 0, last, title.c_str(), f.title);
    row = 1;
    if (any_money) {
      worksheet_write_string(ws, row, 0, "单位：万元", nullptr);
      ++row;
    }
    worksheet_write_string(ws, row, 0, "序号", f.header);
  }
  for (size_t c = 0; c < headers.size(); ++c) {
    worksheet_write_string(ws, row, static_cast<lxw_col_t>(first + c), headers[c].c_str(), f.header);
  }
  worksheet_set_column(ws, 0, static_cast<lxw_col_t>(first + headers.size()), 14, nullptr);
  ++row;
  std::vector<MoneySum> sums(ids.size());
  int64_t n = 0;
  while (en.Next()) {
    ++n;
    if (bureau) worksheet_write_number(ws, row, 0, static_cast<double>(n), nullptr);
    const auto fields = en.fields();
    for (size_t c = 0; c < fields.size() && c < ids.size(); ++c) {
      const std::string value(fields[c]);
      if (value.empty()) continue;
      const lxw_col_t col = static_cast<lxw_col_t>(first + c);
      std::optional<double> number;
      lxw_format* format = f.text;
      switch (kinds[c]) {
        case Kind::kMoney:
          number = ExactNumber(value);
          format = f.money;
          if (absl::StatusOr<Money> m = Money::ParseWan(value); m.ok()) sums[c] += *m;
          break;
        case Kind::kDate:
          number = Serial(value);
          format = f.date;
          break;
        case Kind::kMonth:
          number = Serial(value);
          format = f.month;
          break;
        case Kind::kText: break;
      }
      const lxw_error e = number ? worksheet_write_number(ws, row, col, *number, format)
                                 : worksheet_write_string(ws, row, col, value.c_str(), f.text);
      if (e != LXW_NO_ERROR) return absl::InternalError(Cat("cannot write ", sheet_name, ": ", Check(e)));
    }
    ++row;
  }
  if (!bureau) return absl::OkStatus();
  if (any_money) {
    worksheet_write_string(ws, row, 0, "合计", f.header);
    for (size_t c = 0; c < ids.size(); ++c) {
      if (kinds[c] != Kind::kMoney) continue;
      const std::string sum = sums[c].ToWanString();
      const lxw_col_t col = static_cast<lxw_col_t>(first + c);
      if (std::optional<double> v = ExactNumber(sum)) {
        worksheet_write_number(ws, row, col, *v, f.money);
      } else {
        worksheet_write_string(ws, row, col, sum.c_str(), f.text);
      }
    }
    ++row;
  }
  const YearMonthDay filed = options.filed_on.ymd();
  const std::string footer = Cat("填报单位：", options.unit_name, "    填报人：", options.reporter, "    填报日期：",
                                 filed.year, "年", filed.month, "月", filed.day, "日");
  worksheet_write_string(ws, row, 0, footer.c_str(), nullptr);
  return absl::OkStatus();
}

}  // namespace

absl::Status WriteXlsxLedger(const Ledger& ledger, const RegionNames* regions, const std::filesystem::path& path,
                             const XlsxLedgerOptions& options) {
  return internal::NoThrow("writing the workbook", [&]() -> absl::Status {
    WriteOptions en_options, zh_options;
    zh_options.chinese_headers = true;
    absl::StatusOr<std::vector<CsvInput>> en = WriteCsvLedgerToMemory(ledger, en_options);
    if (!en.ok()) return en.status();
    absl::StatusOr<std::vector<CsvInput>> zh = WriteCsvLedgerToMemory(ledger, zh_options);
    if (!zh.ok()) return zh.status();
    const int year = options.year != 0 ? options.year : options.filed_on.ymd().year;

    absl::StatusOr<internal::AtomicOutput> output = internal::AtomicOutput::Begin(path.string());
    if (!output.ok()) return output.status();
    lxw_workbook_options wo{};
    wo.constant_memory = LXW_FALSE;
    lxw_workbook* wb = workbook_new_opt(output->temp_path().c_str(), &wo);
    if (wb == nullptr) return absl::UnavailableError(Cat("cannot write ", path.string()));
    absl::Status status;
    try {
      Formats f;
      f.title = workbook_add_format(wb);
      format_set_bold(f.title);
      format_set_font_size(f.title, 16);
      format_set_align(f.title, LXW_ALIGN_CENTER);
      f.header = workbook_add_format(wb);
      format_set_bold(f.header);
      format_set_border(f.header, LXW_BORDER_THIN);
      f.text = workbook_add_format(wb);
      format_set_num_format_index(f.text, 49);  // "@": codes stay text when edited
      f.money = workbook_add_format(wb);
      format_set_num_format(f.money, "#,##0.00####");
      f.date = workbook_add_format(wb);
      format_set_num_format(f.date, "yyyy-mm-dd");
      f.month = workbook_add_format(wb);
      format_set_num_format(f.month, "yyyy-mm");
      for (size_t i = 0; i < en->size() && status.ok(); ++i) {
        const std::string& name = (*en)[i].name;
        for (int t = 0; t < kTableCount; ++t) {
          if (name == CsvFileName(static_cast<Table>(t))) {
            status = WriteTable(wb, f, static_cast<Table>(t), (*en)[i].bytes, (*zh)[i].bytes, options, year);
          }
        }
      }
      if (status.ok() && regions != nullptr && !regions->empty()) {
        lxw_worksheet* ws = workbook_add_worksheet(wb, "行政区划");
        worksheet_write_string(ws, 0, 0, "行政区划代码", f.header);
        worksheet_write_string(ws, 0, 1, "名称", f.header);
        std::vector<std::pair<int32_t, std::string>> sorted(regions->all().begin(), regions->all().end());
        std::sort(sorted.begin(), sorted.end());
        lxw_row_t row = 1;
        for (const auto& [code, name] : sorted) {
          worksheet_write_string(ws, row, 0, std::to_string(code).c_str(), f.text);
          worksheet_write_string(ws, row, 1, name.c_str(), f.text);
          ++row;
        }
      }
    } catch (const std::exception& e) {
      lxw_workbook_free(wb);
      return absl::InternalError(Cat("cannot write ", path.string(), ": ", e.what()));
    }
    if (!status.ok()) {
      lxw_workbook_free(wb);
      return status;
    }
    if (const lxw_error e = workbook_close(wb); e != LXW_NO_ERROR) {
      return absl::UnavailableError(Cat("cannot write ", path.string(), ": ", lxw_strerror(e)));
    }
    return output->Commit();
  });
}

}  // namespace keyproj
