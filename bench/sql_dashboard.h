// The standard dashboard as SQL on SQLite: a Ledger loaded into an in-memory
// database the way a bureau's database would hold it, the dashboard as one SQL
// statement, and the comparison of its rows with keyproj's Result. The SQL is
// written from the definitions of indicators.md, independently of the engine, so
// equal answers check both. Shared by bench/dashboard_bench.cc (the peer timing,
// which compares before it times) and tests/sql_differential_test.cc (the
// differential test on many random ledgers); compiled once as keyproj_sql_dashboard
// (tests/CMakeLists.txt says why it is defined there).
//
//   absl::StatusOr<std::unique_ptr<SqlDb>> db = SqlDb::OpenInMemory();
//   absl::StatusOr<SqlLoaded> loaded = LoadSqlite(ledger, **db);
//   auto stmt = DashboardStatement::Prepare(**db, Dimension::kCounty, as_of);
//   std::vector<SqlRow> rows;
//   absl::Status s = (*stmt)->Run(rows);
//   std::vector<std::string> diffs = CompareDashboard(keyproj_result, rows);
#ifndef KEYPROJ_BENCH_SQL_DASHBOARD_H_
#define KEYPROJ_BENCH_SQL_DASHBOARD_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "keyproj/date.h"
#include "keyproj/engine.h"
#include "keyproj/ledger.h"
#include "keyproj/query.h"

struct sqlite3;
struct sqlite3_stmt;

namespace keyproj::bench {

// An SQLite connection; closed on destruction.
class SqlDb {
 public:
  // A new in-memory database. Error: SQLite could not open one.
  static absl::StatusOr<std::unique_ptr<SqlDb>> OpenInMemory();
  ~SqlDb();
  SqlDb(const SqlDb&) = delete;
  SqlDb& operator=(const SqlDb&) = delete;

  sqlite3* get() const { return db_; }  // owned by this SqlDb
  // Runs one or more statements. The error names SQLite's message and the SQL.
  absl::Status Exec(std::string_view sql);
  // A prepared statement the caller finalizes (sqlite3_finalize), or the error.
  absl::StatusOr<sqlite3_stmt*> Prepare(std::string_view sql);

  // The year whose plans projects.plan_this_year holds (0: none yet). The
  // dashboard statement sets it to its as_of's year before it runs (SetPlanYear).
  int plan_year() const { return plan_year_; }
  // Fills projects.plan_this_year from the plans table for `year`.
  absl::Status SetPlanYear(int year);

 private:
  SqlDb() = default;
  sqlite3* db_ = nullptr;  // owned
  int plan_year_ = 0;
};

struct SqlLoaded {
  uint64_t monthly_rows = 0;
  uint64_t funding_rows = 0;
  double seconds = 0;  // wall time of the load
};

// Creates the tables in `db` (which must be empty) and loads the ledger: days as day
// numbers, money as integer 分, monthly figures per month (not cumulative), plans
// per project and year. Error: an SQLite failure, naming the statement.
absl::StatusOr<SqlLoaded> LoadSqlite(const Ledger& ledger, SqlDb& db);

// The columns of the dashboard statement's rows.
enum SqlCol : int {
  cTotal, cKey, cProjects, cStarted, cStartRate, cCompleted, cAnnualPlan, cInvMonth, cInvYtd, cInvPrev,
  cPlanCompletion, cYoy, cShare, cSigned, cSignedStarted, cSignedStartRate, cPerfDue, cPerfRate,
  cFundsYtd, cFundsRate, cSupported, cSupportApproved, cBase, cPerfMet, cFundsSigned, cContracted,
  cAllInvYtd, kSqlColCount
};

// One row of the dashboard statement: a group, or the whole scope (total).
struct SqlRow {
  bool total = false;
  std::string key;  // the group's key as keyproj prints it; "" for the whole scope
  int64_t v[kSqlColCount] = {};
  double real[kSqlColCount] = {};
  bool null[kSqlColCount] = {};
};

// The standard dashboard for one grouping (kCategory or kCounty) and as_of, as one
// prepared SQL statement over a loaded database: the group rows in key order, then
// the whole-scope row.
class DashboardStatement {
 public:
  // Errors: a grouping other than category or county (InvalidArgument), SQLite's.
  static absl::StatusOr<std::unique_ptr<DashboardStatement>> Prepare(SqlDb& db, Dimension by, Date as_of);
  ~DashboardStatement();
  DashboardStatement(const DashboardStatement&) = delete;
  DashboardStatement& operator=(const DashboardStatement&) = delete;

  // Runs the statement; every row into `out` (cleared first). Sets the database's
  // plan year to as_of's first when it holds another year's.
  absl::Status Run(std::vector<SqlRow>& out);
  // SQLite's query plan, one line per step.
  absl::StatusOr<std::string> QueryPlan() const;

 private:
  DashboardStatement(SqlDb& db, std::string sql, int year) : db_(db), sql_(std::move(sql)), year_(year) {}
  SqlDb& db_;  // not owned; outlives the statement
  std::string sql_;
  int year_;
  sqlite3_stmt* stmt_ = nullptr;  // owned
};

// Compares keyproj's result of the standard dashboard (StandardDashboard(), any
// grouping, the whole-scope row last) with the SQL rows meant to be the same, row
// by row matched on the group key: counts and money exactly, rates as fractions (by
// cross-multiplication, and the REAL SQLite printed within 1e-12 of it), "not
// applicable" only where the SQL divides by zero. One text per difference, each
// naming the indicator, the group and both values; empty when all are equal.
std::vector<std::string> CompareDashboard(const Result& keyproj, const std::vector<SqlRow>& sql);

}  // namespace keyproj::bench

#endif  // KEYPROJ_BENCH_SQL_DASHBOARD_H_
