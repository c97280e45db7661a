#include "cli/query_flags.h"

#include <charconv>
#include <sstream>

#include "cli/output.h"
#include "keyproj/expression.h"
#include "keyproj/targets.h"
#include "keyproj/internal/text.h"

namespace keyproj::cli {

using ::keyproj::internal::Cat;
using ::keyproj::internal::Append;
using ::keyproj::internal::TrimAscii;
namespace {

absl::StatusOr<int> IntFlag(const Flags& flags, const std::string& name, int lo, int hi, int fallback) {
  std::optional<std::string> v = flags.Get(name);
  if (!v) return fallback;
  int n = 0;
  const auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  if (ec != std::errc() || end != v->data() + v->size() || n < lo || n > hi) {
    return absl::InvalidArgumentError(Cat("--", name, " ", *v, ": expected a whole number from ", lo, " to ", hi));
  }
  return n;
}

// 12 cumulative percents -> millionths, checked as QueryOptions::curve wants them.
absl::StatusOr<std::array<int64_t, 12>> ParseCurve(std::string_view spec) {
  // A file, unless the text is the list itself.
  std::string text(spec);
  if (absl::StatusOr<std::string> file = ReadFile(text); file.ok()) {
    text = *std::move(file);
  } else if (spec.find(',') == std::string_view::npos) {
    return absl::NotFoundError(Cat("--schedule curve:", spec, ": cannot read the file"));
  }
  for (char& c : text) {
    if (c == ',' || c == '\n' || c == '\r' || c == '\t' || c == ';') c = ' ';
  }
  std::array<int64_t, 12> curve{};
  std::istringstream words(text);
  std::string w;
  size_t i = 0;
  while (words >> w) {
    if (i == 12) return absl::InvalidArgumentError(Cat("--schedule curve: more than 12 percents"));
    if (!w.ends_with("%")) w += "%";
    absl::StatusOr<Value> v = ParseQuantity(w, Unit::kRate);
    if (!v.ok()) return absl::InvalidArgumentError(Cat("--schedule curve: month ", i + 1, ": ", v.status().message()));
    const int128 scaled = v->num() * 1'000'000;
    if (scaled % v->den() != 0) {
      return absl::InvalidArgumentError(Cat("--schedule curve: month ", i + 1, ": at most 4 decimals of a percent"));
    }
    curve[i++] = static_cast<int64_t>(scaled / v->den());
  }
  if (i != 12) {
    return absl::InvalidArgumentError(
        Cat("--schedule curve: expected 12 cumulative percents (January..December), found ", i));
  }
  return curve;
}

}  // namespace

const std::vector<FlagSpec>& QueryFlagSpecs() {
  static const std::vector<FlagSpec> kSpecs = {
      {"as-of", true},          {"filter", true, true},    {"schedule", true},
      {"deadline-day", true},   {"stalled-months", true},  {"behind-points", true},
      {"no-baseline", false},   {"threads", true}};
  return kSpecs;
}

absl::StatusOr<MoneyUnit> MoneyUnitFromFlags(const Flags& flags) {
  const std::optional<std::string> unit = flags.Get("unit");
  if (!unit || *unit == "wan" || *unit == "万元" || *unit == "万") return MoneyUnit::kWan;
  if (*unit == "yi" || *unit == "亿元" || *unit == "亿") return MoneyUnit::kYi;
  return absl::InvalidArgumentError(Cat("--unit ", *unit, ": use wan (万元) or yi (亿元)"));
}

absl::StatusOr<std::shared_ptr<const CustomIndicatorSet>> CompileCustom(std::vector<CustomIndicator> defs) {
  if (defs.empty()) return std::shared_ptr<const CustomIndicatorSet>();
  absl::StatusOr<CustomIndicatorSet> set = CustomIndicatorSet::Compile(std::move(defs));
  if (!set.ok()) return set.status();
  return std::make_shared<const CustomIndicatorSet>(*std::move(set));
}

std::vector<std::string> SplitList(const std::vector<std::string>& values) {
  std::vector<std::string> out;
  for (const std::string& v : values) {
    std::string_view rest = v;
    while (true) {
      const size_t comma = rest.find(',');
      std::string_view item = TrimAscii(rest.substr(0, comma));
      if (!item.empty()) out.emplace_back(item);
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  }
  return out;
}

absl::StatusOr<Query> QueryFromFlags(const Flags& flags, const Ledger& ledger) {
  Query q;
  if (std::optional<std::string> as_of = flags.Get("as-of")) {
    if (std::optional<Date> d = Date::Parse(*as_of)) {
      q.as_of = *d;
    } else if (std::optional<Month> m = Month::Parse(*as_of)) {
      q.as_of = m->last_day();
    } else {
      return absl::InvalidArgumentError(
          Cat("--as-of ", *as_of, ": not a date; write it as 2024-09-30 (or 2024-09 for the month's end)"));
    }
  } else {
    std::optional<Month> last;
    for (uint32_t p = 0; p < ledger.size(); ++p) {
      if (std::optional<MonthRange> r = ledger.months(p); r && (!last || *last < r->last)) last = r->last;
    }
    if (!last) return absl::InvalidArgumentError("the ledger has no monthly figures: give --as-of DATE");
    q.as_of = last->last_day();
  }
  const std::vector<std::string> filters = flags.GetAll("filter");
  if (!filters.empty()) {
    std::string joined;
    for (const std::string& f : filters) Append(&joined, joined.empty() ? "" : ",", f);
    absl::StatusOr<Filter> f = ParseFilter(joined);
    if (!f.ok()) return absl::InvalidArgumentError(Cat("--filter ", joined, ": ", f.status().message()));
    q.filter = *std::move(f);
  }
  if (std::optional<std::string> s = flags.Get("schedule")) {
    if (*s == "months") {
      q.options.schedule = ScheduleMode::kMonths;
    } else if (*s == "days") {
      q.options.schedule = ScheduleMode::kDays;
    } else if (s->starts_with("curve:")) {
      absl::StatusOr<std::array<int64_t, 12>> curve = ParseCurve(std::string_view(*s).substr(6));
      if (!curve.ok()) return curve.status();
      q.options.schedule = ScheduleMode::kCurve;
      q.options.curve = *curve;
    } else {
      return absl::InvalidArgumentError(Cat("--schedule ", *s, ": use months, days or curve:FILE"));
    }
  }
  absl::StatusOr<int> deadline = IntFlag(flags, "deadline-day", 1, 31, q.options.report_deadline_day);
  if (!deadline.ok()) return deadline.status();
  q.options.report_deadline_day = *deadline;
  absl::StatusOr<int> stalled = IntFlag(flags, "stalled-months", 1, kMaxStalledMonths, q.options.stalled_months);
  if (!stalled.ok()) return stalled.status();
  q.options.stalled_months = *stalled;
  if (std::optional<std::string> b = flags.Get("behind-points")) {
    absl::StatusOr<Value> v = ParseQuantity(*b, Unit::kPoints);
    const int128 centi = v.ok() ? v->num() * 100 : 0;
    if (!v.ok() || centi % v->den() != 0 || v->num() < 0) {
      return absl::InvalidArgumentError(Cat("--behind-points ", *b, ": expected points like 10 or 7.5"));
    }
    q.options.behind_centipoints = static_cast<int64_t>(centi / v->den());
  }
  q.options.use_baseline = !flags.Has("no-baseline");
  absl::StatusOr<int> threads = IntFlag(flags, "threads", 0, 1024, 0);
  if (!threads.ok()) return threads.status();
  q.options.threads = *threads;
  return q;
}

}  // namespace keyproj::cli
