#include "emulator/http/md5_batch.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace awsemu {

namespace asio = boost::asio;

asio::awaitable<auth::Md5Digest> Md5Batch::digest(std::string_view bytes) {
    auth::Md5Digest answer{};
    co_await asio::async_initiate<const asio::use_awaitable_t<>&, void()>(
        [this, bytes, &answer](asio::any_completion_handler<void()> resume) {
            if (waiting_.empty()) {
                // Runs after what is already queued: the other requests read in this turn.
                asio::post(io_, [this] { run(); });
            }
            waiting_.push_back({bytes, &answer, std::move(resume)});
        },
        asio::use_awaitable);
    co_return answer;
}

void Md5Batch::run() {
    std::vector<Waiting> batch;
    batch.swap(waiting_);
    std::vector<std::string_view> bodies;
    bodies.reserve(batch.size());
    for (const Waiting& waiting : batch) {
        bodies.push_back(waiting.bytes);
    }
    const std::vector<auth::Md5Digest> digests = auth::md5_each(bodies);
    for (std::size_t i = 0; i < batch.size(); ++i) {
        *batch[i].answer = digests[i];
    }
    // Resumed here rather than posted: their requests reach the handlers in this turn, before
    // the commit that waited for them (GroupCommit::wait_for_arrivals).
    for (Waiting& waiting : batch) {
        std::move(waiting.resume)();
    }
}

}  // namespace awsemu
