#include "CatalogRestoreBox.h"

#include "CoreBridge.h"
#include "LibraryOpenError.h"

#include <QDateTime>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QStyle>
#include <QVBoxLayout>

namespace ripen::ui {
namespace {

QString ageText(qint64 ms) {
    const qint64 minutes = std::max<qint64>(ms / 60'000, 0);
    const auto count = [](qint64 n, const char* one, const char* many) {
        return n == 1 ? CatalogRestoreBox::tr(one) : CatalogRestoreBox::tr(many).arg(n);
    };
    if (minutes == 0) {
        return CatalogRestoreBox::tr("less than a minute");
    }
    if (minutes < 60) {
        return count(minutes, "1 minute", "%1 minutes");
    }
    if (minutes < 48 * 60) {
        return count(minutes / 60, "1 hour", "%1 hours");
    }
    return count(minutes / (24 * 60), "1 day", "%1 days");
}

QPixmap standardIcon(const QWidget& widget, QStyle::StandardPixmap which) {
    const int side = widget.style()->pixelMetric(QStyle::PM_MessageBoxIconSize, nullptr, &widget);
    return widget.style()->standardIcon(which, nullptr, &widget).pixmap(side, side);
}

} // namespace

CatalogRestoreBox::CatalogRestoreBox(CoreBridge& bridge, const QString& message,
                                     const QString& closeText, QWidget* parent)
    : QDialog(parent), m_bridge(bridge), m_message(message) {
    setObjectName(QStringLiteral("libraryOpenError"));
    setWindowTitle(LibraryOpenError::title());
    setWindowModality(Qt::WindowModal);
    m_icon = new QLabel(this);
    m_icon->setPixmap(standardIcon(*this, QStyle::SP_MessageBoxCritical));
    m_icon->setAlignment(Qt::AlignTop);
    m_text = new QLabel(message, this);
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse); // paths to copy
    m_text->setMinimumWidth(460);
    auto* buttons = new QDialogButtonBox(this);
    m_restore = buttons->addButton(tr("Restore Newest Backup"), QDialogButtonBox::AcceptRole);
    m_restore->setObjectName(QStringLiteral("restoreBackup"));
    m_restore->setDefault(true);
    m_close = buttons->addButton(closeText, QDialogButtonBox::RejectRole);
    connect(m_restore, &QPushButton::clicked, this, &CatalogRestoreBox::startRestore);
    connect(m_close, &QPushButton::clicked, this, &QDialog::reject);

    auto* body = new QHBoxLayout;
    body->addWidget(m_icon);
    body->addWidget(m_text, 1);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(body);
    layout->addWidget(buttons);

    connect(&m_bridge, &CoreBridge::catalogRestored, this, &CatalogRestoreBox::onRestored);
    connect(&m_bridge, &CoreBridge::catalogRestoreFailed, this,
            &CatalogRestoreBox::onRestoreFailed);
}

QString CatalogRestoreBox::text() const {
    return m_text->text();
}

void CatalogRestoreBox::moveOver(QWidget* window) {
    setParent(window, windowFlags()); // hides the box
    // The button box shows all its buttons again when its window changes.
    m_close->setVisible(!m_restored);
    open();
}

void CatalogRestoreBox::startRestore() {
    if (m_restored) {
        accept(); // the button reads Continue now
        return;
    }
    m_restoring = true;
    m_restore->setEnabled(false);
    m_close->setEnabled(false);
    m_text->setText(m_message + QStringLiteral("\n\n") + tr("Restoring the newest backup…"));
    m_bridge.restoreNewestBackup();
}

void CatalogRestoreBox::done(int result) {
    if (m_restoring) {
        return; // nothing closes the box while the restore runs
    }
    QDialog::done(result);
    if (!m_restored) {
        emit givenUp();
    }
}

void CatalogRestoreBox::onRestored(const CatalogRestoreSummary& summary) {
    m_restoring = false;
    m_restored = true;
    m_icon->setPixmap(standardIcon(*this, QStyle::SP_MessageBoxInformation));
    setWindowTitle(tr("Library restored"));
    m_text->setText(restoredText(summary, QDateTime::currentMSecsSinceEpoch()));
    m_close->hide();
    m_restore->setText(tr("Continue"));
    m_restore->setEnabled(true);
}

void CatalogRestoreBox::onRestoreFailed(const ripen::Error& error) {
    m_restoring = false;
    m_text->setText(m_message + QStringLiteral("\n\n") +
                    tr("The restore failed: %1").arg(QString::fromStdString(error.message)));
    m_restore->setEnabled(false);
    m_restore->hide();
    m_close->setEnabled(true);
}

QString CatalogRestoreBox::restoredText(const CatalogRestoreSummary& summary, qint64 nowMs) {
    const QString taken = QDateTime::fromMSecsSinceEpoch(summary.backupTakenAtMs)
                              .toString(QStringLiteral("yyyy-MM-dd HH:mm"));
    return tr("The catalog was restored from the backup taken %1 (%2 ago):\n%3\n\n"
              "What changed after that time is not in it: assets imported or generated "
              "since, and ratings, tags, notes and collections changed since. The original "
              "files you imported are untouched; import them again to catalog them. Jobs "
              "that were waiting then wait as interrupted: they may have been sent since, "
              "so check before you retry them.\n\n"
              "The damaged catalog was kept as\n%4")
        .arg(taken, ageText(nowMs - summary.backupTakenAtMs), summary.backupFile,
             summary.damagedKeptAs);
}

} // namespace ripen::ui
