// Internal: reads an .xlsx workbook (a zip of XML parts, ECMA-376) into cells as
// text, with libzip and expat. Only what a ledger needs: sheet names and order, the
// 1900/1904 date system, shared and inline strings, number formats (to know date
// cells), each sheet's cells and merged ranges. Values come out as the text the
// workbook holds (docs/ledger-loading.md, "Workbooks (.xlsx)"): a number as written
// (an exponent form turned into plain decimal text, by string work), a date-formatted
// number as an ISO date, a boolean as TRUE/FALSE. A cell that holds no value (an
// error, a formula saved without its result) carries a problem instead.
//
// The input is untrusted: every part's inflated size, the total and the number of
// cells are capped (Limits), a DTD is refused (no entity expansion), and a corrupt or
// truncated zip is an error -- never a crash.
#ifndef KEYPROJ_SRC_XLSX_WORKBOOK_H_
#define KEYPROJ_SRC_XLSX_WORKBOOK_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace keyproj::xlsx {

struct Limits {
  uint64_t part_bytes = uint64_t{512} << 20;   // one inflated XML part
  uint64_t total_bytes = uint64_t{1} << 30;    // all parts read, inflated
  uint64_t cells = 64'000'000;                 // cells with content, all sheets
};

struct Cell {
  int32_t row = 0;  // 1-based
  int32_t col = 0;  // 1-based (A = 1)
  std::string text;
  std::string problem;  // not empty: the cell holds no usable value (text is empty)
};

struct Range {
  int32_t first_row = 0, first_col = 0, last_row = 0, last_col = 0;
};

struct Sheet {
  std::string name;
  std::vector<Cell> cells;  // with content (text or problem), sorted by row, then column
  std::vector<Range> merged;
};

// "C12" for row 12, column 3.
std::string CellName(int32_t row, int32_t col);

class Workbook {
 public:
  // Opens the workbook in `bytes` (kept by the caller while the Workbook lives) and
  // reads its directory parts; `name` (the file's) names it in errors. Errors:
  // InvalidArgument (not a zip, not a workbook, a broken part), DataLoss (a corrupt or
  // truncated zip), ResourceExhausted (over the limits).
  static absl::StatusOr<Workbook> Open(std::string_view bytes, std::string name, Limits limits = {});

  Workbook(Workbook&&) noexcept;
  Workbook& operator=(Workbook&&) noexcept;
  ~Workbook();

  const std::vector<std::string>& sheet_names() const;
  bool date1904() const;
  // The value of the custom document property `name` (docProps/custom.xml), or empty.
  std::string CustomProperty(std::string_view name) const;

  // The cells of sheet `index` (of sheet_names()).
  absl::StatusOr<Sheet> ReadSheet(size_t index);

 private:
  struct State;
  explicit Workbook(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

// Plain decimal text for a number as a workbook writes it: "1.5E+3" -> "1500",
// "-2.5e-3" -> "-0.0025"; text without an exponent is returned as it is. nullopt when
// `v` is not a number, or its exponent is beyond +-400.
std::optional<std::string> PlainDecimal(std::string_view v);

}  // namespace keyproj::xlsx

#endif  // KEYPROJ_SRC_XLSX_WORKBOOK_H_
