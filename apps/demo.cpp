// `ember demo`: trains an MLP on a synthetic three-arm spiral (2-d points, 3 classes) with the
// Module/Criterion API and plain momentum SGD on the flat parameter buffers, shows progress and
// reports held-out accuracy. The MNIST LeNet-5 main job replaces it once data readers exist.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "ember/core/parallel.h"
#include "ember/nn/all.h"
#include "ember/tensor/ops.h"
#include "ember/tensor/random.h"
#include "progress.h"

namespace ember::apps {
namespace {

struct DemoArgs {
  int64_t epochs = 30;
  int64_t batch_size = 64;
  double lr = 0.1;
  double momentum = 0.9;
  uint64_t seed = 42;
  int threads = 0;
  int64_t points = 3000;
};

// Three interleaved spiral arms with noise; returns x [n, 2] and labels [n].
std::pair<Tensor, Tensor> spiral(int64_t n, Generator& g) {
  Tensor x = Tensor::empty({n, 2});
  Tensor y = Tensor::empty({n}, DType::Int64);
  float* px = x.data<float>();
  int64_t* py = y.data<int64_t>();
  for (int64_t i = 0; i < n; ++i) {
    const int64_t cls = static_cast<int64_t>(g.next_below(3));
    const double r = g.next_double();
    const double theta = cls * 2.0 * M_PI / 3.0 + r * 4.0 + 0.2 * g.next_normal();
    px[2 * i] = static_cast<float>(r * std::cos(theta));
    px[2 * i + 1] = static_cast<float>(r * std::sin(theta));
    py[i] = cls;
  }
  return {x, y};
}

[[noreturn]] void bad_flag(const std::string& msg) {
  std::fprintf(stderr, "ember demo: %s (see 'ember demo --help')\n", msg.c_str());
  std::exit(2);
}

DemoArgs parse(int argc, char** argv) {
  DemoArgs a;
  for (int i = 1; i < argc; ++i) {
    const std::string f = argv[i];
    if (f == "--help" || f == "-h") {
      std::printf(
          "usage: ember demo [--epochs N] [--batch-size N] [--lr X] [--momentum X] [--seed N] [--threads N]\n"
          "Trains Linear(2,64)-ReLU-Linear(64,64)-ReLU-Linear(64,3)-LogSoftMax on a synthetic spiral.\n");
      std::exit(0);
    }
    if (i + 1 >= argc) bad_flag("flag " + f + " needs a value");
    const std::string v = argv[++i];
    char* end = nullptr;
    const double num = std::strtod(v.c_str(), &end);
    if (end == v.c_str() || *end != '\0') bad_flag("flag " + f + " expects a number, got '" + v + "'");
    if (f == "--epochs") a.epochs = static_cast<int64_t>(num);
    else if (f == "--batch-size") a.batch_size = static_cast<int64_t>(num);
    else if (f == "--lr") a.lr = num;
    else if (f == "--momentum") a.momentum = num;
    else if (f == "--seed") a.seed = static_cast<uint64_t>(num);
    else if (f == "--threads") a.threads = static_cast<int>(num);
    else bad_flag("unknown flag " + f);
  }
  if (a.epochs < 1 || a.batch_size < 1) bad_flag("--epochs and --batch-size must be positive");
  return a;
}

}  // namespace

int run_demo(int argc, char** argv) {
  const DemoArgs args = parse(argc, argv);
  if (args.threads > 0) set_num_threads(args.threads);
  manual_seed(args.seed);
  Generator data_gen(args.seed + 1);
  auto [train_x, train_y] = spiral(args.points, data_gen);
  auto [test_x, test_y] = spiral(args.points / 3, data_gen);

  using namespace nn;
  auto model = std::make_shared<Sequential>(std::vector<ModulePtr>{
      std::make_shared<Linear>(LinearOptions{.in_features = 2, .out_features = 64}), std::make_shared<ReLU>(),
      std::make_shared<Linear>(LinearOptions{.in_features = 64, .out_features = 64}), std::make_shared<ReLU>(),
      std::make_shared<Linear>(LinearOptions{.in_features = 64, .out_features = 3}), std::make_shared<LogSoftMax>()});
  model->set_propagate_back(false);  // the data needs no gradient
  ClassNLLCriterion criterion;
  std::printf("%s\n", model->summary({args.batch_size, 2}).c_str());
  std::printf("threads: %d\n", num_threads());

  auto [weights, grads] = model->get_parameters();
  Tensor velocity = Tensor::zeros(weights.shape());
  const int64_t n = train_x.size(0);
  const int64_t steps_per_epoch = (n + args.batch_size - 1) / args.batch_size;
  Tensor perm = Tensor::empty({n}, DType::Int64);
  Progress progress("train", args.epochs * steps_per_epoch, steps_per_epoch);
  double loss = 0;
  int64_t step = 0;
  for (int64_t epoch = 0; epoch < args.epochs; ++epoch) {
    // Fisher-Yates shuffle from the seeded generator.
    int64_t* p = perm.data<int64_t>();
    for (int64_t i = 0; i < n; ++i) p[i] = i;
    for (int64_t i = n - 1; i > 0; --i) std::swap(p[i], p[default_generator().next_below(i + 1)]);
    model->training();
    for (int64_t b = 0; b < steps_per_epoch; ++b) {
      const int64_t lo = b * args.batch_size, len = std::min(args.batch_size, n - lo);
      const Tensor idx = perm.narrow(0, lo, len);
      const Tensor x = index_select(train_x, 0, idx), y = index_select(train_y, 0, idx);
      model->zero_grad_parameters();
      const Activity& out = model->forward(x);
      loss = criterion.forward(out, y);
      model->backward(x, criterion.backward(out, y));
      mul_(velocity, args.momentum);
      add_(velocity, grads);
      add_(weights, velocity, -args.lr);
      ++step;
      char extra[64];
      std::snprintf(extra, sizeof(extra), "epoch %lld loss %.4f", static_cast<long long>(epoch + 1), loss);
      progress.update(step, step * args.batch_size, extra);
    }
  }
  char fin[64];
  std::snprintf(fin, sizeof(fin), "final loss %.4f", loss);
  progress.finish(fin);

  model->evaluate();
  const Tensor pred = argmax(model->forward(test_x).tensor(), 1);
  const double correct = sum_all(eq(pred, test_y));
  std::printf("test accuracy: %.2f%% (%lld/%lld)\n", 100.0 * correct / test_x.size(0),
              static_cast<long long>(correct), static_cast<long long>(test_x.size(0)));
  return 0;
}

}  // namespace ember::apps
