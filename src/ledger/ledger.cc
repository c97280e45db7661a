#include "keyproj/ledger.h"

#include <type_traits>
#include <variant>

#include "keyproj/internal/project_fields.h"

namespace keyproj {

namespace {

template <typename T>
size_t Bytes(const std::vector<T>& v) {
  return v.capacity() * sizeof(T);
}
template <typename... V>
size_t Sum(const V&... v) {
  return (Bytes(v) + ...);
}

}  // namespace

size_t Ledger::monthly_memory_bytes() const {
  const internal::MonthlyColumns& m = monthly_;
  return Sum(m.total_blocks, m.cum_investment, m.cum_funds, m.reported_on, m.progress, m.problems, m.flags);
}

size_t Ledger::memory_bytes() const {
  const internal::ProjectColumns& p = projects_;
  // The column of each stored project field, and those beside them.
  size_t bytes = Sum(p.code_form, p.code_year, p.tag_begin);
  for (const internal::ProjectField& f : internal::ProjectFields()) {
    std::visit(
        [&](auto column) {
          if constexpr (!std::is_same_v<decltype(column), std::monostate>) bytes += Bytes(p.*column);
        },
        f.column);
  }
  bytes += monthly_memory_bytes() + Sum(monthly_.slot_begin, monthly_.first_month);
  const internal::FundingColumns& f = funding_;
  bytes += Sum(f.project, f.year, f.source, f.requested, f.approved, f.arrived, f.currency,
               f.original_row, f.original_requested, f.original_approved, f.original_arrived, f.row_begin);
  bytes += Sum(plans_.project, plans_.year, plans_.planned, plans_.row_begin);
  const internal::ProblemColumns& q = problems_;
  bytes += Sum(q.project, q.id, q.description, q.owner, q.kind, q.raised_on, q.due, q.resolved_on);
  bytes += Sum(baseline_.month, baseline_.dimension, baseline_.key, baseline_.investment);
  for (const auto& table : extras_) {
    for (const ExtraColumn& c : table) bytes += c.header.capacity() + Bytes(c.values);
  }
  bytes += codes_.memory_bytes() + Bytes(code_to_project_) + strings_.memory_bytes();
  return bytes;
}

}  // namespace keyproj
