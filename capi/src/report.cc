// Reports: keyproj::MakeReport, reading cells, and rendering documents.
#include <algorithm>
#include <charconv>
#include <optional>
#include <cstdint>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "capi_internal.h"
#include "keyproj/partial.h"
#include "keyproj/narrative.h"
#include "keyproj/problem_list.h"
#include "keyproj/report_xlsx.h"
#include "keyproj/value.h"

using namespace keyproj::capi;  // NOLINT: the shim's own helpers

namespace keyproj::capi {
namespace {

// Kinds of texts a report makes on demand (ReportText keys).
enum TextKind : int {
  kValueText = 0,
  kDisplayText = 1,
  kProjectCode = 2,
  kProjectName = 3,
  kDimensionId = 4,
  kColumnLabel = 5,
  kGroupLabel = 6,
  kAsOf = 7,
  kNoteKey = 8,
  kNoteLabel = 9,
  kNoteText = 10,
};

// The tables the reading calls index: the report's tables, then its funnel (when
// asked for, kp_report_request_set_funnel) as one more, the last.
size_t TableCount(const kp_report* rep) { return rep->report.tables.size() + (rep->report.funnel ? 1 : 0); }
const ReportTable& TableAt(const kp_report* rep, size_t table) {
  return table < rep->report.tables.size() ? rep->report.tables[table] : *rep->report.funnel;
}

kp_status CheckTable(const kp_report* rep, size_t table) {
  const size_t n = TableCount(rep);
  if (table >= n) return IndexError("table", table, n);
  return KP_OK;
}

kp_status CheckMoneyUnit(int32_t money_unit) {
  if (money_unit < 0 || money_unit > 255 ||
      keyproj::FindEnumEntry(static_cast<keyproj::MoneyUnit>(money_unit)) == nullptr) {
    return InvalidArgument("money_unit " + std::to_string(money_unit) + ": not a KP_MONEY_ value");
  }
  return KP_OK;
}

kp_status CheckCell(const kp_report* rep, size_t table, size_t row, size_t col) {
  KP_RETURN_IF_ERROR(CheckTable(rep, table));
  const Result& r = TableAt(rep, table).result;
  if (row >= r.rows.size()) return IndexError("row", row, r.rows.size());
  if (col >= r.indicators.size()) return IndexError("column", col, r.indicators.size());
  return KP_OK;
}

// The start of every reader: *out cleared (NULL or 0), then the report handle and
// the table index (and for a cell, its row and column) checked.
template <typename T>
kp_status StartRead(const kp_report* rep, size_t table, T* out) {
  KP_RETURN_IF_ERROR(CheckOut(out, "out"));
  *out = T{};
  KP_RETURN_IF_ERROR(CheckHandle(rep, "report"));
  return CheckTable(rep, table);
}

// The column readers: as StartRead, and the column checked too.
template <typename T>
kp_status StartReadColumn(const kp_report* rep, size_t table, size_t column, T* out) {
  KP_RETURN_IF_ERROR(StartRead(rep, table, out));
  const keyproj::Result& r = TableAt(rep, table).result;
  if (column >= r.indicators.size()) return IndexError("column", column, r.indicators.size());
  return Ok();
}

// The group readers: as StartRead, and the row and dimension checked too.
template <typename T>
kp_status StartReadGroup(const kp_report* rep, size_t table, size_t row, size_t dimension, T* out) {
  KP_RETURN_IF_ERROR(StartRead(rep, table, out));
  const keyproj::Result& r = TableAt(rep, table).result;
  if (row >= r.rows.size()) return IndexError("row", row, r.rows.size());
  if (dimension >= r.group_by.size()) return IndexError("dimension", dimension, r.group_by.size());
  return KP_OK;
}

template <typename T>
kp_status StartReadCell(const kp_report* rep, size_t table, size_t row, size_t col, T* out) {
  KP_RETURN_IF_ERROR(CheckOut(out, "out"));
  *out = T{};
  KP_RETURN_IF_ERROR(CheckHandle(rep, "report"));
  return CheckCell(rep, table, row, col);
}

const Value& CellValue(const kp_report* rep, size_t table, size_t row, size_t col) {
  return TableAt(rep, table).result.rows[row].values[col];
}
Unit CellUnit(const kp_report* rep, size_t table, size_t col) {
  return TableAt(rep, table).result.indicators[col].def->unit;
}

// The report's reports are read through const handles; the text cache is the only
// thing that changes, under its mutex.
kp_report_s* Mutable(const kp_report* rep) { return const_cast<kp_report_s*>(rep); }

// Whether `id` names an indicator `report` can show: a catalogue id, a custom
// indicator of its query, or a column of one of its tables.
absl::Status ReportKnows(const Report* report, std::string_view id) {
  if (FindIndicator(id).ok()) return absl::OkStatus();
  if (report != nullptr) {
    if (report->query.custom != nullptr && report->query.custom->Find(id) != nullptr) return absl::OkStatus();
    for (const ReportTable& t : report->tables) {
      for (const IndicatorRef& ref : t.result.indicators) {
        if (ref.id == id) return absl::OkStatus();
      }
    }
  }
  return absl::InvalidArgumentError("'" + std::string(id) + "' is no indicator of the report (kp_catalogue_count lists the ids)");
}

// `report`: what options.places may name (NULL: catalogue ids only).
kp_status ToRenderOptions(const kp_render_options* in, RenderOptions* out, Encoding* encoding,
                          const Report* report = nullptr) {
  *encoding = Encoding::kUtf8;
  if (in == nullptr) return KP_OK;
  if (in->version == 0 || in->version > KP_RENDER_OPTIONS_VERSION) {
    return InvalidArgument("options: kp_render_options version " + std::to_string(in->version) +
                           " (this library knows 1 to " + std::to_string(KP_RENDER_OPTIONS_VERSION) + ")");
  }
  if (in->money_unit < 0 || in->money_unit > 255 || FindEnumEntry(static_cast<MoneyUnit>(in->money_unit)) == nullptr) {
    return InvalidArgument("options.money_unit " + std::to_string(in->money_unit) + ": not a KP_MONEY_ value");
  }
  out->money_unit = static_cast<MoneyUnit>(in->money_unit);
  if (in->encoding < 0 || in->encoding > 255 || FindEnumEntry(static_cast<Encoding>(in->encoding)) == nullptr) {
    return InvalidArgument("options.encoding " + std::to_string(in->encoding) + ": not a KP_ENCODING_ value");
  }
  *encoding = in->encoding == KP_ENCODING_AUTO ? Encoding::kUtf8 : static_cast<Encoding>(in->encoding);
  KP_RETURN_IF_ERROR(CheckOptionalString(in->text_template, "options.text_template"));
  if (in->text_template != nullptr) {
    absl::StatusOr<NarrativeTemplate> t = NarrativeTemplate::Parse(in->text_template);
    if (!t.ok()) return InvalidArgument("options.text_template: " + std::string(t.status().message()));
    out->text_template = std::make_shared<const NarrativeTemplate>(*std::move(t));
  }
  if (in->version >= 2) {  // a version-1 struct ends before dossier_by
    KP_RETURN_IF_ERROR(CheckOptionalString(in->dossier_by, "options.dossier_by"));
    if (in->dossier_by != nullptr) {
      absl::StatusOr<Dimension> by = ParseDimension(in->dossier_by);
      if (!by.ok()) return InvalidArgument("options.dossier_by: " + std::string(by.status().message()));
      out->dossier_by = *by;
    }
    out->charts = in->charts != 0;
  }
  if (in->version >= 3) {  // an older struct ends before places
    KP_RETURN_IF_ERROR(CheckOptionalString(in->places, "options.places"));
    if (in->places != nullptr) {
      const std::string items[] = {in->places};
      absl::StatusOr<std::map<std::string, int, std::less<>>> places =
          ParsePlaces(items, [&](std::string_view id) { return ReportKnows(report, id); });
      if (!places.ok()) return InvalidArgument("options." + std::string(places.status().message()));
      out->places = *std::move(places);
    }
  }
  return KP_OK;
}

kp_status ToFormat(int32_t format, ReportFormat* out) {
  if (format < 0 || format > 255 || FindEnumEntry(static_cast<ReportFormat>(format)) == nullptr) {
    return InvalidArgument("format " + std::to_string(format) + ": not a KP_FORMAT_ value (" +
                           AcceptedEnumValues<ReportFormat>() + ")");
  }
  *out = static_cast<ReportFormat>(format);
  return KP_OK;
}

// The start of every renderer: *out emptied, then the handle, the format and the
// options checked and converted.
kp_status StartRender(const kp_report* rep, int32_t format, const kp_render_options* options, kp_buffer* out,
                      ReportFormat* f, RenderOptions* render, Encoding* encoding) {
  KP_RETURN_IF_ERROR(CheckOut(out, "out"));
  out->data = nullptr;
  out->size = 0;
  KP_RETURN_IF_ERROR(CheckHandle(rep, "report"));
  KP_RETURN_IF_ERROR(ToFormat(format, f));
  return ToRenderOptions(options, render, encoding, &rep->report);
}

// Encodes `doc` and hands it to the caller as a malloc'ed, NUL-terminated buffer.
kp_status Deliver(absl::StatusOr<std::string> doc, ReportFormat format, Encoding encoding, kp_buffer* out) {
  if (!doc.ok()) return FromStatus(doc.status());
  absl::StatusOr<std::string> bytes = EncodeDocument(*std::move(doc), format, encoding);
  if (!bytes.ok()) return FromStatus(bytes.status());
  return ToBuffer(*bytes, out);
}

}  // namespace

kp_status ToBuffer(std::string_view bytes, kp_buffer* out) {
  char* data = static_cast<char*>(std::malloc(bytes.size() + 1));
  if (data == nullptr) return Fail(KP_RESOURCE_EXHAUSTED, "out of memory");
  std::memcpy(data, bytes.data(), bytes.size());
  data[bytes.size()] = '\0';
  out->data = data;
  out->size = bytes.size();
  return Ok();
}

namespace {

// A cell's value in the units of kp_report_value_text: money in 万元 (the engine
// keeps 分), everything else as it is.
Value InTextUnits(const Value& v, Unit unit) {
  return unit == Unit::kMoney ? Value::Ratio(v.num(), v.den() * kFenPerWan) : v;
}

// The cell's exact value, in the units of kp_report_value_text, times 10^scale,
// rounded half-up: as decimal text without a point ("-12345").
std::string ScaledDigits(const Value& v, Unit unit, int scale) {
  std::string text = InTextUnits(v, unit).Decimal(scale);
  text.erase(std::remove(text.begin(), text.end(), '.'), text.end());
  return text;
}

}  // namespace
}  // namespace keyproj::capi

extern "C" {

KP_API kp_status kp_report_make(const kp_ledger* ledger, const kp_report_request* request, kp_report** out) {
  KP_API_BEGIN
  KP_RETURN_IF_ERROR(CheckOut(out, "out"));
  *out = nullptr;
  KP_RETURN_IF_ERROR(CheckHandle(ledger, "ledger"));
  KP_RETURN_IF_ERROR(CheckHandle(request, "request"));
  const keyproj::ReportRequest* used = &request->request;
  keyproj::ReportRequest with_regions;  // the ledger's own region names (kp_ledger_open)
  if (used->regions == nullptr && ledger->regions != nullptr) {
    with_regions = *used;
    with_regions.regions = ledger->regions;
    used = &with_regions;
  }
  absl::StatusOr<keyproj::Report> report = keyproj::MakeReport(*ledger->ledger, *used);
  if (!report.ok()) return FromStatus(report.status());
  auto handle = std::make_unique<kp_report_s>();
  handle->ledger = ledger->ledger;
  handle->report = *std::move(report);
  *out = handle.release();
  return Ok();
  KP_API_END
}

KP_API void kp_report_free(kp_report* report) { Destroy(report); }

KP_API kp_status kp_report_table_count(const kp_report* report, size_t* out) {
  KP_API_BEGIN
  KP_RETURN_IF_ERROR(CheckOut(out, "out"));
  *out = 0;
  KP_RETURN_IF_ERROR(CheckHandle(report, "report"));
  *out = TableCount(report);
  return Ok();
  KP_API_END
}

KP_API kp_status kp_report_table_title(const kp_report* report, size_t table, const char** out) {
  KP_API_BEGIN
  KP_RETURN_IF_ERROR(StartRead(report, table, out));
  *out = TableAt(report, table).title.c_str();
  return Ok();
  KP_API_END
}

KP_API kp_status kp_report_table_groups_overlap(const kp_report* report, size_t table, int32_t* out) {
  KP_API_BEGIN
  KP_RETURN_IF_ERROR(StartRead(report, table, out));
  *out = keyproj::GroupsOverlap(TableAt(report, table).result.group_by) ? 1 : 0;
  return Ok();
  KP_API_END
}

KP_API kp_status kp_report_row_count(const kp_report* report, size_t table, size_t* out) {
  KP_API_BEGIN
  KP_RETURN_IF_ERROR(StartRead(report, table, out));
  *out = TableAt(report, table).result.rows.size();
  return Ok();
  KP_API_END
}

KP_API kp_status kp_report_column_count(const kp_report* report, size_t table, size_t* out) {
  KP_API_BEGIN
  KP_RETURN_IF_ERROR(StartRead(report, table, out));
  *out = TableAt(report, table).result.indicators.size();
  return Ok();
  KP_API_END
}

KP_API kp_status kp_report_column_id(const kp_report* report, size_t table, size_t column, const char** out) {
  KP_API_BEGIN
  KP_RETURN_IF_ERROR(StartReadColumn(report, table, column, out));
  *out = TableAt(report, table).result.indicators[column].id.c_str();
  return Ok();
  KP_API_END
}

KP_API kp_status kp_report_column_unit(const kp_report* report, size_t table, size_t column, int32_t* out) {
  KP_API_BEGIN
  KP_RETURN_IF_ERROR(StartReadColumn(report, table, column, out));
  *out = static_cast<int32_t>(TableAt(report, table).result.indicators[column].def->unit);
  return Ok();
  KP_API_END
}

KP_API kp_status kp_report_column_label(const kp_report* report, size_t table, size_t column, int32_t money_unit,
                                        const char** out) {
  KP_API_BEGIN
  KP_RETURN_IF_ERROR(StartReadColumn(report, table, column, out));
  KP_RETURN_IF_ERROR(CheckMoneyUnit(money_unit));
  const keyproj::IndicatorRef& ref = TableAt(report, table).result.indicators[column];
  *out = ReportText(Mutable(report), {kColumnLabel, table, column, static_cast<size_t>(money_unit), 0},
                    keyproj::ColumnHeader(ref, static_cast<keyproj::MoneyUnit>(money_unit)));
  return Ok();
  KP_API_END
}

KP_API kp_status kp_report_group_dimension_count(const kp_report* report, size_t table, size_t* out) {
  KP_API_BEGIN
  KP_RETURN_IF_ERROR(StartRead(report, table, out));
  *out = TableAt(report, table).result.group_by.size();
  return Ok();
  KP_API_END
}

KP_API kp_status kp_report_group_dimension(const kp_report* report, size_t table, size_t dimension,
                                           const char** out) {
  KP_API_BEGIN
  KP_RETURN_IF_ERROR(StartRead(report, table, out));
  const keyproj::Result& r = TableAt(report, table).result;
  if (dimension >= r.group_by.size()) return IndexError("dimension", dimension, r.group_by.size());
  *out = ReportText(Mutable(report), {kDimensionId, table, dimension, 0, 0},
                    keyproj::DimensionId(r.group_by[dimension]));
  return Ok();
  KP_API_END
}

KP_API kp_status kp_report_group_key(const kp_report* report, size_t table, size_t row, size_t dimension,
                                     const char** out) {
  KP_API_BEGIN
  KP_RETURN_IF_ERROR(StartReadGroup(report, table, row, dimension, out));
  const std::vector<std::string>& group = TableAt(report, table).result.rows[row].group;
  *out = dimension < group.size() ? group[dimension].c_str() : "";
  return Ok();
  KP_API_END
}

KP_API kp_status kp_report_group_label(const kp_report* report, size_t table, size_t row, size_t dimension,
                                       const char** out) {
  KP_API_BEGIN
  KP_RETURN_IF_ERROR(StartReadGroup(report, table, row, dimension, out));
  const keyproj::Result& r = TableAt(report, table).result;
  const std::vector<std::string>& group = r.rows[row].group;
  if (dimension >= group.size()) {
    *out = "";
    return Ok();
  }
  *out = ReportText(Mutable(report), {kGroupLabel, table, row, dimension, 0},
                    keyproj::GroupKeyLabel(r.group_by[dimension], group[dimension], report->report.regions.get()));
  return Ok();
  KP_API_END
}

KP_API kp_status kp_report_scope(const kp_report* report, const char** as_of, const char** scope_name) {
  KP_API_BEGIN
  if (as_of != nullptr) *as_of = nullptr;
  if (scope_name != nullptr) *scope_name = nullptr;
  KP_RETURN_IF_ERROR(CheckHandle(report, "report"));
  if (as_of != nullptr) *as_of = ReportText(Mutable(report), {kAsOf, 0, 0, 0, 0}, report->report.query.as_of.ToString());
  if (scope_name != nullptr) *scope_name = report->report.scope_name.c_str();
  return Ok();
  KP_API_END
}

KP_API kp_status kp_report_note_count(const kp_report* report, size_t* out) {
  KP_API_BEGIN
  KP_RETURN_IF_ERROR(CheckOut(out, "out"));
  *out = 0;
  KP_RETURN_IF_ERROR(CheckHandle(report, "report"));
  *out = report->report.notes.size();
  return Ok();
  KP_API_END
}

KP_API kp_status kp_report_note(const kp_report* report, size_t index, const char** out) {
  KP_API_BEGIN
  KP_RETURN_IF_ERROR(CheckOut(out, "out"));
  *out = nullptr;
  KP_RETURN_IF_ERROR(CheckHandle(report, "report"));
  const std::vector<std::string>& notes = report->report.notes;
  if (index >= notes.size()) return IndexError("note", index, notes.size());
  *out = notes[index].c_str();
  return Ok();
  KP_API_END
}

KP_API kp_status kp_report_value_text(const kp_report* report, size_t table, size_t row, size_t column,
                                      const char** out) {
  KP_API_BEGIN
  KP_RETURN_IF_ERROR(StartReadCell(report, table, row, column, out));
  const keyproj::Value& v = CellValue(report, table, row, column);
  if (!v.applicable()) return Ok();
  const keyproj::RenderOptions defaults;
  *out = ReportText(Mutable(report), {kValueText, table, row, column, 0},
                    keyproj::MachineValue(v, CellUnit(report, table, column), defaults.ratio_digits));
  return Ok();
  KP_API_END
}

KP_API kp_status kp_report_value_display(const kp_report* report, size_t table, size_t row, size_t column,
                                         int32_t money_unit, const char** out) {
  KP_API_BEGIN
  KP_RETURN_IF_ERROR(StartReadCell(report, table, row, column, out));
  KP_RETURN_IF_ERROR(CheckMoneyUnit(money_unit));
  keyproj::RenderOptions options;
  options.money_unit = static_cast<keyproj::MoneyUnit>(money_unit);
  *out = ReportText(Mutable(report), {kDisplayText, table, row, column, static_cast<size_t>(money_unit)},
                    keyproj::DisplayCell(TableAt(report, table).result, row, column, options));
  return Ok();
  KP_API_END
}

KP_API kp_status kp_report_value_int64(const kp_report* report, size_t table, size_t row, size_t column,
                                       int32_t scale, int64_t* out, int32_t* applicable) {
  KP_API_BEGIN
  KP_RETURN_IF_ERROR(CheckOut(out, "out"));
  *out = 0;
  KP_RETURN_IF_ERROR(CheckOut(applicable, "applicable"));
  *applicable = 0;
  KP_RETURN_IF_ERROR(CheckHandle(report, "report"));
  KP_RETURN_IF_ERROR(CheckCell(report, table, row, column));
  if (scale < 0 || scale > 18) return InvalidArgument("scale " + std::to_string(scale) + ": expected 0 to 18");
  const keyproj::Value& v = CellValue(report, table, row, column);
  if (!v.applicable()) return Ok();
  const std::string digits = ScaledDigits(v, CellUnit(report, table, column), scale);
  int64_t n = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (ec != std::errc() || end != digits.data() + digits.size()) {
    return Fail(KP_OUT_OF_RANGE, "value " + digits + " (scale " + std::to_string(scale) + ") does not fit an int64_t");
  }
  *out = n;
  *applicable = 1;
  return Ok();
  KP_API_END
}

KP_API kp_status kp_report_value_double(const kp_report* report, size_t table, size_t row, size_t column,
                                        double* out, int32_t* applicable) {
  KP_API_BEGIN
  KP_RETURN_IF_ERROR(CheckOut(out, "out"));
  *out = 0;
  KP_RETURN_IF_ERROR(CheckOut(applicable, "applicable"));
  *applicable = 0;
  KP_RETURN_IF_ERROR(CheckHandle(report, "report"));
  KP_RETURN_IF_ERROR(CheckCell(report, table, row, column));
  const keyproj::Value& v = CellValue(report, table, row, column);
  if (!v.applicable()) return Ok();
  const std::string text = InTextUnits(v, CellUnit(report, table, column)).Decimal(17);
  *out = std::strtod(text.c_str(), nullptr);
  *applicable = 1;
  return Ok();
  KP_API_END
}

KP_API kp_status kp_report_project_count(const kp_report* report, size_t table, size_t row, size_t column,
                                         size_t* out) {
  KP_API_BEGIN
  KP_RETURN_IF_ERROR(StartReadCell(report, table, row, column, out));
  const keyproj::ResultRow& r = TableAt(report, table).result.rows[row];
  *out = column < r.projects.size() ? r.projects[column].size() : 0;
  return Ok();
  KP_API_END
}

KP_API kp_status kp_report_project(const kp_report* report, size_t table, size_t row, size_t column,
                                   size_t index, const char** code, const char** name) {
  KP_API_BEGIN
  if (code) *code = nullptr;
  if (name) *name = nullptr;
  KP_RETURN_IF_ERROR(CheckHandle(report, "report"));
  KP_RETURN_IF_ERROR(CheckCell(report, table, row, column));
  const keyproj::ResultRow& r = TableAt(report, table).result.rows[row];
  const size_t n = column < r.projects.size() ? r.projects[column].size() : 0;
  if (index >= n) return IndexError("project", index, n);
  const uint32_t p = r.projects[column][index];
  if (code) *code = ReportText(Mutable(report), {kProjectCode, p, 0, 0, 0}, report->ledger->code(p));
  if (name) *name = ReportText(Mutable(report), {kProjectName, p, 0, 0, 0}, report->ledger->name(p));
  return Ok();
  KP_API_END
}

KP_API kp_status kp_report_project_note(const kp_report* report, size_t table, size_t row, size_t column,
                                        size_t index, const char** key, const char** label, int32_t* has_number,
                                        int64_t* number, const char** text) {
  KP_API_BEGIN
  if (key) *key = nullptr;
  if (label) *label = nullptr;
  if (has_number) *has_number = 0;
  if (number) *number = 0;
  if (text) *text = nullptr;
  KP_RETURN_IF_ERROR(CheckHandle(report, "report"));
  KP_RETURN_IF_ERROR(CheckCell(report, table, row, column));
  const keyproj::Result& r = TableAt(report, table).result;
  const keyproj::ResultRow& rr = r.rows[row];
  const size_t n = column < rr.projects.size() ? rr.projects[column].size() : 0;
  if (index >= n) return IndexError("project", index, n);
  const std::optional<keyproj::ListNote> note = keyproj::NoteOf(*report->ledger, r, column, rr.projects[column][index]);
  if (!note) return Ok();
  if (key) *key = ReportText(Mutable(report), {kNoteKey, table, row, column, index}, note->key);
  if (label) *label = ReportText(Mutable(report), {kNoteLabel, table, row, column, index}, note->label);
  if (has_number) *has_number = note->number ? 1 : 0;
  if (number) *number = note->number.value_or(0);
  if (text) *text = ReportText(Mutable(report), {kNoteText, table, row, column, index}, keyproj::NoteValueText(*note));
  return Ok();
  KP_API_END
}

KP_API kp_status kp_template_text(const char* name, const char** text) {
  KP_API_BEGIN
  KP_RETURN_IF_ERROR(CheckOut(text, "text"));
  *text = nullptr;
  KP_RETURN_IF_ERROR(CheckString(name, "name"));
  const std::optional<std::string_view> t = keyproj::NarrativeTemplate::BuiltInText(name);
  if (!t) {
    return Fail(KP_NOT_FOUND, "template '" + std::string(name) + "': the built-in templates are monthly, quarter and leader");
  }
  // The built-in texts are views of whole string literals: NUL-terminated, static.
  *text = t->data();
  return Ok();
  KP_API_END
}

KP_API kp_status kp_render_options_init(kp_render_options* options, uint32_t version) {
  KP_API_BEGIN
  KP_RETURN_IF_ERROR(CheckOut(options, "options"));
  if (version == 0 || version > KP_RENDER_OPTIONS_VERSION) {
    return InvalidArgument("version " + std::to_string(version) + ": kp_render_options versions are 1 to " +
                           std::to_string(KP_RENDER_OPTIONS_VERSION));
  }
  const kp_render_options defaults = KP_RENDER_OPTIONS_INIT;
  // Only the fields of `version`: a caller built against an older header has a
  // shorter struct.
  std::memcpy(options, &defaults,
              version >= 3   ? sizeof defaults
              : version == 2 ? offsetof(kp_render_options, places)
                             : offsetof(kp_render_options, dossier_by));
  options->version = version;
  return Ok();
  KP_API_END
}

KP_API kp_status kp_report_render(const kp_report* report, int32_t format, const kp_render_options* options,
                                  kp_buffer* out) {
  KP_API_BEGIN
  keyproj::ReportFormat f;
  keyproj::RenderOptions render;
  keyproj::Encoding encoding;
  KP_RETURN_IF_ERROR(StartRender(report, format, options, out, &f, &render, &encoding));
  if (f == keyproj::ReportFormat::kXlsx) return InvalidArgument("format xlsx: use kp_report_write_xlsx");
  if (report->merged) KP_RETURN_IF_ERROR(FromStatus(keyproj::MergedRenderable(f, render)));
  return Deliver(keyproj::RenderReport(*report->ledger, report->report, f, render), f, encoding, out);
  KP_API_END
}

KP_API kp_status kp_report_write_xlsx(const kp_report* report, const kp_render_options* options, const char* path) {
  KP_API_BEGIN
  KP_RETURN_IF_ERROR(CheckHandle(report, "report"));
  KP_RETURN_IF_ERROR(CheckString(path, "path"));
  keyproj::RenderOptions render;
  keyproj::Encoding encoding;
  KP_RETURN_IF_ERROR(ToRenderOptions(options, &render, &encoding, &report->report));
  if (report->merged) {
    KP_RETURN_IF_ERROR(FromStatus(keyproj::MergedRenderable(keyproj::ReportFormat::kXlsx, render)));
  }
  return FromStatus(keyproj::WriteXlsx(*report->ledger, report->report, render, path));
  KP_API_END
}

KP_API kp_status kp_report_render_targets(const kp_report* report, int32_t format, const kp_render_options* options,
                                          kp_buffer* out) {
  KP_API_BEGIN
  keyproj::ReportFormat f;
  keyproj::RenderOptions render;
  keyproj::Encoding encoding;
  KP_RETURN_IF_ERROR(StartRender(report, format, options, out, &f, &render, &encoding));
  return Deliver(keyproj::RenderTargets(report->report, f, render), f, encoding, out);
  KP_API_END
}

KP_API kp_status kp_report_render_scores(const kp_report* report, int32_t format, const kp_render_options* options,
                                         kp_buffer* out) {
  KP_API_BEGIN
  keyproj::ReportFormat f;
  keyproj::RenderOptions render;
  keyproj::Encoding encoding;
  KP_RETURN_IF_ERROR(StartRender(report, format, options, out, &f, &render, &encoding));
  return Deliver(keyproj::RenderScores(report->report, f, render), f, encoding, out);
  KP_API_END
}

}  // extern "C"

KP_API kp_status kp_ledger_render_problems(const kp_ledger* ledger, const kp_report_request* request,
                                           const char* group_by, int32_t overdue_only, int32_t format,
                                           const kp_render_options* options, kp_buffer* out) {
  KP_API_BEGIN
  KP_RETURN_IF_ERROR(CheckOut(out, "out"));
  out->data = nullptr;
  out->size = 0;
  KP_RETURN_IF_ERROR(CheckHandle(ledger, "ledger"));
  if (request != nullptr) KP_RETURN_IF_ERROR(CheckHandle(request, "request"));
  KP_RETURN_IF_ERROR(CheckOptionalString(group_by, "group_by"));
  keyproj::ReportFormat f;
  KP_RETURN_IF_ERROR(ToFormat(format, &f));
  if (f == keyproj::ReportFormat::kXlsx) return InvalidArgument("format xlsx: the problem list is a document here");
  keyproj::RenderOptions render;
  keyproj::Encoding encoding;
  KP_RETURN_IF_ERROR(ToRenderOptions(options, &render, &encoding));
  keyproj::ProblemListRequest list_request;
  if (request != nullptr) {
    list_request.as_of = request->request.as_of;
    list_request.filter = request->request.filter;
  }
  if (group_by != nullptr) {
    const std::optional<keyproj::ProblemGrouping> by = keyproj::ParseEnum<keyproj::ProblemGrouping>(group_by);
    if (!by) return InvalidArgument(std::string("group_by '") + group_by + "': use owner, kind or project");
    list_request.group_by = *by;
  }
  list_request.overdue_only = overdue_only != 0;
  absl::StatusOr<keyproj::ProblemList> list = keyproj::MakeProblemList(*ledger->ledger, list_request);
  if (!list.ok()) return FromStatus(list.status());
  return Deliver(keyproj::RenderProblemList(*list, f), f, encoding, out);
  KP_API_END
}
