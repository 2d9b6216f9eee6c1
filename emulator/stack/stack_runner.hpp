#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "emulator/runtime/scheduler.hpp"
#include "emulator/stack/operation_caller.hpp"
#include "emulator/stack/stack_definition.hpp"
#include "emulator/stack/stack_store.hpp"

// Runs a stack's steps in order on the event loop: calls at once, waits by asking again on a
// timer until their conditions hold (never blocking the loop, so the services keep working
// meanwhile). Calls already recorded for this state directory are not made again; waits run
// again (unless marked "once"), so a restarted awsemu reports ready only once its resources are.
namespace awsemu::stack {

class StackRunner : public std::enable_shared_from_this<StackRunner> {
  public:
    using Progress = std::function<void(const std::string& line)>;
    // nullopt when every step succeeded, else what failed, for people.
    using Done = std::function<void(const std::optional<std::string>& failure)>;

    struct Facts {
        std::string account_id;
        std::function<std::string()> endpoint;   // where awsemu listens: "http://127.0.0.1:4566"
        std::function<nlohmann::json()> status;  // what GET /_awsemu/status answers
    };

    StackRunner(StackDefinition stack, OperationCaller& caller, Scheduler& scheduler,
                const Clock& clock, StackStore& store, GroupCommit& commits, Facts facts,
                Progress progress);

    // Starts from the first step; `done` is called once, on the event loop.
    void start(Done done);

    // The stack's outputs, once done: name and value as text.
    std::vector<std::pair<std::string, std::string>> outputs();
    // `value` with its references to the stack's results replaced; throws StackError.
    nlohmann::json expand(const nlohmann::json& value) { return expand_here(value); }

  private:
    void run_from(std::size_t index);
    // One step, at once; false when it is a wait that must be asked again later.
    bool run_step(const Step& step);
    bool check_wait(const Step& step, const nlohmann::json& answer);
    void finish(const std::optional<std::string>& failure);
    // Finishes with the step's failure: its title, `what`, and its hint.
    void fail(const Step& step, const std::string& what);
    const nlohmann::json* root(std::string_view name);
    // Done before on this state directory: a call, or a wait marked "once", that succeeded.
    bool recorded(const Step& step) const;
    Scope scope() const;
    nlohmann::json expand_here(const nlohmann::json& value);
    void remember(const Step& step, nlohmann::json result);

    StackDefinition stack_;
    OperationCaller& caller_;
    Scheduler& scheduler_;
    const Clock& clock_;
    StackStore& store_;
    GroupCommit& commits_;
    Facts facts_;
    Progress progress_;
    Done done_;
    AppliedStack applied_;
    nlohmann::json stack_facts_;
    nlohmann::json status_;  // read afresh for each expansion that names it
    std::chrono::steady_clock::time_point started_;
    std::chrono::steady_clock::time_point step_wall_started_;  // for people: "after 2.8 s"
    TimePoint step_started_;                                   // for the step's timeout
    TimePoint last_report_;
    std::optional<std::size_t> waiting_;  // the wait being asked again
    std::string last_unmet_;              // a wait's condition that did not hold at the last ask
};

}  // namespace awsemu::stack
