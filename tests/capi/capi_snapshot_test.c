/* Snapshots through the C ABI (0.5, KP_1.4): kp_ledger_open takes a folder or a
 * snapshot, kp_ledger_pack writes one; the report from the snapshot equals the one
 * from the folder, region names included; every misuse and every bad file is a
 * status naming it, never a crash. Argument: a scratch folder. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keyproj.h"
#include "capi_check.h"

static char g_path[4096];

static const char* Scratch(const char* dir, const char* name) {
  snprintf(g_path, sizeof g_path, "%s/%s", dir, name);
  return g_path;
}

/* The table of a report grouped by county (where region names show). */
static char* CountyJson(const kp_ledger* ledger) {
  kp_report_request* request = NULL;
  kp_report* report = NULL;
  kp_buffer json = {NULL, 0};
  char* out = NULL;
  CHECK_OK(kp_report_request_new(&request));
  CHECK_OK(kp_report_request_set_as_of(request, "2024-09-30"));
  CHECK_OK(kp_report_request_clear_groupings(request));
  CHECK_OK(kp_report_request_add_grouping(request, "county"));
  CHECK_OK(kp_report_make(ledger, request, &report));
  CHECK_OK(kp_report_render(report, KP_FORMAT_TABLE, NULL, &json));
  out = (char*)malloc(json.size + 1);
  if (out != NULL && json.data != NULL) {
    memcpy(out, json.data, json.size);
    out[json.size] = '\0';
  }
  kp_buffer_dispose(&json);
  kp_report_free(report);
  kp_report_request_free(request);
  return out;
}

static void CopyPrefix(const char* from, const char* to, long bytes) {
  FILE* in = fopen(from, "rb");
  FILE* out = fopen(to, "wb");
  long i;
  int c;
  CHECK(in != NULL && out != NULL);
  if (in == NULL || out == NULL) return;
  for (i = 0; i < bytes && (c = fgetc(in)) != EOF; ++i) fputc(c, out);
  fclose(in);
  fclose(out);
}

int main(int argc, char** argv) {
  const char* dir = argc > 1 ? argv[1] : ".";
  char data[4096], kpl[4096];
  kp_ledger* folder = NULL;
  kp_ledger* packed = NULL;
  kp_ledger* bad = NULL;
  kp_diagnostics* problems = NULL;
  size_t n_folder = 0, n_packed = 0, n_problems = 99;
  char* a = NULL;
  char* b = NULL;
  kp_load_options strict = KP_LOAD_OPTIONS_INIT;
  FILE* f = NULL;

  snprintf(data, sizeof data, "%s/examples/data", KEYPROJ_SOURCE_DIR);
  snprintf(kpl, sizeof kpl, "%s/sample.kpl", dir);

  /* A folder, then its snapshot. */
  CHECK_OK(kp_ledger_open(data, &strict, &folder, &problems));
  CHECK_OK(kp_diagnostics_count(problems, &n_problems));
  CHECK(n_problems == 0);
  kp_diagnostics_free(problems);
  problems = NULL;
  CHECK_OK(kp_ledger_pack(folder, kpl));
  CHECK_OK(kp_ledger_open(kpl, NULL, &packed, &problems));
  CHECK(problems != NULL);
  CHECK_OK(kp_diagnostics_count(problems, &n_problems));
  CHECK(n_problems == 0);
  kp_diagnostics_free(problems);
  CHECK_OK(kp_ledger_project_count(folder, &n_folder));
  CHECK_OK(kp_ledger_project_count(packed, &n_packed));
  CHECK(n_folder == 1500 && n_packed == n_folder);
  a = CountyJson(folder);
  b = CountyJson(packed);
  CHECK(a != NULL && b != NULL && strcmp(a, b) == 0);
  /* The county names of regions.csv came along (渭滨区 is 610302 in the sample). */
  CHECK(b != NULL && strstr(b, "渭滨区") != NULL);
  free(a);
  free(b);

  /* Misuse: a status and a message, never a crash. */
  CHECK_STATUS(kp_ledger_open(NULL, NULL, &bad, NULL), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("path");
  CHECK(bad == NULL);
  CHECK_STATUS(kp_ledger_open(kpl, NULL, NULL, NULL), KP_INVALID_ARGUMENT);
  CHECK_STATUS(kp_ledger_pack(NULL, kpl), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("ledger");
  CHECK_STATUS(kp_ledger_pack(packed, NULL), KP_INVALID_ARGUMENT);

  /* Bad files. */
  CHECK_STATUS(kp_ledger_open(Scratch(dir, "none.kpl"), NULL, &bad, NULL), KP_NOT_FOUND);
  CHECK_ERROR_HAS("none.kpl");
  f = fopen(Scratch(dir, "foreign.kpl"), "wb");
  CHECK(f != NULL);
  if (f != NULL) {
    fputs("code,name\nA1,x\n", f);
    fclose(f);
  }
  CHECK_STATUS(kp_ledger_open(g_path, NULL, &bad, NULL), KP_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("not a keyproj snapshot");
  CopyPrefix(kpl, Scratch(dir, "truncated.kpl"), 5000);
  CHECK_STATUS(kp_ledger_open(g_path, NULL, &bad, &problems), KP_DATA_LOSS);
  CHECK_ERROR_HAS("truncated");
  CHECK(bad == NULL);
  kp_diagnostics_free(problems);
  CHECK(kp_ledger_pack(packed, Scratch(dir, "no/such/folder/x.kpl")) != KP_OK);
  CHECK_ERROR_HAS("no/such/folder");

  /* A workbook (--data ledger.xlsx): a problem is located as sheet!cell. */
  {
    char book[4096];
    kp_ledger* from_book = NULL;
    kp_load_options lenient = KP_LOAD_OPTIONS_INIT;
    const char *file = NULL, *field = NULL, *reason = NULL, *text = NULL;
    int64_t line = 0;
    int32_t column = 0;
    size_t count = 0;
    lenient.lenient = 1;
    snprintf(book, sizeof book, "%s/tests/data/xlsx/problems.xlsx", KEYPROJ_SOURCE_DIR);
    CHECK_STATUS(kp_ledger_open(book, NULL, &bad, &problems), KP_INVALID_ARGUMENT);
    CHECK_ERROR_HAS("项目!C3");
    CHECK(bad == NULL);
    kp_diagnostics_free(problems);
    problems = NULL;
    CHECK_OK(kp_ledger_open(book, &lenient, &from_book, &problems));
    CHECK_OK(kp_ledger_project_count(from_book, &count));
    CHECK(count == 1);
    CHECK_OK(kp_diagnostics_count(problems, &n_problems));
    CHECK(n_problems == 1);
    CHECK_OK(kp_diagnostics_get(problems, 0, &file, &line, &column, &field, &reason));
    CHECK(file != NULL && strcmp(file, "项目") == 0 && line == 3 && column == 3);
    CHECK(field != NULL && strcmp(field, "total_investment") == 0);
    CHECK_OK(kp_diagnostics_text(problems, 0, &text));
    CHECK(text != NULL && strncmp(text, "项目!C3: total_investment: ", strlen("项目!C3: total_investment: ")) == 0);
    kp_diagnostics_free(problems);
    kp_ledger_free(from_book);
  }

  kp_ledger_free(folder);
  kp_ledger_free(packed);
  return CheckSummary("capi.snapshot");
}
