#include "keyproj/internal/file_io.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <utility>

#include "keyproj/internal/text.h"

namespace keyproj::internal {

using ::keyproj::internal::Cat;

namespace {

// Files at least this big are mapped rather than read: no copy, and no fresh pages
// to zero (on a 1.5 GB monthly.csv that was a third of the load time).
constexpr size_t kMapAtLeast = size_t{1} << 20;

// Closes a descriptor when it goes out of scope.
struct Fd {
  int fd = -1;
  explicit Fd(int f) : fd(f) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
  int release() { return std::exchange(fd, -1); }
};

absl::Status ReadError(const std::string& path, int err) {
  const std::string reason = Cat("cannot read ", path, ": ", std::strerror(err));
  if (err == ENOENT || err == ENOTDIR) return absl::NotFoundError(reason);
  if (err == EACCES || err == EPERM) return absl::PermissionDeniedError(reason);
  return absl::UnavailableError(reason);
}

absl::Status WriteError(const std::string& path, int err) {
  return absl::UnavailableError(Cat("cannot write ", path, ": ", std::strerror(err)));
}

// What a node is, for "a folder, not a file" and the like.
std::string_view NodeKind(mode_t mode) {
  if (S_ISDIR(mode)) return "a folder";
  if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
  if (S_ISCHR(mode) || S_ISBLK(mode)) return "a device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

// The descriptor a path names when it is one of the process's own: /dev/stdout,
// /dev/stderr, /dev/fd/N, /proc/self/fd/N (N < 2^20).
std::optional<int> OwnDescriptor(std::string_view path) {
  if (path == "/dev/stdout") return 1;
  if (path == "/dev/stderr") return 2;
  std::string_view rest;
  for (std::string_view prefix : {std::string_view("/dev/fd/"), std::string_view("/proc/self/fd/")}) {
    if (path.substr(0, prefix.size()) == prefix) rest = path.substr(prefix.size());
  }
  if (rest.empty() || rest.size() > 7) return std::nullopt;
  int fd = 0;
  for (char c : rest) {
    if (c < '0' || c > '9') return std::nullopt;
    fd = fd * 10 + (c - '0');
  }
  return fd;
}

// Writes `bytes` into a FIFO, device, socket or own descriptor, in place: opened as
// a shell's `>` would (a FIFO waits for its reader), never renamed over.
absl::Status WriteDirect(const std::string& path, const OutputTarget& t, std::string_view bytes) {
  const int fd = t.own_fd >= 0 ? t.own_fd : ::open(t.path.c_str(), O_WRONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) return WriteError(path, errno);
  const int err = WriteAll(fd, bytes);
  const int close_err = fd == t.own_fd ? 0 : (::close(fd) == 0 ? 0 : errno);
  if (err != 0 || close_err != 0) return WriteError(path, err != 0 ? err : close_err);
  return absl::OkStatus();
}

// Creates an empty file beside `path` with a name no one else has.
absl::StatusOr<std::string> ReserveTemporaryBeside(const std::string& path, const std::string& shown) {
  static constexpr char kDigits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
  uint64_t seed = static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()) ^
                  (static_cast<uint64_t>(getpid()) << 32) ^ reinterpret_cast<uintptr_t>(&path);
  for (int attempt = 0; attempt < 100; ++attempt) {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    std::string name = Cat(path, ".tmp-");
    uint64_t bits = seed >> 16;
    for (int i = 0; i < 8; ++i, bits /= 36) name.push_back(kDigits[bits % 36]);
    const int fd = ::open(name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd >= 0) {
      ::close(fd);
      return name;
    }
    if (errno != EEXIST) return WriteError(shown, errno);
  }
  return absl::UnavailableError(Cat("cannot write ", shown, ": no free temporary name beside it"));
}

// A temporary for output that goes to a FIFO or device: in the system's temporary
// folder, since nothing is renamed beside the node.
absl::StatusOr<std::string> ReserveTemporary(const std::string& shown) {
  const char* dir = std::getenv("TMPDIR");
  const std::string base = Cat(dir != nullptr && *dir != '\0' ? dir : "/tmp", "/keyproj-out");
  return ReserveTemporaryBeside(base, shown);
}

}  // namespace

// ---- reading ---------------------------------------------------------------------

FileBytes::FileBytes(FileBytes&& o) noexcept
    : data_(std::exchange(o.data_, "")),
      size_(std::exchange(o.size_, 0)),
      mapped_(std::exchange(o.mapped_, nullptr)),
      owned_(std::move(o.owned_)) {}

FileBytes& FileBytes::operator=(FileBytes&& o) noexcept {
  if (this != &o) {
    Release();
    data_ = std::exchange(o.data_, "");
    size_ = std::exchange(o.size_, 0);
    mapped_ = std::exchange(o.mapped_, nullptr);
    owned_ = std::move(o.owned_);
  }
  return *this;
}

FileBytes::~FileBytes() { Release(); }

void FileBytes::Release() {
  if (mapped_ != nullptr) ::munmap(mapped_, size_);
  mapped_ = nullptr;
  owned_.reset();
  data_ = "";
  size_ = 0;
}

void FileBytes::Populate() const {
#if defined(MADV_POPULATE_READ)
  if (mapped_ != nullptr) (void)::madvise(mapped_, size_, MADV_POPULATE_READ);
#endif
}

absl::StatusOr<FileBytes> ReadFileBytes(const std::string& path, FileMapping mapping) {
  if (path.empty()) return absl::NotFoundError("cannot read '': the file name is empty");
  // O_NONBLOCK: opening a FIFO with no writer must not wait for one (it is refused
  // below anyway).
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY));
  if (fd.fd < 0) return ReadError(path, errno);
  struct stat st;
  if (::fstat(fd.fd, &st) != 0) return ReadError(path, errno);
  // A folder, FIFO or device where a file is expected is a mistake to name, not
  // something to wait on or read forever (/dev/zero).
  if (!S_ISREG(st.st_mode)) {
    return absl::FailedPreconditionError(Cat("cannot read ", path, ": ", NodeKind(st.st_mode), ", not a file"));
  }
  FileBytes out;
  const auto size = static_cast<size_t>(st.st_size);
  if (size >= kMapAtLeast) {
    const int populate = mapping == FileMapping::kPopulated ? MAP_POPULATE : 0;
    void* p = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE | populate, fd.fd, 0);
    if (p != MAP_FAILED) {
      ::madvise(p, size, MADV_SEQUENTIAL);
      out.mapped_ = p;
      out.data_ = static_cast<const char*>(p);
      out.size_ = size;
      return out;
    }
  }
  // One spare byte, so that the read which finds the end needs no bigger buffer.
  size_t capacity = size + 1;
  out.owned_ = std::make_unique_for_overwrite<char[]>(capacity);
  size_t filled = 0;
  for (;;) {
    if (filled == capacity) {  // the file grew meanwhile
      capacity *= 2;
      std::unique_ptr<char[]> bigger = std::make_unique_for_overwrite<char[]>(capacity);
      std::memcpy(bigger.get(), out.owned_.get(), filled);
      out.owned_ = std::move(bigger);
    }
    const ssize_t n = ::read(fd.fd, out.owned_.get() + filled, capacity - filled);
    if (n < 0) {
      if (errno == EINTR) continue;
      return ReadError(path, errno);
    }
    if (n == 0) break;
    filled += static_cast<size_t>(n);
  }
  out.data_ = out.owned_.get();
  out.size_ = filled;
  return out;
}

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  absl::StatusOr<FileBytes> file = ReadFileBytes(path);
  if (!file.ok()) return file.status();
  return std::string(file->bytes());
}

absl::StatusOr<std::vector<std::string>> ListFolder(const std::string& path) {
  DIR* dir = ::opendir(path.c_str());
  if (dir == nullptr) {
    const int err = errno;
    const std::string reason = Cat("cannot list the folder ", path, ": ", std::strerror(err));
    if (err == ENOENT) return absl::NotFoundError(reason);
    if (err == ENOTDIR) return absl::FailedPreconditionError(reason);
    if (err == EACCES || err == EPERM) return absl::PermissionDeniedError(reason);
    return absl::UnavailableError(reason);
  }
  struct Closer {
    DIR* d;
    ~Closer() { ::closedir(d); }
  } closer{dir};
  std::vector<std::string> names;
  for (;;) {
    errno = 0;
    const dirent* e = ::readdir(dir);
    if (e == nullptr) {
      if (errno != 0) return absl::UnavailableError(Cat("cannot list the folder ", path, ": ", std::strerror(errno)));
      break;
    }
    const std::string_view name = e->d_name;
    if (name != "." && name != "..") names.emplace_back(name);
  }
  return names;
}

absl::Status MakeFolders(const std::string& path) {
  // Each prefix that ends before a '/', then the whole path.
  for (size_t end = path.find('/', 1);; end = path.find('/', end + 1)) {
    const std::string prefix = end == std::string::npos ? path : path.substr(0, end);
    if (!prefix.empty() && ::mkdir(prefix.c_str(), 0777) != 0 && errno != EEXIST) {
      return absl::UnavailableError(Cat("cannot create ", path, ": ", std::strerror(errno)));
    }
    if (end == std::string::npos) break;
  }
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return absl::UnavailableError(Cat("cannot create ", path, ": ", std::strerror(errno)));
  if (!S_ISDIR(st.st_mode)) return absl::UnavailableError(Cat("cannot create ", path, ": a file is in the way"));
  return absl::OkStatus();
}

// ---- writing ---------------------------------------------------------------------

int WriteAll(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    if (n == 0) return EIO;
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return 0;
}

absl::StatusOr<OutputTarget> ResolveOutput(const std::string& path) {
  if (path.empty()) return absl::InvalidArgumentError("cannot write '': the file name is empty");
  OutputTarget t;
  t.path = path;
  struct stat st {};
  // Follow symlinks one at a time, so that a link to the process's own descriptor
  // (/dev/stdout -> /proc/self/fd/1) is recognised before the kernel's magic link.
  for (int hops = 0;; ++hops) {
    if (std::optional<int> fd = OwnDescriptor(t.path)) {
      if (::fcntl(*fd, F_GETFD) < 0) return WriteError(path, errno);
      t.own_fd = *fd;
      t.direct = true;
      return t;
    }
    if (::lstat(t.path.c_str(), &st) != 0) {
      const int err = errno;
      if (err == ENOENT) return t;  // a new file (its folder is checked when it is created)
      return WriteError(path, err);
    }
    if (!S_ISLNK(st.st_mode)) break;
    if (hops == 40) return WriteError(path, ELOOP);
    std::string link(static_cast<size_t>(st.st_size > 0 ? st.st_size : 255) + 1, '\0');
    const ssize_t n = ::readlink(t.path.c_str(), link.data(), link.size());
    if (n < 0) return WriteError(path, errno);
    link.resize(static_cast<size_t>(n));
    if (link.empty()) return WriteError(path, ENOENT);
    if (link.front() != '/') {
      const size_t slash = t.path.rfind('/');
      link = slash == std::string::npos ? link : Cat(t.path.substr(0, slash + 1), link);
    }
    t.path = std::move(link);
  }
  if (S_ISDIR(st.st_mode)) {
    return absl::FailedPreconditionError(Cat("cannot write ", path, ": a folder, not a file"));
  }
  t.direct = !S_ISREG(st.st_mode);
  t.existed = !t.direct;
  t.mode = static_cast<unsigned>(st.st_mode & 07777);
  t.uid = st.st_uid;
  t.gid = st.st_gid;
  return t;
}

absl::StatusOr<AtomicOutput> AtomicOutput::Begin(const std::string& path) {
  absl::StatusOr<OutputTarget> t = ResolveOutput(path);
  if (!t.ok()) return t.status();
  return Begin(path, *std::move(t));
}

absl::StatusOr<AtomicOutput> AtomicOutput::Begin(const std::string& path, OutputTarget target) {
  AtomicOutput out;
  out.path_ = path;
  out.target_ = std::move(target);
  absl::StatusOr<std::string> temp =
      out.target_.direct ? ReserveTemporary(path) : ReserveTemporaryBeside(out.target_.path, path);
  if (!temp.ok()) return temp.status();
  out.temp_ = *std::move(temp);
  return out;
}

AtomicOutput::AtomicOutput(AtomicOutput&& o) noexcept
    : path_(std::move(o.path_)), target_(std::move(o.target_)), temp_(std::exchange(o.temp_, std::string())) {}

AtomicOutput::~AtomicOutput() {
  if (!temp_.empty()) ::unlink(temp_.c_str());
}

absl::Status AtomicOutput::Commit() {
  if (temp_.empty()) return absl::FailedPreconditionError(Cat("cannot write ", path_, ": already committed"));
  const std::string temp = std::exchange(temp_, std::string());
  struct Unlink {
    const std::string& path;
    bool keep = false;
    ~Unlink() {
      if (!keep) ::unlink(path.c_str());
    }
  } unlink_temp{temp};

  if (target_.direct) {
    absl::StatusOr<FileBytes> bytes = ReadFileBytes(temp);
    if (!bytes.ok()) return WriteError(path_, EIO);
    return WriteDirect(path_, target_, bytes->bytes());
  }

  Fd fd(::open(temp.c_str(), O_WRONLY | O_CLOEXEC));
  if (fd.fd < 0) return WriteError(path_, errno);
  if (target_.existed) {
    // The replaced file's permissions (and owner, where allowed) carry over.
    if (::fchmod(fd.fd, static_cast<mode_t>(target_.mode)) != 0) return WriteError(path_, errno);
    if (::fchown(fd.fd, static_cast<uid_t>(target_.uid), static_cast<gid_t>(target_.gid)) != 0) {
      // Only the owner's own files can be replaced by a non-root writer keeping the
      // owner; anything else keeps the writer as owner, as any editor would.
    }
  }
  // On disk before the rename, so that a crash leaves the old file or the new one.
  if (::fsync(fd.fd) != 0) return WriteError(path_, errno);
  if (::close(fd.release()) != 0) return WriteError(path_, errno);
  if (::rename(temp.c_str(), target_.path.c_str()) != 0) return WriteError(path_, errno);
  unlink_temp.keep = true;
  return absl::OkStatus();
}

absl::Status WriteFileAtomically(const std::string& path, std::string_view bytes) {
  absl::StatusOr<OutputTarget> t = ResolveOutput(path);
  if (!t.ok()) return t.status();
  if (t->direct) return WriteDirect(path, *t, bytes);  // the bytes are all here: no temporary
  absl::StatusOr<AtomicOutput> out = AtomicOutput::Begin(path, *std::move(t));
  if (!out.ok()) return out.status();
  {
    Fd fd(::open(out->temp_path().c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC));
    if (fd.fd < 0) return WriteError(path, errno);
    if (const int err = WriteAll(fd.fd, bytes); err != 0) return WriteError(path, err);
    if (::close(fd.release()) != 0) return WriteError(path, errno);
  }
  return out->Commit();
}

}  // namespace keyproj::internal
