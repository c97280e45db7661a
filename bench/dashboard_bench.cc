// The standard dashboard: 20 indicators grouped by category and by county, on dense
// generated ledgers (GeneratorOptions{.dense = true}: every project under way and
// reporting every month of the generator's 24-month window from 2023-01, which the
// default as_of 2024-09-30 cuts to 21 months, 2023-01..2024-09), with
// keyproj on one thread and on all threads, next to the same dashboard as one SQL
// statement on SQLite (in-memory, the same data), so the ratio is measured in one run.
//
//   build/release/bench/dashboard_bench                                  # 10^4 .. 10^7
//   build/release/bench/dashboard_bench --benchmark_filter='/1000000/'   # one size
//   build/release/bench/dashboard_bench --benchmark_filter='keyproj'     # keyproj only
//   KEYPROJ_BENCH_MAX_PROJECTS=1000000 build/release/bench/dashboard_bench
//   KEYPROJ_BENCH_SQLITE_MAX=10000000 build/release/bench/dashboard_bench  # SQLite at 10^7 too
//
// Benchmarks are named Dashboard/<projects>/<group by>/<engine>, and for one size and
// grouping keyproj (threads:1, threads:all) and SQLite run one after the other. The
// SQLite benchmark's counters x_keyproj_1t and x_keyproj_all are its time over
// keyproj's (from the keyproj benchmarks just before it, in the same run);
// per_project is seconds per project (linearity: it should not grow with size);
// threads is the number asked for (all = the hardware's), though the engine may use
// fewer on a small ledger.
//
// Environment:
//   KEYPROJ_BENCH_MAX_PROJECTS  largest ledger (default 10^7; a dense 10^7 ledger
//                               takes a few GB and about a minute to generate)
//   KEYPROJ_BENCH_SQLITE_MAX    largest ledger for SQLite (default 10^6; the 10^7
//                               in-memory database needs ~10 GB and minutes to load)
//   KEYPROJ_BENCH_SQLITE_PLAN   set: print SQLite's query plan for each grouping
//   KEYPROJ_BENCH_SQLITE_DUMP   a path: write each size's loaded database there
//                               (VACUUM INTO), to try the SQL in the sqlite3 shell
//
// The ledger of a size is generated once and kept while that size's benchmarks run;
// the SQLite database is loaded from the same Ledger object, outside any timing.
// Before SQLite is timed its answers are compared with keyproj's for every group and
// the whole-scope row (counts and money exactly; rates as fractions, by
// cross-multiplication), and once more on a realistic 50 000-project ledger (the
// dense ones have no completed, cancelled or unstarted projects): a difference skips
// the benchmark with an error naming the indicator and group, so a ratio is only
// reported for equal answers.
//
// Targets (the issue): 10^6 projects in <= 50 ms with all threads on a 2-core
// machine; >= 20x faster than SQLite; time linear in projects.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include "bench_support.h"
#include "benchmark/benchmark.h"
#include "keyproj/engine.h"
#include "keyproj/funding.h"
#include "keyproj/generator.h"
#include "keyproj/ledger.h"
#include "keyproj/money.h"
#include "keyproj/query.h"
#include "keyproj/internal/text.h"
#include "keyproj/value.h"

#if KEYPROJ_HAVE_SQLITE3
#include <sqlite3.h>
#endif

namespace keyproj {

using ::keyproj::internal::ProjectColumns;
using ::keyproj::internal::MonthlyColumns;
using ::keyproj::internal::FundingColumns;
using ::keyproj::internal::PlanColumns;
using ::keyproj::internal::BaselineColumns;
using ::keyproj::internal::kHasRow;
using ::keyproj::internal::Cat;
using ::keyproj::internal::Append;
namespace {

using bench::Die;
using bench::DimName;
using bench::EnvInt;

using Clock = std::chrono::steady_clock;

// The standard dashboard, in this order.
const std::vector<std::string>& DashboardIds() {
  static const std::vector<std::string> ids(StandardDashboard().begin(), StandardDashboard().end());
  return ids;
}

GeneratorOptions LedgerOptions(int64_t projects) {
  GeneratorOptions o;
  o.projects = static_cast<uint64_t>(projects);
  o.dense = true;  // every project reports 2023-01 .. 2024-09 (the window cut at as_of)
  return o;
}

// KEYPROJ_BENCH_INDICATORS=a,b,c replaces the dashboard in the keyproj runs (to see
// what each part of the pass costs; the SQLite comparison is skipped then).
std::vector<std::string> BenchIds() {
  const char* v = std::getenv("KEYPROJ_BENCH_INDICATORS");
  if (v == nullptr || *v == '\0') return DashboardIds();
  std::vector<std::string> ids;
  std::string_view rest = v;
  while (!rest.empty()) {
    const size_t comma = rest.find(',');
    ids.emplace_back(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
  }
  return ids;
}

Query DashboardQuery(Dimension by, int threads) {
  Query q;
  q.as_of = LedgerOptions(1).as_of;
  q.group_by = {by};
  q.indicators = BenchIds();
  q.options.threads = threads;
  return q;
}

// ---- SQLite ------------------------------------------------------------------------

#if KEYPROJ_HAVE_SQLITE3

class Db {
 public:
  Db() {
    if (sqlite3_open(":memory:", &db_) != SQLITE_OK) Fail("open");
  }
  ~Db() { sqlite3_close(db_); }
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  sqlite3* get() const { return db_; }
  void Exec(const std::string& sql) {
    char* error = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
      std::fprintf(stderr, "sqlite: %s\n  in: %s\n", error ? error : "?", sql.c_str());
      std::exit(1);
    }
  }
  sqlite3_stmt* Prepare(const std::string& sql) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), static_cast<int>(sql.size()), &s, nullptr) != SQLITE_OK) {
      std::fprintf(stderr, "sqlite: %s\n  in: %s\n", sqlite3_errmsg(db_), sql.c_str());
      std::exit(1);
    }
    return s;
  }
  [[noreturn]] void Fail(const char* what) {
    std::fprintf(stderr, "sqlite %s: %s\n", what, db_ ? sqlite3_errmsg(db_) : "?");
    std::exit(1);
  }

 private:
  sqlite3* db_ = nullptr;
};

// A prepared statement, finalized on destruction.
struct Stmt {
  sqlite3_stmt* s = nullptr;
  explicit Stmt(sqlite3_stmt* st) : s(st) {}
  ~Stmt() { sqlite3_finalize(s); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
};

// Text that may be empty (an empty string_view may have no data pointer, which
// SQLite would take as NULL).
void BindText(sqlite3_stmt* s, int i, std::string_view text) {
  sqlite3_bind_text(s, i, text.empty() ? "" : text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
}

void BindDayOrNull(sqlite3_stmt* s, int i, int32_t day) {
  if (day == kNoDay) sqlite3_bind_null(s, i);
  else sqlite3_bind_int(s, i, day);
}
void BindMoneyOrNull(sqlite3_stmt* s, int i, int64_t fen) {
  if (fen == kNoMoney) sqlite3_bind_null(s, i);
  else sqlite3_bind_int64(s, i, fen);
}

void StepDone(Db& db, sqlite3_stmt* s) {
  if (sqlite3_step(s) != SQLITE_DONE) db.Fail("insert");
  sqlite3_reset(s);
}

struct Loaded {
  uint64_t monthly_rows = 0;
  uint64_t funding_rows = 0;
  double seconds = 0;
};

// The ledger's data as a bureau's database would hold them: days as day numbers,
// money as integer 分, monthly figures per month (not cumulative).
Loaded LoadSqlite(const Ledger& l, int plan_year, Db& db) {
  const auto t0 = Clock::now();
  db.Exec("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA temp_store = MEMORY;");
  db.Exec(
      "CREATE TABLE projects ("
      "  p INTEGER PRIMARY KEY, category TEXT NOT NULL, county INTEGER NOT NULL,"
      "  attracted INTEGER NOT NULL, signed_on INTEGER, started_on INTEGER, completed_on INTEGER,"
      "  cancelled_on INTEGER, start_due INTEGER, contracted INTEGER, plan_this_year INTEGER);"
      "CREATE TABLE monthly ("
      "  p INTEGER NOT NULL, month INTEGER NOT NULL, investment INTEGER NOT NULL, funds INTEGER NOT NULL,"
      "  PRIMARY KEY (p, month)) WITHOUT ROWID;"
      "CREATE TABLE funding ("
      "  p INTEGER NOT NULL, year INTEGER NOT NULL, source INTEGER NOT NULL, approved INTEGER, arrived INTEGER);"
      "CREATE TABLE baseline ("
      "  month INTEGER NOT NULL, dimension TEXT NOT NULL, key TEXT NOT NULL, investment INTEGER NOT NULL);");
  db.Exec("BEGIN");
  Loaded out;
  {
    Stmt proj(db.Prepare("INSERT INTO projects VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"));
    Stmt month(db.Prepare("INSERT INTO monthly VALUES (?1, ?2, ?3, ?4)"));
    Stmt fund(db.Prepare("INSERT INTO funding VALUES (?1, ?2, ?3, ?4, ?5)"));
    const ProjectColumns& c = keyproj::internal::Columns(l).projects;
    const MonthlyColumns& m = keyproj::internal::Columns(l).monthly;
    const FundingColumns& f = keyproj::internal::Columns(l).funding;
    const PlanColumns& pc = keyproj::internal::Columns(l).plans;
    for (uint32_t p = 0; p < l.size(); ++p) {
      sqlite3_stmt* s = proj.s;
      sqlite3_bind_int64(s, 1, p);
      const std::string_view cat = EnumId(c.category[p]);
      BindText(s, 2, cat);
      sqlite3_bind_int(s, 3, c.region[p]);
      sqlite3_bind_int(s, 4, c.attracted[p] == Attracted::kYes ? 1 : 0);
      BindDayOrNull(s, 5, c.signed_on[p]);
      BindDayOrNull(s, 6, c.started_on[p]);
      BindDayOrNull(s, 7, c.completed_on[p]);
      BindDayOrNull(s, 8, c.cancelled_on[p]);
      BindDayOrNull(s, 9, c.start_due[p]);
      BindMoneyOrNull(s, 10, c.contracted_investment[p]);
      int64_t plan = kNoMoney;  // the engine's rule: the plan row for the year (the last one)
      for (uint32_t i = pc.row_begin[p]; i < pc.row_begin[p + 1]; ++i) {
        if (pc.year[i] == plan_year) plan = pc.planned[i];
      }
      BindMoneyOrNull(s, 11, plan);
      StepDone(db, s);

      // Per-month amounts from the running totals: a month's figure is its total
      // minus the month before's. Slots without a report and without money are
      // left out, as a database would not have those rows.
      const uint64_t b = m.slot_begin[p], e = m.slot_begin[p + 1];
      for (uint64_t i = b; i < e; ++i) {
        const Month when = Month::FromIndex(m.first_month[p] + static_cast<int32_t>(i - b));
        const int64_t inv = l.InvestmentIn(p, when), funds = l.FundsIn(p, when);
        if (!(m.flags[i] & kHasRow) && inv == 0 && funds == 0) continue;
        sqlite3_bind_int64(month.s, 1, p);
        sqlite3_bind_int(month.s, 2, when.index());
        sqlite3_bind_int64(month.s, 3, inv);
        sqlite3_bind_int64(month.s, 4, funds);
        StepDone(db, month.s);
        ++out.monthly_rows;
      }
      for (uint32_t i = f.row_begin[p]; i < f.row_begin[p + 1]; ++i) {
        sqlite3_bind_int64(fund.s, 1, p);
        sqlite3_bind_int(fund.s, 2, f.year[i]);
        sqlite3_bind_int(fund.s, 3, static_cast<int>(f.source[i]));
        BindMoneyOrNull(fund.s, 4, f.approved[i]);  // 分 of CNY (foreign rows converted)
        BindMoneyOrNull(fund.s, 5, f.arrived[i]);
        StepDone(db, fund.s);
        ++out.funding_rows;
      }
    }
    Stmt base(db.Prepare("INSERT INTO baseline VALUES (?1, ?2, ?3, ?4)"));
    const BaselineColumns& bl = keyproj::internal::Columns(l).baseline;
    for (size_t i = 0; i < bl.month.size(); ++i) {
      const std::string_view dim = l.text(bl.dimension[i]), key = l.text(bl.key[i]);
      sqlite3_bind_int(base.s, 1, bl.month[i]);
      BindText(base.s, 2, dim);
      BindText(base.s, 3, key);
      sqlite3_bind_int64(base.s, 4, bl.investment[i]);
      StepDone(db, base.s);
    }
  }
  db.Exec("COMMIT");
  db.Exec("CREATE INDEX funding_p_year ON funding (p, year); ANALYZE;");
  out.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  return out;
}

// The dashboard as one statement. {KEY} is the group column, {KEYTEXT} the group's
// key as text (the key keyproj prints and baseline.csv uses). Definitions are those
// of docs/indicators.md:
// - alive: not cancelled on or before d; everything counts alive projects only;
// - monthly figures take whole months: month = M, ytd = Jan..M of Y, prev_ytd the
//   same months of Y - 1; funds_arrival_rate's funds are every month up to M;
// - signed: attracted with signed_on <= d; performance: signed with start_due <= d,
//   met when started_on <= start_due;
// - yoy_growth's base: the comparable base (baseline) for month M and this row's
//   dimension and key, else investment_prev_ytd; the whole-scope row takes 'all';
// - support: funding rows of year Y from higher-level sources; supported = distinct
//   projects with approved > 0;
// - the whole-scope row adds up the group rows (every figure here is additive; a
//   project is in exactly one group).
// Shape: per-project monthly sums (mp, a streaming GROUP BY over monthly's primary
// key), then per-group aggregates of projects (a), of mp (b) and of funding (c),
// joined by group. Of the shapes tried this was SQLite's fastest (10-15% ahead of
// projects LEFT JOIN mp, which makes SQLite build an automatic index on mp; well
// ahead of grouping the monthly rows by the group key directly, which sorts every
// monthly row).
// Rates come out as REAL (NULL over zero) next to the exact integers they divide.
constexpr std::string_view kDashboardSql = R"sql(
WITH
mp AS (
  SELECT p,
    SUM(investment) FILTER (WHERE month = :m) AS inv_month,
    SUM(investment) FILTER (WHERE month >= :ytd_first) AS inv_ytd,
    SUM(investment) FILTER (WHERE month BETWEEN :prev_first AND :prev_last) AS inv_prev,
    SUM(funds) FILTER (WHERE month >= :ytd_first) AS funds_ytd,
    SUM(funds) AS funds_to_date
  FROM monthly WHERE month <= :m GROUP BY p),
a AS (
  SELECT {KEY} AS k,
    COUNT(*) AS projects,
    COUNT(*) FILTER (WHERE pj.started_on <= :d) AS started,
    COUNT(*) FILTER (WHERE pj.completed_on <= :d) AS completed,
    COALESCE(SUM(pj.plan_this_year), 0) AS annual_plan,
    COUNT(*) FILTER (WHERE pj.attracted AND pj.signed_on <= :d) AS signed,
    COUNT(*) FILTER (WHERE pj.attracted AND pj.signed_on <= :d AND pj.started_on <= :d) AS signed_started,
    COUNT(*) FILTER (WHERE pj.attracted AND pj.signed_on <= :d AND pj.start_due <= :d) AS perf_due,
    COUNT(*) FILTER (WHERE pj.attracted AND pj.signed_on <= :d AND pj.start_due <= :d
                       AND pj.started_on <= pj.start_due) AS perf_met,
    COALESCE(SUM(pj.contracted) FILTER (WHERE pj.attracted AND pj.signed_on <= :d), 0) AS contracted
  FROM projects pj
  WHERE pj.cancelled_on IS NULL OR pj.cancelled_on > :d
  GROUP BY k),
b AS (
  SELECT {KEY} AS k,
    SUM(mp.inv_month) AS inv_month, SUM(mp.inv_ytd) AS inv_ytd, SUM(mp.inv_prev) AS inv_prev,
    SUM(mp.funds_ytd) AS funds_ytd,
    SUM(mp.funds_to_date) FILTER (WHERE pj.attracted AND pj.signed_on <= :d) AS funds_signed
  FROM mp JOIN projects pj ON pj.p = mp.p
  WHERE pj.cancelled_on IS NULL OR pj.cancelled_on > :d
  GROUP BY k),
c AS (
  SELECT {KEY} AS k,
    COUNT(DISTINCT f.p) FILTER (WHERE f.approved > 0) AS supported,
    SUM(f.approved) AS support_approved
  FROM projects pj JOIN funding f ON f.p = pj.p
  WHERE (pj.cancelled_on IS NULL OR pj.cancelled_on > :d) AND f.year = :year AND f.source IN ({HIGHER})
  GROUP BY k),
g AS (
  SELECT a.k, a.projects, a.started, a.completed, a.annual_plan,
    COALESCE(b.inv_month, 0) AS inv_month, COALESCE(b.inv_ytd, 0) AS inv_ytd,
    COALESCE(b.inv_prev, 0) AS inv_prev, a.signed, a.signed_started, a.perf_due, a.perf_met,
    COALESCE(b.funds_ytd, 0) AS funds_ytd, COALESCE(b.funds_signed, 0) AS funds_signed, a.contracted,
    COALESCE(c.supported, 0) AS supported, COALESCE(c.support_approved, 0) AS support_approved
  FROM a LEFT JOIN b USING (k) LEFT JOIN c USING (k)),
t AS (
  SELECT SUM(projects) AS projects, SUM(started) AS started, SUM(completed) AS completed,
    SUM(annual_plan) AS annual_plan, SUM(inv_month) AS inv_month, SUM(inv_ytd) AS inv_ytd,
    SUM(inv_prev) AS inv_prev, SUM(signed) AS signed, SUM(signed_started) AS signed_started,
    SUM(perf_due) AS perf_due, SUM(perf_met) AS perf_met, SUM(funds_ytd) AS funds_ytd,
    SUM(funds_signed) AS funds_signed, SUM(contracted) AS contracted, SUM(supported) AS supported,
    SUM(support_approved) AS support_approved
  FROM g),
r AS (
  SELECT 0 AS total, {KEYTEXT} AS key, g.*,
    COALESCE((SELECT investment FROM baseline b
              WHERE b.month = :m AND b.dimension = :dim AND b.key = {KEYTEXT} LIMIT 1), g.inv_prev) AS base
  FROM g
  UNION ALL
  SELECT 1, '', NULL, t.*,
    COALESCE((SELECT investment FROM baseline b
              WHERE b.month = :m AND b.dimension = 'all' AND b.key = '' LIMIT 1), t.inv_prev)
  FROM t)
SELECT total, key,
  projects, started, CAST(started AS REAL) / projects AS start_rate, completed,
  annual_plan, inv_month, inv_ytd, inv_prev,
  CAST(inv_ytd AS REAL) / annual_plan AS plan_completion,
  CAST(inv_ytd - base AS REAL) / base AS yoy_growth,
  CAST(inv_ytd AS REAL) / (SELECT inv_ytd FROM t) AS share,
  signed, signed_started, CAST(signed_started AS REAL) / signed AS signed_start_rate,
  perf_due, CAST(perf_met AS REAL) / perf_due AS performance_rate,
  funds_ytd, CAST(funds_signed AS REAL) / contracted AS funds_arrival_rate,
  supported, support_approved,
  base, perf_met, funds_signed, contracted, (SELECT inv_ytd FROM t) AS all_inv_ytd
FROM r ORDER BY total, key
)sql";

// Result columns.
enum Col : int {
  cTotal, cKey, cProjects, cStarted, cStartRate, cCompleted, cAnnualPlan, cInvMonth, cInvYtd, cInvPrev,
  cPlanCompletion, cYoy, cShare, cSigned, cSignedStarted, cSignedStartRate, cPerfDue, cPerfRate,
  cFundsYtd, cFundsRate, cSupported, cSupportApproved, cBase, cPerfMet, cFundsSigned, cContracted,
  cAllInvYtd, kColCount
};

struct SqlRow {
  bool total = false;
  std::string key;
  int64_t v[kColCount] = {};
  double real[kColCount] = {};
  bool null[kColCount] = {};
};

std::string Replace(std::string s, std::string_view from, std::string_view to) {
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
    s.replace(at, from.size(), to);
  }
  return s;
}

class DashboardStatement {
 public:
  DashboardStatement(Db& db, Dimension by, const Query& q) : db_(db) {
    std::string higher;
    for (int s = 0; s < kFundingSourceCount; ++s) {
      if (!IsHigherLevel(static_cast<FundingSource>(s))) continue;
      Append(&higher, higher.empty() ? "" : ", ", s);
    }
    std::string sql(kDashboardSql);
    sql = Replace(sql, "{HIGHER}", higher);
    if (by == Dimension::kCategory) {
      sql = Replace(sql, "{KEYTEXT}", "k");
      sql = Replace(sql, "{KEY}", "pj.category");
    } else {
      sql = Replace(sql, "{KEYTEXT}", "(CASE WHEN k = 0 THEN '' ELSE CAST(k AS TEXT) END)");
      sql = Replace(sql, "{KEY}", "pj.county");
    }
    sql_ = sql;
    stmt_ = db.Prepare(sql);
    const Periods per = Periods::For(q.as_of);
    Bind(":d", q.as_of.days());
    Bind(":m", per.month.index());
    Bind(":ytd_first", per.ytd.first.index());
    Bind(":prev_first", per.prev_ytd.first.index());
    Bind(":prev_last", per.prev_ytd.last.index());
    Bind(":year", per.year);
    const char* dim = by == Dimension::kCategory ? "category" : "region";
    const int i = sqlite3_bind_parameter_index(stmt_, ":dim");
    if (i == 0) Die(absl::InternalError("no :dim"), "sqlite");
    sqlite3_bind_text(stmt_, i, dim, -1, SQLITE_STATIC);
  }
  ~DashboardStatement() { sqlite3_finalize(stmt_); }

  // Runs the statement; every row into `out`.
  void Run(std::vector<SqlRow>& out) {
    out.clear();
    int rc;
    while ((rc = sqlite3_step(stmt_)) == SQLITE_ROW) {
      SqlRow& r = out.emplace_back();
      r.total = sqlite3_column_int(stmt_, cTotal) != 0;
      const unsigned char* key = sqlite3_column_text(stmt_, cKey);
      r.key = key ? reinterpret_cast<const char*>(key) : "";
      for (int c = cProjects; c < kColCount; ++c) {
        r.null[c] = sqlite3_column_type(stmt_, c) == SQLITE_NULL;
        r.v[c] = sqlite3_column_int64(stmt_, c);
        r.real[c] = sqlite3_column_double(stmt_, c);
      }
    }
    if (rc != SQLITE_DONE) db_.Fail("dashboard query");
    sqlite3_reset(stmt_);
  }

  std::string Plan() const {
    std::string plan;
    Stmt s(db_.Prepare("EXPLAIN QUERY PLAN " + sql_));
    while (sqlite3_step(s.s) == SQLITE_ROW) {
      Append(&plan, sqlite3_column_int(s.s, 0), " ", sqlite3_column_int(s.s, 1), " ",
             reinterpret_cast<const char*>(sqlite3_column_text(s.s, 3)), "\n");
    }
    return plan;
  }

 private:
  void Bind(const char* name, int value) {
    const int i = sqlite3_bind_parameter_index(stmt_, name);
    if (i == 0) Die(absl::InternalError(Cat("no parameter ", name)), "sqlite");
    sqlite3_bind_int(stmt_, i, value);
  }
  Db& db_;
  std::string sql_;
  sqlite3_stmt* stmt_ = nullptr;
};

// Compares SQLite's rows with keyproj's result; "" when every figure is equal,
// else the first difference.
std::string Compare(const Result& kp, const std::vector<SqlRow>& sql) {
  if (kp.rows.size() != sql.size()) {
    return Cat("keyproj has ", kp.rows.size(), " rows (groups + whole scope), SQLite ", sql.size());
  }
  std::map<std::pair<bool, std::string>, const SqlRow*> by_key;
  for (const SqlRow& r : sql) by_key[{r.total, r.key}] = &r;
  // Each indicator: its SQL column, and for a rate the SQL numerator and
  // denominator (exact) that keyproj's num/den must equal as fractions.
  struct Check {
    std::string_view id;
    int col;
    int num = -1, den = -1;  // rate: exact parts; num -2 = inv_ytd - base
  };
  const Check checks[] = {
      {"projects", cProjects},
      {"started", cStarted},
      {"start_rate", cStartRate, cStarted, cProjects},
      {"completed", cCompleted},
      {"annual_plan", cAnnualPlan},
      {"investment_month", cInvMonth},
      {"investment_ytd", cInvYtd},
      {"investment_prev_ytd", cInvPrev},
      {"plan_completion", cPlanCompletion, cInvYtd, cAnnualPlan},
      {"yoy_growth", cYoy, -2, cBase},
      {"share", cShare, cInvYtd, cAllInvYtd},
      {"signed", cSigned},
      {"signed_started", cSignedStarted},
      {"signed_start_rate", cSignedStartRate, cSignedStarted, cSigned},
      {"performance_due", cPerfDue},
      {"performance_rate", cPerfRate, cPerfMet, cPerfDue},
      {"funds_arrived_ytd", cFundsYtd},
      {"funds_arrival_rate", cFundsRate, cFundsSigned, cContracted},
      {"supported_projects", cSupported},
      {"support_approved", cSupportApproved},
  };
  for (const ResultRow& row : kp.rows) {
    const bool total = row.group.empty();
    const std::string key = total ? "" : row.group[0];
    const std::string where = total ? std::string("the whole-scope row") : Cat("group '", key, "'");
    auto it = by_key.find({total, key});
    if (it == by_key.end()) return Cat("SQLite has no row for ", where);
    const SqlRow& s = *it->second;
    for (const Check& c : checks) {
      const int k = kp.column(c.id);
      if (k < 0) return Cat("keyproj's result has no column ", c.id);
      const Value& v = row.values[static_cast<size_t>(k)];
      if (c.den < 0) {  // a count or a sum: exact integers
        if (!v.applicable() || v.den() != 1 || s.null[c.col] || v.num() != static_cast<int128>(s.v[c.col])) {
          return Cat(c.id, " differs for ", where, ": keyproj ", v.applicable() ? Int128ToString(v.num()) : "n/a",
                     ", SQLite ", s.null[c.col] ? "NULL" : Cat(s.v[c.col]));
        }
        continue;
      }
      const int128 num = c.num == -2 ? int128{s.v[cInvYtd]} - s.v[cBase] : int128{s.v[c.num]};
      const int128 den = s.v[c.den];
      const bool sql_applicable = den != 0;
      bool same = v.applicable() == sql_applicable && s.null[c.col] == !sql_applicable;
      if (same && sql_applicable) {
        same = v.num() * den == num * v.den();
        // The REAL SQLite printed is the same fraction.
        const double exact = static_cast<double>(num) / static_cast<double>(den);
        same = same && std::fabs(s.real[c.col] - exact) <= 1e-12 * std::max(1.0, std::fabs(exact));
      }
      if (!same) {
        return Cat(c.id, " differs for ", where, ": keyproj ",
                   v.applicable() ? Cat(Int128ToString(v.num()), "/", Int128ToString(v.den())) : "n/a",
                   ", SQLite ", sql_applicable ? Cat(Int128ToString(num), "/", Int128ToString(den)) : "n/a");
      }
    }
  }
  return "";
}

// The same comparison, once, on a realistic ledger (not dense): the dense ones have
// every project started and none completed or cancelled, which would leave parts of
// the SQL untested. "" when equal.
const std::string& RealisticCheck() {
  static const std::string result = [] {
    GeneratorOptions o;
    o.projects = 50'000;
    absl::StatusOr<Ledger> l = GenerateLedger(o);
    if (!l.ok()) Die(l.status(), "generate");
    Db db;
    LoadSqlite(*l, Periods::For(o.as_of).year, db);
    for (Dimension by : {Dimension::kCategory, Dimension::kCounty}) {
      Query q = DashboardQuery(by, 0);
      q.as_of = o.as_of;
      DashboardStatement stmt(db, by, q);
      std::vector<SqlRow> rows;
      stmt.Run(rows);
      absl::StatusOr<Result> kp = Evaluate(*l, q);
      if (!kp.ok()) Die(kp.status(), "evaluate");
      if (std::string diff = Compare(*kp, rows); !diff.empty()) {
        return Cat("on a realistic ledger of ", o.projects, " projects by ", DimName(by), ": ", diff);
      }
    }
    return std::string();
  }();
  return result;
}

#endif  // KEYPROJ_HAVE_SQLITE3

// ---- the data of one size, kept while its benchmarks run ------------------------------

struct SizeData {
  int64_t projects = 0;
  Ledger ledger;
  double generate_seconds = 0;
#if KEYPROJ_HAVE_SQLITE3
  std::unique_ptr<Db> db;
  Loaded loaded;
  // Per grouping: the prepared dashboard, and the outcome of the check ("" = equal).
  std::map<Dimension, std::unique_ptr<DashboardStatement>> statements;
  std::map<Dimension, std::string> checked;
#endif
};

// Only one size is held at a time (benchmarks run size by size): a new size frees
// the previous one first.
SizeData& DataFor(int64_t projects) {
  static std::unique_ptr<SizeData> data;
  if (data && data->projects == projects) return *data;
  data.reset();
  data = std::make_unique<SizeData>();
  data->projects = projects;
  const auto t0 = Clock::now();
  absl::StatusOr<Ledger> l = GenerateLedger(LedgerOptions(projects));
  if (!l.ok()) Die(l.status(), "generate");
  data->ledger = *std::move(l);
  data->generate_seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  return *data;
}

// keyproj's seconds per Evaluate, by (projects, grouping, threads), for the ratios.
std::map<std::tuple<int64_t, Dimension, int>, double>& KeyprojSeconds() {
  static std::map<std::tuple<int64_t, Dimension, int>, double> m;
  return m;
}

void PerProjectCounters(benchmark::State& state, int64_t projects) {
  state.SetItemsProcessed(state.iterations() * projects);
  state.counters["projects"] = static_cast<double>(projects);
  // Seconds per project: flat across sizes when time is linear in projects.
  state.counters["per_project"] =
      benchmark::Counter(static_cast<double>(projects),
                         benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

void BM_Keyproj(benchmark::State& state, int64_t projects, Dimension by, int threads) {
  SizeData& data = DataFor(projects);
  const Query q = DashboardQuery(by, threads);
  size_t rows = 0;
  const auto t0 = Clock::now();
  for (auto _ : state) {
    absl::StatusOr<Result> r = Evaluate(data.ledger, q);
    if (!r.ok()) {
      state.SkipWithError(std::string(r.status().message()).c_str());
      return;
    }
    rows = r->rows.size();
    benchmark::DoNotOptimize(r->rows.data());
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  KeyprojSeconds()[{projects, by, threads}] = seconds / static_cast<double>(state.iterations());
  PerProjectCounters(state, projects);
  state.counters["groups"] = static_cast<double>(rows - 1);
  const int hw = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  state.counters["threads"] = threads == 0 ? hw : threads;  // asked for; see the top
}

#if KEYPROJ_HAVE_SQLITE3
void BM_Sqlite(benchmark::State& state, int64_t projects, Dimension by) {
  SizeData& data = DataFor(projects);
  const Query q = DashboardQuery(by, 0);
  if (!data.db) {
    data.db = std::make_unique<Db>();
    data.loaded = LoadSqlite(data.ledger, Periods::For(q.as_of).year, *data.db);
    if (const char* dump = std::getenv("KEYPROJ_BENCH_SQLITE_DUMP")) data.db->Exec(Cat("VACUUM INTO '", dump, "'"));
  }
  std::unique_ptr<DashboardStatement>& stmt = data.statements[by];
  if (!stmt) {
    stmt = std::make_unique<DashboardStatement>(*data.db, by, q);
    if (std::getenv("KEYPROJ_BENCH_SQLITE_PLAN") != nullptr) {
      std::fprintf(stderr, "SQLite plan, by %s:\n%s", std::string(DimName(by)).c_str(), stmt->Plan().c_str());
    }
  }
  std::vector<SqlRow> rows;
  // The check, once per size and grouping, outside the timing.
  auto checked = data.checked.find(by);
  if (checked == data.checked.end()) {
    absl::StatusOr<Result> kp = Evaluate(data.ledger, q);
    if (!kp.ok()) Die(kp.status(), "evaluate");
    stmt->Run(rows);
    checked = data.checked.emplace(by, Compare(*kp, rows)).first;
  }
  if (!checked->second.empty()) {
    state.SkipWithError(Cat("SQLite and keyproj differ: ", checked->second).c_str());
    return;
  }
  if (const std::string& diff = RealisticCheck(); !diff.empty()) {
    state.SkipWithError(Cat("SQLite and keyproj differ ", diff).c_str());
    return;
  }
  const auto t0 = Clock::now();
  for (auto _ : state) {
    stmt->Run(rows);
    benchmark::DoNotOptimize(rows.data());
  }
  const double seconds =
      std::chrono::duration<double>(Clock::now() - t0).count() / static_cast<double>(state.iterations());
  PerProjectCounters(state, projects);
  state.counters["groups"] = static_cast<double>(rows.size() - 1);
  state.counters["monthly_rows"] = static_cast<double>(data.loaded.monthly_rows);
  state.counters["load_s"] = data.loaded.seconds;
  const auto& kp = KeyprojSeconds();
  if (auto it = kp.find({projects, by, 1}); it != kp.end()) state.counters["x_keyproj_1t"] = seconds / it->second;
  if (auto it = kp.find({projects, by, 0}); it != kp.end()) state.counters["x_keyproj_all"] = seconds / it->second;
}
#endif

void Register() {
  const int64_t max_projects = EnvInt("KEYPROJ_BENCH_MAX_PROJECTS", 10'000'000);
  const int64_t sqlite_max = EnvInt("KEYPROJ_BENCH_SQLITE_MAX", 1'000'000);
  for (int64_t n : {int64_t{10'000}, int64_t{100'000}, int64_t{1'000'000}, int64_t{10'000'000}}) {
    if (n > max_projects) continue;
    for (Dimension by : {Dimension::kCategory, Dimension::kCounty}) {
      const std::string base = Cat("Dashboard/", n, "/", DimName(by), "/");
      for (int threads : {1, 0}) {
        benchmark::RegisterBenchmark(Cat(base, "keyproj/threads:", threads == 0 ? "all" : "1").c_str(),
                                     [=](benchmark::State& s) { BM_Keyproj(s, n, by, threads); })
            ->Unit(benchmark::kMillisecond)
            ->UseRealTime();
      }
#if KEYPROJ_HAVE_SQLITE3
      if (n <= sqlite_max && std::getenv("KEYPROJ_BENCH_INDICATORS") == nullptr) {
        benchmark::RegisterBenchmark(Cat(base, "sqlite").c_str(),
                                     [=](benchmark::State& s) { BM_Sqlite(s, n, by); })
            ->Unit(benchmark::kMillisecond)
            ->UseRealTime();
      }
#else
      (void)sqlite_max;
#endif
    }
  }
}

}  // namespace
}  // namespace keyproj

int main(int argc, char** argv) { return keyproj::bench::BenchmarkMain(argc, argv, keyproj::Register); }
