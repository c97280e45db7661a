/* examples/c/dashboard.c -- keyproj from C: a ledger built from the host's own
 * arrays, a report by county, printed.
 *
 *   dashboard [AS_OF]      e.g. dashboard 2024-03
 *
 * A government system keeps its projects and monthly reports in its own database;
 * here they are the column arrays below, as a query's result set would hand them
 * over (money in 元 as int64, dates as days, a bitmap for the cells left empty).
 * kp_ledger_builder takes each table as arrays -- one call per table, not per
 * cell -- and checks every cell by the rules the CSV loader uses. The same rows as
 * CSV are examples/c/host_ledger/, which ctest `example.c` (examples/CMakeLists.txt)
 * hands to `keyproj report` to check that this program prints the CLI's figures.
 *
 * Prints the county table of projects, start_rate and investment_ytd as the
 * library's exact decimal texts (money in 万元 with every decimal, rates as
 * fractions), one tab-separated line per county and a last `total` line.
 * This file is UTF-8. */
#include <keyproj.h>

#include <stdint.h>
#include <stdio.h>

/* Prints the library's message for a failed call; returns 1 (the exit status). */
static int report_failure(const char* call, kp_status status) {
  fprintf(stderr, "dashboard: %s failed: %s: %s\n", call, kp_status_name(status), kp_last_error_message());
  return 1;
}

/* ---- The host's data ------------------------------------------------------------------ */

/* Days since 1970-01-01 of a civil date (KP_COLUMN_DATE32, Arrow's date32). */
static int32_t days_since_epoch(int year, int month, int day) {
  const int y = year - (month <= 2);
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return (int32_t)(era * 146097 + doe - 719468);
}

#define PROJECTS 6
static const char* const kCodes[PROJECTS] = {"SX-2024-001", "SX-2024-002", "SX-2024-003",
                                              "SX-2024-004", "SX-2024-005", "SX-2024-006"};
static const char* const kNames[PROJECTS] = {"渭河大道改造", "新材料产业园", "县医院门诊楼",
                                              "智能制造基地", "老旧小区改造", "物流园二期"};
static const int32_t kRegions[PROJECTS] = {610402, 610402, 610402, 610403, 610403, 610403};
static const char* const kCategories[PROJECTS] = {"urban", "industry", "livelihood",
                                                   "industry", "livelihood", "industry"};
static const int64_t kTotalYuan[PROJECTS] = {125000000, 860000000, 98000000, 450000000, 36500000, 210000000};
static const int64_t kPlanYuan[PROJECTS] = {60000000, 300000000, 50000000, 150000000, 36500000, 80000000};
static const char* const kStages[PROJECTS] = {"started", "started", "started", "started", "preliminary", "reserved"};
/* Started on (year, month, day); the last two have not started: cells left empty. */
static const int kStarted[PROJECTS][3] = {{2023, 3, 15}, {2023, 6, 1}, {2024, 1, 10}, {2024, 2, 20}, {0, 0, 0}, {0, 0, 0}};
static const uint8_t kStartedPresent = 0x0F; /* bits 0-3: the first four */

/* Investment of the started projects in January, February and March 2024, in 元. */
#define MONTHS 3
static const int64_t kInvestedYuan[4][MONTHS] = {{5200000, 4800000, 6100050},
                                                 {21000000, 18500000, 30250000},
                                                 {3000000, 2500000, 4200000},
                                                 {0, 12000000, 15500000}};

/* The projects table: one call, ten columns. */
static kp_status add_projects(kp_ledger_builder* builder) {
  static const int32_t plan_years[PROJECTS] = {2024, 2024, 2024, 2024, 2024, 2024};
  int32_t started[PROJECTS];
  kp_column columns[9] = {KP_COLUMN_INIT, KP_COLUMN_INIT, KP_COLUMN_INIT, KP_COLUMN_INIT, KP_COLUMN_INIT,
                          KP_COLUMN_INIT, KP_COLUMN_INIT, KP_COLUMN_INIT, KP_COLUMN_INIT};
  int p = 0;
  for (p = 0; p < PROJECTS; ++p) {
    started[p] = kStarted[p][0] == 0 ? 0 : days_since_epoch(kStarted[p][0], kStarted[p][1], kStarted[p][2]);
  }
  columns[0].name = "code", columns[0].type = KP_COLUMN_CSTR, columns[0].values = kCodes;
  columns[1].name = "name", columns[1].type = KP_COLUMN_CSTR, columns[1].values = kNames;
  columns[2].name = "region", columns[2].type = KP_COLUMN_INT32, columns[2].values = kRegions;
  columns[3].name = "category", columns[3].type = KP_COLUMN_CSTR, columns[3].values = kCategories;
  /* Money in 元: a decimal of 万元 with 4 places. */
  columns[4].name = "total_investment", columns[4].type = KP_COLUMN_INT64, columns[4].scale = 4;
  columns[4].values = kTotalYuan;
  columns[5].name = "annual_plan", columns[5].type = KP_COLUMN_INT64, columns[5].scale = 4;
  columns[5].values = kPlanYuan;
  columns[6].name = "plan_year", columns[6].type = KP_COLUMN_INT32, columns[6].values = plan_years;
  columns[7].name = "started_on", columns[7].type = KP_COLUMN_DATE32, columns[7].values = started;
  columns[7].validity = &kStartedPresent, columns[7].validity_bytes = 1;
  columns[8].name = "stage", columns[8].type = KP_COLUMN_CSTR, columns[8].values = kStages;
  return kp_ledger_builder_add_columns(builder, KP_TABLE_PROJECTS, PROJECTS, columns, 9);
}

/* The monthly table: a row per started project and month, reported on the 5th of
 * the month after. */
static kp_status add_monthly(kp_ledger_builder* builder) {
  const char* codes[4 * MONTHS];
  int32_t months[4 * MONTHS];
  int64_t invested[4 * MONTHS];
  int32_t reported[4 * MONTHS];
  kp_column columns[4] = {KP_COLUMN_INIT, KP_COLUMN_INIT, KP_COLUMN_INIT, KP_COLUMN_INIT};
  size_t rows = 0;
  int p = 0, m = 0;
  for (p = 0; p < 4; ++p) {
    for (m = 0; m < MONTHS; ++m, ++rows) {
      codes[rows] = kCodes[p];
      months[rows] = days_since_epoch(2024, 1 + m, 1); /* a month is given as its 1st day */
      invested[rows] = kInvestedYuan[p][m];
      reported[rows] = days_since_epoch(2024, 2 + m, 5);
    }
  }
  columns[0].name = "code", columns[0].type = KP_COLUMN_CSTR, columns[0].values = codes;
  columns[1].name = "month", columns[1].type = KP_COLUMN_DATE32, columns[1].values = months;
  columns[2].name = "investment", columns[2].type = KP_COLUMN_INT64, columns[2].scale = 4;
  columns[2].values = invested;
  columns[3].name = "reported_on", columns[3].type = KP_COLUMN_DATE32, columns[3].values = reported;
  return kp_ledger_builder_add_columns(builder, KP_TABLE_MONTHLY, rows, columns, 4);
}

/* The host's ledger, or NULL after printing why (every problem, as
 * table:row:column: reason). The caller owns the result (kp_ledger_free). */
static kp_ledger* build_ledger(void) {
  kp_ledger_builder* builder = NULL; /* owned here: kp_ledger_builder_free */
  kp_ledger* ledger = NULL;          /* owned by the caller once returned */
  kp_diagnostics* problems = NULL;   /* owned here: kp_diagnostics_free */
  size_t count = 0, i = 0;
  kp_status status = kp_ledger_builder_new(NULL, &builder);
  if (status != KP_OK) {
    report_failure("kp_ledger_builder_new", status);
    return NULL;
  }
  /* Projects first: monthly rows name them. */
  if ((status = add_projects(builder)) != KP_OK) {
    report_failure("kp_ledger_builder_add_columns (projects)", status);
  } else if ((status = add_monthly(builder)) != KP_OK) {
    report_failure("kp_ledger_builder_add_columns (monthly)", status);
  }
  /* Finished even after a failed batch: the problems list says what was wrong. */
  if ((status = kp_ledger_builder_finish(builder, &ledger, &problems)) != KP_OK) {
    report_failure("kp_ledger_builder_finish", status);
    if (problems != NULL && kp_diagnostics_count(problems, &count) == KP_OK) {
      for (i = 0; i < count; ++i) {
        const char* text = NULL; /* borrowed from problems */
        if (kp_diagnostics_text(problems, i, &text) == KP_OK) fprintf(stderr, "  %s\n", text);
      }
    }
  }
  kp_diagnostics_free(problems);
  kp_ledger_builder_free(builder);
  return ledger; /* NULL on failure */
}

/* ---- The report: works on any kp_ledger --------------------------------------------- */

/* Prints table 0 of `report`: a header of indicator ids, then each row's key and
 * exact values ("-" where a value is not applicable). */
static int print_table(const kp_report* report) {
  size_t rows = 0, columns = 0, row = 0, column = 0;
  const char* title = NULL; /* borrowed from report */
  kp_status status = KP_OK;
  if ((status = kp_report_table_title(report, 0, &title)) != KP_OK) return report_failure("kp_report_table_title", status);
  if ((status = kp_report_row_count(report, 0, &rows)) != KP_OK) return report_failure("kp_report_row_count", status);
  if ((status = kp_report_column_count(report, 0, &columns)) != KP_OK) return report_failure("kp_report_column_count", status);
  printf("# %s\ncounty", title);
  for (column = 0; column < columns; ++column) {
    const char* id = NULL; /* borrowed from report */
    if ((status = kp_report_column_id(report, 0, column, &id)) != KP_OK) return report_failure("kp_report_column_id", status);
    printf("\t%s", id);
  }
  printf("\n");
  for (row = 0; row < rows; ++row) {
    /* borrowed from report; "" for the whole-scope row, which is the last, and for a
     * group of projects without a county (（未填）): told apart by place */
    const char* key = NULL;
    if ((status = kp_report_group_key(report, 0, row, 0, &key)) != KP_OK) return report_failure("kp_report_group_key", status);
    printf("%s", row + 1 == rows ? "total" : key);
    for (column = 0; column < columns; ++column) {
      const char* text = NULL; /* borrowed from report; NULL when not applicable */
      if ((status = kp_report_value_text(report, 0, row, column, &text)) != KP_OK) {
        return report_failure("kp_report_value_text", status);
      }
      printf("\t%s", text != NULL ? text : "-");
    }
    printf("\n");
  }
  return 0;
}

/* The county report of `ledger` as of `as_of` (NULL: the ledger's last month). */
static int print_county_report(const kp_ledger* ledger, const char* as_of) {
  kp_report_request* request = NULL; /* owned: kp_report_request_free */
  kp_report* report = NULL;          /* owned: kp_report_free */
  kp_status status = KP_OK;
  int rc = 1;
  if ((status = kp_report_request_new(&request)) != KP_OK) return report_failure("kp_report_request_new", status);
  if ((status = kp_report_request_set_as_of(request, as_of)) != KP_OK) {
    rc = report_failure("kp_report_request_set_as_of", status);
  } else if ((status = kp_report_request_add_grouping(request, "county")) != KP_OK) {
    rc = report_failure("kp_report_request_add_grouping", status);
  } else if ((status = kp_report_request_set_indicators(request, "projects,start_rate,investment_ytd")) != KP_OK) {
    rc = report_failure("kp_report_request_set_indicators", status);
  } else if ((status = kp_report_make(ledger, request, &report)) != KP_OK) {
    rc = report_failure("kp_report_make", status);
  } else {
    rc = print_table(report);
  }
  kp_report_free(report);
  kp_report_request_free(request);
  return rc;
}

int main(int argc, char** argv) {
  kp_ledger* ledger = NULL; /* owned: kp_ledger_free */
  size_t projects = 0;
  kp_status status = KP_OK;
  int rc = 1;
  if (argc > 2) {
    fprintf(stderr, "usage: dashboard [AS_OF]   e.g. dashboard 2024-03\n");
    return 2;
  }
  ledger = build_ledger();
  if (ledger == NULL) return 1;
  if ((status = kp_ledger_project_count(ledger, &projects)) != KP_OK) {
    rc = report_failure("kp_ledger_project_count", status);
  } else {
    printf("keyproj %s: %lu projects\n", kp_version(), (unsigned long)projects);
    rc = print_county_report(ledger, argc == 2 ? argv[1] : NULL);
  }
  kp_ledger_free(ledger);
  return rc;
}
