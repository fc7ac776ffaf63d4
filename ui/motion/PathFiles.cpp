#include "motion/PathFiles.h"

#include "PathText.h"
#include "common/FileIo.h"

#include <QMetaObject>
#include <QtConcurrent/QtConcurrentRun>
#include <optional>

namespace ripen::ui {

PathFiles::PathFiles(QObject* parent) : QObject(parent) {
    m_pool.setMaxThreadCount(1);
    qRegisterMetaType<ripen::CameraPath>();
}

PathFiles::~PathFiles() {
    m_pool.waitForDone();
}

// Runs `work() -> Result<std::optional<CameraPath>>` on the worker, then answers `file`'s
// saved (no path), loaded or failed on the GUI thread.
template <class Work> void PathFiles::start(const QString& file, Work work) {
    ++m_pending;
    (void)QtConcurrent::run(&m_pool, [this, file, work = std::move(work)] {
        Result<std::optional<ripen::CameraPath>> outcome = work(PathText::toPath(file));
        QMetaObject::invokeMethod(
            this,
            [this, file, outcome = std::move(outcome)] {
                --m_pending;
                if (!outcome) {
                    emit failed(file, QString::fromStdString(outcome.error().message));
                } else if (*outcome) {
                    emit loaded(file, **outcome);
                } else {
                    emit saved(file);
                }
            },
            Qt::QueuedConnection);
    });
}

void PathFiles::save(const QString& file, const ripen::CameraPath& path) {
    start(file,
          [json = ripen::cameraPathJson(path)](
              const std::filesystem::path& target) -> Result<std::optional<ripen::CameraPath>> {
              if (auto written = ripen::writeFileAtomically(target, json); !written) {
                  return std::unexpected(written.error());
              }
              return std::nullopt;
          });
}

void PathFiles::load(const QString& file, const ripen::PathLimits& limits) {
    start(
        file,
        [limits](const std::filesystem::path& source) -> Result<std::optional<ripen::CameraPath>> {
            auto text = ripen::readFileBounded(source, ripen::kMaxPathFileBytes);
            if (!text) {
                return std::unexpected(text.error());
            }
            auto path = ripen::parseCameraPath(*text, limits);
            if (!path) {
                return std::unexpected(withContext(path.error(), source.filename().string()));
            }
            return std::optional<ripen::CameraPath>(std::move(*path));
        });
}

} // namespace ripen::ui
