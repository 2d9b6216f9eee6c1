#include "services/rds/rds_model.hpp"

#include <algorithm>
#include <cctype>

#include "emulator/ascii.hpp"
#include "services/rds/rds_errors.hpp"

namespace awsemu::rds {
namespace {

std::string arn(const Scope& scope, std::string_view type, std::string_view name) {
    return "arn:aws:rds:" + scope.region + ":" + scope.account_id + ":" + std::string(type) + ":" +
           std::string(name);
}

bool is_letter(char c) {
    return std::isalpha(static_cast<unsigned char>(c)) != 0;
}

bool is_alnum(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0;
}

bool is_word(std::string_view value) {
    return !value.empty() && is_letter(value.front()) &&
           std::all_of(value.begin(), value.end(), [](char c) { return is_alnum(c) || c == '_'; });
}

}  // namespace

std::string instance_arn(const Scope& scope, std::string_view id) {
    return arn(scope, "db", id);
}

std::string subnet_group_arn(const Scope& scope, std::string_view name) {
    return arn(scope, "subgrp", name);
}

std::string snapshot_arn(const Scope& scope, std::string_view id) {
    return arn(scope, "snapshot", id);
}

std::optional<ArnParts> parse_arn(std::string_view text) {
    // arn:aws:rds:region:account:type:name
    constexpr std::string_view kPrefix = "arn:aws:rds:";
    if (!text.starts_with(kPrefix)) {
        return std::nullopt;
    }
    text.remove_prefix(kPrefix.size());
    for (int skip = 0; skip < 2; ++skip) {
        const auto colon = text.find(':');
        if (colon == std::string_view::npos) {
            return std::nullopt;
        }
        text.remove_prefix(colon + 1);
    }
    const auto colon = text.find(':');
    if (colon == std::string_view::npos || colon == 0 || colon + 1 == text.size()) {
        return std::nullopt;
    }
    return ArnParts{std::string(text.substr(0, colon)), std::string(text.substr(colon + 1))};
}

std::string checked_identifier(std::string_view parameter, std::string_view value) {
    const bool valid =
        !value.empty() && value.size() <= 63 && is_letter(value.front()) && value.back() != '-' &&
        value.find("--") == std::string_view::npos &&
        std::all_of(value.begin(), value.end(), [](char c) { return is_alnum(c) || c == '-'; });
    if (!valid) {
        throw errors::invalid_value(
            "The parameter " + std::string(parameter) +
            " is not a valid identifier. Identifiers must begin with a letter; must contain only "
            "ASCII letters, digits, and hyphens; and must not end with a hyphen or contain two "
            "consecutive hyphens.");
    }
    return ascii_lower(value);
}

void check_database_name(std::string_view value) {
    if (!is_word(value) || value.size() > 63) {
        throw errors::invalid_value(
            "The parameter DBName is not a valid identifier. "
            "Identifiers must begin with a letter; must contain only "
            "ASCII letters, digits, and underscores.");
    }
}

void check_master_username(std::string_view value) {
    if (value.empty()) {
        throw errors::invalid_value(
            "The parameter MasterUsername must be provided and must not be blank.");
    }
    if (!is_word(value) || value.size() > 63) {
        throw errors::invalid_value(
            "The parameter MasterUsername is not a valid identifier. Identifiers must begin with "
            "a letter; must contain only ASCII letters, digits, and underscores.");
    }
    const std::string lower = ascii_lower(value);
    if (lower == "rdsadmin" || lower == "rdsrepladmin" || lower == "pg_signal_backend") {
        throw errors::invalid_value("MasterUsername " + std::string(value) +
                                    " cannot be used as it is a reserved word used by the "
                                    "engine");
    }
}

void check_master_password(std::string_view value) {
    if (value.size() < 8) {
        throw errors::invalid_value(
            "The parameter MasterUserPassword is not a valid password because it is shorter "
            "than 8 characters.");
    }
    if (value.size() > 128) {
        throw errors::invalid_value(
            "The parameter MasterUserPassword is not a valid password because it is longer than "
            "128 characters.");
    }
    const bool printable = std::all_of(value.begin(), value.end(), [](char c) {
        return c > ' ' && c < 127 && c != '/' && c != '@' && c != '"';
    });
    if (!printable) {
        throw errors::invalid_value(
            "The parameter MasterUserPassword is not a valid password. Only printable ASCII "
            "characters besides '/', '@', '\"', ' ' may be used.");
    }
}

AwsError invalid_storage_size(std::int64_t gibibytes, std::string_view storage_type) {
    return errors::invalid_combination(
        "Invalid storage size for engine name postgres and "
        "storage type " +
        std::string(storage_type) + ": " + std::to_string(gibibytes));
}

void check_allocated_storage(std::int64_t gibibytes, std::string_view storage_type) {
    if (gibibytes < kMinStorage || gibibytes > kMaxStorage) {
        throw invalid_storage_size(gibibytes, storage_type);
    }
}

void check_backup_retention(std::int64_t days) {
    if (days < 0 || days > 35) {
        throw errors::invalid_value(
            "The parameter BackupRetentionPeriod must be between 0 and 35"
            " days.");
    }
}

void check_instance_class(std::string_view value) {
    if (!value.starts_with("db.") || value.size() < 5) {
        throw errors::invalid_value("Invalid DB Instance class: " + std::string(value));
    }
}

void check_engine(std::string_view engine) {
    if (engine != kEngine) {
        throw errors::invalid_value("Invalid DB engine: " + std::string(engine));
    }
}

void check_engine_version(std::string_view version) {
    const bool valid = !version.empty() &&
                       std::isdigit(static_cast<unsigned char>(version.front())) != 0 &&
                       std::all_of(version.begin(), version.end(), [](char c) {
                           return std::isdigit(static_cast<unsigned char>(c)) != 0 || c == '.';
                       });
    if (!valid) {
        throw errors::invalid_combination("Cannot find version " + std::string(version) +
                                          " for postgres");
    }
}

void check_max_records(std::int64_t value) {
    if (value < 20 || value > 100) {
        throw errors::invalid_value("Invalid value " + std::to_string(value) +
                                    " for MaxRecords. Must be between 20 and 100");
    }
}

bool accepts_changes(std::string_view status) {
    return status == "available" || status == "storage-optimization";
}

}  // namespace awsemu::rds
