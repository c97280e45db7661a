// Target statuses per group and assessment scores, as documents
// (`keyproj targets`, `keyproj score`).
#include "keyproj/internal/text.h"
#include "keyproj/internal/text_table.h"
#include "keyproj/report.h"
#include "keyproj/internal/no_throw.h"
#include "report/escape.h"

namespace keyproj {

using ::keyproj::internal::Align;
using ::keyproj::internal::Append;
using ::keyproj::internal::Cat;
using ::keyproj::internal::TextTable;
using report_internal::AppendCsvLine;
using report_internal::AppendJsonGroup;
using report_internal::AppendJsonGroupLabels;
using report_internal::AppendJsonString;
using report_internal::AppendJsonValue;
using report_internal::MdCell;
using report_internal::MdLine;

absl::StatusOr<std::string> RenderTargets(const Report& report, ReportFormat format, const RenderOptions& options) {
  return internal::NoThrow("rendering the targets", [&]() -> absl::StatusOr<std::string> {
    if (!report.targets) return absl::InvalidArgumentError("the report has no target set");
    if (format != ReportFormat::kTable && format != ReportFormat::kJson && format != ReportFormat::kCsv &&
        format != ReportFormat::kMarkdown) {
      return absl::InvalidArgumentError(Cat("target statuses are written as table, json, csv or md, not ", EnumId(format)));
    }
    const TargetsTable& t = *report.targets;
    const Result& result = t.result;
    // A file without a title or name still heads its table with what it is.
    const std::string title = !t.set->title.empty() ? t.set->title : !t.set->name.empty() ? t.set->name : "目标任务";
    std::string doc;
    if (format == ReportFormat::kCsv || format == ReportFormat::kMarkdown) {
      // One table, a line per group and target (csv), or a block per group (md).
      const std::vector<std::string> headers = {"指标", "实际", "目标", "完成进度", "差距", "状态"};
      std::vector<std::string> csv_headers = {result.group_by.empty() ? std::string("范围")
                                                                      : std::string(DimensionLabel(result.group_by[0])),
                                              "序时进度"};
      csv_headers.insert(csv_headers.end(), headers.begin(), headers.end());
      if (format == ReportFormat::kCsv) AppendCsvLine(&doc, csv_headers);
      for (size_t row = 0; row < result.rows.size(); ++row) {
        const std::string group = RowLabel(result, row, report.regions.get());
        const std::string schedule = DisplayValue(t.schedule[row], Unit::kRate, 1);
        if (format == ReportFormat::kMarkdown) {
          Append(&doc, row == 0 ? "" : "\n", "### ", MdCell(Cat(title, " — ", group)), "\n\n（截至",
                 result.as_of.ToString(), "，序时进度", schedule, "）\n\n");
          MdLine(&doc, headers);
          Append(&doc, "| --- | ---: | ---: | ---: | ---: | --- |\n");
        }
        for (const TargetStatus& s : t.rows[row]) {
          std::vector<std::string> cells = TargetCells(s, options);
          if (format == ReportFormat::kMarkdown) {
            MdLine(&doc, cells);
            continue;
          }
          cells.insert(cells.begin(), {group, schedule});
          AppendCsvLine(&doc, cells);
        }
      }
      return doc;
    }
    if (format == ReportFormat::kJson) {
      return Cat("{\"as_of\": \"", result.as_of.ToString(), "\", \"targets\": ", RenderTargetsByGroupJson(report, options),
                 "}\n");
    }
    for (size_t row = 0; row < result.rows.size(); ++row) {
      Append(&doc, row == 0 ? "" : "\n", title, " — ", RowLabel(result, row, report.regions.get()), "（截至",
             result.as_of.ToString(), "，序时进度", DisplayValue(t.schedule[row], Unit::kRate, 1), "）\n",
             RenderTargetsTable(t.rows[row], options));
    }
    return doc;
  });
}

std::string RenderTargetsByGroupJson(const Report& report, const RenderOptions& options) {
  if (!report.targets) return "[]";
  const TargetsTable& t = *report.targets;
  std::string doc = "[";
  for (size_t row = 0; row < t.result.rows.size(); ++row) {
    Append(&doc, row == 0 ? "\n" : ",\n", " {\"group\": ");
    AppendJsonGroup(&doc, t.result.group_by, t.result.rows[row].group);
    Append(&doc, ", \"labels\": ");
    AppendJsonGroupLabels(&doc, t.result.group_by, t.result.rows[row].group, report.regions.get());
    Append(&doc, ", \"schedule\": ");
    AppendJsonValue(&doc, t.schedule[row], Unit::kRate);
    Append(&doc, ", \"status\": ", RenderTargetsJson(t.rows[row], options), "}");
  }
  Append(&doc, "\n]");
  return doc;
}

absl::StatusOr<std::string> RenderScores(const Report& report, ReportFormat format, const RenderOptions& options) {
  return internal::NoThrow("rendering the scores", [&]() -> absl::StatusOr<std::string> {
    (void)options;  // points have the scheme's own places
    if (!report.scores) return absl::InvalidArgumentError("the report has no scores");
    const ScoresTable& s = *report.scores;
    const ScoringScheme& scheme = *s.scheme;
    const Result& result = s.result;
    const Dimension dim = result.group_by.at(0);
    std::string doc;
    if (format == ReportFormat::kJson) {
      Append(&doc, "{\"as_of\": \"", result.as_of.ToString(), "\", \"scheme\": ");
      AppendJsonString(&doc, scheme.name);
      Append(&doc, ", \"group_by\": \"", DimensionId(dim), "\", \"groups\": [");
      for (size_t i = 0; i < s.scores.size(); ++i) {
        const GroupScore& g = s.scores[i];
        Append(&doc, i == 0 ? "\n" : ",\n", " {\"rank\": ", g.rank, ", \"group\": ");
        AppendJsonString(&doc, g.group.empty() ? "" : g.group[0]);
        Append(&doc, ", \"label\": ");  // as the table prints it: a county's name
        AppendJsonString(&doc, RowLabel(result, g.row, report.regions.get()));
        Append(&doc, ", \"total\": ");
        AppendJsonValue(&doc, g.total, Unit::kMultiple);
        Append(&doc, ", \"rules\": {");
        for (size_t r = 0; r < g.rules.size(); ++r) {
          if (r > 0) Append(&doc, ", ");
          AppendJsonString(&doc, scheme.rules[r].id);
          Append(&doc, ": {\"input\": ");
          AppendJsonValue(&doc, g.rules[r].input, scheme.rules[r].unit);
          Append(&doc, ", \"points\": ");
          AppendJsonValue(&doc, g.rules[r].points, Unit::kMultiple);
          Append(&doc, "}");
        }
        Append(&doc, "}}");
      }
      Append(&doc, "\n]}\n");
      return doc;
    }
    if (format != ReportFormat::kTable && format != ReportFormat::kCsv) {
      return absl::InvalidArgumentError(Cat("scores are written as table, json or csv, not ", EnumId(format)));
    }
    std::vector<std::string> headers = {"排名", std::string(DimensionLabel(dim)), "总分"};
    for (const ScoringRule& rule : scheme.rules) headers.push_back(rule.label.empty() ? rule.id : rule.label);
    std::vector<std::vector<std::string>> rows;
    for (const GroupScore& g : s.scores) {
      std::vector<std::string> cells = {std::to_string(g.rank), RowLabel(result, g.row, report.regions.get()),
                                        FormatPoints(g.total, scheme.places)};
      for (const RuleScore& r : g.rules) cells.push_back(FormatPoints(r.points, scheme.places));
      rows.push_back(std::move(cells));
    }
    if (format == ReportFormat::kCsv) {
      AppendCsvLine(&doc, headers);
      for (const auto& r : rows) AppendCsvLine(&doc, r);
      return doc;
    }
    std::vector<Align> align(headers.size(), Align::kRight);
    align[1] = Align::kLeft;
    TextTable table(headers, align);
    for (auto& r : rows) table.AddRow(std::move(r));
    Append(&doc, !scheme.title.empty() ? scheme.title : !scheme.name.empty() ? scheme.name : "分档计分", "（截至",
           result.as_of.ToString(), "）\n",
           table.Render());
    return doc;
  });
}

}  // namespace keyproj
