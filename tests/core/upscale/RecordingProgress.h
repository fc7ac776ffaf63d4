#pragma once

#include "common/ProgressSink.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ripen::test {

// Keeps every report; says "cancelled" once `cancelAfter` reports have come (-1: never).
class RecordingProgress final : public ProgressSink {
public:
    void report(std::int64_t done, std::int64_t total, std::string_view message) override {
        reports.push_back({done, total, std::string(message)});
    }
    bool cancelled() const override {
        return cancelAfter >= 0 && static_cast<int>(reports.size()) >= cancelAfter;
    }

    struct Report {
        std::int64_t done;
        std::int64_t total;
        std::string message;
    };
    std::vector<Report> reports;
    int cancelAfter = -1;
};

} // namespace ripen::test
