// A ledger from a host's own data: each table as column arrays (Arrow's layout:
// values, string offsets, LSB-first validity bitmaps), a batch of rows per call --
// never one call per cell. What the C ABI's kp_ledger_builder wraps.
//
// Every cell goes through the CSV loader's cell rules (src/csv/cell_parse.h) and
// every row into the same LedgerBuilder, so a ledger built from arrays equals the one
// loaded from the same data as CSV, with the same checks and the same words for the
// same problems. Problems are Diagnostics with file = the table's file name
// ("monthly.csv"), line = the row's number among all rows added to that table so far
// (1-based; batches continue the count), column = the column's position in the call
// (1-based) and field = the column's name as given.
//
// Columns are named by their CSV header (ledger-format.md: "code", or the Chinese
// header "项目代码"), matched as the CSV loader matches a header row (any ASCII case,
// full-width brackets, aliases, a Chinese header without its unit). A money column
// named in another unit ("总投资（元）", "（亿元）") has its amounts in that unit,
// converted exactly as a CSV file's under that header (an int64's scale still gives
// its decimals); else amounts are 万元. A column that names no field ("项目联系人") is kept as an extra column,
// as a CSV file's is (Ledger::extras; a later batch's by the same name joins it); a
// 序号 column is ignored, as in a CSV file. An extra column may have any type: its
// cells are kept as text (int64 with its scale's places, a double as Python's
// repr writes it, date32 as YYYY-MM-DD, bool as True/False, as pandas writes it), its
// header trimmed. Typed arrays are read exactly: an int64 with `scale` places is a
// decimal (money in 万元: scale 4 = 元, 6 = 分), a double is read as its shortest
// round-trip decimal (what Python's repr prints), never through binary arithmetic;
// a date32 is days since 1970-01-01. Which types a field accepts depends on what it
// holds (text: utf8/cstr; money: + int64, double; dates and months: + date32 (a
// month as its 1st day); years and division codes: + int32, int64, double; yes/no:
// + bool).
//
// Projects must be added before the rows of other tables that refer to them, as
// with LedgerBuilder. Not thread-safe: one thread per builder. A big batch is
// read on a second thread of the builder's own during the call (LoadOptions::threads;
// docs/ledger.md, "Loading in parallel"): the same ledger and problems as one thread.
#ifndef KEYPROJ_COLUMN_IMPORT_H_
#define KEYPROJ_COLUMN_IMPORT_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "keyproj/csv_loader.h"
#include "keyproj/diagnostic.h"
#include "keyproj/ledger.h"

namespace keyproj {

// Numbered as the C ABI's KP_COLUMN_*.
enum class ColumnType : int32_t {
  kUtf8 = 1,    // values: UTF-8 bytes; offsets: int32_t[rows + 1] (Arrow string layout)
  kCStr = 2,    // values: const char* const[rows], NUL-terminated; a NULL pointer = missing
  kInt64 = 3,   // values: int64_t[rows], a decimal with `scale` places
  kDouble = 4,  // values: double[rows]; NaN = missing
  kDate32 = 5,  // values: int32_t[rows], days since 1970-01-01
  kBool = 6,    // values: uint8_t[rows], 0/1
  kInt32 = 7,   // values: int32_t[rows]
};

// One column of a batch. Everything is borrowed for the call only.
struct ColumnView {
  std::string_view name;  // the field's CSV header: "code", "investment", "项目代码"
  ColumnType type = ColumnType::kUtf8;
  int32_t scale = 0;                  // kInt64: decimal places, 0-18
  const void* values = nullptr;       // may be null only when rows == 0
  const int32_t* offsets = nullptr;   // kUtf8 only
  const uint8_t* validity = nullptr;  // null: all present; else bit set = present
  size_t validity_bytes = 0;          // must be >= (rows + 7) / 8 when validity is set
};

class ColumnLedgerBuilder {
 public:
  // options.encoding is irrelevant (input is UTF-8); lenient, duplicate_months and
  // fx_rates behave as for CSV.
  explicit ColumnLedgerBuilder(const LoadOptions& options = {});
  ~ColumnLedgerBuilder();
  ColumnLedgerBuilder(ColumnLedgerBuilder&&) noexcept;
  ColumnLedgerBuilder& operator=(ColumnLedgerBuilder&&) noexcept;

  // Adds `rows` rows of `table`. Bad cells are diagnostics (the call still returns
  // OK; the row is rejected). A batch that cannot be read at all -- a duplicate or
  // unnamed column, a money column named in another unit, a required column missing, a type the field does not
  // take, a bad scale, missing values, string offsets that are negative or decrease,
  // a validity bitmap shorter than the rows -- is InvalidArgument naming every such
  // column ("N problems: ..."), each also recorded as a diagnostic (so a strict Build
  // fails); its rows still
  // count for the line numbers of later batches. After Build: FailedPrecondition.
  absl::Status AddColumns(Table table, size_t rows, std::span<const ColumnView> columns);

  // Records that a batch of `rows` rows of `table` was refused by the caller (a C ABI
  // check, e.g. a column struct's version): the problem is a diagnostic naming the
  // column (1-based position, 0 = the whole batch) and the rows count as added. Returns
  // the InvalidArgument status that AddColumns would have returned.
  absl::Status RejectBatch(Table table, size_t rows, int column, std::string_view name, std::string reason);

  // Records a batch for a table number that names no table (a C caller's, before it
  // is narrowed to Table): the diagnostic names the number as given. Returns the
  // InvalidArgument status AddColumns gives for it.
  absl::Status RejectUnknownTable(int64_t table);

  // Builds the ledger (LedgerBuilder::Build: strict = nothing if anything was wrong).
  // The builder is spent afterwards. *diagnostics (when not null) receives every
  // problem found, sorted by table and row.
  absl::StatusOr<Ledger> Build(Diagnostics* diagnostics = nullptr);

  bool built() const;

 private:
  struct State;
  std::unique_ptr<State> s_;
};

}  // namespace keyproj

#endif  // KEYPROJ_COLUMN_IMPORT_H_
