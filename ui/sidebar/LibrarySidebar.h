#pragma once

#include "LibraryOverview.h"
#include "catalog/AssetQuery.h"
#include "filters/SmartFilter.h"

#include <QList>
#include <QWidget>
#include <optional>
#include <vector>

class QTreeWidget;
class QTreeWidgetItem;

namespace ripen::ui {

// The library's sidebar: "All assets", then projects, clients and collections with their
// asset counts, then smart filters (a few built in, such as Picks or Four stars and up, then the
// ones the user saved). Choosing a project or client emits scopeChanged with it set (neither for
// "All assets"); choosing a smart filter emits scopeChanged for all assets and then
// smartFilterChosen. Saved smart filters can be removed from their context menu.
// Collections are made, renamed and deleted from their context menu, and gallery assets
// dropped on one are added to it: the sidebar asks for these with signals and shows what
// it is given, asking core for nothing itself.
//
// Thread affinity: GUI thread.
class LibrarySidebar final : public QWidget {
    Q_OBJECT
public:
    explicit LibrarySidebar(QWidget* parent = nullptr);

    // Rebuilds the entries, keeping the current one selected when it still exists.
    void setOverview(const LibraryOverview& overview);
    // The scope of the selected entry.
    ripen::AssetQuery scope() const;
    // Selects the project or client entry `scope` names ("All assets" for neither, or when
    // the entry is missing); emits scopeChanged when the scope changes.
    void selectScope(const ripen::AssetQuery& scope);

    static std::vector<SmartFilter> builtInFilters();
    const std::vector<SmartFilter>& savedFilters() const { return m_saved; }
    void setSavedFilters(std::vector<SmartFilter> filters);
    // Adds a saved smart filter, replacing one of the same name; the selection stays.
    void saveFilter(const SmartFilter& filter);
    void removeSavedFilter(const QString& name);
    QTreeWidget& tree() { return *m_tree; }
    const std::vector<ripen::Collection>& collections() const { return m_overview.collections; }
    // The sidebar entry of a collection, or null.
    QTreeWidgetItem* collectionItem(qint64 collection) const;
    // Ask for a name (or, for delete, a confirmation) in a window-modal dialog opened
    // without blocking (objectName "collectionName" or "deleteCollection"), then emit the
    // matching request.
    void askNewCollection();
    void askRenameCollection(qint64 collection);
    void askDeleteCollection(qint64 collection);

signals:
    void scopeChanged(const ripen::AssetQuery& scope);
    void smartFilterChosen(const ripen::ui::SmartFilter& filter);
    // The saved smart filters changed (saved, replaced or removed).
    void savedFiltersChanged();
    void collectionCreateRequested(const QString& name);
    void collectionRenameRequested(qint64 collection, const QString& name);
    void collectionDeleteRequested(qint64 collection);
    // Gallery assets were dropped on a collection's entry.
    void assetsDroppedOnCollection(qint64 collection, const QList<qint64>& assets);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    enum class EntryKind {
        All = 1,
        Project,
        Client,
        Heading,
        BuiltInFilter,
        SavedFilter,
        Collection
    };

    QTreeWidgetItem* addEntry(QTreeWidgetItem* parent, EntryKind kind, const QString& name,
                              const QString& label, std::int64_t count);
    void onCurrentChanged();
    void addSmartFilters(const QString& keep, QTreeWidgetItem*& select);
    void rebuild();
    // Updates the count beside each entry of the tree as it stands.
    void showCounts();
    std::optional<SmartFilter> chosenFilter() const;
    void showContextMenu(const QPoint& at);
    void addCollections(std::optional<std::int64_t> keep, QTreeWidgetItem*& select);
    bool showCollectionMenu(const QTreeWidgetItem* item, const QPoint& at);
    // The collection under a drag at `pos` (viewport coordinates), or 0.
    qint64 collectionAt(const QPoint& pos) const;
    QString collectionName(qint64 collection) const;

    QTreeWidget* m_tree;
    LibraryOverview m_overview;
    std::vector<SmartFilter> m_saved;
    bool m_rebuilding = false;
};

} // namespace ripen::ui
