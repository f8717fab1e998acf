#include "ember/tensor/random.h"

#include <cmath>

#include "ember/tensor/iter.h"
#include "ember/tensor/tensor.h"

namespace ember {

namespace {
uint64_t splitmix64(uint64_t& x) {
  uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}
inline uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
}  // namespace

void Generator::manual_seed(uint64_t seed) {
  seed_ = seed;
  uint64_t x = seed;
  for (auto& w : s_) w = splitmix64(x);
  has_spare_ = false;
}

uint64_t Generator::next_u64() {
  const uint64_t result = rotl(s_[1] * 5, 7) * 9;
  const uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = rotl(s_[3], 45);
  return result;
}

double Generator::next_normal() {
  if (has_spare_) {
    has_spare_ = false;
    return spare_;
  }
  double u1 = next_double();
  while (u1 <= 0.0) u1 = next_double();
  const double u2 = next_double();
  const double r = std::sqrt(-2.0 * std::log(u1));
  spare_ = r * std::sin(2.0 * M_PI * u2);
  has_spare_ = true;
  return r * std::cos(2.0 * M_PI * u2);
}

uint64_t Generator::next_below(uint64_t n) {
  EMBER_CHECK(n > 0, "[Generator.next_below] n must be positive");
  // Rejection sampling keeps the result unbiased.
  const uint64_t limit = UINT64_MAX - UINT64_MAX % n;
  uint64_t v;
  do v = next_u64();
  while (v >= limit);
  return v % n;
}

void Generator::set_state(const State& st) {
  s_ = st.s;
  seed_ = st.seed;
  spare_ = st.spare;
  has_spare_ = st.has_spare;
}

Generator& default_generator() {
  static Generator g(0);
  return g;
}

void manual_seed(uint64_t seed) { default_generator().manual_seed(seed); }

namespace {
// Fills in row-major order on one thread, so values do not depend on the thread count.
template <class Draw>
Tensor& fill_random(Tensor& t, const char* op, Generator* gen, Draw draw) {
  EMBER_CHECK(t.storage()->writable(), "[", op, "] tensor is read-only");
  Generator& g = gen ? *gen : default_generator();
  dispatch_floating(t.dtype(), op, [&]<class T>() {
    T* p = t.data<T>();
    const Shape& shape = t.shape();
    // Serial walk over the (possibly strided) tensor in logical order.
    const int64_t n = t.numel();
    if (t.is_contiguous()) {
      for (int64_t i = 0; i < n; ++i) p[i] = static_cast<T>(draw(g));
      return;
    }
    std::array<int64_t, Shape::kMaxDims> idx{};
    for (int64_t i = 0; i < n; ++i) {
      int64_t off = 0;
      for (int64_t d = 0; d < shape.size(); ++d) off += idx[d] * t.strides()[d];
      p[off] = static_cast<T>(draw(g));
      for (int64_t d = shape.size() - 1; d >= 0; --d) {
        if (++idx[d] < shape[d]) break;
        idx[d] = 0;
      }
    }
  });
  return t;
}
}  // namespace

Tensor& uniform_(Tensor& t, double low, double high, Generator* gen) {
  EMBER_CHECK(low <= high, "[uniform_] expected low <= high, got low=", low, ", high=", high);
  return fill_random(t, "uniform_", gen, [=](Generator& g) { return low + (high - low) * g.next_double(); });
}

Tensor& normal_(Tensor& t, double mean, double std, Generator* gen) {
  EMBER_CHECK(std >= 0, "[normal_] expected std >= 0, got ", std);
  return fill_random(t, "normal_", gen, [=](Generator& g) { return mean + std * g.next_normal(); });
}

Tensor& bernoulli_(Tensor& t, double p, Generator* gen) {
  EMBER_CHECK(p >= 0 && p <= 1, "[bernoulli_] expected probability p in [0, 1], got ", p);
  return fill_random(t, "bernoulli_", gen, [=](Generator& g) { return g.next_double() < p ? 1.0 : 0.0; });
}

}  // namespace ember
