// Lenient accounting, a property over mutated ledgers (issue 11): a lenient load
// accounts for every input row -- loaded or reported, never neither, never both --
// and a loaded row's values are the ones its cells hold.
//
// Every table of a generated ledger gets one more column, `row_tag`, holding a tag
// unique to the row. Unknown columns are kept by the loader as the table's extras, so
// the tags found in the loaded Ledger are exactly the rows that were loaded: an
// oracle that does not rely on the builder's own bookkeeping. The files are then
// mutated at random (seeded; the violations print seed, iteration and mutations)
// and loaded leniently. For each data row of each file:
// - loaded: its tag is in the ledger (once);
// - reported: a diagnostic names the file and a physical line of the row's record
//   (the library's tokenizer says which record a line ended up in: a stray quote can
//   join lines), or the whole file (line 0, the header line without a column, or an
//   encoding error after which "the file was not read"), or
//   lists the line (the one diagnostic for the rows of a rejected project);
// - exactly one of the two, and a loaded row's code, name, month, amounts and ids
//   equal its cells.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <iostream>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "csv/csv_reader.h"
#include "gtest/gtest.h"
#include "keyproj/csv_loader.h"
#include "keyproj/csv_writer.h"
#include "keyproj/encoding.h"
#include "keyproj/approval.h"
#include "keyproj/classification.h"
#include "keyproj/generator.h"
#include "keyproj/internal/ledger_columns.h"
#include "keyproj/ledger.h"

namespace keyproj {
namespace {

constexpr std::string_view kTagHeader = "row_tag";

// ---------------------------------------------------------------------------
// A ledger as rows of cells, so that mutations can work on cells and the test
// knows each row's tag, physical line and what its cells hold.
// ---------------------------------------------------------------------------

struct ModelRow {
  std::vector<std::string> cells;
  std::string tag;
  // Set by a byte-level mutation: the row's text as written (the cells no longer
  // say what the loader sees, so its values are not compared).
  std::optional<std::string> raw;
};

struct ModelFile {
  Table table = Table::kProjects;
  std::string name;
  std::vector<std::string> header;
  std::vector<ModelRow> rows;
  bool header_broken = false;  // header cells no longer line up with the rows' cells
  bool crlf = false;           // CRLF line ends (Excel on Windows)
};

struct Model {
  std::vector<ModelFile> files;
  ModelFile* Find(Table t) {
    for (ModelFile& f : files) {
      if (f.table == t) return &f;
    }
    return nullptr;
  }
};

int ColumnOf(const ModelFile& f, std::string_view header) {
  if (f.header_broken) return -1;
  for (size_t c = 0; c < f.header.size(); ++c) {
    if (f.header[c] == header) return static_cast<int>(c);
  }
  return -1;
}

std::string Cell(const ModelFile& f, const ModelRow& r, std::string_view header) {
  const int c = ColumnOf(f, header);
  return c < 0 || static_cast<size_t>(c) >= r.cells.size() ? std::string() : r.cells[c];
}

// Splits written CSV (our own writer's output) into the model, with a tag column at
// a random place.
ModelFile ParseFile(const CsvInput& in, std::mt19937_64& rng, int* next_tag) {
  ModelFile f;
  f.name = in.name;
  for (int t = 0; t < kTableCount; ++t) {
    if (CsvFileName(static_cast<Table>(t)) == in.name) f.table = static_cast<Table>(t);
  }
  internal::CsvReader reader(in.bytes);
  bool header = true;
  while (reader.Next()) {
    std::vector<std::string> cells(reader.fields().begin(), reader.fields().end());
    if (header) {
      f.header = std::move(cells);
      header = false;
    } else {
      f.rows.push_back(ModelRow{std::move(cells), "", std::nullopt});
    }
  }
  const size_t at = std::uniform_int_distribution<size_t>(0, f.header.size())(rng);
  f.header.insert(f.header.begin() + static_cast<ptrdiff_t>(at), std::string(kTagHeader));
  for (ModelRow& r : f.rows) {
    r.tag = "t" + std::to_string((*next_tag)++);
    r.cells.insert(r.cells.begin() + static_cast<ptrdiff_t>(at), r.tag);
  }
  return f;
}

std::string JoinRow(const std::vector<std::string>& cells) {
  std::string out;
  for (size_t c = 0; c < cells.size(); ++c) {
    if (c > 0) out += ',';
    AppendCsvField(&out, cells[c]);
  }
  return out;
}

struct WrittenFile {
  std::string bytes;
  std::vector<int64_t> line;  // per model row: its physical line
};

WrittenFile Write(const ModelFile& f) {
  WrittenFile w;
  const std::string_view eol = f.crlf ? "\r\n" : "\n";
  w.bytes = JoinRow(f.header) + std::string(eol);
  int64_t line = 1 + std::count(w.bytes.begin(), w.bytes.end(), '\n');
  for (const ModelRow& r : f.rows) {
    const std::string text = r.raw ? *r.raw : JoinRow(r.cells);
    w.line.push_back(line);
    w.bytes += text;
    w.bytes += eol;
    line += 1 + std::count(text.begin(), text.end(), '\n');
  }
  return w;
}

// ---------------------------------------------------------------------------
// Mutations
// ---------------------------------------------------------------------------

class Mutator {
 public:
  Mutator(Model& m, std::mt19937_64& rng, int* next_tag) : m_(m), rng_(rng), next_tag_(next_tag) {}

  // Applies one random mutation; returns what it did ("" when it found nothing to do).
  std::string MutateOnce(bool allow_bytes) {
    const int kinds = allow_bytes ? 34 : 31;
    switch (Uniform(kinds)) {
      case 0: return SetCell(Table::kProjects, "total_investment", Pick({"12x", "1.2.3", "--5", "1e5", "abc", "１２ｘ"}), "bad number");
      case 1: return SetCell(Table::kMonthly, "investment", Pick({"12x", "1..2", "五百", "1,2,3.4.5"}), "bad number");
      case 2: return SetCell(Table::kFunding, Pick({"requested", "approved", "arrived"}), Pick({"x1", "1.2.3", "++1"}), "bad number");
      case 3: return SetCell(Table::kProjects, Pick({"started_on", "planned_start", "reserved_on"}), Pick({"2024-13-01", "2024-02-30", "yesterday", "20240101x"}), "bad date");
      case 4: return SetCell(Table::kMonthly, Pick({"month", "reported_on"}), Pick({"2024-13", "2024", "13/2024", "2024-02-30"}), "bad date/month");
      case 5: return SetCell(Table::kProjects, Pick({"category", "level", "stage", "build_type", "attracted"}), Pick({"spaceship", "maybe", "x"}), "bad enum");
      case 6: return SetCell(Table::kFunding, Pick({"source", "year"}), Pick({"lottery", "20x4", "1800"}), "bad enum/year");
      case 7: return SetCell(Table::kProblems, Pick({"kind", "raised_on", "due"}), Pick({"weather", "2024-99-01"}), "bad problem cell");
      case 8: return SetCell(Table::kProjects, Pick({"name", "code"}), "", "empty required");
      case 9: return SetCell(RandomChild(), Pick({"code", "month", "year", "id", "source", "kind", "item"}), "", "empty required");
      case 10: return Negative();
      case 11: return SetCell(RandomChild(), "code", "NOPE-" + std::to_string(Uniform(1000)), "unknown project code");
      case 12: return CopyCell(Table::kProjects, "code", "duplicate project code");
      case 13: return DuplicateRow(Table::kMonthly, "duplicate month");
      case 14: return ShuffleRows(Table::kMonthly);
      case 15: return StageDateConflict();
      case 16: return PlanConflict();
      case 17: return Currency();
      case 18: return RunningTotalOverflow();
      case 19: return DeleteRow();
      case 20: return DuplicateRow(RandomTable(), "duplicate row");
      case 21: return RenameHeader();
      case 22: return SetCell(Table::kMonthly, "reported_on", "2000-01-01", "reported before its month");
      case 23: return CopyCell(Table::kProblems, "id", "duplicate problem id");
      case 24: return SetCell(Table::kMonthly, "month", Pick({"1900-01", "9999-12", "2031-07"}), "far month");
      case 25: return DuplicateHeader();
      case 26: {
        ModelFile* f = RandomFile();
        if (f == nullptr) return "";
        f->crlf = true;
        return "CRLF line ends: " + f->name;
      }
      case 27: return SetCell(Table::kApprovals, "item", Pick({"permit", "立项x", "13", "otherr"}), "bad approval item");
      case 28: return SetCell(Table::kApprovals, Pick({"required", "planned_on", "done_on"}),
                              Pick({"maybe", "2", "2024-02-30", "2024-13-01"}), "bad approval cell");
      case 29: return DuplicateRow(Table::kApprovals, "duplicate approval item");
      case 30: return DoneBeforeReserved();
      // Byte-level mutations last (not with GB18030 files).
      case 31: return FieldCount();
      case 32: return StrayQuote();
      case 33: return InvalidUtf8();
    }
    return "";
  }

  // Removes a header cell: every row then has one field too many.
  std::string RemoveHeaderCell() {
    ModelFile* f = RandomFile();
    if (f == nullptr) return "";
    const int c = NonTagColumn(*f);
    if (c < 0) return "";
    std::string what = "header cell removed: " + f->name + " '" + f->header[c] + "'";
    f->header.erase(f->header.begin() + c);
    f->header_broken = true;
    return what;
  }

 private:
  size_t Uniform(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng_); }
  std::string Pick(std::initializer_list<const char*> options) {
    return *(options.begin() + static_cast<ptrdiff_t>(Uniform(options.size())));
  }
  ModelFile* RandomFile() {
    if (m_.files.empty()) return nullptr;
    return &m_.files[Uniform(m_.files.size())];
  }
  Table RandomTable() { return static_cast<Table>(Uniform(kTableCount)); }
  Table RandomChild() {
    constexpr Table kChildren[] = {Table::kMonthly, Table::kFunding, Table::kPlans, Table::kProblems,
                                   Table::kApprovals};
    return kChildren[Uniform(std::size(kChildren))];
  }
  int NonTagColumn(const ModelFile& f) {
    if (f.header.size() < 2) return -1;
    for (;;) {
      const int c = static_cast<int>(Uniform(f.header.size()));
      if (f.header[c] != kTagHeader) return c;
    }
  }
  ModelRow* RandomRow(ModelFile* f) {
    if (f == nullptr || f->rows.empty()) return nullptr;
    return &f->rows[Uniform(f->rows.size())];
  }
  std::string Where(const ModelFile& f, const ModelRow& r) { return f.name + " row " + r.tag; }

  std::string SetCell(Table t, const std::string& header, const std::string& value, std::string_view what) {
    ModelFile* f = m_.Find(t);
    ModelRow* r = RandomRow(f);
    const int c = f == nullptr ? -1 : ColumnOf(*f, header);
    if (r == nullptr || c < 0 || r->raw) return "";
    r->cells[c] = value;
    return std::string(what) + ": " + Where(*f, *r) + " " + header + "='" + value + "'";
  }

  std::string CopyCell(Table t, const std::string& header, std::string_view what) {
    ModelFile* f = m_.Find(t);
    ModelRow* a = RandomRow(f);
    ModelRow* b = RandomRow(f);
    const int c = f == nullptr ? -1 : ColumnOf(*f, header);
    if (a == nullptr || a == b || c < 0 || a->raw) return "";
    a->cells[c] = b->cells[c];
    return std::string(what) + ": " + Where(*f, *a) + " " + header + " := " + Where(*f, *b) + "'s '" + b->cells[c] + "'";
  }

  std::string Negative() {
    constexpr const char* kPlaces[][2] = {{"projects.csv", "total_investment"}, {"funding.csv", "arrived"},
                                          {"plans.csv", "planned"}, {"baseline.csv", "investment"},
                                          {"monthly.csv", "funds_arrived"}, {"monthly.csv", "investment"}};
    const auto& p = kPlaces[Uniform(std::size(kPlaces))];
    for (ModelFile& f : m_.files) {
      if (f.name != p[0]) continue;
      return SetCell(f.table, p[1], Pick({"-1", "-0.01", "-250.50"}), "negative amount");
    }
    return "";
  }

  std::string DuplicateRow(Table t, std::string_view what) {
    ModelFile* f = m_.Find(t);
    ModelRow* r = RandomRow(f);
    if (r == nullptr) return "";
    ModelRow copy = *r;
    const int tc = ColumnOf(*f, kTagHeader);
    copy.tag = "t" + std::to_string((*next_tag_)++);
    if (copy.raw) return "";
    if (tc >= 0) copy.cells[tc] = copy.tag;
    const std::string from = r->tag;
    const size_t at = Uniform(f->rows.size() + 1);
    f->rows.insert(f->rows.begin() + static_cast<ptrdiff_t>(at), std::move(copy));
    return std::string(what) + ": " + f->name + " row " + from + " copied as " + f->rows[at].tag;
  }

  std::string ShuffleRows(Table t) {
    ModelFile* f = m_.Find(t);
    if (f == nullptr || f->rows.size() < 2) return "";
    const size_t a = Uniform(f->rows.size()), n = 1 + Uniform(std::min<size_t>(40, f->rows.size() - a));
    std::shuffle(f->rows.begin() + static_cast<ptrdiff_t>(a), f->rows.begin() + static_cast<ptrdiff_t>(a + n), rng_);
    return "rows out of order: " + f->name + " " + std::to_string(n) + " rows shuffled from row " + std::to_string(a);
  }

  std::string StageDateConflict() {
    ModelFile* f = m_.Find(Table::kProjects);
    ModelRow* r = RandomRow(f);
    if (r == nullptr || r->raw || ColumnOf(*f, "stage") < 0) return "";
    switch (Uniform(3)) {
      case 0:  // completed without completed_on
        r->cells[ColumnOf(*f, "stage")] = "completed";
        if (ColumnOf(*f, "completed_on") >= 0) r->cells[ColumnOf(*f, "completed_on")] = "";
        return "stage/date conflict: " + Where(*f, *r) + " completed without completed_on";
      case 1:  // started without started_on
        r->cells[ColumnOf(*f, "stage")] = "started";
        if (ColumnOf(*f, "started_on") >= 0) r->cells[ColumnOf(*f, "started_on")] = "";
        return "stage/date conflict: " + Where(*f, *r) + " started without started_on";
      default:  // completed before started
        r->cells[ColumnOf(*f, "stage")] = "completed";
        if (ColumnOf(*f, "started_on") >= 0) r->cells[ColumnOf(*f, "started_on")] = "2024-05-01";
        if (ColumnOf(*f, "completed_on") >= 0) r->cells[ColumnOf(*f, "completed_on")] = "2023-05-01";
        return "stage/date conflict: " + Where(*f, *r) + " completed before started";
    }
  }

  // projects.csv's annual_plan/plan_year for a project with a plans.csv row: the same
  // figure (a plan given twice) or another one (a conflict).
  std::string PlanConflict() {
    ModelFile* pf = m_.Find(Table::kProjects);
    ModelFile* lf = m_.Find(Table::kPlans);
    ModelRow* plan = RandomRow(lf);
    if (pf == nullptr || plan == nullptr || plan->raw || pf->header_broken || lf->header_broken) return "";
    if (ColumnOf(*pf, "annual_plan") < 0) {
      pf->header.push_back("annual_plan");
      pf->header.push_back("plan_year");
      for (ModelRow& r : pf->rows) {
        r.cells.push_back("");
        r.cells.push_back("");
        if (r.raw) *r.raw += ",,";
      }
    }
    const std::string code = Cell(*lf, *plan, "code");
    for (ModelRow& r : pf->rows) {
      if (r.raw || Cell(*pf, r, "code") != code) continue;
      const bool same = Uniform(2) == 0;
      const std::string planned = Cell(*lf, *plan, "planned");
      r.cells[ColumnOf(*pf, "annual_plan")] = same ? planned : planned + "1";
      r.cells[ColumnOf(*pf, "plan_year")] = Cell(*lf, *plan, "year");
      return std::string("plan ") + (same ? "given twice: " : "conflict: ") + Where(*pf, r) +
             " annual_plan vs " + Where(*lf, *plan);
    }
    return "";
  }

  std::string Currency() {
    ModelFile* f = m_.Find(Table::kFunding);
    ModelRow* r = RandomRow(f);
    if (r == nullptr || r->raw || ColumnOf(*f, "currency") < 0) return "";
    if (Uniform(2) == 0) {
      r->cells[ColumnOf(*f, "currency")] = "EUR";
      return "currency without rate: " + Where(*f, *r) + " EUR";
    }
    r->cells[ColumnOf(*f, "currency")] = "USD";
    const std::string field = Pick({"requested", "approved", "arrived"});
    r->cells[ColumnOf(*f, field)] = Pick({"9000000000000", "2000000000000.5", "1300000000000"});
    return "overflow after conversion: " + Where(*f, *r) + " USD " + field + "=" + r->cells[ColumnOf(*f, field)];
  }

  // Two months of one project whose investment adds up beyond the range of 分.
  std::string RunningTotalOverflow() {
    ModelFile* f = m_.Find(Table::kMonthly);
    ModelRow* a = RandomRow(f);
    if (a == nullptr || a->raw || ColumnOf(*f, "investment") < 0) return "";
    const std::string code = Cell(*f, *a, "code");
    std::vector<ModelRow*> same;
    for (ModelRow& r : f->rows) {
      if (!r.raw && Cell(*f, r, "code") == code) same.push_back(&r);
    }
    if (same.size() < 2) return "";
    ModelRow* b = same[Uniform(same.size())];
    if (b == a) return "";
    const std::string big = Pick({"9000000000000", "5000000000000"});
    a->cells[ColumnOf(*f, "investment")] = big;
    b->cells[ColumnOf(*f, "investment")] = big;
    return "running total overflow: " + Where(*f, *a) + " and " + Where(*f, *b) + " investment=" + big;
  }

  // An approval done before its project entered the reserve: done_on a day before
  // the project's reserved_on (a project without one: a date long ago, which loads).
  std::string DoneBeforeReserved() {
    ModelFile* af = m_.Find(Table::kApprovals);
    ModelFile* pf = m_.Find(Table::kProjects);
    ModelRow* a = RandomRow(af);
    if (a == nullptr || pf == nullptr || a->raw || ColumnOf(*af, "done_on") < 0) return "";
    const std::string code = Cell(*af, *a, "code");
    std::string done = "2001-01-01";
    for (const ModelRow& r : pf->rows) {
      if (r.raw || Cell(*pf, r, "code") != code) continue;
      if (std::optional<Date> reserved = Date::Parse(Cell(*pf, r, "reserved_on"))) {
        done = Date::FromDays(reserved->days() - 1).ToString();
      }
      break;
    }
    a->cells[ColumnOf(*af, "done_on")] = done;
    return "done_on before reserved_on: " + Where(*af, *a) + " done_on=" + done;
  }

  std::string DeleteRow() {
    ModelFile* f = RandomFile();
    if (f == nullptr || f->rows.empty()) return "";
    const size_t i = Uniform(f->rows.size());
    std::string what = "deleted: " + Where(*f, f->rows[i]);
    f->rows.erase(f->rows.begin() + static_cast<ptrdiff_t>(i));
    return what;
  }

  std::string RenameHeader() {
    ModelFile* f = RandomFile();
    if (f == nullptr || f->header_broken) return "";
    const int c = NonTagColumn(*f);
    if (c < 0) return "";
    std::string what = "header renamed: " + f->name + " '" + f->header[c] + "'";
    f->header[c] = "renamed_" + f->header[c];
    return what;
  }

  // A header cell renamed to another column's name: the second is ignored (reported
  // at the header), the rows load with the first.
  std::string DuplicateHeader() {
    ModelFile* f = RandomFile();
    if (f == nullptr || f->header_broken) return "";
    const int a = NonTagColumn(*f), b = NonTagColumn(*f);
    if (a < 0 || a == b) return "";
    std::string what = "duplicate header: " + f->name + " '" + f->header[b] + "' renamed to '" + f->header[a] + "'";
    f->header[b] = f->header[a];
    return what;
  }

  // Byte-level mutations edit the row's written text; a cell other than the tag.
  std::string EditText(std::string_view what, auto edit) {
    ModelFile* f = RandomFile();
    ModelRow* r = RandomRow(f);
    if (r == nullptr || r->raw || r->cells.size() < 2) return "";
    const int tc = ColumnOf(*f, kTagHeader);
    int c = static_cast<int>(Uniform(r->cells.size()));
    if (c == tc || (tc < 0 && r->cells[c] == r->tag)) c = (c + 1) % static_cast<int>(r->cells.size());
    std::vector<std::string> cells = r->cells;
    std::string note = edit(cells, c);
    r->raw = JoinRow(cells);
    return std::string(what) + ": " + Where(*f, *r) + " cell " + std::to_string(c + 1) + note;
  }

  std::string FieldCount() {
    if (Uniform(2) == 0) {
      return EditText("too many fields", [&](std::vector<std::string>& cells, int c) {
        cells.insert(cells.begin() + c, "extra");
        return std::string();
      });
    }
    return EditText("too few fields", [&](std::vector<std::string>& cells, int c) {
      cells.erase(cells.begin() + c);
      return std::string();
    });
  }

  std::string StrayQuote() {
    ModelFile* f = RandomFile();
    ModelRow* r = RandomRow(f);
    if (r == nullptr || r->raw) return "";
    std::string text = JoinRow(r->cells);
    // Not inside the tag cell (nor right after it, which would make it another tag):
    // anywhere else, or before it.
    const size_t tag_at = text.find(r->tag);
    size_t at = Uniform(text.size() + 1);
    if (tag_at != std::string::npos && at > tag_at && at <= tag_at + r->tag.size()) at = tag_at;
    while (at < text.size() && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80) ++at;  // whole characters
    text.insert(at, 1, '"');
    r->raw = text;
    return "stray quote: " + Where(*f, *r) + " at byte " + std::to_string(at);
  }

  std::string InvalidUtf8() {
    constexpr std::string_view kBad[] = {"\xFF", "\xC3", "\x80", "\xB0", "\xE4\xB8", "\xED\xA0\x80"};
    const std::string_view bad = kBad[Uniform(std::size(kBad))];
    return EditText("invalid UTF-8", [&](std::vector<std::string>& cells, int c) {
      std::string& s = cells[c];
      s.insert(Uniform(s.size() + 1), bad);
      std::string hex;
      for (unsigned char b : bad) hex += " " + std::to_string(b);
      return " bytes" + hex;
    });
  }

  Model& m_;
  std::mt19937_64& rng_;
  int* next_tag_;
};

// ---------------------------------------------------------------------------
// The oracle
// ---------------------------------------------------------------------------

// The lines a diagnostic lists: "(line 7)" or "(lines 5-9, 14)".
std::vector<int64_t> ListedLines(std::string_view reason) {
  std::vector<int64_t> out;
  for (std::string_view key : {"(line ", "(lines "}) {
    for (size_t at = reason.find(key); at != std::string_view::npos; at = reason.find(key, at + 1)) {
      size_t i = at + key.size();
      while (i < reason.size()) {
        int64_t a = 0, b = -1;
        size_t j = i;
        while (j < reason.size() && reason[j] >= '0' && reason[j] <= '9') a = a * 10 + (reason[j++] - '0');
        if (j == i) break;
        if (j < reason.size() && reason[j] == '-') {
          size_t k = ++j;
          b = 0;
          while (j < reason.size() && reason[j] >= '0' && reason[j] <= '9') b = b * 10 + (reason[j++] - '0');
          if (j == k) break;
        }
        for (int64_t l = a; l <= (b < 0 ? a : b); ++l) out.push_back(l);
        if (reason.substr(j, 2) != ", ") break;
        i = j + 2;
      }
    }
  }
  return out;
}

// The physical lines each record of a file starts on (the library's tokenizer: the
// loader reads records, and a record can span lines), and where a fatal error stopped
// it.
struct Records {
  std::vector<int64_t> starts;
  int64_t fatal_line = 0;
  // The first and last physical line of the record holding `line`.
  std::pair<int64_t, int64_t> Span(int64_t line) const {
    if (fatal_line > 0 && line >= fatal_line) return {fatal_line, INT64_MAX};
    auto it = std::upper_bound(starts.begin(), starts.end(), line);
    if (it == starts.begin()) return {line, line};
    const int64_t first = *(it - 1);
    int64_t last = it == starts.end() ? INT64_MAX : *it - 1;
    if (fatal_line > 0) last = std::min(last, fatal_line - 1);
    return {first, last};
  }
};

Records ReadRecords(std::string_view bytes) {
  Records out;
  internal::CsvReader reader(bytes);
  while (reader.Next()) out.starts.push_back(reader.line());
  if (reader.fatal()) out.fatal_line = reader.fatal()->line;
  return out;
}

std::optional<int64_t> Fen(std::string_view cell) {
  if (cell.empty()) return std::nullopt;
  absl::StatusOr<Money> m = Money::ParseWan(cell);
  if (!m.ok()) return std::nullopt;
  return m->fen();
}

struct Totals {
  int64_t rows = 0, loaded = 0, reported = 0;
  std::map<std::string, int64_t> violations;  // by kind
};

class Checker {
 public:
  Checker(std::string context, Totals* totals) : context_(std::move(context)), totals_(totals) {}

  void Violation(std::string_view kind, const std::string& where, const std::string& detail) {
    ++totals_->violations[std::string(kind)];
    if (printed_++ < 20) ADD_FAILURE() << context_ << "\n  " << where << ": " << kind << ": " << detail;
  }

  // Checks every row of every file against the lenient load of `written`.
  void Check(const Model& model, const std::vector<WrittenFile>& written, const Ledger& ledger,
             const Diagnostics& diags) {
    const internal::LedgerColumnsView cols = internal::Columns(ledger);
    for (size_t fi = 0; fi < model.files.size(); ++fi) {
      const ModelFile& f = model.files[fi];
      const WrittenFile& w = written[fi];
      // Loaded: tag -> stored row (per slot for monthly).
      std::map<std::string, std::vector<size_t>> stored;
      for (const ExtraColumn& e : ledger.extras(f.table)) {
        if (e.header != kTagHeader) continue;
        for (size_t i = 0; i < e.values.size(); ++i) {
          if (e.values[i] != 0) stored[std::string(ledger.text(e.values[i]))].push_back(i);
        }
      }
      // Reported.
      bool whole_file = false;
      std::vector<int64_t> lines, listed;
      for (const Diagnostic& d : diags) {
        if (d.file != f.name) continue;
        // The whole file: line 0, the header line without a column, or an encoding
        // error that stops the file (it keeps the place of the first bad byte).
        if (d.line == 0 || (d.line == 1 && d.column == 0) || d.reason.ends_with("the file was not read")) {
          whole_file = true;
        }
        lines.push_back(d.line);
        for (int64_t l : ListedLines(d.reason)) listed.push_back(l);
      }
      std::sort(lines.begin(), lines.end());
      std::sort(listed.begin(), listed.end());
      const Records records = ReadRecords(w.bytes);

      for (size_t ri = 0; ri < f.rows.size(); ++ri) {
        const ModelRow& r = f.rows[ri];
        const int64_t line = w.line[ri];
        const std::string where = f.name + ":" + std::to_string(line) + " (row " + r.tag + ")";
        ++totals_->rows;
        auto it = stored.find(r.tag);
        const bool loaded = it != stored.end();
        const auto [first, last] = records.Span(line);
        const bool by_line = std::lower_bound(lines.begin(), lines.end(), first) != lines.end() &&
                             *std::lower_bound(lines.begin(), lines.end(), first) <= last;
        const bool by_list = std::binary_search(listed.begin(), listed.end(), line) ||
                             std::binary_search(listed.begin(), listed.end(), first);
        const bool reported = whole_file || by_line || by_list;
        totals_->loaded += loaded;
        totals_->reported += reported;
        if (loaded && reported) {
          Violation("both", where, "loaded, and reported" +
                                       std::string(whole_file ? " (whole file)" : by_line ? " (by line)" : " (listed)"));
        } else if (!loaded && !reported) {
          Violation("neither", where, "not loaded and not reported");
        }
        if (!loaded) continue;
        if (it->second.size() != 1) {
          Violation("both", where, "loaded " + std::to_string(it->second.size()) + " times");
        }
        if (!r.raw) CheckValues(f, r, it->second.front(), ledger, cols, where);
      }
    }
  }

 private:
  void Expect(bool ok, const std::string& where, const std::string& what) {
    if (!ok) Violation("changed", where, what);
  }

  void CheckValues(const ModelFile& f, const ModelRow& r, size_t i, const Ledger& l,
                   const internal::LedgerColumnsView& cols, const std::string& where) {
    const std::string code = Cell(f, r, "code");
    auto same_code = [&](uint32_t p) {
      Expect(ColumnOf(f, "code") < 0 || l.code(p) == code, where,
             "code '" + std::string(l.code(p)) + "' loaded for cell '" + code + "'");
    };
    auto money = [&](int64_t got, std::string_view header) {
      if (ColumnOf(f, header) < 0) return;
      const std::string cell = Cell(f, r, header);
      const int64_t want = Fen(cell).value_or(kNoMoney);
      Expect(got == want, where,
             std::string(header) + " " + std::to_string(got) + " (分) loaded for cell '" + cell + "'");
    };
    switch (f.table) {
      case Table::kProjects: {
        const auto p = static_cast<uint32_t>(i);
        same_code(p);
        if (ColumnOf(f, "name") >= 0) {
          Expect(l.name(p) == Cell(f, r, "name"), where,
                 "name '" + std::string(l.name(p)) + "' loaded for cell '" + Cell(f, r, "name") + "'");
        }
        money(cols.projects.total_investment[p], "total_investment");
        break;
      }
      case Table::kMonthly: {
        const std::vector<uint64_t>& begin = cols.monthly.slot_begin;
        const auto p = static_cast<uint32_t>(std::upper_bound(begin.begin(), begin.end(), i) - begin.begin() - 1);
        same_code(p);
        const Month m = Month::FromIndex(cols.monthly.first_month[p] + static_cast<int32_t>(i - begin[p]));
        if (ColumnOf(f, "month") >= 0) {
          Expect(m.ToString() == Cell(f, r, "month"), where,
                 "month " + m.ToString() + " loaded for cell '" + Cell(f, r, "month") + "'");
        }
        const bool known = cols.monthly.flags[i] & internal::kInvestmentKnown;
        money(known ? l.InvestmentIn(p, m) : kNoMoney, "investment");
        break;
      }
      case Table::kFunding: {
        same_code(cols.funding.project[i]);
        const std::optional<Ledger::OriginalAmounts> original = l.FundingOriginal(static_cast<uint32_t>(i));
        money(original ? original->arrived : cols.funding.arrived[i], "arrived");
        money(original ? original->requested : cols.funding.requested[i], "requested");
        if (original) {  // and converted at the rate the test loads with, USD 7.1, half-up to 1 分
          for (auto [got, header] : {std::pair{cols.funding.arrived[i], "arrived"},
                                     std::pair{cols.funding.requested[i], "requested"}}) {
            const std::optional<int64_t> fen = Fen(Cell(f, r, header));
            const int64_t want = fen ? static_cast<int64_t>((static_cast<int128>(*fen) * 71 + 5) / 10) : kNoMoney;
            Expect(got == want, where,
                   std::string(header) + " converted " + std::to_string(got) + " (分), want " + std::to_string(want));
          }
        }
        if (ColumnOf(f, "year") >= 0) {
          Expect(std::to_string(cols.funding.year[i]) == Cell(f, r, "year"), where, "year");
        }
        break;
      }
      case Table::kPlans:
        same_code(cols.plans.project[i]);
        money(cols.plans.planned[i], "planned");
        if (ColumnOf(f, "year") >= 0) {
          Expect(std::to_string(cols.plans.year[i]) == Cell(f, r, "year"), where, "year");
        }
        break;
      case Table::kProblems:
        same_code(cols.problems.project[i]);
        if (ColumnOf(f, "id") >= 0) {
          Expect(l.text(cols.problems.id[i]) == Cell(f, r, "id"), where,
                 "id '" + std::string(l.text(cols.problems.id[i])) + "'");
        }
        break;
      case Table::kBaseline:
        money(cols.baseline.investment[i], "investment");
        break;
      case Table::kApprovals: {  // stored by project, then item: found by its tag (i)
        const internal::ApprovalColumns& a = cols.approvals;
        same_code(a.project[i]);
        if (ColumnOf(f, "item") >= 0) {
          const std::string cell = Cell(f, r, "item");
          Expect(ParseEnum<ApprovalItem>(cell) == a.item[i], where,
                 "item " + std::string(EnumId(a.item[i])) + " loaded for cell '" + cell + "'");
        }
        if (ColumnOf(f, "required") >= 0) {
          const std::optional<YesNo> v = ParseEnum<YesNo>(Cell(f, r, "required"));
          Expect(a.required[i] == (v == YesNo::kNo ? 0 : 1), where,
                 "required " + std::to_string(a.required[i]) + " loaded for cell '" + Cell(f, r, "required") + "'");
        }
        for (auto [got, header] : {std::pair{a.planned_on[i], "planned_on"}, std::pair{a.done_on[i], "done_on"}}) {
          if (ColumnOf(f, header) < 0) continue;
          const std::optional<Date> want = Date::Parse(Cell(f, r, header));
          Expect(got == (want ? want->days() : kNoDay), where,
                 std::string(header) + " " + std::to_string(got) + " loaded for cell '" + Cell(f, r, header) + "'");
        }
        for (auto [got, header] : {std::pair{a.authority[i], "authority"}, std::pair{a.document_no[i], "document_no"}}) {
          if (ColumnOf(f, header) < 0) continue;
          Expect(l.text(got) == Cell(f, r, header), where,
                 std::string(header) + " '" + std::string(l.text(got)) + "' loaded for cell '" + Cell(f, r, header) + "'");
        }
        break;
      }
    }
  }

  std::string context_;
  Totals* totals_;
  int printed_ = 0;

 public:
  int violations() const { return printed_; }
};

// ---------------------------------------------------------------------------
// The property
// ---------------------------------------------------------------------------

struct Base {
  uint64_t projects, seed;
  std::vector<CsvInput> files;
};

const std::vector<Base>& Bases() {
  static const std::vector<Base> kBases = [] {
    std::vector<Base> out;
    for (auto [projects, seed] : {std::pair<uint64_t, uint64_t>{20, 1}, {57, 2}, {120, 3}, {300, 4}, {33, 5}}) {
      GeneratorOptions g;
      g.projects = projects;
      g.seed = seed;
      absl::StatusOr<Ledger> l = GenerateLedger(g);
      EXPECT_TRUE(l.ok()) << l.status();
      absl::StatusOr<std::vector<CsvInput>> files = WriteCsvLedgerToMemory(*l);
      EXPECT_TRUE(files.ok()) << files.status();
      out.push_back(Base{projects, seed, std::move(*files)});
    }
    // The sample ledger as `keyproj generate` wrote it (1500 projects), seed 0.
    Base sample{1500, 0, {}};
    for (Table t : {Table::kProjects, Table::kMonthly, Table::kFunding, Table::kPlans, Table::kProblems,
                    Table::kBaseline, Table::kApprovals}) {
      std::ifstream in(std::string(KEYPROJ_SOURCE_DIR) + "/examples/data/" + CsvFileName(t), std::ios::binary);
      EXPECT_TRUE(in.good()) << CsvFileName(t);
      sample.files.push_back(CsvInput{CsvFileName(t), std::string(std::istreambuf_iterator<char>(in), {})});
    }
    out.push_back(std::move(sample));
    return out;
  }();
  return kBases;
}

int Iterations() {
  if (const char* env = std::getenv("KEYPROJ_LENIENT_ITERATIONS")) return std::max(1, std::atoi(env));
  return 600;
}

uint64_t Seed() {
  if (const char* env = std::getenv("KEYPROJ_LENIENT_SEED")) return std::strtoull(env, nullptr, 10);
  return 20261203;
}

TEST(LenientAccounting, EveryRowIsLoadedXorReported) {
  const uint64_t seed = Seed();
  const int iterations = Iterations();
  Totals totals;
  std::map<std::string, int> mutation_counts;
  const char* only = std::getenv("KEYPROJ_LENIENT_ONLY");  // one iteration, to look at
  for (int it = 0; it < iterations; ++it) {
    if (only != nullptr && it != std::atoi(only)) continue;
    std::mt19937_64 rng(seed * 1000003 + static_cast<uint64_t>(it));
    // The generated ledgers in turn; the (bigger) sample ledger every tenth time.
    const Base& base = it % 10 == 9 ? Bases().back() : Bases()[it % (Bases().size() - 1)];
    int next_tag = 1;
    Model model;
    for (const CsvInput& in : base.files) model.files.push_back(ParseFile(in, rng, &next_tag));

    // GB18030 files (all of them, as Excel would save a folder) in some iterations;
    // byte-level mutations only in UTF-8 ones.
    const bool gb = rng() % 8 == 0;
    Mutator mutator(model, rng, &next_tag);
    std::vector<std::string> done;
    const int n = it % 25 == 0 ? 0 : 1 + static_cast<int>(rng() % 4);
    for (int k = 0; k < n; ++k) {
      std::string what = rng() % 60 == 0 ? mutator.RemoveHeaderCell() : mutator.MutateOnce(!gb);
      if (!what.empty()) {
        ++mutation_counts[what.substr(0, what.find(':'))];
        done.push_back(std::move(what));
      }
    }
    std::vector<WrittenFile> written;
    std::vector<CsvInput> inputs;
    for (const ModelFile& f : model.files) {
      written.push_back(Write(f));
      std::string bytes = written.back().bytes;
      if (gb) {
        absl::StatusOr<std::string> converted = Utf8ToGb18030(bytes);
        ASSERT_TRUE(converted.ok()) << converted.status();
        bytes = *converted;
        written.back().bytes = bytes;  // the same records: GB18030 never uses , " or line breaks in a character
      }
      inputs.push_back(CsvInput{f.name, std::move(bytes)});
    }
    LoadOptions options;
    options.lenient = true;
    options.fx_rates = {{"USD", "7.1"}};
    options.encoding = gb && rng() % 2 == 0 ? Encoding::kGb18030 : Encoding::kAuto;
    Diagnostics diags;
    absl::StatusOr<Ledger> ledger = LoadCsvLedger(inputs, options, &diags);

    std::string context = "seed " + std::to_string(seed) + ", iteration " + std::to_string(it) + " (base " +
                          std::to_string(base.projects) + " projects, seed " + std::to_string(base.seed) +
                          (gb ? ", GB18030" : "") + "), mutations:";
    for (const std::string& d : done) context += "\n    " + d;
    if (done.empty()) context += " none";
    context += "\n  (rerun: KEYPROJ_LENIENT_SEED=" + std::to_string(seed) + " KEYPROJ_LENIENT_ONLY=" +
               std::to_string(it) + ", KEYPROJ_LENIENT_DUMP=1 lists the diagnostics)";
    if (!ledger.ok()) {
      // Lenient loads fail only when projects.csv cannot be had at all.
      ADD_FAILURE() << context << "\n  load failed: " << ledger.status();
      continue;
    }
    if (done.empty()) {
      EXPECT_TRUE(diags.empty()) << context << "\n  first: " << diags.front().ToString();
    }
    Checker checker(context, &totals);
    checker.Check(model, written, *ledger, diags);
    if (checker.violations() > 0 && std::getenv("KEYPROJ_LENIENT_DUMP") != nullptr) {
      for (const Diagnostic& d : diags) std::cerr << "    " << d.ToString() << "\n";
    }
  }
  std::string summary;
  for (const auto& [kind, count] : mutation_counts) summary += "  " + kind + ": " + std::to_string(count) + "\n";
  std::cout << iterations << " iterations, " << totals.rows << " rows: " << totals.loaded << " loaded, "
            << totals.reported << " reported\nmutations applied:\n"
            << summary;
  for (const auto& [kind, count] : totals.violations) std::cout << "violations " << kind << ": " << count << "\n";
  // The property is not vacuous: the mutations left rows out, and most rows loaded.
  EXPECT_GT(totals.reported, 0);
  EXPECT_GT(totals.loaded, totals.reported);
  // approvals.csv is in every base and its own mutations happened.
  if (only == nullptr) {
    for (const char* kind : {"bad approval item", "bad approval cell", "duplicate approval item",
                             "done_on before reserved_on"}) {
      EXPECT_GT(mutation_counts[kind], 0) << kind;
    }
  }
  EXPECT_TRUE(totals.violations.empty());
}

}  // namespace
}  // namespace keyproj
