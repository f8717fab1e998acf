#include "ember/data/sample.h"

#include <cstring>

#include "ember/core/error.h"

namespace ember::data {

const Tensor& Sample::feature() const {
  EMBER_CHECK(!features.empty(), "[data.Sample] the sample has no feature tensor");
  return features.front();
}

const Tensor& Sample::label() const {
  EMBER_CHECK(!labels.empty(), "[data.Sample] the sample has no label tensor");
  return labels.front();
}

namespace {

// Makes `slot` a tensor of `shape`/`dtype`, reusing the tensor already there when it has one.
Tensor& prepare(nn::Activity& slot, const Shape& shape, DType dtype) {
  if (!slot.is_tensor()) slot = Tensor();
  Tensor& t = slot.tensor();
  if (t.defined())
    t.resize_(shape, dtype);  // keeps the storage when it is large enough and ours
  else
    t = Tensor::empty(shape, dtype);
  return t;
}

// Stacks field `k` of `part` (features or labels) of every sample into `slot`.
void stack_field(const std::vector<Sample>& samples, bool labels, size_t k, nn::Activity& slot) {
  const char* what = labels ? "label" : "feature";
  auto field = [&](size_t i) -> const Tensor& { return labels ? samples[i].labels[k] : samples[i].features[k]; };
  const Tensor& first = field(0);
  EMBER_CHECK(first.defined(), "[data.collate] ", what, " ", k, " of sample 0 is an undefined tensor");
  for (size_t i = 1; i < samples.size(); ++i) {
    const Tensor& t = field(i);
    EMBER_CHECK(t.defined(), "[data.collate] ", what, " ", k, " of sample ", i, " is an undefined tensor");
    EMBER_CHECK_SHAPE(t.shape() == first.shape(), "[data.collate] ", what, " ", k, " of sample ", i, " has shape ",
                      t.shape(), ", expected ", first.shape(), " like sample 0: all samples of a batch must agree");
    EMBER_CHECK_TYPE(t.dtype() == first.dtype(), "[data.collate] ", what, " ", k, " of sample ", i, " has dtype ",
                     t.dtype(), ", expected ", first.dtype(), " like sample 0: all samples of a batch must agree");
  }
  Shape shape = first.shape();
  shape.insert(0, static_cast<int64_t>(samples.size()));
  Tensor& out = prepare(slot, shape, first.dtype());
  const size_t row = static_cast<size_t>(first.numel()) * itemsize(first.dtype());
  auto* dst = static_cast<unsigned char*>(out.raw_data());
  for (size_t i = 0; i < samples.size(); ++i) {
    const Tensor& t = field(i);
    if (t.is_contiguous())
      std::memcpy(dst + i * row, t.raw_data(), row);
    else
      out.select(0, static_cast<int64_t>(i)).copy_(t);
  }
}

// One tensor stays a Tensor; several become a Table (BigDL's multi-input convention).
void stack_part(const std::vector<Sample>& samples, bool labels, size_t count, nn::Activity& slot) {
  if (count == 0) {
    slot = nn::Activity();
    return;
  }
  if (count == 1) {
    stack_field(samples, labels, 0, slot);
    return;
  }
  if (!slot.is_table()) slot = nn::Table();
  nn::Table& table = slot.table();
  table.resize(count);
  for (size_t k = 0; k < count; ++k) stack_field(samples, labels, k, table[k]);
}

}  // namespace

void collate_into(const std::vector<Sample>& samples, MiniBatch& out) {
  EMBER_CHECK(!samples.empty(), "[data.collate] expected at least one sample, got none");
  const size_t nf = samples[0].features.size(), nl = samples[0].labels.size();
  EMBER_CHECK(nf > 0, "[data.collate] sample 0 has no feature tensor");
  for (size_t i = 1; i < samples.size(); ++i) {
    EMBER_CHECK(samples[i].features.size() == nf, "[data.collate] sample ", i, " has ", samples[i].features.size(),
                " feature tensors, expected ", nf, " like sample 0");
    EMBER_CHECK(samples[i].labels.size() == nl, "[data.collate] sample ", i, " has ", samples[i].labels.size(),
                " label tensors, expected ", nl, " like sample 0");
  }
  stack_part(samples, false, nf, out.input);
  stack_part(samples, true, nl, out.target);
  out.size = static_cast<int64_t>(samples.size());
}

MiniBatch collate(const std::vector<Sample>& samples) {
  MiniBatch b;
  collate_into(samples, b);
  return b;
}

}  // namespace ember::data
