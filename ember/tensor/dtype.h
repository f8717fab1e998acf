#pragma once
/// Element types. float32 is the main type; float64 serves gradient checks; integer types hold
/// labels and indices; bfloat16 is a storage type (convert with Tensor::to before computing).

#include <cstdint>
#include <cstring>
#include <ostream>
#include <string_view>

#include "ember/core/error.h"

namespace ember {

enum class DType : uint8_t { Float32, Float64, Int32, Int64, UInt8, BFloat16 };

/// Brain floating point: the upper 16 bits of an IEEE float32. Conversion rounds to nearest even.
struct BFloat16 {
  uint16_t bits = 0;
  BFloat16() = default;
  explicit BFloat16(float f) {
    uint32_t u;
    std::memcpy(&u, &f, sizeof(u));
    if ((u & 0x7fffffffu) > 0x7f800000u) {  // NaN stays a quiet NaN
      bits = static_cast<uint16_t>((u >> 16) | 0x40u);
    } else {
      u += 0x7fffu + ((u >> 16) & 1u);
      bits = static_cast<uint16_t>(u >> 16);
    }
  }
  explicit operator float() const {
    uint32_t u = static_cast<uint32_t>(bits) << 16;
    float f;
    std::memcpy(&f, &u, sizeof(f));
    return f;
  }
};

/// Bytes per element.
constexpr size_t itemsize(DType t) {
  switch (t) {
    case DType::Float32: return 4;
    case DType::Float64: return 8;
    case DType::Int32: return 4;
    case DType::Int64: return 8;
    case DType::UInt8: return 1;
    case DType::BFloat16: return 2;
  }
  return 0;
}

/// The Python name: "float32", "float64", "int32", "int64", "uint8", "bfloat16".
constexpr std::string_view dtype_name(DType t) {
  switch (t) {
    case DType::Float32: return "float32";
    case DType::Float64: return "float64";
    case DType::Int32: return "int32";
    case DType::Int64: return "int64";
    case DType::UInt8: return "uint8";
    case DType::BFloat16: return "bfloat16";
  }
  return "?";
}

constexpr bool is_floating(DType t) {
  return t == DType::Float32 || t == DType::Float64 || t == DType::BFloat16;
}

inline std::ostream& operator<<(std::ostream& os, DType t) { return os << dtype_name(t); }

/// The DType of a C++ element type.
template <class T> struct dtype_of;
template <> struct dtype_of<float> { static constexpr DType value = DType::Float32; };
template <> struct dtype_of<double> { static constexpr DType value = DType::Float64; };
template <> struct dtype_of<int32_t> { static constexpr DType value = DType::Int32; };
template <> struct dtype_of<int64_t> { static constexpr DType value = DType::Int64; };
template <> struct dtype_of<uint8_t> { static constexpr DType value = DType::UInt8; };
template <> struct dtype_of<BFloat16> { static constexpr DType value = DType::BFloat16; };
template <class T> inline constexpr DType dtype_of_v = dtype_of<T>::value;

/// Calls `f.template operator()<T>()` with T = float or double; other dtypes raise TypeError
/// naming `op`. Use with a C++20 template lambda: `dispatch_floating(t, "op", [&]<class T>() {...})`.
template <class F>
decltype(auto) dispatch_floating(DType t, std::string_view op, F&& f) {
  switch (t) {
    case DType::Float32: return f.template operator()<float>();
    case DType::Float64: return f.template operator()<double>();
    default:
      throw TypeError(detail::str_cat("[", op, "] unsupported dtype: expected float32 or float64, got ", t));
  }
}

/// Like dispatch_floating, for every computing dtype (all but bfloat16).
template <class F>
decltype(auto) dispatch_all(DType t, std::string_view op, F&& f) {
  switch (t) {
    case DType::Float32: return f.template operator()<float>();
    case DType::Float64: return f.template operator()<double>();
    case DType::Int32: return f.template operator()<int32_t>();
    case DType::Int64: return f.template operator()<int64_t>();
    case DType::UInt8: return f.template operator()<uint8_t>();
    default:
      throw TypeError(detail::str_cat("[", op, "] unsupported dtype ", t,
                                      ": expected float32, float64, int32, int64 or uint8. "
                                      "Hint: convert bfloat16 with .to(DType::Float32) first."));
  }
}

}  // namespace ember
