// A synthetic ledger: three cities of eight counties each in one province (Shaanxi,
// 61xxxx), with projects in every category, level, build type and stage, national
// project codes of both forms and local ids, attracted (招商引资) projects with their
// contracts and their 招商 dates (intention, production), monthly reports (including
// negative corrections, stalled months, missing and late reports), funding by source,
// multi-year plans, a problem list, approvals (前期手续: done, late, pending, overdue)
// and comparable bases -- enough that every indicator of indicators.md has something to
// count. It is what `keyproj generate`, the sample data in examples/data, the tests
// and the benchmarks use.
//
// The data go through a LedgerBuilder, so they pass the same validation as a CSV
// folder. Output depends only on the options: the generator has its own PRNG
// (xoshiro256** seeded by splitmix64) and integer arithmetic only, so one seed gives
// the same ledger on every platform and standard library. Each project draws from a
// stream of its own, so adding projects does not change the ones before them; what
// was added later (intended_on, operating_on, approvals.csv) draws from a second
// stream per project, so the tables that were there before stay byte for byte.
#ifndef KEYPROJ_GENERATOR_H_
#define KEYPROJ_GENERATOR_H_

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "keyproj/date.h"
#include "keyproj/ledger.h"
#include "keyproj/ledger_builder.h"

namespace keyproj {

struct GeneratorOptions {
  uint64_t projects = 1500;  // at most 5 * 10^7
  uint64_t seed = 1;
  // The report date: no date in the ledger is later, except planned dates, plans for
  // later years, and the filing dates of the as_of month's reports (filed the month
  // after, as in real life).
  Date as_of = *Date::FromYmd(2024, 9, 30);
  // The monthly reports cover `months` months from January of first_year, cut at the
  // as_of month. first_year 0 = the year before as_of's (so year-to-date and the
  // same period a year earlier are both there). The defaults give 2023-01..2024-09.
  int first_year = 0;
  int months = 24;
  // Funding rows in US dollars (利用外资) at this rate to yuan; "" = none. Loading the
  // written CSV needs the same rate (LoadOptions::fx_rates = {{"USD", usd_rate}}).
  std::string usd_rate = "7.1";
  // An unknown column in projects.csv (项目联系人), kept by the ledger as an extra.
  bool extra_columns = true;
  // Benchmarks: every project started before the window and is still under way at
  // as_of, so nearly every project reports every month (projects x months rows, less
  // the odd missing report). Off: the realistic mix, where reserve projects have no
  // months and completed ones stop (about 7 months a project over 24).
  bool dense = false;
};

// Receives the generated records in an order a LedgerBuilder accepts: each project
// before its own rows (monthly in month order, then funding, plans, problems and
// approvals), the comparable bases last.
class GeneratorSink {
 public:
  virtual ~GeneratorSink() = default;
  virtual void SetExtraHeaders(Table table, std::vector<std::string> headers) = 0;
  virtual void Project(ProjectRecord&& record) = 0;
  // `record` views text that stays valid only during the call.
  virtual void Monthly(const MonthlyRecord& record) = 0;
  virtual void Funding(FundingRecord&& record) = 0;
  virtual void Plan(PlanRecord&& record) = 0;
  virtual void Problem(ProblemRecord&& record) = 0;
  virtual void Baseline(BaselineRecord&& record) = 0;
  virtual void Approval(ApprovalRecord&& record) = 0;
};

// Checks the options: InvalidArgument for a bad one (no projects limit exceeded,
// months < 1, a window that starts after as_of, ...).
absl::Status ValidateGeneratorOptions(const GeneratorOptions& options);

// Streams the records of a synthetic ledger to `sink`. Memory use is independent of
// the number of projects (apart from what the sink keeps).
absl::Status GenerateRecords(const GeneratorOptions& options, GeneratorSink& sink);

// The builder options a generated ledger needs (the USD rate).
BuildOptions GeneratorBuildOptions(const GeneratorOptions& options);

// Generates the records into a LedgerBuilder and builds the ledger. An error is
// either a bad option or (a bug) a record the builder rejected.
absl::StatusOr<Ledger> GenerateLedger(const GeneratorOptions& options = {});

// A division the generator uses: GB/T 2260 code and name.
struct GeneratedRegion {
  int32_t code;
  const char* name;
};
// The 24 counties the generator's projects are in, city by city.
std::span<const GeneratedRegion> GeneratorCounties();
// Every division a generated ledger touches, ascending by code: the province, its 3
// cities and the 24 counties (what `keyproj generate` writes as regions.csv).
std::span<const GeneratedRegion> GeneratorRegions();

}  // namespace keyproj

#endif  // KEYPROJ_GENERATOR_H_
