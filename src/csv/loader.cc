// LoadCsvLedger: a ledger folder (or its files in memory) -> LedgerBuilder -> Ledger.
//
// The loader does the per-cell work: decoding, splitting (csv_reader.h), matching
// headers against csv_schema.h and parsing every cell into a record. Each bad cell is
// reported through LedgerBuilder::Report; the builder does the semantic checks and
// its diagnostics (which name a table and an English field) are mapped back to the
// file's own name, column number and header at the end. See docs/ledger-loading.md.

#include <algorithm>
#include <array>
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
#include "keyproj/internal/encoding.h"
#include "keyproj/internal/file_io.h"
#include "keyproj/csv_loader.h"
#include "csv/csv_schema.h"
#include "csv/header_index.h"
#include "csv/table_rows.h"
#include "keyproj/ledger_builder.h"
#include "keyproj/internal/project_fields.h"
#include "keyproj/internal/text.h"
#include "keyproj/internal/no_throw.h"

namespace keyproj {

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

// The order files are read in: projects first (the others refer to it).
constexpr Table kLoadOrder[] = {Table::kProjects, Table::kPlans,     Table::kFunding, Table::kProblems,
                                Table::kApprovals, Table::kBaseline, Table::kMonthly};
static_assert(std::size(kLoadOrder) == kTableCount);

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
};

// ---------------------------------------------------------------------------
// Cell parsing
// ---------------------------------------------------------------------------

// One row being read: trimmed cells by field, and the reporting of bad ones. The
// typed getters (TextCells) apply cell_parse.h's rules to the text.
class Row : public internal::TextCells<Row> {
 public:
  Row(const FileColumns& cols, std::span<const std::string_view> fields, int64_t line,
      LedgerBuilder& builder)
      : cols_(cols), fields_(fields), line_(line), builder_(builder) {}

  int64_t line() const { return line_; }
  bool bad() const { return bad_; }

  std::string_view Cell(int field) const {
    const int col = cols_.column_of_field[field];
    return col < 0 ? std::string_view() : TrimCell(fields_[col]);
  }

  void Bad(int field, std::string reason) {
    const int col = cols_.column_of_field[field];
    builder_.Report(Diagnostic{cols_.file, line_, col + 1,
                               col >= 0 ? cols_.headers[col] : std::string(FieldIds(cols_.table)[field]),
                               std::move(reason)});
    bad_ = true;
  }

  // The cell's text; a required field must not be empty.
  std::string_view Text(int field) {
    std::string_view s = Cell(field);
    if (s.empty() && cols_.required[field] && cols_.column_of_field[field] >= 0) {
      Bad(field, std::string(internal::kRequiredCell));
    }
    return s;
  }

  std::vector<std::string> Extras() const {
    std::vector<std::string> out;
    out.reserve(cols_.extra_columns.size());
    for (int col : cols_.extra_columns) out.emplace_back(TrimCell(fields_[col]));
    return out;
  }

 private:
  const FileColumns& cols_;
  std::span<const std::string_view> fields_;
  int64_t line_;
  LedgerBuilder& builder_;
  bool bad_ = false;
};

// ---------------------------------------------------------------------------
// Rows of each table
// ---------------------------------------------------------------------------

void AddProjectRow(Row& row, const FileColumns& cols, LedgerBuilder& builder) {
  ProjectRecord r;
  r.line = row.line();
  internal::ReadProjectRecord(row, r);
  if (row.bad()) {
    builder.RejectProject(r.code, r.line);
    return;
  }
  if (!cols.extra_columns.empty()) r.extras = row.Extras();
  builder.AddProject(std::move(r));
}

struct MonthlyState {
  std::vector<std::string_view> extras;  // reused for every row
};

// The hot path: one pass over the row's cells in column order, a switch per column.
void AddMonthlyRow(const FileColumns& cols, std::span<const std::string_view> fields, int64_t line,
                   MonthlyState& st, LedgerBuilder& builder, int64_t* held_back) {
  MonthlyRecord r;
  r.line = line;
  bool bad = false;
  auto report = [&](size_t c, std::string reason) {
    builder.Report(Diagnostic{cols.file, line, static_cast<int>(c + 1), cols.headers[c], std::move(reason)});
    bad = true;
  };
  // The cell rules are cell_parse.h's (those of internal::ReadMonthlyRecord, which
  // the column arrays use); this loop only saves the per-field column lookups.
  std::string why;
  auto money = [&](size_t c, std::string_view s, bool allow_negative, std::optional<Money>* out) {
    if (s.empty()) return;
    if (std::optional<Money> m = internal::MoneyCell(s, allow_negative, &why)) {
      *out = m;
    } else {
      report(c, std::move(why));
    }
  };
  const int* field_of_column = cols.field_of_column.data();
  for (size_t c = 0; c < fields.size(); ++c) {
    const int field = field_of_column[c];
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
  if (bad) return;
  if (held_back != nullptr) {
    ++*held_back;
    return;
  }
  if (!cols.extra_columns.empty()) {
    st.extras.clear();
    for (int col : cols.extra_columns) st.extras.push_back(TrimCell(fields[col]));
    r.extras = st.extras;
  }
  builder.AddMonthly(r);
}

// A row of a table of project rows (funding, plans, problems, approvals) into its
// record, added unless held back (projects.csv unreadable: counted, not checked).
template <typename Record>
void AddRecordRow(Row& row, const FileColumns& cols, LedgerBuilder& builder, int64_t* held_back,
                  void (*read)(Row&, Record&), bool (LedgerBuilder::*add)(Record)) {
  Record r;
  r.line = row.line();
  read(row, r);
  if (row.bad()) return;
  if (!cols.extra_columns.empty()) r.extras = row.Extras();
  if (held_back != nullptr) {
    ++*held_back;
    return;
  }
  (builder.*add)(std::move(r));
}

void AddBaselineRow(Row& row, const FileColumns& cols, LedgerBuilder& builder) {
  BaselineRecord r;
  r.line = row.line();
  internal::ReadBaselineRecord(row, r);
  if (row.bad()) return;
  if (!cols.extra_columns.empty()) r.extras = row.Extras();
  builder.AddBaseline(std::move(r));
}

// ---------------------------------------------------------------------------
// One file
// ---------------------------------------------------------------------------

class FileLoader {
 public:
  FileLoader(const LoadOptions& options, LedgerBuilder& builder) : options_(options), builder_(builder) {}

  // Reads one file into the builder; fills *cols for the mapping of the builder's
  // diagnostics. `hold_back`: check the rows cell by cell but give none to the builder
  // (their projects could not be read). False when the file's rows could not be read
  // at all (encoding, empty, missing required columns).
  bool Load(std::string_view name, std::string_view bytes, Table table, FileColumns* cols, bool hold_back) {
    cols->loaded = true;
    cols->file = std::string(name);
    cols->table = table;
    std::string converted;
    std::string_view text;
    bool bad_rows = false;
    if (!Decode(bytes, cols->file, &converted, &text, &bad_rows)) return false;
    if (text.substr(0, kUtf8Bom.size()) == kUtf8Bom) text.remove_prefix(kUtf8Bom.size());

    CsvReader reader(text);
    // UTF-8 with some bad bytes: each record holding one is reported and left out
    // (the header is reported and still read: its columns decide what can be read).
    auto bad_utf8 = [&] {
      if (!bad_rows) return false;
      const std::string_view record = text.substr(reader.record_begin(), reader.record_end() - reader.record_begin());
      const size_t bad = FindInvalidUtf8(record);
      if (bad == std::string_view::npos) return false;
      const internal::CsvPosition pos = LocateOffset(record, bad);
      const size_t offset = static_cast<size_t>(text.data() - bytes.data()) + reader.record_begin() + bad;
      std::string header;
      if (pos.field >= 1 && static_cast<size_t>(pos.field) <= cols->headers.size()) header = cols->headers[pos.field - 1];
      builder_.Report(Diagnostic{cols->file, reader.line() + pos.line - 1, pos.field, std::move(header),
                                 Cat("not valid UTF-8 (", ByteText(static_cast<unsigned char>(record[bad])),
                                     " at byte offset ", offset, "; the rest of the file is UTF-8); the row was not read")});
      return true;
    };
    if (!reader.Next()) {
      if (reader.fatal()) {
        ReportTokenizerError(*cols, *reader.fatal());
      } else if (table == Table::kProjects) {
        FileError(cols->file, 0, Cat(cols->file, " is empty: it needs a header row and one row a project"));
      }
      // An optional file with nothing in it has no rows: the same as no file.
      return table != Table::kProjects;
    }
    for (const internal::CsvError& e : reader.errors()) ReportTokenizerError(*cols, e);
    bad_utf8();
    if (!ReadHeader(reader, cols)) return false;

    std::vector<std::string> extra_headers;
    for (int col : cols->extra_columns) extra_headers.push_back(cols->headers[col]);
    builder_.SetExtraHeaders(table, std::move(extra_headers));

    if (table == Table::kMonthly && !hold_back) {
      // One row a line, nearly always: counting lines is far cheaper than growing
      // eight columns of tens of millions of slots.
      builder_.ReserveMonthly(static_cast<size_t>(std::count(text.begin(), text.end(), '\n')) + 1);
    }
    MonthlyState monthly;
    int64_t held = 0;
    int64_t* held_back = hold_back ? &held : nullptr;
    while (reader.Next()) {
      const std::span<const std::string_view> fields = reader.fields();
      if (!reader.errors().empty()) {
        for (const internal::CsvError& e : reader.errors()) ReportTokenizerError(*cols, e);
        continue;
      }
      if (AllEmpty(fields)) continue;
      if (bad_utf8()) continue;
      if (fields.size() != cols->width) {
        // The column is where the row and the header part: the first missing field,
        // or the first extra one.
        const auto column = static_cast<int>(std::min<size_t>(fields.size(), cols->width) + 1);
        // A quoted field with line breaks (often a stray quote) makes one row of
        // several lines: name them, or the lines it swallowed would go unmentioned.
        std::string_view record = text.substr(reader.record_begin(), reader.record_end() - reader.record_begin());
        while (!record.empty() && (record.back() == '\n' || record.back() == '\r')) record.remove_suffix(1);
        const int64_t last = reader.line() + LocateOffset(record, record.size()).line - 1;
        builder_.Report(Diagnostic{
            cols->file, reader.line(), column, "",
            Cat("row has ", fields.size(), " fields, header has ", cols->width,
                last > reader.line() ? Cat("; the row runs over lines ", reader.line(), "-", last,
                                           ": a quoted field holds line breaks (a stray quote?)")
                                     : "")});
        continue;
      }
      if (table == Table::kMonthly) {
        AddMonthlyRow(*cols, fields, reader.line(), monthly, builder_, held_back);
        continue;
      }
      Row row(*cols, fields, reader.line(), builder_);
      switch (table) {
        case Table::kProjects: AddProjectRow(row, *cols, builder_); break;
        case Table::kMonthly: break;
        case Table::kFunding:
          AddRecordRow(row, *cols, builder_, held_back, internal::ReadFundingRecord<Row>, &LedgerBuilder::AddFunding);
          break;
        case Table::kPlans:
          AddRecordRow(row, *cols, builder_, held_back, internal::ReadPlanRecord<Row>, &LedgerBuilder::AddPlan);
          break;
        case Table::kProblems:
          AddRecordRow(row, *cols, builder_, held_back, internal::ReadProblemRecord<Row>, &LedgerBuilder::AddProblem);
          break;
        case Table::kApprovals:
          AddRecordRow(row, *cols, builder_, held_back, internal::ReadApprovalRecord<Row>,
                       &LedgerBuilder::AddApproval);
          break;
        case Table::kBaseline: AddBaselineRow(row, *cols, builder_); break;
      }
    }
    if (reader.fatal()) ReportTokenizerError(*cols, *reader.fatal());
    if (held > 0) {
      FileError(cols->file, 0,
                Cat(held, held == 1 ? " row" : " rows", " not loaded: ", CsvFileName(Table::kProjects),
                    " could not be read, so the project codes cannot be checked"));
    }
    return true;
  }

 private:
  void FileError(const std::string& file, int64_t line, std::string reason) {
    builder_.Report(Diagnostic{file, line, 0, "", std::move(reason)});
  }

  void ReportTokenizerError(const FileColumns& cols, const internal::CsvError& e) {
    std::string header;
    if (e.field >= 1 && static_cast<size_t>(e.field) <= cols.headers.size()) header = cols.headers[e.field - 1];
    builder_.Report(Diagnostic{cols.file, e.line, e.field, header, e.message});
  }

  static bool AllEmpty(std::span<const std::string_view> fields) {
    for (std::string_view f : fields) {
      if (!TrimCell(f).empty()) return false;
    }
    return true;
  }

  // Decodes the file's bytes to UTF-8 text (in *converted when converted).
  // *bad_rows: the text is UTF-8 with some bad bytes (LooksLikeUtf8), to be reported
  // row by row.
  bool Decode(std::string_view bytes, const std::string& file, std::string* converted, std::string_view* text,
              bool* bad_rows) {
    auto locate = [&](size_t offset) { return LocateOffset(bytes, offset); };
    auto utf16 = [&] {
      return bytes.size() >= 2 && ((bytes[0] == '\xFF' && bytes[1] == '\xFE') ||
                                   (bytes[0] == '\xFE' && bytes[1] == '\xFF'));
    };
    auto byte_text = [&](size_t offset) {
      return Cat(ByteText(static_cast<unsigned char>(bytes[offset])), " at byte offset ", offset);
    };
    auto report = [&](size_t offset, std::string reason) {
      const internal::CsvPosition pos = locate(offset);
      builder_.Report(Diagnostic{file, pos.line, pos.field, "", std::move(reason)});
    };
    internal::ConversionError gb_error;
    auto convert = [&] { return internal::Gb18030ToUtf8(bytes, converted, &gb_error); };
    switch (options_.encoding) {
      case Encoding::kUtf8: {
        const size_t bad = FindInvalidUtf8(bytes);
        if (bad != std::string_view::npos && LooksLikeUtf8(bytes, bad)) {
          *bad_rows = true;
        } else if (bad != std::string_view::npos) {
          report(bad, Cat("not valid UTF-8 (", byte_text(bad), ")",
                          utf16() ? "; the file is UTF-16: save it as CSV UTF-8" : "",
                          "; save as UTF-8 or load with 'encoding=gb18030'; the file was not read"));
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
                          utf16() ? "; the file is UTF-16: save it as CSV UTF-8" : "",
                          "; save it as UTF-8; the file was not read"));
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

  // Matches the header row. False when the file's rows cannot be read (a required
  // column is missing).
  bool ReadHeader(const CsvReader& reader, FileColumns* cols) {
    const HeaderIndex& index = HeaderIndexOf(cols->table);
    const std::span<const std::string_view> fields = reader.fields();
    const size_t nfields = FieldIds(cols->table).size();
    cols->header_line = reader.line();
    cols->width = fields.size();
    cols->required = index.required;
    cols->field_of_column.assign(fields.size(), kExtra);
    cols->headers.clear();
    cols->column_of_field.assign(nfields, -1);
    for (size_t c = 0; c < fields.size(); ++c) {
      const std::string_view written = TrimCell(fields[c]);
      cols->headers.emplace_back(written);
      const std::string n = NormalizeHeader(written);
      int field = kExtra;
      if (auto it = index.names.find(n); it != index.names.end()) {
        field = it->second;
      } else if (std::string_view base, unit; SplitUnit(n, &base, &unit)) {
        const std::string spaced = Cat(base, "(", unit, ")");
        if (auto it2 = index.names.find(spaced); it2 != index.names.end()) {
          field = it2->second;
        } else if (auto u = index.units.find(std::string(base)); u != index.units.end()) {
          builder_.Report(Diagnostic{
              cols->file, reader.line(), static_cast<int>(c + 1), std::string(written),
              Cat("column ", FieldIds(cols->table)[u->second.first], " is read in ", u->second.second,
                  ", not ", unit, ": convert the figures to ", u->second.second, " and name the column ",
                  index.chinese[u->second.first])});
          cols->field_of_column[c] = kIgnored;
          continue;
        }
      }
      if (field == kExtra) {
        cols->extra_columns.push_back(static_cast<int>(c));
        continue;
      }
      if (const int first = cols->column_of_field[field]; first >= 0) {
        builder_.Report(Diagnostic{
            cols->file, reader.line(), static_cast<int>(c + 1), std::string(written),
            Cat("duplicate column: ", FieldIds(cols->table)[field], " is already column ", first + 1,
                " ('", cols->headers[first], "')")});
        cols->field_of_column[c] = kIgnored;
        continue;
      }
      cols->field_of_column[c] = field;
      cols->column_of_field[field] = static_cast<int>(c);
    }
    std::string missing;
    for (size_t f = 0; f < nfields; ++f) {
      if (index.required[f] && cols->column_of_field[f] < 0) {
        Append(&missing, missing.empty() ? "" : ", ", FieldIds(cols->table)[f], " (", index.chinese[f], ")");
      }
    }
    if (!missing.empty()) {
      FileError(cols->file, reader.line(),
                Cat("missing required column ", missing, "; the rows of ", cols->file, " were not read"));
      return false;
    }
    return true;
  }

  const LoadOptions& options_;
  LedgerBuilder& builder_;
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

std::optional<Table> TableOfName(std::string_view name) {
  const std::string_view base = BaseName(name);
  for (int t = 0; t < kTableCount; ++t) {
    if (EqualsIgnoreAsciiCase(base, CsvFileName(static_cast<Table>(t)))) return static_cast<Table>(t);
  }
  return std::nullopt;
}


// An input file: its name for diagnostics and its bytes.
struct NamedBytes {
  std::string_view name;
  std::string_view bytes;
};

absl::StatusOr<Ledger> LoadInputs(std::span<const NamedBytes> files, const LoadOptions& options,
                                  Diagnostics* diagnostics) {
  if (diagnostics != nullptr) diagnostics->clear();
  const NamedBytes* input_of[kTableCount] = {};
  Diagnostics input_problems;
  for (const NamedBytes& f : files) {
    std::optional<Table> t = TableOfName(f.name);
    if (!t) {
      input_problems.push_back(Diagnostic{std::string(f.name), 0, 0, "",
                                          "not a ledger file (expected projects.csv, monthly.csv, funding.csv, "
                                          "plans.csv, problems.csv, baseline.csv or approvals.csv); not read"});
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
  for (int t = 0; t < kTableCount; ++t) {
    build_options.table_names[t] =
        std::string(input_of[t] != nullptr ? input_of[t]->name : CsvFileName(static_cast<Table>(t)));
  }
  LedgerBuilder builder(build_options);
  for (Diagnostic& d : input_problems) builder.Report(std::move(d));

  std::array<FileColumns, kTableCount> columns;
  FileLoader loader(options, builder);
  // When projects.csv cannot be read at all, the rows that refer to projects are
  // still checked cell by cell, but each file's good rows are reported once instead
  // of one "unknown project code" per row.
  bool projects_read = true;
  for (Table t : kLoadOrder) {
    const NamedBytes* in = input_of[static_cast<int>(t)];
    if (in == nullptr) continue;
    const bool hold_back = !projects_read && t != Table::kBaseline;
    const bool read = loader.Load(in->name, in->bytes, t, &columns[static_cast<int>(t)], hold_back);
    if (t == Table::kProjects) projects_read = read;
  }

  absl::StatusOr<Ledger> ledger = std::move(builder).Build();
  Diagnostics all = builder.diagnostics();
  MapBuilderDiagnostics(columns, &all, build_options);
  absl::Status status = ledger.status();
  if (!ledger.ok() && !all.empty() && absl::IsInvalidArgument(status)) status = DiagnosticsStatus(all);
  if (diagnostics != nullptr) *diagnostics = std::move(all);
  if (!status.ok()) return status;
  return ledger;
}

}  // namespace

absl::StatusOr<Ledger> LoadCsvLedger(std::span<const CsvInput> files, const LoadOptions& options,
                                     Diagnostics* diagnostics) {
  return internal::NoThrow("loading the ledger", [&]() -> absl::StatusOr<Ledger> {
    std::vector<NamedBytes> inputs;
    inputs.reserve(files.size());
    for (const CsvInput& f : files) inputs.push_back({f.name, f.bytes});
    return LoadInputs(inputs, options, diagnostics);
  });
}

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
      const std::string want = CsvFileName(t);
      std::string name;
      if (std::find(entries.begin(), entries.end(), want) != entries.end()) {
        name = std::string(want);
      } else {
        for (const std::string& e : entries) {
          if (EqualsIgnoreAsciiCase(e, want)) {
            name = e;
            break;
          }
        }
      }
      if (name.empty()) {
        if (t == Table::kProjects) {
          return absl::NotFoundError(
              Cat("projects.csv not found: ", (dir / "projects.csv").string(), " (a ledger folder needs it)"));
        }
        continue;
      }
      absl::StatusOr<internal::FileBytes> bytes = internal::ReadFileBytes((dir / name).string());
      if (!bytes.ok()) return bytes.status();
      buffers.emplace_back(name, *std::move(bytes));
    }
    std::vector<NamedBytes> inputs;
    for (const auto& [name, bytes] : buffers) inputs.push_back({name, bytes.bytes()});
    return LoadInputs(inputs, options, diagnostics);
  });
}

}  // namespace keyproj
