#include "cli/output.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <system_error>

#include "cli/commands.h"
#include "keyproj/internal/text.h"
#include "keyproj/internal/text_table.h"

namespace keyproj::cli {

using ::keyproj::internal::Append;
using ::keyproj::internal::Cat;
using ::keyproj::internal::DisplayWidth;

std::string CountOf(uint64_t n, std::string_view one, std::string_view many) {
  return Cat(n, " ", n == 1 ? one : many);
}

std::string ProblemCount(const Diagnostics& diagnostics) {
  const auto follows = static_cast<uint64_t>(
      std::count_if(diagnostics.begin(), diagnostics.end(), [](const Diagnostic& d) { return d.consequence; }));
  std::string out = CountOf(diagnostics.size() - follows, "problem", "problems");
  if (follows > 0) Append(&out, " (and ", CountOf(follows, "line", "lines"), " on the rows they left out)");
  return out;
}

absl::StatusOr<DocumentFlags> DocumentFromFlags(const Flags& flags) {
  DocumentFlags doc;
  doc.format_text = flags.Get("format").value_or("table");
  const std::optional<ReportFormat> format = ParseEnum<ReportFormat>(doc.format_text);
  if (!format) {
    return absl::InvalidArgumentError(Cat("--format ", doc.format_text, ": use table, json, csv, md, text or xlsx"));
  }
  doc.format = *format;
  doc.out = flags.Get("out");
  if (doc.format == ReportFormat::kXlsx && !doc.out) {
    return absl::InvalidArgumentError("--format xlsx needs --out FILE.xlsx");
  }
  absl::StatusOr<Encoding> encoding = OutEncodingFromFlags(flags, doc);
  if (!encoding.ok()) return encoding.status();
  doc.encoding = *encoding;
  return doc;
}

absl::StatusOr<Encoding> OutEncodingFromFlags(const Flags& flags, const DocumentFlags& document) {
  const std::optional<std::string> text = flags.Get("out-encoding");
  if (!text) return Encoding::kUtf8;
  const std::optional<Encoding> encoding = ParseEnum<Encoding>(*text);
  if (!encoding || *encoding == Encoding::kAuto) {
    return absl::InvalidArgumentError(Cat("--out-encoding ", *text, ": use utf8 or gb18030"));
  }
  if (std::find(std::begin(kOutEncodingFormats), std::end(kOutEncodingFormats), document.format) ==
      std::end(kOutEncodingFormats)) {
    std::string formats;
    for (size_t i = 0; i < std::size(kOutEncodingFormats); ++i) {
      Append(&formats, i == 0 ? "" : i + 1 == std::size(kOutEncodingFormats) ? " and " : ", ",
             EnumId(kOutEncodingFormats[i]));
    }
    return absl::InvalidArgumentError(Cat("--out-encoding applies to ", formats, " output, not to --format ",
                                          document.format_text,
                                          document.format == ReportFormat::kJson ? " (JSON is always UTF-8)"
                                                                                 : " (a workbook holds Unicode text)"));
  }
  return *encoding;
}

int WriteDocument(std::string_view command, const std::optional<std::string>& out, ReportFormat format,
                  Encoding encoding, std::string document) {
  absl::StatusOr<std::string> bytes = EncodeDocument(std::move(document), format, encoding);
  if (!bytes.ok()) {
    std::cerr << "keyproj " << command << ": --out-encoding " << EnumId(encoding) << ": " << bytes.status().message()
              << "\n";
    return kExitIo;
  }
  if (out) {
    if (absl::Status st = WriteFileAtomically(*out, *bytes); !st.ok()) {
      std::cerr << "keyproj " << command << ": " << st.message() << "\n";
      return kExitIo;
    }
    return kExitOk;
  }
  // Straight to the descriptor (after whatever cout holds), so that a failure keeps
  // its reason.
  std::cout.flush();
  if (const int err = internal::WriteAll(STDOUT_FILENO, *bytes); err != 0) return StandardOutputFailed(command, err);
  return kExitOk;  // main checks what went through cout (FinishStandardOutput)
}

int StandardOutputFailed(std::string_view command, int err) {
  // A reader that went away (`keyproj summary | head`) has read what it wanted: as
  // with cat or sort there, nothing is said, and the status is 0 -- the command did
  // its work, and `set -o pipefail` scripts that cut its output short go on. (The
  // coreutils are killed by SIGPIPE, silently; keyproj ignores SIGPIPE (main.cc) so
  // that a closed pipe named by --out is still an error, and ends itself instead.)
  if (err == EPIPE) return kExitOk;
  std::cerr << "keyproj" << (command.empty() ? "" : " ") << command
            << ": cannot write to standard output: " << std::strerror(err) << "\n";
  return kExitIo;
}

int FinishStandardOutput(std::string_view command) {
  // A write that failed inside cout left its reason in errno (nothing since has
  // touched the disk); a failure of this flush sets its own.
  const int earlier = errno;
  errno = 0;
  std::cout.flush();
  const bool flushed = std::fflush(stdout) == 0;
  const int now = errno;
  if (std::cout.good() && flushed && !std::ferror(stdout)) return kExitOk;
  return StandardOutputFailed(command, now != 0 ? now : earlier != 0 ? earlier : EIO);
}

Progress::Progress(bool allowed, std::string what) : what_(std::move(what)) {
  if (allowed && isatty(STDERR_FILENO)) {
    try {
      thread_ = std::thread([this] { Run(); });
    } catch (const std::system_error&) {
      // No thread to be had: the command runs without its progress line.
    }
  }
}

Progress::~Progress() { End(); }

void Progress::Step(std::string what) {
  std::lock_guard<std::mutex> lock(mu_);
  what_ = std::move(what);
  cv_.notify_all();
}

void Progress::Clear() {
  std::lock_guard<std::mutex> lock(mu_);
  if (shown_) {
    std::fprintf(stderr, "\r%*s\r", width_, "");
    std::fflush(stderr);
    shown_ = false;
  }
  restart_ = true;
}

void Progress::End() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    done_ = true;
    cv_.notify_all();
  }
  if (thread_.joinable()) thread_.join();
}

void Progress::Run() {
  using Clock = std::chrono::steady_clock;
  std::unique_lock<std::mutex> lock(mu_);
  std::string step = what_;
  Clock::time_point start = Clock::now();
  int& width = width_;
  // The line appears after a second; KEYPROJ_PROGRESS_DELAY_MS changes that (the
  // tests set 0 to see it on a pseudo-terminal).
  double delay_seconds = 1.0;
  if (const char* ms = std::getenv("KEYPROJ_PROGRESS_DELAY_MS"); ms != nullptr && *ms != '\0') {
    delay_seconds = std::strtod(ms, nullptr) / 1000.0;
  }
  while (!done_) {
    if (restart_) {
      restart_ = false;
      start = Clock::now();
    }
    if (what_ != step) {
      step = what_;
      start = Clock::now();
    }
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    if (seconds >= delay_seconds) {
      char buf[32];
      std::snprintf(buf, sizeof buf, " %.1f s", seconds);
      const std::string line = Cat("keyproj: ", step, " …", buf);
      const int w = DisplayWidth(line);
      std::fprintf(stderr, "\r%s%*s", line.c_str(), std::max(0, width - w), "");
      std::fflush(stderr);
      width = std::max(width, w);
      shown_ = true;
    }
    cv_.wait_for(lock, std::chrono::milliseconds(200));
  }
  if (shown_) {
    std::fprintf(stderr, "\r%*s\r", width, "");
    std::fflush(stderr);
  }
}

}  // namespace keyproj::cli
