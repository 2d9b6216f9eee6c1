#include "emulator/chaos/zone_outages.hpp"

#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

using awsemu::is_zone_name;
using awsemu::ZoneOutages;

TEST_CASE("Zone outages take zones down and back, telling listeners of changes only",
          "[chaos][unit]") {
    ZoneOutages zones;
    std::vector<std::pair<std::string, bool>> heard;
    zones.on_change(
        [&](const std::string& zone, bool available) { heard.emplace_back(zone, available); });
    CHECK(zones.available("us-east-1a"));
    CHECK(zones.lose("us-east-1a"));
    CHECK_FALSE(zones.lose("us-east-1a"));
    CHECK(zones.lose("us-east-1b"));
    CHECK_FALSE(zones.available("us-east-1a"));
    CHECK(zones.available("us-east-1c"));
    CHECK(zones.lost() == std::vector<std::string>{"us-east-1a", "us-east-1b"});
    CHECK(zones.restore("us-east-1a"));
    CHECK_FALSE(zones.restore("us-east-1a"));
    CHECK(zones.available("us-east-1a"));
    CHECK(heard == std::vector<std::pair<std::string, bool>>{
                       {"us-east-1a", false}, {"us-east-1b", false}, {"us-east-1a", true}});
}

TEST_CASE("Zone names are a region and a letter", "[chaos][unit]") {
    for (const char* name : {"us-east-1a", "eu-west-3c", "ap-southeast-2b", "us-gov-west-1a"}) {
        INFO(name);
        CHECK(is_zone_name(name));
    }
    for (const char* name : {"", "us-east-1", "us-east-1A", "useast1a", "-us-east-1a",
                             "us--east-1a", "us-east-a", "use1-az1", "us-east-1a/x"}) {
        INFO(name);
        CHECK_FALSE(is_zone_name(name));
    }
}
