#include "services/sqs/standard_messages.hpp"

#include <algorithm>

#include "emulator/store/database.hpp"

namespace awsemu::sqs {
namespace {

using Kind = MessageChange::Kind;

// The log is rewritten once it is at least this large and three quarters of it is dead.
constexpr std::uint64_t kMinRewriteSize = 4 * 1024 * 1024;

std::optional<std::int64_t> unless_never(std::int64_t ms, std::int64_t never) {
    return ms == never ? std::nullopt : std::optional<std::int64_t>(ms);
}

MessageChange change_of(Kind kind, std::int64_t seq) {
    MessageChange change;
    change.kind = kind;
    change.message.seq = seq;
    return change;
}

}  // namespace

StandardMessages::StandardMessages(Database& database, const std::string& log_path)
    : db_(database),
      log_(log_path),
      before_commits_(db_.before_every_commit([this] { before_commit(); })),
      before_resets_(db_.before_every_reset([this] { reset(); })) {
    // The queue of each message, while the records that name a message by its seq alone
    // are replayed.
    std::unordered_map<std::int64_t, std::int64_t> queue_of;
    log_.replay([&](const MessageChange& change, std::uint64_t offset, std::uint32_t size) {
        apply(change, offset, size, queue_of);
    });
    for (const auto& [queue_id, q] : queues_) {
        for (const auto& [seq, entry] : q.by_seq) {
            live_bytes_ += entry.record_size;
        }
    }
}

StandardMessages::~StandardMessages() = default;

void StandardMessages::apply(const MessageChange& change, std::uint64_t offset, std::uint32_t size,
                             std::unordered_map<std::int64_t, std::int64_t>& queue_of) {
    const StoredMessage& m = change.message;
    if (change.kind == Kind::purged) {
        queues_.erase(m.queue_id);
        return;
    }
    if (change.kind == Kind::message) {
        last_seq_ = std::max(last_seq_, m.seq);
        queue_of[m.seq] = m.queue_id;
    }
    const auto known = queue_of.find(m.seq);
    const auto owner = known == queue_of.end() ? queues_.end() : queues_.find(known->second);
    if (owner == queues_.end() || !owner->second.by_seq.contains(m.seq)) {
        if (change.kind != Kind::message) {
            return;  // deleted, or its queue was purged after it was sent
        }
    }
    switch (change.kind) {
        case Kind::message:
            put(m.queue_id, m.seq, make_entry(m, offset, size));
            break;
        case Kind::received: {
            Entry entry = owner->second.by_seq.at(m.seq);
            entry.visible_ms = m.visible_ms;
            entry.nonce = m.nonce;
            entry.receive_count = static_cast<std::int32_t>(m.receive_count);
            entry.first_receive_ms = m.first_receive_ms.value_or(kNever);
            entry.last_receive_ms = m.last_receive_ms.value_or(kNever);
            put(owner->first, m.seq, std::move(entry));
            break;
        }
        case Kind::visible: {
            Entry entry = owner->second.by_seq.at(m.seq);
            entry.visible_ms = m.visible_ms;
            put(owner->first, m.seq, std::move(entry));
            break;
        }
        case Kind::deleted:
            drop(owner->first, m.seq);
            break;
        case Kind::moved: {
            Entry entry = owner->second.by_seq.at(m.seq);
            drop(owner->first, m.seq);
            put(m.queue_id, m.seq, make_entry(m, entry.offset, entry.record_size));
            queue_of[m.seq] = m.queue_id;
            break;
        }
        case Kind::purged:
            break;
    }
}

void StandardMessages::keep_queues(const std::vector<std::int64_t>& queue_ids) {
    std::unordered_map<std::int64_t, Queue> kept;
    for (const std::int64_t id : queue_ids) {
        const auto found = queues_.find(id);
        kept[id] = found == queues_.end() ? Queue{} : std::move(found->second);
        if (found != queues_.end()) {
            queues_.erase(found);
        }
    }
    // What is left belongs to queues whose rows are gone (a kill between the log's write and
    // the COMMIT of their creation): purged in the log too, so that a queue given the same id
    // later does not find these messages after the next restart.
    std::vector<std::int64_t> orphans;
    for (const auto& [queue_id, q] : queues_) {
        orphans.push_back(queue_id);
    }
    for (const std::int64_t queue_id : orphans) {
        remove_queue(queue_id);
    }
    queues_ = std::move(kept);
}

void StandardMessages::add_queue(std::int64_t queue_id) {
    queues_[queue_id];
    db_.once_rolled_back([this, queue_id] { queues_.erase(queue_id); });
}

void StandardMessages::remove_queue(std::int64_t queue_id) {
    const auto found = queues_.find(queue_id);
    if (found == queues_.end()) {
        return;
    }
    MessageChange purged;
    purged.kind = Kind::purged;
    purged.message.queue_id = queue_id;
    record(purged);
    std::uint64_t size = 0;
    for (const auto& [seq, entry] : found->second.by_seq) {
        size += entry.record_size;
    }
    live_bytes_ -= size;
    db_.once_rolled_back([this, queue_id, size, queue = std::move(found->second)]() mutable {
        live_bytes_ += size;
        queues_[queue_id] = std::move(queue);
    });
    queues_.erase(found);
}

StandardMessages::Queue& StandardMessages::queue(std::int64_t queue_id) {
    return queues_[queue_id];
}

const StandardMessages::Queue* StandardMessages::find_queue(std::int64_t queue_id) const {
    const auto found = queues_.find(queue_id);
    return found == queues_.end() ? nullptr : &found->second;
}

const StandardMessages::Entry* StandardMessages::entry_of(std::int64_t queue_id,
                                                          std::int64_t seq) const {
    const Queue* q = find_queue(queue_id);
    if (q == nullptr) {
        return nullptr;
    }
    const auto found = q->by_seq.find(seq);
    return found == q->by_seq.end() ? nullptr : &found->second;
}

void StandardMessages::put(std::int64_t queue_id, std::int64_t seq, Entry entry) {
    Queue& q = queue(queue_id);
    const auto [at, added] = q.by_seq.try_emplace(seq);
    if (!added) {
        q.by_visibility.erase({at->second.visible_ms, seq});
    }
    q.by_visibility.emplace(entry.visible_ms, seq);
    at->second = std::move(entry);
}

void StandardMessages::drop(std::int64_t queue_id, std::int64_t seq) {
    Queue& q = queue(queue_id);
    const auto found = q.by_seq.find(seq);
    if (found != q.by_seq.end()) {
        q.by_visibility.erase({found->second.visible_ms, seq});
        q.by_seq.erase(found);
    }
}

void StandardMessages::record(const MessageChange& change) {
    const std::size_t mark = log_.unwritten_size();
    log_.append_change(change);
    db_.once_rolled_back([this, mark] { log_.drop_unwritten_from(mark); });
}

void StandardMessages::change(std::int64_t queue_id, std::int64_t seq, std::optional<Entry> after) {
    const Entry* found = entry_of(queue_id, seq);
    std::optional<Entry> before;
    if (found != nullptr) {
        before = *found;
    }
    const auto size = [](const std::optional<Entry>& entry) {
        return entry ? entry->record_size : 0;
    };
    live_bytes_ = live_bytes_ - size(before) + size(after);
    if (after) {
        put(queue_id, seq, *after);
    } else {
        drop(queue_id, seq);
    }
    db_.once_rolled_back(
        [this, queue_id, seq, size, before = std::move(before), after = std::move(after)] {
            live_bytes_ = live_bytes_ - size(after) + size(before);
            if (before) {
                put(queue_id, seq, *before);
            } else {
                drop(queue_id, seq);
            }
        });
}

void StandardMessages::insert(const StoredMessage& message) {
    last_seq_ = std::max(last_seq_, message.seq);
    const std::size_t mark = log_.unwritten_size();
    const auto [offset, size] = log_.append_message(message);
    live_bytes_ += size;
    put(message.queue_id, message.seq, make_entry(message, offset, size));
    // Rolled back: it was never sent.
    db_.once_rolled_back([this, queue_id = message.queue_id, seq = message.seq, mark, size] {
        log_.drop_unwritten_from(mark);
        live_bytes_ -= size;
        drop(queue_id, seq);
    });
}

StoredMessage StandardMessages::message_of(std::int64_t queue_id, std::int64_t seq,
                                           const Entry& entry) const {
    StoredMessage m = log_.read(entry.offset);
    m.seq = seq;
    m.queue_id = queue_id;
    m.visible_ms = entry.visible_ms;
    m.expires_ms = entry.expires_ms;
    m.receive_count = entry.receive_count;
    m.first_receive_ms = unless_never(entry.first_receive_ms, kNever);
    m.last_receive_ms = unless_never(entry.last_receive_ms, kNever);
    m.nonce = entry.nonce;
    m.dead_letter_source_arn.reset();
    if (entry.dead_letter_source != 0) {
        m.dead_letter_source_arn = dead_letter_sources_[entry.dead_letter_source - 1];
    }
    return m;
}

StandardMessages::Entry StandardMessages::make_entry(const StoredMessage& m, std::uint64_t offset,
                                                     std::uint32_t record_size) {
    return Entry{offset,
                 record_size,
                 static_cast<std::int32_t>(m.receive_count),
                 m.visible_ms,
                 m.expires_ms,
                 m.first_receive_ms.value_or(kNever),
                 m.last_receive_ms.value_or(kNever),
                 m.nonce,
                 dead_letter_source_id(m.dead_letter_source_arn)};
}

std::uint32_t StandardMessages::dead_letter_source_id(const std::optional<std::string>& arn) {
    if (!arn) {
        return 0;
    }
    const auto found = std::find(dead_letter_sources_.begin(), dead_letter_sources_.end(), *arn);
    if (found == dead_letter_sources_.end()) {
        dead_letter_sources_.push_back(*arn);
        return static_cast<std::uint32_t>(dead_letter_sources_.size());
    }
    return static_cast<std::uint32_t>(found - dead_letter_sources_.begin() + 1);
}

std::vector<StoredMessage> StandardMessages::ready(std::int64_t queue_id, std::int64_t now_ms,
                                                   int limit) {
    std::vector<StoredMessage> messages;
    const Queue* q = find_queue(queue_id);
    if (q == nullptr) {
        return messages;
    }
    for (auto at = q->by_visibility.begin(); at != q->by_visibility.end() && at->first <= now_ms &&
                                             messages.size() < static_cast<std::size_t>(limit);
         ++at) {
        messages.push_back(message_of(queue_id, at->second, q->by_seq.at(at->second)));
    }
    return messages;
}

std::optional<StoredMessage> StandardMessages::find(std::int64_t queue_id, std::int64_t seq) {
    const Entry* entry = entry_of(queue_id, seq);
    if (entry == nullptr) {
        return std::nullopt;
    }
    return message_of(queue_id, seq, *entry);
}

void StandardMessages::mark_received(std::int64_t queue_id, std::int64_t seq,
                                     std::int64_t visible_ms, std::int64_t nonce,
                                     std::int64_t now_ms) {
    const Entry* found = entry_of(queue_id, seq);
    if (found == nullptr) {
        return;
    }
    Entry entry = *found;
    entry.visible_ms = visible_ms;
    entry.nonce = nonce;
    entry.receive_count += 1;
    if (entry.first_receive_ms == kNever) {
        entry.first_receive_ms = now_ms;
    }
    entry.last_receive_ms = now_ms;
    MessageChange record = change_of(Kind::received, seq);
    record.message.visible_ms = visible_ms;
    record.message.nonce = nonce;
    record.message.receive_count = entry.receive_count;
    record.message.first_receive_ms = entry.first_receive_ms;
    record.message.last_receive_ms = now_ms;
    this->record(record);
    change(queue_id, seq, std::move(entry));
}

void StandardMessages::set_visible_at(std::int64_t queue_id, std::int64_t seq,
                                      std::int64_t visible_ms) {
    const Entry* found = entry_of(queue_id, seq);
    if (found == nullptr) {
        return;
    }
    Entry entry = *found;
    entry.visible_ms = visible_ms;
    MessageChange record = change_of(Kind::visible, seq);
    record.message.visible_ms = visible_ms;
    this->record(record);
    change(queue_id, seq, std::move(entry));
}

bool StandardMessages::erase(std::int64_t queue_id, std::int64_t seq,
                             std::optional<std::int64_t> nonce) {
    const Entry* found = entry_of(queue_id, seq);
    if (found == nullptr || (nonce && found->nonce != *nonce)) {
        return false;
    }
    record(change_of(Kind::deleted, seq));
    change(queue_id, seq, std::nullopt);
    return true;
}

void StandardMessages::move(std::int64_t queue_id, std::int64_t seq, std::int64_t to_queue_id,
                            std::int64_t visible_ms, std::int64_t expires_ms,
                            const std::optional<std::string>& dead_letter_source_arn) {
    const Entry* found = entry_of(queue_id, seq);
    if (found == nullptr || !holds(to_queue_id)) {
        return;
    }
    const std::uint64_t offset = found->offset;
    const std::uint32_t record_size = found->record_size;
    MessageChange move = change_of(Kind::moved, seq);
    move.message.queue_id = to_queue_id;
    move.message.visible_ms = visible_ms;
    move.message.expires_ms = expires_ms;
    move.message.dead_letter_source_arn = dead_letter_source_arn;
    record(move);
    change(queue_id, seq, std::nullopt);
    change(to_queue_id, seq, make_entry(move.message, offset, record_size));  // counts reset
}

int StandardMessages::erase_expired(std::int64_t queue_id, std::int64_t now_ms) {
    const Queue* q = find_queue(queue_id);
    if (q == nullptr) {
        return 0;
    }
    std::vector<std::int64_t> expired;
    for (const auto& [seq, entry] : q->by_seq) {
        if (entry.expires_ms <= now_ms) {
            expired.push_back(seq);
        }
    }
    for (const std::int64_t seq : expired) {
        record(change_of(Kind::deleted, seq));
        change(queue_id, seq, std::nullopt);
    }
    return static_cast<int>(expired.size());
}

void StandardMessages::purge(std::int64_t queue_id) {
    if (!holds(queue_id)) {
        return;
    }
    remove_queue(queue_id);
    queues_[queue_id];  // still a standard queue, now empty; undo puts back what it held
}

MessageCounts StandardMessages::counts(std::int64_t queue_id, std::int64_t now_ms) const {
    MessageCounts counts;
    const Queue* q = find_queue(queue_id);
    if (q == nullptr) {
        return counts;
    }
    for (const auto& [visible_ms, seq] : q->by_visibility) {
        if (visible_ms <= now_ms) {
            ++counts.visible;
        } else if (q->by_seq.at(seq).receive_count > 0) {
            ++counts.not_visible;
        } else {
            ++counts.delayed;
        }
    }
    return counts;
}

std::optional<std::int64_t> StandardMessages::next_visible_after(std::int64_t queue_id,
                                                                 std::int64_t now_ms) const {
    const Queue* q = find_queue(queue_id);
    if (q == nullptr) {
        return std::nullopt;
    }
    const auto next = q->by_visibility.upper_bound({now_ms, INT64_MAX});
    if (next == q->by_visibility.end()) {
        return std::nullopt;
    }
    return next->first;
}

std::int64_t StandardMessages::count(std::int64_t queue_id) const {
    const Queue* q = find_queue(queue_id);
    return q == nullptr ? 0 : static_cast<std::int64_t>(q->by_seq.size());
}

// Before every outermost COMMIT: the records of the changes made since the last one are
// written, so that the answers that wait for this commit leave only once they would survive a
// kill.
void StandardMessages::before_commit() {
    const std::uint64_t written_before = log_.size();
    log_.write();
    // The commit fails: what it would have made durable is cut off again.
    db_.once_rolled_back([this, written_before] { log_.cut_to(written_before); });
    if (log_.size() >= std::max(kMinRewriteSize, retry_rewrite_at_) &&
        live_bytes_ * 4 < log_.size()) {
        db_.once_committed([this] { rewrite_if_mostly_dead(); });
    }
}

// The live messages, in the order of their records, with their state, become the whole log.
void StandardMessages::rewrite_if_mostly_dead() {
    if (log_.unwritten_size() > 0 || live_bytes_ * 4 >= log_.size()) {
        return;
    }
    struct Live {
        std::uint64_t offset;
        Entry* entry;
        std::int64_t queue_id;
        std::int64_t seq;
    };
    std::vector<Live> live;
    for (auto& [queue_id, q] : queues_) {
        for (auto& [seq, entry] : q.by_seq) {
            live.push_back({entry.offset, &entry, queue_id, seq});
        }
    }
    std::sort(live.begin(), live.end(),
              [](const Live& a, const Live& b) { return a.offset < b.offset; });
    try {
        std::vector<StoredMessage> messages;
        messages.reserve(live.size());
        for (const Live& one : live) {
            messages.push_back(message_of(one.queue_id, one.seq, *one.entry));
        }
        const auto offsets = log_.rewrite(messages);
        live_bytes_ = log_.size();
        for (std::size_t i = 0; i < live.size(); ++i) {
            live[i].entry->offset = offsets[i];
            live[i].entry->record_size = static_cast<std::uint32_t>(
                (i + 1 < offsets.size() ? offsets[i + 1] : log_.size()) - offsets[i]);
        }
    } catch (const StoreError&) {
        // Kept as it was: every record in it still reads the same. Tried again once it has
        // grown by as much again, not at every commit.
        retry_rewrite_at_ = log_.size() + kMinRewriteSize;
    }
}

// A reset: every queue goes, and the log with them at once.
void StandardMessages::reset() {
    queues_.clear();
    dead_letter_sources_.clear();
    live_bytes_ = 0;
    log_.drop_unwritten_from(0);
    log_.rewrite({});
}

}  // namespace awsemu::sqs
