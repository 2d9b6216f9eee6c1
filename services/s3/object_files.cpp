#include "services/s3/object_files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <set>

#include "emulator/auth/crypto.hpp"
#include "services/s3/s3_errors.hpp"

namespace awsemu::s3 {
namespace {

// O_DIRECT wants buffers, offsets and sizes in whole logical blocks: 4096 covers every disk.
constexpr std::size_t kDirectAlignment = 4096;
constexpr std::size_t kStagingSize = 1024 * 1024;

std::optional<std::string> header(const HttpRequest& head, std::string_view name) {
    if (const auto value = head.headers.find(name)) {
        return std::string(*value);
    }
    return std::nullopt;
}

}  // namespace

std::string payload_dir(const std::string& data_dir) {
    const std::string dir = data_dir + "/s3";
    std::filesystem::create_directories(dir);
    return dir;
}

ObjectSpool::ObjectSpool(std::string payload_dir, const HttpRequest& head,
                         const std::optional<auth::ChunkSigning>& signing, bool may_inline)
    : dir_(std::move(payload_dir)), may_inline_(may_inline) {
    declared_md5_ = header(head, "Content-MD5");
    const std::string content_sha256 = header(head, "x-amz-content-sha256").value_or("");
    if (content_sha256.size() == 64 &&
        content_sha256.find_first_not_of("0123456789abcdef") == std::string::npos) {
        sha256_.emplace(ChecksumAlgorithm::Sha256);
        declared_sha256_ = content_sha256;
    }
    // The flexible checksum: a header with its value, or an algorithm whose value trails.
    for (const auto& [name, value] : head.headers.entries()) {
        if (const auto algorithm = checksum_algorithm_for_header(name)) {
            checksum_.emplace(*algorithm);
            declared_checksum_ = value;
        }
    }
    if (!checksum_) {
        for (const char* name : {"x-amz-sdk-checksum-algorithm", "x-amz-trailer"}) {
            const std::string value = header(head, name).value_or("");
            const auto algorithm = value.starts_with("x-amz-checksum-")
                                       ? checksum_algorithm_for_header(value)
                                       : parse_checksum_algorithm(value);
            if (algorithm) {
                checksum_.emplace(*algorithm);
                break;
            }
        }
    }
    if (!checksum_) {
        // Since December 2024 S3 gives every object uploaded without a checksum a CRC64NVME.
        checksum_.emplace(ChecksumAlgorithm::Crc64Nvme);
    } else if (declared_checksum_) {
        const auto raw = auth::base64_decode(*declared_checksum_);
        if (!raw || raw->size() != checksum_size(checksum_->algorithm())) {
            fail(AwsError(errors::InvalidRequest,
                          "Value for " + std::string(checksum_header_name(checksum_->algorithm())) +
                              " header is invalid."));
        }
    }
    const auto streaming = parse_streaming_payload(content_sha256);
    const bool chunked_encoding =
        header(head, "Content-Encoding").value_or("").find("aws-chunked") != std::string::npos;
    if (streaming || chunked_encoding) {
        AwsChunkedDecoder::Options options;
        options.declared_trailers = parse_trailer_names(header(head, "x-amz-trailer").value_or(""));
        if (streaming && *streaming != StreamingPayload::UnsignedTrailer) {
            options.signing = signing;
        }
        decoder_ = std::make_unique<AwsChunkedDecoder>(
            [this](std::string_view bytes) { consume(bytes); }, std::move(options));
        if (const auto length = header(head, "x-amz-decoded-content-length")) {
            try {
                decoded_length_ = std::stoull(*length);
            } catch (const std::exception&) {
                fail(AwsError(errors::InvalidArgument, "x-amz-decoded-content-length is invalid"));
            }
        }
        declared_size_ = decoded_length_.value_or(0);
    } else if (const auto length = header(head, "Content-Length")) {
        declared_size_ = std::strtoull(length->c_str(), nullptr, 10);
    }
    if (!may_inline_) {
        open_file();
    }
}

ObjectSpool::~ObjectSpool() {
    if (fd_ >= 0) {
        ::close(fd_);
    }
    if (!claimed_ && !name_.empty()) {
        ::unlink((dir_ + "/" + name_).c_str());
    }
}

void ObjectSpool::fail(const AwsError& error) {
    if (!failure_) {
        failure_ = error;
    }
}

void ObjectSpool::write(std::string_view bytes) {
    if (failure_) {
        return;
    }
    try {
        if (decoder_) {
            decoder_->feed(bytes);
        } else {
            consume(bytes);
        }
    } catch (const AwsError& error) {
        fail(error);
    }
}

void ObjectSpool::write_digested(std::string_view body, const auth::Md5Digest& md5) {
    if (failure_) {
        return;
    }
    md5_.set(md5);
    feed_sha256(body);
    store(body);
}

void ObjectSpool::write_lane(int lane, std::string_view bytes, std::function<void()> done) {
    if (decoder_) {
        write(bytes);
    } else if (lane == 0) {
        feed_sha256(bytes);
        if (!lane_md5_) {
            lane_md5_ = std::make_shared<auth::Md5Streams::Stream>();
        }
        auth::Md5Streams::shared().update(lane_md5_, bytes, std::move(done));
        return;
    } else if (!failure_) {
        store(bytes);
    }
    done();
}

void ObjectSpool::consume(std::string_view bytes) {
    digest(bytes);
    store(bytes);
}

void ObjectSpool::digest(std::string_view bytes) {
    md5_.update(bytes);
    feed_sha256(bytes);
}

void ObjectSpool::feed_sha256(std::string_view bytes) {
    if (sha256_) {
        sha256_->update(bytes);
    }
}

void ObjectSpool::store(std::string_view bytes) {
    if (checksum_) {
        checksum_->update(bytes);
    }
    size_ += bytes.size();
    if (fd_ < 0 && may_inline_ && size_ <= kInlinePayloadLimit) {
        inline_body_.append(bytes);
        return;
    }
    if (fd_ < 0 && !failure_) {
        open_file();
        write_file(inline_body_);
        inline_body_ = std::string();
    }
    write_file(bytes);
}

void ObjectSpool::open_file() {
    name_ = auth::fast_uuid_v4();
    const std::string path = dir_ + "/" + name_;
    constexpr int kFlags = O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC;
    if (declared_size_ >= kDirectWriteMinimum) {
        staging_.reset(static_cast<char*>(std::aligned_alloc(kDirectAlignment, kStagingSize)));
        fd_ = staging_ ? ::open(path.c_str(), kFlags | O_DIRECT, 0600) : -1;
        direct_ = fd_ >= 0;
        if (fd_ < 0 && errno == EINVAL) {  // the file system has no O_DIRECT (tmpfs)
            ::unlink(path.c_str());
        }
    }
    if (fd_ < 0) {
        fd_ = ::open(path.c_str(), kFlags, 0600);
    }
    if (fd_ < 0) {
        fail(AwsError(awsemu::errors::InternalFailure,
                      "cannot create " + path + ": " + std::strerror(errno)));
    }
}

void ObjectSpool::write_file(std::string_view bytes) {
    if (!direct_) {
        write_raw(bytes.data(), bytes.size());
        return;
    }
    while (!bytes.empty() && !failure_) {
        const std::size_t taken = std::min(bytes.size(), kStagingSize - staged_);
        std::memcpy(staging_.get() + staged_, bytes.data(), taken);
        staged_ += taken;
        bytes.remove_prefix(taken);
        if (staged_ == kStagingSize) {
            write_raw(staging_.get(), staged_);
            staged_ = 0;
        }
    }
}

void ObjectSpool::flush_staging() {
    if (!direct_ || staged_ == 0 || failure_) {
        return;
    }
    // The tail is not a whole block: O_DIRECT would refuse it.
    ::fcntl(fd_, F_SETFL, ::fcntl(fd_, F_GETFL) & ~O_DIRECT);
    write_raw(staging_.get(), staged_);
    staged_ = 0;
}

void ObjectSpool::write_raw(const char* data, std::size_t size) {
    std::string_view bytes(data, size);
    while (!bytes.empty() && !failure_) {
        const ssize_t written = ::write(fd_, bytes.data(), bytes.size());
        if (written < 0) {
            const int error = errno;
            if (error == EINTR) {
                continue;
            }
            const int flags = ::fcntl(fd_, F_GETFL);
            if (error == EINVAL && flags >= 0 && (flags & O_DIRECT) != 0) {
                // A file system that opens O_DIRECT but refuses its writes (or a short direct
                // write left the next one unaligned): the page cache from here on.
                ::fcntl(fd_, F_SETFL, flags & ~O_DIRECT);
                continue;
            }
            fail(AwsError(awsemu::errors::InternalFailure,
                          std::string("cannot write an object: ") + std::strerror(error)));
            return;
        }
        bytes.remove_prefix(static_cast<std::size_t>(written));
    }
}

void ObjectSpool::finish() {
    if (failure_) {
        return;
    }
    try {
        if (decoder_) {
            decoder_->finish();
            if (decoded_length_ && *decoded_length_ != decoder_->decoded_length()) {
                throw AwsError(errors::IncompleteBody,
                               "You did not provide the number of bytes specified by the "
                               "x-amz-decoded-content-length header.");
            }
            if (checksum_) {
                const auto trailer = decoder_->trailers().find(
                    std::string(checksum_header_name(checksum_->algorithm())));
                if (trailer != decoder_->trailers().end()) {
                    declared_checksum_ = trailer->second;
                }
            }
        }
        if (lane_md5_) {
            md5_.set(lane_md5_->digest());
        }
        flush_staging();
        finished_ = true;
    } catch (const AwsError& error) {
        fail(error);
    }
}

void ObjectSpool::verify() const {
    if (failure_) {
        throw *failure_;
    }
    if (!finished_) {
        throw AwsError(errors::IncompleteBody, "The request body terminated unexpectedly");
    }
    if (sha256_ && auth::hex_encode(sha256_->raw()) != declared_sha256_) {
        throw AwsError(errors::XAmzContentSHA256Mismatch,
                       "The provided 'x-amz-content-sha256' header does not match what was "
                       "computed.");
    }
    if (declared_md5_) {
        const auto raw = auth::base64_decode(*declared_md5_);
        if (!raw || raw->size() != 16) {
            throw AwsError(errors::InvalidDigest, "The Content-MD5 you specified was invalid.");
        }
        if (*raw != md5_.raw()) {
            throw AwsError(errors::BadDigest,
                           "The Content-MD5 you specified did not match what we received.");
        }
    }
    if (checksum_ && declared_checksum_ && *declared_checksum_ != checksum_->base64()) {
        throw AwsError(errors::BadDigest,
                       "The " + std::string(checksum_name(checksum_->algorithm())) +
                           " you specified did not match the calculated checksum.");
    }
}

std::string ObjectSpool::claim() {
    claimed_ = true;
    if (fd_ >= 0) {
        ::close(fd_);
        fd_ = -1;
    }
    return name_;
}

std::vector<std::string> payload_files(std::string_view names) {
    std::vector<std::string> files;
    while (!names.empty()) {
        const std::size_t end = std::min(names.find('/'), names.size());
        if (end > 0) {
            files.emplace_back(names.substr(0, end));
        }
        names.remove_prefix(std::min(end + 1, names.size()));
    }
    return files;
}

std::string join_payload_files(const std::vector<std::string>& files) {
    std::string names;
    for (const auto& file : files) {
        names += (names.empty() ? "" : "/") + file;
    }
    return names;
}

FileSource::FileSource(const std::vector<std::string>& paths, std::uint64_t offset,
                       std::uint64_t length, const std::vector<std::uint64_t>& sizes)
    : offset_(offset), length_(length) {
    const bool sizes_known = sizes.size() == paths.size();
    std::uint64_t start = 0;
    for (std::size_t i = 0; i < paths.size(); ++i) {
        if (sizes_known && (start + sizes[i] <= offset || start >= offset + length)) {
            start += sizes[i];  // no byte of the range is in it
            continue;
        }
        struct stat info {};
        Segment segment;
        segment.start = start;
        segment.fd = ::open(paths[i].c_str(), O_RDONLY | O_CLOEXEC);
        if (segment.fd < 0 || ::fstat(segment.fd, &info) != 0) {
            const std::string reason = std::strerror(errno);
            if (segment.fd >= 0) {
                ::close(segment.fd);
            }
            close_all();  // the destructor does not run for a constructor that throws
            throw std::runtime_error("cannot open " + paths[i] + ": " + reason);
        }
        segment.size = static_cast<std::uint64_t>(info.st_size);
        start += sizes_known ? sizes[i] : segment.size;
        segments_.push_back(segment);
        if (segment.size >= kDirectWriteMinimum && length >= kDirectWriteMinimum) {
            if (!aligned_) {
                aligned_.reset(
                    static_cast<char*>(std::aligned_alloc(kDirectAlignment, kStagingSize)));
            }
            const int flags = ::fcntl(segment.fd, F_GETFL);
            segments_.back().direct =
                aligned_ && ::fcntl(segment.fd, F_SETFL, flags | O_DIRECT) == 0;
        }
    }
}

FileSource::~FileSource() {
    close_all();
}

void FileSource::close_all() {
    for (const auto& segment : segments_) {
        ::close(segment.fd);
    }
    segments_.clear();
}

std::size_t FileSource::read_segment(Segment& segment, std::uint64_t at, char* buffer,
                                     std::size_t want) {
    want = static_cast<std::size_t>(std::min<std::uint64_t>(want, segment.size - at));
    if (want == 0) {
        return 0;
    }
    if (segment.direct) {
        const std::uint64_t block_start = at & ~std::uint64_t{kDirectAlignment - 1};
        const std::size_t skip = static_cast<std::size_t>(at - block_start);
        const std::size_t span =
            std::min(kStagingSize, (skip + want + kDirectAlignment - 1) & ~(kDirectAlignment - 1));
        ssize_t got;
        do {
            got = ::pread(segment.fd, aligned_.get(), span, static_cast<off_t>(block_start));
        } while (got < 0 && errno == EINTR);
        if (got > static_cast<ssize_t>(skip)) {
            const std::size_t n = std::min(want, static_cast<std::size_t>(got) - skip);
            std::memcpy(buffer, aligned_.get() + skip, n);
            return n;
        }
        // Refused (a file system without O_DIRECT reads): the page cache from here on.
        segment.direct = false;
        ::fcntl(segment.fd, F_SETFL, ::fcntl(segment.fd, F_GETFL) & ~O_DIRECT);
    }
    for (;;) {
        const ssize_t got = ::pread(segment.fd, buffer, want, static_cast<off_t>(at));
        if (got < 0 && errno == EINTR) {
            continue;
        }
        return got > 0 ? static_cast<std::size_t>(got) : 0;
    }
}

std::size_t FileSource::read(char* buffer, std::size_t capacity) {
    const std::uint64_t left = length_ - sent_;
    const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(left, capacity));
    const std::uint64_t at = offset_ + sent_;
    while (want > 0 && current_ < segments_.size()) {
        Segment& segment = segments_[current_];
        if (at >= segment.start + segment.size) {
            ++current_;
            continue;
        }
        const std::size_t n = read_segment(segment, at - segment.start, buffer, want);
        // 0: a file shrank under us: end the body early rather than loop
        sent_ += n;
        return n;
    }
    return 0;
}

void remove_unreferenced_files(const std::string& data_dir,
                               const std::vector<std::string>& referenced) {
    std::set<std::string> keep;
    for (const auto& names : referenced) {
        for (auto& file : payload_files(names)) {
            keep.insert(std::move(file));
        }
    }
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(payload_dir(data_dir), ec)) {
        if (!keep.contains(entry.path().filename().string())) {
            std::filesystem::remove(entry.path(), ec);
        }
    }
}

}  // namespace awsemu::s3
