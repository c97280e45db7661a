// Internal: the bureau layout (台账) of a ledger table's rows, as text -- which row
// is the header (and whether it is two rows, from merged cells), the money unit of a
// unit row or of a header, the 序号 column, and what a row after the header is
// (data, 合计 / 小计, a footer, a note, a section heading). Text only: it knows
// nothing of where the rows came from (a CSV file, or an xlsx sheet turned into CSV
// text), so every reader of rows shares it. The loader (loader.cc) asks; the rules
// and their reasons are docs/ledger-loading.md, "Bureau layouts (台账)".
#ifndef KEYPROJ_SRC_CSV_LAYOUT_H_
#define KEYPROJ_SRC_CSV_LAYOUT_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "csv/cell_parse.h"
#include "keyproj/ledger.h"
#include "keyproj/money.h"

namespace keyproj::internal {

// ---- Money units: MoneyUnit, kMoneyUnits, kWanUnit (cell_parse.h) -----------------

// The unit a word names exactly ("万元"), as an index into kMoneyUnits.
std::optional<int> MoneyUnitOf(std::string_view word);

// The money unit a title or note says ("单位：万元", "（单位:元）", "金额单位：亿元"),
// anywhere in the text; nullopt when none (or the unit is not money: "单位：个").
std::optional<int> UnitInText(std::string_view text);

// A money cell written in kMoneyUnits[unit], exactly in 分: nullopt with *reason
// when it is not a number, out of range, negative where not allowed, or finer than
// 1 分 ("1234.567" 元) -- never rounded.
std::optional<Money> ScaledMoneyCell(std::string_view s, int unit, bool allow_negative, std::string* reason);

// A money cell of a column whose unit is `unit` (a kMoneyUnits index), or -1 for the
// ledger's own 万元 -- the loader's per-column unit; inline, so that the common 万元
// column costs no call beyond MoneyCell's.
inline std::optional<Money> ColumnMoneyCell(std::string_view s, int unit, bool allow_negative, std::string* reason) {
  return unit < 0 ? MoneyCell(s, allow_negative, reason) : ScaledMoneyCell(s, unit, allow_negative, reason);
}

// ---- Headers --------------------------------------------------------------------------

inline constexpr int kUnknownColumn = -1;  // not a column of the table (an extra)
inline constexpr int kSerialColumn = -3;   // 序号: the sheet's row numbers, ignored

// What one header cell names.
struct ColumnName {
  int field = kUnknownColumn;  // field index (FieldIds order), kUnknownColumn or kSerialColumn
  int unit = -1;               // the header's own money unit (kMoneyUnits index); -1: none said
  // A known money column named with a unit that is not money ("总投资（个）"): the
  // field and the unit as written, refused by the loader.
  int foreign_field = -1;
  std::string foreign_unit;
};
ColumnName MatchColumnName(Table table, std::string_view written);
// The problems of a file's (or a batch's) columns that name nothing, each at its
// column (position, name as written, reason). Such a column is kept as an extra and
// is not an error (ledger-format.md), but for two cases where keeping it aside would
// lose figures without a word: a near miss (internal::NearMiss, on the normal form,
// with or without its bracketed unit) of a column the file does not have
// ("investmnet", "本月完成投资（万元）" for investment); and, when there is none, a
// monthly.csv without its investment column, said at the first column not read.
// Only the first kNearMissColumns such columns are looked at: a sheet made by hand
// has a few; a file of 10^6 columns (docs/limits.md) would cost 10^8 comparisons.
// unknown: (1-based position, name as written) of each column naming no field;
// column_of_field: per field, its column or -1.
struct ColumnProblem {
  int position;
  std::string name;
  std::string reason;
};
inline constexpr size_t kNearMissColumns = 256;
std::vector<ColumnProblem> UnreadColumnProblems(Table table, std::span<const std::pair<int, std::string_view>> unknown,
                                                std::span<const int> column_of_field);
// Why a column named as `name` (foreign_field >= 0) is refused: "column total_investment
// is read in 万元, not 个: convert the figures to 万元 and name the column 总投资（万元）".
std::string ForeignUnitReason(Table table, const ColumnName& name);

// A row read while looking for the header: its cells, trimmed, and where it starts.
struct ScannedRow {
  int64_t line = 0;
  std::vector<std::string> cells;
};

// How many leading rows the header search looks at (a file whose header is not
// among them fails fast, at the best candidate).
inline constexpr size_t kHeaderSearchRows = 30;

struct HeaderChoice {
  size_t row = 0;       // index of the (first) header row in the scanned rows
  int rows = 1;         // 2: a two-row header
  bool found = false;   // a row (or pair) names every required column
  std::vector<std::string> names;  // per column: the name as read (combined "资金来源/中央预算内")
};
// The header among `rows`: the first row, or pair of rows (a group row over child
// cells), that names every required column of the table; else the single row naming
// the most known columns (the first of them; row 0 when none names any), found=false.
HeaderChoice FindHeader(Table table, std::span<const ScannedRow> rows);

// ---- Rows after the header ------------------------------------------------------------

enum class RowKind : uint8_t { kData, kTotal, kSubtotal, kBreakdown, kFooter, kNote, kSection };

// What a row after the header is. key_column: the column of the table's first field
// (the code; the month for baseline), -1 when absent. *word: the word that decided
// (合计, 小计, 其中, 填报人, ...). Cheap for a data row whose first cell is ASCII.
// *word may be null (the reading of rows only needs the kind).
RowKind ClassifyRow(std::span<const std::string_view> fields, int key_column, std::string* word);

// The same, with the common case inline: a row whose first cell starts with an ASCII
// character other than a space is data (what nearly every row of a ledger is).
inline RowKind ClassifyRowFast(std::span<const std::string_view> fields, int key_column, std::string* word) {
  if (!fields.empty() && !fields[0].empty()) {
    const auto c = static_cast<unsigned char>(fields[0][0]);
    if (c < 0x80 && c != ' ' && c != '\t') return RowKind::kData;
  }
  return ClassifyRow(fields, key_column, word);
}

// A row as text for the layout: its non-empty cells, trimmed, joined by one space.
std::string RowText(std::span<const std::string_view> fields);

}  // namespace keyproj::internal

#endif  // KEYPROJ_SRC_CSV_LAYOUT_H_
