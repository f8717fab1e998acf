// `ember train`: trains a built-in model on a built-in data set with the local Optimizer, with
// validation on the test split, checkpoints, TensorBoard summaries and resume.
#include <cstdio>
#include <string>

#include "args.h"
#include "datasets.h"
#include "ember/core/parallel.h"
#include "ember/io/model_file.h"
#include "ember/models/models.h"
#include "ember/nn/criteria/class_nll_criterion.h"
#include "ember/optim/optim_method.h"
#include "ember/optim/schedules/epoch_step.h"
#include "ember/tensor/random.h"
#include "ember/train/optimizer.h"

namespace ember::apps {

int run_train(int argc, char** argv) {
  Args args("train", "Trains a built-in model on a data set, validating on its test split after every epoch.");
  args.flag("model", "lenet5", "lenet5, bigdl-cnn, vgg16-cifar or resnet20-cifar")
      .flag("data", "mnist", std::string("data set: ") + data_kinds())
      .flag("data-dir", "", "where the data set is (default: data/mnist, data/fashion-mnist)")
      .flag("epochs", "10", "epochs to train")
      .flag("batch-size", "128", "samples per iteration (any positive number)")
      .flag("optim", "sgd", "sgd, adam, adamw, adamax, adagrad, adadelta, rmsprop, ftrl or lbfgs")
      .flag("lr", "0.05", "learning rate")
      .flag("momentum", "0.9", "momentum (sgd, rmsprop)")
      .flag("weight-decay", "0", "L2 weight decay")
      .flag("lr-step", "0", "multiply the learning rate by --lr-gamma every this many epochs (0: constant)")
      .flag("lr-gamma", "0.1", "factor of --lr-step")
      .flag("augment", "", "random shifts (mnist, fashion-mnist) or flips (image folders) of the training images", true)
      .flag("checkpoint-dir", "", "write a checkpoint there after every epoch")
      .flag("resume", "", "continue from this checkpoint (a checkpoint or a checkpoint directory)")
      .flag("summary-dir", "", "write TensorBoard logs there (app name: the model name)")
      .flag("save", "", "save the trained model to this file")
      .flag("threads", "0", "compute threads (0: EMBER_NUM_THREADS or all cores)")
      .flag("workers", "1", "data loading threads")
      .flag("seed", "1", "seed for initialization, shuffling and augmentation")
      .flag("log-every", "0", "log a line every N iterations (0: a progress bar on a terminal, else 10 lines per epoch)")
      .flag("timing", "", "add the data/forward/backward/update split to each log line", true);
  args.parse(argc, argv);
  if (!args.positionals().empty()) args.fail("unexpected argument '" + args.positionals()[0] + "'");
  const int64_t epochs = args.integer("epochs"), batch_size = args.integer("batch-size");
  if (epochs < 1) args.fail("--epochs must be >= 1, got " + args.str("epochs"));
  if (batch_size < 1) args.fail("--batch-size must be >= 1, got " + args.str("batch-size"));
  if (args.integer("threads") > 0) set_num_threads(static_cast<int>(args.integer("threads")));
  if (!args.str("resume").empty()) args.require_file(args.str("resume"), "checkpoint");
  if (!args.str("data-dir").empty()) args.require_file(args.str("data-dir"), "data directory");
  const std::string model_name = args.str("model");
  bool known = false;
  for (const auto& n : models::model_names()) known = known || n == model_name;
  if (!known) args.fail("unknown model '" + model_name + "': expected lenet5, bigdl-cnn, vgg16-cifar or resnet20-cifar");

  manual_seed(static_cast<uint64_t>(args.integer("seed")));
  const std::vector<int64_t> input_shape = models::model_input_shape(model_name);
  DataSpec data = load_data(args.str("data"), args.str("data-dir"), input_shape, args.on("augment"));
  if (data.sample_shape != input_shape) {
    std::string want, got;
    for (auto d : input_shape) want += (want.empty() ? "" : ", ") + std::to_string(d);
    for (auto d : data.sample_shape) got += (got.empty() ? "" : ", ") + std::to_string(d);
    args.fail("model " + model_name + " takes samples of shape [" + want + "] but " + data.name + " has [" + got + "]");
  }
  auto model = models::make_model(model_name, {.num_classes = data.num_classes});

  nn::Config hyper = {{"learning_rate", args.real("lr")}};
  const std::string optim_name = args.str("optim");
  if (optim_name == "sgd" || optim_name == "rmsprop") hyper.push_back({"momentum", args.real("momentum")});
  if (args.real("weight-decay") != 0) hyper.push_back({"weight_decay", args.real("weight-decay")});
  std::shared_ptr<optim::OptimMethod> method = optim::make_optim_method(optim_name, hyper);
  if (args.integer("lr-step") > 0) {
    method->set_schedule(std::make_shared<optim::EpochStep>(
        optim::EpochStepOptions{.step_size = args.integer("lr-step"), .gamma = args.real("lr-gamma")}));
  }

  std::printf("%s\n", model->summary([&] {
                                Shape s({batch_size});
                                for (auto d : input_shape) s.push_back(d);
                                return s;
                              }())
                          .c_str());
  std::printf("model %s, data %s (%lld train / %lld test samples), %s, batch %lld, %d threads\n", model_name.c_str(),
              data.name.c_str(), static_cast<long long>(data.train->size()), static_cast<long long>(data.test->size()),
              method->repr().c_str(), static_cast<long long>(batch_size), num_threads());

  train::Optimizer opt(model, data.train, std::make_shared<nn::ClassNLLCriterion>(), batch_size);
  opt.set_optim_method(method)
      .set_end_when(optim::Trigger::max_epoch(epochs))
      .set_validation(optim::Trigger::every_epoch(), data.test,
                      {optim::make_validation_method("top1"), optim::make_validation_method("top5"),
                       std::make_shared<optim::Loss>(std::make_shared<nn::ClassNLLCriterion>())})
      .set_train_transform(data.train_transform)
      .set_validation_transform(data.test_transform)
      .set_data_options({.seed = static_cast<uint64_t>(args.integer("seed")),
                         .num_workers = static_cast<int>(args.integer("workers"))});
  train::LogOptions log;
  log.stream = stdout;
  log.timing_breakdown = args.on("timing");
  const int64_t per_epoch = (data.train->size() + batch_size - 1) / batch_size;
  if (args.integer("log-every") > 0) {
    log.log_every = args.integer("log-every");
    log.progress_bar = train::LogOptions::Bar::Off;
  } else {
    log.log_every = std::max<int64_t>(1, per_epoch / 10);
  }
  opt.set_log(log);
  if (!args.str("checkpoint-dir").empty()) opt.set_checkpoint(args.str("checkpoint-dir"), optim::Trigger::every_epoch());
  if (!args.str("resume").empty()) opt.resume_from(args.str("resume"));
  std::string summary_dir = args.str("summary-dir");
  if (!summary_dir.empty()) {
    opt.set_train_summary(std::make_shared<summary::TrainSummary>(summary_dir, model_name));
    opt.set_validation_summary(std::make_shared<summary::ValidationSummary>(summary_dir, model_name));
  }
  opt.optimize();

  const auto& v = opt.validation_history();
  if (!v.empty()) {
    const auto& top1 = v.back().results.front();
    std::printf("test accuracy: %.2f%% (%lld/%lld)\n", 100.0 * top1.value(), static_cast<long long>(top1.total),
                static_cast<long long>(top1.count));
  }
  std::printf("training time: %.1fs; per iteration: %s\n", opt.timing().total(), opt.timing().repr().c_str());
  if (!args.str("save").empty()) {
    io::save_module(*model, args.str("save"));
    std::printf("model saved to %s\n", args.str("save").c_str());
  }
  if (!opt.last_checkpoint().empty()) std::printf("last checkpoint: %s\n", opt.last_checkpoint().c_str());
  if (!summary_dir.empty())
    std::printf("TensorBoard logs: %s/%s (tensorboard --logdir %s)\n", summary_dir.c_str(), model_name.c_str(),
                summary_dir.c_str());
  return 0;
}

}  // namespace ember::apps
