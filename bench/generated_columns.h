// The generator's ledger as column arrays, the way a host would hold it: typed
// arrays (money as int64 分 with scale 6, dates as date32, years and division codes
// as int32, yes/no as bool) with validity bitmaps for what is not known, text as
// Arrow utf8. Shared by bench/capi_bench.cc (building a ledger through the C ABI)
// and tests/column_import_test.cc (the typed round trip).
//
// Project columns are made per field kind from the project-field table
// (internal/project_fields.h): no list of project fields here.
#ifndef KEYPROJ_BENCH_GENERATED_COLUMNS_H_
#define KEYPROJ_BENCH_GENERATED_COLUMNS_H_

#include <array>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "keyproj/column_import.h"
#include "keyproj/enum_table.h"
#include "keyproj/generator.h"
#include "keyproj/internal/project_fields.h"
#include "keyproj/ledger_builder.h"
#include "keyproj/problem_kind.h"

namespace keyproj::bench {

// One owned column: its arrays grow row by row.
struct OwnedColumn {
  std::string name;
  ColumnType type = ColumnType::kUtf8;
  int32_t scale = 0;
  std::vector<int64_t> i64;
  std::vector<int32_t> i32;  // date32, int32
  std::vector<uint8_t> u8;   // bool
  std::string bytes;         // utf8 values
  std::vector<int32_t> offsets{0};
  std::vector<uint8_t> validity;
  size_t rows = 0;
  bool any_missing = false;

  OwnedColumn(std::string n, ColumnType t, int32_t s = 0) : name(std::move(n)), type(t), scale(s) {}

  void Valid(bool present) {
    if ((rows & 7) == 0) validity.push_back(0);
    if (present) {
      validity.back() |= static_cast<uint8_t>(1u << (rows & 7));
    } else {
      any_missing = true;
    }
    ++rows;
  }
  void Text(std::string_view s) {
    bytes.append(s);
    offsets.push_back(static_cast<int32_t>(bytes.size()));
    Valid(!s.empty());
  }
  void Int64(std::optional<int64_t> v) {
    i64.push_back(v.value_or(0));
    Valid(v.has_value());
  }
  void Int32(std::optional<int32_t> v) {
    i32.push_back(v.value_or(0));
    Valid(v.has_value());
  }
  void Bool(std::optional<bool> v) {
    u8.push_back(v.value_or(false) ? 1 : 0);
    Valid(v.has_value());
  }
  void Money(const std::optional<keyproj::Money>& m) { Int64(m ? std::optional<int64_t>(m->fen()) : std::nullopt); }
  void Date(const std::optional<keyproj::Date>& d) { Int32(d ? std::optional<int32_t>(d->days()) : std::nullopt); }

  ColumnView View() const {
    ColumnView v;
    v.name = name;
    v.type = type;
    v.scale = scale;
    switch (type) {
      case ColumnType::kInt64: v.values = i64.data(); break;
      case ColumnType::kInt32:
      case ColumnType::kDate32: v.values = i32.data(); break;
      case ColumnType::kBool: v.values = u8.data(); break;
      default:
        v.values = bytes.data();
        v.offsets = offsets.data();
    }
    if (any_missing) {
      v.validity = validity.data();
      v.validity_bytes = validity.size();
    }
    return v;
  }
};

// A GeneratorSink that keeps every table as columns.
class GeneratedColumns : public GeneratorSink {
 public:
  GeneratedColumns() {
    using internal::FieldKind;
    for (const internal::ProjectField& f : internal::ProjectFields()) {
      ColumnType t = ColumnType::kUtf8;
      switch (f.kind) {
        case FieldKind::kRegion:
        case FieldKind::kYear: t = ColumnType::kInt32; break;
        case FieldKind::kMoney: t = ColumnType::kInt64; break;
        case FieldKind::kDate: t = ColumnType::kDate32; break;
        case FieldKind::kYesNo: t = ColumnType::kBool; break;
        default: break;
      }
      Of(Table::kProjects).emplace_back(std::string(f.id), t, t == ColumnType::kInt64 ? kWanDecimals : 0);
    }
    auto add = [&](Table table, std::string name, ColumnType t) {
      Of(table).emplace_back(std::move(name), t, t == ColumnType::kInt64 ? kWanDecimals : 0);
    };
    for (auto [n, t] : {std::pair{"code", ColumnType::kUtf8}, {"month", ColumnType::kDate32},
                        {"investment", ColumnType::kInt64}, {"funds_arrived", ColumnType::kInt64},
                        {"progress", ColumnType::kUtf8}, {"problems", ColumnType::kUtf8},
                        {"reported_on", ColumnType::kDate32}}) {
      add(Table::kMonthly, n, t);
    }
    for (auto [n, t] : {std::pair{"code", ColumnType::kUtf8}, {"year", ColumnType::kInt32},
                        {"source", ColumnType::kUtf8}, {"requested", ColumnType::kInt64},
                        {"approved", ColumnType::kInt64}, {"arrived", ColumnType::kInt64},
                        {"currency", ColumnType::kUtf8}}) {
      add(Table::kFunding, n, t);
    }
    for (auto [n, t] : {std::pair{"code", ColumnType::kUtf8}, {"year", ColumnType::kInt32},
                        {"planned", ColumnType::kInt64}}) {
      add(Table::kPlans, n, t);
    }
    for (auto [n, t] : {std::pair{"code", ColumnType::kUtf8}, {"id", ColumnType::kUtf8},
                        {"kind", ColumnType::kUtf8}, {"description", ColumnType::kUtf8},
                        {"owner", ColumnType::kUtf8}, {"raised_on", ColumnType::kDate32},
                        {"due", ColumnType::kDate32}, {"resolved_on", ColumnType::kDate32}}) {
      add(Table::kProblems, n, t);
    }
    for (auto [n, t] : {std::pair{"month", ColumnType::kDate32}, {"dimension", ColumnType::kUtf8},
                        {"key", ColumnType::kUtf8}, {"investment", ColumnType::kInt64}}) {
      add(Table::kBaseline, n, t);
    }
    for (auto [n, t] : {std::pair{"code", ColumnType::kUtf8}, {"item", ColumnType::kUtf8},
                        {"required", ColumnType::kBool}, {"planned_on", ColumnType::kDate32},
                        {"done_on", ColumnType::kDate32}, {"authority", ColumnType::kUtf8},
                        {"document_no", ColumnType::kUtf8}}) {
      add(Table::kApprovals, n, t);
    }
  }

  std::vector<OwnedColumn>& Of(Table t) { return tables_[static_cast<int>(t)]; }
  const std::vector<OwnedColumn>& Of(Table t) const { return tables_[static_cast<int>(t)]; }
  size_t Rows(Table t) const { return Of(t).empty() ? 0 : Of(t)[0].rows; }
  std::vector<ColumnView> Views(Table t) const {
    std::vector<ColumnView> views;
    for (const OwnedColumn& c : Of(t)) views.push_back(c.View());
    return views;
  }
  // The order tables are added in: projects first (the others name them).
  static constexpr Table kOrder[] = {Table::kProjects,  Table::kPlans,    Table::kFunding, Table::kProblems,
                                     Table::kApprovals, Table::kBaseline, Table::kMonthly};

  // The generator's extra columns (GeneratorOptions::extra_columns: projects.csv's
  // 项目联系人) as text columns after the fields, as a DataFrame of projects.csv has them.
  void SetExtraHeaders(Table t, std::vector<std::string> headers) override {
    if (t != Table::kProjects) std::abort();  // the generator writes extras for projects only
    for (std::string& h : headers) Of(t).emplace_back(std::move(h), ColumnType::kUtf8, 0);
  }

  void Project(ProjectRecord&& r) override {
    using internal::FieldKind;
    using internal::RecordMemberAs;
    std::vector<OwnedColumn>& cols = Of(Table::kProjects);
    size_t i = 0;
    for (const internal::ProjectField& f : internal::ProjectFields()) {
      OwnedColumn& c = cols[i++];
      switch (f.kind) {
        case FieldKind::kCode:
        case FieldKind::kText: c.Text(r.*RecordMemberAs<std::string>(f)); break;
        case FieldKind::kRegion: {
          const int32_t region = r.*RecordMemberAs<int32_t>(f);
          c.Int32(region != 0 ? std::optional<int32_t>(region) : std::nullopt);
          break;
        }
        case FieldKind::kIndustry: c.Text((r.*RecordMemberAs<IndustryCode>(f)).ToString()); break;
        case FieldKind::kEnum:
          internal::ProjectEnums::Visit(f, [&]<typename E>(E ProjectRecord::*member, auto) {
            const E v = r.*member;
            c.Text(v == E::kUnknown ? std::string_view() : EnumId(v));
          });
          break;
        case FieldKind::kYesNo: {
          const Attracted a = r.*RecordMemberAs<Attracted>(f);
          c.Bool(a == Attracted::kUnknown ? std::nullopt : std::optional<bool>(a == Attracted::kYes));
          break;
        }
        case FieldKind::kMoney: c.Money(r.*RecordMemberAs<std::optional<keyproj::Money>>(f)); break;
        case FieldKind::kYear: {
          const std::optional<int>& y = r.*RecordMemberAs<std::optional<int>>(f);
          c.Int32(y ? std::optional<int32_t>(*y) : std::nullopt);
          break;
        }
        case FieldKind::kDate: c.Date(*internal::DateIn(f, r)); break;
        case FieldKind::kTags: {
          std::string joined;
          for (const std::string& t : r.*RecordMemberAs<std::vector<std::string>>(f)) {
            if (!joined.empty()) joined += ';';
            joined += t;
          }
          c.Text(joined);
          break;
        }
      }
    }
    for (size_t k = 0; i < cols.size(); ++k) cols[i++].Text(k < r.extras.size() ? r.extras[k] : std::string());
  }
  void Monthly(const MonthlyRecord& r) override {
    std::vector<OwnedColumn>& c = Of(Table::kMonthly);
    c[0].Text(r.code);
    c[1].Int32(r.month.first_day().days());
    c[2].Money(r.investment);
    c[3].Money(r.funds_arrived);
    c[4].Text(r.progress);
    c[5].Text(r.problems == 0 ? std::string() : ProblemSetToString(r.problems));
    c[6].Date(r.reported_on);
  }
  void Funding(FundingRecord&& r) override {
    std::vector<OwnedColumn>& c = Of(Table::kFunding);
    c[0].Text(r.code);
    c[1].Int32(r.year);
    c[2].Text(r.source == FundingSource::kUnknown ? std::string_view() : EnumId(r.source));
    c[3].Money(r.requested);
    c[4].Money(r.approved);
    c[5].Money(r.arrived);
    c[6].Text(r.currency);
  }
  void Plan(PlanRecord&& r) override {
    std::vector<OwnedColumn>& c = Of(Table::kPlans);
    c[0].Text(r.code);
    c[1].Int32(r.year);
    c[2].Money(r.planned);
  }
  void Problem(ProblemRecord&& r) override {
    std::vector<OwnedColumn>& c = Of(Table::kProblems);
    c[0].Text(r.code);
    c[1].Text(r.id);
    c[2].Text(r.kind == ProblemKind::kUnknown ? std::string_view() : EnumId(r.kind));
    c[3].Text(r.description);
    c[4].Text(r.owner);
    c[5].Date(r.raised_on);
    c[6].Date(r.due);
    c[7].Date(r.resolved_on);
  }
  void Baseline(BaselineRecord&& r) override {
    std::vector<OwnedColumn>& c = Of(Table::kBaseline);
    c[0].Int32(r.month.first_day().days());
    c[1].Text(r.dimension);
    c[2].Text(r.key);
    c[3].Money(r.investment);
  }
  void Approval(ApprovalRecord&& r) override {
    std::vector<OwnedColumn>& c = Of(Table::kApprovals);
    c[0].Text(r.code);
    c[1].Text(r.item == ApprovalItem::kUnknown ? std::string_view() : EnumId(r.item));
    c[2].Bool(r.required);
    c[3].Date(r.planned_on);
    c[4].Date(r.done_on);
    c[5].Text(r.authority);
    c[6].Text(r.document_no);
  }

 private:
  std::array<std::vector<OwnedColumn>, kTableCount> tables_;
};

}  // namespace keyproj::bench

#endif  // KEYPROJ_BENCH_GENERATED_COLUMNS_H_
