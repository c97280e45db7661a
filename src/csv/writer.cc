#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <cstdio>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "keyproj/internal/civil_days.h"
#include "keyproj/internal/file_io.h"
#include "keyproj/csv_loader.h"
#include "csv/csv_schema.h"
#include "csv/table_rows.h"
#include "keyproj/csv_writer.h"
#include "keyproj/internal/project_fields.h"
#include "keyproj/internal/text.h"
#include "keyproj/internal/no_throw.h"

namespace keyproj {

using ::keyproj::internal::Cat;
using ::keyproj::internal::kHasRow;
using ::keyproj::internal::kInvestmentKnown;
using ::keyproj::internal::kFundsKnown;
namespace {

namespace fs = std::filesystem;

constexpr size_t kFlushAt = 1 << 20;

// The bytes of one file: kept in memory, or flushed to a FILE in chunks (converted
// to GB18030 chunk by chunk -- chunks end at row ends, so never inside a character).
class TableOut {
 public:
  TableOut(const WriteOptions& options, std::FILE* file, std::string* memory)
      : file_(file), memory_(memory), eol_(options.crlf ? "\r\n" : "\n"),
        gb18030_(options.encoding == Encoding::kGb18030) {
    buf_.reserve(kFlushAt + 4096);
    if (options.bom && !gb18030_) buf_ = "\xEF\xBB\xBF";
  }

  std::string& b() { return buf_; }
  void EndRow() {
    buf_.append(eol_);
    if (buf_.size() >= kFlushAt) Flush();
  }
  absl::Status Finish() {
    Flush();
    return status_;
  }

 private:
  void Flush() {
    if (!status_.ok() || buf_.empty()) {
      buf_.clear();
      return;
    }
    std::string_view bytes = buf_;
    std::string converted;
    if (gb18030_) {
      absl::StatusOr<std::string> c = Utf8ToGb18030(buf_);
      if (!c.ok()) {
        status_ = absl::InvalidArgumentError(
            Cat("cannot convert to GB18030: ", std::string(c.status().message())));
        buf_.clear();
        return;
      }
      converted = *std::move(c);
      bytes = converted;
    }
    if (memory_ != nullptr) {
      memory_->append(bytes);
    } else if (std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size()) {
      status_ = absl::UnavailableError("write failed (disk full?)");
    }
    buf_.clear();
  }

  std::FILE* file_;
  std::string* memory_;
  std::string_view eol_;
  bool gb18030_;
  std::string buf_;
  absl::Status status_;
};

template <typename T>
void AppendInt(std::string& out, T v) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, end);
}

void AppendDay(std::string& out, int32_t day) {
  if (day == kNoDay) return;
  char buf[16];
  out.append(buf, internal::civil::FormatDay(day, buf));
}

void AppendMoney(std::string& out, int64_t fen) {
  if (fen != kNoMoney) AppendWan(&out, fen);
}

// The header text of a column of `table`.
std::string_view Header(Table table, std::string_view id, bool chinese) {
  for (const CsvColumn& c : CsvColumns(table)) {
    if (c.id == id) return chinese ? c.chinese : c.id;
  }
  return id;
}

void WriteHeader(TableOut& out, const Ledger& l, Table table, std::span<const std::string_view> ids,
                 bool chinese) {
  std::string& b = out.b();
  bool first = true;
  for (std::string_view id : ids) {
    if (!first) b += ',';
    first = false;
    AppendCsvField(&b, Header(table, id, chinese));
  }
  for (const ExtraColumn& e : l.extras(table)) {
    b += ',';
    AppendCsvField(&b, e.header);
  }
  out.EndRow();
}

void AppendExtras(std::string& b, const Ledger& l, Table table, size_t row) {
  for (const ExtraColumn& e : l.extras(table)) {
    b += ',';
    AppendCsvField(&b, row < e.values.size() ? l.text(e.values[row]) : std::string_view());
  }
}

// Project p's field f (a stored one) as its cell, as the field's kind says.
absl::Status AppendProjectCell(std::string& b, const Ledger& l, const internal::ProjectColumns& c,
                               const internal::ProjectField& f, uint32_t p) {
  using internal::ColumnMemberAs;
  using internal::FieldKind;
  switch (f.kind) {
    case FieldKind::kCode: AppendCsvField(&b, l.code(p)); break;
    case FieldKind::kText: AppendCsvField(&b, l.text((c.*ColumnMemberAs<uint32_t>(f))[p])); break;
    case FieldKind::kRegion:
      if (const int32_t region = (c.*ColumnMemberAs<int32_t>(f))[p]; region != 0) AppendInt(b, region);
      break;
    case FieldKind::kIndustry: b += (c.*ColumnMemberAs<IndustryCode>(f))[p].ToString(); break;
    case FieldKind::kEnum:
      internal::ProjectEnums::Visit(f, [&](auto, auto column) { b += EnumId((c.*column)[p]); });
      break;
    case FieldKind::kYesNo: {
      const Attracted a = (c.*ColumnMemberAs<Attracted>(f))[p];
      if (a == Attracted::kYes) b += '1';
      if (a == Attracted::kNo) b += '0';
      break;
    }
    case FieldKind::kMoney: AppendMoney(b, (c.*ColumnMemberAs<int64_t>(f))[p]); break;
    case FieldKind::kYear: break;  // not stored
    case FieldKind::kDate: AppendDay(b, (c.*ColumnMemberAs<int32_t>(f))[p]); break;
    case FieldKind::kTags: {
      const std::vector<uint32_t>& ids = c.*ColumnMemberAs<uint32_t>(f);
      std::string tags;
      for (uint32_t t = c.tag_begin[p]; t < c.tag_begin[p + 1]; ++t) {
        std::string_view tag = l.text(ids[t]);
        if (tag.find(';') != std::string_view::npos || tag.find("；") != std::string_view::npos) {
          return absl::InvalidArgumentError(Cat("project '", l.code(p), "': tag '", tag,
                                                "' holds ';' or '；', which separate tags in projects.csv"));
        }
        if (t != c.tag_begin[p]) tags += ';';
        tags += tag;
      }
      AppendCsvField(&b, tags);
      break;
    }
  }
  return absl::OkStatus();
}

// The stored project fields, in table order (annual_plan and plan_year are written
// to plans.csv as plans).
absl::Status WriteProjects(const Ledger& l, TableOut& out, bool chinese) {
  std::vector<const internal::ProjectField*> fields;
  std::vector<std::string_view> ids;
  for (const internal::ProjectField& f : internal::ProjectFields()) {
    if (!f.stored()) continue;
    fields.push_back(&f);
    ids.push_back(f.id);
  }
  WriteHeader(out, l, Table::kProjects, ids, chinese);
  const internal::ProjectColumns& c = internal::Columns(l).projects;
  for (uint32_t p = 0; p < l.size(); ++p) {
    std::string& b = out.b();
    for (size_t i = 0; i < fields.size(); ++i) {
      if (i != 0) b += ',';
      if (absl::Status s = AppendProjectCell(b, l, c, *fields[i], p); !s.ok()) return s;
    }
    AppendExtras(b, l, Table::kProjects, p);
    out.EndRow();
  }
  return absl::OkStatus();
}

void WriteMonthly(const Ledger& l, TableOut& out, bool chinese) {
  WriteHeader(out, l, Table::kMonthly, internal::FieldIds(Table::kMonthly), chinese);  // schema order
  const internal::MonthlyColumns& m = internal::Columns(l).monthly;
  const bool extras = !l.extras(Table::kMonthly).empty();
  char month_text[8];
  for (uint32_t p = 0; p < l.size(); ++p) {
    const uint64_t begin = m.slot_begin[p], end = m.slot_begin[p + 1];
    if (begin == end) continue;
    std::string code;
    AppendCsvField(&code, l.code(p));
    for (uint64_t i = begin; i < end; ++i) {
      const uint8_t flags = m.flags[i];
      if (flags & kHasRow) {
        const Month month = Month::FromIndex(m.first_month[p] + static_cast<int32_t>(i - begin));
        std::string& b = out.b();
        b += code;
        b += ',';
        b.append(month_text, internal::civil::FormatMonth(month.index(), month_text));
        b += ',';
        if (flags & kInvestmentKnown) AppendWan(&b, l.InvestmentIn(p, month));
        b += ',';
        if (flags & kFundsKnown) AppendWan(&b, l.FundsIn(p, month));
        b += ',';
        AppendCsvField(&b, l.text(m.progress[i]));
        b += ',';
        if (m.problems[i] != 0) b += ProblemSetToString(m.problems[i]);
        b += ',';
        AppendDay(b, m.reported_on[i]);
        if (extras) AppendExtras(b, l, Table::kMonthly, i);
        out.EndRow();
      }
    }
  }
}

void WriteFunding(const Ledger& l, TableOut& out, bool chinese) {
  WriteHeader(out, l, Table::kFunding, internal::FieldIds(Table::kFunding), chinese);  // schema order
  const internal::FundingColumns& f = internal::Columns(l).funding;
  for (size_t i = 0; i < f.project.size(); ++i) {
    std::string& b = out.b();
    AppendCsvField(&b, l.code(f.project[i]));
    b += ',';
    AppendInt(b, f.year[i]);
    b += ',';
    b += EnumId(f.source[i]);
    // Foreign-currency rows are written as given, in their own currency.
    const std::optional<Ledger::OriginalAmounts> original = l.FundingOriginal(static_cast<uint32_t>(i));
    b += ',';
    AppendMoney(b, original ? original->requested : f.requested[i]);
    b += ',';
    AppendMoney(b, original ? original->approved : f.approved[i]);
    b += ',';
    AppendMoney(b, original ? original->arrived : f.arrived[i]);
    b += ',';
    AppendCsvField(&b, l.text(f.currency[i]));
    AppendExtras(b, l, Table::kFunding, i);
    out.EndRow();
  }
}

void WritePlans(const Ledger& l, TableOut& out, bool chinese) {
  WriteHeader(out, l, Table::kPlans, internal::FieldIds(Table::kPlans), chinese);  // schema order
  const internal::PlanColumns& c = internal::Columns(l).plans;
  for (size_t i = 0; i < c.project.size(); ++i) {
    std::string& b = out.b();
    AppendCsvField(&b, l.code(c.project[i]));
    b += ',';
    AppendInt(b, c.year[i]);
    b += ',';
    AppendMoney(b, c.planned[i]);
    AppendExtras(b, l, Table::kPlans, i);
    out.EndRow();
  }
}

void WriteProblems(const Ledger& l, TableOut& out, bool chinese) {
  WriteHeader(out, l, Table::kProblems, internal::FieldIds(Table::kProblems), chinese);  // schema order
  const internal::ProblemColumns& c = internal::Columns(l).problems;
  for (size_t i = 0; i < c.project.size(); ++i) {
    std::string& b = out.b();
    AppendCsvField(&b, l.code(c.project[i]));
    b += ',';
    AppendCsvField(&b, l.text(c.id[i]));
    b += ',';
    b += EnumId(c.kind[i]);
    b += ',';
    AppendCsvField(&b, l.text(c.description[i]));
    b += ',';
    AppendCsvField(&b, l.text(c.owner[i]));
    b += ',';
    AppendDay(b, c.raised_on[i]);
    b += ',';
    AppendDay(b, c.due[i]);
    b += ',';
    AppendDay(b, c.resolved_on[i]);
    AppendExtras(b, l, Table::kProblems, i);
    out.EndRow();
  }
}

void WriteBaseline(const Ledger& l, TableOut& out, bool chinese) {
  WriteHeader(out, l, Table::kBaseline, internal::FieldIds(Table::kBaseline), chinese);  // schema order
  const internal::BaselineColumns& c = internal::Columns(l).baseline;
  char month_text[8];
  for (size_t i = 0; i < c.month.size(); ++i) {
    std::string& b = out.b();
    b.append(month_text, internal::civil::FormatMonth(c.month[i], month_text));
    b += ',';
    AppendCsvField(&b, l.text(c.dimension[i]));
    b += ',';
    AppendCsvField(&b, l.text(c.key[i]));
    b += ',';
    AppendMoney(b, c.investment[i]);
    AppendExtras(b, l, Table::kBaseline, i);
    out.EndRow();
  }
}

void WriteApprovals(const Ledger& l, TableOut& out, bool chinese) {
  WriteHeader(out, l, Table::kApprovals, internal::FieldIds(Table::kApprovals), chinese);  // schema order
  const internal::ApprovalColumns& c = internal::Columns(l).approvals;
  for (size_t i = 0; i < c.project.size(); ++i) {
    std::string& b = out.b();
    AppendCsvField(&b, l.code(c.project[i]));
    b += ',';
    b += EnumId(c.item[i]);
    b += ',';
    b += c.required[i] != 0 ? '1' : '0';
    b += ',';
    AppendDay(b, c.planned_on[i]);
    b += ',';
    AppendDay(b, c.done_on[i]);
    b += ',';
    AppendCsvField(&b, l.text(c.authority[i]));
    b += ',';
    AppendCsvField(&b, l.text(c.document_no[i]));
    AppendExtras(b, l, Table::kApprovals, i);
    out.EndRow();
  }
}

// Whether a table is written: projects always, the others when they have rows (or
// extra columns, whose headers would otherwise be lost).
bool HasRows(const Ledger& l, Table t) {
  if (!l.extras(t).empty()) return true;
  switch (t) {
    case Table::kProjects: return true;
    case Table::kMonthly:
      for (uint8_t f : internal::Columns(l).monthly.flags) {
        if (f & kHasRow) return true;
      }
      return false;
    case Table::kFunding: return !internal::Columns(l).funding.project.empty();
    case Table::kPlans: return !internal::Columns(l).plans.project.empty();
    case Table::kProblems: return !internal::Columns(l).problems.project.empty();
    case Table::kBaseline: return !internal::Columns(l).baseline.month.empty();
    case Table::kApprovals: return !internal::Columns(l).approvals.project.empty();
  }
  return false;
}

absl::Status WriteTable(const Ledger& l, Table t, TableOut& out, bool chinese) {
  switch (t) {
    case Table::kProjects: return WriteProjects(l, out, chinese);
    case Table::kMonthly: WriteMonthly(l, out, chinese); break;
    case Table::kFunding: WriteFunding(l, out, chinese); break;
    case Table::kPlans: WritePlans(l, out, chinese); break;
    case Table::kProblems: WriteProblems(l, out, chinese); break;
    case Table::kBaseline: WriteBaseline(l, out, chinese); break;
    case Table::kApprovals: WriteApprovals(l, out, chinese); break;
  }
  return absl::OkStatus();
}

absl::Status CheckOptions(const WriteOptions& o) {
  if (o.encoding != Encoding::kUtf8 && o.encoding != Encoding::kAuto &&
      o.encoding != Encoding::kGb18030) {
    return absl::InvalidArgumentError("unknown encoding");
  }
  return absl::OkStatus();
}

std::string PathText(const fs::path& p) { return p.string(); }

}  // namespace

void AppendCsvField(std::string* out, std::string_view field) { internal::AppendCsvField(out, field); }

void AppendWan(std::string* out, int64_t fen) { AppendExact(out, fen, kFenPerWan, 2); }

absl::StatusOr<std::vector<CsvInput>> WriteCsvLedgerToMemory(const Ledger& ledger,
                                                             const WriteOptions& options) {
  if (absl::Status s = CheckOptions(options); !s.ok()) return s;
  std::vector<CsvInput> files;
  for (int t = 0; t < kTableCount; ++t) {
    const Table table = static_cast<Table>(t);
    if (!HasRows(ledger, table)) continue;
    CsvInput file;
    file.name = std::string(CsvFileName(table));
    TableOut out(options, nullptr, &file.bytes);
    absl::Status s = WriteTable(ledger, table, out, options.chinese_headers);
    absl::Status f = out.Finish();
    if (!s.ok()) return s;
    if (!f.ok()) return absl::Status(f.code(), Cat(file.name, ": ", std::string(f.message())));
    files.push_back(std::move(file));
  }
  return files;
}

absl::Status WriteCsvLedger(const Ledger& ledger, const fs::path& dir, const WriteOptions& options) {
  return internal::NoThrow("writing the ledger", [&]() -> absl::Status {
    if (absl::Status s = CheckOptions(options); !s.ok()) return s;
    if (absl::Status made = internal::MakeFolders(PathText(dir)); !made.ok()) return made;
    // Write every file under a temporary name of its own (internal/file_io.h) first;
    // publish them only when all of them are complete. An output not committed removes
    // its temporary when it goes.
    std::vector<std::pair<internal::AtomicOutput, fs::path>> written;  // output, final path
    for (int t = 0; t < kTableCount; ++t) {
      const Table table = static_cast<Table>(t);
      const fs::path final_path = dir / std::string(CsvFileName(table));
      if (!HasRows(ledger, table)) continue;
      absl::StatusOr<internal::AtomicOutput> output = internal::AtomicOutput::Begin(PathText(final_path));
      if (!output.ok()) return output.status();
      written.emplace_back(*std::move(output), final_path);
      const std::string& temp = written.back().first.temp_path();
      std::FILE* file = std::fopen(temp.c_str(), "wb");
      if (file == nullptr) {
        return absl::UnavailableError(Cat("cannot write ", PathText(final_path), ": ", std::strerror(errno)));
      }
      TableOut out(options, file, nullptr);
      absl::Status s = WriteTable(ledger, table, out, options.chinese_headers);
      absl::Status f = out.Finish();
      const bool closed = std::fclose(file) == 0;
      if (s.ok() && f.ok() && !closed) f = absl::UnavailableError("write failed at close (disk full?)");
      if (!s.ok() || !f.ok()) {
        const absl::Status& bad = s.ok() ? f : s;
        return absl::Status(bad.code(), Cat(PathText(final_path), ": ", std::string(bad.message())));
      }
    }
    for (auto& [output, final_path] : written) {
      if (absl::Status published = output.Commit(); !published.ok()) return published;
    }
    // Remove ledger files this ledger has no rows for, so the folder loads back as it.
    for (int t = 1; t < kTableCount; ++t) {
      const Table table = static_cast<Table>(t);
      if (HasRows(ledger, table)) continue;
      const fs::path stale = dir / std::string(CsvFileName(table));
      if (::unlink(stale.c_str()) != 0 && errno != ENOENT) {
        return absl::PermissionDeniedError(Cat("cannot remove stale ", PathText(stale)));
      }
    }
    return absl::OkStatus();
  });
}

}  // namespace keyproj
