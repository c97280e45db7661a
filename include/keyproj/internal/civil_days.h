// Private: calendar arithmetic on plain day numbers for hot loops (the generator,
// the CSV writer), over the calendar of date.h (internal::civil::DaysFromCivil,
// CivilFromDays, DaysInMonth, IsLeapYear).
#ifndef KEYPROJ_SRC_CIVIL_DAYS_H_
#define KEYPROJ_SRC_CIVIL_DAYS_H_

#include <array>
#include <cstdint>
#include <optional>

#include "keyproj/date.h"

namespace keyproj::internal::civil {

// Day number of the first day of a Month index (year * 12 + month - 1).
constexpr int32_t FirstDayOfMonth(int32_t month_index) {
  const int y = month_index >= 0 ? month_index / 12 : -((-month_index + 11) / 12);
  return DaysFromCivil(y, month_index - y * 12 + 1, 1);
}

// Month index of a day number.
constexpr int32_t MonthOfDay(int32_t days) {
  const YearMonthDay v = CivilFromDays(days);
  return v.year * 12 + v.month - 1;
}

// The first days of the months 1900-01 .. 2100-12, and of 2101-01 after them: hot
// loops over month-by-month data (monthly rows, whose months end at 2100-12) find a
// month's first day, or a first day's month, without the civil conversion.
inline constexpr int32_t kMonthTableFirst = 1900 * 12;  // Month index of 1900-01
inline constexpr int32_t kMonthTableMonths = (2100 - 1900 + 1) * 12;
inline constexpr std::array<int32_t, kMonthTableMonths + 1> kMonthStarts = [] {
  std::array<int32_t, kMonthTableMonths + 1> starts{};
  for (int32_t i = 0; i <= kMonthTableMonths; ++i) starts[i] = FirstDayOfMonth(kMonthTableFirst + i);
  return starts;
}();

// FirstDayOfMonth through the table when the month is in it.
inline int32_t FirstDayOfMonthFast(int32_t month_index) {
  const int32_t i = month_index - kMonthTableFirst;
  if (i >= 0 && i < kMonthTableMonths) return kMonthStarts[i];
  return FirstDayOfMonth(month_index);
}

// The month index of a day that is a month's first day in the table; -1 for another
// day of a month in the table; nullopt for a day outside it (ask MonthOfDay).
inline std::optional<int32_t> MonthOfFirstDay(int32_t days) {
  if (days < kMonthStarts.front() || days >= kMonthStarts.back()) return std::nullopt;
  // 146097 days are 4800 months: the estimate is the month or one off.
  auto i = static_cast<int32_t>(static_cast<int64_t>(days - kMonthStarts.front()) * 4800 / 146097);
  if (i >= kMonthTableMonths) i = kMonthTableMonths - 1;
  while (kMonthStarts[i] > days) --i;
  while (kMonthStarts[i + 1] <= days) ++i;
  return kMonthStarts[i] == days ? kMonthTableFirst + i : -1;
}

// The same day n months later (earlier for n < 0), clamped to the month's end.
constexpr int32_t AddMonths(int32_t days, int n) {
  const YearMonthDay v = CivilFromDays(days);
  const int32_t idx = v.year * 12 + v.month - 1 + n;
  const int y = idx >= 0 ? idx / 12 : -((-idx + 11) / 12);
  const int m = idx - y * 12 + 1;
  const int d = v.day < DaysInMonth(y, m) ? v.day : DaysInMonth(y, m);
  return DaysFromCivil(y, m, d);
}

// Writes YYYY-MM-DD (10 characters, years 0..9999) and returns the end.
inline char* FormatDay(int32_t days, char* out) {
  const YearMonthDay v = CivilFromDays(days);
  unsigned y = static_cast<unsigned>(v.year);
  out[0] = static_cast<char>('0' + y / 1000 % 10);
  out[1] = static_cast<char>('0' + y / 100 % 10);
  out[2] = static_cast<char>('0' + y / 10 % 10);
  out[3] = static_cast<char>('0' + y % 10);
  out[4] = '-';
  out[5] = static_cast<char>('0' + v.month / 10);
  out[6] = static_cast<char>('0' + v.month % 10);
  out[7] = '-';
  out[8] = static_cast<char>('0' + v.day / 10);
  out[9] = static_cast<char>('0' + v.day % 10);
  return out + 10;
}

// Writes YYYY-MM (7 characters) of a Month index and returns the end.
inline char* FormatMonth(int32_t month_index, char* out) {
  const int y = month_index >= 0 ? month_index / 12 : -((-month_index + 11) / 12);
  const int m = month_index - y * 12 + 1;
  unsigned uy = static_cast<unsigned>(y);
  out[0] = static_cast<char>('0' + uy / 1000 % 10);
  out[1] = static_cast<char>('0' + uy / 100 % 10);
  out[2] = static_cast<char>('0' + uy / 10 % 10);
  out[3] = static_cast<char>('0' + uy % 10);
  out[4] = '-';
  out[5] = static_cast<char>('0' + m / 10);
  out[6] = static_cast<char>('0' + m % 10);
  return out + 7;
}

}  // namespace keyproj::internal::civil

#endif  // KEYPROJ_SRC_CIVIL_DAYS_H_
