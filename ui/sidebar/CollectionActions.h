#pragma once

#include "catalog/Collections.h"

#include <QHash>
#include <QObject>
#include <QString>
#include <utility>
#include <vector>

class QAction;
class QMenu;

namespace ripen::ui {

class CoreBridge;
class GalleryView;
class LibrarySidebar;

// What the user does with collections, carried to core: the sidebar's New / Rename /
// Delete and drops, and the gallery's "Add to Collection" (a submenu of the collections
// plus "New Collection…") and "Remove from Collection" (shown while the grid is scoped to
// one) for the selected assets. Every write goes through the CoreBridge; once committed the
// sidebar's counts are reloaded (and the grid, when it shows the collection), and
// `message` says what happened or why it did not.
//
// Thread affinity: GUI thread.
class CollectionActions final : public QObject {
    Q_OBJECT
public:
    CollectionActions(CoreBridge& bridge, LibrarySidebar& sidebar, GalleryView& gallery,
                      QObject* parent = nullptr);

    // The collections the submenu offers (the sidebar's overview).
    void setCollections(const std::vector<ripen::Collection>& collections);
    QAction& addToCollectionAction() { return *m_add; }
    QAction& removeFromCollectionAction() { return *m_remove; }
    // The gallery's selection into / out of `collection`.
    void addSelection(qint64 collection);
    void removeSelection();
    // Writes sent and not answered yet.
    bool isBusy() const { return !m_pending.isEmpty(); }

signals:
    // A line for the status bar; `failed` when a write was refused.
    void message(const QString& text, bool failed);

private:
    void send(quint64 request, const QString& doneText, const QString& failedText);
    void askNewWithSelection();
    void updateRemoveAction();
    QString nameOf(qint64 collection) const;

    CoreBridge& m_bridge;
    LibrarySidebar& m_sidebar;
    GalleryView& m_gallery;
    QAction* m_add;
    QMenu* m_menu;
    QAction* m_remove;
    std::vector<ripen::Collection> m_collections;
    // What each pending request says once it succeeds or fails.
    QHash<quint64, std::pair<QString, QString>> m_pending;
};

} // namespace ripen::ui
