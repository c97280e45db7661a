// Internal: the fields of a project (projects.csv), one row each -- the one place a
// project field is defined, in the shape of the indicator catalogue. A row says a
// field's English id and Chinese header (csv/csv_schema.h's projects table is made
// from them), whether projects.csv must have it, its kind, and where ProjectRecord
// and ProjectColumns hold it. The CSV loader (cell -> record), the CSV writer
// (column -> cell), the builder (record -> columns) and ledger comparison read the
// table and do per kind what a field needs; none of them lists the fields.
//
// A new column of an existing kind is one row in src/ledger/project_fields.cc plus its
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
                                  std::vector<uint32_t> ProjectColumns::*,  // kCode, kText; kTags: tag_ids
                                  std::vector<int32_t> ProjectColumns::*,   // kRegion, kDate
                                  std::vector<IndustryCode> ProjectColumns::*,
                                  std::vector<Category> ProjectColumns::*,
                                  std::vector<Level> ProjectColumns::*,
                                  std::vector<BuildType> ProjectColumns::*,
                                  std::vector<Stage> ProjectColumns::*,
                                  std::vector<Attracted> ProjectColumns::*,
                                  std::vector<int64_t> ProjectColumns::*>;  // kMoney

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

// Every project field, in projects.csv's column order (the writer's order).
std::span<const ProjectField> ProjectFields();

// The index of the field with English id `id` in ProjectFields().
std::optional<size_t> FindProjectField(std::string_view id);

// The member of a field as T (nullptr when it is held otherwise).
template <typename T>
T ProjectRecord::*RecordMemberAs(const ProjectField& f) {
  auto* m = std::get_if<T ProjectRecord::*>(&f.record);
  return m != nullptr ? *m : nullptr;
}
template <typename T>
std::vector<T> ProjectColumns::*ColumnMemberAs(const ProjectField& f) {
  auto* m = std::get_if<std::vector<T> ProjectColumns::*>(&f.column);
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
             (!f.stored() || std::holds_alternative<std::vector<E> ProjectColumns::*>(f.column))) ||
            ...);
  }

  // Calls fn(E ProjectRecord::* record, std::vector<E> ProjectColumns::* column) with
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

// Appends a record's stored fields to the columns, text interned in `strings` -- all
// but the code, which the builder keeps itself (it is the key).
void AppendProjectFields(const ProjectRecord& r, ProjectColumns& c, StringPool& strings);

}  // namespace keyproj::internal

#endif  // KEYPROJ_INTERNAL_PROJECT_FIELDS_H_
