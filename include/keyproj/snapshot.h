// Snapshots (.kpl): a validated ledger written as one file that is mapped, not
// parsed, when opened -- `keyproj pack`, and `--data ledger.kpl` wherever a folder
// goes. The format, what is checked on open and the compatibility promise are in
// docs/snapshot.md.
//
//   absl::StatusOr<Ledger> l = LoadCsvLedger("data", options, &diagnostics);
//   WriteSnapshot(*l, &regions, "ledger.kpl");          // once, after a load
//   absl::StatusOr<Snapshot> s = OpenSnapshot("ledger.kpl");  // ~ms for 10^6 projects
//
// An opened ledger's columns live in the mapped file (the Ledger keeps the mapping
// alive); it reads exactly as the ledger that was packed, from any number of
// threads. A truncated, corrupted, foreign, newer or crafted file is an error
// naming the file, what is wrong and where (section, offset) -- never a crash or a
// wrong figure.
#ifndef KEYPROJ_SNAPSHOT_H_
#define KEYPROJ_SNAPSHOT_H_

#include <filesystem>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "keyproj/csv_loader.h"
#include "keyproj/diagnostic.h"
#include "keyproj/ledger.h"
#include "keyproj/regions.h"

namespace keyproj {

// The file name suffix `keyproj pack` suggests (a snapshot is recognised by its
// content, not its name).
inline constexpr std::string_view kSnapshotSuffix = ".kpl";

// Writes `ledger` and the region names (null: none) to `path`, replacing it
// atomically (written beside it, then renamed): a reader never sees half a file.
absl::Status WriteSnapshot(const Ledger& ledger, const RegionNames* regions, const std::filesystem::path& path);

struct Snapshot {
  Ledger ledger;
  std::shared_ptr<const RegionNames> regions;  // never null; empty when none were packed
  std::string written_by;                      // the keyproj version that wrote the file
};

// Maps and checks a snapshot. Errors: NotFound / PermissionDenied for the file,
// DataLoss for a truncated or corrupted one (checksum, structure), InvalidArgument
// for a file that is not a snapshot, FailedPrecondition for a newer major format.
absl::StatusOr<Snapshot> OpenSnapshot(const std::filesystem::path& path);

// Just the region names packed in a snapshot (a cheap read: the header and that
// section, checked the same way).
absl::StatusOr<RegionNames> SnapshotRegionNames(const std::filesystem::path& path);

// Whether `path` is a file that starts with a snapshot's magic number (false for a
// folder, a missing or unreadable file).
bool IsSnapshot(const std::filesystem::path& path);

// What every command and the C ABI open: a ledger folder (LoadCsvLedger with
// `options`, diagnostics as it gives them), a workbook (a file that starts as a zip
// does: LoadXlsxLedger in xlsx_ledger.h, `packed_regions` receiving its 行政区划
// sheet's names, empty without one) or a snapshot file (options do not apply:
// the snapshot holds a ledger already loaded with them; nothing is added to
// `diagnostics`). A path that is neither is NotFound naming it. `packed_regions`
// (when not null) receives a snapshot's region names, read in the same open; it is
// left as it is for a folder (whose regions.csv is the caller's to read).
absl::StatusOr<Ledger> OpenLedger(const std::filesystem::path& path, const LoadOptions& options,
                                  Diagnostics* diagnostics,
                                  std::shared_ptr<const RegionNames>* packed_regions = nullptr);

}  // namespace keyproj

#endif  // KEYPROJ_SNAPSHOT_H_
