#include <gtest/gtest.h>

#include "common/gradient_check.h"
#include "ember/data/dataset.h"
#include "ember/data/sample.h"
#include "ember/data/transformer.h"
#include "ember/tensor/ops.h"

namespace ember::data {
namespace {

Tensor vec(std::vector<double> v, DType dtype = DType::Float32) {
  const auto n = static_cast<int64_t>(v.size());
  return Tensor::from_vector(std::span<const double>(v), {n}, dtype);
}

TEST(SampleTest, AccessorsAndMissingParts) {
  Sample s(vec({1, 2}), Tensor::scalar(3, DType::Int64));
  EXPECT_EQ(s.feature().to_vector(), (std::vector<double>{1, 2}));
  EXPECT_EQ(s.label().item(), 3);
  Sample empty;
  EXPECT_THROW_WITH(empty.feature(), ValueError, "[data.Sample] the sample has no feature tensor");
  EXPECT_THROW_WITH(Sample(vec({1})).label(), ValueError, "the sample has no label tensor");
}

TEST(CollateTest, StacksFeaturesAndScalarLabels) {
  std::vector<Sample> samples;
  for (int i = 0; i < 3; ++i) samples.emplace_back(vec({double(i), double(10 * i)}), Tensor::scalar(i, DType::Int64));
  MiniBatch b = collate(samples);
  EXPECT_EQ(b.size, 3);
  ASSERT_TRUE(b.input.is_tensor());
  EXPECT_EQ(b.input.tensor().shape(), Shape({3, 2}));
  EXPECT_EQ(b.input.tensor().to_vector(), (std::vector<double>{0, 0, 1, 10, 2, 20}));
  EXPECT_EQ(b.target.tensor().shape(), Shape({3}));
  EXPECT_EQ(b.target.tensor().dtype(), DType::Int64);
  EXPECT_EQ(b.target.tensor().to_vector(), (std::vector<double>{0, 1, 2}));
}

TEST(CollateTest, NonContiguousFeaturesAreCopiedByValue) {
  Tensor m = Tensor::from_vector(std::vector<float>{1, 2, 3, 4, 5, 6}, {2, 3});
  std::vector<Sample> samples{Sample(m.select(1, 0)), Sample(m.select(1, 2))};  // strided columns
  MiniBatch b = collate(samples);
  EXPECT_EQ(b.input.tensor().to_vector(), (std::vector<double>{1, 4, 3, 6}));
  EXPECT_TRUE(b.target.empty());
}

TEST(CollateTest, SeveralFeaturesAndLabelsBecomeTables) {
  std::vector<Sample> samples(2);
  for (int i = 0; i < 2; ++i) {
    samples[i].features = {vec({double(i)}), Tensor::full({2, 2}, i)};
    samples[i].labels = {Tensor::scalar(i, DType::Int64), vec({0.5 * i})};
  }
  MiniBatch b = collate(samples);
  ASSERT_TRUE(b.input.is_table());
  ASSERT_EQ(b.input.table().size(), 2u);
  EXPECT_EQ(b.input.table()[0].tensor().shape(), Shape({2, 1}));
  EXPECT_EQ(b.input.table()[1].tensor().shape(), Shape({2, 2, 2}));
  EXPECT_EQ(b.input.table()[1].tensor().at({1, 1, 1}), 1);
  ASSERT_TRUE(b.target.is_table());
  EXPECT_EQ(b.target.table()[1].tensor().to_vector(), (std::vector<double>{0, 0.5}));
}

TEST(CollateTest, IntoReusesTheBufferStorage) {
  std::vector<Sample> samples{Sample(vec({1, 2})), Sample(vec({3, 4}))};
  MiniBatch b = collate(samples);
  const void* data = b.input.tensor().raw_data();
  samples.pop_back();
  collate_into(samples, b);  // a smaller (last) batch fits in the same storage
  EXPECT_EQ(b.input.tensor().raw_data(), data);
  EXPECT_EQ(b.input.tensor().shape(), Shape({1, 2}));
  EXPECT_EQ(b.size, 1);
}

TEST(CollateTest, ErrorsNameTheSampleThatDiffers) {
  EXPECT_THROW_WITH(collate({}), ValueError, "[data.collate] expected at least one sample, got none");
  std::vector<Sample> shapes{Sample(vec({1, 2})), Sample(vec({1, 2})), Sample(vec({1, 2, 3}))};
  EXPECT_THROW_WITH(collate(shapes), ShapeError, "feature 0 of sample 2 has shape [3], expected [2] like sample 0");
  std::vector<Sample> dtypes{Sample(vec({1}), Tensor::scalar(0, DType::Int64)),
                             Sample(vec({1}), Tensor::scalar(0, DType::Int32))};
  EXPECT_THROW_WITH(collate(dtypes), TypeError, "label 0 of sample 1 has dtype int32, expected int64 like sample 0");
  std::vector<Sample> counts{Sample(vec({1}), vec({1})), Sample(vec({1}))};
  EXPECT_THROW_WITH(collate(counts), ValueError, "sample 1 has 0 label tensors, expected 1 like sample 0");
}

TEST(ArrayDataSetTest, GetReturnsViewsAndRepr) {
  Tensor x = Tensor::arange(12).view({4, 3});
  Tensor y = Tensor::from_vector(std::vector<int64_t>{3, 1, 4, 1}, {4});
  ArrayDataSet ds(x, y);
  EXPECT_EQ(ds.size(), 4);
  Sample s = ds.get(2);
  EXPECT_EQ(s.feature().to_vector(), (std::vector<double>{6, 7, 8}));
  EXPECT_EQ(s.label().item(), 4);
  EXPECT_TRUE(s.feature().shares_storage(x));
  EXPECT_EQ(ds.repr(), "ArrayDataSet(4 samples, feature [3] float32, label [] int64)");
  EXPECT_EQ(ArrayDataSet(x, Tensor()).get(0).labels.size(), 0u);
}

TEST(ArrayDataSetTest, Errors) {
  EXPECT_THROW_WITH(ArrayDataSet(Tensor::zeros({4, 3}), Tensor::zeros({5}, DType::Int64)), ShapeError,
                    "features and labels disagree on the number of samples: features shape [4, 3], labels shape [5]");
  ArrayDataSet ds(Tensor::zeros({4, 3}), Tensor::zeros({4}, DType::Int64));
  EXPECT_THROW_WITH(ds.get(4), IndexError, "[data.ArrayDataSet] sample index 4 out of range: expected [0, 4)");
  EXPECT_THROW_WITH(ds.get(-1), IndexError, "sample index -1 out of range");
}

TEST(TransformerTest, ChainAppliesInOrderAndSharesTheGenerator) {
  auto add_one = std::make_shared<Lambda>("AddOne", [](Sample s, Generator&) {
    s.features[0] = add(s.features[0], 1.0);
    return s;
  });
  auto times_rand = std::make_shared<Lambda>("TimesRandom", [](Sample s, Generator& g) {
    s.features[0] = mul(s.features[0], g.next_double());
    return s;
  });
  TransformerPtr t = TransformerPtr(add_one) >> times_rand;
  EXPECT_EQ(t->repr(), "AddOne >> TimesRandom");
  Generator g1(7), g2(7);
  const double r = g2.next_double();
  Sample out = t->apply(Sample(vec({1, 2})), g1);
  EXPECT_FLOAT_EQ(out.feature().at({0}), static_cast<float>(2 * r));
  EXPECT_FLOAT_EQ(out.feature().at({1}), static_cast<float>(3 * r));
  EXPECT_THROW_WITH(Chain(nullptr, times_rand), ValueError, "[data.Chain] both transformers must be set");
  EXPECT_THROW_WITH(Lambda("Empty", nullptr), ValueError, "[data.Lambda 'Empty'] the function is empty");
}

}  // namespace
}  // namespace ember::data
