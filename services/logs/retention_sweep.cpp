// Retention applied on the emulated clock: a sweep deletes the events a group's retention
// policy no longer keeps, when the server starts and every kRetentionSweepInterval after.
#include "emulator/runtime/scheduler.hpp"
#include "emulator/runtime/time_format.hpp"
#include "services/logs/logs_service.hpp"

namespace awsemu::logs {
namespace {

void schedule_sweep(std::weak_ptr<LogsService> service, Database& database, const Clock& clock,
                    Scheduler& scheduler) {
    const TimePoint when = clock.now() + kRetentionSweepInterval;
    scheduler.at(when, [service, &database, &clock, &scheduler, when] {
        const auto alive = service.lock();
        if (!alive) {
            return;
        }
        {
            auto transaction = database.transaction();
            // A scaled clock's timer may fire a hair before the moment it was set for.
            alive->apply_retention(std::max(clock.now(), when));
            transaction.commit();
        }
        schedule_sweep(service, database, clock, scheduler);
    });
}

}  // namespace

std::int64_t LogsService::apply_retention(TimePoint now) {
    const std::int64_t now_ms = to_epoch_ms(now);
    std::int64_t deleted = 0;
    for (const auto& group : store_.groups_with_retention()) {
        deleted += store_.delete_events_before(group.scope, group.name,
                                               now_ms - group.retention_days * kDayMs);
    }
    return deleted;
}

void start_retention_sweep(const std::shared_ptr<LogsService>& service, Database& database,
                           const Clock& clock, Scheduler& scheduler) {
    std::weak_ptr<LogsService> weak = service;
    scheduler.post([weak, &database, &clock] {
        if (const auto alive = weak.lock()) {
            auto transaction = database.transaction();
            alive->apply_retention(clock.now());
            transaction.commit();
        }
    });
    schedule_sweep(weak, database, clock, scheduler);
}

}  // namespace awsemu::logs
