// A problem found in input: where it is (file, line, column) and why. Loaders and
// the ledger builder report every problem they find, not only the first.
#ifndef KEYPROJ_DIAGNOSTIC_H_
#define KEYPROJ_DIAGNOSTIC_H_

#include <cstdint>
#include <string>
#include <vector>

#include "keyproj/internal/text.h"

namespace keyproj {

struct Diagnostic {
  std::string file;    // "projects.csv" (as named to the loader); the table name for API input
  int64_t line = 0;    // 1-based physical line (a quoted newline counts); 0 = the whole file
  int column = 0;      // 1-based column (field) number; 0 = the whole row
  std::string field;   // the column's header as written in the file, or its English name
  std::string reason;
  // Set for a problem in a workbook (--data ledger.xlsx): the place as Excel names it,
  // "C12" (or "12:12" for a whole row), with `file` the sheet's name, `line` its row
  // and `column` its column number (C = 3). ToString then prints "项目!C12: ...".
  std::string cell;
  // Set for a line that follows from another problem rather than being one of its own:
  // a lenient load's "2 rows of project X not loaded (...): the project was rejected
  // (projects.csv:4)". Listed with the problems, but not counted as one: fixing the
  // project's row clears it.
  bool consequence = false;

  // "monthly.csv:17:3: investment: not a decimal number of 万元"
  std::string ToString() const {
    std::string out = file;
    if (!cell.empty()) {
      internal::Append(&out, "!", cell);
    } else if (line > 0) {
      internal::Append(&out, ":", line);
      if (column > 0) internal::Append(&out, ":", column);
    }
    internal::Append(&out, ": ");
    if (!field.empty()) internal::Append(&out, field, ": ");
    internal::Append(&out, reason);
    return out;
  }
  friend bool operator==(const Diagnostic&, const Diagnostic&) = default;
};

using Diagnostics = std::vector<Diagnostic>;

}  // namespace keyproj

#endif  // KEYPROJ_DIAGNOSTIC_H_
