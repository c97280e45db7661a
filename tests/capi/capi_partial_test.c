/* Partials through the C ABI (kp_partial_make, kp_report_merge_partials, since 0.5):
 * two shards of a small ledger written here, merged, equal the whole ledger's report;
 * and every misuse a status, never a crash. Argument: a scratch folder. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keyproj.h"
#include "capi_check.h"

static const char* g_dir = ".";

static int WriteFile(const char* folder, const char* name, const char* text) {
  char path[4096];
  FILE* f;
  snprintf(path, sizeof path, "%s/%s/%s", g_dir, folder, name);
  f = fopen(path, "wb");
  if (f == NULL) return 0;
  fputs(text, f);
  return fclose(f) == 0;
}

static const char* const kProjects[] = {
    "A1,甲项目,610402,industry,12000,2024-01-10,,\n",
    "A2,乙项目,610402,industry,500,2024-01-10,2024-06-01,张三\n",
    "A3,丙项目,610403,urban,800,2024-01-10,,李四\n",
};
static const char* const kMonthly[] = {
    "A1,2024-08,100,2024-09-10\nA1,2024-09,100,2024-10-25\n",
    "A2,2024-05,100,2024-06-10\n",
    "A3,2024-05,100,2024-06-10\nA3,2024-09,0,2024-10-10\n",
};

/* A ledger folder `folder` (made by the test's CMake) of the projects whose bit is set. */
static kp_ledger* Ledger(const char* folder, unsigned which) {
  char projects[1024] = "code,name,region,category,total_investment,started_on,suspended_on,leader\n";
  char monthly[1024] = "code,month,investment,reported_on\n";
  char dir[4096];
  kp_ledger* ledger = NULL;
  size_t i;
  for (i = 0; i < 3; ++i) {
    if (!(which >> i & 1u)) continue;
    strcat(projects, kProjects[i]);
    strcat(monthly, kMonthly[i]);
  }
  CHECK(WriteFile(folder, "projects.csv", projects));
  CHECK(WriteFile(folder, "monthly.csv", monthly));
  snprintf(dir, sizeof dir, "%s/%s", g_dir, folder);
  CHECK_OK(kp_ledger_open_csv(dir, NULL, &ledger, NULL));
  return ledger;
}

static kp_report_request* Request(void) {
  kp_report_request* request = NULL;
  CHECK_OK(kp_report_request_new(&request));
  CHECK_OK(kp_report_request_set_as_of(request, "2024-09-30"));
  CHECK_OK(kp_report_request_clear_groupings(request));
  CHECK_OK(kp_report_request_add_grouping(request, "county"));
  CHECK_OK(kp_report_request_add_grouping(request, "leader"));
  CHECK_OK(kp_report_request_set_indicators(request, "projects,start_rate,investment_ytd,late_reports,stalled"));
  return request;
}

static void TestMergeEqualsWhole(void) {
  kp_ledger* whole = Ledger("whole", 7u);
  kp_ledger* north = Ledger("north", 5u); /* A1, A3 */
  kp_ledger* south = Ledger("south", 2u); /* A2 */
  kp_report_request* request = Request();
  kp_buffer a = {NULL, 0}, b = {NULL, 0}, expected = {NULL, 0}, got = {NULL, 0};
  kp_report *report = NULL, *merged = NULL;
  kp_partial_input inputs[2];
  kp_render_options options = KP_RENDER_OPTIONS_INIT;
  size_t tables = 0, rows = 0, cols = 0, t, r, c;
  CHECK_OK(kp_partial_make(north, request, &a));
  CHECK_OK(kp_partial_make(south, request, &b));
  CHECK(a.data != NULL && a.size > 0 && strncmp(a.data, "keyproj-partial\t2\n", 18) == 0);
  CHECK_OK(kp_report_make(whole, request, &report));
  /* South first: the merge is in any order. */
  inputs[0].name = "south.kpp";
  inputs[0].data = b.data;
  inputs[0].size = b.size;
  inputs[1].name = "north.kpp";
  inputs[1].data = a.data;
  inputs[1].size = a.size;
  CHECK_OK(kp_report_merge_partials(inputs, 2, &merged));
  if (report != NULL && merged != NULL) {
    CHECK_OK(kp_report_table_count(merged, &tables));
    CHECK(tables == 2);
    for (t = 0; t < tables; ++t) {
      CHECK_OK(kp_report_row_count(merged, t, &rows));
      CHECK_OK(kp_report_column_count(merged, t, &cols));
      for (r = 0; r < rows; ++r) {
        for (c = 0; c < cols; ++c) {
          const char *x = NULL, *y = NULL;
          CHECK_OK(kp_report_value_text(report, t, r, c, &x));
          CHECK_OK(kp_report_value_text(merged, t, r, c, &y));
          CHECK((x == NULL) == (y == NULL));
          if (x != NULL && y != NULL) CHECK(strcmp(x, y) == 0);
        }
      }
    }
    /* The whole documents: the whole ledger's project order is code order here. */
    CHECK_OK(kp_report_render(report, KP_FORMAT_JSON, NULL, &expected));
    CHECK_OK(kp_report_render(merged, KP_FORMAT_JSON, NULL, &got));
    CHECK(expected.size == got.size && expected.data != NULL && got.data != NULL &&
          memcmp(expected.data, got.data, got.size) == 0);
    kp_buffer_dispose(&got);
    /* What reads the whole ledger is refused on a merged report. */
    CHECK_STATUS(kp_report_render(merged, KP_FORMAT_TEXT, NULL, &got), KP_INVALID_ARGUMENT);
    CHECK_ERROR_HAS("whole ledger");
    CHECK(got.data == NULL && got.size == 0);
    CHECK_STATUS(kp_report_write_xlsx(merged, &options, "/nonexistent/x.xlsx"), KP_INVALID_ARGUMENT);
    CHECK_ERROR_HAS("charts");
  }
  /* A tree: north and south combined into one partial merge to the same report. */
  if (report != NULL) {
    kp_buffer ab = {NULL, 0};
    kp_partial_input one;
    kp_report* tree = NULL;
    CHECK_OK(kp_partial_combine(inputs, 2, &ab));
    one.name = "ab.kpp";
    one.data = ab.data;
    one.size = ab.size;
    CHECK_OK(kp_report_merge_partials(&one, 1, &tree));
    CHECK_OK(kp_report_render(tree, KP_FORMAT_JSON, NULL, &got));
    CHECK(expected.size == got.size && got.data != NULL && memcmp(expected.data, got.data, got.size) == 0);
    kp_buffer_dispose(&got);
    kp_buffer_dispose(&ab);
    CHECK_STATUS(kp_partial_combine(NULL, 2, &ab), KP_INVALID_ARGUMENT);
    CHECK(ab.data == NULL && ab.size == 0);
    CHECK_STATUS(kp_partial_combine(inputs, 0, &ab), KP_INVALID_ARGUMENT);
    CHECK_STATUS(kp_partial_combine(inputs, 2, NULL), KP_INVALID_ARGUMENT);
    kp_report_free(tree);
  }
  /* The same shard twice overlaps; its name and a shared code are said. */
  inputs[1] = inputs[0];
  inputs[1].name = "again.kpp";
  kp_report_free(merged);
  merged = NULL;
  CHECK_STATUS(kp_report_merge_partials(inputs, 2, &merged), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("overlap");
  CHECK_ERROR_HAS("again.kpp");
  CHECK_ERROR_HAS("A2");
  CHECK(merged == NULL);
  /* A cut file, named by default when the name is NULL: the bytes are damaged, as a
   * cut snapshot's are (KP_DATA_LOSS), not partials that do not go together. */
  inputs[0].name = NULL;
  inputs[0].size = b.size / 2;
  CHECK_STATUS(kp_report_merge_partials(inputs, 1, &merged), KP_DATA_LOSS);
  CHECK_ERROR_HAS("partial 1");
  kp_buffer_dispose(&a);
  kp_buffer_dispose(&b);
  kp_buffer_dispose(&expected);
  kp_report_free(report);
  kp_report_request_free(request);
  kp_ledger_free(whole);
  kp_ledger_free(north);
  kp_ledger_free(south);
}

static void TestMisuse(void) {
  kp_ledger* ledger = Ledger("misuse", 1u);
  kp_report_request* request = Request();
  kp_buffer out = {NULL, 0};
  kp_report* report = NULL;
  kp_partial_input input;
  CHECK_STATUS(kp_partial_make(NULL, request, &out), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("ledger");
  CHECK_STATUS(kp_partial_make(ledger, NULL, &out), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("request");
  CHECK_STATUS(kp_partial_make(ledger, request, NULL), KP_INVALID_ARGUMENT);
  CHECK_STATUS(kp_partial_make((const kp_ledger*)request, request, &out), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("not a kp_ledger");
  CHECK(out.data == NULL && out.size == 0);
  /* A filter by project code cannot be split into shards. */
  CHECK_OK(kp_report_request_set_filter(request, "code=A1"));
  CHECK_STATUS(kp_partial_make(ledger, request, &out), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("project code");
  CHECK_STATUS(kp_report_merge_partials(NULL, 1, &report), KP_INVALID_ARGUMENT);
  input.name = "x.kpp";
  input.data = NULL;
  input.size = 10;
  CHECK_STATUS(kp_report_merge_partials(&input, 1, &report), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("NULL data");
  CHECK_STATUS(kp_report_merge_partials(&input, 0, &report), KP_INVALID_ARGUMENT);
  CHECK_STATUS(kp_report_merge_partials(&input, 1, NULL), KP_INVALID_ARGUMENT);
  input.data = "code,name\nA1,x\n";
  input.size = strlen(input.data);
  CHECK_STATUS(kp_report_merge_partials(&input, 1, &report), KP_DATA_LOSS);
  CHECK_ERROR_HAS("x.kpp: not a keyproj partial");
  input.data = "";
  input.size = 0;
  CHECK_STATUS(kp_report_merge_partials(&input, 1, &report), KP_DATA_LOSS);
  input.name = "\xff";
  CHECK_STATUS(kp_report_merge_partials(&input, 1, &report), KP_INVALID_ARGUMENT);
  CHECK(report == NULL);
  kp_report_request_free(request);
  kp_ledger_free(ledger);
}

int main(int argc, char** argv) {
  if (argc > 1) g_dir = argv[1];
  TestMergeEqualsWhole();
  TestMisuse();
  return CheckSummary("capi.partial");
}
