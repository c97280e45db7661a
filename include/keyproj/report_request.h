// A report from one request: what `keyproj report`, `keyproj targets` and
// `keyproj score` compute, and what the C ABI and the Python binding call. The
// CLI only turns its flags into a ReportRequest and prints the Report
// (report.h); everything in between is here, so every surface gives the same
// figures for the same question.
//
//   keyproj::ReportRequest request;                       // as of the last month
//   request.groupings = {{keyproj::Dimension::kCounty}};
//   request.indicators = {"projects", "start_rate", "investment_ytd"};
//   absl::StatusOr<keyproj::Report> report = keyproj::MakeReport(ledger, request);
//   std::string json = *keyproj::RenderReport(ledger, *report, keyproj::ReportFormat::kJson, {});
#ifndef KEYPROJ_REPORT_REQUEST_H_
#define KEYPROJ_REPORT_REQUEST_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "keyproj/expression.h"
#include "keyproj/ledger.h"
#include "keyproj/query.h"
#include "keyproj/regions.h"
#include "keyproj/report.h"
#include "keyproj/scoring.h"
#include "keyproj/targets.h"

namespace keyproj {

struct ReportRequest {
  // The report date; unset: the end of the latest month the ledger has figures for.
  std::optional<Date> as_of;
  // Which projects (the scope); empty: all.
  Filter filter;
  // One table per grouping, in order; an empty grouping is the whole scope alone.
  // No groupings: no tables (a request for targets or scores only).
  std::vector<std::vector<Dimension>> groupings = {{Dimension::kCategory}};
  // The tables' indicators: catalogue ids, ids of `custom` or of the target set's
  // and scheme's own indicators. Empty: StandardDashboard().
  std::vector<std::string> indicators;
  // Indicators defined at run time (expression.h). The tables show each after their
  // indicators unless `indicators` names it (and places it).
  std::vector<CustomIndicator> custom;
  // Thresholds, schedule and threads (query.h).
  QueryOptions options;
  // 序时进度. Unset: the target set's [schedule] when it has one, else
  // options.schedule and options.curve.
  std::optional<ScheduleSpec> schedule;

  // A target set: its statuses for the whole scope (shown with the first table)
  // and for each group of targets_group_by (Report::targets).
  std::shared_ptr<const TargetSet> targets;
  std::vector<Dimension> targets_group_by;
  // A scoring scheme: the groups of scores_group_by (empty: the scheme's
  // group_by) scored and ranked (Report::scores).
  std::shared_ptr<const ScoringScheme> scheme;
  std::vector<Dimension> scores_group_by;

  // The 招商 funnel (Report::funnel): unset, none; empty, the whole scope only; else
  // a row per group of these dimensions and the whole scope last.
  std::optional<std::vector<Dimension>> funnel_group_by;

  // The scope's name in titles and text. Empty: DefaultScopeName.
  std::string scope_name;
  // Names of counties and cities for group labels (regions.csv); may be null.
  std::shared_ptr<const RegionNames> regions;

  // County under city: a table grouped by county (or ending in county) whose counties
  // lie in more than one city gets its cities' figures (ReportTable::subtotals), printed
  // as a 小计 row per city. false: the counties alone (`--no-subtotals`).
  bool subtotals = true;
};

// Computes the report. Errors (InvalidArgument, naming what is wrong): an unknown
// indicator id, a bad option, a custom indicator that does not compile, a scheme
// without a grouping, a ledger without monthly figures and no as_of.
absl::StatusOr<Report> MakeReport(const Ledger& ledger, const ReportRequest& request);

// The 招商 funnel (FunnelSteps, report.h) at `base`'s date and scope, grouped by
// `group_by` (empty: the whole scope only): what MakeReport puts in Report::funnel and
// the report text's {招商漏斗} states. Errors: those of Evaluate.
absl::StatusOr<ReportTable> MakeFunnel(const Ledger& ledger, const Query& base, std::vector<Dimension> group_by);

// The end of the latest month with monthly figures. Error: the ledger has none.
absl::StatusOr<Date> DefaultAsOf(const Ledger& ledger);

// When the scope's projects are in one county-level division (or the filter names
// one): 全区 for a district, 全县 for a county, 全市 for a county-level city (the
// code's last two digits, GB/T 2260: 01-20, 21-80, 81-99); 全市 in one city, else 全省.
std::string DefaultScopeName(const Ledger& ledger, const Filter& filter);

// 任务分解: checks the [tasks] keys of `set` against the ledger and returns the set
// with each key as a Result row writes it. A key is a group's key ("610402", a
// department's name) or its label in reports (GroupKeyLabel: a county's name from
// `regions`, may be null). Errors name the key's line: no project of the ledger is
// in that group (a typo, a county the ledger does not have), a name two groups
// share, two keys for one group. A set without [tasks] comes back unchanged.
// MakeReport calls it.
absl::StatusOr<TargetSet> ResolveTaskGroups(const TargetSet& set, const Ledger& ledger, const RegionNames* regions);

}  // namespace keyproj

#endif  // KEYPROJ_REPORT_REQUEST_H_
