/*
 * keyproj.h -- the stable C ABI of keyproj (libkeyproj.so.1).
 *
 * keyproj is the calculation engine of key-project ledgers (重点项目台账). This
 * header is plain C99 (it also compiles as C++) and is all a host program, a
 * vendor's system or a foreign-language binding needs: load a ledger folder,
 * describe a report, compute it, read its cells or render it as a document.
 *
 *   kp_ledger* ledger = NULL;
 *   kp_report_request* request = NULL;
 *   kp_report* report = NULL;
 *   kp_buffer json = {NULL, 0};
 *   if (kp_ledger_open_csv("data", NULL, &ledger, NULL) != KP_OK) fail(kp_last_error_message());
 *   kp_report_request_new(&request);
 *   kp_report_request_set_as_of(request, "2024-09");
 *   kp_report_request_add_grouping(request, "county");
 *   kp_report_make(ledger, request, &report);
 *   kp_report_render(report, KP_FORMAT_JSON, NULL, &json);
 *   ...
 *   kp_buffer_dispose(&json);
 *   kp_report_free(report);
 *   kp_report_request_free(request);
 *   kp_ledger_free(ledger);
 *
 * ERRORS. Every fallible call returns a kp_status: KP_OK (0) or a code equal to
 * absl::StatusCode (1-16); codes from 1000 up are reserved for keyproj's own.
 * Callers must accept codes they do not know. kp_last_error_message() gives the
 * message of the last call on this thread that returned a kp_status ("" after a
 * success); it names the bad value or parameter ("as_of '2024-13-01': not a
 * date ..."). Nothing is ever thrown across this ABI; out of memory is
 * KP_RESOURCE_EXHAUSTED. A NULL for a required pointer is KP_INVALID_ARGUMENT
 * naming the parameter. On failure every output handle is set to NULL.
 *
 * HANDLES. Each kind of object has its own opaque type, made by a _new/_open/
 * _make call and released by its _free call; _free(NULL) does nothing. Every
 * handle carries a tag that each call checks, so passing a handle of the wrong
 * kind (or a pointer to something else) is reported as KP_INVALID_ARGUMENT
 * "not a kp_ledger (freed or foreign)". This check is best effort: it reads the
 * pointed-to memory, so a pointer to unmapped memory still crashes and a handle
 * used after its _free is undefined behaviour that the check catches only while
 * the memory has not been reused. Do not rely on it; it is a diagnostic aid.
 *
 * OWNERSHIP. Strings passed in are UTF-8 (invalid UTF-8 is KP_INVALID_ARGUMENT)
 * and only read during the call. Strings passed out are either
 *   - static: valid for the life of the process (kp_status_name, catalogue), or
 *   - borrowed from a handle: valid until that handle is freed (a kp_report and
 *     a kp_diagnostics never change after they are made), or
 *   - owned by the caller: a kp_buffer, released with kp_buffer_dispose.
 * A kp_report keeps the ledger it was computed from alive: it stays valid (and
 * renders) after kp_ledger_free, which is why the reading and rendering calls
 * take no ledger.
 *
 * THREADS. A kp_ledger is immutable: any number of threads may read it and make
 * reports from it at once. A kp_report_request must be used by one thread at a
 * time. A kp_report and a kp_diagnostics may be read by many threads at once
 * (their lazily made cell texts are guarded internally), but must be freed by
 * one thread after the others are done. The last error is per thread.
 *
 * VERSIONS. KP_VERSION_* describe this header; kp_version_number() the library
 * that was linked. kp_abi_version() is the soname's number (libkeyproj.so.1):
 * it changes only if an incompatible change is ever made. Functions and enum
 * values are only ever appended. Option structs start with a version field and
 * are initialised with their _INIT macro or _init function; fields are only
 * appended, and the library rejects a version of 0 or above the one it knows.
 */
#ifndef KEYPROJ_CAPI_KEYPROJ_H_
#define KEYPROJ_CAPI_KEYPROJ_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
#define KP_BEGIN_DECL extern "C" {
#define KP_END_DECL }
#else
#define KP_BEGIN_DECL
#define KP_END_DECL
#endif

#if defined(_WIN32)
#if defined(KP_BUILDING_LIBRARY)
#define KP_API __declspec(dllexport)
#else
#define KP_API __declspec(dllimport)
#endif
#elif defined(__GNUC__)
#define KP_API __attribute__((visibility("default")))
#else
#define KP_API
#endif

#if defined(__GNUC__)
#define KP_DEPRECATED __attribute__((deprecated))
#else
#define KP_DEPRECATED
#endif

/* The version of this header. CMake checks that they equal project(keyproj VERSION). */
#define KP_VERSION_MAJOR 0
#define KP_VERSION_MINOR 7
#define KP_VERSION_PATCH 0
#define KP_VERSION_NUMBER (KP_VERSION_MAJOR * 10000 + KP_VERSION_MINOR * 100 + KP_VERSION_PATCH)
/* The ABI (soname) version: libkeyproj.so.1. */
#define KP_ABI_VERSION 1

KP_BEGIN_DECL

/* ---- Status ------------------------------------------------------------------ */

/* 0, absl::StatusCode values 1-16, or (later) keyproj's own codes from 1000 up. */
typedef int32_t kp_status;

#define KP_OK 0
#define KP_CANCELLED 1
#define KP_UNKNOWN 2
#define KP_INVALID_ARGUMENT 3
#define KP_DEADLINE_EXCEEDED 4
#define KP_NOT_FOUND 5
#define KP_ALREADY_EXISTS 6
#define KP_PERMISSION_DENIED 7
#define KP_RESOURCE_EXHAUSTED 8
#define KP_FAILED_PRECONDITION 9
#define KP_ABORTED 10
#define KP_OUT_OF_RANGE 11
#define KP_UNIMPLEMENTED 12
#define KP_INTERNAL 13
#define KP_UNAVAILABLE 14
#define KP_DATA_LOSS 15
#define KP_UNAUTHENTICATED 16

/* "OK", "INVALID_ARGUMENT", ...; "UNKNOWN_STATUS" for a code this library does not
 * know. Static. */
KP_API const char* kp_status_name(kp_status status);

/* The message of the last call on this thread that returned a kp_status: "" after
 * a success. Borrowed: valid until the next kp_ call on this thread. Never NULL. */
KP_API const char* kp_last_error_message(void);

/* ---- Versions ----------------------------------------------------------------- */

/* "MAJOR.MINOR.PATCH" of the library linked, e.g. "0.6.0". Static. */
KP_API const char* kp_version(void);
/* MAJOR*10000 + MINOR*100 + PATCH of the library linked (compare KP_VERSION_NUMBER). */
KP_API int32_t kp_version_number(void);
/* 1: the soname's number. */
KP_API int32_t kp_abi_version(void);

/* ---- Owned output ---------------------------------------------------------------- */

/* Bytes the library allocated for the caller: `size` bytes at `data`, followed by
 * a NUL that `size` does not count (so text can be used as a C string; use `size`
 * for binary-safe handling). Owned by the caller: release with kp_buffer_dispose.
 * Initialise as {NULL, 0}; a call that fills a buffer overwrites it without
 * freeing what it held, and leaves {NULL, 0} on failure. */
typedef struct kp_buffer {
  char* data;
  size_t size;
} kp_buffer;

/* Frees buf->data and sets {NULL, 0}. NULL-safe and idempotent. */
KP_API void kp_buffer_dispose(kp_buffer* buf);

/* ---- Opaque handles ----------------------------------------------------------------- */

typedef struct kp_ledger_s kp_ledger;                  /* a loaded ledger, immutable */
typedef struct kp_diagnostics_s kp_diagnostics;        /* the problems a load found */
typedef struct kp_report_request_s kp_report_request;  /* what a report asks for */
typedef struct kp_report_s kp_report;                  /* a computed report, immutable */

/* ---- Enumerations (numbered as keyproj's C++ enums; only ever appended) ---------------- */

/* keyproj::Encoding */
#define KP_ENCODING_AUTO 0
#define KP_ENCODING_UTF8 1
#define KP_ENCODING_GB18030 2

/* keyproj::ReportFormat */
#define KP_FORMAT_TABLE 0
#define KP_FORMAT_JSON 1
#define KP_FORMAT_CSV 2
#define KP_FORMAT_MARKDOWN 3
#define KP_FORMAT_TEXT 4
#define KP_FORMAT_XLSX 5 /* kp_report_write_xlsx only */

/* keyproj::MoneyUnit */
#define KP_MONEY_WAN 0 /* 万元 */
#define KP_MONEY_YI 1  /* 亿元 */

/* keyproj::Unit */
#define KP_UNIT_COUNT 0
#define KP_UNIT_MONEY 1
#define KP_UNIT_RATE 2
#define KP_UNIT_POINTS 3
#define KP_UNIT_MULTIPLE 4
#define KP_UNIT_MONTHS 5

/* kp_report_request_set_threshold */
#define KP_THRESHOLD_STALLED_MONTHS 0     /* 1-24 (the engine's limit), default 3 */
#define KP_THRESHOLD_DEADLINE_DAY 1       /* 1-31, default 20 */
#define KP_THRESHOLD_BEHIND_CENTIPOINTS 2 /* >= 0, hundredths of a point, default 1000 */
#define KP_THRESHOLD_THREADS 3            /* 0-1024, 0 = all hardware threads */
#define KP_THRESHOLD_COUNTDOWN_DAYS 4     /* 1-366, default 30: start_countdown's window */
#define KP_THRESHOLD_LAND_START_DAYS 5    /* 0-366, default 30: land_to_start_ytd's window */
#define KP_THRESHOLD_SIGNED_MONTHS 6      /* 1-120, default 6: signed_not_started's months */

/* ---- Loading a ledger ---------------------------------------------------------------- */

typedef struct kp_load_options {
  uint32_t version;         /* KP_LOAD_OPTIONS_VERSION */
  int32_t encoding;         /* KP_ENCODING_*, default AUTO */
  int32_t lenient;          /* 0: nothing loads if anything is wrong; 1: good rows load */
  int32_t merge_duplicates; /* 0: two rows for one project-month are an error; 1: summed */
  const char* fx_rates;     /* borrowed, may be NULL: "USD=7.1,EUR=7.8" (rates to 元) */
  /* Version 2 (since 0.6). Threads reading a CSV folder: 0 (the default) one per
   * hardware thread, 1 all on the calling thread; more, that many. Also a ledger
   * builder's: a big batch of kp_ledger_builder_add_columns (any table) is read on
   * two threads unless this is 1. The ledger and its
   * problems are the same whatever the count (docs/ledger.md, "Loading"); a server
   * loading several ledgers at once may want 1 each. Negative: KP_INVALID_ARGUMENT. */
  int32_t threads;
} kp_load_options;

#define KP_LOAD_OPTIONS_VERSION 2
#define KP_LOAD_OPTIONS_INIT {KP_LOAD_OPTIONS_VERSION, KP_ENCODING_AUTO, 0, 0, NULL, 0}

/* Sets *options to the defaults of `version`. KP_INVALID_ARGUMENT for version 0 or
 * one this library does not know. */
KP_API kp_status kp_load_options_init(kp_load_options* options, uint32_t version);

/* Loads DIR/projects.csv and the files beside it, and DIR/regions.csv when there is
 * one: the ledger keeps those names for its reports' group labels and kp_ledger_pack
 * (since 0.6; as kp_ledger_open does for a folder; a problem in regions.csv is a load
 * problem). `options` may be NULL (defaults).
 * *out (owned by the caller, kp_ledger_free) receives the ledger. `problems` may be
 * NULL; otherwise *problems (owned, kp_diagnostics_free) receives every problem
 * found -- also when the load fails, and also in lenient mode when it succeeds;
 * it is set to an empty set when there were none and to NULL only when the call
 * fails before loading (bad arguments).
 * Strict load with problems: KP_INVALID_ARGUMENT, *out NULL. Missing folder or
 * projects.csv: KP_NOT_FOUND. */
KP_API kp_status kp_ledger_open_csv(const char* dir, const kp_load_options* options, kp_ledger** out,
                                    kp_diagnostics** problems);

/* The number of projects. */
KP_API kp_status kp_ledger_project_count(const kp_ledger* ledger, size_t* out);

/* Releases the caller's reference; reports made from it stay valid. NULL: no-op. */
KP_API void kp_ledger_free(kp_ledger* ledger);

/* Snapshots (0.5, KP_1.4; docs/snapshot.md). Opens `path`: a ledger folder (as
 * kp_ledger_open_csv, with `options`; the folder's regions.csv, if any, is read too
 * and its problems are load problems) or a snapshot file written by kp_ledger_pack or
 * `keyproj pack` (mapped, not parsed: milliseconds for 10^6 projects; `options` are
 * checked but do not apply -- they applied when it was packed; *problems is empty).
 * The ledger keeps the region names that came with it: kp_report_make uses them when
 * the request has none (kp_report_request_set_regions_from_csv), and kp_ledger_pack
 * writes them. A truncated, corrupted, foreign or crafted snapshot:
 * KP_DATA_LOSS (or KP_INVALID_ARGUMENT for a file that is not a snapshot), naming the
 * file, the section and the byte offset; a newer snapshot format:
 * KP_FAILED_PRECONDITION. Ownership as kp_ledger_open_csv. */
KP_API kp_status kp_ledger_open(const char* path, const kp_load_options* options, kp_ledger** out,
                                kp_diagnostics** problems);

/* Writes `ledger` (and its region names) as a snapshot file at `path`, replaced
 * atomically (a reader never sees half a file). Errors name the path. */
KP_API kp_status kp_ledger_pack(const kp_ledger* ledger, const char* path);

/* ---- Load problems ------------------------------------------------------------------ */

KP_API kp_status kp_diagnostics_count(const kp_diagnostics* diagnostics, size_t* out);

/* Problem `index`: file ("monthly.csv"), 1-based line (0: the whole file), 1-based
 * column (0: the whole row), field (the column's header, may be "") and reason.
 * Strings borrowed: valid until kp_diagnostics_free. Any output pointer may be
 * NULL when not wanted. KP_OUT_OF_RANGE for a bad index. */
KP_API kp_status kp_diagnostics_get(const kp_diagnostics* diagnostics, size_t index, const char** file,
                                    int64_t* line, int32_t* column, const char** field, const char** reason);

/* "monthly.csv:17:3: investment: not a decimal number of 万元". Borrowed, as above.
 * A problem in a workbook (kp_ledger_open of a .xlsx) names the sheet as its file,
 * the sheet's row and column number (C = 3), and reads "项目!C12: ...". */
KP_API kp_status kp_diagnostics_text(const kp_diagnostics* diagnostics, size_t index, const char** out);

KP_API void kp_diagnostics_free(kp_diagnostics* diagnostics);

/* ---- A ledger from the host's own data: column arrays (since 0.2, KP_1.1) ------------------ */
/* The host passes each table as columns -- a typed array per field, Arrow's layout,
 * with an optional validity bitmap -- a batch of rows per call, never a call per
 * cell. Every cell goes through the CSV loader's rules and every row into the same
 * validating builder, so the ledger equals the one loaded from the same data as CSV
 * and the problems are the same, located by table, row and column:
 *
 *   kp_ledger_builder* b = NULL;
 *   const char* codes[2] = {"P1", "P2"};
 *   const char* names[2] = {"Road", "School"};
 *   kp_column cols[2] = {KP_COLUMN_INIT, KP_COLUMN_INIT};
 *   cols[0].name = "code"; cols[0].type = KP_COLUMN_CSTR; cols[0].values = codes;
 *   cols[1].name = "name"; cols[1].type = KP_COLUMN_CSTR; cols[1].values = names;
 *   kp_ledger_builder_new(NULL, &b);
 *   kp_ledger_builder_add_columns(b, KP_TABLE_PROJECTS, 2, cols, 2);
 *   ... monthly rows: KP_TABLE_MONTHLY, "code", "month" (date32), "investment" (int64, scale 4) ...
 *   if (kp_ledger_builder_finish(b, &ledger, &problems) != KP_OK) ...read problems...
 *   kp_ledger_builder_free(b);
 *
 * Projects must be added before the rows of other tables that name them (a row whose
 * project is not there yet is "unknown project code"). A builder is used by one
 * thread at a time. */

typedef struct kp_ledger_builder_s kp_ledger_builder; /* opaque; kp_ledger_builder_free */

/* Tables (keyproj::Table). Only ever appended. */
#define KP_TABLE_PROJECTS 0
#define KP_TABLE_MONTHLY 1
#define KP_TABLE_FUNDING 2
#define KP_TABLE_PLANS 3
#define KP_TABLE_PROBLEMS 4
#define KP_TABLE_BASELINE 5
#define KP_TABLE_APPROVALS 6 /* approvals.csv (前期手续); since 0.3 */

/* Column types. What a field accepts depends on what it holds: text fields (codes,
 * names, enums such as category or stage, tags, problems, currency) take UTF8 or
 * CSTR, read exactly as a CSV cell (trimmed, "" = missing); amounts of 万元 also
 * INT64 and DOUBLE, and INT32 (whole 万元; since 0.6); dates also DATE32; months also DATE32 (the month's 1st day);
 * years and division codes (region) also INT32, INT64 (scale 0) and DOUBLE; yes/no
 * (attracted, an approval's required) also BOOL, and INT32, INT64 (scale 0) and
 * DOUBLE holding 0 or 1 (since 0.6). Text, dates and months also take INT32, INT64
 * (scale 0) and DOUBLE, each cell read as the CSV cell of that number would be: its
 * digits, a double's shortest form (610402.0 is "610402"), so 20240301 is a date and
 * 202403 a month (pandas makes such columns). A column whose every cell is missing may have any
 * type (an empty optional column comes out of pandas as float64 NaN). `scale` is
 * INT64's only: any other type with a scale other than 0 is refused. Only ever
 * appended. */
#define KP_COLUMN_UTF8 1   /* values: UTF-8 bytes; offsets: int32_t[rows+1] (Arrow string layout) */
#define KP_COLUMN_CSTR 2   /* values: const char* const[rows], NUL-terminated; a NULL pointer = missing */
#define KP_COLUMN_INT64 3  /* values: int64_t[rows]; a decimal with `scale` places (money in the CSV's unit 万元: scale 4 = 元, 6 = 分; counts/years scale 0) */
#define KP_COLUMN_DOUBLE 4 /* values: double[rows]; read as its shortest round-trip decimal text (what Python's repr prints), never as binary; NaN = missing */
#define KP_COLUMN_DATE32 5 /* values: int32_t[rows], days since 1970-01-01 (Arrow date32) */
#define KP_COLUMN_BOOL 6   /* values: uint8_t[rows], 0/1 */
#define KP_COLUMN_INT32 7  /* values: int32_t[rows] */

/* One column of a batch. Every pointer is borrowed for the call only: the library
 * copies what it keeps, and the host may free or reuse its arrays when the call
 * returns. A missing value: a clear validity bit, a NULL CSTR pointer, a NaN double
 * or an empty/blank string; a required field (e.g. code, name, month) must have one. */
typedef struct kp_column {
  uint32_t version;        /* KP_COLUMN_VERSION */
  const char* name;        /* borrowed; the field's CSV header name (ledger-format.md), e.g. "code" or "项目代码" */
  int32_t type;            /* KP_COLUMN_* */
  int32_t scale;           /* INT64 only: decimal places, 0-18 (0 for anything but amounts) */
  const void* values;      /* borrowed; an array of `rows` values as `type` says (UTF8: offsets[rows] bytes); may be NULL only when rows is 0 */
  const int32_t* offsets;  /* borrowed; UTF8 only: rows+1 offsets into values, from >= 0, never decreasing */
  const uint8_t* validity; /* borrowed; NULL = all present; else Arrow bitmap, LSB first, bit set = present */
  size_t validity_bytes;   /* must be >= (rows+7)/8 when validity != NULL */
} kp_column;

#define KP_COLUMN_VERSION 1
#define KP_COLUMN_INIT {KP_COLUMN_VERSION, NULL, 0, 0, NULL, NULL, NULL, 0}

/* A new, empty builder. `options` may be NULL (defaults); its encoding is irrelevant
 * (input is UTF-8), lenient, merge_duplicates and fx_rates behave as for CSV. *out:
 * owned by the caller, kp_ledger_builder_free. */
KP_API kp_status kp_ledger_builder_new(const kp_load_options* options, kp_ledger_builder** out);

/* Adds `rows` rows of `table` (KP_TABLE_*) given as `column_count` columns (an array
 * owned by the caller, read during the call only). May be called many times per table
 * (batches); rows are numbered per table across batches, from 1.
 * A bad cell is a problem, not a failed call: the call returns KP_OK, the row is
 * rejected and the problem is reported by kp_ledger_builder_finish with file = the
 * table's file name ("monthly.csv"), line = the row's number, column = the column's
 * 1-based position in this call and field = its name.
 * A column whose name is no field of the table ("项目联系人") is kept as an extra
 * column, as a CSV file's unknown column is (a later batch's of the same name joins
 * it; a 序号 column is ignored): any type, its cells kept as text (int64 with its
 * scale's places, double as Python's repr writes it, date32 as YYYY-MM-DD, bool as
 * True/False, as pandas writes it), its name trimmed;
 * a cell of it that is not UTF-8 is a problem and its row is not read (since 0.6;
 * before, an unknown name refused the batch).
 * A money column named in a unit other than 万元 ("总投资（元）", "（亿元）") has its
 * amounts in that unit, converted exactly as a CSV file's under that header (since
 * 0.7; before, the batch was refused).
 * A batch that cannot be read -- an unknown table; a NULL or duplicate column
 * name; a money column named in a unit that is not money ("总投资（个）"); a required
 * column missing; a type the field does not take; a bad scale or
 * version; NULL values; UTF8 offsets NULL, negative or decreasing; a validity bitmap
 * shorter than (rows+7)/8 -- is KP_INVALID_ARGUMENT naming the column; none of its rows
 * is added, and the problem is also recorded (a strict finish then fails).
 * After finish: KP_FAILED_PRECONDITION. */
KP_API kp_status kp_ledger_builder_add_columns(kp_ledger_builder* builder, int32_t table, size_t rows,
                                               const kp_column* columns, size_t column_count);

/* Builds the ledger from everything added. *out (owned by the caller, kp_ledger_free)
 * receives it, or NULL on failure. `problems` may be NULL; otherwise *problems (owned,
 * kp_diagnostics_free) receives every problem found, as kp_ledger_open_csv does:
 * also when the build fails, and in lenient mode when it succeeds. Strict mode with
 * problems: KP_INVALID_ARGUMENT. The builder is spent afterwards: further add_columns
 * or finish calls return KP_FAILED_PRECONDITION; it must still be freed. */
KP_API kp_status kp_ledger_builder_finish(kp_ledger_builder* builder, kp_ledger** out, kp_diagnostics** problems);

/* Releases the builder (and whatever it held, if not finished). NULL: no-op. */
KP_API void kp_ledger_builder_free(kp_ledger_builder* builder);

/* ---- Report requests --------------------------------------------------------------- */
/* A request starts as keyproj's default: as of the end of the latest month with
 * figures, all projects, one table grouped by category, the standard dashboard.
 * Each setter checks its value at once; on error the request is unchanged and the
 * message names the bad value. Strings are copied. */

/* *out: owned by the caller, kp_report_request_free. */
KP_API kp_status kp_report_request_new(kp_report_request** out);
KP_API void kp_report_request_free(kp_report_request* request);

/* "2024-09-30", or "2024-09" for the end of the month. NULL or "": the default. */
KP_API kp_status kp_report_request_set_as_of(kp_report_request* request, const char* date);

/* The scope: "region=6104,category=industry|urban" (the expression filter syntax,
 * docs/targets-and-scoring.md). NULL or "": all projects. */
KP_API kp_status kp_report_request_set_filter(kp_report_request* request, const char* filter);

/* Adds a table grouped by the comma-separated dimensions ("category,county"); ""
 * is a table of the whole scope alone. The first call replaces the default
 * {category} table. */
KP_API kp_status kp_report_request_add_grouping(kp_report_request* request, const char* dimensions);

/* No tables at all (a request for targets or scores only). */
KP_API kp_status kp_report_request_clear_groupings(kp_report_request* request);

/* The tables' indicators, comma-separated: catalogue ids, or ids of custom
 * indicators, targets or schemes already added to this request. NULL or "": the
 * standard dashboard. Unknown ids: KP_INVALID_ARGUMENT naming the id. */
KP_API kp_status kp_report_request_set_indicators(kp_report_request* request, const char* ids);

/* Defines an indicator as an expression over catalogue ids ("investment_ytd[
 * category=industry] / investment_ytd"). label may be NULL (the id); unit: an id
 * of keyproj::Unit ("count", "money", "rate", "points", "multiple", "months") or
 * NULL ("multiple"). Compiled at once with those already added. The tables show it
 * after their indicators unless kp_report_request_set_indicators places it. */
KP_API kp_status kp_report_request_add_custom_indicator(kp_report_request* request, const char* id,
                                                        const char* expression, const char* label,
                                                        const char* unit);

/* 序时进度: "months", "days" or "curve:8,16,25,33,41,50,58,66,75,83,91,100" (12
 * cumulative percents). NULL or "": the target set's, else months. */
KP_API kp_status kp_report_request_set_schedule(kp_report_request* request, const char* schedule);

/* A target set as TOML text (examples/targets/). Custom indicators it names must
 * be added before. NULL: none. */
KP_API kp_status kp_report_request_set_targets_toml(kp_report_request* request, const char* toml_text);
/* The grouping the targets are also evaluated per ("county"; comma list). */
KP_API kp_status kp_report_request_set_targets_group_by(kp_report_request* request, const char* dimensions);

/* The 招商 funnel (since 0.3): NULL, none (the default); "", the whole scope; else
 * dimensions as kp_report_request_add_grouping's ("county"): a row per group and the
 * whole scope last. The report then has one more table, the last (index
 * kp_report_table_count - 1), titled "招商引资项目推进情况", read with the table calls:
 * columns intended, signed, funnel_signed_rate, signed_started, funnel_started_rate,
 * signed_completed, funnel_completed_rate, operating, funnel_operating_rate (each rate
 * is that stage over the one before, KP_UNIT_RATE, not applicable over zero). */
KP_API kp_status kp_report_request_set_funnel(kp_report_request* request, const char* dimensions);
/* 0.4: the 小计 rows of a table grouped by county (docs/report.md "County under
 * city"). Nonzero (the default): when the counties lie in more than one city, each
 * city's counties are followed by the city's 小计 row -- its own figures, computed by
 * the engine -- in the table, csv, markdown and xlsx renderings (the rows read through
 * kp_report_row_count and JSON stay the counties alone); 0: the counties alone
 * (`keyproj report --no-subtotals`). */
KP_API kp_status kp_report_request_set_subtotals(kp_report_request* request, int32_t subtotals);
/* 0.6: 同比 (yoy_growth and the other growth rates) against baseline.csv's bases
 * where the ledger has them: nonzero (the default); 0, against last year's figures
 * of the ledger itself (`keyproj report --no-baseline`; docs/indicators.md). */
KP_API kp_status kp_report_request_set_baseline(kp_report_request* request, int32_t use_baseline);
/* A scoring scheme as TOML text (examples/scoring/). NULL: none. */
KP_API kp_status kp_report_request_set_scheme_toml(kp_report_request* request, const char* toml_text);
/* What the scheme scores ("county"); NULL or "": the scheme's own group_by. */
KP_API kp_status kp_report_request_set_scores_group_by(kp_report_request* request, const char* dimensions);

/* The scope's name in titles and text ("全市"). NULL or "": chosen from the scope. */
KP_API kp_status kp_report_request_set_scope_name(kp_report_request* request, const char* name);

/* which: KP_THRESHOLD_*. A value the engine does not accept (keyproj::ValidateQuery)
 * or an unknown `which`: KP_INVALID_ARGUMENT. */
KP_API kp_status kp_report_request_set_threshold(kp_report_request* request, int32_t which, int64_t value);

/* Names of counties and cities for group labels: a regions.csv, or a ledger folder
 * holding one (a folder without one: KP_NOT_FOUND, and the request keeps what it
 * had). Any bad row is KP_INVALID_ARGUMENT naming it. "" (since 0.6): no names, the
 * groups labelled with their codes, whatever names the ledger came with. */
KP_API kp_status kp_report_request_set_regions_from_csv(kp_report_request* request, const char* path);

/* ---- Reports ---------------------------------------------------------------------- */

/* Computes the report (keyproj::MakeReport). *out: owned, kp_report_free; it keeps
 * the ledger alive. The request may be changed or freed afterwards. */
KP_API kp_status kp_report_make(const kp_ledger* ledger, const kp_report_request* request, kp_report** out);
KP_API void kp_report_free(kp_report* report);

/* Tables: one per grouping, in order. Every index is checked (KP_OUT_OF_RANGE
 * naming the index and the bound). Borrowed strings: valid until kp_report_free. */
KP_API kp_status kp_report_table_count(const kp_report* report, size_t* out);
KP_API kp_status kp_report_table_title(const kp_report* report, size_t table, const char** out);
/* 0.6: nonzero when the table's groups overlap -- a project in several of them (a tag
 * grouping) -- so its group rows do not add up to the whole-scope row (JSON
 * "groups_overlap": true); 0 otherwise. */
KP_API kp_status kp_report_table_groups_overlap(const kp_report* report, size_t table, int32_t* out);
/* Rows: the groups in ascending key order, then the whole-scope row, always last. */
KP_API kp_status kp_report_row_count(const kp_report* report, size_t table, size_t* out);
/* Columns: the indicators. */
KP_API kp_status kp_report_column_count(const kp_report* report, size_t table, size_t* out);
KP_API kp_status kp_report_column_id(const kp_report* report, size_t table, size_t column, const char** out);
/* Unit of a column (KP_UNIT_*). */
KP_API kp_status kp_report_column_unit(const kp_report* report, size_t table, size_t column, int32_t* out);
/* A column's header as the reports print it, with its unit: "开工率（%）",
 * "累计完成投资（亿元）" (money in `money_unit`, KP_MONEY_*); a custom indicator's own
 * label. *out is borrowed from the report. (Since 0.2.) */
KP_API kp_status kp_report_column_label(const kp_report* report, size_t table, size_t column, int32_t money_unit,
                                        const char** out);
/* The table's group-by dimensions ("category", "county"). */
KP_API kp_status kp_report_group_dimension_count(const kp_report* report, size_t table, size_t* out);
KP_API kp_status kp_report_group_dimension(const kp_report* report, size_t table, size_t dimension,
                                           const char** out);
/* A row's key for a dimension ("industry", "610403"); "" for the whole-scope row and
 * for the group of projects without a value for the dimension (labelled （未填）): tell
 * the whole-scope row by its place, the last (kp_report_row_count - 1). */
KP_API kp_status kp_report_group_key(const kp_report* report, size_t table, size_t row, size_t dimension,
                                     const char** out);
/* The same key as the reports print it: a category's or stage's Chinese name
 * ("产业项目"), a division's name when the request had region names ("渭滨区",
 * kp_report_request_set_regions_from_csv; else the code); "" for the whole-scope row
 * (its name is kp_report_scope's). *out is borrowed from the report. (Since 0.2.) */
KP_API kp_status kp_report_group_label(const kp_report* report, size_t table, size_t row, size_t dimension,
                                       const char** out);
/* What the whole report is of: the date it is as of ("2024-09-30", the month's end
 * when a month was asked for, the ledger's last reported month when none was) and
 * the scope's name ("全市"). Outputs borrowed from the report; either may be NULL.
 * (Since 0.2.) */
KP_API kp_status kp_report_scope(const kp_report* report, const char** as_of, const char** scope_name);
/* What a reader should know before taking the figures for reported ones (since 0.7),
 * one English sentence each, as the CLI prints them on stderr after "note: ": the
 * report date is past the ledger's last month with figures (those months count as no
 * investment) or before its first; or, the date left to its default, few projects
 * reach the latest month (a row typed 2025-09 for 2024-09); a filter value no project
 * of the ledger has (region=610499, leader=张山). The report is made all the same.
 * Notes 0 .. count-1; *out borrowed from the report. */
KP_API kp_status kp_report_note_count(const kp_report* report, size_t* out);
KP_API kp_status kp_report_note(const kp_report* report, size_t index, const char** out);

/* The exact value as text, as the JSON rendering writes it: counts whole, money in
 * 万元 with every decimal it has, rates and other ratios as fractions with 6
 * decimals rounded half-up ("0.833333"). *out = NULL (status KP_OK) when the value
 * is not applicable (a rate over zero). */
KP_API kp_status kp_report_value_text(const kp_report* report, size_t table, size_t row, size_t column,
                                      const char** out);
/* The display text reports print ("83.3%", "262.90", "—"); money_unit KP_MONEY_*. */
KP_API kp_status kp_report_value_display(const kp_report* report, size_t table, size_t row, size_t column,
                                         int32_t money_unit, const char** out);
/* The exact value (units as kp_report_value_text) times 10^scale, rounded half-up
 * (away from zero) once, from the exact value -- a rate is not first cut to the
 * text's 6 decimals (0.8591549... at scale 5 is 85915). scale 2 gives money in
 * 万元 as hundredths. scale 0-18.
 * *applicable = 0 and *out = 0 when not applicable. KP_OUT_OF_RANGE when the
 * result does not fit an int64_t. */
KP_API kp_status kp_report_value_int64(const kp_report* report, size_t table, size_t row, size_t column,
                                       int32_t scale, int64_t* out, int32_t* applicable);
/* The value as a double, units as kp_report_value_text. INEXACT: for charts only,
 * never for figures that are published or compared. */
KP_API kp_status kp_report_value_double(const kp_report* report, size_t table, size_t row, size_t column,
                                        double* out, int32_t* applicable);

/* The projects behind a cell of an indicator that lists them (late_reports,
 * stalled, ...): 0 for other indicators. Code and name borrowed. */
KP_API kp_status kp_report_project_count(const kp_report* report, size_t table, size_t row, size_t column,
                                         size_t* out);
KP_API kp_status kp_report_project(const kp_report* report, size_t table, size_t row, size_t column,
                                   size_t index, const char** code, const char** name);
/* Why project `index` of that cell is listed (since 0.3): its note, as reports print
 * it beside the code and name. Outputs (each may be NULL; strings borrowed from the
 * report, valid until kp_report_free):
 *   key:        the note's machine name ("reported_on", "max_days_overdue",
 *               "total_investment_fen"); NULL, with KP_OK, when the list keeps no note;
 *   label:      its Chinese column head ("报送日期", "最长超期天数");
 *   has_number: 1 when the note is a figure, then *number is it exactly, in the unit
 *               its key names (_fen: 分, _centipercent: 1/10000, days, months; else a
 *               count); 0 when it is a text (a date, "未报送", "用地、资金");
 *   text:       the value as reports print it ("92天", "60.00%", "12000.00万元" (money in
 *               万元), "2024-10-22").
 * Errors as kp_report_project (the index out of range is KP_OUT_OF_RANGE). */
KP_API kp_status kp_report_project_note(const kp_report* report, size_t table, size_t row, size_t column,
                                        size_t index, const char** key, const char** label, int32_t* has_number,
                                        int64_t* number, const char** text);

/* ---- Rendering ----------------------------------------------------------------------- */

typedef struct kp_render_options {
  uint32_t version;          /* KP_RENDER_OPTIONS_VERSION */
  int32_t money_unit;        /* KP_MONEY_*, default WAN */
  int32_t encoding;          /* output bytes: KP_ENCODING_UTF8 (AUTO means UTF-8) or GB18030 */
  const char* text_template; /* borrowed, may be NULL: KP_FORMAT_TEXT's template text */
  /* Version 2 (since 0.4). Borrowed, may be NULL (none): a dimension id ("leader", "county", as
   * kp_report_request_add_grouping takes one) whose groups get a dossier each (专报):
   * KP_FORMAT_TEXT and MARKDOWN write text_template (NULL: the leader dossier,
   * examples/templates/leader.txt) once per group with a heading per group, and
   * kp_report_write_xlsx a sheet per group; the other formats are KP_INVALID_ARGUMENT. */
  const char* dossier_by;
  /* Version 2 (since 0.4). kp_report_write_xlsx: nonzero (the default), the sheet 图表
   * -- cumulative investment by month against 序时进度, the first table's groups
   * ranked by plan_completion, and the figures behind them; 0, a bare workbook of
   * tables (`keyproj report --no-charts`). */
  int32_t charts;
  /* Version 3 (since 0.6). Borrowed, may be NULL (the catalogue's): display places of
   * indicators, "start_rate=0" or several joined by commas ("start_rate=0,
   * plan_completion=2"), N from 0 to 6 (`keyproj report --places`), in every document
   * and workbook. An id that is neither a catalogue id nor one of the report's
   * indicators, or one given twice: KP_INVALID_ARGUMENT. kp_report_value_display does
   * not read it: it takes its places from the catalogue. */
  const char* places;
} kp_render_options;

#define KP_RENDER_OPTIONS_VERSION 3
#define KP_RENDER_OPTIONS_INIT {KP_RENDER_OPTIONS_VERSION, KP_MONEY_WAN, KP_ENCODING_UTF8, NULL, NULL, 1, NULL}

KP_API kp_status kp_render_options_init(kp_render_options* options, uint32_t version);

/* The report as one document (KP_FORMAT_TABLE, JSON, CSV, MARKDOWN or TEXT): what
 * `keyproj report --format F` prints. options may be NULL. *out: owned. */
KP_API kp_status kp_report_render(const kp_report* report, int32_t format, const kp_render_options* options,
                                  kp_buffer* out);
/* The report as an Excel workbook written to `path`. */
KP_API kp_status kp_report_write_xlsx(const kp_report* report, const kp_render_options* options,
                                      const char* path);
/* The target statuses (needs a target set): KP_FORMAT_TABLE, JSON, CSV or MARKDOWN. */
KP_API kp_status kp_report_render_targets(const kp_report* report, int32_t format,
                                          const kp_render_options* options, kp_buffer* out);
/* The scores, ranked (needs a scheme): KP_FORMAT_TABLE, JSON or CSV. */
KP_API kp_status kp_report_render_scores(const kp_report* report, int32_t format,
                                         const kp_render_options* options, kp_buffer* out);
/* 0.4: the problem list (问题清单, `keyproj problems`): the open problems of problems.csv
 * at the request's as_of (unset: the end of the ledger's last month) over the request's
 * filter -- only those two of the request are read; request may be NULL: that date and
 * every project -- grouped by `group_by` ("owner" 责任单位, "kind" or "project"; NULL is
 * "owner"), only the overdue ones when overdue_only is nonzero, the most overdue first,
 * as one document: KP_FORMAT_TABLE, JSON, CSV, MARKDOWN or TEXT (docs/report.md,
 * "Problem lists"). options may be NULL (its money_unit is not used). *out: owned. */
KP_API kp_status kp_ledger_render_problems(const kp_ledger* ledger, const kp_report_request* request,
                                           const char* group_by, int32_t overdue_only, int32_t format,
                                           const kp_render_options* options, kp_buffer* out);

/* 0.4: the text of a built-in report template, for KP_FORMAT_TEXT's text_template:
 * "monthly" (the default monthly report, examples/templates/monthly.txt), "quarter"
 * (the quarter bulletin 季通报, examples/templates/quarter.txt) or "leader" (the
 * leader dossier 包抓领导专报, examples/templates/leader.txt). *text: static, UTF-8,
 * never freed. KP_NOT_FOUND for another name (the message lists the names). */
KP_API kp_status kp_template_text(const char* name, const char** text);

/* ---- The indicator catalogue (for a host's menus) ------------------------------------------- */

/* The number of catalogue indicators. */
KP_API size_t kp_catalogue_count(void);
/* Indicator `index`: id ("start_rate"), Chinese label, unit (KP_UNIT_*), default
 * display places and a one-line definition. Static strings. Output pointers may be
 * NULL. KP_OUT_OF_RANGE for a bad index. */
KP_API kp_status kp_catalogue_get(size_t index, const char** id, const char** label, int32_t* unit,
                                  int32_t* places, const char** definition);
/* 0.6: what indicator `index` is beside its figure, KP_INDICATOR_* ORed into *flags
 * (0 when none; KP_OUT_OF_RANGE for a bad index). */
#define KP_INDICATOR_ADDITIVE 1       /* groups add up to the whole scope: counts and sums, not rates */
#define KP_INDICATOR_LISTS_PROJECTS 2 /* its cells list the projects behind them (kp_report_project_count) */
KP_API kp_status kp_catalogue_flags(size_t index, int32_t* flags);
/* The standard dashboard: the default indicators, in column order. Static. */
KP_API size_t kp_standard_dashboard_count(void);
KP_API kp_status kp_standard_dashboard_get(size_t index, const char** id);

/* ---- What a ledger and a report are made of (for a host's menus; since 0.7) ------------------ */

/* The group-by dimensions: id ("county", what kp_report_request_add_grouping takes and
 * kp_report_group_dimension gives) and Chinese label ("县区"). Static strings; either
 * output may be NULL. KP_OUT_OF_RANGE for a bad index. */
KP_API size_t kp_dimension_count(void);
KP_API kp_status kp_dimension_get(size_t index, const char** id, const char** label);
/* The columns of a ledger table (KP_TABLE_*), in ledger-format.md's order: the header
 * the CSV loader and kp_column.name match -- id ("total_investment") or Chinese
 * ("总投资（万元）"); other accepted headers, '|'-separated ("" when none); and whether
 * the table must have it (*required 1 or 0). Any other column is kept as an extra.
 * Static strings; any output may be NULL. KP_INVALID_ARGUMENT for an unknown table,
 * KP_OUT_OF_RANGE for a bad index. */
KP_API kp_status kp_table_column_count(int32_t table, size_t* out);
KP_API kp_status kp_table_column_get(int32_t table, size_t index, const char** id, const char** chinese,
                                     const char** aliases, int32_t* required);

/* ---- Partials: a shard's report that travels (since 0.5) -------------------------------------
 *
 * A map step per shard computes the partial of a request over its ledger; a reduce step
 * merges any number of partials, in any order, into the report of the union -- value for
 * value what kp_report_make gives on the union ledger, project lists in code order
 * (docs/scale-out.md). Every shard needs the same request with the same as_of. */

/* The partial of `request` over `ledger` (one shard): the bytes of a .kpp file
 * (docs/scale-out.md). *out: owned by the caller, kp_buffer_dispose. KP_INVALID_ARGUMENT
 * names what cannot be merged exactly (a target set, a scoring scheme, a filter by
 * project code) or what kp_report_make would refuse. */
KP_API kp_status kp_partial_make(const kp_ledger* ledger, const kp_report_request* request, kp_buffer* out);

/* One partial to merge: `size` bytes at `data` and the name messages call it by (NULL:
 * "partial 1", "partial 2", ...). Both borrowed for the call. */
typedef struct kp_partial_input {
  const char* name;
  const char* data;
  size_t size;
} kp_partial_input;

/* The report of the union of the shards of `count` (>= 1) partials. *out: owned,
 * kp_report_free; read it as any report. kp_report_render refuses KP_FORMAT_TEXT and
 * dossiers, kp_report_write_xlsx needs charts = 0 (they read the whole ledger).
 * Each error names the file: KP_DATA_LOSS corrupt, truncated or foreign bytes;
 * KP_FAILED_PRECONDITION another format version; KP_INVALID_ARGUMENT partials of
 * different requests (naming the setting), shards sharing a project (naming its
 * code). */
KP_API kp_status kp_report_merge_partials(const kp_partial_input* partials, size_t count, kp_report** out);

/* The partial of the union of the shards of `count` (>= 1) partials: one partial that
 * merges with others as theirs would (a tree reduce: combine within a province, merge
 * at the centre). *out: owned by the caller, kp_buffer_dispose. Errors: those of
 * kp_report_merge_partials. */
KP_API kp_status kp_partial_combine(const kp_partial_input* partials, size_t count, kp_buffer* out);

KP_END_DECL

#endif /* KEYPROJ_CAPI_KEYPROJ_H_ */
