#include "keyproj/internal/file_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "keyproj/internal/text.h"

namespace keyproj::internal {

using ::keyproj::internal::Cat;

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    const int err = errno;
    const std::string reason = Cat("cannot read ", path, ": ", std::strerror(err));
    if (err == ENOENT || err == ENOTDIR) return absl::NotFoundError(reason);
    if (err == EACCES || err == EPERM) return absl::PermissionDeniedError(reason);
    return absl::UnavailableError(reason);
  }
  struct FdCloser {
    int fd;
    ~FdCloser() { close(fd); }
  } closer{fd};
  struct stat st;
  if (fstat(fd, &st) != 0) return absl::UnavailableError(Cat("cannot read ", path, ": ", std::strerror(errno)));
  // A directory, FIFO or device where a file is expected is a mistake to name, not
  // something to wait on.
  if (!S_ISREG(st.st_mode)) {
    return absl::FailedPreconditionError(
        Cat("cannot read ", path, ": ", S_ISDIR(st.st_mode) ? "a folder, not a file" : "not a regular file"));
  }
  std::string bytes;
  bytes.reserve(static_cast<size_t>(st.st_size));
  char buf[1 << 16];
  while (true) {
    const ssize_t n = read(fd, buf, sizeof buf);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      return absl::UnavailableError(Cat("cannot read ", path, ": ", std::strerror(errno)));
    }
    bytes.append(buf, static_cast<size_t>(n));
  }
  return bytes;
}

absl::StatusOr<std::string> ReserveTemporaryBeside(const std::string& path) {
  static constexpr char kDigits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
  uint64_t seed = static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()) ^
                  (static_cast<uint64_t>(getpid()) << 32) ^ reinterpret_cast<uintptr_t>(&path);
  for (int attempt = 0; attempt < 100; ++attempt) {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    std::string name = Cat(path, ".tmp-");
    uint64_t bits = seed >> 16;
    for (int i = 0; i < 8; ++i, bits /= 36) name.push_back(kDigits[bits % 36]);
    const int fd = open(name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd >= 0) {
      close(fd);
      return name;
    }
    if (errno != EEXIST) return absl::UnavailableError(Cat("cannot write ", path, ": ", std::strerror(errno)));
  }
  return absl::UnavailableError(Cat("cannot write ", path, ": no free temporary name beside it"));
}

absl::Status Publish(const std::string& temp, const std::string& path) {
  std::error_code ec;
  std::filesystem::rename(temp, path, ec);
  if (!ec) return absl::OkStatus();
  std::error_code ignored;
  std::filesystem::remove(temp, ignored);
  return absl::UnavailableError(Cat("cannot write ", path, ": ", ec.message()));
}

absl::Status WriteFileAtomically(const std::string& path, std::string_view bytes) {
  absl::StatusOr<std::string> temp = ReserveTemporaryBeside(path);
  if (!temp.ok()) return temp.status();
  std::FILE* f = std::fopen(temp->c_str(), "wb");
  bool ok = f != nullptr && std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
  const int err = errno;
  if (f != nullptr) ok &= std::fclose(f) == 0;
  if (!ok) {
    std::error_code ignored;
    std::filesystem::remove(*temp, ignored);
    return absl::UnavailableError(Cat("cannot write ", path, ": ", std::strerror(err)));
  }
  return Publish(*temp, path);
}

}  // namespace keyproj::internal
