// Checking a snapshot file before anything reads it: the header and section table
// (CheckedFile::Open), the checksums (VerifyAll), and that the ledger the sections
// make is one a LedgerBuilder could have built -- every offset, id and enum in range
// (ValidateLedger) -- so that a crafted file with valid checksums cannot make the
// engine read out of bounds. Every error names the file, the section and the byte
// offset of what is wrong (docs/snapshot.md, "What is checked").
#ifndef KEYPROJ_SNAPSHOT_VALIDATE_H_
#define KEYPROJ_SNAPSHOT_VALIDATE_H_

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "keyproj/internal/file_io.h"
#include "keyproj/ledger.h"
#include "keyproj/regions.h"
#include "snapshot/format.h"

namespace keyproj::snapshot {

// XXH64 of header bytes 0..55 (all but the checksum), then of the section table
// with the first hash as seed.
uint64_t HeaderChecksum(const Header& header, const SectionEntry* table);

// A snapshot file, read (mapped) whole, its header and section table checked.
class CheckedFile {
 public:
  static absl::StatusOr<CheckedFile> Open(const std::filesystem::path& path);

  // Every section's checksum, hashed on several threads while this one runs
  // `meanwhile` (may be empty); a bad checksum is the error, else what `meanwhile`
  // returned. (The structural checks never read outside the sections, so they may
  // run before the checksums are known.)
  absl::Status VerifyAll(const std::function<absl::Status()>& meanwhile = {}) const;

  // The elements of section `id` (named `name` in errors): missing, or of another
  // element size, is an error.
  template <typename T>
  absl::StatusOr<std::span<const T>> Elements(uint32_t id, std::string_view name) const {
    absl::StatusOr<const SectionEntry*> e = Find(id, name, sizeof(T));
    if (!e.ok()) return e.status();
    const char* p = bytes_->bytes().data() + (*e)->offset;
    if (reinterpret_cast<uintptr_t>(p) % alignof(T) != 0) return Corrupt(name, 0, 1, "is not aligned in memory");
    return std::span<const T>(reinterpret_cast<const T*>(p), (*e)->count);
  }

  // A string pool's offsets: from 0 (id 0 the empty string), never decreasing, the
  // last the blob's size.
  absl::Status CheckPool(uint32_t offsets_id, std::span<const uint64_t> offsets, uint64_t blob_size) const;
  // Parses kExtras (value ids are checked by ValidateLedger).
  absl::Status ReadExtras(std::span<const char> bytes, std::vector<ExtraColumn> (*extras)[kTableCount]) const;
  // Parses kLayouts when the file has it (1.1 on; a 1.0 file has none: *layouts stays
  // empty).
  absl::Status ReadLayouts(std::vector<TableLayout>* layouts) const;
  // Parses kRegions (its checksum checked here too: SnapshotRegionNames reads only it).
  absl::StatusOr<RegionNames> ReadRegions() const;

  // "FILE: section NAME at offset N: entry I (byte B): WHAT" (DataLoss).
  absl::Status Corrupt(std::string_view section, uint64_t index, uint64_t element_size, std::string_view what) const;

  const std::string& written_by() const { return written_by_; }
  // The mapping, for the ledger to keep.
  std::shared_ptr<const void> Release() { return std::move(bytes_); }

 private:
  absl::StatusOr<const SectionEntry*> Find(uint32_t id, std::string_view name, uint64_t element_size) const;
  absl::Status Verify(const SectionEntry& e) const;

  std::string path_;
  std::shared_ptr<internal::FileBytes> bytes_;
  std::string written_by_;
  absl::flat_hash_map<uint32_t, SectionEntry> sections_;  // by id
  mutable absl::flat_hash_map<std::string, uint32_t> ids_;  // section names asked for, for errors
};

// That the ledger made of the file's sections is one a LedgerBuilder could have
// built (see the file comment).
absl::Status ValidateLedger(const CheckedFile& file, const Ledger& ledger);

}  // namespace keyproj::snapshot

#endif  // KEYPROJ_SNAPSHOT_VALIDATE_H_
