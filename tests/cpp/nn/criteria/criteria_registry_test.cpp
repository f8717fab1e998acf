#include <gtest/gtest.h>

#include "ember/nn/all.h"
#include "ember/nn/registry.h"

namespace ember::nn {
namespace {

// Every criterion is registered and rebuilds from its own config with the same options.
TEST(CriteriaRegistryTest, EveryCriterionRoundTripsThroughItsConfig) {
  const std::vector<CriterionPtr> crits = {
      std::make_shared<CrossEntropyCriterion>(CrossEntropyCriterionOptions{.weights = {1, 2}, .size_average = false}),
      std::make_shared<BCECriterion>(BCECriterionOptions{.weights = {0.5}}),
      std::make_shared<BCEWithLogitsCriterion>(BCEWithLogitsCriterionOptions{.pos_weight = {2.0, 3.0}}),
      std::make_shared<MSECriterion>(MSECriterionOptions{.size_average = false}),
      std::make_shared<AbsCriterion>(),
      std::make_shared<SmoothL1Criterion>(SmoothL1CriterionOptions{.beta = 0.25}),
      std::make_shared<DistKLDivCriterion>(),
      std::make_shared<MultiLabelSoftMarginCriterion>(MultiLabelSoftMarginCriterionOptions{.weights = {3.0}}),
      std::make_shared<MarginCriterion>(MarginCriterionOptions{.margin = 0.5, .squared = true}),
      std::make_shared<CosineEmbeddingCriterion>(CosineEmbeddingCriterionOptions{.margin = -0.25}),
      std::make_shared<ParallelCriterion>(ParallelCriterionOptions{.repeat_target = true}),
      std::make_shared<MultiCriterion>(),
  };
  for (const CriterionPtr& c : crits) {
    const CriterionPtr copy = Registry::global().create_criterion(std::string(c->type_name()), c->config());
    EXPECT_EQ(copy->type_name(), c->type_name());
    EXPECT_EQ(copy->repr(), c->repr());
  }
  EXPECT_EQ(crits[5]->repr(), "nn.SmoothL1Criterion(size_average=true, beta=0.25)");
}

}  // namespace
}  // namespace ember::nn
