// The standard dashboard as SQL on SQLite (sql_dashboard.h).
#include "sql_dashboard.h"

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <set>
#include <utility>

#include "keyproj/enum_table.h"
#include "keyproj/funding.h"
#include "keyproj/indicators.h"
#include "keyproj/internal/ledger_columns.h"
#include "keyproj/internal/text.h"
#include "keyproj/money.h"
#include "keyproj/value.h"

namespace keyproj::bench {

using ::keyproj::internal::Append;
using ::keyproj::internal::Cat;

// Returns the status of `expr` when it is an error.
#define KEYPROJ_RETURN_IF_ERROR(expr)                  \
  do {                                                 \
    if (absl::Status s_ = (expr); !s_.ok()) return s_; \
  } while (0)

namespace {

// A prepared statement, finalized on destruction.
struct Stmt {
  sqlite3_stmt* s = nullptr;  // owned
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

// Steps an INSERT once and resets it. `what` names the table in the error.
absl::Status StepInsert(SqlDb& db, sqlite3_stmt* s, std::string_view what) {
  if (sqlite3_step(s) != SQLITE_DONE) {
    return absl::InternalError(Cat("sqlite: inserting into ", what, ": ", sqlite3_errmsg(db.get())));
  }
  sqlite3_reset(s);
  return absl::OkStatus();
}

std::string Replace(std::string s, std::string_view from, std::string_view to) {
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
    s.replace(at, from.size(), to);
  }
  return s;
}

}  // namespace

// ---- the database ----------------------------------------------------------------

absl::StatusOr<std::unique_ptr<SqlDb>> SqlDb::OpenInMemory() {
  std::unique_ptr<SqlDb> db(new SqlDb());
  if (sqlite3_open(":memory:", &db->db_) != SQLITE_OK) {
    return absl::InternalError(
        Cat("sqlite: opening an in-memory database: ", db->db_ ? sqlite3_errmsg(db->db_) : "out of memory"));
  }
  return db;
}

SqlDb::~SqlDb() { sqlite3_close(db_); }

absl::Status SqlDb::Exec(std::string_view sql) {
  const std::string text(sql);
  char* error = nullptr;
  if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
    absl::Status s = absl::InternalError(Cat("sqlite: ", error ? error : sqlite3_errmsg(db_), "\n  in: ", text));
    sqlite3_free(error);
    return s;
  }
  return absl::OkStatus();
}

absl::StatusOr<sqlite3_stmt*> SqlDb::Prepare(std::string_view sql) {
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &s, nullptr) != SQLITE_OK) {
    return absl::InternalError(Cat("sqlite: ", sqlite3_errmsg(db_), "\n  in: ", sql));
  }
  return s;
}

absl::Status SqlDb::SetPlanYear(int year) {
  absl::StatusOr<sqlite3_stmt*> prepared = Prepare(
      "UPDATE projects SET plan_this_year = "
      "(SELECT planned FROM plans WHERE plans.p = projects.p AND plans.year = ?1)");
  if (!prepared.ok()) return prepared.status();
  Stmt update(*prepared);
  sqlite3_bind_int(update.s, 1, year);
  if (absl::Status s = StepInsert(*this, update.s, Cat("projects.plan_this_year (the plans of ", year, ")"));
      !s.ok()) {
    return s;
  }
  plan_year_ = year;
  return absl::OkStatus();
}

// ---- loading ------------------------------------------------------------------------

// The ledger's data as a bureau's database would hold them: days as day numbers,
// money as integer 分, monthly figures per month (not cumulative). projects.county is
// the project's division code (the generator's projects are all in counties), 0 when
// unknown; projects.plan_this_year is filled for a year by SqlDb::SetPlanYear.
absl::StatusOr<SqlLoaded> LoadSqlite(const Ledger& l, SqlDb& db) {
  using Clock = std::chrono::steady_clock;
  const auto t0 = Clock::now();
  KEYPROJ_RETURN_IF_ERROR(db.Exec("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA temp_store = MEMORY;"));
  KEYPROJ_RETURN_IF_ERROR(db.Exec(
      "CREATE TABLE projects ("
      "  p INTEGER PRIMARY KEY, category TEXT NOT NULL, county INTEGER NOT NULL,"
      "  attracted INTEGER NOT NULL, signed_on INTEGER, started_on INTEGER, completed_on INTEGER,"
      "  cancelled_on INTEGER, start_due INTEGER, contracted INTEGER, plan_this_year INTEGER);"
      "CREATE TABLE monthly ("
      "  p INTEGER NOT NULL, month INTEGER NOT NULL, investment INTEGER NOT NULL, funds INTEGER NOT NULL,"
      "  PRIMARY KEY (p, month)) WITHOUT ROWID;"
      "CREATE TABLE funding ("
      "  p INTEGER NOT NULL, year INTEGER NOT NULL, source INTEGER NOT NULL, approved INTEGER, arrived INTEGER);"
      "CREATE TABLE plans ("
      "  p INTEGER NOT NULL, year INTEGER NOT NULL, planned INTEGER, PRIMARY KEY (p, year)) WITHOUT ROWID;"
      "CREATE TABLE baseline ("
      "  month INTEGER NOT NULL, dimension TEXT NOT NULL, key TEXT NOT NULL, investment INTEGER NOT NULL);"));
  KEYPROJ_RETURN_IF_ERROR(db.Exec("BEGIN"));
  SqlLoaded out;
  {
    auto prepare = [&db](std::string_view sql) -> absl::StatusOr<std::unique_ptr<Stmt>> {
      absl::StatusOr<sqlite3_stmt*> s = db.Prepare(sql);
      if (!s.ok()) return s.status();
      return std::make_unique<Stmt>(*s);
    };
    absl::StatusOr<std::unique_ptr<Stmt>> proj =
        prepare("INSERT INTO projects VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, NULL)");
    absl::StatusOr<std::unique_ptr<Stmt>> month = prepare("INSERT INTO monthly VALUES (?1, ?2, ?3, ?4)");
    absl::StatusOr<std::unique_ptr<Stmt>> fund = prepare("INSERT INTO funding VALUES (?1, ?2, ?3, ?4, ?5)");
    absl::StatusOr<std::unique_ptr<Stmt>> plan = prepare("INSERT INTO plans VALUES (?1, ?2, ?3)");
    absl::StatusOr<std::unique_ptr<Stmt>> base = prepare("INSERT INTO baseline VALUES (?1, ?2, ?3, ?4)");
    for (const auto* s : {&proj, &month, &fund, &plan, &base}) {
      if (!s->ok()) return s->status();
    }
    const internal::LedgerColumnsView cols = internal::Columns(l);
    const internal::ProjectColumns& c = cols.projects;
    const internal::MonthlyColumns& m = cols.monthly;
    const internal::FundingColumns& f = cols.funding;
    const internal::PlanColumns& pc = cols.plans;
    for (uint32_t p = 0; p < l.size(); ++p) {
      sqlite3_stmt* s = (*proj)->s;
      sqlite3_bind_int64(s, 1, p);
      BindText(s, 2, EnumId(c.category[p]));
      sqlite3_bind_int(s, 3, c.region[p]);
      sqlite3_bind_int(s, 4, c.attracted[p] == Attracted::kYes ? 1 : 0);
      BindDayOrNull(s, 5, c.signed_on[p]);
      BindDayOrNull(s, 6, c.started_on[p]);
      BindDayOrNull(s, 7, c.completed_on[p]);
      BindDayOrNull(s, 8, c.cancelled_on[p]);
      BindDayOrNull(s, 9, c.start_due[p]);
      BindMoneyOrNull(s, 10, c.contracted_investment[p]);
      KEYPROJ_RETURN_IF_ERROR(StepInsert(db, s, "projects"));

      // Per-month amounts from the running totals: a month's figure is its total
      // minus the month before's. Slots without a report and without money are
      // left out, as a database would not have those rows.
      sqlite3_stmt* ms = (*month)->s;
      const uint64_t b = m.slot_begin[p], e = m.slot_begin[p + 1];
      for (uint64_t i = b; i < e; ++i) {
        const Month when = Month::FromIndex(m.first_month[p] + static_cast<int32_t>(i - b));
        const int64_t inv = l.InvestmentIn(p, when), funds = l.FundsIn(p, when);
        if (!(m.flags[i] & internal::kHasRow) && inv == 0 && funds == 0) continue;
        sqlite3_bind_int64(ms, 1, p);
        sqlite3_bind_int(ms, 2, when.index());
        sqlite3_bind_int64(ms, 3, inv);
        sqlite3_bind_int64(ms, 4, funds);
        KEYPROJ_RETURN_IF_ERROR(StepInsert(db, ms, "monthly"));
        ++out.monthly_rows;
      }
      sqlite3_stmt* fs = (*fund)->s;
      for (uint32_t i = f.row_begin[p]; i < f.row_begin[p + 1]; ++i) {
        sqlite3_bind_int64(fs, 1, p);
        sqlite3_bind_int(fs, 2, f.year[i]);
        sqlite3_bind_int(fs, 3, static_cast<int>(f.source[i]));
        BindMoneyOrNull(fs, 4, f.approved[i]);  // 分 of CNY (foreign rows converted)
        BindMoneyOrNull(fs, 5, f.arrived[i]);
        KEYPROJ_RETURN_IF_ERROR(StepInsert(db, fs, "funding"));
        ++out.funding_rows;
      }
      sqlite3_stmt* ps = (*plan)->s;
      for (uint32_t i = pc.row_begin[p]; i < pc.row_begin[p + 1]; ++i) {
        sqlite3_bind_int64(ps, 1, p);
        sqlite3_bind_int(ps, 2, pc.year[i]);
        BindMoneyOrNull(ps, 3, pc.planned[i]);
        KEYPROJ_RETURN_IF_ERROR(StepInsert(db, ps, "plans"));
      }
    }
    const internal::BaselineColumns& bl = cols.baseline;
    sqlite3_stmt* bs = (*base)->s;
    for (size_t i = 0; i < bl.month.size(); ++i) {
      sqlite3_bind_int(bs, 1, bl.month[i]);
      BindText(bs, 2, l.text(bl.dimension[i]));
      BindText(bs, 3, l.text(bl.key[i]));
      sqlite3_bind_int64(bs, 4, bl.investment[i]);
      KEYPROJ_RETURN_IF_ERROR(StepInsert(db, bs, "baseline"));
    }
  }
  KEYPROJ_RETURN_IF_ERROR(db.Exec("COMMIT"));
  KEYPROJ_RETURN_IF_ERROR(db.Exec("CREATE INDEX funding_p_year ON funding (p, year); ANALYZE;"));
  out.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  return out;
}

// ---- the dashboard statement ------------------------------------------------------

namespace {

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
// - the groups are every key some project has, alive at d or not (keys): a group
//   whose projects are all cancelled by d is a row counting none of them, as keyproj
//   gives it (docs/indicators.md, "Groups"), not a missing row;
// - the whole-scope row adds up the group rows (every figure here is additive; a
//   project is in exactly one group).
// Shape: per-project monthly sums (mp, a streaming GROUP BY over monthly's primary
// key), then per-group aggregates of projects (a), of mp (b) and of funding (c),
// joined to the groups (keys). Of the shapes tried this was SQLite's fastest (10-15% ahead of
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
keys AS (SELECT DISTINCT {KEY} AS k FROM projects pj),
c AS (
  SELECT {KEY} AS k,
    COUNT(DISTINCT f.p) FILTER (WHERE f.approved > 0) AS supported,
    SUM(f.approved) AS support_approved
  FROM projects pj JOIN funding f ON f.p = pj.p
  WHERE (pj.cancelled_on IS NULL OR pj.cancelled_on > :d) AND f.year = :year AND f.source IN ({HIGHER})
  GROUP BY k),
g AS (
  SELECT keys.k, COALESCE(a.projects, 0) AS projects, COALESCE(a.started, 0) AS started,
    COALESCE(a.completed, 0) AS completed, COALESCE(a.annual_plan, 0) AS annual_plan,
    COALESCE(b.inv_month, 0) AS inv_month, COALESCE(b.inv_ytd, 0) AS inv_ytd,
    COALESCE(b.inv_prev, 0) AS inv_prev, COALESCE(a.signed, 0) AS signed,
    COALESCE(a.signed_started, 0) AS signed_started, COALESCE(a.perf_due, 0) AS perf_due,
    COALESCE(a.perf_met, 0) AS perf_met,
    COALESCE(b.funds_ytd, 0) AS funds_ytd, COALESCE(b.funds_signed, 0) AS funds_signed,
    COALESCE(a.contracted, 0) AS contracted,
    COALESCE(c.supported, 0) AS supported, COALESCE(c.support_approved, 0) AS support_approved
  FROM keys LEFT JOIN a USING (k) LEFT JOIN b USING (k) LEFT JOIN c USING (k)),
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

}  // namespace

absl::StatusOr<std::unique_ptr<DashboardStatement>> DashboardStatement::Prepare(SqlDb& db, Dimension by,
                                                                                 Date as_of) {
  if (by != Dimension::kCategory && by != Dimension::kCounty) {
    return absl::InvalidArgumentError(
        Cat("the SQL dashboard groups by category or county only, not by ", DimensionId(by)));
  }
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
  const Periods per = Periods::For(as_of);
  std::unique_ptr<DashboardStatement> out(new DashboardStatement(db, std::move(sql), per.year));
  absl::StatusOr<sqlite3_stmt*> prepared = db.Prepare(out->sql_);
  if (!prepared.ok()) return prepared.status();
  out->stmt_ = *prepared;
  sqlite3_stmt* s = out->stmt_;
  auto bind = [s](const char* name, int value) -> absl::Status {
    const int i = sqlite3_bind_parameter_index(s, name);
    if (i == 0) return absl::InternalError(Cat("sqlite: the dashboard statement has no parameter ", name));
    sqlite3_bind_int(s, i, value);
    return absl::OkStatus();
  };
  KEYPROJ_RETURN_IF_ERROR(bind(":d", as_of.days()));
  KEYPROJ_RETURN_IF_ERROR(bind(":m", per.month.index()));
  KEYPROJ_RETURN_IF_ERROR(bind(":ytd_first", per.ytd.first.index()));
  KEYPROJ_RETURN_IF_ERROR(bind(":prev_first", per.prev_ytd.first.index()));
  KEYPROJ_RETURN_IF_ERROR(bind(":prev_last", per.prev_ytd.last.index()));
  KEYPROJ_RETURN_IF_ERROR(bind(":year", per.year));
  const int dim = sqlite3_bind_parameter_index(s, ":dim");
  if (dim == 0) return absl::InternalError("sqlite: the dashboard statement has no parameter :dim");
  // The baseline's dimension: region for any division level (ComparableBase in src/engine/evaluate.cc).
  sqlite3_bind_text(s, dim, by == Dimension::kCategory ? "category" : "region", -1, SQLITE_STATIC);
  return out;
}

DashboardStatement::~DashboardStatement() { sqlite3_finalize(stmt_); }

absl::Status DashboardStatement::Run(std::vector<SqlRow>& out) {
  out.clear();
  if (db_.plan_year() != year_) KEYPROJ_RETURN_IF_ERROR(db_.SetPlanYear(year_));
  int rc;
  while ((rc = sqlite3_step(stmt_)) == SQLITE_ROW) {
    SqlRow& r = out.emplace_back();
    r.total = sqlite3_column_int(stmt_, cTotal) != 0;
    const unsigned char* key = sqlite3_column_text(stmt_, cKey);
    r.key = key ? reinterpret_cast<const char*>(key) : "";
    for (int c = cProjects; c < kSqlColCount; ++c) {
      r.null[c] = sqlite3_column_type(stmt_, c) == SQLITE_NULL;
      r.v[c] = sqlite3_column_int64(stmt_, c);
      r.real[c] = sqlite3_column_double(stmt_, c);
    }
  }
  sqlite3_reset(stmt_);
  if (rc != SQLITE_DONE) return absl::InternalError(Cat("sqlite: the dashboard query: ", sqlite3_errmsg(db_.get())));
  return absl::OkStatus();
}

absl::StatusOr<std::string> DashboardStatement::QueryPlan() const {
  absl::StatusOr<sqlite3_stmt*> prepared = db_.Prepare("EXPLAIN QUERY PLAN " + sql_);
  if (!prepared.ok()) return prepared.status();
  Stmt s(*prepared);
  std::string plan;
  while (sqlite3_step(s.s) == SQLITE_ROW) {
    Append(&plan, sqlite3_column_int(s.s, 0), " ", sqlite3_column_int(s.s, 1), " ",
           reinterpret_cast<const char*>(sqlite3_column_text(s.s, 3)), "\n");
  }
  return plan;
}

// ---- the comparison -----------------------------------------------------------------

std::vector<std::string> CompareDashboard(const Result& kp, const std::vector<SqlRow>& sql) {
  // Each indicator: its SQL column, and for a rate the SQL numerator and
  // denominator (exact) that keyproj's num/den must equal as fractions.
  struct Check {
    std::string_view id;
    int col;
    int num = -1, den = -1;  // rate: exact parts; num -2 = inv_ytd - base
  };
  static constexpr Check kChecks[] = {
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
  std::vector<std::string> diffs;
  // The SQL is the standard dashboard: an indicator added to it without its SQL
  // would otherwise go unchecked.
  std::set<std::string_view> checked;
  for (const Check& c : kChecks) checked.insert(c.id);
  for (std::string_view id : StandardDashboard()) {
    if (!checked.contains(id)) diffs.push_back(Cat("the standard dashboard's ", id, " has no SQL to compare with"));
  }
  for (const Check& c : kChecks) {
    if (kp.column(c.id) < 0) diffs.push_back(Cat("keyproj's result has no column ", c.id));
  }
  if (!diffs.empty()) return diffs;

  std::map<std::pair<bool, std::string>, const SqlRow*> by_key;
  for (const SqlRow& r : sql) by_key[{r.total, r.key}] = &r;
  std::set<std::pair<bool, std::string>> matched;
  for (const ResultRow& row : kp.rows) {
    const bool total = row.group.empty();
    const std::string key = total ? "" : row.group[0];
    const std::string where = total ? std::string("the whole-scope row") : Cat("group '", key, "'");
    auto it = by_key.find({total, key});
    if (it == by_key.end()) {
      diffs.push_back(Cat("SQLite has no row for ", where));
      continue;
    }
    matched.insert(it->first);
    const SqlRow& s = *it->second;
    for (const Check& c : kChecks) {
      const Value& v = row.values[static_cast<size_t>(kp.column(c.id))];
      if (c.den < 0) {  // a count or a sum: exact integers
        if (!v.applicable() || v.den() != 1 || s.null[c.col] || v.num() != static_cast<int128>(s.v[c.col])) {
          diffs.push_back(Cat(c.id, " differs for ", where, ": keyproj ",
                              v.applicable() ? Int128ToString(v.num()) : "n/a", ", SQLite ",
                              s.null[c.col] ? "NULL" : Cat(s.v[c.col])));
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
        diffs.push_back(Cat(c.id, " differs for ", where, ": keyproj ",
                            v.applicable() ? Cat(Int128ToString(v.num()), "/", Int128ToString(v.den())) : "n/a",
                            ", SQLite ", sql_applicable ? Cat(Int128ToString(num), "/", Int128ToString(den)) : "n/a"));
      }
    }
  }
  for (const SqlRow& r : sql) {
    if (!matched.contains({r.total, r.key})) {
      diffs.push_back(Cat("keyproj has no row for ", r.total ? std::string("the whole-scope row")
                                                             : Cat("group '", r.key, "'"),
                          ", SQLite has one (", r.v[cProjects], " projects)"));
    }
  }
  return diffs;
}

#undef KEYPROJ_RETURN_IF_ERROR

}  // namespace keyproj::bench
