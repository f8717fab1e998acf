#include "ember/data/mnist.h"

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <vector>

#include "ember/core/error.h"
#include "ember/core/parallel.h"
#include "ember/data/file_util.h"

namespace ember::data {

namespace {

struct IdxType {
  uint8_t code;
  const char* name;
  size_t bytes;
  DType dtype;
};
constexpr IdxType kIdxTypes[] = {{0x08, "ubyte", 1, DType::UInt8},  {0x09, "sbyte", 1, DType::Int32},
                                 {0x0B, "short", 2, DType::Int32},  {0x0C, "int", 4, DType::Int32},
                                 {0x0D, "float", 4, DType::Float32}, {0x0E, "double", 8, DType::Float64}};

uint64_t load_be(const unsigned char* p, size_t n) {
  uint64_t v = 0;
  for (size_t i = 0; i < n; ++i) v = (v << 8) | p[i];
  return v;
}

// Big-endian elements of type `t` into dst (dtype t.dtype).
void convert(const IdxType& t, const unsigned char* src, int64_t n, void* dst) {
  switch (t.code) {
    case 0x08: std::memcpy(dst, src, static_cast<size_t>(n)); break;
    case 0x09: {
      auto* d = static_cast<int32_t*>(dst);
      for (int64_t i = 0; i < n; ++i) d[i] = static_cast<int8_t>(src[i]);
      break;
    }
    case 0x0B: {
      auto* d = static_cast<int32_t*>(dst);
      for (int64_t i = 0; i < n; ++i) d[i] = static_cast<int16_t>(load_be(src + 2 * i, 2));
      break;
    }
    case 0x0C: {
      auto* d = static_cast<int32_t*>(dst);
      for (int64_t i = 0; i < n; ++i) d[i] = static_cast<int32_t>(static_cast<uint32_t>(load_be(src + 4 * i, 4)));
      break;
    }
    case 0x0D: {
      auto* d = static_cast<float*>(dst);
      for (int64_t i = 0; i < n; ++i) {
        const auto u = static_cast<uint32_t>(load_be(src + 4 * i, 4));
        std::memcpy(d + i, &u, 4);
      }
      break;
    }
    case 0x0E: {
      auto* d = static_cast<double*>(dst);
      for (int64_t i = 0; i < n; ++i) {
        const uint64_t u = load_be(src + 8 * i, 8);
        std::memcpy(d + i, &u, 8);
      }
      break;
    }
  }
}

std::string find_file(const std::string& dir, const std::string& base, const char* where) {
  namespace fs = std::filesystem;
  for (const std::string& name : {base, base + ".gz"}) {
    const fs::path p = fs::path(dir) / name;
    std::error_code ec;
    if (fs::is_regular_file(p, ec)) return p.string();
  }
  throw IOError(ember::detail::str_cat("[", where, "] ", dir, ": neither ", base, " nor ", base,
                                ".gz found (fetch the data set with scripts/fetch-data)"));
}

std::shared_ptr<ArrayDataSet> load_idx_pair(const std::string& dir, const MnistOptions& o, double mean, double std,
                                            const char* where) {
  const std::string prefix = o.train ? "train" : "t10k";
  const std::string image_path = find_file(dir, prefix + "-images-idx3-ubyte", where);
  const std::string label_path = find_file(dir, prefix + "-labels-idx1-ubyte", where);
  const Tensor images = read_idx(image_path);
  const Tensor labels = read_idx(label_path);
  EMBER_CHECK_FORMAT(images.dtype() == DType::UInt8 && images.dim() == 3, "[", where, "] ", image_path,
                     ": expected ubyte images [N, rows, cols], got ", images.dtype(), " ", images.shape());
  EMBER_CHECK_FORMAT(labels.dtype() == DType::UInt8 && labels.dim() == 1, "[", where, "] ", label_path,
                     ": expected ubyte labels [N], got ", labels.dtype(), " ", labels.shape());
  const int64_t n = images.size(0);
  EMBER_CHECK_FORMAT(labels.size(0) == n, "[", where, "] ", image_path, " holds ", n, " images but ", label_path,
                     " holds ", labels.size(0), " labels: expected the same count");
  const uint8_t* lp = labels.data<uint8_t>();
  Tensor y = Tensor::empty({n}, DType::Int64);
  int64_t* yp = y.data<int64_t>();
  for (int64_t i = 0; i < n; ++i) {
    EMBER_CHECK_FORMAT(lp[i] <= 9, "[", where, "] ", label_path, ": label ", int(lp[i]), " at index ", i,
                       " is outside [0, 9]");
    yp[i] = lp[i];
  }
  EMBER_CHECK(!o.normalize || std > 0, "[", where, "] std must be positive, got ", std);
  float lut[256];
  for (int v = 0; v < 256; ++v)
    lut[v] = o.normalize ? static_cast<float>((v / 255.0 - mean) / std) : static_cast<float>(v / 255.0);
  Tensor x = Tensor::empty({n, 1, images.size(1), images.size(2)}, DType::Float32);
  const uint8_t* ip = images.data<uint8_t>();
  float* xp = x.data<float>();
  parallel_for(0, x.numel(), 1 << 16, [&](int64_t lo, int64_t hi) {
    for (int64_t i = lo; i < hi; ++i) xp[i] = lut[ip[i]];
  });
  return std::make_shared<ArrayDataSet>(std::move(x), std::move(y));
}

}  // namespace

Tensor read_idx(const std::string& path) {
  const std::vector<unsigned char> bytes = detail::read_file_maybe_gzip(path, "data.read_idx");
  const size_t size = bytes.size();
  const unsigned char* p = bytes.data();
  EMBER_CHECK_FORMAT(size >= 4, "[data.read_idx] ", path, ": the file has ", size,
                     " bytes, too short for the 4-byte IDX magic number: the file is truncated");
  char magic[16];
  std::snprintf(magic, sizeof(magic), "0x%08x", static_cast<unsigned>(load_be(p, 4)));
  EMBER_CHECK_FORMAT(p[0] == 0 && p[1] == 0, "[data.read_idx] ", path, ": bad magic number ", magic,
                     ": expected an IDX file (two zero bytes, a type code, the number of dims), e.g. 0x00000803");
  const IdxType* type = nullptr;
  for (const IdxType& t : kIdxTypes)
    if (t.code == p[2]) type = &t;
  EMBER_CHECK_FORMAT(type != nullptr, "[data.read_idx] ", path, ": unsupported IDX type code ", int(p[2]),
                     " (magic ", magic, "): expected 0x08 ubyte, 0x09 sbyte, 0x0B short, 0x0C int, 0x0D float or "
                     "0x0E double");
  const int ndim = p[3];
  EMBER_CHECK_FORMAT(ndim >= 1 && ndim <= Shape::kMaxDims, "[data.read_idx] ", path, ": the header declares ", ndim,
                     " dims, expected 1 to ", Shape::kMaxDims);
  const size_t header = 4 + 4 * static_cast<size_t>(ndim);
  EMBER_CHECK_FORMAT(size >= header, "[data.read_idx] ", path, ": the header of ", ndim, " dims needs ", header,
                     " bytes, the file has ", size, ": the file is truncated");
  Shape shape;
  uint64_t numel = 1;
  bool too_big = false;
  for (int d = 0; d < ndim; ++d) {
    const auto v = static_cast<int32_t>(static_cast<uint32_t>(load_be(p + 4 + 4 * d, 4)));
    EMBER_CHECK_FORMAT(v >= 0, "[data.read_idx] ", path, ": dim ", d, " is negative (", v, ")");
    shape.push_back(v);
    if (v != 0 && numel > (uint64_t{1} << 40) / static_cast<uint64_t>(v)) too_big = true;
    numel *= static_cast<uint64_t>(v);
  }
  const uint64_t need = too_big ? UINT64_MAX : header + numel * type->bytes;
  EMBER_CHECK_FORMAT(size >= need, "[data.read_idx] ", path, ": dims ", shape, " of ", type->name, " need ",
                     too_big ? std::string("more than 2^40") : std::to_string(need), " bytes, the file has ", size,
                     ": the file is truncated");
  EMBER_CHECK_FORMAT(size == need, "[data.read_idx] ", path, ": dims ", shape, " of ", type->name, " need ", need,
                     " bytes, the file has ", size, ": ", size - need, " trailing bytes after the data");
  Tensor out = Tensor::empty(shape, type->dtype);
  convert(*type, p + header, static_cast<int64_t>(numel), out.raw_data());
  return out;
}

std::shared_ptr<ArrayDataSet> load_mnist(const std::string& dir, const MnistOptions& options) {
  return load_idx_pair(dir, options, options.mean.value_or(kMnistMean), options.std.value_or(kMnistStd),
                       "data.load_mnist");
}

std::shared_ptr<ArrayDataSet> load_fashion_mnist(const std::string& dir, const MnistOptions& options) {
  return load_idx_pair(dir, options, options.mean.value_or(kFashionMnistMean),
                       options.std.value_or(kFashionMnistStd), "data.load_fashion_mnist");
}

}  // namespace ember::data
