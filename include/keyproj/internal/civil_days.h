// Private: calendar arithmetic on plain day numbers for hot loops (the generator,
// the CSV writer), over the calendar of date.h (internal::civil::DaysFromCivil,
// CivilFromDays, DaysInMonth, IsLeapYear).
#ifndef KEYPROJ_SRC_CIVIL_DAYS_H_
#define KEYPROJ_SRC_CIVIL_DAYS_H_

#include <cstdint>

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
