#pragma once
/// Seeded, reproducible random numbers: the same seed gives the same values on every platform
/// (xoshiro256** with Ember's own uniform/normal transforms, not the standard library's
/// implementation-defined distributions).

#include <array>
#include <cstdint>

namespace ember {

class Tensor;

/// A random stream. State is four 64-bit words, so it saves and restores exactly.
class Generator {
 public:
  explicit Generator(uint64_t seed = 0x853c49e6748fea9bULL) { manual_seed(seed); }
  void manual_seed(uint64_t seed);
  uint64_t seed() const { return seed_; }
  /// Next 64 random bits.
  uint64_t next_u64();
  /// Uniform in [0, 1) with 53 bits of precision.
  double next_double() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }
  /// Standard normal (Box-Muller; the second value of each pair is kept for the next call).
  double next_normal();
  /// Uniform integer in [0, n).
  uint64_t next_below(uint64_t n);

  struct State {
    std::array<uint64_t, 4> s;
    uint64_t seed;
    double spare;
    bool has_spare;
  };
  State state() const { return {s_, seed_, spare_, has_spare_}; }
  void set_state(const State& st);

 private:
  std::array<uint64_t, 4> s_{};
  uint64_t seed_ = 0;
  double spare_ = 0.0;
  bool has_spare_ = false;
};

/// The process-wide generator used when no generator is passed.
Generator& default_generator();
/// Seeds the default generator (like torch.manual_seed).
void manual_seed(uint64_t seed);

/// Fills t (float32/float64) with uniform values in [low, high).
Tensor& uniform_(Tensor& t, double low, double high, Generator* gen = nullptr);
/// Fills t with normal(mean, std) values.
Tensor& normal_(Tensor& t, double mean, double std, Generator* gen = nullptr);
/// Fills t with 1 with probability p and 0 otherwise.
Tensor& bernoulli_(Tensor& t, double p, Generator* gen = nullptr);

}  // namespace ember
