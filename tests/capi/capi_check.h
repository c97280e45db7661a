/* The checks of the C ABI tests (C99): each CHECK counts a pass or a failure and
 * prints a failure with file:line, the condition and the thread's last error, so
 * one run reports every broken check. A test's main() ends with
 *   return CheckSummary("capi");
 * Include once per test program (the counters are the program's own). */
#ifndef KEYPROJ_TESTS_CAPI_CAPI_CHECK_H_
#define KEYPROJ_TESTS_CAPI_CAPI_CHECK_H_

#include <stdio.h>
#include <string.h>

#include "keyproj.h"

static int g_passed = 0;
static int g_failed = 0;

#define CHECK(cond)                                                                        \
  do {                                                                                     \
    if (cond) {                                                                            \
      ++g_passed;                                                                          \
    } else {                                                                               \
      ++g_failed;                                                                          \
      fprintf(stderr, "%s:%d: CHECK failed: %s (last error: \"%s\")\n", __FILE__, __LINE__, \
              #cond, kp_last_error_message());                                             \
    }                                                                                      \
  } while (0)

#define CHECK_OK(call) CHECK((call) == KP_OK)
#define CHECK_STATUS(call, code) CHECK((call) == (code))
/* The last error mentions `text`. */
#define CHECK_ERROR_HAS(text) CHECK(strstr(kp_last_error_message(), (text)) != NULL)

/* Prints "NAME: P passed, F failed"; the exit status of the test. */
static int CheckSummary(const char* name) {
  printf("%s: %d passed, %d failed\n", name, g_passed, g_failed);
  return g_failed == 0 ? 0 : 1;
}

#endif /* KEYPROJ_TESTS_CAPI_CAPI_CHECK_H_ */
