// Internal: the errors of one reading of a file a person wrote -- a target set, a
// scoring scheme, a report template -- so that the reading lists them all rather than
// one a run. A part with an error (a target, a rule, a placeholder) is left out and the
// reading goes on; an error that would make what follows wrong for no fault of its
// own (a custom indicator that does not compile, which every target naming it would
// then seem to miss) ends the reading.
#ifndef KEYPROJ_INTERNAL_ERROR_LIST_H_
#define KEYPROJ_INTERNAL_ERROR_LIST_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "keyproj/internal/text.h"

namespace keyproj::internal {

class ErrorList {
 public:
  // Whether `st` is OK; if not, its message is kept, after `prefix` (what it is of:
  // "--filter x: "). The status of another list ("3 problems:" and its lines, below)
  // adds its problems one by one, each after the prefix.
  bool Ok(const absl::Status& st, std::string_view prefix = {}) {
    if (st.ok()) return true;
    const std::string_view m(st.message().data(), st.message().size());
    const size_t head = m.find(" problems:\n  ");
    if (head != std::string_view::npos && head > 0 &&
        m.substr(0, head).find_first_not_of("0123456789") == std::string_view::npos) {
      for (size_t at = head + 13; at <= m.size();) {
        const size_t next = m.find("\n  ", at);
        messages_.push_back(Cat(prefix, m.substr(at, next == std::string_view::npos ? std::string_view::npos : next - at)));
        if (next == std::string_view::npos) break;
        at = next + 3;
      }
      return false;
    }
    messages_.push_back(Cat(prefix, m));
    return false;
  }
  bool empty() const { return messages_.empty(); }
  size_t size() const { return messages_.size(); }

  // OK; the one error as it was; or InvalidArgument "3 problems:" and each on a line
  // of its own, indented, in the order found ("line 3, column 7: ..." each).
  absl::Status status() const {
    if (messages_.empty()) return absl::OkStatus();
    if (messages_.size() == 1) return absl::InvalidArgumentError(messages_.front());
    std::string out = Cat(messages_.size(), " problems:");
    for (const std::string& m : messages_) Append(&out, "\n  ", m);
    return absl::InvalidArgumentError(out);
  }

 private:
  std::vector<std::string> messages_;
};

}  // namespace keyproj::internal

#endif  // KEYPROJ_INTERNAL_ERROR_LIST_H_
