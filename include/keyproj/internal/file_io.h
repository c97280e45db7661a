// Internal: the one way keyproj reads an input file, and the one way it writes an
// output file. Every reader and writer of the library and the CLI goes through here
// (the CSV loader, regions.csv, templates, target sets, schemes, curves; the CSV
// ledger writer, the workbook writer, every --out), so the rules below hold for all.
//
// Reading: regular files only. A folder, FIFO, device or socket where a file is
// expected is an error that names the path (never a blocking open, never an endless
// read of /dev/zero). Big files are mapped read-only instead of copied.
//
// Writing (docs/reliability.md, "Outputs"):
//  - a regular file, or a name that does not exist yet, is written whole or not at
//    all: a temporary beside it, flushed to disk, renamed over it. A symlink is
//    followed to its target and the target is replaced (the link stays a link); a
//    replaced file keeps its permission bits (and owner, where the process may set it).
//  - a FIFO, a device or a socket is written directly (never renamed over): /dev/null,
//    /dev/full (which fails: "No space left on device"), a pipe a reader waits on.
//  - /dev/stdout, /dev/stderr, /dev/fd/N and /proc/self/fd/N are the process's own
//    descriptor N, written in place (so `--out /dev/stdout >> log` appends).
//  - every failure is a Status naming the path and the reason, and no temporary is
//    left behind.
#ifndef KEYPROJ_INTERNAL_FILE_IO_H_
#define KEYPROJ_INTERNAL_FILE_IO_H_

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace keyproj::internal {

// When a mapped file's pages come in: at once (the mapping's own call does it, on
// the thread that reads the file), or on first use -- or when FileBytes::Populate
// says, on the thread that is about to read it (the CSV loader maps every file of a
// folder first and populates each on the worker that decodes it, so that the mapping
// of the big files is not a serial step before the parallel load).
enum class FileMapping { kPopulated, kOnFirstUse };

// The bytes of a regular file, mapped or in memory; movable, owns them.
class FileBytes {
 public:
  FileBytes() = default;
  FileBytes(FileBytes&& o) noexcept;
  FileBytes& operator=(FileBytes&& o) noexcept;
  ~FileBytes();
  std::string_view bytes() const { return {data_, size_}; }
  // Brings the pages of a file mapped with FileMapping::kOnFirstUse in now, all in one
  // call, which is much cheaper than faulting them in one at a time as they are
  // first read; nothing for a file read into memory or mapped kPopulated. Advice
  // only: on a kernel without it the pages come in as they are read.
  void Populate() const;

 private:
  friend absl::StatusOr<FileBytes> ReadFileBytes(const std::string& path, FileMapping mapping);
  void Release();
  const char* data_ = "";
  size_t size_ = 0;
  void* mapped_ = nullptr;              // when mapped: munmap(mapped_, size_)
  std::unique_ptr<char[]> owned_;       // when read
};

// The regular file at `path`, whole. Errors name the path and the reason: NotFound
// (no such file), PermissionDenied, FailedPrecondition (a folder, FIFO, device or
// socket where a file is expected), Unavailable (a read error).
absl::StatusOr<FileBytes> ReadFileBytes(const std::string& path,
                                        FileMapping mapping = FileMapping::kPopulated);

// The same, copied into a string (small inputs: a template, a target set, a curve).
absl::StatusOr<std::string> ReadFile(const std::string& path);

// The names in a folder (not "." and ".."), unsorted. Errors name the path: NotFound,
// PermissionDenied, FailedPrecondition (not a folder), Unavailable. (Not
// std::filesystem's error_code overloads: they are noexcept yet allocate, so running
// out of memory there ends the process.)
absl::StatusOr<std::vector<std::string>> ListFolder(const std::string& path);

// Creates the folder `path` and any missing parents (mkdir -p). Error: Unavailable,
// "cannot create PATH: reason".
absl::Status MakeFolders(const std::string& path);

// Where and how an output goes, `path`'s symlinks followed (see the rules above).
struct OutputTarget {
  std::string path;      // the node written or replaced
  int own_fd = -1;       // the process's own descriptor (/dev/stdout ...), else -1
  bool direct = false;   // a FIFO, device, socket or own descriptor: written in place
  bool existed = false;  // a regular file is there (to be replaced)
  unsigned mode = 0;     // the replaced file's permission bits
  unsigned uid = 0, gid = 0;
};

// Errors: a folder, a symlink loop, an unreadable link, a closed own descriptor.
absl::StatusOr<OutputTarget> ResolveOutput(const std::string& path);

// An output file being written. Begin() decides how `path` is written (see above);
// the writer fills temp_path() (a file that exists, empty, only this process knows)
// and calls Commit(), which publishes it (rename, or a copy into a FIFO/device) and
// removes the temporary. Destroying an uncommitted AtomicOutput removes the
// temporary: nothing partial is ever left at `path`.
class AtomicOutput {
 public:
  static absl::StatusOr<AtomicOutput> Begin(const std::string& path);
  // The same for a target ResolveOutput(path) already gave.
  static absl::StatusOr<AtomicOutput> Begin(const std::string& path, OutputTarget target);
  AtomicOutput(AtomicOutput&& o) noexcept;
  AtomicOutput& operator=(AtomicOutput&&) = delete;
  ~AtomicOutput();

  const std::string& temp_path() const { return temp_; }
  absl::Status Commit();

 private:
  AtomicOutput() = default;
  std::string path_;     // as given, for messages
  OutputTarget target_;
  std::string temp_;     // "" once committed or given up
};

// Writes `bytes` to `path` through an AtomicOutput.
absl::Status WriteFileAtomically(const std::string& path, std::string_view bytes);

// Writes all of `bytes` to descriptor `fd`, retrying short writes; errno on failure.
int WriteAll(int fd, std::string_view bytes);

}  // namespace keyproj::internal

#endif  // KEYPROJ_INTERNAL_FILE_IO_H_
