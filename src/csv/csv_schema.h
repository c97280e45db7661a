// The columns of each ledger CSV file: English id, Chinese alias(es), and whether a
// file must have it. The loader matches headers against this table and the writer
// prints its ids, so a column's names are defined only here -- projects.csv's in the
// project-field table (internal/project_fields.h), whose rows this file reads.
#ifndef KEYPROJ_CSV_SCHEMA_H_
#define KEYPROJ_CSV_SCHEMA_H_

#include <span>
#include <string_view>
#include <vector>

#include "keyproj/internal/project_fields.h"
#include "keyproj/ledger.h"

namespace keyproj {

struct CsvColumn {
  std::string_view id;       // English header, also the field name in diagnostics
  std::string_view chinese;  // Chinese header as the spec writes it (unit in brackets)
  std::string_view aliases;  // further accepted headers, '|'-separated
  bool required;             // the file must have this column
};

// projects.csv's columns: the rows of the project-field table
// (internal/project_fields.h), where a project field is defined.
inline std::span<const CsvColumn> ProjectCsvColumns() {
  static const std::vector<CsvColumn> kColumns = [] {
    std::vector<CsvColumn> columns;
    for (const internal::ProjectField& f : internal::ProjectFields()) {
      columns.push_back({f.id, f.chinese, f.aliases, f.required});
    }
    return columns;
  }();
  return kColumns;
}

// Headers are matched after normalising: ASCII case and surrounding spaces ignored,
// full-width brackets （） read as (), and a Chinese header may omit its bracketed
// unit ("总投资" for "总投资（万元）").
inline std::span<const CsvColumn> CsvColumns(Table table) {
  static constexpr CsvColumn kMonthly[] = {
      {"code", "项目代码", "项目编码|项目编号", true},
      {"month", "月份", "", true},
      {"investment", "当月完成投资（万元）", "完成投资（万元）", false},
      {"funds_arrived", "当月到位资金（万元）", "到位资金（万元）", false},
      {"progress", "形象进度", "", false},
      {"problems", "存在问题", "", false},
      {"reported_on", "报送时间", "", false},
  };
  static constexpr CsvColumn kFunding[] = {
      {"code", "项目代码", "项目编码|项目编号", true},
      {"year", "年度", "", true},
      {"source", "资金来源", "", true},
      {"requested", "申报金额（万元）", "", false},
      {"approved", "下达金额（万元）", "", false},
      {"arrived", "到位金额（万元）", "", false},
      {"currency", "币种", "", false},
  };
  static constexpr CsvColumn kPlans[] = {
      {"code", "项目代码", "项目编码|项目编号", true},
      {"year", "年度", "", true},
      {"planned", "计划投资（万元）", "", true},
  };
  static constexpr CsvColumn kProblems[] = {
      {"code", "项目代码", "项目编码|项目编号", true},
      {"id", "问题编号", "", true},
      {"kind", "问题类别", "", true},
      {"description", "问题描述", "", false},
      {"owner", "责任单位", "", false},
      {"raised_on", "提出时间", "", false},
      {"due", "办结时限", "", false},
      {"resolved_on", "解决时间", "", false},
  };
  static constexpr CsvColumn kBaseline[] = {
      {"month", "月份", "", true},
      {"dimension", "维度", "", true},
      {"key", "取值", "", false},
      {"investment", "上年同期完成投资（万元）", "", true},
  };
  static constexpr CsvColumn kApprovals[] = {
      {"code", "项目代码", "项目编码|项目编号", true},
      {"item", "审批事项", "手续事项|前期手续", true},
      {"required", "是否必需", "是否必须", false},
      {"planned_on", "计划办结时间", "计划完成时间", false},
      {"done_on", "办结时间", "完成时间|批复时间", false},
      {"authority", "审批部门", "审批机关", false},
      {"document_no", "批复文号", "文号", false},
  };
  switch (table) {
    case Table::kProjects: return ProjectCsvColumns();
    case Table::kApprovals: return kApprovals;
    case Table::kMonthly: return kMonthly;
    case Table::kFunding: return kFunding;
    case Table::kPlans: return kPlans;
    case Table::kProblems: return kProblems;
    case Table::kBaseline: return kBaseline;
  }
  return {};
}

}  // namespace keyproj

#endif  // KEYPROJ_CSV_SCHEMA_H_
