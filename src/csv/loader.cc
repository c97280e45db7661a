// LoadCsvLedger: a ledger folder (or its files in memory) -> LedgerBuilder -> Ledger.
//
// The loader does the per-cell work: decoding, splitting (csv_reader.h), matching
// headers against csv_schema.h and parsing every cell into a record. Each bad cell is
// reported through LedgerBuilder::Report; the builder does the semantic checks and
// its diagnostics (which name a table and an English field) are mapped back to the
// file's own name, column number and header at the end. See docs/ledger-loading.md.

#include <algorithm>
#include <array>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <cstring>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "csv/cell_parse.h"
#include "csv/csv_reader.h"
#include "csv/layout.h"
#include "csv/loader_parts.h"
#include "keyproj/internal/encoding.h"
#include "keyproj/internal/file_io.h"
#include "keyproj/internal/huge_pages.h"
#include "keyproj/csv_loader.h"
#include "csv/csv_schema.h"
#include "csv/header_index.h"
#include "csv/table_rows.h"
#include "keyproj/ledger_builder.h"
#include "keyproj/internal/project_fields.h"
#include "keyproj/internal/text.h"
#include "keyproj/internal/no_throw.h"

namespace keyproj {

std::span<const LedgerColumn> LedgerColumns(Table table) {
  // CsvColumns' string_views are literals and the project-field table's (NUL-ended).
  static const std::array<std::vector<LedgerColumn>, kTableCount> kColumns = [] {
    std::array<std::vector<LedgerColumn>, kTableCount> out;
    for (int t = 0; t < kTableCount; ++t) {
      for (const CsvColumn& c : CsvColumns(static_cast<Table>(t))) {
        out[static_cast<size_t>(t)].push_back(LedgerColumn{c.id, c.chinese, c.aliases, c.required});
      }
    }
    return out;
  }();
  const auto t = static_cast<size_t>(table);
  return t < kColumns.size() ? std::span<const LedgerColumn>(kColumns[t]) : std::span<const LedgerColumn>();
}

using ::keyproj::internal::Cat;
using ::keyproj::internal::Append;
using ::keyproj::internal::AsciiLower;
using ::keyproj::internal::EqualsIgnoreAsciiCase;
namespace {

using internal::CsvReader;
using internal::HeaderIndex;
using internal::HeaderIndexOf;
using internal::NormalizeHeader;
using internal::SplitUnit;
using internal::LocateOffset;
using internal::TrimCell;

// ---------------------------------------------------------------------------
// Text helpers
// ---------------------------------------------------------------------------

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// Whether bytes that are not valid UTF-8 are UTF-8 all the same, with a few bad
// bytes (a cut character, a cell pasted from elsewhere), rather than GB18030: more
// valid 3- and 4-byte characters (Chinese text in UTF-8) than bad bytes, counted up
// to the 64th bad byte. GB18030 Chinese is bad UTF-8 at nearly every character and
// seldom makes a valid 3-byte one, so for it the count settles within a few lines;
// and read as GB18030, UTF-8 Chinese would load as other characters.
bool LooksLikeUtf8(std::string_view bytes, size_t first_bad) {
  constexpr size_t kEnough = 64;
  size_t wide = 0, bad = 0, at = 0, next_bad = first_bad;
  for (;;) {
    const size_t end = next_bad == std::string_view::npos ? bytes.size() : next_bad;
    for (size_t i = at; i < end; ++i) wide += static_cast<unsigned char>(bytes[i]) >= 0xE0;
    if (next_bad == std::string_view::npos || ++bad >= kEnough) break;
    at = next_bad + 1;
    const size_t rel = FindInvalidUtf8(bytes.substr(at));
    next_bad = rel == std::string_view::npos ? rel : at + rel;
  }
  return wide > bad;
}

std::string ByteText(unsigned char b) {
  return Cat("byte 0x", std::string_view(&"0123456789ABCDEF"[b >> 4], 1), std::string_view(&"0123456789ABCDEF"[b & 15], 1));
}

std::string_view BaseName(std::string_view name) {
  const size_t slash = name.find_last_of("/\\");
  return slash == std::string_view::npos ? name : name.substr(slash + 1);
}

// ---------------------------------------------------------------------------
// The fields the loader understands, per table: internal::FieldIds (table_rows.h).
// Header matching goes through csv_schema.h by English id, so the schema's order
// does not matter.
// ---------------------------------------------------------------------------

using internal::FieldIds;
using namespace internal::table_fields;  // NOLINT: kMCode, kFCode, ...

using internal::kLoadOrder;  // loader_parts.h: projects first

// ---------------------------------------------------------------------------
// One file's columns
// ---------------------------------------------------------------------------

constexpr int kExtra = -1;    // an unknown column: kept as an extra
constexpr int kIgnored = -2;  // a duplicate or wrongly-unitted known column

struct FileColumns {
  bool loaded = false;  // the file was present (even if unreadable)
  std::string file;     // name used in diagnostics
  Table table = Table::kProjects;
  int64_t header_line = 1;
  size_t width = 0;                   // fields in the header row
  std::vector<int> field_of_column;   // field index, kExtra or kIgnored
  std::vector<std::string> headers;   // per column, as written (trimmed)
  std::vector<int> column_of_field;   // per field: column index or -1
  std::vector<int> extra_columns;     // columns kept as extras, in order
  std::vector<char> required;         // per field
  // Per column: the money unit its cells are written in (internal::kMoneyUnits
  // index), -1 for the ledger's own 万元 (read as ever, by MoneyCell).
  std::vector<int8_t> unit;
  bool any_unit = false;              // a column's unit is not 万元
  int key_column = -1;                // the column of the table's first field (the code)
  TableLayout layout;                 // what the layout was (csv/layout.h)
};

// ---------------------------------------------------------------------------
// Cell parsing
// ---------------------------------------------------------------------------
//
// The reading below is written once for two kinds of `Sink`: the LedgerBuilder itself
// (the sequential load: every row straight in), and ChunkEvents (a part of a file read
// on a worker thread: the same calls recorded, replayed into the builder in file
// order). A sink takes Report and the builder's Add* calls.

// One row being read: trimmed cells by field, and the reporting of bad ones. The
// typed getters (TextCells) apply cell_parse.h's rules to the text.
template <typename Sink>
class Row : public internal::TextCells<Row<Sink>> {
 public:
  Row(const FileColumns& cols, std::span<const std::string_view> fields, int64_t line, Sink& sink)
      : cols_(cols), fields_(fields), line_(line), sink_(sink) {}

  int64_t line() const { return line_; }
  internal::FieldMask bad() const { return bad_; }

  std::string_view Cell(int field) const {
    const int col = cols_.column_of_field[field];
    return col < 0 ? std::string_view() : TrimCell(fields_[col]);
  }

  void Bad(int field, std::string reason) {
    const int col = cols_.column_of_field[field];
    sink_.Report(Diagnostic{cols_.file, line_, col + 1,
                            col >= 0 ? cols_.headers[col] : std::string(FieldIds(cols_.table)[field]),
                            std::move(reason)});
    bad_ |= internal::FieldMask{1} << field;
  }

  // The cell's text; a required field must not be empty.
  std::string_view Text(int field) {
    std::string_view s = Cell(field);
    if (s.empty() && cols_.required[field] && cols_.column_of_field[field] >= 0) {
      Bad(field, std::string(internal::kRequiredCell));
    }
    return s;
  }

  // A money cell in its column's unit (a unit row or the header's own: csv/layout.h);
  // hides TextCells' GetMoney, which reads 万元.
  std::optional<Money> GetMoney(int field, bool allow_negative) {
    const int col = cols_.any_unit ? cols_.column_of_field[field] : -1;
    if (col < 0 || cols_.unit[col] < 0) return internal::TextCells<Row<Sink>>::GetMoney(field, allow_negative);
    const std::string_view s = Text(field);
    if (s.empty()) return std::nullopt;
    std::string why;
    std::optional<Money> m = internal::ScaledMoneyCell(s, cols_.unit[col], allow_negative, &why);
    if (!m) Bad(field, std::move(why));
    return m;
  }

  // The extra columns' cells into `out`, reusing its strings' buffers.
  void ExtrasInto(std::vector<std::string>& out) const {
    out.resize(cols_.extra_columns.size());
    for (size_t k = 0; k < out.size(); ++k) out[k] = TrimCell(fields_[cols_.extra_columns[k]]);
  }

 private:
  const FileColumns& cols_;
  std::span<const std::string_view> fields_;
  int64_t line_;
  Sink& sink_;
  internal::FieldMask bad_ = 0;
};

// ---------------------------------------------------------------------------
// Rows of each table
// ---------------------------------------------------------------------------

// A file's rows are read one after the other into one record of its table (a
// reader's own): the record's strings keep their buffers from row to row, where a
// fresh record for each row allocated (and the sink freed) every text of every row --
// in a profile of the parallel load of 10^6 projects, malloc and free took about an
// eighth of the time. Sinks take records by const&.
struct RowRecords {
  ProjectRecord project;
  FundingRecord funding;
  PlanRecord plan;
  ApprovalRecord approval;
  std::vector<std::string_view> monthly_extras;
};

// The record a row is read into: the sink's next own one when it keeps records
// (ChunkEvents::Next), else the reader's.
template <typename Record, typename Sink>
Record& RecordFor(Sink& sink, Record& readers) {
  if constexpr (requires { sink.template Next<Record>(); }) {
    return sink.template Next<Record>();
  } else {
    return readers;
  }
}

template <typename Sink>
void AddProjectRow(Row<Sink>& row, ProjectRecord& r, Sink& sink) {
  r.line = row.line();
  internal::ReadProjectRecord(row, r);
  if (row.bad()) {
    internal::AddWithUnread(Table::kProjects, row.bad(), r,
                            [&](const ProjectRecord& rec, auto unread) { sink.AddProject(rec, unread); });
    return;
  }
  row.ExtrasInto(r.extras);
  sink.AddProject(r);
}

// The hot path: one pass over the row's cells in column order, a switch per column.
template <typename Sink>
void AddMonthlyRow(const FileColumns& cols, std::span<const std::string_view> fields, int64_t line,
                   std::vector<std::string_view>& extras, Sink& sink, int64_t* held_back) {
  MonthlyRecord r;
  r.line = line;
  internal::FieldMask bad = 0;
  int field = 0;  // the field of column c, below
  auto report = [&](size_t c, std::string reason) {
    sink.Report(Diagnostic{cols.file, line, static_cast<int>(c + 1), cols.headers[c], std::move(reason)});
    bad |= internal::FieldMask{1} << field;
  };
  // The cell rules are cell_parse.h's (those of internal::ReadMonthlyRecord, which
  // the column arrays use); this loop only saves the per-field column lookups.
  std::string why;
  const int8_t* unit = cols.unit.data();
  auto money = [&](size_t c, std::string_view s, bool allow_negative, std::optional<Money>* out) {
    if (s.empty()) return;
    if (std::optional<Money> m = internal::ColumnMoneyCell(s, unit[c], allow_negative, &why)) {
      *out = m;
    } else {
      report(c, std::move(why));
    }
  };
  const int* field_of_column = cols.field_of_column.data();
  for (size_t c = 0; c < fields.size(); ++c) {
    field = field_of_column[c];
    if (field < 0) continue;
    const std::string_view s = TrimCell(fields[c]);
    switch (field) {
      case kMCode:
        if (s.empty()) report(c, std::string(internal::kRequiredCell));
        r.code = s;
        break;
      case kMMonth:
        if (s.empty()) {
          report(c, std::string(internal::kRequiredCell));
        } else if (std::optional<Month> m = internal::MonthCell(s, &why)) {
          r.month = *m;
        } else {
          report(c, std::move(why));
        }
        break;
      case kMInvestment: money(c, s, true, &r.investment); break;
      case kMFundsArrived: money(c, s, false, &r.funds_arrived); break;
      case kMProgress: r.progress = s; break;
      case kMProblems:
        if (!s.empty()) {
          if (std::optional<ProblemSet> set = internal::ProblemsCell(s, &why)) {
            r.problems = *set;
          } else {
            report(c, std::move(why));
          }
        }
        break;
      case kMReportedOn:
        if (s.empty()) break;
        if (std::optional<Date> d = internal::DateCell(s, &why)) {
          r.reported_on = *d;
        } else {
          report(c, std::move(why));
        }
        break;
      default: break;
    }
  }
  if (held_back != nullptr) {
    if (bad == 0) ++*held_back;
    return;
  }
  if (!cols.extra_columns.empty()) {  // a bad row's too: ChunkEvents keeps as many for every row
    extras.clear();
    for (int col : cols.extra_columns) extras.push_back(TrimCell(fields[col]));
    r.extras = extras;
  }
  if (bad != 0) {
    internal::AddWithUnread(Table::kMonthly, bad, r, [&](const MonthlyRecord& rec, auto unread) { sink.AddMonthly(rec, unread); });
    return;
  }
  sink.AddMonthly(r);
}

// A row of a table other than projects and monthly read into a record and added --
// its bad cells unread (AddWithUnread) -- unless held back (projects.csv unreadable: the
// rows are counted, not checked; baseline's never are). add(record, unread).
template <typename Sink, typename Record, typename Add>
void AddRecordRow(Row<Sink>& row, Table table, int64_t* held_back, void (*read)(Row<Sink>&, Record&), Record& r,
                  Add add) {
  r.line = row.line();
  read(row, r);
  if (held_back != nullptr) {
    if (!row.bad()) ++*held_back;
    return;
  }
  if (row.bad()) {
    internal::AddWithUnread(table, row.bad(), r, add);
    return;
  }
  row.ExtrasInto(r.extras);
  add(r, LedgerBuilder::UnreadFields());
}

// ---------------------------------------------------------------------------
// A part of a file read on a worker: the sink calls recorded in order
// ---------------------------------------------------------------------------

// What the reading of a part of a file would have told the builder, in order, to be
// replayed into it when the parts before have been. Monthly records view their text:
// a view into the file's text stays valid (the text outlives the replay); any other
// (an unescaped quoted cell in the reader's scratch) is copied.
class ChunkEvents {
 public:
  explicit ChunkEvents(std::string_view text) : text_(text) {}

  // Empties it for another part, keeping the vectors' memory (a fresh set for every
  // part would fault its pages in again each time).
  void Reset(std::string_view text) {
    text_ = text;
    order_.clear();
    diagnostics_.clear();
    unread_.clear();
    unread_ids_.clear();
    projects_.used = 0;
    monthly_.clear();
    monthly_extras_.clear();
    extras_per_row_ = 0;
    arena_.clear();
    funding_.used = 0;
    plans_.used = 0;
    problems_.used = 0;
    baseline_.used = 0;
    approvals_.used = 0;
  }

  // Room for about `rows` of a table's rows, before a part is read into it: a buffer
  // grown from empty one row at a time faults its first MB in 4 KB at a time (huge
  // pages are only asked for blocks of about a huge page and up) and copies its
  // records at every doubling -- a fifth of a load's page faults, on the threads that
  // read the parts. Reserved pages that are never written cost nothing; recycled
  // buffers are big enough already.
  void Reserve(Table table, size_t rows) {
    internal::ReserveHuge(order_, rows);
    switch (table) {
      case Table::kProjects: internal::ReserveHuge(projects_.records, rows); break;
      case Table::kMonthly: internal::ReserveHuge(monthly_, rows); break;
      case Table::kFunding: internal::ReserveHuge(funding_.records, rows); break;
      case Table::kPlans: internal::ReserveHuge(plans_.records, rows); break;
      case Table::kProblems: internal::ReserveHuge(problems_.records, rows); break;
      case Table::kApprovals: internal::ReserveHuge(approvals_.records, rows); break;
      case Table::kBaseline: break;
    }
  }

  void Report(Diagnostic d) {
    order_.push_back(kDiagnostic);
    diagnostics_.push_back(std::move(d));
  }
  using UnreadFields = LedgerBuilder::UnreadFields;
  bool AddProject(const ProjectRecord& r, UnreadFields unread = {}) {
    Unread(unread);
    return Store(kProject, projects_, r);
  }
  bool AddFunding(const FundingRecord& r, UnreadFields unread = {}) {
    Unread(unread);
    return Store(kFunding, funding_, r);
  }
  bool AddPlan(const PlanRecord& r, UnreadFields unread = {}) {
    Unread(unread);
    return Store(kPlan, plans_, r);
  }
  bool AddProblem(ProblemRecord r, UnreadFields unread = {}) {
    Unread(unread);
    return Store(kProblem, problems_, std::move(r));
  }
  bool AddBaseline(BaselineRecord r, UnreadFields unread = {}) {
    Unread(unread);
    return Store(kBaseline, baseline_, std::move(r));
  }
  bool AddApproval(const ApprovalRecord& r, UnreadFields unread = {}) {
    Unread(unread);
    return Store(kApproval, approvals_, r);
  }

  // The record the next row of its table is to be read into: the one Add would store
  // it in, so that adding it copies nothing (its strings' buffers are an earlier
  // part's, already big enough). A row not added leaves it for the next.
  template <typename Record>
  Record& Next() {
    Recycled<Record>& to = RecordsOf<Record>();
    if (to.used == to.records.size()) to.records.emplace_back();
    return to.records[to.used];
  }
  bool AddMonthly(const MonthlyRecord& r, UnreadFields unread = {}) {
    Unread(unread);
    order_.push_back(kMonthly);
    MonthlyRecord& m = monthly_.emplace_back(r);
    m.code = Keep(r.code);
    m.progress = Keep(r.progress);
    for (std::string_view e : r.extras) monthly_extras_.push_back(Keep(e));
    m.extras = {};
    extras_per_row_ = r.extras.size();
    return true;
  }

  // Gives everything to the builder, in the order it came; projects and approvals
  // prefetched a few records ahead (LedgerBuilder::PrefetchAhead).
  void Replay(LedgerBuilder& builder) {
    size_t next[kKinds] = {};
    UnreadFields unread;  // the next record's
    for (const uint8_t kind : order_) {
      const size_t i = next[kind]++;
      switch (kind) {
        case kDiagnostic: builder.Report(std::move(diagnostics_[i])); break;
        case kUnread: unread = UnreadFields(unread_ids_).subspan(unread_[i].first, unread_[i].second); continue;
        // Read, not taken: the records stay for the next part's (Store); problems' and
        // baseline's are taken, their Add keeping its record.
        case kProject:
          builder.PrefetchAhead(projects_.records.data(), i, projects_.used);
          builder.AddProject(projects_.records[i], unread);
          break;
        case kMonthly: {
          MonthlyRecord& m = monthly_[i];
          if (extras_per_row_ > 0) {
            m.extras = std::span<const std::string_view>(monthly_extras_).subspan(i * extras_per_row_, extras_per_row_);
          }
          builder.AddMonthly(m, unread);
          break;
        }
        case kFunding: builder.AddFunding(funding_.records[i], unread); break;
        case kPlan: builder.AddPlan(plans_.records[i], unread); break;
        case kProblem: builder.AddProblem(std::move(problems_.records[i]), unread); break;
        case kBaseline: builder.AddBaseline(std::move(baseline_.records[i]), unread); break;
        case kApproval:
          builder.PrefetchAhead(approvals_.records.data(), i, approvals_.used);
          builder.AddApproval(approvals_.records[i], unread);
          break;
      }
      unread = {};
    }
  }

 private:
  enum : uint8_t { kDiagnostic, kUnread, kProject, kMonthly, kFunding, kPlan, kProblem, kBaseline, kApproval, kKinds };

  // A part's events of a table, grown on huge pages (huge_pages.h): a part of a big
  // file has 10^5 rows or more, and a vector grown by push_back would fault each new
  // block in 4 KB at a time as it copied the old one in.
  template <typename T>
  using Events = std::vector<T, internal::HugePageAllocator<T>>;

  // Records whose first `used` are this part's; the rest are kept for their buffers.
  template <typename Record>
  struct Recycled {
    Events<Record> records;
    size_t used = 0;
  };

  // A record assigned to the next of the records an earlier part left (Reset keeps
  // them), whose strings' buffers take the texts without allocating; the vector grows
  // only past the most rows a part has had. A record read in place (Next) is kept as
  // it is.
  template <typename Record, typename From>
  bool Store(uint8_t kind, Recycled<Record>& to, From&& r) {
    order_.push_back(kind);
    if (to.used < to.records.size()) {
      if (&to.records[to.used] != &r) to.records[to.used] = std::forward<From>(r);
    } else {
      to.records.push_back(std::forward<From>(r));
    }
    ++to.used;
    return true;
  }

  // The records of the tables read in place (Next).
  template <typename Record>
  Recycled<Record>& RecordsOf() {
    if constexpr (std::is_same_v<Record, ProjectRecord>) {
      return projects_;
    } else if constexpr (std::is_same_v<Record, FundingRecord>) {
      return funding_;
    } else if constexpr (std::is_same_v<Record, PlanRecord>) {
      return plans_;
    } else {
      static_assert(std::is_same_v<Record, ApprovalRecord>, "a record type ChunkEvents keeps");
      return approvals_;
    }
  }

  std::string_view Keep(std::string_view s) {
    if (s.empty()) return {};
    if (s.data() >= text_.data() && s.data() + s.size() <= text_.data() + text_.size()) return s;
    return arena_.emplace_back(s);  // a deque: earlier strings never move
  }

  std::string_view text_;
  Events<uint8_t> order_;
  std::vector<Diagnostic> diagnostics_;
  // A record's unread fields, an event before the record's: where its ids are in
  // unread_ids_ (FieldIds' own, which live as long as the program, as Row gives them).
  std::vector<std::pair<size_t, size_t>> unread_;  // first, count
  std::vector<std::string_view> unread_ids_;
  // Records the next record's unread fields, if any.
  void Unread(UnreadFields fields) {
    if (fields.empty()) return;
    order_.push_back(kUnread);
    unread_.emplace_back(unread_ids_.size(), fields.size());
    unread_ids_.insert(unread_ids_.end(), fields.begin(), fields.end());
  }
  Recycled<ProjectRecord> projects_;
  Events<MonthlyRecord> monthly_;
  Events<std::string_view> monthly_extras_;
  size_t extras_per_row_ = 0;
  std::deque<std::string> arena_;
  Recycled<FundingRecord> funding_;
  Recycled<PlanRecord> plans_;
  Recycled<ProblemRecord> problems_;
  Recycled<BaselineRecord> baseline_;
  Recycled<ApprovalRecord> approvals_;
};

// ---------------------------------------------------------------------------
// One file: decoding and the header (Prepare), then its rows (ReadRows)
// ---------------------------------------------------------------------------

// A file decoded and its header read. Holds views of itself (text may view
// converted): never moved once prepared.
struct PreparedFile {
  FileColumns* cols = nullptr;
  std::string_view bytes;      // as given
  std::string converted;       // the text when converted from GB18030
  std::string_view text;       // UTF-8, without a BOM
  bool bad_rows = false;       // UTF-8 with some bad bytes: checked row by row
  bool rows = false;           // there are rows to read after the header
  size_t body = 0;             // where the rows begin in text, and their line
  int64_t body_line = 1;
  int64_t lines = -1;          // physical lines of the rows, when counted (CutCsv)
  std::vector<std::string> extra_headers;
};

template <typename Sink>
void FileError(Sink& sink, const std::string& file, int64_t line, std::string reason) {
  sink.Report(Diagnostic{file, line, 0, "", std::move(reason)});
}

template <typename Sink>
void ReportTokenizerError(Sink& sink, const FileColumns& cols, const internal::CsvError& e) {
  std::string header;
  if (e.field >= 1 && static_cast<size_t>(e.field) <= cols.headers.size()) header = cols.headers[e.field - 1];
  sink.Report(Diagnostic{cols.file, e.line, e.field, header, e.message});
}

// A quoted field with line breaks (often a stray quote) makes one row of several
// lines: the problems of the reader's current record name them ("; the row runs over
// lines 3-7: ..."), or the lines it swallowed would go unmentioned; "" for one line.
std::string RunsOver(std::string_view text, const internal::CsvReader& reader) {
  std::string_view record = text.substr(reader.record_begin(), reader.record_end() - reader.record_begin());
  while (!record.empty() && (record.back() == '\n' || record.back() == '\r')) record.remove_suffix(1);
  const int64_t last = reader.line() + LocateOffset(record, record.size()).line - 1;
  if (last <= reader.line()) return "";
  return Cat("; the row runs over lines ", reader.line(), "-", last, ": a quoted field holds line breaks (a stray quote?)");
}

bool AllEmpty(std::span<const std::string_view> fields) {
  for (std::string_view f : fields) {
    if (!TrimCell(f).empty()) return false;
  }
  return true;
}

// UTF-8 with some bad bytes: each record holding one is reported and left out (the
// header is reported and still read: its columns decide what can be read).
template <typename Sink>
bool ReportBadUtf8(const PreparedFile& f, size_t begin, size_t end, int64_t line, Sink& sink) {
  if (!f.bad_rows) return false;
  const std::string_view record = f.text.substr(begin, end - begin);
  const size_t bad = FindInvalidUtf8(record);
  if (bad == std::string_view::npos) return false;
  const internal::CsvPosition pos = LocateOffset(record, bad);
  const size_t offset = static_cast<size_t>(f.text.data() - f.bytes.data()) + begin + bad;
  std::string header;
  if (pos.field >= 1 && static_cast<size_t>(pos.field) <= f.cols->headers.size()) {
    header = f.cols->headers[pos.field - 1];
  }
  sink.Report(Diagnostic{f.cols->file, line + pos.line - 1, pos.field, std::move(header),
                         Cat("not valid UTF-8 (", ByteText(static_cast<unsigned char>(record[bad])),
                             " at byte offset ", offset, "; the rest of the file is UTF-8); the row was not read")});
  return true;
}

template <typename Sink>
bool ReportBadUtf8(const PreparedFile& f, const CsvReader& reader, Sink& sink) {
  return ReportBadUtf8(f, reader.record_begin(), reader.record_end(), reader.line(), sink);
}

// Decodes the file's bytes to UTF-8 text (in *converted when converted).
// *bad_rows: the text is UTF-8 with some bad bytes (LooksLikeUtf8), to be reported
// row by row.
template <typename Sink>
bool Decode(Encoding encoding, std::string_view bytes, const std::string& file, std::string* converted,
            std::string_view* text, bool* bad_rows, Sink& sink) {
  auto locate = [&](size_t offset) { return LocateOffset(bytes, offset); };
  auto utf16 = [&] {
    return bytes.size() >= 2 && ((bytes[0] == '\xFF' && bytes[1] == '\xFE') ||
                                 (bytes[0] == '\xFE' && bytes[1] == '\xFF'));
  };
  // What to do about a file that cannot be read, said once: a UTF-16 file (Excel's
  // "Unicode text") needs saving as CSV UTF-8, whatever else would be advised.
  auto advice = [&](std::string_view otherwise) {
    return utf16() ? std::string_view("; the file is UTF-16: save it as CSV UTF-8") : otherwise;
  };
  auto byte_text = [&](size_t offset) {
    return Cat(ByteText(static_cast<unsigned char>(bytes[offset])), " at byte offset ", offset);
  };
  auto report = [&](size_t offset, std::string reason) {
    const internal::CsvPosition pos = locate(offset);
    sink.Report(Diagnostic{file, pos.line, pos.field, "", std::move(reason)});
  };
  internal::ConversionError gb_error;
  auto convert = [&] { return internal::Gb18030ToUtf8(bytes, converted, &gb_error); };
  switch (encoding) {
    case Encoding::kUtf8: {
      const size_t bad = FindInvalidUtf8(bytes);
      if (bad != std::string_view::npos && LooksLikeUtf8(bytes, bad)) {
        *bad_rows = true;
      } else if (bad != std::string_view::npos) {
        report(bad, Cat("not valid UTF-8 (", byte_text(bad), ")",
                        advice("; save as UTF-8 or load with 'encoding=gb18030'"), "; the file was not read"));
        return false;
      }
      *text = bytes;
      return true;
    }
    case Encoding::kAuto: {
      const size_t bad = FindInvalidUtf8(bytes);
      if (bad == std::string_view::npos || LooksLikeUtf8(bytes, bad)) {
        *bad_rows = bad != std::string_view::npos;
        *text = bytes;
        return true;
      }
      if (!convert()) {
        report(bad, Cat("neither UTF-8 (", byte_text(bad), ") nor GB18030 (", gb_error.message, ")",
                        advice("; save it as UTF-8"), "; the file was not read"));
        return false;
      }
      *text = *converted;
      return true;
    }
    case Encoding::kGb18030: {
      if (!convert()) {
        report(std::min(gb_error.offset, bytes.size()),
               Cat("not valid GB18030: ", gb_error.message, "; check the 'encoding' option; the file was not read"));
        return false;
      }
      *text = *converted;
      return true;
    }
  }
  return false;
}

// Matches the header's names (one row's cells, or a two-row header's combined names:
// csv/layout.h) read at `line`. unit_row: the money unit a row above the header said
// (internal::kMoneyUnits index), -1 none. False when the file's rows cannot be read
// (a required column is missing).
template <typename Sink>
bool ReadHeader(std::span<const std::string> names, int64_t line, int unit_row, FileColumns* cols, Sink& sink) {
  const HeaderIndex& index = HeaderIndexOf(cols->table);
  const size_t nfields = FieldIds(cols->table).size();
  const std::span<const internal::CellKind> kinds = internal::CellKinds(cols->table);
  cols->header_line = line;
  cols->width = names.size();
  cols->required = index.required;
  cols->field_of_column.assign(names.size(), kExtra);
  cols->unit.assign(names.size(), -1);
  cols->headers.clear();
  cols->column_of_field.assign(nfields, -1);
  for (size_t c = 0; c < names.size(); ++c) {
    const std::string_view written = TrimCell(names[c]);
    cols->headers.emplace_back(written);
    const internal::ColumnName name = internal::MatchColumnName(cols->table, written);
    if (name.field == internal::kSerialColumn) {
      // 序号: the sheet's row numbers, not data.
      if (cols->layout.serial_column == 0) cols->layout.serial_column = static_cast<int>(c + 1);
      cols->field_of_column[c] = kIgnored;
      continue;
    }
    if (name.foreign_field >= 0) {
      sink.Report(Diagnostic{cols->file, line, static_cast<int>(c + 1), std::string(written),
                             internal::ForeignUnitReason(cols->table, name)});
      cols->field_of_column[c] = kIgnored;
      continue;
    }
    const int field = name.field;
    if (field == internal::kUnknownColumn) {
      cols->extra_columns.push_back(static_cast<int>(c));
      continue;
    }
    if (const int first = cols->column_of_field[field]; first >= 0) {
      sink.Report(Diagnostic{
          cols->file, line, static_cast<int>(c + 1), std::string(written),
          Cat("duplicate column: ", FieldIds(cols->table)[field], " is already column ", first + 1,
              " ('", cols->headers[first], "')")});
      cols->field_of_column[c] = kIgnored;
      continue;
    }
    cols->field_of_column[c] = field;
    cols->column_of_field[field] = static_cast<int>(c);
    // The unit of a money column: the header's own, else the unit row's.
    if (kinds[field] != internal::CellKind::kMoney) continue;
    const int unit = name.unit >= 0 ? name.unit : unit_row;
    if (name.unit >= 0 && name.unit != internal::kWanUnit) cols->layout.unit_headers.emplace_back(written);
    if (unit >= 0 && unit != internal::kWanUnit) {
      cols->unit[c] = static_cast<int8_t>(unit);
      cols->any_unit = true;
    }
  }
  cols->key_column = cols->column_of_field.empty() ? -1 : cols->column_of_field[0];
  // A column that names nothing is kept, never an error -- but for near misses and a
  // missing figure (internal::UnreadColumnProblems).
  std::vector<std::pair<int, std::string_view>> unknown;
  for (const int c : cols->extra_columns) unknown.emplace_back(c + 1, cols->headers[static_cast<size_t>(c)]);
  for (internal::ColumnProblem& p : internal::UnreadColumnProblems(cols->table, unknown, cols->column_of_field)) {
    sink.Report(Diagnostic{cols->file, line, p.position, std::move(p.name), std::move(p.reason)});
  }
  std::string missing;
  for (size_t f = 0; f < nfields; ++f) {
    if (index.required[f] && cols->column_of_field[f] < 0) {
      Append(&missing, missing.empty() ? "" : ", ", FieldIds(cols->table)[f], " (", index.chinese[f], ")");
    }
  }
  if (!missing.empty()) {
    FileError(sink, cols->file, line,
              Cat("missing required column ", missing, "; the rows of ", cols->file, " were not read"));
    return false;
  }
  return true;
}

// Decodes a file and reads its header; f->rows says whether rows follow. False when
// the file's rows could not be read at all (encoding, empty, missing required
// columns) -- for projects.csv that holds back the rows of the other files.
template <typename Sink>
bool Prepare(Encoding encoding, std::string_view name, std::string_view bytes, Table table, FileColumns* cols,
             PreparedFile* f, Sink& sink) {
  cols->loaded = true;
  cols->file = std::string(name);
  cols->table = table;
  f->cols = cols;
  f->bytes = bytes;
  if (!Decode(encoding, bytes, cols->file, &f->converted, &f->text, &f->bad_rows, sink)) return false;
  if (f->text.substr(0, kUtf8Bom.size()) == kUtf8Bom) f->text.remove_prefix(kUtf8Bom.size());

  CsvReader reader(f->text);
  if (!reader.Next()) {
    if (reader.fatal()) {
      ReportTokenizerError(sink, *cols, *reader.fatal());
    } else if (table == Table::kProjects) {
      FileError(sink, cols->file, 0, Cat(cols->file, " is empty: it needs a header row and one row a project"));
    }
    // An optional file with nothing in it has no rows: the same as no file.
    return table != Table::kProjects;
  }
  // The header: the first of the leading rows that names the table's columns (a
  // bureau's sheet has its title and unit rows above it: csv/layout.h).
  struct Scanned {
    size_t begin, end;         // the record's bytes
    int64_t next_line;         // the line at `end`
    std::vector<internal::CsvError> errors;
  };
  std::vector<internal::ScannedRow> rows;
  std::vector<Scanned> scanned;
  do {
    internal::ScannedRow& row = rows.emplace_back();
    row.line = reader.line();
    for (std::string_view field : reader.fields()) row.cells.emplace_back(TrimCell(field));
    scanned.push_back({reader.record_begin(), reader.pos(), reader.next_line(), reader.errors()});
  } while (rows.size() < internal::kHeaderSearchRows && reader.Next());
  const internal::HeaderChoice header = internal::FindHeader(table, rows);
  const size_t last = header.row + static_cast<size_t>(header.rows) - 1;
  TableLayout& layout = cols->layout;
  layout.table = table;
  layout.file = cols->file;
  layout.header_line = rows[header.row].line;
  layout.header_rows = header.rows;
  int unit_row = -1;
  for (size_t k = 0; k <= last; ++k) {
    for (const internal::CsvError& e : scanned[k].errors) ReportTokenizerError(sink, *cols, e);
    ReportBadUtf8(*f, scanned[k].begin, scanned[k].end, rows[k].line, sink);
    if (k >= header.row) continue;
    // A title or note row; the first that names a money unit sets the file's.
    std::vector<std::string_view> cells(rows[k].cells.begin(), rows[k].cells.end());
    std::string text = internal::RowText(cells);
    if (unit_row < 0) {
      if (std::optional<int> unit = internal::UnitInText(text)) {
        unit_row = *unit;
        layout.unit = std::string(internal::kMoneyUnits[*unit].name);
        layout.unit_line = rows[k].line;
      }
    }
    layout.notes.push_back({rows[k].line, std::move(text)});
  }
  if (!ReadHeader(header.names, rows[header.row].line, unit_row, cols, sink)) return false;
  for (int col : cols->extra_columns) f->extra_headers.push_back(cols->headers[col]);
  f->rows = true;
  CsvReader body(f->text, scanned[last].end, scanned[last].next_line);
  body.SkipBlankLines();
  f->body = body.pos();
  f->body_line = body.next_line();
  return true;
}

// Where the reading of rows stopped: the start of the first record not read (after
// blank lines) and its line; `stopped`: at the end of the text, or at an
// unterminated quote (nothing after it can be read).
struct RowsEnd {
  size_t pos = 0;
  int64_t line = 0;
  bool stopped = false;
};

// Reads the records of f's text that begin in [begin, end) -- begin being where a
// record (or blank lines before one) begins, on physical line `line` -- into the
// sink. The last one may run past `end` (a quoted field with line breaks).
// *layout_rows is set when a row is a bureau layout's (合计, a footer, ...: left
// out, and looked at again by CheckLayoutRows).
template <typename Sink>
RowsEnd ReadRows(const PreparedFile& f, bool hold_back, size_t begin, int64_t line, size_t end, Sink& sink,
                 int64_t* held, bool* layout_rows) {
  const FileColumns& cols = *f.cols;
  const Table table = cols.table;
  CsvReader reader(f.text, begin, line);
  RowRecords records;
  int64_t* held_back = hold_back ? held : nullptr;
  for (;;) {
    reader.SkipBlankLines();
    if (reader.pos() >= end || reader.pos() >= f.text.size()) {
      return {reader.pos(), reader.next_line(), reader.pos() >= f.text.size()};
    }
    if (!reader.Next()) break;
    const std::span<const std::string_view> fields = reader.fields();
    if (!reader.errors().empty()) {
      const std::string note = RunsOver(f.text, reader);
      for (internal::CsvError e : reader.errors()) {
        if (!note.empty()) e.message += note;
        ReportTokenizerError(sink, cols, e);
      }
      continue;
    }
    if (AllEmpty(fields)) continue;
    if (ReportBadUtf8(f, reader, sink)) continue;
    if (internal::ClassifyRowFast(fields, cols.key_column, nullptr) != internal::RowKind::kData) {
      *layout_rows = true;
      continue;
    }
    if (fields.size() != cols.width) {
      // The column is where the row and the header part: the first missing field,
      // or the first extra one.
      const auto column = static_cast<int>(std::min<size_t>(fields.size(), cols.width) + 1);
      sink.Report(Diagnostic{cols.file, reader.line(), column, "",
                             Cat("row has ", fields.size(), " fields, header has ", cols.width, RunsOver(f.text, reader))});
      continue;
    }
    if (table == Table::kMonthly) {
      AddMonthlyRow(cols, fields, reader.line(), records.monthly_extras, sink, held_back);
      continue;
    }
    Row<Sink> row(cols, fields, reader.line(), sink);
    switch (table) {
      case Table::kProjects: AddProjectRow(row, RecordFor(sink, records.project), sink); break;
      case Table::kMonthly: break;
      case Table::kFunding:
        AddRecordRow(row, table, held_back, internal::ReadFundingRecord<Row<Sink>>, RecordFor(sink, records.funding),
                     [&](const FundingRecord& r, auto unread) { sink.AddFunding(r, unread); });
        break;
      case Table::kPlans:
        AddRecordRow(row, table, held_back, internal::ReadPlanRecord<Row<Sink>>, RecordFor(sink, records.plan),
                     [&](const PlanRecord& r, auto unread) { sink.AddPlan(r, unread); });
        break;
      case Table::kProblems: {
        ProblemRecord problem;
        AddRecordRow(row, table, held_back, internal::ReadProblemRecord<Row<Sink>>, problem,
                     [&](ProblemRecord& r, auto unread) { sink.AddProblem(std::move(r), unread); });
        break;
      }
      case Table::kApprovals:
        AddRecordRow(row, table, held_back, internal::ReadApprovalRecord<Row<Sink>>, RecordFor(sink, records.approval),
                     [&](const ApprovalRecord& r, auto unread) { sink.AddApproval(r, unread); });
        break;
      case Table::kBaseline: {
        BaselineRecord baseline;
        AddRecordRow(row, table, nullptr, internal::ReadBaselineRecord<Row<Sink>>, baseline,
                     [&](BaselineRecord& r, auto unread) { sink.AddBaseline(std::move(r), unread); });
        break;
      }
    }
  }
  if (reader.fatal()) ReportTokenizerError(sink, cols, *reader.fatal());
  return {f.text.size(), reader.next_line(), true};
}

// What the builder is told once a file's header is read, before its rows.
void BeginRows(const PreparedFile& f, bool hold_back, LedgerBuilder& builder) {
  builder.SetExtraHeaders(f.cols->table, f.extra_headers);
  // One row a line, nearly always: counting lines is far cheaper than growing eight
  // columns of tens of millions of slots (monthly), thirty columns, the code index and
  // the project bookkeeping (projects), or millions of records (approvals).
  auto rows = [&] {
    return f.lines >= 0 ? static_cast<size_t>(f.lines) + 1
                        : static_cast<size_t>(std::count(f.text.begin() + static_cast<ptrdiff_t>(f.body),
                                                         f.text.end(), '\n')) + 1;
  };
  if (!hold_back && f.cols->table != Table::kBaseline) builder.ReserveRows(f.cols->table, rows());
}

// And after its rows: the rows held back, counted.
void EndRows(const PreparedFile& f, int64_t held, LedgerBuilder& builder) {
  if (held > 0) {
    FileError(builder, f.cols->file, 0,
              Cat(held, held == 1 ? " row" : " rows", " not loaded: ", CsvFileName(Table::kProjects),
                  " could not be read, so the project codes cannot be checked"));
  }
}

// The bureau layout's rows after the header (ReadRows left them out): each 合计 /
// 总计 / 小计 checked against the data rows it covers, and every such row kept in
// the file's TableLayout. Run once the file's rows are read, only when ReadRows saw
// one: a file without them is never read twice. A 合计 covers every data row above
// it; a 小计 the data rows since the header or the last 合计 / 总计 / 小计. A cell
// is compared only when every data cell it covers was a number.
void CheckLayoutRows(const PreparedFile& f, LedgerBuilder& builder) {
  FileColumns& cols = *f.cols;
  const std::span<const internal::CellKind> kinds = internal::CellKinds(cols.table);
  struct Sum {
    int128 fen = 0;
    bool known = true;
  };
  struct MoneyColumn {
    size_t column;
    Sum all, since;  // since the header; since the last total
  };
  std::vector<MoneyColumn> money;
  for (size_t c = 0; c < cols.width; ++c) {
    const int field = cols.field_of_column[c];
    if (field >= 0 && kinds[field] == internal::CellKind::kMoney) money.push_back({c, {}, {}});
  }
  auto parse = [&](size_t c, std::string_view s) {
    std::string why;
    return internal::ColumnMoneyCell(s, cols.unit[c], true, &why);
  };
  CsvReader reader(f.text, f.body, f.body_line);
  std::string word;
  while (reader.Next()) {
    const std::span<const std::string_view> fields = reader.fields();
    if (!reader.errors().empty() || AllEmpty(fields)) continue;
    if (f.bad_rows && FindInvalidUtf8(f.text.substr(reader.record_begin(), reader.record_end() - reader.record_begin())) !=
                          std::string_view::npos) {
      continue;
    }
    word.clear();
    const internal::RowKind kind = internal::ClassifyRowFast(fields, cols.key_column, &word);
    switch (kind) {
      case internal::RowKind::kData:
        if (fields.size() != cols.width) break;
        for (MoneyColumn& m : money) {
          const std::string_view s = TrimCell(fields[m.column]);
          if (s.empty()) continue;
          if (std::optional<Money> v = parse(m.column, s)) {
            m.all.fen += v->fen();
            m.since.fen += v->fen();
          } else {
            m.all.known = m.since.known = false;
          }
        }
        break;
      case internal::RowKind::kTotal:
      case internal::RowKind::kSubtotal: {
        LayoutTotal& t = cols.layout.totals.emplace_back();
        t.line = reader.line();
        t.word = word;
        for (MoneyColumn& m : money) {
          const Sum& sum = kind == internal::RowKind::kTotal ? m.all : m.since;
          const std::string_view s = m.column < fields.size() ? TrimCell(fields[m.column]) : std::string_view();
          std::optional<Money> v;
          if (!s.empty() && sum.known) v = parse(m.column, s);
          if (v) {
            t.checked = true;
            if (int128{v->fen()} != sum.fen) {
              t.agrees = false;
              const int unit = cols.unit[m.column] < 0 ? internal::kWanUnit : cols.unit[m.column];
              const internal::MoneyUnit& u = internal::kMoneyUnits[unit];
              builder.Report(Diagnostic{cols.file, reader.line(), static_cast<int>(m.column + 1), cols.headers[m.column],
                                        Cat(word, " ", FormatExact(v->fen(), u.fen, 2), " ", u.name,
                                            " but the rows above sum to ", FormatExact(sum.fen, u.fen, 2), " ",
                                            u.name)});
            }
          }
          m.since = Sum();
        }
        break;
      }
      case internal::RowKind::kBreakdown: {
        LayoutTotal& t = cols.layout.totals.emplace_back();
        t.line = reader.line();
        t.word = word;
        break;
      }
      case internal::RowKind::kSection: cols.layout.sections.push_back({reader.line(), internal::RowText(fields)}); break;
      case internal::RowKind::kFooter:
      case internal::RowKind::kNote: cols.layout.footers.push_back({reader.line(), internal::RowText(fields)}); break;
    }
  }
}

// Reads one file into the builder, on this thread (LoadOptions::threads == 1); fills
// *cols for the mapping of the builder's diagnostics. `hold_back`: check the rows
// cell by cell but give none to the builder (their projects could not be read).
// False when the file's rows could not be read at all.
bool LoadFile(const LoadOptions& options, std::string_view name, std::string_view bytes, Table table,
              FileColumns* cols, bool hold_back, LedgerBuilder& builder) {
  PreparedFile f;
  const bool read = Prepare(options.encoding, name, bytes, table, cols, &f, builder);
  if (!f.rows) return read;
  BeginRows(f, hold_back, builder);
  int64_t held = 0;
  bool layout_rows = false;
  ReadRows(f, hold_back, f.body, f.body_line, std::string_view::npos, builder, &held, &layout_rows);
  if (layout_rows) CheckLayoutRows(f, builder);
  EndRows(f, held, builder);
  return read;
}

// An input file: its name for diagnostics and its bytes -- owned by `owner` when
// the loader read the file itself, which then lets go of them (unmaps them) as soon as
// the file's rows are in the builder: the builder copies what it keeps, so the input
// of files already read no longer counts in the peak memory of the files after it.
struct NamedBytes {
  std::string_view name;
  std::string_view bytes;
  internal::FileBytes* owner = nullptr;
  std::optional<Table> table;  // set: the table, whatever the name (a workbook's sheet)
};

void Release(const NamedBytes& in) {
  if (in.owner != nullptr) *in.owner = internal::FileBytes();
}

// A file the loader mapped (FileMapping::kOnFirstUse), brought in by the thread about
// to decode it.
void Populate(const NamedBytes& in) {
  if (in.owner != nullptr) in.owner->Populate();
}

// ---------------------------------------------------------------------------
// Files read in parallel, in parts
// ---------------------------------------------------------------------------
//
// The builder is sequential (projects before the rows that refer to them) and stays
// on the calling thread; worker threads decode the files, read their headers, cut
// them into parts at row boundaries (CutCsv) and read each part into a ChunkEvents.
// The calling thread replays the parts into the builder in file order, so the
// builder sees exactly the calls of the sequential load, and the diagnostics are the
// same, in the same order. While its next part is not ready it reads parts itself.
//
// A part is read from its cut on the guess that the cut is a row boundary; the
// replay checks that it starts where the part before it ended (a quoted field with
// line breaks can run over a cut), and reads it again from there when not. Parts read
// but not yet replayed are bounded (kWindow per thread), so the memory is that of a
// few parts, not of a file's records.

// The size of a part: big enough that a part's bookkeeping is nothing beside its
// rows, small enough that a few parts of records per thread are little memory.
constexpr size_t kPartBytes = size_t{4} << 20;

struct Part {
  size_t begin = 0, end = 0;
  int64_t line = 0;
  // Filled by the reading:
  std::unique_ptr<ChunkEvents> events;
  RowsEnd rows_end;
  size_t first = 0;   // where its first record begins (after blank lines)
  int64_t held = 0;
  bool layout_rows = false;  // a row of the bureau layout was left out
  bool read = false;  // its rows are in `events` (parts are taken in order: FileJob::next_part)
};

struct FileJob {
  Table table = Table::kProjects;
  NamedBytes input;
  FileColumns* cols = nullptr;
  PreparedFile prepared;
  std::unique_ptr<ChunkEvents> prepare_events;
  bool read = false;
  int state = 0;  // 0 waiting, 1 being prepared, 2 prepared (parts known)
  std::vector<Part> parts;
  size_t next_part = 0;  // the first part nobody has taken
};

class ParallelLoad {
 public:
  ParallelLoad(const LoadOptions& options, size_t part_bytes, LedgerBuilder& builder)
      : options_(options), part_bytes_(part_bytes), builder_(builder) {}

  void AddFile(Table t, const NamedBytes& in, FileColumns* cols) {
    auto job = std::make_unique<FileJob>();
    job->table = t;
    job->input = in;
    job->cols = cols;
    files_.push_back(std::move(job));
  }

  // Reads every file into the builder with up to `threads` threads (this one
  // included), projects.csv first.
  void Run(int threads) {
    size_t total = 0;
    for (const auto& f : files_) total += f->input.bytes.size();
    // No more workers than parts to read: a small ledger is read on this thread.
    const size_t parts = total / std::max<size_t>(part_bytes_, 1) + 1;
    const size_t workers = std::min<size_t>(static_cast<size_t>(std::max(threads, 1)) - 1, parts - 1);
    window_ = std::min(kWindow * (workers + 1), kMaxWindow);
    // monthly.csv on a consumer thread of its own (lane 1) beside the other tables
    // (lane 0), once projects.csv is in: it is half the rows of a big ledger, and
    // shares nothing with the others in the builder (ledger_builder.h, "Threads").
    bool monthly = false, others = false;
    for (const auto& f : files_) {
      monthly = monthly || f->table == Table::kMonthly;
      others = others || (f->table != Table::kMonthly && f->table != Table::kProjects);
    }
    split_ = workers > 0 && monthly && others;
    std::vector<std::thread> pool;
    struct Stop {
      ParallelLoad* self;
      std::vector<std::thread>* pool;
      ~Stop() {
        {
          std::lock_guard<std::mutex> lock(self->mu_);
          self->stop_ = true;
        }
        self->cv_.notify_all();
        for (std::thread& t : *pool) t.join();
      }
    } stop{this, &pool};
    for (size_t i = 0; i < workers; ++i) {
      try {
        pool.emplace_back([this] { Work(); });
      } catch (const std::system_error&) {
        break;  // no more threads to be had: the ones there (and this one) do it all
      }
    }
    Consume();
  }

 private:
  static constexpr size_t kWindow = 4;
  // However many threads: at most this many parts of records held per lane (32 x 4 MB
  // of text).
  static constexpr size_t kMaxWindow = 32;

  // A job: prepare files_[file] (part == npos) or read its part.
  struct Job {
    size_t file = 0;
    size_t part = std::string_view::npos;
  };

  // Under mu_: the next job, if any may start: a part (in file order, within the
  // window) or a file to prepare among files_[0..last_prepare]. Workers prepare first:
  // a file's decoding and cutting is one long job, done before the builder needs its
  // parts. The builder's thread reads parts first, and prepares no file after the one
  // it waits on (the builder would wait for it).
  bool Take(Job* job, size_t last_prepare, bool prepare_first) {
    if (failed_) return false;
    auto prepare = [&] {
      for (size_t i = 0; i < files_.size() && i <= last_prepare; ++i) {
        if (files_[i]->state == 0) {
          files_[i]->state = 1;
          *job = Job{i, std::string_view::npos};
          return true;
        }
      }
      return false;
    };
    if (prepare_first && prepare()) return true;
    // Parts are taken in file order within a lane, so the window never fills with
    // parts of a later file while the builder waits for an earlier one; of the two
    // lanes, the one with fewer parts in flight first.
    const bool projects_known = !files_.empty() && files_[0]->state == 2;
    auto next_file = [&](int lane) -> size_t {  // npos: none
      if (!projects_known || in_flight_[lane] >= window_) return std::string_view::npos;
      for (size_t i = 0; i < files_.size(); ++i) {
        const FileJob& f = *files_[i];
        if (Lane(f) != lane) continue;
        if (f.state != 2) break;
        if (f.next_part < f.parts.size()) return i;
      }
      return std::string_view::npos;
    };
    constexpr size_t kNone = std::string_view::npos;
    const size_t first = next_file(0), second = next_file(1);
    if (first != kNone || second != kNone) {
      const size_t i = second == kNone || (first != kNone && in_flight_[0] <= in_flight_[1]) ? first : second;
      FileJob& f = *files_[i];
      *job = Job{i, f.next_part++};
      ++in_flight_[Lane(f)];
      return true;
    }
    return !prepare_first && prepare();
  }

  // Runs a job outside the lock, then marks it done.
  void Run(const Job& job) {
    FileJob& f = *files_[job.file];
    try {
      if (job.part == std::string_view::npos) {
        Populate(f.input);
        f.prepare_events = std::make_unique<ChunkEvents>(std::string_view());
        f.read = Prepare(options_.encoding, f.input.name, f.input.bytes, f.table, f.cols, &f.prepared, *f.prepare_events);
        std::vector<Part> parts;
        if (f.prepared.rows) {
          int64_t end_line = 0;
          for (const internal::CsvCut& c : internal::CutCsv(f.prepared.text, f.prepared.body, f.prepared.body_line,
                                                            part_bytes_, &end_line)) {
            if (!parts.empty()) parts.back().end = c.offset;
            Part& p = parts.emplace_back();
            p.begin = c.offset;
            p.line = c.line;
          }
          parts.back().end = f.prepared.text.size();
          f.prepared.lines = end_line - f.prepared.body_line;
        }
        std::lock_guard<std::mutex> lock(mu_);
        f.parts = std::move(parts);
        f.state = 2;
        if (f.table == Table::kProjects) projects_read_ = f.read;
      } else {
        Part& p = f.parts[job.part];
        const bool hold_back = HoldBack(f);
        std::unique_ptr<ChunkEvents> events;
        {
          std::lock_guard<std::mutex> lock(mu_);
          if (std::vector<std::unique_ptr<ChunkEvents>>& spare = spare_[static_cast<int>(f.table)]; !spare.empty()) {
            events = std::move(spare.back());
            spare.pop_back();
          }
        }
        if (events) {
          events->Reset(f.prepared.text);
        } else {
          events = std::make_unique<ChunkEvents>(f.prepared.text);
        }
        events->Reserve(f.table, ExpectedRows(f, p));
        CsvReader skip(f.prepared.text, p.begin, p.line);
        skip.SkipBlankLines();
        const size_t first = skip.pos();
        int64_t held = 0;
        bool layout_rows = false;
        const RowsEnd end = ReadRows(f.prepared, hold_back, p.begin, p.line, p.end, *events, &held, &layout_rows);
        std::lock_guard<std::mutex> lock(mu_);
        p.layout_rows = layout_rows;
        p.events = std::move(events);
        p.rows_end = end;
        p.first = first;
        p.held = held;
        p.read = true;
      }
    } catch (...) {
      std::lock_guard<std::mutex> lock(mu_);
      if (!failed_) failure_ = std::current_exception();
      failed_ = true;
    }
    cv_.notify_all();
  }

  // About how many rows part p of f holds: its share of the file's lines (CutCsv
  // counted them), with a quarter more for parts of shorter rows than the average.
  static size_t ExpectedRows(const FileJob& f, const Part& p) {
    const size_t body = f.prepared.text.size() - std::min(f.prepared.body, f.prepared.text.size());
    const auto lines = static_cast<size_t>(std::max<int64_t>(f.prepared.lines, 1));
    const size_t bytes_per_row = std::max<size_t>(body / lines, 1);
    const size_t rows = (p.end - p.begin) / bytes_per_row + 1;
    return rows + rows / 4;
  }

  int Lane(const FileJob& f) const { return split_ && f.table == Table::kMonthly ? 1 : 0; }

  bool HoldBack(const FileJob& f) const {
    return !projects_read_ && f.table != Table::kBaseline && f.table != Table::kProjects;
  }

  void Work() {
    std::unique_lock<std::mutex> lock(mu_);
    for (;;) {
      Job job;
      if (stop_) return;
      if (Take(&job, files_.size(), true)) {
        lock.unlock();
        Run(job);
        lock.lock();
        continue;
      }
      cv_.wait(lock);
    }
  }

  // Waits (reading parts meanwhile) until ready() holds, while the builder is at
  // files_[file]; rethrows a worker's failure.
  template <typename Ready>
  void WaitFor(size_t file, Ready ready) {
    std::unique_lock<std::mutex> lock(mu_);
    for (;;) {
      if (failed_) std::rethrow_exception(failure_);
      if (ready()) return;
      Job job;
      if (Take(&job, file, false)) {
        lock.unlock();
        Run(job);
        lock.lock();
        continue;
      }
      cv_.wait(lock);
    }
  }

  // The builder's side: every file, every part, in order; with split_, monthly.csv on
  // a thread of its own once projects.csv is in (projects.csv is files_[0]).
  void Consume() {
    std::thread monthly;
    std::exception_ptr monthly_failure;
    bool monthly_on_thread = false;
    auto fail = [&] {
      {
        std::lock_guard<std::mutex> lock(mu_);
        if (!failed_) failure_ = std::current_exception();
        failed_ = true;
      }
      cv_.notify_all();
    };
    try {
      for (size_t i = 0; i < files_.size(); ++i) {
        if (Lane(*files_[i]) == 1 && monthly_on_thread) continue;
        ConsumeFile(i);
        if (i != 0 || !split_) continue;
        const size_t m = MonthlyFile();
        try {
          monthly = std::thread([this, m, &monthly_failure, &fail] {
            try {
              ConsumeFile(m);
            } catch (...) {
              monthly_failure = std::current_exception();
              fail();
            }
          });
          monthly_on_thread = true;
        } catch (const std::system_error&) {
          // No thread to be had: monthly.csv in its turn, on this one.
        }
      }
    } catch (...) {
      fail();  // the monthly consumer stops waiting
      if (monthly.joinable()) monthly.join();
      throw;
    }
    if (monthly.joinable()) monthly.join();
    if (monthly_failure) std::rethrow_exception(monthly_failure);
  }

  size_t MonthlyFile() const {
    for (size_t i = 0; i < files_.size(); ++i) {
      if (files_[i]->table == Table::kMonthly) return i;
    }
    return files_.size();
  }

  // Every part of files_[i], in order, into the builder.
  void ConsumeFile(size_t i) {
    FileJob& f = *files_[i];
    WaitFor(i, [&] { return f.state == 2; });
    f.prepare_events->Replay(builder_);
    f.prepare_events.reset();
    if (!f.prepared.rows) return;
    const bool hold_back = HoldBack(f);
    BeginRows(f.prepared, hold_back, builder_);
    int64_t held = 0;
    bool layout_rows = false;
    RowsEnd at{f.prepared.body, f.prepared.body_line, false};
    for (size_t k = 0; k < f.parts.size(); ++k) {
      Part& p = f.parts[k];
      WaitFor(i, [&] { return p.read; });
      std::unique_ptr<ChunkEvents> events = std::move(p.events);
      if (!at.stopped && (k == 0 || p.first == at.pos)) {
        events->Replay(builder_);
        held += p.held;
        layout_rows = layout_rows || p.layout_rows;
        at = p.rows_end;
      } else if (!at.stopped) {
        // The cut was inside a row: read the part from where the last one ended.
        ChunkEvents again(f.prepared.text);
        at = ReadRows(f.prepared, hold_back, at.pos, at.line, p.end, again, &held, &layout_rows);
        again.Replay(builder_);
      }
      {
        std::lock_guard<std::mutex> lock(mu_);
        --in_flight_[Lane(f)];
        if (events) spare_[static_cast<int>(f.table)].push_back(std::move(events));
      }
      cv_.notify_all();
    }
    {
      // No part of this table is left: its buffers' memory goes back (every other
      // table's records are of other sizes).
      std::lock_guard<std::mutex> lock(mu_);
      spare_[static_cast<int>(f.table)].clear();
    }
    if (layout_rows) CheckLayoutRows(f.prepared, builder_);
    EndRows(f.prepared, held, builder_);
    // The file's text is no longer needed (nobody reads it after its last part).
    std::string().swap(f.prepared.converted);
    Release(f.input);
  }

  const LoadOptions& options_;
  const size_t part_bytes_;
  LedgerBuilder& builder_;
  std::vector<std::unique_ptr<FileJob>> files_;  // in kLoadOrder

  std::mutex mu_;
  std::condition_variable cv_;
  size_t window_ = kWindow;    // per lane
  bool split_ = false;         // monthly.csv is lane 1 (Consume)
  size_t in_flight_[2] = {};   // per lane: parts taken and not yet replayed
  bool projects_read_ = true; // set when projects.csv is prepared (it is first)
  bool stop_ = false;
  bool failed_ = false;
  std::exception_ptr failure_;
  // Per table, buffers replayed and kept for that table's next parts: a buffer's
  // memory is faulted in once and reused, where a buffer going from table to table
  // grew (and faulted in) a vector of every table's records.
  std::array<std::vector<std::unique_ptr<ChunkEvents>>, kTableCount> spare_;
};

// Maps the builder's diagnostics (table name, English field, column 0) to the file's
// name, column number and header as written.
void MapBuilderDiagnostics(const std::array<FileColumns, kTableCount>& files, Diagnostics* diagnostics,
                           const BuildOptions& build_options) {
  for (Diagnostic& d : *diagnostics) {
    int table = -1;
    for (int t = 0; t < kTableCount; ++t) {
      if (d.file == build_options.table_names[t] || d.file == CsvFileName(static_cast<Table>(t))) {
        table = t;
        break;
      }
    }
    if (table < 0) continue;
    const FileColumns& cols = files[table];
    if (!cols.loaded) continue;
    d.file = cols.file;
    if (d.column != 0 || d.field.empty() || cols.column_of_field.empty()) continue;
    const std::span<const std::string_view> ids = FieldIds(static_cast<Table>(table));
    const auto it = std::find(ids.begin(), ids.end(), d.field);
    if (it == ids.end()) continue;
    const int col = cols.column_of_field[it - ids.begin()];
    if (col < 0) continue;
    d.column = col + 1;
    d.field = cols.headers[col];
  }
  // In the order the files were read, then by place.
  auto rank = [&](const Diagnostic& d) {
    for (int k = 0; k < kTableCount; ++k) {
      if (files[static_cast<int>(kLoadOrder[k])].loaded && d.file == files[static_cast<int>(kLoadOrder[k])].file) return k;
    }
    return kTableCount;
  };
  std::stable_sort(diagnostics->begin(), diagnostics->end(), [&](const Diagnostic& a, const Diagnostic& b) {
    const int ra = rank(a), rb = rank(b);
    if (ra != rb) return ra < rb;
    if (a.line != b.line) return a.line < b.line;
    return a.column < b.column;
  });
}

// The table a file holds, by its name: the table's id, Chinese name or an alias
// (those a workbook's sheets take: projects.csv, 项目.csv, 月报.csv, 资金来源.csv,
// MONTHLY.CSV from a Windows desktop), with a .csv ending in any ASCII case.
bool IsCsvName(std::string_view name) {
  return name.size() >= 4 && EqualsIgnoreAsciiCase(name.substr(name.size() - 4), ".csv");
}

std::optional<Table> TableOfName(std::string_view name) {
  std::string_view base = BaseName(name);
  if (!IsCsvName(base)) return std::nullopt;
  base.remove_suffix(4);
  if (base != internal::TrimAscii(base)) return std::nullopt;  // " 月报.csv" is not the monthly file
  return ParseEnum<Table>(base);
}


// part_bytes: 0 = as options.threads says; else the parallel reading, files cut into
// parts of about that size (tests cut small inputs into many parts).
absl::StatusOr<Ledger> LoadInputs(std::span<const NamedBytes> files, const LoadOptions& options,
                                  Diagnostics* diagnostics, size_t part_bytes = 0) {
  if (diagnostics != nullptr) diagnostics->clear();
  const NamedBytes* input_of[kTableCount] = {};
  Diagnostics input_problems;
  const bool no_monthly = std::none_of(files.begin(), files.end(), [](const NamedBytes& f) {
    return (f.table ? f.table : TableOfName(f.name)) == Table::kMonthly;
  });
  for (const NamedBytes& f : files) {
    std::optional<Table> t = f.table ? f.table : TableOfName(f.name);
    if (!t) {
      input_problems.push_back(Diagnostic{
          std::string(f.name), 0, 0, "",
          Cat("not a ledger file (expected projects.csv, monthly.csv, funding.csv, plans.csv, problems.csv, "
              "baseline.csv or approvals.csv); not read",
              no_monthly ? ", and there is no monthly.csv, so every investment figure would be 0: if this file "
                           "holds the monthly figures, name it monthly.csv (or 月报.csv)"
                         : "")});
      continue;
    }
    if (input_of[static_cast<int>(*t)] != nullptr) {
      input_problems.push_back(Diagnostic{std::string(f.name), 0, 0, "",
                                          Cat("a second file for ", CsvFileName(*t), " (first: ",
                                              input_of[static_cast<int>(*t)]->name, "); not read")});
      continue;
    }
    input_of[static_cast<int>(*t)] = &f;
  }
  if (input_of[static_cast<int>(Table::kProjects)] == nullptr) {
    return absl::NotFoundError("projects.csv is required: no input is named projects.csv");
  }

  BuildOptions build_options;
  build_options.lenient = options.lenient;
  build_options.duplicate_months = options.duplicate_months;
  build_options.fx_rates = options.fx_rates;
  build_options.threads = options.threads;
  for (int t = 0; t < kTableCount; ++t) {
    build_options.table_names[t] =
        std::string(input_of[t] != nullptr ? input_of[t]->name : CsvFileName(static_cast<Table>(t)));
  }
  LedgerBuilder builder(build_options);
  for (Diagnostic& d : input_problems) builder.Report(std::move(d));

  std::array<FileColumns, kTableCount> columns;
  // When projects.csv cannot be read at all, the rows that refer to projects are
  // still checked cell by cell, but each file's good rows are reported once instead
  // of one "unknown project code" per row.
  const int threads = options.threads > 0 ? options.threads
                                          : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  if (threads == 1 && part_bytes == 0) {
    bool projects_read = true;
    for (Table t : kLoadOrder) {
      const NamedBytes* in = input_of[static_cast<int>(t)];
      if (in == nullptr) continue;
      const bool hold_back = !projects_read && t != Table::kBaseline;
      Populate(*in);
      const bool read = LoadFile(options, in->name, in->bytes, t, &columns[static_cast<int>(t)], hold_back, builder);
      Release(*in);
      if (t == Table::kProjects) projects_read = read;
    }
  } else {
    ParallelLoad load(options, part_bytes > 0 ? part_bytes : kPartBytes, builder);
    for (Table t : kLoadOrder) {
      const NamedBytes* in = input_of[static_cast<int>(t)];
      if (in != nullptr) load.AddFile(t, *in, &columns[static_cast<int>(t)]);
    }
    load.Run(threads);
  }

  absl::StatusOr<Ledger> ledger = std::move(builder).Build();
  if (ledger.ok()) {
    std::vector<TableLayout> layouts;
    for (Table t : kLoadOrder) {
      const FileColumns& cols = columns[static_cast<int>(t)];
      if (cols.loaded && !cols.layout.plain()) layouts.push_back(cols.layout);
    }
    internal::SetTableLayouts(*ledger, std::move(layouts));
  }
  Diagnostics all = builder.diagnostics();
  MapBuilderDiagnostics(columns, &all, build_options);
  absl::Status status = ledger.status();
  if (!ledger.ok() && !all.empty() && absl::IsInvalidArgument(status)) status = DiagnosticsStatus(all);
  if (diagnostics != nullptr) *diagnostics = std::move(all);
  if (!status.ok()) return status;
  return ledger;
}

// Files in memory (LoadCsvLedger's and LoadCsvLedgerInParts' input), part_bytes as
// LoadInputs takes it.
absl::StatusOr<Ledger> LoadCsvInputs(std::span<const CsvInput> files, const LoadOptions& options,
                                     Diagnostics* diagnostics, size_t part_bytes) {
  return internal::NoThrow("loading the ledger", [&]() -> absl::StatusOr<Ledger> {
    std::vector<NamedBytes> inputs;
    inputs.reserve(files.size());
    for (const CsvInput& f : files) inputs.push_back({f.name, f.bytes});
    return LoadInputs(inputs, options, diagnostics, part_bytes);
  });
}

}  // namespace

absl::StatusOr<Ledger> LoadCsvLedger(std::span<const CsvInput> files, const LoadOptions& options,
                                     Diagnostics* diagnostics) {
  return LoadCsvInputs(files, options, diagnostics, 0);
}

namespace internal {

absl::StatusOr<Ledger> LoadCsvLedgerInParts(std::span<const CsvInput> files, const LoadOptions& options,
                                            size_t part_bytes, Diagnostics* diagnostics) {
  return LoadCsvInputs(files, options, diagnostics, std::max<size_t>(part_bytes, 1));
}

absl::StatusOr<Ledger> LoadTableInputs(std::span<const TableInput> tables, const LoadOptions& options,
                                       Diagnostics* diagnostics) {
  return internal::NoThrow("loading the ledger", [&]() -> absl::StatusOr<Ledger> {
    std::vector<NamedBytes> inputs;
    inputs.reserve(tables.size());
    for (const TableInput& t : tables) inputs.push_back({t.name, t.bytes, nullptr, t.table});
    return LoadInputs(inputs, options, diagnostics);
  });
}

}  // namespace internal

absl::StatusOr<Ledger> LoadCsvLedger(const std::filesystem::path& dir, const LoadOptions& options,
                                     Diagnostics* diagnostics) {
  return internal::NoThrow("loading the ledger", [&]() -> absl::StatusOr<Ledger> {
    if (diagnostics != nullptr) diagnostics->clear();
    // The file of each table: its exact name, else a name that differs only in ASCII
    // case (PROJECTS.CSV from a Windows desktop).
    absl::StatusOr<std::vector<std::string>> listed = internal::ListFolder(dir.string());
    if (!listed.ok()) {
      switch (listed.status().code()) {
        case absl::StatusCode::kNotFound: return absl::NotFoundError(Cat("ledger folder not found: ", dir.string()));
        case absl::StatusCode::kFailedPrecondition:
          return absl::NotFoundError(Cat("not a folder: ", dir.string(), " (a ledger is a folder holding projects.csv)"));
        default: return listed.status();
      }
    }
    std::vector<std::string> entries = *std::move(listed);
    std::sort(entries.begin(), entries.end());
    std::vector<std::pair<std::string, internal::FileBytes>> buffers;  // name, bytes
    buffers.reserve(kTableCount);
    for (Table t : kLoadOrder) {
      // The table's files: its English name first, then any other name of it
      // (TableOfName: 月报.csv, MONTHLY.CSV). Two files for one table are both
      // given to the load, which reports the second ("a second file for ...")
      // rather than choosing between them without a word.
      std::vector<std::string> names;
      const std::string want = CsvFileName(t);
      if (std::find(entries.begin(), entries.end(), want) != entries.end()) names.push_back(want);
      for (const std::string& e : entries) {
        if (e != want && TableOfName(e) == t) names.push_back(e);
      }
      if (names.empty()) {
        if (t == Table::kProjects) {
          return absl::NotFoundError(Cat("projects.csv not found: ", (dir / "projects.csv").string(),
                                         " (a ledger folder needs it, or 项目.csv / 项目基本信息.csv)"));
        }
        continue;
      }
      for (const std::string& name : names) {
        absl::StatusOr<internal::FileBytes> bytes =
            internal::ReadFileBytes((dir / name).string(), internal::FileMapping::kOnFirstUse);
        if (!bytes.ok()) return bytes.status();
        buffers.emplace_back(name, *std::move(bytes));
      }
    }
    std::vector<NamedBytes> inputs;
    for (auto& [name, bytes] : buffers) inputs.push_back({name, bytes.bytes(), &bytes});
    // Without monthly.csv every investment figure is 0. A CSV file the folder holds
    // under another name ("2024年9月月报.csv", "monthly (1).csv") is then most likely
    // it: given to the load, it is a problem of its own (not read; name it monthly.csv),
    // where it was passed over without a word. Beside a monthly.csv other files are
    // the bureau's own business.
    const bool has_monthly = std::any_of(buffers.begin(), buffers.end(),
                                         [](const auto& b) { return TableOfName(b.first) == Table::kMonthly; });
    if (!has_monthly) {
      for (const std::string& e : entries) {
        if (IsCsvName(e) && !TableOfName(e) && !EqualsIgnoreAsciiCase(e, "regions.csv")) inputs.push_back({e, {}, nullptr});
      }
    }
    return LoadInputs(inputs, options, diagnostics);
  });
}

}  // namespace keyproj
