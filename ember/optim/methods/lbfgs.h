#pragma once
#include <string>
#include <vector>

#include "ember/optim/optim_method.h"

namespace ember::optim {

/// Options for `LBFGS`. Field names are PyTorch's keyword arguments (lr spelt out).
struct LBFGSOptions {
  double learning_rate = 1.0;       // step length (the first step is scaled by min(1, 1 / |g|_1)), > 0
  int64_t max_iter = 20;            // iterations per optimize() call, >= 1
  int64_t max_eval = 0;             // function evaluations per call; 0: max_iter * 5 / 4 (PyTorch's None)
  double tolerance_grad = 1e-7;     // stop when max |g| <= this, >= 0
  double tolerance_change = 1e-9;   // stop when the step or the loss change is smaller, >= 0
  int64_t history_size = 100;       // curvature pairs kept, >= 1
  std::string line_search_fn = "";  // "" (fixed step) or "strong_wolfe"
  template <class V>
  void visit(V&& v) {
    v("learning_rate", learning_rate);
    v("max_iter", max_iter);
    v("max_eval", max_eval);
    v("tolerance_grad", tolerance_grad);
    v("tolerance_change", tolerance_change);
    v("history_size", history_size);
    v("line_search_fn", line_search_fn);
  }
};

/// Limited-memory BFGS, PyTorch's torch.optim.LBFGS step by step (which follows minFunc and
/// Torch7's optim.lbfgs; BigDL: LBFGS). One optimize() runs up to max_iter iterations and calls
/// feval several times; it returns the loss at the weights it was given. The weights are moved
/// along the search direction in place (and restored between line-search trials).
/// State: "d", "t", "old_dirs"/"old_stps" ([k, n]), "ro" ([k], float64), "h_diag",
/// "prev_flat_grad", "prev_loss", "n_iter", "func_evals". Unlike the first-order methods it
/// allocates (history rows, line-search copies); it is meant for small, full-batch problems.
///
/// Example:
///   auto opt = std::make_shared<LBFGS>(LBFGSOptions{.max_iter = 50, .line_search_fn = "strong_wolfe"});
class LBFGS final : public OptimMethod {
 public:
  using Options = LBFGSOptions;
  static constexpr std::string_view kTypeName = "optim.LBFGS";

  explicit LBFGS(LBFGSOptions options = {});
  std::string_view type_name() const override { return kTypeName; }
  nn::Config config() const override { return nn::to_config(options_); }
  std::unique_ptr<OptimMethod> clone() const override;
  double base_learning_rate() const override { return options_.learning_rate; }
  const LBFGSOptions& options() const { return options_; }
  /// Total inner iterations / function evaluations so far (PyTorch's state "n_iter", "func_evals").
  int64_t num_inner_iterations() const { return n_iter_; }
  int64_t num_evaluations() const { return func_evals_; }

 protected:
  double step(const Feval& feval, Tensor& weights, double lr) override;
  void save_buffers(StateDict& state) const override;
  void load_buffers(const StateDict& state) override;

 private:
  /// Evaluates feval at weights + t * d, copies the gradient into `grad_out`, restores the weights.
  double directional_evaluate(const Feval& feval, Tensor& weights, const Tensor& x, double t, Tensor& grad_out);
  /// PyTorch's _strong_wolfe; returns {loss, t, evaluations} and leaves the gradient in `grad`.
  struct LineSearchResult {
    double loss, t;
    int64_t evals;
  };
  LineSearchResult strong_wolfe(const Feval& feval, Tensor& weights, double t, double f, Tensor& grad, double gtd);

  LBFGSOptions options_;
  // Persistent state (PyTorch's state dict).
  Tensor d_, prev_flat_grad_;
  double t_ = 0, h_diag_ = 1, prev_loss_ = 0;
  std::vector<Tensor> old_dirs_, old_stps_;  // oldest first
  std::vector<double> ro_;
  int64_t n_iter_ = 0, func_evals_ = 0;
  // Scratch.
  Tensor flat_grad_, y_, s_, x_init_;
  std::vector<double> al_;
};

}  // namespace ember::optim
