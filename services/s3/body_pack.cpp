#include "services/s3/body_pack.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "emulator/store/database.hpp"
#include "emulator/store/positioned_io.hpp"

namespace awsemu::s3 {
namespace {

// What the buffer of unwritten bodies keeps between batches: a usual batch's worth.
constexpr std::size_t kKeptCapacity = 1024 * 1024;

std::uint64_t block_ceiling(std::uint64_t offset) {
    return (offset + BodyPack::kBlock - 1) / BodyPack::kBlock * BodyPack::kBlock;
}

}  // namespace

BodyPack::BodyPack(std::string path) : path_(std::move(path)) {
    fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    struct stat st {};
    if (fd_ < 0 || ::fstat(fd_, &st) != 0) {
        const std::string reason = std::strerror(errno);
        if (fd_ >= 0) {
            ::close(fd_);
        }
        throw StoreError("cannot open " + path_ + ": " + reason);
    }
    end_ = block_ceiling(static_cast<std::uint64_t>(st.st_size));
}

BodyPack::~BodyPack() {
    ::close(fd_);
}

std::uint64_t BodyPack::append(std::string_view body) {
    const std::uint64_t offset = end_;
    if (unwritten_.empty()) {
        unwritten_at_ = offset;
    }
    unwritten_.resize(offset - unwritten_at_, '\0');  // the previous body's block ends in zeros
    unwritten_.append(body);
    end_ = block_ceiling(offset + body.size());
    return offset;
}

void BodyPack::flush() {
    try {
        write_all_at(fd_, unwritten_, unwritten_at_, path_);
    } catch (const StoreError&) {
        // The rows naming these bodies roll back; the next bodies go after them all the same,
        // past whatever was written.
        unwritten_.clear();
        throw;
    }
    unwritten_.clear();  // keeps its capacity for the next batch, unless that was a big one
    if (unwritten_.capacity() > kKeptCapacity) {
        unwritten_.shrink_to_fit();
    }
}

std::string BodyPack::read(const PackedBody& body) const {
    if (!unwritten_.empty() && body.offset >= unwritten_at_) {
        const std::uint64_t from = body.offset - unwritten_at_;
        if (from + body.size > unwritten_.size()) {
            throw StoreError("cannot read a body of " + path_ + ": it was never appended");
        }
        return unwritten_.substr(from, body.size);
    }
    std::string bytes(body.size, '\0');
    read_all_at(fd_, bytes, body.offset, path_);
    return bytes;
}

void BodyPack::release(const PackedBody& body) {
    // A file system without holes keeps the blocks: the bytes stay until the pack is removed.
    ::fallocate(fd_, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, static_cast<off_t>(body.offset),
                static_cast<off_t>(block_ceiling(body.size)));
}

void BodyPack::keep_only(const std::vector<PackedBody>& live) {
    std::uint64_t free_from = 0;
    const auto release_up_to = [&](std::uint64_t until) {
        // Only a gap that still holds data costs a punch: one seek finds out.
        if (until > free_from) {
            const off_t data = ::lseek(fd_, static_cast<off_t>(free_from), SEEK_DATA);
            if (data >= 0 && static_cast<std::uint64_t>(data) < until) {
                release({free_from, until - free_from});
            }
        }
    };
    for (const auto& body : live) {
        release_up_to(body.offset);
        free_from = std::max(free_from, block_ceiling(body.offset + body.size));
    }
    if (::ftruncate(fd_, static_cast<off_t>(free_from)) != 0) {
        throw StoreError("cannot truncate " + path_ + ": " + std::strerror(errno));
    }
    end_ = free_from;
}

}  // namespace awsemu::s3
