#pragma once

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "emulator/auth/md5_streams.hpp"
#include "emulator/http/http_message.hpp"
#include "emulator/protocol/aws_error.hpp"
#include "services/s3/aws_chunked_decoder.hpp"
#include "services/s3/checksums.hpp"

// Object payloads as files: uploads stream into a new file under the data directory (decoding
// aws-chunked and hashing as they go) and are never visible until a row names them; downloads
// stream out of the file. Files are named by a random id and never change once written.
//
// Small objects (up to kInlinePayloadLimit) skip the file: their bytes go into the object's row,
// in the same write as its metadata. Creating, writing and closing a file costs a small upload
// more than everything else it does (a new inode in a large directory), and a row is read back
// faster than a file is opened; the memory held per upload stays bounded by the limit.
namespace awsemu::s3 {

inline constexpr std::size_t kInlinePayloadLimit = 16 * 1024;
// Bodies announced at least this large are written with O_DIRECT (where the file system can).
inline constexpr std::uint64_t kDirectWriteMinimum = 8 * 1024 * 1024;

// The directory payload files live in; made on first use.
std::string payload_dir(const std::string& data_dir);

// A request body on its way into a payload file.
class ObjectSpool final : public RequestBodySink {
  public:
    // `signing`: the chunk signatures of a signed aws-chunked body are checked against it;
    // unset, they are read past (open auth: the head's signature is not checked either).
    // `may_inline`: a body within kInlinePayloadLimit stays in memory for the row (objects);
    // unset, every body goes to a file (multipart parts, which are joined file to file).
    // `payload_dir`: payload_dir(data_dir), which exists.
    ObjectSpool(std::string payload_dir, const HttpRequest& head,
                const std::optional<auth::ChunkSigning>& signing, bool may_inline);
    ~ObjectSpool() override;

    void write(std::string_view bytes) override;
    void finish() override;
    // A large body's MD5 (lane 0) runs beside its checksum and file write (lane 1), both
    // beside the socket's reads, and beside other uploads' MD5s (auth::Md5Streams). An
    // aws-chunked body is decoded first: one lane.
    int off_loop_lanes() const override { return decoder_ ? 1 : 2; }
    void write_lane(int lane, std::string_view bytes, std::function<void()> done) override;
    // An aws-chunked body's MD5 is of what it decodes to, which the server does not see.
    bool takes_md5() const override { return !decoder_; }
    void write_digested(std::string_view body, const auth::Md5Digest& md5) override;

    // Throws the first failure (bad framing, digest mismatch, disk) or answers normally.
    void verify() const;
    // Keeps the file (the caller's row now names it); answers its name, or "" when the body
    // stayed inline.
    std::string claim();
    // The body when it stayed inline (claim() answered ""); moved out.
    std::string take_inline_body() { return std::move(inline_body_); }

    std::int64_t size() const { return static_cast<std::int64_t>(size_); }
    std::string md5_hex() const { return md5_.hex(); }
    std::string md5_raw() const { return md5_.raw(); }
    // The flexible checksum the client asked for (header or trailer), if any.
    const std::optional<Checksum>& checksum() const { return checksum_; }
    std::optional<std::string> declared_checksum() const { return declared_checksum_; }

  private:
    // A decoded body's bytes: digest() then store().
    void consume(std::string_view bytes);
    // MD5, and SHA-256 when declared: touches nothing store() does.
    void digest(std::string_view bytes);
    // The SHA-256 the client declared (x-amz-content-sha256), if it declared one.
    void feed_sha256(std::string_view bytes);
    // The checksum, the size, and the bytes into the row or the file.
    void store(std::string_view bytes);
    // Moves the body to a payload file: it outgrew kInlinePayloadLimit, or may not be inline.
    void open_file();
    void write_file(std::string_view bytes);
    // Writes bytes as they are, through the page cache or (direct) straight to the disk.
    void write_raw(const char* data, std::size_t size);
    // Writes what waits in the staging buffer, which need not be a whole block.
    void flush_staging();
    void fail(const AwsError& error);

    std::string dir_;
    std::string name_;  // of the payload file, once there is one
    int fd_ = -1;
    // A body announced as large is written with O_DIRECT, in whole blocks gathered in an
    // aligned staging buffer: it does not pass through (and evict) the page cache, whose pages
    // cost more to find than the disk takes to write them.
    std::uint64_t declared_size_ = 0;
    bool direct_ = false;
    std::unique_ptr<char, void (*)(void*)> staging_{nullptr, std::free};
    std::size_t staged_ = 0;
    bool may_inline_;
    std::string inline_body_;
    bool claimed_ = false;
    bool finished_ = false;
    std::optional<AwsError> failure_;
    std::uint64_t size_ = 0;
    Md5Hasher md5_;
    std::shared_ptr<auth::Md5Streams::Stream> lane_md5_;  // lane 0's, made by its first chunk
    std::optional<Checksum> checksum_;
    std::optional<std::string> declared_checksum_;  // base64, from the header or the trailer
    std::optional<std::string> declared_md5_;       // Content-MD5, base64
    std::optional<Checksum> sha256_;                // when x-amz-content-sha256 is a digest
    std::string declared_sha256_;
    std::optional<std::uint64_t> decoded_length_;  // x-amz-decoded-content-length
    std::unique_ptr<AwsChunkedDecoder> decoder_;
};

// A completed multipart upload keeps its parts' files as its payload instead of joining them
// into one, which would write every byte once more: the object's file column then names them
// all, in order, separated by '/' (no file name holds one).
std::vector<std::string> payload_files(std::string_view names);
std::string join_payload_files(const std::vector<std::string>& files);

// A payload (or a byte range of it) as a response body: its files read one after the other.
class FileSource final : public ResponseBodySource {
  public:
    // Opens the files the bytes come from now, so that a later overwrite of the object cannot
    // change what is sent. offset and length count in the files' concatenation. With `sizes`
    // (one per path, as a multipart object records its parts'), files outside the range are
    // not opened at all; without, each is opened to learn its size. Throws std::runtime_error,
    // with nothing left open, when a file cannot be opened.
    FileSource(const std::vector<std::string>& paths, std::uint64_t offset, std::uint64_t length,
               const std::vector<std::uint64_t>& sizes = {});
    ~FileSource() override;
    FileSource(const FileSource&) = delete;
    FileSource& operator=(const FileSource&) = delete;
    std::uint64_t size() const override { return length_; }
    std::size_t read(char* buffer, std::size_t capacity) override;

  private:
    struct Segment {
        int fd = -1;
        // A large file is read past the page cache (O_DIRECT) in aligned blocks through
        // `aligned_`, as large uploads are written: their bytes are not in the cache, and the
        // pages it would fill cost more than the disk takes to read.
        bool direct = false;
        std::uint64_t start = 0;  // of its first byte in the concatenation
        std::uint64_t size = 0;
    };
    void close_all();
    // Up to `want` bytes of the segment at `at` (within it); 0 at its end or when it shrank.
    std::size_t read_segment(Segment& segment, std::uint64_t at, char* buffer, std::size_t want);

    std::vector<Segment> segments_;
    std::size_t current_ = 0;  // the segment the next byte comes from
    std::unique_ptr<char, void (*)(void*)> aligned_{nullptr, std::free};
    std::uint64_t offset_;
    std::uint64_t length_;
    std::uint64_t sent_ = 0;
};

// Removes payload files no row names any more (left by a crash between writing and recording).
void remove_unreferenced_files(const std::string& data_dir,
                               const std::vector<std::string>& referenced);

}  // namespace awsemu::s3
