// Comparing two ledgers value by value: what round-trip tests (generate -> write CSV
// -> load) and determinism tests check.
#ifndef KEYPROJ_LEDGER_COMPARE_H_
#define KEYPROJ_LEDGER_COMPARE_H_

#include <string>

#include "keyproj/ledger.h"

namespace keyproj::internal {

// Empty when every column of every table is equal: projects field by field (text by
// value, not by pool id), monthly slots per project and month (run, flags, running
// totals, report dates, progress, problems), funding, plans, problems, bases, approvals and
// the extra columns (headers and values) -- data only: how the files were laid out
// (Ledger::layouts(), a bureau's title rows, units, 合计 rows) is not compared, so a
// 台账 sheet and the plain CSV of the same figures are the same ledger. Otherwise one line per difference, for the
// first `max_differences` of them ("project 2023-610402-04-01-000123: stage:
// started vs suspended"), and a count of the rest.
std::string DescribeLedgerDifference(const Ledger& a, const Ledger& b, int max_differences = 10);

}  // namespace keyproj::internal

#endif  // KEYPROJ_LEDGER_COMPARE_H_
