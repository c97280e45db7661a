#include "assess/spec_file.h"

#include "keyproj/indicators.h"
#include "keyproj/internal/text.h"

namespace keyproj::spec {

using ::keyproj::internal::Cat;
using ::keyproj::internal::Append;
using ::keyproj::internal::TrimAscii;

using toml::Node;

absl::Status CheckKeys(const Node& table, std::initializer_list<std::string_view> allowed, std::string_view what) {
  for (const auto& [key, value] : table.members) {
    bool ok = false;
    for (std::string_view a : allowed) ok = ok || a == key;
    if (ok) continue;
    std::string list;
    for (std::string_view a : allowed) Append(&list, list.empty() ? "" : ", ", a);
    return toml::ErrorAtKey(value, Cat("unknown key '", key, "' in ", what, " (expected ", list, ")"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<std::string>> GetString(const Node& table, std::string_view key) {
  const Node* n = table.Find(key);
  if (n == nullptr) return std::optional<std::string>();
  if (n->kind != Node::kString) {
    return toml::ErrorAt(*n, Cat("expected a \"string\" for '", key, "', found ", n->KindName()));
  }
  return std::optional<std::string>(n->text);
}

absl::StatusOr<std::optional<bool>> GetBool(const Node& table, std::string_view key) {
  const Node* n = table.Find(key);
  if (n == nullptr) return std::optional<bool>();
  if (n->kind != Node::kBool) return toml::ErrorAt(*n, Cat("expected true or false for '", key, "', found ", n->KindName()));
  return std::optional<bool>(n->boolean);
}

std::optional<internal::rational::Q> NumberOf(const Node& n) {
  if (n.kind != Node::kNumber && n.kind != Node::kString) return std::nullopt;
  return internal::rational::ParseDecimal(TrimAscii(n.text));
}

absl::StatusOr<std::optional<internal::rational::Q>> GetNumber(const Node& table, std::string_view key) {
  const Node* n = table.Find(key);
  if (n == nullptr) return std::optional<internal::rational::Q>();
  std::optional<internal::rational::Q> q = NumberOf(*n);
  if (!q) return toml::ErrorAt(*n, Cat("expected a number for '", key, "'"));
  return std::optional<internal::rational::Q>(*q);
}

absl::StatusOr<std::optional<int>> GetInt(const Node& table, std::string_view key, int min, int max) {
  const Node* n = table.Find(key);
  if (n == nullptr) return std::optional<int>();
  std::optional<internal::rational::Q> q = n->kind == Node::kNumber ? NumberOf(*n) : std::nullopt;
  if (!q || q->den != 1 || q->num < min || q->num > max) {
    return toml::ErrorAt(*n, Cat("expected a whole number ", min, "..", max, " for '", key, "'"));
  }
  return std::optional<int>(static_cast<int>(q->num));
}

namespace {

// One custom indicator of [indicators]: an expression string, or a table.
absl::StatusOr<CustomIndicator> ReadCustomIndicator(const std::string& id, const Node& def) {
  CustomIndicator c;
  c.id = id;
  if (def.kind == Node::kString) {
    c.expression = def.text;
    c.places = DefaultPlaces(c.unit);
    return c;
  }
  if (def.kind != Node::kTable) {
    return toml::ErrorAt(def, Cat("expected a table (expression, label, unit, places) or an expression string for "
                                  "the custom indicator '", id, "'"));
  }
  if (absl::Status st = CheckKeys(def, {"expression", "label", "unit", "places"}, Cat("[indicators.", id, "]"));
      !st.ok()) {
    return st;
  }
  absl::StatusOr<std::optional<std::string>> expr = GetString(def, "expression");
  if (!expr.ok()) return expr.status();
  if (!*expr) return toml::ErrorAtKey(def, Cat("the custom indicator '", id, "' needs an expression"));
  c.expression = **expr;
  absl::StatusOr<std::optional<std::string>> label = GetString(def, "label");
  if (!label.ok()) return label.status();
  if (*label) c.label = **label;
  absl::StatusOr<std::optional<std::string>> unit = GetString(def, "unit");
  if (!unit.ok()) return unit.status();
  if (*unit) {
    absl::StatusOr<Unit> u = ParseUnit(**unit);
    if (!u.ok()) return toml::ErrorAt(*def.Find("unit"), std::string(u.status().message()));
    c.unit = *u;
  }
  absl::StatusOr<std::optional<int>> places = GetInt(def, "places", 0, 12);
  if (!places.ok()) return places.status();
  c.places = places->value_or(DefaultPlaces(c.unit));
  return c;
}

// The [indicators] table's definitions, each problem kept in `problems`.
std::vector<CustomIndicator> ReadCustomIndicators(const Node& root, internal::ErrorList& problems) {
  std::vector<CustomIndicator> out;
  const Node* table = root.Find("indicators");
  if (table == nullptr) return out;
  if (table->kind != Node::kTable) {
    problems.Ok(toml::ErrorAt(*table, "expected [indicators.<id>] tables of custom indicators"));
    return out;
  }
  for (const auto& [id, def] : table->members) {
    absl::StatusOr<CustomIndicator> c = ReadCustomIndicator(id, def);
    if (problems.Ok(c.status())) out.push_back(*std::move(c));
  }
  return out;
}

absl::StatusOr<CustomIndicatorSet> CompileCustoms(const Node& root, const std::vector<CustomIndicator>& file,
                                                  std::span<const CustomIndicator> known) {
  std::vector<CustomIndicator> all(known.begin(), known.end());
  all.insert(all.end(), file.begin(), file.end());
  absl::StatusOr<CustomIndicatorSet> set = CustomIndicatorSet::Compile(std::move(all));
  if (set.ok()) return set;
  // Put the error at the file's definition of the indicator it names first.
  const std::string message(set.status().message());
  const Node* table = root.Find("indicators");
  size_t best = std::string::npos;
  const Node* where = nullptr;
  for (const CustomIndicator& c : file) {
    const size_t at = std::min(message.find(Cat("'", c.id, "'")), message.find(Cat(": ", c.id, " -> ")));
    if (at < best && table != nullptr) {
      const Node* def = table->Find(c.id);
      if (def != nullptr) {
        best = at;
        const Node* expr = def->kind == Node::kTable ? def->Find("expression") : def;
        where = expr != nullptr ? expr : def;
      }
    }
  }
  if (where != nullptr) return toml::ErrorAt(*where, message);
  return set.status();
}

}  // namespace

std::optional<CustomIndicatorSet> ReadIndicators(const Node& root, std::span<const CustomIndicator> known,
                                                 std::vector<CustomIndicator>* file, internal::ErrorList& problems) {
  const size_t before = problems.size();
  std::vector<CustomIndicator> read = ReadCustomIndicators(root, problems);
  // Compiled only when all were read: one left out would fail the others that use it.
  if (problems.size() != before) return std::nullopt;
  absl::StatusOr<CustomIndicatorSet> compiled = CompileCustoms(root, read, known);
  if (!problems.Ok(compiled.status())) return std::nullopt;
  *file = std::move(read);
  return *std::move(compiled);
}

absl::StatusOr<IndicatorInfo> ResolveIndicator(std::string_view id, const CustomIndicatorSet& customs,
                                               const Node& where, bool at_key) {
  if (const CustomIndicatorSet::Compiled* c = customs.Find(id)) {
    return IndicatorInfo{c->def.id, c->def.label, c->def.unit, c->def.places};
  }
  absl::StatusOr<IndicatorRef> ref = FindIndicator(id);
  if (!ref.ok()) {
    const std::string what = Cat(std::string(ref.status().message()), " (expected a catalogue id or a custom indicator of [indicators])");
    return at_key ? toml::ErrorAtKey(where, what) : toml::ErrorAt(where, what);
  }
  return IndicatorInfo{std::string(id), std::string(ref->def->label), ref->def->unit, ref->def->places,
                       ref->def->builds_up_in_year};
}

std::string ExactText(const internal::rational::Q& q, int max_places) {
  internal::rational::Q r = internal::rational::Reduce(q);
  const bool negative = r.num < 0;
  internal::rational::Int a = negative ? internal::rational::Int(-r.num) : r.num;
  internal::rational::Int scale = 1;
  for (int i = 0; i < max_places; ++i) scale *= 10;
  internal::rational::Int scaled = a * scale / r.den;
  if ((a * scale % r.den) * 2 >= r.den) ++scaled;
  std::string digits = scaled.str();
  if (static_cast<int>(digits.size()) <= max_places) digits.insert(0, static_cast<size_t>(max_places) + 1 - digits.size(), '0');
  std::string out = digits.substr(0, digits.size() - static_cast<size_t>(max_places));
  std::string frac = digits.substr(digits.size() - static_cast<size_t>(max_places));
  while (!frac.empty() && frac.back() == '0') frac.pop_back();
  if (!frac.empty()) Append(&out, ".", frac);
  if (negative && out != "0") out.insert(0, "-");
  return out;
}

}  // namespace keyproj::spec
