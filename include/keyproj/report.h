// Rendering results as the documents a bureau uses: the JSON other tools read, CSV
// and Markdown, aligned terminal tables, and (report_xlsx.h, narrative.h) workbooks
// and the Chinese paragraphs of a monthly report.
//
// Every surface draws labels, units and display places from the one catalogue
// (indicators.h) and rounds through DisplayValue (value.h), so a figure reads the
// same in a table, a workbook and a paragraph.
#ifndef KEYPROJ_REPORT_H_
#define KEYPROJ_REPORT_H_

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "keyproj/encoding.h"
#include "keyproj/engine.h"
#include "keyproj/enum_table.h"
#include "keyproj/ledger.h"
#include "keyproj/query.h"
#include "keyproj/regions.h"
#include "keyproj/scoring.h"
#include "keyproj/targets.h"
#include "keyproj/value.h"

namespace keyproj {

// One table of a report: a result and the title it is published under.
struct ReportTable {
  std::string title;  // e.g. "按项目类别", also the workbook's sheet name
  Result result;
  // Target statuses of the whole-scope row, when the report has a target set.
  std::vector<TargetStatus> targets;
  // County under city (ReportRequest::subtotals): for a table grouped by county (or by
  // dimensions ending in county) whose counties lie in more than one city, the same
  // indicators grouped with the county replaced by its city — the cities' own figures
  // from the engine (a rate of a city is not a sum of its counties' rates). Table, md,
  // csv and xlsx print a 小计 row per city after its counties (PrintedRows); JSON, the C
  // ABI and the Python binding read `result` alone.
  std::optional<Result> subtotals;
};

// A target set evaluated for every row of a grouping (the whole scope last).
struct TargetsTable {
  std::shared_ptr<const TargetSet> set;
  // The targets' indicators and `schedule` (the last column), grouped.
  Result result;
  // The statuses of every target, per row of `result`.
  std::vector<std::vector<TargetStatus>> rows;
  // The 序时进度 each row was compared with.
  std::vector<Value> schedule;
};

// A scoring scheme applied to the groups of a grouping: ranked, best first.
struct ScoresTable {
  std::shared_ptr<const ScoringScheme> scheme;
  Result result;
  std::vector<GroupScore> scores;
};

// The 招商 funnel (workflow.md §3): attracted projects from intention to production,
// intended -> signed -> signed_started -> signed_completed -> operating. Each step
// after the first names its stage (a catalogue id) and the conversion into it: this
// stage's count over the one before (Value::Ratio, not applicable over zero), a
// custom indicator (expression.h) of the funnel's own, computed in one place
// (MakeFunnel, report_request.h).
struct FunnelStep {
  std::string_view stage;             // catalogue id: "signed"
  std::string_view word;              // as the report text names it: "签约", "意向项目"
  std::string_view conversion;        // the conversion's id: "funnel_signed_rate"; "" for the first
  std::string_view conversion_label;  // "签约转化率"
};
std::span<const FunnelStep> FunnelSteps();

// The funnel section's title in every format (a bureau's heading).
inline constexpr std::string_view kFunnelTitle = "招商引资项目推进情况";

struct Report {
  std::vector<ReportTable> tables;
  // With ReportRequest::funnel_group_by: the funnel, titled kFunnelTitle. Its result's
  // columns are the stages and, after each stage but the first, the conversion into
  // it (intended, signed, funnel_signed_rate, signed_started, funnel_started_rate, ...);
  // a row per group, the whole scope last.
  std::optional<ReportTable> funnel;
  // The scope's name in text and titles: "全市", "全县", "全区".
  std::string scope_name = "全市";
  // Names for region groups (regions.csv); null or missing codes show the code.
  std::shared_ptr<const RegionNames> regions;
  // The query every table shares (as_of, scope, options and custom indicators;
  // its group_by and indicators are empty). The report text evaluates its own
  // placeholders with it.
  Query query;
  // With a target set / a scoring scheme (report_request.h).
  std::optional<TargetsTable> targets;
  std::optional<ScoresTable> scores;
  // What a reader should know before taking the figures for reported ones, one
  // sentence each (English, as errors are): the report date is past the ledger's last
  // month with figures (those months count as no investment) or before its first, or
  // -- the date left to its default -- few projects reach the latest month (one row
  // typed 2025-09 for 2024-09); a filter value no project of the ledger has (a typo:
  // region=610499, leader=张山). The report is made all the same; the CLI prints them
  // on stderr, the C ABI has kp_report_note, Python warns.
  std::vector<std::string> notes;
};

// The formats a report is written in. Crosses the C ABI: only ever append.
enum class ReportFormat : uint8_t {
  kTable = 0,     // aligned text tables for a terminal
  kJson = 1,      // the contract other tools read
  kCsv = 2,
  kMarkdown = 3,
  kText = 4,      // the Chinese paragraphs of a monthly report (narrative.h)
  kXlsx = 5,      // an Excel workbook (report_xlsx.h); written to a file only
};

template <>
struct EnumTraits<ReportFormat> {
  static std::span<const EnumEntry<ReportFormat>> entries() {
    static constexpr EnumEntry<ReportFormat> kEntries[] = {
        {ReportFormat::kTable, "table", "表格", ""},
        {ReportFormat::kJson, "json", "JSON", ""},
        {ReportFormat::kCsv, "csv", "CSV", ""},
        {ReportFormat::kMarkdown, "md", "Markdown", "markdown"},
        {ReportFormat::kText, "text", "文字报告", "txt"},
        {ReportFormat::kXlsx, "xlsx", "Excel", "excel"},
    };
    return kEntries;
  }
};

class NarrativeTemplate;  // narrative.h

struct RenderOptions {
  MoneyUnit money_unit = MoneyUnit::kWan;
  // Display places per indicator id, overriding the catalogue's defaults.
  std::map<std::string, int, std::less<>> places;
  // Decimals of ratios in machine output (JSON): "0.833333".
  int ratio_digits = 6;
  // The template of ReportFormat::kText; null: NarrativeTemplate::DefaultText().
  std::shared_ptr<const NarrativeTemplate> text_template;
  // ReportFormat::kXlsx: a sheet 图表 with the charts (cumulative investment by month
  // against 序时进度, the groups of the first table ranked by plan_completion) and
  // the figures behind them. false: a bare workbook of tables.
  bool charts = true;
  // Dossiers (dossier.h): text and md write the template once per group of this
  // dimension (text_template; null: LeaderDossierText()), and WriteXlsx a sheet per
  // group; the other formats are an error.
  std::optional<Dimension> dossier_by;
};

// The report as one document in `format` (every format but kXlsx, which
// WriteXlsx writes to a file): what `keyproj report --format F` prints. UTF-8.
// Errors: kXlsx (InvalidArgument); the report text's own queries failing.
absl::StatusOr<std::string> RenderReport(const Ledger& ledger, const Report& report, ReportFormat format,
                                         const RenderOptions& options);

// The report's target statuses, per group (`keyproj targets`): kTable or kJson.
absl::StatusOr<std::string> RenderTargets(const Report& report, ReportFormat format, const RenderOptions& options);

// The report's scores, ranked (`keyproj score`): kTable, kJson or kCsv.
absl::StatusOr<std::string> RenderScores(const Report& report, ReportFormat format, const RenderOptions& options);

// A rendered document in the bytes a bureau's tools read: GB18030 when asked
// (Excel on a Chinese Windows), else UTF-8 -- with a byte-order mark for CSV, which
// Excel needs to read UTF-8. Errors: text that GB18030 cannot hold; GB18030 asked
// for JSON, which is UTF-8 by definition.
absl::StatusOr<std::string> EncodeDocument(std::string document, ReportFormat format, Encoding encoding);

// The places a figure is shown with: the caller's override for indicator `id`
// (options.places; "" for none), else one decimal for money in 亿元, else
// `default_places` (the catalogue's, or DefaultPlaces of the unit).
int DisplayPlaces(std::string_view id, Unit unit, int default_places, MoneyUnit money_unit,
                  const RenderOptions& options);

// Display places of indicators from "ID=N" items (N from 0 to 6), each possibly a
// comma-separated list of them ("start_rate=0, plan_completion=2"): RenderOptions::
// places as `keyproj report --places` and C's kp_render_options.places give them.
// Each id is checked by `known`; an unknown id, or one given twice, is refused
// (either would leave a figure as it was without a word -- a typo; which of two wins).
// Messages begin "places ITEM: ".
absl::StatusOr<std::map<std::string, int, std::less<>>> ParsePlaces(
    std::span<const std::string> items, const std::function<absl::Status(std::string_view id)>& known);

// The display places of column `col` of `result` under `options`.
int PlacesOf(const Result& result, size_t col, const RenderOptions& options);

// "累计完成投资（万元）", "开工率（%）", "项目数（个）".
std::string ColumnHeader(const IndicatorRef& ref, MoneyUnit unit);

// A group key as people read it: "产业" for category industry, "新建" for
// build_type new, a region's name when `regions` knows it (else its code);
// "（未填）" for an empty key.
std::string GroupKeyLabel(Dimension dim, std::string_view key, const RegionNames* regions = nullptr);

// The text of a row's group in one cell: "产业 / 杨陵区"; "合计" for the whole scope.
std::string RowLabel(const Result& result, size_t row, const RegionNames* regions = nullptr);

// The cell's display text ("83.3%", "262.90", "—").
std::string DisplayCell(const Result& result, size_t row, size_t col, const RenderOptions& options);

// A list note's value as reports print it: its text ("2024-10-22", "未报送"), or its
// number with the unit its key names (engine.h, ListNote): "45天", "3个月", "60.00%",
// "12000.00万元" (money in `money_unit`, rounded half-up as DisplayValue does), followed
// by its text when it has both ("92天（可研批复）"; a plain count gives way to its text).
std::string NoteValueText(const ListNote& note, MoneyUnit money_unit = MoneyUnit::kWan);

// The note as a line of a project list says it: "最长超期天数：92天".
std::string NoteLine(const ListNote& note, MoneyUnit money_unit = MoneyUnit::kWan);

// A date as reports write it: "2024年9月30日".
std::string ChineseDate(Date date);

// A section's number as a bureau writes it (一、二、… 十一、… 一百零五、… 九千九百九十九、);
// from 10000 on, the digits.
std::string ChineseOrdinal(size_t n);

// A default title for a grouping: "按项目类别", "按项目类别×县（区）", "全部".
std::string GroupingTitle(const std::vector<Dimension>& group_by);

// JSON, the contract of the shared architecture spec: for one table
//   {"as_of": "2024-09-30", "group_by": ["category"],
//    "rows": [{"group": {"category": "industry"}, "values": {...}, "display": {...}}, ...]}
// values exact (money in 万元, rates as fractions, null when not applicable), the
// whole-scope row last. Indicators that list projects add "projects": {id: [{"code",
// "name", note key: number or text}]} to each row (the note: why the project is
// listed, engine.h ListNote: {"code": "W3", "name": "...", "reported_on": "2024-10-22"});
// a report with targets adds "targets": [...]; a grouping whose rows overlap (by tag,
// GroupsOverlap) adds "groups_overlap": true. A report of several tables is a JSON
// array of such objects.
std::string RenderJson(const Ledger& ledger, const Report& report, const RenderOptions& options);

// Display text as CSV (RFC 4180, CRLF line ends, UTF-8 without BOM: the caller adds
// a BOM or converts to GB18030). Each table: a title line, a header line, its rows;
// tables are separated by an empty line; under a table whose rows overlap (by tag),
// the line kGroupsOverlapNote. With the ledger, each table is followed by its project
// lists, each group row's that name a project ("杨陵区 · 未按时报送（2个）") then the
// whole scope's (an empty line, "未按时报送（2个）", 项目代码,项目名称 and the note's
// label, a line per project); without it, by none.
std::string RenderCsv(const Report& report, const RenderOptions& options);
std::string RenderCsv(const Ledger* ledger, const Report& report, const RenderOptions& options);

// GitHub-flavoured Markdown: a "### title" and a pipe table per table, figures
// right-aligned.
std::string RenderMarkdown(const Report& report, const RenderOptions& options);

// Aligned text tables for a terminal, CJK-width aware. A table wider than
// `max_width` columns is printed transposed (indicators down, groups across) when
// that is narrower.
std::string RenderTextTables(const Report& report, const RenderOptions& options, int max_width = 120);

// The projects behind the warning indicators of a table, as text: for each group row
// that lists any, "杨陵区 · 未按时报送（2个）" and a line per project (code, name and
// why it is listed: "  CODE  名称  报送日期：2024-10-22", NoteLine); then the
// whole-scope row's, "未按时报送（3个）" (or "未按时报送（0个）：无"). Group rows are
// named by RowLabel with `regions`. "" when the table has no such indicator.
// (Markdown prints them as pipe tables, a column headed by the note's label.)
std::string RenderProjectLists(const Ledger& ledger, const ReportTable& table, const RenderOptions& options = {},
                               const RegionNames* regions = nullptr);

// Target statuses as a JSON array (what RenderJson puts under "targets"): indicator,
// label, bound, target, actual, progress, gap (exact values) and status.
std::string RenderTargetsJson(const std::vector<TargetStatus>& targets, const RenderOptions& options);

// Report::targets' statuses for every row (each group, the whole scope last) as a JSON
// array: [{"group": {...}, "schedule": "0.750000", "status": [RenderTargetsJson]}, ...]
// -- the "targets" of `keyproj targets --format json`, and a report's
// "targets_by_group" when its target set is broken down by group ([tasks]). "[]"
// without a target set.
std::string RenderTargetsByGroupJson(const Report& report, const RenderOptions& options);

// One target as the cells reports show: 指标, 实际, 目标 (">= 95.0%"), 完成进度, 差距
// (a rate's gap in points), 状态.
std::vector<std::string> TargetCells(const TargetStatus& status, const RenderOptions& options);

// Target statuses as text rows: 指标, 实际, 目标, 完成进度, 差距, 状态.
std::string RenderTargetsTable(const std::vector<TargetStatus>& targets, const RenderOptions& options);

// A row of a table as table, md, csv and xlsx print it: a row of the table's result,
// or (subtotal) the row of ReportTable::subtotals for the city whose counties precede it.
struct PrintedRow {
  const Result* result;
  size_t row;
  bool subtotal = false;
};

// The rows of `table` in print order: the result's rows, each city's 小计 row after the
// last of its counties (within the same leading groups: 产业 / 宝鸡市小计), 合计 last.
std::vector<PrintedRow> PrintedRows(const ReportTable& table);

// The printed cells of a row's group columns: RowLabel's parts ("产业", "杨陵区"), for a
// subtotal the city's name and 小计 in the county column ("宝鸡市小计"); {"合计", "", ...}
// for the whole scope; {"合计"} for a table without groups.
std::vector<std::string> GroupCells(const PrintedRow& row, const RegionNames* regions = nullptr);

// "个", "万元"/"亿元", "%", "百分点", "倍", "月": the label of a unit, as column headers
// and unit lines (单位：万元、%) write it.
std::string_view UnitSuffix(Unit unit, MoneyUnit money_unit);

}  // namespace keyproj

#endif  // KEYPROJ_REPORT_H_
