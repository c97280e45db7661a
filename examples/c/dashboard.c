/* examples/c/dashboard.c -- keyproj from C: a ledger, a report by county, printed.
 *
 *   dashboard DATA_DIR [AS_OF]      e.g. dashboard examples/data 2024-09
 *
 * Prints the county table of projects, start_rate and investment_ytd as the
 * library's exact decimal texts (money in 万元 with every decimal, rates as
 * fractions), one tab-separated line per county and a last `total` line.
 *
 * Two parts, kept apart on purpose: load_ledger() makes a kp_ledger (here from
 * the CSV folder; a host holding its rows in memory will build it from arrays
 * instead), and print_county_report() works on any kp_ledger. Built and run by
 * ctest `example.c` (examples/CMakeLists.txt). */
#include <keyproj.h>

#include <stdio.h>

/* Prints the library's message for a failed call; returns 1 (the exit status). */
static int report_failure(const char* call, kp_status status) {
  fprintf(stderr, "dashboard: %s failed: %s: %s\n", call, kp_status_name(status), kp_last_error_message());
  return 1;
}

/* ---- Loading: a kp_ledger from somewhere ----------------------------------------- */

/* The ledger of DIR, or NULL after printing why (every problem, as
 * file:line:column: reason). The caller owns the result (kp_ledger_free). */
static kp_ledger* load_ledger(const char* dir) {
  kp_ledger* ledger = NULL;        /* owned by the caller once returned */
  kp_diagnostics* problems = NULL; /* owned here: kp_diagnostics_free */
  size_t count = 0;
  size_t i = 0;
  kp_status status = kp_ledger_open_csv(dir, NULL, &ledger, &problems);
  if (status != KP_OK) {
    report_failure("kp_ledger_open_csv", status);
    if (problems != NULL && kp_diagnostics_count(problems, &count) == KP_OK) {
      for (i = 0; i < count; ++i) {
        const char* text = NULL; /* borrowed from problems */
        if (kp_diagnostics_text(problems, i, &text) == KP_OK) fprintf(stderr, "  %s\n", text);
      }
    }
  }
  kp_diagnostics_free(problems);
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
    const char* key = NULL; /* borrowed from report; "" for the whole-scope row (last) */
    if ((status = kp_report_group_key(report, 0, row, 0, &key)) != KP_OK) return report_failure("kp_report_group_key", status);
    printf("%s", key[0] != '\0' ? key : "total");
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
  if (argc < 2 || argc > 3) {
    fprintf(stderr, "usage: dashboard DATA_DIR [AS_OF]   e.g. dashboard examples/data 2024-09\n");
    return 2;
  }
  ledger = load_ledger(argv[1]);
  if (ledger == NULL) return 1;
  if ((status = kp_ledger_project_count(ledger, &projects)) != KP_OK) {
    rc = report_failure("kp_ledger_project_count", status);
  } else {
    printf("keyproj %s: %lu projects\n", kp_version(), (unsigned long)projects);
    rc = print_county_report(ledger, argc == 3 ? argv[2] : NULL);
  }
  kp_ledger_free(ledger);
  return rc;
}
