#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

// Which program an image runs in the process runtime. Containers run as child processes, not
// images, so `awsemu serve --image-map FILE` maps image references to what the image would
// have run: a JSON object from an image reference (exact, or with `*` wildcards) to
// {"entryPoint": [...], "command": [...], "workingDirectory": "..."}.
namespace awsemu::ecs {

// The image that needs no mapping: its container's entryPoint and command run as they are.
inline constexpr std::string_view kHostImage = "awsemu/host";

// What an image runs when the container does not say otherwise (Docker's ENTRYPOINT, CMD and
// WORKDIR).
struct ImageProgram {
    std::vector<std::string> entry_point;
    std::vector<std::string> command;
    std::string working_directory;
};

class ImageMap {
  public:
    ImageMap() = default;
    // Throws std::invalid_argument saying what is wrong, naming `source`.
    static ImageMap parse(std::string_view json_text, const std::string& source);
    // Reads and parses FILE; throws std::invalid_argument when it cannot.
    static ImageMap load(const std::string& path);

    // The program for `image`: an exact entry first, else the first matching wildcard entry in
    // the file's order; awsemu/host (any tag) is an empty program. nullopt when unmapped.
    std::optional<ImageProgram> find(std::string_view image) const;

  private:
    std::vector<std::pair<std::string, ImageProgram>> entries_;
};

// The argument vector Docker would run: a container's entryPoint replaces the image's and
// drops the image's command; a container's command replaces the image's command. Empty means
// the container did not set it.
std::vector<std::string> container_argv(const ImageProgram& image,
                                        const std::vector<std::string>& entry_point,
                                        const std::vector<std::string>& command);

}  // namespace awsemu::ecs
