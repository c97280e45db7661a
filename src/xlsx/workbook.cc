#include "xlsx/workbook.h"

#include <expat.h>
#include <zip.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstring>
#include <functional>
#include <optional>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "keyproj/date.h"
#include "keyproj/internal/text.h"

namespace keyproj::xlsx {

using internal::Cat;

namespace {

// Excel's grid: 1048576 rows, 16384 columns (XFD).
constexpr int32_t kMaxRow = 1'048'576;
constexpr int32_t kMaxCol = 16'384;

// An element's or attribute's local name: a workbook may use prefixes ("x:c",
// "r:id") or not. (Expat's namespace processing would give "uri\x01c" for every
// name, a long string measured at every element: a third of a sheet's reading.)
std::string_view Local(const XML_Char* name) {
  const char* local = name;
  for (const char* p = name; *p != '\0'; ++p) {
    if (*p == ':') local = p + 1;
  }
  return std::string_view(local);
}

const char* Attr(const XML_Char** atts, std::string_view local) {
  for (int i = 0; atts[i] != nullptr; i += 2) {
    if (Local(atts[i]) == local) return atts[i + 1];
  }
  return nullptr;
}

// Decodes ST_Xstring's escapes: "_x000D_" is U+000D; "_x005F_" an underscore.
std::string Unescape(std::string s) {
  if (s.find("_x") == std::string::npos) return s;
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '_' && i + 6 < s.size() && s[i + 1] == 'x' && s[i + 6] == '_' &&
        std::all_of(s.begin() + i + 2, s.begin() + i + 6, [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); })) {
      const unsigned cp = static_cast<unsigned>(std::stoul(s.substr(i + 2, 4), nullptr, 16));
      if (cp >= 0xD800 && cp <= 0xDFFF) {  // a lone surrogate: not text; kept as written
        out.push_back(s[i]);
        continue;
      }
      if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
      } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
      } else {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
      }
      i += 6;
      continue;
    }
    out.push_back(s[i]);
  }
  return out;
}

// "C12" -> row 12, column 3. False when malformed or off the grid.
bool ParseRef(std::string_view ref, int32_t* row, int32_t* col) {
  size_t i = 0;
  int64_t c = 0, r = 0;
  while (i < ref.size() && ((ref[i] >= 'A' && ref[i] <= 'Z') || (ref[i] >= 'a' && ref[i] <= 'z'))) {
    c = c * 26 + (internal::AsciiLower(ref[i]) - 'a' + 1);
    if (c > kMaxCol) return false;
    ++i;
  }
  if (i == 0 || i == ref.size()) return false;
  for (; i < ref.size(); ++i) {
    if (ref[i] < '0' || ref[i] > '9') return false;
    r = r * 10 + (ref[i] - '0');
    if (r > kMaxRow) return false;
  }
  if (r < 1) return false;
  *row = static_cast<int32_t>(r);
  *col = static_cast<int32_t>(c);
  return true;
}

std::optional<int64_t> ParseIndex(const char* s) {
  if (s == nullptr || *s == '\0') return std::nullopt;
  int64_t v = 0;
  for (const char* p = s; *p != '\0'; ++p) {
    if (*p < '0' || *p > '9') return std::nullopt;
    v = v * 10 + (*p - '0');
    if (v > (int64_t{1} << 40)) return std::nullopt;
  }
  return v;
}

// What a number format shows a number as.
enum class Shown : uint8_t { kNumber, kDate, kMonth, kText };

// A format code's kind: y or d outside quotes, brackets and escapes make a date (d:
// with the day; y and m without d: a month); "@" alone text. Times alone (h:mm) stay
// numbers.
Shown KindOfCode(std::string_view code) {
  bool y = false, m = false, d = false;
  std::string_view section = code.substr(0, code.find(';'));  // the positive numbers' section
  for (size_t i = 0; i < section.size(); ++i) {
    const char c = section[i];
    if (c == '"') {
      const size_t close = section.find('"', i + 1);
      if (close == std::string_view::npos) break;
      i = close;
    } else if (c == '[') {
      const size_t close = section.find(']', i + 1);
      if (close == std::string_view::npos) break;
      i = close;
    } else if (c == '\\' || c == '_' || c == '*') {
      ++i;
    } else {
      const char l = internal::AsciiLower(c);
      y |= l == 'y' || l == 'e';  // e: the year in East Asian formats
      m |= l == 'm';
      d |= l == 'd';
    }
  }
  if (d) return Shown::kDate;
  if (y && m) return Shown::kMonth;
  if (internal::TrimAscii(section) == "@") return Shown::kText;
  return Shown::kNumber;
}

// Built-in formats (ECMA-376 18.8.30, with the zh-CN locale's 27-36 and 50-58).
Shown KindOfBuiltIn(int64_t id) {
  if ((id >= 14 && id <= 16) || id == 22) return Shown::kDate;
  if (id == 17) return Shown::kMonth;  // mmm-yy
  if (id == 49) return Shown::kText;
  switch (id) {
    case 27: case 36: case 50: case 52: case 57: return Shown::kMonth;   // yyyy"年"m"月"
    case 28: case 29: case 30: case 31: case 51: case 53: case 54: case 58: return Shown::kDate;
    default: return Shown::kNumber;
  }
}

std::string TwoDigits(int v) { return std::string{static_cast<char>('0' + v / 10), static_cast<char>('0' + v % 10)}; }

// A date serial's day as ISO text; nullopt when it is no date (negative, beyond 9999).
std::optional<std::string> SerialDate(std::string_view plain, bool date1904, bool month_only) {
  if (plain.empty() || plain[0] == '-') return std::nullopt;
  const size_t dot = plain.find('.');
  const std::string_view whole = plain.substr(0, dot);
  if (whole.empty() || whole.size() > 7) return std::nullopt;
  int32_t serial = 0;
  for (char c : whole) serial = serial * 10 + (c - '0');
  int32_t days = 0;
  if (date1904) {
    days = internal::civil::DaysFromCivil(1904, 1, 1) + serial;
  } else if (serial == 60) {
    // Excel's 1900 system counts a 1900-02-29 that never was (Lotus 1-2-3's bug);
    // written as such, the date parser names it.
    return month_only ? std::optional<std::string>("1900-02") : std::optional<std::string>("1900-02-29");
  } else {
    days = internal::civil::DaysFromCivil(1899, 12, serial < 60 ? 31 : 30) + serial;
  }
  const YearMonthDay v = internal::civil::CivilFromDays(days);
  if (v.year > 9999) return std::nullopt;
  std::string out = Cat(v.year, "-", TwoDigits(v.month));
  while (out.size() < 7) out.insert(0, "0");
  if (!month_only) internal::Append(&out, "-", TwoDigits(v.day));
  return out;
}

// ---------------------------------------------------------------------------
// Parts: read from the zip, inflated under the limits, parsed with expat
// ---------------------------------------------------------------------------

struct XmlHandler {
  virtual ~XmlHandler() = default;
  virtual void Start(std::string_view name, const XML_Char** atts) = 0;
  virtual void End(std::string_view name) = 0;
  virtual void Text(std::string_view text) = 0;
  std::string error;  // set: stop, the part is bad
  absl::StatusCode code = absl::StatusCode::kInvalidArgument;  // of `error`
  XML_Parser parser = nullptr;
  void StopOnError() {
    if (!error.empty()) XML_StopParser(parser, XML_FALSE);
  }
};

}  // namespace

struct Workbook::State {
  std::string name;
  Limits limits;
  zip_t* zip = nullptr;
  uint64_t read_total = 0;
  std::vector<std::string> sheet_names;
  std::vector<std::string> sheet_paths;
  bool date1904 = false;
  std::vector<std::string> shared;   // shared strings
  std::vector<Shown> xf_shown;       // by cellXfs index
  std::vector<std::pair<std::string, std::string>> custom;  // custom document properties
  uint64_t cells = 0;

  ~State() {
    if (zip != nullptr) zip_discard(zip);
  }

  absl::Status Error(absl::StatusCode code, std::string_view what) const {
    return absl::Status(code, Cat(name, ": ", what));
  }

  // Whether the part exists (names are matched ignoring ASCII case, as OPC says).
  bool Has(const std::string& part) const {
    return zip_name_locate(zip, part.c_str(), ZIP_FL_NOCASE) >= 0;
  }

  absl::Status Parse(const std::string& part, XmlHandler& handler) {
    const zip_int64_t index = zip_name_locate(zip, part.c_str(), ZIP_FL_NOCASE);
    if (index < 0) return Error(absl::StatusCode::kInvalidArgument, Cat("the part ", part, " is missing"));
    zip_file_t* f = zip_fopen_index(zip, static_cast<zip_uint64_t>(index), 0);
    if (f == nullptr) {
      return Error(absl::StatusCode::kDataLoss, Cat("cannot read ", part, ": ", zip_strerror(zip)));
    }
    XML_Parser p = XML_ParserCreate(nullptr);
    if (p == nullptr) {
      zip_fclose(f);
      return absl::ResourceExhaustedError("out of memory");
    }
    handler.parser = p;
    XML_SetUserData(p, &handler);
    XML_SetElementHandler(
        p,
        [](void* ud, const XML_Char* n, const XML_Char** a) {
          auto* h = static_cast<XmlHandler*>(ud);
          h->Start(Local(n), a);
          h->StopOnError();
        },
        [](void* ud, const XML_Char* n) {
          auto* h = static_cast<XmlHandler*>(ud);
          h->End(Local(n));
          h->StopOnError();
        });
    XML_SetCharacterDataHandler(p, [](void* h, const XML_Char* s, int len) {
      static_cast<XmlHandler*>(h)->Text(std::string_view(s, static_cast<size_t>(len)));
    });
    // No DTD in a workbook: refusing one refuses entity expansion (billion laughs).
    XML_SetStartDoctypeDeclHandler(p, [](void* ud, const XML_Char*, const XML_Char*, const XML_Char*, int) {
      auto* h = static_cast<XmlHandler*>(ud);
      h->error = "a DTD (not allowed in a workbook)";
      h->StopOnError();
    });
    absl::Status status;
    uint64_t part_read = 0;
    std::vector<char> buffer(1 << 16);
    for (;;) {
      const zip_int64_t n = zip_fread(f, buffer.data(), buffer.size());
      if (n < 0) {
        status = Error(absl::StatusCode::kDataLoss, Cat("cannot inflate ", part, ": ", zip_file_strerror(f),
                                                        " (a corrupt or truncated file)"));
        break;
      }
      part_read += static_cast<uint64_t>(n);
      read_total += static_cast<uint64_t>(n);
      if (part_read > limits.part_bytes || read_total > limits.total_bytes) {
        status = Error(absl::StatusCode::kResourceExhausted,
                       Cat(part, " inflates to more than ", (part_read > limits.part_bytes ? limits.part_bytes : limits.total_bytes) >> 20,
                           " MB", part_read > limits.part_bytes ? "" : " (all parts read)",
                           "; refused (a zip bomb, or a workbook too big to read)"));
        break;
      }
      const bool last = n == 0;
      if (XML_Parse(p, buffer.data(), static_cast<int>(n), last ? XML_TRUE : XML_FALSE) != XML_STATUS_OK) {
        if (!handler.error.empty()) {
          status = Error(handler.code, Cat(part, ": ", handler.error));
        } else {
          status = Error(absl::StatusCode::kInvalidArgument,
                         Cat(part, ": not well-formed XML (", XML_ErrorString(XML_GetErrorCode(p)), " at line ",
                             XML_GetCurrentLineNumber(p), ")"));
        }
        break;
      }
      if (!handler.error.empty()) {
        status = Error(handler.code, Cat(part, ": ", handler.error));
        break;
      }
      if (last) break;
    }
    XML_ParserFree(p);
    zip_fclose(f);
    return status;
  }
};

namespace {

// Relationships: Id -> (Type, Target).
struct RelsHandler : XmlHandler {
  struct Rel {
    std::string id, type, target;
  };
  std::vector<Rel> rels;
  void Start(std::string_view name, const XML_Char** atts) override {
    if (name != "Relationship") return;
    const char* id = Attr(atts, "Id");
    const char* type = Attr(atts, "Type");
    const char* target = Attr(atts, "Target");
    if (id != nullptr && target != nullptr) rels.push_back({id, type != nullptr ? type : "", target});
  }
  void End(std::string_view) override {}
  void Text(std::string_view) override {}
  const Rel* ByType(std::string_view suffix) const {
    for (const Rel& r : rels) {
      if (r.type.size() >= suffix.size() && r.type.compare(r.type.size() - suffix.size(), suffix.size(), suffix) == 0) {
        return &r;
      }
    }
    return nullptr;
  }
};

// A relationship's target as a part name: relative to the folder of `base` (a part
// name), or absolute ("/xl/worksheets/sheet1.xml"); ".." resolved.
std::string Resolve(std::string_view base, std::string_view target) {
  std::vector<std::string> parts;
  if (!target.empty() && target[0] == '/') {
    target.remove_prefix(1);
  } else {
    const size_t slash = base.rfind('/');
    std::string_view folder = slash == std::string_view::npos ? std::string_view() : base.substr(0, slash);
    while (!folder.empty()) {
      const size_t s = folder.find('/');
      parts.emplace_back(folder.substr(0, s));
      if (s == std::string_view::npos) break;
      folder.remove_prefix(s + 1);
    }
  }
  while (!target.empty()) {
    const size_t s = target.find('/');
    const std::string_view seg = target.substr(0, s);
    if (seg == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!seg.empty() && seg != ".") {
      parts.emplace_back(seg);
    }
    if (s == std::string_view::npos) break;
    target.remove_prefix(s + 1);
  }
  std::string out;
  for (const std::string& p : parts) internal::Append(&out, out.empty() ? "" : "/", p);
  return out;
}

std::string RelsOf(std::string_view part) {
  const size_t slash = part.rfind('/');
  if (slash == std::string_view::npos) return Cat("_rels/", part, ".rels");
  return Cat(part.substr(0, slash), "/_rels/", part.substr(slash + 1), ".rels");
}

struct WorkbookHandler : XmlHandler {
  struct SheetRef {
    std::string name, rel;
  };
  std::vector<SheetRef> sheets;
  bool date1904 = false;
  void Start(std::string_view name, const XML_Char** atts) override {
    if (name == "workbookPr") {
      const char* v = Attr(atts, "date1904");
      date1904 = v != nullptr && (std::strcmp(v, "1") == 0 || std::strcmp(v, "true") == 0);
    } else if (name == "sheet") {
      const char* n = Attr(atts, "name");
      const char* id = Attr(atts, "id");  // r:id
      if (n != nullptr && id != nullptr) sheets.push_back({n, id});
    }
  }
  void End(std::string_view) override {}
  void Text(std::string_view) override {}
};

// sharedStrings.xml: <si> holds <t> or rich runs <r><t>; phonetic runs <rPh> are not
// the text.
struct SharedHandler : XmlHandler {
  std::vector<std::string>* out;
  const Limits* limits;
  bool in_si = false, in_t = false;
  int in_rph = 0;
  std::string text;
  uint64_t bytes = 0;
  void Start(std::string_view name, const XML_Char**) override {
    if (name == "si") {
      in_si = true;
      text.clear();
    } else if (name == "rPh") {
      ++in_rph;
    } else if (name == "t" && in_si && in_rph == 0) {
      in_t = true;
    }
  }
  void End(std::string_view name) override {
    if (name == "si") {
      out->push_back(Unescape(std::move(text)));
      text = std::string();
      in_si = false;
    } else if (name == "rPh") {
      --in_rph;
    } else if (name == "t") {
      in_t = false;
    }
  }
  void Text(std::string_view s) override {
    if (in_t) text.append(s);
  }
};

// styles.xml: custom number formats and the cell formats (cellXfs) that use them.
struct StylesHandler : XmlHandler {
  absl::flat_hash_map<int64_t, Shown> custom;
  std::vector<int64_t> xf_formats;
  bool in_cell_xfs = false;
  void Start(std::string_view name, const XML_Char** atts) override {
    if (name == "numFmt") {
      std::optional<int64_t> id = ParseIndex(Attr(atts, "numFmtId"));
      const char* code = Attr(atts, "formatCode");
      if (id && code != nullptr) custom[*id] = KindOfCode(code);
    } else if (name == "cellXfs") {
      in_cell_xfs = true;
    } else if (name == "xf" && in_cell_xfs) {
      xf_formats.push_back(ParseIndex(Attr(atts, "numFmtId")).value_or(0));
    }
  }
  void End(std::string_view name) override {
    if (name == "cellXfs") in_cell_xfs = false;
  }
  void Text(std::string_view) override {}
};

struct CustomPropsHandler : XmlHandler {
  std::vector<std::pair<std::string, std::string>>* out;
  int depth_in_property = 0;
  std::string name, value;
  void Start(std::string_view n, const XML_Char** atts) override {
    if (n == "property") {
      const char* pn = Attr(atts, "name");
      name = pn != nullptr ? pn : "";
      value.clear();
      depth_in_property = 1;
    } else if (depth_in_property > 0) {
      ++depth_in_property;
    }
  }
  void End(std::string_view n) override {
    if (depth_in_property == 1 && n == "property") {
      out->emplace_back(std::move(name), std::move(value));
      depth_in_property = 0;
    } else if (depth_in_property > 1) {
      --depth_in_property;
    }
  }
  void Text(std::string_view s) override {
    if (depth_in_property > 1) value.append(s);
  }
};

struct SheetHandler : XmlHandler {
  Sheet* sheet;
  const std::vector<std::string>* shared;
  const std::vector<Shown>* xf_shown;
  bool date1904 = false;
  uint64_t* cells;
  uint64_t max_cells = 0;
  // The row and cell being read.
  int32_t row = 0, next_col = 1;
  bool in_cell = false, in_v = false, in_f = false, in_is = false, in_t = false, has_f = false, has_v = false;
  int in_rph = 0;
  int32_t col = 0;
  std::string type, v, f, is;
  int64_t style = 0;

  void Start(std::string_view name, const XML_Char** atts) override {
    if (name == "row") {
      std::optional<int64_t> r = ParseIndex(Attr(atts, "r"));
      if (r) {
        if (*r < 1 || *r > kMaxRow) {
          error = Cat("row ", *r, " is outside the sheet (1 to ", kMaxRow, ")");
          return;
        }
        row = static_cast<int32_t>(*r);
      } else {
        ++row;
      }
      next_col = 1;
    } else if (name == "c") {
      const char* ref = Attr(atts, "r");
      int32_t r = row, c = next_col;
      if (ref != nullptr && !ParseRef(ref, &r, &c)) {
        error = Cat("cell reference ", ref, " is not a cell of the sheet");
        return;
      }
      if (c > kMaxCol) {
        error = Cat("more than ", kMaxCol, " columns in row ", r);
        return;
      }
      if (r == 0) r = 1;  // a cell outside any <row>: the first
      col = c;
      next_col = c + 1;
      if (r != row) row = r;
      const char* t = Attr(atts, "t");
      type = t != nullptr ? t : "n";
      style = ParseIndex(Attr(atts, "s")).value_or(0);
      v.clear();
      f.clear();
      is.clear();
      has_f = has_v = false;
      in_cell = true;
    } else if (in_cell && name == "v") {
      in_v = has_v = true;
    } else if (in_cell && name == "f") {
      in_f = has_f = true;
    } else if (in_cell && name == "is") {
      in_is = true;
    } else if (in_is && name == "rPh") {
      ++in_rph;
    } else if (in_is && name == "t" && in_rph == 0) {
      in_t = true;
    } else if (name == "mergeCell") {
      const char* ref = Attr(atts, "ref");
      if (ref == nullptr) return;
      std::string_view s(ref);
      const size_t colon = s.find(':');
      Range range;
      if (colon == std::string_view::npos ||
          !ParseRef(s.substr(0, colon), &range.first_row, &range.first_col) ||
          !ParseRef(s.substr(colon + 1), &range.last_row, &range.last_col)) {
        return;  // a merge that names no range changes no value: ignored
      }
      sheet->merged.push_back(range);
    }
  }

  void End(std::string_view name) override {
    if (name == "v") {
      in_v = false;
    } else if (name == "f") {
      in_f = false;
    } else if (name == "is") {
      in_is = false;
    } else if (name == "rPh") {
      if (in_rph > 0) --in_rph;
    } else if (name == "t") {
      in_t = false;
    } else if (name == "c" && in_cell) {
      in_cell = false;
      FinishCell();
    }
  }

  void Text(std::string_view s) override {
    if (in_v) v.append(s);
    else if (in_f) f.append(s);
    else if (in_t) is.append(s);
  }

  std::string Formula() const { return f.empty() ? std::string("(a shared formula)") : Cat("=", f); }

  void FinishCell() {
    Cell cell;
    cell.row = row;
    cell.col = col;
    if (type == "inlineStr") {
      cell.text = Unescape(std::move(is));
    } else if (has_f && (!has_v || (v.empty() && type != "str"))) {
      cell.problem = Cat("formula ", Formula(), " has no saved value: open and save the workbook in Excel or WPS");
    } else if (type == "s") {
      std::optional<int64_t> i = ParseIndex(v.c_str());
      if (!i || static_cast<uint64_t>(*i) >= shared->size()) {
        cell.problem = Cat("shared string ", v, " does not exist (the workbook is damaged)");
      } else {
        cell.text = (*shared)[static_cast<size_t>(*i)];
      }
    } else if (type == "str") {
      cell.text = Unescape(std::move(v));
    } else if (type == "b") {
      cell.text = v == "1" || v == "true" ? "TRUE" : "FALSE";
    } else if (type == "e") {
      cell.problem = Cat("the cell holds the error ", v, has_f ? Cat(" (formula ", Formula(), ")") : std::string());
    } else if (type == "d") {
      cell.text = v.substr(0, std::min<size_t>(v.size(), 10));  // ISO 8601: its day
    } else {  // "n"
      if (v.empty()) return;
      std::optional<std::string> plain = PlainDecimal(v);
      if (!plain) {
        cell.text = v;  // as written; the loader says what it is not
      } else {
        const Shown shown = style >= 0 && static_cast<uint64_t>(style) < xf_shown->size()
                                ? (*xf_shown)[static_cast<size_t>(style)]
                                : Shown::kNumber;
        std::optional<std::string> date;
        if (shown == Shown::kDate || shown == Shown::kMonth) date = SerialDate(*plain, date1904, shown == Shown::kMonth);
        cell.text = date ? *std::move(date) : *std::move(plain);
      }
    }
    if (cell.text.empty() && cell.problem.empty()) return;
    if (++*cells > max_cells) {
      error = Cat("more than ", max_cells, " cells; refused (a workbook too big to read)");
      code = absl::StatusCode::kResourceExhausted;
      return;
    }
    sheet->cells.push_back(std::move(cell));
  }
};

}  // namespace

std::string CellName(int32_t row, int32_t col) {
  std::string letters;
  for (int32_t c = col; c > 0; c = (c - 1) / 26) letters.insert(letters.begin(), static_cast<char>('A' + (c - 1) % 26));
  return Cat(letters, row);
}

std::optional<std::string> PlainDecimal(std::string_view v) {
  const size_t e = v.find_first_of("eE");
  // Without an exponent: a number as written (checked, not changed).
  std::string_view mantissa = v.substr(0, e);
  bool negative = false;
  size_t i = 0;
  if (!mantissa.empty() && (mantissa[0] == '-' || mantissa[0] == '+')) {
    negative = mantissa[0] == '-';
    i = 1;
  }
  std::string digits;
  int64_t point = -1;
  for (; i < mantissa.size(); ++i) {
    const char c = mantissa[i];
    if (c >= '0' && c <= '9') {
      digits.push_back(c);
    } else if (c == '.' && point < 0) {
      point = static_cast<int64_t>(digits.size());
    } else {
      return std::nullopt;
    }
  }
  if (digits.empty()) return std::nullopt;
  if (e == std::string_view::npos) return std::string(v);
  std::string_view exp = v.substr(e + 1);
  bool exp_negative = false;
  if (!exp.empty() && (exp[0] == '-' || exp[0] == '+')) {
    exp_negative = exp[0] == '-';
    exp.remove_prefix(1);
  }
  if (exp.empty() || exp.size() > 3) return std::nullopt;
  int64_t x = 0;
  for (char c : exp) {
    if (c < '0' || c > '9') return std::nullopt;
    x = x * 10 + (c - '0');
  }
  if (x > 400) return std::nullopt;
  if (point < 0) point = static_cast<int64_t>(digits.size());
  point += exp_negative ? -x : x;
  // digits with the point before digit `point` (which may be outside them).
  std::string whole, frac;
  if (point <= 0) {
    frac = std::string(static_cast<size_t>(-point), '0') + digits;
  } else if (point >= static_cast<int64_t>(digits.size())) {
    whole = digits + std::string(static_cast<size_t>(point) - digits.size(), '0');
  } else {
    whole = digits.substr(0, static_cast<size_t>(point));
    frac = digits.substr(static_cast<size_t>(point));
  }
  whole.erase(0, std::min(whole.find_first_not_of('0'), whole.size()));
  if (whole.empty()) whole = "0";
  while (!frac.empty() && frac.back() == '0') frac.pop_back();
  std::string out = negative && (whole != "0" || !frac.empty()) ? "-" : "";
  internal::Append(&out, whole);
  if (!frac.empty()) internal::Append(&out, ".", frac);
  return out;
}

Workbook::Workbook(std::unique_ptr<State> state) : state_(std::move(state)) {}
Workbook::Workbook(Workbook&&) noexcept = default;
Workbook& Workbook::operator=(Workbook&&) noexcept = default;
Workbook::~Workbook() = default;

const std::vector<std::string>& Workbook::sheet_names() const { return state_->sheet_names; }
bool Workbook::date1904() const { return state_->date1904; }

std::string Workbook::CustomProperty(std::string_view name) const {
  for (const auto& [n, v] : state_->custom) {
    if (n == name) return v;
  }
  return "";
}

absl::StatusOr<Workbook> Workbook::Open(std::string_view bytes, std::string name, Limits limits) {
  auto state = std::make_unique<State>();
  state->name = std::move(name);
  state->limits = limits;
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  if (source == nullptr) {
    zip_error_fini(&error);
    return absl::ResourceExhaustedError("out of memory");
  }
  // (Not ZIP_CHECKCONS: it refuses zips that Excel and WPS open; every entry's CRC is
  // checked as it is inflated.)
  state->zip = zip_open_from_source(source, ZIP_RDONLY, &error);
  if (state->zip == nullptr) {
    zip_source_free(source);
    const int code = zip_error_code_zip(&error);
    std::string why = zip_error_strerror(&error);
    zip_error_fini(&error);
    if (code == ZIP_ER_NOZIP) return state->Error(absl::StatusCode::kInvalidArgument, "not a workbook (not a zip file, or a truncated one)");
    return state->Error(absl::StatusCode::kDataLoss, Cat("not a readable zip (", why, "): a corrupt or truncated file"));
  }
  zip_error_fini(&error);
  if (zip_get_num_entries(state->zip, 0) > 100'000) {
    return state->Error(absl::StatusCode::kResourceExhausted, "more than 100000 parts; refused");
  }

  // The workbook part: the package's officeDocument relationship (xl/workbook.xml).
  std::string workbook_part = "xl/workbook.xml";
  if (state->Has("_rels/.rels")) {
    RelsHandler rels;
    if (absl::Status s = state->Parse("_rels/.rels", rels); !s.ok()) return s;
    if (const RelsHandler::Rel* r = rels.ByType("/officeDocument")) workbook_part = Resolve("", r->target);
  }
  if (!state->Has(workbook_part)) {
    return state->Error(absl::StatusCode::kInvalidArgument,
                        Cat("not an .xlsx workbook (no ", workbook_part, "; an .xls or .et file must be saved as .xlsx)"));
  }
  WorkbookHandler wbh;
  if (absl::Status s = state->Parse(workbook_part, wbh); !s.ok()) return s;
  state->date1904 = wbh.date1904;
  RelsHandler wrels;
  const std::string wrels_part = RelsOf(workbook_part);
  if (state->Has(wrels_part)) {
    if (absl::Status s = state->Parse(wrels_part, wrels); !s.ok()) return s;
  }
  for (const WorkbookHandler::SheetRef& ref : wbh.sheets) {
    std::string path;
    for (const RelsHandler::Rel& r : wrels.rels) {
      if (r.id == ref.rel) path = Resolve(workbook_part, r.target);
    }
    state->sheet_names.push_back(ref.name);
    state->sheet_paths.push_back(std::move(path));  // empty: a chartsheet or a broken link
  }
  auto part_of = [&](std::string_view type, std::string fallback) {
    if (const RelsHandler::Rel* r = wrels.ByType(type)) return Resolve(workbook_part, r->target);
    return fallback;
  };
  if (const std::string part = part_of("/sharedStrings", "xl/sharedStrings.xml"); state->Has(part)) {
    SharedHandler h;
    h.out = &state->shared;
    h.limits = &state->limits;
    if (absl::Status s = state->Parse(part, h); !s.ok()) return s;
  }
  if (const std::string part = part_of("/styles", "xl/styles.xml"); state->Has(part)) {
    StylesHandler h;
    if (absl::Status s = state->Parse(part, h); !s.ok()) return s;
    for (int64_t id : h.xf_formats) {
      const auto it = h.custom.find(id);
      state->xf_shown.push_back(it != h.custom.end() ? it->second : KindOfBuiltIn(id));
    }
  }
  if (state->Has("docProps/custom.xml")) {
    CustomPropsHandler h;
    h.out = &state->custom;
    if (absl::Status s = state->Parse("docProps/custom.xml", h); !s.ok()) return s;
  }
  return Workbook(std::move(state));
}

absl::StatusOr<Sheet> Workbook::ReadSheet(size_t index) {
  State& s = *state_;
  Sheet sheet;
  sheet.name = s.sheet_names.at(index);
  const std::string& part = s.sheet_paths.at(index);
  if (part.empty() || !s.Has(part)) {
    return s.Error(absl::StatusCode::kInvalidArgument, Cat("sheet ", sheet.name, " has no worksheet part (a chart sheet, or a damaged workbook)"));
  }
  SheetHandler h;
  h.sheet = &sheet;
  h.shared = &s.shared;
  h.xf_shown = &s.xf_shown;
  h.date1904 = s.date1904;
  h.cells = &s.cells;
  h.max_cells = s.limits.cells;
  if (absl::Status st = s.Parse(part, h); !st.ok()) return st;
  // Document order is row order as Excel writes it; other writers may not keep it.
  auto before = [](const Cell& a, const Cell& b) { return a.row != b.row ? a.row < b.row : a.col < b.col; };
  if (!std::is_sorted(sheet.cells.begin(), sheet.cells.end(), before)) {
    std::stable_sort(sheet.cells.begin(), sheet.cells.end(), before);
  }
  // A cell written twice: the first one counts.
  sheet.cells.erase(std::unique(sheet.cells.begin(), sheet.cells.end(),
                                [](const Cell& a, const Cell& b) { return a.row == b.row && a.col == b.col; }),
                    sheet.cells.end());
  return sheet;
}

}  // namespace keyproj::xlsx
