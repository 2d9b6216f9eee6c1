#pragma once

#include <memory>

#include <boost/asio/io_context.hpp>

#include "emulator/runtime/scheduler.hpp"

namespace awsemu {

// The server's scheduler: Asio timers on the server's io_context, whose one thread runs all
// scheduled work (work may be scheduled from any thread). Emulated deadlines become real ones
// through the clock's time scale.
class AsioScheduler final : public Scheduler {
  public:
    AsioScheduler(boost::asio::io_context& io, const Clock& clock);
    ~AsioScheduler() override;

    TimerId at(TimePoint when, std::function<void()> work) override;
    void cancel(TimerId id) override;
    void post(std::function<void()> work) override;

  private:
    class Impl;
    std::shared_ptr<Impl> impl_;
};

}  // namespace awsemu
