#include "ember/dist/connection.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>

#include "common/gradient_check.h"
#include "ember/dist/auth.h"

namespace ember::dist {
namespace {

std::vector<uint8_t> bytes(const std::string& s) { return {s.begin(), s.end()}; }

std::string hex(std::span<const uint8_t> d) {
  static const char* k = "0123456789abcdef";
  std::string out;
  for (uint8_t b : d) {
    out += k[b >> 4];
    out += k[b & 15];
  }
  return out;
}

TEST(AuthTest, HmacSha256MatchesRfc4231) {
  // RFC 4231, test case 2.
  EXPECT_EQ(hex(hmac_sha256(bytes("Jefe"), bytes("what do ya want for nothing?"))),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  // Test case 1: key = 20 x 0x0b, "Hi There".
  EXPECT_EQ(hex(hmac_sha256(std::vector<uint8_t>(20, 0x0b), bytes("Hi There"))),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
}

TEST(AuthTest, NoncesDifferAndProofsBindBothSides) {
  const auto a = random_bytes(kNonceBytes), b = random_bytes(kNonceBytes);
  EXPECT_EQ(a.size(), kNonceBytes);
  EXPECT_NE(a, b);
  const auto s = bytes("secret");
  const Digest p = client_proof(s, a, b, 1, 0);
  EXPECT_TRUE(constant_time_equal(p, client_proof(s, a, b, 1, 0)));
  EXPECT_FALSE(constant_time_equal(p, client_proof(s, a, b, 2, 0)));       // another rank
  EXPECT_FALSE(constant_time_equal(p, client_proof(s, b, a, 1, 0)));       // nonces swapped
  EXPECT_FALSE(constant_time_equal(p, server_proof(s, a, b, 1, 0)));       // the other direction
  EXPECT_FALSE(constant_time_equal(p, client_proof(bytes("other"), a, b, 1, 0)));
}

// Runs `server` on the accepted connection in a thread and `client` on a connected one; rethrows
// whatever the server threw.
template <class S, class C>
void run_pair(S server, C client) {
  Listener listener("127.0.0.1");
  std::exception_ptr server_error;
  std::thread t([&] {
    try {
      Connection c = listener.accept(deadline_in(10));
      server(c);
    } catch (...) {
      server_error = std::current_exception();
    }
  });
  try {
    Connection c = Connection::connect("127.0.0.1", listener.port(), deadline_in(10));
    client(c);
  } catch (...) {
    t.join();
    throw;
  }
  t.join();
  if (server_error) std::rethrow_exception(server_error);
}

TEST(ConnectionTest, HandshakeWithTheSameSecretExchangesRanksThenFrames) {
  const auto secret = random_bytes(32);
  int32_t seen_by_server = -1, seen_by_client = -1;
  run_pair(
      [&](Connection& c) {
        seen_by_server = c.authenticate_as_server(secret, 0, deadline_in(10));
        auto f = c.recv_frame(1024, deadline_in(10));
        c.send_frame(f, deadline_in(10));
      },
      [&](Connection& c) {
        seen_by_client = c.authenticate_as_client(secret, 3, deadline_in(10));
        c.send_frame(bytes("ring"), deadline_in(10));
        EXPECT_EQ(c.recv_frame(1024, deadline_in(10)), bytes("ring"));
      });
  EXPECT_EQ(seen_by_server, 3);
  EXPECT_EQ(seen_by_client, 0);
}

TEST(ConnectionTest, WrongSecretIsRejectedOnBothSides) {
  std::string client_error;
  EXPECT_THROW_WITH(run_pair([](Connection& c) { c.authenticate_as_server(bytes("job-secret"), 0, deadline_in(10)); },
                             [&](Connection& c) {
                               try {
                                 c.authenticate_as_client(bytes("guess"), 1, deadline_in(10));
                               } catch (const RuntimeError& e) {
                                 client_error = e.what();
                               }
                             }),
                    RuntimeError, "authentication failed: the peer (claiming rank 1) does not know this job's secret");
  EXPECT_NE(client_error.find("authentication failed: rank 0 refused this rank's proof"), std::string::npos)
      << client_error;
}

TEST(ConnectionTest, ReplayedAnswerIsRejected) {
  // An eavesdropper records a valid answer to one greeting and replays it on a new connection.
  const auto secret = bytes("job-secret");
  std::vector<uint8_t> recorded;
  run_pair([&](Connection& c) { c.authenticate_as_server(secret, 0, deadline_in(10)); },
           [&](Connection& c) {
             auto hello = c.recv_frame(256, deadline_in(10));
             std::span<const uint8_t> server_nonce(hello.data() + 8, kNonceBytes);
             recorded = random_bytes(kNonceBytes);
             const auto client_nonce = recorded;
             for (int i = 0; i < 4; ++i) recorded.push_back(i == 0 ? 1 : 0);
             const Digest p = client_proof(secret, server_nonce, client_nonce, 1, 0);
             recorded.insert(recorded.end(), p.begin(), p.end());
             c.send_frame(recorded, deadline_in(10));
             c.recv_frame(256, deadline_in(10));  // accepted the first time
           });
  EXPECT_THROW_WITH(run_pair([&](Connection& c) { c.authenticate_as_server(secret, 0, deadline_in(10)); },
                             [&](Connection& c) {
                               c.recv_frame(256, deadline_in(10));  // a fresh nonce
                               c.send_frame(recorded, deadline_in(10));
                             }),
                    RuntimeError, "does not know this job's secret");
}

TEST(ConnectionTest, OversizedFrameIsRefusedBeforeAllocating) {
  EXPECT_THROW_WITH(run_pair([](Connection& c) { c.recv_frame(1 << 20, deadline_in(10)); },
                             [](Connection& c) {
                               uint8_t header[8] = {0, 0, 0, 0, 0, 1, 0, 0};  // 2^40 bytes
                               c.send_all(header, 8, deadline_in(10));
                             }),
                    RuntimeError, "frame of 1099511627776 bytes exceeds the limit of 1048576 bytes");
  // During the handshake, anything over 256 bytes is not a peer.
  EXPECT_THROW_WITH(run_pair([](Connection& c) { c.authenticate_as_server(bytes("s"), 0, deadline_in(10)); },
                             [](Connection& c) {
                               c.recv_frame(256, deadline_in(10));
                               c.send_frame(std::vector<uint8_t>(4096, 7), deadline_in(10));
                             }),
                    RuntimeError, "exceeds the limit of 256 bytes");
}

TEST(ConnectionTest, SilentPeerTimesOutAndClosedPeerIsReported) {
  EXPECT_THROW_WITH(run_pair([](Connection& c) { c.recv_frame(64, deadline_in(0.2)); },
                             [](Connection&) { std::this_thread::sleep_for(std::chrono::milliseconds(400)); }),
                    RuntimeError, "timed out waiting for data");
  EXPECT_THROW_WITH(run_pair([](Connection& c) { c.recv_frame(64, deadline_in(10)); }, [](Connection&) {}),
                    RuntimeError, "connection closed by the peer");
  Listener idle("127.0.0.1");
  EXPECT_THROW_WITH(idle.accept(deadline_in(0.1)), RuntimeError, "timed out waiting for a peer to connect");
  EXPECT_THROW_WITH(Connection::connect("127.0.0.1", 1, deadline_in(0.1)), RuntimeError,
                    "timed out connecting to 127.0.0.1:1: nobody listens there");
}

}  // namespace
}  // namespace ember::dist
