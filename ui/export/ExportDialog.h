#pragma once

#include "ExportSummary.h"
#include "catalog/Asset.h"
#include "catalog/Exporter.h"

#include <QDialog>
#include <vector>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace ripen::ui {

class CoreBridge;

// File > Export…: writes the chosen assets into a folder as PNG, JPEG, WebP or TIFF, with
// a quality (JPEG, WebP), a resolution in DPI and provenance metadata on or off. The
// export runs through the bridge off the GUI thread with a progress bar; Cancel stops it
// after the current file, and the dialog ends with what was written and what was not.
// An asset exported in its own format keeps its pixels bit for bit.
//
// Thread affinity: GUI thread.
class ExportDialog final : public QDialog {
    Q_OBJECT
public:
    static constexpr const char* kFolderSetting = "export/folder";

    ExportDialog(CoreBridge& bridge, std::vector<ripen::AssetId> ids, QWidget* parent = nullptr);

    ripen::ExportOptions options() const;
    QString folder() const;
    void setFolder(const QString& folder);
    void setFormat(const QString& format); // "png", "jpeg", "webp", "tiff"
    void setQuality(int quality);
    void setDpi(int dpi); // 0: leave the file's own
    void setWriteMetadata(bool on);

    // Starts the export (the Export button).
    void start();
    bool isRunning() const { return m_running; }
    const ExportSummary& summary() const { return m_summary; }
    QString statusText() const;

signals:
    void exportFinished(const ripen::ui::ExportSummary& summary);

protected:
    void reject() override;

private:
    void chooseFolder();
    void updateControls();
    void finish(const ExportSummary& summary);

    CoreBridge& m_bridge;
    std::vector<ripen::AssetId> m_ids;
    QComboBox* m_format;
    QSpinBox* m_quality;
    QSpinBox* m_dpi;
    QCheckBox* m_metadata;
    QLineEdit* m_folder;
    QProgressBar* m_progress;
    QLabel* m_status;
    QDialogButtonBox* m_buttons;
    QPushButton* m_export;
    ExportSummary m_summary;
    bool m_running = false;
};

} // namespace ripen::ui
