#pragma once
/// Module: the Torch7/BigDL layer contract.
///
/// A module computes `update_output(input)` (forward) and, for backward,
/// `update_grad_input(input, grad_output)` (gradient w.r.t. the input) and
/// `acc_grad_parameters(input, grad_output)` (gradients w.r.t. its parameters, accumulated until
/// `zero_grad_parameters()`). `forward`/`backward` call them and add the module's type and path
/// to any error. There is no autograd tape: containers drive backward in reverse order. A module
/// owns its output and grad-input buffers and reuses them on the next call (clone an output to
/// keep it).
///
/// Example:
///   auto fc = std::make_shared<Linear>(LinearOptions{.in_features = 4, .out_features = 2});
///   const Tensor& y = fc->forward(x);          // [N, 2]
///   fc->backward(x, grad_y);                   // fills fc->grad_input() and the weight gradients

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ember/nn/activity.h"
#include "ember/nn/init.h"
#include "ember/nn/options.h"
#include "ember/nn/regularizer.h"

namespace ember::nn {

class Module;
using ModulePtr = std::shared_ptr<Module>;

/// A parameter as seen from the model root: its dotted path, value and gradient.
struct NamedParameter {
  std::string name;  // e.g. "features.0.weight"
  Tensor* value;     // points into the owning module; stays valid while the module lives
  Tensor* grad;
  bool frozen;
};

class Module : public std::enable_shared_from_this<Module> {
 public:
  Module() = default;
  virtual ~Module() = default;
  Module(const Module&) = delete;
  Module& operator=(const Module&) = delete;

  /// Stable serialized type name, e.g. "nn.Linear".
  virtual std::string_view type_name() const = 0;

  // ---- the contract --------------------------------------------------------------------------
  /// Computes and stores the output for `input`.
  virtual const Activity& update_output(const Activity& input) = 0;
  /// Computes and stores the gradient w.r.t. the input.
  virtual const Activity& update_grad_input(const Activity& input, const Activity& grad_output) = 0;
  /// Adds the gradients w.r.t. the parameters to the gradient buffers. Default: no parameters.
  virtual void acc_grad_parameters(const Activity& input, const Activity& grad_output);

  /// update_output with error context ("[nn.Linear 'fc1'] ...").
  virtual const Activity& forward(const Activity& input);
  /// update_grad_input then acc_grad_parameters (skipped for frozen parameters).
  virtual const Activity& backward(const Activity& input, const Activity& grad_output);
  /// Callable like a function: forward.
  const Activity& operator()(const Activity& input) { return forward(input); }

  const Activity& output() const { return output_; }
  const Activity& grad_input() const { return grad_input_; }

  /// Whether backward computes the gradient w.r.t. the input (BigDL: setPropagateBack). A model's
  /// first layer never needs it, and skipping it there saves real work (the input-gradient of a
  /// 1-channel convolution costs more than its forward). Containers pass the setting on to the
  /// children that see their input. Parameter gradients are computed either way.
  virtual Module& set_propagate_back(bool propagate);
  bool propagate_back() const { return propagate_back_; }

  // ---- parameters ----------------------------------------------------------------------------
  /// Every parameter of this module and its descendants, with dotted paths, in a stable order.
  std::vector<NamedParameter> named_parameters();
  /// Parameter values / gradients in the order of named_parameters().
  std::vector<Tensor> parameters();
  std::vector<Tensor> gradients();
  /// Buffers (running statistics), with dotted paths.
  std::vector<std::pair<std::string, Tensor*>> named_buffers();
  /// Total number of parameter elements.
  int64_t num_parameters();
  /// Compacts all weights into one contiguous 1-d tensor and all gradients into another; the
  /// modules' parameters become views into them. Calling again returns the same buffers.
  std::pair<Tensor, Tensor> get_parameters();
  /// Zeroes every gradient.
  void zero_grad_parameters();

  /// Sets the L1/L2 penalty of one of this module's own parameters, e.g. "weight" or "bias" (BigDL:
  /// wRegularizer / bRegularizer); optim::apply_regularization adds its gradient after backward.
  /// ValueError naming the module and its parameters for an unknown name or a negative strength.
  Module& set_regularizer(std::string_view parameter_name, Regularizer regularizer);
  /// The penalty of one of this module's own parameters (zero when none was set).
  Regularizer regularizer(std::string_view parameter_name) const;
  /// Calls f(value, grad, regularizer) for every parameter of this module and its descendants that
  /// has an active regularizer and is not frozen. Allocates nothing (called every training step).
  template <class F>
  void for_each_regularized_parameter(F&& f);

  /// Freezes the parameters of the named sub-modules (paths like "features.0"), or of the whole
  /// module when `names` is empty: their gradients stay zero. ValueError for an unknown name.
  Module& freeze(const std::vector<std::string>& names = {});
  Module& unfreeze(const std::vector<std::string>& names = {});

  /// Sets the init methods for weights and biases and re-initialises. nullptr keeps the default.
  Module& set_init_method(InitMethodPtr weight_init, InitMethodPtr bias_init = nullptr);
  /// Re-initialises the parameters of this module and its descendants.
  void reset();

  /// Converts parameters, gradients and buffers to dtype (float32 or float64).
  Module& to(DType dtype);

  // ---- mode, names, children -----------------------------------------------------------------
  /// Training mode (dropout active, batch norm updates statistics); recursive.
  Module& training();
  /// Evaluation mode; recursive.
  Module& evaluate();
  bool is_training() const { return train_; }

  /// The user-given name (empty when none); containers use it as the child's key.
  const std::string& name() const { return name_; }
  Module& set_name(std::string name);

  /// Direct children with their keys ("0", "fc1").
  const std::vector<std::pair<std::string, ModulePtr>>& named_children() const { return children_; }
  /// The descendant at a dotted path ("features.0"); nullptr when there is none.
  ModulePtr find(std::string_view path);

  /// Options of this module as a Config (empty for modules without options).
  virtual Config config() const { return {}; }
  /// One-line description of the options, e.g. "in_features=784, out_features=10, bias=true".
  virtual std::string extra_repr() const { return ""; }
  /// The module tree, PyTorch style.
  std::string repr() const;
  /// A table of every module (path, type, output shape, parameters) after a forward pass on zeros
  /// of `input_shape` (batch dimension included). Runs in evaluation mode and restores the mode.
  std::string summary(const Shape& input_shape, DType dtype = DType::Float32);

 protected:
  /// Registers a parameter and its gradient; both live in the derived class.
  void register_parameter(std::string name, Tensor* value, Tensor* grad);
  /// Registers a buffer (saved with the model, not trained).
  void register_buffer(std::string name, Tensor* value);
  /// Adds a child under `key`.
  void register_module(std::string key, ModulePtr child);
  /// Replaces the children (for containers that rebuild their list).
  std::vector<std::pair<std::string, ModulePtr>>& children() { return children_; }

  /// Re-initialises this module's own parameters (not children's). Layers with parameters override.
  virtual void reset_parameters() {}
  /// Fills t with `method` if set, else `fallback`.
  void init_parameter(Tensor& t, const InitMethodPtr& method, const InitMethod& fallback, int64_t fan_in,
                      int64_t fan_out);
  InitMethodPtr weight_init_, bias_init_;

  /// Output and grad-input buffers, reused across calls.
  Activity output_, grad_input_;
  bool train_ = true;
  bool propagate_back_ = true;

  /// Runs f, adding this module's type to an Ember error passing through.
  template <class F>
  decltype(auto) with_context(F&& f);

 private:
  struct Param {
    std::string name;
    Tensor* value;
    Tensor* grad;
    bool frozen = false;
    Regularizer regularizer{};
  };
  void collect_parameters(const std::string& prefix, std::vector<NamedParameter>& out);
  void set_frozen(const std::vector<std::string>& names, bool frozen, const char* op);
  void set_frozen_recursive(bool frozen);
  bool has_trainable_parameters() const;
  bool grads_share_storage(const Tensor& flat) const;
  void zero_frozen_gradients();
  void repr_into(std::string& out, int indent) const;

  std::string name_;
  std::vector<Param> params_;
  std::vector<std::pair<std::string, Tensor*>> buffers_;
  std::vector<std::pair<std::string, ModulePtr>> children_;
  Tensor flat_weight_, flat_grad_;  // set by get_parameters()
};

/// Base of single-tensor modules: implement the three Tensor-level methods, write results into
/// `output_` / `grad_input_` (Tensors here) and return them.
class TensorModule : public Module {
 public:
  virtual const Tensor& update_output(const Tensor& input) = 0;
  virtual const Tensor& update_grad_input(const Tensor& input, const Tensor& grad_output) = 0;
  virtual void acc_grad_parameters(const Tensor& input, const Tensor& grad_output);

  const Activity& update_output(const Activity& input) final;
  const Activity& update_grad_input(const Activity& input, const Activity& grad_output) final;
  void acc_grad_parameters(const Activity& input, const Activity& grad_output) final;

  /// Tensor-level forward/backward (same error context as the Activity versions).
  const Tensor& forward(const Tensor& input);
  const Tensor& backward(const Tensor& input, const Tensor& grad_output);
  using Module::backward;
  using Module::forward;
  const Tensor& output_tensor() const { return output_; }
  const Tensor& grad_input_tensor() const { return grad_input_; }

 protected:
  Tensor output_, grad_input_;  // hide Module's Activity buffers: layers work with Tensors
};

template <class F>
void Module::for_each_regularized_parameter(F&& f) {
  for (Param& p : params_)
    if (p.regularizer.active() && !p.frozen) f(*p.value, *p.grad, p.regularizer);
  for (auto& [k, c] : children_) c->for_each_regularized_parameter(f);
}

template <class F>
decltype(auto) Module::with_context(F&& f) {
  try {
    return f();
  } catch (ErrorContext& e) {
    e.set_module(type_name());
    throw;
  }
}

/// Throws ShapeError unless `input` has one of the given numbers of dims, e.g. {2} or {3, 4}.
void check_input_dims(const Tensor& input, std::initializer_list<int64_t> dims, const char* what = "input");

}  // namespace ember::nn
