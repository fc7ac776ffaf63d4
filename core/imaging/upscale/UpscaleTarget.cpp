#include "imaging/upscale/UpscaleTarget.h"

#include "imaging/ImageLimits.h"

#include <algorithm>
#include <cmath>

namespace ripen {
namespace {

std::string sizeText(cv::Size size) {
    return std::to_string(size.width) + "x" + std::to_string(size.height);
}

double factorBetween(cv::Size source, cv::Size target) {
    return std::max(static_cast<double>(target.width) / source.width,
                    static_cast<double>(target.height) / source.height);
}

cv::Size scaled(cv::Size source, double factor) {
    return {static_cast<int>(std::lround(source.width * factor)),
            static_cast<int>(std::lround(source.height * factor))};
}

} // namespace

Status checkWithinImageLimits(cv::Size size, std::string_view what) {
    const auto pixels =
        static_cast<std::uint64_t>(size.width) * static_cast<std::uint64_t>(size.height);
    if (size.width > static_cast<int>(kMaxImageSide) ||
        size.height > static_cast<int>(kMaxImageSide) || pixels > kMaxImagePixels) {
        return fail(ErrorCode::InvalidArgument,
                    std::string(what) + " is " + sizeText(size) + ", past Ripen's image limit (" +
                        std::to_string(kMaxImageSide) + " px a side, " +
                        std::to_string(kMaxImagePixels / 1'000'000) + " million pixels)");
    }
    return {};
}

Result<UpscaleTarget> UpscaleTarget::scale(std::string_view text) {
    std::string_view digits = text.starts_with('x') ? text.substr(1) : text;
    for (const int factor : {2, 3, 4, 8}) {
        if (digits == std::to_string(factor)) {
            return UpscaleTarget(Scale{factor});
        }
    }
    return fail(ErrorCode::InvalidArgument,
                "scale '" + std::string(text.substr(0, 32)) + "' is not 2, 3, 4 or 8");
}

Result<UpscaleTarget> UpscaleTarget::longSide(std::string_view text) {
    static const std::pair<const char*, int> kNames[] = {{"2K", 2048}, {"4K", 3840}, {"8K", 7680}};
    for (const auto& [name, pixels] : kNames) {
        if (text == name || (text.size() == 2 && text[0] == name[0] && text[1] == 'k')) {
            return UpscaleTarget(LongSide{pixels, name});
        }
    }
    return fail(ErrorCode::InvalidArgument,
                "target '" + std::string(text.substr(0, 32)) + "' is not 2K, 4K or 8K");
}

Result<UpscaleTarget> UpscaleTarget::print(std::string_view text) {
    auto size = PrintSize::parse(text);
    if (!size) {
        return std::unexpected(size.error());
    }
    if (!size->dpi) {
        return fail(ErrorCode::InvalidArgument, "print size '" + std::string(text.substr(0, 64)) +
                                                    "' needs a DPI, e.g. 18x24in@300");
    }
    return UpscaleTarget(*size);
}

Result<UpscaleTarget> UpscaleTarget::parse(std::string_view text) {
    if (text.ends_with('K') || text.ends_with('k')) {
        return longSide(text);
    }
    if (text.find_first_of("x") != std::string_view::npos && text.size() > 2 &&
        text.front() != 'x') {
        return print(text);
    }
    return scale(text);
}

std::string UpscaleTarget::text() const {
    if (const auto* s = std::get_if<Scale>(&m_spec)) {
        return "x" + std::to_string(s->factor);
    }
    if (const auto* l = std::get_if<LongSide>(&m_spec)) {
        return l->name;
    }
    return std::get<PrintSize>(m_spec).text();
}

Result<cv::Size> UpscaleTarget::sizeFor(cv::Size source) const {
    if (source.width <= 0 || source.height <= 0) {
        return fail(ErrorCode::InvalidArgument, "the source image is empty");
    }
    cv::Size target;
    if (const auto* s = std::get_if<Scale>(&m_spec)) {
        target = {source.width * s->factor, source.height * s->factor};
    } else if (const auto* l = std::get_if<LongSide>(&m_spec)) {
        target =
            scaled(source, static_cast<double>(l->pixels) / std::max(source.width, source.height));
    } else {
        const auto& print = std::get<PrintSize>(m_spec);
        const cv::Size needed = print.pixelsAt(source, *print.dpi);
        const double factor = factorBetween(source, needed);
        target = scaled(source, factor);
        // Rounding must not leave the print a pixel short of its DPI.
        if (target.width < needed.width || target.height < needed.height) {
            target = {std::max(target.width, needed.width), std::max(target.height, needed.height)};
        }
    }
    if (target.width <= source.width && target.height <= source.height) {
        return fail(ErrorCode::InvalidArgument, "the image is already " + sizeText(source) + "; " +
                                                    text() + " means " + sizeText(target) +
                                                    ", no enlargement");
    }
    if (auto within =
            checkWithinImageLimits(target, text() + " of a " + sizeText(source) + " image");
        !within) {
        return std::unexpected(within.error());
    }
    return target;
}

cv::Size UpscalePlan::afterPasses() const {
    int product = 1;
    for (const int pass : passes) {
        product *= pass;
    }
    return {source.width * product, source.height * product};
}

Result<UpscalePlan> UpscalePlan::make(cv::Size source, cv::Size target,
                                      const std::vector<int>& factors, int maxPasses) {
    UpscalePlan plan{source, target, {}};
    std::vector<int> sorted = factors;
    std::erase_if(sorted, [](int f) { return f < 2; });
    std::ranges::sort(sorted);
    const double needed = factorBetween(source, target);
    double reached = 1.0;
    while (!sorted.empty() && reached < needed - 1e-9 &&
           static_cast<int>(plan.passes.size()) < maxPasses) {
        // The smallest factor that finishes the job; else the largest, and go on.
        const auto finishing =
            std::ranges::find_if(sorted, [&](int f) { return reached * f >= needed - 1e-9; });
        const int pass = finishing != sorted.end() ? *finishing : sorted.back();
        plan.passes.push_back(pass);
        reached *= pass;
        const cv::Size now = plan.afterPasses();
        if (auto within = checkWithinImageLimits(now, "the image after pass " +
                                                          std::to_string(plan.passes.size()) +
                                                          " (x" + std::to_string(pass) + ")");
            !within) {
            return std::unexpected(within.error());
        }
    }
    return plan;
}

} // namespace ripen
