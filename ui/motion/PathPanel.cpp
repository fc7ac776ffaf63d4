#include "motion/PathPanel.h"

#include "motion/PathEditor.h"
#include "motion/PathFiles.h"
#include "theme/Theme.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QListWidget>
#include <QPushButton>
#include <algorithm>
#include <cmath>

namespace ripen::ui {
namespace {

struct EasingChoice {
    ripen::Easing easing;
    const char* label;
};

const EasingChoice kEasings[] = {
    {ripen::Easing::Linear, QT_TRANSLATE_NOOP("PathPanel", "Linear")},
    {ripen::Easing::EaseIn, QT_TRANSLATE_NOOP("PathPanel", "Ease in")},
    {ripen::Easing::EaseOut, QT_TRANSLATE_NOOP("PathPanel", "Ease out")},
    {ripen::Easing::EaseInOut, QT_TRANSLATE_NOOP("PathPanel", "Ease in and out")},
};

// Two short lines, so the list fits the side panel: "2 · 1.0 s · ease-in-out" over
// "960 × 540 at 640, 330" (the crop in the still's pixels).
QString keyText(int index, const ripen::PathKey& key) {
    const std::string_view easing = ripen::toString(key.easing);
    return PathPanel::tr("%1 · %2 s · %3\n%4 × %5 at %6, %7")
        .arg(index + 1)
        .arg(key.timeSeconds, 0, 'f', 1)
        .arg(QString::fromUtf8(easing.data(), static_cast<qsizetype>(easing.size())))
        .arg(std::lround(key.rect.width))
        .arg(std::lround(key.rect.height))
        .arg(std::lround(key.rect.x))
        .arg(std::lround(key.rect.y));
}

QDoubleSpinBox* secondsBox(QWidget* parent, const QString& name) {
    auto* box = new QDoubleSpinBox(parent);
    box->setObjectName(name);
    box->setDecimals(1);
    box->setSingleStep(0.5);
    box->setSuffix(PathPanel::tr(" s"));
    return box;
}

} // namespace

PathPanel::PathPanel(PathEditor& editor, QWidget* parent)
    : QGroupBox(tr("Keyframed path"), parent), m_editor(editor), m_files(new PathFiles(this)) {
    setObjectName(QStringLiteral("motionPathBox"));
    setToolTip(tr("Click the still to add a key, drag a key to move it, scroll over it to "
                  "zoom, Delete to remove it"));
    m_newKeyTime = secondsBox(this, QStringLiteral("motionNewKeyTime"));
    m_newKeyTime->setToolTip(tr("When the next key added with a click goes"));
    m_keyList = new QListWidget(this);
    m_keyList->setObjectName(QStringLiteral("motionPathKeys"));
    m_keyList->setFixedHeight(14 * Theme::kGrid);
    m_keyList->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_keyTime = secondsBox(this, QStringLiteral("motionKeyTime"));
    m_keyEasing = new QComboBox(this);
    m_keyEasing->setObjectName(QStringLiteral("motionKeyEasing"));
    m_keyEasing->setToolTip(tr("How the camera moves into this key from the one before"));
    for (const EasingChoice& choice : kEasings) {
        m_keyEasing->addItem(tr(choice.label), static_cast<int>(choice.easing));
    }
    m_keyWidth = new QDoubleSpinBox(this);
    m_keyWidth->setObjectName(QStringLiteral("motionKeyWidth"));
    m_keyWidth->setRange(16, 16384);
    m_keyWidth->setDecimals(0);
    m_keyWidth->setSuffix(tr(" px"));
    m_keyWidth->setToolTip(tr("The key's crop width in pixels of the still"));
    m_deleteKey = new QPushButton(tr("Delete Key"), this);
    m_preview = new QPushButton(tr("Play Preview"), this);
    m_preview->setObjectName(QStringLiteral("motionPreviewPath"));
    m_preview->setCheckable(true);
    auto* save = new QPushButton(tr("Save…"), this);
    save->setToolTip(tr("Save the path as a file for ripen-cli video move path:FILE"));
    auto* load = new QPushButton(tr("Load…"), this);
    auto* keyButtons = new QHBoxLayout;
    keyButtons->addWidget(m_deleteKey);
    keyButtons->addWidget(m_preview);
    auto* fileButtons = new QHBoxLayout;
    fileButtons->addWidget(save);
    fileButtons->addWidget(load);
    auto* form = new QFormLayout(this);
    form->addRow(tr("New keys at"), m_newKeyTime);
    form->addRow(m_keyList);
    form->addRow(tr("Key time"), m_keyTime);
    form->addRow(tr("Easing"), m_keyEasing);
    form->addRow(tr("Width"), m_keyWidth);
    form->addRow(keyButtons);
    form->addRow(fileButtons);

    connect(m_newKeyTime, &QDoubleSpinBox::valueChanged, &m_editor, &PathEditor::setNewKeyTime);
    connect(&m_editor, &PathEditor::keysChanged, this, &PathPanel::showKeys);
    connect(&m_editor, &PathEditor::selectionChanged, this, &PathPanel::showSelection);
    connect(m_keyList, &QListWidget::currentRowChanged, &m_editor, &PathEditor::selectKey);
    connect(m_keyTime, &QDoubleSpinBox::valueChanged, this, [this](double value) {
        if (m_editor.selectedKey() >= 0 && !m_editor.setSelectedTime(value)) {
            emit status(tr("Another key is at %1 s already").arg(value, 0, 'f', 1));
        }
    });
    connect(m_keyEasing, &QComboBox::currentIndexChanged, this, [this] {
        m_editor.setSelectedEasing(static_cast<ripen::Easing>(m_keyEasing->currentData().toInt()));
    });
    connect(m_keyWidth, &QDoubleSpinBox::valueChanged, &m_editor, &PathEditor::setSelectedWidth);
    connect(m_deleteKey, &QPushButton::clicked, &m_editor, &PathEditor::deleteSelectedKey);
    connect(m_preview, &QPushButton::toggled, this, [this](bool preview) {
        m_preview->setText(preview ? tr("Edit Path") : tr("Play Preview"));
        emit previewToggled(preview);
    });
    connect(save, &QPushButton::clicked, this, [this] { chooseFile(true); });
    connect(load, &QPushButton::clicked, this, [this] { chooseFile(false); });
    connect(m_files, &PathFiles::saved, this,
            [this](const QString& file) { emit status(tr("Path saved to %1").arg(file)); });
    connect(m_files, &PathFiles::loaded, this,
            [this](const QString& file, const ripen::CameraPath& path) {
                m_editor.setKeys(path.keys());
                emit status(
                    tr("%n key(s) loaded from %1", nullptr, static_cast<int>(path.keys().size()))
                        .arg(file));
            });
    connect(m_files, &PathFiles::failed, this,
            [this](const QString& file, const QString& why) { emit status(file + ": " + why); });
    showSelection(-1);
}

void PathPanel::setDuration(double seconds) {
    m_newKeyTime->setMaximum(seconds);
    m_keyTime->setMaximum(seconds);
}

void PathPanel::setPreviewShown(bool shown) {
    const QSignalBlocker quiet(m_preview);
    m_preview->setChecked(shown);
    m_preview->setText(shown ? tr("Edit Path") : tr("Play Preview"));
}

bool PathPanel::isBusy() const {
    return m_files->isBusy();
}

void PathPanel::savePath(const QString& file) {
    if (m_editor.keys().empty()) {
        emit status(tr("The path has no keys to save"));
        return;
    }
    m_files->save(file, m_editor.path());
}

void PathPanel::loadPath(const QString& file, const ripen::PathLimits& limits) {
    m_files->load(file, limits);
}

void PathPanel::chooseFile(bool saving) {
    const QString filter = tr("Camera path (*.json)");
    const QString file =
        saving ? QFileDialog::getSaveFileName(this, tr("Save Camera Path"), {}, filter)
               : QFileDialog::getOpenFileName(this, tr("Load Camera Path"), {}, filter);
    if (file.isEmpty()) {
        return;
    }
    if (saving) {
        savePath(file);
    } else {
        emit loadRequested(file); // the view knows the still and the video to check it against
    }
}

void PathPanel::showKeys() {
    const std::vector<ripen::PathKey>& keys = m_editor.keys();
    {
        const QSignalBlocker quiet(m_keyList);
        m_keyList->clear();
        for (std::size_t i = 0; i < keys.size(); ++i) {
            m_keyList->addItem(keyText(static_cast<int>(i), keys[i]));
        }
    }
    showSelection(m_editor.selectedKey());
    // A key added last moves the time for the next one a second on.
    if (keys.size() > m_keyCount && m_editor.selectedKey() == static_cast<int>(keys.size()) - 1) {
        m_newKeyTime->setValue(std::min(m_newKeyTime->maximum(), keys.back().timeSeconds + 1));
    }
    m_keyCount = keys.size();
    emit keysChanged();
}

void PathPanel::showSelection(int index) {
    const bool selected = index >= 0;
    m_keyTime->setEnabled(selected);
    m_keyEasing->setEnabled(selected);
    m_keyWidth->setEnabled(selected);
    m_deleteKey->setEnabled(selected);
    const QSignalBlocker quietList(m_keyList);
    m_keyList->setCurrentRow(index);
    if (!selected) {
        return;
    }
    const ripen::PathKey& key = m_editor.keys()[static_cast<std::size_t>(index)];
    const QSignalBlocker quietTime(m_keyTime);
    const QSignalBlocker quietEasing(m_keyEasing);
    const QSignalBlocker quietWidth(m_keyWidth);
    m_keyTime->setValue(key.timeSeconds);
    m_keyEasing->setCurrentIndex(m_keyEasing->findData(static_cast<int>(key.easing)));
    m_keyWidth->setValue(key.rect.width);
}

} // namespace ripen::ui
