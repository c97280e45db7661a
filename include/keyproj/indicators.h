// The indicator catalogue: every figure keyproj computes, defined once. The id is
// what the C API, the Python binding, the CLI's JSON and the tests use; the label is
// what a Chinese report prints. Definitions are those of the shared spec
// indicators.md; docs/indicators.md records the choices it left open.
#ifndef KEYPROJ_INDICATORS_H_
#define KEYPROJ_INDICATORS_H_

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "keyproj/value.h"

namespace keyproj {

// Which dotted sub-ids an indicator has ("support_approved.central_budget").
// kApprovalItem: approvals_* by item (.feasibility); kAgeBand: reserve_age's bands by
// months since reserved_on (.0_6, .6_12, .12_24, .24_); kYear: plan_next_years by a
// later year (.2026; the year must be one of the ten after as_of's, checked when the
// query is evaluated, since the id alone does not know as_of).
enum class IndicatorSplit : uint8_t {
  kNone = 0,
  kFundingSource = 1,
  kProblemKind = 2,
  kApprovalItem = 3,
  kAgeBand = 4,
  kYear = 5,
};

struct IndicatorDef {
  std::string_view id;
  std::string_view label;  // Chinese label of reports
  Unit unit;
  int places;              // default display places
  // Group rows add up to the whole-scope row (counts and sums, not rates).
  bool additive;
  // The value comes with the list of projects behind it (warnings: a bureau acts on
  // names, not numbers).
  bool lists_projects;
  IndicatorSplit split;
  std::string_view definition;  // one line, for --help and docs
  // A rate that builds up through the year toward its yearly whole, as a count or a
  // sum does (占年度计划: the year so far over the year's plan): a target on it can be
  // 序时推进 (on track) before it is met. Other rates (履约率, 同比增长) are met or not.
  bool builds_up_in_year = false;
};

// Every indicator, in the order of indicators.md.
std::span<const IndicatorDef> Catalogue();

// "The standard dashboard": the twenty figures of a bureau's monthly key-project
// table, in its column order. The CLI's default and the benchmark's query.
std::span<const std::string_view> StandardDashboard();

// An indicator as a query names it: a catalogue id, optionally with a split key.
struct IndicatorRef {
  const IndicatorDef* def = nullptr;
  int key = 0;  // FundingSource, ProblemKind or ApprovalItem value, age band 1..4, or a year, for a split id; 0 = the total
  std::string id;  // as written
};

// The Chinese name of a split id's part, for headers: "中央预算内", "环评",
// "6-12个月", "24个月以上", "2026年"; "" for the total (key 0).
std::string SplitKeyLabel(const IndicatorRef& ref);

// "start_rate" or "support_approved.central_budget" -> the definition; a Chinese label
// ("开工率") names its indicator too; error names the unknown id (and a near one).
absl::StatusOr<IndicatorRef> FindIndicator(std::string_view id);

// Whether `name` is a catalogue indicator's id or Chinese label (no split part):
// FindIndicator's answer without its error text, for a check made many times.
bool IsCatalogueName(std::string_view name);

}  // namespace keyproj

#endif  // KEYPROJ_INDICATORS_H_
