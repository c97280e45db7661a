// Status codes, the last error, versions, owned buffers and the catalogue.
#include <cstdlib>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "capi_internal.h"
#include "keyproj/csv_loader.h"
#include "keyproj/encoding.h"
#include "keyproj/query.h"
#include "keyproj/indicators.h"

#ifndef KEYPROJ_VERSION
#error "KEYPROJ_VERSION (project(keyproj VERSION ...)) must be defined by capi/CMakeLists.txt"
#endif

namespace keyproj::capi {

std::string& LastError() {
  thread_local std::string message;
  return message;
}

namespace {

// A message longer than this keeps its head and tail: one that echoes a host's 10 MB
// filter (two or three times over, in its quote and the parser's) would otherwise
// cost every failing call that much, for text nobody reads whole.
constexpr size_t kMaxMessageBytes = 64 * 1024;

// Back from `at` to the start of a UTF-8 character.
size_t CharacterStart(const std::string& s, size_t at) {
  while (at > 0 && at < s.size() && (static_cast<unsigned char>(s[at]) & 0xC0) == 0x80) --at;
  return at;
}

}  // namespace

kp_status Fail(kp_status code, std::string message) {
  if (message.size() > kMaxMessageBytes) {
    const size_t head = CharacterStart(message, kMaxMessageBytes / 2);
    const size_t tail = CharacterStart(message, message.size() - kMaxMessageBytes / 8);
    message = message.substr(0, head) + " [... " + std::to_string(tail - head) + " bytes left out ...] " +
              message.substr(tail);
  }
  LastError() = std::move(message);
  return code;
}

kp_status FailNoThrow(kp_status code, const char* message, const char* detail) noexcept {
  try {
    std::string& last = LastError();
    last = message;
    last += detail;
  } catch (...) {
    LastError().clear();  // clear() never allocates
  }
  return code;
}

std::string CapiOptionNames(std::string message) {
  // Library option -> the kp_load_options field that sets it, where they differ.
  static constexpr std::pair<std::string_view, std::string_view> kRenamed[] = {
      {"'duplicate_months=sum'", "'merge_duplicates=1'"},
  };
  for (const auto& [option, field] : kRenamed) {
    for (size_t at = message.find(option); at != std::string::npos; at = message.find(option, at + field.size())) {
      message.replace(at, option.size(), field);
    }
  }
  return message;
}

kp_status FromStatus(const absl::Status& status) {
  if (status.ok()) return Ok();
  return Fail(static_cast<kp_status>(status.code()), CapiOptionNames(std::string(status.message())));
}

kp_status CheckOptionalString(const char* s, const char* param) {
  if (s == nullptr) return KP_OK;
  const std::string_view text(s);
  if (const size_t bad = FindInvalidUtf8(text); bad != std::string_view::npos) {
    return InvalidArgument(std::string(param) + ": not valid UTF-8 (byte " + std::to_string(bad) + ")");
  }
  return KP_OK;
}

kp_status CheckString(const char* s, const char* param) {
  if (s == nullptr) return InvalidArgument(std::string(param) + ": NULL string");
  return CheckOptionalString(s, param);
}

const char* ReportText(kp_report_s* rep, std::tuple<int, size_t, size_t, size_t, size_t> key,
                       std::string_view text) {
  std::lock_guard<std::mutex> lock(rep->mu);
  auto [it, inserted] = rep->texts.try_emplace(key);
  if (inserted) it->second.assign(text);
  return it->second.c_str();
}

namespace {

// The catalogue's texts as NUL-terminated strings, made once.
struct CatalogueTexts {
  std::vector<std::string> ids, labels, definitions, dashboard;
};

const CatalogueTexts& Texts() {
  static const CatalogueTexts texts = [] {
    CatalogueTexts t;
    for (const IndicatorDef& d : Catalogue()) {
      t.ids.emplace_back(d.id);
      t.labels.emplace_back(d.label);
      t.definitions.emplace_back(d.definition);
    }
    for (std::string_view id : StandardDashboard()) t.dashboard.emplace_back(id);
    return t;
  }();
  return texts;
}

}  // namespace

kp_status IndexError(const char* what, size_t index, size_t bound) {
  return Fail(KP_OUT_OF_RANGE,
              std::string(what) + " " + std::to_string(index) + " out of range (count " + std::to_string(bound) + ")");
}

}  // namespace keyproj::capi

using namespace keyproj::capi;  // NOLINT: the shim's own helpers

extern "C" {

KP_API const char* kp_status_name(kp_status status) {
  switch (status) {
    case KP_OK: return "OK";
    case KP_CANCELLED: return "CANCELLED";
    case KP_UNKNOWN: return "UNKNOWN";
    case KP_INVALID_ARGUMENT: return "INVALID_ARGUMENT";
    case KP_DEADLINE_EXCEEDED: return "DEADLINE_EXCEEDED";
    case KP_NOT_FOUND: return "NOT_FOUND";
    case KP_ALREADY_EXISTS: return "ALREADY_EXISTS";
    case KP_PERMISSION_DENIED: return "PERMISSION_DENIED";
    case KP_RESOURCE_EXHAUSTED: return "RESOURCE_EXHAUSTED";
    case KP_FAILED_PRECONDITION: return "FAILED_PRECONDITION";
    case KP_ABORTED: return "ABORTED";
    case KP_OUT_OF_RANGE: return "OUT_OF_RANGE";
    case KP_UNIMPLEMENTED: return "UNIMPLEMENTED";
    case KP_INTERNAL: return "INTERNAL";
    case KP_UNAVAILABLE: return "UNAVAILABLE";
    case KP_DATA_LOSS: return "DATA_LOSS";
    case KP_UNAUTHENTICATED: return "UNAUTHENTICATED";
    default: return "UNKNOWN_STATUS";
  }
}

KP_API const char* kp_last_error_message(void) { return LastError().c_str(); }

KP_API const char* kp_version(void) { return KEYPROJ_VERSION; }
KP_API int32_t kp_version_number(void) {
  return KEYPROJ_VERSION_MAJOR * 10000 + KEYPROJ_VERSION_MINOR * 100 + KEYPROJ_VERSION_PATCH;
}
KP_API int32_t kp_abi_version(void) { return KEYPROJ_ABI_VERSION; }

KP_API void kp_buffer_dispose(kp_buffer* buf) {
  if (buf == nullptr) return;
  std::free(buf->data);
  buf->data = nullptr;
  buf->size = 0;
}

KP_API size_t kp_catalogue_count(void) { return keyproj::Catalogue().size(); }

KP_API kp_status kp_catalogue_get(size_t index, const char** id, const char** label, int32_t* unit,
                                  int32_t* places, const char** definition) {
  KP_API_BEGIN
  // Every output cleared first, so that a failure leaves none of them stale.
  if (id) *id = nullptr;
  if (label) *label = nullptr;
  if (unit) *unit = 0;
  if (places) *places = 0;
  if (definition) *definition = nullptr;
  const auto defs = keyproj::Catalogue();
  if (index >= defs.size()) return IndexError("catalogue index", index, defs.size());
  const CatalogueTexts& t = Texts();
  if (id) *id = t.ids[index].c_str();
  if (label) *label = t.labels[index].c_str();
  if (unit) *unit = static_cast<int32_t>(defs[index].unit);
  if (places) *places = defs[index].places;
  if (definition) *definition = t.definitions[index].c_str();
  return Ok();
  KP_API_END
}

KP_API kp_status kp_catalogue_flags(size_t index, int32_t* flags) {
  KP_API_BEGIN
  KP_RETURN_IF_ERROR(CheckOut(flags, "flags"));
  *flags = 0;
  const auto defs = keyproj::Catalogue();
  if (index >= defs.size()) return IndexError("catalogue index", index, defs.size());
  *flags = (defs[index].additive ? KP_INDICATOR_ADDITIVE : 0) | (defs[index].lists_projects ? KP_INDICATOR_LISTS_PROJECTS : 0);
  return Ok();
  KP_API_END
}

KP_API size_t kp_dimension_count(void) { return keyproj::EnumTraits<keyproj::Dimension>::entries().size(); }

KP_API kp_status kp_dimension_get(size_t index, const char** id, const char** label) {
  KP_API_BEGIN
  if (id) *id = nullptr;
  if (label) *label = nullptr;
  const auto entries = keyproj::EnumTraits<keyproj::Dimension>::entries();
  if (index >= entries.size()) return IndexError("dimension index", index, entries.size());
  // The enum table's entries are string literals: NUL-terminated.
  if (id) *id = entries[index].id.data();
  if (label) *label = entries[index].label.data();
  return Ok();
  KP_API_END
}

namespace {
kp_status TableColumns(int32_t table, std::span<const keyproj::LedgerColumn>* out) {
  if (table < 0 || table >= keyproj::kTableCount) {
    return InvalidArgument("table " + std::to_string(table) + ": not a KP_TABLE_ value (0-" +
                           std::to_string(keyproj::kTableCount - 1) + ")");
  }
  *out = keyproj::LedgerColumns(static_cast<keyproj::Table>(table));
  return KP_OK;
}
}  // namespace

KP_API kp_status kp_table_column_count(int32_t table, size_t* out) {
  KP_API_BEGIN
  KP_RETURN_IF_ERROR(CheckOut(out, "out"));
  *out = 0;
  std::span<const keyproj::LedgerColumn> columns;
  KP_RETURN_IF_ERROR(TableColumns(table, &columns));
  *out = columns.size();
  return Ok();
  KP_API_END
}

KP_API kp_status kp_table_column_get(int32_t table, size_t index, const char** id, const char** chinese,
                                     const char** aliases, int32_t* required) {
  KP_API_BEGIN
  if (id) *id = nullptr;
  if (chinese) *chinese = nullptr;
  if (aliases) *aliases = nullptr;
  if (required) *required = 0;
  std::span<const keyproj::LedgerColumn> columns;
  KP_RETURN_IF_ERROR(TableColumns(table, &columns));
  if (index >= columns.size()) return IndexError("column index", index, columns.size());
  const keyproj::LedgerColumn& c = columns[index];  // literals: NUL-terminated (csv_loader.h)
  if (id) *id = c.id.data();
  if (chinese) *chinese = c.chinese.data();
  if (aliases) *aliases = c.aliases.empty() ? "" : c.aliases.data();
  if (required) *required = c.required ? 1 : 0;
  return Ok();
  KP_API_END
}

KP_API size_t kp_standard_dashboard_count(void) { return keyproj::StandardDashboard().size(); }

KP_API kp_status kp_standard_dashboard_get(size_t index, const char** id) {
  KP_API_BEGIN
  KP_RETURN_IF_ERROR(CheckOut(id, "id"));
  *id = nullptr;
  const CatalogueTexts& t = Texts();
  if (index >= t.dashboard.size()) return IndexError("dashboard index", index, t.dashboard.size());
  *id = t.dashboard[index].c_str();
  return Ok();
  KP_API_END
}

}  // extern "C"
