// The project-field table's checks (each row's members fit its kind) and the
// builder's side of it: a record's fields onto the columns. The table itself is in
// internal/project_fields.h.
#include "keyproj/internal/project_fields.h"

#include <algorithm>
#include <utility>

#include "keyproj/internal/text.h"

namespace keyproj::internal {

namespace {

using K = FieldKind;
using R = ProjectRecord;
using C = ProjectColumns;
constexpr std::span<const ProjectField> kFields = kProjectFields;

// Whether a row's members are of the types its kind reads (checked at compile time).
template <typename T>
constexpr bool RecordIs(const ProjectField& f) {
  return std::holds_alternative<T R::*>(f.record);
}
template <typename T>
constexpr bool ColumnIs(const ProjectField& f) {
  return std::holds_alternative<Column<T> C::*>(f.column) || !f.stored();
}
constexpr bool Consistent(const ProjectField& f) {
  switch (f.kind) {
    case K::kCode: return RecordIs<std::string>(f) && ColumnIs<uint32_t>(f) && f.stored();
    case K::kText: return RecordIs<std::string>(f) && ColumnIs<uint32_t>(f);
    case K::kRegion: return RecordIs<int32_t>(f) && ColumnIs<int32_t>(f);
    case K::kIndustry: return RecordIs<IndustryCode>(f) && ColumnIs<IndustryCode>(f);
    case K::kEnum: return !f.noun.empty() && ProjectEnums::Fits(f);
    case K::kYesNo: return RecordIs<Attracted>(f) && ColumnIs<Attracted>(f);
    case K::kMoney: return RecordIs<std::optional<Money>>(f) && ColumnIs<int64_t>(f);
    case K::kYear: return RecordIs<std::optional<int>>(f) && !f.stored();  // no year column yet
    case K::kDate:
      return (RecordIs<std::optional<Date>>(f) ||
              std::holds_alternative<std::optional<Date> StageDates::*>(f.record)) &&
             ColumnIs<int32_t>(f);
    case K::kTags:
      return RecordIs<std::vector<std::string>>(f) && ColumnIs<uint32_t>(f) && f.stored();
  }
  return false;
}
static_assert(std::ranges::all_of(kFields, Consistent), "a project field's members do not fit its kind");
static_assert(std::ranges::none_of(kFields, [](const ProjectField& f) { return f.id.empty() || f.chinese.empty(); }));
static_assert(kFields[0].kind == K::kCode, "the code comes first: it names the project in messages");

int32_t DayOr(const std::optional<Date>& d) { return d ? d->days() : kNoDay; }
int64_t FenOr(const std::optional<Money>& m) { return m ? m->fen() : kNoMoney; }

}  // namespace

std::optional<size_t> FindProjectField(std::string_view id) {
  for (size_t i = 0; i < std::size(kFields); ++i) {
    if (kFields[i].id == id) return i;
  }
  return std::nullopt;
}

namespace {

// The column of field `f` holding T. Not constexpr on purpose: GCC 12 crashes (an
// internal compiler error) constant-evaluating ColumnMemberAs here under
// -fsanitize=undefined; an optimising build folds it all the same.
template <typename T>
std::vector<T>& ColumnOf(ProjectColumns& c, const ProjectField& f) {
  return c.*(*std::get_if<Column<T> ProjectColumns::*>(&f.column));
}

// Field I of a record onto its column. A template over the row, so that kind and
// members are constants: no dispatch per field at run time.
template <size_t I>
void AppendField(const ProjectRecord& r, ProjectColumns& c, StringPool& strings, RecentStrings& recent) {
  constexpr const ProjectField& f = kProjectFields[I];
  if constexpr (f.stored()) {
    auto push = [&]<typename T>(T value) { ColumnOf<T>(c, f).push_back(value); };
    switch (f.kind) {
      case K::kCode: break;  // the builder's: the key
      case K::kText: push(recent.Intern(strings, r.*RecordMemberAs<std::string>(f))); break;
      case K::kRegion: push(r.*RecordMemberAs<int32_t>(f)); break;
      case K::kIndustry: push(r.*RecordMemberAs<IndustryCode>(f)); break;
      case K::kEnum: ProjectEnums::Visit(f, [&](auto record, auto) { push(r.*record); }); break;
      case K::kYesNo: push(r.*RecordMemberAs<Attracted>(f)); break;
      case K::kMoney: push(FenOr(r.*RecordMemberAs<std::optional<Money>>(f))); break;
      case K::kYear: break;  // not stored (Consistent)
      case K::kDate: push(DayOr(*DateIn(f, r))); break;
      case K::kTags: {
        std::vector<uint32_t>& ids = ColumnOf<uint32_t>(c, f);
        if (c.tag_begin.empty()) c.tag_begin.push_back(0);
        for (const std::string& tag : r.*RecordMemberAs<std::vector<std::string>>(f)) {
          if (!tag.empty()) ids.push_back(recent.Intern(strings, tag));
        }
        c.tag_begin.push_back(static_cast<uint32_t>(ids.size()));
        break;
      }
    }
  }
}

template <size_t I>
void PrefetchField(const ProjectRecord& r, const StringPool& strings, const RecentStrings& recent) {
  constexpr const ProjectField& f = kProjectFields[I];
  if constexpr (f.stored() && f.kind == K::kText) recent.Prefetch(strings, r.*RecordMemberAs<std::string>(f));
}

}  // namespace

void PrefetchProjectFields(const ProjectRecord& r, const StringPool& strings, const ProjectRecentStrings& recent) {
  [&]<size_t... I>(std::index_sequence<I...>) {
    (PrefetchField<I>(r, strings, recent[I]), ...);
  }(std::make_index_sequence<kProjectFields.size()>());
}

void AppendProjectFields(const ProjectRecord& r, ProjectColumns& c, StringPool& strings,
                         ProjectRecentStrings& recent) {
  [&]<size_t... I>(std::index_sequence<I...>) {
    (AppendField<I>(r, c, strings, recent[I]), ...);
  }(std::make_index_sequence<kProjectFields.size()>());
}

}  // namespace keyproj::internal
