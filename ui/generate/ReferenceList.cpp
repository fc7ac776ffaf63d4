#include "generate/ReferenceList.h"

#include "theme/Theme.h"

#include <QDragEnterEvent>
#include <QDropEvent>
#include <QKeyEvent>
#include <QMimeData>
#include <QPainter>

namespace ripen::ui {

namespace {
constexpr int kIdRole = Qt::UserRole + 1;
constexpr int kFileRole = Qt::UserRole + 2;
} // namespace

ReferenceList::ReferenceList(QWidget* parent) : QListWidget(parent) {
    setObjectName(QStringLiteral("referenceList"));
    setAcceptDrops(true);
    viewport()->setAcceptDrops(true);
    setDragDropMode(QAbstractItemView::DropOnly);
    setSelectionMode(QAbstractItemView::ExtendedSelection);
    setToolTip(tr("Drag images from the gallery here to use them as references "
                  "(Delete removes the selected ones)"));
}

std::vector<AssetDragData::Item> ReferenceList::references() const {
    std::vector<AssetDragData::Item> items;
    for (int row = 0; row < count(); ++row) {
        const QListWidgetItem* entry = item(row);
        items.push_back({entry->data(kIdRole).toLongLong(), entry->data(kFileRole).toString()});
    }
    return items;
}

void ReferenceList::setReferences(const std::vector<AssetDragData::Item>& items) {
    clear();
    addReferences(items);
    emit referencesChanged();
}

int ReferenceList::addReferences(const std::vector<AssetDragData::Item>& items) {
    int added = 0;
    for (const auto& reference : items) {
        bool known = false;
        for (int row = 0; row < count() && !known; ++row) {
            known = item(row)->data(kIdRole).toLongLong() == reference.id;
        }
        if (known) {
            continue;
        }
        auto* entry = new QListWidgetItem(tr("Asset #%1").arg(reference.id), this);
        entry->setData(kIdRole, QVariant::fromValue<qint64>(reference.id));
        entry->setData(kFileRole, reference.blobFile);
        entry->setToolTip(reference.blobFile);
        ++added;
    }
    if (added > 0) {
        emit referencesChanged();
    }
    return added;
}

void ReferenceList::dragEnterEvent(QDragEnterEvent* event) {
    if (!AssetDragData::decode(event->mimeData()).empty()) {
        event->acceptProposedAction();
    }
}

void ReferenceList::dragMoveEvent(QDragMoveEvent* event) {
    if (event->mimeData()->hasFormat(AssetDragData::mimeType())) {
        event->acceptProposedAction();
    }
}

void ReferenceList::dropEvent(QDropEvent* event) {
    const auto items = AssetDragData::decode(event->mimeData());
    if (items.empty()) {
        return;
    }
    event->acceptProposedAction();
    addReferences(items);
}

void ReferenceList::keyPressEvent(QKeyEvent* event) {
    if (event->key() == Qt::Key_Delete || event->key() == Qt::Key_Backspace) {
        const auto selected = selectedItems();
        if (!selected.isEmpty()) {
            qDeleteAll(selected);
            emit referencesChanged();
            return;
        }
    }
    QListWidget::keyPressEvent(event);
}

// Empty, the list says what it is for instead of showing a blank box.
void ReferenceList::paintEvent(QPaintEvent* event) {
    QListWidget::paintEvent(event);
    if (count() > 0) {
        return;
    }
    QPainter painter(viewport());
    painter.setPen(palette().color(QPalette::PlaceholderText));
    painter.drawText(viewport()->rect().adjusted(Theme::kGrid, 0, -Theme::kGrid, 0),
                     Qt::AlignCenter | Qt::TextWordWrap,
                     tr("Drag images from the gallery to use them as references"));
}

} // namespace ripen::ui
