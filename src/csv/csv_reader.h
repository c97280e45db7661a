// An RFC 4180 tokenizer over a whole file held in memory (internal to the loader).
//
// - Fields are separated by ',' and records by CRLF, LF or a lone CR.
// - A field that starts with '"' is quoted: it may hold commas, line breaks and
//   doubled quotes ("" for one "). Line breaks inside it are kept as written.
// - A '"' inside an unquoted field is an ordinary character (what Excel writes for
//   12" pipe); text after a closing quote is an error of that record.
// - Blank lines (nothing between two line breaks) are skipped.
// - An unterminated quote is fatal: the rest of the file cannot be split reliably.
//
// Fields are string_views into the buffer; only a quoted field holding "" is
// unescaped, into a scratch buffer owned by the reader. The views of a record stay
// valid until the next call of Next() (and the buffer must outlive the reader).
#ifndef KEYPROJ_SRC_CSV_CSV_READER_H_
#define KEYPROJ_SRC_CSV_CSV_READER_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace keyproj::internal {

// A problem found by the tokenizer: physical line, 1-based field number.
struct CsvError {
  int64_t line = 0;
  int field = 0;
  std::string message;
};

class CsvReader {
 public:
  explicit CsvReader(std::string_view data) : data_(data) {}
  // A reader that starts at byte `pos` of `data`, which is physical line `line`: what
  // a reader of the whole data is once it has read the records before `pos` (pos must
  // be where a record, or the blank lines before one, begins). Lookahead still sees
  // the whole data, so a chunk's reader splits exactly as the whole file's would.
  CsvReader(std::string_view data, size_t pos, int64_t line) : data_(data), pos_(pos), line_(line) {}
  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  // Moves to the next non-blank record. False at the end of the data, or when an
  // unterminated quote stops the reading (fatal() says where).
  bool Next();

  // The current record: its fields, and the physical line (1-based) it starts on.
  std::span<const std::string_view> fields() const { return fields_; }
  int64_t line() const { return record_line_; }
  // The current record's bytes in the data: [record_begin(), record_end()).
  size_t record_begin() const { return record_begin_; }
  size_t record_end() const { return pos_; }
  // Non-fatal problems of the current record (text after a closing quote). The
  // record's fields are still split correctly; the caller should reject the row.
  const std::vector<CsvError>& errors() const { return errors_; }
  // Set when Next() returned false because a quoted field never ended.
  const std::optional<CsvError>& fatal() const { return fatal_; }

  // Skips blank lines (as Next() does first): afterwards pos() is where the next
  // record begins (or the end of the data) and next_line() its physical line.
  void SkipBlankLines();
  size_t pos() const { return pos_; }
  int64_t next_line() const { return line_; }

 private:
  bool ReadQuoted();  // at a '"': appends the field; false on an unterminated quote
  void CountLineBreaks(size_t begin, size_t end);

  std::string_view data_;
  size_t pos_ = 0;
  int64_t line_ = 1;  // physical line at pos_
  int64_t record_line_ = 0;
  size_t record_begin_ = 0;
  std::vector<std::string_view> fields_;
  std::vector<CsvError> errors_;
  std::optional<CsvError> fatal_;
  // Unescaped quoted fields of the current record: field index, offset, size.
  struct Unescaped {
    size_t field;
    size_t offset;
    size_t size;
  };
  std::string scratch_;
  std::vector<Unescaped> unescaped_;
};

// Where a byte offset of a CSV text lies: its physical line and the number of the
// field it is in (following quotes). Used to place an encoding error.
struct CsvPosition {
  int64_t line = 1;
  int field = 1;
};
CsvPosition LocateOffset(std::string_view data, size_t offset);

// A place to cut a CSV text for reading its parts in parallel: a byte offset just
// after a '\n', and the physical line that starts there (counted as CsvReader counts:
// LF, CRLF and a lone CR are each one line break).
struct CsvCut {
  size_t offset = 0;
  int64_t line = 1;
};

// Cuts [begin, data.size()) -- begin being a record boundary on physical line
// `line` -- into parts of about `part_bytes`: the first cut is {begin, line}; each
// further one is the first '\n' at least part_bytes after the previous cut where the
// count of '"' since `begin` is even (RFC 4180's doubled quotes keep the parity, so
// that is outside a quoted field for well-formed data). Parity is a guess, not a
// guarantee (a '"' inside an unquoted field is an ordinary character): whoever reads
// the parts must check that each part starts where the previous one ended.
// *end_line (when not null): the physical line at the end of the data.
std::vector<CsvCut> CutCsv(std::string_view data, size_t begin, int64_t line, size_t part_bytes,
                           int64_t* end_line = nullptr);

}  // namespace keyproj::internal

#endif  // KEYPROJ_SRC_CSV_CSV_READER_H_
