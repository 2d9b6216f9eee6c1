#include "emulator/stack/stack_runner.hpp"

#include <cstdio>

#include "emulator/stack/json_path.hpp"
#include "emulator/stack/stack_template.hpp"

namespace awsemu::stack {
namespace {

// How often a wait asks again, and how often a long one says what it still waits for. Like its
// timeout, in the emulated clock's time: --time-scale 0.1 makes all three ten times shorter.
constexpr auto kWaitInterval = std::chrono::milliseconds(250);
constexpr auto kReportInterval = std::chrono::seconds(10);

// A condition's path ending in this compares how many values the path reaches.
constexpr std::string_view kCount = "|count";

std::string seconds_since(std::chrono::steady_clock::time_point since) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f s",
                  std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count());
    return text;
}

std::string step_title(const Step& step) {
    return step.id + " (" + step.service + ":" + step.operation +
           (step.kind == Step::Kind::Request ? " " + step.target : "") + ")";
}

// What a condition compares: the values its path reaches, or, for a path ending in "|count",
// how many there are.
std::vector<nlohmann::json> compared(const nlohmann::json& answer, std::string_view path) {
    std::vector<nlohmann::json> values;
    if (path.ends_with(kCount)) {
        path.remove_suffix(kCount.size());
        values.emplace_back(select_all(answer, path).size());
        return values;
    }
    for (const auto* value : select_all(answer, path)) {
        values.push_back(*value);
    }
    return values;
}

// The first condition that does not hold of `answer`, described; "" when all do.
std::string unmet(const std::vector<Condition>& conditions, const nlohmann::json& answer,
                  const std::function<nlohmann::json(const nlohmann::json&)>& expand) {
    for (const auto& condition : conditions) {
        const nlohmann::json expected = expand(condition.value);
        const auto found = compared(answer, condition.path);
        for (const auto& value : found) {
            if (value != expected) {
                return condition.path + " is " + value.dump() + ", not " + expected.dump();
            }
        }
        if (found.empty()) {
            return condition.path + " is absent (wanted " + expected.dump() + ")";
        }
    }
    return "";
}

// The first condition that holds of `answer` for some value, described; "" when none does.
std::string met_any(const std::vector<Condition>& conditions, const nlohmann::json& answer,
                    const std::function<nlohmann::json(const nlohmann::json&)>& expand) {
    for (const auto& condition : conditions) {
        const nlohmann::json expected = expand(condition.value);
        for (const auto& value : compared(answer, condition.path)) {
            if (value == expected) {
                return condition.path + " is " + expected.dump();
            }
        }
    }
    return "";
}

}  // namespace

StackRunner::StackRunner(StackDefinition stack, OperationCaller& caller, Scheduler& scheduler,
                         const Clock& clock, StackStore& store, GroupCommit& commits, Facts facts,
                         Progress progress)
    : stack_(std::move(stack)),
      caller_(caller),
      scheduler_(scheduler),
      clock_(clock),
      store_(store),
      commits_(commits),
      facts_(std::move(facts)),
      progress_(std::move(progress)) {
    stack_facts_ = {{"name", stack_.name},
                    {"dir", stack_.directory},
                    {"region", stack_.region},
                    {"account", facts_.account_id}};
}

void StackRunner::start(Done done) {
    done_ = std::move(done);
    started_ = std::chrono::steady_clock::now();
    try {
        auto transaction = commits_.unit();
        if (auto applied = store_.find(scope(), stack_.name)) {
            if (applied->digest != stack_.digest) {
                finish("this state directory holds stack " + stack_.name +
                       " as another version of its file made it; start on an empty "
                       "--state-dir (or --in-memory) to run this one");
                return;
            }
            applied_ = std::move(*applied);
        } else {
            applied_ = {stack_.digest, nlohmann::json::object()};
        }
        transaction.commit();
    } catch (const std::exception& error) {
        finish(std::string("cannot read what this state directory holds of the stack: ") +
               error.what());
        return;
    }
    std::size_t made_before = 0;
    for (const auto& step : stack_.steps) {
        made_before += recorded(step) ? 1 : 0;
    }
    progress_("stack " + stack_.name + ": " + std::to_string(stack_.steps.size()) + " steps" +
              (made_before > 0
                   ? " (" + std::to_string(made_before) + " done before, on this state directory)"
                   : ""));
    run_from(0);
}

bool StackRunner::recorded(const Step& step) const {
    return (step.kind != Step::Kind::Wait || step.once) && applied_.results.contains(step.id);
}

Scope StackRunner::scope() const {
    return Scope{facts_.account_id, stack_.region};
}

void StackRunner::run_from(std::size_t index) {
    while (index < stack_.steps.size() && recorded(stack_.steps[index])) {
        ++index;  // done before, on this state directory
    }
    if (index == stack_.steps.size()) {
        finish(std::nullopt);
        return;
    }
    const Step& step = stack_.steps[index];
    const bool resumed = waiting_ == index;
    const TimePoint now = clock_.now();
    if (!resumed) {
        step_started_ = now;
        step_wall_started_ = std::chrono::steady_clock::now();
    }
    waiting_.reset();
    try {
        if (run_step(step)) {
            // Each step in its own turn of the event loop, as a client's requests would come:
            // what a call posted (a database's provisioning) runs before the next one.
            scheduler_.post([self = shared_from_this(), index] { self->run_from(index + 1); });
            return;
        }
    } catch (const AwsError& error) {
        fail(step, " failed: " + describe(error));
        return;
    } catch (const StackError& error) {
        fail(step, std::string(": ") + error.what());
        return;
    } catch (const std::exception& error) {
        fail(step, std::string(" failed: ") + error.what());
        return;
    }
    if (now - step_started_ >= step.timeout) {
        fail(step, " did not get there in " + std::to_string(step.timeout.count()) +
                       " s: " + last_unmet_);
        return;
    }
    if (!resumed || now - last_report_ >= kReportInterval) {
        progress_("waiting: " + step.id + " (" + last_unmet_ + ")");
        last_report_ = now;
    }
    waiting_ = index;
    scheduler_.at(clock_.now() + kWaitInterval,
                  [self = shared_from_this(), index] { self->run_from(index); });
}

bool StackRunner::run_step(const Step& step) {
    const nlohmann::json input = expand_here(step.input);
    switch (step.kind) {
        case Step::Kind::Call:
            remember(step, caller_.call(step.service, step.operation, input));
            return true;
        case Step::Kind::Request: {
            const std::string target = expand_here(step.target).get<std::string>();
            remember(step, caller_.request(step.service, step.operation, target, input));
            return true;
        }
        case Step::Kind::Wait:
            return check_wait(step, caller_.call(step.service, step.operation, input));
    }
    return true;
}

bool StackRunner::check_wait(const Step& step, const nlohmann::json& answer) {
    const auto expand = [this](const nlohmann::json& value) { return expand_here(value); };
    if (const std::string failed = met_any(step.fail_if, answer, expand); !failed.empty()) {
        throw StackError("gave up: " + failed);
    }
    last_unmet_ = unmet(step.until, answer, expand);
    if (!last_unmet_.empty()) {
        return false;
    }
    if (const std::string failed = unmet(step.expect, answer, expand); !failed.empty()) {
        throw StackError("got there, but " + failed);
    }
    progress_("ready: " + step.id + " after " + seconds_since(step_wall_started_));
    if (step.once) {
        remember(step, answer);  // never asked again on this state directory
    } else {
        applied_.results[step.id] = answer;  // for later steps; asked again on every start
    }
    return true;
}

void StackRunner::remember(const Step& step, nlohmann::json result) {
    applied_.results[step.id] = std::move(result);
    auto transaction = commits_.unit();
    store_.save(scope(), stack_.name, applied_);
    transaction.commit();
    progress_("done: " + step_title(step));
}

const nlohmann::json* StackRunner::root(std::string_view name) {
    if (name == "stack") {
        stack_facts_["endpoint"] = facts_.endpoint();
        return &stack_facts_;
    }
    if (name == "status") {
        status_ = facts_.status();
        return &status_;
    }
    const auto it = applied_.results.find(std::string(name));
    return it == applied_.results.end() ? nullptr : &*it;
}

nlohmann::json StackRunner::expand_here(const nlohmann::json& value) {
    return stack::expand(value, [this](std::string_view name) { return root(name); });
}

void StackRunner::fail(const Step& step, const std::string& what) {
    std::string hint = step.hint;
    try {
        hint = as_text(expand_here(step.hint));
    } catch (const std::exception&) {
        // said as written
    }
    finish(step_title(step) + what + (hint.empty() ? "" : " (" + hint + ")"));
}

void StackRunner::finish(const std::optional<std::string>& failure) {
    if (!failure) {
        progress_("stack " + stack_.name + " ready in " + seconds_since(started_));
    }
    if (done_) {
        auto done = std::move(done_);
        done_ = nullptr;
        done(failure);
    }
}

std::vector<std::pair<std::string, std::string>> StackRunner::outputs() {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& output : stack_.outputs) {
        try {
            out.emplace_back(output.name, as_text(expand_here(output.value)));
        } catch (const StackError& error) {
            out.emplace_back(output.name, std::string("(") + error.what() + ")");
        }
    }
    return out;
}

}  // namespace awsemu::stack
