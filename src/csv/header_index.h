// Internal: the header names of the ledger's tables, as the CSV loader and the
// column arrays of the C ABI match them -- an English id in any ASCII case, the
// Chinese header or an alias, surrounding spaces ignored, full-width brackets read as
// ASCII ones, and a Chinese header with its unit left off ("总投资" for
// "总投资（万元）").
#ifndef KEYPROJ_SRC_CSV_HEADER_INDEX_H_
#define KEYPROJ_SRC_CSV_HEADER_INDEX_H_

#include <algorithm>
#include <array>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "csv/csv_schema.h"
#include "csv/table_rows.h"
#include "keyproj/internal/text.h"
#include "keyproj/ledger.h"

namespace keyproj::internal {

// Header normal form: trimmed, ASCII lower case, full-width brackets as ASCII ones.
inline std::string NormalizeHeader(std::string_view s) {
  s = TrimCell(s);
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s.substr(i, 3) == "\xEF\xBC\x88") {  // （
      out.push_back('(');
      i += 2;
    } else if (s.substr(i, 3) == "\xEF\xBC\x89") {  // ）
      out.push_back(')');
      i += 2;
    } else {
      out.push_back(AsciiLower(s[i]));
    }
  }
  return out;
}

// Splits a normalised header "总投资(万元)" into base "总投资" and unit "万元".
inline bool SplitUnit(std::string_view normalized, std::string_view* base, std::string_view* unit) {
  if (normalized.size() < 3 || normalized.back() != ')') return false;
  const size_t open = normalized.rfind('(');
  if (open == std::string_view::npos || open == 0) return false;
  *base = TrimCell(normalized.substr(0, open));
  *unit = TrimCell(normalized.substr(open + 1, normalized.size() - open - 2));
  return !base->empty();
}

// Accepted header names of a table, normalised, and the units of the Chinese names.
struct HeaderIndex {
  absl::flat_hash_map<std::string, int> names;  // -> field index
  // base name of a header with a unit -> (field index, unit): "总投资" -> (7, "万元")
  absl::flat_hash_map<std::string, std::pair<int, std::string>> units;
  std::vector<char> required;  // per field
  std::vector<std::string_view> chinese;  // per field, for messages
};

inline HeaderIndex MakeHeaderIndex(Table table) {
  HeaderIndex index;
  const std::span<const std::string_view> ids = internal::FieldIds(table);
  index.required.assign(ids.size(), false);
  index.chinese.assign(ids.size(), {});
  for (const CsvColumn& col : CsvColumns(table)) {
    const auto it = std::find(ids.begin(), ids.end(), col.id);
    if (it == ids.end()) continue;  // a schema column this loader does not know: an extra
    const int field = static_cast<int>(it - ids.begin());
    index.required[field] = col.required;
    index.chinese[field] = col.chinese;
    std::vector<std::string_view> names = {col.id, col.chinese};
    for (std::string_view rest = col.aliases; !rest.empty();) {
      const size_t bar = rest.find('|');
      names.push_back(rest.substr(0, bar));
      if (bar == std::string_view::npos) break;
      rest.remove_prefix(bar + 1);
    }
    for (std::string_view name : names) {
      if (name.empty()) continue;
      const std::string n = NormalizeHeader(name);
      index.names.try_emplace(n, field);
      // A date column's 时间 is as often written 日期 (开工日期, 计划开工日期, 办结日期).
      constexpr std::string_view kTime = "时间", kDate = "日期";
      if (n.size() > kTime.size() && n.ends_with(kTime)) {
        index.names.try_emplace(n.substr(0, n.size() - kTime.size()) + std::string(kDate), field);
      }
      std::string_view base, unit;
      if (SplitUnit(n, &base, &unit)) {
        index.names.try_emplace(std::string(base), field);
        index.units.try_emplace(std::string(base), field, std::string(unit));
      }
    }
  }
  return index;
}

inline const HeaderIndex& HeaderIndexOf(Table table) {
  static const std::array<HeaderIndex, kTableCount> kIndexes = [] {
    std::array<HeaderIndex, kTableCount> a;
    for (int t = 0; t < kTableCount; ++t) a[t] = MakeHeaderIndex(static_cast<Table>(t));
    return a;
  }();
  return kIndexes[static_cast<int>(table)];
}

}  // namespace keyproj::internal

#endif  // KEYPROJ_SRC_CSV_HEADER_INDEX_H_
