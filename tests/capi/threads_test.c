/* Many threads, one ledger: what a host's web server does with keyproj. Loads the
 * sample ledger once, computes each request's report on the main thread, then
 * runs THREADS threads that each make, read, render and free the same reports
 * ROUNDS times from the shared kp_ledger (and provoke their own errors, which must
 * stay their own: kp_last_error_message is per thread). Every result must equal
 * the main thread's. Run under ThreadSanitizer by the tsan preset (label
 * `threads`) and plainly by the others.
 *
 * C99 with POSIX threads; prints "threads: N reports compared, 0 mismatches". */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keyproj.h"

#ifndef KEYPROJ_SOURCE_DIR
#error "KEYPROJ_SOURCE_DIR must be defined"
#endif

enum { THREADS = 8, ROUNDS = 6, REQUESTS = 4 };

static kp_ledger* g_ledger = NULL;
static char* g_expected[REQUESTS];

/* Request i: each exercises another part of the flow. */
static kp_status MakeRequest(int i, kp_report_request** out) {
  kp_report_request* r = NULL;
  kp_status st = kp_report_request_new(&r);
  if (st != KP_OK) return st;
  switch (i) {
    case 0:
      break; /* the default: standard dashboard by category */
    case 1:
      st = kp_report_request_add_grouping(r, "county");
      if (st == KP_OK) st = kp_report_request_add_grouping(r, "category,county");
      break;
    case 2:
      st = kp_report_request_set_filter(r, "category = 产业");
      if (st == KP_OK) st = kp_report_request_set_schedule(r, "days");
      /* the engine's own workers inside a host thread */
      if (st == KP_OK) st = kp_report_request_set_threshold(r, KP_THRESHOLD_THREADS, 2);
      break;
    default:
      st = kp_report_request_set_as_of(r, "2024-06-30");
      if (st == KP_OK) st = kp_report_request_add_custom_indicator(r, "half", "investment_ytd / 2", "年度完成投资的一半", "money");
      break;
  }
  if (st != KP_OK) {
    kp_report_request_free(r);
    return st;
  }
  *out = r;
  return KP_OK;
}

/* The JSON of request i's report; NULL (message printed) on failure. Caller frees. */
static char* ReportJson(int i) {
  kp_report_request* request = NULL;
  kp_report* report = NULL;
  kp_buffer json = {NULL, 0};
  char* copy = NULL;
  size_t tables = 0, rows = 0;
  const char* text = NULL;
  if (MakeRequest(i, &request) != KP_OK || kp_report_make(g_ledger, request, &report) != KP_OK) {
    fprintf(stderr, "request %d: %s\n", i, kp_last_error_message());
    kp_report_request_free(request);
    return NULL;
  }
  /* Read a value through the borrowed-string readers too. */
  if (kp_report_table_count(report, &tables) != KP_OK || tables == 0 ||
      kp_report_row_count(report, 0, &rows) != KP_OK ||
      (rows > 0 && kp_report_value_text(report, 0, 0, 0, &text) != KP_OK)) {
    fprintf(stderr, "request %d: reading: %s\n", i, kp_last_error_message());
  } else if (kp_report_render(report, KP_FORMAT_JSON, NULL, &json) == KP_OK) {
    copy = (char*)malloc(json.size + 1);
    if (copy != NULL) {
      memcpy(copy, json.data, json.size);
      copy[json.size] = '\0';
    }
  } else {
    fprintf(stderr, "request %d: render: %s\n", i, kp_last_error_message());
  }
  kp_buffer_dispose(&json);
  kp_report_free(report);
  kp_report_request_free(request);
  return copy;
}

typedef struct {
  int index;
  int compared;
  int mismatches;
} Worker;

static void* Run(void* arg) {
  Worker* w = (Worker*)arg;
  int round;
  char own[64];
  for (round = 0; round < ROUNDS; ++round) {
    const int i = (w->index + round) % REQUESTS;
    char* got = ReportJson(i);
    kp_report_request* request = NULL;
    ++w->compared;
    if (got == NULL || strcmp(got, g_expected[i]) != 0) {
      ++w->mismatches;
      fprintf(stderr, "thread %d round %d: request %d differs from the main thread's\n", w->index, round, i);
    }
    free(got);
    /* An error of this thread's own; another thread's must not replace its message. */
    snprintf(own, sizeof own, "2024-13-%02d", w->index + 1);
    if (kp_report_request_new(&request) == KP_OK) {
      if (kp_report_request_set_as_of(request, own) == KP_OK || strstr(kp_last_error_message(), own) == NULL) {
        ++w->mismatches;
        fprintf(stderr, "thread %d: last error \"%s\" is not about '%s'\n", w->index, kp_last_error_message(), own);
      }
      kp_report_request_free(request);
    }
  }
  return NULL;
}

int main(void) {
  kp_diagnostics* problems = NULL;
  pthread_t threads[THREADS];
  Worker workers[THREADS];
  int i, compared = 0, mismatches = 0, failed = 0;

  if (kp_ledger_open_csv(KEYPROJ_SOURCE_DIR "/examples/data", NULL, &g_ledger, &problems) != KP_OK) {
    fprintf(stderr, "threads: cannot load the sample ledger: %s\n", kp_last_error_message());
    return 1;
  }
  kp_diagnostics_free(problems);
  for (i = 0; i < REQUESTS; ++i) {
    g_expected[i] = ReportJson(i);
    if (g_expected[i] == NULL || strlen(g_expected[i]) < 100) failed = 1;
  }
  if (failed) {
    fprintf(stderr, "threads: the main thread's reports failed\n");
    return 1;
  }
  for (i = 0; i < THREADS; ++i) {
    workers[i].index = i;
    workers[i].compared = 0;
    workers[i].mismatches = 0;
    if (pthread_create(&threads[i], NULL, Run, &workers[i]) != 0) {
      fprintf(stderr, "threads: pthread_create failed\n");
      return 1;
    }
  }
  for (i = 0; i < THREADS; ++i) {
    pthread_join(threads[i], NULL);
    compared += workers[i].compared;
    mismatches += workers[i].mismatches;
  }
  kp_ledger_free(g_ledger);
  for (i = 0; i < REQUESTS; ++i) free(g_expected[i]);
  printf("threads: %d reports compared, %d mismatches\n", compared, mismatches);
  return mismatches == 0 && compared == THREADS * ROUNDS ? 0 : 1;
}
