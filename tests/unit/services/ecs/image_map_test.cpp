#include "services/ecs/image_map.hpp"

#include <catch2/catch.hpp>

#include <stdexcept>

using namespace awsemu::ecs;
using Strings = std::vector<std::string>;

TEST_CASE("ImageMap finds exact entries before wildcards, in file order", "[ecs][unit]") {
    const auto map = ImageMap::parse(R"({
        "registry.local/api:*": {"entryPoint": ["python3", "api.py"], "workingDirectory": "/srv"},
        "*": {"entryPoint": ["false"]},
        "registry.local/api:pinned": {"entryPoint": ["./pinned"], "command": ["--serve"]}
    })",
                                     "test");
    const auto pinned = map.find("registry.local/api:pinned");
    REQUIRE(pinned);
    CHECK(pinned->entry_point == Strings{"./pinned"});
    CHECK(pinned->command == Strings{"--serve"});
    const auto tagged = map.find("registry.local/api:v2");
    REQUIRE(tagged);
    CHECK(tagged->entry_point == Strings{"python3", "api.py"});
    CHECK(tagged->working_directory == "/srv");
    CHECK(map.find("nginx:latest")->entry_point == Strings{"false"});
}

TEST_CASE("ImageMap leaves unmapped images unmapped, except awsemu/host", "[ecs][unit]") {
    const auto map = ImageMap::parse(R"({"api:*": {"entryPoint": ["api"]}})", "test");
    CHECK_FALSE(map.find("web:1"));
    CHECK_FALSE(map.find("api"));  // the wildcard needs the colon
    CHECK_FALSE(map.find("awsemu/hostile"));
    REQUIRE(map.find("awsemu/host"));
    CHECK(map.find("awsemu/host")->entry_point.empty());
    CHECK(map.find("awsemu/host:latest"));
}

TEST_CASE("ImageMap rejects a malformed file, saying where", "[ecs][unit]") {
    CHECK_THROWS_WITH(ImageMap::parse("{", "map.json"),
                      Catch::StartsWith("map.json: not valid JSON"));
    CHECK_THROWS_WITH(ImageMap::parse("[]", "map.json"), Catch::Contains("expected a JSON object"));
    CHECK_THROWS_WITH(ImageMap::parse(R"({"a": {"entryPoint": "python3"}})", "map.json"),
                      Catch::Contains("\"a\".entryPoint must be an array of strings"));
    CHECK_THROWS_WITH(ImageMap::parse(R"({"a": {"cmd": []}})", "map.json"),
                      Catch::Contains("unknown key \"cmd\""));
    CHECK_THROWS_AS(ImageMap::load("/no/such/image-map.json"), std::invalid_argument);
}

TEST_CASE("container_argv composes entry point and command as Docker does", "[ecs][unit]") {
    const ImageProgram image{{"python3", "app.py"}, {"--port", "80"}, ""};
    CHECK(container_argv(image, Strings{}, Strings{}) ==
          Strings{"python3", "app.py", "--port", "80"});
    CHECK(container_argv(image, Strings{}, Strings{"migrate"}) ==
          Strings{"python3", "app.py", "migrate"});
    // A container's entryPoint drops the image's command, as `docker run --entrypoint` does.
    CHECK(container_argv(image, Strings{"sh", "-c"}, Strings{}) == Strings{"sh", "-c"});
    CHECK(container_argv(image, Strings{"sh", "-c"}, Strings{"echo hi"}) ==
          Strings{"sh", "-c", "echo hi"});
    CHECK(container_argv(ImageProgram{}, Strings{}, Strings{"echo", "x"}) == Strings{"echo", "x"});
}
