// Loading a ledger from its CSV folder, and the problems a load found.
#include <filesystem>
#include <cstddef>
#include <cstring>
#include <string>
#include <system_error>
#include <string_view>

#include "capi_internal.h"
#include "keyproj/csv_loader.h"
#include "keyproj/snapshot.h"
#include "keyproj/enum_table.h"
#include "keyproj/internal/text.h"

using namespace keyproj::capi;  // NOLINT: the shim's own helpers

namespace keyproj::capi {

namespace {
constexpr uint32_t kLoadOptionsVersion = KP_LOAD_OPTIONS_VERSION;
}  // namespace

kp_status ToLoadOptions(const kp_load_options* in, LoadOptions* out) {
  if (in == nullptr) return KP_OK;
  if (in->version == 0 || in->version > kLoadOptionsVersion) {
    return InvalidArgument("options: kp_load_options version " + std::to_string(in->version) +
                           " (this library knows 1 to " + std::to_string(kLoadOptionsVersion) + ")");
  }
  const auto encoding = static_cast<Encoding>(in->encoding);
  if (in->encoding < 0 || in->encoding > 255 || FindEnumEntry(encoding) == nullptr) {
    return InvalidArgument("options: encoding " + std::to_string(in->encoding) + ": not a KP_ENCODING_ value (" +
                           AcceptedEnumValues<Encoding>() + ")");
  }
  out->encoding = encoding;
  out->lenient = in->lenient != 0;
  out->duplicate_months = in->merge_duplicates != 0 ? DuplicateMonths::kSum : DuplicateMonths::kError;
  KP_RETURN_IF_ERROR(CheckOptionalString(in->fx_rates, "options.fx_rates"));
  if (in->fx_rates != nullptr) {
    std::string_view rest = in->fx_rates;
    while (!rest.empty()) {
      const size_t comma = rest.find(',');
      const std::string_view item = internal::TrimAscii(rest.substr(0, comma));
      if (!item.empty()) {
        const size_t eq = item.find('=');
        if (eq == std::string_view::npos || eq == 0 || eq + 1 == item.size()) {
          return InvalidArgument("options.fx_rates '" + std::string(item) +
                                 "': write each as CUR=RATE, e.g. USD=7.1,EUR=7.8");
        }
        out->fx_rates.emplace_back(internal::TrimAscii(item.substr(0, eq)), internal::TrimAscii(item.substr(eq + 1)));
      }
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  }
  if (in->version >= 2) {  // a version-1 struct ends before threads
    if (in->threads < 0) {
      return InvalidArgument("options.threads " + std::to_string(in->threads) +
                             ": 0 (one per hardware thread), 1 (the calling thread) or more");
    }
    out->threads = in->threads;
  }
  return KP_OK;
}

kp_status HandOverLedger(absl::StatusOr<Ledger> ledger, Diagnostics items, kp_ledger** out,
                         kp_diagnostics** problems) {
  std::unique_ptr<kp_ledger_s> handle;
  if (ledger.ok()) {
    handle = std::make_unique<kp_ledger_s>();
    handle->ledger = std::make_shared<const Ledger>(*std::move(ledger));
  }
  std::unique_ptr<kp_diagnostics_s> diags;
  if (problems != nullptr) {
    diags = std::make_unique<kp_diagnostics_s>();
    diags->items = std::move(items);
    for (Diagnostic& d : diags->items) d.reason = CapiOptionNames(std::move(d.reason));
    diags->texts.reserve(diags->items.size());
    for (const Diagnostic& d : diags->items) diags->texts.push_back(d.ToString());
  }
  const kp_status rc = FromStatus(ledger.status());
  // Nothing below can fail: hand the results over.
  if (problems != nullptr) *problems = diags.release();
  if (handle) *out = handle.release();
  return rc;
}

}  // namespace keyproj::capi

extern "C" {

KP_API kp_status kp_load_options_init(kp_load_options* options, uint32_t version) {
  KP_API_BEGIN
  KP_RETURN_IF_ERROR(CheckOut(options, "options"));
  if (version == 0 || version > kLoadOptionsVersion) {
    return InvalidArgument("version " + std::to_string(version) + ": kp_load_options versions are 1 to " +
                           std::to_string(kLoadOptionsVersion));
  }
  const kp_load_options defaults = KP_LOAD_OPTIONS_INIT;
  // Only the fields of `version`: a caller built against an older header has a
  // shorter struct.
  std::memcpy(options, &defaults, version >= 2 ? sizeof defaults : offsetof(kp_load_options, threads));
  options->version = version;
  return Ok();
  KP_API_END
}

namespace {
// A ledger folder's region names, read once it loaded: its regions.csv (none: no
// names, nullptr), kept with the ledger so that reports label groups with them and
// kp_ledger_pack writes them. Their problems are the load's: a strict load with any
// fails (*ledger becomes the error).
std::shared_ptr<const keyproj::RegionNames> FolderRegions(const char* dir, const keyproj::LoadOptions& load,
                                                          absl::StatusOr<keyproj::Ledger>* ledger,
                                                          keyproj::Diagnostics* items) {
  if (!ledger->ok()) return nullptr;
  const size_t before = items->size();
  absl::StatusOr<keyproj::RegionNames> names = keyproj::LoadRegionNames(dir, load.encoding, items);
  if (!names.ok()) {
    *ledger = names.status();
    return nullptr;
  }
  if (items->size() > before && !load.lenient) {
    *ledger = absl::InvalidArgumentError(std::to_string(items->size() - before) +
                                         " problems in regions.csv; nothing was loaded");
    return nullptr;
  }
  return std::make_shared<const keyproj::RegionNames>(*std::move(names));
}
}  // namespace

KP_API kp_status kp_ledger_open_csv(const char* dir, const kp_load_options* options, kp_ledger** out,
                                    kp_diagnostics** problems) {
  KP_API_BEGIN
  if (out != nullptr) *out = nullptr;
  if (problems != nullptr) *problems = nullptr;
  KP_RETURN_IF_ERROR(CheckOut(out, "out"));
  KP_RETURN_IF_ERROR(CheckString(dir, "dir"));
  keyproj::LoadOptions load;
  KP_RETURN_IF_ERROR(ToLoadOptions(options, &load));

  keyproj::Diagnostics items;
  absl::StatusOr<keyproj::Ledger> ledger = keyproj::LoadCsvLedger(dir, load, &items);
  std::shared_ptr<const keyproj::RegionNames> regions = FolderRegions(dir, load, &ledger, &items);
  const kp_status rc = HandOverLedger(std::move(ledger), std::move(items), out, problems);
  if (*out != nullptr) (*out)->regions = std::move(regions);
  return rc;
  KP_API_END
}

KP_API kp_status kp_ledger_project_count(const kp_ledger* ledger, size_t* out) {
  KP_API_BEGIN
  KP_RETURN_IF_ERROR(CheckOut(out, "out"));
  *out = 0;
  KP_RETURN_IF_ERROR(CheckHandle(ledger, "ledger"));
  *out = ledger->ledger->size();
  return Ok();
  KP_API_END
}

KP_API void kp_ledger_free(kp_ledger* ledger) { Destroy(ledger); }

KP_API kp_status kp_diagnostics_count(const kp_diagnostics* diagnostics, size_t* out) {
  KP_API_BEGIN
  KP_RETURN_IF_ERROR(CheckOut(out, "out"));
  *out = 0;
  KP_RETURN_IF_ERROR(CheckHandle(diagnostics, "diagnostics"));
  *out = diagnostics->items.size();
  return Ok();
  KP_API_END
}

KP_API kp_status kp_diagnostics_get(const kp_diagnostics* diagnostics, size_t index, const char** file,
                                    int64_t* line, int32_t* column, const char** field, const char** reason) {
  KP_API_BEGIN
  // Every output cleared first, so that a failure leaves none of them stale.
  if (file) *file = nullptr;
  if (line) *line = 0;
  if (column) *column = 0;
  if (field) *field = nullptr;
  if (reason) *reason = nullptr;
  KP_RETURN_IF_ERROR(CheckHandle(diagnostics, "diagnostics"));
  if (index >= diagnostics->items.size()) return IndexError("diagnostic", index, diagnostics->items.size());
  const keyproj::Diagnostic& d = diagnostics->items[index];
  if (file) *file = d.file.c_str();
  if (line) *line = d.line;
  if (column) *column = d.column;
  if (field) *field = d.field.c_str();
  if (reason) *reason = d.reason.c_str();
  return Ok();
  KP_API_END
}

KP_API kp_status kp_diagnostics_text(const kp_diagnostics* diagnostics, size_t index, const char** out) {
  KP_API_BEGIN
  KP_RETURN_IF_ERROR(CheckOut(out, "out"));
  *out = nullptr;
  KP_RETURN_IF_ERROR(CheckHandle(diagnostics, "diagnostics"));
  if (index >= diagnostics->texts.size()) return IndexError("diagnostic", index, diagnostics->texts.size());
  *out = diagnostics->texts[index].c_str();
  return Ok();
  KP_API_END
}

KP_API void kp_diagnostics_free(kp_diagnostics* diagnostics) { Destroy(diagnostics); }

KP_API kp_status kp_ledger_open(const char* path, const kp_load_options* options, kp_ledger** out,
                                kp_diagnostics** problems) {
  KP_API_BEGIN
  if (out != nullptr) *out = nullptr;
  if (problems != nullptr) *problems = nullptr;
  KP_RETURN_IF_ERROR(CheckOut(out, "out"));
  KP_RETURN_IF_ERROR(CheckString(path, "path"));
  keyproj::LoadOptions load;
  KP_RETURN_IF_ERROR(ToLoadOptions(options, &load));

  keyproj::Diagnostics items;
  std::shared_ptr<const keyproj::RegionNames> regions;
  absl::StatusOr<keyproj::Ledger> ledger = keyproj::OpenLedger(path, load, &items, &regions);
  if (regions == nullptr) regions = FolderRegions(path, load, &ledger, &items);
  const kp_status rc = HandOverLedger(std::move(ledger), std::move(items), out, problems);
  if (*out != nullptr) (*out)->regions = std::move(regions);
  return rc;
  KP_API_END
}

KP_API kp_status kp_ledger_pack(const kp_ledger* ledger, const char* path) {
  KP_API_BEGIN
  KP_RETURN_IF_ERROR(CheckHandle(ledger, "ledger"));
  KP_RETURN_IF_ERROR(CheckString(path, "path"));
  return FromStatus(keyproj::WriteSnapshot(*ledger->ledger, ledger->regions.get(), path));
  KP_API_END
}

}  // extern "C"
