// Test support: a query of some ids at a date, evaluated, and read in its
// whole-scope row by id -- the value, the projects listed and their notes. Shared by
// the hand-checked indicator tests, each of which adds its own way of printing a note.
#ifndef KEYPROJ_TESTS_WHOLE_SCOPE_RESULT_H_
#define KEYPROJ_TESTS_WHOLE_SCOPE_RESULT_H_

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "keyproj/engine.h"
#include "keyproj/ledger.h"
#include "keyproj/query.h"
#include "keyproj/value.h"

namespace keyproj::test_support {

// The ids at as_of, on one thread.
inline Query QueryOf(Date as_of, std::vector<std::string> ids) {
  Query q;
  q.as_of = as_of;
  q.indicators = std::move(ids);
  q.options.threads = 1;
  return q;
}

class WholeScope {
 public:
  WholeScope(const Ledger& l, const Query& q) : l_(&l) {
    absl::StatusOr<Result> r = Evaluate(l, q);
    EXPECT_TRUE(r.ok()) << r.status();
    if (r.ok()) r_ = *std::move(r);
  }
  // The value of `id` (a test failure and -999999 when the result has no such column).
  Value operator()(std::string_view id) const {
    const int c = Column(id);
    return c < 0 ? Value::Integer(-999999) : r_.total().values[static_cast<size_t>(c)];
  }
  // The codes of the projects on `id`'s list, ascending by project number.
  std::vector<std::string> Listed(std::string_view id) const {
    std::vector<std::string> out;
    const int c = Column(id);
    if (c < 0) return out;
    for (uint32_t p : r_.total().projects[static_cast<size_t>(c)]) out.emplace_back(l_->code(p));
    return out;
  }
  // The note of project `code` on `id`'s list (NoteOf).
  std::optional<ListNote> RawNote(std::string_view id, std::string_view code) const {
    const int c = r_.column(id);
    const std::optional<uint32_t> p = l_->FindProject(code);
    if (c < 0 || !p) return std::nullopt;
    return NoteOf(*l_, r_, static_cast<size_t>(c), *p);
  }
  const Ledger& ledger() const { return *l_; }
  const Result& result() const { return r_; }

 protected:
  // The column of `id`, or -1 (a test failure) when the result has none or no rows.
  int Column(std::string_view id) const {
    const int c = r_.column(id);
    EXPECT_GE(c, 0) << id;
    return r_.rows.empty() ? -1 : c;
  }

  const Ledger* l_;
  Result r_;
};

}  // namespace keyproj::test_support

#endif  // KEYPROJ_TESTS_WHOLE_SCOPE_RESULT_H_
