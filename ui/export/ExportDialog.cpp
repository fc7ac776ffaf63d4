#include "export/ExportDialog.h"

#include "CoreBridge.h"
#include "theme/Theme.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QStandardPaths>
#include <QVBoxLayout>

namespace ripen::ui {

ExportDialog::ExportDialog(CoreBridge& bridge, std::vector<ripen::AssetId> ids, QWidget* parent)
    : QDialog(parent), m_bridge(bridge), m_ids(std::move(ids)), m_format(new QComboBox(this)),
      m_quality(new QSpinBox(this)), m_dpi(new QSpinBox(this)),
      m_metadata(
          new QCheckBox(tr("Write how it was made (prompt, seed, model) into the file"), this)),
      m_folder(new QLineEdit(this)), m_progress(new QProgressBar(this)), m_status(new QLabel(this)),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Cancel, this)),
      m_export(m_buttons->addButton(tr("Export"), QDialogButtonBox::AcceptRole)) {
    setObjectName(QStringLiteral("exportDialog"));
    setWindowTitle(m_ids.size() == 1 ? tr("Export 1 Asset")
                                     : tr("Export %1 Assets").arg(m_ids.size()));
    m_format->addItem(tr("PNG (lossless)"), QStringLiteral("png"));
    m_format->addItem(tr("JPEG"), QStringLiteral("jpeg"));
    m_format->addItem(tr("WebP"), QStringLiteral("webp"));
    m_format->addItem(tr("TIFF (lossless)"), QStringLiteral("tiff"));
    m_quality->setRange(1, 100);
    m_quality->setValue(92);
    m_quality->setSuffix(QStringLiteral(" %"));
    m_dpi->setRange(0, 2400);
    m_dpi->setValue(0);
    m_dpi->setSpecialValueText(tr("Keep the file's"));
    m_dpi->setSuffix(tr(" dpi"));
    m_dpi->setToolTip(tr("The resolution printers read; pixels are not resampled. WebP has no "
                         "such field."));
    m_metadata->setChecked(true);
    m_metadata->setToolTip(tr("Prompt, model, seed and the IPTC \"made by AI\" label as XMP "
                              "(and EXIF in JPEG, WebP and TIFF), an sRGB profile, and for PNG an "
                              "AUTOMATIC1111-style \"parameters\" chunk."));
    m_folder->setText(QSettings()
                          .value(kFolderSetting,
                                 QStandardPaths::writableLocation(QStandardPaths::PicturesLocation))
                          .toString());
    auto* browse = new QPushButton(tr("Choose…"), this);
    connect(browse, &QPushButton::clicked, this, &ExportDialog::chooseFolder);
    auto* folderRow = new QHBoxLayout;
    folderRow->addWidget(m_folder, 1);
    folderRow->addWidget(browse);

    auto* form = new QFormLayout;
    form->addRow(tr("Format"), m_format);
    form->addRow(tr("Quality"), m_quality);
    form->addRow(tr("Resolution"), m_dpi);
    form->addRow(QString(), m_metadata);
    form->addRow(tr("Into folder"), folderRow);
    m_progress->setRange(0, static_cast<int>(m_ids.size()));
    m_progress->setValue(0);
    m_progress->setTextVisible(true);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(2 * Theme::kGrid, 2 * Theme::kGrid, 2 * Theme::kGrid,
                               2 * Theme::kGrid);
    layout->setSpacing(Theme::kGrid);
    layout->addLayout(form);
    layout->addWidget(m_progress);
    layout->addWidget(m_status);
    layout->addWidget(m_buttons);
    setMinimumWidth(60 * Theme::kGrid);

    connect(m_format, &QComboBox::currentIndexChanged, this, &ExportDialog::updateControls);
    connect(m_folder, &QLineEdit::textChanged, this, &ExportDialog::updateControls);
    connect(m_export, &QPushButton::clicked, this, &ExportDialog::start);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &ExportDialog::reject);
    connect(&m_bridge, &CoreBridge::exportProgress, this,
            [this](qint64 done, qint64, const QString&) {
                if (m_running) {
                    m_progress->setValue(static_cast<int>(done));
                }
            });
    connect(&m_bridge, &CoreBridge::exportFinished, this, [this](const ExportSummary& summary) {
        if (m_running) {
            finish(summary);
        }
    });
    updateControls();
}

ripen::ExportOptions ExportDialog::options() const {
    ripen::ExportOptions options;
    options.format = m_format->currentData().toString().toStdString();
    options.quality = m_quality->value();
    options.dpi = m_dpi->value();
    options.writeMetadata = m_metadata->isChecked();
    return options;
}

QString ExportDialog::folder() const {
    return m_folder->text().trimmed();
}

void ExportDialog::setFolder(const QString& folder) {
    m_folder->setText(folder);
}

void ExportDialog::setFormat(const QString& format) {
    m_format->setCurrentIndex(std::max(0, m_format->findData(format)));
}

void ExportDialog::setQuality(int quality) {
    m_quality->setValue(quality);
}

void ExportDialog::setDpi(int dpi) {
    m_dpi->setValue(dpi);
}

void ExportDialog::setWriteMetadata(bool on) {
    m_metadata->setChecked(on);
}

QString ExportDialog::statusText() const {
    return m_status->text();
}

void ExportDialog::chooseFolder() {
    const QString chosen = QFileDialog::getExistingDirectory(this, tr("Export Into"), folder());
    if (!chosen.isEmpty()) {
        m_folder->setText(chosen);
    }
}

void ExportDialog::updateControls() {
    const QString format = m_format->currentData().toString();
    const bool lossy = format == QStringLiteral("jpeg") || format == QStringLiteral("webp");
    m_quality->setEnabled(lossy && !m_running);
    m_dpi->setEnabled(format != QStringLiteral("webp") && !m_running);
    for (QWidget* control : {static_cast<QWidget*>(m_format), static_cast<QWidget*>(m_metadata),
                             static_cast<QWidget*>(m_folder)}) {
        control->setEnabled(!m_running);
    }
    m_export->setEnabled(!m_running && !folder().isEmpty() && !m_ids.empty());
    m_buttons->button(QDialogButtonBox::Cancel)->setText(m_running ? tr("Stop") : tr("Close"));
}

void ExportDialog::start() {
    if (m_running || m_ids.empty()) {
        return;
    }
    if (m_bridge.isExporting()) {
        m_status->setText(tr("Another export is still running; wait for it to finish."));
        return;
    }
    QSettings().setValue(kFolderSetting, folder());
    m_summary = {};
    m_running = true;
    m_progress->setValue(0);
    m_status->setText(tr("Exporting…"));
    updateControls();
    m_bridge.exportAssets(m_ids, folder(), options());
}

void ExportDialog::finish(const ExportSummary& summary) {
    m_running = false;
    m_summary = summary;
    m_progress->setValue(static_cast<int>(summary.written.size() + summary.failures.size()));
    QString text = summary.written.size() == 1
                       ? tr("1 file written to %1.").arg(folder())
                       : tr("%1 files written to %2.").arg(summary.written.size()).arg(folder());
    if (summary.cancelled) {
        text += QLatin1Char(' ') + tr("Stopped before the rest.");
    }
    if (!summary.failures.isEmpty()) {
        text += QLatin1Char('\n') + tr("Not exported:") + QLatin1Char('\n') +
                summary.failures.join(QLatin1Char('\n'));
    }
    m_status->setText(text);
    updateControls();
    emit exportFinished(summary);
}

void ExportDialog::reject() {
    if (m_running) {
        m_bridge.cancelExport(); // the dialog stays until the export has stopped
        m_status->setText(tr("Stopping after the current file…"));
        return;
    }
    QDialog::reject();
}

} // namespace ripen::ui
