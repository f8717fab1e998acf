#include "ember/dist/connection.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

#include "ember/core/error.h"
#include "ember/dist/auth.h"

namespace ember::dist {

namespace {

using detail::str_cat;

constexpr char kMagic[8] = {'E', 'M', 'B', 'R', 'A', 'U', 'T', '1'};
constexpr size_t kHandshakeFrame = 256;  // handshake frames are tiny: anything bigger is not a peer

std::string errno_text() { return std::strerror(errno); }

void set_nonblocking(int fd) {
  const int flags = fcntl(fd, F_GETFL, 0);
  if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0)
    throw RuntimeError(str_cat("[dist.Connection] fcntl(O_NONBLOCK) failed: ", errno_text()));
}

sockaddr_in resolve(const std::string& host, int port, const char* where) {
  addrinfo hints{};
  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  const int rc = getaddrinfo(host.c_str(), nullptr, &hints, &res);
  if (rc != 0 || res == nullptr)
    throw RuntimeError(str_cat("[", where, "] cannot resolve host '", host, "': ", gai_strerror(rc)));
  sockaddr_in addr = *reinterpret_cast<sockaddr_in*>(res->ai_addr);
  freeaddrinfo(res);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  return addr;
}

double seconds_left(Deadline d) { return std::chrono::duration<double>(d - Clock::now()).count(); }

void put_i32(std::vector<uint8_t>& v, int32_t x) {
  for (int i = 0; i < 4; ++i) v.push_back(static_cast<uint8_t>(static_cast<uint32_t>(x) >> (8 * i)));
}
int32_t get_i32(const uint8_t* p) {
  uint32_t u = 0;
  for (int i = 0; i < 4; ++i) u |= static_cast<uint32_t>(p[i]) << (8 * i);
  return static_cast<int32_t>(u);
}

}  // namespace

Deadline deadline_in(double seconds) {
  return Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
}

Connection::Connection(int fd, std::string peer) : fd_(fd), peer_(std::move(peer)) {
  set_nonblocking(fd_);
  const int one = 1;
  setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

Connection::Connection(Connection&& o) noexcept : fd_(o.fd_), peer_(std::move(o.peer_)) { o.fd_ = -1; }

Connection& Connection::operator=(Connection&& o) noexcept {
  if (this != &o) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = o.fd_;
    peer_ = std::move(o.peer_);
    o.fd_ = -1;
  }
  return *this;
}

Connection::~Connection() {
  if (fd_ >= 0) ::close(fd_);
}

Connection Connection::connect(const std::string& host, int port, Deadline deadline) {
  const sockaddr_in addr = resolve(host, port, "dist.Connection");
  const std::string peer = str_cat(host, ":", port);
  while (true) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) throw RuntimeError(str_cat("[dist.Connection] socket() failed: ", errno_text()));
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof(addr)) == 0) return Connection(fd, peer);
    const int err = errno;
    ::close(fd);
    if (err != ECONNREFUSED && err != EINTR)
      throw RuntimeError(str_cat("[dist.Connection] cannot connect to ", peer, ": ", std::strerror(err)));
    if (Clock::now() >= deadline)
      throw RuntimeError(str_cat("[dist.Connection] timed out connecting to ", peer, ": nobody listens there"));
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

void Connection::wait(short events, Deadline deadline, const char* doing) {
  while (true) {
    const double left = seconds_left(deadline);
    if (left <= 0) throw RuntimeError(str_cat("[dist.Connection ", peer_, "] timed out ", doing));
    pollfd p{fd_, events, 0};
    const int ms = static_cast<int>(std::min(left * 1000.0 + 1.0, 60000.0));
    const int rc = ::poll(&p, 1, ms);
    if (rc > 0) return;
    if (rc < 0 && errno != EINTR) throw RuntimeError(str_cat("[dist.Connection ", peer_, "] poll failed: ", errno_text()));
  }
}

void Connection::send_all(const void* data, size_t n, Deadline deadline) {
  const auto* p = static_cast<const uint8_t*>(data);
  while (n > 0) {
    const ssize_t k = ::send(fd_, p, n, MSG_NOSIGNAL);
    if (k > 0) {
      p += k;
      n -= static_cast<size_t>(k);
    } else if (k < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
      wait(POLLOUT, deadline, "sending");
    } else {
      throw RuntimeError(str_cat("[dist.Connection ", peer_, "] send failed: ", errno_text(), " (peer gone?)"));
    }
  }
}

void Connection::recv_all(void* data, size_t n, Deadline deadline) {
  auto* p = static_cast<uint8_t*>(data);
  while (n > 0) {
    const ssize_t k = ::recv(fd_, p, n, 0);
    if (k > 0) {
      p += k;
      n -= static_cast<size_t>(k);
    } else if (k == 0) {
      throw RuntimeError(str_cat("[dist.Connection ", peer_, "] connection closed by the peer (", n,
                                 " bytes still expected)"));
    } else if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
      wait(POLLIN, deadline, "waiting for data");
    } else {
      throw RuntimeError(str_cat("[dist.Connection ", peer_, "] recv failed: ", errno_text()));
    }
  }
}

void Connection::send_frame(std::span<const uint8_t> payload, Deadline deadline) {
  uint8_t header[8];
  const uint64_t n = payload.size();
  for (int i = 0; i < 8; ++i) header[i] = static_cast<uint8_t>(n >> (8 * i));
  send_all(header, sizeof(header), deadline);
  send_all(payload.data(), payload.size(), deadline);
}

std::vector<uint8_t> Connection::recv_frame(size_t max_bytes, Deadline deadline) {
  uint8_t header[8];
  recv_all(header, sizeof(header), deadline);
  uint64_t n = 0;
  for (int i = 0; i < 8; ++i) n |= static_cast<uint64_t>(header[i]) << (8 * i);
  if (n > max_bytes)
    throw RuntimeError(str_cat("[dist.Connection ", peer_, "] frame of ", n, " bytes exceeds the limit of ", max_bytes,
                               " bytes: not an Ember peer, or a corrupted stream"));
  std::vector<uint8_t> out(static_cast<size_t>(n));
  recv_all(out.data(), out.size(), deadline);
  return out;
}

int32_t Connection::authenticate_as_server(std::span<const uint8_t> secret, int32_t my_rank, Deadline deadline,
                                           int32_t* claimed_rank) {
  const std::vector<uint8_t> server_nonce = random_bytes(kNonceBytes);
  std::vector<uint8_t> hello(kMagic, kMagic + sizeof(kMagic));
  hello.insert(hello.end(), server_nonce.begin(), server_nonce.end());
  put_i32(hello, my_rank);
  send_frame(hello, deadline);

  const std::vector<uint8_t> answer = recv_frame(kHandshakeFrame, deadline);
  if (answer.size() != kNonceBytes + 4 + 32)
    throw RuntimeError(str_cat("[dist.Connection ", peer_, "] authentication failed: malformed answer of ", answer.size(),
                               " bytes (expected ", kNonceBytes + 36, ")"));
  std::span<const uint8_t> client_nonce(answer.data(), kNonceBytes);
  const int32_t client_rank = get_i32(answer.data() + kNonceBytes);
  if (claimed_rank != nullptr) *claimed_rank = client_rank;
  const Digest want = client_proof(secret, server_nonce, client_nonce, client_rank, my_rank);
  if (!constant_time_equal(want, std::span<const uint8_t>(answer.data() + kNonceBytes + 4, 32)))
    throw RuntimeError(str_cat("[dist.Connection ", peer_, "] authentication failed: the peer (claiming rank ",
                               client_rank, ") does not know this job's secret"));
  const Digest mine = server_proof(secret, server_nonce, client_nonce, client_rank, my_rank);
  send_frame(mine, deadline);
  return client_rank;
}

int32_t Connection::authenticate_as_client(std::span<const uint8_t> secret, int32_t my_rank, Deadline deadline) {
  const std::vector<uint8_t> hello = recv_frame(kHandshakeFrame, deadline);
  if (hello.size() != sizeof(kMagic) + kNonceBytes + 4 || std::memcmp(hello.data(), kMagic, sizeof(kMagic)) != 0)
    throw RuntimeError(str_cat("[dist.Connection ", peer_, "] authentication failed: the peer is not an Ember rank ",
                               "(unexpected greeting)"));
  std::span<const uint8_t> server_nonce(hello.data() + sizeof(kMagic), kNonceBytes);
  const int32_t server_rank = get_i32(hello.data() + sizeof(kMagic) + kNonceBytes);
  const std::vector<uint8_t> client_nonce = random_bytes(kNonceBytes);
  std::vector<uint8_t> answer(client_nonce);
  put_i32(answer, my_rank);
  const Digest proof = client_proof(secret, server_nonce, client_nonce, my_rank, server_rank);
  answer.insert(answer.end(), proof.begin(), proof.end());
  send_frame(answer, deadline);

  std::vector<uint8_t> reply;
  try {
    reply = recv_frame(kHandshakeFrame, deadline);
  } catch (const RuntimeError& e) {
    throw RuntimeError(str_cat("[dist.Connection ", peer_, "] authentication failed: rank ", server_rank,
                               " refused this rank's proof (different job secret?): ", e.body()));
  }
  const Digest want = server_proof(secret, server_nonce, client_nonce, my_rank, server_rank);
  if (!constant_time_equal(want, reply))
    throw RuntimeError(str_cat("[dist.Connection ", peer_, "] authentication failed: the peer (claiming rank ",
                               server_rank, ") does not know this job's secret"));
  return server_rank;
}

Listener::Listener(const std::string& host, int port) : host_(host) {
  const sockaddr_in addr = resolve(host, port, "dist.Listener");
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) throw RuntimeError(str_cat("[dist.Listener] socket() failed: ", errno_text()));
  const int one = 1;
  setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  if (::bind(fd_, reinterpret_cast<const sockaddr*>(&addr), sizeof(addr)) != 0 || ::listen(fd_, 64) != 0) {
    const std::string err = errno_text();
    ::close(fd_);
    fd_ = -1;
    throw RuntimeError(str_cat("[dist.Listener] cannot listen on ", host, ":", port, ": ", err));
  }
  sockaddr_in bound{};
  socklen_t len = sizeof(bound);
  getsockname(fd_, reinterpret_cast<sockaddr*>(&bound), &len);
  port_ = ntohs(bound.sin_port);
  set_nonblocking(fd_);
}

Listener::Listener(Listener&& o) noexcept : fd_(o.fd_), port_(o.port_), host_(std::move(o.host_)) { o.fd_ = -1; }

Listener& Listener::operator=(Listener&& o) noexcept {
  if (this != &o) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = o.fd_;
    port_ = o.port_;
    host_ = std::move(o.host_);
    o.fd_ = -1;
  }
  return *this;
}

Listener::~Listener() {
  if (fd_ >= 0) ::close(fd_);
}

Connection Listener::accept(Deadline deadline) {
  while (true) {
    sockaddr_in peer{};
    socklen_t len = sizeof(peer);
    const int fd = ::accept4(fd_, reinterpret_cast<sockaddr*>(&peer), &len, SOCK_CLOEXEC);
    if (fd >= 0) {
      char ip[INET_ADDRSTRLEN] = {};
      inet_ntop(AF_INET, &peer.sin_addr, ip, sizeof(ip));
      return Connection(fd, str_cat(ip, ":", ntohs(peer.sin_port)));
    }
    if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
      throw RuntimeError(str_cat("[dist.Listener ", host_, ":", port_, "] accept failed: ", errno_text()));
    const double left = seconds_left(deadline);
    if (left <= 0)
      throw RuntimeError(str_cat("[dist.Listener ", host_, ":", port_, "] timed out waiting for a peer to connect"));
    pollfd p{fd_, POLLIN, 0};
    ::poll(&p, 1, static_cast<int>(std::min(left * 1000.0 + 1.0, 60000.0)));
  }
}

}  // namespace ember::dist
