// Internal: the boundary that keeps exceptions inside the library.
//
// keyproj's own code reports failures as absl::Status and throws nothing, but the
// standard library and Boost may: std::bad_alloc whenever memory runs out,
// std::length_error for an impossible size, std::system_error from a thread. Every
// public entry point that does real work (loading, building, evaluating, rendering,
// writing, parsing a spec) runs its body through NoThrow, so that such an exception
// becomes a Status -- ResourceExhausted for memory, Internal for anything else --
// naming what was being done. One boundary per entry point, not try blocks scattered
// through the code (tests/no_throw_test.cc fails allocations one by one to prove it).
#ifndef KEYPROJ_INTERNAL_NO_THROW_H_
#define KEYPROJ_INTERNAL_NO_THROW_H_

#include <exception>
#include <new>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace keyproj::internal {

// The Status an exception stands for, with `what` ("loading the ledger") in front.
// If even the message cannot be allocated, the Status has the code alone.
inline absl::Status StatusOfException(std::string_view what, std::exception_ptr e) noexcept {
  absl::StatusCode code = absl::StatusCode::kInternal;
  try {
    try {
      std::rethrow_exception(std::move(e));
    } catch (const std::bad_alloc&) {
      code = absl::StatusCode::kResourceExhausted;
      return absl::Status(code, std::string(what) + ": out of memory");
    } catch (const std::exception& ex) {
      return absl::Status(code, std::string(what) + ": " + ex.what());
    } catch (...) {
      return absl::Status(code, std::string(what) + ": an unknown exception");
    }
  } catch (...) {
    return absl::Status(code, "");  // an empty message allocates nothing
  }
}

// Runs `body` (returning absl::Status or absl::StatusOr<T>); an exception it throws
// comes back as a Status.
template <typename Body>
auto NoThrow(std::string_view what, Body&& body) noexcept -> decltype(body()) {
  try {
    return std::forward<Body>(body)();
  } catch (...) {
    return StatusOfException(what, std::current_exception());
  }
}

}  // namespace keyproj::internal

#endif  // KEYPROJ_INTERNAL_NO_THROW_H_
