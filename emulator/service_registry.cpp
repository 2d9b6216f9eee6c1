#include "emulator/service_registry.hpp"

#include <algorithm>

namespace awsemu {
namespace {

template <class Predicate>
const ServiceDefinition* find_service(const std::vector<std::unique_ptr<ServiceDefinition>>& all,
                                      Predicate predicate) {
    const auto it = std::find_if(all.begin(), all.end(),
                                 [&](const auto& service) { return predicate(*service); });
    return it == all.end() ? nullptr : it->get();
}

}  // namespace

void ServiceRegistry::add(ServiceDefinition definition) {
    services_.push_back(std::make_unique<ServiceDefinition>(std::move(definition)));
}

const ServiceDefinition* ServiceRegistry::by_target_prefix(std::string_view prefix) const {
    return find_service(services_, [&](const ServiceDefinition& s) {
        return !s.json_target_prefix.empty() && s.json_target_prefix == prefix;
    });
}

const ServiceDefinition* ServiceRegistry::by_signing_name(std::string_view name) const {
    return find_service(services_,
                        [&](const ServiceDefinition& s) { return s.signing_name == name; });
}

const ServiceDefinition* ServiceRegistry::by_query_version(std::string_view version) const {
    return find_service(services_, [&](const ServiceDefinition& s) {
        return !s.query_version.empty() && s.query_version == version;
    });
}

const ServiceDefinition* ServiceRegistry::by_protocol(Protocol protocol) const {
    return find_service(services_,
                        [&](const ServiceDefinition& s) { return s.protocol == protocol; });
}

}  // namespace awsemu
