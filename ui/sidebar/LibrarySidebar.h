#pragma once

#include "LibraryOverview.h"
#include "catalog/AssetQuery.h"

#include <QWidget>

class QTreeWidget;
class QTreeWidgetItem;

namespace ripen::ui {

// The library's sidebar: "All assets", then projects and clients with their asset counts.
// Choosing an entry emits scopeChanged with the project or client set (neither for "All
// assets"). It shows what it is given and asks core for nothing itself.
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
    QTreeWidget& tree() { return *m_tree; }

signals:
    void scopeChanged(const ripen::AssetQuery& scope);

private:
    enum class EntryKind { All = 1, Project, Client, Heading };

    QTreeWidgetItem* addEntry(QTreeWidgetItem* parent, EntryKind kind, const QString& name,
                              const QString& label, std::int64_t count);
    void onCurrentChanged();

    QTreeWidget* m_tree;
    bool m_rebuilding = false;
};

} // namespace ripen::ui
