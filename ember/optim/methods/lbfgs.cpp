#include "ember/optim/methods/lbfgs.h"

#include <algorithm>
#include <cmath>

#include "ember/optim/methods/method_util.h"

namespace ember::optim {

namespace {
// PyTorch's strong-Wolfe constants (torch/optim/lbfgs.py, after Torch7's lswolfe.lua).
constexpr double kC1 = 1e-4, kC2 = 0.9;
constexpr int64_t kMaxLineSearch = 25;

// Minimiser of the cubic through (x1, f1, g1) and (x2, f2, g2), clamped to the bounds.
double cubic_interpolate(double x1, double f1, double g1, double x2, double f2, double g2, double lo, double hi) {
  const double d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2);
  const double d2_square = d1 * d1 - g1 * g2;
  if (d2_square >= 0) {
    const double d2 = std::sqrt(d2_square);
    const double min_pos = x1 <= x2 ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
                                    : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
    return std::min(std::max(min_pos, lo), hi);
  }
  return (lo + hi) / 2;
}

double cubic_interpolate(double x1, double f1, double g1, double x2, double f2, double g2) {
  return cubic_interpolate(x1, f1, g1, x2, f2, g2, std::min(x1, x2), std::max(x1, x2));
}

void scale(Tensor& t, double alpha) {
  dispatch_floating(t.dtype(), "optim.LBFGS", [&]<class T>() {
    T* p = t.data<T>();
    const T a = static_cast<T>(alpha);
    for (int64_t i = 0; i < t.numel(); ++i) p[i] *= a;
  });
}
}  // namespace

LBFGS::LBFGS(LBFGSOptions options) : options_(std::move(options)) {
  const auto& o = options_;
  EMBER_CHECK(o.learning_rate > 0, "[", kTypeName, "] learning_rate must be > 0, got ", o.learning_rate);
  EMBER_CHECK(o.max_iter >= 1, "[", kTypeName, "] max_iter must be >= 1, got ", o.max_iter);
  EMBER_CHECK(o.max_eval >= 0, "[", kTypeName, "] max_eval must be >= 0 (0: max_iter * 5 / 4), got ", o.max_eval);
  EMBER_CHECK(o.tolerance_grad >= 0, "[", kTypeName, "] tolerance_grad must be >= 0, got ", o.tolerance_grad);
  EMBER_CHECK(o.tolerance_change >= 0, "[", kTypeName, "] tolerance_change must be >= 0, got ", o.tolerance_change);
  EMBER_CHECK(o.history_size >= 1, "[", kTypeName, "] history_size must be >= 1, got ", o.history_size);
  EMBER_CHECK(o.line_search_fn.empty() || o.line_search_fn == "strong_wolfe", "[", kTypeName,
              "] line_search_fn must be '' (none) or 'strong_wolfe', got '", o.line_search_fn, "'");
}

std::unique_ptr<OptimMethod> LBFGS::clone() const {
  auto m = std::make_unique<LBFGS>(options_);
  m->set_schedule(cloned_schedule());
  return m;
}

double LBFGS::directional_evaluate(const Feval& feval, Tensor& weights, const Tensor& x, double t, Tensor& grad_out) {
  detail::axpy(weights, t, d_);
  auto [loss, grad] = feval(weights);
  detail::check_gradient(kTypeName, weights, grad);
  grad_out = grad.clone();  // the caller's buffer is overwritten by the next evaluation
  weights.copy_(x);
  return loss;
}

LBFGS::LineSearchResult LBFGS::strong_wolfe(const Feval& feval, Tensor& weights, double t, double f, Tensor& grad,
                                            double gtd) {
  const double tolerance_change = options_.tolerance_change;
  const double d_norm = detail::max_abs(d_);
  const Tensor g = grad.clone();
  Tensor g_new;
  double f_new = directional_evaluate(feval, weights, x_init_, t, g_new);
  int64_t evals = 1;
  double gtd_new = detail::dot(g_new, d_);

  // Bracket an interval containing a point satisfying the Wolfe criteria.
  double t_prev = 0, f_prev = f, gtd_prev = gtd;
  Tensor g_prev = g;
  double bt[2] = {0, 0}, bf[2] = {0, 0}, bgtd[2] = {0, 0};
  Tensor bg[2];
  bool done = false;
  int64_t ls_iter = 0;
  while (ls_iter < kMaxLineSearch) {
    if (f_new > f + kC1 * t * gtd || (ls_iter > 1 && f_new >= f_prev)) {
      bt[0] = t_prev, bt[1] = t, bf[0] = f_prev, bf[1] = f_new, bg[0] = g_prev, bg[1] = g_new;
      bgtd[0] = gtd_prev, bgtd[1] = gtd_new;
      break;
    }
    if (std::abs(gtd_new) <= -kC2 * gtd) {
      bt[0] = bt[1] = t, bf[0] = bf[1] = f_new, bg[0] = bg[1] = g_new;
      done = true;
      break;
    }
    if (gtd_new >= 0) {
      bt[0] = t_prev, bt[1] = t, bf[0] = f_prev, bf[1] = f_new, bg[0] = g_prev, bg[1] = g_new;
      bgtd[0] = gtd_prev, bgtd[1] = gtd_new;
      break;
    }
    const double min_step = t + 0.01 * (t - t_prev), max_step = t * 10;
    const double tmp = t;
    t = cubic_interpolate(t_prev, f_prev, gtd_prev, t, f_new, gtd_new, min_step, max_step);
    t_prev = tmp, f_prev = f_new, g_prev = g_new, gtd_prev = gtd_new;
    f_new = directional_evaluate(feval, weights, x_init_, t, g_new);
    ++evals;
    gtd_new = detail::dot(g_new, d_);
    ++ls_iter;
  }
  if (ls_iter == kMaxLineSearch) {
    bt[0] = 0, bt[1] = t, bf[0] = f, bf[1] = f_new, bg[0] = g, bg[1] = g_new;
  }

  // Zoom: shrink the bracket until a point satisfies the criteria.
  bool insufficient_progress = false;
  int low = bf[0] <= bf[1] ? 0 : 1, high = 1 - low;
  while (!done && ls_iter < kMaxLineSearch) {
    if (std::abs(bt[1] - bt[0]) * d_norm < tolerance_change) break;
    t = cubic_interpolate(bt[0], bf[0], bgtd[0], bt[1], bf[1], bgtd[1]);
    const double b_max = std::max(bt[0], bt[1]), b_min = std::min(bt[0], bt[1]);
    const double eps = 0.1 * (b_max - b_min);
    if (std::min(b_max - t, t - b_min) < eps) {
      if (insufficient_progress || t >= b_max || t <= b_min) {
        t = std::abs(t - b_max) < std::abs(t - b_min) ? b_max - eps : b_min + eps;
        insufficient_progress = false;
      } else {
        insufficient_progress = true;
      }
    } else {
      insufficient_progress = false;
    }
    f_new = directional_evaluate(feval, weights, x_init_, t, g_new);
    ++evals;
    gtd_new = detail::dot(g_new, d_);
    ++ls_iter;
    if (f_new > f + kC1 * t * gtd || f_new >= bf[low]) {
      bt[high] = t, bf[high] = f_new, bg[high] = g_new, bgtd[high] = gtd_new;
      low = bf[0] <= bf[1] ? 0 : 1, high = 1 - low;
    } else {
      if (std::abs(gtd_new) <= -kC2 * gtd) {
        done = true;
      } else if (gtd_new * (bt[high] - bt[low]) >= 0) {
        bt[high] = bt[low], bf[high] = bf[low], bg[high] = bg[low], bgtd[high] = bgtd[low];
      }
      bt[low] = t, bf[low] = f_new, bg[low] = g_new, bgtd[low] = gtd_new;
    }
  }
  grad = bg[low];
  return {bf[low], bt[low], evals};
}

double LBFGS::step(const Feval& feval, Tensor& weights, double lr) {
  detail::check_weights(kTypeName, weights);
  const auto& o = options_;
  const int64_t max_eval = o.max_eval > 0 ? o.max_eval : o.max_iter * 5 / 4;
  auto [orig_loss, grad0] = feval(weights);
  detail::check_gradient(kTypeName, weights, grad0);
  if (d_.defined())
    EMBER_CHECK(d_.shape() == weights.shape() && d_.dtype() == weights.dtype(), "[", kTypeName,
                "] state was built for ", d_.dtype(), " weights of shape ", d_.shape(), ", got ", weights.dtype(),
                " weights of shape ", weights.shape(), ". Hint: an optim method belongs to one model; use clone()");
  double loss = orig_loss;
  int64_t current_evals = 1;
  ++func_evals_;
  flat_grad_ = grad0.clone();
  bool opt_cond = detail::max_abs(flat_grad_) <= o.tolerance_grad;
  if (opt_cond) return orig_loss;

  int64_t n_iter = 0;
  while (n_iter < o.max_iter) {
    ++n_iter;
    ++n_iter_;
    // Search direction.
    if (n_iter_ == 1) {
      d_ = flat_grad_.clone();
      scale(d_, -1.0);
      old_dirs_.clear(), old_stps_.clear(), ro_.clear();
      h_diag_ = 1;
    } else {
      // y = g - g_prev, s = d * t, in scratch tensors that join the history when accepted; a full
      // history hands its oldest pair back as the next scratch (no allocation once it is full).
      if (!y_.defined()) y_ = Tensor::empty(weights.shape(), weights.dtype());
      if (!s_.defined()) s_ = Tensor::empty(weights.shape(), weights.dtype());
      y_.copy_(flat_grad_);
      detail::axpy(y_, -1.0, prev_flat_grad_);
      s_.copy_(d_);
      scale(s_, t_);
      const double ys = detail::dot(y_, s_);
      if (ys > 1e-10) {
        Tensor spare_y, spare_s;
        if (static_cast<int64_t>(old_dirs_.size()) == o.history_size) {
          spare_y = old_dirs_.front(), spare_s = old_stps_.front();
          old_dirs_.erase(old_dirs_.begin()), old_stps_.erase(old_stps_.begin()), ro_.erase(ro_.begin());
        }
        old_dirs_.push_back(y_), old_stps_.push_back(s_), ro_.push_back(1.0 / ys);
        h_diag_ = ys / detail::dot(y_, y_);
        y_ = spare_y, s_ = spare_s;
      }
      // Two-loop recursion: d = -H g, with H the L-BFGS inverse Hessian approximation.
      const size_t num_old = old_dirs_.size();
      al_.assign(num_old, 0.0);
      d_.copy_(flat_grad_);
      scale(d_, -1.0);
      for (size_t i = num_old; i-- > 0;) {
        al_[i] = detail::dot(old_stps_[i], d_) * ro_[i];
        detail::axpy(d_, -al_[i], old_dirs_[i]);
      }
      scale(d_, h_diag_);
      for (size_t i = 0; i < num_old; ++i) {
        const double be_i = detail::dot(old_dirs_[i], d_) * ro_[i];
        detail::axpy(d_, al_[i] - be_i, old_stps_[i]);
      }
    }
    if (!prev_flat_grad_.defined()) prev_flat_grad_ = flat_grad_.clone();
    else prev_flat_grad_.copy_(flat_grad_);
    prev_loss_ = loss;

    // Step length: the first step ever is scaled down by the gradient's 1-norm.
    t_ = n_iter_ == 1 ? std::min(1.0, 1.0 / detail::sum_abs(flat_grad_)) * lr : lr;
    const double gtd = detail::dot(flat_grad_, d_);
    if (gtd > -o.tolerance_change) break;  // not a descent direction any more

    int64_t ls_evals = 0;
    if (o.line_search_fn == "strong_wolfe") {
      x_init_ = weights.clone();
      const LineSearchResult r = strong_wolfe(feval, weights, t_, loss, flat_grad_, gtd);
      loss = r.loss, t_ = r.t, ls_evals = r.evals;
      detail::axpy(weights, t_, d_);
      opt_cond = detail::max_abs(flat_grad_) <= o.tolerance_grad;
    } else {
      detail::axpy(weights, t_, d_);
      if (n_iter != o.max_iter) {
        // Re-evaluate only when another iteration follows (PyTorch: no use in a stochastic setting).
        auto [l, g] = feval(weights);
        detail::check_gradient(kTypeName, weights, g);
        loss = l;
        flat_grad_.copy_(g);
        opt_cond = detail::max_abs(flat_grad_) <= o.tolerance_grad;
        ls_evals = 1;
      }
    }
    current_evals += ls_evals;
    func_evals_ += ls_evals;

    if (n_iter == o.max_iter || current_evals >= max_eval || opt_cond) break;
    if (detail::max_abs(d_) * std::abs(t_) <= o.tolerance_change) break;  // lack of progress
    if (std::abs(loss - prev_loss_) < o.tolerance_change) break;
  }
  return orig_loss;
}

void LBFGS::save_buffers(StateDict& state) const {
  state.set("n_iter", n_iter_);
  state.set("func_evals", func_evals_);
  if (!d_.defined()) return;
  state.set("d", d_.clone());
  state.set("t", t_);
  state.set("h_diag", h_diag_);
  state.set("prev_loss", prev_loss_);
  detail::save_buffer(state, "prev_flat_grad", prev_flat_grad_);
  const int64_t k = static_cast<int64_t>(old_dirs_.size()), n = d_.numel();
  state.set("history_length", k);
  if (k == 0) return;
  Tensor dirs = Tensor::empty({k, n}, d_.dtype()), stps = Tensor::empty({k, n}, d_.dtype());
  for (int64_t i = 0; i < k; ++i) {
    dirs.select(0, i).copy_(old_dirs_[i].reshape({n}));
    stps.select(0, i).copy_(old_stps_[i].reshape({n}));
  }
  state.set("old_dirs", dirs);
  state.set("old_stps", stps);
  state.set("ro", Tensor::from_vector(ro_, {k}));
}

void LBFGS::load_buffers(const StateDict& state) {
  const bool stepped = detail::has_stepped(state);
  const int64_t n_iter = stepped || state.contains("n_iter") ? state.integer("n_iter") : 0;
  const int64_t func_evals = stepped || state.contains("func_evals") ? state.integer("func_evals") : 0;
  Tensor d = detail::load_buffer(kTypeName, state, "d", false), prev;
  double t = 0, h_diag = 1, prev_loss = 0;
  std::vector<Tensor> dirs, stps;
  std::vector<double> ro;
  if (d.defined()) {
    t = state.real("t"), h_diag = state.real("h_diag"), prev_loss = state.real("prev_loss");
    prev = detail::load_buffer(kTypeName, state, "prev_flat_grad", true);
    const int64_t k = state.integer("history_length");
    EMBER_CHECK(k >= 0 && k <= options_.history_size, "[", kTypeName, ".load_state_dict] history_length ", k,
                " must be in [0, history_size=", options_.history_size, "]");
    EMBER_CHECK(prev.shape() == d.shape() && prev.dtype() == d.dtype(), "[", kTypeName,
                ".load_state_dict] 'prev_flat_grad' has shape ", prev.shape(), " and dtype ", prev.dtype(),
                ", expected those of 'd': ", d.shape(), ", ", d.dtype());
    if (k > 0) {
      const Tensor& od = state.tensor("old_dirs");
      const Tensor& os = state.tensor("old_stps");
      const Tensor& r = state.tensor("ro");
      const Shape expected{k, d.numel()};
      EMBER_CHECK(od.shape() == expected && os.shape() == expected && od.dtype() == d.dtype() &&
                      os.dtype() == d.dtype(),
                  "[", kTypeName, ".load_state_dict] 'old_dirs'/'old_stps' must be ", d.dtype(), " of shape ",
                  expected, ", got ", od.shape(), " and ", os.shape());
      EMBER_CHECK(r.numel() == k, "[", kTypeName, ".load_state_dict] 'ro' has ", r.numel(), " values, expected ", k);
      for (int64_t i = 0; i < k; ++i) {
        dirs.push_back(od.select(0, i).clone().view(d.shape()));
        stps.push_back(os.select(0, i).clone().view(d.shape()));
      }
      ro = r.to_vector();
    }
  }
  n_iter_ = n_iter, func_evals_ = func_evals;
  d_ = d, prev_flat_grad_ = prev, t_ = t, h_diag_ = h_diag, prev_loss_ = prev_loss;
  old_dirs_ = std::move(dirs), old_stps_ = std::move(stps), ro_ = std::move(ro);
}

}  // namespace ember::optim
