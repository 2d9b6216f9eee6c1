#include "emulator/http/answer_writer.hpp"

#include <cerrno>

#include <sys/socket.h>

namespace awsemu {

void AnswerWriter::Connection::failed() {
    broken_.store(true);
    ::shutdown(fd_, SHUT_RDWR);
}

void AnswerWriter::Connection::written() {
    busy_.store(false);
    if (waiting_.exchange(false)) {
        wake_session_();
    }
}

AnswerWriter::AnswerWriter() : thread_([this] { run(); }) {}

AnswerWriter::~AnswerWriter() {
    {
        const std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_one();
    thread_.join();
}

void AnswerWriter::queue(std::shared_ptr<Connection> connection, std::string bytes) {
    connection->busy_.store(true);
    const std::lock_guard lock(mutex_);
    queue_.push_back({std::move(connection), std::move(bytes)});
}

void AnswerWriter::wake() {
    bool sleeping = false;
    {
        const std::lock_guard lock(mutex_);
        sleeping = !queue_.empty() && std::exchange(sleeping_, false);
    }
    if (sleeping) {
        wake_.notify_one();
    }
}

bool AnswerWriter::asleep() {
    const std::lock_guard lock(mutex_);
    return sleeping_;
}

void AnswerWriter::run() {
    std::vector<Queued> batch;
    for (;;) {
        {
            std::unique_lock lock(mutex_);
            while (queue_.empty() && !stopping_) {
                sleeping_ = true;
                wake_.wait(lock);
            }
            sleeping_ = false;  // (a spurious wake-up that found answers queued)
            if (stopping_) {
                return;
            }
            batch.swap(queue_);
        }
        for (Queued& answer : batch) {
            send(answer);
        }
        batch.clear();
    }
}

void AnswerWriter::send(Queued& answer) {
    Connection& connection = *answer.connection;
    const std::string& bytes = answer.bytes;
    std::size_t sent = 0;
    while (sent < bytes.size()) {
        const ssize_t n = ::send(connection.fd(), bytes.data() + sent, bytes.size() - sent,
                                 MSG_DONTWAIT | MSG_NOSIGNAL);
        if (n > 0) {
            sent += static_cast<std::size_t>(n);
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            connection.finish_on_loop_(answer.connection, bytes.substr(sent));
            return;
        } else {
            connection.failed();
            break;
        }
    }
    connection.written();
}

}  // namespace awsemu
