/* The column-array ledger builder (kp_ledger_builder) from C99: a ledger built
 * from typed arrays equals the one loaded from the same data written as CSV (same
 * report, figure for figure); every misuse is a status and a message; problems in
 * cells come back located by table, row and column. Compiled with -std=c99
 * -pedantic -Werror; run under ASan by the asan preset.
 *
 * Arguments: a scratch directory (the CSV twin of the arrays is written there). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keyproj.h"

#include "capi_check.h"

static const char* g_scratch = ".";

static kp_column Column(const char* name, int32_t type, const void* values) {
  kp_column c = KP_COLUMN_INIT;
  c.name = name;
  c.type = type;
  c.values = values;
  return c;
}

static int WriteText(const char* dir, const char* file, const char* text) {
  char path[4096];
  FILE* f;
  sprintf(path, "%s/%s", dir, file);
  f = fopen(path, "wb");
  if (f == NULL) return 0;
  fputs(text, f);
  fclose(f);
  return 1;
}

/* ---- The same ledger as arrays and as CSV --------------------------------------------- */

/* Days since 1970-01-01 of the dates below. */
#define D_2023_03_15 19431
#define D_2023_06_01 19509
#define D_2024_01_10 19732
#define D_2024_01_01 19723
#define D_2024_02_01 19754

static const char kProjectsCsv[] =
    "code,name,region,category,total_investment,annual_plan,plan_year,started_on,stage,attracted\n"
    "KP-001,\xE9\x81\x93\xE8\xB7\xAF\xE6\x94\xB9\xE9\x80\xA0,610402,industry,1234.5678,300.5,2024,2023-03-15,started,1\n"
    "KP-002,School 2,610403,urban,5000,1000,2024,2023-06-01,started,0\n"
    "KP-003,\xE5\x9B\xAD\xE5\x8C\xBA,610404,livelihood,0.0007,,,2024-01-10,,\n";

static const char kMonthlyCsv[] =
    "code,month,investment,funds_arrived,reported_on\n"
    "KP-001,2024-01,100.25,10.5,2024-02-05\n"
    "KP-001,2024-02,-5,,\n"
    "KP-002,2024-01,300,0.1,2024-02-10\n"
    "KP-002,2024-02,0.000001,2.5,2024/03/01\n"
    "KP-003,2024-02,42,,\n";

/* projects.csv's rows as arrays, every way a host might hold them. */
static kp_status AddProjects(kp_ledger_builder* b) {
  static const char* const codes[3] = {"KP-001", "KP-002", "KP-003"};
  /* UTF8 (Arrow layout): "道路改造" "School 2" "园区" */
  static const char names[] = "\xE9\x81\x93\xE8\xB7\xAF\xE6\x94\xB9\xE9\x80\xA0School 2\xE5\x9B\xAD\xE5\x8C\xBA";
  static const int32_t name_offsets[4] = {0, 12, 20, 26};
  static const int32_t regions[3] = {610402, 610403, 610404};
  static const char* const categories[3] = {"industry", "urban", "livelihood"};
  static const int64_t totals[3] = {12345678, 50000000, 7}; /* scale 4: 1234.5678, 5000, 0.0007 万元 */
  static const double plans[3] = {300.5, 1000.0, 0.0};      /* the third is NaN, set below */
  static const int32_t plan_years[3] = {2024, 2024, 0};
  static const uint8_t first_two = 0x03; /* rows 1 and 2 present */
  static const int32_t started[3] = {D_2023_03_15, D_2023_06_01, D_2024_01_10};
  static const char* const stages[3] = {"started", "started", NULL};
  static const uint8_t attracted[3] = {1, 0, 1};
  double plan_values[3];
  kp_column cols[10];
  memcpy(plan_values, plans, sizeof plans);
  plan_values[2] = nan("");
  cols[0] = Column("code", KP_COLUMN_CSTR, codes);
  cols[1] = Column("\xE9\xA1\xB9\xE7\x9B\xAE\xE5\x90\x8D\xE7\xA7\xB0", KP_COLUMN_UTF8, names); /* 项目名称 */
  cols[1].offsets = name_offsets;
  cols[2] = Column("region", KP_COLUMN_INT32, regions);
  cols[3] = Column("category", KP_COLUMN_CSTR, categories);
  cols[4] = Column("total_investment", KP_COLUMN_INT64, totals);
  cols[4].scale = 4;
  cols[5] = Column("annual_plan", KP_COLUMN_DOUBLE, plan_values);
  cols[6] = Column("plan_year", KP_COLUMN_INT32, plan_years);
  cols[6].validity = &first_two;
  cols[6].validity_bytes = 1;
  cols[7] = Column("started_on", KP_COLUMN_DATE32, started);
  cols[8] = Column("stage", KP_COLUMN_CSTR, stages);
  cols[9] = Column("attracted", KP_COLUMN_BOOL, attracted);
  cols[9].validity = &first_two;
  cols[9].validity_bytes = 1;
  return kp_ledger_builder_add_columns(b, KP_TABLE_PROJECTS, 3, cols, 10);
}

/* monthly.csv's rows in two batches. */
static kp_status AddMonthly(kp_ledger_builder* b, int batch) {
  static const char codes1[] = "KP-001KP-001KP-002";
  static const int32_t offsets1[4] = {0, 6, 12, 18};
  static const int32_t months1[3] = {D_2024_01_01, D_2024_02_01, D_2024_01_01};
  static const int64_t invest1[3] = {100250000, -5000000, 300000000}; /* scale 6 */
  static const double funds1[3] = {10.5, 0.0, 0.1};                    /* the second: NaN */
  static const char* const reported1[3] = {"2024-02-05", NULL, "2024-02-10"};
  static const char codes2[] = "KP-002KP-003";
  static const int32_t offsets2[3] = {0, 6, 12};
  static const int32_t months2[2] = {D_2024_02_01, D_2024_02_01};
  static const int64_t invest2[2] = {1, 42000000};
  static const double funds2[2] = {2.5, 99.0}; /* the second: invalid */
  static const uint8_t first_only = 0x01;
  static const char* const reported2[2] = {"2024/03/01", "  "};
  double funds[3];
  kp_column cols[5];
  if (batch == 1) {
    memcpy(funds, funds1, sizeof funds1);
    funds[1] = nan("");
    cols[0] = Column("code", KP_COLUMN_UTF8, codes1);
    cols[0].offsets = offsets1;
    cols[1] = Column("month", KP_COLUMN_DATE32, months1);
    cols[2] = Column("investment", KP_COLUMN_INT64, invest1);
    cols[2].scale = 6;
    cols[3] = Column("funds_arrived", KP_COLUMN_DOUBLE, funds);
    cols[4] = Column("reported_on", KP_COLUMN_CSTR, reported1);
    return kp_ledger_builder_add_columns(b, KP_TABLE_MONTHLY, 3, cols, 5);
  }
  /* Another column order in the second batch. */
  cols[0] = Column("reported_on", KP_COLUMN_CSTR, reported2);
  cols[1] = Column("code", KP_COLUMN_UTF8, codes2);
  cols[1].offsets = offsets2;
  cols[2] = Column("month", KP_COLUMN_DATE32, months2);
  cols[3] = Column("investment", KP_COLUMN_INT64, invest2);
  cols[3].scale = 6;
  cols[4] = Column("funds_arrived", KP_COLUMN_DOUBLE, funds2);
  cols[4].validity = &first_only;
  cols[4].validity_bytes = 1;
  return kp_ledger_builder_add_columns(b, KP_TABLE_MONTHLY, 2, cols, 5);
}

/* The report of a ledger as JSON (as of 2024-02, grouped by category). */
static char* ReportJson(const kp_ledger* ledger) {
  kp_report_request* request = NULL;
  kp_report* report = NULL;
  kp_buffer json = {NULL, 0};
  char* out = NULL;
  CHECK_OK(kp_report_request_new(&request));
  CHECK_OK(kp_report_request_set_as_of(request, "2024-02"));
  CHECK_OK(kp_report_make(ledger, request, &report));
  if (kp_report_render(report, KP_FORMAT_JSON, NULL, &json) == KP_OK) {
    out = (char*)malloc(json.size + 1);
    if (out != NULL) memcpy(out, json.data, json.size + 1);
  }
  kp_buffer_dispose(&json);
  kp_report_free(report);
  kp_report_request_free(request);
  return out;
}

static void TestEqualsCsv(void) {
  kp_ledger_builder* b = NULL;
  kp_ledger* from_arrays = NULL;
  kp_ledger* from_csv = NULL;
  kp_diagnostics* problems = NULL;
  size_t n = 99;
  char* a;
  char* c;
  CHECK_OK(kp_ledger_builder_new(NULL, &b));
  CHECK_OK(AddProjects(b));
  CHECK_OK(AddMonthly(b, 1));
  CHECK_OK(AddMonthly(b, 2));
  CHECK_OK(kp_ledger_builder_finish(b, &from_arrays, &problems));
  CHECK(from_arrays != NULL);
  CHECK_OK(kp_diagnostics_count(problems, &n));
  CHECK(n == 0);
  kp_diagnostics_free(problems);
  kp_ledger_builder_free(b);

  CHECK(WriteText(g_scratch, "projects.csv", kProjectsCsv));
  CHECK(WriteText(g_scratch, "monthly.csv", kMonthlyCsv));
  CHECK_OK(kp_ledger_open_csv(g_scratch, NULL, &from_csv, NULL));
  if (from_arrays == NULL || from_csv == NULL) return;
  CHECK_OK(kp_ledger_project_count(from_arrays, &n));
  CHECK(n == 3);
  a = ReportJson(from_arrays);
  c = ReportJson(from_csv);
  CHECK(a != NULL && c != NULL);
  if (a != NULL && c != NULL) {
    CHECK(strcmp(a, c) == 0);
    if (strcmp(a, c) != 0) fprintf(stderr, "arrays:\n%s\ncsv:\n%s\n", a, c);
    /* Not vacuous: the year's investment, 100.25 - 5 + 300 + 0.000001 + 42 万元. */
    CHECK(strstr(a, "437.250001") != NULL);
  }
  free(a);
  free(c);
  kp_ledger_free(from_arrays);
  kp_ledger_free(from_csv);
}

/* ---- Misuse: a status and a message each -------------------------------------------------- */

static void TestMisuse(void) {
  static const char* const codes[2] = {"A1", "A2"};
  static const char* const names[2] = {"x", "y"};
  static const int32_t bad_offsets[3] = {0, 2, 1};
  static const char utf8[] = "A1A2";
  static const uint8_t bits = 0xff;
  kp_ledger_builder* b = NULL;
  kp_report_request* not_a_builder = NULL;
  kp_load_options options = KP_LOAD_OPTIONS_INIT;
  kp_ledger* ledger = (kp_ledger*)&bits;
  kp_diagnostics* problems = NULL;
  kp_column cols[3];
  size_t n = 0;

  CHECK_STATUS(kp_ledger_builder_new(NULL, NULL), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("out");
  options.version = 99;
  CHECK_STATUS(kp_ledger_builder_new(&options, &b), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("version 99");
  CHECK(b == NULL);
  kp_ledger_builder_free(NULL);

  cols[0] = Column("code", KP_COLUMN_CSTR, codes);
  cols[1] = Column("name", KP_COLUMN_CSTR, names);
  CHECK_STATUS(kp_ledger_builder_add_columns(NULL, KP_TABLE_PROJECTS, 2, cols, 2), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("builder: NULL kp_ledger_builder");
  CHECK_OK(kp_report_request_new(&not_a_builder));
  CHECK_STATUS(kp_ledger_builder_add_columns((kp_ledger_builder*)not_a_builder, KP_TABLE_PROJECTS, 2, cols, 2),
               KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("not a kp_ledger_builder");
  kp_report_request_free(not_a_builder);

  CHECK_OK(kp_ledger_builder_new(NULL, &b));
  CHECK_STATUS(kp_ledger_builder_add_columns(b, 9, 2, cols, 2), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("table 9");
  /* The number as given: 256 is not projects (the 8-bit table), -1 is not 255. */
  CHECK_STATUS(kp_ledger_builder_add_columns(b, 256, 2, cols, 2), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("table 256: no such table");
  CHECK_STATUS(kp_ledger_builder_add_columns(b, -1, 2, cols, 2), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("table -1: no such table");
  CHECK_STATUS(kp_ledger_builder_add_columns(b, KP_TABLE_PROJECTS, 2, cols, (size_t)-1 / 2), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("column_count");
  CHECK_STATUS(kp_ledger_builder_add_columns(b, KP_TABLE_PROJECTS, 2, NULL, 2), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("columns: NULL");
  cols[1].name = NULL;
  CHECK_STATUS(kp_ledger_builder_add_columns(b, KP_TABLE_PROJECTS, 2, cols, 2), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("columns[1].name: NULL");
  cols[1].name = "na\xff";
  CHECK_STATUS(kp_ledger_builder_add_columns(b, KP_TABLE_PROJECTS, 2, cols, 2), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("not valid UTF-8");
  /* A name that is no field is an extra column: without the name column, the batch
   * misses it. */
  cols[1].name = "nonsense";
  CHECK_STATUS(kp_ledger_builder_add_columns(b, KP_TABLE_PROJECTS, 2, cols, 2), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("missing required column name");
  cols[1].name = "总投资（个）"; /* a money column in a unit that is not money */
  CHECK_STATUS(kp_ledger_builder_add_columns(b, KP_TABLE_PROJECTS, 2, cols, 2), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("2 problems: ");
  CHECK_ERROR_HAS("column total_investment is read in");
  CHECK_ERROR_HAS("; projects.csv: missing required column name");
  CHECK_STATUS(kp_ledger_builder_add_columns(b, KP_TABLE_PROJECTS, 2, cols, 1), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("missing required column name");
  cols[1] = Column("code", KP_COLUMN_CSTR, codes);
  CHECK_STATUS(kp_ledger_builder_add_columns(b, KP_TABLE_PROJECTS, 2, cols, 2), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("duplicate column");
  cols[1] = Column("name", KP_COLUMN_CSTR, names);
  cols[1].version = 0;
  CHECK_STATUS(kp_ledger_builder_add_columns(b, KP_TABLE_PROJECTS, 2, cols, 2), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("kp_column version 0");
  cols[1] = Column("name", 42, names);
  CHECK_STATUS(kp_ledger_builder_add_columns(b, KP_TABLE_PROJECTS, 2, cols, 2), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("type 42");
  cols[1] = Column("name", KP_COLUMN_DATE32, names);
  CHECK_STATUS(kp_ledger_builder_add_columns(b, KP_TABLE_PROJECTS, 2, cols, 2), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("date32 cannot hold text");
  cols[1] = Column("name", KP_COLUMN_CSTR, NULL);
  CHECK_STATUS(kp_ledger_builder_add_columns(b, KP_TABLE_PROJECTS, 2, cols, 2), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("values: NULL");
  cols[1] = Column("name", KP_COLUMN_CSTR, names);
  cols[2] = Column("total_investment", KP_COLUMN_INT64, codes);
  cols[2].scale = 19;
  CHECK_STATUS(kp_ledger_builder_add_columns(b, KP_TABLE_PROJECTS, 2, cols, 3), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("scale 19");
  cols[2] = Column("plan_year", KP_COLUMN_INT64, codes);
  cols[2].scale = 2;
  CHECK_STATUS(kp_ledger_builder_add_columns(b, KP_TABLE_PROJECTS, 2, cols, 3), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("must be 0");
  cols[2] = Column("plan_year", KP_COLUMN_INT32, codes);
  cols[2].scale = -1;
  CHECK_STATUS(kp_ledger_builder_add_columns(b, KP_TABLE_PROJECTS, 2, cols, 3), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("only an int64 column has a scale");
  cols[0] = Column("code", KP_COLUMN_UTF8, utf8);
  CHECK_STATUS(kp_ledger_builder_add_columns(b, KP_TABLE_PROJECTS, 2, cols, 2), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("offsets: NULL");
  cols[0].offsets = bad_offsets;
  CHECK_STATUS(kp_ledger_builder_add_columns(b, KP_TABLE_PROJECTS, 2, cols, 2), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("offsets decrease");
  cols[0] = Column("code", KP_COLUMN_CSTR, codes);
  cols[0].validity = &bits;
  cols[0].validity_bytes = 0;
  CHECK_STATUS(kp_ledger_builder_add_columns(b, KP_TABLE_PROJECTS, 2, cols, 2), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("validity bitmap of 0 bytes is shorter");
  cols[0].validity_bytes = 1;
  CHECK_OK(kp_ledger_builder_add_columns(b, KP_TABLE_PROJECTS, 2, cols, 2));

  /* Every refused batch is also a problem: a strict finish fails and says so. */
  CHECK_STATUS(kp_ledger_builder_finish(b, NULL, NULL), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("out: NULL");
  CHECK_STATUS(kp_ledger_builder_finish(b, &ledger, &problems), KP_INVALID_ARGUMENT);
  CHECK(ledger == NULL);
  CHECK_OK(kp_diagnostics_count(problems, &n));
  /* 21 batches; the one of 总投资（个） and the one of code twice each also lack
   * name: every problem of a batch is said, not only the first. */
  CHECK(n == 23);
  {
    /* A failed read clears its outputs: nothing stale is left in them. */
    const char* file = "stale";
    const char* field = "stale";
    const char* reason = "stale";
    int64_t line = 7;
    int32_t column = 7;
    CHECK_STATUS(kp_diagnostics_get(problems, n, &file, &line, &column, &field, &reason), KP_OUT_OF_RANGE);
    CHECK(file == NULL && field == NULL && reason == NULL && line == 0 && column == 0);
    {
      size_t i = 0;
      int tables_named = 0;
      for (i = 0; i < n; ++i) {
        CHECK_OK(kp_diagnostics_get(problems, i, &file, &line, &column, &field, &reason));
        tables_named += strcmp(file, "table 256") == 0 || strcmp(file, "table -1") == 0;
      }
      CHECK(tables_named == 2);
    }
  }
  kp_diagnostics_free(problems);

  /* Spent. */
  CHECK_STATUS(kp_ledger_builder_add_columns(b, KP_TABLE_PROJECTS, 2, cols, 2), KP_FAILED_PRECONDITION);
  CHECK_ERROR_HAS("finished");
  CHECK_STATUS(kp_ledger_builder_finish(b, &ledger, NULL), KP_FAILED_PRECONDITION);
  CHECK(strlen(kp_last_error_message()) > 0);
  kp_ledger_builder_free(b);
}

/* ---- Problems by table, row and column ---------------------------------------------------- */

/* Problem `i` is at file:line:column, field, and its reason mentions `text`. */
static void CheckProblem(const kp_diagnostics* problems, size_t i, const char* file, int64_t line, int32_t column,
                         const char* field, const char* text) {
  const char* f = NULL;
  const char* fd = NULL;
  const char* reason = NULL;
  int64_t l = -1;
  int32_t c = -1;
  CHECK_OK(kp_diagnostics_get(problems, i, &f, &l, &c, &fd, &reason));
  if (f == NULL || reason == NULL) return;
  CHECK(strcmp(f, file) == 0);
  CHECK(l == line);
  CHECK(c == column);
  CHECK(strcmp(fd, field) == 0);
  CHECK(strstr(reason, text) != NULL);
  if (strcmp(f, file) != 0 || l != line || c != column || strstr(reason, text) == NULL) {
    fprintf(stderr, "  problem %u: %s:%ld:%d %s: %s\n", (unsigned)i, f, (long)l, (int)c, fd, reason);
  }
}

static void TestProblems(void) {
  static const char* const codes[3] = {"B1", "B2", "B3"};
  static const char* const names[3] = {"ok", "bad \xC3", "ok"};
  static const int64_t totals[3] = {50, -50, 123456789}; /* scale 7: 0.000005, -0.000005, and finer than 1 分 */
  static const char* const mcodes[2] = {"B1", "NOPE"};
  static const char* const months_text[2] = {"2024-13", "2024-01"};
  static const int32_t months_days[1] = {19724}; /* 2024-01-02: not a 1st */
  static const char* const mcodes2[1] = {"B1"};
  kp_ledger_builder* b = NULL;
  kp_ledger* ledger = NULL;
  kp_diagnostics* problems = NULL;
  kp_load_options lenient = KP_LOAD_OPTIONS_INIT;
  kp_column cols[3];
  size_t n = 0;
  lenient.lenient = 1;
  CHECK_OK(kp_ledger_builder_new(&lenient, &b));
  cols[0] = Column("code", KP_COLUMN_CSTR, codes);
  cols[1] = Column("name", KP_COLUMN_CSTR, names);
  cols[2] = Column("total_investment", KP_COLUMN_INT64, totals);
  cols[2].scale = 7;
  CHECK_OK(kp_ledger_builder_add_columns(b, KP_TABLE_PROJECTS, 3, cols, 3));
  cols[0] = Column("month", KP_COLUMN_CSTR, months_text);
  cols[1] = Column("code", KP_COLUMN_CSTR, mcodes);
  CHECK_OK(kp_ledger_builder_add_columns(b, KP_TABLE_MONTHLY, 2, cols, 2));
  cols[0] = Column("code", KP_COLUMN_CSTR, mcodes2);
  cols[1] = Column("month", KP_COLUMN_DATE32, months_days);
  CHECK_OK(kp_ledger_builder_add_columns(b, KP_TABLE_MONTHLY, 1, cols, 2));
  CHECK_OK(kp_ledger_builder_finish(b, &ledger, &problems));
  kp_ledger_builder_free(b);
  CHECK_OK(kp_ledger_project_count(ledger, &n));
  CHECK(n == 1); /* lenient: B1 only */
  CHECK_OK(kp_diagnostics_count(problems, &n));
  CHECK(n == 6);
  if (n == 6) {
    CheckProblem(problems, 0, "projects.csv", 2, 2, "name", "not valid UTF-8");
    CheckProblem(problems, 1, "projects.csv", 2, 3, "total_investment", "negative");
    CheckProblem(problems, 2, "projects.csv", 3, 3, "total_investment", "12.3456789");
    CheckProblem(problems, 3, "monthly.csv", 1, 1, "month", "not a month");
    CheckProblem(problems, 4, "monthly.csv", 2, 2, "code", "unknown project code 'NOPE'");
    /* The second batch continues the row count. */
    CheckProblem(problems, 5, "monthly.csv", 3, 2, "month", "1st day");
  }
  {
    const char* text = NULL;
    CHECK_OK(kp_diagnostics_text(problems, 4, &text));
    CHECK(text != NULL && strncmp(text, "monthly.csv:2:2: code: ", 23) == 0);
  }
  kp_diagnostics_free(problems);
  kp_ledger_free(ledger);
}

/* ---- Columns as pandas makes them -------------------------------------------------------- */

/* A yes/no column as numbers (1/0, float with NaN for an empty cell), and an optional
 * column left empty as float64 NaN whatever the field holds: what pd.read_csv gives. A
 * yes/no number other than 0 or 1 is a problem at its cell. */
static void TestPandasStyleColumns(void) {
  static const char* const codes[3] = {"P1", "P2", "P3"};
  static const char* const names[3] = {"x", "y", "z"};
  static const double attracted[3] = {1.0, 0.0, NAN};
  static const double investor[3] = {NAN, NAN, NAN};
  static const int64_t required[2] = {0, 2};
  static const char* const acodes[2] = {"P1", "P2"};
  static const char* const items[2] = {"eia", "land"};
  static const uint8_t flags[3] = {1, 0, 1};
  kp_ledger_builder* b = NULL;
  kp_ledger* ledger = NULL;
  kp_diagnostics* problems = NULL;
  kp_load_options lenient = KP_LOAD_OPTIONS_INIT;
  kp_column cols[4];
  size_t n = 0;
  lenient.lenient = 1;
  CHECK_OK(kp_ledger_builder_new(&lenient, &b));
  cols[0] = Column("code", KP_COLUMN_CSTR, codes);
  cols[1] = Column("name", KP_COLUMN_CSTR, names);
  cols[2] = Column("attracted", KP_COLUMN_DOUBLE, attracted);
  cols[3] = Column("investor", KP_COLUMN_DOUBLE, investor);
  CHECK_OK(kp_ledger_builder_add_columns(b, KP_TABLE_PROJECTS, 3, cols, 4));
  /* Not every cell missing: the type must fit (a number is read as its text, a
   * bool is no text). */
  cols[3] = Column("investor", KP_COLUMN_BOOL, flags);
  CHECK_STATUS(kp_ledger_builder_add_columns(b, KP_TABLE_PROJECTS, 3, cols, 4), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("bool cannot hold text");
  cols[0] = Column("code", KP_COLUMN_CSTR, acodes);
  cols[1] = Column("item", KP_COLUMN_CSTR, items);
  cols[2] = Column("required", KP_COLUMN_INT64, required);
  CHECK_OK(kp_ledger_builder_add_columns(b, KP_TABLE_APPROVALS, 2, cols, 3));
  CHECK_OK(kp_ledger_builder_finish(b, &ledger, &problems));
  kp_ledger_builder_free(b);
  CHECK_OK(kp_ledger_project_count(ledger, &n));
  CHECK(n == 3);
  CHECK_OK(kp_diagnostics_count(problems, &n));
  CHECK(n == 2); /* the refused batch, and required = 2 */
  if (n == 2) CheckProblem(problems, 1, "approvals.csv", 2, 3, "required", "int64 2 is neither 0 nor 1");
  kp_diagnostics_free(problems);
  kp_ledger_free(ledger);
}

/* ---- approvals.csv (KP_TABLE_APPROVALS) ------------------------------------------------- */

#define D_2023_06_01_ 19509
#define D_2024_06_30 19904

/* A batch of approvals with bad rows: each problem at approvals.csv:row:column, the
 * good rows loaded (lenient), a second batch continuing the row count. */
static void TestApprovals(void) {
  static const char* const codes[2] = {"A1", "A2"};
  static const char* const names[2] = {"x", "y"};
  static const int32_t reserved[2] = {D_2024_01_10, 0};
  static const uint8_t reserved_valid = 0x01;
  static const char* const acodes[6] = {"A1", "A1", "NOPE", "A1", "A2", "A1"};
  /* approval; an unknown item; eia of an unknown project; land done before A1's
   * reserved_on; 用地批复 by its Chinese label, not required; 立项 a second time */
  static const char* const items[6] = {"approval", "permit", "eia", "land", "\xE7\x94\xA8\xE5\x9C\xB0\xE6\x89\xB9\xE5\xA4\x8D",
                                       "\xE7\xAB\x8B\xE9\xA1\xB9"};
  static const uint8_t required[6] = {1, 1, 1, 1, 0, 1};
  static const int32_t planned[6] = {0, 0, 0, 0, D_2024_06_30, 0};
  static const uint8_t planned_valid = 0x10;
  static const int32_t done[6] = {D_2024_02_01, 0, 0, D_2023_06_01_, 0, 0};
  static const uint8_t done_valid = 0x09;
  static const char* const codes2[1] = {"A2"};
  static const char* const items2[1] = {"construction_permit"};
  static const char* const required2[1] = {"maybe"};
  kp_ledger_builder* b = NULL;
  kp_ledger* ledger = NULL;
  kp_diagnostics* problems = NULL;
  kp_load_options lenient = KP_LOAD_OPTIONS_INIT;
  kp_column cols[5];
  size_t n = 0;
  lenient.lenient = 1;
  CHECK_OK(kp_ledger_builder_new(&lenient, &b));
  cols[0] = Column("code", KP_COLUMN_CSTR, codes);
  cols[1] = Column("name", KP_COLUMN_CSTR, names);
  cols[2] = Column("reserved_on", KP_COLUMN_DATE32, reserved);
  cols[2].validity = &reserved_valid;
  cols[2].validity_bytes = 1;
  CHECK_OK(kp_ledger_builder_add_columns(b, KP_TABLE_PROJECTS, 2, cols, 3));
  cols[0] = Column("code", KP_COLUMN_CSTR, acodes);
  cols[1] = Column("item", KP_COLUMN_CSTR, items);
  cols[2] = Column("required", KP_COLUMN_BOOL, required);
  cols[3] = Column("planned_on", KP_COLUMN_DATE32, planned);
  cols[3].validity = &planned_valid;
  cols[3].validity_bytes = 1;
  cols[4] = Column("done_on", KP_COLUMN_DATE32, done);
  cols[4].validity = &done_valid;
  cols[4].validity_bytes = 1;
  CHECK_OK(kp_ledger_builder_add_columns(b, KP_TABLE_APPROVALS, 6, cols, 5));
  /* A second batch, with Chinese column names and a bad 是否必需 cell (text). */
  cols[0] = Column("\xE9\xA1\xB9\xE7\x9B\xAE\xE4\xBB\xA3\xE7\xA0\x81", KP_COLUMN_CSTR, codes2); /* 项目代码 */
  cols[1] = Column("\xE5\xAE\xA1\xE6\x89\xB9\xE4\xBA\x8B\xE9\xA1\xB9", KP_COLUMN_CSTR, items2); /* 审批事项 */
  cols[2] = Column("\xE6\x98\xAF\xE5\x90\xA6\xE5\xBF\x85\xE9\x9C\x80", KP_COLUMN_CSTR, required2); /* 是否必需 */
  CHECK_OK(kp_ledger_builder_add_columns(b, KP_TABLE_APPROVALS, 1, cols, 3));
  CHECK_OK(kp_ledger_builder_finish(b, &ledger, &problems));
  kp_ledger_builder_free(b);
  CHECK_OK(kp_ledger_project_count(ledger, &n));
  CHECK(n == 2);
  CHECK_OK(kp_diagnostics_count(problems, &n));
  CHECK(n == 5);
  if (n == 5) {
    CheckProblem(problems, 0, "approvals.csv", 2, 2, "item", "unknown approval item 'permit'");
    CheckProblem(problems, 1, "approvals.csv", 3, 1, "code", "unknown project code 'NOPE'");
    CheckProblem(problems, 2, "approvals.csv", 4, 5, "done_on", "before the project's reserved_on 2024-01-10");
    CheckProblem(problems, 3, "approvals.csv", 6, 2, "item", "a second row for item approval of project 'A1'");
    CheckProblem(problems, 4, "approvals.csv", 7, 3, "\xE6\x98\xAF\xE5\x90\xA6\xE5\xBF\x85\xE9\x9C\x80",
                 "not a yes/no value");
  }
  kp_diagnostics_free(problems);
  kp_ledger_free(ledger);

  /* Strict: the same rows fail the build, with the same problems. */
  CHECK_OK(kp_ledger_builder_new(NULL, &b));
  cols[0] = Column("code", KP_COLUMN_CSTR, codes);
  cols[1] = Column("name", KP_COLUMN_CSTR, names);
  cols[2] = Column("reserved_on", KP_COLUMN_DATE32, reserved);
  cols[2].validity = &reserved_valid;
  cols[2].validity_bytes = 1;
  CHECK_OK(kp_ledger_builder_add_columns(b, KP_TABLE_PROJECTS, 2, cols, 3));
  cols[0] = Column("code", KP_COLUMN_CSTR, acodes);
  cols[1] = Column("item", KP_COLUMN_CSTR, items);
  cols[2] = Column("required", KP_COLUMN_BOOL, required);
  CHECK_OK(kp_ledger_builder_add_columns(b, KP_TABLE_APPROVALS, 6, cols, 5));
  ledger = NULL;
  CHECK_STATUS(kp_ledger_builder_finish(b, &ledger, &problems), KP_INVALID_ARGUMENT);
  CHECK(ledger == NULL);
  CHECK_OK(kp_diagnostics_count(problems, &n));
  CHECK(n == 4);
  kp_diagnostics_free(problems);
  kp_ledger_builder_free(b);
}

int main(int argc, char** argv) {
  if (argc > 1) g_scratch = argv[1];
  TestEqualsCsv();
  TestMisuse();
  TestProblems();
  TestApprovals();
  TestPandasStyleColumns();
  return CheckSummary("capi columns");
}
