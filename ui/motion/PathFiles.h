#pragma once

#include "video/CameraPath.h"

#include <QMetaType>
#include <QObject>
#include <QString>
#include <QThreadPool>
#include <string>

namespace ripen::ui {

// Saves and loads keyframed path files (the JSON `ripen-cli video move path:FILE` reads)
// off the GUI thread: a save is written atomically (temp + fsync + rename), a load is
// bounded and checked against the still and the video by core's parseCameraPath, so a
// file the view accepts is one the render accepts. Answers on the GUI thread.
//
// Thread affinity: GUI thread; the worker is drained by the destructor.
class PathFiles final : public QObject {
    Q_OBJECT
public:
    explicit PathFiles(QObject* parent = nullptr);
    ~PathFiles() override;
    PathFiles(const PathFiles&) = delete;
    PathFiles& operator=(const PathFiles&) = delete;

    void save(const QString& file, const ripen::CameraPath& path);
    void load(const QString& file, const ripen::PathLimits& limits);
    bool isBusy() const { return m_pending > 0; }

signals:
    void saved(const QString& file);
    void loaded(const QString& file, const ripen::CameraPath& path);
    void failed(const QString& file, const QString& message);

private:
    template <class Work> void start(const QString& file, Work work);

    QThreadPool m_pool;
    int m_pending = 0;
};

} // namespace ripen::ui

Q_DECLARE_METATYPE(ripen::CameraPath)
