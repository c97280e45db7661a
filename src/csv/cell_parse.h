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
// Days since 1970-01-01 of a valid Gregorian date with year >= 1 (H. Hinnant's
// days_from_civil, in unsigned arithmetic: no divisions by sign-unknown values).
constexpr int32_t DaysFromCivil(unsigned y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1u : 0u;
  const unsigned era = y / 400;
  const unsigned yoe = y - era * 400;
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<int32_t>(era * 146097 + doe) - 719468;
}
constexpr unsigned DaysInMonth(unsigned y, unsigned m) {
  if (m != 2) return 30u + ((m + (m >> 3)) & 1u);  // 31 for Jan, Mar, May, Jul, Aug, Oct, Dec
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return leap ? 29u : 28u;
}
static_assert(DaysFromCivil(1970, 1, 1) == 0);
static_assert(DaysFromCivil(2000, 3, 1) == 11017);
static_assert(DaysInMonth(2024, 2) == 29 && DaysInMonth(1900, 2) == 28 && DaysInMonth(2000, 2) == 29);
static_assert(DaysInMonth(2023, 7) == 31 && DaysInMonth(2023, 8) == 31 && DaysInMonth(2023, 9) == 30 &&
              DaysInMonth(2023, 12) == 31 && DaysInMonth(2023, 11) == 30 && DaysInMonth(2023, 1) == 31 &&
              DaysInMonth(2023, 4) == 30);
}  // namespace cell_internal

// Date::Parse with a fast path for YYYY-MM-DD.
inline std::optional<Date> ParseDateFast(std::string_view s) {
  using cell_internal::Digit;
  if (s.size() == 10 && s[4] == '-' && s[7] == '-' && Digit(s[0]) && Digit(s[1]) && Digit(s[2]) &&
      Digit(s[3]) && Digit(s[5]) && Digit(s[6]) && Digit(s[8]) && Digit(s[9])) {
    const unsigned y = static_cast<unsigned>((s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0'));
    const unsigned m = static_cast<unsigned>((s[5] - '0') * 10 + (s[6] - '0'));
    const unsigned d = static_cast<unsigned>((s[8] - '0') * 10 + (s[9] - '0'));
    if (y >= 1900 && m >= 1 && m <= 12 && d >= 1 && d <= cell_internal::DaysInMonth(y, m)) {
      return Date::FromDays(cell_internal::DaysFromCivil(y, m, d));
    }
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
