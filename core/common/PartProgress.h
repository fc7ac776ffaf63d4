#pragma once

#include "common/ProgressSink.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace ripen {

// Step `index` of `count` of a larger piece of work, reported into `parent` so that it
// sees one rising fraction across steps that each count from zero (the passes of a
// chained upscale, each reporting its own tiles). A non-empty `label` goes before each
// message ("pass 1/2 x4: " + "tile 3/24"). Cancelled when the parent is.
class PartProgress final : public ProgressSink {
public:
    PartProgress(ProgressSink& parent, std::int64_t index, std::int64_t count,
                 std::string label = {})
        : m_parent(parent), m_index(index), m_count(count < 1 ? 1 : count),
          m_label(std::move(label)) {}

    void report(std::int64_t done, std::int64_t total, std::string_view message) override {
        const std::int64_t within = total > 0 ? done * kScale / total : 0;
        if (m_label.empty()) {
            m_parent.report(m_index * kScale + within, m_count * kScale, message);
        } else {
            m_parent.report(m_index * kScale + within, m_count * kScale,
                            m_label + std::string(message));
        }
    }
    bool cancelled() const override { return m_parent.cancelled(); }

private:
    static constexpr std::int64_t kScale = 10'000;
    ProgressSink& m_parent;
    std::int64_t m_index;
    std::int64_t m_count;
    std::string m_label;
};

} // namespace ripen
