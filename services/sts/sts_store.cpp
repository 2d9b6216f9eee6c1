#include "services/sts/sts_store.hpp"

namespace awsemu::sts {

StsStore::StsStore(Database& database) : database_(database) {
    database_.migrate("sts", {R"(
        CREATE TABLE sts_sessions (
            account_id TEXT NOT NULL,
            access_key_id TEXT NOT NULL UNIQUE,
            secret_access_key TEXT NOT NULL,
            session_token TEXT NOT NULL,
            role_arn TEXT NOT NULL,
            assumed_role_arn TEXT NOT NULL,
            assumed_role_id TEXT NOT NULL,
            expiration_ms INTEGER NOT NULL,
            PRIMARY KEY (account_id, access_key_id)
        ))"});
}

void StsStore::insert_session(const RoleSession& session) {
    database_.execute(
        "INSERT INTO sts_sessions (account_id, access_key_id, secret_access_key, session_token, "
        "role_arn, assumed_role_arn, assumed_role_id, expiration_ms) VALUES (?, ?, ?, ?, ?, ?, ?, "
        "?)",
        session.account_id, session.access_key_id, session.secret_access_key, session.session_token,
        session.role_arn, session.assumed_role_arn, session.assumed_role_id,
        static_cast<std::int64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                      session.expiration.time_since_epoch())
                                      .count()));
}

std::optional<RoleSession> StsStore::find_session(std::string_view access_key_id) {
    auto transaction = database_.transaction();
    auto q = database_.query(
        "SELECT account_id, access_key_id, secret_access_key, session_token, role_arn, "
        "assumed_role_arn, assumed_role_id, expiration_ms FROM sts_sessions WHERE access_key_id = "
        "?",
        access_key_id);
    if (!q.next()) {
        return std::nullopt;
    }
    return RoleSession{
        q.text(1), q.text(2), q.text(3), q.text(0),
        q.text(4), q.text(5), q.text(6), TimePoint(std::chrono::milliseconds(q.integer(7)))};
}

}  // namespace awsemu::sts
