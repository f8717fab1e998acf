#pragma once
/// TCP connections of Ember's collective: every operation under a deadline, length-prefixed frames
/// with a size limit, and an authenticated handshake (auth.h) before anything else is read.
///
///   Listener server("127.0.0.1");                       // port 0: any free port
///   // rank 1:  Connection c = Connection::connect("127.0.0.1", port, deadline_in(30));
///   //          int32_t peer = c.authenticate_as_client(secret, 1, deadline_in(30));
///   // rank 0:  Connection c = server.accept(deadline_in(30));
///   //          int32_t peer = c.authenticate_as_server(secret, 0, deadline_in(30));
///   c.send_frame(bytes, deadline_in(60));  auto reply = c.recv_frame(kMaxFrame, deadline_in(60));

#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace ember::dist {

using Clock = std::chrono::steady_clock;
using Deadline = Clock::time_point;

/// The time point `seconds` from now.
Deadline deadline_in(double seconds);

/// One TCP connection (move-only; closes its socket). Errors are RuntimeErrors naming the peer and
/// what was being done: a timeout, a closed connection, a frame over the limit, a failed proof.
class Connection {
 public:
  /// Connects to host:port, retrying refused connections (the peer may not listen yet) until `deadline`.
  static Connection connect(const std::string& host, int port, Deadline deadline);
  Connection(int fd, std::string peer);
  Connection(Connection&& o) noexcept;
  Connection& operator=(Connection&& o) noexcept;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  /// Writes/reads exactly n bytes before `deadline`.
  void send_all(const void* data, size_t n, Deadline deadline);
  void recv_all(void* data, size_t n, Deadline deadline);
  /// A frame: u64 little-endian length, then the payload.
  void send_frame(std::span<const uint8_t> payload, Deadline deadline);
  /// Reads a frame; a length above `max_bytes` is refused before anything is allocated.
  std::vector<uint8_t> recv_frame(size_t max_bytes, Deadline deadline);

  /// The handshake, as the connecting side: proves knowledge of `secret`, checks the accepting side
  /// does too. Returns the peer's rank.
  int32_t authenticate_as_client(std::span<const uint8_t> secret, int32_t my_rank, Deadline deadline);
  /// The handshake, as the accepting side. Returns the peer's rank. `claimed_rank`, when given,
  /// receives the rank the peer claims as soon as its answer arrives (also when the proof is wrong),
  /// so a caller can name the peer in its own error.
  int32_t authenticate_as_server(std::span<const uint8_t> secret, int32_t my_rank, Deadline deadline,
                                 int32_t* claimed_rank = nullptr);

  /// "127.0.0.1:4242".
  const std::string& peer() const { return peer_; }
  int fd() const { return fd_; }

 private:
  void wait(short events, Deadline deadline, const char* doing);
  int fd_ = -1;
  std::string peer_;
};

/// A listening TCP socket bound to `host` (an address, e.g. the one Spark reports for the task).
class Listener {
 public:
  explicit Listener(const std::string& host, int port = 0);
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;
  /// Movable, so that a bound listener can be handed to its owner (Collective takes it by value).
  Listener(Listener&& o) noexcept;
  Listener& operator=(Listener&& o) noexcept;
  ~Listener();
  /// The bound port (the chosen one when constructed with 0).
  int port() const { return port_; }
  /// The listening socket (-1 after a move), for callers that poll it beside other sockets.
  int fd() const { return fd_; }
  /// The next connection, before `deadline`.
  Connection accept(Deadline deadline);

 private:
  int fd_ = -1;
  int port_ = 0;
  std::string host_;
};

}  // namespace ember::dist
