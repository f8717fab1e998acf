#include "ember/train/optimizer.h"

#include <chrono>
#include <cinttypes>
#include <cmath>

#include "ember/core/error.h"
#include "ember/io/checkpoint.h"
#include "ember/optim/clipping.h"
#include "ember/optim/regularization.h"
#include "ember/tensor/random.h"

namespace ember::train {

namespace {
using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

std::string results_repr(const std::vector<optim::ValidationResult>& results) {
  std::string out;
  for (const auto& r : results) {
    if (!out.empty()) out += ", ";
    out += r.repr();
  }
  return out;
}

void save_rng(StateDict& st) {
  const Generator::State g = default_generator().state();
  Tensor s = Tensor::empty({4}, DType::Int64);
  for (int i = 0; i < 4; ++i) s.data<int64_t>()[i] = static_cast<int64_t>(g.s[i]);
  st.set("rng.s", s);
  st.set("rng.seed", static_cast<int64_t>(g.seed));
  st.set("rng.spare", g.spare);
  st.set("rng.has_spare", static_cast<int64_t>(g.has_spare));
}

void load_rng(const StateDict& st) {
  Generator::State g{};
  const Tensor& s = st.tensor("rng.s");
  EMBER_CHECK(s.numel() == 4 && s.dtype() == DType::Int64, "state 'rng.s' must hold 4 int64 values, got shape ",
              s.shape(), " ", s.dtype());
  for (int i = 0; i < 4; ++i) g.s[i] = static_cast<uint64_t>(s.contiguous().data<int64_t>()[i]);
  g.seed = static_cast<uint64_t>(st.integer("rng.seed"));
  g.spare = st.real("rng.spare");
  g.has_spare = st.integer("rng.has_spare") != 0;
  default_generator().set_state(g);
}
}  // namespace

Optimizer::Optimizer(nn::ModulePtr model, std::shared_ptr<const data::DataSet> train_set, nn::CriterionPtr criterion,
                     int64_t batch_size)
    : model_(std::move(model)), train_set_(std::move(train_set)), criterion_(std::move(criterion)),
      batch_size_(batch_size) {
  EMBER_CHECK(model_ != nullptr, "[Optimizer] model is null");
  EMBER_CHECK(train_set_ != nullptr, "[Optimizer] training data set is null");
  EMBER_CHECK(criterion_ != nullptr, "[Optimizer] criterion is null");
  EMBER_CHECK(batch_size_ >= 1, "[Optimizer] batch_size must be >= 1, got ", batch_size_);
  EMBER_CHECK(train_set_->size() >= 1, "[Optimizer] the training data set is empty");
}

Optimizer::~Optimizer() = default;
Optimizer::Optimizer(Optimizer&&) noexcept = default;
Optimizer& Optimizer::operator=(Optimizer&&) noexcept = default;

Optimizer& Optimizer::set_optim_method(std::shared_ptr<optim::OptimMethod> method) {
  EMBER_CHECK(method != nullptr, "[Optimizer] optim method is null");
  optim_ = std::move(method);
  return *this;
}
Optimizer& Optimizer::set_end_when(optim::Trigger trigger) {
  end_when_ = std::move(trigger);
  return *this;
}
Optimizer& Optimizer::set_validation(optim::Trigger trigger, std::shared_ptr<const data::DataSet> val_set,
                                     std::vector<std::shared_ptr<optim::ValidationMethod>> methods, int64_t batch_size) {
  EMBER_CHECK(val_set != nullptr && val_set->size() > 0, "[Optimizer] validation data set is null or empty");
  EMBER_CHECK(!methods.empty(), "[Optimizer] set_validation needs at least one validation method");
  for (const auto& m : methods) EMBER_CHECK(m != nullptr, "[Optimizer] a validation method is null");
  EMBER_CHECK(batch_size >= 0, "[Optimizer] validation batch_size must be >= 0 (0: the training batch size), got ",
              batch_size);
  validation_ = Validation{std::move(trigger), std::move(val_set), std::move(methods), batch_size};
  return *this;
}
Optimizer& Optimizer::set_checkpoint(std::string dir, optim::Trigger trigger, int keep_last) {
  EMBER_CHECK(!dir.empty(), "[Optimizer] checkpoint directory is empty");
  EMBER_CHECK(keep_last >= 1, "[Optimizer] keep_last must be >= 1, got ", keep_last);
  checkpoint_ = Checkpointing{std::move(dir), std::move(trigger), keep_last};
  return *this;
}
Optimizer& Optimizer::set_train_summary(std::shared_ptr<summary::TrainSummary> summary) {
  train_summary_ = std::move(summary);
  return *this;
}
Optimizer& Optimizer::set_validation_summary(std::shared_ptr<summary::ValidationSummary> summary) {
  validation_summary_ = std::move(summary);
  return *this;
}
Optimizer& Optimizer::set_constant_gradient_clipping(double min, double max) {
  EMBER_CHECK(min <= max, "[Optimizer] constant gradient clipping needs min <= max, got min=", min, ", max=", max);
  clipping_ = Clipping::Constant;
  clip_min_ = min;
  clip_max_ = max;
  return *this;
}
Optimizer& Optimizer::set_gradient_clipping_by_l2_norm(double max_norm) {
  EMBER_CHECK(max_norm > 0, "[Optimizer] gradient clipping max_norm must be > 0, got ", max_norm);
  clipping_ = Clipping::L2Norm;
  clip_norm_ = max_norm;
  return *this;
}
Optimizer& Optimizer::disable_gradient_clipping() {
  clipping_ = Clipping::None;
  return *this;
}
Optimizer& Optimizer::set_train_transform(data::TransformerPtr transform) {
  train_transform_ = std::move(transform);
  return *this;
}
Optimizer& Optimizer::set_validation_transform(data::TransformerPtr transform) {
  validation_transform_ = std::move(transform);
  return *this;
}
Optimizer& Optimizer::set_data_options(DataOptions options) {
  EMBER_CHECK(options.num_workers >= 0 && options.prefetch >= 1,
              "[Optimizer] data options need num_workers >= 0 and prefetch >= 1, got num_workers=", options.num_workers,
              ", prefetch=", options.prefetch);
  data_options_ = options;
  return *this;
}
Optimizer& Optimizer::set_log(LogOptions options) {
  log_options_ = options;
  return *this;
}
Optimizer& Optimizer::resume_from(std::string checkpoint) {
  resume_from_ = std::move(checkpoint);
  return *this;
}

double Optimizer::forward_backward(const data::MiniBatch& batch, PhaseTimes& times) {
  auto t = Clock::now();
  gradients_.zero_();
  const nn::Activity& out = model_->forward(batch.input);
  const double loss = criterion_->forward(out, batch.target);
  times.forward += seconds_since(t);
  t = Clock::now();
  model_->backward(batch.input, criterion_->backward(out, batch.target));
  optim::apply_regularization(*model_);
  times.backward += seconds_since(t);
  return loss;
}

void Optimizer::check_loss(double loss) const {
  EMBER_CHECK(std::isfinite(loss), "[Optimizer] the loss is ", loss, " at epoch ", state_.epoch, ", iteration ",
              state_.iteration + 1, ": training diverged (try a smaller learning rate or gradient clipping)");
}

void Optimizer::clip_gradients(Tensor& grad, double squared_norm) const {
  if (clipping_ == Clipping::Constant) optim::clip_by_value(grad, clip_min_, clip_max_);
  if (clipping_ == Clipping::L2Norm) optim::clip_by_global_norm(grad, clip_norm_, squared_norm);
}

double Optimizer::step(const data::MiniBatch& batch, PhaseTimes& times) {
  // The closure captures two pointers, which std::function stores without allocating.
  struct StepContext {
    const data::MiniBatch& batch;
    PhaseTimes& times;
    double fb_seconds = 0;
  } ctx{batch, times};
  const auto t_update = Clock::now();
  const double loss = optim_->optimize(
      [this, &ctx](const Tensor&) {
        const auto t = Clock::now();
        const double l = forward_backward(ctx.batch, ctx.times);
        const auto t_clip = Clock::now();
        clip_gradients(gradients_, clips_by_norm() ? optim::squared_norm(gradients_) : 0.0);
        ctx.times.backward += seconds_since(t_clip);
        check_loss(l);
        ctx.fb_seconds += seconds_since(t);
        return std::pair<double, Tensor>{l, gradients_};
      },
      weights_);
  times.update += seconds_since(t_update) - ctx.fb_seconds;
  return loss;
}

std::vector<optim::ValidationResult> Optimizer::evaluate(
    nn::Module& model, std::shared_ptr<const data::DataSet> data,
    const std::vector<std::shared_ptr<optim::ValidationMethod>>& methods, int64_t batch_size,
    data::TransformerPtr transform) {
  const bool was_training = model.is_training();
  model.evaluate();
  data::DataLoader loader(std::move(data), {.batch_size = batch_size, .shuffle = false, .num_workers = 1,
                                            .transform = std::move(transform)});
  std::vector<optim::ValidationResult> results(methods.size());
  loader.start_epoch(1);
  data::MiniBatch batch;
  bool first = true;
  while (loader.next(batch)) {
    const nn::Activity& out = model.forward(batch.input);
    for (size_t i = 0; i < methods.size(); ++i) {
      optim::ValidationResult r = methods[i]->evaluate(out, batch.target);
      if (first) results[i] = std::move(r);
      else results[i].merge(r);
    }
    first = false;
  }
  if (was_training) model.training();
  return results;
}

void Optimizer::write_train_summary(double loss, double throughput, double lr) {
  auto fires = [&](const std::optional<optim::Trigger>& t) { return t && (*t)(state_); };
  if (fires(summary_triggers_[0])) train_summary_->add_scalar("Loss", static_cast<float>(loss), state_.iteration);
  if (fires(summary_triggers_[1]))
    train_summary_->add_scalar("Throughput", static_cast<float>(throughput), state_.iteration);
  if (fires(summary_triggers_[2])) train_summary_->add_scalar("LearningRate", static_cast<float>(lr), state_.iteration);
  if (fires(summary_triggers_[3])) {
    for (const nn::NamedParameter& p : model_->named_parameters()) {
      train_summary_->add_histogram(p.name, *p.value, state_.iteration);
      if (has_whole_gradients()) train_summary_->add_histogram(p.name + "/grad", *p.grad, state_.iteration);
    }
  }
}

void Optimizer::validate() {
  const auto t = Clock::now();
  const int64_t bs = validation_->batch_size > 0 ? validation_->batch_size : loader_batch_size_;
  auto results = evaluate(*model_, validation_->data, validation_->methods, bs, validation_transform_);
  merge_validation(results);
  state_.score = results.front().value();
  optim_->record("score", *state_.score);
  if (validation_summary_ && writes_outputs()) {
    for (const auto& r : results) validation_summary_->add_scalar(r.name, static_cast<float>(r.value()), state_.iteration);
  }
  char head[96];
  std::snprintf(head, sizeof(head), "[Validation] epoch %" PRId64 ", iteration %" PRId64 " (%.2fs): ",
                state_.epoch, state_.iteration, seconds_since(t));
  log_->line(head + results_repr(results));
  validation_history_.push_back({state_.epoch, state_.iteration, std::move(results)});
}

StateDict Optimizer::trainer_state() const {
  StateDict st;
  // Where the next iteration starts: after an epoch's last batch, at the start of the next epoch.
  st.set("trainer.epoch", state_.epoch_end ? state_.epoch + 1 : state_.epoch);
  st.set("trainer.iteration", state_.iteration);
  st.set("trainer.batch_in_epoch", state_.epoch_end ? 0 : batch_in_epoch_);
  st.set("trainer.records_in_epoch", state_.epoch_end ? 0 : records_in_epoch_);
  st.set("trainer.loss", state_.loss);
  if (state_.score) st.set("trainer.score", *state_.score);
  st.set("trainer.batch_size", batch_size_);
  st.set("trainer.seed", static_cast<int64_t>(data_options_.seed));
  return st;
}

StateDict Optimizer::local_state() const {
  StateDict st;
  st.merge(optim_->state_dict(), "optim.");
  st.set("optim.type", std::string(optim_->type_name()));
  save_rng(st);
  return st;
}

StateDict Optimizer::checkpoint_state() {
  StateDict st = trainer_state();
  st.merge(local_state());
  return st;
}

void Optimizer::write_checkpoint() {
  const auto t = Clock::now();
  StateDict st = checkpoint_state();  // on every process: a distributed trainer gathers here
  if (!writes_outputs()) return;
  io::CheckpointManager manager(checkpoint_->dir, checkpoint_->keep_last);
  last_checkpoint_ = manager.save(state_.iteration, *model_, st);
  char buf[64];
  std::snprintf(buf, sizeof(buf), " (%.2fs)", seconds_since(t));
  log_->line("[Checkpoint] iteration " + std::to_string(state_.iteration) + " saved to " + last_checkpoint_ + buf);
}

StateDict Optimizer::read_checkpoint(const std::string& path, std::string& loaded) {
  StateDict st;
  loaded = io::CheckpointManager::latest(path).value_or(path);
  io::CheckpointManager::load_into(loaded, *model_, st);
  return st;
}

void Optimizer::load_trainer_state(const StateDict& st, const std::string& loaded) {
  const std::string type = st.string("optim.type");
  EMBER_CHECK(type == optim_->type_name(), "[Optimizer] checkpoint '", loaded, "' was trained with ", type,
              " but the optimizer is set to ", optim_->type_name());
  EMBER_CHECK(st.integer("trainer.batch_size") == batch_size_, "[Optimizer] checkpoint '", loaded,
              "' was trained with batch_size ", st.integer("trainer.batch_size"), ", now ", batch_size_,
              ": resuming exactly needs the same batch size");
  state_.epoch = st.integer("trainer.epoch");
  state_.iteration = st.integer("trainer.iteration");
  state_.loss = st.real("trainer.loss");
  if (st.contains("trainer.score")) state_.score = st.real("trainer.score");
  batch_in_epoch_ = st.integer("trainer.batch_in_epoch");
  records_in_epoch_ = st.integer("trainer.records_in_epoch");
  data_options_.seed = static_cast<uint64_t>(st.integer("trainer.seed"));
  log_->line("[Resume] from " + loaded + " at epoch " + std::to_string(state_.epoch) + ", iteration " +
             std::to_string(state_.iteration));
}

void Optimizer::load_local_state(const StateDict& st) {
  optim_->load_state_dict(st.sub("optim."));
  load_rng(st);
}

void Optimizer::restore_checkpoint(const std::string& path) {
  std::string loaded;
  const StateDict st = read_checkpoint(path, loaded);
  EMBER_CHECK(!st.contains("dist.world_size"), "[Optimizer] checkpoint '", loaded,
              "' was written by distributed training on ", st.integer("dist.world_size"),
              " ranks: resume it with a dist::DistributedOptimizer on as many ranks");
  load_trainer_state(st, loaded);
  load_local_state(st);
}

void Optimizer::begin_training() {
  if (!resume_from_.empty()) restore_checkpoint(resume_from_);
}

Optimizer::TrainingData Optimizer::training_data() {
  return {.data = train_set_, .batch_size = batch_size_, .seed = data_options_.seed};
}

std::string Optimizer::settings_repr() const {
  std::string out = "batch_size=" + std::to_string(batch_size_);
  out += ", optim=" + (optim_ ? optim_->repr() : std::string("default"));
  out += ", end_when=" + (end_when_ ? end_when_->repr() : std::string("default"));
  if (validation_) {
    out += ", validation=" + validation_->trigger.repr() + " [";
    for (size_t i = 0; i < validation_->methods.size(); ++i)
      out += (i ? ", " : "") + validation_->methods[i]->name();
    out += "]";
  } else {
    out += ", validation=none";
  }
  out += ", checkpoint=" + (checkpoint_ ? checkpoint_->trigger.repr() : std::string("none"));
  char clip[96];
  if (clipping_ == Clipping::Constant) std::snprintf(clip, sizeof(clip), "value(%.17g, %.17g)", clip_min_, clip_max_);
  else if (clipping_ == Clipping::L2Norm) std::snprintf(clip, sizeof(clip), "l2_norm(%.17g)", clip_norm_);
  else std::snprintf(clip, sizeof(clip), "none");
  out += std::string(", clipping=") + clip;
  out += ", shuffle=" + std::string(data_options_.shuffle ? "true" : "false");
  out += ", seed=" + std::to_string(data_options_.seed);
  return out;
}

nn::ModulePtr Optimizer::optimize() {
  if (!optim_) optim_ = optim::make_optim_method("sgd", {{"learning_rate", 0.01}});
  if (!end_when_) end_when_ = optim::Trigger::max_epoch(10);
  log_ = std::make_unique<TrainingLog>(effective_log_options(log_options_));
  if (train_summary_) {
    // Read once: the summary's triggers are checked every iteration.
    const char* names[] = {"Loss", "Throughput", "LearningRate", "Parameters"};
    for (int i = 0; i < 4; ++i) summary_triggers_[i] = train_summary_->summary_trigger(names[i]);
  }
  model_->training();
  // Training never needs the gradient w.r.t. the model's input, and for a first convolution it costs
  // more than the forward pass (LeNet-5: ~2x slower steps). Turned off for the run, restored after it.
  struct PropagateBackGuard {
    nn::Module& m;
    bool was;
    ~PropagateBackGuard() {
      if (was) m.set_propagate_back(true);
    }
  } propagate_back_guard{*model_, model_->propagate_back()};
  model_->set_propagate_back(false);
  try {
    std::tie(weights_, gradients_) = model_->get_parameters();
    begin_training();
    train_loop();
  } catch (const std::exception& e) {
    // The loader stays: its workers are joined when the Optimizer goes (Python releases the GIL then).
    on_failure(e.what());
    throw;
  } catch (...) {
    on_failure("an exception that is not a std::exception");
    throw;
  }
  loader_.reset();
  return model_;
}

void Optimizer::train_loop() {
  const TrainingData source = training_data();
  loader_batch_size_ = source.batch_size;
  loader_ = std::make_unique<data::DataLoader>(
      source.data, data::DataLoaderOptions{.batch_size = source.batch_size,
                                           .shuffle = data_options_.shuffle,
                                           .seed = source.seed,
                                           .drop_last = false,
                                           .num_workers = data_options_.num_workers,
                                           .prefetch = data_options_.prefetch,
                                           .transform = train_transform_});
  const int64_t epoch_size = source.epoch_records > 0 ? source.epoch_records : source.data->size();
  const int64_t batches_per_epoch = loader_->num_batches();
  bool epoch_started = false;
  PhaseTimes epoch_times;
  auto epoch_start = Clock::now();
  data::MiniBatch batch;
  state_.epoch_end = false;

  while (!(*end_when_)(state_)) {
    if (!epoch_started) {
      optim_->set_epoch(state_.epoch);
      begin_epoch(state_.epoch);
      loader_->start_epoch(state_.epoch, batch_in_epoch_);
      epoch_started = true;
      epoch_times = {};
      epoch_start = Clock::now();
    }
    PhaseTimes times;
    times.iterations = 1;
    const auto t0 = Clock::now();
    const bool got = loader_->next(batch);
    EMBER_INTERNAL_ASSERT(got, "the data loader ended epoch ", state_.epoch, " after ", batch_in_epoch_, " of ",
                          batches_per_epoch, " batches");
    times.data = seconds_since(t0);

    const double lr = optim_->learning_rate();
    const double loss = step(batch, times);
    const double seconds = seconds_since(t0);
    const int64_t records = source.iteration_records > 0 ? source.iteration_records : batch.size;

    state_.iteration += 1;
    state_.loss = loss;
    batch_in_epoch_ += 1;
    records_in_epoch_ += records;
    optim_->record("loss", loss);
    epoch_times.add(times);
    total_times_.add(times);
    const double throughput = seconds > 0 ? records / seconds : 0.0;
    history_.push_back({state_.epoch, state_.iteration, loss, throughput, lr});
    log_->iteration({.epoch = state_.epoch,
                     .iteration = state_.iteration,
                     .records_in_epoch = records_in_epoch_,
                     .epoch_size = epoch_size,
                     .batch_records = records,
                     .seconds = seconds,
                     .epoch_seconds = seconds_since(epoch_start),
                     .loss = loss,
                     .learning_rate = lr,
                     .phases = times});
    if (train_summary_ && writes_outputs()) write_train_summary(loss, throughput, lr);

    // Trigger order (see optim/trigger.h): per-iteration triggers see epoch_end on the epoch's last
    // batch with the epoch not yet advanced; the end trigger sees the advanced epoch.
    state_.epoch_end = batch_in_epoch_ == batches_per_epoch;
    if (state_.epoch_end) log_->epoch_end(state_.epoch, records_in_epoch_, seconds_since(epoch_start), loss, epoch_times);
    if (validation_ && validation_->trigger(state_)) validate();
    if (checkpoint_ && checkpoint_->trigger(state_)) write_checkpoint();
    if (state_.epoch_end) {
      state_.epoch += 1;
      batch_in_epoch_ = 0;
      records_in_epoch_ = 0;
      epoch_started = false;
    }
    state_.epoch_end = false;
  }
}

}  // namespace ember::train
