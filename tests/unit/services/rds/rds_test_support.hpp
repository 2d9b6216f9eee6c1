#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace awsemu::rds::testing {

// The smallest valid CreateDBInstance input.
inline nlohmann::json instance_input(const std::string& id) {
    return {{"DBInstanceIdentifier", id},
            {"DBInstanceClass", "db.t3.micro"},
            {"Engine", "postgres"},
            {"MasterUsername", "app"},
            {"MasterUserPassword", "secret123"},
            {"AllocatedStorage", 20}};
}

}  // namespace awsemu::rds::testing
