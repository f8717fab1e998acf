#include "ember/dist/mesh.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <thread>

#include "ember/core/error.h"

namespace ember::dist::detail {

namespace {

using ::ember::detail::str_cat;

constexpr uint8_t kMagic0 = 'E', kMagic1 = 'C';
/// Bytes one pump moves on one socket before the loop turns to the others, so that a fast sender
/// cannot starve this rank's own sends (and the other way round).
constexpr size_t kPumpBytes = size_t{1} << 20;
/// How long a rank that lost a peer listens for an abort frame explaining why (the failing rank,
/// or a rank that saw it first, may have sent one) before it reports the loss itself.
constexpr double kAbortScanSeconds = 0.2;
/// How long an aborting rank waits for its peers to close after its abort frame (see abort_all).
constexpr double kLingerSeconds = 0.5;
/// At most this long is spent delivering abort frames.
constexpr double kAbortSendSeconds = 1.0;

void put_u32(uint8_t* p, uint32_t x) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<uint8_t>(x >> (8 * i));
}
void put_u64(uint8_t* p, uint64_t x) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<uint8_t>(x >> (8 * i));
}
uint32_t get_u32(const uint8_t* p) {
  uint32_t x = 0;
  for (int i = 0; i < 4; ++i) x |= static_cast<uint32_t>(p[i]) << (8 * i);
  return x;
}
uint64_t get_u64(const uint8_t* p) {
  uint64_t x = 0;
  for (int i = 0; i < 8; ++i) x |= static_cast<uint64_t>(p[i]) << (8 * i);
  return x;
}

double seconds_left(Deadline d) { return std::chrono::duration<double>(d - Clock::now()).count(); }

/// poll() timeout in ms for `seconds` (rounded up, so a deadline is never polled short).
int poll_ms(double seconds) {
  if (seconds <= 0) return 0;
  return static_cast<int>(std::min(std::ceil(seconds * 1000.0), 60000.0));
}

/// "2", "0.5", "300": seconds as people write them.
std::string format_seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.3g", s);
  return buf;
}

bool would_block(int err) { return err == EAGAIN || err == EWOULDBLOCK; }

}  // namespace

const char* op_name(OpKind op) {
  switch (op) {
    case OpKind::None: return "none";
    case OpKind::AllReduce: return "all_reduce";
    case OpKind::ReduceScatter: return "reduce_scatter";
    case OpKind::AllGather: return "all_gather";
    case OpKind::Broadcast: return "broadcast";
    case OpKind::Barrier: return "barrier";
    case OpKind::BroadcastBytes: return "broadcast_bytes";
    case OpKind::GatherBytes: return "gather_bytes";
    case OpKind::AllGatherBytes: return "all_gather_bytes";
    case OpKind::ScatterBytes: return "scatter_bytes";
  }
  return "unknown";
}

std::array<uint8_t, kHeaderBytes> encode_header(const FrameHeader& h) {
  std::array<uint8_t, kHeaderBytes> b{};
  b[0] = kMagic0;
  b[1] = kMagic1;
  b[2] = static_cast<uint8_t>(h.type);
  b[3] = static_cast<uint8_t>(h.op);
  put_u32(b.data() + 4, h.seq);
  put_u64(b.data() + 8, h.length);
  return b;
}

bool decode_header(const uint8_t* b, FrameHeader* out) {
  if (b[0] != kMagic0 || b[1] != kMagic1) return false;
  if (b[2] != static_cast<uint8_t>(FrameType::Data) && b[2] != static_cast<uint8_t>(FrameType::Abort)) return false;
  if (b[3] > static_cast<uint8_t>(OpKind::ScatterBytes)) return false;
  out->type = static_cast<FrameType>(b[2]);
  out->op = static_cast<OpKind>(b[3]);
  out->seq = get_u32(b + 4);
  out->length = get_u64(b + 8);
  return true;
}

std::vector<uint8_t> encode_abort(int failed_rank, int reporter, std::string_view cause) {
  cause = cause.substr(0, kMaxAbortBytes - 8);
  const auto header = encode_header({FrameType::Abort, OpKind::None, 0, 8 + cause.size()});
  std::vector<uint8_t> out(header.begin(), header.end());
  out.resize(kHeaderBytes + 8);
  put_u32(out.data() + kHeaderBytes, static_cast<uint32_t>(failed_rank));
  put_u32(out.data() + kHeaderBytes + 4, static_cast<uint32_t>(reporter));
  out.insert(out.end(), cause.begin(), cause.end());
  return out;
}

struct Mesh::Channel {
  std::optional<Connection> conn;
  std::atomic<bool> eof{false};  // the peer closed or reset while idle: not watched any more
  bool data_waiting = false;  // idle, and a data frame of a later operation waits: not watched this run
  SendJob* send = nullptr;
  RecvJob* recv = nullptr;
  // The outgoing frame in progress.
  bool out_frame = false;
  std::array<uint8_t, kHeaderBytes> out_hdr{};
  size_t out_hdr_sent = 0;
  uint64_t out_len = 0, out_sent = 0;
  std::atomic<bool> want_write{false};  // the socket was full: wait for POLLOUT before sending more
  // The incoming frame in progress.
  bool in_frame = false;
  std::array<uint8_t, kHeaderBytes> in_hdr{};
  size_t in_hdr_got = 0;
  uint64_t in_len = 0, in_got = 0;
  bool heard = false;  // a data frame of this run came from the peer (it is alive and in the operation)

  int fd() const { return conn ? conn->fd() : -1; }
  bool watched_idle() const { return conn && !eof && !data_waiting; }
};

Mesh::Mesh(int rank, int world_size, std::vector<std::string> addresses, double timeout)
    : rank_(rank), world_(world_size), addresses_(std::move(addresses)), timeout_(timeout), channels_(world_size) {}

/// The thread that runs one channel's send job in run() (set_send with own_thread).
struct Mesh::SenderThread {
  std::thread thread;
  std::mutex mu;
  std::condition_variable cv;
  bool work = false, quit = false, finished = true;  // under mu
  int peer = -1;                                     // under mu
  std::optional<MeshFailure> failure;                // under mu
  std::atomic<bool> stop{false};
  std::atomic<bool> wants_data{false};  // it sleeps until the receiving side processes more data
  int wake_fd = -1;                     // eventfd: run() -> sender (data ready, stop)
  int done_fd = -1;                     // eventfd: sender -> run() (finished or failed)
  ~SenderThread() {
    if (wake_fd >= 0) ::close(wake_fd);
    if (done_fd >= 0) ::close(done_fd);
  }
};

Mesh::~Mesh() {
  if (sender_) {
    stop_sender();
    {
      std::lock_guard<std::mutex> lock(sender_->mu);
      sender_->quit = true;
    }
    sender_->cv.notify_all();
    sender_->thread.join();
  }
}

std::string Mesh::who(int peer) const { return str_cat("rank ", peer, " (", addresses_[peer], ")"); }

void Mesh::add(int peer, Connection connection) {
  // Socket buffers are left to the kernel's autotuning (TCP_NODELAY is set by Connection): it grows
  // them to tcp_rmem/tcp_wmem's maximum (6 MiB / 4 MiB on a stock kernel) as the stream needs, while
  // setting SO_RCVBUF/SO_SNDBUF turns autotuning off and is capped at net.core.rmem_max/wmem_max
  // (208 KiB on a stock kernel), which would make the buffers smaller, not larger.
  channels_[peer].conn.emplace(std::move(connection));
}

bool Mesh::connected(int peer) const { return channels_[peer].conn.has_value(); }

void Mesh::set_send(int peer, SendJob* job, bool own_thread) {
  channels_[peer].send = job;
  if (own_thread && job != nullptr) threaded_peer_ = peer;
}
void Mesh::set_recv(int peer, RecvJob* job) { channels_[peer].recv = job; }

void Mesh::lost(int peer, int err, const char* doing) {
  // A send that fails (EPIPE, ECONNRESET) does not end the receiving side: a peer that aborted and
  // closed has usually sent its abort frame first, and it may still wait in this socket's receive
  // buffer. Such a channel stays watched, so scan_for_abort() reads the frame and names the cause.
  if (std::strcmp(doing, "sending") != 0) channels_[peer].eof = true;
  const std::string why = err == 0            ? "peer closed the connection"
                          : err == ECONNRESET ? "connection reset by the peer"
                          : err == EPIPE      ? "broken pipe (the peer closed the connection)"
                                              : std::strerror(err);
  throw MeshFailure{MeshFailure::Lost, peer, rank_, str_cat("lost connection to ", who(peer), " while ", doing, ": ", why)};
}

void Mesh::malformed(int peer, const std::string& what) {
  throw MeshFailure{MeshFailure::Malformed, peer, rank_, str_cat("malformed frame from ", who(peer), ": ", what)};
}

void Mesh::timed_out(int peer, double after) {
  throw MeshFailure{MeshFailure::Timeout, peer, rank_,
                    str_cat("timed out after ", format_seconds(after), " s waiting for ", who(peer))};
}

void Mesh::read_abort(int peer, uint64_t length) {
  if (length < 8 || length > kMaxAbortBytes)
    malformed(peer, str_cat("abort frame of ", length, " bytes, expected 8 to ", kMaxAbortBytes));
  std::vector<uint8_t> payload(static_cast<size_t>(length));
  try {
    // Sent in one piece right after its header: it is here or about to be.
    channels_[peer].conn->recv_all(payload.data(), payload.size(), deadline_in(kAbortSendSeconds));
  } catch (const RuntimeError&) {
    lost(peer, 0, "reading an abort frame");
  }
  bytes_received_ += length;
  int failed = static_cast<int32_t>(get_u32(payload.data()));
  int reporter = static_cast<int32_t>(get_u32(payload.data() + 4));
  if (failed < -1 || failed >= world_) failed = -1;
  if (reporter < 0 || reporter >= world_) reporter = peer;
  throw MeshFailure{MeshFailure::Remote, failed, reporter,
                    std::string(reinterpret_cast<const char*>(payload.data()) + 8, payload.size() - 8)};
}

void Mesh::pump_send(int peer) {
  Channel& ch = channels_[peer];
  size_t budget = kPumpBytes;
  while (ch.send != nullptr) {
    if (!ch.out_frame) {
      const int64_t len = ch.send->next_frame();
      if (len < 0) {
        ch.send = nullptr;
        return;
      }
      ch.out_hdr = encode_header({FrameType::Data, op_, seq_, static_cast<uint64_t>(len)});
      ch.out_frame = true;
      ch.out_hdr_sent = 0;
      ch.out_len = static_cast<uint64_t>(len);
      ch.out_sent = 0;
    }
    std::span<const uint8_t> data;
    if (ch.out_sent < ch.out_len) {
      data = ch.send->ready(ch.out_sent);
      if (data.empty()) return;  // waits for data this rank has yet to receive (a frame starts with data)
      data = data.first(std::min<uint64_t>({data.size(), ch.out_len - ch.out_sent, budget}));
    }
    iovec iov[2];
    int n = 0;
    size_t want = 0;
    if (ch.out_hdr_sent < kHeaderBytes) {
      iov[n++] = {ch.out_hdr.data() + ch.out_hdr_sent, kHeaderBytes - ch.out_hdr_sent};
      want += kHeaderBytes - ch.out_hdr_sent;
    }
    if (!data.empty()) {
      iov[n++] = {const_cast<uint8_t*>(data.data()), data.size()};
      want += data.size();
    }
    msghdr msg{};
    msg.msg_iov = iov;
    msg.msg_iovlen = n;
    const ssize_t k = ::sendmsg(ch.fd(), &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (k < 0) {
      if (errno == EINTR) continue;
      if (would_block(errno)) {
        ch.want_write = true;
        return;
      }
      lost(peer, errno, "sending");
    }
    bytes_sent_ += static_cast<uint64_t>(k);
    const size_t h = std::min(static_cast<size_t>(k), kHeaderBytes - ch.out_hdr_sent);
    ch.out_hdr_sent += h;
    ch.out_sent += static_cast<uint64_t>(k) - h;
    if (ch.out_hdr_sent == kHeaderBytes && ch.out_sent == ch.out_len) ch.out_frame = false;
    if (static_cast<size_t>(k) < want) {  // the socket buffer is full
      ch.want_write = true;
      return;
    }
    if (static_cast<size_t>(k) >= budget) {
      ch.want_write = true;  // more to send: poll returns at once while the socket takes it
      return;
    }
    budget -= static_cast<size_t>(k);
  }
}

ssize_t Mesh::recv_some(int peer, void* buf, size_t n) {
  const ssize_t k = ::recv(channels_[peer].fd(), buf, n, MSG_DONTWAIT);
  if (k == 0) lost(peer, 0, "receiving");
  if (k < 0) {
    if (errno == EINTR) return -1;
    if (would_block(errno)) return 0;
    lost(peer, errno, "receiving");
  }
  bytes_received_ += static_cast<uint64_t>(k);
  return k;
}

void Mesh::pump_recv(int peer) {
  Channel& ch = channels_[peer];
  size_t budget = kPumpBytes;
  while (true) {
    if (!ch.in_frame) {
      if (ch.recv == nullptr) return;
      if (ch.recv->done()) {
        ch.recv = nullptr;
        return;
      }
      const ssize_t k = recv_some(peer, ch.in_hdr.data() + ch.in_hdr_got, kHeaderBytes - ch.in_hdr_got);
      if (k < 0) continue;
      if (k == 0) return;
      ch.in_hdr_got += static_cast<size_t>(k);
      if (ch.in_hdr_got < kHeaderBytes) continue;
      ch.in_hdr_got = 0;
      FrameHeader h;
      if (!decode_header(ch.in_hdr.data(), &h)) malformed(peer, "not a frame header");
      if (h.type == FrameType::Abort) read_abort(peer, h.length);
      if (h.op != op_ || h.seq != seq_)
        malformed(peer, str_cat("data of ", op_name(h.op), " (operation #", h.seq, ") where ", op_name(op_),
                                " (operation #", seq_, ") was expected: the ranks called different collectives"));
      const std::string wrong = ch.recv->begin_frame(h.length);
      if (!wrong.empty()) malformed(peer, wrong);
      ch.heard = true;
      ch.in_len = h.length;
      ch.in_got = 0;
      ch.in_frame = h.length > 0;
      continue;
    }
    const std::span<uint8_t> w = ch.recv->window();
    if (w.empty()) throw InternalError(str_cat("[dist.Mesh] a receive job offers no room inside a frame"));
    const size_t want = std::min<uint64_t>({w.size(), ch.in_len - ch.in_got, budget});
    const ssize_t k = recv_some(peer, w.data(), want);
    if (k < 0) continue;
    if (k == 0) return;
    ch.in_got += static_cast<uint64_t>(k);
    ch.recv->received(static_cast<size_t>(k));
    if (ch.in_got == ch.in_len) ch.in_frame = false;
    if (static_cast<size_t>(k) < want) return;  // drained for now: poll says when there is more
    if (static_cast<size_t>(k) >= budget) return;
    budget -= static_cast<size_t>(k);
  }
}

void Mesh::peek_idle(int peer) {
  Channel& ch = channels_[peer];
  uint8_t b[kHeaderBytes];
  const ssize_t k = ::recv(ch.fd(), b, sizeof(b), MSG_PEEK | MSG_DONTWAIT);
  if (k < 0 && (errno == EINTR || would_block(errno))) return;
  if (k <= 0) {
    // Closed or reset while this rank needs nothing from the peer: it may simply have finished
    // (its part of the last operation is done). A missing peer is noticed when it is next needed.
    ch.eof = true;
    return;
  }
  if (static_cast<size_t>(k) < kHeaderBytes) {
    // Abort frames go out in one piece; a partial header is the start of a data frame.
    ch.data_waiting = true;
    return;
  }
  FrameHeader h;
  if (!decode_header(b, &h)) malformed(peer, "not a frame header");
  if (h.type == FrameType::Abort) {
    if (::recv(ch.fd(), b, sizeof(b), MSG_DONTWAIT) != static_cast<ssize_t>(sizeof(b))) lost(peer, errno, "receiving");
    bytes_received_ += sizeof(b);
    read_abort(peer, h.length);
  }
  if (h.op == op_ && h.seq == seq_)
    malformed(peer, str_cat("data of ", op_name(h.op), " (operation #", h.seq, ") that this rank does not expect from ",
                            "it: the ranks disagree on the operation's arguments (buffer size, dtype or root)"));
  ch.data_waiting = true;  // a later operation's: stays unread
}

bool Mesh::wait_readable(int fd, Deadline deadline) {
  std::vector<pollfd> fds;
  std::vector<int> peers;
  while (true) {
    fds.assign(1, pollfd{fd, POLLIN, 0});
    peers.assign(1, -1);
    for (int p = 0; p < world_; ++p) {
      if (p != rank_ && channels_[p].watched_idle()) {
        fds.push_back({channels_[p].fd(), POLLIN, 0});
        peers.push_back(p);
      }
    }
    const double left = seconds_left(deadline);
    if (left <= 0) return false;
    const int rc = ::poll(fds.data(), fds.size(), poll_ms(left));
    if (rc < 0 && errno != EINTR)
      throw MeshFailure{MeshFailure::Local, rank_, rank_, str_cat("poll failed: ", std::strerror(errno))};
    if (rc <= 0) continue;
    for (size_t i = 1; i < fds.size(); ++i)
      if (fds[i].revents != 0) peek_idle(peers[i]);
    if (fds[0].revents != 0) return true;
  }
}

bool Mesh::sending(int peer) const {
  // The sender thread owns its channel's send job while it runs: this thread only knows whether
  // it has reported back.
  return peer == threaded_peer_ ? sender_busy_ : channels_[peer].send != nullptr;
}

int Mesh::blame(bool strong_only) const {
  // Peers in ring order from the left neighbour, the one this rank receives from in ring steps.
  // Strong evidence against a peer: this rank waits for its data and it sent nothing in this
  // operation (it never arrived), or this rank waits to send and it does not read (a peer inside
  // an operation always reads). Otherwise the peer is alive and itself waiting further upstream.
  for (int d = 1; d < world_; ++d) {
    const int p = (rank_ - d + world_) % world_;
    if (channels_[p].recv != nullptr && !channels_[p].heard) return p;
  }
  for (int d = 1; d < world_; ++d) {
    const int p = (rank_ - d + world_) % world_;
    if (sending(p) && channels_[p].want_write) return p;
  }
  if (strong_only) return -1;
  for (int d = 1; d < world_; ++d) {
    const int p = (rank_ - d + world_) % world_;
    if (channels_[p].recv != nullptr || channels_[p].in_frame) return p;
  }
  for (int d = 1; d < world_; ++d) {
    const int p = (rank_ - d + world_) % world_;
    if (sending(p)) return p;
  }
  return (rank_ + world_ - 1) % world_;
}

void Mesh::start_sender() {
  if (!sender_) {
    auto t = std::make_unique<SenderThread>();
    t->wake_fd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    t->done_fd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (t->wake_fd < 0 || t->done_fd < 0)
      throw MeshFailure{MeshFailure::Local, rank_, rank_, str_cat("eventfd failed: ", std::strerror(errno))};
    sender_ = std::move(t);
    sender_->thread = std::thread([this] { sender_main(); });
  }
  {
    std::lock_guard<std::mutex> lock(sender_->mu);
    sender_->peer = threaded_peer_;
    sender_->work = true;
    sender_->finished = false;
    sender_->failure.reset();
    sender_->stop.store(false);
    sender_->wants_data.store(false);
  }
  sender_->cv.notify_all();
  sender_busy_ = true;
}

void Mesh::stop_sender() noexcept {
  if (!sender_busy_) return;
  sender_->stop.store(true);
  const uint64_t one = 1;
  (void)!::write(sender_->wake_fd, &one, sizeof(one));
  std::unique_lock<std::mutex> lock(sender_->mu);
  sender_->cv.wait(lock, [&] { return sender_->finished; });
  uint64_t v;
  (void)!::read(sender_->done_fd, &v, sizeof(v));
  sender_busy_ = false;
}

void Mesh::nudge_sender() {
  if (!sender_busy_) return;
  // The receiving side published its progress (seq_cst) before this load, and the sender announces
  // wants_data (seq_cst) before it reads the progress again: one of the two sees the other's write,
  // so the sender never sleeps on data that is already there.
  if (sender_->wants_data.load() && sender_->wants_data.exchange(false)) {
    const uint64_t one = 1;
    (void)!::write(sender_->wake_fd, &one, sizeof(one));
  }
}

void Mesh::sender_main() {
  SenderThread& t = *sender_;
  std::unique_lock<std::mutex> lock(t.mu);
  while (true) {
    t.cv.wait(lock, [&] { return t.work || t.quit; });
    if (t.quit) return;
    t.work = false;
    const int peer = t.peer;
    lock.unlock();
    std::optional<MeshFailure> failure;
    try {
      sender_send(peer);
    } catch (const MeshFailure& f) {
      failure = f;
    } catch (const std::exception& e) {
      failure = MeshFailure{MeshFailure::Local, rank_, rank_, e.what()};
    }
    lock.lock();
    t.failure = std::move(failure);
    t.finished = true;
    t.cv.notify_all();
    const uint64_t one = 1;
    (void)!::write(t.done_fd, &one, sizeof(one));
  }
}

void Mesh::sender_send(int peer) {
  SenderThread& t = *sender_;
  Channel& ch = channels_[peer];
  while (!t.stop.load()) {
    if (!ch.want_write) {
      pump_send(peer);
      if (ch.send == nullptr) return;
      if (!ch.want_write) {  // waits for data this rank has yet to receive: announce, then look again
        t.wants_data.store(true);
        pump_send(peer);
        if (ch.send == nullptr) return;
      }
    }
    // The socket only while it is full (an idle socket reports hang-ups even without events).
    pollfd fds[2] = {{t.wake_fd, POLLIN, 0}, {ch.want_write ? ch.fd() : -1, POLLOUT, 0}};
    const int rc = ::poll(fds, 2, 1000);  // run() wakes it to stop; the timeout is a safety net
    if (rc < 0 && errno != EINTR)
      throw MeshFailure{MeshFailure::Local, rank_, rank_, str_cat("poll failed: ", std::strerror(errno))};
    if (fds[0].revents != 0) {
      uint64_t v;
      (void)!::read(t.wake_fd, &v, sizeof(v));
    }
    if (fds[1].revents != 0) ch.want_write = false;
  }
}

void Mesh::run(OpKind op, uint32_t seq, Deadline deadline) {
  op_ = op;
  seq_ = seq;
  const auto start = Clock::now();
  // A rank whose peers are all alive gives the ranks upstream (which see the real culprit: a peer
  // that sent nothing) this much longer to report it before blaming its own neighbour.
  const double grace = std::min(0.5 * timeout_, 10.0);
  const Deadline late = deadline + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(grace));
  for (Channel& ch : channels_) {
    ch.data_waiting = false;
    ch.heard = false;
    ch.want_write = false;
  }
  std::vector<pollfd> fds;
  std::vector<int> peers;
  try {
    if (threaded_peer_ >= 0) start_sender();
    while (true) {
      bool busy = sender_busy_;
      for (int p = 0; p < world_; ++p) {
        Channel& ch = channels_[p];
        if (p != threaded_peer_ && ch.send != nullptr && !ch.want_write) pump_send(p);  // new data may be ready
        if (ch.recv != nullptr && !ch.in_frame && ch.recv->done()) ch.recv = nullptr;
        busy = busy || (p != threaded_peer_ && ch.send != nullptr) || ch.recv != nullptr;
      }
      if (!busy) break;
      fds.clear();
      peers.clear();
      if (sender_busy_) {
        fds.push_back({sender_->done_fd, POLLIN, 0});
        peers.push_back(-1);
      }
      for (int p = 0; p < world_; ++p) {
        const Channel& ch = channels_[p];
        if (p == rank_ || !ch.conn) continue;
        short ev = 0;
        if (ch.recv != nullptr || ch.watched_idle()) ev |= POLLIN;
        if (p != threaded_peer_ && ch.send != nullptr && ch.want_write) ev |= POLLOUT;
        if (ev != 0) {
          fds.push_back({ch.fd(), ev, 0});
          peers.push_back(p);
        }
      }
      double wait = seconds_left(deadline);
      if (wait <= 0) {
        const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
        const int strong = blame(true);
        if (strong >= 0) timed_out(strong, elapsed);
        wait = seconds_left(late);
        if (wait <= 0) timed_out(blame(false), elapsed);
      }
      const int rc = ::poll(fds.data(), fds.size(), poll_ms(wait));
      if (rc < 0 && errno != EINTR)
        throw MeshFailure{MeshFailure::Local, rank_, rank_, str_cat("poll failed: ", std::strerror(errno))};
      if (rc <= 0) continue;
      for (size_t i = 0; i < fds.size(); ++i) {
        const short re = fds[i].revents;
        if (re == 0) continue;
        const int p = peers[i];
        if (p < 0) {  // the sender thread is done
          std::optional<MeshFailure> failure;
          {
            std::lock_guard<std::mutex> lock(sender_->mu);
            if (!sender_->finished) continue;
            failure = sender_->failure;
          }
          uint64_t v;
          (void)!::read(sender_->done_fd, &v, sizeof(v));
          sender_busy_ = false;
          if (failure) throw *failure;
          continue;
        }
        Channel& ch = channels_[p];
        if (re & (POLLIN | POLLHUP | POLLERR)) {
          if (ch.recv != nullptr) {
            pump_recv(p);
            nudge_sender();
          } else if (ch.watched_idle()) {
            peek_idle(p);
          }
        }
        if ((re & (POLLOUT | POLLHUP | POLLERR)) && p != threaded_peer_ && ch.send != nullptr && ch.want_write) {
          ch.want_write = false;
          pump_send(p);
        }
      }
    }
  } catch (const MeshFailure& f) {
    stop_sender();
    threaded_peer_ = -1;
    if (f.kind == MeshFailure::Lost) {
      try {
        scan_for_abort(std::min(kAbortScanSeconds, std::max(0.0, seconds_left(late))));
      } catch (const MeshFailure& remote) {
        for (Channel& ch : channels_) ch.send = nullptr, ch.recv = nullptr;
        throw remote;
      }
    }
    for (Channel& ch : channels_) ch.send = nullptr, ch.recv = nullptr;
    throw;
  }
  threaded_peer_ = -1;
}

void Mesh::scan_for_abort(double seconds) {
  const Deadline until = deadline_in(seconds);
  std::vector<pollfd> fds;
  std::vector<int> peers;
  while (true) {
    fds.clear();
    peers.clear();
    for (int p = 0; p < world_; ++p) {
      if (p != rank_ && channels_[p].watched_idle()) {
        fds.push_back({channels_[p].fd(), POLLIN, 0});
        peers.push_back(p);
      }
    }
    const double left = seconds_left(until);
    if (fds.empty() || left <= 0) return;
    const int rc = ::poll(fds.data(), fds.size(), poll_ms(left));
    if (rc < 0 && errno != EINTR) return;
    for (size_t i = 0; rc > 0 && i < fds.size(); ++i) {
      if (fds[i].revents == 0) continue;
      const int p = peers[i];
      try {
        if (channels_[p].recv != nullptr || channels_[p].in_frame)
          pump_recv(p);
        else
          peek_idle(p);
      } catch (const MeshFailure& f) {
        if (f.kind == MeshFailure::Remote) throw;
        channels_[p].eof = true;  // another loss: keep listening on the rest
      }
    }
  }
}

void Mesh::abort_all(const MeshFailure& failure) noexcept {
  stop_sender();
  try {
    const std::vector<uint8_t> frame = encode_abort(failure.failed_rank, failure.reporter, failure.cause);
    static const std::vector<uint8_t> zeros(64 * 1024, 0);
    struct Pending {
      int peer;
      size_t hdr_sent;     // of the cut-short frame's header
      uint64_t pad_left;   // zero bytes that complete the cut-short frame
      size_t frame_sent;   // of the abort frame
    };
    std::vector<Pending> pending;
    for (int p = 0; p < world_; ++p) {
      Channel& ch = channels_[p];
      if (p == rank_ || !ch.conn) continue;
      if (ch.out_frame && (ch.out_hdr_sent > 0 || ch.out_sent > 0))
        pending.push_back({p, ch.out_hdr_sent, ch.out_len - ch.out_sent, 0});
      else
        pending.push_back({p, kHeaderBytes, 0, 0});
    }
    const Deadline until = deadline_in(std::min(kAbortSendSeconds, timeout_));
    std::vector<pollfd> fds;
    while (!pending.empty()) {
      for (size_t i = 0; i < pending.size();) {
        Pending& q = pending[i];
        Channel& ch = channels_[q.peer];
        bool drop = false, done = false;
        while (true) {
          const uint8_t* data;
          size_t n;
          if (q.hdr_sent < kHeaderBytes) {
            data = ch.out_hdr.data() + q.hdr_sent;
            n = kHeaderBytes - q.hdr_sent;
          } else if (q.pad_left > 0) {
            data = zeros.data();
            n = static_cast<size_t>(std::min<uint64_t>(q.pad_left, zeros.size()));
          } else if (q.frame_sent < frame.size()) {
            data = frame.data() + q.frame_sent;
            n = frame.size() - q.frame_sent;
          } else {
            done = true;
            break;
          }
          const ssize_t k = ::send(ch.fd(), data, n, MSG_NOSIGNAL | MSG_DONTWAIT);
          if (k < 0) {
            if (errno == EINTR) continue;
            drop = !would_block(errno);
            break;
          }
          bytes_sent_ += static_cast<uint64_t>(k);
          if (q.hdr_sent < kHeaderBytes)
            q.hdr_sent += static_cast<size_t>(k);
          else if (q.pad_left > 0)
            q.pad_left -= static_cast<uint64_t>(k);
          else
            q.frame_sent += static_cast<size_t>(k);
        }
        if (drop || done) {
          pending.erase(pending.begin() + static_cast<std::ptrdiff_t>(i));
        } else {
          ++i;
        }
      }
      const double left = seconds_left(until);
      if (pending.empty() || left <= 0) break;
      fds.clear();
      for (const Pending& q : pending) fds.push_back({channels_[q.peer].fd(), POLLOUT, 0});
      ::poll(fds.data(), fds.size(), poll_ms(left));
    }
    // Shut down the sending side first so the abort frame is followed by a clean end of stream;
    // read what is left so that close() does not answer unread data with a reset, which could
    // overtake the abort frame on its way.
    // Data still in flight from a peer (it sends its part of the operation while the abort is on
    // its way) would arrive after close() and be answered with a reset, which makes the peer's
    // kernel drop the abort frame unread: linger until every peer has closed its side (it does as
    // soon as it reads the abort) or kLingerSeconds have passed.
    std::vector<uint8_t> sink(64 * 1024);
    std::vector<int> open;
    for (int p = 0; p < world_; ++p) {
      Channel& ch = channels_[p];
      if (p == rank_ || !ch.conn) continue;
      ::shutdown(ch.fd(), SHUT_WR);
      open.push_back(p);
    }
    const Deadline linger = deadline_in(std::min(kLingerSeconds, timeout_));
    while (!open.empty()) {
      fds.clear();
      for (int p : open) fds.push_back({channels_[p].fd(), POLLIN, 0});
      const double left = seconds_left(linger);
      if (left <= 0 || ::poll(fds.data(), fds.size(), poll_ms(left)) <= 0) break;
      std::vector<int> still;
      for (size_t i = 0; i < open.size(); ++i) {
        bool closed = false;
        if (fds[i].revents != 0) {
          for (int k = 0; k < 256; ++k) {
            const ssize_t n = ::recv(fds[i].fd, sink.data(), sink.size(), MSG_DONTWAIT);
            if (n > 0) continue;
            closed = n == 0 || !(errno == EINTR || would_block(errno));
            break;
          }
        }
        if (!closed) still.push_back(open[i]);
      }
      open.swap(still);
    }
  } catch (...) {
    // Best effort: the connections close below either way.
  }
  close_all();
}

void Mesh::close_all() noexcept {
  stop_sender();
  for (Channel& ch : channels_) {
    ch.conn.reset();
    ch.send = nullptr;
    ch.recv = nullptr;
  }
}

}  // namespace ember::dist::detail
