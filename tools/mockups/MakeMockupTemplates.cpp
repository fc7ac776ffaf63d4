// ripen_make_mockups: draws the mockup templates shipped in resources/mockups, so that every
// byte of them is made here and shares Ripen's licence. Each template is a small PNG with
// real shading (light fall-off, paper waves, fabric folds, a cylinder's lighting) and
// texture (plaster, weave), so the multiply and displacement blends have something to show,
// plus its JSON (quad corners and blend settings).
//
//   build/ci/tools/ripen_make_mockups resources/mockups
//
// Deterministic: the same program writes the same files.
#include "batch/ImageFiles.h"
#include "common/FileIo.h"

#include <array>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <numbers>
#include <opencv2/imgproc.hpp>
#include <vector>

namespace {

using Quad = std::array<cv::Point2f, 4>;

// Smooth random field in [-1, 1]: uniform noise blurred at `scale` pixels, normalised.
cv::Mat noiseField(cv::Size size, double scale, std::uint64_t seed) {
    cv::RNG rng(seed);
    cv::Mat noise(size, CV_32F);
    rng.fill(noise, cv::RNG::UNIFORM, -1.0, 1.0);
    if (scale > 0) {
        cv::GaussianBlur(noise, noise, {0, 0}, scale);
    }
    double low = 0;
    double high = 0;
    cv::minMaxLoc(noise, &low, &high);
    const double peak = std::max(std::abs(low), std::abs(high));
    return noise / (peak > 0 ? peak : 1.0);
}

// Multiplies a BGR float image by (1 + amount * field).
void modulate(cv::Mat& image, const cv::Mat& field, double amount) {
    image.forEach<cv::Vec3f>([&](cv::Vec3f& p, const int* pos) {
        p *= static_cast<float>(1.0 + amount * field.at<float>(pos[0], pos[1]));
    });
}

cv::Mat filled(cv::Size size, cv::Scalar bgr) {
    return cv::Mat(size, CV_32FC3, bgr);
}

// Light falling off from `light` (pixels) across the image, 1 at the light.
cv::Mat falloff(cv::Size size, cv::Point2f light, double reach, double depth) {
    cv::Mat field(size, CV_32F);
    field.forEach<float>([&](float& v, const int* pos) {
        const double d = std::hypot(pos[1] - light.x, pos[0] - light.y) / reach;
        v = static_cast<float>(-depth * std::min(1.0, d * d));
    });
    return field;
}

cv::Mat polygonMask(cv::Size size, const std::vector<cv::Point>& points, double blur) {
    cv::Mat mask = cv::Mat::zeros(size, CV_32F);
    cv::fillPoly(mask, std::vector<std::vector<cv::Point>>{points}, cv::Scalar(1.0), cv::LINE_AA);
    if (blur > 0) {
        cv::GaussianBlur(mask, mask, {0, 0}, blur);
    }
    return mask;
}

// Paints `colour` (a BGR float image or a flat colour) through `mask` (0..1).
void paint(cv::Mat& image, const cv::Mat& mask, const cv::Mat& colour) {
    image.forEach<cv::Vec3f>([&](cv::Vec3f& p, const int* pos) {
        const float m = mask.at<float>(pos[0], pos[1]);
        p = p * (1 - m) + colour.at<cv::Vec3f>(pos[0], pos[1]) * m;
    });
}

void darken(cv::Mat& image, const cv::Mat& mask, double amount) {
    image.forEach<cv::Vec3f>([&](cv::Vec3f& p, const int* pos) {
        p *= static_cast<float>(1.0 - amount * mask.at<float>(pos[0], pos[1]));
    });
}

std::vector<cv::Point> points(const Quad& quad, cv::Point2f offset = {0, 0}) {
    std::vector<cv::Point> out;
    for (const auto& p : quad) {
        out.emplace_back(cvRound(p.x + offset.x), cvRound(p.y + offset.y));
    }
    return out;
}

void save(const std::filesystem::path& folder, const std::string& name, const std::string& title,
          const cv::Mat& image, const Quad& quad, double shading, double displacement,
          double curvature) {
    cv::Mat out;
    image.convertTo(out, CV_8UC3);
    if (auto written = ripen::writePngFile(folder / (name + ".png"), out); !written) {
        throw std::runtime_error(written.error().message);
    }
    nlohmann::json corners = nlohmann::json::array();
    for (const auto& p : quad) {
        corners.push_back({p.x, p.y});
    }
    const nlohmann::json json = {
        {"ripen_mockup", 1},
        {"title", title},
        {"image", name + ".png"},
        {"quad", corners},
        {"blend",
         {{"shading", shading}, {"displacement", displacement}, {"curvature", curvature}}}};
    if (auto written = ripen::writeFileAtomically(folder / (name + ".json"), json.dump(2) + "\n");
        !written) {
        throw std::runtime_error(written.error().message);
    }
    std::cout << "wrote " << (folder / name).string() << ".png/.json\n";
}

// A poster pinned flat on a plaster wall, lit from the upper left, with paper waves.
void posterOnWall(const std::filesystem::path& folder) {
    const cv::Size size(640, 480);
    cv::Mat image = filled(size, {196, 204, 212});
    modulate(image, noiseField(size, 6, 11), 0.035);
    modulate(image, falloff(size, {120, 40}, 700, 0.35), 1.0);
    const Quad quad = {{{200, 72}, {446, 86}, {440, 404}, {204, 394}}};
    darken(image, polygonMask(size, points(quad, {7, 9}), 7), 0.45);
    cv::Mat paper = filled(size, {246, 247, 248});
    cv::Mat waves(size, CV_32F);
    waves.forEach<float>([](float& v, const int* pos) {
        v = static_cast<float>(0.05 * std::sin(pos[1] / 19.0) + 0.02 * std::sin(pos[0] / 31.0 + 1));
    });
    modulate(paper, waves, 1.0);
    modulate(paper, falloff(size, {120, 40}, 700, 0.3), 1.0);
    paint(image, polygonMask(size, points(quad), 0), paper);
    save(folder, "poster-wall", "Poster on a plaster wall", image, quad, 1.0, 2.0, 0.0);
}

// A print behind a white mat in a black frame on a painted wall; the mat's bevel shades the
// print's top and left edges.
void framedPrint(const std::filesystem::path& folder) {
    const cv::Size size(600, 480);
    cv::Mat image = filled(size, {150, 170, 160});
    modulate(image, noiseField(size, 3, 21), 0.02);
    modulate(image, falloff(size, {300, -60}, 650, 0.4), 1.0);
    const Quad frame = {{{150, 60}, {450, 60}, {450, 420}, {150, 420}}};
    const Quad mat = {{{170, 80}, {430, 80}, {430, 400}, {170, 400}}};
    const Quad quad = {{{214, 124}, {386, 124}, {386, 356}, {214, 356}}};
    darken(image, polygonMask(size, points(frame, {6, 12}), 9), 0.5);
    paint(image, polygonMask(size, points(frame), 0), filled(size, {32, 30, 30}));
    cv::Mat matColour = filled(size, {238, 240, 241});
    modulate(matColour, falloff(size, {300, -60}, 650, 0.25), 1.0);
    paint(image, polygonMask(size, points(mat), 0), matColour);
    cv::Mat print = filled(size, {250, 250, 250});
    modulate(print, falloff(size, {300, -60}, 650, 0.25), 1.0);
    paint(image, polygonMask(size, points(quad), 0), print);
    // The mat's bevel casts a thin shadow onto the print along its top and left edges.
    cv::Mat bevel = cv::Mat::zeros(size, CV_32F);
    cv::rectangle(bevel, cv::Rect(200, 110, 14, 260), cv::Scalar(1.0), cv::FILLED);
    cv::rectangle(bevel, cv::Rect(200, 110, 200, 14), cv::Scalar(1.0), cv::FILLED);
    cv::GaussianBlur(bevel, bevel, {0, 0}, 4);
    darken(image, bevel.mul(polygonMask(size, points(quad), 0)), 0.45);
    save(folder, "framed-print", "Framed print behind a white mat", image, quad, 1.0, 0.0, 0.0);
}

// A white t-shirt on a grey studio ground, with folds and a weave, printed on the chest.
void tshirt(const std::filesystem::path& folder) {
    const cv::Size size(520, 560);
    cv::Mat image = filled(size, {200, 200, 198});
    modulate(image, falloff(size, {260, 200}, 520, 0.3), 1.0);
    const std::vector<cv::Point> shirt = {
        {150, 80},  {215, 60},  {240, 80},  {280, 80},  {305, 60},  {370, 80}, {470, 150},
        {430, 225}, {380, 200}, {385, 520}, {135, 520}, {140, 200}, {90, 225}, {50, 150}};
    darken(image, polygonMask(size, shirt, 10), 0.25);
    cv::Mat cloth = filled(size, {236, 237, 238});
    cv::Mat weave(size, CV_32F);
    weave.forEach<float>([](float& v, const int* pos) {
        // A 2x2 twill repeating every 4 pixels: visible texture that compresses well.
        v = ((pos[1] / 2 + pos[0] / 2) % 2 == 0) ? 0.5f : -0.5f;
    });
    modulate(cloth, weave, 0.025);
    // Soft creases: drag lines from the shoulders and a sag across the belly, each a dark
    // valley beside a faint highlight.
    cv::Mat folds = cv::Mat::zeros(size, CV_32F);
    const std::array<std::array<cv::Point, 2>, 5> creases = {{{{{165, 110}, {215, 300}}},
                                                              {{{355, 110}, {310, 290}}},
                                                              {{{175, 380}, {345, 360}}},
                                                              {{{200, 450}, {300, 470}}},
                                                              {{{240, 200}, {300, 250}}}}};
    for (const auto& crease : creases) {
        cv::line(folds, crease[0], crease[1], cv::Scalar(1.0), 10, cv::LINE_AA);
        cv::line(folds, crease[0] + cv::Point(12, -4), crease[1] + cv::Point(12, -4),
                 cv::Scalar(-0.4), 8, cv::LINE_AA);
    }
    cv::GaussianBlur(folds, folds, {0, 0}, 11);
    modulate(cloth, folds, -0.35);
    modulate(cloth, falloff(size, {230, 150}, 480, 0.25), 1.0);
    paint(image, polygonMask(size, shirt, 0.8), cloth);
    cv::Mat collar = cv::Mat::zeros(size, CV_32F);
    cv::ellipse(collar, {260, 72}, {36, 22}, 0, 0, 180, cv::Scalar(1.0), 4, cv::LINE_AA);
    cv::GaussianBlur(collar, collar, {0, 0}, 1.5);
    darken(image, collar, 0.3);
    const Quad quad = {{{185, 150}, {335, 150}, {335, 330}, {185, 330}}};
    save(folder, "tshirt", "White t-shirt, chest print", image, quad, 1.0, 4.0, 0.0);
}

// A white ceramic mug on a table: the label wraps round its cylinder (curvature), lit from
// the left so the body darkens towards its right edge.
void mug(const std::filesystem::path& folder) {
    const cv::Size size(560, 420);
    cv::Mat image = filled(size, {215, 222, 228});
    cv::Mat table(size, CV_32F);
    table.forEach<float>([](float& v, const int* pos) { v = pos[0] > 330 ? -0.12f : 0.f; });
    cv::GaussianBlur(table, table, {0, 0}, 2);
    modulate(image, table, 1.0);
    modulate(image, noiseField(size, 1.5, 41), 0.015);
    const int left = 160;
    const int right = 380;
    const int top = 90;
    const int bottom = 350;
    cv::Mat shadow = cv::Mat::zeros(size, CV_32F);
    cv::ellipse(shadow, {285, bottom}, {135, 22}, 0, 0, 360, cv::Scalar(1.0), cv::FILLED);
    cv::GaussianBlur(shadow, shadow, {0, 0}, 10);
    darken(image, shadow, 0.45);
    cv::Mat handle = cv::Mat::zeros(size, CV_32F);
    cv::ellipse(handle, {right + 4, 215}, {62, 78}, 0, -90, 90, cv::Scalar(1.0), 20, cv::LINE_AA);
    paint(image, handle, filled(size, {225, 226, 228}));
    darken(image, handle, 0.12);
    cv::Mat body(size, CV_32FC3, cv::Scalar(0, 0, 0));
    cv::Mat bodyMask = cv::Mat::zeros(size, CV_32F);
    cv::rectangle(bodyMask, cv::Rect(left, top, right - left, bottom - top), cv::Scalar(1.0),
                  cv::FILLED);
    cv::ellipse(bodyMask, {(left + right) / 2, bottom}, {(right - left) / 2, 18}, 0, 0, 180,
                cv::Scalar(1.0), cv::FILLED, cv::LINE_AA);
    body.forEach<cv::Vec3f>([&](cv::Vec3f& p, const int* pos) {
        // Lambert shading of a cylinder lit from the front left.
        const double t =
            std::clamp((pos[1] - (left + right) / 2.0) / ((right - left) / 2.0), -1.0, 1.0);
        const double angle = std::asin(t);
        const double light = 0.55 + 0.45 * std::max(0.0, std::cos(angle + 0.5));
        p = cv::Vec3f(246, 247, 248) * static_cast<float>(light);
    });
    paint(image, bodyMask, body);
    cv::Mat rim = cv::Mat::zeros(size, CV_32F);
    cv::ellipse(rim, {(left + right) / 2, top}, {(right - left) / 2, 18}, 0, 0, 360,
                cv::Scalar(1.0), cv::FILLED, cv::LINE_AA);
    paint(image, rim, filled(size, {200, 203, 206}));
    cv::ellipse(image, {(left + right) / 2, top}, {(right - left) / 2, 18}, 0, 0, 360,
                cv::Scalar(245, 246, 247), 3, cv::LINE_AA);
    const Quad quad = {{{172, 140}, {368, 140}, {368, 320}, {172, 320}}};
    save(folder, "mug", "White mug, wrap-around label", image, quad, 1.0, 0.0, 0.8);
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: ripen_make_mockups FOLDER\n";
        return 2;
    }
    try {
        const std::filesystem::path folder = argv[1];
        std::filesystem::create_directories(folder);
        posterOnWall(folder);
        framedPrint(folder);
        tshirt(folder);
        mug(folder);
    } catch (const std::exception& e) {
        std::cerr << "ripen_make_mockups: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
