#pragma once

#include <cstdint>
#include <string_view>

namespace ripen {

// The one progress-and-cancel contract for long core work. Implementations must be
// callable from any worker thread; the UI bridge marshals them to the GUI thread.
class ProgressSink {
public:
    virtual ~ProgressSink() = default;
    virtual void report(std::int64_t done, std::int64_t total, std::string_view message) = 0;
    virtual bool cancelled() const = 0;
};

// For callers that want neither progress nor cancellation.
class NullProgress final : public ProgressSink {
public:
    void report(std::int64_t, std::int64_t, std::string_view) override {}
    bool cancelled() const override { return false; }
};

} // namespace ripen
