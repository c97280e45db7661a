// Partials (partial.h): a shard's exact aggregates as a .kpp file, and the merge.
// The file is text, one record a line (docs/scale-out.md has the grammar); the
// aggregates are the engine's additive Totals with keys as text
// (engine/partial_hooks.h), so adding the shards' totals is the in-process merge of
// Aggregation::Merge, made to cross machines.
#include "keyproj/partial.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <queue>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_join.h"
#include "engine/partial_hooks.h"
#include "keyproj/engine.h"
#include "keyproj/expression.h"
#include "keyproj/internal/ledger_columns.h"
#include "keyproj/internal/no_throw.h"
#include "keyproj/internal/text.h"
#include "keyproj/ledger_builder.h"
#include "keyproj/money.h"
#include "report/report_internal.h"

#ifndef KEYPROJ_VERSION
#error "KEYPROJ_VERSION must be defined by src/CMakeLists.txt"
#endif

namespace keyproj {

using ::keyproj::internal::Cat;

namespace {

constexpr std::string_view kWriter = KEYPROJ_VERSION;

// ---- text fields --------------------------------------------------------------

// The parts of `s` between `sep`s ("" gives one empty part).
std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    const size_t at = s.find(sep, start);
    if (at == std::string_view::npos) {
      parts.push_back(s.substr(start));
      return parts;
    }
    parts.push_back(s.substr(start, at - start));
    start = at + 1;
  }
}

// A field holds any bytes but TAB, LF, CR and '%', which are written %09 %0A %0D %25.
std::string Esc(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '%': out += "%25"; break;
      case '\t': out += "%09"; break;
      case '\n': out += "%0A"; break;
      case '\r': out += "%0D"; break;
      default: out += c;
    }
  }
  return out;
}

std::optional<std::string> Unesc(std::string_view s) {
  if (s.find('%') == std::string_view::npos) return std::string(s);  // nearly every field
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    if (i + 2 >= s.size()) return std::nullopt;
    const std::string_view code = s.substr(i + 1, 2);
    if (code == "25") out += '%';
    else if (code == "09") out += '\t';
    else if (code == "0A") out += '\n';
    else if (code == "0D") out += '\r';
    else return std::nullopt;
    i += 2;
  }
  return out;
}

// Several texts in one field (before the field's own escaping): their number, ':',
// each escaped and joined by TAB ("2:a<TAB>b" is {"a", "b"}; "1:" is {""}; "0:" none).
std::string Pack(const std::vector<std::string>& parts) {
  std::vector<std::string> escaped;
  for (const std::string& p : parts) escaped.push_back(Esc(p));
  return Cat(parts.size(), ":", absl::StrJoin(escaped, "\t"));
}

std::optional<std::vector<std::string>> Unpack(std::string_view whole) {
  const size_t colon = whole.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon > 9) return std::nullopt;
  size_t n = 0;
  for (char c : whole.substr(0, colon)) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + static_cast<size_t>(c - '0');
  }
  std::vector<std::string> out;
  if (n == 0) {
    if (whole.size() != colon + 1) return std::nullopt;
    return out;
  }
  for (std::string_view part : Split(whole.substr(colon + 1), '\t')) {
    std::optional<std::string> u = Unesc(part);
    if (!u) return std::nullopt;
    out.push_back(*std::move(u));
  }
  if (out.size() != n) return std::nullopt;
  return out;
}

std::optional<int128> ParseInt128(std::string_view s) {
  bool negative = false;
  if (!s.empty() && s[0] == '-') {
    negative = true;
    s.remove_prefix(1);
  }
  if (s.empty() || s.size() > 38 || (s.size() > 1 && s[0] == '0')) return std::nullopt;
  int128 v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return negative ? -v : v;
}

std::optional<int64_t> ParseInt64(std::string_view s) {
  std::optional<int128> v = ParseInt128(s);
  if (!v || *v < std::numeric_limits<int64_t>::min() || *v > std::numeric_limits<int64_t>::max()) return std::nullopt;
  return static_cast<int64_t>(*v);
}

// FNV-1a, 64 bits: the checksum of everything after the checksum line.
uint64_t Fnv1a(std::string_view bytes) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  return h;
}

std::string Hex64(uint64_t v) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, v >>= 4) out[static_cast<size_t>(i)] = kDigits[v & 15];
  return out;
}

// ---- the request in canonical form ----------------------------------------------

using Settings = std::vector<std::pair<std::string, std::string>>;

template <typename E>
std::string EnumList(const std::vector<E>& values) {
  std::set<std::string> ids;
  for (E v : values) ids.emplace(EnumId(v));
  return absl::StrJoin(ids, ",");
}

std::string SortedList(const std::vector<std::string>& values) {
  std::set<std::string> set(values.begin(), values.end());
  return Pack(std::vector<std::string>(set.begin(), set.end()));
}

std::string DimsText(const std::vector<Dimension>& dims) {
  std::vector<std::string> ids;
  for (Dimension d : dims) ids.emplace_back(DimensionId(d));
  return absl::StrJoin(ids, ",");
}

template <typename T>
std::string Optional(const std::optional<T>& v) {
  if (!v) return "-";
  if constexpr (std::is_same_v<T, bool>) return *v ? "1" : "0";
  else if constexpr (std::is_same_v<T, int64_t>) return std::to_string(*v);
  else return std::string(EnumId(*v));
}

std::string Numbers(std::span<const int64_t> v) {
  std::vector<std::string> parts;
  for (int64_t x : v) parts.push_back(std::to_string(x));
  return absl::StrJoin(parts, ",");
}

// The baseline.csv rows a report at `as_of` can read (ComparableBase: the month of
// as_of, and the month before its quarter for the quarter's base), sorted: shards
// must hold the same, since each looks up its groups' bases.
std::string BaselineText(const Ledger& ledger, Date as_of) {
  const internal::BaselineColumns& b = internal::Columns(ledger).baseline;
  const Periods periods = Periods::For(as_of);
  const int32_t month = periods.month.index(), before_quarter = (periods.quarter.first - 1).index();
  std::set<std::string> rows;
  for (size_t i = 0; i < b.month.size(); ++i) {
    if (b.month[i] != month && b.month[i] != before_quarter) continue;
    rows.insert(Pack({Month::FromIndex(b.month[i]).ToString(), std::string(ledger.text(b.dimension[i])),
                      std::string(ledger.text(b.key[i])), std::to_string(b.investment[i])}));
  }
  return Pack(std::vector<std::string>(rows.begin(), rows.end()));
}

// Everything of `r` that changes a figure or a label, in a fixed order. `r.as_of`
// is set. The baseline rows come from the shard (BaselineText).
Settings Canonical(const ReportRequest& r, const std::string& baseline) {
  Settings s;
  auto add = [&](std::string name, std::string value) { s.emplace_back(std::move(name), std::move(value)); };
  add("as_of", r.as_of->ToString());
  const Filter& f = r.filter;
  add("filter.categories", EnumList(f.categories));
  add("filter.levels", EnumList(f.levels));
  add("filter.build_type", Optional(f.build_type));
  add("filter.regions", SortedList(f.region_prefixes));
  add("filter.departments", SortedList(f.departments));
  add("filter.leaders", SortedList(f.leaders));
  add("filter.tags", SortedList(f.tags));
  add("filter.attracted", Optional(f.attracted));
  add("filter.sector", Optional(f.sector));
  add("filter.industrial", Optional(f.industrial));
  add("filter.min_total_investment", Optional(f.min_total_investment));
  add("filter.max_total_investment", Optional(f.max_total_investment));
  std::vector<std::string> groupings;
  for (const std::vector<Dimension>& g : r.groupings) groupings.push_back(DimsText(g));
  add("groupings", Cat(groupings.size(), ":", absl::StrJoin(groupings, ";")));
  add("indicators", Pack(r.indicators));
  std::vector<std::string> custom;
  for (const CustomIndicator& c : r.custom) {
    custom.push_back(Pack({c.id, c.label, std::string(EnumId(c.unit)), std::to_string(c.places), c.expression}));
  }
  add("custom", Pack(custom));
  const QueryOptions& o = r.options;
  add("schedule", std::string(EnumId(o.schedule)));
  add("curve", Numbers(o.curve));
  if (r.schedule) {
    add("schedule_spec", Cat(EnumId(r.schedule->mode), ":", Numbers(r.schedule->curve)));
  } else {
    add("schedule_spec", "-");
  }
  add("report_deadline_day", std::to_string(o.report_deadline_day));
  add("stalled_months", std::to_string(o.stalled_months));
  add("land_to_start_days", std::to_string(o.land_to_start_days));
  add("behind_centipoints", std::to_string(o.behind_centipoints));
  add("size_band_threshold", std::to_string(o.size_band_threshold));
  add("size_bands", Numbers(o.size_bands));
  add("use_baseline", o.use_baseline ? "1" : "0");
  add("leader_threshold", std::to_string(o.leader_threshold));
  add("leader_threshold_by_category", Numbers(o.leader_threshold_by_category));
  add("countdown_days", std::to_string(o.countdown_days));
  add("signed_months", std::to_string(o.signed_months));
  add("funnel", r.funnel_group_by ? Cat("1:", DimsText(*r.funnel_group_by)) : "-");
  add("scope_name", r.scope_name);
  add("subtotals", r.subtotals ? "1" : "0");
  std::vector<std::string> regions;
  if (r.regions != nullptr) {
    std::map<int32_t, std::string> sorted(r.regions->all().begin(), r.regions->all().end());
    for (const auto& [code, name] : sorted) regions.push_back(Pack({std::to_string(code), name}));
  }
  add("regions", Pack(regions));
  add("baseline", o.use_baseline ? baseline : "-");
  return s;
}

absl::Status Bad(std::string_view setting, std::string_view value) {
  return absl::InvalidArgumentError(Cat("setting ", setting, ": cannot read '", value, "'"));
}

template <typename E>
absl::Status ReadEnumList(std::string_view name, std::string_view text, std::vector<E>* out) {
  if (text.empty()) return absl::OkStatus();
  for (std::string_view id : Split(text, ',')) {
    std::optional<E> v = ParseEnum<E>(id);
    if (!v) return Bad(name, text);
    out->push_back(*v);
  }
  return absl::OkStatus();
}

absl::Status ReadDims(std::string_view name, std::string_view text, std::vector<Dimension>* out) {
  if (text.empty()) return absl::OkStatus();
  for (std::string_view id : Split(text, ',')) {
    std::optional<Dimension> d = ParseEnum<Dimension>(id);
    if (!d || EnumId(*d) != id) return Bad(name, text);
    out->push_back(*d);
  }
  return absl::OkStatus();
}

template <typename T>
absl::Status ReadOptional(std::string_view name, std::string_view text, std::optional<T>* out) {
  if (text == "-") return absl::OkStatus();
  if constexpr (std::is_same_v<T, bool>) {
    if (text != "0" && text != "1") return Bad(name, text);
    *out = text == "1";
  } else if constexpr (std::is_same_v<T, int64_t>) {
    std::optional<int64_t> v = ParseInt64(text);
    if (!v) return Bad(name, text);
    *out = *v;
  } else {
    std::optional<T> v = ParseEnum<T>(text);
    if (!v) return Bad(name, text);
    *out = *v;
  }
  return absl::OkStatus();
}

absl::Status ReadNumbers(std::string_view name, std::string_view text, std::vector<int64_t>* out) {
  if (text.empty()) return absl::OkStatus();
  for (std::string_view part : Split(text, ',')) {
    std::optional<int64_t> v = ParseInt64(part);
    if (!v) return Bad(name, text);
    out->push_back(*v);
  }
  return absl::OkStatus();
}

template <size_t N>
absl::Status ReadArray(std::string_view name, std::string_view text, std::array<int64_t, N>* out) {
  std::vector<int64_t> v;
  if (absl::Status s = ReadNumbers(name, text, &v); !s.ok()) return s;
  if (v.size() != N) return Bad(name, text);
  std::copy(v.begin(), v.end(), out->begin());
  return absl::OkStatus();
}

absl::Status ReadInt(std::string_view name, std::string_view text, int* out) {
  std::optional<int64_t> v = ParseInt64(text);
  if (!v || *v < std::numeric_limits<int>::min() || *v > std::numeric_limits<int>::max()) return Bad(name, text);
  *out = static_cast<int>(*v);
  return absl::OkStatus();
}

absl::Status ReadStrings(std::string_view name, std::string_view text, std::vector<std::string>* out) {
  std::optional<std::vector<std::string>> v = Unpack(text);
  if (!v) return Bad(name, text);
  *out = *std::move(v);
  return absl::OkStatus();
}

// The request of Canonical's settings (the baseline aside: it is checked, not
// used -- each shard looked its bases up).
absl::StatusOr<ReportRequest> FromSettings(const Settings& s) {
  ReportRequest r;
  std::map<std::string, std::string, std::less<>> m(s.begin(), s.end());
  auto get = [&](std::string_view name) -> std::string_view {
    auto it = m.find(name);
    return it == m.end() ? std::string_view("\x01missing") : std::string_view(it->second);
  };
  absl::Status st;
  auto check = [&](absl::Status s2) {
    if (st.ok() && !s2.ok()) st = std::move(s2);
  };
  std::optional<Date> as_of = Date::Parse(get("as_of"));
  if (!as_of) return Bad("as_of", get("as_of"));
  r.as_of = *as_of;
  Filter& f = r.filter;
  check(ReadEnumList("filter.categories", get("filter.categories"), &f.categories));
  check(ReadEnumList("filter.levels", get("filter.levels"), &f.levels));
  check(ReadOptional("filter.build_type", get("filter.build_type"), &f.build_type));
  check(ReadStrings("filter.regions", get("filter.regions"), &f.region_prefixes));
  check(ReadStrings("filter.departments", get("filter.departments"), &f.departments));
  check(ReadStrings("filter.leaders", get("filter.leaders"), &f.leaders));
  check(ReadStrings("filter.tags", get("filter.tags"), &f.tags));
  check(ReadOptional("filter.attracted", get("filter.attracted"), &f.attracted));
  check(ReadOptional("filter.sector", get("filter.sector"), &f.sector));
  check(ReadOptional("filter.industrial", get("filter.industrial"), &f.industrial));
  check(ReadOptional("filter.min_total_investment", get("filter.min_total_investment"), &f.min_total_investment));
  check(ReadOptional("filter.max_total_investment", get("filter.max_total_investment"), &f.max_total_investment));
  {
    const std::string_view g = get("groupings");
    const size_t colon = g.find(':');
    std::optional<int64_t> n = colon == std::string_view::npos ? std::nullopt : ParseInt64(g.substr(0, colon));
    if (!n || *n < 0 || *n > 1000) return Bad("groupings", g);
    r.groupings.clear();
    if (*n > 0) {
      for (std::string_view part : Split(g.substr(colon + 1), ';')) {
        r.groupings.emplace_back();
        check(ReadDims("groupings", part, &r.groupings.back()));
      }
    }
    if (r.groupings.size() != static_cast<size_t>(*n)) return Bad("groupings", g);
  }
  check(ReadStrings("indicators", get("indicators"), &r.indicators));
  {
    std::vector<std::string> custom;
    check(ReadStrings("custom", get("custom"), &custom));
    for (const std::string& c : custom) {
      std::optional<std::vector<std::string>> p = Unpack(c);
      std::optional<Unit> unit = p && p->size() == 5 ? ParseEnum<Unit>((*p)[2]) : std::nullopt;
      int places = 0;
      if (!unit || !ReadInt("custom", (*p)[3], &places).ok()) return Bad("custom", c);
      r.custom.push_back({(*p)[0], (*p)[1], *unit, places, (*p)[4]});
    }
  }
  QueryOptions& o = r.options;
  {
    std::optional<ScheduleMode> mode = ParseEnum<ScheduleMode>(get("schedule"));
    if (!mode) return Bad("schedule", get("schedule"));
    o.schedule = *mode;
  }
  check(ReadArray("curve", get("curve"), &o.curve));
  if (const std::string_view spec = get("schedule_spec"); spec != "-") {
    const size_t colon = spec.find(':');
    std::optional<ScheduleMode> mode =
        colon == std::string_view::npos ? std::nullopt : ParseEnum<ScheduleMode>(spec.substr(0, colon));
    if (!mode) return Bad("schedule_spec", spec);
    ScheduleSpec sp;
    sp.mode = *mode;
    check(ReadArray("schedule_spec", spec.substr(colon + 1), &sp.curve));
    r.schedule = sp;
  }
  check(ReadInt("report_deadline_day", get("report_deadline_day"), &o.report_deadline_day));
  check(ReadInt("stalled_months", get("stalled_months"), &o.stalled_months));
  check(ReadInt("land_to_start_days", get("land_to_start_days"), &o.land_to_start_days));
  auto read64 = [&](std::string_view name, int64_t* out) {
    std::optional<int64_t> v = ParseInt64(get(name));
    if (!v) return Bad(name, get(name));
    *out = *v;
    return absl::OkStatus();
  };
  check(read64("behind_centipoints", &o.behind_centipoints));
  check(read64("size_band_threshold", &o.size_band_threshold));
  o.size_bands.clear();
  check(ReadNumbers("size_bands", get("size_bands"), &o.size_bands));
  if (get("use_baseline") != "0" && get("use_baseline") != "1") return Bad("use_baseline", get("use_baseline"));
  o.use_baseline = get("use_baseline") == "1";
  check(read64("leader_threshold", &o.leader_threshold));
  check(ReadArray("leader_threshold_by_category", get("leader_threshold_by_category"), &o.leader_threshold_by_category));
  check(ReadInt("countdown_days", get("countdown_days"), &o.countdown_days));
  check(ReadInt("signed_months", get("signed_months"), &o.signed_months));
  if (const std::string_view funnel = get("funnel"); funnel != "-") {
    if (funnel.substr(0, 2) != "1:") return Bad("funnel", funnel);
    r.funnel_group_by.emplace();
    check(ReadDims("funnel", funnel.substr(2), &*r.funnel_group_by));
  }
  {
    std::optional<std::string> name = std::string(get("scope_name"));
    r.scope_name = *name;
  }
  if (get("subtotals") != "0" && get("subtotals") != "1") return Bad("subtotals", get("subtotals"));
  r.subtotals = get("subtotals") == "1";
  {
    std::vector<std::string> regions;
    check(ReadStrings("regions", get("regions"), &regions));
    auto names = std::make_shared<RegionNames>();
    for (const std::string& entry : regions) {
      std::optional<std::vector<std::string>> p = Unpack(entry);
      std::optional<int64_t> code = p && p->size() == 2 ? ParseInt64((*p)[0]) : std::nullopt;
      if (!code || *code <= 0 || *code > 999999 || !names->Add(static_cast<int32_t>(*code), (*p)[1])) {
        return Bad("regions", entry);
      }
    }
    if (!names->empty()) r.regions = std::move(names);
  }
  if (!st.ok()) return st;
  return r;
}

// ---- what the shard computes ---------------------------------------------------

// The query of one table of a report (its shared query and the table's columns).
Query TableQuery(const Query& base, const Result& r) {
  Query q = base;
  q.group_by = r.group_by;
  q.indicators.clear();
  for (const IndicatorRef& ref : r.indicators) q.indicators.push_back(ref.id);
  q.custom = r.custom;
  return q;
}

// The tables a partial holds, in order: each of the request's tables ("table"), the
// cities' subtotals of each table grouped by county ("subtotals"), the funnel
// ("funnel"). Made from the report of the request on a ledger without projects, so
// that the shards and the merge derive the same queries from the same request.
struct Part {
  std::string role;
  size_t index;
  Query query;
};

absl::StatusOr<std::pair<Report, std::vector<Part>>> Skeleton(const ReportRequest& request) {
  static const Ledger* const empty = new Ledger();
  absl::StatusOr<Report> report = MakeReport(*empty, request);
  if (!report.ok()) return report.status();
  std::vector<Part> parts;
  for (size_t t = 0; t < report->tables.size(); ++t) {
    const Result& r = report->tables[t].result;
    parts.push_back({"table", t, TableQuery(report->query, r)});
    if (request.subtotals && !r.group_by.empty() && r.group_by.back() == Dimension::kCounty) {
      Query by_city = TableQuery(report->query, r);
      by_city.group_by.back() = Dimension::kCity;
      parts.push_back({"subtotals", t, std::move(by_city)});
    }
  }
  if (report->funnel) parts.push_back({"funnel", 0, TableQuery(report->query, report->funnel->result)});
  return std::make_pair(*std::move(report), std::move(parts));
}

std::string TotalsText(const engine::Totals& t) {
  std::vector<int128> numbers;
  engine::TotalsToNumbers(t, &numbers);
  std::string out;
  for (size_t i = 0; i < numbers.size(); ++i) {
    if (numbers[i] == 0) continue;
    internal::Append(&out, out.empty() ? "" : ",", i, ":", Int128ToString(numbers[i]));
  }
  return out;
}

// "ytd,quarter", each an integer (分) or "-".
std::string BaseText(const engine::ComparableBases& base) {
  auto one = [](const std::optional<int128>& b) { return b ? Int128ToString(*b) : std::string("-"); };
  return Cat(one(base.ytd), ",", one(base.quarter));
}

void AppendLine(std::string* out, std::initializer_list<std::string_view> fields) {
  bool first = true;
  for (std::string_view f : fields) {
    if (!first) *out += '\t';
    *out += f;
    first = false;
  }
  *out += '\n';
}

struct ListEntry {
  std::string code, name;
  std::optional<CarriedNote> note;
};

using Lists = std::map<std::vector<std::string>, std::map<size_t, std::vector<ListEntry>>>;

struct PartData {
  std::string role;
  size_t index = 0;
  engine::PortableTotals totals;
  // Per row key (empty: the whole scope), per column: listed projects.
  Lists lists;
};

void AppendLists(std::string* out, const std::map<size_t, std::vector<ListEntry>>& columns) {
  for (const auto& [column, entries] : columns) {
    for (const ListEntry& e : entries) {
      const std::optional<CarriedNote>& n = e.note;
      AppendLine(out, {"list", std::to_string(column), Esc(e.code), Esc(e.name), n ? "1" : "0", n ? Esc(n->key) : "",
                       n ? Esc(n->label) : "", n && n->number ? std::to_string(*n->number) : "-",
                       n ? Esc(n->text) : ""});
    }
  }
}

// One part of the file: its table line, totals and lists (the grammar's `part`).
std::string WritePart(const std::string& role, size_t index, const engine::PortableTotals& totals, const Lists& lists) {
  std::string out;
  AppendLine(&out, {"table", role, std::to_string(index), std::to_string(totals.alls.size()), BaseText(totals.whole_base)});
  for (size_t s = 0; s < totals.alls.size(); ++s) AppendLine(&out, {"all", std::to_string(s), TotalsText(totals.alls[s])});
  for (const engine::PortableGroup& g : totals.groups) {
    std::vector<std::string> codes;
    for (uint32_t c : g.codes) codes.push_back(std::to_string(c));
    out += Cat("group\t", g.scope, "\t", BaseText(g.base), "\t", TotalsText(g.totals), "\t", absl::StrJoin(codes, ","),
               "\t", Esc(Pack(g.texts)), "\n");
    if (g.scope == 0 && !g.texts.empty()) {
      if (auto it = lists.find(g.texts); it != lists.end()) AppendLists(&out, it->second);
    }
  }
  AppendLine(&out, {"whole"});
  if (auto it = lists.find({}); it != lists.end()) AppendLists(&out, it->second);
  return out;
}

absl::StatusOr<std::string> PartBody(const Ledger& ledger, const Part& part) {
  absl::StatusOr<Aggregation> a = Aggregation::Start(ledger, part.query);
  if (!a.ok()) return a.status();
  a->AddProjects(0, ledger.size());
  const Result result = a->Finish();
  Lists lists;
  for (const ResultRow& row : result.rows) {
    for (size_t c = 0; c < row.projects.size(); ++c) {
      for (uint32_t p : row.projects[c]) {
        std::optional<CarriedNote> note;
        if (const std::optional<ListNote> n = NoteOf(ledger, result, c, p)) {
          note = CarriedNote{std::string(n->key), std::string(n->label), n->number, n->text};
        }
        lists[row.group][c].push_back({std::string(ledger.code(p)), std::string(ledger.name(p)), std::move(note)});
      }
    }
  }
  return WritePart(part.role, part.index, engine::ExportTotals(*a), lists);
}

// The whole file around a body's parts: magic, version, checksum.
std::string FileOf(const Settings& settings, const std::vector<int32_t>& counties,
                   const std::vector<std::string_view>& covered, const std::string& parts) {
  std::string body;
  for (const auto& [name, value] : settings) AppendLine(&body, {"setting", Esc(name), Esc(value)});
  std::vector<std::string> county_text;
  for (int32_t c : counties) county_text.push_back(std::to_string(c));
  AppendLine(&body, {"counties", absl::StrJoin(county_text, ",")});
  for (std::string_view code : covered) AppendLine(&body, {"covered", Esc(code)});
  body += parts;
  AppendLine(&body, {"end"});
  std::string out = Cat(kPartialMagic, "\t", kPartialFormatVersion, "\nkeyproj\t", kWriter, "\nchecksum\t",
                        Hex64(Fnv1a(body)), "\n");
  out += body;
  return out;
}

// ---- reading a file -------------------------------------------------------------

struct ParsedPartial {
  std::string writer;
  Settings settings;
  std::vector<int32_t> counties;
  std::vector<std::string> covered;  // sorted, distinct
  std::vector<PartData> parts;
};

// One file's bytes, read as the format says. Bytes that are not a partial, or are
// damaged (cut short, a checksum mismatch, a line out of form), are DataLoss, another
// format version FailedPrecondition, as a snapshot's are (snapshot/validate.cc):
// the file could not be read. InvalidArgument is left for partials that each read
// well but do not go together (different requests, overlapping shards).
absl::StatusOr<ParsedPartial> Parse(std::string_view name, std::string_view bytes) {
  auto error = [&](size_t line, std::string_view why) {
    return absl::DataLossError(Cat(name, ":", line, ": ", why));
  };
  std::vector<std::string_view> lines;
  size_t pos = 0;
  while (pos < bytes.size()) {
    const size_t end = bytes.find('\n', pos);
    if (end == std::string_view::npos) {
      return error(lines.size() + 1, "truncated (the last line has no end; the file was cut short)");
    }
    lines.push_back(bytes.substr(pos, end - pos));
    pos = end + 1;
  }
  if (lines.empty() || lines[0].substr(0, kPartialMagic.size() + 1) != Cat(kPartialMagic, "\t")) {
    return absl::DataLossError(Cat(name, ": not a keyproj partial (.kpp) file"));
  }
  if (lines[0] != Cat(kPartialMagic, "\t", kPartialFormatVersion)) {
    return absl::FailedPreconditionError(Cat(name, ": partial format version '", lines[0].substr(kPartialMagic.size() + 1),
                                          "'; this keyproj reads version ", kPartialFormatVersion));
  }
  if (lines.size() < 4) return error(lines.size(), "truncated (no checksum or end line)");
  ParsedPartial out;
  if (lines[1].substr(0, 8) != "keyproj\t") return error(2, "expected 'keyproj<TAB>version'");
  out.writer = std::string(lines[1].substr(8));
  if (lines[2].substr(0, 9) != "checksum\t" || lines[2].size() != 9 + 16) return error(3, "expected 'checksum<TAB>16 hex digits'");
  const size_t body_start = lines[0].size() + lines[1].size() + lines[2].size() + 3;
  if (Hex64(Fnv1a(bytes.substr(body_start))) != lines[2].substr(9)) {
    return absl::DataLossError(Cat(name, ": checksum mismatch (the file is corrupt or was cut short)"));
  }
  if (lines.back() != "end") return error(lines.size(), "truncated (no 'end' line)");
  PartData* part = nullptr;
  std::map<std::vector<std::string>, std::map<size_t, std::vector<ListEntry>>>::iterator row;
  bool have_row = false;
  const size_t number_count = engine::TotalsNumberCount();
  auto totals_of = [&](std::string_view text, engine::Totals* t) -> bool {
    std::vector<int128> numbers(number_count, 0);
    if (!text.empty()) {
      int64_t last = -1;
      for (std::string_view item : Split(text, ',')) {
        const size_t colon = item.find(':');
        if (colon == std::string_view::npos) return false;
        std::optional<int64_t> i = ParseInt64(item.substr(0, colon));
        std::optional<int128> v = ParseInt128(item.substr(colon + 1));
        if (!i || !v || *i <= last || *i >= static_cast<int64_t>(number_count) || *v == 0) return false;
        numbers[static_cast<size_t>(*i)] = *v;
        last = *i;
      }
    }
    return engine::TotalsFromNumbers(numbers, t).ok();
  };
  auto base_of = [&](std::string_view text, engine::ComparableBases* base) -> bool {
    const size_t comma = text.find(',');
    if (comma == std::string_view::npos) return false;
    auto one = [](std::string_view t, std::optional<int128>* b) {
      if (t == "-") return true;
      *b = ParseInt128(t);
      return b->has_value();
    };
    return one(text.substr(0, comma), &base->ytd) && one(text.substr(comma + 1), &base->quarter);
  };
  for (size_t i = 3; i + 1 < lines.size(); ++i) {
    const size_t n = i + 1;
    std::vector<std::string_view> f = Split(lines[i], '\t');
    const std::string_view kind = f[0];
    if (kind == "setting" && f.size() == 3 && part == nullptr) {
      std::optional<std::string> setting = Unesc(f[1]), value = Unesc(f[2]);
      if (!setting || !value) return error(n, "a setting is not escaped as the format says");
      out.settings.emplace_back(*std::move(setting), *std::move(value));
    } else if (kind == "counties" && f.size() == 2 && part == nullptr) {
      std::vector<int64_t> c;
      if (!ReadNumbers("counties", f[1], &c).ok()) return error(n, "bad county list");
      for (int64_t v : c) {
        if (v <= 0 || v > 999999 || (!out.counties.empty() && v <= out.counties.back())) {
          return error(n, "county codes must be 6 digits, ascending");
        }
        out.counties.push_back(static_cast<int32_t>(v));
      }
    } else if (kind == "covered" && f.size() == 2 && part == nullptr) {
      std::optional<std::string> code = Unesc(f[1]);
      if (!code || code->empty()) return error(n, "bad project code");
      if (!out.covered.empty() && out.covered.back() >= *code) {
        return error(n, Cat("project codes must be sorted and distinct ('", *code, "' after '", out.covered.back(), "')"));
      }
      out.covered.push_back(*std::move(code));
    } else if (kind == "table" && f.size() == 5) {
      std::optional<int64_t> index = ParseInt64(f[2]);
      std::optional<int64_t> scopes = ParseInt64(f[3]);
      if (!index || *index < 0 || *index > 100000 || !scopes || *scopes < 1 || *scopes > 4096 ||
          (f[1] != "table" && f[1] != "subtotals" && f[1] != "funnel")) {
        return error(n, "bad table line");
      }
      out.parts.emplace_back();
      part = &out.parts.back();
      part->role = std::string(f[1]);
      part->index = static_cast<size_t>(*index);
      part->totals.alls.resize(static_cast<size_t>(*scopes));
      if (!base_of(f[4], &part->totals.whole_base)) return error(n, "bad base");
      have_row = false;
    } else if (kind == "all" && f.size() == 3 && part != nullptr) {
      std::optional<int64_t> s = ParseInt64(f[1]);
      if (!s || *s < 0 || static_cast<size_t>(*s) >= part->totals.alls.size() ||
          !totals_of(f[2], &part->totals.alls[static_cast<size_t>(*s)])) {
        return error(n, "bad totals");
      }
    } else if (kind == "group" && f.size() == 6 && part != nullptr) {
      engine::PortableGroup g;
      std::optional<int64_t> s = ParseInt64(f[1]);
      if (!s || *s < 0 || static_cast<size_t>(*s) >= part->totals.alls.size()) return error(n, "bad scope");
      g.scope = static_cast<uint32_t>(*s);
      std::vector<int64_t> codes;
      std::optional<std::string> packed = Unesc(f[5]);
      std::optional<std::vector<std::string>> texts = packed ? Unpack(*packed) : std::nullopt;
      if (!base_of(f[2], &g.base) || !totals_of(f[3], &g.totals) || !ReadNumbers("codes", f[4], &codes).ok() || !texts) {
        return error(n, "bad group line");
      }
      for (int64_t c : codes) {
        if (c < 0 || c > UINT32_MAX) return error(n, "bad group code");
        g.codes.push_back(static_cast<uint32_t>(c));
      }
      g.texts = *std::move(texts);
      if (g.texts.size() != g.codes.size()) return error(n, "a group's codes and texts differ in number");
      if (g.scope == 0 && !g.texts.empty()) {
        row = part->lists.try_emplace(g.texts).first;
        have_row = true;
      } else {
        have_row = false;
      }
      part->totals.groups.push_back(std::move(g));
    } else if (kind == "whole" && f.size() == 1 && part != nullptr) {
      row = part->lists.try_emplace(std::vector<std::string>{}).first;
      have_row = true;
    } else if (kind == "list" && f.size() == 9 && part != nullptr && have_row) {
      std::optional<int64_t> column = ParseInt64(f[1]);
      std::optional<std::string> code = Unesc(f[2]), pname = Unesc(f[3]);
      if (!column || *column < 0 || *column > 100000 || !code || !pname || code->empty() || (f[4] != "0" && f[4] != "1")) {
        return error(n, "bad list line");
      }
      ListEntry e{*std::move(code), *std::move(pname), std::nullopt};
      if (f[4] == "1") {
        std::optional<std::string> key = Unesc(f[5]), label = Unesc(f[6]), text = Unesc(f[8]);
        std::optional<int64_t> number;
        if (f[7] != "-") {
          number = ParseInt64(f[7]);
          if (!number) return error(n, "bad note number");
        }
        if (!key || !label || !text) return error(n, "bad note");
        e.note = CarriedNote{*std::move(key), *std::move(label), number, *std::move(text)};
      }
      row->second[static_cast<size_t>(*column)].push_back(std::move(e));
    } else {
      return error(n, Cat("unexpected line '", lines[i].substr(0, 40), "'"));
    }
  }
  // A listed project is one of the shard's: the overlap check covers it.
  for (const PartData& p : out.parts) {
    for (const auto& [key, columns] : p.lists) {
      for (const auto& [column, entries] : columns) {
        for (const ListEntry& e : entries) {
          if (!std::binary_search(out.covered.begin(), out.covered.end(), e.code)) {
            return absl::DataLossError(Cat(name, ": lists project '", e.code, "', which it does not cover"));
          }
        }
      }
    }
  }
  return out;
}

// ---- merging ---------------------------------------------------------------------

struct MergedPart {
  engine::PortableTotals totals;
  std::map<std::pair<uint32_t, std::vector<std::string>>, size_t> index;  // into totals.groups
  Lists lists;
};

absl::Status AddPart(std::string_view name, PartData& part, MergedPart* into, bool first) {
  if (first) {
    into->totals.alls = part.totals.alls;
    into->totals.whole_base = part.totals.whole_base;
  } else {
    if (into->totals.alls.size() != part.totals.alls.size()) {
      return absl::InvalidArgumentError(Cat(name, ": a table's scopes differ from the first partial's"));
    }
    for (size_t s = 0; s < part.totals.alls.size(); ++s) into->totals.alls[s] += part.totals.alls[s];
    if (into->totals.whole_base != part.totals.whole_base) {
      return absl::InvalidArgumentError(Cat(name, ": the whole scope's comparable base differs from the first partial's"));
    }
  }
  for (engine::PortableGroup& g : part.totals.groups) {
    auto [it, added] = into->index.try_emplace({g.scope, g.texts}, into->totals.groups.size());
    if (added) {
      into->totals.groups.push_back(std::move(g));
      continue;
    }
    engine::PortableGroup& have = into->totals.groups[it->second];
    if (have.codes != g.codes || have.base != g.base) {
      return absl::InvalidArgumentError(Cat(name, ": group '", absl::StrJoin(g.texts, "/"),
                                            "' has another code or comparable base than in an earlier partial"));
    }
    have.totals += g.totals;
  }
  for (auto& [key, columns] : part.lists) {
    for (auto& [column, entries] : columns) {
      std::vector<ListEntry>& to = into->lists[key][column];
      to.insert(to.end(), std::make_move_iterator(entries.begin()), std::make_move_iterator(entries.end()));
    }
  }
  return absl::OkStatus();
}

// The first pair of partials that share a project: a walk over their sorted codes.
absl::Status CheckDisjoint(std::span<const PartialInput> inputs, const std::vector<ParsedPartial>& parsed) {
  using Head = std::pair<std::string_view, size_t>;  // code, partial
  std::priority_queue<Head, std::vector<Head>, std::greater<>> heap;
  std::vector<size_t> next(parsed.size(), 0);
  for (size_t i = 0; i < parsed.size(); ++i) {
    if (!parsed[i].covered.empty()) heap.emplace(parsed[i].covered[0], i);
  }
  std::optional<Head> last;
  while (!heap.empty()) {
    const Head h = heap.top();
    heap.pop();
    if (last && last->first == h.first) {
      return absl::InvalidArgumentError(Cat("the shards overlap: project '", h.first, "' is in both ",
                                            inputs[last->second].name, " and ", inputs[h.second].name));
    }
    last = h;
    if (++next[h.second] < parsed[h.second].covered.size()) heap.emplace(parsed[h.second].covered[next[h.second]], h.second);
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::string> MakePartial(const Ledger& ledger, const ReportRequest& request) {
  return internal::NoThrow("making the partial", [&]() -> absl::StatusOr<std::string> {
    if (request.targets != nullptr) {
      return absl::InvalidArgumentError(
          "a partial cannot carry a target set: its [tasks] are checked against the whole ledger (ask for the "
          "targets' indicators instead, and compare them after the merge)");
    }
    if (request.scheme != nullptr) {
      return absl::InvalidArgumentError(
          "a partial cannot carry a scoring scheme: its scores rank the groups of the whole ledger (merge the "
          "scheme's indicators, then score the merged report)");
    }
    if (!request.filter.codes.empty()) {
      return absl::InvalidArgumentError(
          "a partial cannot filter by project code: a code on another shard is an error on this one");
    }
    ReportRequest r = request;
    if (!r.as_of) {
      absl::StatusOr<Date> as_of = DefaultAsOf(ledger);
      if (!as_of.ok()) return as_of.status();
      r.as_of = *as_of;
    }
    // The request is checked as MakeReport checks it (indicator ids, options, custom
    // expressions) on the empty ledger of Skeleton: its parts must not depend on any
    // shard's data, so every shard and the merge make the same ones.
    absl::StatusOr<std::pair<Report, std::vector<Part>>> skeleton = Skeleton(r);
    if (!skeleton.ok()) return skeleton.status();

    std::set<int32_t> counties;
    for (uint32_t p = 0; p < ledger.size(); ++p) {
      if (ledger.region(p) != 0) counties.insert(ledger.region(p));
    }
    std::vector<std::string_view> codes;
    codes.reserve(ledger.size());
    for (uint32_t p = 0; p < ledger.size(); ++p) codes.push_back(ledger.code(p));
    std::sort(codes.begin(), codes.end());
    std::string parts;
    for (const Part& part : skeleton->second) {
      absl::StatusOr<std::string> text = PartBody(ledger, part);
      if (!text.ok()) return text.status();
      parts += *text;
    }
    return FileOf(Canonical(r, BaselineText(ledger, *r.as_of)), std::vector<int32_t>(counties.begin(), counties.end()),
                  codes, parts);
  });
}

namespace {

// Partials read, checked against each other and added up: what merging and combining
// share.
struct Combined {
  std::vector<ParsedPartial> parsed;
  ReportRequest request;
  Report skeleton;
  std::vector<Part> parts;
  std::vector<MergedPart> merged;  // one per part
};

// A setting's value as a person reads it: a list's items joined by "; " (an item that
// is itself a list, a baseline row say, by spaces), "none" for an empty one.
std::string ReadableItem(const std::string& item) {
  std::optional<std::vector<std::string>> inner = Unpack(item);
  return inner ? absl::StrJoin(*inner, " ") : item;
}
std::string Readable(std::string_view value) {
  std::optional<std::vector<std::string>> items = Unpack(value);
  if (!items) return std::string(value);
  if (items->empty()) return "none";
  std::vector<std::string> shown;
  for (const std::string& item : *items) shown.push_back(ReadableItem(item));
  return absl::StrJoin(shown, "; ");
}

// Two values of a setting where they differ, each quoted: for lists of the same
// length, the first item that differs (one baseline row of ten, one region of 28),
// else the whole values, shortened.
std::pair<std::string, std::string> ReadableDifference(std::string_view a, std::string_view b) {
  auto shorten = [](const std::string& v) {
    return v.size() > 80 ? Cat("'", v.substr(0, 77), "...'") : Cat("'", v, "'");
  };
  std::optional<std::vector<std::string>> la = Unpack(a), lb = Unpack(b);
  if (la && lb && la->size() == lb->size()) {
    for (size_t i = 0; i < la->size(); ++i) {
      if ((*la)[i] == (*lb)[i]) continue;
      auto item = [&](const std::string& v) {
        const std::string shown = shorten(ReadableItem(v));
        return la->size() == 1 ? shown : Cat("item ", i + 1, " of ", la->size(), " ", shown);
      };
      return {item((*la)[i]), item((*lb)[i])};
    }
  }
  return {shorten(Readable(a)), shorten(Readable(b))};
}

absl::StatusOr<Combined> Combine(std::span<const PartialInput> inputs) {
  if (inputs.empty()) return absl::InvalidArgumentError("no partials to merge");
  Combined c;
  std::vector<ParsedPartial>& parsed = c.parsed;
  for (const PartialInput& in : inputs) {
    absl::StatusOr<ParsedPartial> p = Parse(in.name, in.bytes);
    if (!p.ok()) return p.status();
    parsed.push_back(*std::move(p));
  }
  for (size_t i = 1; i < parsed.size(); ++i) {
    if (parsed[i].writer != parsed[0].writer) {
      return absl::InvalidArgumentError(Cat(inputs[0].name, " was written by keyproj ", parsed[0].writer, ", ",
                                            inputs[i].name, " by keyproj ", parsed[i].writer,
                                            ": make the partials with the same version"));
    }
    const Settings& a = parsed[0].settings;
    const Settings& b = parsed[i].settings;
    for (size_t k = 0; k < std::max(a.size(), b.size()); ++k) {
      if (k < a.size() && k < b.size() && a[k] == b[k]) continue;
      const std::string setting = k < a.size() ? a[k].first : b[k].first;
      const auto [in_a, in_b] = ReadableDifference(k < a.size() ? a[k].second : "", k < b.size() ? b[k].second : "");
      return absl::InvalidArgumentError(Cat(
          inputs[0].name, " and ", inputs[i].name, " answer different requests: ", setting, " is ", in_a, " in ",
          inputs[0].name, " and ", in_b, " in ", inputs[i].name,
          setting == "as_of" ? " (give every shard the same 'as_of')" : ""));
    }
  }
  if (absl::Status st = CheckDisjoint(inputs, parsed); !st.ok()) return st;

  absl::StatusOr<ReportRequest> request = FromSettings(parsed[0].settings);
  if (!request.ok()) return absl::InvalidArgumentError(Cat(inputs[0].name, ": ", request.status().message()));
  {
    // What the request reads back as must be what was written: a setting this
    // version does not read would otherwise be dropped silently.
    std::string baseline;
    for (const auto& [k, v] : parsed[0].settings) {
      if (k == "baseline") baseline = v;
    }
    if (Canonical(*request, baseline) != parsed[0].settings) {
      return absl::InvalidArgumentError(Cat(inputs[0].name, ": the request's settings do not read back as written"));
    }
  }
  c.request = *std::move(request);
  absl::StatusOr<std::pair<Report, std::vector<Part>>> skeleton = Skeleton(c.request);
  if (!skeleton.ok()) return absl::InvalidArgumentError(Cat(inputs[0].name, ": ", skeleton.status().message()));
  c.skeleton = std::move(skeleton->first);
  c.parts = std::move(skeleton->second);
  const std::vector<Part>& parts = c.parts;
  c.merged.resize(parts.size());
  for (size_t i = 0; i < parsed.size(); ++i) {
    if (parsed[i].parts.size() != parts.size()) {
      return absl::InvalidArgumentError(Cat(inputs[i].name, ": ", parsed[i].parts.size(), " tables; the request has ",
                                            parts.size()));
    }
    for (size_t t = 0; t < parts.size(); ++t) {
      if (parsed[i].parts[t].role != parts[t].role || parsed[i].parts[t].index != parts[t].index) {
        return absl::InvalidArgumentError(Cat(inputs[i].name, ": table ", t + 1, " is not the request's"));
      }
      if (absl::Status st = AddPart(inputs[i].name, parsed[i].parts[t], &c.merged[t], i == 0); !st.ok()) return st;
    }
  }
  return c;
}

}  // namespace

absl::StatusOr<std::string> CombinePartials(std::span<const PartialInput> inputs) {
  return internal::NoThrow("combining the partials", [&]() -> absl::StatusOr<std::string> {
    absl::StatusOr<Combined> c = Combine(inputs);
    if (!c.ok()) return c.status();
    std::set<int32_t> counties;
    std::vector<std::string_view> covered;
    for (const ParsedPartial& p : c->parsed) {
      counties.insert(p.counties.begin(), p.counties.end());
      covered.insert(covered.end(), p.covered.begin(), p.covered.end());
    }
    std::sort(covered.begin(), covered.end());  // disjoint (Combine checked)
    std::string parts;
    for (size_t t = 0; t < c->parts.size(); ++t) {
      parts += WritePart(c->parts[t].role, c->parts[t].index, c->merged[t].totals, c->merged[t].lists);
    }
    return FileOf(c->parsed[0].settings, std::vector<int32_t>(counties.begin(), counties.end()), covered, parts);
  });
}

absl::StatusOr<MergedReport> MergePartials(std::span<const PartialInput> inputs) {
  return internal::NoThrow("merging the partials", [&]() -> absl::StatusOr<MergedReport> {
    absl::StatusOr<Combined> combined = Combine(inputs);
    if (!combined.ok()) return combined.status();
    std::vector<ParsedPartial>& parsed = combined->parsed;
    const std::optional<ReportRequest> request = combined->request;
    Report& report = combined->skeleton;
    const std::vector<Part>& parts = combined->parts;
    std::vector<MergedPart>& merged = combined->merged;

    // The listing ledger: every listed project, by code.
    std::map<std::string, std::string> listed;
    for (const MergedPart& m : merged) {
      for (const auto& [key, columns] : m.lists) {
        for (const auto& [column, entries] : columns) {
          for (const ListEntry& e : entries) listed.emplace(e.code, e.name);
        }
      }
    }
    std::map<std::string_view, uint32_t> number;
    LedgerBuilder builder;
    for (const auto& [code, name] : listed) {
      number.emplace(code, static_cast<uint32_t>(number.size()));
      ProjectRecord record;
      record.code = code;
      record.name = name;
      builder.AddProject(std::move(record));
    }
    absl::StatusOr<Ledger> ledger = std::move(builder).Build();
    if (!ledger.ok()) return absl::InvalidArgumentError(Cat("the listed projects: ", ledger.status().message()));

    static const Ledger* const empty = new Ledger();
    std::vector<Result> results;
    for (size_t t = 0; t < parts.size(); ++t) {
      absl::StatusOr<Result> r = engine::FinishPortable(*empty, parts[t].query, merged[t].totals);
      if (!r.ok()) return absl::InvalidArgumentError(Cat(inputs[0].name, ": ", r.status().message()));
      auto notes = std::make_shared<CarriedNotes>();
      notes->by_column.resize(r->indicators.size());
      std::map<std::vector<std::string>, ResultRow*> rows;
      for (ResultRow& row : r->rows) rows[row.group] = &row;
      for (auto& [key, columns] : merged[t].lists) {
        auto row = rows.find(key);
        if (row == rows.end()) return absl::InvalidArgumentError("a list of projects for a group without totals");
        for (auto& [column, entries] : columns) {
          if (column >= r->indicators.size()) return absl::InvalidArgumentError("a list for a column the request lacks");
          std::vector<uint32_t>& projects = row->second->projects[column];
          for (ListEntry& e : entries) {
            const uint32_t p = number.at(e.code);
            projects.push_back(p);
            if (e.note) notes->by_column[column][p] = *std::move(e.note);
          }
          std::sort(projects.begin(), projects.end());
          projects.erase(std::unique(projects.begin(), projects.end()), projects.end());
        }
      }
      r->carried_notes = std::move(notes);
      results.push_back(*std::move(r));
    }
    for (size_t t = 0; t < parts.size(); ++t) {
      if (parts[t].role == "table") {
        report.tables[parts[t].index].result = std::move(results[t]);
      } else if (parts[t].role == "subtotals") {
        if (internal::NeedsSubtotals(report.tables[parts[t].index].result)) {
          report.tables[parts[t].index].subtotals = std::move(results[t]);
        }
      } else {
        report.funnel->result = std::move(results[t]);
      }
    }
    if (request->scope_name.empty()) {
      std::set<int32_t> counties;
      for (const ParsedPartial& p : parsed) counties.insert(p.counties.begin(), p.counties.end());
      const bool one_county = counties.size() <= 1;
      const bool one_city = counties.empty() || *counties.begin() / 100 == *counties.rbegin() / 100;
      report.scope_name =
          internal::ScopeNameOf(one_county, one_city, counties.empty() ? 0 : *counties.begin(), request->filter);
    }
    report.regions = request->regions;
    return MergedReport{*std::move(ledger), std::move(report)};
  });
}

absl::Status MergedRenderable(ReportFormat format, const RenderOptions& options) {
  if (format == ReportFormat::kText) {
    return absl::InvalidArgumentError(
        "a merged report cannot be written as text: the report text evaluates its own placeholders on the whole "
        "ledger (use json, csv, md, table or xlsx)");
  }
  if (options.dossier_by) {
    return absl::InvalidArgumentError("a merged report has no dossiers: they read every project of the ledger");
  }
  if (format == ReportFormat::kXlsx && options.charts) {
    return absl::InvalidArgumentError(
        "a merged report's workbook has no charts: they read every month of the whole ledger (turn charts off)");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> RenderMerged(const MergedReport& merged, ReportFormat format, const RenderOptions& options) {
  if (absl::Status st = MergedRenderable(format, options); !st.ok()) return st;
  return RenderReport(merged.ledger, merged.report, format, options);
}

}  // namespace keyproj
