#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

namespace ripen::test {

// How many of `points` (time points or durations) fall in the fullest window of `width`,
// sliding over every placement rather than fixed buckets: the measure of a thundering
// herd (RELIABILITY.md P2).
template <typename Point, typename Width>
std::size_t busiestWindow(std::vector<Point> points, Width width) {
    std::sort(points.begin(), points.end());
    std::size_t best = 0;
    std::size_t first = 0;
    for (std::size_t last = 0; last < points.size(); ++last) {
        while (points[last] - points[first] >= width) {
            ++first;
        }
        best = std::max(best, last - first + 1);
    }
    return best;
}

} // namespace ripen::test
