#include "welcome/DemoLibraryMaker.h"

#include "PathText.h"
#include "catalog/A1111Parameters.h"
#include "common/FileIo.h"

#include <QBuffer>
#include <QDir>
#include <QImageWriter>
#include <QLinearGradient>
#include <QMetaObject>
#include <QPainter>
#include <QPainterPath>
#include <QRadialGradient>
#include <QtConcurrent/QtConcurrentRun>
#include <array>
#include <cmath>

namespace ripen::ui {

namespace {

struct Palette {
    QColor skyTop, skyBottom, sun, far, near;
    const char* light;
};

const std::array<Palette, 6> kPalettes{{
    {{36, 58, 94}, {232, 170, 120}, {255, 236, 200}, {92, 84, 110}, {40, 42, 60}, "dawn"},
    {{120, 170, 214}, {222, 236, 240}, {255, 255, 240}, {120, 150, 130}, {62, 96, 70}, "noon"},
    {{70, 40, 90}, {238, 120, 96}, {255, 210, 150}, {130, 70, 90}, {60, 30, 50}, "dusk"},
    {{10, 16, 40}, {46, 62, 110}, {236, 236, 255}, {40, 52, 84}, {16, 20, 36}, "moonlight"},
    {{170, 196, 206}, {236, 230, 214}, {255, 250, 230}, {160, 170, 160}, {110, 120, 100}, "fog"},
    {{94, 140, 190}, {240, 214, 160}, {255, 244, 214}, {176, 132, 92}, {120, 80, 50}, "desert"},
}};

const std::array<const char*, 6> kSubjects{"rolling hills",   "mountain valley",
                                           "lavender fields", "fjord under cliffs",
                                           "tea terraces",    "dune ridges"};

// One ridge of hills: a sum of sines across the width, filled down to the bottom edge.
void drawRidge(QPainter& painter, QSize size, int seed, double base, double height,
               const QColor& colour) {
    QPainterPath path;
    path.moveTo(0, size.height());
    const int steps = 96;
    for (int i = 0; i <= steps; ++i) {
        const double x = static_cast<double>(i) / steps;
        const double wave = std::sin(x * (3.0 + seed % 4) + seed) * 0.6 +
                            std::sin(x * (7.0 + seed % 3) + seed * 1.7) * 0.3 +
                            std::sin(x * 17.0 + seed * 0.3) * 0.1;
        path.lineTo(x * size.width(), size.height() * (base - height * wave));
    }
    path.lineTo(size.width(), size.height());
    path.closeSubpath();
    painter.fillPath(path, colour);
}

QColor mix(const QColor& a, const QColor& b, double t) {
    return QColor::fromRgbF(a.redF() + (b.redF() - a.redF()) * t,
                            a.greenF() + (b.greenF() - a.greenF()) * t,
                            a.blueF() + (b.blueF() - a.blueF()) * t);
}

// PNG bytes with the provenance in a "parameters" text chunk.
QByteArray encode(const QImage& image, int index) {
    ripen::GenerationMetadata metadata;
    metadata.prompt = DemoLibraryMaker::promptOf(index).toStdString();
    metadata.provider = "ripen";
    metadata.modelId = "ripen-demo-landscape";
    metadata.seed = index;
    metadata.width = image.width();
    metadata.height = image.height();
    metadata.params = {{"Sampler", "procedural"}, {"Licence", "CC0, drawn by Ripen"}};
    QImage tagged = image;
    tagged.setText(QStringLiteral("parameters"),
                   QString::fromStdString(ripen::A1111Parameters::format(metadata)));
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    QImageWriter writer(&buffer, "png");
    return writer.write(tagged) ? bytes : QByteArray();
}

} // namespace

DemoLibraryMaker::DemoLibraryMaker(QObject* parent) : QObject(parent) {
    m_pool.setMaxThreadCount(1);
}

DemoLibraryMaker::~DemoLibraryMaker() {
    m_pool.waitForDone();
}

QString DemoLibraryMaker::promptOf(int index) {
    const Palette& palette = kPalettes[static_cast<std::size_t>(index) % kPalettes.size()];
    const char* subject = kSubjects[static_cast<std::size_t>(index / 2) % kSubjects.size()];
    return QStringLiteral("%1 at %2, layered ridges, soft haze, calm poster style")
        .arg(QLatin1String(subject), QLatin1String(palette.light));
}

QImage DemoLibraryMaker::drawScene(int index, QSize size) {
    const Palette& p = kPalettes[static_cast<std::size_t>(index) % kPalettes.size()];
    QImage image(size, QImage::Format_RGB32);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    QLinearGradient sky(0, 0, 0, size.height());
    sky.setColorAt(0, p.skyTop);
    sky.setColorAt(0.75, p.skyBottom);
    painter.fillRect(image.rect(), sky);
    const QPointF sun(size.width() * (0.2 + 0.1 * (index * 3 % 7)),
                      size.height() * (0.2 + 0.05 * (index % 4)));
    const double radius = std::min(size.width(), size.height()) / (8.0 + index % 4);
    QRadialGradient glow(sun, radius * 3);
    glow.setColorAt(0, mix(p.sun, p.skyBottom, 0.3));
    glow.setColorAt(1, Qt::transparent);
    painter.setPen(Qt::NoPen);
    painter.setBrush(glow);
    painter.drawEllipse(sun, radius * 3, radius * 3);
    painter.setBrush(p.sun);
    painter.drawEllipse(sun, radius, radius);
    drawRidge(painter, size, index, 0.6, 0.08, p.far);
    drawRidge(painter, size, index * 3 + 1, 0.74, 0.06, mix(p.far, p.near, 0.5));
    drawRidge(painter, size, index * 7 + 2, 0.88, 0.05, p.near);
    return image;
}

void DemoLibraryMaker::make(const QString& folder, int count, QSize size) {
    if (m_busy) {
        return;
    }
    m_busy = true;
    (void)QtConcurrent::run(&m_pool, [this, folder, count, size] {
        QStringList files;
        QString error;
        if (!QDir().mkpath(folder)) {
            error = tr("Cannot create %1").arg(folder);
        }
        for (int i = 0; i < count && error.isEmpty(); ++i) {
            const QByteArray png = encode(drawScene(i, size), i);
            const QString file = QStringLiteral("%1/ripen-demo-%2.png")
                                     .arg(folder)
                                     .arg(i + 1, 2, 10, QLatin1Char('0'));
            auto written = ripen::writeFileAtomically(
                PathText::toPath(file),
                std::string_view(png.constData(), static_cast<std::size_t>(png.size())));
            if (png.isEmpty() || !written) {
                error = png.isEmpty() ? tr("Cannot encode a demo image")
                                      : QString::fromStdString(written.error().message);
                files.clear();
                break;
            }
            files << file;
        }
        QMetaObject::invokeMethod(
            this,
            [this, files, error] {
                m_busy = false;
                emit finished(files, error);
            },
            Qt::QueuedConnection);
    });
}

} // namespace ripen::ui
