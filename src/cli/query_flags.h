// The options that shape a query, shared by report, targets and score: the date,
// the scope filter, the schedule and the warning thresholds.
#ifndef KEYPROJ_CLI_QUERY_FLAGS_H_
#define KEYPROJ_CLI_QUERY_FLAGS_H_

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "cli/flags.h"
#include "keyproj/expression.h"
#include "keyproj/query.h"
#include "keyproj/report_request.h"
#include "keyproj/value.h"

namespace keyproj::cli {

const std::vector<FlagSpec>& QueryFlagSpecs();
inline constexpr const char* kQueryFlagsHelp =
    "  --as-of DATE             the report date, 2024-09-30 or 2024-09 (the month's\n"
    "                           end); default: the end of the ledger's last month\n"
    "  --filter CONDITIONS      the scope, e.g. region=6104 or category=industry|urban,\n"
    "                           level=provincial, size>=500 (万元), industrial=1, tags=...\n"
    "                           (docs/targets-and-scoring.md lists every key)\n"
    "  --schedule MODE          序时进度: months (default), days, or curve:FILE (12\n"
    "                           cumulative percents, January..December; or inline:\n"
    "                           curve:8,16,25,33,41,50,58,66,85,90,95,100)\n"
    "  --deadline-day N         monthly reports are late after day N of the next month (20)\n"
    "  --stalled-months N       no investment in N months makes a project stalled (3)\n"
    "  --behind-points X        a project X points below 序时进度 is behind (10)\n"
    "  --land-start-days N      拿地即开工: a start within N days of the land item (30)\n"
    "  --countdown-days N       start_countdown: planned to start within N days (30)\n"
    "  --signed-months N        signed_not_started: signed N whole months ago (6)\n"
    "  --no-baseline            同比 against last year's ledger figures, not baseline.csv\n"
    "  --threads N              threads for the calculation (default: all)\n";

// The request the shared query flags describe: as_of (unset: MakeReport's default),
// scope, schedule, thresholds, threads. Groupings, indicators, targets and scheme
// are the command's own.
absl::StatusOr<ReportRequest> RequestFromFlags(const Flags& flags);

// --unit: money in 万元 (wan, 万元, 万; the default) or 亿元 (yi, 亿元, 亿).
absl::StatusOr<MoneyUnit> MoneyUnitFromFlags(const Flags& flags);

// --group-by DIM (one dimension, for targets and score): empty when not given.
absl::StatusOr<std::vector<Dimension>> OneDimensionFromFlags(const Flags& flags);

// "a, b,c" -> {"a", "b", "c"}, over every occurrence of a repeatable flag.
std::vector<std::string> SplitList(const std::vector<std::string>& values);

// --places ID=N, repeated or joined by commas: display places of indicators, each id
// checked by `known` (ParsePlaces, report.h).
absl::StatusOr<std::map<std::string, int, std::less<>>> PlacesFromFlags(
    const Flags& flags, const std::function<absl::Status(std::string_view id)>& known);

}  // namespace keyproj::cli

#endif  // KEYPROJ_CLI_QUERY_FLAGS_H_
