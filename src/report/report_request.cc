// MakeReport: the flow of `keyproj report`, `targets` and `score`, for every surface.
#include "keyproj/report_request.h"

#include <algorithm>
#include <iterator>
#include <limits>
#include <charconv>
#include <set>
#include <string_view>
#include <tuple>
#include <utility>

#include "absl/strings/str_join.h"
#include "keyproj/internal/ledger_columns.h"
#include "keyproj/internal/text.h"
#include "report/report_internal.h"
#include "keyproj/internal/no_throw.h"

namespace keyproj {

using ::keyproj::internal::Cat;

absl::StatusOr<Date> DefaultAsOf(const Ledger& ledger) {
  std::optional<Month> last;
  for (uint32_t p = 0; p < ledger.size(); ++p) {
    if (std::optional<MonthRange> r = ledger.months(p); r && (!last || *last < r->last)) last = r->last;
  }
  if (!last) return absl::InvalidArgumentError("the ledger has no monthly figures: name the report date ('as_of')");
  return last->last_day();
}

std::string DefaultScopeName(const Ledger& ledger, const Filter& filter) {
  int32_t first = 0;
  bool one_county = true, one_city = true;
  for (uint32_t p = 0; p < ledger.size(); ++p) {
    const int32_t region = ledger.region(p);
    if (region == 0) continue;
    if (first == 0) first = region;
    one_county &= region == first;
    one_city &= region / 100 == first / 100;
  }
  return internal::ScopeNameOf(one_county, one_city, first, filter);
}

namespace internal {

std::string ScopeNameOf(bool one_county, bool one_city, int32_t county, const Filter& filter) {
  // The region filter narrows the scope: to one county when all its alternatives are
  // that county, to one city when all lie in that city (610402|610403, or 6104). Any
  // other filter (610403|6105: a county and another city) leaves the ledger's extent.
  const std::vector<std::string>& prefixes = filter.region_prefixes;
  auto all_within = [&](size_t digits) {
    return !prefixes.empty() && std::all_of(prefixes.begin(), prefixes.end(), [&](const std::string& p) {
             return p.size() >= digits && p.compare(0, digits, prefixes[0], 0, digits) == 0;
           });
  };
  if (all_within(6) && prefixes[0].size() == 6) {
    one_county = true;
    std::from_chars(prefixes[0].data(), prefixes[0].data() + 6, county);  // not digits: stays as it was
  }
  if (all_within(4)) one_city = true;
  if (one_county) {
    const int32_t last_two = county % 100;
    if (county != 0 && last_two >= 1 && last_two <= 20) return "全区";
    if (county != 0 && last_two >= 81) return "全市";
    return "全县";
  }
  return one_city ? "全市" : "全省";
}

// County under city: a table grouped by county (or ending in county) whose counties lie
// in more than one city (in one, its 小计 would repeat 合计).
bool NeedsSubtotals(const Result& r) {
  if (r.group_by.empty() || r.group_by.back() != Dimension::kCounty) return false;
  std::set<std::string_view> cities;
  for (const ResultRow& row : r.rows) {
    if (!row.group.empty() && row.group.back().size() == 6) cities.insert(std::string_view(row.group.back()).substr(0, 4));
  }
  return cities.size() > 1;
}

void KeepScoredGroups(Result* result, bool drop_projects_column) {
  const int col = result->column("projects");
  if (col < 0) return;
  const auto c = static_cast<size_t>(col);
  const size_t groups = result->group_by.empty() ? 0 : result->rows.size() - 1;  // the whole scope last
  size_t kept = 0;
  for (size_t g = 0; g < result->rows.size(); ++g) {
    ResultRow& row = result->rows[g];
    const bool scored = g >= groups || (!row.group.empty() && !row.group[0].empty() && row.values[c] != Value::Integer(0));
    if (!scored) continue;
    if (kept != g) result->rows[kept] = std::move(row);  // (not onto itself: that empties it)
    ++kept;
  }
  result->rows.resize(kept);
  if (!drop_projects_column) return;
  result->indicators.erase(result->indicators.begin() + col);
  for (ResultRow& row : result->rows) {
    row.values.erase(row.values.begin() + col);
    if (c < row.projects.size()) row.projects.erase(row.projects.begin() + col);
  }
}

}  // namespace internal

namespace {

// The query every part of the report shares: date, scope, options, schedule and
// the custom indicators of the request, the target set and the scheme together.
absl::StatusOr<Query> BaseQuery(const Ledger& ledger, const ReportRequest& request) {
  Query q;
  if (request.as_of) {
    q.as_of = *request.as_of;
  } else {
    absl::StatusOr<Date> as_of = DefaultAsOf(ledger);
    if (!as_of.ok()) return as_of.status();
    q.as_of = *as_of;
  }
  q.filter = request.filter;
  q.options = request.options;
  const ScheduleSpec* schedule = nullptr;
  if (request.schedule) {
    schedule = &*request.schedule;
  } else if (request.targets != nullptr && request.targets->schedule) {
    schedule = &*request.targets->schedule;
  }
  if (schedule != nullptr) {
    q.options.schedule = schedule->mode;
    q.options.curve = schedule->curve;
  }
  // The custom indicators of the request, the target set and the scheme: one id
  // defined alike in two of them (a target set and a scheme that share an indicator,
  // each file complete on its own) is one indicator; defined differently, an error
  // naming both places.
  std::vector<CustomIndicator> defs;
  std::vector<std::string> where;  // for each of defs, the source that defined it
  auto add = [&](const std::vector<CustomIndicator>& from, const std::string& source) -> absl::Status {
    for (const CustomIndicator& c : from) {
      size_t k = 0;
      while (k < defs.size() && defs[k].id != c.id) ++k;
      if (k == defs.size()) {
        defs.push_back(c);
        where.push_back(source);
        continue;
      }
      const CustomIndicator& d = defs[k];
      if (d.expression == c.expression && d.unit == c.unit && d.places == c.places && d.label == c.label) continue;
      return absl::InvalidArgumentError(Cat("custom indicator '", c.id, "' is defined twice, differently: in ",
                                            where[k], " as '", d.expression, "' and in ", source, " as '",
                                            c.expression, "'", d.expression == c.expression ? " (label, unit or places differ)" : "",
                                            "; give one of them another id"));
    }
    return absl::OkStatus();
  };
  if (absl::Status st = add(request.custom, "the request"); !st.ok()) return st;
  if (request.targets != nullptr) {
    if (absl::Status st = add(request.targets->indicators, Cat("the target set '", request.targets->name, "'")); !st.ok()) {
      return st;
    }
  }
  if (request.scheme != nullptr) {
    if (absl::Status st = add(request.scheme->indicators, Cat("the scoring scheme '", request.scheme->name, "'")); !st.ok()) {
      return st;
    }
  }
  if (!defs.empty()) {
    absl::StatusOr<CustomIndicatorSet> set = CustomIndicatorSet::Compile(std::move(defs));
    if (!set.ok()) return set.status();
    q.custom = std::make_shared<const CustomIndicatorSet>(*std::move(set));
  }
  return q;
}

absl::StatusOr<Result> EvaluateWith(const Ledger& ledger, const Query& base, std::vector<Dimension> group_by,
                                    std::vector<std::string> indicators) {
  Query q = base;
  q.group_by = std::move(group_by);
  q.indicators = std::move(indicators);
  return Evaluate(ledger, q);
}

constexpr FunnelStep kFunnel[] = {
    {"intended", "意向项目", "", ""},
    {"signed", "签约", "funnel_signed_rate", "签约转化率"},
    {"signed_started", "开工", "funnel_started_rate", "开工转化率"},
    {"signed_completed", "竣工", "funnel_completed_rate", "竣工转化率"},
    {"operating", "投产", "funnel_operating_rate", "投产转化率"},
};

// The conversions as custom indicators (each stage over the one before), compiled once.
absl::StatusOr<std::shared_ptr<const CustomIndicatorSet>> FunnelConversions() {
  static const absl::StatusOr<std::shared_ptr<const CustomIndicatorSet>> set =
      []() -> absl::StatusOr<std::shared_ptr<const CustomIndicatorSet>> {
    std::vector<CustomIndicator> defs;
    for (size_t i = 1; i < std::size(kFunnel); ++i) {
      defs.push_back({std::string(kFunnel[i].conversion), std::string(kFunnel[i].conversion_label), Unit::kRate, 1,
                      Cat(kFunnel[i].stage, " / ", kFunnel[i - 1].stage)});
    }
    absl::StatusOr<CustomIndicatorSet> compiled = CustomIndicatorSet::Compile(std::move(defs));
    if (!compiled.ok()) return compiled.status();
    return std::make_shared<const CustomIndicatorSet>(*std::move(compiled));
  }();
  return set;
}

}  // namespace

std::span<const FunnelStep> FunnelSteps() { return kFunnel; }

absl::StatusOr<ReportTable> MakeFunnel(const Ledger& ledger, const Query& base, std::vector<Dimension> group_by) {
  absl::StatusOr<std::shared_ptr<const CustomIndicatorSet>> conversions = FunnelConversions();
  if (!conversions.ok()) return conversions.status();
  Query q = base;
  q.custom = *conversions;  // the funnel reads none of the request's own
  q.group_by = std::move(group_by);
  q.indicators.clear();
  for (const FunnelStep& step : kFunnel) {
    q.indicators.emplace_back(step.stage);
    if (!step.conversion.empty()) q.indicators.emplace_back(step.conversion);
  }
  absl::StatusOr<Result> result = Evaluate(ledger, q);
  if (!result.ok()) return result.status();
  return ReportTable{std::string(kFunnelTitle), *std::move(result), {}};
}

absl::StatusOr<Report> MakeReport(const Ledger& ledger, const ReportRequest& request) {
  return internal::NoThrow("making the report", [&]() -> absl::StatusOr<Report> {
    absl::StatusOr<Query> base = BaseQuery(ledger, request);
    if (!base.ok()) return base.status();

    Report report;
    report.scope_name = request.scope_name.empty() ? DefaultScopeName(ledger, base->filter) : request.scope_name;
    report.regions = request.regions;
    // The tables' indicators: the request's (none: the standard dashboard), then each
    // custom indicator they do not name -- a host that defines one means to see it,
    // as `keyproj report --custom` shows it (a vendor's kp_report_request_add_custom_indicator
    // gave no column, and no word, unless every dashboard id was listed with it).
    std::vector<std::string> indicators = request.indicators;
    if (indicators.empty()) indicators.assign(StandardDashboard().begin(), StandardDashboard().end());
    for (const CustomIndicator& c : request.custom) {
      if (std::find(indicators.begin(), indicators.end(), c.id) == indicators.end()) indicators.push_back(c.id);
    }
    for (const std::vector<Dimension>& dims : request.groupings) {
      absl::StatusOr<Result> result = EvaluateWith(ledger, *base, dims, indicators);
      if (!result.ok()) return result.status();
      report.tables.push_back({GroupingTitle(dims), *std::move(result), {}});
      if (request.subtotals && internal::NeedsSubtotals(report.tables.back().result)) {
        // The cities' own figures: the same indicators, the county replaced by its city.
        std::vector<Dimension> by_city = dims;
        by_city.back() = Dimension::kCity;
        absl::StatusOr<Result> cities = EvaluateWith(ledger, *base, std::move(by_city), indicators);
        if (!cities.ok()) return cities.status();
        report.tables.back().subtotals = *std::move(cities);
      }
    }

    // A target set with [tasks] (任务分解): its keys resolved against the ledger, and
    // its targets grouped by the tasks' dimension unless the request groups them.
    std::shared_ptr<const TargetSet> target_set = request.targets;
    std::vector<Dimension> targets_group_by = request.targets_group_by;
    if (target_set != nullptr && target_set->tasks_group_by) {
      absl::StatusOr<TargetSet> resolved = ResolveTaskGroups(*target_set, ledger, request.regions.get());
      if (!resolved.ok()) return resolved.status();
      target_set = std::make_shared<const TargetSet>(*std::move(resolved));
      const Dimension dim = *target_set->tasks_group_by;
      if (targets_group_by.empty()) targets_group_by = {dim};
      if (targets_group_by != std::vector<Dimension>{dim}) {
        return absl::InvalidArgumentError(Cat("the target set ", target_set->name, " breaks its targets down by ",
                                              DimensionId(dim), " ([tasks] group_by): group the targets by ",
                                              DimensionId(dim), " or leave their grouping out ('targets_group_by' is ",
                                              DimensionId(targets_group_by.front()), ")"));
      }
    }
    if (target_set != nullptr) {
      std::vector<std::string> ids = TargetIndicatorIds(*target_set);
      ids.emplace_back("schedule");
      absl::StatusOr<Result> result = EvaluateWith(ledger, *base, targets_group_by, std::move(ids));
      if (!result.ok()) return result.status();
      TargetsTable targets{target_set, *std::move(result), {}, {}};
      for (size_t row = 0; row < targets.result.rows.size(); ++row) {
        const Value schedule = targets.result.rows[row].values.back();
        absl::StatusOr<std::vector<TargetStatus>> statuses =
            EvaluateTargets(*target_set, targets.result, row, schedule);
        if (!statuses.ok()) return statuses.status();
        targets.rows.push_back(*std::move(statuses));
        targets.schedule.push_back(schedule);
      }
      if (!report.tables.empty()) report.tables.front().targets = targets.rows.back();
      report.targets = std::move(targets);
    }

    if (request.scheme != nullptr) {
      std::vector<Dimension> group_by = request.scores_group_by;
      if (group_by.empty() && request.scheme->group_by) group_by.push_back(*request.scheme->group_by);
      if (group_by.empty()) {
        return absl::InvalidArgumentError(
            Cat("the scoring scheme ", request.scheme->name, " names no group_by: name the grouping to score ('scores_group_by')"));
      }
      std::vector<std::string> ids = SchemeIndicatorIds(*request.scheme);
      const bool counted = std::find(ids.begin(), ids.end(), "projects") != ids.end();
      if (!counted) ids.emplace_back("projects");
      absl::StatusOr<Result> result = EvaluateWith(ledger, *base, group_by, ids);
      if (!result.ok()) return result.status();
      internal::KeepScoredGroups(&*result, /*drop_projects_column=*/!counted);
      absl::StatusOr<std::vector<GroupScore>> scores = ScoreGroups(*request.scheme, *result, target_set.get());
      if (!scores.ok()) return scores.status();
      report.scores = ScoresTable{request.scheme, *std::move(result), *std::move(scores)};
    }

    if (request.funnel_group_by) {
      absl::StatusOr<ReportTable> funnel = MakeFunnel(ledger, *base, *request.funnel_group_by);
      if (!funnel.ok()) return funnel.status();
      report.funnel = *std::move(funnel);
    }

    report.notes = internal::ReportNotes(ledger, request, base->as_of);
    report.query = *std::move(base);
    return report;
  });
}

namespace internal {

namespace {

// The filter's values that no project of the ledger has -- a region, a leader, a
// department, a tag typed wrong (region=610499, leader=张山) -- each a note: the report
// of nobody is made (a shard of a scaled-out ledger may well have none), but said.
std::vector<std::string> FilterNotes(const Ledger& ledger, const Filter& f) {
  std::vector<std::string> notes;
  if (f.region_prefixes.empty() && f.leaders.empty() && f.departments.empty() && f.tags.empty()) return notes;
  const internal::ProjectColumns& c = internal::Columns(ledger).projects;
  for (const std::string& prefix : f.region_prefixes) {
    const auto [lo, hi] = RegionPrefixRange(prefix);
    bool any = false;
    for (uint32_t p = 0; p < ledger.size() && !any; ++p) any = c.region[p] >= lo && c.region[p] <= hi;
    if (!any) notes.push_back(Cat("no project of the ledger is in region ", prefix, " (filter region=", prefix, ")"));
  }
  // A text no project has as its leader (department, tag).
  const auto unused = [&](const std::string& text, const internal::Column<uint32_t>& ids) {
    const std::optional<uint32_t> id = internal::Columns(ledger).strings.Find(text);
    return !id || *id == 0 || std::find(ids.begin(), ids.end(), *id) == ids.end();
  };
  for (const auto& [key, values, ids] : {std::tuple<std::string_view, const std::vector<std::string>&,
                                                     const internal::Column<uint32_t>&>{"leader", f.leaders, c.leader},
                                         {"department", f.departments, c.department},
                                         {"tag", f.tags, c.tag_ids}}) {
    for (const std::string& v : values) {
      if (unused(v, ids)) notes.push_back(Cat("no project of the ledger has ", key, " '", v, "' (filter ", key, "=", v, ")"));
    }
  }
  return notes;
}

}  // namespace

std::vector<std::string> ReportNotes(const Ledger& ledger, const ReportRequest& request, Date as_of) {
  std::vector<std::string> notes = FilterNotes(ledger, request.filter);
  // The first and last months with figures, from the running totals' blocks (a
  // thousand projects each): no pass over the projects for a report with a date.
  int64_t lo = std::numeric_limits<int64_t>::max(), hi = std::numeric_limits<int64_t>::min();
  for (const TotalsBlock& b : internal::Columns(ledger).monthly.total_blocks) {
    if (b.months <= 0) continue;
    lo = std::min<int64_t>(lo, b.first_month);
    hi = std::max<int64_t>(hi, int64_t{b.first_month} + b.months - 1);
  }
  if (lo > hi) return notes;
  const Month first = Month::FromIndex(static_cast<int32_t>(lo)),
              last = Month::FromIndex(static_cast<int32_t>(std::min<int64_t>(hi, INT32_MAX)));
  const Month month = Month::Of(as_of);
  if (request.as_of) {
    // A date past the ledger's last month is allowed (a year-end report drafted
    // early), but its figures read as if the months after had no investment: 同比下降,
    // 四季度完成投资0. Before its first month, nothing was reported yet.
    if (month > last) {
      notes.push_back(Cat("the ledger's monthly figures end in ", last.ToString(), "; as of ", as_of.ToString(),
                          " the months from ", (last + 1).ToString(), " count as having no investment"));
    } else if (month < first) {
      notes.push_back(Cat("the ledger's monthly figures begin in ", first.ToString(), "; as of ", as_of.ToString(),
                          " no project has reported yet, so every investment figure is 0"));
    }
    return notes;
  }
  // The default date is the end of the last month with figures: one row typed a year
  // ahead (2025-09 for 2024-09) moves every figure there, to near nothing. Said when
  // fewer than a tenth as many projects reach that month as end in the month most end
  // in: how many end in each month, one pass (as DefaultAsOf's).
  // (A ledger's months lie in 1900-01 .. 2100-12; a snapshot's blocks are not trusted
  // further than that: a project whose run ends outside them is not counted.)
  if (hi - lo >= 12 * 1000) return notes;
  std::vector<int64_t> ending(static_cast<size_t>(hi - lo + 1), 0);
  for (uint32_t p = 0; p < ledger.size(); ++p) {
    const std::optional<MonthRange> r = ledger.months(p);
    if (!r) continue;
    const int64_t k = int64_t{r->last.index()} - lo;
    if (k >= 0 && k < static_cast<int64_t>(ending.size())) ++ending[static_cast<size_t>(k)];
  }
  const auto most_at = std::max_element(ending.begin(), ending.end());
  const int64_t at_most = *most_at, at_last = ending.back();
  if (most_at == ending.end() - 1 || at_last * 10 >= at_most) return notes;
  const Month most = Month::FromIndex(first.index() + static_cast<int32_t>(most_at - ending.begin()));
  std::vector<std::string> codes;
  for (uint32_t p = 0; p < ledger.size() && codes.size() < 3; ++p) {
    if (std::optional<MonthRange> r = ledger.months(p); r && r->last == last) codes.emplace_back(ledger.code(p));
  }
  notes.push_back(Cat("the report is as of ", last.last_day().ToString(),
                      ", the ledger's last month with figures, but only ", at_last,
                      at_last == 1 ? " project has" : " projects have", " figures that late (", absl::StrJoin(codes, ", "),
                      at_last > 3 ? ", ..." : "", ") where ", at_most, " end in ", most.ToString(),
                      ": if those months are typing mistakes, correct them; else make the report as of ",
                      most.ToString(), ", the month most projects have reported"));
  return notes;
}

}  // namespace internal

}  // namespace keyproj
