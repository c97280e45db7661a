// Writing a ledger as its CSV folder (the inverse of LoadCsvLedger).
//
// Files: projects.csv always; monthly.csv, funding.csv, plans.csv, problems.csv and
// baseline.csv when the ledger has rows for them. Headers are the English ids of
// csv_schema.h (or its Chinese headers), followed by the ledger's unknown (extra)
// columns. Values are exact: money in 万元 with as many decimals as it has (never
// rounded), dates YYYY-MM-DD, months YYYY-MM, enumerations by id. Fields are quoted
// per RFC 4180 when they hold a comma, a quote, a line break or surrounding spaces.
//
// Decisions:
// - Every plan goes to plans.csv; projects.csv has no annual_plan/plan_year columns
//   (a ledger does not remember which file a plan came from, and plans.csv holds
//   them all without ambiguity).
// - monthly.csv has one row per slot with a row (kHasRow); a month's investment is the
//   difference of the running totals. A slot whose cell was empty stays empty.
// - Funding rows in a foreign currency are written as originally given, with their
//   currency: loading them needs the same exchange rate.
// - The ledger's stage is written as stored (also where it was derived from dates).
// - A tag holding ';' or '；' (the separators) is an error (InvalidArgument): it would
//   load back as two tags. (Text with leading or trailing spaces is quoted, but the
//   loader trims cells, so such text -- possible only through the C API -- does not
//   come back byte for byte.)
//
// Each file is written to a temporary name beside it and renamed into place when
// complete, so an error leaves no partial file. Ledger files of the folder that the
// ledger has no rows for (a stale funding.csv, say) are removed, so the folder loads
// back as this ledger.
#ifndef KEYPROJ_CSV_WRITER_H_
#define KEYPROJ_CSV_WRITER_H_

#include <filesystem>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "keyproj/csv_loader.h"
#include "keyproj/ledger.h"

namespace keyproj {

struct WriteOptions {
  bool chinese_headers = false;         // 项目代码, 总投资（万元）, ... instead of code, ...
  Encoding encoding = Encoding::kUtf8;  // kUtf8 (kAuto means the same) or kGb18030
  bool bom = false;                     // a UTF-8 byte-order mark (what Excel looks for)
  bool crlf = false;                    // CRLF line ends (quoted text keeps its own)
};

absl::Status WriteCsvLedger(const Ledger& ledger, const std::filesystem::path& dir,
                            const WriteOptions& options = {});

// The same files in memory, in the order above.
absl::StatusOr<std::vector<CsvInput>> WriteCsvLedgerToMemory(const Ledger& ledger,
                                                             const WriteOptions& options = {});

// Appends `field` to *out, quoted if it needs to be.
void AppendCsvField(std::string* out, std::string_view field);

// Exact 万元 text of an amount in 分 with at least two decimals, as
// Money::ToWanString (AppendExact of money.h): 1234500 -> "1.2345", -100000000 -> "-100.00".
void AppendWan(std::string* out, int64_t fen);

}  // namespace keyproj

#endif  // KEYPROJ_CSV_WRITER_H_
