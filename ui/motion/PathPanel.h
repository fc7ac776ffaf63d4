#pragma once

#include "video/CameraPath.h"

#include <QGroupBox>
#include <cstddef>

class QComboBox;
class QDoubleSpinBox;
class QListWidget;
class QPushButton;

namespace ripen::ui {

class PathEditor;
class PathFiles;

// The side panel of the keyframed path: the keys listed, the selected key's time, easing
// and width, the time for the next key (a second after the last one added), Delete, the
// preview toggle, and saving or loading the path file (off the GUI thread). Works on the
// PathEditor it is given, which shows the same keys over the still.
//
// Thread affinity: GUI thread.
class PathPanel final : public QGroupBox {
    Q_OBJECT
public:
    PathPanel(PathEditor& editor, QWidget* parent = nullptr);

    // The video's length: key times run from 0 to it.
    void setDuration(double seconds);
    // Writes the path file / replaces the keys with a file's, checked against `limits`.
    void savePath(const QString& file);
    void loadPath(const QString& file, const ripen::PathLimits& limits);
    bool isBusy() const;
    // Shows the preview toggle as on or off without signalling.
    void setPreviewShown(bool shown);

    QListWidget& keyList() { return *m_keyList; }
    QDoubleSpinBox& newKeyTimeBox() { return *m_newKeyTime; }
    QDoubleSpinBox& keyTimeBox() { return *m_keyTime; }
    QComboBox& keyEasingBox() { return *m_keyEasing; }

signals:
    void previewToggled(bool preview);
    // Something to tell the user (a saved file, a refused time, a file's error).
    void status(const QString& text);
    void keysChanged();
    // The user chose a path file to load.
    void loadRequested(const QString& file);

private:
    void showKeys();
    void showSelection(int index);
    void chooseFile(bool saving);

    PathEditor& m_editor;
    PathFiles* m_files;
    QListWidget* m_keyList;
    QDoubleSpinBox* m_newKeyTime;
    QDoubleSpinBox* m_keyTime;
    QComboBox* m_keyEasing;
    QDoubleSpinBox* m_keyWidth;
    QPushButton* m_deleteKey;
    QPushButton* m_preview;
    std::size_t m_keyCount = 0; // keys before the last change: a new one advances the time
};

} // namespace ripen::ui
