// Private to the report layer: the rules of MakeReport that merging partials
// (src/report/partial.cc) applies to the union of shards without a ledger.
#ifndef KEYPROJ_SRC_REPORT_REPORT_INTERNAL_H_
#define KEYPROJ_SRC_REPORT_REPORT_INTERNAL_H_

#include <string>
#include <vector>

#include "keyproj/engine.h"
#include "keyproj/query.h"
#include "keyproj/report_request.h"

namespace keyproj::internal {

// DefaultScopeName's rule once the ledger's regions are known: all in one county
// (or the filter names one) 全县 -- 全区 for a district and 全市 for a county-level
// city, by the code's last two digits (GB/T 2260: 01-20 市辖区, 81-99 县级市);
// `county` is one of the scope's counties (0: none) -- in one city 全市, else 全省.
std::string ScopeNameOf(bool one_county, bool one_city, int32_t county, const Filter& filter);

// County under city: whether a table grouped by county (or ending in county) has
// counties in more than one city, and so gets its cities' 小计 rows.
bool NeedsSubtotals(const Result& r);

// The groups an assessment ranks (a scoring result, evaluated with `projects`): those
// with a project in scope that is not cancelled by as_of -- a department whose
// projects were all withdrawn has no figures to be judged on, and would set an
// efficacy range's bottom at 0 -- and with a key: the （未填） group of projects with
// no department or leader is nobody to rank. The whole-scope row stays. With
// `drop_projects_column`, the `projects` column (added for this) is taken out again.
void KeepScoredGroups(Result* result, bool drop_projects_column);

// Report::notes of a report of `ledger` as of `as_of` (the request's, or its default).
std::vector<std::string> ReportNotes(const Ledger& ledger, const ReportRequest& request, Date as_of);

}  // namespace keyproj::internal

#endif  // KEYPROJ_SRC_REPORT_REPORT_INTERNAL_H_
