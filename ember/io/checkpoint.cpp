#include "ember/io/checkpoint.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "ember/io/container_format.h"
#include "ember/io/file_util.h"
#include "ember/io/model_file.h"
#include "ember/io/state_file.h"

namespace ember::io {

namespace fs = std::filesystem;

namespace {

constexpr const char* kPrefix = "checkpoint-";

// The iteration of a directory named "checkpoint-<digits>", or -1.
int64_t parse_name(const std::string& name) {
  const size_t n = std::strlen(kPrefix);
  if (name.size() <= n || name.size() > n + 18 || name.compare(0, n, kPrefix) != 0) return -1;
  int64_t it = 0;
  for (size_t i = n; i < name.size(); ++i) {
    if (name[i] < '0' || name[i] > '9') return -1;
    it = it * 10 + (name[i] - '0');
  }
  return it;
}

bool is_complete(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p / CheckpointManager::kModelFile, ec) &&
         fs::is_regular_file(p / CheckpointManager::kStateFile, ec);
}

// Checkpoint directories of `dir` sorted by iteration (oldest first).
std::vector<std::pair<int64_t, std::string>> list_checkpoints(const std::string& dir) {
  std::vector<std::pair<int64_t, std::string>> out;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    const int64_t n = parse_name(name);
    if (n >= 0 && it->is_directory(ec)) out.emplace_back(n, name);
  }
  std::sort(out.begin(), out.end());
  return out;
}

[[noreturn]] void throw_fs(const std::string& what, const fs::path& p, const std::error_code& ec) {
  throw IOError(ember::detail::str_cat("[io.Checkpoint] ", p.string(), ": ", what, " failed: ", ec.message()));
}

std::string checkpoint_error(const std::string& path) { return "[io.Checkpoint] checkpoint '" + path + "': "; }

}  // namespace

CheckpointManager::CheckpointManager(std::string dir, int keep_last) : dir_(std::move(dir)), keep_last_(keep_last) {
  EMBER_CHECK(keep_last_ >= 1, "[io.CheckpointManager] keep_last must be at least 1, got ", keep_last_);
  EMBER_CHECK(!dir_.empty(), "[io.CheckpointManager] the directory is empty");
}

std::string CheckpointManager::checkpoint_name(int64_t iteration) {
  char buf[40];
  std::snprintf(buf, sizeof(buf), "%s%010lld", kPrefix, static_cast<long long>(iteration));
  return buf;
}

void CheckpointManager::remove_stale_temporaries() const {
  std::error_code ec;
  for (fs::directory_iterator it(dir_, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    const bool temp = name.rfind(std::string(".") + kPrefix, 0) == 0 &&
                      (name.ends_with(".tmp") || name.ends_with(".old"));
    std::error_code rm;
    if (temp) fs::remove_all(it->path(), rm);  // best effort: a leftover only costs disk space
  }
}

std::string CheckpointManager::save(int64_t iteration, const nn::Module& model, const StateDict& state) {
  EMBER_CHECK(iteration >= 0, "[io.CheckpointManager.save] iteration must be >= 0, got ", iteration);
  std::error_code ec;
  fs::create_directories(dir_, ec);
  if (ec) throw_fs("creating the checkpoint directory", dir_, ec);
  remove_stale_temporaries();

  const std::string name = checkpoint_name(iteration);
  const fs::path root(dir_), tmp = root / ("." + name + ".tmp"), old = root / ("." + name + ".old"),
                 final_dir = root / name;
  bool replaced = false, renamed = false;
  try {
    fs::create_directory(tmp, ec);
    if (ec) throw_fs("creating the temporary directory", tmp, ec);
    write_file_synced((tmp / kModelFile).string(), [&](FileWriter& w) { detail::write_model(model, w); });
    write_file_synced((tmp / kStateFile).string(), [&](FileWriter& w) { detail::write_state(state, w); });
    fsync_directory(tmp.string());
    // Saving an iteration again replaces its directory: move the old one aside until the new one is in place.
    if (fs::exists(final_dir, ec)) {
      fs::rename(final_dir, old, ec);
      if (ec) throw_fs("moving the previous checkpoint aside", final_dir, ec);
      replaced = true;
    }
    fs::rename(tmp, final_dir, ec);
    if (ec) throw_fs("renaming the temporary directory into place", final_dir, ec);
    renamed = true;
    fsync_directory(dir_);
    atomic_write_file((root / kLatestFile).string(), name + "\n");
  } catch (...) {
    std::error_code rm;
    fs::remove_all(tmp, rm);
    // Renamed into place but `latest` could not be updated: take it back out (`latest` is unchanged)
    // and put back the checkpoint it replaced, if any.
    if (renamed) fs::remove_all(final_dir, rm);
    if (replaced) fs::rename(old, final_dir, rm);
    throw;
  }
  std::error_code rm;
  if (replaced) fs::remove_all(old, rm);
  prune(name);
  return final_dir.string();
}

void CheckpointManager::prune(const std::string& keep) const {
  auto all = list_checkpoints(dir_);
  size_t excess = all.size() > static_cast<size_t>(keep_last_) ? all.size() - keep_last_ : 0;
  for (const auto& [n, name] : all) {
    if (excess == 0) break;
    if (name == keep) continue;
    std::error_code rm;
    fs::remove_all(fs::path(dir_) / name, rm);
    --excess;
  }
}

std::optional<std::string> CheckpointManager::latest(const std::string& dir) {
  const fs::path root(dir), pointer = root / kLatestFile;
  std::error_code ec;
  if (fs::exists(pointer, ec)) {
    std::string text = read_small_file(pointer.string(), 4096);
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    EMBER_CHECK_FORMAT(parse_name(text) >= 0, "[io.Checkpoint] ", pointer.string(),
                       ": expected a checkpoint name such as 'checkpoint-0000001000', got '",
                       text.substr(0, 80), "'");
    EMBER_CHECK_FORMAT(is_complete(root / text), "[io.Checkpoint] ", pointer.string(), ": points to '", text,
                       "', which does not exist or lacks ", kModelFile, "/", kStateFile);
    return (root / text).string();
  }
  auto all = list_checkpoints(dir);
  for (auto it = all.rbegin(); it != all.rend(); ++it)
    if (is_complete(root / it->second)) return (root / it->second).string();
  return std::nullopt;
}

Checkpoint CheckpointManager::load(const std::string& path) {
  std::error_code ec;
  std::string ckpt = path;
  if (!fs::exists(fs::path(path) / kModelFile, ec)) {
    EMBER_CHECK_IO(fs::is_directory(path, ec), "[io.Checkpoint] '", path,
                   "' is not a checkpoint directory nor a directory of checkpoints (it does not exist or is a file)");
    auto found = latest(path);
    EMBER_CHECK_IO(found.has_value(), "[io.Checkpoint] no checkpoint in '", path, "'");
    ckpt = *found;
  }
  Checkpoint c;
  c.model = load_module((fs::path(ckpt) / kModelFile).string());
  c.state = load_state((fs::path(ckpt) / kStateFile).string());
  c.path = ckpt;
  return c;
}

namespace {

void compare_tree(const std::string& where, const nn::Module& saved, const nn::Module& model, const std::string& path) {
  const std::string p = path.empty() ? "(root)" : path;
  EMBER_CHECK(saved.type_name() == model.type_name(), where, "module '", p, "' is ", saved.type_name(),
              " in the checkpoint but ", model.type_name(), " in the model: the checkpoint is from another model");
  const auto &a = saved.named_children(), &b = model.named_children();
  auto keys = [](const auto& cs) {
    std::string s;
    for (const auto& [k, c] : cs) s += (s.empty() ? "" : ", ") + k;
    return "[" + s + "]";
  };
  EMBER_CHECK(keys(a) == keys(b), where, "module '", p, "' has children ", keys(a), " in the checkpoint but ",
              keys(b), " in the model: the checkpoint is from another model");
  for (size_t i = 0; i < a.size(); ++i)
    compare_tree(where, *a[i].second, *b[i].second, path.empty() ? a[i].first : path + "." + a[i].first);
}

template <class Saved, class Mine, class GetName, class GetTensor>
void compare_tensors(const std::string& where, const char* what, const Saved& saved, const Mine& mine, GetName name,
                     GetTensor tensor) {
  EMBER_CHECK(saved.size() == mine.size(), where, "the checkpoint has ", saved.size(), " ", what, "s but the model has ",
              mine.size(), ": the checkpoint is from another model");
  for (size_t i = 0; i < saved.size(); ++i) {
    EMBER_CHECK(name(saved[i]) == name(mine[i]), where, what, " ", i, " is '", name(saved[i]),
                "' in the checkpoint but '", name(mine[i]), "' in the model: the checkpoint is from another model");
    const Tensor &s = tensor(saved[i]), &m = tensor(mine[i]);
    EMBER_CHECK(s.defined() == m.defined() && (!s.defined() || s.shape() == m.shape()), where, what, " '",
                name(saved[i]), "' has shape ", s.defined() ? ember::detail::str_cat(s.shape()) : "(none)",
                " in the checkpoint but ", m.defined() ? ember::detail::str_cat(m.shape()) : "(none)",
                " in the model: the checkpoint is from another model");
  }
}

}  // namespace

void CheckpointManager::load_into(const std::string& path, nn::Module& model, StateDict& state) {
  Checkpoint c = load(path);
  const std::string where = checkpoint_error(c.path);
  compare_tree(where, *c.model, model, "");
  auto saved_p = c.model->named_parameters(), mine_p = model.named_parameters();
  auto saved_b = c.model->named_buffers(), mine_b = model.named_buffers();
  compare_tensors(
      where, "parameter", saved_p, mine_p, [](const nn::NamedParameter& p) { return p.name; },
      [](const nn::NamedParameter& p) -> const Tensor& { return *p.value; });
  compare_tensors(
      where, "buffer", saved_b, mine_b, [](const auto& b) { return b.first; },
      [](const auto& b) -> const Tensor& { return *b.second; });
  // Everything matched: only now touch the model (a mismatch leaves it as it was).
  for (size_t i = 0; i < saved_p.size(); ++i)
    if (saved_p[i].value->defined()) mine_p[i].value->copy_(*saved_p[i].value);
  for (size_t i = 0; i < saved_b.size(); ++i)
    if (saved_b[i].second->defined()) mine_b[i].second->copy_(*saved_b[i].second);
  state = std::move(c.state);
}

}  // namespace ember::io
