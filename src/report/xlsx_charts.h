// The workbook's sheet 图表 (workflow.md §7): native Excel charts a bureau forwards —
// cumulative investment by month against the 序时进度 line of the plan, and the
// groups of the report's first table ranked by plan_completion — drawn from cells of
// the same sheet that hold their figures.
#ifndef KEYPROJ_SRC_REPORT_XLSX_CHARTS_H_
#define KEYPROJ_SRC_REPORT_XLSX_CHARTS_H_

#include <string>
#include <vector>

#include <xlsxwriter.h>

#include "absl/status/statusor.h"
#include "keyproj/ledger.h"
#include "keyproj/report.h"
#include "keyproj/value.h"
#include "xlsx_sheet.h"

namespace keyproj::xlsx {

// One month of the year of as_of, January to as_of's month, for the whole scope.
struct MonthFigures {
  int month = 0;               // 1..12
  Date date;                   // the month's end (as_of itself for its own month)
  Value investment_ytd;        // 累计完成投资 at `date` (fen)
  Value annual_plan;           // 年度计划投资 (fen)
  Value schedule;              // 序时进度 at `date` (a fraction)
  Value scheduled_investment;  // annual_plan × schedule: what the plan asks for by `date`
};

// A group of the first table with its plan_completion, best first.
struct RankedGroup {
  std::string label;  // as the table shows the row: "杨陵区", "产业 / 杨陵区"
  Value plan_completion;
};

struct ChartData {
  std::vector<MonthFigures> months;
  // Groups with an applicable plan_completion, best first (equal ones in the table's
  // order); empty when the first table has no groups.
  std::vector<RankedGroup> ranked;
  std::string group_header;  // the first table's dimensions: "县（区）"
  bool empty() const { return months.empty() && ranked.empty(); }
};

// The charts' figures: the engine evaluated for the whole scope at each month end of
// as_of's year up to as_of (at most 12 queries, the report's query otherwise: scope,
// schedule mode and curve), and plan_completion grouped as the first table. Errors:
// those of Evaluate.
absl::StatusOr<ChartData> MakeChartData(const Ledger& ledger, const Report& report);

// Writes `data` and its two charts to `ws` (named `sheet_name`), a printed sheet as
// every other.
lxw_error WriteCharts(lxw_workbook* wb, lxw_worksheet* ws, const std::string& sheet_name, const Report& report,
                      const ChartData& data, Style* style);

}  // namespace keyproj::xlsx

#endif  // KEYPROJ_SRC_REPORT_XLSX_CHARTS_H_
