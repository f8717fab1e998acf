#include "ember/nn/module.h"

#include <algorithm>
#include <cstring>
#include <functional>
#include <iomanip>
#include <sstream>

#include "ember/tensor/random.h"

namespace ember::nn {

void Module::acc_grad_parameters(const Activity&, const Activity&) {}

const Activity& Module::forward(const Activity& input) {
  return with_context([&]() -> const Activity& { return update_output(input); });
}

const Activity& Module::backward(const Activity& input, const Activity& grad_output) {
  return with_context([&]() -> const Activity& {
    const Activity& gi = propagate_back_ ? update_grad_input(input, grad_output) : grad_input_;
    if (has_trainable_parameters()) {
      acc_grad_parameters(input, grad_output);
      zero_frozen_gradients();
    }
    return gi;
  });
}

Module& Module::set_propagate_back(bool propagate) {
  propagate_back_ = propagate;
  return *this;
}

// ---- parameters ------------------------------------------------------------------------------
void Module::register_parameter(std::string name, Tensor* value, Tensor* grad) {
  EMBER_INTERNAL_ASSERT(value && grad, "parameter '", name, "' registered without storage");
  params_.push_back({std::move(name), value, grad, false});
}

void Module::register_buffer(std::string name, Tensor* value) { buffers_.emplace_back(std::move(name), value); }

void Module::register_module(std::string key, ModulePtr child) {
  EMBER_CHECK(child != nullptr, "[", type_name(), "] cannot add a null module");
  for (const auto& [k, c] : children_)
    EMBER_CHECK(k != key, "[", type_name(), "] a child named '", key, "' exists already");
  children_.emplace_back(std::move(key), std::move(child));
}

void Module::collect_parameters(const std::string& prefix, std::vector<NamedParameter>& out) {
  for (Param& p : params_) out.push_back({prefix + p.name, p.value, p.grad, p.frozen});
  for (auto& [k, c] : children_) c->collect_parameters(prefix + k + ".", out);
}

std::vector<NamedParameter> Module::named_parameters() {
  std::vector<NamedParameter> out;
  collect_parameters("", out);
  return out;
}

std::vector<Tensor> Module::parameters() {
  std::vector<Tensor> out;
  for (auto& p : named_parameters()) out.push_back(*p.value);
  return out;
}

std::vector<Tensor> Module::gradients() {
  std::vector<Tensor> out;
  for (auto& p : named_parameters()) out.push_back(*p.grad);
  return out;
}

std::vector<std::pair<std::string, Tensor*>> Module::named_buffers() {
  std::vector<std::pair<std::string, Tensor*>> out;
  std::function<void(Module&, const std::string&)> walk = [&](Module& m, const std::string& prefix) {
    for (auto& [n, t] : m.buffers_) out.emplace_back(prefix + n, t);
    for (auto& [k, c] : m.children_) walk(*c, prefix + k + ".");
  };
  walk(*this, "");
  return out;
}

int64_t Module::num_parameters() {
  int64_t n = 0;
  for (auto& p : named_parameters()) n += p.value->numel();
  return n;
}

std::pair<Tensor, Tensor> Module::get_parameters() {
  auto params = named_parameters();
  if (params.empty()) return {Tensor::empty({0}), Tensor::empty({0})};
  const DType dt = params[0].value->dtype();
  int64_t total = 0;
  for (auto& p : params) {
    EMBER_CHECK_TYPE(p.value->dtype() == dt, "[", type_name(), ".get_parameters] all parameters must share a dtype: '",
                     params[0].name, "' is ", dt, ", '", p.name, "' is ", p.value->dtype(),
                     ". Hint: call to(dtype) on the model first");
    total += p.value->numel();
  }
  // Already compacted (and nothing replaced since)? Then hand back the same buffers.
  if (flat_weight_.defined() && flat_weight_.numel() == total && flat_weight_.dtype() == dt) {
    bool intact = true;
    int64_t off = 0;
    for (auto& p : params) {
      intact = intact && p.value->shares_storage(flat_weight_) && p.value->offset() == off &&
               p.grad->shares_storage(flat_grad_) && p.grad->offset() == off && p.value->is_contiguous();
      off += p.value->numel();
    }
    if (intact) return {flat_weight_, flat_grad_};
  }
  Tensor w = Tensor::empty({total}, dt), g = Tensor::zeros({total}, dt);
  int64_t off = 0;
  for (auto& p : params) {
    const int64_t n = p.value->numel();
    const Shape s = p.value->shape();
    Tensor wv = w.narrow(0, off, n).view(s), gv = g.narrow(0, off, n).view(s);
    wv.copy_(*p.value);
    if (p.grad->defined() && p.grad->shape() == s) gv.copy_(*p.grad);
    *p.value = wv;
    *p.grad = gv;
    off += n;
  }
  flat_weight_ = w;
  flat_grad_ = g;
  return {w, g};
}

bool Module::grads_share_storage(const Tensor& flat) const {
  for (const Param& p : params_)
    if (!p.grad->shares_storage(flat)) return false;
  for (const auto& [k, c] : children_)
    if (!c->grads_share_storage(flat)) return false;
  return true;
}

void Module::zero_grad_parameters() {
  // One memset over the flat buffer when every gradient still lives in it (the training step's
  // case; checked without building names, so it allocates nothing).
  if (flat_grad_.defined() && grads_share_storage(flat_grad_)) {
    flat_grad_.zero_();
    return;
  }
  for (Param& p : params_)
    if (p.grad->defined()) p.grad->zero_();
  for (auto& [k, c] : children_) c->zero_grad_parameters();
}

bool Module::has_trainable_parameters() const {
  return params_.empty() || std::any_of(params_.begin(), params_.end(), [](const Param& p) { return !p.frozen; });
}

void Module::zero_frozen_gradients() {
  for (Param& p : params_)
    if (p.frozen && p.grad->defined()) p.grad->zero_();
}

void Module::set_frozen_recursive(bool frozen) {
  for (Param& p : params_) p.frozen = frozen;
  for (auto& [k, c] : children_) c->set_frozen_recursive(frozen);
}

void Module::set_frozen(const std::vector<std::string>& names, bool frozen, const char* op) {
  if (names.empty()) {
    set_frozen_recursive(frozen);
    return;
  }
  for (const std::string& n : names) {
    ModulePtr m = find(n);
    if (m) {
      m->set_frozen_recursive(frozen);
      continue;
    }
    // A parameter path such as "fc1.weight".
    const size_t dot = n.rfind('.');
    Module* owner = dot == std::string::npos ? this : find(n.substr(0, dot)).get();
    const std::string pname = dot == std::string::npos ? n : n.substr(dot + 1);
    bool found = false;
    if (owner)
      for (Param& p : owner->params_)
        if (p.name == pname) {
          p.frozen = frozen;
          found = true;
        }
    EMBER_CHECK(found, "[", type_name(), ".", op, "] no module or parameter named '", n,
                "'. Hint: names are the paths printed by named_parameters(), e.g. 'features.0'");
  }
}

Module& Module::set_regularizer(std::string_view parameter_name, Regularizer regularizer) {
  EMBER_CHECK(regularizer.l1 >= 0 && regularizer.l2 >= 0, "[", type_name(),
              ".set_regularizer] l1 and l2 must be >= 0, got l1=", regularizer.l1, ", l2=", regularizer.l2);
  for (Param& p : params_) {
    if (p.name == parameter_name) {
      p.regularizer = regularizer;
      return *this;
    }
  }
  std::string names;
  for (const Param& p : params_) names += (names.empty() ? "'" : ", '") + p.name + "'";
  throw ValueError(::ember::detail::str_cat("[", type_name(), name_.empty() ? "" : " '" + name_ + "'",
                                   ".set_regularizer] no parameter named '", parameter_name, "': this module has ",
                                   names.empty() ? std::string("no parameters") : "parameters " + names,
                                   ". Hint: set it on the layer that owns the parameter, e.g. model.find(\"fc1\")"));
}

Regularizer Module::regularizer(std::string_view parameter_name) const {
  for (const Param& p : params_)
    if (p.name == parameter_name) return p.regularizer;
  std::string names;
  for (const Param& p : params_) names += (names.empty() ? "'" : ", '") + p.name + "'";
  throw ValueError(::ember::detail::str_cat("[", type_name(), ".regularizer] no parameter named '", parameter_name,
                                            "': this module has ",
                                            names.empty() ? std::string("no parameters") : "parameters " + names));
}

Module& Module::freeze(const std::vector<std::string>& names) {
  set_frozen(names, true, "freeze");
  return *this;
}

Module& Module::unfreeze(const std::vector<std::string>& names) {
  set_frozen(names, false, "unfreeze");
  return *this;
}

// ---- init ------------------------------------------------------------------------------------
Module& Module::set_init_method(InitMethodPtr weight_init, InitMethodPtr bias_init) {
  weight_init_ = std::move(weight_init);
  bias_init_ = std::move(bias_init);
  reset_parameters();
  return *this;
}

void Module::reset() {
  reset_parameters();
  for (auto& [k, c] : children_) c->reset();
}

void Module::init_parameter(Tensor& t, const InitMethodPtr& method, const InitMethod& fallback, int64_t fan_in,
                            int64_t fan_out) {
  (method ? *method : fallback).init(t, fan_in, fan_out, default_generator());
}

Module& Module::to(DType dtype) {
  EMBER_CHECK_TYPE(dtype == DType::Float32 || dtype == DType::Float64, "[", type_name(),
                   ".to] modules compute in float32 or float64, got ", dtype);
  for (Param& p : params_) {
    if (p.value->defined()) *p.value = p.value->to(dtype).contiguous().clone();
    if (p.grad->defined()) *p.grad = p.grad->to(dtype).contiguous().clone();
  }
  for (auto& [n, t] : buffers_)
    if (t->defined() && is_floating(t->dtype())) *t = t->to(dtype).clone();
  for (auto& [k, c] : children_) c->to(dtype);
  flat_weight_ = Tensor();
  flat_grad_ = Tensor();
  return *this;
}

// ---- mode, names -----------------------------------------------------------------------------
Module& Module::training() {
  train_ = true;
  for (auto& [k, c] : children_) c->training();
  return *this;
}

Module& Module::evaluate() {
  train_ = false;
  for (auto& [k, c] : children_) c->evaluate();
  return *this;
}

Module& Module::set_name(std::string name) {
  name_ = std::move(name);
  return *this;
}

ModulePtr Module::find(std::string_view path) {
  if (path.empty()) return shared_from_this();
  const size_t dot = path.find('.');
  const std::string_view head = path.substr(0, dot);
  for (auto& [k, c] : children_) {
    if (k == head) return dot == std::string_view::npos ? c : c->find(path.substr(dot + 1));
  }
  return nullptr;
}

// ---- display ---------------------------------------------------------------------------------
void Module::repr_into(std::string& out, int indent) const {
  out += std::string(type_name()) + "(" + extra_repr();
  if (children_.empty()) {
    out += ")";
    return;
  }
  out += "\n";
  for (const auto& [k, c] : children_) {
    out += std::string(indent + 2, ' ') + "(" + k + "): ";
    c->repr_into(out, indent + 2);
    out += "\n";
  }
  out += std::string(indent, ' ') + ")";
}

std::string Module::repr() const {
  std::string out;
  repr_into(out, 0);
  return out;
}

std::string Module::summary(const Shape& input_shape, DType dtype) {
  const bool was_training = train_;
  evaluate();
  try {
    forward(Activity(Tensor::zeros(input_shape, dtype)));
  } catch (...) {
    if (was_training) training();
    throw;
  }
  if (was_training) training();

  struct Row {
    std::string path, type, shape;
    int64_t params;
  };
  std::vector<Row> rows;
  std::function<void(Module&, const std::string&, int)> walk = [&](Module& m, const std::string& path, int depth) {
    int64_t own = 0;
    for (const Param& p : m.params_) own += p.value->numel();
    std::string shape = m.output().is_tensor() && m.output().tensor().defined()
                            ? ember::detail::str_cat(m.output().tensor().shape())
                            : m.output().describe();
    rows.push_back({std::string(depth * 2, ' ') + (path.empty() ? "(model)" : path), std::string(m.type_name()),
                    shape, own});
    for (auto& [k, c] : m.children_) walk(*c, path.empty() ? k : path + "." + k, depth + 1);
  };
  walk(*this, "", 0);
  size_t w0 = 5, w1 = 4, w2 = 12;
  for (const Row& r : rows) {
    w0 = std::max(w0, r.path.size());
    w1 = std::max(w1, r.type.size());
    w2 = std::max(w2, r.shape.size());
  }
  std::ostringstream os;
  os << std::left << std::setw(static_cast<int>(w0) + 2) << "Layer" << std::setw(static_cast<int>(w1) + 2) << "Type"
     << std::setw(static_cast<int>(w2) + 2) << "Output shape" << "Params\n";
  os << std::string(w0 + w1 + w2 + 14, '-') << "\n";
  for (const Row& r : rows)
    os << std::setw(static_cast<int>(w0) + 2) << r.path << std::setw(static_cast<int>(w1) + 2) << r.type
       << std::setw(static_cast<int>(w2) + 2) << r.shape << r.params << "\n";
  os << std::string(w0 + w1 + w2 + 14, '-') << "\n";
  const int64_t total = num_parameters();
  int64_t trainable = 0;
  for (auto& p : named_parameters())
    if (!p.frozen) trainable += p.value->numel();
  os << "Total parameters: " << total << " (trainable " << trainable << ")\n";
  return os.str();
}

// ---- TensorModule ----------------------------------------------------------------------------
void TensorModule::acc_grad_parameters(const Tensor&, const Tensor&) {}

const Activity& TensorModule::update_output(const Activity& input) {
  Module::output_ = update_output(input.tensor());
  return Module::output_;
}

const Activity& TensorModule::update_grad_input(const Activity& input, const Activity& grad_output) {
  Module::grad_input_ = update_grad_input(input.tensor(), grad_output.tensor());
  return Module::grad_input_;
}

void TensorModule::acc_grad_parameters(const Activity& input, const Activity& grad_output) {
  acc_grad_parameters(input.tensor(), grad_output.tensor());
}

const Tensor& TensorModule::forward(const Tensor& input) {
  Module::forward(Activity(input));
  return output_;
}

const Tensor& TensorModule::backward(const Tensor& input, const Tensor& grad_output) {
  Module::backward(Activity(input), Activity(grad_output));
  return grad_input_;
}

void check_input_dims(const Tensor& input, std::initializer_list<int64_t> dims, const char* what) {
  EMBER_CHECK(input.defined(), what, " is undefined");
  bool ok = false;
  for (int64_t d : dims) ok = ok || input.dim() == d;
  if (ok) return;
  std::ostringstream want;
  size_t i = 0;
  for (int64_t d : dims) want << (i++ ? " or " : "") << d << "-d";
  throw ShapeError(ember::detail::str_cat(what, " has the wrong number of dimensions: expected ", want.str(), ", got shape ",
                                   input.shape()));
}

}  // namespace ember::nn
