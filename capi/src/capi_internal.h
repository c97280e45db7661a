// The C ABI's shim: the structs behind the opaque handles, wrap/unwrap casts that
// check each handle's tag, the thread-local last error, and KP_API_BEGIN/END,
// which keep every exception on this side of the boundary.
#ifndef KEYPROJ_CAPI_SRC_CAPI_INTERNAL_H_
#define KEYPROJ_CAPI_SRC_CAPI_INTERNAL_H_

#include <cstdint>
#include <cstring>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <new>
#include <string>
#include <string_view>
#include <tuple>

#include "absl/status/status.h"
#include "keyproj.h"
#include "keyproj/column_import.h"
#include "keyproj/csv_loader.h"
#include "keyproj/diagnostic.h"
#include "keyproj/ledger.h"
#include "keyproj/regions.h"
#include "keyproj/report.h"
#include "keyproj/report_request.h"

// The handles. Each starts with its tag, which is cleared when it is freed.
struct kp_ledger_s {
  static constexpr uint32_t kMagic = 0x4b504c47;  // "KPLG"
  static constexpr const char* kName = "kp_ledger";
  uint32_t magic = kMagic;
  std::shared_ptr<const keyproj::Ledger> ledger;
  // The region names that came with it (kp_ledger_open: the snapshot's, or the
  // folder's regions.csv); null otherwise. kp_report_make uses them when the
  // request names none; kp_ledger_pack writes them.
  std::shared_ptr<const keyproj::RegionNames> regions;
};

struct kp_diagnostics_s {
  static constexpr uint32_t kMagic = 0x4b504447;  // "KPDG"
  static constexpr const char* kName = "kp_diagnostics";
  uint32_t magic = kMagic;
  keyproj::Diagnostics items;
  std::vector<std::string> texts;  // ToString() of each, made with the set
};

struct kp_ledger_builder_s {
  static constexpr uint32_t kMagic = 0x4b504c42;  // "KPLB"
  static constexpr const char* kName = "kp_ledger_builder";
  uint32_t magic = kMagic;
  keyproj::ColumnLedgerBuilder builder;
};

struct kp_report_request_s {
  static constexpr uint32_t kMagic = 0x4b505251;  // "KPRQ"
  static constexpr const char* kName = "kp_report_request";
  uint32_t magic = kMagic;
  keyproj::ReportRequest request;
  bool groupings_set = false;  // the first add_grouping replaces the default
};

struct kp_report_s {
  static constexpr uint32_t kMagic = 0x4b505250;  // "KPRP"
  static constexpr const char* kName = "kp_report";
  uint32_t magic = kMagic;
  std::shared_ptr<const keyproj::Ledger> ledger;  // the report's figures refer to it
  keyproj::Report report;
  // Texts made on demand for borrowed results (cell texts, project codes): node
  // based, so a string never moves once made. Guarded: readers may share a report.
  std::mutex mu;
  std::map<std::tuple<int, size_t, size_t, size_t, size_t>, std::string> texts;
  // Merged from partials (kp_report_merge_partials): `ledger` holds only the listed
  // projects, so what reads the whole ledger is refused (keyproj::MergedRenderable).
  bool merged = false;
};

namespace keyproj::capi {

// The thread's last error; "" after a success.
std::string& LastError();

inline kp_status Ok() {
  LastError().clear();
  return KP_OK;
}
kp_status Fail(kp_status code, std::string message);
// For the catch handlers: never throws (the message is dropped if it cannot be made).
kp_status FailNoThrow(kp_status code, const char* message, const char* detail = "") noexcept;
// The library's message with its option names as the C ABI spells them (the load
// hint "use 'duplicate_months=sum'" is kp_load_options.merge_duplicates = 1 here).
std::string CapiOptionNames(std::string message);
// A failed status as the thread's last error (its message through CapiOptionNames).
kp_status FromStatus(const absl::Status& status);
// "row 7 out of range (count 5)".
kp_status IndexError(const char* what, size_t index, size_t bound);
inline kp_status InvalidArgument(std::string message) { return Fail(KP_INVALID_ARGUMENT, std::move(message)); }

// kp_load_options (NULL: defaults) -> LoadOptions; checks version, encoding, fx_rates.
kp_status ToLoadOptions(const kp_load_options* in, LoadOptions* out);

// The end of a load or build: the ledger handle to *out (when the load succeeded)
// and the diagnostics handle to *problems (when asked for), both made before either
// is handed over, so a failure to allocate leaves the caller owning nothing.
// Returns the load's status.
// Copies `bytes` to a malloc'ed, NUL-terminated kp_buffer the caller owns
// (kp_buffer_dispose frees it).
kp_status ToBuffer(std::string_view bytes, kp_buffer* out);

kp_status HandOverLedger(absl::StatusOr<Ledger> ledger, Diagnostics items, kp_ledger** out,
                         kp_diagnostics** problems);

// The tag of whatever `p` points at, read without assuming its type.
inline uint32_t PeekMagic(const void* p) {
  uint32_t m = 0;
  std::memcpy(&m, p, sizeof m);
  return m;
}

// Checks a handle argument: NULL or a wrong tag is an error naming `param`.
template <typename H>
kp_status CheckHandle(const H* h, const char* param) {
  if (h == nullptr) return InvalidArgument(std::string(param) + ": NULL " + H::kName);
  if (PeekMagic(h) != H::kMagic) {
    return InvalidArgument(std::string(param) + ": not a " + H::kName + " (freed or foreign)");
  }
  return KP_OK;
}

template <typename T>
kp_status CheckOut(const T* out, const char* param) {
  if (out == nullptr) return InvalidArgument(std::string(param) + ": NULL output pointer");
  return KP_OK;
}

// A required string argument: not NULL and valid UTF-8.
kp_status CheckString(const char* s, const char* param);
// An optional string argument: NULL is allowed.
kp_status CheckOptionalString(const char* s, const char* param);

// Frees a handle: clears its tag first, so that a later call with the dangling
// pointer is caught while the memory has not been reused.
template <typename H>
void Destroy(H* h) {
  if (h == nullptr || PeekMagic(h) != H::kMagic) return;
  h->magic = 0;
  delete h;
}

// A copy of a static or long-lived text into a NUL-terminated string owned by `rep`.
const char* ReportText(kp_report_s* rep, std::tuple<int, size_t, size_t, size_t, size_t> key,
                       std::string_view text);

}  // namespace keyproj::capi

#define KP_RETURN_IF_ERROR(expr)            \
  do {                                      \
    const kp_status kp_rc_ = (expr);        \
    if (kp_rc_ != KP_OK) return kp_rc_;     \
  } while (0)

#define KP_API_BEGIN try {
#define KP_API_END                                                                              \
  }                                                                                             \
  catch (const std::bad_alloc&) {                                                               \
    return ::keyproj::capi::FailNoThrow(KP_RESOURCE_EXHAUSTED, "out of memory");                \
  }                                                                                             \
  catch (const std::exception& e) {                                                             \
    return ::keyproj::capi::FailNoThrow(KP_INTERNAL, "internal error: ", e.what());             \
  }                                                                                             \
  catch (...) {                                                                                 \
    return ::keyproj::capi::FailNoThrow(KP_INTERNAL, "internal error: unknown exception");      \
  }

#endif  // KEYPROJ_CAPI_SRC_CAPI_INTERNAL_H_
