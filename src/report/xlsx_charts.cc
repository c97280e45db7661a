// The sheet 图表 (xlsx_charts.h).
//
// Layout (0-based rows, as libxlsxwriter counts):
//   title, unit line, then the monthly table at kHeaderRow:
//     月份 | 累计完成投资 | 年度计划投资 | 序时进度 | 按序时进度应完成投资
//   a row per month; an empty row; the ranking table:
//     名次 | <the first table's dimensions> | 占年度计划
//   a row per group, best first. The charts stand to the right of the tables.
#include "xlsx_charts.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "keyproj/engine.h"
#include "keyproj/indicators.h"
#include "keyproj/query.h"
#include "keyproj/internal/text.h"

namespace keyproj::xlsx {

using ::keyproj::internal::Cat;
namespace {

// The columns of the monthly table.
enum MonthCol : size_t { kMonthCol, kInvestmentCol, kPlanCol, kScheduleCol, kScheduledCol, kMonthCols };
// The columns of the ranking table.
enum RankCol : size_t { kRankCol, kGroupCol, kCompletionCol, kRankCols };
constexpr size_t kChartCol = kMonthCols + 1;  // an empty column between the tables and the charts

Value Times(const Value& a, const Value& b) {
  if (!a.applicable() || !b.applicable()) return Value();
  return Value::Ratio(a.num() * b.num(), a.den() * b.den());
}

// a > b, exactly (both applicable): the fractions' cross products.
bool Greater(const Value& a, const Value& b) { return a.num() * b.den() > b.num() * a.den(); }

const IndicatorDef& Def(std::string_view id) { return *FindIndicator(id)->def; }

}  // namespace

absl::StatusOr<ChartData> MakeChartData(const Ledger& ledger, const Report& report) {
  ChartData data;
  const Date as_of = report.query.as_of;
  const YearMonthDay ymd = as_of.ymd();
  for (int m = 1; m <= ymd.month; ++m) {
    Query q = report.query;
    q.group_by.clear();
    q.indicators = {"investment_ytd", "annual_plan", "schedule"};
    q.as_of = m == ymd.month ? as_of : Month::FromYm(ymd.year, m).last_day();
    absl::StatusOr<Result> r = Evaluate(ledger, q);
    if (!r.ok()) return r.status();
    const std::vector<Value>& v = r->total().values;
    data.months.push_back({m, q.as_of, v[0], v[1], v[2], Times(v[1], v[2])});
  }

  if (!report.tables.empty() && !report.tables.front().result.group_by.empty()) {
    const Result& first = report.tables.front().result;
    // The first table's own plan_completion when it has the column (the standard
    // dashboard does); else the same grouping evaluated for it alone.
    std::optional<Result> evaluated;
    const Result* source = &first;
    int col = first.column("plan_completion");
    if (col < 0) {
      Query q = report.query;
      q.group_by = first.group_by;
      q.indicators = {"plan_completion"};
      absl::StatusOr<Result> r = Evaluate(ledger, q);
      if (!r.ok()) return r.status();
      evaluated = *std::move(r);
      source = &*evaluated;
      col = 0;
    }
    for (size_t i = 0; i + 1 < source->rows.size(); ++i) {
      const Value& v = source->rows[i].values[static_cast<size_t>(col)];
      if (v.applicable()) data.ranked.push_back({RowLabel(*source, i, report.regions.get()), v});
    }
    std::stable_sort(data.ranked.begin(), data.ranked.end(),
                     [](const RankedGroup& a, const RankedGroup& b) { return Greater(a.plan_completion, b.plan_completion); });
    for (size_t g = 0; g < first.group_by.size(); ++g) {
      data.group_header += Cat(g > 0 ? " / " : "", DimensionLabel(first.group_by[g]));
    }
  }
  return data;
}

lxw_error WriteCharts(lxw_workbook* wb, lxw_worksheet* ws, const std::string& sheet_name, const Report& report,
                      const ChartData& data, Style* style) {
  const RenderOptions& options = style->options();
  const MoneyUnit money = options.money_unit;
  const IndicatorDef& investment = Def("investment_ytd");
  const IndicatorDef& plan = Def("annual_plan");
  const IndicatorDef& schedule = Def("schedule");
  const IndicatorDef& completion = Def("plan_completion");
  const int money_places = DisplayPlaces("investment_ytd", Unit::kMoney, investment.places, money, options);
  const int schedule_places = DisplayPlaces("schedule", Unit::kRate, schedule.places, money, options);
  const int completion_places = DisplayPlaces("plan_completion", Unit::kRate, completion.places, money, options);
  const std::string money_label(UnitSuffix(Unit::kMoney, money));
  Widths widths;

  // The monthly table.
  const std::string header[kMonthCols] = {
      "月份", Cat(investment.label, "（", money_label, "）"), Cat(plan.label, "（", money_label, "）"),
      Cat(schedule.label, "（%）"), Cat("按序时进度应完成投资（", money_label, "）")};
  for (size_t c = 0; c < kMonthCols; ++c) {
    if (lxw_error e = style->Text(ws, kHeaderRow, c, header[c], Look::kHeader, &widths); e != LXW_NO_ERROR) return e;
  }
  const size_t first_month = kHeaderRow + 1;
  for (size_t i = 0; i < data.months.size(); ++i) {
    const MonthFigures& m = data.months[i];
    const size_t row = first_month + i;
    const std::pair<const Value*, std::pair<Unit, int>> figures[] = {
        {&m.investment_ytd, {Unit::kMoney, money_places}},
        {&m.annual_plan, {Unit::kMoney, money_places}},
        {&m.schedule, {Unit::kRate, schedule_places}},
        {&m.scheduled_investment, {Unit::kMoney, money_places}}};
    if (lxw_error e = style->Text(ws, row, kMonthCol, Cat(m.month, "月"), Look::kBody, &widths); e != LXW_NO_ERROR) {
      return e;
    }
    for (size_t f = 0; f < std::size(figures); ++f) {
      if (lxw_error e = style->Figure(ws, row, kInvestmentCol + f, *figures[f].first, figures[f].second.first,
                                      figures[f].second.second, Look::kBody, &widths);
          e != LXW_NO_ERROR) {
        return e;
      }
    }
  }

  // The ranking table, below.
  const size_t rank_header = first_month + data.months.size() + 1;
  const size_t first_rank = rank_header + 1;
  if (!data.ranked.empty()) {
    const std::string rank_headers[kRankCols] = {"名次", data.group_header, Cat(completion.label, "（%）")};
    for (size_t c = 0; c < kRankCols; ++c) {
      if (lxw_error e = style->Text(ws, rank_header, c, rank_headers[c], Look::kHeader, &widths); e != LXW_NO_ERROR) {
        return e;
      }
    }
    for (size_t i = 0; i < data.ranked.size(); ++i) {
      const size_t row = first_rank + i;
      if (lxw_error e = style->Text(ws, row, kRankCol, Cat(i + 1), Look::kBody, &widths); e != LXW_NO_ERROR) return e;
      if (lxw_error e = style->Text(ws, row, kGroupCol, data.ranked[i].label, Look::kBody, &widths); e != LXW_NO_ERROR) {
        return e;
      }
      if (lxw_error e = style->Figure(ws, row, kCompletionCol, data.ranked[i].plan_completion, Unit::kRate,
                                      completion_places, Look::kBody, &widths);
          e != LXW_NO_ERROR) {
        return e;
      }
    }
  }

  const std::string period = Cat(PeriodTitle(report.query.as_of), report.scope_name);
  const auto last_month = static_cast<lxw_row_t>(first_month + data.months.size() - 1);
  const char* sheet = sheet_name.c_str();
  lxw_chart_font title_font{};
  title_font.size = 12;
  title_font.bold = LXW_TRUE;

  // (a) Cumulative investment by month against the 序时进度 line.
  if (!data.months.empty()) {
    lxw_chart* chart = workbook_add_chart(wb, LXW_CHART_LINE);
    if (chart == nullptr) return LXW_ERROR_MEMORY_MALLOC_FAILED;
    const std::string title = Cat(period, "累计完成投资与序时进度");
    chart_title_set_name(chart, title.c_str());
    chart_title_set_name_font(chart, &title_font);
    const std::pair<size_t, const char*> series[] = {{kInvestmentCol, "累计完成投资"}, {kScheduledCol, "序时进度"}};
    for (const auto& [col, name] : series) {
      lxw_chart_series* s = chart_add_series(chart, nullptr, nullptr);
      if (s == nullptr) return LXW_ERROR_MEMORY_MALLOC_FAILED;
      chart_series_set_categories(s, sheet, static_cast<lxw_row_t>(first_month), kMonthCol, last_month, kMonthCol);
      chart_series_set_values(s, sheet, static_cast<lxw_row_t>(first_month), static_cast<lxw_col_t>(col), last_month,
                              static_cast<lxw_col_t>(col));
      chart_series_set_name(s, name);
      chart_series_set_marker_type(s, col == kInvestmentCol ? LXW_CHART_MARKER_CIRCLE : LXW_CHART_MARKER_NONE);
      lxw_chart_line line{};
      line.width = 2.25;
      line.dash_type = col == kInvestmentCol ? LXW_CHART_LINE_DASH_SOLID : LXW_CHART_LINE_DASH_DASH;
      chart_series_set_line(s, &line);
    }
    chart_axis_set_name(chart->x_axis, "月份");
    const std::string y_name = Cat("完成投资（", money_label, "）");
    chart_axis_set_name(chart->y_axis, y_name.c_str());
    chart_axis_set_num_format(chart->y_axis, Style::NumberFormatCode(Unit::kMoney, 0).c_str());
    chart_legend_set_position(chart, LXW_CHART_LEGEND_BOTTOM);
    lxw_chart_options place{};
    place.x_scale = 1.2;
    place.y_scale = 1.1;
    if (lxw_error e = worksheet_insert_chart_opt(ws, static_cast<lxw_row_t>(kHeaderRow), kChartCol, chart, &place);
        e != LXW_NO_ERROR) {
      return e;
    }
  }

  // (b) The groups ranked by plan_completion: bars, best at the top.
  if (!data.ranked.empty()) {
    lxw_chart* chart = workbook_add_chart(wb, LXW_CHART_BAR);
    if (chart == nullptr) return LXW_ERROR_MEMORY_MALLOC_FAILED;
    const std::string title = Cat(period, "各", data.group_header, completion.label, "排名");
    chart_title_set_name(chart, title.c_str());
    chart_title_set_name_font(chart, &title_font);
    lxw_chart_series* s = chart_add_series(chart, nullptr, nullptr);
    if (s == nullptr) return LXW_ERROR_MEMORY_MALLOC_FAILED;
    const auto first = static_cast<lxw_row_t>(first_rank);
    const auto last = static_cast<lxw_row_t>(first_rank + data.ranked.size() - 1);
    chart_series_set_categories(s, sheet, first, kGroupCol, last, kGroupCol);
    chart_series_set_values(s, sheet, first, kCompletionCol, last, kCompletionCol);
    chart_series_set_name(s, std::string(completion.label).c_str());
    chart_series_set_labels(s);
    chart_series_set_labels_num_format(s, Style::NumberFormatCode(Unit::kRate, completion_places).c_str());
    // A bar chart's categories run up from the bottom: reversed, the best is on top.
    chart_axis_set_reverse(chart->y_axis);
    chart_axis_set_name(chart->x_axis, Cat(completion.label, "（%）").c_str());
    chart_axis_set_num_format(chart->x_axis, "0%");
    chart_legend_set_position(chart, LXW_CHART_LEGEND_NONE);
    lxw_chart_options place{};
    place.x_scale = 1.2;
    // Room for every bar: the default height holds about twelve.
    place.y_scale = std::max(1.1, static_cast<double>(data.ranked.size()) / 11);
    const auto row = static_cast<lxw_row_t>(data.months.empty() ? kHeaderRow : kHeaderRow + 18);
    if (lxw_error e = worksheet_insert_chart_opt(ws, row, kChartCol, chart, &place); e != LXW_NO_ERROR) return e;
  }

  std::vector<Unit> units = {Unit::kMoney, Unit::kRate};
  return style->SetUpPrintedSheet(
      ws, {Cat(period, "重点项目投资进度图表"), UnitLine(units, money), kMonthCols, 1, 0, 1}, widths);
}

}  // namespace keyproj::xlsx
