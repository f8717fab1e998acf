#pragma once
/// Transformer: a per-sample step of a data pipeline (BigDL: Transformer), composed with `>>`:
///
///   auto t = std::make_shared<RandomCrop>(...) >> std::make_shared<HFlip>(0.5) >> normalize;

#include <functional>
#include <memory>
#include <string>

#include "ember/data/sample.h"
#include "ember/tensor/random.h"

namespace ember::data {

/// One step of a pipeline. apply() must be const and thread-safe: prefetch workers call it on
/// several samples at once. Randomness comes only from `rng`, which the loader seeds per sample
/// from (seed, epoch, index), so a run is reproducible and resumable whatever the thread count.
/// apply() must not modify the incoming tensors in place: they may be views of the data set's
/// storage (ArrayDataSet::get); return new tensors instead.
class Transformer {
 public:
  virtual ~Transformer() = default;
  virtual Sample apply(Sample sample, Generator& rng) const = 0;
  virtual std::string repr() const = 0;
};

using TransformerPtr = std::shared_ptr<const Transformer>;

/// Several transformers applied in order; repr "A >> B".
class Chain : public Transformer {
 public:
  Chain(TransformerPtr first, TransformerPtr second);
  Sample apply(Sample sample, Generator& rng) const override;
  std::string repr() const override;
  /// The transformer applied first, and the one applied to its result.
  const TransformerPtr& first() const { return first_; }
  const TransformerPtr& second() const { return second_; }

 private:
  TransformerPtr first_, second_;
};

/// `a >> b`: a then b.
TransformerPtr operator>>(TransformerPtr a, TransformerPtr b);

/// A transformer from a function (BigDL: a Transformer written as a closure). `fn` must be
/// thread-safe and must not modify the sample's tensors in place (they may be views of the data
/// set): return new tensors instead.
///
/// Example:
///   auto scale = std::make_shared<Lambda>("Scale", [](Sample s, Generator&) {
///     s.features[0] = mul(s.features[0], 2.0);
///     return s;
///   });
class Lambda : public Transformer {
 public:
  using Fn = std::function<Sample(Sample, Generator&)>;
  Lambda(std::string name, Fn fn);
  Sample apply(Sample sample, Generator& rng) const override;
  /// The name given at construction.
  std::string repr() const override;
  /// The function given at construction.
  const Fn& fn() const { return fn_; }

 private:
  std::string name_;
  Fn fn_;
};

}  // namespace ember::data
