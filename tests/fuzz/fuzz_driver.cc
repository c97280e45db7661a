// A small, deterministic stand-alone driver for libFuzzer-style fuzz targets.
//
// Every tests/fuzz/<name>_fuzz.cc defines
//   extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);
// and is linked with this file into an ordinary executable that needs neither
// Clang nor libFuzzer, so it runs under g++ and the ASan/UBSan build in ctest.
//
// Usage:
//   <name>_fuzz [PATH ...] [--random N] [--seed S] [--max-len L]
//
//   PATH          a file (run as one input) or a directory (every regular file
//                 under it, in sorted order). The files also seed the mutator.
//   --random N    then run N pseudo-random inputs: mostly mutations of the
//                 corpus files (or of built-in CSV seeds when none were given):
//                 bit flips, byte changes, inserts of `,` `"` `\n`, UTF-8 and
//                 GB18030 multibyte sequences (valid and broken), deletions,
//                 truncations, duplications and splices. The same N, S and
//                 corpus always produce the same inputs.
//   --seed S      seed of the pseudo-random stream (default 1).
//   --max-len L   upper bound on a generated input's size (default 4096).
//
// On success it prints "fuzz: N inputs, 0 crashes" and exits 0. When an input
// crashes the target (signal, or a sanitizer report), the input is written to
// ./fuzz-crash.bin and described on stderr; re-run it with
//   <name>_fuzz fuzz-crash.bin
//
// With Clang, the same <name>_fuzz.cc files also build as real libFuzzer
// targets (cmake -DKEYPROJ_LIBFUZZER=ON, targets <name>_libfuzzer).

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);
// Optional hooks: defined by a fuzz target (Initialize) or a sanitizer runtime.
extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) __attribute__((weak));
extern "C" void __sanitizer_set_death_callback(void (*callback)(void)) __attribute__((weak));

namespace {

using Bytes = std::vector<uint8_t>;

// ---------------------------------------------------------------------------
// Crash reporting: remember the input being run, dump it when we die.
// ---------------------------------------------------------------------------
const uint8_t* g_current_data = nullptr;
size_t g_current_size = 0;
char g_current_desc[512] = "";
char g_crash_path[4096] = "fuzz-crash.bin";
volatile std::sig_atomic_t g_reported = 0;

void WriteAll(int fd, const void* data, size_t size) {
  const char* p = static_cast<const char*>(data);
  while (size > 0) {
    ssize_t n = ::write(fd, p, size);
    if (n <= 0) return;
    p += n;
    size -= static_cast<size_t>(n);
  }
}

void WriteStr(int fd, const char* s) { WriteAll(fd, s, std::strlen(s)); }

// Async-signal-safe: only write(2)/open(2)/close(2).
void ReportCrash() {
  if (g_reported) return;
  g_reported = 1;
  if (g_current_data == nullptr && g_current_size == 0 && g_current_desc[0] == '\0') return;
  WriteStr(2, "\nfuzz: CRASH on input ");
  WriteStr(2, g_current_desc);
  int fd = ::open(g_crash_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd >= 0) {
    WriteAll(fd, g_current_data, g_current_size);
    ::close(fd);
    WriteStr(2, "\nfuzz: input saved to ");
    WriteStr(2, g_crash_path);
    WriteStr(2, " (re-run: <this binary> ");
    WriteStr(2, g_crash_path);
    WriteStr(2, ")\n");
  } else {
    WriteStr(2, "\nfuzz: could not save the input to ");
    WriteStr(2, g_crash_path);
    WriteStr(2, "\n");
  }
}

void CrashSignalHandler(int sig) {
  ReportCrash();
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

void InstallCrashHandlers() {
  char cwd[3000];
  if (::getcwd(cwd, sizeof cwd) != nullptr) {
    std::snprintf(g_crash_path, sizeof g_crash_path, "%s/fuzz-crash.bin", cwd);
  }
  if (__sanitizer_set_death_callback != nullptr) {
    // A sanitizer runtime is linked: let it handle SEGV & co. (and print its
    // report), and have it call us before it exits.
    __sanitizer_set_death_callback(ReportCrash);
    std::signal(SIGABRT, CrashSignalHandler);
  } else {
    for (int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT}) std::signal(sig, CrashSignalHandler);
  }
}

size_t RunOne(const Bytes& input, const std::string& desc) {
  // A fresh heap buffer of exactly the input's size, so that ASan sees any
  // read past the end.
  std::unique_ptr<uint8_t[]> copy(new uint8_t[input.size()]);
  if (!input.empty()) std::memcpy(copy.get(), input.data(), input.size());
  std::snprintf(g_current_desc, sizeof g_current_desc, "%s (%zu bytes)", desc.c_str(), input.size());
  g_current_data = copy.get();
  g_current_size = input.size();
  LLVMFuzzerTestOneInput(copy.get(), input.size());
  g_current_data = nullptr;
  g_current_size = 0;
  g_current_desc[0] = '\0';
  return 1;
}

// ---------------------------------------------------------------------------
// Deterministic pseudo-random numbers (SplitMix64: same stream everywhere).
// ---------------------------------------------------------------------------
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // Uniform-enough value in [0, n); n > 0.
  size_t Below(size_t n) { return static_cast<size_t>(Next() % n); }
  bool OneIn(size_t n) { return Below(n) == 0; }

 private:
  uint64_t state_;
};

Bytes B(std::string_view s) { return Bytes(s.begin(), s.end()); }

// Byte sequences worth inserting into CSV text.
const std::vector<Bytes>& Tokens() {
  static const std::vector<Bytes> tokens = {
      // CSV structure
      B(","), B("\""), B("\n"), B("\r\n"), B("\r"), B("\"\""), B(",,"), B("\",\""), B("\"\n"),
      B(";"), B("\t"), B(" "), B("\\"), B(std::string_view("\0", 1)),
      // UTF-8 BOM and valid multibyte UTF-8
      B("\xEF\xBB\xBF"), B("\xE4\xB8\xAD"),        // 中
      B("\xE4\xB8\x87\xE5\x85\x83"),               // 万元
      B("\xE5\xB9\xB4"), B("\xE6\x9C\x88"),        // 年 月
      B("\xEF\xBC\x88"), B("\xEF\xBC\x89"),        // （ ）
      B("\xEF\xBC\x8C"),                           // ，(full-width comma)
      B("\xC2\xA0"),                               // no-break space
      B("\xE3\x80\x80"),                           // ideographic space
      B("\xF0\x9F\x98\x80"),                       // U+1F600
      B("\xEF\xBF\xBD"),                           // U+FFFD
      // Broken UTF-8
      B("\xC0\x80"), B("\xED\xA0\x80"), B("\xF4\x90\x80\x80"), B("\xE4"), B("\xE4\xB8"),
      B("\xB8"), B("\xFF"), B("\xFE\xFF"), B("\xF0\x9F\x98"),
      // GB18030 / GBK
      B("\xD6\xD0"),                               // 中
      B("\xCD\xF2\xD4\xAA"),                       // 万元
      B("\xC4\xEA"), B("\xD4\xC2"),                // 年 月
      B("\xA3\xA8"), B("\xA3\xA9"),                // （ ）
      B("\x81\x30\x81\x30"),                       // 4-byte GB18030
      B("\x84\x31\xA4\x39"),                       // last 4-byte BMP code
      B("\x90\x30\x81\x30"),                       // first supplementary-plane code
      B("\x81"), B("\x81\x39"), B("\x81\x30\x81"), // truncated sequences
      B("\xA1\x40"), B("\xFE\xFE"),
      // Numbers, dates and other text a ledger parser must survive
      B("-"), B("."), B("-0"), B("0.000000001"), B("1,234.5"), B("1,,2"), B("12345678901234567890123"),
      B("-9223372036854775808"), B("9223372036854775807"), B("1e308"), B("NaN"), B("inf"),
      B("2024-02-30"), B("2024-13-01"), B("0000-00-00"), B("9999-12-31"), B("2024/5/1"),
      B("2024\xE5\xB9\xB4" "13\xE6\x9C\x88"),      // 2024年13月
      B("\xE6\x98\xAF"), B("\xE5\x90\xA6"),        // 是 否
  };
  return tokens;
}

// Built-in seeds when no corpus was given: ledger-like CSV text.
std::vector<Bytes> BuiltinSeeds() {
  return {
      B(""),
      B("code,name,region,category,level,build_type,total_investment,planned_start,stage\n"
        "P001,\xE7\xA4\xBA\xE8\x8C\x83\xE9\xA1\xB9\xE7\x9B\xAE,610102,industry,municipal,new,12345.67,"
        "2024-03-01,started\n"
        "P002,\"Quoted, name \"\"x\"\"\",610103,urban,county,continuing,\"1,234.5\",2024/05/01,reserved\n"),
      B("\xEF\xBB\xBF\xE9\xA1\xB9\xE7\x9B\xAE\xE4\xBB\xA3\xE7\xA0\x81,"     // BOM 项目代码,
        "\xE9\xA1\xB9\xE7\x9B\xAE\xE5\x90\x8D\xE7\xA7\xB0,"                 // 项目名称,
        "\xE6\x80\xBB\xE6\x8A\x95\xE8\xB5\x84\xEF\xBC\x88\xE4\xB8\x87\xE5\x85\x83\xEF\xBC\x89\n"  // 总投资（万元）
        "A1,\xE9\x81\x93\xE8\xB7\xAF,100.5\r\n"
        "A2,\"\xE5\xA4\x9A\n\xE8\xA1\x8C\",0\r\n"),
      B("code,month,investment\nP001,2024-01,100\nP001,2024-02,-5.5\nP001,2024\xE5\xB9\xB4" "3\xE6\x9C\x88,0\n"),
      B("\xCF\xEE\xC4\xBF\xB4\xFA\xC2\xEB,\xCF\xEE\xC4\xBF\xC3\xFB\xB3\xC6\n"  // GBK 项目代码,项目名称
        "B1,\xB5\xC0\xC2\xB7\n"),
  };
}

void Mutate(Bytes& b, const std::vector<Bytes>& seeds, Rng& rng, size_t max_len) {
  const size_t rounds = 1 + rng.Below(8);
  for (size_t r = 0; r < rounds; ++r) {
    switch (rng.Below(11)) {
      case 0:  // flip one bit
        if (!b.empty()) b[rng.Below(b.size())] ^= static_cast<uint8_t>(1u << rng.Below(8));
        break;
      case 1:  // set a random byte
        if (!b.empty()) b[rng.Below(b.size())] = static_cast<uint8_t>(rng.Next());
        break;
      case 2:  // set an interesting byte
        if (!b.empty()) {
          static const uint8_t kBytes[] = {0x00, 0x7F, 0x80, 0xFF, ',', '"', '\n', '\r', '0', '9', '-'};
          b[rng.Below(b.size())] = kBytes[rng.Below(sizeof kBytes)];
        }
        break;
      case 3:
      case 4:
      case 5: {  // insert a token (the most useful mutation for CSV: weighted x3)
        const Bytes& t = Tokens()[rng.Below(Tokens().size())];
        b.insert(b.begin() + static_cast<std::ptrdiff_t>(rng.Below(b.size() + 1)), t.begin(), t.end());
        break;
      }
      case 6: {  // delete a range
        if (b.empty()) break;
        size_t pos = rng.Below(b.size());
        size_t len = 1 + rng.Below(std::min<size_t>(b.size() - pos, 16));
        b.erase(b.begin() + static_cast<std::ptrdiff_t>(pos), b.begin() + static_cast<std::ptrdiff_t>(pos + len));
        break;
      }
      case 7:  // truncate
        if (!b.empty()) b.resize(rng.Below(b.size()));
        break;
      case 8: {  // duplicate a range somewhere else
        if (b.empty()) break;
        size_t pos = rng.Below(b.size());
        size_t len = 1 + rng.Below(std::min<size_t>(b.size() - pos, 64));
        Bytes chunk(b.begin() + static_cast<std::ptrdiff_t>(pos), b.begin() + static_cast<std::ptrdiff_t>(pos + len));
        b.insert(b.begin() + static_cast<std::ptrdiff_t>(rng.Below(b.size() + 1)), chunk.begin(), chunk.end());
        break;
      }
      case 9: {  // splice: our prefix + another seed's suffix
        const Bytes& other = seeds[rng.Below(seeds.size())];
        size_t keep = rng.Below(b.size() + 1);
        size_t from = rng.Below(other.size() + 1);
        b.resize(keep);
        b.insert(b.end(), other.begin() + static_cast<std::ptrdiff_t>(from), other.end());
        break;
      }
      case 10: {  // a run of one repeated byte (long numbers, long fields)
        static const uint8_t kRun[] = {'9', '0', ',', '"', '\n', ' ', 0xE4};
        size_t len = 1 + rng.Below(rng.OneIn(4) ? 512 : 24);
        b.insert(b.begin() + static_cast<std::ptrdiff_t>(rng.Below(b.size() + 1)), len, kRun[rng.Below(sizeof kRun)]);
        break;
      }
    }
    if (b.size() > max_len) b.resize(max_len);
  }
}

Bytes Generate(const std::vector<Bytes>& seeds, Rng& rng, size_t max_len) {
  if (rng.OneIn(10)) {
    // Pure noise, half of it from a CSV-heavy alphabet.
    size_t len = rng.Below((rng.OneIn(2) ? std::min<size_t>(64, max_len) : max_len) + 1);
    Bytes b(len);
    static const char kAlphabet[] = "0123456789.,-\"\n\r /abcP\xE4\xB8\xAD\xD6\xD0";
    const bool alpha = rng.OneIn(2);
    for (auto& c : b) {
      c = alpha ? static_cast<uint8_t>(kAlphabet[rng.Below(sizeof kAlphabet - 1)]) : static_cast<uint8_t>(rng.Next());
    }
    return b;
  }
  Bytes b = seeds[rng.Below(seeds.size())];
  if (b.size() > max_len) b.resize(max_len);
  Mutate(b, seeds, rng, max_len);
  return b;
}

// ---------------------------------------------------------------------------
// Command line
// ---------------------------------------------------------------------------
[[noreturn]] void Usage(const char* argv0, const char* error) {
  if (error != nullptr) std::fprintf(stderr, "%s: %s\n", argv0, error);
  std::fprintf(stderr,
               "usage: %s [FILE|DIR ...] [--random N] [--seed S] [--max-len L]\n"
               "  runs every FILE (and every file under DIR) through LLVMFuzzerTestOneInput,\n"
               "  then N deterministic pseudo-random/mutated inputs seeded by S.\n",
               argv0);
  std::exit(error != nullptr ? 2 : 0);
}

uint64_t ParseNumber(const char* argv0, const char* flag, const char* text) {
  char* end = nullptr;
  errno = 0;
  unsigned long long v = std::strtoull(text, &end, 10);
  if (text[0] == '\0' || text[0] == '-' || *end != '\0' || errno != 0) {
    std::string msg = std::string("bad value for ") + flag + ": '" + text + "'";
    Usage(argv0, msg.c_str());
  }
  return static_cast<uint64_t>(v);
}

bool ReadFile(const std::filesystem::path& path, Bytes& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return !in.bad();
}

}  // namespace

int main(int argc, char** argv) {
  const char* argv0 = argc > 0 ? argv[0] : "fuzz";
  std::vector<std::filesystem::path> paths;
  uint64_t random_count = 0;
  uint64_t seed = 1;
  uint64_t max_len = 4096;

  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    auto value = [&](const char* flag) -> const char* {
      if (i + 1 >= argc) Usage(argv0, (std::string("missing value for ") + flag).c_str());
      return argv[++i];
    };
    if (arg == "--random") {
      random_count = ParseNumber(argv0, "--random", value("--random"));
    } else if (arg == "--seed") {
      seed = ParseNumber(argv0, "--seed", value("--seed"));
    } else if (arg == "--max-len") {
      max_len = ParseNumber(argv0, "--max-len", value("--max-len"));
    } else if (arg == "-h" || arg == "--help") {
      Usage(argv0, nullptr);
    } else if (arg.size() > 1 && arg[0] == '-') {
      Usage(argv0, (std::string("unknown option ") + std::string(arg)).c_str());
    } else {
      paths.emplace_back(arg);
    }
  }
  if (paths.empty() && random_count == 0) Usage(argv0, "nothing to do: give a corpus path and/or --random N");

  // Collect the corpus: files as given, directories recursively in sorted order.
  std::vector<std::filesystem::path> files;
  for (const auto& p : paths) {
    std::error_code ec;
    if (std::filesystem::is_directory(p, ec)) {
      std::vector<std::filesystem::path> found;
      for (auto it = std::filesystem::recursive_directory_iterator(p, ec);
           !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
        if (it->is_regular_file(ec)) found.push_back(it->path());
      }
      if (ec) {
        std::fprintf(stderr, "%s: cannot read directory %s: %s\n", argv0, p.c_str(), ec.message().c_str());
        return 2;
      }
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else if (std::filesystem::is_regular_file(p, ec)) {
      files.push_back(p);
    } else {
      std::fprintf(stderr, "%s: no such file or directory: %s\n", argv0, p.c_str());
      return 2;
    }
  }

  if (LLVMFuzzerInitialize != nullptr) LLVMFuzzerInitialize(&argc, &argv);
  InstallCrashHandlers();

  size_t runs = 0;
  std::vector<Bytes> seeds;
  for (const auto& f : files) {
    Bytes data;
    if (!ReadFile(f, data)) {
      std::fprintf(stderr, "%s: cannot read %s\n", argv0, f.c_str());
      return 2;
    }
    runs += RunOne(data, "file " + f.string());
    seeds.push_back(std::move(data));
  }

  if (random_count > 0) {
    if (seeds.empty()) seeds = BuiltinSeeds();
    for (uint64_t i = 0; i < random_count; ++i) {
      // One stream per input, so an input depends only on (seed, index, corpus).
      Rng rng(seed * 0x2545F4914F6CDD1Dull + i);
      rng.Next();
      Bytes input = Generate(seeds, rng, static_cast<size_t>(max_len));
      runs += RunOne(input, "random #" + std::to_string(i) + " of --seed " + std::to_string(seed));
    }
  }

  std::printf("fuzz: %zu inputs, 0 crashes\n", runs);
  return 0;
}
