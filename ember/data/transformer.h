#pragma once
/// Transformer: a per-sample step of a data pipeline (BigDL: Transformer), composed with `>>`:
///
///   auto t = std::make_shared<RandomCrop>(...) >> std::make_shared<HFlip>(0.5) >> normalize;

#include <memory>
#include <string>

#include "ember/data/sample.h"
#include "ember/tensor/random.h"

namespace ember::data {

/// One step of a pipeline. apply() must be const and thread-safe: prefetch workers call it on
/// several samples at once. Randomness comes only from `rng`, which the loader seeds per sample
/// from (seed, epoch, index), so a run is reproducible and resumable whatever the thread count.
class Transformer {
 public:
  virtual ~Transformer() = default;
  virtual Sample apply(Sample sample, Generator& rng) const = 0;
  virtual std::string repr() const = 0;
};

using TransformerPtr = std::shared_ptr<const Transformer>;

/// Several transformers applied in order.
class Chain : public Transformer {
 public:
  Chain(TransformerPtr first, TransformerPtr second);
  Sample apply(Sample sample, Generator& rng) const override;
  std::string repr() const override;

 private:
  TransformerPtr first_, second_;
};

/// `a >> b`: a then b.
TransformerPtr operator>>(TransformerPtr a, TransformerPtr b);

}  // namespace ember::data
