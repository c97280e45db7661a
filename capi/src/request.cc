// Report requests: a keyproj::ReportRequest filled by setters, each of which checks
// its value at once (as the CLI checks its flags) and leaves the request unchanged
// on error.
#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "capi_internal.h"
#include "keyproj/csv_loader.h"
#include "keyproj/date.h"
#include "keyproj/enum_table.h"
#include "keyproj/expression.h"
#include "keyproj/indicators.h"
#include "keyproj/internal/text.h"
#include "keyproj/query.h"
#include "keyproj/scoring.h"
#include "keyproj/targets.h"

using namespace keyproj::capi;  // NOLINT: the shim's own helpers

namespace keyproj::capi {
namespace {

std::string Quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

// "a, b,,c" -> {"a", "b", "c"}.
std::vector<std::string> SplitList(std::string_view text, char sep = ',') {
  const std::vector<std::string_view> items = internal::SplitTrimmed(text, sep);
  return {items.begin(), items.end()};
}

kp_status ParseDimensions(const char* text, const char* param, std::vector<Dimension>* out) {
  out->clear();
  for (const std::string& d : SplitList(text)) {
    absl::StatusOr<Dimension> dim = ParseDimension(d);
    if (!dim.ok()) return InvalidArgument(std::string(param) + " " + Quoted(text) + ": " + std::string(dim.status().message()));
    out->push_back(*dim);
  }
  if (absl::Status st = keyproj::ValidateGrouping(*out); !st.ok()) {
    return InvalidArgument(std::string(param) + " " + Quoted(text) + ": " + std::string(st.message()));
  }
  return KP_OK;
}

// Custom indicators a target set or scheme may name: the request's own.
bool IsKnownIndicator(const ReportRequest& r, const std::string& id) {
  auto has = [&](const std::vector<CustomIndicator>& v) {
    return std::any_of(v.begin(), v.end(), [&](const CustomIndicator& c) { return c.id == id; });
  };
  if (has(r.custom)) return true;
  if (r.targets && has(r.targets->indicators)) return true;
  if (r.scheme && has(r.scheme->indicators)) return true;
  return FindIndicator(id).ok();
}

#define KP_CHECK_REQUEST(r) KP_RETURN_IF_ERROR(CheckHandle(r, "request"))

// The optional dimension lists (targets_group_by, scores_group_by): NULL or ""
// means the report's own grouping.
kp_status SetOptionalDimensions(const char* text, const char* param, std::vector<Dimension>* field) {
  KP_RETURN_IF_ERROR(CheckOptionalString(text, param));
  std::vector<Dimension> dims;
  KP_RETURN_IF_ERROR(ParseDimensions(text == nullptr ? "" : text, param, &dims));
  *field = std::move(dims);
  return Ok();
}

// A TOML document (targets or scoring scheme) parsed against the request's custom
// indicators; NULL clears it.
template <typename Spec, typename Parse>
kp_status SetTomlSpec(const ReportRequest& request, const char* toml_text, const char* what, Parse parse,
                      std::shared_ptr<const Spec>* field) {
  KP_RETURN_IF_ERROR(CheckOptionalString(toml_text, "toml_text"));
  if (toml_text == nullptr) {
    field->reset();
    return Ok();
  }
  absl::StatusOr<Spec> spec = parse(toml_text, request.custom);
  if (!spec.ok()) return InvalidArgument(std::string(what) + ": " + std::string(spec.status().message()));
  *field = std::make_shared<const Spec>(*std::move(spec));
  return Ok();
}

}  // namespace
}  // namespace keyproj::capi

extern "C" {

KP_API kp_status kp_report_request_new(kp_report_request** out) {
  KP_API_BEGIN
  KP_RETURN_IF_ERROR(CheckOut(out, "out"));
  *out = nullptr;
  *out = new kp_report_request_s;
  return Ok();
  KP_API_END
}

KP_API void kp_report_request_free(kp_report_request* request) { Destroy(request); }

KP_API kp_status kp_report_request_set_as_of(kp_report_request* request, const char* date) {
  KP_API_BEGIN
  KP_CHECK_REQUEST(request);
  KP_RETURN_IF_ERROR(CheckOptionalString(date, "date"));
  if (date == nullptr || keyproj::internal::TrimAscii(date).empty()) {
    request->request.as_of.reset();
    return Ok();
  }
  if (std::optional<keyproj::Date> d = keyproj::Date::Parse(date)) {
    request->request.as_of = *d;
  } else if (std::optional<keyproj::Month> m = keyproj::Month::Parse(date)) {
    request->request.as_of = m->last_day();
  } else {
    return InvalidArgument("as_of " + Quoted(date) + ": not a date; write it as 2024-09-30 (or 2024-09 for the month's end)");
  }
  return Ok();
  KP_API_END
}

KP_API kp_status kp_report_request_set_filter(kp_report_request* request, const char* filter) {
  KP_API_BEGIN
  KP_CHECK_REQUEST(request);
  KP_RETURN_IF_ERROR(CheckOptionalString(filter, "filter"));
  if (filter == nullptr || keyproj::internal::TrimAscii(filter).empty()) {
    request->request.filter = keyproj::Filter();
    return Ok();
  }
  absl::StatusOr<keyproj::Filter> f = keyproj::ParseFilter(filter);
  if (!f.ok()) return InvalidArgument("filter " + Quoted(filter) + ": " + std::string(f.status().message()));
  request->request.filter = *std::move(f);
  return Ok();
  KP_API_END
}

KP_API kp_status kp_report_request_add_grouping(kp_report_request* request, const char* dimensions) {
  KP_API_BEGIN
  KP_CHECK_REQUEST(request);
  KP_RETURN_IF_ERROR(CheckString(dimensions, "dimensions"));
  std::vector<keyproj::Dimension> dims;
  KP_RETURN_IF_ERROR(ParseDimensions(dimensions, "grouping", &dims));
  if (!request->groupings_set) request->request.groupings.clear();
  request->groupings_set = true;
  request->request.groupings.push_back(std::move(dims));
  return Ok();
  KP_API_END
}

KP_API kp_status kp_report_request_clear_groupings(kp_report_request* request) {
  KP_API_BEGIN
  KP_CHECK_REQUEST(request);
  request->request.groupings.clear();
  request->groupings_set = true;
  return Ok();
  KP_API_END
}

KP_API kp_status kp_report_request_set_indicators(kp_report_request* request, const char* ids) {
  KP_API_BEGIN
  KP_CHECK_REQUEST(request);
  KP_RETURN_IF_ERROR(CheckOptionalString(ids, "ids"));
  std::vector<std::string> list = SplitList(ids == nullptr ? "" : ids);
  for (const std::string& id : list) {
    if (!IsKnownIndicator(request->request, id)) {
      absl::StatusOr<keyproj::IndicatorRef> ref = keyproj::FindIndicator(id);
      return InvalidArgument("indicators: " + std::string(ref.status().message()));
    }
  }
  request->request.indicators = std::move(list);
  return Ok();
  KP_API_END
}

KP_API kp_status kp_report_request_add_custom_indicator(kp_report_request* request, const char* id,
                                                        const char* expression, const char* label,
                                                        const char* unit) {
  KP_API_BEGIN
  KP_CHECK_REQUEST(request);
  KP_RETURN_IF_ERROR(CheckString(id, "id"));
  KP_RETURN_IF_ERROR(CheckString(expression, "expression"));
  KP_RETURN_IF_ERROR(CheckOptionalString(label, "label"));
  KP_RETURN_IF_ERROR(CheckOptionalString(unit, "unit"));
  keyproj::CustomIndicator def;
  def.id = id;
  def.expression = expression;
  def.label = label == nullptr ? "" : label;
  if (unit != nullptr && *unit != '\0') {
    absl::StatusOr<keyproj::Unit> u = keyproj::ParseUnit(unit);
    if (!u.ok()) return InvalidArgument("unit " + Quoted(unit) + ": " + std::string(u.status().message()));
    def.unit = *u;
  }
  def.places = keyproj::DefaultPlaces(def.unit);
  std::vector<keyproj::CustomIndicator> all = request->request.custom;
  all.push_back(def);
  absl::StatusOr<keyproj::CustomIndicatorSet> compiled = keyproj::CustomIndicatorSet::Compile(all);
  if (!compiled.ok()) return FromStatus(compiled.status());
  request->request.custom = std::move(all);
  return Ok();
  KP_API_END
}

KP_API kp_status kp_report_request_set_schedule(kp_report_request* request, const char* schedule) {
  KP_API_BEGIN
  KP_CHECK_REQUEST(request);
  KP_RETURN_IF_ERROR(CheckOptionalString(schedule, "schedule"));
  if (schedule == nullptr || keyproj::internal::TrimAscii(schedule).empty()) {
    request->request.schedule.reset();
    return Ok();
  }
  const std::string_view s = schedule;
  const size_t colon = s.find(':');
  const std::optional<keyproj::ScheduleMode> mode = keyproj::ParseEnum<keyproj::ScheduleMode>(s.substr(0, colon));
  if (!mode || (*mode == keyproj::ScheduleMode::kCurve) != (colon != std::string_view::npos)) {
    return InvalidArgument("schedule " + Quoted(s) + ": use months, days or curve:P1,...,P12 (cumulative percents)");
  }
  keyproj::ScheduleSpec spec;
  spec.mode = *mode;
  if (spec.mode == keyproj::ScheduleMode::kCurve) {
    std::string text(s.substr(colon + 1));
    for (char& c : text) {
      if (c == ';' || c == ' ' || c == '\t' || c == '\n' || c == '\r') c = ',';
    }
    const std::vector<std::string> percents = SplitList(text);
    absl::StatusOr<std::array<int64_t, 12>> curve = keyproj::ParseScheduleCurve(percents);
    if (!curve.ok()) return InvalidArgument("schedule " + Quoted(s) + ": " + std::string(curve.status().message()));
    spec.curve = *curve;
  }
  request->request.schedule = spec;
  return Ok();
  KP_API_END
}

KP_API kp_status kp_report_request_set_targets_toml(kp_report_request* request, const char* toml_text) {
  KP_API_BEGIN
  KP_CHECK_REQUEST(request);
  return SetTomlSpec<keyproj::TargetSet>(request->request, toml_text, "targets", keyproj::ParseTargetSet,
                                         &request->request.targets);
  KP_API_END
}

KP_API kp_status kp_report_request_set_targets_group_by(kp_report_request* request, const char* dimensions) {
  KP_API_BEGIN
  KP_CHECK_REQUEST(request);
  return SetOptionalDimensions(dimensions, "targets_group_by", &request->request.targets_group_by);
  KP_API_END
}

KP_API kp_status kp_report_request_set_funnel(kp_report_request* request, const char* dimensions) {
  KP_API_BEGIN
  KP_CHECK_REQUEST(request);
  KP_RETURN_IF_ERROR(CheckOptionalString(dimensions, "dimensions"));
  if (dimensions == nullptr) {
    request->request.funnel_group_by.reset();
    return Ok();
  }
  std::vector<keyproj::Dimension> dims;
  KP_RETURN_IF_ERROR(ParseDimensions(dimensions, "funnel", &dims));
  request->request.funnel_group_by = std::move(dims);
  return Ok();
  KP_API_END
}

KP_API kp_status kp_report_request_set_subtotals(kp_report_request* request, int32_t subtotals) {
  KP_API_BEGIN
  KP_CHECK_REQUEST(request);
  request->request.subtotals = subtotals != 0;
  return Ok();
  KP_API_END
}

KP_API kp_status kp_report_request_set_baseline(kp_report_request* request, int32_t use_baseline) {
  KP_API_BEGIN
  KP_CHECK_REQUEST(request);
  request->request.options.use_baseline = use_baseline != 0;
  return Ok();
  KP_API_END
}

KP_API kp_status kp_report_request_set_scheme_toml(kp_report_request* request, const char* toml_text) {
  KP_API_BEGIN
  KP_CHECK_REQUEST(request);
  return SetTomlSpec<keyproj::ScoringScheme>(request->request, toml_text, "scheme", keyproj::ParseScoringScheme,
                                             &request->request.scheme);
  KP_API_END
}

KP_API kp_status kp_report_request_set_scores_group_by(kp_report_request* request, const char* dimensions) {
  KP_API_BEGIN
  KP_CHECK_REQUEST(request);
  return SetOptionalDimensions(dimensions, "scores_group_by", &request->request.scores_group_by);
  KP_API_END
}

KP_API kp_status kp_report_request_set_scope_name(kp_report_request* request, const char* name) {
  KP_API_BEGIN
  KP_CHECK_REQUEST(request);
  KP_RETURN_IF_ERROR(CheckOptionalString(name, "name"));
  request->request.scope_name = name == nullptr ? "" : name;
  return Ok();
  KP_API_END
}

KP_API kp_status kp_report_request_set_threshold(kp_report_request* request, int32_t which, int64_t value) {
  KP_API_BEGIN
  KP_CHECK_REQUEST(request);
  // The engine's own check (ValidateQuery) decides what is allowed; here only the
  // conversion to the option's type is guarded.
  keyproj::Query check;
  check.options = request->request.options;
  check.indicators = {"projects"};
  keyproj::QueryOptions& o = check.options;
  const char* name = nullptr;
  auto fits_int = [&](int64_t lo, int64_t hi) { return value >= lo && value <= hi; };
  bool fits = true;
  switch (which) {
    case KP_THRESHOLD_STALLED_MONTHS:
      name = "stalled_months";
      fits = fits_int(INT32_MIN, INT32_MAX);
      if (fits) o.stalled_months = static_cast<int>(value);
      break;
    case KP_THRESHOLD_DEADLINE_DAY:
      name = "deadline_day";
      fits = fits_int(INT32_MIN, INT32_MAX);
      if (fits) o.report_deadline_day = static_cast<int>(value);
      break;
    case KP_THRESHOLD_BEHIND_CENTIPOINTS:
      name = "behind_centipoints";
      o.behind_centipoints = value;
      break;
    case KP_THRESHOLD_THREADS:
      name = "threads";
      fits = fits_int(0, 1024);  // as the CLI's --threads
      if (fits) o.threads = static_cast<int>(value);
      break;
    case KP_THRESHOLD_LAND_START_DAYS:
      name = "land_to_start_days";
      fits = fits_int(INT32_MIN, INT32_MAX);
      if (fits) o.land_to_start_days = static_cast<int>(value);
      break;
    case KP_THRESHOLD_COUNTDOWN_DAYS:
      name = "countdown_days";
      fits = fits_int(INT32_MIN, INT32_MAX);
      if (fits) o.countdown_days = static_cast<int>(value);
      break;
    case KP_THRESHOLD_SIGNED_MONTHS:
      name = "signed_months";
      fits = fits_int(INT32_MIN, INT32_MAX);
      if (fits) o.signed_months = static_cast<int>(value);
      break;
    default:
      return InvalidArgument("which " + std::to_string(which) + ": not a KP_THRESHOLD_ value");
  }
  if (!fits) return InvalidArgument(std::string(name) + " " + std::to_string(value) + ": out of range");
  const absl::Status valid = keyproj::ValidateQuery(check);
  if (!valid.ok()) {
    return InvalidArgument(std::string(name) + " " + std::to_string(value) + ": " + std::string(valid.message()));
  }
  request->request.options = o;
  return Ok();
  KP_API_END
}

KP_API kp_status kp_report_request_set_regions_from_csv(kp_report_request* request, const char* path) {
  KP_API_BEGIN
  KP_CHECK_REQUEST(request);
  KP_RETURN_IF_ERROR(CheckString(path, "path"));
  if (*path == '\0') {
    // No names at all: groups are labelled with their codes, whatever names the
    // ledger came with.
    request->request.regions = std::make_shared<const keyproj::RegionNames>();
    return Ok();
  }
  keyproj::Diagnostics diagnostics;
  absl::StatusOr<keyproj::RegionNames> regions =
      keyproj::LoadNamedRegionNames(path, keyproj::Encoding::kAuto, &diagnostics);
  if (!regions.ok()) return FromStatus(regions.status());
  if (!diagnostics.empty()) {
    return InvalidArgument("regions " + Quoted(path) + ": " + diagnostics.front().ToString() +
                           (diagnostics.size() > 1 ? " (and " + std::to_string(diagnostics.size() - 1) + " more)" : ""));
  }
  request->request.regions = std::make_shared<const keyproj::RegionNames>(*std::move(regions));
  return Ok();
  KP_API_END
}

}  // extern "C"
