// ColumnLedgerBuilder: column arrays -> the records of table_rows.h -> LedgerBuilder.
//
// A batch is checked as a whole first (names, types, offsets, bitmaps: what makes the
// arrays unreadable), then read row by row through ColumnCells, which gives
// table_rows.h's Read*Record templates the same getters a CSV row gives them. Text
// cells go through cell_parse.h's rules unchanged; typed cells are converted exactly
// (scaled int64 -> 分, double -> its shortest decimal text, date32 -> Date) and then
// meet the same checks. The builder's own diagnostics (which name an English field
// and no column) are given the column's position and name at Build.
#include "keyproj/column_import.h"

#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <cmath>
#include <condition_variable>
#include <cstring>
#include <exception>
#include <limits>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "csv/cell_parse.h"
#include "csv/csv_schema.h"
#include "csv/layout.h"
#include "csv/table_rows.h"
#include "keyproj/encoding.h"
#include "keyproj/internal/civil_days.h"
#include "keyproj/internal/huge_pages.h"
#include "keyproj/internal/second_thread.h"
#include "keyproj/internal/text.h"
#include "keyproj/ledger_builder.h"
#include "keyproj/internal/no_throw.h"

namespace keyproj {

using internal::Cat;
using internal::CellKind;

namespace {

std::string_view TypeName(ColumnType t) {
  switch (t) {
    case ColumnType::kUtf8: return "utf8";
    case ColumnType::kCStr: return "cstr";
    case ColumnType::kInt64: return "int64";
    case ColumnType::kDouble: return "double";
    case ColumnType::kDate32: return "date32";
    case ColumnType::kBool: return "bool";
    case ColumnType::kInt32: return "int32";
  }
  return "";
}

std::string_view KindName(CellKind k) {
  switch (k) {
    case CellKind::kText: return "text";
    case CellKind::kMoney: return "an amount of 万元";
    case CellKind::kDate: return "a date";
    case CellKind::kMonth: return "a month";
    case CellKind::kYear: return "a year";
    case CellKind::kRegion: return "a division code";
    case CellKind::kYesNo: return "a yes/no value";
  }
  return "";
}

// The array types that may carry a kind of cell (text always can).
bool Accepts(CellKind k, ColumnType t) {
  if (t == ColumnType::kUtf8 || t == ColumnType::kCStr) return true;
  // Numbers where text is read -- pandas' int64 for a YYYYMMDD date or a YYYYMM
  // month, its float64 for a code column with an empty cell (610402.0), an int64 of
  // industry codes or problem ids -- are read as their decimal text, as the CSV cell
  // of that number would be (NumbersAsText).
  const bool number = t == ColumnType::kInt32 || t == ColumnType::kInt64 || t == ColumnType::kDouble;
  switch (k) {
    case CellKind::kText: return number;
    case CellKind::kMoney: return t == ColumnType::kInt64 || t == ColumnType::kInt32 || t == ColumnType::kDouble;
    case CellKind::kDate:
    case CellKind::kMonth: return t == ColumnType::kDate32 || number;
    case CellKind::kYear:
    case CellKind::kRegion: return t == ColumnType::kInt32 || t == ColumnType::kInt64 || t == ColumnType::kDouble;
    // 1/0 as numbers: what pandas makes of a yes/no column read from CSV (int64, or
    // float64 once a cell is empty).
    case CellKind::kYesNo:
      return t == ColumnType::kBool || t == ColumnType::kInt32 || t == ColumnType::kInt64 || t == ColumnType::kDouble;
  }
  return false;
}

// Whether row r of a column has no value: a clear validity bit, a NULL CSTR pointer,
// a NaN double (kp_column's "missing").
[[gnu::always_inline]] inline bool CellMissing(const ColumnView& c, size_t r) {
  return (c.validity != nullptr && ((c.validity[r >> 3] >> (r & 7)) & 1) == 0) ||
         (c.type == ColumnType::kCStr && static_cast<const char* const*>(c.values)[r] == nullptr) ||
         (c.type == ColumnType::kDouble && std::isnan(static_cast<const double*>(c.values)[r]));
}

// Why a cell whose byte at offset `bad` (0-based) is not UTF-8 is refused: counted
// from 1, as a person counts.
[[gnu::cold]] std::string NotUtf8(size_t bad) { return Cat("not valid UTF-8 (byte ", bad + 1, " of the cell)"); }

// The bytes of row r of a utf8 or cstr column, as given; r is present (not
// CellMissing: a cstr cell's pointer is not NULL).
[[gnu::always_inline]] inline std::string_view TextBytes(const ColumnView& c, size_t r) {
  if (c.type == ColumnType::kUtf8) {
    const int32_t begin = c.offsets[r];
    return std::string_view(static_cast<const char*>(c.values) + begin, static_cast<size_t>(c.offsets[r + 1] - begin));
  }
  return static_cast<const char* const*>(c.values)[r];
}

// Whether every one of a column's `rows` cells is missing: such a column holds
// nothing of its type, so any type will do -- an optional column left empty comes out
// of pandas as float64 NaN whatever the field holds. Only asked of a column whose
// type the field does not take, and only after its arrays were checked.
bool AllCellsMissing(const ColumnView& c, size_t rows) {
  if (rows == 0) return false;  // nothing to tell the type by: the type must fit
  for (size_t r = 0; r < rows; ++r) {
    if (!CellMissing(c, r)) return false;
  }
  return true;
}

std::string AcceptedTypes(CellKind k) {
  std::string out;
  for (int t = 1; t <= 7; ++t) {
    if (Accepts(k, static_cast<ColumnType>(t))) {
      internal::Append(&out, out.empty() ? "" : ", ", TypeName(static_cast<ColumnType>(t)));
    }
  }
  return out;
}

constexpr int64_t kPow10[] = {1,
                              10,
                              100,
                              1000,
                              10000,
                              100000,
                              1000000,
                              10000000,
                              100000000,
                              1000000000,
                              10000000000,
                              100000000000,
                              1000000000000,
                              10000000000000,
                              100000000000000,
                              1000000000000000,
                              10000000000000000,
                              100000000000000000,
                              1000000000000000000};
constexpr int kMaxScale = 18;

// The dates a cell may hold (Date::FromYmd's years), as date32.
constexpr int32_t kFirstDay = internal::civil::DaysFromCivil(1900, 1, 1);
constexpr int32_t kLastDay = internal::civil::DaysFromCivil(9999, 12, 31);

// Why a date32 cell is outside the years a Date holds.
[[gnu::cold]] std::string Date32Range(int32_t days) {
  return Cat("date32 ", days, " is outside 1900-01-01 to 9999-12-31 (", kFirstDay, " to ", kLastDay, ")");
}

// A date32 cell as a Date, or nullopt with *reason set when it is outside the years a
// Date holds.
std::optional<Date> Date32(int32_t days, std::string* reason) {
  if (days >= kFirstDay && days <= kLastDay) [[likely]] return Date::FromDays(days);
  *reason = Date32Range(days);
  return std::nullopt;
}

// v / 10^scale as plain decimal text: "-12.3456".
std::string ScaledText(int64_t v, int scale) {
  const bool negative = v < 0;
  // The magnitude as unsigned: INT64_MIN has no positive int64.
  uint64_t m = negative ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
  std::string digits = std::to_string(m);
  if (scale > 0) {
    if (digits.size() <= static_cast<size_t>(scale)) digits.insert(0, static_cast<size_t>(scale) + 1 - digits.size(), '0');
    digits.insert(digits.size() - static_cast<size_t>(scale), ".");
  }
  return negative ? "-" + digits : digits;
}

// A finite double's shortest round-trip digits: v = sign 0.d1d2d3... x 10^(exponent + 1),
// digits without trailing zeros ("0" for zero).
struct ShortestDigits {
  std::string sign;  // "-" or ""
  std::string digits;
  int exponent = 0;
};
ShortestDigits Shortest(double v) {
  char buf[64];
  const std::to_chars_result r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  std::string_view sci(buf, static_cast<size_t>(r.ptr - buf));  // "-1.2345e+03"
  ShortestDigits out;
  if (!sci.empty() && sci.front() == '-') {
    out.sign = "-";
    sci.remove_prefix(1);
  }
  const size_t e = sci.find('e');
  for (char c : sci.substr(0, e)) {
    if (c != '.') out.digits.push_back(c);
  }
  std::from_chars(sci.data() + e + (sci[e + 1] == '+' ? 2 : 1), sci.data() + sci.size(), out.exponent);
  while (out.digits.size() > 1 && out.digits.back() == '0') out.digits.pop_back();
  return out;
}

// A finite double as the plain decimal of its shortest round-trip digits (what
// Python's repr prints, without an exponent and without a trailing ".0"):
// 0.1 -> "0.1", 1e-07 -> "0.0000001", 12345.0 -> "12345".
std::string DoubleText(double v) {
  const ShortestDigits d = Shortest(v);
  if (d.digits == "0") return "0";
  std::string out = d.sign;
  const int point = d.exponent + 1;  // digits before the decimal point
  if (point <= 0) {
    out += "0.";
    out.append(static_cast<size_t>(-point), '0');
    out += d.digits;
  } else if (static_cast<size_t>(point) >= d.digits.size()) {
    out += d.digits;
    out.append(static_cast<size_t>(point) - d.digits.size(), '0');
  } else {
    out += d.digits.substr(0, static_cast<size_t>(point));
    out += '.';
    out += d.digits.substr(static_cast<size_t>(point));
  }
  return out;
}

// A double as Python's repr writes it (and so pandas' to_csv): its shortest
// round-trip digits, in fixed notation with at least one decimal ("1.0") while the
// decimal exponent is in [-4, 16), else as d.ddde+XX ("1e+16", "1.5e-05"); "-0.0",
// "inf", "-inf". The text an extra cell keeps of a double, so that a DataFrame's
// extra column is kept as its CSV would be.
std::string ReprText(double v) {
  if (std::isinf(v)) return v < 0 ? "-inf" : "inf";
  const ShortestDigits d = Shortest(v);
  const std::string& digits = d.digits;
  const int exponent = d.exponent;
  std::string out = d.sign;
  if (exponent < -4 || exponent >= 16) {
    out += digits.substr(0, 1);
    if (digits.size() > 1) internal::Append(&out, ".", digits.substr(1));
    internal::Append(&out, "e", exponent < 0 ? "-" : "+", std::abs(exponent) < 10 ? "0" : "", std::abs(exponent));
    return out;
  }
  if (exponent < 0) {
    out += "0.";
    out.append(static_cast<size_t>(-exponent - 1), '0');
    return out + digits;
  }
  const auto point = static_cast<size_t>(exponent) + 1;  // digits before the decimal point
  if (digits.size() <= point) return out + digits + std::string(point - digits.size(), '0') + ".0";
  return out + digits.substr(0, point) + "." + digits.substr(point);
}

// A double's text for the exact decimal parsers: the plain decimal of its shortest
// round-trip digits (DoubleText) in `buf`, without allocating. Below 2^53 every digit
// of the integer part is needed to round-trip, so std::to_chars' shortest fixed form
// is those digits; above, it prints the binary value's exact digits where DoubleText
// pads the shortest ones with zeros, so those (out of range for every field anyway)
// take DoubleText.
std::string_view DoubleDigits(double v, std::span<char, 32> buf, std::string* big) {
  if (v == 0) return "0";  // also -0.0, which DoubleText gives as "0"
  if (std::fabs(v) < 9007199254740992.0) {
    const std::to_chars_result r = std::to_chars(buf.data(), buf.data() + buf.size(), v, std::chars_format::fixed);
    if (r.ec == std::errc()) return std::string_view(buf.data(), static_cast<size_t>(r.ptr - buf.data()));
  }
  *big = DoubleText(v);
  return *big;
}

// A number column read where text is (Accepts): its cells as the decimal text a CSV
// cell of the number would hold -- an int's digits, a double's shortest fixed form
// (610402.0 is "610402", 0.1 "0.1") -- in a utf8 column of its own, missing cells
// missing. Nullopt and *why for an infinite double (no text a CSV would hold) or a
// batch whose text would not fit a utf8 column's int32 offsets.
struct NumbersAsText {
  std::string bytes;
  std::vector<int32_t> offsets;
  std::vector<uint8_t> validity;
  ColumnView view;
};
std::optional<std::string> ToText(const ColumnView& c, size_t rows, int64_t first_line, NumbersAsText* out) {
  out->offsets.assign(rows + 1, 0);
  out->validity.assign((rows + 7) / 8, 0);
  char buf[32];
  std::string big;
  for (size_t r = 0; r < rows; ++r) {
    const bool missing = (c.validity != nullptr && ((c.validity[r >> 3] >> (r & 7)) & 1) == 0) ||
                         (c.type == ColumnType::kDouble && std::isnan(static_cast<const double*>(c.values)[r]));
    if (!missing) {
      std::string_view text;
      if (c.type == ColumnType::kDouble) {
        const double v = static_cast<const double*>(c.values)[r];
        if (!std::isfinite(v)) {
          return Cat("double ", v < 0 ? "-inf" : "inf", " at row ", first_line + static_cast<int64_t>(r),
                     " is no text (give the cell as missing, NaN)");
        }
        text = DoubleDigits(v, buf, &big);
      } else {
        const int64_t n = c.type == ColumnType::kInt32 ? static_cast<const int32_t*>(c.values)[r]
                                                       : static_cast<const int64_t*>(c.values)[r];
        text = std::string_view(buf, static_cast<size_t>(std::to_chars(buf, buf + sizeof buf, n).ptr - buf));
      }
      out->bytes.append(text);
      out->validity[r >> 3] |= static_cast<uint8_t>(1u << (r & 7));
    }
    if (out->bytes.size() > static_cast<size_t>(INT32_MAX)) return std::string("too much text for one batch: split it");
    out->offsets[r + 1] = static_cast<int32_t>(out->bytes.size());
  }
  out->view = ColumnView{c.name, ColumnType::kUtf8, 0, out->bytes.data(), out->offsets.data(), out->validity.data(),
                         out->validity.size()};
  return std::nullopt;
}

// A scaled int64 of 万元 as 分 by the rules of Money::ParseWan (at most 6 places of
// 万元, i.e. 1 分; within int64 分): kOk and *fen, or why not.
[[gnu::always_inline]] inline MoneyParseError ScaledFen(int64_t v, int scale, bool allow_negative, int64_t* fen) {
  MoneyParseError e = MoneyParseError::kOk;
  if (scale <= kWanDecimals) {
    if (__builtin_mul_overflow(v, kPow10[kWanDecimals - scale], fen) || *fen == kNoMoney) {
      e = MoneyParseError::kOutOfRange;
    }
  } else {
    const int64_t d = kPow10[scale - kWanDecimals];
    if (v % d != 0) {
      e = MoneyParseError::kTooPrecise;
    } else {
      *fen = v / d;
    }
  }
  if (e == MoneyParseError::kOk && *fen < 0 && !allow_negative) e = MoneyParseError::kNegative;
  return e;
}

[[gnu::cold]] std::string ScaledMoneyError(MoneyParseError e, int64_t v, int scale) {
  return Cat(MoneyParseErrorText(e), ": '", ScaledText(v, scale), "'");
}

// A column of the batch bound to a field.
struct Binding {
  const ColumnView* col = nullptr;  // null: the batch has no column for the field
  int position = 0;                 // 1-based, in the call
  bool required = false;
  // A money column named in a unit of its own ("总投资（元）"): its kMoneyUnits index,
  // its cells converted exactly as a CSV file's under that header; -1: 万元.
  int unit = -1;
};

// A scaled int64 (or int32, scale 0) amount in kMoneyUnits[unit] as 分, exactly: kOk
// and *fen, or why not.
[[gnu::cold]] MoneyParseError ScaledFenIn(int64_t v, int scale, int unit, bool allow_negative, int64_t* fen) {
  const int128 scaled = static_cast<int128>(v) * internal::kMoneyUnits[unit].fen;
  const auto divisor = static_cast<int128>(kPow10[scale]);
  if (scaled % divisor != 0) return MoneyParseError::kTooPrecise;
  const int128 f = scaled / divisor;
  if (f > std::numeric_limits<int64_t>::max() || f <= std::numeric_limits<int64_t>::min()) {
    return MoneyParseError::kOutOfRange;
  }
  *fen = static_cast<int64_t>(f);
  if (*fen < 0 && !allow_negative) return MoneyParseError::kNegative;
  return MoneyParseError::kOk;
}

// The batch's columns that name no field, as the table's extra columns: the CSV
// loader keeps a file's unknown columns (ledger-format.md: "kept and ignored, never
// an error"), and a DataFrame read from such a file has them too. Each row's cells
// as text, in the order of the table's extra headers (an earlier batch's first):
// text as given, trimmed; int64 as its decimal with `scale` places; int32 as its
// digits; a double as Python's repr writes it (ReprText); date32 as YYYY-MM-DD; bool as
// True or False (as pandas writes a bool to CSV, and reads it back as bool); a
// missing cell, or a header this batch has no column for, as "".
struct ExtraCells {
  size_t width = 0;                     // the table's extra headers
  std::vector<std::string_view> cells;  // rows * width, row by row
  std::vector<std::string> owned;       // the texts of typed cells, which cells view
  std::vector<uint8_t> unreadable;      // per row (empty: none): a cell not text (reported)
};

// Whether every cell of rows [first, end) of a utf8 column is valid UTF-8, checked in
// one pass over their bytes (plus: no cell but the first starts inside a character;
// the first's start is the range's), instead of cell by cell.
bool AllCellsValidUtf8(const ColumnView& c, size_t first, size_t end) {
  const auto* bytes = static_cast<const unsigned char*>(c.values);
  const int32_t stop = c.offsets[end];
  if (FindInvalidUtf8(std::string_view(reinterpret_cast<const char*>(bytes) + c.offsets[first],
                                       static_cast<size_t>(stop - c.offsets[first]))) != std::string_view::npos) {
    return false;
  }
  for (size_t r = first + 1; r < end; ++r) {
    if (c.offsets[r] < stop && (bytes[c.offsets[r]] & 0xC0) == 0x80) return false;
  }
  return true;
}

// Rows are read a block at a time: each utf8 column's bytes of the block are checked
// in one pass just before its rows read them (ColumnCells::StartBlock), still in
// cache; and a big batch's blocks are what its two threads hand over (below). A
// block is about a megabyte of records: 8192 monthly rows, 2048 projects.
template <typename Record>
constexpr size_t kBlockRows = std::bit_floor((size_t{1} << 20) / sizeof(Record));
static_assert(kBlockRows<MonthlyRecord> == 8192, "tests/column_import_test.cc puts bad cells at these blocks' edges");

// One row of a batch, read by field: the Cells of table_rows.h. The getters' usual
// cases (a present, well-formed typed cell) are inline and allocate nothing; what a
// bad cell needs (its reason's text) is built out of line.
class ColumnCells {
 public:
  ColumnCells(const Binding* bindings, size_t fields, const std::string& file, LedgerBuilder& builder)
      : b_(bindings), memo_(fields), utf8_checked_(fields, false), file_(file), builder_(builder) {}

  // Before the rows [first, end): which utf8 columns are valid UTF-8 throughout them
  // (their cells then need no check of their own).
  void StartBlock(size_t first, size_t end) {
    for (size_t f = 0; f < utf8_checked_.size(); ++f) {
      const ColumnView* c = b_[f].col;
      utf8_checked_[f] = c != nullptr && c->type == ColumnType::kUtf8 && AllCellsValidUtf8(*c, first, end);
    }
  }

  void Start(size_t row, int64_t line) {
    row_ = row;
    line_ = line;
    bad_ = 0;
  }
  int64_t line() const { return line_; }
  internal::FieldMask bad() const { return bad_; }

  // The batch's extra cells (null: it has none), given to each row's record.
  void SetExtras(const ExtraCells* extras) { extras_ = extras; }
  template <typename Record>
  void FillExtras(Record& rec) const {
    if (extras_ == nullptr) return;
    const auto row = std::span<const std::string_view>(extras_->cells).subspan(row_ * extras_->width, extras_->width);
    if constexpr (std::is_same_v<decltype(rec.extras), std::span<const std::string_view>>) {
      rec.extras = row;  // the batch's cells outlive the call's rows
    } else {
      rec.extras.assign(row.begin(), row.end());
    }
  }

  [[gnu::noinline, gnu::cold]] void Bad(int f, std::string reason) {
    builder_.Report(Diagnostic{file_, line_, b_[f].position, std::string(b_[f].col->name), std::move(reason)});
    bad_ |= internal::FieldMask{1} << f;
  }

  [[gnu::always_inline]] std::string_view Text(int f) {
    const ColumnView* c = Present(f);
    if (c == nullptr) return {};
    std::string_view s = TextBytes(*c, row_);
    if (!utf8_checked_[f]) [[unlikely]] {
      if (const size_t bad = FindInvalidUtf8(s); bad != std::string_view::npos) {
        Bad(f, NotUtf8(bad));
        return {};
      }
    }
    s = internal::TrimCell(s);
    if (s.empty()) Missing(f);
    return s;
  }

  [[gnu::always_inline]] std::optional<Money> GetMoney(int f, bool allow_negative) {
    const ColumnView* c = Present(f);
    if (c == nullptr) return std::nullopt;
    if (b_[f].unit >= 0) [[unlikely]] return MoneyIn(f, c, b_[f].unit, allow_negative);
    if (c->type == ColumnType::kInt64 || c->type == ColumnType::kInt32) [[likely]] {
      // An int32 is whole 万元: its scale is 0 (a batch with another is refused).
      const int64_t v = c->type == ColumnType::kInt64 ? static_cast<const int64_t*>(c->values)[row_]
                                                      : static_cast<const int32_t*>(c->values)[row_];
      int64_t fen = 0;
      const MoneyParseError e = ScaledFen(v, c->scale, allow_negative, &fen);
      if (e == MoneyParseError::kOk) [[likely]] return Money::FromFen(fen);
      Bad(f, ScaledMoneyError(e, v, c->scale));
      return std::nullopt;
    }
    std::string why;
    std::optional<Money> m;
    if (c->type == ColumnType::kDouble) {
      char buf[32];
      std::string big;
      const std::optional<std::string_view> text = Double(f, c, buf, &big);
      if (!text) return std::nullopt;
      m = internal::MoneyCell(*text, allow_negative, &why);
    } else {
      const std::string_view s = Text(f);
      if (s.empty()) return std::nullopt;
      m = internal::MoneyCell(s, allow_negative, &why);
    }
    if (!m) Bad(f, std::move(why));
    return m;
  }

  // A money cell of a column named in another unit than 万元 (Binding::unit).
  [[gnu::noinline]] std::optional<Money> MoneyIn(int f, const ColumnView* c, int unit, bool allow_negative) {
    std::string why;
    std::optional<Money> m;
    if (c->type == ColumnType::kInt64 || c->type == ColumnType::kInt32) {
      const int64_t v = c->type == ColumnType::kInt64 ? static_cast<const int64_t*>(c->values)[row_]
                                                      : static_cast<const int32_t*>(c->values)[row_];
      int64_t fen = 0;
      const MoneyParseError e = ScaledFenIn(v, c->scale, unit, allow_negative, &fen);
      if (e == MoneyParseError::kOk) return Money::FromFen(fen);
      // The words of the CSV cell of the same text.
      internal::ScaledMoneyCell(ScaledText(v, c->scale), unit, allow_negative, &why);
    } else if (c->type == ColumnType::kDouble) {
      char buf[32];
      std::string big;
      const std::optional<std::string_view> text = Double(f, c, buf, &big);
      if (!text) return std::nullopt;
      m = internal::ScaledMoneyCell(*text, unit, allow_negative, &why);
    } else {
      const std::string_view s = Text(f);
      if (s.empty()) return std::nullopt;
      m = internal::ScaledMoneyCell(s, unit, allow_negative, &why);
    }
    if (!m) Bad(f, std::move(why));
    return m;
  }

  [[gnu::always_inline]] std::optional<Date> GetDate(int f) {
    const ColumnView* c = Present(f);
    if (c == nullptr) return std::nullopt;
    if (c->type == ColumnType::kDate32) [[likely]] {
      const int32_t days = static_cast<const int32_t*>(c->values)[row_];
      if (days >= kFirstDay && days <= kLastDay) [[likely]] return Date::FromDays(days);
      Bad(f, Date32Range(days));
      return std::nullopt;
    }
    std::string why;
    const std::string_view s = Text(f);
    if (s.empty()) return std::nullopt;
    std::optional<Date> d = internal::DateCell(s, &why);
    if (!d) Bad(f, std::move(why));
    return d;
  }

  [[gnu::always_inline]] std::optional<Month> GetMonth(int f) {
    const ColumnView* c = Present(f);
    if (c == nullptr) return std::nullopt;
    if (c->type == ColumnType::kDate32) [[likely]] {
      const int32_t days = static_cast<const int32_t*>(c->values)[row_];
      if (const std::optional<int32_t> month = internal::civil::MonthOfFirstDay(days); month && *month >= 0) [[likely]] {
        return Month::FromIndex(*month);
      }
    }
    return MonthSlow(f, c);
  }

  [[gnu::noinline]] std::optional<Month> MonthSlow(int f, const ColumnView* c) {
    std::string why;
    std::optional<Month> m;
    if (c->type == ColumnType::kDate32) {
      const int32_t days = static_cast<const int32_t*>(c->values)[row_];
      if (const std::optional<Date> d = Date32(days, &why)) {
        const YearMonthDay ymd = d->ymd();
        if (ymd.day == 1) return Month::FromYm(ymd.year, ymd.month);
        why = Cat(d->ToString(), " (date32 ", days, ") is not the 1st of its month: a month is given as its 1st day (",
                  Month::Of(*d).first_day().ToString(), ") or as text (", Month::Of(*d).ToString(), ")");
      }
    } else {
      const std::string_view s = Text(f);
      if (s.empty()) return std::nullopt;
      m = internal::MonthCell(s, &why);
    }
    if (!m) Bad(f, std::move(why));
    return m;
  }

  std::optional<int> GetYear(int f) { return Numeric<int>(f, internal::YearCell); }
  std::optional<int32_t> GetRegion(int f) { return Numeric<int32_t>(f, internal::RegionCell); }
  std::optional<IndustryCode> GetIndustry(int f) { return FromText<IndustryCode>(f, internal::IndustryCell); }

  std::optional<Attracted> GetAttracted(int f) {
    const ColumnView* c = Present(f);
    if (c == nullptr) return std::nullopt;
    if (c->type == ColumnType::kUtf8 || c->type == ColumnType::kCStr) {
      return FromText<Attracted>(f, internal::AttractedCell);
    }
    double v = 0;
    switch (c->type) {
      case ColumnType::kBool: v = static_cast<const uint8_t*>(c->values)[row_]; break;
      case ColumnType::kInt32: v = static_cast<const int32_t*>(c->values)[row_]; break;
      case ColumnType::kInt64: v = static_cast<double>(static_cast<const int64_t*>(c->values)[row_]); break;
      default: v = static_cast<const double*>(c->values)[row_]; break;  // kDouble (not NaN: Present)
    }
    if (v == 0 || v == 1) return v == 1 ? Attracted::kYes : Attracted::kNo;
    char buf[32];
    std::string big;
    if (const std::optional<std::string_view> shown = NumberText(f, c, buf, &big)) {  // else reported (inf)
      Bad(f, Cat(TypeName(c->type), " ", *shown, " is neither 0 nor 1"));
    }
    return std::nullopt;
  }

  // An enum's cell: the texts already read in this batch are remembered (a column of
  // a few ids repeated), so most rows compare a few bytes instead of searching the
  // enum's table of ids and labels.
  template <typename E>
  E GetEnum(int f, std::string_view what) {
    const std::string_view s = Text(f);
    if (s.empty()) return E::kUnknown;
    EnumMemo& memo = memo_[f];
    for (size_t k = 0; k < memo.size; ++k) {
      if (memo.text[k] == s) return static_cast<E>(memo.value[k]);
    }
    std::string why;
    const std::optional<E> v = internal::EnumCell<E>(s, what, &why);
    if (!v) {
      Bad(f, std::move(why));
      return E::kUnknown;
    }
    if (memo.size < EnumMemo::kSize) {
      memo.text[memo.size] = s;  // the caller's bytes: valid for this batch, as the memo is
      memo.value[memo.size++] = static_cast<int32_t>(*v);
    }
    return *v;
  }
  ProblemSet GetProblems(int f) { return FromText<ProblemSet>(f, internal::ProblemsCell).value_or(ProblemSet{0}); }

 private:
  struct EnumMemo {
    static constexpr size_t kSize = 16;
    std::array<std::string_view, kSize> text;
    std::array<int32_t, kSize> value{};
    size_t size = 0;
  };

  // The field's column when this row has a value there; reports a required one that
  // has none.
  [[gnu::always_inline]] const ColumnView* Present(int f) {
    const ColumnView* c = b_[f].col;
    if (c == nullptr) return nullptr;
    if (CellMissing(*c, row_)) {
      Missing(f);
      return nullptr;
    }
    return c;
  }
  [[gnu::always_inline]] void Missing(int f) {
    if (b_[f].required) [[unlikely]] Bad(f, std::string(internal::kRequiredCell));
  }

  // A double's decimal text (DoubleDigits, in buf or *big), or nullopt (reported)
  // when it is infinite.
  std::optional<std::string_view> Double(int f, const ColumnView* c, std::span<char, 32> buf, std::string* big) {
    const double v = static_cast<const double*>(c->values)[row_];
    if (!std::isfinite(v)) {
      Bad(f, Cat("double ", v < 0 ? "-inf" : "inf", " is not a number"));
      return std::nullopt;
    }
    return DoubleDigits(v, buf, big);
  }

  // The decimal text of a number cell (bool, int32, int64: its digits; double:
  // DoubleDigits), in buf or *big; nullopt (reported) for an infinite double.
  std::optional<std::string_view> NumberText(int f, const ColumnView* c, std::span<char, 32> buf, std::string* big) {
    int64_t n = 0;
    switch (c->type) {
      case ColumnType::kDouble: return Double(f, c, buf, big);
      case ColumnType::kBool: n = static_cast<const uint8_t*>(c->values)[row_]; break;
      case ColumnType::kInt32: n = static_cast<const int32_t*>(c->values)[row_]; break;
      default: n = static_cast<const int64_t*>(c->values)[row_]; break;  // kInt64
    }
    return std::string_view(buf.data(), static_cast<size_t>(std::to_chars(buf.data(), buf.data() + buf.size(), n).ptr - buf.data()));
  }

  // A text-only field's value by its cell rule.
  template <typename T, typename Parse>
  std::optional<T> FromText(int f, Parse parse) {
    const std::string_view s = Text(f);
    std::optional<T> v;
    if (s.empty()) return v;
    std::string why;
    v = parse(s, &why);
    if (!v) Bad(f, std::move(why));
    return v;
  }

  // A year or division code: an integer or double is read as its decimal text (in a
  // buffer on the stack) and meets the text's rule.
  template <typename T, typename Parse>
  std::optional<T> Numeric(int f, Parse parse) {
    const ColumnView* c = b_[f].col;
    std::optional<T> v;
    if (c == nullptr || c->type == ColumnType::kUtf8 || c->type == ColumnType::kCStr) return FromText<T>(f, parse);
    if (Present(f) == nullptr) return v;
    char buf[32];
    std::string big;
    const std::optional<std::string_view> text = NumberText(f, c, buf, &big);
    if (!text) return v;
    std::string why;
    v = parse(*text, &why);
    if (!v) Bad(f, std::move(why));
    return v;
  }

  const Binding* b_;
  const ExtraCells* extras_ = nullptr;
  std::vector<EnumMemo> memo_;  // per field
  std::vector<char> utf8_checked_;  // per field: a utf8 column valid throughout the block
  const std::string& file_;
  LedgerBuilder& builder_;
  size_t row_ = 0;
  int64_t line_ = 0;
  internal::FieldMask bad_ = 0;
};

// Reads the rows [first, end) of a batch one after another, row r into the record
// slot(r) (its strings keep their buffers from row to row: table_rows.h), the UTF-8
// checked a block at a time; then done(r, record, bad) -- bad: the fields whose cells
// were bad (the cells have reported them).
template <typename Record, typename Slot, typename Done>
void ReadRows(ColumnCells& cells, size_t first, size_t end, int64_t first_line, void (*read)(ColumnCells&, Record&),
              Slot slot, Done done) {
  for (size_t block = first; block < end; block += kBlockRows<Record>) {
    const size_t block_end = std::min(end, block + kBlockRows<Record>);
    cells.StartBlock(block, block_end);
    for (size_t r = block; r < block_end; ++r) {
      Record& rec = slot(r);
      cells.Start(r, first_line + static_cast<int64_t>(r));
      rec.line = cells.line();
      read(cells, rec);
      cells.FillExtras(rec);
      done(r, rec, cells.bad());
    }
  }
}

// The pages the calling thread will write its next rows to, faulted in by the
// reader while it would otherwise wait for the adding to catch up
// (LedgerBuilder::ColumnsAhead). Adding a row is the slower half of the two: in a
// profile of 10^6 projects with 24 months each through the arrays, the first writes
// to the monthly slots' fresh pages were over half of the adding thread's time,
// while the reader waited for about a third of its own. Faulted in a step of rows at
// a time, across every array, from where each array's written elements end to what
// the rows the batch has left will write (so little is faulted in that the batch
// will not write: a pool's estimate is its mean so far).
class AheadPages {
 public:
  // On the adding thread (which owns the builder), under the pipeline's lock: the
  // arrays of `table` as they are now, and `rows` rows to come.
  void Publish(const LedgerBuilder& builder, Table table, size_t rows) {
    builder.ColumnsAhead(table, &columns_);
    done_.resize(columns_.size());
    limit_.resize(columns_.size());
    bases_.resize(columns_.size(), 0);
    size_t row_bytes = 0;
    for (size_t c = 0; c < columns_.size(); ++c) {
      const LedgerBuilder::ColumnMemory& m = columns_[c];
      // An array that moved is faulted in afresh.
      done_[c] = bases_[c] != m.data ? m.size : std::max(done_[c], m.size);
      bases_[c] = m.data;
      limit_[c] = std::min(m.capacity, m.size + rows * m.per_row);
      row_bytes += m.element_bytes * m.per_row;
    }
    // Half a megabyte a step (well under a millisecond, but for an array's step that
    // starts a huge page: 2 MB at once): the reader looks at the blocks between
    // steps, so the adding thread, with a full ring of them, never waits for it.
    step_rows_ = row_bytes == 0 ? 0 : std::max<size_t>(256, (size_t{1} << 19) / row_bytes);
  }

  // On the reader, under the lock: the next step's address ranges, the next rows'
  // worth of each array; false when there is none (all faulted in, or the kernel
  // cannot).
  bool Take(std::vector<std::pair<uintptr_t, uintptr_t>>* step) {
    step->clear();
    if (!supported_) return false;
    for (size_t c = 0; c < columns_.size(); ++c) {
      const LedgerBuilder::ColumnMemory& m = columns_[c];
      if (done_[c] >= limit_[c]) continue;
      const size_t to = std::min(limit_[c], done_[c] + step_rows_ * m.per_row);
      step->emplace_back(m.data + done_[c] * m.element_bytes, m.data + to * m.element_bytes);
      done_[c] = to;
    }
    return !step->empty();
  }

  // On the reader, without the lock.
  void Fault(const std::vector<std::pair<uintptr_t, uintptr_t>>& step) {
    for (const auto& [begin, end] : step) {
      if (!internal::PrefaultForWrite(begin, end)) supported_ = false;
    }
  }

 private:
  std::vector<LedgerBuilder::ColumnMemory> columns_;
  std::vector<uintptr_t> bases_;
  std::vector<size_t> done_, limit_;  // per array: elements faulted in (or written), and to fault in
  size_t step_rows_ = 0;
  bool supported_ = true;  // the reader's alone
};

// A batch on two threads. A reader thread reads the cells of a block of rows into
// records -- every cell's checks and conversions -- while the calling thread hands
// the block before to the builder, row by row in order, as the one thread would:
// hand_over(record, bad) -- bad: the fields whose cells were bad (the reader has
// reported them: LedgerBuilder::Report is thread-safe). The reader touches
// nothing else of the builder's. A block's records are read in place and kept from
// block to block, so their strings keep their buffers; monthly records view the
// caller's arrays (valid for the call). Diagnostics are sorted at Build, so the ledger
// and its problems are those of the one thread. While the reader is ahead, it
// faults in the pages the calling thread's next rows of `table` go to (AheadPages).
// False, having read nothing, when no thread can be started (a host's thread limit):
// the caller then reads the batch on its own.
template <typename Record, typename HandOver>
bool ReadOnTwoThreads(const Binding* bindings, size_t fields, const ExtraCells* extras, const std::string& file,
                      LedgerBuilder& builder, Table table, size_t rows, int64_t first_line, void (*read)(ColumnCells&, Record&), HandOver hand_over) {
  // Blocks read ahead of the one being added: 16 are about 10 ms of adding, time for
  // the reader to fault in a few huge pages while it is ahead (AheadPages).
  constexpr size_t kInFlight = 16;
  constexpr size_t kRows = kBlockRows<Record>;
  const size_t blocks = (rows + kRows - 1) / kRows;
  struct Block {
    std::vector<Record> records;
    std::vector<internal::FieldMask> bad;
  };
  std::array<Block, kInFlight> ring;
  for (Block& block : ring) {
    block.records.resize(std::min(rows, kRows));
    block.bad.resize(std::min(rows, kRows));
  }
  std::mutex mu;
  std::condition_variable changed;
  size_t read_blocks = 0, added = 0;
  bool stop = false;           // the calling thread gave up (an exception): the reader stops
  std::exception_ptr failure;  // the reader's
  AheadPages ahead;
  ahead.Publish(builder, table, rows);
  auto reader_loop = [&] {
    try {
      ColumnCells cells(bindings, fields, file, builder);
      cells.SetExtras(extras);
      std::vector<std::pair<uintptr_t, uintptr_t>> step;
      for (size_t b = 0; b < blocks; ++b) {
        {
          std::unique_lock<std::mutex> lock(mu);
          while (!stop && b - added >= kInFlight) {
            if (ahead.Take(&step)) {
              lock.unlock();
              ahead.Fault(step);
              lock.lock();
            } else {
              changed.wait(lock);
            }
          }
          if (stop) return;
        }
        Block& out = ring[b % kInFlight];
        const size_t first = b * kRows;
        ReadRows(
            cells, first, std::min(rows, first + kRows), first_line, read,
            [&](size_t r) -> Record& { return out.records[r - first]; },
            [&](size_t r, const Record&, internal::FieldMask bad) { out.bad[r - first] = bad; });
        {
          std::lock_guard<std::mutex> lock(mu);
          read_blocks = b + 1;
        }
        changed.notify_all();
      }
    } catch (...) {
      std::lock_guard<std::mutex> lock(mu);
      failure = std::current_exception();
      changed.notify_all();
    }
  };
  std::thread reader;
  try {
    reader = std::thread(reader_loop);
  } catch (const std::system_error&) {
    return false;
  }
  auto finish = [&] {
    {
      std::lock_guard<std::mutex> lock(mu);
      stop = true;
    }
    changed.notify_all();
    reader.join();
  };
  try {
    for (size_t b = 0; b < blocks; ++b) {
      {
        std::unique_lock<std::mutex> lock(mu);
        changed.wait(lock, [&] { return failure != nullptr || read_blocks > b; });
        if (read_blocks <= b) break;  // the reader failed
      }
      const Block& in = ring[b % kInFlight];
      const size_t n = std::min(rows - b * kRows, kRows);
      for (size_t i = 0; i < n; ++i) {
        if constexpr (requires { builder.Prefetch(in.records[i]); }) builder.PrefetchAhead(in.records.data(), i, n);
        hand_over(in.records[i], in.bad[i]);
      }
      {
        std::lock_guard<std::mutex> lock(mu);
        added = b + 1;
        ahead.Publish(builder, table, rows - std::min(rows, added * kRows));
      }
      changed.notify_all();
    }
  } catch (...) {
    finish();
    throw;
  }
  finish();
  if (failure) std::rethrow_exception(failure);
  return true;
}

// An extra column's header: its name trimmed, as the CSV loader trims a header cell.
std::string_view ExtraName(const ColumnView& c) { return internal::TrimCell(c.name); }

// The extra cells of a batch's rows: `columns` (the batch's columns that name no
// field, with their positions) under `headers` (the table's extra headers, theirs
// among them). A cell that is not text -- bytes that are not UTF-8, a date32 outside
// the years of a date -- is reported and its row is not read, as a CSV row with a
// byte that is not UTF-8 is not.
ExtraCells ReadExtraCells(std::span<const std::pair<const ColumnView*, int>> columns,
                          std::span<const std::string> headers, size_t rows, int64_t first_line,
                          const std::string& file, LedgerBuilder& builder) {
  ExtraCells out;
  out.width = headers.size();
  out.cells.assign(rows * out.width, std::string_view());
  size_t typed = 0;
  for (const auto& [c, pos] : columns) typed += c->type == ColumnType::kUtf8 || c->type == ColumnType::kCStr ? 0 : rows;
  out.owned.reserve(typed);  // never grows: cells view its strings
  for (const auto& [c, pos] : columns) {
    const size_t at = static_cast<size_t>(std::find(headers.begin(), headers.end(), ExtraName(*c)) - headers.begin());
    auto unreadable = [&, c = c, pos = pos](size_t r, std::string reason) {
      builder.Report(Diagnostic{file, first_line + static_cast<int64_t>(r), pos, std::string(ExtraName(*c)),
                                Cat(reason, "; the row was not read")});
      if (out.unreadable.empty()) out.unreadable.assign(rows, 0);
      out.unreadable[r] = 1;
    };
    for (size_t r = 0; r < rows; ++r) {
      if (CellMissing(*c, r)) continue;
      std::string_view& cell = out.cells[r * out.width + at];
      switch (c->type) {
        case ColumnType::kUtf8:
        case ColumnType::kCStr: {
          const std::string_view text = TextBytes(*c, r);
          if (const size_t bad = FindInvalidUtf8(text); bad != std::string_view::npos) {
            unreadable(r, NotUtf8(bad));
          } else {
            cell = internal::TrimCell(text);
          }
          continue;
        }
        case ColumnType::kInt64:
          out.owned.push_back(ScaledText(static_cast<const int64_t*>(c->values)[r], c->scale));
          break;
        case ColumnType::kInt32: out.owned.push_back(std::to_string(static_cast<const int32_t*>(c->values)[r])); break;
        case ColumnType::kBool: out.owned.push_back(static_cast<const uint8_t*>(c->values)[r] != 0 ? "True" : "False"); break;
        case ColumnType::kDouble: {
          const double v = static_cast<const double*>(c->values)[r];  // not NaN: CellMissing
          out.owned.push_back(ReprText(v));
          break;
        }
        case ColumnType::kDate32: {
          std::string why;
          if (const std::optional<Date> d = Date32(static_cast<const int32_t*>(c->values)[r], &why)) {
            out.owned.push_back(d->ToString());
          } else {
            out.owned.emplace_back();
            unreadable(r, std::move(why));
          }
          break;
        }
      }
      cell = out.owned.back();
    }
  }
  return out;
}

// Where a batch's rows and columns were: for giving the builder's diagnostics (an
// English field, no column) the column's position and name.
struct Batch {
  int64_t first_line = 0, last_line = 0;
  std::vector<std::pair<int, std::string>> column_of_field;  // position (0: none), name
};

}  // namespace

struct ColumnLedgerBuilder::State {
  explicit State(BuildOptions options) : builder(std::move(options)) {}
  LedgerBuilder builder;
  bool built = false;
  std::array<int64_t, kTableCount> rows{};
  std::array<std::vector<Batch>, kTableCount> batches;
  size_t monthly_reserved = 0;
  int threads = 0;  // LoadOptions::threads
  std::string files[kTableCount];
  // Per table, the names of the columns that named no field, in the order first seen
  // (the builder's extra headers): a later batch's are matched to them by name.
  std::array<std::vector<std::string>, kTableCount> extra_headers;
  // Per table, the sets of column names (joined) whose near misses and missing
  // figure were said: once, not again for every batch of the same columns.
  std::array<absl::flat_hash_set<std::string>, kTableCount> unread_checked;

  absl::Status Reject(Table t, int position, std::string_view name, std::string reason) {
    return RejectAll({Diagnostic{files[static_cast<int>(t)], 0, position, std::string(name), std::move(reason)}});
  }
  // A batch refused for all of `problems` (at least one): each is a diagnostic, and
  // the status lists them.
  absl::Status RejectAll(std::vector<Diagnostic> problems) {
    std::string message = problems.size() == 1 ? "" : Cat(problems.size(), " problems: ");
    for (size_t i = 0; i < problems.size(); ++i) internal::Append(&message, i == 0 ? "" : "; ", problems[i].ToString());
    internal::Append(&message, "; the batch was not read");
    for (Diagnostic& d : problems) builder.Report(std::move(d));
    return absl::InvalidArgumentError(message);
  }
};

ColumnLedgerBuilder::ColumnLedgerBuilder(const LoadOptions& options) {
  BuildOptions b;
  b.lenient = options.lenient;
  b.duplicate_months = options.duplicate_months;
  b.fx_rates = options.fx_rates;
  b.threads = options.threads;
  for (int t = 0; t < kTableCount; ++t) b.table_names[t] = CsvFileName(static_cast<Table>(t));
  s_ = std::make_unique<State>(std::move(b));
  s_->threads = options.threads;
  for (int t = 0; t < kTableCount; ++t) s_->files[t] = CsvFileName(static_cast<Table>(t));
}
ColumnLedgerBuilder::~ColumnLedgerBuilder() = default;
ColumnLedgerBuilder::ColumnLedgerBuilder(ColumnLedgerBuilder&&) noexcept = default;
ColumnLedgerBuilder& ColumnLedgerBuilder::operator=(ColumnLedgerBuilder&&) noexcept = default;

bool ColumnLedgerBuilder::built() const { return s_->built; }

absl::Status ColumnLedgerBuilder::AddColumns(Table table, size_t rows, std::span<const ColumnView> columns) {
  return internal::NoThrow("adding columns", [&]() -> absl::Status {
    State& s = *s_;
    if (s.built) return absl::FailedPreconditionError("the ledger builder was finished: it takes no more rows");
    const int ti = static_cast<int>(table);
    if (ti < 0 || ti >= kTableCount) return RejectUnknownTable(ti);
    const std::string& file = s.files[ti];
    const int64_t first_line = s.rows[ti] + 1;
    s.rows[ti] += static_cast<int64_t>(rows);  // a rejected batch still counts its rows
    if (rows > static_cast<size_t>(std::numeric_limits<int32_t>::max())) {
      return s.Reject(table, 0, "", Cat(rows, " rows in one batch; at most 2^31-1"));
    }

    // The batch as a whole: names, types, offsets, bitmaps.
    const std::span<const std::string_view> ids = internal::FieldIds(table);
    const std::span<const CellKind> kinds = internal::CellKinds(table);
    const std::span<const CsvColumn> schema = CsvColumns(table);
    std::vector<Binding> bindings(ids.size());
    Batch batch;
    batch.first_line = first_line;
    batch.last_line = first_line + static_cast<int64_t>(rows) - 1;
    batch.column_of_field.assign(ids.size(), {0, ""});
    std::vector<std::pair<const ColumnView*, int>> extras;  // the columns naming no field, with their positions
    // Every column's problem at once, not one a call (each fix a run otherwise).
    std::vector<Diagnostic> refused;
    auto refuse = [&](int pos, std::string_view name, std::string reason) {
      refused.push_back(Diagnostic{file, 0, pos, std::string(name), std::move(reason)});
    };
    std::vector<char> named(ids.size(), 0);  // a column names the field, taken or refused
    for (size_t i = 0; i < columns.size(); ++i) {
      const ColumnView& c = columns[i];
      const int pos = static_cast<int>(i + 1);
      const std::string where = Cat("column ", pos);
      if (c.name.empty()) { refuse(pos, "", Cat(where, " has no name")); continue; }
      // Names as the CSV loader matches headers: ids, Chinese names, aliases.
      const internal::ColumnName matched = internal::MatchColumnName(table, c.name);
      if (matched.field == internal::kSerialColumn) continue;  // 序号: row numbers, not data (as in a CSV file)
      if (matched.foreign_field >= 0) { refuse(pos, c.name, internal::ForeignUnitReason(table, matched)); continue; }
      const int field = matched.field;  // kUnknownColumn: kept as an extra column
      if (field >= 0) named[static_cast<size_t>(field)] = 1;
      if (field < 0) {
        const auto same = std::find_if(extras.begin(), extras.end(),
                                       [&](const auto& e) { return ExtraName(*e.first) == ExtraName(c); });
        if (same != extras.end()) {
          refuse(pos, c.name, Cat("duplicate column: ", ExtraName(c), " is already column ", same->second));
          continue;
        }
      } else {
        if (bindings[field].col != nullptr) {
          refuse(pos, c.name, Cat("duplicate column: ", ids[field], " is already column ", bindings[field].position));
          continue;
        }
      }
      const auto type = static_cast<int32_t>(c.type);
      if (type < 1 || type > 7) {
        refuse(pos, c.name, Cat("type ", type, " is not a KP_COLUMN_ type (1-7)"));
        continue;
      }
      // An extra column's int64 may be a decimal of any scale, as an amount's.
      const bool decimal = field < 0 || kinds[field] == CellKind::kMoney;
      if (c.type == ColumnType::kInt64 && (c.scale < 0 || c.scale > kMaxScale || (!decimal && c.scale != 0))) {
        refuse(pos, c.name, Cat("scale ", c.scale, decimal ? " is not 0-18" : " must be 0 (not an amount)"));
        continue;
      }
      if (c.type != ColumnType::kInt64 && c.scale != 0) {
        refuse(pos, c.name, Cat("scale ", c.scale, ": only an int64 column has a scale (give 0)"));
        continue;
      }
      if (rows > 0 && c.values == nullptr) { refuse(pos, c.name, "values: NULL for a batch with rows"); continue; }
      if (c.validity != nullptr && c.validity_bytes < (rows + 7) / 8) {
        refuse(pos, c.name,
               Cat("validity bitmap of ", c.validity_bytes, " bytes is shorter than ", rows, " rows need (",
                   (rows + 7) / 8, ")"));
        continue;
      }
      if (c.type == ColumnType::kUtf8) {
        if (c.offsets == nullptr) { refuse(pos, c.name, "offsets: NULL for a utf8 column"); continue; }
        if (c.offsets[0] < 0) { refuse(pos, c.name, Cat("offsets[0] is negative (", c.offsets[0], ")")); continue; }
        size_t r = 0;
        while (r < rows && c.offsets[r + 1] >= c.offsets[r]) ++r;
        if (r < rows) {
          refuse(pos, c.name,
                 Cat("offsets decrease at row ", first_line + static_cast<int64_t>(r), " (offsets[", r, "] = ", c.offsets[r],
                     ", offsets[", r + 1, "] = ", c.offsets[r + 1], ")"));
          continue;
        }
      }
      if (field < 0) {
        extras.emplace_back(&c, pos);
        continue;
      }
      const CellKind kind = kinds[field];
      if (!Accepts(kind, c.type) && !AllCellsMissing(c, rows)) {
        refuse(pos, c.name,
               Cat(TypeName(c.type), " cannot hold ", KindName(kind), " (accepted: ", AcceptedTypes(kind),
                   "; a column of missing cells only, any type)"));
        continue;
      }
      // A header in 元 or 亿元 has its cells converted, as a CSV file's under it.
      bindings[field] = Binding{&c, pos, schema[field].required,
                                matched.unit >= 0 && matched.unit != internal::kWanUnit ? matched.unit : -1};
      batch.column_of_field[field] = {pos, std::string(c.name)};
    }
    std::string missing;
    for (size_t f = 0; f < ids.size(); ++f) {
      if (schema[f].required && named[f] == 0) {
        internal::Append(&missing, missing.empty() ? "" : ", ", ids[f], " (", schema[f].chinese, ")");
      }
    }
    if (!missing.empty()) refuse(0, "", Cat("missing required column ", missing));
    if (!refused.empty()) return s.RejectAll(std::move(refused));
    // Numbers where text is read: their text, in columns of this call's own.
    std::vector<NumbersAsText> as_text;
    as_text.reserve(ids.size());  // the bindings point into it
    for (size_t f = 0; f < ids.size(); ++f) {
      const ColumnView* c = bindings[f].col;
      if (c == nullptr || c->type == ColumnType::kUtf8 || c->type == ColumnType::kCStr) continue;
      if (kinds[f] != CellKind::kText && kinds[f] != CellKind::kDate && kinds[f] != CellKind::kMonth) continue;
      if (kinds[f] != CellKind::kText && c->type == ColumnType::kDate32) continue;
      if (c->type == ColumnType::kBool) continue;  // refused above, unless every cell is missing
      if (std::optional<std::string> why = ToText(*c, rows, first_line, &as_text.emplace_back())) {
        return s.Reject(table, bindings[f].position, c->name, *std::move(why));
      }
      bindings[f].col = &as_text.back().view;
    }
    // A column naming no field is kept as an extra -- unless it is a near miss of a
    // field the batch lacks, or the batch lacks its one figure (as a CSV header's:
    // internal::UnreadColumnReason). Problems of the table's columns, said for the
    // first batch of each set of column names (not again for every batch of the same
    // columns, but for a later batch with a column named otherwise); the rows are read.
    std::string names;
    for (const ColumnView& c : columns) internal::Append(&names, c.name, "\x1F");
    if (s.unread_checked[ti].insert(std::move(names)).second) {
      std::vector<int> column_of_field(ids.size(), -1);
      for (size_t f = 0; f < ids.size(); ++f) {
        if (bindings[f].col != nullptr) column_of_field[f] = bindings[f].position;
      }
      std::vector<std::pair<int, std::string_view>> unknown;
      for (const auto& [c, pos] : extras) unknown.emplace_back(pos, c->name);
      for (internal::ColumnProblem& p : internal::UnreadColumnProblems(table, unknown, column_of_field)) {
        s.builder.Report(Diagnostic{file, 0, p.position, std::move(p.name), std::move(p.reason)});
      }
    }
    s.batches[ti].push_back(std::move(batch));
    ExtraCells extra_cells;
    if (!extras.empty()) {
      std::vector<std::string>& headers = s.extra_headers[ti];
      const size_t known = headers.size();
      for (const auto& [c, pos] : extras) {
        if (std::find(headers.begin(), headers.end(), ExtraName(*c)) == headers.end()) headers.emplace_back(ExtraName(*c));
      }
      if (headers.size() != known) s.builder.SetExtraHeaders(table, headers);  // earlier rows: "" under the new ones
      extra_cells = ReadExtraCells(extras, headers, rows, first_line, file, s.builder);
    }
    const ExtraCells* with_extras = extras.empty() ? nullptr : &extra_cells;

    // The rows: each read into its record by table_rows.h, as a CSV row is; a big
    // batch on two threads (LoadOptions::threads), more than a couple of blocks.
    LedgerBuilder& builder = s.builder;
    auto each_row = [&]<typename Record>(void (*read)(ColumnCells&, Record&), auto add) {
      // A row with bad cells is added with them unread: checked for its other
      // problems, then rejected (a project's rows elsewhere go with it).
      auto hand_over = [&](const Record& r, internal::FieldMask bad) {
        if (!extra_cells.unreadable.empty() && extra_cells.unreadable[static_cast<size_t>(r.line - first_line)]) return;
        if (bad == 0) {
          add(r, LedgerBuilder::UnreadFields());
        } else {
          internal::AddWithUnread(table, bad, r, add);
        }
      };
      if (rows > 0 && internal::UseSecondThread(s.threads, rows, 2 * kBlockRows<Record> + 1) &&
          ReadOnTwoThreads(bindings.data(), bindings.size(), with_extras, file, builder, table, rows, first_line, read,
                           hand_over)) {
        return;
      }
      ColumnCells cells(bindings.data(), bindings.size(), file, builder);
      cells.SetExtras(with_extras);
      Record rec;
      ReadRows(
          cells, 0, rows, first_line, read, [&](size_t) -> Record& { return rec; },
          [&](size_t, const Record& r, internal::FieldMask bad) { hand_over(r, bad); });
    };
    switch (table) {
      case Table::kProjects:
        builder.ReserveRows(table, rows);
        each_row(internal::ReadProjectRecord<ColumnCells>, [&](const ProjectRecord& r, auto unread) { builder.AddProject(r, unread); });
        break;
      case Table::kMonthly:
        if (const auto want = static_cast<size_t>(s.rows[ti]); want > s.monthly_reserved) {
          s.monthly_reserved = std::max(want, s.monthly_reserved * 2);  // batches: no regrowth per batch
          builder.ReserveMonthly(s.monthly_reserved);
        }
        each_row(internal::ReadMonthlyRecord<ColumnCells>, [&](const MonthlyRecord& r, auto unread) { builder.AddMonthly(r, unread); });
        break;
      case Table::kFunding:
        builder.ReserveRows(table, rows);
        each_row(internal::ReadFundingRecord<ColumnCells>, [&](const FundingRecord& r, auto unread) { builder.AddFunding(r, unread); });
        break;
      case Table::kPlans:
        builder.ReserveRows(table, rows);
        each_row(internal::ReadPlanRecord<ColumnCells>, [&](const PlanRecord& r, auto unread) { builder.AddPlan(r, unread); });
        break;
      case Table::kProblems:
        builder.ReserveRows(table, rows);
        each_row(internal::ReadProblemRecord<ColumnCells>, [&](const ProblemRecord& r, auto unread) { builder.AddProblem(r, unread); });
        break;
      case Table::kBaseline:
        each_row(internal::ReadBaselineRecord<ColumnCells>,
                 [&](const BaselineRecord& r, auto unread) { builder.AddBaseline(r, unread); });
        break;
      case Table::kApprovals:
        builder.ReserveRows(table, rows);
        each_row(internal::ReadApprovalRecord<ColumnCells>,
                 [&](const ApprovalRecord& r, auto unread) { builder.AddApproval(r, unread); });
        break;
    }
    return absl::OkStatus();
  });
}

absl::Status ColumnLedgerBuilder::RejectUnknownTable(int64_t table) {
  State& s = *s_;
  if (s.built) return absl::FailedPreconditionError("the ledger builder was finished: it takes no more rows");
  Diagnostic d{Cat("table ", table), 0, 0, "", Cat("no such table (0-", kTableCount - 1, "); the batch was not read")};
  absl::Status status = absl::InvalidArgumentError(d.ToString());
  s.builder.Report(std::move(d));
  return status;
}

absl::Status ColumnLedgerBuilder::RejectBatch(Table table, size_t rows, int column, std::string_view name,
                                              std::string reason) {
  State& s = *s_;
  if (s.built) return absl::FailedPreconditionError("the ledger builder was finished: it takes no more rows");
  const int ti = static_cast<int>(table);
  if (ti < 0 || ti >= kTableCount) return RejectUnknownTable(ti);
  s.rows[ti] += static_cast<int64_t>(rows);
  return s.Reject(table, column, name, std::move(reason));
}

absl::StatusOr<Ledger> ColumnLedgerBuilder::Build(Diagnostics* diagnostics) {
  return internal::NoThrow("building the ledger", [&]() -> absl::StatusOr<Ledger> {
    State& s = *s_;
    if (diagnostics != nullptr) diagnostics->clear();
    if (s.built) return absl::FailedPreconditionError("the ledger builder was already finished");
    s.built = true;
    absl::StatusOr<Ledger> ledger = std::move(s.builder).Build();
    Diagnostics all = s.builder.diagnostics();
    // The builder names a table's file and an English field: add the column.
    for (Diagnostic& d : all) {
      if (d.column != 0 || d.field.empty() || d.line <= 0) continue;
      for (int t = 0; t < kTableCount; ++t) {
        if (d.file != s.files[t]) continue;
        const std::span<const std::string_view> ids = internal::FieldIds(static_cast<Table>(t));
        const auto field = std::find(ids.begin(), ids.end(), d.field);
        if (field == ids.end()) break;
        const std::vector<Batch>& batches = s.batches[t];
        const auto batch = std::lower_bound(batches.begin(), batches.end(), d.line,
                                            [](const Batch& b, int64_t line) { return b.last_line < line; });
        if (batch == batches.end() || batch->first_line > d.line) break;
        const auto& [position, name] = batch->column_of_field[field - ids.begin()];
        if (position == 0) break;
        d.column = position;
        d.field = name;
        break;
      }
    }
    std::stable_sort(all.begin(), all.end(), [&](const Diagnostic& a, const Diagnostic& b) {
      auto rank = [&](const Diagnostic& d) {
        for (int t = 0; t < kTableCount; ++t) {
          if (d.file == s.files[t]) return t;
        }
        return kTableCount;
      };
      const int ra = rank(a), rb = rank(b);
      if (ra != rb) return ra < rb;
      if (a.line != b.line) return a.line < b.line;
      return a.column < b.column;
    });
    absl::Status status = ledger.status();
    if (!ledger.ok() && !all.empty() && absl::IsInvalidArgument(status)) status = DiagnosticsStatus(all);
    if (diagnostics != nullptr) *diagnostics = std::move(all);
    if (!status.ok()) return status;
    return ledger;
  });
}

}  // namespace keyproj
