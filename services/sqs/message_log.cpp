#include "services/sqs/message_log.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "emulator/store/database.hpp"
#include "emulator/store/positioned_io.hpp"

namespace awsemu::sqs {
namespace {

using Kind = MessageChange::Kind;

// What the buffer of unwritten records keeps between writes: a usual turn's worth.
constexpr std::size_t kKeptCapacity = 256 * 1024;
// How much replay() reads at a time.
constexpr std::uint64_t kReplayChunk = 4 * 1024 * 1024;
// How much rewrite() gathers before each write to the new file.
constexpr std::size_t kRewriteChunk = 1024 * 1024;

enum Flags : std::uint8_t {
    kHasGroupId = 1,
    kHasDedupId = 2,
    kHasDeadLetterSource = 4,
    kHasFirstReceive = 8,
    kHasLastReceive = 16,
};

void put_u32(std::string& out, std::uint32_t value) {
    char bytes[4];
    std::memcpy(bytes, &value, sizeof value);
    out.append(bytes, sizeof bytes);
}

void put_i64(std::string& out, std::int64_t value) {
    char bytes[8];
    std::memcpy(bytes, &value, sizeof value);
    out.append(bytes, sizeof bytes);
}

void put_text(std::string& out, const std::string& text) {
    put_u32(out, static_cast<std::uint32_t>(text.size()));
    out.append(text);
}

// Reads one record's fields; false when the record is shorter than they need.
class RecordReader {
  public:
    explicit RecordReader(std::string_view bytes) : bytes_(bytes) {}

    bool i64(std::int64_t& value) { return fixed(&value, sizeof value); }
    bool u8(std::uint8_t& value) { return fixed(&value, sizeof value); }
    bool text(std::string& value) {
        std::uint32_t size = 0;
        if (!fixed(&size, sizeof size) || size > bytes_.size()) {
            return false;
        }
        value.assign(bytes_.substr(0, size));
        bytes_.remove_prefix(size);
        return true;
    }
    bool optional_i64(bool present, std::optional<std::int64_t>& value) {
        return !present || i64(value.emplace());
    }
    bool optional_text(bool present, std::optional<std::string>& value) {
        return !present || text(value.emplace());
    }

  private:
    bool fixed(void* value, std::size_t size) {
        if (bytes_.size() < size) {
            return false;
        }
        std::memcpy(value, bytes_.data(), size);
        bytes_.remove_prefix(size);
        return true;
    }

    std::string_view bytes_;
};

// Starts a record of `kind` at the end of `out`; finish_record() fills in its length.
std::size_t start_record(std::string& out, Kind kind) {
    const std::size_t start = out.size();
    put_u32(out, 0);
    out.push_back(static_cast<char>(kind));
    return start;
}

void finish_record(std::string& out, std::size_t start) {
    const auto size = static_cast<std::uint32_t>(out.size() - start - sizeof(std::uint32_t));
    std::memcpy(out.data() + start, &size, sizeof size);
}

void put_message(std::string& out, const StoredMessage& m) {
    const std::size_t start = start_record(out, Kind::message);
    for (const std::int64_t value :
         {m.seq, m.queue_id, m.sent_ms, m.visible_ms, m.expires_ms, m.receive_count, m.nonce}) {
        put_i64(out, value);
    }
    out.push_back(static_cast<char>(
        (m.group_id ? kHasGroupId : 0) | (m.dedup_id ? kHasDedupId : 0) |
        (m.dead_letter_source_arn ? kHasDeadLetterSource : 0) |
        (m.first_receive_ms ? kHasFirstReceive : 0) | (m.last_receive_ms ? kHasLastReceive : 0)));
    if (m.first_receive_ms) {
        put_i64(out, *m.first_receive_ms);
    }
    if (m.last_receive_ms) {
        put_i64(out, *m.last_receive_ms);
    }
    for (const std::string* text :
         {&m.message_id, &m.body, &m.body_md5, &m.attributes, &m.system_attributes, &m.sender_id}) {
        put_text(out, *text);
    }
    for (const auto* text : {&m.group_id, &m.dedup_id, &m.dead_letter_source_arn}) {
        if (*text) {
            put_text(out, **text);
        }
    }
    finish_record(out, start);
}

bool read_message(RecordReader& in, StoredMessage& m) {
    std::uint8_t flags = 0;
    return in.i64(m.seq) && in.i64(m.queue_id) && in.i64(m.sent_ms) && in.i64(m.visible_ms) &&
           in.i64(m.expires_ms) && in.i64(m.receive_count) && in.i64(m.nonce) && in.u8(flags) &&
           in.optional_i64((flags & kHasFirstReceive) != 0, m.first_receive_ms) &&
           in.optional_i64((flags & kHasLastReceive) != 0, m.last_receive_ms) &&
           in.text(m.message_id) && in.text(m.body) && in.text(m.body_md5) &&
           in.text(m.attributes) && in.text(m.system_attributes) && in.text(m.sender_id) &&
           in.optional_text((flags & kHasGroupId) != 0, m.group_id) &&
           in.optional_text((flags & kHasDedupId) != 0, m.dedup_id) &&
           in.optional_text((flags & kHasDeadLetterSource) != 0, m.dead_letter_source_arn);
}

bool read_change(std::string_view bytes, MessageChange& change) {
    RecordReader in(bytes);
    std::uint8_t kind = 0;
    if (!in.u8(kind)) {
        return false;
    }
    change.kind = static_cast<Kind>(kind);
    StoredMessage& m = change.message;
    switch (change.kind) {
        case Kind::message:
            return read_message(in, m);
        case Kind::received:
            return in.i64(m.seq) && in.i64(m.visible_ms) && in.i64(m.nonce) &&
                   in.i64(m.receive_count) && in.optional_i64(true, m.first_receive_ms) &&
                   in.optional_i64(true, m.last_receive_ms);
        case Kind::visible:
            return in.i64(m.seq) && in.i64(m.visible_ms);
        case Kind::deleted:
            return in.i64(m.seq);
        case Kind::moved: {
            std::uint8_t flags = 0;
            return in.i64(m.seq) && in.i64(m.queue_id) && in.i64(m.visible_ms) &&
                   in.i64(m.expires_ms) && in.u8(flags) &&
                   in.optional_text((flags & kHasDeadLetterSource) != 0, m.dead_letter_source_arn);
        }
        case Kind::purged:
            return in.i64(m.queue_id);
    }
    return false;  // a kind this version does not write
}

[[noreturn]] void fail(const std::string& what, const std::string& path) {
    throw StoreError("cannot " + what + " " + (path.empty() ? "the SQS message log" : path) + ": " +
                     std::strerror(errno));
}

int open_log_file(const std::string& path) {
    return path.empty() ? ::memfd_create("awsemu-sqs-messages", MFD_CLOEXEC)
                        : ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
}

}  // namespace

MessageLog::MessageLog(std::string path) : path_(std::move(path)) {
    fd_ = open_log_file(path_);
    struct stat st {};
    if (fd_ < 0 || ::fstat(fd_, &st) != 0) {
        const int error = errno;
        if (fd_ >= 0) {
            ::close(fd_);
        }
        errno = error;
        fail("open", path_);
    }
    end_ = static_cast<std::uint64_t>(st.st_size);
}

MessageLog::~MessageLog() {
    ::close(fd_);
}

void MessageLog::replay(
    const std::function<void(const MessageChange&, std::uint64_t, std::uint32_t)>& visit) {
    std::uint64_t whole = 0;  // the end of the last whole record
    // A chunk at a time, so that a large log is not read into memory at once.
    std::uint64_t chunk = kReplayChunk;
    std::string bytes;
    while (whole < end_) {
        bytes.resize(static_cast<std::size_t>(std::min(chunk, end_ - whole)));
        read_all_at(fd_, bytes, whole, path_);
        std::string_view rest(bytes);
        bool progressed = false;
        bool unreadable = false;
        while (rest.size() >= sizeof(std::uint32_t)) {
            std::uint32_t size = 0;
            std::memcpy(&size, rest.data(), sizeof size);
            if (size > rest.size() - sizeof size) {
                break;  // it goes on in the next chunk, or the file ends first
            }
            MessageChange change;
            if (!read_change(rest.substr(sizeof size, size), change)) {
                unreadable = true;
                break;
            }
            visit(change, whole, static_cast<std::uint32_t>(sizeof size + size));
            rest.remove_prefix(sizeof size + size);
            whole += sizeof size + size;
            progressed = true;
        }
        if (unreadable || (!progressed && bytes.size() == end_ - whole)) {
            break;  // cut short: the last write failed half-way
        }
        if (!progressed) {
            chunk *= 2;  // a record longer than a chunk
        }
    }
    if (whole < end_) {
        if (::ftruncate(fd_, static_cast<off_t>(whole)) != 0) {
            fail("cut the unfinished end of", path_);
        }
        end_ = whole;
    }
}

std::pair<std::uint64_t, std::uint32_t> MessageLog::append_message(const StoredMessage& message) {
    const std::size_t start = unwritten_.size();
    put_message(unwritten_, message);
    return {end_ + start, static_cast<std::uint32_t>(unwritten_.size() - start)};
}

void MessageLog::append_change(const MessageChange& change) {
    const StoredMessage& m = change.message;
    if (change.kind == Kind::message) {
        put_message(unwritten_, m);
        return;
    }
    const std::size_t start = start_record(unwritten_, change.kind);
    switch (change.kind) {
        case Kind::received:
            for (const std::int64_t value :
                 {m.seq, m.visible_ms, m.nonce, m.receive_count, m.first_receive_ms.value_or(0),
                  m.last_receive_ms.value_or(0)}) {
                put_i64(unwritten_, value);
            }
            break;
        case Kind::visible:
            put_i64(unwritten_, m.seq);
            put_i64(unwritten_, m.visible_ms);
            break;
        case Kind::deleted:
            put_i64(unwritten_, m.seq);
            break;
        case Kind::moved:
            for (const std::int64_t value : {m.seq, m.queue_id, m.visible_ms, m.expires_ms}) {
                put_i64(unwritten_, value);
            }
            unwritten_.push_back(
                static_cast<char>(m.dead_letter_source_arn ? kHasDeadLetterSource : 0));
            if (m.dead_letter_source_arn) {
                put_text(unwritten_, *m.dead_letter_source_arn);
            }
            break;
        case Kind::purged:
            put_i64(unwritten_, m.queue_id);
            break;
        case Kind::message:
            break;
    }
    finish_record(unwritten_, start);
}

StoredMessage MessageLog::read(std::uint64_t offset) const {
    std::string_view record;
    std::string bytes;
    if (offset >= end_) {
        record = std::string_view(unwritten_).substr(offset - end_);
    } else {
        // A message record's fixed fields are about 80 bytes: one read usually takes it whole.
        bytes.resize(512);
        ssize_t got = 0;
        do {
            got = ::pread(fd_, bytes.data(), bytes.size(), static_cast<off_t>(offset));
        } while (got < 0 && errno == EINTR);
        if (got < 0) {
            fail("read", path_);
        }
        bytes.resize(static_cast<std::size_t>(got));
        std::uint32_t size = 0;
        if (bytes.size() >= sizeof size) {
            std::memcpy(&size, bytes.data(), sizeof size);
        }
        if (bytes.size() < sizeof size + size) {
            bytes.resize(sizeof size + size);
            read_all_at(fd_, bytes, offset, path_);
        }
        record = bytes;
    }
    std::uint32_t size = 0;
    MessageChange change;
    if (record.size() >= sizeof size) {
        std::memcpy(&size, record.data(), sizeof size);
    }
    if (record.size() < sizeof size + size ||
        !read_change(record.substr(sizeof size, size), change) || change.kind != Kind::message) {
        throw StoreError("the SQS message log has no message at offset " + std::to_string(offset));
    }
    return std::move(change.message);
}

void MessageLog::drop_unwritten_from(std::size_t mark) {
    if (mark < unwritten_.size()) {
        unwritten_.resize(mark);
    }
}

void MessageLog::write() {
    try {
        write_all_at(fd_, unwritten_, end_, path_);
    } catch (const StoreError&) {
        unwritten_.clear();
        // What was written of these records never happened: cut it off, so that it neither
        // reads as records nor sits before the next write's records.
        [[maybe_unused]] const int ignored = ::ftruncate(fd_, static_cast<off_t>(end_));
        throw;
    }
    end_ += unwritten_.size();
    unwritten_.clear();
    if (unwritten_.capacity() > kKeptCapacity) {
        unwritten_.shrink_to_fit();
    }
}

void MessageLog::cut_to(std::uint64_t mark) {
    unwritten_.clear();
    if (mark < end_ && ::ftruncate(fd_, static_cast<off_t>(mark)) == 0) {
        end_ = mark;
    }
}

std::vector<std::uint64_t> MessageLog::rewrite(const std::vector<StoredMessage>& messages) {
    const std::string new_path = path_.empty() ? path_ : path_ + ".new";
    const int new_fd = path_.empty()
                           ? open_log_file(path_)
                           : ::open(new_path.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (new_fd < 0) {
        fail("create", new_path);
    }
    std::vector<std::uint64_t> offsets;
    offsets.reserve(messages.size());
    try {
        std::string chunk;
        std::uint64_t written = 0;
        for (const StoredMessage& message : messages) {
            offsets.push_back(written + chunk.size());
            put_message(chunk, message);
            if (chunk.size() >= kRewriteChunk) {
                write_all_at(new_fd, chunk, written, new_path);
                written += chunk.size();
                chunk.clear();
            }
        }
        write_all_at(new_fd, chunk, written, new_path);
        written += chunk.size();
        if (!path_.empty() && std::rename(new_path.c_str(), path_.c_str()) != 0) {
            fail("replace " + path_ + " with", new_path);
        }
        ::close(fd_);
        fd_ = new_fd;
        end_ = written;
    } catch (const StoreError&) {
        ::close(new_fd);
        if (!path_.empty()) {
            std::remove(new_path.c_str());
        }
        throw;
    }
    return offsets;
}

}  // namespace awsemu::sqs
