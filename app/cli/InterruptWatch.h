#pragma once

#include <stop_token>
#include <thread>

namespace ripen::cli {

// Turns SIGINT and SIGTERM into a stop request for the job runner while it is in scope.
//
// A signal handler may only do async-signal-safe work, so it writes one byte to a pipe;
// a watcher thread reads it and calls request_stop() (which takes a lock and must never
// run inside a handler: a signal that lands while exit handlers destroy the stop state
// would spin forever). Leaving the scope restores the default handlers, so a signal that
// arrives while the program exits simply ends it.
class InterruptWatch {
public:
    InterruptWatch();
    ~InterruptWatch();
    InterruptWatch(const InterruptWatch&) = delete;
    InterruptWatch& operator=(const InterruptWatch&) = delete;

    std::stop_token token() const { return m_source.get_token(); }

private:
    void watch();

    std::stop_source m_source;
    int m_pipe[2] = {-1, -1};
    std::thread m_watcher;
};

} // namespace ripen::cli
