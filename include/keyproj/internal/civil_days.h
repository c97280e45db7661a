// Private: calendar arithmetic on plain day numbers for hot loops (the generator,
// the CSV writer). Howard Hinnant's days_from_civil / civil_from_days: exact integer
// algorithms, identical in result to Date::FromYmd / Date::ymd (tests check it).
#ifndef KEYPROJ_SRC_CIVIL_DAYS_H_
#define KEYPROJ_SRC_CIVIL_DAYS_H_

#include <cstdint>

#include "keyproj/date.h"

namespace keyproj::internal::civil {

// Days since 1970-01-01 of a proleptic Gregorian date (month 1..12, day 1..31).
constexpr int32_t DaysFromCivil(int y, int m, int d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;                                  // [0, 399]
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;  // [0, 365]
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;          // [0, 146096]
  return era * 146097 + doe - 719468;
}

constexpr YearMonthDay CivilFromDays(int32_t z) {
  z += 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const int doe = z - era * 146097;                                      // [0, 146096]
  const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  // [0, 399]
  const int y = yoe + era * 400;
  const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);  // [0, 365]
  const int mp = (5 * doy + 2) / 153;                       // [0, 11]
  const int d = doy - (153 * mp + 2) / 5 + 1;               // [1, 31]
  const int m = mp < 10 ? mp + 3 : mp - 9;                  // [1, 12]
  return {y + (m <= 2), m, d};
}

constexpr bool IsLeapYear(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

constexpr int DaysInMonth(int y, int m) {
  constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeapYear(y) ? 29 : kDays[m - 1];
}

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
