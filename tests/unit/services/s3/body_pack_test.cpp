#include "services/s3/body_pack.hpp"

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <string>

#include "emulator/store/database.hpp"
#include "tests/unit/temp_dir.hpp"

using namespace awsemu;
using namespace awsemu::s3;
using awsemu::testing::TempDir;

namespace {

std::string bytes_of(std::size_t size, char seed) {
    std::string out(size, '\0');
    for (std::size_t i = 0; i < size; ++i) {
        out[i] = static_cast<char>(seed + static_cast<char>(i % 61));
    }
    return out;
}

struct FileState {
    std::uint64_t size = 0;
    std::uint64_t allocated = 0;  // bytes of disk
};

FileState state_of(const std::string& path) {
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    return {static_cast<std::uint64_t>(st.st_size), static_cast<std::uint64_t>(st.st_blocks) * 512};
}

// Whether [offset, offset + size) holds any data (as opposed to a hole) on disk.
bool holds_data(const std::string& path, std::uint64_t offset, std::uint64_t size) {
    const int fd = ::open(path.c_str(), O_RDONLY);
    REQUIRE(fd >= 0);
    const off_t data = ::lseek(fd, static_cast<off_t>(offset), SEEK_DATA);
    ::close(fd);
    return data >= 0 && static_cast<std::uint64_t>(data) < offset + size;
}

}  // namespace

TEST_CASE("test_bodies_start_on_block_boundaries_and_read_back_as_written", "[s3][body_pack]") {
    TempDir dir;
    const std::string path = (dir.path() / "pack").string();
    BodyPack pack(path);
    const std::string a = bytes_of(1, 'a');
    const std::string b = bytes_of(4096, 'b');
    const std::string c = bytes_of(4097, 'c');
    const std::string d = bytes_of(10000, 'd');
    const auto at_a = pack.append(a);
    const auto at_b = pack.append(b);
    const auto at_c = pack.append(c);
    const auto at_d = pack.append(d);
    CHECK(at_a == 0);
    CHECK(at_b == 4096);
    CHECK(at_c == 8192);
    CHECK(at_d == 16384);  // c took two blocks
    const auto all_read_back = [&] {
        return pack.read({at_a, a.size()}) == a && pack.read({at_b, b.size()}) == b &&
               pack.read({at_c, c.size()}) == c && pack.read({at_d, d.size()}) == d;
    };
    CHECK(all_read_back());  // before they are written
    CHECK(state_of(path).size == 0);
    pack.flush();
    CHECK(state_of(path).size == at_d + d.size());
    CHECK(all_read_back());  // from the file
    BodyPack reopened(path);
    CHECK(reopened.read({at_c, c.size()}) == c);
}

TEST_CASE("test_bodies_appended_after_a_flush_are_written_by_the_next", "[s3][body_pack]") {
    TempDir dir;
    const std::string path = (dir.path() / "pack").string();
    BodyPack pack(path);
    const auto at_first = pack.append(bytes_of(5000, 'f'));
    pack.flush();
    const std::string second = bytes_of(3000, 's');
    const auto at_second = pack.append(second);
    CHECK(at_second == at_first + 2 * BodyPack::kBlock);
    CHECK(state_of(path).size == 5000);
    pack.flush();
    CHECK(state_of(path).size == at_second + second.size());
    CHECK(BodyPack(path).read({at_second, second.size()}) == second);
    pack.flush();  // nothing more to write
    CHECK(state_of(path).size == at_second + second.size());
}

TEST_CASE("test_a_flush_that_fails_is_a_store_error_and_drops_what_it_held", "[s3][body_pack]") {
    BodyPack full("/dev/full");  // every write fails with ENOSPC
    const auto at = full.append("lost");
    CHECK_THROWS_AS(full.flush(), StoreError);
    CHECK(full.read({at, 4}) == std::string(4, '\0'));    // the device's zeros, not "lost"
    CHECK_NOTHROW(full.flush());                          // nothing left to write
    CHECK(full.append("next") == at + BodyPack::kBlock);  // after the dropped body all the same
}

TEST_CASE("test_a_released_body_gives_its_blocks_back_and_leaves_its_neighbours",
          "[s3][body_pack]") {
    TempDir dir;
    const std::string path = (dir.path() / "pack").string();
    BodyPack pack(path);
    const std::string first = bytes_of(5000, 'f');
    const std::string middle = bytes_of(8192, 'm');
    const std::string last = bytes_of(300, 'l');
    const auto at_first = pack.append(first);
    const auto at_middle = pack.append(middle);
    const auto at_last = pack.append(last);
    pack.flush();
    const auto before = state_of(path);

    pack.release({at_middle, middle.size()});

    CHECK_FALSE(holds_data(path, at_middle, middle.size()));
    CHECK(state_of(path).allocated <= before.allocated - 8192);
    CHECK(state_of(path).size == before.size);
    CHECK(pack.read({at_first, first.size()}) == first);
    CHECK(pack.read({at_last, last.size()}) == last);
    // Released space is not reused: the next body still goes after the last one.
    CHECK(pack.append("next") == at_last + BodyPack::kBlock);
}

TEST_CASE("test_a_reopened_pack_keeps_only_the_live_bodies_and_appends_after_the_last",
          "[s3][body_pack]") {
    TempDir dir;
    const std::string path = (dir.path() / "pack").string();
    const std::string kept = bytes_of(6000, 'k');
    const std::string kept_too = bytes_of(100, 't');
    std::uint64_t at_kept = 0;
    std::uint64_t at_dropped = 0;
    std::uint64_t at_kept_too = 0;
    std::uint64_t at_tail = 0;
    {
        BodyPack pack(path);
        at_kept = pack.append(kept);
        at_dropped = pack.append(bytes_of(4096, 'x'));  // its row was never committed
        at_kept_too = pack.append(kept_too);
        at_tail = pack.append(bytes_of(20000, 'y'));  // nor was this one's, before a crash
        pack.flush();
    }
    BodyPack reopened(path);
    reopened.keep_only({{at_kept, kept.size()}, {at_kept_too, kept_too.size()}});

    CHECK_FALSE(holds_data(path, at_dropped, 4096));
    CHECK(state_of(path).size == at_tail);  // the tail is cut at the last live body's block
    CHECK(reopened.read({at_kept, kept.size()}) == kept);
    CHECK(reopened.read({at_kept_too, kept_too.size()}) == kept_too);
    CHECK(reopened.append("after") == at_tail);
}

TEST_CASE("test_a_reopened_pack_appends_after_what_it_holds", "[s3][body_pack]") {
    TempDir dir;
    const std::string path = (dir.path() / "pack").string();
    std::uint64_t at_first = 0;
    {
        BodyPack pack(path);
        at_first = pack.append(bytes_of(4100, 'a'));
        pack.flush();
    }
    BodyPack reopened(path);
    CHECK(reopened.append("b") == at_first + 2 * BodyPack::kBlock);
}

TEST_CASE("test_reading_past_the_packs_end_is_a_store_error", "[s3][body_pack]") {
    TempDir dir;
    BodyPack pack((dir.path() / "pack").string());
    const auto at = pack.append("short");
    CHECK_THROWS_AS(pack.read({at, 5000}), StoreError);
    pack.flush();
    CHECK_THROWS_AS(pack.read({at, 5000}), StoreError);
}

TEST_CASE("test_a_pack_that_cannot_be_opened_is_a_store_error", "[s3][body_pack]") {
    TempDir dir;
    CHECK_THROWS_AS(BodyPack((dir.path() / "missing" / "pack").string()), StoreError);
}
