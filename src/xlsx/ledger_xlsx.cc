// --data ledger.xlsx: each table's sheet as CSV text through the CSV loader, and the
// loader's diagnostics moved back to the sheet's cells (docs/ledger-loading.md,
// "Workbooks (.xlsx)").
#include <algorithm>
#include <cstdio>
#include <optional>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "csv/loader_parts.h"
#include "keyproj/csv_writer.h"
#include "keyproj/internal/file_io.h"
#include "keyproj/internal/no_throw.h"
#include "keyproj/internal/text.h"
#include "keyproj/ledger_builder.h"
#include "keyproj/report_xlsx.h"
#include "keyproj/xlsx_ledger.h"
#include "xlsx/workbook.h"

namespace keyproj {

using internal::Cat;

namespace {

// The sheet of region names (the folder's regions.csv).
bool IsRegionsSheet(std::string_view name) {
  name = internal::TrimAscii(name);
  return internal::EqualsIgnoreAsciiCase(name, "regions") || name == "行政区划" || name == "区划";
}

// Where each line of a sheet's CSV text came from.
struct SheetText {
  std::string csv;
  std::vector<int32_t> row_of_line;  // [line - 1]
  int32_t first_col = 1;             // the sheet column of field 1
};

int CountLineBreaks(std::string_view s) {
  int n = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\n') ++n;
    else if (s[i] == '\r') {
      ++n;
      if (i + 1 < s.size() && s[i + 1] == '\n') ++i;
    }
  }
  return n;
}

// The sheet as CSV text: a line per row from row 1 (rows without content are blank
// lines, so that line = row until a cell holding line breaks), a field per column
// from the first column with content to the last. A row with a cell that holds no
// value (an error, a formula without its result) is left blank, and reported.
absl::StatusOr<SheetText> ToCsv(const xlsx::Sheet& sheet, const std::string& workbook,
                                std::vector<const xlsx::Cell*>* problems) {
  SheetText out;
  int32_t first = INT32_MAX, last = 0;
  uint64_t text_bytes = 0;
  for (const xlsx::Cell& c : sheet.cells) {
    first = std::min(first, c.col);
    last = std::max(last, c.col);
    text_bytes += c.text.size() + 3;
  }
  if (sheet.cells.empty()) return out;
  // A cell at A1 and one at XFD1048576 would make 17 GB of commas: the text is
  // bounded as the workbook's inflated parts are (xlsx::Limits).
  const uint64_t rows = static_cast<uint64_t>(sheet.cells.back().row);
  const uint64_t size = rows * static_cast<uint64_t>(last - first + 1) + text_bytes;
  if (size > xlsx::Limits().total_bytes) {
    return absl::ResourceExhaustedError(Cat(workbook, ": sheet ", sheet.name, " spans ", rows, " rows and ",
                                            last - first + 1, " columns (", xlsx::CellName(1, first), " to ",
                                            xlsx::CellName(static_cast<int32_t>(rows), last),
                                            "); refused (a workbook too big to read)"));
  }
  out.first_col = first;
  const int32_t width = last - first + 1;
  size_t i = 0;
  int32_t row = 1;
  while (i < sheet.cells.size()) {
    const int32_t this_row = sheet.cells[i].row;
    for (; row < this_row; ++row) {
      out.csv.push_back('\n');
      out.row_of_line.push_back(row);
    }
    size_t end = i;
    bool bad = false;
    while (end < sheet.cells.size() && sheet.cells[end].row == this_row) {
      if (!sheet.cells[end].problem.empty()) {
        bad = true;
        problems->push_back(&sheet.cells[end]);
      }
      ++end;
    }
    int breaks = 0;
    if (!bad) {
      int32_t col = first;
      for (size_t k = i; k < end; ++k) {
        for (; col < sheet.cells[k].col; ++col) out.csv.push_back(',');
        AppendCsvField(&out.csv, sheet.cells[k].text);
        breaks += CountLineBreaks(sheet.cells[k].text);
      }
      for (; col < first + width - 1; ++col) out.csv.push_back(',');
    }
    out.csv.push_back('\n');
    for (int b = 0; b <= breaks; ++b) out.row_of_line.push_back(this_row);
    ++row;
    i = end;
  }
  return out;
}

using internal::kLoadOrder;  // the CSV loader's, to order this file's problems among its own

struct LoadedSheet {
  std::string name;
  int rank = 0;
  SheetText text;
};

// The sheet row of a line of the sheet's CSV text (0: none).
int64_t RowOf(const LoadedSheet& s, int64_t line) {
  return line > 0 && static_cast<size_t>(line) <= s.text.row_of_line.size()
             ? s.text.row_of_line[static_cast<size_t>(line - 1)]
             : line;
}

void Locate(Diagnostic& d, const LoadedSheet& s) {
  if (d.line <= 0) return;
  const auto row = static_cast<int32_t>(RowOf(s, d.line));
  d.line = row;
  if (d.column > 0) {
    d.column = s.text.first_col + d.column - 1;
    d.cell = xlsx::CellName(row, d.column);
  } else {
    d.cell = Cat(row, ":", row);
  }
}

// A sheet read and turned into CSV text; the problems of its cells (error values,
// formulas without a saved value) go to *problems, located already.
absl::StatusOr<LoadedSheet> ReadSheetText(xlsx::Workbook& wb, size_t index, const std::string& name, int rank,
                                          Diagnostics* problems) {
  absl::StatusOr<xlsx::Sheet> sheet = wb.ReadSheet(index);
  if (!sheet.ok()) return sheet.status();
  std::vector<const xlsx::Cell*> cells;
  absl::StatusOr<SheetText> text = ToCsv(*sheet, name, &cells);
  if (!text.ok()) return text.status();
  for (const xlsx::Cell* c : cells) {
    problems->push_back(Diagnostic{sheet->name, c->row, c->col, "", Cat(c->problem, "; the row was not read"),
                                   xlsx::CellName(c->row, c->col)});
  }
  return LoadedSheet{sheet->name, rank, *std::move(text)};
}

absl::StatusOr<Ledger> LoadWorkbook(std::string_view bytes, const std::string& name, const LoadOptions& options,
                                    Diagnostics* diagnostics, RegionNames* regions) {
  if (diagnostics != nullptr) diagnostics->clear();
  if (regions != nullptr) *regions = RegionNames();
  absl::StatusOr<xlsx::Workbook> wb = xlsx::Workbook::Open(bytes, name);
  if (!wb.ok()) return wb.status();
  if (!wb->CustomProperty(kReportXlsxMark).empty()) {
    return absl::InvalidArgumentError(
        Cat(name, " is a report written by keyproj report --format xlsx, not a ledger (load the ledger it was made from)"));
  }
  const std::vector<std::string>& names = wb->sheet_names();
  std::optional<size_t> sheet_of[kTableCount];
  std::optional<size_t> regions_sheet;
  Diagnostics own;  // problems found here, located already
  for (size_t i = 0; i < names.size(); ++i) {
    if (IsRegionsSheet(names[i])) {
      if (!regions_sheet) regions_sheet = i;
      continue;
    }
    const std::optional<Table> t = ParseEnum<Table>(names[i]);
    if (!t) continue;  // other sheets (notes, charts) are not the ledger's
    std::optional<size_t>& slot = sheet_of[static_cast<int>(*t)];
    if (slot) {
      own.push_back(Diagnostic{names[i], 0, 0, "",
                               Cat("a second sheet for the ", TableName(*t), " table (first: ", names[*slot],
                                   "); not read")});
      continue;
    }
    slot = i;
  }
  if (!sheet_of[static_cast<int>(Table::kProjects)]) {
    std::string listed;
    for (const std::string& n : names) internal::Append(&listed, listed.empty() ? "" : ", ", n);
    return absl::NotFoundError(Cat(name,
                                   " has no projects sheet (named 项目, 项目基本信息, 项目台账, 重点项目 or projects); "
                                   "its sheets: ",
                                   listed.empty() ? "none" : listed));
  }

  std::vector<LoadedSheet> loaded;
  std::vector<internal::TableInput> inputs;
  for (int k = 0; k < kTableCount; ++k) {
    const Table t = kLoadOrder[k];
    if (!sheet_of[static_cast<int>(t)]) continue;
    absl::StatusOr<LoadedSheet> ls = ReadSheetText(*wb, *sheet_of[static_cast<int>(t)], name, k, &own);
    if (!ls.ok()) return ls.status();
    // An empty sheet is no table (as an empty CSV file), except projects, whose
    // emptiness the loader reports.
    if (ls->text.csv.empty() && t != Table::kProjects) continue;
    inputs.push_back({t, ls->name, ls->text.csv});
    loaded.push_back(*std::move(ls));
  }

  LoadOptions csv_options = options;
  csv_options.encoding = Encoding::kUtf8;
  Diagnostics all;
  absl::StatusOr<Ledger> ledger = internal::LoadTableInputs(inputs, csv_options, &all);
  for (Diagnostic& d : all) {
    for (const LoadedSheet& s : loaded) {
      if (d.file == s.name) Locate(d, s);
    }
  }
  auto rank = [&](const Diagnostic& d) {
    for (const LoadedSheet& s : loaded) {
      if (d.file == s.name) return s.rank;
    }
    return kTableCount;
  };
  all.insert(all.end(), own.begin(), own.end());
  std::stable_sort(all.begin(), all.end(), [&](const Diagnostic& a, const Diagnostic& b) {
    const int ra = rank(a), rb = rank(b);
    if (ra != rb) return ra < rb;
    if (a.line != b.line) return a.line < b.line;
    return a.column < b.column;
  });

  if (regions_sheet && (ledger.ok() || absl::IsInvalidArgument(ledger.status()))) {
    absl::StatusOr<LoadedSheet> ls = ReadSheetText(*wb, *regions_sheet, name, kTableCount, &all);
    if (!ls.ok()) return ls.status();
    Diagnostics found;
    RegionNames parsed = ParseRegionNames(ls->text.csv, ls->name, Encoding::kUtf8, &found);
    for (Diagnostic& d : found) {
      Locate(d, *ls);
      all.push_back(std::move(d));
    }
    if (regions != nullptr) *regions = std::move(parsed);
  }

  // The layouts the loader found (title, unit row, 合计, footer) name CSV lines: the
  // sheets' rows instead.
  if (ledger.ok() && !ledger->layouts().empty()) {
    std::vector<TableLayout> layouts = ledger->layouts();
    for (TableLayout& l : layouts) {
      for (const LoadedSheet& s : loaded) {
        if (l.file != s.name) continue;
        auto row = [&](int64_t& line) { line = RowOf(s, line); };
        row(l.header_line);
        row(l.unit_line);
        for (LayoutLine& n : l.notes) row(n.line);
        for (LayoutTotal& t : l.totals) row(t.line);
        for (LayoutLine& n : l.sections) row(n.line);
        for (LayoutLine& n : l.footers) row(n.line);
      }
    }
    internal::SetTableLayouts(*ledger, std::move(layouts));
  }

  absl::Status status = ledger.status();
  const bool problems = !all.empty();
  if (problems && !options.lenient && (status.ok() || absl::IsInvalidArgument(status))) {
    status = DiagnosticsStatus(all);
  }
  if (diagnostics != nullptr) *diagnostics = std::move(all);
  if (!status.ok()) return status;
  return ledger;
}

}  // namespace

bool IsZipFile(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return false;
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return false;
  char magic[4] = {};
  const size_t n = std::fread(magic, 1, sizeof(magic), f);
  std::fclose(f);
  return n == 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4;
}

absl::StatusOr<Ledger> LoadXlsxLedger(std::string_view bytes, const std::string& name, const LoadOptions& options,
                                      Diagnostics* diagnostics, RegionNames* regions) {
  return internal::NoThrow("loading the workbook", [&]() -> absl::StatusOr<Ledger> {
    return LoadWorkbook(bytes, name, options, diagnostics, regions);
  });
}

absl::StatusOr<Ledger> LoadXlsxLedger(const std::filesystem::path& path, const LoadOptions& options,
                                      Diagnostics* diagnostics, RegionNames* regions) {
  return internal::NoThrow("loading the workbook", [&]() -> absl::StatusOr<Ledger> {
    if (diagnostics != nullptr) diagnostics->clear();
    absl::StatusOr<internal::FileBytes> bytes = internal::ReadFileBytes(path.string());
    if (!bytes.ok()) return bytes.status();
    return LoadWorkbook(bytes->bytes(), path.filename().string(), options, diagnostics, regions);
  });
}

}  // namespace keyproj
