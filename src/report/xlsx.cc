// A report as an .xlsx workbook, written with libxlsxwriter.
//
// Figures go in as numbers in report units (money in 万元 or 亿元, rates as
// fractions), each first rounded half-up to its display places by Value::Decimal and
// then read back as the double closest to that decimal, so a cell holds exactly the
// figure the other surfaces show; a number format shows the places.

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include <xlsxwriter.h>

#include "absl/status/status.h"
#include "keyproj/dossier.h"
#include "keyproj/query.h"
#include "keyproj/report.h"
#include "keyproj/report_xlsx.h"
#include "keyproj/targets.h"
#include "keyproj/internal/text.h"
#include "keyproj/value.h"
#include "keyproj/internal/file_io.h"
#include "keyproj/internal/no_throw.h"
#include "xlsx_charts.h"
#include "xlsx_sheet.h"

namespace keyproj {

using ::keyproj::internal::Cat;
using ::keyproj::internal::Append;
using ::keyproj::internal::AsciiLower;
namespace {

constexpr int kSheetNameMax = 31;  // Excel's limit (UTF-16 units); libxlsxwriter counts code points

// ---- sheet names ---------------------------------------------------------------------

// Width of one character in Excel's count: a character outside the BMP is two UTF-16
// units. libxlsxwriter counts code points (bytes that are not continuation bytes), a
// count this never exceeds.
int NameUnits(unsigned char lead) { return lead >= 0xF0 ? 2 : 1; }

// `name` cut to at most `max_units` characters, never inside a UTF-8 sequence.
std::string CutName(std::string_view name, int max_units) {
  int units = 0;
  size_t i = 0;
  while (i < name.size()) {
    const auto lead = static_cast<unsigned char>(name[i]);
    size_t len = 1;
    while (i + len < name.size() && (static_cast<unsigned char>(name[i + len]) & 0xC0) == 0x80) ++len;
    if (units + NameUnits(lead) > max_units) break;
    units += NameUnits(lead);
    i += len;
  }
  return std::string(name.substr(0, i));
}

std::string AsciiLowerCopy(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = AsciiLower(c);
  return out;
}

// Hands out sheet names Excel accepts: without []:*?/\, not starting or ending with an
// apostrophe, 1..31 characters, unique ignoring ASCII case (as libxlsxwriter and
// Excel compare them), and never "History" (reserved by English Excel).
class SheetNames {
 public:
  std::string Take(std::string_view wanted, std::string_view fallback) {
    std::string clean;
    for (char c : wanted) {
      if (std::string_view("[]:*?/\\").find(c) != std::string_view::npos) continue;
      clean.push_back(c);
    }
    std::string base = CutName(Trim(clean), kSheetNameMax);
    base = std::string(Trim(base));
    if (base.empty()) base = std::string(fallback);
    std::string name = base;
    for (int n = 2; used_.contains(AsciiLowerCopy(name)); ++n) {
      const std::string suffix = Cat(" (", n, ")");
      name = Cat(Trim(CutName(base, kSheetNameMax - static_cast<int>(suffix.size()))), suffix);
    }
    used_.insert(AsciiLowerCopy(name));
    return name;
  }

 private:
  // Without apostrophes and spaces at either end.
  static std::string_view Trim(std::string_view s) {
    while (!s.empty() && (s.front() == '\'' || s.front() == ' ')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == '\'' || s.back() == ' ')) s.remove_suffix(1);
    return s;
  }
  std::set<std::string> used_ = {"history"};
};

// ---- one workbook --------------------------------------------------------------------

using xlsx::kHeaderRow;
using xlsx::Look;
using xlsx::PrintedSheet;
using xlsx::SheetTitle;
using xlsx::Widths;

// The first body row of a sheet with one header row.
constexpr size_t kBodyRow = kHeaderRow + 1;

class Writer {
 public:
  Writer(lxw_workbook* wb, const Ledger& ledger, const Report& report, const RenderOptions& options,
         const xlsx::ChartData* charts)
      : wb_(wb), ledger_(ledger), report_(report), options_(options), charts_(charts), style_(wb, options) {}

  lxw_error Write() {
    // Names first, so that the fixed sheets give way to tables that took theirs.
    std::vector<std::string> table_names;
    for (size_t t = 0; t < report_.tables.size(); ++t) {
      table_names.push_back(names_.Take(report_.tables[t].title, Cat("表", t + 1)));
    }
    const std::string funnel_name = report_.funnel ? names_.Take("招商漏斗", "招商漏斗") : "";
    for (size_t t = 0; t < report_.tables.size(); ++t) {
      const ReportTable& table = report_.tables[t];
      const std::string subject =
          table.result.group_by.empty() ? "重点项目建设进展情况表" : Cat("重点项目建设进展情况表（", table.title, "）");
      if (lxw_error e = WriteTable(table, table_names[t], SheetTitle(report_, subject)); e != LXW_NO_ERROR) return e;
    }
    if (report_.funnel) {
      if (lxw_error e = WriteTable(*report_.funnel, funnel_name, SheetTitle(report_, Cat(kFunnelTitle, "表")));
          e != LXW_NO_ERROR) {
        return e;
      }
    }
    if (std::any_of(report_.tables.begin(), report_.tables.end(),
                    [](const ReportTable& t) { return !t.targets.empty(); })) {
      if (lxw_error e = WriteTargets(names_.Take("目标", "目标")); e != LXW_NO_ERROR) return e;
    }
    if (report_.targets && report_.targets->set->tasks_group_by) {
      if (lxw_error e = WriteTasks(names_.Take("任务分解", "任务分解")); e != LXW_NO_ERROR) return e;
    }
    if (lxw_error e = WriteProjects(); e != LXW_NO_ERROR) return e;
    if (charts_ != nullptr && !charts_->empty()) {
      const std::string name = names_.Take("图表", "图表");
      lxw_worksheet* ws = AddSheet(name);
      if (ws == nullptr) return LXW_ERROR_PARAMETER_VALIDATION;
      if (lxw_error e = xlsx::WriteCharts(wb_, ws, name, report_, *charts_, &style_); e != LXW_NO_ERROR) return e;
    }
    if (report_.tables.empty() && !report_.funnel) {
      // A workbook needs a sheet; an empty report gives an empty one.
      if (AddSheet(names_.Take(report_.scope_name, "Sheet1")) == nullptr) return LXW_ERROR_PARAMETER_VALIDATION;
    }
    return LXW_NO_ERROR;
  }

 private:
  lxw_worksheet* AddSheet(const std::string& name) { return workbook_add_worksheet(wb_, name.c_str()); }

  lxw_error WriteTable(const ReportTable& table, const std::string& name, const std::string& title) {
    lxw_worksheet* ws = AddSheet(name);
    if (ws == nullptr) return LXW_ERROR_PARAMETER_VALIDATION;
    const Result& r = table.result;
    Widths widths;
    // Group columns: one per dimension, or "范围" when there is no group-by.
    const size_t groups = std::max<size_t>(r.group_by.size(), 1);
    for (size_t g = 0; g < groups; ++g) {
      const std::string header = r.group_by.empty() ? "范围" : std::string(DimensionLabel(r.group_by[g]));
      if (lxw_error e = style_.Text(ws, kHeaderRow, g, header, Look::kHeader, &widths); e != LXW_NO_ERROR) return e;
    }
    std::vector<Unit> units;
    for (size_t c = 0; c < r.indicators.size(); ++c) {
      units.push_back(r.indicators[c].def->unit);
      if (lxw_error e = style_.Text(ws, kHeaderRow, groups + c, ColumnHeader(r.indicators[c], options_.money_unit),
                                    Look::kHeader, &widths);
          e != LXW_NO_ERROR) {
        return e;
      }
    }
    const std::vector<PrintedRow> rows = PrintedRows(table);
    for (size_t i = 0; i < rows.size(); ++i) {
      const ResultRow& row = rows[i].result->rows[rows[i].row];
      const size_t x = kBodyRow + i;
      // 小计 and 合计 in bold.
      const Look look = row.group.empty() || rows[i].subtotal ? Look::kTotal : Look::kBody;
      const std::vector<std::string> labels = GroupCells(rows[i], report_.regions.get());
      for (size_t g = 0; g < groups; ++g) {  // every group cell, empty ones too: their borders
        if (lxw_error e = style_.Text(ws, x, g, g < labels.size() ? labels[g] : "", look, &widths); e != LXW_NO_ERROR) {
          return e;
        }
      }
      for (size_t c = 0; c < r.indicators.size() && c < row.values.size(); ++c) {
        if (lxw_error e = style_.Figure(ws, x, groups + c, row.values[c], r.indicators[c].def->unit,
                                        PlacesOf(r, c, options_), look, &widths);
            e != LXW_NO_ERROR) {
          return e;
        }
      }
    }
    if (GroupsOverlap(r.group_by)) {
      // Under the table, after an empty row; not measured, so that the note does not
      // widen the first column.
      if (lxw_error e = worksheet_write_string(ws, static_cast<lxw_row_t>(kBodyRow + rows.size() + 1), 0,
                                               std::string(kGroupsOverlapNote).c_str(), nullptr);
          e != LXW_NO_ERROR) {
        return e;
      }
    }
    return style_.SetUpPrintedSheet(
        ws, {title, xlsx::UnitLine(units, options_.money_unit), groups + r.indicators.size(), 1, groups}, widths);
  }

  lxw_error WriteTargets(const std::string& name) {
    lxw_worksheet* ws = AddSheet(name);
    if (ws == nullptr) return LXW_ERROR_PARAMETER_VALIDATION;
    Widths widths;
    // With targets in several tables, a first column names the table.
    const bool several = std::count_if(report_.tables.begin(), report_.tables.end(),
                                       [](const ReportTable& t) { return !t.targets.empty(); }) > 1;
    std::vector<std::string> headers = {"指标", "实际", "目标", "完成进度", "差距", "状态"};
    if (several) headers.insert(headers.begin(), "表");
    for (size_t c = 0; c < headers.size(); ++c) {
      if (lxw_error e = style_.Text(ws, kHeaderRow, c, headers[c], Look::kHeader, &widths); e != LXW_NO_ERROR) return e;
    }
    size_t x = kBodyRow;
    for (const ReportTable& table : report_.tables) {
      for (const TargetStatus& s : table.targets) {
        std::vector<std::string> cells = TargetCells(s, options_);
        if (several) cells.insert(cells.begin(), table.title);
        for (size_t c = 0; c < cells.size(); ++c) {
          if (lxw_error e = style_.Text(ws, x, c, cells[c], Look::kBody, &widths); e != LXW_NO_ERROR) return e;
        }
        ++x;
      }
    }
    // The cells carry their units ("60.0%", "万元" in the target); no unit line.
    return style_.SetUpPrintedSheet(ws, {SheetTitle(report_, "重点项目目标任务完成情况表"), "", headers.size(), 1, 0},
                                    widths);
  }

  // A target set broken down by group ([tasks], 任务分解): every group's statuses
  // against its own targets, a line per group and target, the whole scope last -- what
  // `keyproj targets` prints.
  lxw_error WriteTasks(const std::string& name) {
    lxw_worksheet* ws = AddSheet(name);
    if (ws == nullptr) return LXW_ERROR_PARAMETER_VALIDATION;
    const TargetsTable& t = *report_.targets;
    const Result& r = t.result;
    Widths widths;
    std::string group_header;
    for (Dimension d : r.group_by) Append(&group_header, group_header.empty() ? "" : " / ", DimensionLabel(d));
    const std::vector<std::string> headers = {group_header.empty() ? std::string("范围") : group_header,
                                              "序时进度", "指标", "实际", "目标", "完成进度", "差距", "状态"};
    for (size_t c = 0; c < headers.size(); ++c) {
      if (lxw_error e = style_.Text(ws, kHeaderRow, c, headers[c], Look::kHeader, &widths); e != LXW_NO_ERROR) return e;
    }
    size_t x = kBodyRow;
    for (size_t row = 0; row < r.rows.size(); ++row) {
      const Look look = r.rows[row].group.empty() ? Look::kTotal : Look::kBody;
      for (const TargetStatus& s : t.rows[row]) {
        std::vector<std::string> cells = TargetCells(s, options_);
        cells.insert(cells.begin(), {RowLabel(r, row, report_.regions.get()), DisplayValue(t.schedule[row], Unit::kRate, 1)});
        for (size_t c = 0; c < cells.size(); ++c) {
          if (lxw_error e = style_.Text(ws, x, c, cells[c], look, &widths); e != LXW_NO_ERROR) return e;
        }
        ++x;
      }
    }
    const std::string subject = Cat("重点项目目标任务分解完成情况表（", GroupingTitle(r.group_by), "）");
    return style_.SetUpPrintedSheet(ws, {SheetTitle(report_, subject), "", headers.size(), 1, 1}, widths);
  }

  // The projects behind the indicators that list them: the whole-scope row of each
  // table holds them all. Each (indicator, project) once, in report order; the group
  // from the first grouped table that lists it -- every group of that table that lists
  // it, joined by "、", when a project can be in several (a tag grouping).
  lxw_error WriteProjects() {
    struct Entry {
      std::string indicator;
      std::string group;
      uint32_t project;
      std::string note;  // why it is listed: "报送日期：2024-10-22" (NoteLine)
    };
    std::vector<Entry> entries;
    std::map<std::pair<std::string, uint32_t>, size_t> seen;  // (indicator id, project) -> entry
    bool grouped = false, noted = false;
    for (const ReportTable& table : report_.tables) {
      const Result& r = table.result;
      if (r.rows.empty()) continue;
      const ResultRow& total = r.rows.back();
      for (size_t c = 0; c < r.indicators.size() && c < total.projects.size(); ++c) {
        if (total.projects[c].empty()) continue;
        // Which group row lists each project.
        std::map<uint32_t, std::string> group_of;
        if (!r.group_by.empty()) {
          for (size_t i = 0; i + 1 < r.rows.size(); ++i) {
            if (c >= r.rows[i].projects.size()) continue;
            for (uint32_t p : r.rows[i].projects[c]) {
              std::string& groups = group_of[p];
              Append(&groups, groups.empty() ? "" : "、", RowLabel(r, i, report_.regions.get()));
            }
          }
        }
        std::string label = ColumnHeader(r.indicators[c], options_.money_unit);
        if (size_t unit = label.rfind("（"); unit != std::string::npos) label.resize(unit);
        for (uint32_t p : total.projects[c]) {
          if (p >= ledger_.size()) continue;
          auto [it, added] = seen.try_emplace({r.indicators[c].id, p}, entries.size());
          if (added) {
            const std::optional<ListNote> note = NoteOf(ledger_, r, c, p);
            entries.push_back({label, "", p, note ? NoteLine(*note, options_.money_unit) : ""});
            noted |= note.has_value();
          }
          Entry& entry = entries[it->second];
          if (auto g = group_of.find(p); entry.group.empty() && g != group_of.end()) {
            entry.group = g->second;
            grouped = true;
          }
        }
      }
    }
    if (entries.empty()) return LXW_NO_ERROR;
    lxw_worksheet* ws = AddSheet(names_.Take("项目清单", "项目清单"));
    if (ws == nullptr) return LXW_ERROR_PARAMETER_VALIDATION;
    Widths widths;
    std::vector<std::string> headers = {"指标", "项目代码", "项目名称"};
    if (grouped) headers.insert(headers.begin() + 1, "分组");
    if (noted) headers.emplace_back("列入原因");
    for (size_t c = 0; c < headers.size(); ++c) {
      if (lxw_error e = style_.Text(ws, kHeaderRow, c, headers[c], Look::kHeader, &widths); e != LXW_NO_ERROR) return e;
    }
    for (size_t i = 0; i < entries.size(); ++i) {
      const Entry& entry = entries[i];
      std::vector<std::string> cells = {entry.indicator, std::string(ledger_.code(entry.project)),
                                        std::string(ledger_.name(entry.project))};
      if (grouped) cells.insert(cells.begin() + 1, entry.group);
      if (noted) cells.push_back(entry.note);
      for (size_t c = 0; c < cells.size(); ++c) {
        if (lxw_error e = style_.Text(ws, kBodyRow + i, c, cells[c], Look::kBody, &widths); e != LXW_NO_ERROR) return e;
      }
    }
    return style_.SetUpPrintedSheet(ws, {SheetTitle(report_, "重点项目预警清单"), "", headers.size(), 1, 0}, widths);
  }

  lxw_workbook* wb_;
  const Ledger& ledger_;
  const Report& report_;
  const RenderOptions& options_;
  const xlsx::ChartData* charts_;  // null: no chart sheet
  xlsx::Style style_;
  SheetNames names_;
};

}  // namespace

absl::Status WriteXlsx(const Ledger& ledger, const Report& report, const RenderOptions& options,
                       const std::string& path) {
  if (options.dossier_by) return WriteDossiersXlsx(ledger, report, *options.dossier_by, options, path);
  // The charts' figures first: the engine at each month end, which may fail.
  absl::StatusOr<xlsx::ChartData> charts =
      internal::NoThrow("writing the workbook", [&]() -> absl::StatusOr<xlsx::ChartData> {
        return options.charts ? xlsx::MakeChartData(ledger, report) : xlsx::ChartData{};
      });
  if (!charts.ok()) return charts.status();
  return xlsx::WriteWorkbook(path, [&](lxw_workbook* wb) { return Writer(wb, ledger, report, options, &*charts).Write(); });
}

absl::Status WriteDossiersXlsx(const Ledger& ledger, const Report& report, Dimension by, const RenderOptions& options,
                               const std::string& path) {
  absl::StatusOr<Dossiers> dossiers =
      internal::NoThrow("writing the dossiers", [&] { return MakeDossiers(ledger, report, by, options); });
  if (!dossiers.ok()) return dossiers.status();
  return xlsx::WriteWorkbook(path, [&](lxw_workbook* wb) -> lxw_error {
    lxw_format* bold = workbook_add_format(wb);
    lxw_format* wrap = workbook_add_format(wb);
    if (bold == nullptr || wrap == nullptr) return LXW_ERROR_MEMORY_MALLOC_FAILED;
    format_set_bold(bold);
    format_set_text_wrap(wrap);
    SheetNames names;
    // A workbook needs a sheet: no groups give one sheet with the title alone.
    if (dossiers->sections.empty()) {
      lxw_worksheet* ws = workbook_add_worksheet(wb, names.Take(report.scope_name, "Sheet1").c_str());
      if (ws == nullptr) return LXW_ERROR_PARAMETER_VALIDATION;
      return worksheet_write_string(ws, 0, 0, dossiers->title.c_str(), bold);
    }
    for (size_t k = 0; k < dossiers->sections.size(); ++k) {
      const DossierSection& s = dossiers->sections[k];
      lxw_worksheet* ws = workbook_add_worksheet(wb, names.Take(s.name, Cat("专报", k + 1)).c_str());
      if (ws == nullptr) return LXW_ERROR_PARAMETER_VALIDATION;
      // One column wide enough for a paragraph, wrapped: the sheet prints as the text
      // reads, on A4 (portrait, as a 专报 is printed) one page wide.
      if (lxw_error e = worksheet_set_column(ws, 0, 0, 100, wrap); e != LXW_NO_ERROR) return e;
      worksheet_set_paper(ws, 9);
      worksheet_fit_to_pages(ws, 1, 0);
      if (lxw_error e = worksheet_write_string(ws, 0, 0, dossiers->title.c_str(), bold); e != LXW_NO_ERROR) return e;
      if (lxw_error e = worksheet_write_string(ws, 1, 0, s.heading.c_str(), bold); e != LXW_NO_ERROR) return e;
      lxw_row_t row = 2;
      size_t start = 0;
      while (start < s.text.size()) {
        const size_t end = std::min(s.text.find('\n', start), s.text.size());
        const std::string line = s.text.substr(start, end - start);
        // An empty line stays an empty row: paragraphs apart as in the text.
        if (!line.empty()) {
          if (lxw_error e = worksheet_write_string(ws, row, 0, line.c_str(), wrap); e != LXW_NO_ERROR) return e;
        }
        ++row;
        start = end + 1;
      }
    }
    return LXW_NO_ERROR;
  });
}

}  // namespace keyproj
