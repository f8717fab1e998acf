#include "ember/nn/registry.h"

#include "ember/nn/all.h"

namespace ember::nn {

namespace {
void register_builtins(Registry& r) {
  // Layers
  r.add<Linear>();
  r.add<Identity>();
  r.add<Reshape>();
  r.add<View>();
  r.add<Flatten>();
  r.add<Transpose>();
  r.add<Squeeze>();
  r.add<Unsqueeze>();
  r.add<Narrow>();
  r.add<Padding>();
  r.add<Select>();
  r.add<SpatialZeroPadding>();
  r.add<UpSampling2d>();
  r.add<JoinTable>();
  r.add<SplitTable>();
  r.add<SelectTable>();
  r.add<CAddTable>();
  r.add<CMulTable>();
  r.add<FlattenTable>();
  r.add<Embedding>();
  r.add<MaxPool2d>();
  r.add<AvgPool2d>();
  r.add<AdaptiveAvgPool2d>();
  r.add<GlobalAvgPool2d>();
  r.add<BatchNorm1d>();
  r.add<BatchNorm2d>();
  r.add<LayerNorm>();
  r.add<SpatialCrossMapLRN>();
  r.add<Conv1d>();
  r.add<Conv2d>();
  r.add<ConvTranspose2d>();
  r.add<ReLU>();
  r.add<ReLU6>();
  r.add<LeakyReLU>();
  r.add<PReLU>();
  r.add<ELU>();
  r.add<Tanh>();
  r.add<Sigmoid>();
  r.add<HardTanh>();
  r.add<SoftPlus>();
  r.add<SoftSign>();
  r.add<SoftMax>();
  r.add<LogSoftMax>();
  r.add<Dropout>();
  r.add<Add>();
  r.add<Mul>();
  r.add<AddConstant>();
  r.add<MulConstant>();
  r.add<CAdd>();
  r.add<CMul>();
  // Containers
  r.add_module(std::string(Sequential::kTypeName), [](const Config&) { return std::make_shared<Sequential>(); });
  r.add<Concat>();
  r.add_module(std::string(ConcatTable::kTypeName), [](const Config&) { return std::make_shared<ConcatTable>(); });
  r.add_module(std::string(ParallelTable::kTypeName), [](const Config&) { return std::make_shared<ParallelTable>(); });
  r.add_module(std::string(MapTable::kTypeName), [](const Config&) { return std::make_shared<MapTable>(); });
  // Criteria
  r.add<ClassNLLCriterion>();
  r.add<AbsCriterion>();
  r.add<BCECriterion>();
  r.add<BCEWithLogitsCriterion>();
  r.add<CosineEmbeddingCriterion>();
  r.add<CrossEntropyCriterion>();
  r.add<DistKLDivCriterion>();
  r.add<MarginCriterion>();
  r.add<MSECriterion>();
  r.add<MultiCriterion>();
  r.add<MultiLabelSoftMarginCriterion>();
  r.add<ParallelCriterion>();
  r.add<SmoothL1Criterion>();
}
}  // namespace

Registry& Registry::global() {
  static Registry* r = [] {
    auto* reg = new Registry();
    register_builtins(*reg);
    return reg;
  }();
  return *r;
}

ModulePtr Registry::create_module(const std::string& type_name, const Config& config) const {
  auto it = modules_.find(type_name);
  EMBER_CHECK(it != modules_.end(), "[nn.Registry] unknown module type '", type_name, "'");
  return it->second(config);
}

CriterionPtr Registry::create_criterion(const std::string& type_name, const Config& config) const {
  auto it = criteria_.find(type_name);
  EMBER_CHECK(it != criteria_.end(), "[nn.Registry] unknown criterion type '", type_name, "'");
  return it->second(config);
}

std::vector<std::string> Registry::module_types() const {
  std::vector<std::string> out;
  for (auto& [k, v] : modules_) out.push_back(k);
  return out;
}

std::vector<std::string> Registry::criterion_types() const {
  std::vector<std::string> out;
  for (auto& [k, v] : criteria_) out.push_back(k);
  return out;
}

}  // namespace ember::nn
