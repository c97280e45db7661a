// Labels, headers and display text shared by every rendering of a result.
#include <map>
#include <optional>

#include "keyproj/classification.h"
#include "keyproj/enum_table.h"
#include "keyproj/expression.h"
#include "keyproj/funding.h"
#include "keyproj/industry.h"
#include "keyproj/problem_kind.h"
#include "keyproj/report.h"
#include "keyproj/stage.h"
#include "keyproj/internal/text.h"

namespace keyproj {

using ::keyproj::internal::Cat;
using ::keyproj::internal::Append;
namespace {

template <typename E>
std::string LabelOf(std::string_view key) {
  const std::optional<E> e = ParseEnum<E>(key);
  return e ? std::string(EnumLabel(*e)) : std::string(key);
}

}  // namespace

std::string_view UnitSuffix(Unit unit, MoneyUnit money_unit) {
  return unit == Unit::kMoney ? EnumLabel(money_unit) : EnumLabel(unit);
}

int DisplayPlaces(std::string_view id, Unit unit, int default_places, MoneyUnit money_unit,
                  const RenderOptions& options) {
  if (!id.empty()) {
    if (auto it = options.places.find(id); it != options.places.end()) return it->second;
  }
  // Reports give 亿元 one decimal and 万元 two (indicators.md).
  if (unit == Unit::kMoney && money_unit == MoneyUnit::kYi) return 1;
  return default_places;
}

absl::StatusOr<std::map<std::string, int, std::less<>>> ParsePlaces(
    std::span<const std::string> items, const std::function<absl::Status(std::string_view id)>& known) {
  std::map<std::string, int, std::less<>> places;
  std::vector<std::string_view> pieces;
  for (const std::string& item : items) {
    const std::vector<std::string_view> split = internal::SplitTrimmed(item);
    pieces.insert(pieces.end(), split.begin(), split.end());
  }
  for (const std::string_view p : pieces) {
    const size_t eq = p.find('=');
    const std::string_view id = internal::TrimAscii(p.substr(0, eq));
    const std::string_view n = eq == std::string_view::npos ? "" : internal::TrimAscii(p.substr(eq + 1));
    if (eq == std::string_view::npos || n.size() != 1 || n[0] < '0' || n[0] > '6') {
      return absl::InvalidArgumentError(
          internal::Cat("places ", p, ": write it as ID=N with N from 0 to 6, e.g. start_rate=0"));
    }
    if (absl::Status st = known(id); !st.ok()) {
      return absl::InvalidArgumentError(internal::Cat("places ", p, ": ", st.message()));
    }
    if (!places.emplace(std::string(id), n[0] - '0').second) {
      return absl::InvalidArgumentError(internal::Cat("places ", id, " given twice"));
    }
  }
  return places;
}

int PlacesOf(const Result& result, size_t col, const RenderOptions& options) {
  const IndicatorRef& ref = result.indicators[col];
  return DisplayPlaces(ref.id, ref.def->unit, ref.def->places, options.money_unit, options);
}

std::vector<std::string> TargetCells(const TargetStatus& s, const RenderOptions& options) {
  const Target& t = s.target;
  const int places = DisplayPlaces("", t.unit, t.places, options.money_unit, options);
  // Money says its unit in the label, as a table's header does: "到位资金（万元）".
  return {t.unit == Unit::kMoney ? Cat(t.label, "（", UnitSuffix(t.unit, options.money_unit), "）") : t.label,
          DisplayValue(s.actual, t.unit, places, options.money_unit),
          // A group without a target of its own or for all (任务分解): "—", no bound.
          t.value.applicable() ? Cat(BoundText(t.bound), " ", DisplayValue(t.value, t.unit, places, options.money_unit))
                               : std::string("—"),
          DisplayValue(s.progress, Unit::kRate, 1),
          DisplayValue(s.gap, s.gap_unit, s.gap_unit == t.unit ? places : 1, options.money_unit),
          std::string(TargetStateLabel(s.state))};
}

std::string ColumnHeader(const IndicatorRef& ref, MoneyUnit unit) {
  std::string label(ref.def->label);
  // A split id: "争取资金·中央预算内", "手续办结数·可研批复", "储备项目库龄·24个月以上".
  if (const std::string part = SplitKeyLabel(ref); !part.empty()) Append(&label, "·", part);
  return Cat(label, "（", UnitSuffix(ref.def->unit, unit), "）");
}

std::string GroupKeyLabel(Dimension dim, std::string_view key, const RegionNames* regions) {
  if (key.empty()) return "（未填）";
  switch (dim) {
    case Dimension::kProvince:
    case Dimension::kCity:
    case Dimension::kCounty: {
      const std::string_view name = regions != nullptr ? regions->Find(key) : std::string_view();
      return std::string(name.empty() ? key : name);
    }
    case Dimension::kCategory: return LabelOf<Category>(key);
    case Dimension::kLevel: return LabelOf<Level>(key);
    case Dimension::kBuildType: return LabelOf<BuildType>(key);
    case Dimension::kSector: return LabelOf<Sector>(key);
    case Dimension::kStage: return LabelOf<Stage>(key);
    case Dimension::kAttracted:
    case Dimension::kIndustrial: return LabelOf<YesNo>(key);
    case Dimension::kSizeBand: {
      if (key == "all") return "全部";
      std::string out;
      for (char c : key) {
        if (c == '<') Append(&out, "低于");
        else if (c == '>') Append(&out, "");
        else if (c == '=') Append(&out, "");
        else out.push_back(c);
      }
      if (key.starts_with(">=")) Append(&out, "及以上");
      return out;
    }
    default: return std::string(key);
  }
}

std::string RowLabel(const Result& result, size_t row, const RegionNames* regions) {
  const ResultRow& r = result.rows[row];
  if (r.group.empty()) return "合计";
  std::string out;
  for (size_t i = 0; i < r.group.size(); ++i) {
    Append(&out, i == 0 ? "" : " / ", GroupKeyLabel(result.group_by[i], r.group[i], regions));
  }
  return out;
}

namespace {

// The city of a county's group key: "6103" for "610302" (region codes of GB/T 2260, the
// key of Dimension::kCity); "" for a key that is not a county's code.
std::string CityOf(std::string_view county) {
  return county.size() == 6 ? std::string(county.substr(0, 4)) : std::string();
}

}  // namespace

std::vector<PrintedRow> PrintedRows(const ReportTable& table) {
  const Result& r = table.result;
  std::vector<PrintedRow> out;
  out.reserve(r.rows.size());
  if (!table.subtotals || r.group_by.empty() || r.group_by.back() != Dimension::kCounty) {
    for (size_t i = 0; i < r.rows.size(); ++i) out.push_back({&r, i});
    return out;
  }
  const Result& cities = *table.subtotals;
  // The subtotal row of each city's group (the leading groups, then the city).
  std::map<std::vector<std::string>, size_t> row_of;
  for (size_t i = 0; i < cities.rows.size(); ++i) {
    if (!cities.rows[i].group.empty()) row_of.emplace(cities.rows[i].group, i);
  }
  // Rows come in ascending key order: the counties of a city are together.
  std::optional<std::vector<std::string>> open;  // the city whose counties are being printed
  auto close = [&]() {
    if (!open) return;
    if (auto it = row_of.find(*open); it != row_of.end() && !open->back().empty()) {
      out.push_back({&cities, it->second, true});
    }
    open.reset();
  };
  for (size_t i = 0; i < r.rows.size(); ++i) {
    const ResultRow& row = r.rows[i];
    if (row.group.empty()) {
      close();
    } else {
      std::vector<std::string> city = row.group;
      city.back() = CityOf(city.back());
      if (open && *open != city) close();
      open = std::move(city);
    }
    out.push_back({&r, i});
  }
  close();
  return out;
}

std::vector<std::string> GroupCells(const PrintedRow& printed, const RegionNames* regions) {
  const Result& r = *printed.result;
  const ResultRow& row = r.rows[printed.row];
  if (r.group_by.empty()) return {"合计"};
  std::vector<std::string> cells;
  for (size_t g = 0; g < r.group_by.size(); ++g) {
    if (row.group.empty()) {
      cells.emplace_back(g == 0 ? "合计" : "");
      continue;
    }
    std::string label = g < row.group.size() ? GroupKeyLabel(r.group_by[g], row.group[g], regions) : "";
    if (printed.subtotal && g + 1 == r.group_by.size()) label += "小计";
    cells.push_back(std::move(label));
  }
  return cells;
}

std::string DisplayCell(const Result& result, size_t row, size_t col, const RenderOptions& options) {
  const IndicatorRef& ref = result.indicators[col];
  return DisplayValue(result.rows[row].values[col], ref.def->unit, PlacesOf(result, col, options),
                      options.money_unit);
}

std::string NoteValueText(const ListNote& note, MoneyUnit money_unit) {
  if (!note.number) return note.text;
  const int64_t n = *note.number;
  const std::string_view key = note.key;
  std::string shown;
  if (key.ends_with("_fen")) {
    const int places = DisplayPlaces("", Unit::kMoney, DefaultPlaces(Unit::kMoney), money_unit, RenderOptions{});
    shown = Cat(DisplayValue(Value::Integer(n), Unit::kMoney, places, money_unit), EnumLabel(money_unit));
  } else if (key.ends_with("_centipercent")) {
    shown = DisplayValue(Value::Ratio(n, 10000), Unit::kRate, 2);
  } else if (key.find("days") != std::string_view::npos) {
    shown = Cat(n, "天");
  } else if (key.find("months") != std::string_view::npos) {
    shown = Cat(n, "个月");
  } else {
    // A plain count; beside a text (the missing items) the text says more.
    return note.text.empty() ? Cat(n) : note.text;
  }
  return note.text.empty() ? shown : Cat(shown, "（", note.text, "）");
}

std::string NoteLine(const ListNote& note, MoneyUnit money_unit) {
  return Cat(note.label, "：", NoteValueText(note, money_unit));
}

std::string ChineseOrdinal(size_t n) {
  static constexpr const char* kDigits[] = {"", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
  static constexpr const char* kUnits[] = {"千", "百", "十", ""};
  if (n == 0 || n >= 10000) return std::to_string(n);
  // 十一 (not 一十一) alone, 一百一十 inside a number; one 零 for any run of zeros
  // between digits (一百零五, 一千零一十), none at the end (一百二十, 二千).
  const size_t digits[] = {n / 1000, n / 100 % 10, n / 10 % 10, n % 10};
  std::string out;
  bool zero = false;
  for (size_t i = 0; i < 4; ++i) {
    if (digits[i] == 0) {
      zero = !out.empty();
      continue;
    }
    if (zero) out += "零";
    zero = false;
    if (!(i == 2 && digits[i] == 1 && n < 20)) out += kDigits[digits[i]];
    out += kUnits[i];
  }
  return out;
}

std::string ChineseDate(Date date) {
  const YearMonthDay ymd = date.ymd();
  return Cat(ymd.year, "年", ymd.month, "月", ymd.day, "日");
}

std::string GroupingTitle(const std::vector<Dimension>& group_by) {
  if (group_by.empty()) return "全部";
  std::string out = "按";
  for (size_t i = 0; i < group_by.size(); ++i) Append(&out, i == 0 ? "" : "×", DimensionLabel(group_by[i]));
  return out;
}

}  // namespace keyproj
