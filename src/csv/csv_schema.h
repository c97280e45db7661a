// The columns of each ledger CSV file: English id, Chinese alias(es), and whether a
// file must have it. The loader matches headers against this table and the writer
// prints its ids, so a column's names are defined only here.
#ifndef KEYPROJ_CSV_SCHEMA_H_
#define KEYPROJ_CSV_SCHEMA_H_

#include <span>
#include <string_view>

#include "keyproj/ledger.h"

namespace keyproj {

struct CsvColumn {
  std::string_view id;       // English header, also the field name in diagnostics
  std::string_view chinese;  // Chinese header as the spec writes it (unit in brackets)
  std::string_view aliases;  // further accepted headers, '|'-separated
  bool required;             // the file must have this column
};

// Headers are matched after normalising: ASCII case and surrounding spaces ignored,
// full-width brackets （） read as (), and a Chinese header may omit its bracketed
// unit ("总投资" for "总投资（万元）").
inline std::span<const CsvColumn> CsvColumns(Table table) {
  static constexpr CsvColumn kProjects[] = {
      {"code", "项目代码", "项目编码|项目编号", true},
      {"name", "项目名称", "", true},
      {"region", "行政区划代码", "行政区划|区划代码", false},
      {"industry", "国民经济行业", "行业代码|所属行业|国民经济行业分类", false},
      {"category", "项目类别", "类别|项目类型", false},
      {"level", "项目级别", "级别", false},
      {"build_type", "建设性质", "", false},
      {"total_investment", "总投资（万元）", "", false},
      {"annual_plan", "年度计划投资（万元）", "年度计划（万元）", false},
      {"plan_year", "计划年度", "", false},
      {"planned_start", "计划开工时间", "", false},
      {"planned_completion", "计划竣工时间", "", false},
      {"stage", "项目阶段", "阶段", false},
      {"reserved_on", "入库时间", "", false},
      {"started_on", "开工时间", "实际开工时间", false},
      {"completed_on", "竣工时间", "实际竣工时间", false},
      {"suspended_on", "停建时间", "", false},
      {"cancelled_on", "退出时间", "", false},
      {"attracted", "招商引资项目", "是否招商引资项目|招商引资", false},
      {"investor", "投资主体", "", false},
      {"signed_on", "签约时间", "", false},
      {"contracted_investment", "签约投资额（万元）", "签约投资（万元）", false},
      {"start_due", "约定开工时间", "", false},
      {"leader", "包抓领导", "", false},
      {"department", "责任单位", "", false},
      {"tags", "标签", "", false},
  };
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
  switch (table) {
    case Table::kProjects: return kProjects;
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
