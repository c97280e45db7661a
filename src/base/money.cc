#include "keyproj/money.h"

#include <algorithm>
#include <string>

namespace keyproj {
namespace {

__extension__ typedef unsigned __int128 uint128;

uint128 Abs(int128 v) { return v < 0 ? static_cast<uint128>(0) - static_cast<uint128>(v) : static_cast<uint128>(v); }

std::string UnsignedToString(uint128 v) {
  if (v == 0) return "0";
  char buf[48];
  int n = 0;
  while (v != 0) {
    buf[n++] = static_cast<char>('0' + static_cast<int>(v % 10));
    v /= 10;
  }
  std::reverse(buf, buf + n);
  return std::string(buf, static_cast<size_t>(n));
}

int DigitsOfUnit(int64_t unit) {
  int d = 0;
  while (unit > 1) {
    unit /= 10;
    ++d;
  }
  return d;
}

// Writes whole.frac with exactly `places` decimals (frac < 10^places).
std::string Compose(bool negative, uint128 whole, uint128 frac, int places) {
  std::string out;
  if (negative && (whole != 0 || frac != 0)) out.push_back('-');
  out += UnsignedToString(whole);
  if (places > 0) {
    std::string f = UnsignedToString(frac);
    out.push_back('.');
    out.append(static_cast<size_t>(places) - f.size(), '0');
    out += f;
  }
  return out;
}

}  // namespace

std::string Int128ToString(int128 v) {
  return (v < 0 ? "-" : "") + UnsignedToString(Abs(v));
}

void AppendExact(std::string* out, int128 fen, int64_t unit_fen, int min_places) {
  const uint128 a = Abs(fen);
  const uint64_t unit = static_cast<uint64_t>(unit_fen);
  char buf[80];  // sign, 39 digits, '.', the decimals of a unit (at most 18)
  char* const end = buf + sizeof buf;
  char* p = end;
  auto put_whole = [&p](auto whole) {
    do {
      *--p = static_cast<char>('0' + static_cast<int>(whole % 10));
      whole /= 10;
    } while (whole != 0);
  };
  // Amounts that fit 64 bits (every ledger cell) take 64-bit divisions.
  const bool narrow = a <= UINT64_MAX;
  uint64_t frac = narrow ? static_cast<uint64_t>(a) % unit : static_cast<uint64_t>(a % unit);
  int places = DigitsOfUnit(unit_fen);
  // Drop trailing zeros down to min_places.
  while (places > min_places && frac % 10 == 0) {
    frac /= 10;
    --places;
  }
  for (int k = 0; k < places; ++k) {
    *--p = static_cast<char>('0' + frac % 10);
    frac /= 10;
  }
  if (places > 0 || min_places > 0) *--p = '.';
  if (narrow) {
    put_whole(static_cast<uint64_t>(a) / unit);
  } else {
    put_whole(a / unit);
  }
  if (fen < 0) *--p = '-';
  out->append(p, end);
  // A unit with fewer decimals than min_places: pad.
  if (places < min_places) out->append(static_cast<size_t>(min_places - places), '0');
}

std::string FormatExact(int128 fen, int64_t unit_fen, int min_places) {
  std::string out;
  AppendExact(&out, fen, unit_fen, min_places);
  return out;
}

std::string FormatRounded(int128 fen, int64_t unit_fen, int places) {
  places = std::clamp(places, 0, 12);
  const uint128 a = Abs(fen);
  // value = a / unit; scaled = round_half_up(a * 10^places / unit)
  uint128 pow10 = 1;
  for (int k = 0; k < places; ++k) pow10 *= 10;
  const uint128 unit = static_cast<uint128>(unit_fen);
  // a < 2^127 and places <= 12: a * 10^12 could overflow for sums near the bound,
  // so split a into quotient and remainder by unit first.
  const uint128 q = a / unit, r = a % unit;
  const uint128 r_scaled = r * pow10;  // r < unit <= 10^10, times 10^12 fits
  uint128 scaled = q * pow10 + r_scaled / unit;
  if ((r_scaled % unit) * 2 >= unit) ++scaled;
  return Compose(fen < 0, scaled / pow10, scaled % pow10, places);
}

}  // namespace keyproj
