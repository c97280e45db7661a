// Internal: a row of a ledger table -> the record LedgerBuilder takes, for any
// source of cells. The CSV loader (a row of a file, loader.cc) and the column arrays
// of the C ABI (a row of the host's arrays, column_import.cc) both read records
// through these templates, so the two cannot drift apart: the same fields, the same
// cell rules (cell_parse.h), the same reasons.
//
// `Cells` is the source of one row's cells, addressed by field index (the position of
// the field in FieldIds(table), which is csv_schema.h's order). It provides:
//   int64_t line() const;            FieldMask bad() const;   // fields whose cells were reported
//   std::string_view Text(int f);    // trimmed; "" when absent; reports an empty required cell
//   std::optional<Money> GetMoney(int f, bool allow_negative);
//   std::optional<Date> GetDate(int f);        std::optional<Month> GetMonth(int f);
//   std::optional<int> GetYear(int f);         std::optional<int32_t> GetRegion(int f);
//   std::optional<IndustryCode> GetIndustry(int f);
//   std::optional<Attracted> GetAttracted(int f);
//   template <typename E> E GetEnum(int f, std::string_view what);  // E::kUnknown when empty
//   ProblemSet GetProblems(int f);
// Each getter reports a bad cell itself (naming the source's file, line and column)
// and returns "not known".
#ifndef KEYPROJ_SRC_CSV_TABLE_ROWS_H_
#define KEYPROJ_SRC_CSV_TABLE_ROWS_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "csv/cell_parse.h"
#include "csv/csv_schema.h"
#include "keyproj/internal/project_fields.h"
#include "keyproj/ledger.h"
#include "keyproj/ledger_builder.h"

namespace keyproj::internal {

// What a field's cells hold, as far as a typed source (column arrays) cares: which
// array types may carry it. Text cells of every kind go through cell_parse.h.
enum class CellKind : uint8_t { kText, kMoney, kDate, kMonth, kYear, kRegion, kYesNo };

// ---- The fields of each table, by index (csv_schema.h's order) -------------------------
inline namespace table_fields {
// projects.csv's fields are the project-field table's rows (project_fields.h): field
// index = row index.

enum MonthlyField { kMCode, kMMonth, kMInvestment, kMFundsArrived, kMProgress, kMProblems, kMReportedOn, kMFieldCount };
inline constexpr CellKind kMonthlyKinds[] = {CellKind::kText, CellKind::kMonth, CellKind::kMoney, CellKind::kMoney,
                                             CellKind::kText, CellKind::kText,  CellKind::kDate};
static_assert(std::size(kMonthlyKinds) == kMFieldCount);

enum FundingField { kFCode, kFYear, kFSource, kFRequested, kFApproved, kFArrived, kFCurrency, kFFieldCount };
inline constexpr CellKind kFundingKinds[] = {CellKind::kText,  CellKind::kYear,  CellKind::kText, CellKind::kMoney,
                                             CellKind::kMoney, CellKind::kMoney, CellKind::kText};
static_assert(std::size(kFundingKinds) == kFFieldCount);

enum PlanField { kLCode, kLYear, kLPlanned, kLFieldCount };
inline constexpr CellKind kPlanKinds[] = {CellKind::kText, CellKind::kYear, CellKind::kMoney};
static_assert(std::size(kPlanKinds) == kLFieldCount);

enum ProblemField { kRCode, kRId, kRKind, kRDescription, kROwner, kRRaisedOn, kRDue, kRResolvedOn, kRFieldCount };
inline constexpr CellKind kProblemKinds[] = {CellKind::kText, CellKind::kText, CellKind::kText, CellKind::kText,
                                             CellKind::kText, CellKind::kDate, CellKind::kDate, CellKind::kDate};
static_assert(std::size(kProblemKinds) == kRFieldCount);

enum BaselineField { kBMonth, kBDimension, kBKey, kBInvestment, kBFieldCount };
inline constexpr CellKind kBaselineKinds[] = {CellKind::kMonth, CellKind::kText, CellKind::kText, CellKind::kMoney};
static_assert(std::size(kBaselineKinds) == kBFieldCount);

enum ApprovalField { kACode, kAItem, kARequired, kAPlannedOn, kADoneOn, kAAuthority, kADocumentNo, kAFieldCount };
inline constexpr CellKind kApprovalKinds[] = {CellKind::kText, CellKind::kText, CellKind::kYesNo, CellKind::kDate,
                                              CellKind::kDate, CellKind::kText, CellKind::kText};
static_assert(std::size(kApprovalKinds) == kAFieldCount);

}  // namespace table_fields

// The English ids of a table's fields, csv_schema.h's columns (the one list of each
// table's fields; projects': the project-field table); a field's index is its
// position here, and the *Field enums above follow that order (checked by
// csv_schema_test).
inline std::span<const std::string_view> FieldIds(Table t) {
  static const std::array<std::vector<std::string_view>, kTableCount> kIds = [] {
    std::array<std::vector<std::string_view>, kTableCount> ids;
    for (size_t table = 0; table < ids.size(); ++table) {
      for (const CsvColumn& c : CsvColumns(static_cast<Table>(table))) ids[table].push_back(c.id);
    }
    return ids;
  }();
  return kIds[static_cast<size_t>(t)];
}

// The cell kind of each field of a table, in FieldIds' order; projects' from the
// project-field table's kinds.
inline std::span<const CellKind> CellKinds(Table t) {
  static const std::vector<CellKind> kProjectKinds = [] {
    std::vector<CellKind> kinds;
    for (const ProjectField& f : ProjectFields()) {
      switch (f.kind) {
        case FieldKind::kMoney: kinds.push_back(CellKind::kMoney); break;
        case FieldKind::kDate: kinds.push_back(CellKind::kDate); break;
        case FieldKind::kYear: kinds.push_back(CellKind::kYear); break;
        case FieldKind::kRegion: kinds.push_back(CellKind::kRegion); break;
        case FieldKind::kYesNo: kinds.push_back(CellKind::kYesNo); break;
        case FieldKind::kCode:
        case FieldKind::kText:
        case FieldKind::kIndustry:
        case FieldKind::kEnum:
        case FieldKind::kTags: kinds.push_back(CellKind::kText); break;
      }
    }
    return kinds;
  }();
  switch (t) {
    case Table::kProjects: return kProjectKinds;
    case Table::kMonthly: return kMonthlyKinds;
    case Table::kFunding: return kFundingKinds;
    case Table::kPlans: return kPlanKinds;
    case Table::kProblems: return kProblemKinds;
    case Table::kBaseline: return kBaselineKinds;
    case Table::kApprovals: return kApprovalKinds;
  }
  return {};
}

// The fields of a row whose cells were bad (reported by the getters), a bit each by
// field index -- what a source of cells keeps of a row, and LedgerBuilder's `unread`
// once named by UnreadFieldIds.
using FieldMask = uint64_t;
inline constexpr size_t kMaxFields = 64;
static_assert(kProjectFields.size() <= kMaxFields && kMFieldCount <= kMaxFields && kFFieldCount <= kMaxFields &&
              kLFieldCount <= kMaxFields && kRFieldCount <= kMaxFields && kBFieldCount <= kMaxFields &&
              kAFieldCount <= kMaxFields);

// The ids of the fields of `mask` (FieldIds', which live as long as the program),
// in field order, written to `out`.
inline LedgerBuilder::UnreadFields UnreadFieldIds(Table t, FieldMask mask,
                                                  std::array<std::string_view, kMaxFields>& out) {
  const std::span<const std::string_view> ids = FieldIds(t);
  size_t n = 0;
  for (size_t f = 0; f < ids.size(); ++f) {
    if ((mask >> f & 1) != 0) out[n++] = ids[f];
  }
  return {out.data(), n};
}

// A record with bad cells (the fields of `bad`) to the builder: add(record, their ids),
// which LedgerBuilder's Add* take as `unread` -- checked for its other problems, then
// rejected. The one place a source of cells turns its mask into the builder's ids.
template <typename Record, typename Add>
void AddWithUnread(Table t, FieldMask bad, Record& r, Add add) {
  std::array<std::string_view, kMaxFields> ids;
  add(r, UnreadFieldIds(t, bad, ids));
}

// ---- Rows -> records ------------------------------------------------------------------
// Each Read* fills the record's fields (not `line`, not `extras`), every one of them,
// so that a caller may read row after row into one record: its strings keep their
// buffers, where a fresh record allocated every text of every row. A row with bad
// cells is added with them unread (LedgerBuilder's `unread`: its other problems
// checked, then rejected).

// What a project field holds when its cell is empty or bad: the record's defaults.
inline const ProjectRecord& BlankProject() {
  static const ProjectRecord blank;
  return blank;
}

// Cell I of projects.csv into its field of the record, as the field's kind says. A
// template over the field table's row, so that kind and members are constants: no
// dispatch per cell at run time.
template <size_t I, typename Cells>
void ReadProjectCell(Cells& row, ProjectRecord& r) {
  constexpr const ProjectField& f = kProjectFields[I];
  constexpr int i = static_cast<int>(I);
  switch (f.kind) {
    case FieldKind::kCode:
    case FieldKind::kText: r.*RecordMemberAs<std::string>(f) = row.Text(i); break;
    case FieldKind::kRegion:
      r.*RecordMemberAs<int32_t>(f) = row.GetRegion(i).value_or(BlankProject().*RecordMemberAs<int32_t>(f));
      break;
    case FieldKind::kIndustry:
      r.*RecordMemberAs<IndustryCode>(f) =
          row.GetIndustry(i).value_or(BlankProject().*RecordMemberAs<IndustryCode>(f));
      break;
    case FieldKind::kEnum:
      ProjectEnums::Visit(f, [&]<typename E>(E ProjectRecord::*member, auto) {
        r.*member = row.template GetEnum<E>(i, f.noun);
      });
      break;
    case FieldKind::kYesNo:
      r.*RecordMemberAs<Attracted>(f) = row.GetAttracted(i).value_or(BlankProject().*RecordMemberAs<Attracted>(f));
      break;
    case FieldKind::kMoney: r.*RecordMemberAs<std::optional<Money>>(f) = row.GetMoney(i, false); break;
    case FieldKind::kYear: r.*RecordMemberAs<std::optional<int>>(f) = row.GetYear(i); break;
    case FieldKind::kDate: *DateIn(f, r) = row.GetDate(i); break;
    case FieldKind::kTags: r.*RecordMemberAs<std::vector<std::string>>(f) = SplitTags(row.Text(i)); break;
  }
}

template <typename Cells>
void ReadProjectRecord(Cells& row, ProjectRecord& r) {
  [&]<size_t... I>(std::index_sequence<I...>) {
    (ReadProjectCell<I>(row, r), ...);
  }(std::make_index_sequence<kProjectFields.size()>());
}

// `code` and `progress` view the row's text: add the record before the next row.
template <typename Cells>
void ReadMonthlyRecord(Cells& row, MonthlyRecord& r) {
  r.code = row.Text(kMCode);
  r.month = row.GetMonth(kMMonth).value_or(Month());
  r.investment = row.GetMoney(kMInvestment, true);  // a correction month may be negative
  r.funds_arrived = row.GetMoney(kMFundsArrived, false);
  r.progress = row.Text(kMProgress);
  r.problems = row.GetProblems(kMProblems);
  r.reported_on = row.GetDate(kMReportedOn);
}

template <typename Cells>
void ReadFundingRecord(Cells& row, FundingRecord& r) {
  r.code = row.Text(kFCode);
  r.year = row.GetYear(kFYear).value_or(0);
  r.source = row.template GetEnum<FundingSource>(kFSource, "funding source");
  r.requested = row.GetMoney(kFRequested, false);
  r.approved = row.GetMoney(kFApproved, false);
  r.arrived = row.GetMoney(kFArrived, false);
  r.currency = NormalizeCurrency(row.Text(kFCurrency));
}

template <typename Cells>
void ReadPlanRecord(Cells& row, PlanRecord& r) {
  r.code = row.Text(kLCode);
  r.year = row.GetYear(kLYear).value_or(0);
  r.planned = row.GetMoney(kLPlanned, false).value_or(Money());
}

template <typename Cells>
void ReadProblemRecord(Cells& row, ProblemRecord& r) {
  r.code = row.Text(kRCode);
  r.id = row.Text(kRId);
  r.kind = row.template GetEnum<ProblemKind>(kRKind, "problem kind");
  r.description = row.Text(kRDescription);
  r.owner = row.Text(kROwner);
  r.raised_on = row.GetDate(kRRaisedOn);
  r.due = row.GetDate(kRDue);
  r.resolved_on = row.GetDate(kRResolvedOn);
}

template <typename Cells>
void ReadBaselineRecord(Cells& row, BaselineRecord& r) {
  r.month = row.GetMonth(kBMonth).value_or(Month());
  r.dimension = row.Text(kBDimension);
  for (char& c : r.dimension) c = AsciiLower(c);
  r.key = row.Text(kBKey);
  r.investment = row.GetMoney(kBInvestment, false).value_or(Money());
}

template <typename Cells>
void ReadApprovalRecord(Cells& row, ApprovalRecord& r) {
  r.code = row.Text(kACode);
  r.item = row.template GetEnum<ApprovalItem>(kAItem, "approval item");
  r.required = row.GetAttracted(kARequired) != Attracted::kNo;  // a yes/no cell; empty = required
  r.planned_on = row.GetDate(kAPlannedOn);
  r.done_on = row.GetDate(kADoneOn);
  r.authority = row.Text(kAAuthority);
  r.document_no = row.Text(kADocumentNo);
}

// The getters a text source of cells (a CSV row) shares: `Derived` provides Text and
// Bad(field, reason); these turn the text into values by cell_parse.h's rules.
template <typename Derived>
class TextCells {
 public:
  std::optional<Money> GetMoney(int f, bool allow_negative) {
    return Value(f, [&](std::string_view s, std::string* why) { return MoneyCell(s, allow_negative, why); });
  }
  std::optional<Date> GetDate(int f) { return Value(f, DateCell); }
  std::optional<Month> GetMonth(int f) { return Value(f, MonthCell); }
  std::optional<int> GetYear(int f) { return Value(f, YearCell); }
  std::optional<int32_t> GetRegion(int f) { return Value(f, RegionCell); }
  std::optional<IndustryCode> GetIndustry(int f) { return Value(f, IndustryCell); }
  std::optional<Attracted> GetAttracted(int f) { return Value(f, AttractedCell); }
  template <typename E>
  E GetEnum(int f, std::string_view what) {
    return Value(f, [&](std::string_view s, std::string* why) { return EnumCell<E>(s, what, why); })
        .value_or(E::kUnknown);
  }
  ProblemSet GetProblems(int f) { return Value(f, ProblemsCell).value_or(ProblemSet{0}); }

 private:
  template <typename Parse>
  auto Value(int f, Parse parse) {
    Derived& self = static_cast<Derived&>(*this);
    const std::string_view s = self.Text(f);
    decltype(parse(s, nullptr)) v;
    if (s.empty()) return v;
    std::string why;
    v = parse(s, &why);
    if (!v) self.Bad(f, std::move(why));
    return v;
  }
};

}  // namespace keyproj::internal

#endif  // KEYPROJ_SRC_CSV_TABLE_ROWS_H_
