// 问题清单: the open problems of a ledger at a date, grouped and ordered, as documents
// (include/keyproj/problem_list.h; docs/report.md "Problem lists").
#include "keyproj/problem_list.h"

#include <xlsxwriter.h>

#include <algorithm>
#include <map>
#include <tuple>
#include <utility>

#include "keyproj/engine.h"
#include "keyproj/internal/file_io.h"
#include "keyproj/internal/ledger_columns.h"
#include "keyproj/internal/no_throw.h"
#include "keyproj/internal/text.h"
#include "keyproj/internal/text_table.h"
#include "keyproj/report_request.h"
#include "report/escape.h"
#include "report/xlsx_sheet.h"

namespace keyproj {

using ::keyproj::internal::Align;
using ::keyproj::internal::Append;
using ::keyproj::internal::Cat;
using ::keyproj::internal::OneLine;
using ::keyproj::internal::TextTable;
using report_internal::AppendCsvLine;
using report_internal::AppendJsonString;
using report_internal::MdCell;
using report_internal::MdLine;

namespace {

std::optional<Date> DayOf(int32_t day) {
  if (day == kNoDay) return std::nullopt;
  return Date::FromDays(day);
}

std::string KindLabel(ProblemKind k) { return k == ProblemKind::kUnknown ? "未分类" : std::string(EnumLabel(k)); }

std::string DayText(const std::optional<Date>& d, std::string_view none) { return d ? d->ToString() : std::string(none); }

std::string Title(const ProblemList& list) {
  return Cat(list.overdue_only ? "重点项目超期问题清单" : "重点项目问题清单", "（截至", ChineseDate(list.as_of), "）");
}

// "杨陵区征收办（3个问题，其中超期2个）"
std::string GroupHeading(const ProblemGroup& g) {
  return Cat(g.label, "（", g.problems.size(), "个问题", g.overdue > 0 ? Cat("，其中超期", g.overdue, "个") : "", "）");
}

// "共有未解决问题12个，其中超期5个。" (the overdue ones alone: "共有超期问题5个。")
std::string Summary(const ProblemList& list) {
  if (list.overdue_only) return Cat("共有超期问题", list.overdue, "个。");
  return Cat("共有未解决问题", list.total, "个，其中超期", list.overdue, "个。");
}

const std::vector<std::string>& Headers() {
  static const std::vector<std::string> h = {"序号",     "项目代码", "项目名称", "问题类型", "问题描述",
                                             "责任单位", "提出时间", "完成时限", "超期天数"};
  return h;
}

std::vector<std::string> Cells(const ProblemEntry& p, size_t number, std::string_view none) {
  return {std::to_string(number), p.code,      p.name, KindLabel(p.kind), p.description,
          p.owner.empty() ? std::string("（未填）") : p.owner,
          DayText(p.raised_on, none), DayText(p.due_on, none),
          p.overdue() ? std::to_string(p.days_overdue) : std::string(none)};
}

// One line of the text: "1. 项目（代码）[征地拆迁] 描述。2024年7月11日提出，限2024年8月28日前解决，已超期33天。"
std::string TextLine(const ProblemEntry& p, size_t number, ProblemGrouping by) {
  std::string line = Cat(number, ". ");
  if (by != ProblemGrouping::kProject) Append(&line, p.name, "（", p.code, "）");
  if (by != ProblemGrouping::kKind) Append(&line, "【", KindLabel(p.kind), "】");
  Append(&line, p.description.empty() ? "（无描述）" : p.description);
  if (by != ProblemGrouping::kOwner) Append(&line, "，责任单位：", p.owner.empty() ? "未填" : p.owner);
  Append(&line, "。");
  if (p.raised_on) Append(&line, ChineseDate(*p.raised_on), "提出，");
  if (!p.due_on) {
    Append(&line, "未定完成时限。");
  } else if (p.overdue()) {
    Append(&line, "限", ChineseDate(*p.due_on), "前解决，已超期", p.days_overdue, "天。");
  } else {
    Append(&line, "限", ChineseDate(*p.due_on), "前解决。");
  }
  return line;
}

}  // namespace

absl::StatusOr<ProblemList> MakeProblemList(const Ledger& ledger, const ProblemListRequest& request) {
  return internal::NoThrow("making the problem list", [&]() -> absl::StatusOr<ProblemList> {
    ProblemList list;
    list.group_by = request.group_by;
    list.overdue_only = request.overdue_only;
    if (request.as_of) {
      list.as_of = *request.as_of;
    } else {
      absl::StatusOr<Date> as_of = DefaultAsOf(ledger);
      if (!as_of.ok()) return as_of.status();
      list.as_of = *as_of;
    }
    // The scope and the open rule are the engine's: the projects problems_open lists
    // (in the filter, not cancelled by as_of, with a problem open at as_of).
    Query q;
    q.as_of = list.as_of;
    q.filter = request.filter;
    q.indicators = {"problems_open"};
    absl::StatusOr<Result> open = Evaluate(ledger, q);
    if (!open.ok()) return open.status();
    const std::vector<uint32_t>& projects = open->rows.back().projects.at(0);  // sorted, distinct (Evaluate)

    const internal::ProblemColumns& c = internal::Columns(ledger).problems;
    const int32_t d = list.as_of.days();
    std::map<std::string, ProblemGroup> groups;
    for (size_t i = 0; i < c.project.size(); ++i) {
      if (!std::binary_search(projects.begin(), projects.end(), c.project[i])) continue;
      if (!internal::ProblemOpenOn(c, i, d)) continue;
      ProblemEntry e;
      e.project = c.project[i];
      e.code = std::string(ledger.code(e.project));
      e.name = std::string(ledger.name(e.project));
      e.id = std::string(ledger.text(c.id[i]));
      e.kind = c.kind[i];
      e.description = std::string(ledger.text(c.description[i]));
      e.owner = std::string(ledger.text(c.owner[i]));
      e.raised_on = DayOf(c.raised_on[i]);
      e.due_on = DayOf(c.due[i]);
      if (c.due[i] != kNoDay && c.due[i] < d) e.days_overdue = d - c.due[i];
      if (request.overdue_only && !e.overdue()) continue;
      std::string key, label;
      switch (request.group_by) {
        case ProblemGrouping::kOwner:
          key = e.owner;
          label = e.owner.empty() ? "（未填）" : e.owner;
          break;
        case ProblemGrouping::kKind:
          key = std::string(EnumId(e.kind));
          label = KindLabel(e.kind);
          break;
        case ProblemGrouping::kProject:
          key = e.code;
          label = Cat(e.name, "（", e.code, "）");
          break;
      }
      ProblemGroup& g = groups[key];
      g.key = key;
      g.label = label;
      g.overdue += e.overdue() ? 1 : 0;
      list.overdue += e.overdue() ? 1 : 0;
      ++list.total;
      g.problems.push_back(std::move(e));
    }
    for (auto& [key, g] : groups) {
      // The most overdue first; then the earliest due (none last), raised, code, id.
      std::sort(g.problems.begin(), g.problems.end(), [](const ProblemEntry& a, const ProblemEntry& b) {
        auto rank = [](const ProblemEntry& p) {
          return std::tuple(-p.days_overdue, !p.due_on.has_value(), p.due_on ? p.due_on->days() : 0,
                            p.raised_on ? p.raised_on->days() : 0, std::string_view(p.code), std::string_view(p.id));
        };
        return rank(a) < rank(b);
      });
      list.groups.push_back(std::move(g));
    }
    std::stable_sort(list.groups.begin(), list.groups.end(), [](const ProblemGroup& a, const ProblemGroup& b) {
      return std::tuple(b.overdue, b.problems.size()) < std::tuple(a.overdue, a.problems.size());
    });
    return list;
  });
}

absl::StatusOr<std::string> RenderProblemList(const ProblemList& list, ReportFormat format) {
  return internal::NoThrow("rendering the problem list", [&]() -> absl::StatusOr<std::string> {
    std::string doc;
    const std::string summary = Summary(list);
    switch (format) {
      case ReportFormat::kJson: {
        Append(&doc, "{\"as_of\": \"", list.as_of.ToString(), "\", \"group_by\": \"", EnumId(list.group_by),
               "\", \"overdue_only\": ", list.overdue_only ? "true" : "false", ", \"total\": ", list.total,
               ", \"overdue\": ", list.overdue, ", \"groups\": [");
        for (size_t g = 0; g < list.groups.size(); ++g) {
          const ProblemGroup& group = list.groups[g];
          Append(&doc, g == 0 ? "\n" : ",\n", " {\"key\": ");
          AppendJsonString(&doc, group.key);
          Append(&doc, ", \"label\": ");
          AppendJsonString(&doc, group.label);
          Append(&doc, ", \"count\": ", group.problems.size(), ", \"overdue\": ", group.overdue, ", \"problems\": [");
          for (size_t i = 0; i < group.problems.size(); ++i) {
            const ProblemEntry& p = group.problems[i];
            Append(&doc, i == 0 ? "\n" : ",\n", "   {\"code\": ");
            AppendJsonString(&doc, p.code);
            Append(&doc, ", \"name\": ");
            AppendJsonString(&doc, p.name);
            Append(&doc, ", \"id\": ");
            AppendJsonString(&doc, p.id);
            Append(&doc, ", \"kind\": ");
            AppendJsonString(&doc, EnumId(p.kind));
            Append(&doc, ", \"description\": ");
            AppendJsonString(&doc, p.description);
            Append(&doc, ", \"owner\": ");
            AppendJsonString(&doc, p.owner);
            Append(&doc, ", \"raised_on\": ", p.raised_on ? Cat("\"", p.raised_on->ToString(), "\"") : "null");
            Append(&doc, ", \"due_on\": ", p.due_on ? Cat("\"", p.due_on->ToString(), "\"") : "null");
            Append(&doc, ", \"days_overdue\": ", p.days_overdue, "}");
          }
          Append(&doc, group.problems.empty() ? "]}" : "\n  ]}");
        }
        Append(&doc, list.groups.empty() ? "]}\n" : "\n]}\n");
        return doc;
      }
      case ReportFormat::kCsv: {
        std::vector<std::string> headers = {std::string(EnumLabel(list.group_by))};
        headers.insert(headers.end(), Headers().begin(), Headers().end());
        AppendCsvLine(&doc, headers);
        for (const ProblemGroup& g : list.groups) {
          for (size_t i = 0; i < g.problems.size(); ++i) {
            std::vector<std::string> cells = Cells(g.problems[i], i + 1, "");
            cells.insert(cells.begin(), g.label);
            AppendCsvLine(&doc, cells);
          }
        }
        return doc;
      }
      case ReportFormat::kTable:
      case ReportFormat::kMarkdown: {
        const bool md = format == ReportFormat::kMarkdown;
        Append(&doc, md ? "### " : "", Title(list), "\n", md ? "\n" : "", summary, "\n");
        for (size_t g = 0; g < list.groups.size(); ++g) {
          const ProblemGroup& group = list.groups[g];
          // A heading on one line, as the table rows under it (a project name may hold a line break).
          const std::string heading = md ? MdCell(GroupHeading(group)) : OneLine(GroupHeading(group));
          Append(&doc, "\n", md ? "#### " : "", ChineseOrdinal(g + 1), "、", heading, "\n", md ? "\n" : "");
          if (md) {
            MdLine(&doc, Headers());
            Append(&doc, "| ---: | --- | --- | --- | --- | --- | --- | --- | ---: |\n");
            for (size_t i = 0; i < group.problems.size(); ++i) MdLine(&doc, Cells(group.problems[i], i + 1, "—"));
            continue;
          }
          std::vector<Align> align(Headers().size(), Align::kLeft);
          align.front() = Align::kRight;
          align.back() = Align::kRight;
          TextTable t(Headers(), align);
          for (size_t i = 0; i < group.problems.size(); ++i) t.AddRow(Cells(group.problems[i], i + 1, "—"));
          Append(&doc, t.Render());
        }
        return doc;
      }
      case ReportFormat::kText: {
        Append(&doc, Title(list), "\n", summary, "\n");
        for (size_t g = 0; g < list.groups.size(); ++g) {
          const ProblemGroup& group = list.groups[g];
          Append(&doc, ChineseOrdinal(g + 1), "、", GroupHeading(group), "\n");
          for (size_t i = 0; i < group.problems.size(); ++i) {
            Append(&doc, TextLine(group.problems[i], i + 1, list.group_by), "\n");
          }
        }
        return doc;
      }
      case ReportFormat::kXlsx: break;
    }
    return absl::InvalidArgumentError("a workbook (xlsx) is written to a file: WriteProblemListXlsx");
  });
}

absl::Status WriteProblemListXlsx(const ProblemList& list, const std::string& path) {
  const RenderOptions options;  // the Style's number formats; money is not shown
  return xlsx::WriteWorkbook(path, [&](lxw_workbook* wb) -> lxw_error {
    lxw_worksheet* ws = workbook_add_worksheet(wb, list.overdue_only ? "超期问题清单" : "问题清单");
    if (ws == nullptr) return LXW_ERROR_MEMORY_MALLOC_FAILED;
    // The title, the totals in the unit line's place, the headers; then a line per
    // problem, its group in the first column: printed like every sheet of a report
    // (xlsx_sheet.h: borders, landscape A4 one page wide, the header on every page).
    xlsx::Style style(wb, options);
    xlsx::Widths widths;
    std::vector<std::string> headers = {std::string(EnumLabel(list.group_by))};
    headers.insert(headers.end(), Headers().begin(), Headers().end());
    for (size_t c = 0; c < headers.size(); ++c) {
      if (lxw_error e = style.Text(ws, xlsx::kHeaderRow, c, headers[c], xlsx::Look::kHeader, &widths); e != LXW_NO_ERROR) {
        return e;
      }
    }
    size_t row = xlsx::kHeaderRow + 1;
    for (const ProblemGroup& g : list.groups) {
      for (size_t i = 0; i < g.problems.size(); ++i, ++row) {
        const ProblemEntry& p = g.problems[i];
        const std::vector<std::string> cells = Cells(p, i + 1, "");
        // 序号 and 超期天数 as numbers (a sheet sorts and sums them); the rest as text.
        std::vector<lxw_error> errors = {style.Text(ws, row, 0, GroupHeading(g), xlsx::Look::kBody, &widths),
                                         style.Figure(ws, row, 1, Value::Integer(static_cast<int64_t>(i + 1)),
                                                      Unit::kCount, 0, xlsx::Look::kBody, &widths)};
        for (size_t c = 1; c + 1 < cells.size(); ++c) {
          errors.push_back(style.Text(ws, row, c + 1, cells[c], xlsx::Look::kBody, &widths));
        }
        errors.push_back(p.overdue() ? style.Figure(ws, row, cells.size(), Value::Integer(p.days_overdue), Unit::kCount,
                                                    0, xlsx::Look::kBody, &widths)
                                     : style.Text(ws, row, cells.size(), "", xlsx::Look::kBody, &widths));
        for (lxw_error e : errors) {
          if (e != LXW_NO_ERROR) return e;
        }
      }
    }
    return style.SetUpPrintedSheet(ws, {Title(list), Summary(list), headers.size(), 1, 1}, widths);
  });
}
}  // namespace keyproj
