// Where tasks go (task_placement.cpp): zone spreading and loopback addresses per subnet.
#include "services/ecs/task_placement.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <set>

#include <catch2/catch.hpp>

#include "tests/unit/services/ecs/ecs_runtime_fixture.hpp"

using namespace awsemu;
using namespace awsemu::ecs;

namespace {

ec2::SubnetInfo subnet(const std::string& id, const std::string& zone, const std::string& cidr) {
    ec2::SubnetInfo out;
    out.subnet_id = id;
    out.vpc_id = "vpc-1";
    out.availability_zone = zone;
    out.cidr_block = cidr;
    return out;
}

}  // namespace

TEST_CASE("Unit behaviour: placement spreads a group's tasks across zones", "[ecs][unit]") {
    TaskPlacement placement;
    const std::vector<ec2::SubnetInfo> subnets = {
        subnet("subnet-a", "us-east-1a", "172.31.0.0/20"),
        subnet("subnet-b", "us-east-1b", "172.31.16.0/20"),
        subnet("subnet-c", "us-east-1c", "172.31.32.0/20")};
    std::map<std::string, int> per_zone;
    std::vector<std::string> zones;
    std::vector<std::string> addresses;
    for (int i = 0; i < 6; ++i) {
        const auto choice = placement.place(subnets, per_zone);
        REQUIRE(choice);
        zones.push_back(choice->subnet.availability_zone);
        addresses.push_back(choice->private_ip);
    }
    CHECK(zones == std::vector<std::string>{"us-east-1a", "us-east-1b", "us-east-1c", "us-east-1a",
                                            "us-east-1b", "us-east-1c"});
    CHECK(per_zone ==
          std::map<std::string, int>{{"us-east-1a", 2}, {"us-east-1b", 2}, {"us-east-1c", 2}});
    // A subnet's first four addresses are reserved; the loopback address mirrors the subnet's.
    CHECK(addresses == std::vector<std::string>{"127.31.0.4", "127.31.16.4", "127.31.32.4",
                                                "127.31.0.5", "127.31.16.5", "127.31.32.5"});

    // Tasks of the group already running count: the emptiest zone comes first.
    std::map<std::string, int> running = {{"us-east-1a", 3}, {"us-east-1b", 1}};
    CHECK(placement.place(subnets, running)->subnet.availability_zone == "us-east-1c");
    CHECK(placement.place(subnets, running)->subnet.availability_zone == "us-east-1b");
    CHECK(placement.place(subnets, running)->subnet.availability_zone == "us-east-1c");
}

TEST_CASE("Unit behaviour: placement skips zones that are down", "[ecs][unit]") {
    TaskPlacement placement;
    placement.zone_available = [](const std::string& zone) { return zone != "us-east-1a"; };
    const std::vector<ec2::SubnetInfo> subnets = {
        subnet("subnet-a", "us-east-1a", "172.31.0.0/20"),
        subnet("subnet-b", "us-east-1b", "172.31.16.0/20")};
    std::map<std::string, int> per_zone;
    for (int i = 0; i < 3; ++i) {
        CHECK(placement.place(subnets, per_zone)->subnet.subnet_id == "subnet-b");
    }
    placement.zone_available = [](const std::string&) { return false; };
    CHECK_FALSE(placement.place(subnets, per_zone));
}

TEST_CASE("Unit behaviour: placement never hands out an address twice until it is released",
          "[ecs][unit]") {
    TaskPlacement placement;
    // A /28 has 16 addresses: 4 reserved at the start and 1 at the end leave 11.
    const std::vector<ec2::SubnetInfo> subnets = {subnet("subnet-a", "us-east-1a", "10.0.0.16/28")};
    std::map<std::string, int> per_zone;
    std::set<std::string> given;
    for (int i = 0; i < 11; ++i) {
        const auto choice = placement.place(subnets, per_zone);
        REQUIRE(choice);
        CHECK(given.insert(choice->private_ip).second);
    }
    CHECK(*given.begin() == "127.0.0.20");
    CHECK(*given.rbegin() == "127.0.0.30");
    CHECK_FALSE(placement.place(subnets, per_zone));  // the subnet is full

    placement.release("127.0.0.25");
    const auto again = placement.place(subnets, per_zone);
    REQUIRE(again);
    CHECK(again->private_ip == "127.0.0.25");
    CHECK_FALSE(placement.place(subnets, per_zone));

    placement.forget_all();
    CHECK(placement.place(subnets, per_zone)->private_ip == "127.0.0.20");
}

TEST_CASE("Unit behaviour: a stopped task's address goes to the next task", "[ecs][unit]") {
    ecs::testing::EcsWorld w;
    const auto definition =
        w.register_definition("web", {ecs::testing::EcsWorld::container("web", "web-server")});
    std::set<std::string> addresses;
    std::vector<std::string> arns;
    for (int i = 0; i < 4; ++i) {
        const auto task = w.run_task(definition);
        arns.push_back(task["taskArn"]);
        CHECK(addresses.insert(task["containers"][0]["networkInterfaces"][0]["privateIpv4Address"])
                  .second);
    }
    w.settle();
    const std::string first_ip =
        w.task(arns[0])["containers"][0]["networkInterfaces"][0]["privateIpv4Address"];
    const std::string first_zone = w.task(arns[0])["availabilityZone"];
    w.processes.exit(w.processes.started("web-server")[0]->id, 0);
    w.settle();
    REQUIRE(w.task(arns[0])["lastStatus"] == "STOPPED");
    // The next task placed in that zone gets the address back.
    std::string subnet_id;
    for (const auto& subnet : ec2::default_subnets(w.database, w.scope)) {
        if (subnet.availability_zone == first_zone) {
            subnet_id = subnet.subnet_id;
        }
    }
    const auto next = w.run_task(
        definition,
        {{"networkConfiguration", {{"awsvpcConfiguration", {{"subnets", {subnet_id}}}}}}});
    CHECK(next["availabilityZone"] == first_zone);
    CHECK(next["containers"][0]["networkInterfaces"][0]["privateIpv4Address"] == first_ip);
}

TEST_CASE("Placement skips an address where something else listens on the task's port",
          "[ecs][unit]") {
    // Another awsemu's task (or any server) at the first address of the subnet, on port 18080.
    const int taken = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(18080);
    ::inet_pton(AF_INET, "127.99.0.4", &address.sin_addr);
    REQUIRE(::bind(taken, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0);
    REQUIRE(::listen(taken, 1) == 0);
    TaskPlacement placement;
    const std::vector<ec2::SubnetInfo> subnets = {subnet("subnet-a", "us-east-1a", "10.99.0.0/24")};
    std::map<std::string, int> per_zone;
    CHECK(placement.place(subnets, per_zone, {18080})->private_ip == "127.99.0.5");
    CHECK(placement.place(subnets, per_zone, {18081})->private_ip == "127.99.0.4");
    ::close(taken);
    CHECK(placement.place(subnets, per_zone, {18080})->private_ip == "127.99.0.6");
}
