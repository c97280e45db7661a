// Dates, months and the reporting periods of an as_of date.
//
// A Date is a day number (days since 1970-01-01, as the C ABI passes dates) and a
// Month is year * 12 + (month - 1): hot loops compare plain integers. The calendar
// itself -- validity, month lengths, day numbers -- is internal::civil below, the one
// calendar of keyproj (tests/date_test.cc checks it against Boost.Date_Time);
// internal/civil_days.h builds the generator's and the CSV writer's helpers on it.
#ifndef KEYPROJ_DATE_H_
#define KEYPROJ_DATE_H_

#include <algorithm>
#include <compare>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace keyproj {

// Storage sentinel for "not known" (an empty cell).
inline constexpr int32_t kNoDay = std::numeric_limits<int32_t>::min();
inline constexpr int32_t kNoMonth = std::numeric_limits<int32_t>::min();

struct YearMonthDay {
  int year;
  int month;  // 1..12
  int day;    // 1..31
};

class Date {
 public:
  constexpr Date() = default;
  static constexpr Date FromDays(int32_t days) { return Date(days); }
  // Validates the calendar (2023-02-29 is not a date); years 1900..9999.
  static std::optional<Date> FromYmd(int year, int month, int day);
  // Accepts YYYY-MM-DD, YYYY/MM/DD and YYYY年M月D日 (month and day with one or two
  // digits). Surrounding spaces are ignored.
  static std::optional<Date> Parse(std::string_view text);

  constexpr int32_t days() const { return days_; }
  YearMonthDay ymd() const;
  int year() const { return ymd().year; }
  std::string ToString() const;  // YYYY-MM-DD

  friend constexpr auto operator<=>(Date, Date) = default;

 private:
  constexpr explicit Date(int32_t days) : days_(days) {}
  int32_t days_ = 0;
};

class Month {
 public:
  constexpr Month() = default;
  static constexpr Month FromIndex(int32_t index) { return Month(index); }
  static constexpr Month FromYm(int year, int month) { return Month(year * 12 + month - 1); }
  static Month Of(Date d) {
    YearMonthDay ymd = d.ymd();
    return FromYm(ymd.year, ymd.month);
  }
  // Accepts YYYY-MM, YYYY/MM, YYYY年M月 (one- or two-digit month). A full date on
  // the 1st (2024/3/1, what Excel makes of "2024-03") is taken as its month.
  static std::optional<Month> Parse(std::string_view text);

  constexpr int32_t index() const { return index_; }
  constexpr int year() const { return FloorDiv(index_, 12); }
  constexpr int month() const { return index_ - year() * 12 + 1; }  // 1..12
  Date first_day() const;
  Date last_day() const;
  std::string ToString() const;  // YYYY-MM

  constexpr Month operator+(int n) const { return Month(index_ + n); }
  constexpr Month operator-(int n) const { return Month(index_ - n); }
  constexpr int operator-(Month o) const { return index_ - o.index_; }
  friend constexpr auto operator<=>(Month, Month) = default;

 private:
  static constexpr int FloorDiv(int a, int b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }
  constexpr explicit Month(int32_t index) : index_(index) {}
  int32_t index_ = 0;
};

// An inclusive range of months.
struct MonthRange {
  Month first;
  Month last;
  constexpr bool contains(Month m) const { return first <= m && m <= last; }
  constexpr int size() const { return last - first + 1; }
  friend constexpr bool operator==(MonthRange, MonthRange) = default;
};

// The periods every report is framed in, for one as_of date. An as_of in the middle
// of a month takes that whole month's row.
struct Periods {
  Date as_of;
  Month month;          // the month of as_of
  MonthRange ytd;       // January .. month: the "1-N月" of a report
  MonthRange prev_ytd;  // the same months a year earlier
  MonthRange quarter;   // the calendar quarter holding month, up to month
  int year;

  static Periods For(Date as_of);
};

// Whole months from `from` to `to` (to >= from): the calendar months between them,
// less one when to's day of the month is before from's (2024-01-31 -> 2024-02-29
// is 0 whole months, -> 2024-03-01 is 1; 2024-02-29 -> 2024-03-29 is 1). When to is
// before from: minus the whole months from `to` to `from`. reserve_age and
// signed_not_started count months since a date this way (docs/indicators.md).
inline int WholeMonths(Date from, Date to);
// The last day d <= to with WholeMonths(d, to) >= n (n >= 0): the day of to's month n
// months back, clamped to that month's length (to = 2024-03-31, n = 1: 2024-02-29).
// The pass compares day numbers with it instead of counting months per project;
// date_test checks the two agree.
inline Date MonthsBefore(Date to, int n);

// ---- the calendar ----------------------------------------------------------

// The proleptic Gregorian calendar on day numbers: Howard Hinnant's days_from_civil
// and civil_from_days, exact integer algorithms that need no table.
namespace internal::civil {

// Days since 1970-01-01 of a date (month 1..12, day 1..31; not validated).
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

// Days in month m (1..12) of year y.
constexpr int DaysInMonth(int y, int m) {
  constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeapYear(y) ? 29 : kDays[m - 1];
}

static_assert(DaysFromCivil(1970, 1, 1) == 0 && DaysFromCivil(2000, 3, 1) == 11017);
static_assert(CivilFromDays(11017).year == 2000 && CivilFromDays(11017).month == 3 && CivilFromDays(11017).day == 1);
static_assert(DaysInMonth(2024, 2) == 29 && DaysInMonth(1900, 2) == 28 && DaysInMonth(2000, 2) == 29);

}  // namespace internal::civil

// ---- inline implementation ------------------------------------------------

namespace date_internal {

// Reads 1..max_digits ASCII digits; false if none.
inline bool ReadInt(std::string_view s, size_t& i, int max_digits, int& out) {
  int n = 0, v = 0;
  while (i < s.size() && n < max_digits && s[i] >= '0' && s[i] <= '9') {
    v = v * 10 + (s[i] - '0');
    ++i;
    ++n;
  }
  out = v;
  return n > 0;
}
inline bool Eat(std::string_view s, size_t& i, std::string_view token) {
  if (s.substr(i, token.size()) != token) return false;
  i += token.size();
  return true;
}
inline std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}
// Whether s[i..] is a time of day that is midnight -- " 00:00", " 0:00:00",
// "T00:00:00.000" -- which Excel and WPS append to a date exported from a date-time
// cell. Any other time is not taken for a day: it is not a date.
inline bool MidnightAt(std::string_view s, size_t i) {
  if (i == s.size() || (s[i] != ' ' && s[i] != 'T')) return false;
  ++i;
  int h, mi, sec;
  if (!ReadInt(s, i, 2, h) || !Eat(s, i, ":")) return false;
  const size_t minute = i;
  if (!ReadInt(s, i, 2, mi) || i - minute != 2) return false;
  if (Eat(s, i, ":")) {
    const size_t second = i;
    if (!ReadInt(s, i, 2, sec) || i - second != 2 || sec != 0) return false;
    if (Eat(s, i, ".")) {
      const size_t fraction = i;
      while (i < s.size() && s[i] == '0') ++i;
      if (i == fraction) return false;
    }
  }
  return i == s.size() && h == 0 && mi == 0;
}

// Parses year, separator, month [, separator, day [日]], the separator one of - / .
// (2024-09-30, 2024/9/30, 2024.9.30; a month alone not with a dot) or 年月日; or the
// compact digits YYYYMMDD and, a month, YYYYMM. A day may be followed by a time of day that is midnight
// (MidnightAt). want_day: 1 = required, 0 = forbidden, -1 = optional. Returns false
// on any other shape.
inline bool ParseYmd(std::string_view s, int want_day, int& y, int& m, int& d) {
  s = Trim(s);
  size_t i = 0;
  if (!ReadInt(s, i, 4, y) || i != 4) return false;
  d = 0;
  if (i < s.size() && s[i] >= '0' && s[i] <= '9') {  // compact: 202409, 20240930
    if (!ReadInt(s, i, 2, m) || i != 6) return false;
    if (i == s.size()) return want_day != 1;
    if (!ReadInt(s, i, 2, d) || i != 8) return false;
    return want_day != 0 && (i == s.size() || MidnightAt(s, i));
  }
  enum { kDash, kSlash, kDot, kHan } sep;
  if (Eat(s, i, "-")) sep = kDash;
  else if (Eat(s, i, "/")) sep = kSlash;
  else if (Eat(s, i, ".")) sep = kDot;
  else if (Eat(s, i, "年")) sep = kHan;
  else return false;
  if (!ReadInt(s, i, 2, m)) return false;
  if (sep == kHan) {
    if (!Eat(s, i, "月")) return false;
    if (i == s.size()) return want_day != 1 && i == s.size();
    if (!ReadInt(s, i, 2, d) || !Eat(s, i, "日")) return false;
  } else {
    // A month alone never with a dot: "2024.10" saved from a number cell is "2024.1".
    if (i == s.size()) return want_day != 1 && sep != kDot;
    if (!Eat(s, i, sep == kDash ? "-" : sep == kSlash ? "/" : ".")) return false;
    if (!ReadInt(s, i, 2, d)) return false;
  }
  return want_day != 0 && (i == s.size() || MidnightAt(s, i));
}
}  // namespace date_internal

inline std::optional<Date> Date::FromYmd(int year, int month, int day) {
  if (year < 1900 || year > 9999 || month < 1 || month > 12 || day < 1) return std::nullopt;
  if (day > internal::civil::DaysInMonth(year, month)) return std::nullopt;
  return Date(internal::civil::DaysFromCivil(year, month, day));
}

inline YearMonthDay Date::ymd() const { return internal::civil::CivilFromDays(days_); }

inline std::optional<Date> Date::Parse(std::string_view text) {
  int y, m, d;
  if (!date_internal::ParseYmd(text, 1, y, m, d)) return std::nullopt;
  return FromYmd(y, m, d);
}

inline std::optional<Month> Month::Parse(std::string_view text) {
  int y, m, d;
  if (!date_internal::ParseYmd(text, -1, y, m, d)) return std::nullopt;
  if (y < 1900 || m < 1 || m > 12) return std::nullopt;
  if (d != 0 && d != 1) return std::nullopt;  // only the 1st stands for a month
  return FromYm(y, m);
}

// Total over every Month, also those that arithmetic takes outside the years a
// parsed Date may have (the year before 1900-01, the month after 9999-12).
inline Date Month::first_day() const { return Date::FromDays(internal::civil::DaysFromCivil(year(), month(), 1)); }
inline Date Month::last_day() const {
  return Date::FromDays(internal::civil::DaysFromCivil(year(), month(), internal::civil::DaysInMonth(year(), month())));
}

namespace date_internal {
// Appends v with at least `width` digits (a year before 0, which only arithmetic
// makes, gets its sign in front).
inline void AppendPadded(std::string& out, int v, int width) {
  if (v < 0) {
    out += '-';
    v = -v;
  }
  std::string digits = std::to_string(v);
  if (static_cast<int>(digits.size()) < width) out.append(width - digits.size(), '0');
  out += digits;
}
}  // namespace date_internal

inline std::string Date::ToString() const {
  YearMonthDay v = ymd();
  std::string out;
  date_internal::AppendPadded(out, v.year, 4);
  out += '-';
  date_internal::AppendPadded(out, v.month, 2);
  out += '-';
  date_internal::AppendPadded(out, v.day, 2);
  return out;
}

inline std::string Month::ToString() const {
  std::string out;
  date_internal::AppendPadded(out, year(), 4);
  out += '-';
  date_internal::AppendPadded(out, month(), 2);
  return out;
}

inline int WholeMonths(Date from, Date to) {
  if (to < from) return -WholeMonths(to, from);
  const YearMonthDay a = from.ymd(), b = to.ymd();
  return (b.year * 12 + b.month) - (a.year * 12 + a.month) - (b.day < a.day ? 1 : 0);
}

inline Date MonthsBefore(Date to, int n) {
  const YearMonthDay v = to.ymd();
  const Month m = Month::FromYm(v.year, v.month) - n;
  const int day = std::min(v.day, internal::civil::DaysInMonth(m.year(), m.month()));
  return Date::FromDays(internal::civil::DaysFromCivil(m.year(), m.month(), day));
}

inline Periods Periods::For(Date as_of) {
  Periods p;
  p.as_of = as_of;
  p.month = Month::Of(as_of);
  p.year = p.month.year();
  p.ytd = {Month::FromYm(p.year, 1), p.month};
  p.prev_ytd = {p.ytd.first - 12, p.ytd.last - 12};
  p.quarter = {Month::FromYm(p.year, (p.month.month() - 1) / 3 * 3 + 1), p.month};
  return p;
}

}  // namespace keyproj

#endif  // KEYPROJ_DATE_H_
