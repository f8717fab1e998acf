#pragma once
#include "ember/nn/container.h"

namespace ember::nn {

/// Chains children: the output of each is the input of the next. BigDL: Sequential.
///
/// Example:
///   auto model = std::make_shared<Sequential>();
///   model->add(std::make_shared<Linear>(LinearOptions{.in_features = 4, .out_features = 8}))
///        .add(std::make_shared<ReLU>());
class Sequential final : public Container {
 public:
  static constexpr std::string_view kTypeName = "nn.Sequential";
  Sequential() = default;
  /// Builds from a list of modules.
  explicit Sequential(std::vector<ModulePtr> modules);
  std::string_view type_name() const override { return kTypeName; }

  const Activity& update_output(const Activity& input) override;
  const Activity& update_grad_input(const Activity& input, const Activity& grad_output) override;
  void acc_grad_parameters(const Activity& input, const Activity& grad_output) override;
  const Activity& backward(const Activity& input, const Activity& grad_output) override;
  /// Passes the flag to the first child only: later children always propagate to their predecessor.
  Module& set_propagate_back(bool propagate) override;

 private:
  const Activity& input_of(size_t i, const Activity& input) const;
};

}  // namespace ember::nn
