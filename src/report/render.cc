// JSON, CSV, Markdown and terminal tables of a report.
#include <algorithm>
#include <optional>

#include "keyproj/dossier.h"
#include "keyproj/narrative.h"
#include "keyproj/report.h"
#include "report/escape.h"
#include "keyproj/internal/text.h"
#include "keyproj/internal/text_table.h"
#include "keyproj/internal/no_throw.h"

namespace keyproj {

using ::keyproj::internal::Cat;
using ::keyproj::internal::Append;
using ::keyproj::internal::OneLine;
using ::keyproj::internal::TextTable;
using ::keyproj::internal::Align;
using ::keyproj::internal::DisplayWidth;
namespace {

// ---- JSON ---------------------------------------------------------------------

using report_internal::AppendCsvLine;
using report_internal::AppendJsonString;
using report_internal::AppendJsonGroup;
using report_internal::AppendJsonGroupLabels;
using report_internal::AppendJsonValue;
using report_internal::MdCell;
using report_internal::MdLine;

// `funnel`: the report's funnel, and `targets_by_group`: its targets per group of a
// target set broken down by group (RenderTargetsByGroupJson), put in this table's
// object (the first table's); null: none.
void JsonTable(std::string* out, const Ledger& ledger, const ReportTable& table, const RenderOptions& options,
               const RegionNames* regions, const ReportTable* funnel, const std::string* targets_by_group = nullptr) {
  const Result& r = table.result;
  Append(out, "{\"as_of\": ");
  AppendJsonString(out, r.as_of.ToString());
  Append(out, ", \"title\": ");
  AppendJsonString(out, table.title);
  Append(out, ", \"group_by\": [");
  for (size_t i = 0; i < r.group_by.size(); ++i) {
    if (i > 0) Append(out, ", ");
    AppendJsonString(out, DimensionId(r.group_by[i]));
  }
  Append(out, "]");
  // Only when true: the groups do not add up to the whole (a tag grouping).
  if (GroupsOverlap(r.group_by)) Append(out, ", \"groups_overlap\": true");
  Append(out, ",\n \"rows\": [");
  bool any_lists = false;
  for (const IndicatorRef& ref : r.indicators) any_lists |= ref.def->lists_projects;
  for (size_t row = 0; row < r.rows.size(); ++row) {
    const ResultRow& rr = r.rows[row];
    Append(out, row == 0 ? "\n" : ",\n", "  {\"group\": ");
    AppendJsonGroup(out, r.group_by, rr.group);
    Append(out, ", \"labels\": ");
    AppendJsonGroupLabels(out, r.group_by, rr.group, regions);
    Append(out, ",\n   \"values\": {");
    for (size_t c = 0; c < r.indicators.size(); ++c) {
      if (c > 0) Append(out, ", ");
      AppendJsonString(out, r.indicators[c].id);
      Append(out, ": ");
      AppendJsonValue(out, rr.values[c], r.indicators[c].def->unit, options.ratio_digits);
    }
    Append(out, "},\n   \"display\": {");
    for (size_t c = 0; c < r.indicators.size(); ++c) {
      if (c > 0) Append(out, ", ");
      AppendJsonString(out, r.indicators[c].id);
      Append(out, ": ");
      AppendJsonString(out, DisplayCell(r, row, c, options));
    }
    Append(out, "}");
    if (any_lists) {
      Append(out, ",\n   \"projects\": {");
      bool first = true;
      for (size_t c = 0; c < r.indicators.size(); ++c) {
        if (!r.indicators[c].def->lists_projects) continue;
        Append(out, first ? "" : ", ");
        first = false;
        AppendJsonString(out, r.indicators[c].id);
        Append(out, ": [");
        for (size_t k = 0; k < rr.projects[c].size(); ++k) {
          const uint32_t p = rr.projects[c][k];
          Append(out, k == 0 ? "" : ", ", "{\"code\": ");
          AppendJsonString(out, ledger.code(p));
          Append(out, ", \"name\": ");
          AppendJsonString(out, ledger.name(p));
          if (const std::optional<ListNote> note = NoteOf(ledger, r, c, p)) {
            Append(out, ", ");
            AppendJsonString(out, note->key);
            Append(out, ": ");
            if (note->number) {
              Append(out, *note->number);
              if (!note->text.empty()) {  // the text that details it, in the printed whole
                Append(out, ", \"note\": ");
                AppendJsonString(out, NoteValueText(*note, options.money_unit));
              }
            } else {
              AppendJsonString(out, note->text);
            }
          }
          Append(out, "}");
        }
        Append(out, "]");
      }
      Append(out, "}");
    }
    Append(out, "}");
  }
  Append(out, "\n ]");
  if (!table.targets.empty()) {
    Append(out, ",\n \"targets\": ", RenderTargetsJson(table.targets, options));
  }
  if (targets_by_group != nullptr) Append(out, ",\n \"targets_by_group\": ", *targets_by_group);
  if (funnel != nullptr) {
    Append(out, ",\n \"funnel\": ");
    JsonTable(out, ledger, *funnel, options, regions, nullptr);
  }
  Append(out, "}");
}

// ---- CSV and Markdown -------------------------------------------------------------

// Group columns then indicator columns: header texts.
std::vector<std::string> Headers(const Result& r, MoneyUnit unit) {
  std::vector<std::string> h;
  if (r.group_by.empty()) h.emplace_back("范围");
  for (Dimension d : r.group_by) h.emplace_back(DimensionLabel(d));
  for (const IndicatorRef& ref : r.indicators) h.push_back(ColumnHeader(ref, unit));
  return h;
}

std::vector<std::string> Cells(const PrintedRow& row, const RenderOptions& options, const RegionNames* regions) {
  std::vector<std::string> cells = GroupCells(row, regions);
  const Result& r = *row.result;
  for (size_t c = 0; c < r.indicators.size(); ++c) cells.push_back(DisplayCell(r, row.row, c, options));
  return cells;
}

// A printed row's group in one cell: "产业 / 杨陵区", "宝鸡市小计", "合计".
std::string PrintedLabel(const PrintedRow& row, const RegionNames* regions) {
  std::string out;
  for (const std::string& cell : GroupCells(row, regions)) {
    if (!cell.empty()) Append(&out, out.empty() ? "" : " / ", cell);
  }
  return out;
}

// The tables a document prints one after the other: the report's tables, then its
// funnel section.
std::vector<const ReportTable*> Sections(const Report& report) {
  std::vector<const ReportTable*> out;
  for (const ReportTable& t : report.tables) out.push_back(&t);
  if (report.funnel) out.push_back(&*report.funnel);
  return out;
}

std::string TableHeading(const Result& r, std::string_view title) {
  return Cat(title, "（截至", ChineseDate(r.as_of), "）");
}

// ---- project lists ----------------------------------------------------------------

// The projects behind one listing indicator of one row, each with its note (why it
// is listed).
struct ProjectList {
  std::string group;            // the group row's label ("杨陵区", "产业 / 杨陵区"); "" for the whole scope
  std::string label;            // the indicator's, with its split part ("储备项目库龄·24个月以上")
  std::string_view note_label;  // "" when no project has a note
  std::vector<uint32_t> projects;
  std::vector<std::optional<ListNote>> notes;
};

// The lists of a table (docs/report.md, "Project lists"): each group row's, in row
// order, those that name a project (a report of many groups and few warnings prints
// no empty heading); then the whole-scope row's, every one, as a bureau reads "无".
std::vector<ProjectList> ProjectListsOf(const Ledger& ledger, const ReportTable& table, const RegionNames* regions) {
  const Result& r = table.result;
  std::vector<ProjectList> out;
  for (size_t row = 0; row < r.rows.size(); ++row) {
    const bool whole = row + 1 == r.rows.size();
    for (size_t c = 0; c < r.indicators.size() && c < r.rows[row].projects.size(); ++c) {
      const IndicatorRef& ref = r.indicators[c];
      if (!ref.def->lists_projects || (!whole && r.rows[row].projects[c].empty())) continue;
      std::string label(ref.def->label);
      if (const std::string part = SplitKeyLabel(ref); !part.empty()) Append(&label, "·", part);
      ProjectList list{whole ? "" : RowLabel(r, row, regions), std::move(label), "", r.rows[row].projects[c], {}};
      for (uint32_t p : list.projects) {
        list.notes.push_back(NoteOf(ledger, r, c, p));
        if (list.note_label.empty() && list.notes.back()) list.note_label = list.notes.back()->label;
      }
      out.push_back(std::move(list));
    }
  }
  return out;
}

// "杨陵区 · 未按时报送（2个项目）"; the whole scope's without a group: "未按时报送（54个项目）".
// Projects, said so: under 未解决问题 = 35 (problems) a list of 25 projects titled
// "（25个）" read as a contradiction.
std::string ListTitle(const ProjectList& list) {
  return Cat(list.group, list.group.empty() ? "" : " · ", list.label, "（", list.projects.size(), "个项目）");
}

// The cells of one listed project: code, name and, when the list keeps notes, the
// note's value.
std::vector<std::string> ListCells(const Ledger& ledger, const ProjectList& list, size_t k, MoneyUnit unit) {
  std::vector<std::string> cells = {std::string(ledger.code(list.projects[k])), std::string(ledger.name(list.projects[k]))};
  if (!list.note_label.empty()) cells.push_back(list.notes[k] ? NoteValueText(*list.notes[k], unit) : "");
  return cells;
}

std::vector<std::string> ListHeaders(const ProjectList& list) {
  std::vector<std::string> h = {"项目代码", "项目名称"};
  if (!list.note_label.empty()) h.emplace_back(list.note_label);
  return h;
}

// Markdown: a "#### title" and a pipe table per list.
std::string MarkdownProjectLists(const Ledger& ledger, const ReportTable& table, const RenderOptions& options,
                                 const RegionNames* regions) {
  std::string out;
  for (const ProjectList& list : ProjectListsOf(ledger, table, regions)) {
    Append(&out, "\n#### ", MdCell(ListTitle(list)), "\n\n");
    if (list.projects.empty()) {
      Append(&out, "无\n");
      continue;
    }
    const std::vector<std::string> headers = ListHeaders(list);
    MdLine(&out, headers);
    Append(&out, "|");
    for (size_t i = 0; i < headers.size(); ++i) Append(&out, i < 2 ? " --- |" : " ---: |");
    Append(&out, "\n");
    for (size_t k = 0; k < list.projects.size(); ++k) MdLine(&out, ListCells(ledger, list, k, options.money_unit));
  }
  return out;
}

// CSV: after a table, per list an empty line, a title line, a header line, its rows.
void CsvProjectLists(std::string* out, const Ledger& ledger, const ReportTable& table, const RenderOptions& options,
                     const RegionNames* regions) {
  for (const ProjectList& list : ProjectListsOf(ledger, table, regions)) {
    Append(out, "\r\n");
    AppendCsvLine(out, {ListTitle(list)});
    AppendCsvLine(out, ListHeaders(list));
    for (size_t k = 0; k < list.projects.size(); ++k) AppendCsvLine(out, ListCells(ledger, list, k, options.money_unit));
  }
}

}  // namespace

std::string RenderJson(const Ledger& ledger, const Report& report, const RenderOptions& options) {
  std::string out;
  const ReportTable* funnel = report.funnel ? &*report.funnel : nullptr;
  if (report.tables.empty() && funnel != nullptr) {
    JsonTable(&out, ledger, *funnel, options, report.regions.get(), nullptr);  // the funnel alone
    Append(&out, "\n");
    return out;
  }
  // A target set broken down by group ([tasks]): every group's statuses, as `keyproj
  // targets` gives them, with the first table (whose "targets" are the whole scope's).
  std::optional<std::string> tasks;
  if (report.targets && report.targets->set->tasks_group_by) tasks = RenderTargetsByGroupJson(report, options);
  const bool many = report.tables.size() != 1;
  if (many) Append(&out, "[");
  for (size_t t = 0; t < report.tables.size(); ++t) {
    if (t > 0) Append(&out, ",\n");
    JsonTable(&out, ledger, report.tables[t], options, report.regions.get(), t == 0 ? funnel : nullptr,
              t == 0 && tasks ? &*tasks : nullptr);
  }
  if (many) Append(&out, "]");
  Append(&out, "\n");
  return out;
}

std::string RenderCsv(const Report& report, const RenderOptions& options) {
  return RenderCsv(nullptr, report, options);
}

std::string RenderCsv(const Ledger* ledger, const Report& report, const RenderOptions& options) {
  std::string out;
  const std::vector<const ReportTable*> sections = Sections(report);
  for (size_t t = 0; t < sections.size(); ++t) {
    const ReportTable& table = *sections[t];
    const Result& r = table.result;
    if (t > 0) Append(&out, "\r\n");
    AppendCsvLine(&out, {TableHeading(r, table.title)});
    AppendCsvLine(&out, Headers(r, options.money_unit));
    for (const PrintedRow& row : PrintedRows(table)) AppendCsvLine(&out, Cells(row, options, report.regions.get()));
    if (GroupsOverlap(r.group_by)) AppendCsvLine(&out, {std::string(kGroupsOverlapNote)});
    if (ledger != nullptr) CsvProjectLists(&out, *ledger, table, options, report.regions.get());
  }
  return out;
}

std::string RenderMarkdown(const Report& report, const RenderOptions& options) {
  std::string out;
  const std::vector<const ReportTable*> sections = Sections(report);
  for (size_t t = 0; t < sections.size(); ++t) {
    const ReportTable& table = *sections[t];
    const Result& r = table.result;
    if (t > 0) Append(&out, "\n");
    Append(&out, "### ", MdCell(TableHeading(r, table.title)), "\n\n");
    const std::vector<std::string> headers = Headers(r, options.money_unit);
    MdLine(&out, headers);
    const size_t group_cols = std::max<size_t>(1, r.group_by.size());
    Append(&out, "|");
    for (size_t i = 0; i < headers.size(); ++i) Append(&out, i < group_cols ? " --- |" : " ---: |");
    Append(&out, "\n");
    for (const PrintedRow& row : PrintedRows(table)) MdLine(&out, Cells(row, options, report.regions.get()));
    if (GroupsOverlap(r.group_by)) Append(&out, "\n", kGroupsOverlapNote, "\n");
    if (!table.targets.empty()) Append(&out, "\n#### 目标任务\n\n", RenderTargetsTable(table.targets, options));
  }
  return out;
}

std::string RenderTextTables(const Report& report, const RenderOptions& options, int max_width) {
  std::string out;
  const std::vector<const ReportTable*> sections = Sections(report);
  for (size_t t = 0; t < sections.size(); ++t) {
    const ReportTable& table = *sections[t];
    const Result& r = table.result;
    if (t > 0) Append(&out, "\n");
    Append(&out, TableHeading(r, table.title), "\n");
    const std::vector<std::string> headers = Headers(r, options.money_unit);
    const size_t group_cols = std::max<size_t>(1, r.group_by.size());
    std::vector<Align> align(headers.size(), Align::kRight);
    for (size_t i = 0; i < group_cols; ++i) align[i] = Align::kLeft;
    TextTable wide(headers, align);
    const std::vector<PrintedRow> rows = PrintedRows(table);
    for (const PrintedRow& row : rows) wide.AddRow(Cells(row, options, report.regions.get()));
    std::string text = wide.Render();
    const int width = DisplayWidth(std::string_view(text).substr(0, text.find('\n')));
    if (width > max_width) {
      // Transposed: one line per indicator, one column per group.
      std::vector<std::string> th = {"指标"};
      for (const PrintedRow& row : rows) th.push_back(PrintedLabel(row, report.regions.get()));
      std::vector<Align> ta(th.size(), Align::kRight);
      ta[0] = Align::kLeft;
      TextTable tall(th, ta);
      for (size_t c = 0; c < r.indicators.size(); ++c) {
        std::vector<std::string> line = {ColumnHeader(r.indicators[c], options.money_unit)};
        for (const PrintedRow& row : rows) line.push_back(DisplayCell(*row.result, row.row, c, options));
        tall.AddRow(std::move(line));
      }
      std::string tall_text = tall.Render();
      if (DisplayWidth(std::string_view(tall_text).substr(0, tall_text.find('\n'))) < width) text = std::move(tall_text);
    }
    Append(&out, text);
    if (GroupsOverlap(r.group_by)) Append(&out, kGroupsOverlapNote, "\n");
    if (!table.targets.empty()) Append(&out, "\n目标任务\n", RenderTargetsTable(table.targets, options));
  }
  return out;
}

std::string RenderTargetsJson(const std::vector<TargetStatus>& targets, const RenderOptions& options) {
  std::string out = "[";
  for (size_t i = 0; i < targets.size(); ++i) {
    const TargetStatus& s = targets[i];
    const Target& t = s.target;
    Append(&out, i == 0 ? "\n" : ",\n", "   {\"indicator\": ");
    AppendJsonString(&out, t.indicator);
    Append(&out, ", \"label\": ");
    AppendJsonString(&out, t.label);
    Append(&out, ", \"bound\": ");
    AppendJsonString(&out, BoundText(t.bound));
    Append(&out, ", \"target\": ");
    AppendJsonValue(&out, t.value, t.unit, options.ratio_digits);
    Append(&out, ", \"actual\": ");
    AppendJsonValue(&out, s.actual, t.unit, options.ratio_digits);
    Append(&out, ", \"progress\": ");
    AppendJsonValue(&out, s.progress, Unit::kRate, options.ratio_digits);
    Append(&out, ", \"gap\": ");
    AppendJsonValue(&out, s.gap, s.gap_unit, options.ratio_digits);
    Append(&out, ", \"status\": ");
    AppendJsonString(&out, TargetStateId(s.state));
    // 任务分解 (a set with [tasks]): where the target comes from, when not the value for all.
    constexpr std::string_view kSources[] = {"all", "group", "groups_sum", "none"};
    if (s.source != TargetStatus::Source::kAll) {
      Append(&out, ", \"target_of\": \"", kSources[static_cast<size_t>(s.source)], "\"");
    }
    Append(&out, "}");
  }
  Append(&out, targets.empty() ? "]" : "\n  ]");
  return out;
}

std::string RenderProjectLists(const Ledger& ledger, const ReportTable& table, const RenderOptions& options,
                               const RegionNames* regions) {
  std::string out;
  for (const ProjectList& list : ProjectListsOf(ledger, table, regions)) {
    Append(&out, "\n", OneLine(ListTitle(list)), list.projects.empty() ? "：无" : "：", "\n");
    for (size_t k = 0; k < list.projects.size(); ++k) {
      const uint32_t p = list.projects[k];
      // A line per project, as the table's rows are (a name typed with Alt+Enter).
      std::string line = Cat("  ", ledger.code(p), "  ", ledger.name(p));
      if (list.notes[k]) Append(&line, "  ", NoteLine(*list.notes[k], options.money_unit));
      Append(&out, OneLine(line), "\n");
    }
  }
  return out;
}

std::string RenderTargetsTable(const std::vector<TargetStatus>& targets, const RenderOptions& options) {
  TextTable t({"指标", "实际", "目标", "完成进度", "差距", "状态"},
              {Align::kLeft, Align::kRight, Align::kRight, Align::kRight, Align::kRight, Align::kLeft});
  for (const TargetStatus& s : targets) t.AddRow(TargetCells(s, options));
  return t.Render();
}

namespace {
// 任务分解: a target set with [tasks] has a target per group, so the report shows
// every group's statuses after its tables (RenderTargets), not the whole scope alone.
absl::Status AppendTasks(const Report& report, ReportFormat format, const RenderOptions& options, std::string* doc) {
  if (!report.targets || !report.targets->set->tasks_group_by) return absl::OkStatus();
  absl::StatusOr<std::string> blocks = RenderTargets(report, format, options);
  if (!blocks.ok()) return blocks.status();
  // After an empty line (CSV: its own line end), as the report's tables are apart.
  Append(doc, doc->empty() ? "" : format == ReportFormat::kCsv ? "\r\n" : "\n", *blocks);
  return absl::OkStatus();
}
}  // namespace

absl::StatusOr<std::string> RenderReport(const Ledger& ledger, const Report& report, ReportFormat format,
                                         const RenderOptions& options) {
  return internal::NoThrow("rendering the report", [&]() -> absl::StatusOr<std::string> {
    if (options.dossier_by) return RenderDossiers(ledger, report, *options.dossier_by, format, options);
    std::string doc;
    switch (format) {
      case ReportFormat::kTable:
        doc = RenderTextTables(report, options);
        for (const ReportTable& t : report.tables) doc += RenderProjectLists(ledger, t, options, report.regions.get());
        if (absl::Status st = AppendTasks(report, format, options, &doc); !st.ok()) return st;
        return doc;
      case ReportFormat::kJson: return RenderJson(ledger, report, options);
      case ReportFormat::kCsv:
        doc = RenderCsv(&ledger, report, options);
        if (absl::Status st = AppendTasks(report, format, options, &doc); !st.ok()) return st;
        return doc;
      case ReportFormat::kMarkdown:
        doc = RenderMarkdown(report, options);
        for (const ReportTable& t : report.tables) {
          doc += MarkdownProjectLists(ledger, t, options, report.regions.get());
        }
        if (absl::Status st = AppendTasks(report, format, options, &doc); !st.ok()) return st;
        return doc;
      case ReportFormat::kText: {
        if (options.text_template != nullptr) return options.text_template->Render(ledger, report.query, report, options);
        absl::StatusOr<NarrativeTemplate> standard = NarrativeTemplate::Parse(NarrativeTemplate::DefaultText());
        if (!standard.ok()) return standard.status();
        return standard->Render(ledger, report.query, report, options);
      }
      case ReportFormat::kXlsx: break;
    }
    return absl::InvalidArgumentError("a workbook (xlsx) is written to a file: WriteXlsx");
  });
}

absl::StatusOr<std::string> EncodeDocument(std::string document, ReportFormat format, Encoding encoding) {
  return internal::NoThrow("encoding the document", [&]() -> absl::StatusOr<std::string> {
    if (encoding == Encoding::kGb18030) {
      // JSON is UTF-8 by definition (RFC 8259): in GB18030 no JSON reader would read it.
      if (format == ReportFormat::kJson) {
        return absl::InvalidArgumentError("JSON is UTF-8 only: encoding gb18030 is for csv, md, text and table");
      }
      return Utf8ToGb18030(document);
    }
    if (format == ReportFormat::kCsv) document.insert(0, "\xEF\xBB\xBF");  // Excel reads UTF-8 CSV only with a BOM
    return document;
  });
}

}  // namespace keyproj
