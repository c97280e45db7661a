// One table per enumeration: the id a ledger, the C API and JSON use, the Chinese
// label a report prints, and further aliases a bureau's spreadsheet may hold. Every
// surface parses and prints through these tables, so a name is defined only here.
#ifndef KEYPROJ_ENUM_TABLE_H_
#define KEYPROJ_ENUM_TABLE_H_

#include <optional>
#include <string>
#include <span>
#include <string_view>

#include "keyproj/internal/text.h"

namespace keyproj {

template <typename E>
struct EnumEntry {
  E value;
  std::string_view id;       // English id, lower case: "culture_tourism"
  std::string_view label;    // Chinese label: "文旅"
  std::string_view aliases;  // more accepted spellings, '|'-separated
};

// Specialised next to each enumeration: static std::span<const EnumEntry<E>> entries().
template <typename E>
struct EnumTraits;

namespace enum_internal {
inline bool AliasMatches(std::string_view aliases, std::string_view text) {
  while (!aliases.empty()) {
    size_t bar = aliases.find('|');
    std::string_view a = aliases.substr(0, bar);
    if (internal::EqualsIgnoreAsciiCase(a, text)) return true;
    if (bar == std::string_view::npos) break;
    aliases.remove_prefix(bar + 1);
  }
  return false;
}
}  // namespace enum_internal

// Accepts the id (any ASCII case), the Chinese label or an alias. Spaces around the
// text are ignored. nullopt when nothing matches (an empty cell too).
template <typename E>
std::optional<E> ParseEnum(std::string_view text) {
  text = internal::TrimAscii(text);
  if (text.empty()) return std::nullopt;
  for (const EnumEntry<E>& e : EnumTraits<E>::entries()) {
    if (internal::EqualsIgnoreAsciiCase(e.id, text) || e.label == text ||
        enum_internal::AliasMatches(e.aliases, text)) {
      return e.value;
    }
  }
  return std::nullopt;
}

template <typename E>
const EnumEntry<E>* FindEnumEntry(E value) {
  for (const EnumEntry<E>& e : EnumTraits<E>::entries()) {
    if (e.value == value) return &e;
  }
  return nullptr;
}

// The id of a value ("" for a value not in the table, e.g. kUnknown).
template <typename E>
std::string_view EnumId(E value) {
  const EnumEntry<E>* e = FindEnumEntry(value);
  return e ? e->id : std::string_view();
}

template <typename E>
std::string_view EnumLabel(E value) {
  const EnumEntry<E>* e = FindEnumEntry(value);
  return e ? e->label : std::string_view();
}

// "industry (产业), urban (城建), ..." for error messages that list what is accepted.
template <typename E>
std::string AcceptedEnumValues() {
  std::string out;
  for (const EnumEntry<E>& e : EnumTraits<E>::entries()) {
    if (!out.empty()) out += ", ";
    out += e.id;
    out += " (";
    out += e.label;
    out += ")";
  }
  return out;
}

// "unknown category '工厂'; accepted: industry (产业), ...": the message of a text
// that ParseEnum<E> does not take, where `what` names the vocabulary.
template <typename E>
std::string UnknownEnumValue(std::string_view what, std::string_view text) {
  std::string out = "unknown ";
  out += what;
  out += " '";
  out += text;
  out += "'; accepted: ";
  out += AcceptedEnumValues<E>();
  return out;
}

}  // namespace keyproj

#endif  // KEYPROJ_ENUM_TABLE_H_
