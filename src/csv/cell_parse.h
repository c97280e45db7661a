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

// ---- Money units ----------------------------------------------------------------------

struct MoneyUnit {
  std::string_view name;  // "元"
  int decimals;           // decimals a value may have: 分 is 10^-decimals of the unit
  int64_t fen;            // 分 per unit
};
inline constexpr MoneyUnit kMoneyUnits[] = {
    {"元", 2, 100}, {"千元", 5, 100'000}, {"万元", 6, 1'000'000}, {"亿元", 10, 10'000'000'000}};
inline constexpr int kWanUnit = 2;  // kMoneyUnits[kWanUnit] is 万元, the ledger's own

// ---- Spellings a sheet may hold -------------------------------------------------------
// Read only when a cell is not in the usual spelling (the fast paths are untouched):
// the same value written another way, never a guess.

// The cell with full-width digits and signs (０-９, ．, ，, －, ＋: what a Chinese input
// method types) made ASCII, or nullopt when it has none.
inline std::optional<std::string> HalfWidthNumber(std::string_view s) {
  if (s.find("\xEF\xBC") == std::string_view::npos) return std::nullopt;
  std::string out;
  bool changed = false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (i + 2 < s.size() && s[i] == '\xEF' && s[i + 1] == '\xBC') {
      const auto c = static_cast<unsigned char>(s[i + 2]);
      // U+FF10-FF19 are EF BC 90-99; U+FF0B + , U+FF0C , , U+FF0D - , U+FF0E . .
      if ((c >= 0x90 && c <= 0x99) || (c >= 0x8B && c <= 0x8E)) {
        out.push_back(c >= 0x90 ? static_cast<char>('0' + (c - 0x90)) : "+,-."[c - 0x8B]);
        i += 2;
        changed = true;
        continue;
      }
    }
    out.push_back(s[i]);
  }
  if (!changed) return std::nullopt;
  return out;
}

// An amount written with its own unit after it ("1.2亿", "350万元", "4,500元"), its digits
// perhaps full-width: read exactly in that unit (万 and 亿 alone are 万元 and 亿元),
// whatever the column's. nullopt when the cell is spelled no other way than the usual
// (its reason stays the usual one); else *e says whether it was read.
inline std::optional<Money> SpelledMoney(std::string_view s, MoneyParseError* e) {
  const std::optional<std::string> half = HalfWidthNumber(s);
  std::string_view t = half ? std::string_view(*half) : s;
  while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.remove_suffix(1);
  int unit = -1;
  size_t unit_bytes = 0;
  for (int u = 0; u < static_cast<int>(std::size(kMoneyUnits)); ++u) {
    const std::string_view name = kMoneyUnits[u].name;                  // "万元"
    const std::string_view bare = name.substr(0, name.size() - std::string_view("元").size());  // "万"
    for (const std::string_view word : {name, bare}) {
      if (!word.empty() && word.size() > unit_bytes && t.size() > word.size() && t.ends_with(word)) {
        unit = u;
        unit_bytes = word.size();
      }
    }
  }
  if (unit < 0 && !half) return std::nullopt;
  if (unit >= 0) {
    t.remove_suffix(unit_bytes);
  } else {
    unit = kWanUnit;  // only the digits were full-width: the column's 万元
  }
  Money m;
  *e = Money::ParseIn(t, kMoneyUnits[unit].decimals, kMoneyUnits[unit].fen, &m);
  return m;
}

// For a money cell not in the usual spelling (*e its error): whether to go on with *m
// and *e -- read in another spelling (SpelledMoney), *e now kOk, or not so spelled,
// *e as it was -- or not (false: spelled so but finer than 1 分 in its unit, *reason
// set).
inline bool SpelledMoneyCell(std::string_view s, Money* m, MoneyParseError* e, std::string* reason) {
  MoneyParseError spelled_e;
  const std::optional<Money> spelled = SpelledMoney(s, &spelled_e);
  if (!spelled) return true;
  if (spelled_e == MoneyParseError::kTooPrecise) {
    *reason = Cat("finer than 1 分 in the unit it is written in; keyproj never rounds input: '", s, "'");
    return false;
  }
  if (spelled_e == MoneyParseError::kOk) {
    *m = *spelled;
    *e = spelled_e;
  }
  return true;
}

// Whether a date cell is a number Excel keeps a date as (days since 1899-12-30): what a
// CSV holds when the column was not formatted as a date before it was saved. Only the
// serials of 1955-2099 are taken for one; the date it stands for is in *date.
inline bool ExcelDateSerial(std::string_view s, Date* date) {
  if (s.size() != 5) return false;
  int32_t n = 0;
  for (const char c : s) {
    if (!cell_internal::Digit(c)) return false;
    n = n * 10 + (c - '0');
  }
  constexpr int32_t kSerialOf1970 = 25569;  // 1970-01-01
  if (n < 20090 || n > 73050) return false;  // 1955-01-01 .. 2099-12-31
  *date = Date::FromDays(n - kSerialOf1970);
  return true;
}

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
  if (e != MoneyParseError::kOk && !SpelledMoneyCell(s, &m, &e, reason)) return std::nullopt;
  if (e == MoneyParseError::kOk && m.fen() < 0 && !allow_negative) e = MoneyParseError::kNegative;
  if (e != MoneyParseError::kOk) {
    *reason = Cat(LooksScientific(s) ? kScientific : IsNoneMark(s) ? kNoneMark : MoneyParseErrorText(e), ": '", s, "'");
    return std::nullopt;
  }
  return m;
}

inline std::optional<Date> DateCell(std::string_view s, std::string* reason) {
  std::optional<Date> d = ParseDateFast(s);
  if (!d) {
    if (const std::optional<std::string> half = HalfWidthNumber(s)) d = Date::Parse(*half);
  }
  if (!d) {
    Date serial;
    *reason = ExcelDateSerial(s, &serial)
                  ? Cat("a number, not a date: Excel keeps ", serial.ToString(), " as ", s,
                        ", and a CSV saved from a column not formatted as a date holds that number (format the "
                        "column as a date, yyyy-mm-dd, and save the CSV again; or write ", serial.ToString(), ")")
                  : Cat(kNotADate, ": '", s, "'");
  }
  return d;
}

inline std::optional<Month> MonthCell(std::string_view s, std::string* reason) {
  std::optional<Month> m = ParseMonthFast(s);
  if (!m) {
    if (const std::optional<std::string> half = HalfWidthNumber(s)) m = Month::Parse(*half);
  }
  if (!m) *reason = Cat(kNotAMonth, ": '", s, "'");
  return m;
}

// A 4-digit year 1900..9999, optionally followed by 年.
inline std::optional<int> YearCell(std::string_view s, std::string* reason) {
  using cell_internal::Digit;
  const std::optional<std::string> half = s.size() > 4 ? HalfWidthNumber(s) : std::nullopt;
  std::string_view t = half ? std::string_view(*half) : s;
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
  const std::optional<std::string> half = s.size() != 6 ? HalfWidthNumber(s) : std::nullopt;
  const std::string_view t = half ? std::string_view(*half) : s;
  bool digits = t.size() == 6;
  int32_t region = 0;
  for (size_t i = 0; digits && i < t.size(); ++i) {
    digits = cell_internal::Digit(t[i]);
    region = region * 10 + (t[i] - '0');
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
    *reason = Cat("not a yes/no value (1/0, 是/否, √/×, yes/no, true/false, Y/N): '", s, "'");
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
