// The C ABI of partials (keyproj/partial.h): kp_partial_make, kp_report_merge_partials,
// kp_partial_combine.
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "capi_internal.h"
#include "keyproj/partial.h"

using namespace keyproj::capi;  // NOLINT: the shim's helpers

namespace {

// The C array of partials as the library's inputs; *names keeps the names they view.
kp_status ToInputs(const kp_partial_input* partials, size_t count, std::vector<std::string>* names,
                   std::vector<keyproj::PartialInput>* inputs) {
  if (partials == nullptr) return InvalidArgument("partials: NULL array");
  if (count == 0) return InvalidArgument("count: 0 partials (give at least one)");
  names->reserve(count);
  for (size_t i = 0; i < count; ++i) {
    const kp_partial_input& in = partials[i];
    if (in.data == nullptr && in.size != 0) {
      return InvalidArgument("partials[" + std::to_string(i) + "]: NULL data of " + std::to_string(in.size) + " bytes");
    }
    KP_RETURN_IF_ERROR(CheckOptionalString(in.name, "partials[].name"));
    names->push_back(in.name != nullptr ? std::string(in.name) : "partial " + std::to_string(i + 1));
  }
  for (size_t i = 0; i < count; ++i) {
    inputs->push_back({(*names)[i], partials[i].data == nullptr ? std::string_view()
                                                                : std::string_view(partials[i].data, partials[i].size)});
  }
  return KP_OK;
}

}  // namespace

KP_API kp_status kp_partial_make(const kp_ledger* ledger, const kp_report_request* request, kp_buffer* out) {
  KP_API_BEGIN
  KP_RETURN_IF_ERROR(CheckOut(out, "out"));
  out->data = nullptr;
  out->size = 0;
  KP_RETURN_IF_ERROR(CheckHandle(ledger, "ledger"));
  KP_RETURN_IF_ERROR(CheckHandle(request, "request"));
  absl::StatusOr<std::string> bytes = keyproj::MakePartial(*ledger->ledger, request->request);
  if (!bytes.ok()) return FromStatus(bytes.status());
  return ToBuffer(*bytes, out);
  KP_API_END
}

KP_API kp_status kp_report_merge_partials(const kp_partial_input* partials, size_t count, kp_report** out) {
  KP_API_BEGIN
  KP_RETURN_IF_ERROR(CheckOut(out, "out"));
  *out = nullptr;
  std::vector<std::string> names;
  std::vector<keyproj::PartialInput> inputs;
  KP_RETURN_IF_ERROR(ToInputs(partials, count, &names, &inputs));
  absl::StatusOr<keyproj::MergedReport> merged = keyproj::MergePartials(inputs);
  if (!merged.ok()) return FromStatus(merged.status());
  auto handle = std::make_unique<kp_report_s>();
  handle->ledger = std::make_shared<const keyproj::Ledger>(std::move(merged->ledger));
  handle->report = std::move(merged->report);
  handle->merged = true;
  *out = handle.release();
  return Ok();
  KP_API_END
}

KP_API kp_status kp_partial_combine(const kp_partial_input* partials, size_t count, kp_buffer* out) {
  KP_API_BEGIN
  KP_RETURN_IF_ERROR(CheckOut(out, "out"));
  out->data = nullptr;
  out->size = 0;
  std::vector<std::string> names;
  std::vector<keyproj::PartialInput> inputs;
  KP_RETURN_IF_ERROR(ToInputs(partials, count, &names, &inputs));
  absl::StatusOr<std::string> bytes = keyproj::CombinePartials(inputs);
  if (!bytes.ok()) return FromStatus(bytes.status());
  return ToBuffer(*bytes, out);
  KP_API_END
}
