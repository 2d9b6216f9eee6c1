#include "services/s3/s3_store.hpp"

#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <cstdint>
#include <string>
#include <vector>

#include "tests/unit/temp_dir.hpp"

using namespace awsemu;
using namespace awsemu::s3;
using awsemu::testing::TempDir;

namespace {

ObjectVersion object_of(const std::string& key, std::string body) {
    ObjectVersion o;
    o.bucket = "b";
    o.key = key;
    o.size = static_cast<std::int64_t>(body.size());
    o.etag = "\"e\"";
    o.body = std::move(body);
    return o;
}

std::uint64_t file_size(const std::string& path) {
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    return static_cast<std::uint64_t>(st.st_size);
}

}  // namespace

TEST_CASE("test_packed_bodies_reach_the_file_before_the_commit_that_names_them",
          "[s3][store][unit]") {
    TempDir dir;
    const std::string db_path = (dir.path() / "state.db").string();
    const std::string pack_path = (dir.path() / "pack").string();
    Database db(db_path);
    S3Store store(db, pack_path);
    const Bucket bucket{"b", "000000000000", "us-east-1", 0, ""};
    store.insert_bucket(bucket);
    const std::string first(4096, 'f');
    const std::string second(3000, 's');

    {
        auto batch = db.transaction();
        {
            auto request = db.transaction();
            store.put_object(bucket, object_of("first", first));
            request.commit();
        }
        {
            auto undone = db.transaction();
            store.put_object(bucket, object_of("undone", std::string(5000, 'u')));
        }  // rolled back
        const auto staged = store.find_object("b", "first", std::nullopt);
        REQUIRE(staged);
        CHECK(store.body_of(*staged) == first);  // read back before it is written
        CHECK(file_size(pack_path) == 0);
        batch.commit();
    }
    // Written by the commit, the rolled-back body with it (its blocks wait for the next start).
    CHECK(file_size(pack_path) == BodyPack::kBlock + 5000);
    CHECK_FALSE(store.find_object("b", "undone", std::nullopt));

    // No transaction open: the row commits on its own, so the body is written at once.
    store.put_object(bucket, object_of("second", second));
    CHECK(file_size(pack_path) == 3 * BodyPack::kBlock + second.size());  // after the 5000

    S3Store reopened(db, pack_path);
    const auto first_again = reopened.find_object("b", "first", std::nullopt);
    const auto second_again = reopened.find_object("b", "second", std::nullopt);
    REQUIRE(first_again);
    REQUIRE(second_again);
    CHECK(reopened.body_of(*first_again) == first);
    CHECK(reopened.body_of(*second_again) == second);
}

TEST_CASE("test_listings_read_the_keys_past_the_marker_that_start_with_the_prefix",
          "[s3][store][unit]") {
    TempDir dir;
    Database db((dir.path() / "state.db").string());
    S3Store store(db, (dir.path() / "pack").string());
    const Bucket bucket{"b", "000000000000", "us-east-1", 0, ""};
    store.insert_bucket(bucket);
    // Byte order: '/' < '0' < 'c' < 0xc3 (é) < 0xf4 (U+10FFFF) < 0xff.
    const std::vector<std::string> keys = {"a",
                                           "b/1",
                                           "b/2",
                                           "b0",
                                           "b\xff",
                                           "b\xff\xff",
                                           "b\xff\xff"
                                           "1",
                                           "c",
                                           "\xc3\xa9/1",
                                           "\xf4\x8f\xbf\xbf",
                                           "\xf4\x8f\xbf\xbf"
                                           "x"};
    for (const auto& key : keys) {
        store.put_object(bucket, object_of(key, "x"));
    }
    const auto latest = [&](const std::string& prefix, const std::string& after) {
        std::vector<std::string> listed;
        for (const auto& o : store.list_latest("b", prefix, after, 1000)) {
            listed.push_back(o.key);
        }
        return listed;
    };
    using Keys = std::vector<std::string>;
    CHECK(latest("", "") == keys);
    CHECK(latest("b/", "") == Keys{"b/1", "b/2"});
    CHECK(latest("b/", "a") == Keys{"b/1", "b/2"});
    CHECK(latest("b/", "b/1") == Keys{"b/2"});
    CHECK(latest("b/", "b/2").empty());
    CHECK(latest("b/", "c").empty());
    CHECK(latest("b", "") == Keys{"b/1", "b/2", "b0", "b\xff", "b\xff\xff",
                                  "b\xff\xff"
                                  "1"});
    // A prefix that ends in 0xff bytes: its range ends where the byte before them grows.
    CHECK(latest("b\xff", "") == Keys{"b\xff", "b\xff\xff",
                                      "b\xff\xff"
                                      "1"});
    CHECK(latest("b\xff\xff", "b\xff\xff") == Keys{"b\xff\xff"
                                                   "1"});
    CHECK(latest("\xc3\xa9", "") == Keys{"\xc3\xa9/1"});
    CHECK(latest("\xf4\x8f\xbf\xbf", "") == Keys{"\xf4\x8f\xbf\xbf",
                                                 "\xf4\x8f\xbf\xbf"
                                                 "x"});
    CHECK(latest("",
                 "b\xff\xff"
                 "1") == Keys{"c", "\xc3\xa9/1", "\xf4\x8f\xbf\xbf",
                              "\xf4\x8f\xbf\xbf"
                              "x"});
    CHECK(latest("z", "").empty());

    std::vector<std::string> versions;
    for (const auto& o : store.list_versions("b", "b/", "a", std::nullopt, 1000)) {
        versions.push_back(o.key);
    }
    CHECK(versions == Keys{"b/1", "b/2"});
    CHECK(store.list_versions("b", "b\xff", "b\xff\xff", std::nullopt, 1000).size() == 1);
}

TEST_CASE("test_a_versions_listing_goes_on_inside_a_key_after_a_version", "[s3][store][unit]") {
    TempDir dir;
    Database db((dir.path() / "state.db").string());
    S3Store store(db, (dir.path() / "pack").string());
    const Bucket bucket{"b", "000000000000", "us-east-1", 0, "Enabled"};
    store.insert_bucket(bucket);
    const auto put = [&](const std::string& key, const std::string& version) {
        ObjectVersion o = object_of(key, "x");
        o.version_id = version;
        store.put_object(bucket, o);
    };
    for (const char* version : {"v1", "v2", "v3", "v4", "v5"}) {
        put("k", version);
    }
    put("l", "w1");
    const auto listed = [&](const std::string& prefix, const std::string& after_key,
                            const std::optional<std::string>& after_version, int limit) {
        std::vector<std::string> out;
        for (const auto& o : store.list_versions("b", prefix, after_key, after_version, limit)) {
            out.push_back(o.key + ":" + o.version_id);
        }
        return out;
    };
    using Entries = std::vector<std::string>;
    CHECK(listed("", "", std::nullopt, 1000) ==
          Entries{"k:v5", "k:v4", "k:v3", "k:v2", "k:v1", "l:w1"});
    CHECK(listed("", "k", std::string("v4"), 1000) == Entries{"k:v3", "k:v2", "k:v1", "l:w1"});
    CHECK(listed("", "k", std::string("v4"), 2) == Entries{"k:v3", "k:v2"});
    CHECK(listed("", "k", std::string("v1"), 1000) == Entries{"l:w1"});
    CHECK(listed("", "k", std::nullopt, 1000) == Entries{"l:w1"});
    // A version that is not there (deleted since): all of the key's versions, then the next key.
    CHECK(listed("", "k", std::string("gone"), 1000) ==
          Entries{"k:v5", "k:v4", "k:v3", "k:v2", "k:v1", "l:w1"});
    // The marker's key outside the prefix: none of its versions.
    CHECK(listed("l", "k", std::string("v4"), 1000) == Entries{"l:w1"});
}
