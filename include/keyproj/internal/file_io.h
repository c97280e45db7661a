// Internal: reading a small input file whole (a template, a target set, a curve,
// regions.csv), and files published whole or not at all. A writer fills a temporary file
// beside the target (created exclusively, so two writers never share one) and
// renames it over the target; on any failure the temporary is removed. Used by the
// workbook writer and by every CLI command that writes a file.
#ifndef KEYPROJ_INTERNAL_FILE_IO_H_
#define KEYPROJ_INTERNAL_FILE_IO_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace keyproj::internal {

// The bytes of the regular file at `path`. Errors name the path and the reason:
// NotFound (no such file), PermissionDenied, FailedPrecondition (a directory, a
// device or a FIFO where a file is expected), Unavailable (a read error).
absl::StatusOr<std::string> ReadFile(const std::string& path);

// Creates an empty file beside `path` with a name no one else has. Error:
// Unavailable, "cannot write PATH: reason".
absl::StatusOr<std::string> ReserveTemporaryBeside(const std::string& path);

// Renames `temp` over `path`; on failure removes `temp`. Error as above.
absl::Status Publish(const std::string& temp, const std::string& path);

// Writes `bytes` to `path` whole or not at all.
absl::Status WriteFileAtomically(const std::string& path, std::string_view bytes);

}  // namespace keyproj::internal

#endif  // KEYPROJ_INTERNAL_FILE_IO_H_
