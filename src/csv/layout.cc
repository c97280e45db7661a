// The bureau layout (台账) of a table's rows: see layout.h and docs/ledger-loading.md.

#include "csv/layout.h"

#include <algorithm>
#include <limits>
#include <set>

#include "csv/header_index.h"
#include "csv/table_rows.h"
#include "keyproj/internal/text.h"

namespace keyproj::internal {
namespace {

constexpr std::string_view kIdeoSpace = "\xE3\x80\x80";  // U+3000
constexpr std::string_view kFullColon = "\xEF\xBC\x9A";  // ：

// The text without ASCII spaces, tabs and U+3000 ("合  计" is 合计).
std::string Squeezed(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == ' ' || s[i] == '\t') continue;
    if (s.substr(i, 3) == kIdeoSpace) {
      i += 2;
      continue;
    }
    out.push_back(s[i]);
  }
  return out;
}

bool StartsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// After a prefix: ':' or '：' (the footer's "填报人：").
bool ColonAt(std::string_view s, size_t at) {
  return s.substr(at, 1) == ":" || s.substr(at, kFullColon.size()) == kFullColon;
}

bool IsSerialName(std::string_view normalized) {
  return normalized == "序号" || normalized == "序" || normalized == "no." || normalized == "no" ||
         normalized == "\xE2\x84\x96";  // №
}

}  // namespace

std::optional<int> MoneyUnitOf(std::string_view word) {
  word = TrimCell(word);
  for (size_t i = 0; i < std::size(kMoneyUnits); ++i) {
    if (word == kMoneyUnits[i].name) return static_cast<int>(i);
  }
  return std::nullopt;
}

std::optional<int> UnitInText(std::string_view text) {
  const std::string s = Squeezed(text);
  constexpr std::string_view kUnit = "单位";
  for (size_t at = s.find(kUnit); at != std::string::npos; at = s.find(kUnit, at + 1)) {
    size_t i = at + kUnit.size();
    if (!ColonAt(s, i)) continue;
    i += s[i] == ':' ? 1 : kFullColon.size();
    // The longest unit word there ("万元" before "元"); "人民币" may come first.
    std::string_view rest = std::string_view(s).substr(i);
    if (StartsWith(rest, "人民币")) rest.remove_prefix(std::string_view("人民币").size());
    std::optional<int> best;
    for (size_t u = 0; u < std::size(kMoneyUnits); ++u) {
      if (StartsWith(rest, kMoneyUnits[u].name) &&
          (!best || kMoneyUnits[u].name.size() > kMoneyUnits[*best].name.size())) {
        best = static_cast<int>(u);
      }
    }
    if (best) return best;
  }
  return std::nullopt;
}

std::optional<Money> ScaledMoneyCell(std::string_view s, int unit, bool allow_negative, std::string* reason) {
  if (unit == kWanUnit) return MoneyCell(s, allow_negative, reason);
  const MoneyUnit& u = kMoneyUnits[unit];
  Money m;
  MoneyParseError e = Money::ParseIn(TrimCell(s), u.decimals, u.fen, &m);
  if (e != MoneyParseError::kOk && !SpelledMoneyCell(s, &m, &e, reason)) return std::nullopt;
  if (e == MoneyParseError::kOk && m.fen() < 0 && !allow_negative) e = MoneyParseError::kNegative;
  if (e == MoneyParseError::kOk) return m;
  // MoneyParseErrorText speaks of 万元: the unit's own words where it matters.
  std::string why;
  if (LooksScientific(s)) e = MoneyParseError::kSyntax;
  switch (e) {
    case MoneyParseError::kEmpty:
    case MoneyParseError::kSyntax:
      why = LooksScientific(s) ? std::string(kScientific)
            : IsNoneMark(s)    ? std::string(kNoneMark)
                               : Cat("not a decimal number of ", u.name);
      break;
    case MoneyParseError::kTooPrecise:
      why = Cat("finer than 1 分 (", u.name, " has at most ", u.decimals, " decimals); keyproj never rounds input");
      break;
    case MoneyParseError::kOutOfRange:
      why = Cat("amount out of range (the most is ", FormatExact(std::numeric_limits<int64_t>::max(), u.fen, 0), " ",
                u.name, ", the int64 limit of 分)");
      break;
    default: why = std::string(MoneyParseErrorText(e));
  }
  *reason = Cat(why, ": '", s, "'");
  return std::nullopt;
}

std::string ForeignUnitReason(Table table, const ColumnName& name) {
  const std::string_view chinese = HeaderIndexOf(table).chinese[name.foreign_field];
  const std::string normalized = NormalizeHeader(chinese);
  std::string_view base, unit;
  SplitUnit(normalized, &base, &unit);
  return Cat("column ", FieldIds(table)[name.foreign_field], " is read in ", unit, ", not ", name.foreign_unit,
             ": convert the figures to ", unit, " and name the column ", chinese);
}

namespace {

std::optional<std::string> UnreadColumnReason(Table table, std::string_view written, std::span<const int> column_of_field) {
  const HeaderIndex& index = HeaderIndexOf(table);
  const std::string n = NormalizeHeader(written);
  std::string_view base, unit;
  const std::string_view plain = SplitUnit(n, &base, &unit) ? base : std::string_view(n);
  int best = -1;
  size_t best_distance = 3;
  for (const auto& [name, field] : index.names) {
    if (column_of_field[static_cast<size_t>(field)] >= 0) continue;  // the file has that column
    for (const std::string_view typed : {std::string_view(n), plain}) {
      if (!NearMiss(typed, name)) continue;
      const size_t d = EditDistance(typed, name);
      if (d < best_distance || (d == best_distance && field < best)) {
        best = field;
        best_distance = d;
      }
    }
  }
  if (best < 0) return std::nullopt;
  const std::string_view id = FieldIds(table)[static_cast<size_t>(best)];
  return Cat("no column of this name is read, and the file has no ", id, " column: if it holds ", id,
             ", name it ", index.chinese[static_cast<size_t>(best)], " or ", id,
             " (a column keyproj does not read is kept as an extra, and its figures count for nothing); "
             "if it holds something else, give it a name less like ", id, "'s");
}

std::optional<std::string> MissingFigureReason(Table table, std::span<const int> column_of_field,
                                               std::span<const std::string> unread) {
  // The one figure a file is for: monthly.csv without its investment column reads
  // every month's investment as 0, and when the file has columns keyproj does not
  // read, one of them most likely holds it.
  if (table != Table::kMonthly || unread.empty()) return std::nullopt;
  const std::span<const std::string_view> ids = FieldIds(table);
  const auto it = std::find(ids.begin(), ids.end(), "investment");
  const auto field = static_cast<size_t>(it - ids.begin());
  if (it == ids.end() || column_of_field[field] >= 0) return std::nullopt;
  std::string names;
  constexpr size_t kListed = 10;
  for (size_t i = 0; i < std::min(unread.size(), kListed); ++i) Append(&names, i == 0 ? "'" : ", '", unread[i], "'");
  if (unread.size() > kListed) Append(&names, " and ", unread.size() - kListed, " more");
  return Cat("the file has no investment column (", HeaderIndexOf(table).chinese[field],
             "), so every month's investment would read as 0, and ", unread.size() == 1 ? "this column is" : "these columns are",
             " not read: ", names, ". Name the one that holds each month's own investment ",
             HeaderIndexOf(table).chinese[field], " (a year-to-date column is not read: keyproj adds the months up)");
}

}  // namespace

std::vector<ColumnProblem> UnreadColumnProblems(Table table, std::span<const std::pair<int, std::string_view>> unknown,
                                                std::span<const int> column_of_field) {
  std::vector<ColumnProblem> problems;
  std::vector<std::string> unread;
  int first_unread = 0;
  for (size_t k = 0; k < std::min(unknown.size(), kNearMissColumns); ++k) {
    const auto& [position, written] = unknown[k];
    if (std::optional<std::string> why = UnreadColumnReason(table, written, column_of_field)) {
      problems.push_back({position, std::string(written), *std::move(why)});
    } else if (!TrimCell(written).empty()) {  // a header cell left empty (trailing commas) names no figure
      if (unread.empty()) first_unread = position;
      unread.emplace_back(TrimCell(written));
    }
  }
  // A near miss said already is most likely the missing figure's column.
  if (!problems.empty()) return problems;
  if (std::optional<std::string> why = MissingFigureReason(table, column_of_field, unread)) {
    problems.push_back({first_unread, unread.front(), *std::move(why)});
  }
  return problems;
}

ColumnName MatchColumnName(Table table, std::string_view written) {
  const HeaderIndex& index = HeaderIndexOf(table);
  const std::span<const CellKind> kinds = CellKinds(table);
  ColumnName out;
  const std::string n = NormalizeHeader(written);
  if (IsSerialName(n)) {
    out.field = kSerialColumn;
    return out;
  }
  std::string_view base, unit;
  const bool has_unit = SplitUnit(n, &base, &unit);
  if (auto it = index.names.find(n); it != index.names.end()) {
    out.field = it->second;
    // "总投资(万元)" as the schema writes it: its unit said, the ledger's own.
    if (has_unit && kinds[out.field] == CellKind::kMoney) out.unit = MoneyUnitOf(unit).value_or(-1);
    return out;
  }
  if (!has_unit) return out;
  if (auto it = index.names.find(Cat(base, "(", unit, ")")); it != index.names.end()) {
    out.field = it->second;
    return out;
  }
  const std::optional<int> money = MoneyUnitOf(unit);
  if (auto u = index.units.find(std::string(base)); u != index.units.end()) {
    // A money column named with a unit of its own: 元 / 万元 / 亿元 are converted;
    // any other unit is refused by the loader.
    if (money) {
      out.field = u->second.first;
      out.unit = *money;
    } else {
      out.foreign_field = u->second.first;
      out.foreign_unit = std::string(unit);
    }
    return out;
  }
  if (auto it = index.names.find(std::string(base)); it != index.names.end() && money &&
                                                      kinds[it->second] == CellKind::kMoney) {
    out.field = it->second;  // "total_investment(元)"
    out.unit = *money;
  }
  return out;
}

namespace {

struct RowMatch {
  int known = 0;          // distinct known fields named
  bool required = false;  // every required field named
};

RowMatch MatchNames(Table table, std::span<const std::string> names) {
  const HeaderIndex& index = HeaderIndexOf(table);
  std::set<int> fields;
  for (const std::string& name : names) {
    const ColumnName c = MatchColumnName(table, name);
    if (c.field >= 0) fields.insert(c.field);
    if (c.foreign_field >= 0) fields.insert(c.foreign_field);
  }
  RowMatch m;
  m.known = static_cast<int>(fields.size());
  m.required = true;
  for (size_t f = 0; f < index.required.size(); ++f) {
    if (index.required[f] && !fields.contains(static_cast<int>(f))) m.required = false;
  }
  return m;
}

// The names of a two-row header: `top` holds the group cells (merged across the
// columns of their children, so empty to their right) and cells merged down over both
// rows; `child` the names under the groups. See docs/ledger-loading.md.
std::vector<std::string> CombinedNames(Table table, const ScannedRow& top, const ScannedRow& child) {
  const size_t width = std::max(top.cells.size(), child.cells.size());
  std::vector<std::string> names(width);
  std::string group;
  for (size_t c = 0; c < width; ++c) {
    const std::string own = c < top.cells.size() ? top.cells[c] : std::string();
    const std::string under = c < child.cells.size() ? child.cells[c] : std::string();
    if (!own.empty()) group = own;
    if (under.empty()) {
      names[c] = own;  // merged down over both rows (or an empty column)
      continue;
    }
    if (group.empty()) {
      names[c] = under;
      continue;
    }
    // A unit in the group ("投资情况（万元）") is its children's.
    std::string_view gbase = group;
    std::string unit_suffix;
    const std::string gnorm = NormalizeHeader(group);
    if (std::string_view b, u; SplitUnit(gnorm, &b, &u) && MoneyUnitOf(u)) {
      size_t open = group.rfind("\xEF\xBC\x88");  // （
      if (open == std::string::npos) open = group.rfind('(');
      gbase = std::string_view(group).substr(0, open);
      unit_suffix = Cat("（", u, "）");
    }
    std::string child_name = under;
    if (!unit_suffix.empty()) {
      std::string_view cb, cu;
      const std::string cnorm = NormalizeHeader(under);
      if (!SplitUnit(cnorm, &cb, &cu)) child_name += unit_suffix;
    }
    // The joined name first: it is the more specific ("计划" over "开工时间" is
    // 计划开工时间, the planned start, not 开工时间, the actual one).
    if (std::string joined = Cat(TrimCell(gbase), child_name); MatchColumnName(table, joined).field != kUnknownColumn) {
      names[c] = joined;
    } else if (MatchColumnName(table, child_name).field != kUnknownColumn) {
      names[c] = child_name;
    } else {
      names[c] = Cat(TrimCell(gbase), "/", under);
    }
  }
  return names;
}

}  // namespace

HeaderChoice FindHeader(Table table, std::span<const ScannedRow> rows) {
  HeaderChoice best;
  int best_known = 0;
  // Each row's own match, made when first needed (a plain file needs rows 0 and 1).
  std::vector<std::optional<RowMatch>> matched(rows.size());
  auto single = [&](size_t i) -> const RowMatch& {
    if (!matched[i]) matched[i] = MatchNames(table, rows[i].cells);
    return *matched[i];
  };
  for (size_t i = 0; i < rows.size(); ++i) {
    // A pair is a header when it names more than either of its rows alone (a title
    // row over the header names no more than the header).
    // Only a row with an empty cell can hold a group (merged over the empty cells to
    // its right): a plain header has none, so a plain file costs no pair.
    const bool has_empty = std::any_of(rows[i].cells.begin(), rows[i].cells.end(),
                                       [](const std::string& c) { return c.empty(); });
    if (i + 1 < rows.size() && has_empty) {
      std::vector<std::string> names = CombinedNames(table, rows[i], rows[i + 1]);
      const RowMatch pair = MatchNames(table, names);
      if (pair.required && pair.known > single(i).known && pair.known > single(i + 1).known) {
        return HeaderChoice{i, 2, true, std::move(names)};
      }
    }
    if (single(i).required) return HeaderChoice{i, 1, true, rows[i].cells};
    if (single(i).known > best_known) {
      best_known = single(i).known;
      best = HeaderChoice{i, 1, false, rows[i].cells};
    }
  }
  if (best_known == 0 && !rows.empty()) best = HeaderChoice{0, 1, false, rows[0].cells};
  return best;
}

RowKind ClassifyRow(std::span<const std::string_view> fields, int key_column, std::string* word) {
  size_t first = 0;
  std::string_view cell;
  for (; first < fields.size(); ++first) {
    cell = TrimCell(fields[first]);
    if (!cell.empty()) break;
  }
  // The fast way out: a data row begins with a code, a number or a date.
  if (cell.empty() || static_cast<unsigned char>(cell[0]) < 0x80) return RowKind::kData;
  const std::string s = Squeezed(cell);
  // Footers: the word, then a colon ("填报人：张三").
  static constexpr std::string_view kFooters[] = {
      "填报单位", "填报人",   "填表人", "填报日期", "填表日期", "填报时间", "审核人", "审核",     "联系电话",
      "电话",     "制表人",   "制表",   "负责人",   "单位负责人", "分管领导", "报送单位", "统计人", "主管领导"};
  for (std::string_view w : kFooters) {
    if (StartsWith(s, w) && ColonAt(s, w.size())) {
      if (word != nullptr) *word = std::string(w);
      return RowKind::kFooter;
    }
  }
  // The rest need the key (code) cell empty, or to be the cell itself.
  const bool key_free = key_column < 0 || static_cast<size_t>(key_column) >= fields.size() ||
                        static_cast<size_t>(key_column) == first || TrimCell(fields[key_column]).empty();
  if (!key_free) return RowKind::kData;
  static constexpr std::string_view kNotes[] = {"备注", "附注", "说明", "注"};
  for (std::string_view w : kNotes) {
    if (!StartsWith(s, w)) continue;
    size_t at = w.size();
    while (at < s.size() && s[at] >= '0' && s[at] <= '9') ++at;
    if (ColonAt(s, at)) {
      if (word != nullptr) *word = std::string(w);
      return RowKind::kNote;
    }
  }
  struct Total {
    std::string_view word;
    RowKind kind;
  };
  static constexpr Total kTotals[] = {{"总合计", RowKind::kTotal}, {"合计", RowKind::kTotal},
                                      {"总计", RowKind::kTotal},   {"小计", RowKind::kSubtotal}};
  for (const Total& t : kTotals) {
    if (!StartsWith(s, t.word)) continue;
    const std::string_view rest = std::string_view(s).substr(t.word.size());
    if (rest.empty() || ColonAt(rest, 0) || StartsWith(rest, "(") || StartsWith(rest, "\xEF\xBC\x88")) {
      if (word != nullptr) *word = std::string(t.word == "总合计" ? "合计" : t.word);
      return t.kind;
    }
  }
  if (StartsWith(s, "其中")) {
    if (word != nullptr) *word = "其中";
    return RowKind::kBreakdown;
  }
  // A section heading: "一、续建项目", "（二）新开工项目".
  static constexpr std::string_view kNumerals[] = {"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"};
  auto numeral_at = [&](size_t at) {
    size_t n = 0;
    for (bool more = true; more;) {
      more = false;
      for (std::string_view d : kNumerals) {
        if (s.compare(at + n, d.size(), d) == 0) {
          n += d.size();
          more = true;
          break;
        }
      }
    }
    return n;
  };
  if (const size_t n = numeral_at(0); n > 0 && StartsWith(std::string_view(s).substr(n), "、")) {
    if (word != nullptr) *word = s.substr(0, n);
    return RowKind::kSection;
  }
  for (auto [open, close] : {std::pair<std::string_view, std::string_view>{"（", "）"}, {"(", ")"}}) {
    if (!StartsWith(s, open)) continue;
    const size_t n = numeral_at(open.size());
    if (n > 0 && StartsWith(std::string_view(s).substr(open.size() + n), close)) {
      if (word != nullptr) *word = s.substr(open.size(), n);
      return RowKind::kSection;
    }
  }
  return RowKind::kData;
}

std::string RowText(std::span<const std::string_view> fields) {
  std::string out;
  for (std::string_view f : fields) {
    const std::string_view t = TrimCell(f);
    if (t.empty()) continue;
    Append(&out, out.empty() ? "" : " ", t);
  }
  return out;
}

}  // namespace keyproj::internal
