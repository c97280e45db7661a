/* List notes (kp_report_project_note) and the 招商 funnel (kp_report_request_set_funnel)
 * through the C ABI, since 0.3: on small ledgers written here and checked by hand; and
 * every misuse a status, never a crash. Argument: a scratch folder. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keyproj.h"
#include "capi_check.h"

static const char* g_dir = ".";

static int WriteFile(const char* name, const char* text) {
  char path[4096];
  FILE* f;
  snprintf(path, sizeof path, "%s/%s", g_dir, name);
  f = fopen(path, "wb");
  if (f == NULL) return 0;
  fputs(text, f);
  return fclose(f) == 0;
}

/* A1 started 2024-01-10, 12000万, no leader, September filed 10-25 (late: deadline
 * the 20th). A2 suspended 06-01. A3 started 2024-01-10, invested only in May: June to
 * September without investment (4 months, stalled by the default 3). */
static kp_ledger* SmallLedger(void) {
  kp_ledger* ledger = NULL;
  CHECK(WriteFile("projects.csv",
                  "code,name,region,category,total_investment,started_on,suspended_on,leader\n"
                  "A1,甲项目,610402,industry,12000,2024-01-10,,\n"
                  "A2,乙项目,610402,industry,500,2024-01-10,2024-06-01,张三\n"
                  "A3,丙项目,610403,industry,800,2024-01-10,,李四\n"));
  CHECK(WriteFile("monthly.csv",
                  "code,month,investment,reported_on\n"
                  "A1,2024-08,100,2024-09-10\n"
                  "A1,2024-09,100,2024-10-25\n"
                  "A2,2024-05,100,2024-06-10\n"
                  "A3,2024-05,100,2024-06-10\n"
                  "A3,2024-09,0,2024-10-10\n"));
  CHECK_OK(kp_ledger_open_csv(g_dir, NULL, &ledger, NULL));
  return ledger;
}

static kp_report* MakeReport(kp_ledger* ledger, const char* indicators) {
  kp_report_request* request = NULL;
  kp_report* report = NULL;
  CHECK_OK(kp_report_request_new(&request));
  CHECK_OK(kp_report_request_set_as_of(request, "2024-09-30"));
  CHECK_OK(kp_report_request_clear_groupings(request));
  CHECK_OK(kp_report_request_add_grouping(request, ""));
  CHECK_OK(kp_report_request_set_indicators(request, indicators));
  CHECK_OK(kp_report_make(ledger, request, &report));
  kp_report_request_free(request);
  return report;
}

/* The note of project `index` of column `col` of the whole-scope row (row 0: the
 * report has no grouping). */
static void CheckNote(const kp_report* report, size_t col, size_t index, const char* code, const char* key,
                      const char* label, int32_t has_number, int64_t number, const char* text) {
  const char *c = NULL, *n = NULL, *k = NULL, *l = NULL, *t = NULL;
  int32_t has = -1;
  int64_t num = -1;
  CHECK_OK(kp_report_project(report, 0, 0, col, index, &c, &n));
  CHECK(c != NULL && strcmp(c, code) == 0);
  CHECK_OK(kp_report_project_note(report, 0, 0, col, index, &k, &l, &has, &num, &t));
  CHECK(k != NULL && strcmp(k, key) == 0);
  CHECK(l != NULL && strcmp(l, label) == 0);
  CHECK(has == has_number);
  CHECK(num == number);
  CHECK(t != NULL && strcmp(t, text) == 0);
  if (t != NULL && strcmp(t, text) != 0) fprintf(stderr, "  note text: %s\n", t);
}

static void TestNotes(kp_ledger* ledger) {
  kp_report* report = MakeReport(ledger, "late_reports,stalled,unassigned_leader,projects");
  size_t count = 0;
  if (report == NULL) return;
  /* late_reports: A1 filed 10-25. */
  CHECK_OK(kp_report_project_count(report, 0, 0, 0, &count));
  CHECK(count == 1);
  CheckNote(report, 0, 0, "A1", "reported_on", "报送日期", 0, 0, "2024-10-25");
  /* stalled: A2 suspended, A3 four months without investment (Jun..Sep). */
  CHECK_OK(kp_report_project_count(report, 0, 0, 1, &count));
  CHECK(count == 2);
  CheckNote(report, 1, 0, "A2", "suspended_on", "停滞情况", 0, 0, "停建 2024-06-01");
  CheckNote(report, 1, 1, "A3", "months_without_investment", "停滞情况", 1, 4, "4个月");
  /* unassigned_leader: A1, 12000万 = 1.2 * 10^10 分. */
  CheckNote(report, 2, 0, "A1", "total_investment_fen", "总投资", 1, INT64_C(12000000000), "12000.00万元");
  /* Outputs may be NULL. */
  CHECK_OK(kp_report_project_note(report, 0, 0, 1, 1, NULL, NULL, NULL, NULL, NULL));
  /* Misuse: every output cleared, a status, no crash. */
  {
    const char *k = "x", *l = "x", *t = "x";
    int32_t has = 7;
    int64_t num = 7;
    CHECK_STATUS(kp_report_project_note(NULL, 0, 0, 0, 0, &k, &l, &has, &num, &t), KP_INVALID_ARGUMENT);
    CHECK(k == NULL && l == NULL && has == 0 && num == 0 && t == NULL);
    CHECK_STATUS(kp_report_project_note((const kp_report*)ledger, 0, 0, 0, 0, &k, NULL, NULL, NULL, NULL),
                 KP_INVALID_ARGUMENT);
    CHECK_STATUS(kp_report_project_note(report, 1, 0, 0, 0, &k, NULL, NULL, NULL, NULL), KP_OUT_OF_RANGE);
    CHECK_ERROR_HAS("table 1 out of range");
    CHECK_STATUS(kp_report_project_note(report, 0, 1, 0, 0, &k, NULL, NULL, NULL, NULL), KP_OUT_OF_RANGE);
    CHECK_STATUS(kp_report_project_note(report, 0, 0, 4, 0, &k, NULL, NULL, NULL, NULL), KP_OUT_OF_RANGE);
    CHECK_STATUS(kp_report_project_note(report, 0, 0, 0, 1, &k, NULL, NULL, NULL, NULL), KP_OUT_OF_RANGE);
    CHECK_ERROR_HAS("project 1 out of range (count 1)");
    /* projects lists none: no project 0 to ask about. */
    CHECK_STATUS(kp_report_project_note(report, 0, 0, 3, 0, &k, NULL, NULL, NULL, NULL), KP_OUT_OF_RANGE);
    CHECK(k == NULL);
  }
  /* The JSON gives the same notes by key. */
  {
    kp_buffer json = {NULL, 0};
    CHECK_OK(kp_report_render(report, KP_FORMAT_JSON, NULL, &json));
    CHECK(json.data != NULL && strstr(json.data, "\"reported_on\": \"2024-10-25\"") != NULL);
    CHECK(json.data != NULL && strstr(json.data, "\"months_without_investment\": 4") != NULL);
    CHECK(json.data != NULL && strstr(json.data, "\"total_investment_fen\": 12000000000") != NULL);
    kp_buffer_dispose(&json);
  }
  kp_report_free(report);
}

/* The 招商 funnel (kp_report_request_set_funnel): the report's last table. The ledger
 * of tests/funnel_test.cc, checked by hand there: 610402 intended 4, signed 3 (75%),
 * started 2 (2/3), completed 1 (1/2), operating 1 (1/1); 610403 intended 1, signed 0
 * (0%), then not applicable over zero; the whole scope 5, 3 (60%), 2, 1, 1. */
static const char kFunnelProjects[] =
    "code,name,region,category,attracted,intended_on,signed_on,started_on,completed_on,operating_on,cancelled_on\n"
    "F1,项目F1,610402,industry,1,2024-01-05,2024-02-01,2024-03-01,2024-08-01,2024-09-01,\n"
    "F2,项目F2,610402,industry,1,2024-02-01,2024-03-01,2024-05-01,,,\n"
    "F3,项目F3,610402,industry,1,2024-03-01,,,,,\n"
    "F4,项目F4,610402,industry,1,,2024-04-01,,,,\n"
    "F5,项目F5,610402,industry,1,2024-10-05,,,,,\n"
    "G1,项目G1,610403,industry,1,2024-05-01,,,,,\n"
    "G2,项目G2,610403,industry,0,,,2024-02-01,,,\n"
    "G3,项目G3,610403,industry,1,2024-01-01,,,,,2024-06-01\n";

static void CheckCell(const kp_report* report, size_t table, size_t row, const char* id, const char* text) {
  size_t cols = 0, c;
  CHECK_OK(kp_report_column_count(report, table, &cols));
  for (c = 0; c < cols; ++c) {
    const char* cid = NULL;
    CHECK_OK(kp_report_column_id(report, table, c, &cid));
    if (cid != NULL && strcmp(cid, id) == 0) {
      const char* v = (const char*)1;
      CHECK_OK(kp_report_value_text(report, table, row, c, &v));
      if (text == NULL) {
        CHECK(v == NULL);
      } else {
        CHECK(v != NULL && strcmp(v, text) == 0);
      }
      return;
    }
  }
  CHECK(!"column not found");
}

static void TestFunnel(void) {
  kp_ledger* ledger = NULL;
  kp_report_request* request = NULL;
  kp_report* report = NULL;
  size_t tables = 0, rows = 0;
  const char* s = NULL;
  CHECK(WriteFile("projects.csv", kFunnelProjects));
  CHECK(WriteFile("monthly.csv", "code,month,investment\n"));
  CHECK_OK(kp_ledger_open_csv(g_dir, NULL, &ledger, NULL));
  if (ledger == NULL) return;
  CHECK_OK(kp_report_request_new(&request));
  CHECK_OK(kp_report_request_set_as_of(request, "2024-09-30"));
  CHECK_OK(kp_report_request_add_grouping(request, ""));
  CHECK_OK(kp_report_request_set_indicators(request, "projects"));
  /* NULL: none (the default); a bad dimension is refused and changes nothing. */
  CHECK_OK(kp_report_request_set_funnel(request, NULL));
  CHECK_STATUS(kp_report_request_set_funnel(request, "nowhere"), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("funnel 'nowhere'");
  CHECK_STATUS(kp_report_request_set_funnel(NULL, ""), KP_INVALID_ARGUMENT);
  CHECK_STATUS(kp_report_request_set_funnel((kp_report_request*)ledger, ""), KP_INVALID_ARGUMENT);
  CHECK_STATUS(kp_report_request_set_funnel(request, "\xff"), KP_INVALID_ARGUMENT);
  CHECK_OK(kp_report_make(ledger, request, &report));
  CHECK_OK(kp_report_table_count(report, &tables));
  CHECK(tables == 1);
  kp_report_free(report);
  report = NULL;

  /* By county: one more table, the last. */
  CHECK_OK(kp_report_request_set_funnel(request, "county"));
  CHECK_OK(kp_report_make(ledger, request, &report));
  kp_report_request_free(request);
  if (report == NULL) {
    kp_ledger_free(ledger);
    return;
  }
  CHECK_OK(kp_report_table_count(report, &tables));
  CHECK(tables == 2);
  CHECK_OK(kp_report_table_title(report, 1, &s));
  CHECK(s != NULL && strcmp(s, "招商引资项目推进情况") == 0);
  CHECK_OK(kp_report_row_count(report, 1, &rows));
  CHECK(rows == 3);
  CHECK_OK(kp_report_group_key(report, 1, 0, 0, &s));
  CHECK(s != NULL && strcmp(s, "610402") == 0);
  CheckCell(report, 1, 0, "intended", "4");
  CheckCell(report, 1, 0, "signed", "3");
  CheckCell(report, 1, 0, "funnel_signed_rate", "0.750000");
  CheckCell(report, 1, 0, "funnel_started_rate", "0.666667");
  CheckCell(report, 1, 0, "funnel_completed_rate", "0.500000");
  CheckCell(report, 1, 0, "funnel_operating_rate", "1.000000");
  CheckCell(report, 1, 1, "intended", "1");
  CheckCell(report, 1, 1, "funnel_signed_rate", "0.000000");
  CheckCell(report, 1, 1, "funnel_started_rate", NULL); /* 0 over 0 */
  CheckCell(report, 1, 2, "intended", "5");
  CheckCell(report, 1, 2, "funnel_signed_rate", "0.600000");
  CheckCell(report, 1, 2, "operating", "1");
  {
    const char* label = NULL;
    int32_t unit = -1;
    CHECK_OK(kp_report_column_label(report, 1, 2, KP_MONEY_WAN, &label));
    CHECK(label != NULL && strcmp(label, "签约转化率（%）") == 0);
    CHECK_OK(kp_report_column_unit(report, 1, 2, &unit));
    CHECK(unit == KP_UNIT_RATE);
  }
  /* Past the funnel: out of range, naming the count. */
  CHECK_STATUS(kp_report_row_count(report, 2, &rows), KP_OUT_OF_RANGE);
  CHECK_ERROR_HAS("table 2 out of range (count 2)");
  /* The documents carry it too. */
  {
    kp_buffer doc = {NULL, 0};
    CHECK_OK(kp_report_render(report, KP_FORMAT_JSON, NULL, &doc));
    CHECK(doc.data != NULL && strstr(doc.data, "\"funnel\": {") != NULL);
    kp_buffer_dispose(&doc);
    CHECK_OK(kp_report_render(report, KP_FORMAT_TEXT, NULL, &doc));
    CHECK(doc.data != NULL && strstr(doc.data, "意向项目5个，签约3个（转化率60.0%）") != NULL);
    kp_buffer_dispose(&doc);
  }
  kp_report_free(report);
  kp_ledger_free(ledger);
}

/* Group by tag through the C ABI (the dimension id is parsed from the string): B1 has
 * two tags and is late (filed 10-25), B2 one tag, B3 none. By hand, as of 2024-09-30
 * (万元): （未填） B3: 1 project, 30.50; 支柱性产业 B1: 1, 100.00, late B1; 新动能 B1 B2:
 * 2, 150.00, late B1; the whole scope 3, 180.50, late B1 once. */
static void TestTags(void) {
  kp_ledger* ledger = NULL;
  kp_report_request* request = NULL;
  kp_report* report = NULL;
  size_t rows = 0, count = 0;
  const char *s = NULL, *code = NULL, *name = NULL;
  CHECK(WriteFile("projects.csv",
                  "code,name,region,category,started_on,tags\n"
                  "B1,甲项目,610402,industry,2024-01-10,新动能;支柱性产业\n"
                  "B2,乙项目,610402,industry,2024-01-10,新动能\n"
                  "B3,丙项目,610403,urban,2024-01-10,\n"));
  CHECK(WriteFile("monthly.csv",
                  "code,month,investment,reported_on\n"
                  "B1,2024-09,100,2024-10-25\n"
                  "B2,2024-09,50,2024-10-10\n"
                  "B3,2024-09,30.5,2024-10-10\n"));
  CHECK_OK(kp_ledger_open_csv(g_dir, NULL, &ledger, NULL));
  if (ledger == NULL) return;
  CHECK_OK(kp_report_request_new(&request));
  CHECK_OK(kp_report_request_set_as_of(request, "2024-09-30"));
  CHECK_OK(kp_report_request_clear_groupings(request));
  CHECK_OK(kp_report_request_add_grouping(request, "tag"));
  CHECK_OK(kp_report_request_set_indicators(request, "projects,investment_ytd,late_reports"));
  CHECK_OK(kp_report_make(ledger, request, &report));
  kp_report_request_free(request);
  if (report == NULL) {
    kp_ledger_free(ledger);
    return;
  }
  CHECK_OK(kp_report_row_count(report, 0, &rows));
  CHECK(rows == 4);
  CHECK_OK(kp_report_group_dimension(report, 0, 0, &s));
  CHECK(s != NULL && strcmp(s, "tag") == 0);
  CHECK_OK(kp_report_group_label(report, 0, 0, 0, &s));
  CHECK(s != NULL && strcmp(s, "（未填）") == 0);
  CHECK_OK(kp_report_group_key(report, 0, 2, 0, &s));
  CHECK(s != NULL && strcmp(s, "新动能") == 0);
  CheckCell(report, 0, 0, "investment_ytd", "30.50");
  CheckCell(report, 0, 1, "projects", "1");
  CheckCell(report, 0, 1, "investment_ytd", "100.00");
  CheckCell(report, 0, 2, "projects", "2");
  CheckCell(report, 0, 2, "investment_ytd", "150.00");
  CheckCell(report, 0, 3, "projects", "3");
  CheckCell(report, 0, 3, "investment_ytd", "180.50");
  CheckCell(report, 0, 3, "late_reports", "1");
  /* The late project is listed in both its tags' rows and once in the whole. */
  CHECK_OK(kp_report_project_count(report, 0, 0, 2, &count));
  CHECK(count == 0);
  CHECK_OK(kp_report_project_count(report, 0, 1, 2, &count));
  CHECK(count == 1);
  CHECK_OK(kp_report_project(report, 0, 2, 2, 0, &code, &name));
  CHECK(code != NULL && strcmp(code, "B1") == 0);
  CHECK_OK(kp_report_project_count(report, 0, 3, 2, &count));
  CHECK(count == 1);
  {
    kp_buffer doc = {NULL, 0};
    CHECK_OK(kp_report_render(report, KP_FORMAT_JSON, NULL, &doc));
    CHECK(doc.data != NULL && strstr(doc.data, "\"groups_overlap\": true") != NULL);
    kp_buffer_dispose(&doc);
    CHECK_OK(kp_report_render(report, KP_FORMAT_TABLE, NULL, &doc));
    CHECK(doc.data != NULL && strstr(doc.data, "新动能 · 未按时报送（1个项目）") != NULL);
    CHECK(doc.data != NULL && strstr(doc.data, "注：项目可有多个标签") != NULL);
    kp_buffer_dispose(&doc);
  }
  kp_report_free(report);
  kp_ledger_free(ledger);
}

int main(int argc, char** argv) {
  kp_ledger* ledger;
  if (argc > 1) g_dir = argv[1];
  ledger = SmallLedger();
  if (ledger != NULL) {
    TestNotes(ledger);
  }
  kp_ledger_free(ledger);
  TestFunnel();
  TestTags();
  return CheckSummary("capi_notes");
}
