#include "emulator/http/answer_writer.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

// The writer's thread against real sockets (Unix socket pairs): each test waits for what the
// writer reports (a wake-up, a hand-back), with a generous deadline, never for a fixed time.
using namespace awsemu;
using namespace std::chrono_literals;

namespace {

// One connection as its session sees it: the socket pair (ours, the client's), and what the
// writer told the session.
class FakeSession {
  public:
    FakeSession() {
        REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds_) == 0);
        connection = std::make_shared<AnswerWriter::Connection>(
            fds_[0],
            [this](std::shared_ptr<AnswerWriter::Connection> handed_back, std::string rest) {
                const std::lock_guard lock(mutex_);
                handed_back_ = std::move(handed_back);
                rest_ = std::move(rest);
                changed_.notify_all();
            },
            [this] {
                const std::lock_guard lock(mutex_);
                ++wakes_;
                changed_.notify_all();
            });
    }
    ~FakeSession() {
        ::close(fds_[0]);
        ::close(fds_[1]);
    }
    FakeSession(const FakeSession&) = delete;
    FakeSession& operator=(const FakeSession&) = delete;

    int server_fd() const { return fds_[0]; }
    int client_fd() const { return fds_[1]; }
    // A send buffer a large answer overflows at once.
    void limit_send_buffer() {
        const int small = 4096;
        REQUIRE(::setsockopt(fds_[0], SOL_SOCKET, SO_SNDBUF, &small, sizeof small) == 0);
    }
    // The client takes nothing more: sends to it fail (EPIPE), its end stays open.
    void client_stops_reading() { REQUIRE(::shutdown(fds_[1], SHUT_RD) == 0); }
    // Exactly `size` bytes as the client receives them (each part within 10 s).
    std::string client_reads(std::size_t size) const {
        std::string bytes(size, '\0');
        std::size_t got = 0;
        while (got < size) {
            pollfd readable{fds_[1], POLLIN, 0};
            REQUIRE(::poll(&readable, 1, 10'000) == 1);
            const ssize_t n = ::read(fds_[1], bytes.data() + got, size - got);
            REQUIRE(n > 0);
            got += static_cast<std::size_t>(n);
        }
        return bytes;
    }
    // What the session does before writing again: wait until the writer is done with it.
    bool wait_idle() {
        std::unique_lock lock(mutex_);
        const int wakes_before = wakes_;
        lock.unlock();
        connection->waiting();
        lock.lock();
        return connection->idle() ||
               changed_.wait_for(lock, 10s, [&] { return wakes_ > wakes_before; });
    }
    // The rest of an answer handed back to the loop, once it is.
    std::optional<std::string> wait_handed_back() {
        std::unique_lock lock(mutex_);
        if (!changed_.wait_for(lock, 10s, [&] { return handed_back_ != nullptr; })) {
            return std::nullopt;
        }
        return rest_;
    }
    int wakes() {
        const std::lock_guard lock(mutex_);
        return wakes_;
    }

    std::shared_ptr<AnswerWriter::Connection> connection;

  private:
    int fds_[2] = {-1, -1};
    std::mutex mutex_;
    std::condition_variable changed_;
    int wakes_ = 0;
    std::shared_ptr<AnswerWriter::Connection> handed_back_;
    std::string rest_;
};

// What the server does for one answer on its own: queue it and wake the writer.
void hand_over(AnswerWriter& writer, std::shared_ptr<AnswerWriter::Connection> connection,
               std::string bytes) {
    writer.queue(std::move(connection), std::move(bytes));
    writer.wake();
}

}  // namespace

// In each test the writer is declared after the sessions: its thread is joined before they go.

TEST_CASE("AnswerWriter answers reach their clients whole and in order, many connections at once",
          "[http][unit][answer_writer]") {
    std::vector<std::unique_ptr<FakeSession>> sessions;
    for (int i = 0; i < 8; ++i) {
        sessions.push_back(std::make_unique<FakeSession>());
    }
    AnswerWriter writer;
    for (int round = 0; round < 50; ++round) {
        for (std::size_t i = 0; i < sessions.size(); ++i) {
            REQUIRE(sessions[i]->wait_idle());
            hand_over(writer, sessions[i]->connection,
                      "answer " + std::to_string(round) + " to " + std::to_string(i) + ";");
        }
        for (std::size_t i = 0; i < sessions.size(); ++i) {
            const std::string expected =
                "answer " + std::to_string(round) + " to " + std::to_string(i) + ";";
            CHECK(sessions[i]->client_reads(expected.size()) == expected);
        }
    }
    for (auto& session : sessions) {
        CHECK(session->wait_idle());
        CHECK(session->connection->idle());
    }
}

TEST_CASE("AnswerWriter a written answer reaches its client and leaves the connection idle",
          "[http][unit][answer_writer]") {
    FakeSession session;
    AnswerWriter writer;
    CHECK(session.connection->idle());
    hand_over(writer, session.connection, "hello");
    CHECK(session.client_reads(5) == "hello");
    REQUIRE(session.wait_idle());
    CHECK(session.connection->idle());
}

TEST_CASE("AnswerWriter a client that does not read gets the rest of a large answer from the loop",
          "[http][unit][answer_writer]") {
    FakeSession session;
    AnswerWriter writer;
    session.limit_send_buffer();
    std::string answer(4 * 1024 * 1024, '\0');
    for (std::size_t i = 0; i < answer.size(); ++i) {
        answer[i] = static_cast<char>('a' + i % 26);
    }
    hand_over(writer, session.connection, answer);
    const auto rest = session.wait_handed_back();
    REQUIRE(rest.has_value());
    REQUIRE(!rest->empty());
    REQUIRE(rest->size() < answer.size());
    // The writer left the rest to the loop: the connection stays busy until the loop is done.
    CHECK_FALSE(session.connection->idle());
    const std::size_t sent = answer.size() - rest->size();
    CHECK(session.client_reads(sent) == answer.substr(0, sent));
    CHECK(*rest == answer.substr(sent));
    session.connection->written();  // what the loop does once it wrote the rest
    CHECK(session.connection->idle());
}

TEST_CASE("AnswerWriter an answer to a client that went away ends its connection",
          "[http][unit][answer_writer]") {
    FakeSession session;
    AnswerWriter writer;
    session.client_stops_reading();
    CHECK_FALSE(session.connection->broken());
    session.connection->waiting();
    hand_over(writer, session.connection, "nobody listens");
    REQUIRE(session.wait_idle());
    CHECK(session.connection->idle());
    CHECK(session.connection->broken());
    // Shut down both ways: the session's next read ends at once instead of waiting for a
    // request that cannot come.
    char byte = 0;
    CHECK(::recv(session.server_fd(), &byte, 1, MSG_DONTWAIT) == 0);
}

TEST_CASE("AnswerWriter a session waiting on its connection is woken once the answer is written",
          "[http][unit][answer_writer]") {
    FakeSession session;
    AnswerWriter writer;
    session.limit_send_buffer();
    // An answer the client's buffer cannot take keeps the connection busy until the loop
    // finishes it: a wait begun meanwhile ends with that, not before.
    const std::string first(1024 * 1024, 'x');
    hand_over(writer, session.connection, first);
    const auto rest = session.wait_handed_back();
    REQUIRE(rest.has_value());
    session.connection->waiting();
    CHECK_FALSE(session.connection->idle());
    CHECK(session.wakes() == 0);
    session.connection->written();
    CHECK(session.wakes() == 1);
    CHECK(session.connection->idle());
    // Without a wait, no wake-up.
    CHECK(session.client_reads(first.size() - rest->size()) ==
          first.substr(0, first.size() - rest->size()));
    hand_over(writer, session.connection, "again");
    CHECK(session.client_reads(5) == "again");
    CHECK(session.wakes() == 1);
}

TEST_CASE("AnswerWriter a connection whose write failed on the loop is shut down and broken",
          "[http][unit][answer_writer]") {
    FakeSession session;
    CHECK_FALSE(session.connection->broken());
    char byte = 0;
    CHECK(::recv(session.server_fd(), &byte, 1, MSG_DONTWAIT) < 0);  // open, nothing to read
    session.connection->failed();
    CHECK(session.connection->broken());
    CHECK(::recv(session.server_fd(), &byte, 1, MSG_DONTWAIT) == 0);
}

TEST_CASE("AnswerWriter answers queued together wait for one wake-up, then all go",
          "[http][unit][answer_writer]") {
    FakeSession first;
    FakeSession second;
    AnswerWriter writer;
    // Once the writer has sent something it sleeps again, and queued answers wait for wake().
    hand_over(writer, first.connection, "start");
    REQUIRE(first.client_reads(5) == "start");
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (!writer.asleep() && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::yield();
    }
    REQUIRE(writer.asleep());
    writer.queue(first.connection, "one");
    writer.queue(second.connection, "two");
    pollfd readable{first.client_fd(), POLLIN, 0};
    CHECK(::poll(&readable, 1, 200) == 0);  // asleep: nothing was sent
    CHECK_FALSE(first.connection->idle());
    writer.wake();
    CHECK(first.client_reads(3) == "one");
    CHECK(second.client_reads(3) == "two");
}
