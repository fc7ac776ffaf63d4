#include "gallery/CullingController.h"

#include "gallery/GalleryModel.h"

#include <QAction>
#include <QItemSelectionModel>
#include <QKeyEvent>
#include <QSettings>
#include <algorithm>

namespace ripen::ui {

CullingController::CullingController(GalleryModel& model, QItemSelectionModel& selection,
                                     QObject* parent)
    : QObject(parent), m_model(model), m_selection(selection), m_autoAdvance(new QAction(this)) {
    addCommand(tr("Pick"), QStringLiteral("P"), Qt::Key_P);
    addCommand(tr("Reject"), QStringLiteral("X"), Qt::Key_X);
    addCommand(tr("Unflag"), QStringLiteral("U"), Qt::Key_U);
    addCommand(tr("No Stars"), QStringLiteral("0"), Qt::Key_0);
    for (int stars = 1; stars <= 5; ++stars) {
        addCommand(stars == 1 ? tr("1 Star") : tr("%1 Stars").arg(stars), QString::number(stars),
                   Qt::Key_0 + stars);
    }
    addCommand(tr("Red Label"), QStringLiteral("6"), Qt::Key_6);
    addCommand(tr("Yellow Label"), QStringLiteral("7"), Qt::Key_7);
    addCommand(tr("Green Label"), QStringLiteral("8"), Qt::Key_8);
    addCommand(tr("Blue Label"), QStringLiteral("9"), Qt::Key_9);

    m_autoAdvance->setText(tr("Auto Advance"));
    m_autoAdvance->setToolTip(tr("After a flag, rating or label, move on to the next asset"));
    m_autoAdvance->setCheckable(true);
    m_autoAdvance->setChecked(QSettings().value(kAutoAdvanceSetting, false).toBool());
    connect(m_autoAdvance, &QAction::toggled, this,
            [](bool on) { QSettings().setValue(kAutoAdvanceSetting, on); });
}

QAction* CullingController::addCommand(const QString& text, const QString& key, int qtKey) {
    // "\t" puts the key in the menu's shortcut column; the key itself is handled by
    // eventFilter so that typing in a text field never culls.
    auto* action = new QAction(text + QLatin1Char('\t') + key, this);
    action->setToolTip(QStringLiteral("%1 (%2)").arg(text, key));
    connect(action, &QAction::triggered, this, [this, qtKey] { handleKey(qtKey); });
    m_actions << action;
    return action;
}

void CullingController::watch(QObject* widget) {
    widget->installEventFilter(this);
}

bool CullingController::autoAdvance() const {
    return m_autoAdvance->isChecked();
}

void CullingController::setAutoAdvance(bool on) {
    m_autoAdvance->setChecked(on);
}

bool CullingController::eventFilter(QObject* watched, QEvent* event) {
    if (event->type() == QEvent::KeyPress) {
        const auto* key = static_cast<QKeyEvent*>(event);
        const Qt::KeyboardModifiers modifiers = key->modifiers() & ~Qt::KeypadModifier;
        if (modifiers == Qt::NoModifier && handleKey(key->key())) {
            return true;
        }
    }
    return QObject::eventFilter(watched, event);
}

bool CullingController::handleKey(int key) {
    auto change = changeForKey(key);
    if (!change) {
        return false;
    }
    apply(std::move(*change));
    return true;
}

bool CullingController::handleKeyFor(int key, const std::vector<ripen::AssetId>& ids) {
    auto change = changeForKey(key);
    if (!change) {
        return false;
    }
    change->ids = ids;
    if (!ids.empty()) {
        toggleLabel(*change);
        m_model.applyCuration(*change);
    }
    return true;
}

std::optional<CurationChange> CullingController::changeForKey(int key) {
    CurationChange change;
    switch (key) {
    case Qt::Key_P:
        change.flag = ripen::Flag::Pick;
        break;
    case Qt::Key_X:
        change.flag = ripen::Flag::Reject;
        break;
    case Qt::Key_U:
        change.flag = ripen::Flag::None;
        break;
    case Qt::Key_0:
    case Qt::Key_1:
    case Qt::Key_2:
    case Qt::Key_3:
    case Qt::Key_4:
    case Qt::Key_5:
        change.rating = key - Qt::Key_0;
        break;
    case Qt::Key_6:
    case Qt::Key_7:
    case Qt::Key_8:
    case Qt::Key_9:
        change.colorLabel = static_cast<ripen::ColorLabel>(
            static_cast<int>(ripen::ColorLabel::Red) + (key - Qt::Key_6));
        break;
    default:
        return std::nullopt;
    }
    return change;
}

std::vector<ripen::AssetId> CullingController::targetIds() const {
    QModelIndexList rows = m_selection.selectedIndexes();
    if (rows.isEmpty() && m_selection.currentIndex().isValid()) {
        rows << m_selection.currentIndex();
    }
    std::vector<ripen::AssetId> ids;
    for (const QModelIndex& row : rows) {
        ids.push_back(row.data(GalleryModel::AssetIdRole).toLongLong());
    }
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    return ids;
}

void CullingController::apply(CurationChange change) {
    change.ids = targetIds();
    if (change.ids.empty()) {
        return;
    }
    toggleLabel(change);
    const bool single = change.ids.size() == 1;
    m_model.applyCuration(change);
    if (single && autoAdvance()) {
        advance();
    }
}

void CullingController::toggleLabel(CurationChange& change) const {
    if (!change.colorLabel) {
        return;
    }
    const bool allHaveIt = std::all_of(change.ids.begin(), change.ids.end(), [&](auto id) {
        const int row = m_model.rowOf(id);
        return row >= 0 && m_model.recordAt(row)->asset.colorLabel == *change.colorLabel;
    });
    if (allHaveIt) {
        change.colorLabel = ripen::ColorLabel::None;
    }
}

void CullingController::advance() {
    const QModelIndex current = m_selection.currentIndex();
    const QModelIndex next = m_model.index(current.row() + 1, 0);
    if (current.isValid() && next.isValid()) {
        m_selection.setCurrentIndex(next, QItemSelectionModel::ClearAndSelect);
    }
}

} // namespace ripen::ui
