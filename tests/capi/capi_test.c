/* The C ABI from C99: every call of keyproj.h, its errors and its borrowed and
 * owned results. Compiled with -std=c99 -pedantic -Werror and linked against
 * libkeyproj.so. Prints "capi: N passed, M failed" and exits non-zero on failure.
 *
 * Arguments: a scratch directory for files the test writes (the xlsx). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keyproj.h"

#ifndef KEYPROJ_SOURCE_DIR
#error "KEYPROJ_SOURCE_DIR must be defined"
#endif

#include "capi_check.h"

static const char* g_scratch = ".";

static char* ReadFile(const char* path) {
  FILE* f = fopen(path, "rb");
  long n;
  char* data;
  if (f == NULL) return NULL;
  fseek(f, 0, SEEK_END);
  n = ftell(f);
  fseek(f, 0, SEEK_SET);
  data = (char*)malloc((size_t)n + 1);
  if (data != NULL) {
    if (fread(data, 1, (size_t)n, f) != (size_t)n) n = 0;
    data[n] = '\0';
  }
  fclose(f);
  return data;
}

/* The decimal `text` times 10^scale, rounded half-up away from zero: computed
 * here independently of the library. */
static long long ScaleText(const char* text, int scale) {
  int negative = 0;
  long long whole = 0;
  int places = 0;
  int seen_point = 0;
  int round_up = 0;
  const char* p = text;
  if (*p == '-') {
    negative = 1;
    ++p;
  }
  for (; *p; ++p) {
    if (*p == '.') {
      seen_point = 1;
      continue;
    }
    if (seen_point && places == scale) {
      round_up = *p >= '5';
      break;
    }
    whole = whole * 10 + (*p - '0');
    if (seen_point) ++places;
  }
  for (; places < scale; ++places) whole *= 10;
  whole += round_up;
  return negative ? -whole : whole;
}

static void TestVersions(void) {
  CHECK(kp_version_number() == KP_VERSION_NUMBER);
  CHECK(kp_abi_version() == KP_ABI_VERSION);
  CHECK(kp_abi_version() == 1);
  {
    char expected[32];
    sprintf(expected, "%d.%d.%d", KP_VERSION_MAJOR, KP_VERSION_MINOR, KP_VERSION_PATCH);
    CHECK(strcmp(kp_version(), expected) == 0);
  }
  CHECK(strcmp(kp_status_name(KP_OK), "OK") == 0);
  CHECK(strcmp(kp_status_name(KP_INVALID_ARGUMENT), "INVALID_ARGUMENT") == 0);
  CHECK(strcmp(kp_status_name(KP_OUT_OF_RANGE), "OUT_OF_RANGE") == 0);
  CHECK(strcmp(kp_status_name(KP_UNAUTHENTICATED), "UNAUTHENTICATED") == 0);
  CHECK(strcmp(kp_status_name(4242), "UNKNOWN_STATUS") == 0);
  CHECK(strcmp(kp_status_name(-1), "UNKNOWN_STATUS") == 0);
  CHECK(kp_last_error_message() != NULL);
}

static void TestBufferAndCatalogue(void) {
  kp_buffer buf = {NULL, 0};
  size_t i, n;
  int found_start_rate = 0;
  kp_buffer_dispose(NULL);
  kp_buffer_dispose(&buf);
  kp_buffer_dispose(&buf);
  CHECK(buf.data == NULL && buf.size == 0);

  n = kp_catalogue_count();
  CHECK(n > 20);
  for (i = 0; i < n; ++i) {
    const char* id = NULL;
    const char* label = NULL;
    const char* definition = NULL;
    int32_t unit = -1, places = -1;
    CHECK_OK(kp_catalogue_get(i, &id, &label, &unit, &places, &definition));
    if (id == NULL || label == NULL || definition == NULL) {
      CHECK(0);
      continue;
    }
    if (strcmp(id, "start_rate") == 0) {
      int32_t flags = -1;
      found_start_rate = 1;
      CHECK(unit == KP_UNIT_RATE);
      CHECK(strcmp(label, "开工率") == 0);
      CHECK(places == 1);
      CHECK_OK(kp_catalogue_flags(i, &flags));
      CHECK(flags == 0); /* a rate: groups do not add up; lists no project */
    }
    if (strcmp(id, "projects") == 0) {
      int32_t flags = -1;
      CHECK_OK(kp_catalogue_flags(i, &flags));
      CHECK(flags == KP_INDICATOR_ADDITIVE);
    }
    if (strcmp(id, "late_reports") == 0) {
      int32_t flags = -1;
      CHECK_OK(kp_catalogue_flags(i, &flags));
      CHECK(flags == (KP_INDICATOR_ADDITIVE | KP_INDICATOR_LISTS_PROJECTS));
    }
  }
  {
    int32_t flags = 9;
    CHECK_STATUS(kp_catalogue_flags(n, &flags), KP_OUT_OF_RANGE);
    CHECK(flags == 0);
    CHECK_STATUS(kp_catalogue_flags(0, NULL), KP_INVALID_ARGUMENT);
  }
  CHECK(found_start_rate);
  CHECK_OK(kp_catalogue_get(0, NULL, NULL, NULL, NULL, NULL));
  CHECK_STATUS(kp_catalogue_get(n, NULL, NULL, NULL, NULL, NULL), KP_OUT_OF_RANGE);
  CHECK_ERROR_HAS("out of range");
  {
    /* A failed read clears its outputs: nothing stale is left in them. */
    const char* id = "stale";
    const char* label = "stale";
    const char* definition = "stale";
    int32_t unit = 7, places = 7;
    CHECK_STATUS(kp_catalogue_get(n, &id, &label, &unit, &places, &definition), KP_OUT_OF_RANGE);
    CHECK(id == NULL && label == NULL && definition == NULL && unit == 0 && places == 0);
  }

  n = kp_standard_dashboard_count();
  CHECK(n == 20);
  {
    const char* id = NULL;
    CHECK_OK(kp_standard_dashboard_get(0, &id));
    CHECK(id != NULL && strcmp(id, "projects") == 0);
    CHECK_STATUS(kp_standard_dashboard_get(n, &id), KP_OUT_OF_RANGE);
    CHECK(id == NULL);
    CHECK_STATUS(kp_standard_dashboard_get(0, NULL), KP_INVALID_ARGUMENT);
  }
}

static void TestLoadOptions(void) {
  kp_load_options o = KP_LOAD_OPTIONS_INIT;
  kp_ledger* ledger = NULL;
  CHECK(o.version == KP_LOAD_OPTIONS_VERSION);
  CHECK_OK(kp_load_options_init(&o, KP_LOAD_OPTIONS_VERSION));
  CHECK(o.encoding == KP_ENCODING_AUTO && o.lenient == 0 && o.fx_rates == NULL);
  CHECK_STATUS(kp_load_options_init(&o, 0), KP_INVALID_ARGUMENT);
  CHECK_STATUS(kp_load_options_init(&o, KP_LOAD_OPTIONS_VERSION + 1), KP_INVALID_ARGUMENT);
  CHECK_STATUS(kp_load_options_init(NULL, 1), KP_INVALID_ARGUMENT);

  o.version = 99;
  CHECK_STATUS(kp_ledger_open_csv(KEYPROJ_SOURCE_DIR "/examples/data", &o, &ledger, NULL), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("version 99");
  CHECK(ledger == NULL);
  kp_load_options_init(&o, 1);
  o.encoding = 7;
  CHECK_STATUS(kp_ledger_open_csv(KEYPROJ_SOURCE_DIR "/examples/data", &o, &ledger, NULL), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("encoding 7");
  kp_load_options_init(&o, 1);
  o.fx_rates = "USD7.1";
  CHECK_STATUS(kp_ledger_open_csv(KEYPROJ_SOURCE_DIR "/examples/data", &o, &ledger, NULL), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("USD7.1");
  o.fx_rates = "USD=7.1, EUR=7.8";
  o.encoding = KP_ENCODING_UTF8;
  CHECK_OK(kp_ledger_open_csv(KEYPROJ_SOURCE_DIR "/examples/data", &o, &ledger, NULL));
  CHECK(ledger != NULL);
  kp_ledger_free(ledger);

  /* Version 2 adds threads: a version-1 init leaves it alone (an older caller's
   * struct ends before it) and a version-1 struct's threads is not read. */
  o.threads = -5;
  CHECK_OK(kp_load_options_init(&o, 1));
  CHECK(o.version == 1 && o.threads == -5);
  ledger = NULL;
  CHECK_OK(kp_ledger_open_csv(KEYPROJ_SOURCE_DIR "/examples/data", &o, &ledger, NULL));
  kp_ledger_free(ledger);
  CHECK_OK(kp_load_options_init(&o, 2));
  CHECK(o.threads == 0);
  o.threads = -1;
  ledger = NULL;
  CHECK_STATUS(kp_ledger_open_csv(KEYPROJ_SOURCE_DIR "/examples/data", &o, &ledger, NULL), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("threads -1");
  CHECK(ledger == NULL);
  {
    size_t counts[3] = {0, 0, 0};
    int i;
    for (i = 0; i < 3; ++i) {
      o.threads = i == 0 ? 1 : i == 1 ? 2 : 0;
      CHECK_OK(kp_ledger_open(KEYPROJ_SOURCE_DIR "/examples/data", &o, &ledger, NULL));
      CHECK_OK(kp_ledger_project_count(ledger, &counts[i]));
      kp_ledger_free(ledger);
      ledger = NULL;
    }
    CHECK(counts[0] > 0 && counts[0] == counts[1] && counts[1] == counts[2]);
  }

  ledger = NULL;
  CHECK_STATUS(kp_ledger_open_csv(KEYPROJ_SOURCE_DIR "/no/such/folder", NULL, &ledger, NULL), KP_NOT_FOUND);
  CHECK(ledger == NULL);
  CHECK(strlen(kp_last_error_message()) > 0);
  CHECK_STATUS(kp_ledger_open_csv(NULL, NULL, &ledger, NULL), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("dir");
  CHECK_STATUS(kp_ledger_open_csv(KEYPROJ_SOURCE_DIR "/examples/data", NULL, NULL, NULL), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("out");
  CHECK_STATUS(kp_ledger_open_csv("\xff\xfe", NULL, &ledger, NULL), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("UTF-8");
}

static void TestManyErrors(void) {
  kp_ledger* ledger = (kp_ledger*)&g_passed; /* overwritten with NULL */
  kp_diagnostics* problems = NULL;
  size_t n = 0, i;
  kp_load_options lenient = KP_LOAD_OPTIONS_INIT;

  CHECK_STATUS(kp_ledger_open_csv(KEYPROJ_SOURCE_DIR "/tests/data/many_errors", NULL, &ledger, &problems),
               KP_INVALID_ARGUMENT);
  CHECK(ledger == NULL);
  CHECK(problems != NULL);
  CHECK(strlen(kp_last_error_message()) > 0);
  CHECK_OK(kp_diagnostics_count(problems, &n));
  CHECK(n > 1);
  for (i = 0; i < n; ++i) {
    const char *file = NULL, *field = NULL, *reason = NULL, *text = NULL;
    int64_t line = -1;
    int32_t column = -1;
    CHECK_OK(kp_diagnostics_get(problems, i, &file, &line, &column, &field, &reason));
    CHECK(file != NULL && strlen(file) > 0);
    CHECK(line > 0);
    CHECK(column >= 0);
    CHECK(field != NULL);
    CHECK(reason != NULL && strlen(reason) > 0);
    CHECK_OK(kp_diagnostics_text(problems, i, &text));
    CHECK(text != NULL && file != NULL && strstr(text, file) == text);
    /* Hints name the C option (kp_load_options.merge_duplicates), not the C++ one. */
    CHECK(text != NULL && strstr(text, "duplicate_months") == NULL);
    if (text != NULL && strstr(text, "second row for project") != NULL) CHECK(strstr(text, "'merge_duplicates=1'") != NULL);
  }
  {
    /* The bad amount of E002 is named with its file, line and column. */
    int found = 0;
    for (i = 0; i < n; ++i) {
      const char *file = NULL, *reason = NULL;
      int64_t line = 0;
      int32_t column = 0;
      kp_diagnostics_get(problems, i, &file, &line, &column, NULL, &reason);
      if (strcmp(file, "projects.csv") == 0 && line == 3 && column == 5) found = 1;
    }
    CHECK(found);
  }
  CHECK_STATUS(kp_diagnostics_get(problems, n, NULL, NULL, NULL, NULL, NULL), KP_OUT_OF_RANGE);
  CHECK_ERROR_HAS("out of range");
  kp_diagnostics_free(problems);

  /* Lenient: the good rows load, the problems come back too. */
  problems = NULL;
  lenient.lenient = 1;
  CHECK_OK(kp_ledger_open_csv(KEYPROJ_SOURCE_DIR "/tests/data/many_errors", &lenient, &ledger, &problems));
  CHECK(ledger != NULL && problems != NULL);
  {
    size_t projects = 0, count = 0;
    CHECK_OK(kp_ledger_project_count(ledger, &projects));
    CHECK(projects >= 1 && projects < 11);
    CHECK_OK(kp_diagnostics_count(problems, &count));
    CHECK(count == n);
  }
  kp_diagnostics_free(problems);
  kp_ledger_free(ledger);
}

static kp_ledger* OpenExamples(void) {
  kp_ledger* ledger = NULL;
  kp_diagnostics* problems = NULL;
  size_t n = 0;
  CHECK_OK(kp_ledger_open_csv(KEYPROJ_SOURCE_DIR "/examples/data", NULL, &ledger, &problems));
  CHECK_OK(kp_diagnostics_count(problems, &n));
  CHECK(n == 0);
  kp_diagnostics_free(problems);
  CHECK_OK(kp_ledger_project_count(ledger, &n));
  CHECK(n > 1000);
  return ledger;
}

/* A report by county: its shape, exact texts against the JSON rendering, display
 * strings, int64 scaling and project lists. */
static void TestReportByCounty(kp_ledger* ledger) {
  kp_report_request* request = NULL;
  kp_report* report = NULL;
  kp_buffer json = {NULL, 0};
  size_t tables = 0, rows = 0, cols = 0, dims = 0, row, col;
  const char* text = NULL;
  int stalled_col = -1, rate_col = -1, money_col = -1;

  CHECK_OK(kp_report_request_new(&request));
  CHECK_OK(kp_report_request_set_as_of(request, "2024-09"));
  CHECK_OK(kp_report_request_add_grouping(request, "county"));
  CHECK_OK(kp_report_request_set_indicators(request, "projects, start_rate,investment_ytd,stalled"));
  CHECK_OK(kp_report_make(ledger, request, &report));
  kp_report_request_free(request);
  if (report == NULL) return;

  CHECK_OK(kp_report_table_count(report, &tables));
  CHECK(tables == 1);
  CHECK_OK(kp_report_table_title(report, 0, &text));
  CHECK(text != NULL && strlen(text) > 0);
  CHECK_OK(kp_report_row_count(report, 0, &rows));
  CHECK(rows > 2);
  CHECK_OK(kp_report_column_count(report, 0, &cols));
  CHECK(cols == 4);
  CHECK_OK(kp_report_group_dimension_count(report, 0, &dims));
  CHECK(dims == 1);
  CHECK_OK(kp_report_group_dimension(report, 0, 0, &text));
  CHECK(text != NULL && strcmp(text, "county") == 0);
  for (col = 0; col < cols; ++col) {
    int32_t unit = -1;
    CHECK_OK(kp_report_column_id(report, 0, col, &text));
    CHECK_OK(kp_report_column_unit(report, 0, col, &unit));
    if (strcmp(text, "stalled") == 0) stalled_col = (int)col;
    if (strcmp(text, "start_rate") == 0) {
      rate_col = (int)col;
      CHECK(unit == KP_UNIT_RATE);
    }
    if (strcmp(text, "investment_ytd") == 0) {
      money_col = (int)col;
      CHECK(unit == KP_UNIT_MONEY);
    }
  }
  CHECK(stalled_col == 3 && rate_col == 1 && money_col == 2);

  /* Group keys: 6-digit counties, the whole-scope row last with "". */
  for (row = 0; row < rows; ++row) {
    CHECK_OK(kp_report_group_key(report, 0, row, 0, &text));
    if (row + 1 < rows) {
      CHECK(text != NULL && strlen(text) == 6);
    } else {
      CHECK(text != NULL && strcmp(text, "") == 0);
    }
  }

  /* Every row's exact values read as the JSON rendering writes them. */
  CHECK_OK(kp_report_render(report, KP_FORMAT_JSON, NULL, &json));
  CHECK(json.data != NULL && json.size == strlen(json.data));
  for (row = 0; row < rows && json.data != NULL; ++row) {
    char expected[1024];
    size_t len = 0;
    len += (size_t)sprintf(expected + len, "\"values\": {");
    for (col = 0; col < cols; ++col) {
      const char* id = NULL;
      const char* value = NULL;
      kp_report_column_id(report, 0, col, &id);
      CHECK_OK(kp_report_value_text(report, 0, row, col, &value));
      if (value == NULL) {
        len += (size_t)sprintf(expected + len, "%s\"%s\": null", col ? ", " : "", id);
      } else {
        len += (size_t)sprintf(expected + len, "%s\"%s\": \"%s\"", col ? ", " : "", id, value);
      }
    }
    sprintf(expected + len, "}");
    CHECK(strstr(json.data, expected) != NULL);
    if (strstr(json.data, expected) == NULL) fprintf(stderr, "  not in the JSON: %s\n", expected);
  }

  /* Display strings, int64 scaling and doubles of the whole-scope row. */
  {
    const size_t total = rows - 1;
    const char *rate_text = NULL, *rate_display = NULL, *money_text = NULL, *money_display = NULL;
    const char* money_yi = NULL;
    int64_t n = -1;
    int32_t applicable = -1;
    double d = 0;
    CHECK_OK(kp_report_value_text(report, 0, total, (size_t)rate_col, &rate_text));
    CHECK_OK(kp_report_value_display(report, 0, total, (size_t)rate_col, KP_MONEY_WAN, &rate_display));
    CHECK(rate_text != NULL && strncmp(rate_text, "0.", 2) == 0 && strlen(rate_text) == 8);
    CHECK(rate_display != NULL && rate_display[strlen(rate_display) - 1] == '%');
    /* "0.709766" shows as "71.0%": the percent of the fraction, one decimal. */
    if (rate_text != NULL && rate_display != NULL) {
      char shown[32];
      const long long tenths = ScaleText(rate_text, 3);
      sprintf(shown, "%lld.%lld%%", tenths / 10, tenths % 10);
      CHECK(strcmp(rate_display, shown) == 0);
    }
    CHECK_OK(kp_report_value_int64(report, 0, total, (size_t)rate_col, 6, &n, &applicable));
    CHECK(applicable == 1 && n == ScaleText(rate_text, 6));
    CHECK_OK(kp_report_value_int64(report, 0, total, (size_t)rate_col, 3, &n, &applicable));
    CHECK(n == ScaleText(rate_text, 3));
    CHECK_OK(kp_report_value_int64(report, 0, total, (size_t)rate_col, 0, &n, &applicable));
    CHECK(n == 1 || n == 0);
    CHECK(n == ScaleText(rate_text, 0));

    CHECK_OK(kp_report_value_text(report, 0, total, (size_t)money_col, &money_text));
    CHECK(money_text != NULL && strchr(money_text, '.') != NULL);
    CHECK_OK(kp_report_value_int64(report, 0, total, (size_t)money_col, 2, &n, &applicable));
    CHECK(applicable == 1 && n == ScaleText(money_text, 2));
    CHECK_OK(kp_report_value_int64(report, 0, total, (size_t)money_col, 0, &n, &applicable));
    CHECK(n == ScaleText(money_text, 0));
    CHECK_OK(kp_report_value_int64(report, 0, total, (size_t)money_col, 1, &n, &applicable));
    CHECK(n == ScaleText(money_text, 1));
    CHECK_STATUS(kp_report_value_int64(report, 0, total, (size_t)money_col, 18, &n, &applicable), KP_OUT_OF_RANGE);
    CHECK_ERROR_HAS("int64");
    CHECK_STATUS(kp_report_value_int64(report, 0, total, (size_t)money_col, 19, &n, &applicable), KP_INVALID_ARGUMENT);
    CHECK_ERROR_HAS("scale 19");
    CHECK_STATUS(kp_report_value_int64(report, 0, total, (size_t)money_col, 2, NULL, &applicable), KP_INVALID_ARGUMENT);
    CHECK_STATUS(kp_report_value_int64(report, 0, total, (size_t)money_col, 2, &n, NULL), KP_INVALID_ARGUMENT);
    CHECK_OK(kp_report_value_display(report, 0, total, (size_t)money_col, KP_MONEY_WAN, &money_display));
    CHECK_OK(kp_report_value_display(report, 0, total, (size_t)money_col, KP_MONEY_YI, &money_yi));
    CHECK(money_display != NULL && money_yi != NULL && strcmp(money_display, money_yi) != 0);
    CHECK_STATUS(kp_report_value_display(report, 0, total, (size_t)money_col, 9, &money_yi), KP_INVALID_ARGUMENT);
    CHECK_ERROR_HAS("money_unit 9");
    CHECK_OK(kp_report_value_double(report, 0, total, (size_t)money_col, &d, &applicable));
    CHECK(applicable == 1 && d > 1000.0);
    CHECK(money_text != NULL && (d - atof(money_text)) < 1e-6 && (atof(money_text) - d) < 1e-6);

    /* Borrowed texts stay put: asking again gives the same pointer. */
    {
      const char* again = NULL;
      kp_report_value_text(report, 0, total, (size_t)money_col, &again);
      CHECK(again == money_text);
    }
  }

  /* Project lists: the count equals the value, each has a code and a name that
   * the JSON lists. */
  {
    size_t total_listed = 0;
    for (row = 0; row < rows; ++row) {
      size_t count = 0, k;
      int64_t value = -1;
      int32_t applicable = 0;
      CHECK_OK(kp_report_project_count(report, 0, row, (size_t)stalled_col, &count));
      CHECK_OK(kp_report_value_int64(report, 0, row, (size_t)stalled_col, 0, &value, &applicable));
      CHECK(applicable && (int64_t)count == value);
      if (row + 1 < rows) total_listed += count;
      for (k = 0; k < count; ++k) {
        const char *code = NULL, *name = NULL;
        CHECK_OK(kp_report_project(report, 0, row, (size_t)stalled_col, k, &code, &name));
        CHECK(code != NULL && strlen(code) > 0 && name != NULL && strlen(name) > 0);
        if (code != NULL && json.data != NULL) CHECK(strstr(json.data, code) != NULL);
      }
      CHECK_STATUS(kp_report_project(report, 0, row, (size_t)stalled_col, count, NULL, NULL), KP_OUT_OF_RANGE);
    }
    {
      size_t count = 0;
      CHECK_OK(kp_report_project_count(report, 0, rows - 1, (size_t)stalled_col, &count));
      CHECK(count == total_listed && count > 0);
      /* An indicator that lists no projects: 0. */
      CHECK_OK(kp_report_project_count(report, 0, 0, (size_t)money_col, &count));
      CHECK(count == 0);
    }
  }

  /* Out-of-range indices name the index and the bound. */
  {
    size_t none = 5;
    CHECK_STATUS(kp_report_row_count(report, 1, &none), KP_OUT_OF_RANGE);
    CHECK(none == 0);
  }
  CHECK_ERROR_HAS("table 1");
  CHECK_ERROR_HAS("count 1");
  CHECK_STATUS(kp_report_value_text(report, 0, rows + 5, 0, &text), KP_OUT_OF_RANGE);
  CHECK_ERROR_HAS("row");
  CHECK(text == NULL);
  CHECK_STATUS(kp_report_value_text(report, 0, 0, cols, &text), KP_OUT_OF_RANGE);
  CHECK_ERROR_HAS("column 4");
  CHECK_STATUS(kp_report_column_id(report, 0, 99, &text), KP_OUT_OF_RANGE);
  CHECK_STATUS(kp_report_group_dimension(report, 0, 1, &text), KP_OUT_OF_RANGE);
  CHECK_STATUS(kp_report_group_key(report, 0, 0, 1, &text), KP_OUT_OF_RANGE);
  CHECK_STATUS(kp_report_table_title(report, 3, &text), KP_OUT_OF_RANGE);
  CHECK_STATUS(kp_report_value_display(report, 0, 0, 99, KP_MONEY_WAN, &text), KP_OUT_OF_RANGE);
  CHECK_STATUS(kp_report_value_double(report, 9, 0, 0, NULL, NULL), KP_INVALID_ARGUMENT);

  kp_buffer_dispose(&json);
  kp_buffer_dispose(&json);
  CHECK(json.data == NULL && json.size == 0);
  kp_report_free(report);
}

/* What a ledger and a report are made of (0.7): the dimensions and each table's columns,
 * the names the builder and kp_report_request_add_grouping take. */
static void TestMenus(void) {
  const char* id = NULL;
  const char* label = NULL;
  const char* chinese = NULL;
  const char* aliases = NULL;
  int32_t required = 7;
  size_t i, n = 0, count = kp_dimension_count();
  int county = 0, total_investment = 0, code_required = 0;
  kp_report_request* request = NULL;
  CHECK(count >= 10);
  CHECK_OK(kp_report_request_new(&request));
  for (i = 0; i < count; ++i) {
    CHECK_OK(kp_dimension_get(i, &id, &label));
    if (id == NULL || label == NULL) continue;
    CHECK_OK(kp_report_request_add_grouping(request, id)); /* every id is one the request takes */
    if (strcmp(id, "county") == 0) county = strcmp(label, "\xE5\x8E\xBF\xE5\x8C\xBA") == 0; /* 县区 */
  }
  kp_report_request_free(request);
  CHECK(county);
  CHECK_STATUS(kp_dimension_get(count, &id, &label), KP_OUT_OF_RANGE);
  CHECK(id == NULL && label == NULL);
  CHECK_OK(kp_dimension_get(0, NULL, NULL));

  CHECK_OK(kp_table_column_count(KP_TABLE_PROJECTS, &n));
  CHECK(n > 20);
  for (i = 0; i < n; ++i) {
    CHECK_OK(kp_table_column_get(KP_TABLE_PROJECTS, i, &id, &chinese, &aliases, &required));
    if (id == NULL || chinese == NULL || aliases == NULL) continue;
    if (strcmp(id, "code") == 0) {
      code_required = required == 1 && strcmp(chinese, "\xE9\xA1\xB9\xE7\x9B\xAE\xE4\xBB\xA3\xE7\xA0\x81") == 0 /* 项目代码 */
                      && strstr(aliases, "|") != NULL;
    }
    if (strcmp(id, "total_investment") == 0) total_investment = required == 0;
  }
  CHECK(code_required && total_investment);
  CHECK_OK(kp_table_column_count(KP_TABLE_APPROVALS, &n));
  CHECK(n > 3);
  CHECK_STATUS(kp_table_column_get(KP_TABLE_PROJECTS, 999, &id, &chinese, &aliases, &required), KP_OUT_OF_RANGE);
  CHECK(id == NULL && chinese == NULL && aliases == NULL && required == 0);
  CHECK_STATUS(kp_table_column_count(7, &n), KP_INVALID_ARGUMENT);
  CHECK(n == 0);
  CHECK_ERROR_HAS("table 7: not a KP_TABLE_ value");
  CHECK_STATUS(kp_table_column_count(-1, &n), KP_INVALID_ARGUMENT);
  CHECK_STATUS(kp_table_column_count(KP_TABLE_MONTHLY, NULL), KP_INVALID_ARGUMENT);
  CHECK_STATUS(kp_table_column_get(-3, 0, &id, NULL, NULL, NULL), KP_INVALID_ARGUMENT);
  CHECK_OK(kp_table_column_get(KP_TABLE_MONTHLY, 0, NULL, NULL, NULL, NULL));
}

/* Notes (0.7): a date past the ledger's figures is said; one within them says nothing. */
static void TestNotes(kp_ledger* ledger) {
  kp_report_request* request = NULL;
  kp_report* late = NULL;
  kp_report* month = NULL;
  const char* note = NULL;
  size_t n = 99;
  CHECK_OK(kp_report_request_new(&request));
  CHECK_OK(kp_report_request_set_as_of(request, "2030-01"));
  CHECK_OK(kp_report_make(ledger, request, &late));
  CHECK_OK(kp_report_request_set_as_of(request, "2024-09"));
  CHECK_OK(kp_report_make(ledger, request, &month));
  kp_report_request_free(request);
  if (late == NULL || month == NULL) {
    kp_report_free(late);
    kp_report_free(month);
    return;
  }
  CHECK_OK(kp_report_note_count(late, &n));
  CHECK(n == 1);
  CHECK_OK(kp_report_note(late, 0, &note));
  CHECK(note != NULL && strcmp(note, "the ledger's monthly figures end in 2024-09; as of 2030-01-31 the months from "
                                     "2024-10 count as having no investment") == 0);
  CHECK_OK(kp_report_note_count(month, &n));
  CHECK(n == 0);
  CHECK_STATUS(kp_report_note(month, 0, &note), KP_OUT_OF_RANGE);
  CHECK(note == NULL);
  CHECK_ERROR_HAS("note 0");
  CHECK_STATUS(kp_report_note(late, 0, NULL), KP_INVALID_ARGUMENT);
  CHECK_STATUS(kp_report_note(NULL, 0, &note), KP_INVALID_ARGUMENT);
  CHECK_STATUS(kp_report_note_count(NULL, &n), KP_INVALID_ARGUMENT);
  CHECK(n == 0);
  CHECK_STATUS(kp_report_note_count(late, NULL), KP_INVALID_ARGUMENT);
  CHECK_STATUS(kp_report_note_count((const kp_report*)ledger, &n), KP_INVALID_ARGUMENT);
  kp_report_free(late);
  kp_report_free(month);
}

/* Labels as the reports print them, and what the report is of (0.2). */
static void TestLabelsAndScope(kp_ledger* ledger) {
  kp_report_request* request = NULL;
  kp_report* report = NULL;
  kp_report* bare = NULL;
  const char* text = NULL;
  const char* as_of = NULL;
  const char* scope = NULL;
  const char* catalogue_label = NULL;
  const char* id = NULL;
  size_t rows = 0, row, i, n = kp_catalogue_count();
  int found = 0;

  CHECK_OK(kp_report_request_new(&request));
  CHECK_OK(kp_report_request_set_as_of(request, "2024-09"));
  CHECK_OK(kp_report_request_add_grouping(request, "county"));
  CHECK_OK(kp_report_request_set_indicators(request, "start_rate,investment_ytd"));
  CHECK_OK(kp_report_request_set_regions_from_csv(request, "")); /* no names, not even the ledger's */
  CHECK_OK(kp_report_make(ledger, request, &bare));
  CHECK_OK(kp_report_request_set_regions_from_csv(request, KEYPROJ_SOURCE_DIR "/examples/data/regions.csv"));
  CHECK_OK(kp_report_request_set_scope_name(request, "\xE5\x85\xA8\xE5\xB8\x82")); /* 全市 */
  CHECK_OK(kp_report_make(ledger, request, &report));
  kp_report_request_free(request);
  if (report == NULL || bare == NULL) {
    kp_report_free(report);
    kp_report_free(bare);
    return;
  }

  CHECK_OK(kp_report_scope(report, &as_of, &scope));
  CHECK(as_of != NULL && strcmp(as_of, "2024-09-30") == 0);
  CHECK(scope != NULL && strcmp(scope, "\xE5\x85\xA8\xE5\xB8\x82") == 0);
  CHECK_OK(kp_report_scope(report, NULL, NULL));

  /* A column's label starts with the catalogue's label and ends with its unit. */
  for (i = 0; i < n; ++i) {
    CHECK_OK(kp_catalogue_get(i, &id, &catalogue_label, NULL, NULL, NULL));
    if (strcmp(id, "start_rate") == 0) break;
  }
  CHECK_OK(kp_report_column_label(report, 0, 0, KP_MONEY_WAN, &text));
  CHECK(text != NULL && catalogue_label != NULL && strncmp(text, catalogue_label, strlen(catalogue_label)) == 0);
  CHECK(text != NULL && strstr(text, "%") != NULL);
  CHECK_OK(kp_report_column_label(report, 0, 1, KP_MONEY_YI, &text));
  CHECK(text != NULL && strstr(text, "\xE4\xBA\xBF\xE5\x85\x83") != NULL); /* 亿元 */
  CHECK_OK(kp_report_column_label(report, 0, 1, KP_MONEY_WAN, &text));
  CHECK(text != NULL && strstr(text, "\xE4\xB8\x87\xE5\x85\x83") != NULL); /* 万元 */
  CHECK_STATUS(kp_report_column_label(report, 0, 1, 7, &text), KP_INVALID_ARGUMENT);
  CHECK(text == NULL);
  CHECK_ERROR_HAS("money_unit 7");
  CHECK_STATUS(kp_report_column_label(report, 0, 2, KP_MONEY_WAN, &text), KP_OUT_OF_RANGE);

  /* Group labels: region names where regions.csv has them, the code without names. */
  CHECK_OK(kp_report_row_count(report, 0, &rows));
  for (row = 0; row < rows; ++row) {
    const char* key = NULL;
    const char* bare_label = NULL;
    CHECK_OK(kp_report_group_key(report, 0, row, 0, &key));
    CHECK_OK(kp_report_group_label(report, 0, row, 0, &text));
    CHECK_OK(kp_report_group_label(bare, 0, row, 0, &bare_label));
    if (key == NULL || text == NULL || bare_label == NULL) continue;
    CHECK(strcmp(bare_label, key) == 0);
    if (strcmp(key, "610302") == 0) {
      found = 1;
      CHECK(strcmp(text, "\xE6\xB8\xAD\xE6\xBB\xA8\xE5\x8C\xBA") == 0); /* 渭滨区 */
    }
    if (row + 1 == rows) CHECK(strcmp(text, "") == 0);
  }
  CHECK(found);
  CHECK_STATUS(kp_report_group_label(report, 0, rows, 0, &text), KP_OUT_OF_RANGE);
  CHECK_STATUS(kp_report_group_label(report, 0, 0, 1, &text), KP_OUT_OF_RANGE);
  CHECK_STATUS(kp_report_group_label(NULL, 0, 0, 0, &text), KP_INVALID_ARGUMENT);
  CHECK_STATUS(kp_report_group_label(report, 0, 0, 0, NULL), KP_INVALID_ARGUMENT);
  CHECK_STATUS(kp_report_scope(NULL, &as_of, &scope), KP_INVALID_ARGUMENT);
  CHECK(as_of == NULL && scope == NULL);
  CHECK_STATUS(kp_report_scope((const kp_report*)ledger, &as_of, NULL), KP_INVALID_ARGUMENT);
  kp_report_free(report);
  kp_report_free(bare);
}

/* The report outlives its ledger; every format renders; xlsx is written. */
static void TestRender(void) {
  kp_ledger* ledger = OpenExamples();
  kp_report_request* request = NULL;
  kp_report* report = NULL;
  kp_buffer doc = {NULL, 0};
  kp_render_options options = KP_RENDER_OPTIONS_INIT;
  int32_t formats[] = {KP_FORMAT_TABLE, KP_FORMAT_JSON, KP_FORMAT_CSV, KP_FORMAT_MARKDOWN, KP_FORMAT_TEXT};
  size_t i;
  char path[4096];

  CHECK_OK(kp_report_request_new(&request));
  CHECK_OK(kp_report_request_add_grouping(request, "category"));
  CHECK_OK(kp_report_request_add_grouping(request, ""));
  CHECK_OK(kp_report_make(ledger, request, &report));
  kp_report_request_free(request);
  kp_ledger_free(ledger); /* the report keeps what it needs */
  {
    size_t tables = 0, dims = 9, rows = 0;
    CHECK_OK(kp_report_table_count(report, &tables));
    CHECK(tables == 2);
    CHECK_OK(kp_report_group_dimension_count(report, 1, &dims));
    CHECK(dims == 0);
    CHECK_OK(kp_report_row_count(report, 1, &rows));
    CHECK(rows == 1);
  }

  for (i = 0; i < sizeof formats / sizeof formats[0]; ++i) {
    CHECK_OK(kp_report_render(report, formats[i], NULL, &doc));
    CHECK(doc.data != NULL && doc.size > 100);
    kp_buffer_dispose(&doc);
  }
  CHECK_OK(kp_render_options_init(&options, KP_RENDER_OPTIONS_VERSION));
  options.money_unit = KP_MONEY_YI;
  options.encoding = KP_ENCODING_GB18030;
  CHECK_OK(kp_report_render(report, KP_FORMAT_CSV, &options, &doc));
  CHECK(doc.data != NULL && doc.size > 100);
  kp_buffer_dispose(&doc);
  options.encoding = KP_ENCODING_UTF8;
  options.text_template = "{范围}共{projects}个项目。";
  CHECK_OK(kp_report_render(report, KP_FORMAT_TEXT, &options, &doc));
  CHECK(doc.data != NULL && strstr(doc.data, "个项目") != NULL);
  kp_buffer_dispose(&doc);
  options.text_template = "{no_such_indicator}";
  CHECK_STATUS(kp_report_render(report, KP_FORMAT_TEXT, &options, &doc), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("text_template");
  CHECK(doc.data == NULL);
  options.text_template = NULL;
  options.version = 0;
  CHECK_STATUS(kp_report_render(report, KP_FORMAT_JSON, &options, &doc), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("version 0");
  CHECK_STATUS(kp_render_options_init(&options, KP_RENDER_OPTIONS_VERSION + 1), KP_INVALID_ARGUMENT);
  CHECK_STATUS(kp_report_render(report, 77, NULL, &doc), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("format 77");
  CHECK_STATUS(kp_report_render(report, KP_FORMAT_XLSX, NULL, &doc), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("xlsx");
  CHECK_STATUS(kp_report_render(report, KP_FORMAT_JSON, NULL, NULL), KP_INVALID_ARGUMENT);
  /* No target set, no scheme. */
  CHECK(kp_report_render_targets(report, KP_FORMAT_JSON, NULL, &doc) != KP_OK);
  CHECK(doc.data == NULL);
  CHECK(kp_report_render_scores(report, KP_FORMAT_JSON, NULL, &doc) != KP_OK);

  sprintf(path, "%s/capi_report.xlsx", g_scratch);
  remove(path);
  CHECK_OK(kp_report_write_xlsx(report, NULL, path));
  {
    FILE* f = fopen(path, "rb");
    char magic[2] = {0, 0};
    CHECK(f != NULL);
    if (f != NULL) {
      CHECK(fread(magic, 1, 2, f) == 2);
      fclose(f);
    }
    CHECK(magic[0] == 'P' && magic[1] == 'K');
  }
  remove(path);
  CHECK(kp_report_write_xlsx(report, NULL, "/no/such/dir/x.xlsx") != KP_OK);
  CHECK(strlen(kp_last_error_message()) > 0);
  CHECK_STATUS(kp_report_write_xlsx(report, NULL, NULL), KP_INVALID_ARGUMENT);
  kp_report_free(report);
}

static void TestTargetsAndScores(kp_ledger* ledger) {
  char* targets = ReadFile(KEYPROJ_SOURCE_DIR "/examples/targets/1116.toml");
  char* scheme = ReadFile(KEYPROJ_SOURCE_DIR "/examples/scoring/county.toml");
  kp_report_request* request = NULL;
  kp_report* report = NULL;
  kp_buffer doc = {NULL, 0};
  CHECK(targets != NULL && scheme != NULL);
  if (targets == NULL || scheme == NULL) {
    free(targets);
    free(scheme);
    return;
  }
  CHECK_OK(kp_report_request_new(&request));
  CHECK_OK(kp_report_request_set_as_of(request, "2025-10-31"));
  CHECK_OK(kp_report_request_set_targets_toml(request, targets));
  CHECK_OK(kp_report_request_set_targets_group_by(request, "county"));
  CHECK_OK(kp_report_request_set_scheme_toml(request, scheme));
  CHECK_OK(kp_report_request_set_scores_group_by(request, "department"));
  CHECK_OK(kp_report_request_set_indicators(request, "projects,projects_over_1yi,started_late"));
  CHECK_OK(kp_report_make(ledger, request, &report));
  if (report != NULL) {
    CHECK_OK(kp_report_render_targets(report, KP_FORMAT_JSON, NULL, &doc));
    CHECK(doc.data != NULL && strstr(doc.data, "reserve") != NULL);
    kp_buffer_dispose(&doc);
    CHECK_OK(kp_report_render_targets(report, KP_FORMAT_TABLE, NULL, &doc));
    CHECK(doc.data != NULL && doc.size > 0);
    kp_buffer_dispose(&doc);
    CHECK_OK(kp_report_render_scores(report, KP_FORMAT_JSON, NULL, &doc));
    CHECK(doc.data != NULL && strstr(doc.data, "\"rank\": 1") != NULL);
    kp_buffer_dispose(&doc);
    CHECK_OK(kp_report_render_scores(report, KP_FORMAT_CSV, NULL, &doc));
    CHECK(doc.data != NULL && doc.size > 0);
    kp_buffer_dispose(&doc);
    CHECK_OK(kp_report_render_scores(report, KP_FORMAT_TABLE, NULL, &doc));
    CHECK(doc.data != NULL && doc.size > 0);
    kp_buffer_dispose(&doc);
    CHECK(kp_report_render_scores(report, KP_FORMAT_MARKDOWN, NULL, &doc) != KP_OK);
    CHECK(doc.data == NULL);
    {
      size_t cols = 0;
      const char* id = NULL;
      CHECK_OK(kp_report_column_count(report, 0, &cols));
      CHECK(cols == 3);
      CHECK_OK(kp_report_column_id(report, 0, 1, &id));
      CHECK(id != NULL && strcmp(id, "projects_over_1yi") == 0);
    }
    kp_report_free(report);
  }
  /* Targets and scores only: no tables. */
  CHECK_OK(kp_report_request_clear_groupings(request));
  report = NULL;
  CHECK_OK(kp_report_make(ledger, request, &report));
  {
    size_t tables = 9;
    CHECK_OK(kp_report_table_count(report, &tables));
    CHECK(tables == 0);
    CHECK_STATUS(kp_report_row_count(report, 0, &tables), KP_OUT_OF_RANGE);
  }
  kp_report_free(report);

  /* Bad TOML names the line. */
  CHECK_STATUS(kp_report_request_set_targets_toml(request, "name = \"x\"\n[targets\n"), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("targets");
  CHECK_ERROR_HAS("line");
  CHECK_STATUS(kp_report_request_set_scheme_toml(request, "name = 1\n[[rule]]\nindicator = \"nope\"\n"),
               KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("scheme");
  CHECK_OK(kp_report_request_set_targets_toml(request, NULL));
  CHECK_OK(kp_report_request_set_scheme_toml(request, NULL));
  kp_report_request_free(request);
  free(targets);
  free(scheme);
}

/* Every setter's error path: the status, and a message naming the bad value. */
/* The whole-scope value of one indicator at 2024-09-30 with one threshold set. */
static int64_t TotalWith(kp_ledger* ledger, const char* id, int32_t which, int64_t value) {
  kp_report_request* r = NULL;
  kp_report* report = NULL;
  size_t rows = 0;
  int64_t n = -1;
  int32_t applicable = 0;
  CHECK_OK(kp_report_request_new(&r));
  CHECK_OK(kp_report_request_set_as_of(r, "2024-09-30"));
  CHECK_OK(kp_report_request_add_grouping(r, ""));
  CHECK_OK(kp_report_request_set_indicators(r, id));
  CHECK_OK(kp_report_request_set_threshold(r, which, value));
  CHECK_OK(kp_report_make(ledger, r, &report));
  kp_report_request_free(r);
  if (report == NULL) return -1;
  CHECK_OK(kp_report_row_count(report, 0, &rows));
  CHECK_OK(kp_report_value_int64(report, 0, rows - 1, 0, 0, &n, &applicable));
  CHECK(applicable == 1);
  kp_report_free(report);
  return n;
}

/* The countdown thresholds reach the engine: a wider window counts more projects,
 * a longer wait since signing fewer (on the sample ledger both change). */
static void TestCountdownThresholds(kp_ledger* ledger) {
  const int64_t window_1 = TotalWith(ledger, "start_countdown", KP_THRESHOLD_COUNTDOWN_DAYS, 1);
  const int64_t window_30 = TotalWith(ledger, "start_countdown", KP_THRESHOLD_COUNTDOWN_DAYS, 30);
  const int64_t window_366 = TotalWith(ledger, "start_countdown", KP_THRESHOLD_COUNTDOWN_DAYS, 366);
  const int64_t signed_1 = TotalWith(ledger, "signed_not_started", KP_THRESHOLD_SIGNED_MONTHS, 1);
  const int64_t signed_6 = TotalWith(ledger, "signed_not_started", KP_THRESHOLD_SIGNED_MONTHS, 6);
  const int64_t signed_120 = TotalWith(ledger, "signed_not_started", KP_THRESHOLD_SIGNED_MONTHS, 120);
  CHECK(window_1 >= 0 && window_1 <= window_30 && window_30 < window_366);
  CHECK(signed_1 > signed_6 && signed_6 >= signed_120 && signed_120 >= 0);
}

static void TestSetterErrors(kp_ledger* ledger) {
  kp_report_request* r = NULL;
  kp_report* report = NULL;
  CHECK_OK(kp_report_request_new(&r));

  CHECK_STATUS(kp_report_request_set_as_of(r, "2024-13-45"), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("2024-13-45");
  CHECK_OK(kp_report_request_set_as_of(r, "2024-09-30"));
  CHECK_OK(kp_report_request_set_as_of(r, NULL));
  CHECK_STATUS(kp_report_request_set_as_of(r, "\xc3\x28"), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("UTF-8");

  CHECK_STATUS(kp_report_request_add_grouping(r, "category,nowhere"), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("nowhere");
  /* A huge bad value: the message keeps its head and tail, not every byte over again. */
  {
    const size_t n = 10u * 1000u * 1000u;
    char* huge = (char*)malloc(n + 1);
    CHECK(huge != NULL);
    memcpy(huge, "region=", 7);
    memset(huge + 7, 'x', n - 7);
    huge[n] = '\0';
    CHECK_STATUS(kp_report_request_set_filter(r, huge), KP_INVALID_ARGUMENT);
    CHECK(strlen(kp_last_error_message()) < 100u * 1000u);
    CHECK_ERROR_HAS("filter 'region=xxx");
    CHECK_ERROR_HAS("bytes left out");
    free(huge);
  }
  /* Checked at once, as the header promises, not only by kp_report_make. */
  CHECK_STATUS(kp_report_request_add_grouping(r, "county,county"), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("group by county at most once");
  CHECK_STATUS(kp_report_request_set_funnel(r, "leader,leader"), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("group by leader at most once");
  CHECK_STATUS(kp_report_request_set_targets_group_by(r, "planet"), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("planet");
  CHECK_STATUS(kp_report_request_set_scores_group_by(r, "galaxy"), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("galaxy");

  CHECK_STATUS(kp_report_request_set_indicators(r, "projects,start_ratio"), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("start_ratio");

  CHECK_STATUS(kp_report_request_set_filter(r, "region=6104,colour=red"), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("colour");
  CHECK_OK(kp_report_request_set_filter(r, "region=6103,category=industry|urban"));

  CHECK_STATUS(kp_report_request_set_schedule(r, "weekly"), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("weekly");
  CHECK_STATUS(kp_report_request_set_schedule(r, "curve:8,16,25,33,41,50,58,66,75,83,91,99"), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("curve:8,16");
  CHECK_STATUS(kp_report_request_set_schedule(r, "curve:8,16,x"), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("curve:8,16,x");
  CHECK_OK(kp_report_request_set_schedule(r, "curve:8,16,25,33,41,50,58,66,75,83,91,100"));
  CHECK_OK(kp_report_request_set_schedule(r, "days"));
  CHECK_OK(kp_report_request_set_schedule(r, "months"));

  CHECK_STATUS(kp_report_request_add_custom_indicator(r, "share_industry", "investment_ytd[category=industry] / ",
                                                      "产业投资占比", "rate"),
               KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("share_industry");
  CHECK_STATUS(kp_report_request_add_custom_indicator(r, "x", "projects", NULL, "furlongs"), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("furlongs");
  CHECK_OK(kp_report_request_add_custom_indicator(r, "share_industry",
                                                  "investment_ytd[category=industry] / investment_ytd",
                                                  "产业投资占比", "rate"));
  CHECK_STATUS(kp_report_request_add_custom_indicator(r, "share_industry", "projects", NULL, NULL),
               KP_INVALID_ARGUMENT);
  CHECK_OK(kp_report_request_set_indicators(r, "projects,share_industry"));

  CHECK_STATUS(kp_report_request_set_threshold(r, KP_THRESHOLD_STALLED_MONTHS, 0), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("stalled_months 0");
  CHECK_STATUS(kp_report_request_set_threshold(r, KP_THRESHOLD_DEADLINE_DAY, 32), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("deadline_day 32");
  CHECK_STATUS(kp_report_request_set_threshold(r, KP_THRESHOLD_STALLED_MONTHS, 25), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("stalled_months 25");
  CHECK_STATUS(kp_report_request_set_threshold(r, KP_THRESHOLD_STALLED_MONTHS, 5000000000LL), KP_INVALID_ARGUMENT);
  CHECK_STATUS(kp_report_request_set_threshold(r, KP_THRESHOLD_BEHIND_CENTIPOINTS, -1), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("behind_centipoints -1");
  CHECK_STATUS(kp_report_request_set_threshold(r, KP_THRESHOLD_THREADS, 5000), KP_INVALID_ARGUMENT);
  CHECK_STATUS(kp_report_request_set_threshold(r, 99, 1), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("which 99");
  CHECK_OK(kp_report_request_set_threshold(r, KP_THRESHOLD_STALLED_MONTHS, 6));
  CHECK_OK(kp_report_request_set_threshold(r, KP_THRESHOLD_DEADLINE_DAY, 25));
  CHECK_OK(kp_report_request_set_threshold(r, KP_THRESHOLD_BEHIND_CENTIPOINTS, 500));
  CHECK_OK(kp_report_request_set_threshold(r, KP_THRESHOLD_THREADS, 1));
  CHECK_STATUS(kp_report_request_set_threshold(r, KP_THRESHOLD_COUNTDOWN_DAYS, 0), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("countdown_days 0");
  CHECK_STATUS(kp_report_request_set_threshold(r, KP_THRESHOLD_COUNTDOWN_DAYS, 367), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("countdown_days 367");
  CHECK_STATUS(kp_report_request_set_threshold(r, KP_THRESHOLD_COUNTDOWN_DAYS, 5000000000LL), KP_INVALID_ARGUMENT);
  CHECK_STATUS(kp_report_request_set_threshold(r, KP_THRESHOLD_SIGNED_MONTHS, 0), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("signed_months 0");
  CHECK_STATUS(kp_report_request_set_threshold(r, KP_THRESHOLD_SIGNED_MONTHS, 121), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("signed_months 121");
  CHECK_STATUS(kp_report_request_set_threshold(r, 7, 1), KP_INVALID_ARGUMENT); /* no such threshold */
  CHECK_OK(kp_report_request_set_threshold(r, KP_THRESHOLD_COUNTDOWN_DAYS, 366));
  CHECK_OK(kp_report_request_set_threshold(r, KP_THRESHOLD_SIGNED_MONTHS, 120));

  CHECK_OK(kp_report_request_set_regions_from_csv(r, KEYPROJ_SOURCE_DIR "/examples/data/regions.csv"));
  CHECK_OK(kp_report_request_set_scope_name(r, "宝鸡市区"));
  CHECK_OK(kp_report_request_add_grouping(r, "county"));

  /* The request still works after the failed calls. */
  CHECK_OK(kp_report_make(ledger, r, &report));
  {
    kp_buffer doc = {NULL, 0};
    size_t rows = 0;
    const char* v = NULL;
    CHECK_OK(kp_report_row_count(report, 0, &rows));
    CHECK(rows >= 2);
    CHECK_OK(kp_report_value_text(report, 0, rows - 1, 1, &v));
    CHECK(v != NULL && strncmp(v, "0.", 2) == 0);
    CHECK_OK(kp_report_render(report, KP_FORMAT_TEXT, NULL, &doc));
    kp_buffer_dispose(&doc);
    CHECK_OK(kp_report_render(report, KP_FORMAT_MARKDOWN, NULL, &doc));
    CHECK(doc.data != NULL && strstr(doc.data, "产业投资占比") != NULL);
    kp_buffer_dispose(&doc);
  }
  kp_report_free(report);

  /* An as_of before any figures is an error of MakeReport, with its message. */
  CHECK_OK(kp_report_request_set_as_of(r, "1999-01-31"));
  report = (kp_report*)&g_passed;
  CHECK(kp_report_make(ledger, r, &report) == KP_OK || report == NULL);
  kp_report_free(report == (kp_report*)&g_passed ? NULL : report);
  kp_report_request_free(r);
}

/* NULL and foreign handles, NULL outputs: errors, never crashes. */
static void TestNullsAndForeign(kp_ledger* ledger) {
  /* A block of zeros and a handle of another kind both fail the tag check. */
  uint64_t zeros[16];
  kp_report_request* request = NULL;
  kp_report* report = NULL;
  size_t n = 7;
  const char* s = "x";
  kp_buffer doc = {NULL, 0};
  memset(zeros, 0, sizeof zeros);

  CHECK_STATUS(kp_ledger_project_count(NULL, &n), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("ledger");
  CHECK(n == 0);
  CHECK_STATUS(kp_ledger_project_count(ledger, NULL), KP_INVALID_ARGUMENT);
  CHECK_STATUS(kp_ledger_project_count((const kp_ledger*)zeros, &n), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("not a kp_ledger (freed or foreign)");
  CHECK_STATUS(kp_diagnostics_count(NULL, &n), KP_INVALID_ARGUMENT);
  CHECK_STATUS(kp_diagnostics_count((const kp_diagnostics*)ledger, &n), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("not a kp_diagnostics");
  CHECK_STATUS(kp_diagnostics_get(NULL, 0, NULL, NULL, NULL, NULL, NULL), KP_INVALID_ARGUMENT);
  CHECK_STATUS(kp_diagnostics_text(NULL, 0, &s), KP_INVALID_ARGUMENT);
  CHECK(s == NULL);

  CHECK_STATUS(kp_report_request_new(NULL), KP_INVALID_ARGUMENT);
  CHECK_STATUS(kp_report_request_set_as_of(NULL, "2024-09"), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("request");
  CHECK_STATUS(kp_report_request_set_as_of((kp_report_request*)ledger, "2024-09"), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("not a kp_report_request");
  CHECK_STATUS(kp_report_request_set_filter(NULL, ""), KP_INVALID_ARGUMENT);
  CHECK_STATUS(kp_report_request_add_grouping(NULL, ""), KP_INVALID_ARGUMENT);
  CHECK_STATUS(kp_report_request_clear_groupings(NULL), KP_INVALID_ARGUMENT);
  CHECK_STATUS(kp_report_request_set_indicators(NULL, ""), KP_INVALID_ARGUMENT);
  CHECK_STATUS(kp_report_request_add_custom_indicator(NULL, "a", "projects", NULL, NULL), KP_INVALID_ARGUMENT);
  CHECK_STATUS(kp_report_request_set_schedule(NULL, "days"), KP_INVALID_ARGUMENT);
  CHECK_STATUS(kp_report_request_set_targets_toml(NULL, ""), KP_INVALID_ARGUMENT);
  CHECK_STATUS(kp_report_request_set_targets_group_by(NULL, ""), KP_INVALID_ARGUMENT);
  CHECK_STATUS(kp_report_request_set_scheme_toml(NULL, ""), KP_INVALID_ARGUMENT);
  CHECK_STATUS(kp_report_request_set_scores_group_by(NULL, ""), KP_INVALID_ARGUMENT);
  CHECK_STATUS(kp_report_request_set_scope_name(NULL, ""), KP_INVALID_ARGUMENT);
  CHECK_STATUS(kp_report_request_set_threshold(NULL, 0, 3), KP_INVALID_ARGUMENT);
  CHECK_STATUS(kp_report_request_set_regions_from_csv(NULL, "x"), KP_INVALID_ARGUMENT);

  CHECK_OK(kp_report_request_new(&request));
  CHECK_STATUS(kp_report_request_add_grouping(request, NULL), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("dimensions");
  CHECK_STATUS(kp_report_request_add_custom_indicator(request, NULL, "projects", NULL, NULL), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("id");
  CHECK_STATUS(kp_report_request_add_custom_indicator(request, "a", NULL, NULL, NULL), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("expression");
  CHECK_STATUS(kp_report_request_set_regions_from_csv(request, NULL), KP_INVALID_ARGUMENT);
  /* A folder named for its region names must hold regions.csv: an empty set would
   * replace the ledger's names without a word. */
  CHECK_STATUS(kp_report_request_set_regions_from_csv(request, KEYPROJ_SOURCE_DIR "/tests/data/many_errors"),
               KP_NOT_FOUND);
  CHECK_ERROR_HAS("is a folder without regions.csv");

  CHECK_STATUS(kp_report_make(NULL, request, &report), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("ledger");
  CHECK(report == NULL);
  CHECK_STATUS(kp_report_make(ledger, NULL, &report), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("request");
  CHECK_STATUS(kp_report_make(ledger, request, NULL), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("out");
  CHECK_STATUS(kp_report_make((const kp_ledger*)request, request, &report), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("not a kp_ledger");
  CHECK_STATUS(kp_report_make(ledger, (const kp_report_request*)zeros, &report), KP_INVALID_ARGUMENT);

  CHECK_STATUS(kp_report_table_count(NULL, &n), KP_INVALID_ARGUMENT);
  CHECK_STATUS(kp_report_table_count((const kp_report*)request, &n), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("not a kp_report");
  CHECK_STATUS(kp_report_table_title(NULL, 0, &s), KP_INVALID_ARGUMENT);
  CHECK_STATUS(kp_report_row_count(NULL, 0, &n), KP_INVALID_ARGUMENT);
  CHECK_STATUS(kp_report_column_count(NULL, 0, &n), KP_INVALID_ARGUMENT);
  CHECK_STATUS(kp_report_column_id(NULL, 0, 0, &s), KP_INVALID_ARGUMENT);
  CHECK_STATUS(kp_report_column_unit(NULL, 0, 0, NULL), KP_INVALID_ARGUMENT);
  CHECK_STATUS(kp_report_group_dimension_count(NULL, 0, &n), KP_INVALID_ARGUMENT);
  CHECK_STATUS(kp_report_group_dimension(NULL, 0, 0, &s), KP_INVALID_ARGUMENT);
  CHECK_STATUS(kp_report_group_key(NULL, 0, 0, 0, &s), KP_INVALID_ARGUMENT);
  CHECK_STATUS(kp_report_value_text(NULL, 0, 0, 0, &s), KP_INVALID_ARGUMENT);
  CHECK_STATUS(kp_report_value_text(NULL, 0, 0, 0, NULL), KP_INVALID_ARGUMENT);
  CHECK_STATUS(kp_report_value_display(NULL, 0, 0, 0, 0, &s), KP_INVALID_ARGUMENT);
  {
    int64_t v = 0;
    int32_t a = 0;
    double d = 0;
    CHECK_STATUS(kp_report_value_int64(NULL, 0, 0, 0, 0, &v, &a), KP_INVALID_ARGUMENT);
    CHECK_STATUS(kp_report_value_double(NULL, 0, 0, 0, &d, &a), KP_INVALID_ARGUMENT);
  }
  CHECK_STATUS(kp_report_project_count(NULL, 0, 0, 0, &n), KP_INVALID_ARGUMENT);
  CHECK_STATUS(kp_report_project(NULL, 0, 0, 0, 0, &s, &s), KP_INVALID_ARGUMENT);
  CHECK_STATUS(kp_report_render(NULL, KP_FORMAT_JSON, NULL, &doc), KP_INVALID_ARGUMENT);
  CHECK(doc.data == NULL);
  CHECK_STATUS(kp_report_render((const kp_report*)zeros, KP_FORMAT_JSON, NULL, &doc), KP_INVALID_ARGUMENT);
  CHECK_STATUS(kp_report_write_xlsx(NULL, NULL, "x.xlsx"), KP_INVALID_ARGUMENT);
  CHECK_STATUS(kp_report_render_targets(NULL, KP_FORMAT_JSON, NULL, &doc), KP_INVALID_ARGUMENT);
  CHECK_STATUS(kp_report_render_scores(NULL, KP_FORMAT_JSON, NULL, &doc), KP_INVALID_ARGUMENT);

  /* free(NULL) and free of a foreign pointer do nothing. */
  kp_ledger_free(NULL);
  kp_diagnostics_free(NULL);
  kp_report_request_free(NULL);
  kp_report_free(NULL);
  kp_report_free((kp_report*)zeros);
  kp_ledger_free((kp_ledger*)request);
  kp_report_request_free(request);

  /* A success clears the last error. */
  CHECK_OK(kp_ledger_project_count(ledger, &n));
  CHECK(strcmp(kp_last_error_message(), "") == 0);
}

/* KP_THRESHOLD_LAND_START_DAYS: land_to_start_ytd (拿地即开工) counts a start at most
 * that many days after the project's land item was done. P1 started 30 days after,
 * P2 31 days after: 1 project at the default 30, 0 at 29, 2 at 31. */
static kp_ledger* LandLedger(void) {
  static const char* const codes[] = {"P1", "P2"};
  static const char* const names[] = {"项目一", "项目二"};
  static const char* const regions[] = {"610402", "610402"};
  static const char* const started[] = {"2024-04-20", "2024-05-02"};
  static const char* const items[] = {"land", "land"};
  static const char* const done[] = {"2024-03-21", "2024-04-01"};
  kp_column p[4] = {KP_COLUMN_INIT, KP_COLUMN_INIT, KP_COLUMN_INIT, KP_COLUMN_INIT};
  kp_column a[3] = {KP_COLUMN_INIT, KP_COLUMN_INIT, KP_COLUMN_INIT};
  kp_ledger_builder* b = NULL;
  kp_ledger* ledger = NULL;
  p[0].name = "code", p[0].type = KP_COLUMN_CSTR, p[0].values = codes;
  p[1].name = "name", p[1].type = KP_COLUMN_CSTR, p[1].values = names;
  p[2].name = "region", p[2].type = KP_COLUMN_CSTR, p[2].values = regions;
  p[3].name = "started_on", p[3].type = KP_COLUMN_CSTR, p[3].values = started;
  a[0].name = "code", a[0].type = KP_COLUMN_CSTR, a[0].values = codes;
  a[1].name = "item", a[1].type = KP_COLUMN_CSTR, a[1].values = items;
  a[2].name = "done_on", a[2].type = KP_COLUMN_CSTR, a[2].values = done;
  CHECK_OK(kp_ledger_builder_new(NULL, &b));
  CHECK_OK(kp_ledger_builder_add_columns(b, KP_TABLE_PROJECTS, 2, p, 4));
  CHECK_OK(kp_ledger_builder_add_columns(b, KP_TABLE_APPROVALS, 2, a, 3));
  CHECK_OK(kp_ledger_builder_finish(b, &ledger, NULL));
  kp_ledger_builder_free(b);
  return ledger;
}

/* land_to_start_ytd of the whole scope with the threshold set to `days` (< 0: the
 * default), or -1 when the report fails. */
static int64_t LandToStart(const kp_ledger* ledger, int64_t days) {
  kp_report_request* r = NULL;
  kp_report* report = NULL;
  size_t rows = 0;
  int64_t value = -1;
  int32_t applicable = 0;
  CHECK_OK(kp_report_request_new(&r));
  CHECK_OK(kp_report_request_set_as_of(r, "2024-09-30"));
  CHECK_OK(kp_report_request_add_grouping(r, ""));
  CHECK_OK(kp_report_request_set_indicators(r, "land_to_start_ytd"));
  if (days >= 0) CHECK_OK(kp_report_request_set_threshold(r, KP_THRESHOLD_LAND_START_DAYS, days));
  if (kp_report_make(ledger, r, &report) == KP_OK) {
    CHECK_OK(kp_report_row_count(report, 0, &rows));
    if (rows > 0) CHECK_OK(kp_report_value_int64(report, 0, rows - 1, 0, 0, &value, &applicable));
    CHECK(applicable);
  }
  kp_report_free(report);
  kp_report_request_free(r);
  return value;
}

static void TestLandStartDays(void) {
  kp_report_request* r = NULL;
  kp_ledger* ledger = LandLedger();
  CHECK(ledger != NULL);
  if (ledger == NULL) return;
  CHECK(LandToStart(ledger, -1) == 1);
  CHECK(LandToStart(ledger, 29) == 0);
  CHECK(LandToStart(ledger, 30) == 1);
  CHECK(LandToStart(ledger, 31) == 2);
  CHECK(LandToStart(ledger, 0) == 0);
  CHECK(LandToStart(ledger, 366) == 2);
  CHECK_OK(kp_report_request_new(&r));
  CHECK_STATUS(kp_report_request_set_threshold(r, KP_THRESHOLD_LAND_START_DAYS, 367), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("land_to_start_days 367");
  CHECK_STATUS(kp_report_request_set_threshold(r, KP_THRESHOLD_LAND_START_DAYS, -1), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("land_to_start_days -1");
  CHECK_STATUS(kp_report_request_set_threshold(r, KP_THRESHOLD_LAND_START_DAYS, 5000000000LL), KP_INVALID_ARGUMENT);
  kp_report_request_free(r);
  kp_ledger_free(ledger);
}

/* The problem list (0.4): tests/data/problem_list at 2024-09-30 reads as the CLI's
 * golden text (its figures counted by hand in the folder's README). */
static void TestProblems(void) {
  kp_ledger* ledger = NULL;
  kp_report_request* r = NULL;
  kp_buffer buf = {NULL, 0};
  char* golden = ReadFile(KEYPROJ_SOURCE_DIR "/tests/golden/problem_list/by_owner.text.txt");
  CHECK(golden != NULL);
  CHECK_OK(kp_ledger_open_csv(KEYPROJ_SOURCE_DIR "/tests/data/problem_list", NULL, &ledger, NULL));
  CHECK_OK(kp_report_request_new(&r));
  CHECK_OK(kp_report_request_set_as_of(r, "2024-09-30"));
  CHECK_OK(kp_ledger_render_problems(ledger, r, NULL, 0, KP_FORMAT_TEXT, NULL, &buf));
  CHECK(golden != NULL && buf.data != NULL && strcmp(buf.data, golden) == 0);
  kp_buffer_dispose(&buf);
  CHECK_OK(kp_ledger_render_problems(ledger, r, "kind", 1, KP_FORMAT_JSON, NULL, &buf));
  CHECK(buf.data != NULL && strstr(buf.data, "\"group_by\": \"kind\", \"overdue_only\": true, \"total\": 5") != NULL);
  kp_buffer_dispose(&buf);
  /* The request's filter is the scope: P002 alone is in 610403 (Q3 open, Q4 overdue). */
  CHECK_OK(kp_report_request_set_filter(r, "region=610403"));
  CHECK_OK(kp_ledger_render_problems(ledger, r, "owner", 0, KP_FORMAT_JSON, NULL, &buf));
  CHECK(buf.data != NULL && strstr(buf.data, "\"total\": 2, \"overdue\": 1") != NULL);
  kp_buffer_dispose(&buf);
  /* Misuse: each a status and a message, *out emptied. */
  CHECK_STATUS(kp_ledger_render_problems(NULL, r, NULL, 0, KP_FORMAT_TEXT, NULL, &buf), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("ledger: NULL kp_ledger");
  CHECK(buf.data == NULL && buf.size == 0);
  CHECK_STATUS(kp_ledger_render_problems(ledger, r, "colour", 0, KP_FORMAT_TEXT, NULL, &buf), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("group_by 'colour'");
  CHECK_STATUS(kp_ledger_render_problems(ledger, r, NULL, 0, KP_FORMAT_XLSX, NULL, &buf), KP_INVALID_ARGUMENT);
  CHECK_STATUS(kp_ledger_render_problems(ledger, r, NULL, 0, 99, NULL, &buf), KP_INVALID_ARGUMENT);
  CHECK_STATUS(kp_ledger_render_problems(ledger, (const kp_report_request*)ledger, NULL, 0, KP_FORMAT_TEXT, NULL, &buf),
               KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("not a kp_report_request");
  CHECK_STATUS(kp_ledger_render_problems(ledger, r, NULL, 0, KP_FORMAT_TEXT, NULL, NULL), KP_INVALID_ARGUMENT);
  /* Without a request: the ledger's last month (it has none: an error naming as_of). */
  CHECK_STATUS(kp_ledger_render_problems(ledger, NULL, NULL, 0, KP_FORMAT_TEXT, NULL, &buf), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("as_of");
  kp_report_request_free(r);
  kp_ledger_free(ledger);
  free(golden);
}

/* Dossiers (kp_render_options version 2, dossier_by) on tests/data/dossier, whose
 * figures tests/dossier_test.cc works out by hand: a heading per leader in text and
 * Markdown, a sheet per leader in the workbook; a version-1 struct still renders the
 * plain report; a bad dimension and a format without dossiers are errors. */
static void TestDossiers(void) {
  kp_ledger* ledger = NULL;
  kp_diagnostics* problems = NULL;
  kp_report_request* request = NULL;
  kp_report* report = NULL;
  kp_buffer doc = {NULL, 0};
  kp_render_options options;
  char path[4096];
  FILE* f;

  CHECK_OK(kp_ledger_open_csv(KEYPROJ_SOURCE_DIR "/tests/data/dossier", NULL, &ledger, &problems));
  kp_diagnostics_free(problems);
  CHECK_OK(kp_report_request_new(&request));
  CHECK_OK(kp_report_request_set_as_of(request, "2024-05-31"));
  CHECK_OK(kp_report_make(ledger, request, &report));
  kp_report_request_free(request);

  CHECK_OK(kp_render_options_init(&options, KP_RENDER_OPTIONS_VERSION));
  CHECK(options.dossier_by == NULL);
  options.dossier_by = "leader";
  CHECK_OK(kp_report_render(report, KP_FORMAT_TEXT, &options, &doc));
  CHECK(doc.data != NULL && strstr(doc.data, "一、张三（包抓项目2个）\n张三同志包抓重点项目2个") != NULL);
  CHECK(strstr(doc.data, "（1）高新区电池项目：年度计划5000.00万元，累计完成800.00万元，完成率16.0%，序时进度41.7%") != NULL);
  CHECK(strstr(doc.data, "王五") == NULL);
  kp_buffer_dispose(&doc);
  CHECK_OK(kp_report_render(report, KP_FORMAT_MARKDOWN, &options, &doc));
  CHECK(doc.data != NULL && strstr(doc.data, "## 二、李四（包抓项目1个）") != NULL);
  kp_buffer_dispose(&doc);
  options.text_template = "{范围}{projects}个";
  options.dossier_by = "county";
  CHECK_OK(kp_report_render(report, KP_FORMAT_TEXT, &options, &doc));
  /* The folder's regions.csv names the county (the ledger kept it). */
  CHECK(doc.data != NULL && strstr(doc.data, "一、秦都区（项目2个）\n秦都区2个") != NULL);
  kp_buffer_dispose(&doc);
  options.text_template = NULL;
  options.dossier_by = "leader";
  sprintf(path, "%s/capi_dossiers.xlsx", g_scratch);
  remove(path);
  CHECK_OK(kp_report_write_xlsx(report, &options, path));
  f = fopen(path, "rb");
  CHECK(f != NULL);
  if (f != NULL) fclose(f);
  remove(path);

  CHECK_STATUS(kp_report_render(report, KP_FORMAT_JSON, &options, &doc), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("dossiers are written as text, md or xlsx");
  CHECK(doc.data == NULL);
  options.dossier_by = "boss";
  CHECK_STATUS(kp_report_render(report, KP_FORMAT_TEXT, &options, &doc), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("options.dossier_by");
  /* A version-1 struct has no dossier_by: whatever follows it is not read. */
  options.version = 1;
  CHECK_OK(kp_report_render(report, KP_FORMAT_TEXT, &options, &doc));
  CHECK(doc.data != NULL && strstr(doc.data, "包抓领导专报") == NULL);
  kp_buffer_dispose(&doc);
  /* Initialising a version-1 struct writes none of version 2's fields. */
  options.dossier_by = "untouched";
  CHECK_OK(kp_render_options_init(&options, 1));
  CHECK(options.version == 1 && strcmp(options.dossier_by, "untouched") == 0);

  kp_report_free(report);
  kp_ledger_free(ledger);
}

/* Whether the file at path holds the bytes `needle` (a zip names its members
 * uncompressed: "xl/charts/chart1.xml" in a workbook with a chart). */
static int FileHolds(const char* path, const char* needle) {
  FILE* f = fopen(path, "rb");
  char* data = NULL;
  long size = 0;
  size_t n = strlen(needle), i;
  int found = 0;
  if (f == NULL) return 0;
  if (fseek(f, 0, SEEK_END) == 0) size = ftell(f);
  rewind(f);
  if (size > 0) data = (char*)malloc((size_t)size);
  if (data != NULL && fread(data, 1, (size_t)size, f) == (size_t)size) {
    for (i = 0; i + n <= (size_t)size && !found; ++i) found = memcmp(data + i, needle, n) == 0;
  }
  free(data);
  fclose(f);
  return found;
}

/* 0.4: 小计 rows on and off (kp_report_request_set_subtotals), the workbook without
 * its chart sheet (kp_render_options.charts), the built-in templates by name. The
 * sample ledger's counties lie in three cities: with subtotals the county table
 * prints 宝鸡市小计; the rows read through the ABI are the counties either way. */
static void TestSubtotalsChartsTemplates(void) {
  kp_ledger* ledger = NULL;
  kp_report_request* request = NULL;
  kp_report* with = NULL;
  kp_report* without = NULL;
  kp_buffer doc = {NULL, 0};
  kp_render_options options;
  const char* text = NULL;
  size_t rows_with = 0, rows_without = 0;
  char path[4096];

  CHECK_OK(kp_ledger_open_csv(KEYPROJ_SOURCE_DIR "/examples/data", NULL, &ledger, NULL));
  CHECK_OK(kp_report_request_new(&request));
  CHECK_OK(kp_report_request_set_as_of(request, "2024-09-30"));
  CHECK_OK(kp_report_request_clear_groupings(request));
  CHECK_OK(kp_report_request_add_grouping(request, "county"));
  CHECK_OK(kp_report_request_set_indicators(request, "projects,start_rate"));
  CHECK_OK(kp_report_request_set_regions_from_csv(request, KEYPROJ_SOURCE_DIR "/examples/data/regions.csv"));
  CHECK_OK(kp_report_make(ledger, request, &with));
  CHECK_OK(kp_report_request_set_subtotals(request, 0));
  CHECK_OK(kp_report_make(ledger, request, &without));
  CHECK_STATUS(kp_report_request_set_subtotals(NULL, 0), KP_INVALID_ARGUMENT);
  kp_report_request_free(request);

  CHECK_OK(kp_report_row_count(with, 0, &rows_with));
  CHECK_OK(kp_report_row_count(without, 0, &rows_without));
  CHECK(rows_with == 25 && rows_without == 25); /* 24 counties and the whole scope */
  {
    int32_t overlap = -1;
    CHECK_OK(kp_report_table_groups_overlap(with, 0, &overlap));
    CHECK(overlap == 0); /* counties: each project in one */
    CHECK_STATUS(kp_report_table_groups_overlap(with, 5, &overlap), KP_OUT_OF_RANGE);
  }
  CHECK_OK(kp_report_render(with, KP_FORMAT_CSV, NULL, &doc));
  CHECK(doc.data != NULL && strstr(doc.data, "宝鸡市小计,524,70.6%") != NULL);
  kp_buffer_dispose(&doc);
  CHECK_OK(kp_report_render(without, KP_FORMAT_CSV, NULL, &doc));
  CHECK(doc.data != NULL && strstr(doc.data, "小计") == NULL);
  kp_buffer_dispose(&doc);

  /* charts: on by default (the sheet 图表), off on request. */
  CHECK_OK(kp_render_options_init(&options, KP_RENDER_OPTIONS_VERSION));
  CHECK(options.charts == 1);
  sprintf(path, "%s/capi_charts.xlsx", g_scratch);
  CHECK_OK(kp_report_write_xlsx(with, &options, path));
  CHECK(FileHolds(path, "xl/charts/chart1.xml"));
  options.charts = 0;
  CHECK_OK(kp_report_write_xlsx(with, &options, path));
  CHECK(FileHolds(path, "xl/worksheets/sheet1.xml") && !FileHolds(path, "xl/charts/chart1.xml"));
  remove(path);

  /* Built-in templates: the quarter bulletin names 前三季度 at 2024-09-30. */
  CHECK_OK(kp_template_text("quarter", &text));
  CHECK(text != NULL && strstr(text, "{报告期}") != NULL);
  CHECK_OK(kp_template_text("leader", &text));
  CHECK(text != NULL && strstr(text, "{项目清单") != NULL);
  CHECK_OK(kp_template_text("quarter", &text));
  options.text_template = text;
  CHECK_OK(kp_report_render(without, KP_FORMAT_TEXT, &options, &doc));
  CHECK(doc.data != NULL && strncmp(doc.data, "前三季度，", strlen("前三季度，")) == 0);
  kp_buffer_dispose(&doc);
  CHECK_STATUS(kp_template_text("weekly", &text), KP_NOT_FOUND);
  CHECK(text == NULL);
  CHECK_ERROR_HAS("monthly, quarter and leader");
  CHECK_STATUS(kp_template_text(NULL, &text), KP_INVALID_ARGUMENT);
  CHECK_STATUS(kp_template_text("monthly", NULL), KP_INVALID_ARGUMENT);

  kp_report_free(with);
  kp_report_free(without);
  kp_ledger_free(ledger);
}

/* 0.6: display places (kp_render_options.places, version 3) and 同比 against the
 * ledger's own figures (kp_report_request_set_baseline), as the CLI's --places and
 * --no-baseline. */
static void TestPlacesAndBaseline(void) {
  kp_ledger* ledger = NULL;
  kp_report_request* request = NULL;
  kp_report* with_bases = NULL;
  kp_report* without = NULL;
  kp_buffer doc = {NULL, 0};
  kp_render_options options;
  const char* a = NULL;
  const char* b = NULL;
  size_t rows = 0;

  CHECK_OK(kp_ledger_open_csv(KEYPROJ_SOURCE_DIR "/examples/data", NULL, &ledger, NULL));
  CHECK_OK(kp_report_request_new(&request));
  CHECK_OK(kp_report_request_set_as_of(request, "2024-09-30"));
  CHECK_OK(kp_report_request_clear_groupings(request));
  CHECK_OK(kp_report_request_add_grouping(request, ""));
  CHECK_OK(kp_report_request_set_indicators(request, "start_rate,yoy_growth"));
  CHECK_OK(kp_report_make(ledger, request, &with_bases));
  CHECK_OK(kp_report_request_set_baseline(request, 0));
  CHECK_OK(kp_report_make(ledger, request, &without));
  CHECK_STATUS(kp_report_request_set_baseline(NULL, 0), KP_INVALID_ARGUMENT);
  kp_report_request_free(request);
  /* The sample's 同比: 0.119785 against baseline.csv, 0.137418 against last year's rows. */
  CHECK_OK(kp_report_row_count(with_bases, 0, &rows));
  CHECK_OK(kp_report_value_text(with_bases, 0, rows - 1, 1, &a));
  CHECK_OK(kp_report_value_text(without, 0, rows - 1, 1, &b));
  CHECK(a != NULL && b != NULL && strcmp(a, "0.119785") == 0 && strcmp(b, "0.137418") == 0);

  CHECK_OK(kp_render_options_init(&options, KP_RENDER_OPTIONS_VERSION));
  CHECK(options.places == NULL);
  options.places = "start_rate=0, yoy_growth=2";
  CHECK_OK(kp_report_render(with_bases, KP_FORMAT_CSV, &options, &doc));
  CHECK(doc.data != NULL && strstr(doc.data, ",71%,11.98%") != NULL);
  kp_buffer_dispose(&doc);
  options.places = "start_ratx=0";
  CHECK_STATUS(kp_report_render(with_bases, KP_FORMAT_CSV, &options, &doc), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("options.places start_ratx=0: 'start_ratx' is no indicator of the report");
  options.places = "start_rate=9";
  CHECK_STATUS(kp_report_render(with_bases, KP_FORMAT_CSV, &options, &doc), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("N from 0 to 6");
  /* A version-2 struct ends before places: whatever follows it is not read. */
  options.version = 2;
  CHECK_OK(kp_report_render(with_bases, KP_FORMAT_CSV, &options, &doc));
  CHECK(doc.data != NULL && strstr(doc.data, ",71.0%,12.0%") != NULL);
  kp_buffer_dispose(&doc);
  options.places = "untouched";
  CHECK_OK(kp_render_options_init(&options, 2));
  CHECK(strcmp(options.places, "untouched") == 0 && options.charts == 1);

  kp_report_free(with_bases);
  kp_report_free(without);
  kp_ledger_free(ledger);
}

int main(int argc, char** argv) {
  kp_ledger* ledger;
  if (argc > 1) g_scratch = argv[1];
  TestVersions();
  TestBufferAndCatalogue();
  TestMenus();
  TestLoadOptions();
  TestManyErrors();
  ledger = OpenExamples();
  TestReportByCounty(ledger);
  TestLabelsAndScope(ledger);
  TestNotes(ledger);
  TestTargetsAndScores(ledger);
  TestSetterErrors(ledger);
  TestCountdownThresholds(ledger);
  TestNullsAndForeign(ledger);
  kp_ledger_free(ledger);
  TestRender();
  TestLandStartDays();
  TestProblems();
  TestDossiers();
  TestSubtotalsChartsTemplates();
  TestPlacesAndBaseline();
  return CheckSummary("capi");
}
