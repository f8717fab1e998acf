#pragma once
/// Criterion: a loss function (Torch7/BigDL contract). `forward(input, target)` returns the loss;
/// `backward(input, target)` returns the gradient of the loss w.r.t. the input.
///
/// Example:
///   ClassNLLCriterion crit;
///   double loss = crit.forward(log_probs, labels);     // log_probs [N, C], labels [N]
///   const Tensor& g = crit.backward(log_probs, labels).tensor();

#include <memory>
#include <string>
#include <string_view>

#include "ember/nn/activity.h"
#include "ember/nn/options.h"

namespace ember::nn {

class Criterion {
 public:
  virtual ~Criterion() = default;
  /// Stable serialized type name, e.g. "nn.ClassNLLCriterion".
  virtual std::string_view type_name() const = 0;

  /// Computes and stores the loss.
  virtual double update_output(const Activity& input, const Activity& target) = 0;
  /// Computes and stores the gradient w.r.t. the input.
  virtual const Activity& update_grad_input(const Activity& input, const Activity& target) = 0;

  /// update_output with error context ("[nn.ClassNLLCriterion] ...").
  double forward(const Activity& input, const Activity& target);
  /// update_grad_input with error context.
  const Activity& backward(const Activity& input, const Activity& target);

  /// The last loss.
  double output() const { return output_; }
  const Activity& grad_input() const { return grad_input_; }

  virtual Config config() const { return {}; }
  virtual std::string extra_repr() const { return ""; }
  std::string repr() const { return std::string(type_name()) + "(" + extra_repr() + ")"; }

 protected:
  template <class F>
  decltype(auto) with_context(F&& f) {
    try {
      return f();
    } catch (ErrorContext& e) {
      e.set_module(type_name());
      throw;
    }
  }
  double output_ = 0.0;
  Activity grad_input_;
};

using CriterionPtr = std::shared_ptr<Criterion>;

/// Base of criteria whose input and target are single tensors.
class TensorCriterion : public Criterion {
 public:
  virtual double update_output(const Tensor& input, const Tensor& target) = 0;
  virtual const Tensor& update_grad_input(const Tensor& input, const Tensor& target) = 0;
  double update_output(const Activity& input, const Activity& target) final;
  const Activity& update_grad_input(const Activity& input, const Activity& target) final;
  using Criterion::backward;
  using Criterion::forward;
  /// Tensor-level backward.
  const Tensor& backward(const Tensor& input, const Tensor& target);

 protected:
  Tensor grad_input_;  // hides Criterion's Activity buffer
};

}  // namespace ember::nn
