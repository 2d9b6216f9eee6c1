#include <signal.h>

#include "services/rds/instance_runtime.hpp"
#include "services/rds/live_instance.hpp"
#include "services/rds/rds_model.hpp"
#include "services/secretsmanager/secretsmanager_api.hpp"

// What the runtime does inside a running server through PostgreSQL's client programs, as the
// master user: the instance's database (createdb) and its master password (psql ALTER ROLE),
// also when the master secret in Secrets Manager is rotated.
namespace awsemu::rds {
namespace {

std::string quote_literal(const std::string& value) {
    std::string out = "'";
    for (const char c : value) {
        out += c;
        if (c == '\'') {
            out += '\'';
        }
    }
    return out + "'";
}

std::string quote_identifier(const std::string& value) {
    std::string out = "\"";
    for (const char c : value) {
        out += c;
        if (c == '"') {
            out += '"';
        }
    }
    return out + "\"";
}

}  // namespace

void InstanceRuntime::run_client(const std::shared_ptr<LiveInstance>& instance,
                                 std::vector<std::string> argv,
                                 std::function<void(bool, const std::string&)> done,
                                 std::uint16_t port, bool as_server_user) {
    const auto document = store_.find(instance->scope, Kind::Instance, instance->id);
    if (!document) {
        return;
    }
    std::vector<std::string> full = {deps_.postgres->program(argv.front().c_str()),
                                     "-h",
                                     kLocalHost,
                                     "-p",
                                     std::to_string(port != 0 ? port : instance->endpoint_port),
                                     "-U",
                                     document->value("MasterUsername", "postgres")};
    full.insert(full.end(), argv.begin() + 1, argv.end());
    ProcessSpec spec;
    if (as_server_user) {
        spec = server_user_process(instance->dir);
    }
    spec.argv = std::move(full);
    spec.environment = {"PATH=/usr/bin:/bin", "LC_ALL=C",
                        "PGPASSWORD=" + document->value("_MasterPassword", ""),
                        "PGCONNECT_TIMEOUT=10"};
    auto output = std::make_shared<std::string>();
    ProcessCallbacks callbacks;
    callbacks.on_line = [output](OutputStream, std::string line) { *output = std::move(line); };
    callbacks.on_exit = [alive = alive_, instance, output,
                         done = std::move(done)](const ProcessExit& exit) {
        if (*alive && !instance->gone) {
            done(exit.exit_code == 0, *output);
        }
    };
    boost::system::error_code error;
    deps_.processes.start(spec, std::move(callbacks), error);
    if (error) {
        done(false, error.message());
    }
}

void InstanceRuntime::create_database(const std::shared_ptr<LiveInstance>& instance) {
    const auto document = store_.find(instance->scope, Kind::Instance, instance->id);
    if (!document) {
        return;
    }
    if (document->contains("_RestoreFile") && !document->value("_DatabaseCreated", false)) {
        restore_dump(instance, document->at("_RestoreFile").get<std::string>());
        return;
    }
    const std::string name = document->value("DBName", "");
    if (name.empty() || name == "postgres" || document->value("_DatabaseCreated", false)) {
        finish_creation(instance);
        return;
    }
    run_client(instance, {"createdb", "--", name},
               [this, instance](bool ok, const std::string& output) {
                   if (!ok) {
                       fail(instance, "createdb failed: " + output);
                       return;
                   }
                   update(instance, [](Json& d) { d["_DatabaseCreated"] = true; });
                   finish_creation(instance);
               });
}

void InstanceRuntime::change_master_password(const Scope& scope, const std::string& id,
                                             std::string new_password) {
    auto instance = live(scope, id);
    deps_.scheduler.post([this, alive = alive_, instance, new_password] {
        if (!*alive || instance->gone) {
            return;
        }
        const auto document = store_.find(instance->scope, Kind::Instance, instance->id);
        if (!document || !instance->ready) {
            // Not running: the new password is set when the server next starts.
            update(instance, [&](Json& d) { d["_PendingPassword"] = new_password; });
            return;
        }
        const std::string sql = "ALTER ROLE " +
                                quote_identifier(document->value("MasterUsername", "")) +
                                " PASSWORD " + quote_literal(new_password);
        run_client(
            instance, {"psql", "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-c", sql},
            [this, instance, new_password](bool ok, const std::string& output) {
                if (!ok) {
                    update(
                        instance, [](Json& d) { d["DBInstanceStatus"] = "available"; },
                        "Master password reset failed: " + output);
                    return;
                }
                update(
                    instance,
                    [&](Json& d) {
                        d["_MasterPassword"] = new_password;
                        d.erase("_PendingPassword");
                        if (d.value("DBInstanceStatus", "") == "resetting-master-credentials") {
                            d["DBInstanceStatus"] = "available";
                        }
                    },
                    "Reset master credentials");
            });
    });
}

void InstanceRuntime::sync_managed_passwords() {
    std::vector<std::shared_ptr<LiveInstance>> running;
    {
        std::lock_guard lock(instances_mutex_);
        for (const auto& [key, instance] : instances_) {
            if (instance->ready && !instance->gone) {
                running.push_back(instance);
            }
        }
    }
    for (const auto& instance : running) {
        const auto document = store_.find(instance->scope, Kind::Instance, instance->id);
        if (!document || !document->contains("MasterUserSecret") ||
            document->value("DBInstanceStatus", "") != "available") {
            continue;
        }
        const std::string arn = document->at("MasterUserSecret").value("SecretArn", "");
        std::optional<secretsmanager::SecretValue> secret;
        try {
            auto transaction = deps_.database.transaction();
            secret =
                secretsmanager::get_secret_value(deps_.database, deps_.clock, instance->scope, arn);
            transaction.commit();
        } catch (const std::exception&) {
            continue;
        }
        if (!secret || !secret->secret_string) {
            continue;
        }
        const auto value = Json::parse(*secret->secret_string, nullptr, false);
        if (!value.is_object() || !value.contains("password") || !value["password"].is_string()) {
            continue;
        }
        const std::string password = value["password"];
        if (password != document->value("_MasterPassword", "")) {
            change_master_password(instance->scope, instance->id, password);
        }
    }
}

}  // namespace awsemu::rds
