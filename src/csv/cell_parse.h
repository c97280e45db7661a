// Internal: the rules of a ledger cell, shared by every source that reads cells --
// the CSV loader (loader.cc) and the column arrays of the C ABI (column_import.cc) --
// so that a cell means the same, and a bad one is reported in the same words,
// whichever way it came in.
//
// The fast paths (ParseDateFast, ParseMonthFast) handle the common spelling only and
// fall back to the general parser (Date::Parse, Month::Parse) for everything else, so
// the accepted language is exactly the general one.
#ifndef KEYPROJ_SRC_CSV_CELL_PARSE_H_
#define KEYPROJ_SRC_CSV_CELL_PARSE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "keyproj/classification.h"
#include "keyproj/date.h"
#include "keyproj/enum_table.h"
#include "keyproj/industry.h"
#include "keyproj/internal/text.h"
#include "keyproj/ledger.h"
#include "keyproj/money.h"
#include "keyproj/problem_kind.h"

namespace keyproj::internal {

// Trims ASCII spaces and tabs and U+3000 (full-width space, E3 80 80) from both ends;
// line breaks (in a quoted cell) are content. The usual cell neither starts nor ends
// with one of them: it is returned at once (every cell of a load passes here).
inline std::string_view TrimCell(std::string_view s) {
  if (s.empty()) return s;
  const char a = s.front(), z = s.back();
  if (a != ' ' && a != '\t' && a != '\xE3' && z != ' ' && z != '\t' && z != '\x80') return s;
  return TrimSpaces(s, " \t");
}

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

// ---- The value of a cell -------------------------------------------------------------
// Each *Cell function takes the trimmed, non-empty text of a cell and returns its value,
// or nullopt with *reason set to what is reported for it ("not a date (...): '2024-13-01'").
// An empty cell is "not known" and never reaches them; whether it may be empty is the
// column's business (kRequiredCell).

inline constexpr std::string_view kRequiredCell = "required: the cell is empty";
inline constexpr std::string_view kNotADate =
    "not a date (YYYY-MM-DD, YYYY/MM/DD, YYYY.MM.DD, YYYYMMDD or YYYY年M月D日; a time of day only 00:00:00)";
inline constexpr std::string_view kNotAMonth = "not a month (YYYY-MM, YYYY/MM, YYYYMM or YYYY年M月)";
inline constexpr std::string_view kNotAYear = "not a year (four digits, 1900-9999)";

// 万元 as an exact decimal; negative only where the column allows it (monthly
// investment: a correction).
// Whether a cell that is no amount is a number in scientific notation ("1.2E+07",
// "3.277e6"): Excel shows a long number so, and a CSV saved from the sheet keeps it.
// Its digits past the shown ones are gone, so it is not read; the reason says how to
// save it whole instead of calling it no number (or, in a file of 元, too fine).
inline bool LooksScientific(std::string_view s) {
  s = TrimCell(s);
  size_t i = 0, digits = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  for (; i < s.size() && ((s[i] >= '0' && s[i] <= '9') || s[i] == '.'); ++i) digits += s[i] != '.';
  if (digits == 0 || i >= s.size() || (s[i] != 'E' && s[i] != 'e')) return false;
  ++i;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  const size_t exponent = i;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  return i == s.size() && i > exponent;
}
inline constexpr std::string_view kScientific =
    "scientific notation, as Excel shows a long number: the digits it does not show are lost, so it is not read "
    "(format the column as 数值 with its decimals, or as 文本, and save the CSV again)";

// Whether a cell is a sheet's mark for "none" (-, —, /, 无): whether it means nothing
// reported or 0 is the bureau's to say, so it is not read; the reason says how to
// write either.
inline bool IsNoneMark(std::string_view s) {
  s = TrimCell(s);
  for (std::string_view mark : {"-", "--", "—", "——", "–", "－", "/", "／", "无"}) {
    if (s == mark) return true;
  }
  return false;
}
inline constexpr std::string_view kNoneMark =
    "a mark, not an amount: leave the cell empty when nothing is reported, or write 0";

inline std::optional<Money> MoneyCell(std::string_view s, bool allow_negative, std::string* reason) {
  Money m;
  MoneyParseError e = Money::ParseWan(s, &m);
  if (e == MoneyParseError::kOk && m.fen() < 0 && !allow_negative) e = MoneyParseError::kNegative;
  if (e != MoneyParseError::kOk) {
    *reason = Cat(LooksScientific(s) ? kScientific : IsNoneMark(s) ? kNoneMark : MoneyParseErrorText(e), ": '", s, "'");
    return std::nullopt;
  }
  return m;
}

inline std::optional<Date> DateCell(std::string_view s, std::string* reason) {
  std::optional<Date> d = ParseDateFast(s);
  if (!d) *reason = Cat(kNotADate, ": '", s, "'");
  return d;
}

inline std::optional<Month> MonthCell(std::string_view s, std::string* reason) {
  std::optional<Month> m = ParseMonthFast(s);
  if (!m) *reason = Cat(kNotAMonth, ": '", s, "'");
  return m;
}

// A 4-digit year 1900..9999, optionally followed by 年.
inline std::optional<int> YearCell(std::string_view s, std::string* reason) {
  using cell_internal::Digit;
  std::string_view t = s;
  if (t.size() == 7 && t.substr(4) == "年") t = t.substr(0, 4);
  if (t.size() == 4 && Digit(t[0]) && Digit(t[1]) && Digit(t[2]) && Digit(t[3])) {
    const int y = (t[0] - '0') * 1000 + (t[1] - '0') * 100 + (t[2] - '0') * 10 + (t[3] - '0');
    if (y >= 1900) return y;
  }
  *reason = Cat(kNotAYear, ": '", s, "'");
  return std::nullopt;
}

// A 6-digit administrative division code (GB/T 2260). Whether its province exists is
// the builder's check (it also applies to a region filled from a national code).
inline std::optional<int32_t> RegionCell(std::string_view s, std::string* reason) {
  bool digits = s.size() == 6;
  int32_t region = 0;
  for (size_t i = 0; digits && i < s.size(); ++i) {
    digits = cell_internal::Digit(s[i]);
    region = region * 10 + (s[i] - '0');
  }
  if (!digits) {
    *reason = Cat("not a 6-digit administrative division code (GB/T 2260, e.g. 610402): '", s, "'");
    return std::nullopt;
  }
  if (region == 0) {
    *reason = "000000 is not an administrative division code";
    return std::nullopt;
  }
  return region;
}

inline std::optional<IndustryCode> IndustryCell(std::string_view s, std::string* reason) {
  std::optional<IndustryCode> code = ParseIndustryCode(s);
  if (!code) {
    *reason = Cat("not a GB/T 4754 industry code (a section letter A-T with optional division digits: C36, "
                  "E47, R): '", s, "'");
  }
  return code;
}

// A yes/no cell. 1 and 0 may also be written as decimals, "1.0" or "0.0": what
// pandas writes for a yes/no column with an empty cell (read as float64), and what
// the column arrays take as a double 1.0 or 0.0 -- the same value either way.
inline std::optional<Attracted> AttractedCell(std::string_view s, std::string* reason) {
  std::optional<YesNo> v = ParseEnum<YesNo>(s);
  if (!v && s.size() >= 2 && (s[0] == '0' || s[0] == '1') && s[1] == '.' &&
      s.find_first_not_of('0', 2) == std::string_view::npos) {
    v = s[0] == '1' ? YesNo::kYes : YesNo::kNo;
  }
  if (!v) {
    *reason = Cat("not a yes/no value (1/0, 是/否, yes/no, true/false, Y/N): '", s, "'");
    return std::nullopt;
  }
  return *v == YesNo::kYes ? Attracted::kYes : Attracted::kNo;
}

// A word of a vocabulary (enum_table.h); `what` names it in the message ("stage").
template <typename E>
std::optional<E> EnumCell(std::string_view s, std::string_view what, std::string* reason) {
  std::optional<E> e = ParseEnum<E>(s);
  if (!e) *reason = UnknownEnumValue<E>(what, s);
  return e;
}

// A ';'-separated list of constraint categories (monthly problems).
inline std::optional<ProblemSet> ProblemsCell(std::string_view s, std::string* reason) {
  std::string bad_item;
  std::optional<ProblemSet> set = ParseProblemSet(s, &bad_item);
  if (!set) *reason = UnknownEnumValue<ProblemKind>("problem kind", bad_item);
  return set;
}

// Tags separated by ';' or '；', each trimmed; empty ones dropped.
inline std::vector<std::string> SplitTags(std::string_view s) {
  std::vector<std::string> tags;
  size_t i = 0;
  while (i <= s.size()) {
    size_t end = s.size(), next = s.size() + 1;
    for (size_t j = i; j < s.size(); ++j) {
      if (s[j] == ';') {
        end = j;
        next = j + 1;
        break;
      }
      if (s.substr(j, 3) == "；") {
        end = j;
        next = j + 3;
        break;
      }
    }
    std::string_view tag = TrimCell(s.substr(i, end - i));
    if (!tag.empty()) tags.emplace_back(tag);
    i = next;
  }
  return tags;
}

// A currency as the builder keys its rates: 人民币/RMB are CNY, the rest upper case.
inline std::string NormalizeCurrency(std::string_view s) {
  if (s == "人民币" || EqualsIgnoreAsciiCase(s, "RMB")) return "CNY";
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

}  // namespace keyproj::internal

#endif  // KEYPROJ_SRC_CSV_CELL_PARSE_H_
