#include "services/ecs/image_map.hpp"

#include <stdexcept>

#include <nlohmann/json.hpp>

#include "emulator/text_file.hpp"
#include "emulator/wildcard.hpp"

namespace awsemu::ecs {
namespace {

std::vector<std::string> string_list(const nlohmann::ordered_json& value,
                                     const std::string& where) {
    if (!value.is_array()) {
        throw std::invalid_argument(where + " must be an array of strings");
    }
    std::vector<std::string> out;
    for (const auto& item : value) {
        if (!item.is_string()) {
            throw std::invalid_argument(where + " must be an array of strings");
        }
        out.push_back(item.get<std::string>());
    }
    return out;
}

ImageProgram parse_program(const nlohmann::ordered_json& value, const std::string& where) {
    if (!value.is_object()) {
        throw std::invalid_argument(where +
                                    " must be an object such as {\"entryPoint\": [\"python3\"]}");
    }
    ImageProgram program;
    for (const auto& [key, member] : value.items()) {
        if (key == "entryPoint") {
            program.entry_point = string_list(member, where + ".entryPoint");
        } else if (key == "command") {
            program.command = string_list(member, where + ".command");
        } else if (key == "workingDirectory") {
            if (!member.is_string()) {
                throw std::invalid_argument(where + ".workingDirectory must be a string");
            }
            program.working_directory = member.get<std::string>();
        } else {
            throw std::invalid_argument(where + ": unknown key \"" + key +
                                        "\" (expected entryPoint, command, workingDirectory)");
        }
    }
    return program;
}

bool is_host_image(std::string_view image) {
    return image == kHostImage ||
           (image.size() > kHostImage.size() && image.substr(0, kHostImage.size()) == kHostImage &&
            image[kHostImage.size()] == ':');
}

}  // namespace

ImageMap ImageMap::parse(std::string_view json_text, const std::string& source) {
    // Ordered: wildcard entries are tried in the file's order.
    nlohmann::ordered_json document;
    try {
        document = nlohmann::ordered_json::parse(json_text);
    } catch (const nlohmann::ordered_json::parse_error& error) {
        throw std::invalid_argument(source + ": not valid JSON: " + error.what());
    }
    if (!document.is_object()) {
        throw std::invalid_argument(
            source +
            ": expected a JSON object from image references to programs, such as "
            "{\"my-api:*\": {\"entryPoint\": [\"python3\", \"app.py\"]}}");
    }
    ImageMap map;
    for (const auto& [image, program] : document.items()) {
        map.entries_.emplace_back(image, parse_program(program, source + ": \"" + image + "\""));
    }
    return map;
}

ImageMap ImageMap::load(const std::string& path) {
    const auto text = read_text_file(path);
    if (!text) {
        throw std::invalid_argument("--image-map " + path + ": cannot read the file");
    }
    return parse(*text, "--image-map " + path);
}

std::optional<ImageProgram> ImageMap::find(std::string_view image) const {
    for (const auto& [pattern, program] : entries_) {
        if (pattern == image) {
            return program;
        }
    }
    for (const auto& [pattern, program] : entries_) {
        if (pattern.find('*') != std::string::npos && wildcard_match(pattern, image)) {
            return program;
        }
    }
    if (is_host_image(image)) {
        return ImageProgram{};
    }
    return std::nullopt;
}

std::vector<std::string> container_argv(const ImageProgram& image,
                                        const std::vector<std::string>& entry_point,
                                        const std::vector<std::string>& command) {
    std::vector<std::string> argv = entry_point.empty() ? image.entry_point : entry_point;
    const std::vector<std::string> none;
    const auto& arguments =
        !command.empty() ? command : (entry_point.empty() ? image.command : none);
    argv.insert(argv.end(), arguments.begin(), arguments.end());
    return argv;
}

}  // namespace awsemu::ecs
