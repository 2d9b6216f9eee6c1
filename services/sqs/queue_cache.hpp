#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

#include "emulator/store/database.hpp"
#include "services/sqs/sqs_store.hpp"

namespace awsemu::sqs {

// Queues by (account, region, name) as last read from the store. Every message operation names
// its queue by URL, and reading the queue's row costs about as much as the rest of a
// SendMessage's SQL. The store empties the cache whenever it changes a queue row; the cache
// empties itself when the database rolled writes back or was reset since it was filled, as it
// may hold a row those writes made.
class QueueCache {
  public:
    explicit QueueCache(const Database& database) : database_(database) {}

    const Queue* find(std::string_view account_id, std::string_view region, std::string_view name) {
        if (database_.epoch() != epoch_) {
            clear();
        }
        const auto it = queues_.find(key(account_id, region, name));
        return it == queues_.end() ? nullptr : &it->second;
    }

    void remember(const Queue& queue) {
        if (queues_.size() >= kMaxQueues) {
            clear();  // a bound for accounts with very many queues; rereading is cheap enough
        }
        queues_.insert_or_assign(key(queue.account_id, queue.region, queue.name), queue);
    }

    void clear() {
        queues_.clear();
        epoch_ = database_.epoch();
    }

  private:
    static constexpr std::size_t kMaxQueues = 10'000;

    static std::string key(std::string_view account_id, std::string_view region,
                           std::string_view name) {
        std::string key;
        key.reserve(account_id.size() + region.size() + name.size() + 2);
        key.append(account_id).append(1, '\n').append(region).append(1, '\n').append(name);
        return key;
    }

    const Database& database_;
    std::uint64_t epoch_ = 0;
    std::unordered_map<std::string, Queue> queues_;
};

}  // namespace awsemu::sqs
