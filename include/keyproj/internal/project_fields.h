// Internal: the fields of a project (projects.csv), one row each (kProjectFields
// below) -- the one place a project field is defined, in the shape of the indicator
// catalogue. A row says a
// field's English id and Chinese header (csv/csv_schema.h's projects table is made
// from them), whether projects.csv must have it, its kind, and where ProjectRecord
// and ProjectColumns hold it. The CSV loader (cell -> record), the CSV writer
// (column -> cell), the builder (record -> columns) and ledger comparison read the
// table and do per kind what a field needs; none of them lists the fields.
//
// A new column of an existing kind is one row in the table below plus its
// ProjectRecord and ProjectColumns members; tests/project_fields_test.cc round-trips
// every row through the loader and the writer.
//
// What is special about a field beyond its kind is named in its row (FieldRule) and
// done in one place: the code is the key (LedgerBuilder interns it; a national code
// gives code_form, code_year and fills an empty region); stage is derived from the dates
// when empty; annual_plan and plan_year become a row of plans, not project columns;
// tags are a kind of their own (several values in one cell).
#ifndef KEYPROJ_INTERNAL_PROJECT_FIELDS_H_
#define KEYPROJ_INTERNAL_PROJECT_FIELDS_H_

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "keyproj/internal/ledger_columns.h"
#include "keyproj/internal/string_pool.h"
#include "keyproj/ledger.h"
#include "keyproj/ledger_builder.h"

namespace keyproj::internal {

// What a field holds: how a cell is parsed and written, and how it is stored.
enum class FieldKind : uint8_t {
  kCode,      // the project code: std::string -> id in Ledger::codes()
  kText,      // std::string -> id in Ledger::strings() (interned)
  kRegion,    // int32_t 6-digit division code (GB/T 2260); 0 = not known
  kIndustry,  // IndustryCode (GB/T 4754)
  kEnum,      // a vocabulary of enum_table.h (Category, Level, BuildType, Stage)
  kYesNo,     // Attracted: 1/0, 是/否, ...
  kMoney,     // std::optional<Money> (万元 text) -> int64 分, kNoMoney when empty
  kYear,      // std::optional<int>: four digits, optionally 年
  kDate,      // std::optional<Date> -> day number, kNoDay when empty
  kTags,      // std::vector<std::string> (';' or '；' between tags) -> tag_begin / tag_ids
};

// What else is done with a field, by whom (one place each).
enum class FieldRule : uint8_t {
  kPlain = 0,
  kFilledFromCode,    // region: a national project code fills an empty cell (LedgerBuilder)
  kDerivedFromDates,  // stage: derived from the dates when empty, checked against them (LedgerBuilder)
  kStageDate,         // a date of StageDates: checked against the stage (LedgerBuilder)
  kPlanShorthand,     // annual_plan + plan_year: one row of plans (LedgerBuilder, plans.csv), no column
};

// Where ProjectRecord holds a field (what the loader fills, the builder reads).
using RecordMember = std::variant<std::monostate,
                                  std::string ProjectRecord::*,               // kCode, kText
                                  int32_t ProjectRecord::*,                   // kRegion
                                  IndustryCode ProjectRecord::*,              // kIndustry
                                  Category ProjectRecord::*,                  // kEnum
                                  Level ProjectRecord::*,                     // kEnum
                                  BuildType ProjectRecord::*,                 // kEnum
                                  Stage ProjectRecord::*,                     // kEnum
                                  Attracted ProjectRecord::*,                 // kYesNo
                                  std::optional<Money> ProjectRecord::*,      // kMoney
                                  std::optional<int> ProjectRecord::*,        // kYear
                                  std::optional<Date> ProjectRecord::*,       // kDate
                                  std::optional<Date> StageDates::*,          // kDate in .dates
                                  std::vector<std::string> ProjectRecord::*>;  // kTags

// Where the ledger keeps it, one entry per project; monostate: not a project column.
using ColumnMember = std::variant<std::monostate,
                                  Column<uint32_t> ProjectColumns::*,  // kCode, kText; kTags: tag_ids
                                  Column<int32_t> ProjectColumns::*,   // kRegion, kDate
                                  Column<IndustryCode> ProjectColumns::*,
                                  Column<Category> ProjectColumns::*,
                                  Column<Level> ProjectColumns::*,
                                  Column<BuildType> ProjectColumns::*,
                                  Column<Stage> ProjectColumns::*,
                                  Column<Attracted> ProjectColumns::*,
                                  Column<int64_t> ProjectColumns::*>;  // kMoney

struct ProjectField {
  std::string_view id;       // English header, also the field name in diagnostics
  std::string_view chinese;  // Chinese header as the spec writes it (unit in brackets)
  std::string_view aliases;  // further accepted headers, '|'-separated
  bool required;             // projects.csv must have the column, and each row a value
  FieldKind kind;
  RecordMember record;
  ColumnMember column;
  FieldRule rule = FieldRule::kPlain;
  std::string_view noun = {};  // kEnum: the vocabulary in messages ("unknown build type 'x'")

  constexpr bool stored() const { return column.index() != 0; }  // a column of the ledger, written back
};

// The index of the field with English id `id` in ProjectFields().
std::optional<size_t> FindProjectField(std::string_view id);

// The member of a field as T (nullptr when it is held otherwise).
template <typename T>
constexpr T ProjectRecord::*RecordMemberAs(const ProjectField& f) {
  auto* m = std::get_if<T ProjectRecord::*>(&f.record);
  return m != nullptr ? *m : nullptr;
}
template <typename T>
constexpr Column<T> ProjectColumns::*ColumnMemberAs(const ProjectField& f) {
  auto* m = std::get_if<Column<T> ProjectColumns::*>(&f.column);
  return m != nullptr ? *m : nullptr;
}

// A kDate field of a record (ProjectRecord's own or one of its StageDates).
inline std::optional<Date>* DateIn(const ProjectField& f, ProjectRecord& r) {
  if (auto* m = std::get_if<std::optional<Date> StageDates::*>(&f.record)) return &(r.dates.**m);
  if (auto* m = std::get_if<std::optional<Date> ProjectRecord::*>(&f.record)) return &(r.**m);
  return nullptr;
}
inline const std::optional<Date>* DateIn(const ProjectField& f, const ProjectRecord& r) {
  if (auto* m = std::get_if<std::optional<Date> StageDates::*>(&f.record)) return &(r.dates.**m);
  if (auto* m = std::get_if<std::optional<Date> ProjectRecord::*>(&f.record)) return &(r.**m);
  return nullptr;
}

template <typename... E>
struct EnumTypes {
  // Whether f is held as one of E (and, when stored, kept as a column of it).
  static constexpr bool Fits(const ProjectField& f) {
    return ((std::holds_alternative<E ProjectRecord::*>(f.record) &&
             (!f.stored() || std::holds_alternative<Column<E> ProjectColumns::*>(f.column))) ||
            ...);
  }

  // Calls fn(E ProjectRecord::* record, Column<E> ProjectColumns::* column) with
  // the E of a kEnum field (column nullptr when not stored); false for no such E.
  template <typename Fn>
  static bool Visit(const ProjectField& f, Fn&& fn) {
    return ((std::get_if<E ProjectRecord::*>(&f.record) != nullptr
                 ? (fn(*std::get_if<E ProjectRecord::*>(&f.record), ColumnMemberAs<E>(f)), true)
                 : false) ||
            ...);
  }
};
// The vocabularies a kEnum field may hold (RecordMember and ColumnMember list them too).
using ProjectEnums = EnumTypes<Category, Level, BuildType, Stage>;

// ---- the table --------------------------------------------------------------------

namespace project_field_rows {
using K = FieldKind;
using R = ProjectRecord;
using C = ProjectColumns;
inline constexpr bool kRequired = true;
inline constexpr bool kOptional = false;

// clang-format off
inline constexpr ProjectField kRows[] = {
  {"code", "项目代码", "项目编码|项目编号", kRequired, K::kCode, &R::code, &C::code},
  {"name", "项目名称", "", kRequired, K::kText, &R::name, &C::name},
  {"region", "行政区划代码", "行政区划|区划代码", kOptional, K::kRegion, &R::region, &C::region,
   FieldRule::kFilledFromCode},
  {"industry", "国民经济行业", "行业代码|所属行业|国民经济行业分类", kOptional, K::kIndustry,
   &R::industry, &C::industry},
  {"category", "项目类别", "类别|项目类型", kOptional, K::kEnum, &R::category, &C::category,
   FieldRule::kPlain, "category"},
  {"level", "项目级别", "级别", kOptional, K::kEnum, &R::level, &C::level, FieldRule::kPlain, "level"},
  {"build_type", "建设性质", "", kOptional, K::kEnum, &R::build_type, &C::build_type,
   FieldRule::kPlain, "build type"},
  {"total_investment", "总投资（万元）", "", kOptional, K::kMoney, &R::total_investment,
   &C::total_investment},
  {"annual_plan", "年度计划投资（万元）", "年度计划（万元）|年度投资计划（万元）", kOptional, K::kMoney, &R::annual_plan, {},
   FieldRule::kPlanShorthand},
  {"plan_year", "计划年度", "", kOptional, K::kYear, &R::plan_year, {}, FieldRule::kPlanShorthand},
  {"planned_start", "计划开工时间", "", kOptional, K::kDate, &R::planned_start, &C::planned_start},
  {"planned_completion", "计划竣工时间", "", kOptional, K::kDate, &R::planned_completion,
   &C::planned_completion},
  {"stage", "项目阶段", "阶段", kOptional, K::kEnum, &R::stage, &C::stage,
   FieldRule::kDerivedFromDates, "stage"},
  {"reserved_on", "入库时间", "", kOptional, K::kDate, &StageDates::reserved_on, &C::reserved_on,
   FieldRule::kStageDate},
  {"started_on", "开工时间", "实际开工时间", kOptional, K::kDate, &StageDates::started_on,
   &C::started_on, FieldRule::kStageDate},
  {"completed_on", "竣工时间", "实际竣工时间", kOptional, K::kDate, &StageDates::completed_on,
   &C::completed_on, FieldRule::kStageDate},
  {"suspended_on", "停建时间", "", kOptional, K::kDate, &StageDates::suspended_on, &C::suspended_on,
   FieldRule::kStageDate},
  {"cancelled_on", "退出时间", "", kOptional, K::kDate, &StageDates::cancelled_on, &C::cancelled_on,
   FieldRule::kStageDate},
  {"attracted", "招商引资项目", "是否招商引资项目|招商引资", kOptional, K::kYesNo, &R::attracted,
   &C::attracted},
  {"investor", "投资主体", "", kOptional, K::kText, &R::investor, &C::investor},
  {"signed_on", "签约时间", "", kOptional, K::kDate, &StageDates::signed_on, &C::signed_on,
   FieldRule::kStageDate},
  {"contracted_investment", "签约投资额（万元）", "签约投资（万元）", kOptional, K::kMoney,
   &R::contracted_investment, &C::contracted_investment},
  {"start_due", "约定开工时间", "", kOptional, K::kDate, &R::start_due, &C::start_due},
  {"leader", "包抓领导", "责任领导|包联领导|联系领导", kOptional, K::kText, &R::leader, &C::leader},
  {"department", "责任单位", "", kOptional, K::kText, &R::department, &C::department},
  {"tags", "标签", "", kOptional, K::kTags, &R::tags, &C::tag_ids},
  {"intended_on", "意向时间", "签订意向时间|意向签约时间|框架协议时间", kOptional, K::kDate,
   &StageDates::intended_on, &C::intended_on, FieldRule::kStageDate},
  {"operating_on", "投产时间", "投产运营时间|建成投产时间", kOptional, K::kDate, &StageDates::operating_on,
   &C::operating_on, FieldRule::kStageDate},
};
// clang-format on
}  // namespace project_field_rows

// Every project field, in projects.csv's column order (the writer's order). A
// constant, so that the loader and the builder can walk it at compile time.
inline constexpr std::span<const ProjectField> kProjectFields = project_field_rows::kRows;
inline std::span<const ProjectField> ProjectFields() { return kProjectFields; }

// Project p's stage dates (the kStageDate fields) as the ledger keeps them, each one
// only when keep(day) says so: every known one (keep = a known day), or those that
// had happened by a date -- what StageFromDates and CheckStageDates read. Written out
// rather than walked from kProjectFields, since grouping by stage asks it of every
// project of a query; project_fields_test checks it covers every kStageDate field.
template <typename Keep>
StageDates StageDatesOf(const ProjectColumns& c, uint32_t p, Keep keep) {
  auto day = [&](const Column<int32_t>& column) {
    const int32_t v = column[p];
    return v != kNoDay && keep(v) ? std::optional<Date>(Date::FromDays(v)) : std::nullopt;
  };
  return StageDates{.reserved_on = day(c.reserved_on),
                    .intended_on = day(c.intended_on),
                    .signed_on = day(c.signed_on),
                    .started_on = day(c.started_on),
                    .completed_on = day(c.completed_on),
                    .operating_on = day(c.operating_on),
                    .suspended_on = day(c.suspended_on),
                    .cancelled_on = day(c.cancelled_on)};
}

// Appends a record's stored fields to the columns, text interned in `strings`
// through `recent` (a cache per field, kept by the caller from row to row) -- all but
// the code, which the builder keeps itself (it is the key).
using ProjectRecentStrings = std::array<RecentStrings, kProjectFields.size()>;
void AppendProjectFields(const ProjectRecord& r, ProjectColumns& c, StringPool& strings,
                         ProjectRecentStrings& recent);
// Starts fetching what AppendProjectFields would look up for `r` in `strings` (its
// texts that `recent` would not find now): a hint, a few records ahead.
void PrefetchProjectFields(const ProjectRecord& r, const StringPool& strings, const ProjectRecentStrings& recent);

}  // namespace keyproj::internal

#endif  // KEYPROJ_INTERNAL_PROJECT_FIELDS_H_
