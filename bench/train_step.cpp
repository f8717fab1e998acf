// ember_bench: training-step throughput (forward + backward + SGD update on the flat buffers) of
// the benchmark models on fixed synthetic tensors, like bench/peers/bench_torch.py does for
// PyTorch: warm-up steps, then `runs` timed runs of `steps` iterations; one JSON line per case.
//
//   ember_bench --threads 2 [--only lenet_train_b128,catsdogs_train_b32] [--scale 1.0]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "ember/core/parallel.h"
#include "ember/nn/all.h"
#include "ember/tensor/ops.h"
#include "ember/tensor/random.h"

using namespace ember;
using namespace ember::nn;

namespace {

struct Case {
  std::string name;
  int64_t batch, steps, warmup, runs;
  std::function<std::pair<ModulePtr, CriterionPtr>()> build;
  Shape input;
  std::function<Tensor(int64_t)> target;
};

ModulePtr conv(int64_t in, int64_t out, int64_t k, int64_t pad) {
  return std::make_shared<Conv2d>(Conv2dOptions{.in_channels = in, .out_channels = out, .kernel_size = k, .padding = pad});
}

/// LeNet-5 as in BigDL's model zoo and bench_torch.py.
ModulePtr lenet5() {
  return std::make_shared<Sequential>(std::vector<ModulePtr>{
      conv(1, 6, 5, 0), std::make_shared<Tanh>(), std::make_shared<MaxPool2d>(MaxPool2dOptions{.kernel_size = 2}),
      conv(6, 12, 5, 0), std::make_shared<Tanh>(), std::make_shared<MaxPool2d>(MaxPool2dOptions{.kernel_size = 2}),
      std::make_shared<Flatten>(), std::make_shared<Linear>(LinearOptions{.in_features = 192, .out_features = 100}),
      std::make_shared<Tanh>(), std::make_shared<Linear>(LinearOptions{.in_features = 100, .out_features = 10}),
      std::make_shared<LogSoftMax>()});
}

/// The cats-vs-dogs CNN from the BigDL talk: 4 x (conv3x3 pad 1, ReLU, maxpool 2 ceil), dropout,
/// Linear 6272->512, ReLU, Linear 512->1, Sigmoid.
ModulePtr cats_dogs() {
  auto m = std::make_shared<Sequential>();
  const int64_t chans[] = {3, 32, 64, 128, 128};
  for (int i = 0; i < 4; ++i) {
    m->add(conv(chans[i], chans[i + 1], 3, 1));
    m->add(std::make_shared<ReLU>());
    m->add(std::make_shared<MaxPool2d>(MaxPool2dOptions{.kernel_size = 2, .ceil_mode = true}));
  }
  m->add(std::make_shared<Flatten>());
  m->add(std::make_shared<Dropout>(DropoutOptions{.p = 0.4}));
  m->add(std::make_shared<Linear>(LinearOptions{.in_features = 128 * 7 * 7, .out_features = 512}));
  m->add(std::make_shared<ReLU>());
  m->add(std::make_shared<Linear>(LinearOptions{.in_features = 512, .out_features = 1}));
  m->add(std::make_shared<Sigmoid>());
  return m;
}

Tensor class_labels(int64_t n, int64_t classes) {
  Tensor y = Tensor::empty({n}, DType::Int64);
  for (int64_t i = 0; i < n; ++i) y.data<int64_t>()[i] = static_cast<int64_t>(default_generator().next_below(classes));
  return y;
}

std::vector<Case> cases(double scale) {
  auto s = [scale](int64_t n) { return std::max<int64_t>(1, static_cast<int64_t>(n * scale + 0.5)); };
  std::vector<Case> out;
  for (auto [b, st] : {std::pair<int64_t, int64_t>{32, 200}, {128, 60}}) {
    out.push_back({"lenet_train_b" + std::to_string(b), b, s(st), 20, 7,
                   [] { return std::pair<ModulePtr, CriterionPtr>{lenet5(), std::make_shared<ClassNLLCriterion>()}; },
                   {b, 1, 28, 28}, [](int64_t n) { return class_labels(n, 10); }});
  }
  out.push_back({"catsdogs_train_b32", 32, s(4), 3, 7,
                 [] { return std::pair<ModulePtr, CriterionPtr>{cats_dogs(), std::make_shared<BCECriterion>()}; },
                 {32, 3, 112, 112}, [](int64_t n) { return class_labels(n, 2).to(DType::Float32).view({n, 1}); }});
  return out;
}

double now() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }

}  // namespace

int main(int argc, char** argv) {
  int threads = 2;
  double scale = 1.0;
  std::string only;
  for (int i = 1; i < argc; ++i) {
    const std::string f = argv[i];
    if (i + 1 >= argc) {
      std::fprintf(stderr, "ember_bench: flag %s needs a value\n", f.c_str());
      return 2;
    }
    if (f == "--threads") threads = std::atoi(argv[++i]);
    else if (f == "--scale") scale = std::atof(argv[++i]);
    else if (f == "--only") only = argv[++i];
    else {
      std::fprintf(stderr, "ember_bench: unknown flag %s\n", f.c_str());
      return 2;
    }
  }
  set_num_threads(threads);
  manual_seed(0);
  for (const Case& c : cases(scale)) {
    if (!only.empty() && only.find(c.name) == std::string::npos) continue;
    auto [model, crit] = c.build();
    model->training();
    model->set_propagate_back(false);  // no gradient w.r.t. the data, as in PyTorch (input without requires_grad)
    const Tensor x = Tensor::randn(c.input);
    const Tensor y = c.target(c.batch);
    auto [w, g] = model->get_parameters();
    const double lr = 0.05;
    auto step = [&] {
      model->zero_grad_parameters();
      const Activity& out = model->forward(x);
      crit->forward(out, y);
      model->backward(x, crit->backward(out, y));
      add_(w, g, -lr);
    };
    for (int64_t i = 0; i < c.warmup; ++i) step();
    std::vector<double> ips;
    for (int64_t r = 0; r < c.runs; ++r) {
      const double t0 = now();
      for (int64_t i = 0; i < c.steps; ++i) step();
      ips.push_back(static_cast<double>(c.batch * c.steps) / (now() - t0));
    }
    std::vector<double> sorted = ips;
    std::sort(sorted.begin(), sorted.end());
    std::printf("{\"case\": \"%s\", \"framework\": \"ember\", \"batch\": %lld, \"threads\": %d, \"min\": %.1f, "
                "\"median\": %.1f, \"max\": %.1f}\n",
                c.name.c_str(), static_cast<long long>(c.batch), threads, sorted.front(), sorted[sorted.size() / 2],
                sorted.back());
    std::fflush(stdout);
  }
  return 0;
}
