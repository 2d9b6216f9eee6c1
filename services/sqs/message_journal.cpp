#include "services/sqs/message_journal.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "emulator/store/database.hpp"
#include "emulator/store/positioned_io.hpp"

namespace awsemu::sqs {
namespace {

// What the buffer of unwritten records keeps between writes: a usual turn's worth.
constexpr std::size_t kKeptCapacity = 256 * 1024;

enum Flags : std::uint8_t { kHasGroupId = 1, kHasDedupId = 2 };

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

bool read_record(std::string_view bytes, StoredMessage& m) {
    RecordReader in(bytes);
    std::uint8_t flags = 0;
    bool ok = in.i64(m.seq) && in.i64(m.queue_id) && in.i64(m.sent_ms) && in.i64(m.visible_ms) &&
              in.i64(m.expires_ms) && in.u8(flags) && in.text(m.message_id) && in.text(m.body) &&
              in.text(m.body_md5) && in.text(m.attributes) && in.text(m.system_attributes) &&
              in.text(m.sender_id);
    if (ok && (flags & kHasGroupId) != 0) {
        ok = in.text(m.group_id.emplace());
    }
    if (ok && (flags & kHasDedupId) != 0) {
        ok = in.text(m.dedup_id.emplace());
    }
    return ok;
}

[[noreturn]] void fail(const std::string& what, const std::string& path) {
    throw StoreError("cannot " + what + " " + path + ": " + std::strerror(errno));
}

}  // namespace

MessageJournal::MessageJournal(std::string path) : path_(std::move(path)) {
    fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
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

MessageJournal::~MessageJournal() {
    ::close(fd_);
}

std::vector<StoredMessage> MessageJournal::recover() {
    std::string bytes(end_, '\0');
    read_all_at(fd_, bytes, 0, path_);
    std::vector<StoredMessage> messages;
    std::uint64_t whole = 0;  // the end of the last whole record
    std::string_view rest(bytes);
    while (rest.size() >= sizeof(std::uint32_t)) {
        std::uint32_t size = 0;
        std::memcpy(&size, rest.data(), sizeof size);
        rest.remove_prefix(sizeof size);
        StoredMessage message;
        if (size > rest.size() || !read_record(rest.substr(0, size), message)) {
            break;  // cut short: the last write failed half-way
        }
        messages.push_back(std::move(message));
        rest.remove_prefix(size);
        whole += sizeof size + size;
    }
    if (whole < end_) {
        if (::ftruncate(fd_, static_cast<off_t>(whole)) != 0) {
            fail("cut the unfinished end of", path_);
        }
        end_ = whole;
    }
    return messages;
}

void MessageJournal::cut_to(std::uint64_t mark) {
    unwritten_.clear();
    if (mark < end_ && ::ftruncate(fd_, static_cast<off_t>(mark)) == 0) {
        end_ = mark;
    }
}

void MessageJournal::append(const StoredMessage& m) {
    const std::size_t start = unwritten_.size();
    put_u32(unwritten_, 0);  // the record's length, filled in below
    put_i64(unwritten_, m.seq);
    put_i64(unwritten_, m.queue_id);
    put_i64(unwritten_, m.sent_ms);
    put_i64(unwritten_, m.visible_ms);
    put_i64(unwritten_, m.expires_ms);
    unwritten_.push_back(
        static_cast<char>((m.group_id ? kHasGroupId : 0) | (m.dedup_id ? kHasDedupId : 0)));
    put_text(unwritten_, m.message_id);
    put_text(unwritten_, m.body);
    put_text(unwritten_, m.body_md5);
    put_text(unwritten_, m.attributes);
    put_text(unwritten_, m.system_attributes);
    put_text(unwritten_, m.sender_id);
    if (m.group_id) {
        put_text(unwritten_, *m.group_id);
    }
    if (m.dedup_id) {
        put_text(unwritten_, *m.dedup_id);
    }
    const auto size = static_cast<std::uint32_t>(unwritten_.size() - start - sizeof(std::uint32_t));
    std::memcpy(unwritten_.data() + start, &size, sizeof size);
}

void MessageJournal::drop_unwritten_from(std::size_t mark) {
    if (mark < unwritten_.size()) {
        unwritten_.resize(mark);
    }
}

void MessageJournal::write() {
    try {
        write_all_at(fd_, unwritten_, end_, path_);
    } catch (const StoreError&) {
        unwritten_.clear();
        // What was written of these records is not a message: cut it off, so that it neither
        // reads as one nor sits before the next write's records.
        [[maybe_unused]] const int ignored = ::ftruncate(fd_, static_cast<off_t>(end_));
        throw;
    }
    end_ += unwritten_.size();
    unwritten_.clear();
    if (unwritten_.capacity() > kKeptCapacity) {
        unwritten_.shrink_to_fit();
    }
}

void MessageJournal::clear() {
    unwritten_.clear();
    if (end_ == 0) {
        return;
    }
    if (::ftruncate(fd_, 0) != 0) {
        fail("empty", path_);
    }
    end_ = 0;
}

}  // namespace awsemu::sqs
