#include "cli/query_flags.h"

#include <charconv>
#include <sstream>

#include "cli/output.h"
#include "keyproj/expression.h"
#include "keyproj/report.h"
#include "keyproj/targets.h"
#include "keyproj/internal/error_list.h"
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

// --schedule curve:SPEC: a file of 12 cumulative percents, or the list itself.
absl::StatusOr<std::array<int64_t, 12>> CurveFromFlag(std::string_view spec) {
  std::string text(spec);
  if (absl::StatusOr<std::string> file = ReadFile(text); file.ok()) {
    text = *std::move(file);
  } else if (spec.find(',') == std::string_view::npos) {
    return absl::InvalidArgumentError(Cat("--schedule curve:", spec, ": ", file.status().message()));
  }
  for (char& c : text) {
    if (c == ',' || c == '\n' || c == '\r' || c == '\t' || c == ';') c = ' ';
  }
  std::vector<std::string> percents;
  std::istringstream words(text);
  for (std::string w; words >> w;) percents.push_back(w);
  absl::StatusOr<std::array<int64_t, 12>> curve = ParseScheduleCurve(percents);
  if (!curve.ok()) return absl::InvalidArgumentError(Cat("--schedule curve: ", curve.status().message()));
  return curve;
}

}  // namespace

const std::vector<FlagSpec>& QueryFlagSpecs() {
  static const std::vector<FlagSpec> kSpecs = {
      {"as-of", true},          {"filter", true, true},    {"schedule", true},
      {"deadline-day", true},   {"stalled-months", true},  {"behind-points", true},
      {"no-baseline", false},   {"threads", true},         {"countdown-days", true},
      {"signed-months", true},  {"land-start-days", true}};
  return kSpecs;
}

absl::StatusOr<MoneyUnit> MoneyUnitFromFlags(const Flags& flags) {
  const std::optional<std::string> unit = flags.Get("unit");
  if (!unit) return MoneyUnit::kWan;
  if (std::optional<MoneyUnit> u = ParseEnum<MoneyUnit>(*unit)) return *u;
  return absl::InvalidArgumentError(Cat("--unit ", *unit, ": use wan (万元) or yi (亿元)"));
}

absl::StatusOr<std::vector<Dimension>> OneDimensionFromFlags(const Flags& flags) {
  std::vector<Dimension> group_by;
  if (std::optional<std::string> g = flags.Get("group-by")) {
    absl::StatusOr<Dimension> dim = ParseDimension(*g);
    if (!dim.ok()) return absl::InvalidArgumentError(Cat("--group-by: ", dim.status().message()));
    group_by.push_back(*dim);
  }
  return group_by;
}

std::vector<std::string> SplitList(const std::vector<std::string>& values) {
  std::vector<std::string> out;
  for (const std::string& v : values) {
    for (std::string_view item : internal::SplitTrimmed(v)) out.emplace_back(item);
  }
  return out;
}

absl::StatusOr<std::map<std::string, int, std::less<>>> PlacesFromFlags(
    const Flags& flags, const std::function<absl::Status(std::string_view id)>& known) {
  absl::StatusOr<std::map<std::string, int, std::less<>>> places = ParsePlaces(flags.GetAll("places"), known);
  if (!places.ok()) return absl::InvalidArgumentError(Cat("--", places.status().message()));
  return places;
}

absl::StatusOr<ReportRequest> RequestFromFlags(const Flags& flags) {
  ReportRequest r;
  internal::ErrorList problems;  // every wrong option at once
  if (std::optional<std::string> as_of = flags.Get("as-of")) {
    if (std::optional<Date> d = Date::Parse(*as_of)) {
      r.as_of = *d;
    } else if (std::optional<Month> m = Month::Parse(*as_of)) {
      r.as_of = m->last_day();
    } else {
      problems.Ok(absl::InvalidArgumentError(
          Cat("--as-of ", *as_of, ": not a date; write it as 2024-09-30 (or 2024-09 for the month's end)")));
    }
  }
  const std::vector<std::string> filters = flags.GetAll("filter");
  if (!filters.empty()) {
    std::string joined;
    for (const std::string& f : filters) Append(&joined, joined.empty() ? "" : ",", f);
    absl::StatusOr<Filter> f = ParseFilter(joined);
    if (f.ok()) {
      r.filter = *std::move(f);
    } else {
      problems.Ok(f.status(), Cat("--filter ", joined, ": "));
    }
  }
  if (std::optional<std::string> s = flags.Get("schedule")) {
    ScheduleSpec spec;
    const size_t colon = s->find(':');
    const std::optional<ScheduleMode> mode = ParseEnum<ScheduleMode>(std::string_view(*s).substr(0, colon));
    if (!mode || (*mode == ScheduleMode::kCurve) != (colon != std::string::npos)) {
      problems.Ok(absl::InvalidArgumentError(Cat("--schedule ", *s, ": use months, days or curve:FILE")));
    } else {
      spec.mode = *mode;
      absl::StatusOr<std::array<int64_t, 12>> curve;
      if (spec.mode == ScheduleMode::kCurve) curve = CurveFromFlag(std::string_view(*s).substr(colon + 1));
      if (spec.mode != ScheduleMode::kCurve || problems.Ok(curve.status())) {
        if (spec.mode == ScheduleMode::kCurve) spec.curve = *curve;
        r.schedule = spec;
      }
    }
  }
  QueryOptions& o = r.options;
  auto int_flag = [&](const char* name, int min, int max, int* field) {
    absl::StatusOr<int> v = IntFlag(flags, name, min, max, *field);
    if (problems.Ok(v.status())) *field = *v;
  };
  int_flag("deadline-day", 1, 31, &o.report_deadline_day);
  int_flag("stalled-months", 1, kMaxStalledMonths, &o.stalled_months);
  int_flag("land-start-days", 0, kMaxLandToStartDays, &o.land_to_start_days);
  int_flag("countdown-days", 1, kMaxCountdownDays, &o.countdown_days);
  int_flag("signed-months", 1, kMaxSignedMonths, &o.signed_months);
  if (std::optional<std::string> b = flags.Get("behind-points")) {
    absl::StatusOr<Value> v = ParseQuantity(*b, Unit::kPoints);
    const int128 centi = v.ok() ? v->num() * 100 : 0;
    if (!v.ok() || centi % v->den() != 0 || v->num() < 0) {
      problems.Ok(absl::InvalidArgumentError(Cat("--behind-points ", *b, ": expected points like 10 or 7.5")));
    } else {
      o.behind_centipoints = static_cast<int64_t>(centi / v->den());
    }
  }
  o.use_baseline = !flags.Has("no-baseline");
  o.threads = 0;
  int_flag("threads", 0, 1024, &o.threads);
  if (!problems.empty()) return problems.status();
  return r;
}

}  // namespace keyproj::cli
