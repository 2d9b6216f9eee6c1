#pragma once

#include <optional>
#include <string>

// Where PostgreSQL's programs are and who runs its servers.
namespace awsemu::rds {

struct PostgresInstallation {
    std::string bin_dir;  // holds initdb, postgres, psql, pg_dump, pg_restore
    std::string version;  // the server's: "15.18"
    std::string major_version() const { return version.substr(0, version.find('.')); }
    std::string program(const char* name) const { return bin_dir + "/" + name; }
    // The user and group servers run as: PostgreSQL refuses to run as root, so when awsemu is
    // root they run as `postgres` (Debian's package makes it), else as `nobody`.
    std::optional<unsigned> uid;
    std::optional<unsigned> gid;
};

// Looks in `pg_config --bindir`, /usr/lib/postgresql/<newest>/bin (Debian's packages), then the
// PATH, for a directory with both initdb and postgres; nullopt when none has. Runs programs:
// call it at start, not on the event loop.
std::optional<PostgresInstallation> find_postgres();

}  // namespace awsemu::rds
