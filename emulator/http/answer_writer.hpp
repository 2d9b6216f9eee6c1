#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace awsemu {

// A thread that writes small, whole answers to their clients' sockets, so that the event loop
// does not. Sending is most of what a small request costs the server (on loopback the kernel
// also delivers the bytes and wakes the client inside the sender's system call); here it runs
// beside the loop, which meanwhile reads and works out the next requests. Answers queued while
// the writer is busy cost no wake-up, so under load a burst of answers (a group commit's) costs
// one at most, and the event loop wakes it once for all the answers of one of its turns.
//
// Each connection has at most one answer in the writer's hands (its session waits for that one
// before it writes anything else), so its answers stay in order. The writer never blocks on a
// socket: when a client's receive buffer is full, the rest of the answer goes back to the
// session's event loop, which writes it the usual way.
class AnswerWriter {
  public:
    // One connection's side. The session keeps its socket open while the writer holds an answer
    // for it (until idle()).
    class Connection : public std::enable_shared_from_this<Connection> {
      public:
        // finish_on_loop(rest): called on the writer's thread when the client's buffer is full;
        // the session's event loop must write `rest`, call failed() if that fails, and then
        // call written().
        // wake_session(): called on the writer's thread when the session waits (see waiting())
        // and the connection became idle.
        Connection(int fd,
                   std::function<void(std::shared_ptr<Connection>, std::string)> finish_on_loop,
                   std::function<void()> wake_session)
            : fd_(fd),
              finish_on_loop_(std::move(finish_on_loop)),
              wake_session_(std::move(wake_session)) {}

        int fd() const { return fd_; }
        // No answer of this connection is in the writer's hands.
        bool idle() const { return !busy_.load(); }
        // The session waits until idle(): wake_session() once it is. Check idle() again after
        // calling this (it may have become idle just before), and after each wake-up (one may
        // be left over from an earlier wait).
        void waiting() { waiting_.store(true); }
        // The answer in the writer's hands is written, or the connection is broken.
        void written();
        // An answer could not be written: the client is gone, or too slow. Shuts the socket
        // down both ways, so that the session's next read fails at once.
        void failed();
        // failed() was called: no request of this connection is to be served any more.
        bool broken() const { return broken_.load(); }

      private:
        friend class AnswerWriter;
        const int fd_;
        const std::function<void(std::shared_ptr<Connection>, std::string)> finish_on_loop_;
        const std::function<void()> wake_session_;
        std::atomic<bool> busy_{false};
        std::atomic<bool> waiting_{false};
        std::atomic<bool> broken_{false};
    };

    AnswerWriter();
    ~AnswerWriter();  // drops the answers not yet written and joins the thread
    AnswerWriter(const AnswerWriter&) = delete;
    AnswerWriter& operator=(const AnswerWriter&) = delete;

    // Queues `bytes` for `connection`, which must be idle(). A broken connection's socket is
    // shut down both ways, so that its session's next read fails. A sleeping writer only
    // sends them once wake() is called: answers queued together share one wake-up.
    void queue(std::shared_ptr<Connection> connection, std::string bytes);
    // Wakes the writer if it sleeps with answers queued.
    void wake();
    // The writer waits for wake(), its queue empty when it fell asleep.
    bool asleep();

  private:
    struct Queued {
        std::shared_ptr<Connection> connection;
        std::string bytes;
    };
    void run();
    static void send(Queued& answer);

    std::mutex mutex_;
    std::condition_variable wake_;
    std::vector<Queued> queue_;
    bool sleeping_ = false;
    bool stopping_ = false;
    std::thread thread_;  // last: started once the rest is ready
};

}  // namespace awsemu
