// Internal: the loader's hot-path cell helpers. Each fast path handles the common
// spelling only and falls back to the general parser (Date::Parse, Month::Parse)
// for everything else, so the accepted language is exactly the general one.
#ifndef KEYPROJ_SRC_CSV_CELL_PARSE_H_
#define KEYPROJ_SRC_CSV_CELL_PARSE_H_

#include <cstdint>
#include <optional>
#include <string_view>

#include "keyproj/date.h"
#include "keyproj/internal/text.h"

namespace keyproj::internal {

// Trims ASCII spaces and tabs and U+3000 (full-width space, E3 80 80) from both ends;
// line breaks (in a quoted cell) are content.
inline std::string_view TrimCell(std::string_view s) { return TrimSpaces(s, " \t"); }

namespace cell_internal {
inline bool Digit(char c) { return c >= '0' && c <= '9'; }
}  // namespace cell_internal

// Date::Parse with a fast path for YYYY-MM-DD.
inline std::optional<Date> ParseDateFast(std::string_view s) {
  using cell_internal::Digit;
  if (s.size() == 10 && s[4] == '-' && s[7] == '-' && Digit(s[0]) && Digit(s[1]) && Digit(s[2]) &&
      Digit(s[3]) && Digit(s[5]) && Digit(s[6]) && Digit(s[8]) && Digit(s[9])) {
    const int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    const int m = (s[5] - '0') * 10 + (s[6] - '0');
    const int d = (s[8] - '0') * 10 + (s[9] - '0');
    return Date::FromYmd(y, m, d);  // what Date::Parse makes of the same text
  }
  return Date::Parse(s);
}

// Month::Parse with a fast path for YYYY-MM.
inline std::optional<Month> ParseMonthFast(std::string_view s) {
  using cell_internal::Digit;
  if (s.size() == 7 && s[4] == '-' && Digit(s[0]) && Digit(s[1]) && Digit(s[2]) && Digit(s[3]) &&
      Digit(s[5]) && Digit(s[6])) {
    const int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    const int m = (s[5] - '0') * 10 + (s[6] - '0');
    if (y >= 1900 && m >= 1 && m <= 12) return Month::FromYm(y, m);
  }
  return Month::Parse(s);
}

}  // namespace keyproj::internal

#endif  // KEYPROJ_SRC_CSV_CELL_PARSE_H_
