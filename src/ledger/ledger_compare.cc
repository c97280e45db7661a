#include "keyproj/internal/ledger_compare.h"

#include <algorithm>
#include <string>
#include <string_view>

#include "keyproj/internal/project_fields.h"
#include "keyproj/internal/text.h"

namespace keyproj::internal {

namespace {

using K = FieldKind;

std::string MoneyText(int64_t fen) {
  return fen == kNoMoney ? "(empty)" : Money::FromFen(fen).ToWanString();
}
std::string DayText(int32_t day) { return day == kNoDay ? "(empty)" : Date::FromDays(day).ToString(); }
std::string Quoted(std::string_view s) { return Cat("'", s, "'"); }
template <typename E>
std::string EnumText(E e) {
  std::string_view id = EnumId(e);
  return id.empty() ? Cat("(", static_cast<int>(e), ")") : std::string(id);
}

// The tags of project p (a kTags field), each followed by ';'.
std::string TagsText(const ProjectField& f, const Ledger& l, uint32_t p) {
  const ProjectColumns& c = Columns(l).projects;
  const std::vector<uint32_t>& ids = c.*ColumnMemberAs<uint32_t>(f);
  std::string out;
  for (uint32_t t = c.tag_begin[p]; t < c.tag_begin[p + 1]; ++t) Append(&out, l.text(ids[t]), ";");
  return out;
}

// Whether project field f is equal in project pa of a and pb of b (text by value,
// not by pool id). Fields not stored per project (plan_year) are compared elsewhere.
bool ProjectFieldEqual(const ProjectField& f, const Ledger& a, uint32_t pa, const Ledger& b, uint32_t pb) {
  if (!f.stored()) return true;
  const ProjectColumns& x = Columns(a).projects;
  const ProjectColumns& y = Columns(b).projects;
  auto same = [&]<typename T>(Column<T> ProjectColumns::*column) { return (x.*column)[pa] == (y.*column)[pb]; };
  switch (f.kind) {
    case K::kCode: return a.code(pa) == b.code(pb);
    case K::kText: {
      const auto column = ColumnMemberAs<uint32_t>(f);
      return a.text((x.*column)[pa]) == b.text((y.*column)[pb]);
    }
    case K::kRegion: return same(ColumnMemberAs<int32_t>(f));
    case K::kIndustry: return same(ColumnMemberAs<IndustryCode>(f));
    case K::kEnum: {
      bool equal = true;
      ProjectEnums::Visit(f, [&](auto, auto column) { equal = same(column); });
      return equal;
    }
    case K::kYesNo: return same(ColumnMemberAs<Attracted>(f));
    case K::kMoney: return same(ColumnMemberAs<int64_t>(f));
    case K::kYear: return true;
    case K::kDate: return same(ColumnMemberAs<int32_t>(f));
    case K::kTags: {
      const auto column = ColumnMemberAs<uint32_t>(f);
      if (x.tag_begin[pa + 1] - x.tag_begin[pa] != y.tag_begin[pb + 1] - y.tag_begin[pb]) return false;
      for (uint32_t i = x.tag_begin[pa], j = y.tag_begin[pb]; i < x.tag_begin[pa + 1]; ++i, ++j) {
        if (a.text((x.*column)[i]) != b.text((y.*column)[j])) return false;
      }
      return true;
    }
  }
  return true;
}

// Field f of project p as a difference shows it: 'text', 610402, C36, started,
// 1.5 (万元), 2024-03-01, (empty), 'tag1;tag2;'.
std::string ProjectFieldText(const ProjectField& f, const Ledger& l, uint32_t p) {
  if (!f.stored()) return "";
  const ProjectColumns& c = Columns(l).projects;
  switch (f.kind) {
    case K::kCode: return Quoted(l.code(p));
    case K::kText: return Quoted(l.text((c.*ColumnMemberAs<uint32_t>(f))[p]));
    case K::kRegion: return Cat((c.*ColumnMemberAs<int32_t>(f))[p]);
    case K::kIndustry: {
      const IndustryCode& code = (c.*ColumnMemberAs<IndustryCode>(f))[p];
      return code.known() ? code.ToString() : std::string("(empty)");
    }
    case K::kEnum: {
      std::string text;
      ProjectEnums::Visit(f, [&](auto, auto column) { text = EnumText((c.*column)[p]); });
      return text;
    }
    case K::kYesNo: return Cat(static_cast<int>((c.*ColumnMemberAs<Attracted>(f))[p]));
    case K::kMoney: return MoneyText((c.*ColumnMemberAs<int64_t>(f))[p]);
    case K::kYear: return "";
    case K::kDate: return DayText((c.*ColumnMemberAs<int32_t>(f))[p]);
    case K::kTags: return Quoted(TagsText(f, l, p));
  }
  return "";
}

class Differ {
 public:
  Differ(const Ledger& a, const Ledger& b, int max) : a_(a), b_(b), max_(max) {}

  // Records a difference; `describe` makes the text only when it will be shown.
  template <typename Describe>
  void Note(Describe describe) {
    if (count_++ < max_) {
      out_ += describe();
      out_ += '\n';
    }
  }

  template <typename T, typename Fmt>
  void Field(const std::string& where, std::string_view field, const T& va, const T& vb, Fmt fmt) {
    if (va == vb) return;
    Note([&] { return Cat(where, ": ", field, ": ", fmt(va), " vs ", fmt(vb)); });
  }
  void Text(const std::string& where, std::string_view field, std::string_view va, std::string_view vb) {
    Field(where, field, va, vb, Quoted);
  }
  void Day(const std::string& where, std::string_view field, int32_t va, int32_t vb) {
    Field(where, field, va, vb, DayText);
  }
  void Fen(const std::string& where, std::string_view field, int64_t va, int64_t vb) {
    Field(where, field, va, vb, MoneyText);
  }
  void Int(const std::string& where, std::string_view field, int64_t va, int64_t vb) {
    Field(where, field, va, vb, [](int64_t v) { return Cat(v); });
  }

  void Count(std::string_view what, size_t na, size_t nb) {
    if (na != nb) Note([&] { return Cat(what, ": ", na, " vs ", nb); });
  }


  void Projects();
  void Monthly();
  void Funding();
  void Plans();
  void Problems();
  void Baseline();
  void Approvals();
  void ExtraColumns(Table t, size_t rows_a, size_t rows_b);

  std::string Finish() {
    if (count_ > max_) Append(&out_, "... and ", count_ - max_, " more differences\n");
    return std::move(out_);
  }

 private:
  std::string ProjectWhere(uint32_t p) const { return Cat("project ", a_.code(p)); }

  const Ledger& a_;
  const Ledger& b_;
  int64_t max_;
  int64_t count_ = 0;
  std::string out_;
};

void Differ::Projects() {
  Count("projects", a_.size(), b_.size());
  const ProjectColumns& x = internal::Columns(a_).projects;
  const ProjectColumns& y = internal::Columns(b_).projects;
  const uint32_t n = std::min(a_.size(), b_.size());
  for (uint32_t p = 0; p < n; ++p) {
    const std::string where = ProjectWhere(p);
    for (const ProjectField& f : ProjectFields()) {
      if (ProjectFieldEqual(f, a_, p, b_, p)) continue;
      Note([&] { return Cat(where, ": ", f.id, ": ", ProjectFieldText(f, a_, p), " vs ", ProjectFieldText(f, b_, p)); });
    }
    // What the code tells (national codes), kept beside it.
    Field(where, "code_form", x.code_form[p], y.code_form[p],
          [](ProjectCodeForm v) { return Cat(static_cast<int>(v)); });
    Int(where, "code_year", x.code_year[p], y.code_year[p]);
  }
  ExtraColumns(Table::kProjects, a_.size(), b_.size());
}

void Differ::Monthly() {
  const MonthlyColumns& x = internal::Columns(a_).monthly;
  const MonthlyColumns& y = internal::Columns(b_).monthly;
  const uint32_t n = std::min(a_.size(), b_.size());
  auto range_text = [](std::optional<MonthRange> r) {
    return r ? Cat(r->first.ToString(), "..", r->last.ToString()) : std::string("(none)");
  };
  for (uint32_t p = 0; p < n; ++p) {
    const std::optional<MonthRange> ra = a_.months(p), rb = b_.months(p);
    if (ra != rb) {
      Note([&] { return Cat(ProjectWhere(p), ": monthly months: ", range_text(ra), " vs ", range_text(rb)); });
      continue;
    }
    if (!ra) continue;
    const uint64_t ba = x.slot_begin[p], bb = y.slot_begin[p];
    const uint64_t count = x.slot_begin[p + 1] - ba;
    for (uint64_t k = 0; k < count; ++k) {
      const uint64_t i = ba + k, j = bb + k;
      const Month month = ra->first + static_cast<int>(k);
      // The month's own figures (a difference in an earlier month is reported there).
      const int64_t inv_a = a_.InvestmentIn(p, month), inv_b = b_.InvestmentIn(p, month);
      const int64_t funds_a = a_.FundsIn(p, month), funds_b = b_.FundsIn(p, month);
      const bool differs = x.flags[i] != y.flags[j] || inv_a != inv_b || funds_a != funds_b ||
                           x.reported_on[i] != y.reported_on[j] || x.problems[i] != y.problems[j] ||
                           a_.text(x.progress[i]) != b_.text(y.progress[j]);
      if (!differs) continue;
      const std::string where = Cat(ProjectWhere(p), " month ", month.ToString());
      Int(where, "flags", x.flags[i], y.flags[j]);
      Fen(where, "investment", inv_a, inv_b);
      Fen(where, "funds_arrived", funds_a, funds_b);
      Day(where, "reported_on", x.reported_on[i], y.reported_on[j]);
      Field(where, "problems", x.problems[i], y.problems[j],
            [](ProblemSet s) { return Quoted(ProblemSetToString(s)); });
      Text(where, "progress", a_.text(x.progress[i]), b_.text(y.progress[j]));
    }
    // Extra columns per slot.
    const auto& ea = a_.extras(Table::kMonthly);
    const auto& eb = b_.extras(Table::kMonthly);
    for (size_t c = 0; c < std::min(ea.size(), eb.size()); ++c) {
      for (uint64_t k = 0; k < count; ++k) {
        const uint64_t i = ba + k, j = bb + k;
        std::string_view va = i < ea[c].values.size() ? a_.text(ea[c].values[i]) : "";
        std::string_view vb = j < eb[c].values.size() ? b_.text(eb[c].values[j]) : "";
        if (va != vb) {
          Text(Cat(ProjectWhere(p), " month ", (ra->first + static_cast<int>(k)).ToString()),
               Cat("extra column '", ea[c].header, "'"), va, vb);
        }
      }
    }
  }
  Count("monthly slots", x.flags.size(), y.flags.size());
  const auto& ea = a_.extras(Table::kMonthly);
  const auto& eb = b_.extras(Table::kMonthly);
  Count("monthly.csv extra columns", ea.size(), eb.size());
  for (size_t c = 0; c < std::min(ea.size(), eb.size()); ++c) {
    Text("monthly.csv", Cat("extra column ", c + 1, " header"), ea[c].header, eb[c].header);
  }
}

void Differ::Funding() {
  const FundingColumns& x = internal::Columns(a_).funding;
  const FundingColumns& y = internal::Columns(b_).funding;
  Count("funding rows", x.project.size(), y.project.size());
  const size_t n = std::min(x.project.size(), y.project.size());
  for (size_t i = 0; i < n; ++i) {
    const std::string where =
        Cat("funding row ", i + 1, " (", a_.code(x.project[i]), " ", x.year[i], " ", EnumText(x.source[i]), ")");
    Text(where, "code", a_.code(x.project[i]), b_.code(y.project[i]));
    Int(where, "year", x.year[i], y.year[i]);
    Field(where, "source", x.source[i], y.source[i], EnumText<FundingSource>);
    Fen(where, "requested", x.requested[i], y.requested[i]);
    Fen(where, "approved", x.approved[i], y.approved[i]);
    Fen(where, "arrived", x.arrived[i], y.arrived[i]);
    Text(where, "currency", a_.text(x.currency[i]), b_.text(y.currency[i]));
    const auto ox = a_.FundingOriginal(static_cast<uint32_t>(i));
    const auto oy = b_.FundingOriginal(static_cast<uint32_t>(i));
    Fen(where, "original requested", ox ? ox->requested : kNoMoney, oy ? oy->requested : kNoMoney);
    Fen(where, "original approved", ox ? ox->approved : kNoMoney, oy ? oy->approved : kNoMoney);
    Fen(where, "original arrived", ox ? ox->arrived : kNoMoney, oy ? oy->arrived : kNoMoney);
  }
  ExtraColumns(Table::kFunding, x.project.size(), y.project.size());
}

void Differ::Plans() {
  const PlanColumns& x = internal::Columns(a_).plans;
  const PlanColumns& y = internal::Columns(b_).plans;
  Count("plan rows", x.project.size(), y.project.size());
  const size_t n = std::min(x.project.size(), y.project.size());
  for (size_t i = 0; i < n; ++i) {
    const std::string where = Cat("plan row ", i + 1, " (", a_.code(x.project[i]), " ", x.year[i], ")");
    Text(where, "code", a_.code(x.project[i]), b_.code(y.project[i]));
    Int(where, "year", x.year[i], y.year[i]);
    Fen(where, "planned", x.planned[i], y.planned[i]);
  }
  ExtraColumns(Table::kPlans, x.project.size(), y.project.size());
}

void Differ::Problems() {
  const ProblemColumns& x = internal::Columns(a_).problems;
  const ProblemColumns& y = internal::Columns(b_).problems;
  Count("problem rows", x.project.size(), y.project.size());
  const size_t n = std::min(x.project.size(), y.project.size());
  for (size_t i = 0; i < n; ++i) {
    const std::string where = Cat("problem ", a_.text(x.id[i]), " (row ", i + 1, ")");
    Text(where, "code", a_.code(x.project[i]), b_.code(y.project[i]));
    Text(where, "id", a_.text(x.id[i]), b_.text(y.id[i]));
    Field(where, "kind", x.kind[i], y.kind[i], EnumText<ProblemKind>);
    Text(where, "description", a_.text(x.description[i]), b_.text(y.description[i]));
    Text(where, "owner", a_.text(x.owner[i]), b_.text(y.owner[i]));
    Day(where, "raised_on", x.raised_on[i], y.raised_on[i]);
    Day(where, "due", x.due[i], y.due[i]);
    Day(where, "resolved_on", x.resolved_on[i], y.resolved_on[i]);
  }
  ExtraColumns(Table::kProblems, x.project.size(), y.project.size());
}

void Differ::Baseline() {
  const BaselineColumns& x = internal::Columns(a_).baseline;
  const BaselineColumns& y = internal::Columns(b_).baseline;
  Count("baseline rows", x.month.size(), y.month.size());
  const size_t n = std::min(x.month.size(), y.month.size());
  for (size_t i = 0; i < n; ++i) {
    const std::string where = Cat("baseline row ", i + 1);
    Field(where, "month", x.month[i], y.month[i],
          [](int32_t m) { return Month::FromIndex(m).ToString(); });
    Text(where, "dimension", a_.text(x.dimension[i]), b_.text(y.dimension[i]));
    Text(where, "key", a_.text(x.key[i]), b_.text(y.key[i]));
    Fen(where, "investment", x.investment[i], y.investment[i]);
  }
  ExtraColumns(Table::kBaseline, x.month.size(), y.month.size());
}

void Differ::Approvals() {
  const ApprovalColumns& x = internal::Columns(a_).approvals;
  const ApprovalColumns& y = internal::Columns(b_).approvals;
  Count("approvals rows", x.project.size(), y.project.size());
  const size_t n = std::min(x.project.size(), y.project.size());
  for (size_t i = 0; i < n; ++i) {
    const std::string where =
        Cat("approvals row ", i + 1, " (", a_.code(x.project[i]), " ", EnumText(x.item[i]), ")");
    Text(where, "code", a_.code(x.project[i]), b_.code(y.project[i]));
    Field(where, "item", x.item[i], y.item[i], EnumText<ApprovalItem>);
    Int(where, "required", x.required[i], y.required[i]);
    Day(where, "planned_on", x.planned_on[i], y.planned_on[i]);
    Day(where, "done_on", x.done_on[i], y.done_on[i]);
    Text(where, "authority", a_.text(x.authority[i]), b_.text(y.authority[i]));
    Text(where, "document_no", a_.text(x.document_no[i]), b_.text(y.document_no[i]));
  }
  // row_begin follows from project (rows sorted by project), but a wrong index would
  // send a project's readers to another's rows: compared too.
  const size_t m = std::min(x.row_begin.size(), y.row_begin.size());
  Count("approvals row_begin entries", x.row_begin.size(), y.row_begin.size());
  for (size_t p = 0; p < m; ++p) Int(Cat("approvals row_begin[", p, "]"), "row", x.row_begin[p], y.row_begin[p]);
  ExtraColumns(Table::kApprovals, x.project.size(), y.project.size());
}

// Extra columns of a table other than monthly: headers, then values row by row.
void Differ::ExtraColumns(Table t, size_t rows_a, size_t rows_b) {
  const auto& ea = a_.extras(t);
  const auto& eb = b_.extras(t);
  const std::string file(TableName(t));
  Count(Cat(file, " extra columns"), ea.size(), eb.size());
  const size_t rows = std::min(rows_a, rows_b);
  for (size_t c = 0; c < std::min(ea.size(), eb.size()); ++c) {
    Text(file, Cat("extra column ", c + 1, " header"), ea[c].header, eb[c].header);
    for (size_t r = 0; r < rows; ++r) {
      std::string_view va = r < ea[c].values.size() ? a_.text(ea[c].values[r]) : "";
      std::string_view vb = r < eb[c].values.size() ? b_.text(eb[c].values[r]) : "";
      if (va == vb) continue;
      const std::string where = t == Table::kProjects ? ProjectWhere(static_cast<uint32_t>(r))
                                                      : Cat(file, " row ", r + 1);
      Text(where, Cat("extra column '", ea[c].header, "'"), va, vb);
    }
  }
}

}  // namespace

std::string DescribeLedgerDifference(const Ledger& a, const Ledger& b, int max_differences) {
  Differ d(a, b, std::max(max_differences, 1));
  d.Projects();
  d.Monthly();
  d.Funding();
  d.Plans();
  d.Problems();
  d.Baseline();
  d.Approvals();
  return d.Finish();
}

}  // namespace keyproj::internal
