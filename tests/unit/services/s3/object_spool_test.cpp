#include "services/s3/object_files.hpp"

#include <catch2/catch.hpp>

#include <cstddef>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "emulator/auth/md5_lanes.hpp"
#include "services/s3/checksums.hpp"
#include "tests/unit/temp_dir.hpp"

using namespace awsemu;
using namespace awsemu::s3;
using awsemu::testing::TempDir;

namespace {

std::string pattern_bytes(std::size_t size) {
    std::string out(size, '\0');
    for (std::size_t i = 0; i < size; ++i) {
        out[i] = static_cast<char>((i * 7 + i / 4096) % 256);
    }
    return out;
}

HttpRequest put_head(std::size_t content_length) {
    HttpRequest head;
    head.method = "PUT";
    head.headers.add("Content-Length", std::to_string(content_length));
    head.headers.add("x-amz-content-sha256", "UNSIGNED-PAYLOAD");
    return head;
}

std::string file_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string crc64_of(const std::string& body) {
    Checksum crc(ChecksumAlgorithm::Crc64Nvme);
    crc.update(body);
    return crc.base64();
}

// Feeds `body` in chunks of `chunk` bytes, through the lanes (as the server's workers do) or
// through write() (as the event loop does).
void feed(ObjectSpool& spool, const std::string& body, std::size_t chunk, bool lanes) {
    for (std::size_t at = 0; at < body.size(); at += chunk) {
        const std::string_view piece = std::string_view(body).substr(at, chunk);
        if (lanes) {
            int done = 0;
            for (int lane = 0; lane < spool.off_loop_lanes(); ++lane) {
                spool.write_lane(lane, piece, [&done] { ++done; });
            }
            REQUIRE(done == spool.off_loop_lanes());  // no other thread hashes here
        } else {
            spool.write(piece);
        }
    }
    spool.finish();
}

}  // namespace

TEST_CASE("a body written through the lanes is the body written through write()") {
    TempDir dir;
    const std::string payloads = payload_dir(dir.path().string());
    // Either side of the inline limit, one byte over a staging block, and a large body whose
    // file is written with O_DIRECT and ends in a partial block.
    const auto size = GENERATE(std::size_t{100}, kInlinePayloadLimit + 1, std::size_t{1048577},
                               std::size_t{kDirectWriteMinimum + 4099});
    const std::string body = pattern_bytes(size);
    Md5Hasher expected_md5;
    expected_md5.update(body);

    for (const bool lanes : {true, false}) {
        CAPTURE(size, lanes);
        ObjectSpool spool(payloads, put_head(size), std::nullopt, true);
        REQUIRE(spool.off_loop_lanes() == 2);
        feed(spool, body, 256 * 1024 + 3, lanes);
        spool.verify();
        CHECK(spool.size() == static_cast<std::int64_t>(size));
        CHECK(spool.md5_hex() == expected_md5.hex());
        REQUIRE(spool.checksum().has_value());
        CHECK(spool.checksum()->base64() == crc64_of(body));
        const std::string file = spool.claim();
        if (size <= kInlinePayloadLimit) {
            CHECK(file.empty());
            CHECK(spool.take_inline_body() == body);
        } else {
            REQUIRE_FALSE(file.empty());
            CHECK(file_bytes(payloads + "/" + file) == body);
        }
    }
}

TEST_CASE("a body handed over whole with its MD5 is kept as a written one is") {
    TempDir dir;
    const std::string payloads = payload_dir(dir.path().string());
    const auto size = GENERATE(std::size_t{1}, kInlinePayloadLimit + 1);
    const std::string body = pattern_bytes(size);
    const std::string_view view(body);
    const auth::Md5Digest md5 = auth::md5_each({&view, 1}).front();
    Md5Hasher expected_md5;
    expected_md5.update(body);

    ObjectSpool spool(payloads, put_head(size), std::nullopt, true);
    REQUIRE(spool.takes_md5());
    spool.write_digested(body, md5);
    spool.finish();
    spool.verify();
    CHECK(spool.size() == static_cast<std::int64_t>(size));
    CHECK(spool.md5_hex() == expected_md5.hex());
    CHECK(spool.checksum()->base64() == crc64_of(body));
    const std::string file = spool.claim();
    CHECK((file.empty() ? spool.take_inline_body() : file_bytes(payloads + "/" + file)) == body);

    // Content-MD5 is checked against the MD5 handed over.
    HttpRequest head = put_head(size);
    head.headers.add("Content-MD5", expected_md5.base64());
    auth::Md5Digest wrong = md5;
    wrong[0] ^= 1;
    ObjectSpool checked(payloads, head, std::nullopt, true);
    checked.write_digested(body, wrong);
    checked.finish();
    CHECK_THROWS_WITH(checked.verify(),
                      "The Content-MD5 you specified did not match what we received.");
}

TEST_CASE("an aws-chunked body is decoded before it is hashed: one lane") {
    TempDir dir;
    HttpRequest head = put_head(0);
    head.headers.set("x-amz-content-sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER");
    head.headers.add("Content-Encoding", "aws-chunked");
    ObjectSpool spool(payload_dir(dir.path().string()), head, std::nullopt, true);
    CHECK(spool.off_loop_lanes() == 1);
    CHECK_FALSE(spool.takes_md5());  // its MD5 is of the decoded bytes
    bool done = false;
    spool.write_lane(0, "5\r\nhello\r\n0\r\n\r\n", [&done] { done = true; });
    CHECK(done);
    spool.finish();
    spool.verify();
    CHECK(spool.size() == 5);
    Md5Hasher md5;
    md5.update("hello");
    CHECK(spool.md5_hex() == md5.hex());
}

namespace {

// A payload file holding `body`, written as an upload of it would be.
std::string spooled_file(const std::string& payloads, const std::string& body) {
    ObjectSpool spool(payloads, put_head(body.size()), std::nullopt, false);
    feed(spool, body, 1 << 20, true);
    spool.verify();
    return payloads + "/" + spool.claim();
}

std::string read_all(FileSource& source, std::size_t capacity) {
    std::string out;
    std::string buffer(capacity, '\0');
    while (const std::size_t n = source.read(buffer.data(), buffer.size())) {
        out.append(buffer.data(), n);
    }
    return out;
}

}  // namespace

TEST_CASE("a payload file is read back whole and by range, large ones past the page cache") {
    TempDir dir;
    const std::string payloads = payload_dir(dir.path().string());
    const std::string body = pattern_bytes(kDirectWriteMinimum + 12345);
    const std::string path = spooled_file(payloads, body);

    FileSource whole({path}, 0, body.size());
    CHECK(read_all(whole, 1 << 20) == body);
    // An unaligned range of a large object, read in odd pieces.
    const std::uint64_t offset = 4097;
    const std::uint64_t length = kDirectWriteMinimum + 5;
    FileSource range({path}, offset, length);
    CHECK(range.size() == length);
    CHECK(read_all(range, 300001) == body.substr(offset, length));
}

TEST_CASE("a payload of several files reads as their concatenation") {
    TempDir dir;
    const std::string payloads = payload_dir(dir.path().string());
    // As a completed multipart upload keeps its parts: a large one, a small one, a large one.
    const std::vector<std::string> parts = {pattern_bytes(kDirectWriteMinimum + 1),
                                            pattern_bytes(70000),
                                            pattern_bytes(kDirectWriteMinimum + 4096)};
    std::vector<std::string> names;
    std::vector<std::string> paths;
    for (const auto& part : parts) {
        paths.push_back(spooled_file(payloads, part));
        names.push_back(paths.back().substr(payloads.size() + 1));
    }
    const std::string column = join_payload_files(names);
    CHECK(payload_files(column) == names);
    CHECK(payload_files(names[0]) == std::vector<std::string>{names[0]});
    CHECK(payload_files("").empty());

    const std::string body = parts[0] + parts[1] + parts[2];
    FileSource whole(paths, 0, body.size());
    CHECK(read_all(whole, 1 << 20) == body);
    // A range from inside the first file, across the second, into the third.
    const std::uint64_t offset = parts[0].size() - 10;
    const std::uint64_t length = 10 + parts[1].size() + 5000;
    FileSource range(paths, offset, length);
    CHECK(read_all(range, 65536) == body.substr(offset, length));
}

namespace {

std::size_t open_descriptors() {
    std::size_t count = 0;
    for ([[maybe_unused]] const auto& entry :
         std::filesystem::directory_iterator("/proc/self/fd")) {
        ++count;
    }
    return count;
}

}  // namespace

TEST_CASE("a multipart payload opens only the files its range reads, and leaks none") {
    TempDir dir;
    const std::string payloads = payload_dir(dir.path().string());
    const std::vector<std::string> parts = {pattern_bytes(5000), pattern_bytes(6000),
                                            pattern_bytes(7000)};
    std::vector<std::string> paths;
    for (const auto& part : parts) {
        paths.push_back(spooled_file(payloads, part));
    }
    const std::vector<std::uint64_t> sizes = {5000, 6000, 7000};
    const std::string body = parts[0] + parts[1] + parts[2];
    // The first part is gone: a range of the last two reads without it, as the recorded sizes
    // place them; a range that needs it fails, with nothing left open.
    std::filesystem::remove(paths[0]);
    FileSource tail(paths, 5000 + 17, 6000 + 100, sizes);
    CHECK(read_all(tail, 4096) == body.substr(5000 + 17, 6000 + 100));

    const std::size_t before = open_descriptors();
    // Opens the third file, then fails on the first: the third must not stay open.
    std::vector<std::string> reordered = {paths[2], paths[0]};
    CHECK_THROWS_AS(FileSource(reordered, 0, 7000 + 5000), std::runtime_error);
    CHECK(open_descriptors() == before);
}
