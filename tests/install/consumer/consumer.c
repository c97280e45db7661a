/* A program built against an INSTALLED keyproj (tests/install/install_test.sh):
 * <keyproj.h> from the prefix, -lkeyproj through pkg-config or find_package.
 *
 *   consumer DATA_DIR   prints the county report of DATA_DIR as JSON (as of
 *                       2024-09; projects, start_rate, investment_ytd): what
 *                       `keyproj report --format json` prints for the same request.
 *
 * Exit 1 with the library's message (and every load problem) on failure. */
#include <keyproj.h>

#include <stdio.h>

static int fail(const char* what, kp_status status) {
  fprintf(stderr, "consumer: %s: %s: %s\n", what, kp_status_name(status), kp_last_error_message());
  return 1;
}

int main(int argc, char** argv) {
  kp_ledger* ledger = NULL;                 /* owned: kp_ledger_free */
  kp_diagnostics* problems = NULL;          /* owned: kp_diagnostics_free */
  kp_report_request* request = NULL;        /* owned: kp_report_request_free */
  kp_report* report = NULL;                 /* owned: kp_report_free */
  kp_buffer json = {NULL, 0};               /* owned: kp_buffer_dispose */
  kp_status status = KP_OK;
  int rc = 1;

  if (argc != 2) {
    fprintf(stderr, "usage: consumer DATA_DIR\n");
    return 2;
  }
  /* The header installed and the library found must be one release. */
  if (kp_version_number() != KP_VERSION_NUMBER || kp_abi_version() != KP_ABI_VERSION) {
    fprintf(stderr, "consumer: header %d (ABI %d) but library %s (ABI %d)\n", KP_VERSION_NUMBER, KP_ABI_VERSION,
            kp_version(), (int)kp_abi_version());
    return 1;
  }
  status = kp_ledger_open_csv(argv[1], NULL, &ledger, &problems);
  if (status != KP_OK) {
    size_t count = 0, i = 0;
    rc = fail("kp_ledger_open_csv", status);
    if (problems != NULL && kp_diagnostics_count(problems, &count) == KP_OK) {
      for (i = 0; i < count; ++i) {
        const char* text = NULL; /* borrowed from problems */
        if (kp_diagnostics_text(problems, i, &text) == KP_OK) fprintf(stderr, "  %s\n", text);
      }
    }
    goto done;
  }
  if ((status = kp_report_request_new(&request)) != KP_OK) { rc = fail("kp_report_request_new", status); goto done; }
  if ((status = kp_report_request_set_as_of(request, "2024-09")) != KP_OK ||
      (status = kp_report_request_add_grouping(request, "county")) != KP_OK ||
      (status = kp_report_request_set_indicators(request, "projects,start_rate,investment_ytd")) != KP_OK ||
      (status = kp_report_request_set_regions_from_csv(request, argv[1])) != KP_OK) {
    rc = fail("request", status);
    goto done;
  }
  if ((status = kp_report_make(ledger, request, &report)) != KP_OK) { rc = fail("kp_report_make", status); goto done; }
  if ((status = kp_report_render(report, KP_FORMAT_JSON, NULL, &json)) != KP_OK) {
    rc = fail("kp_report_render", status);
    goto done;
  }
  fwrite(json.data, 1, json.size, stdout);
  rc = 0;

done:
  kp_buffer_dispose(&json);
  kp_report_free(report);
  kp_report_request_free(request);
  kp_diagnostics_free(problems);
  kp_ledger_free(ledger);
  return rc;
}
