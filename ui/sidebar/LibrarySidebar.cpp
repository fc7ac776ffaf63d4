#include "sidebar/LibrarySidebar.h"

#include "sidebar/SidebarItemDelegate.h"
#include "theme/Theme.h"

#include <QLocale>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace ripen::ui {

namespace {

constexpr int kKindRole = Qt::UserRole + 1;
constexpr int kNameRole = Qt::UserRole + 2;

} // namespace

LibrarySidebar::LibrarySidebar(QWidget* parent) : QWidget(parent), m_tree(new QTreeWidget(this)) {
    m_tree->setObjectName(QStringLiteral("librarySidebar"));
    m_tree->setColumnCount(1);
    m_tree->setHeaderHidden(true);
    m_tree->setRootIsDecorated(false);
    m_tree->setIndentation(0); // the delegate indents, so selection spans the whole row
    m_tree->setSelectionMode(QAbstractItemView::SingleSelection);
    m_tree->setFocusPolicy(Qt::StrongFocus);
    m_tree->setItemsExpandable(false);
    m_tree->setMouseTracking(true);
    m_tree->setItemDelegate(new SidebarItemDelegate(m_tree));

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, Theme::kGrid, 0, Theme::kGrid);
    layout->setSpacing(0);
    layout->addWidget(m_tree);

    connect(m_tree, &QTreeWidget::currentItemChanged, this, &LibrarySidebar::onCurrentChanged);
    setOverview(LibraryOverview{});
}

QTreeWidgetItem* LibrarySidebar::addEntry(QTreeWidgetItem* parent, EntryKind kind,
                                          const QString& name, const QString& label,
                                          std::int64_t count) {
    auto* item = parent != nullptr ? new QTreeWidgetItem(parent) : new QTreeWidgetItem(m_tree);
    item->setText(0, label);
    item->setData(0, kKindRole, static_cast<int>(kind));
    item->setData(0, kNameRole, name);
    if (kind == EntryKind::Heading) {
        item->setData(0, SidebarItemDelegate::kHeadingRole, parent == nullptr);
        item->setFlags(Qt::ItemIsEnabled);
        return item;
    }
    if (count >= 0) {
        item->setData(0, SidebarItemDelegate::kCountRole,
                      QLocale().toString(static_cast<qlonglong>(count)));
    }
    item->setToolTip(0, label);
    item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    return item;
}

void LibrarySidebar::setOverview(const LibraryOverview& overview) {
    const ripen::AssetQuery previous = scope();
    m_rebuilding = true;
    m_tree->clear();

    QTreeWidgetItem* select =
        addEntry(nullptr, EntryKind::All, QString(), tr("All assets"), overview.assetCount);

    auto* projects = addEntry(nullptr, EntryKind::Heading, QString(), tr("PROJECTS"), -1);
    if (overview.projects.empty()) {
        auto* none = addEntry(projects, EntryKind::Heading, QString(), tr("No projects yet"), -1);
        QFont font = none->font(0);
        font.setItalic(true);
        none->setFont(0, font);
    }
    for (const auto& project : overview.projects) {
        const QString name = QString::fromStdString(project.name);
        auto* item = addEntry(projects, EntryKind::Project, name, name, project.assetCount);
        if (!project.client.empty()) {
            item->setToolTip(
                0, tr("%1 — client %2").arg(name, QString::fromStdString(project.client)));
        }
        if (previous.project && *previous.project == project.name) {
            select = item;
        }
    }

    auto* clients = addEntry(nullptr, EntryKind::Heading, QString(), tr("CLIENTS"), -1);
    if (overview.clients.empty()) {
        auto* none = addEntry(clients, EntryKind::Heading, QString(), tr("No clients yet"), -1);
        QFont font = none->font(0);
        font.setItalic(true);
        none->setFont(0, font);
    }
    for (const auto& client : overview.clients) {
        const QString name = QString::fromStdString(client.name);
        auto* item = addEntry(clients, EntryKind::Client, name, name, client.assetCount);
        if (previous.client && *previous.client == client.name) {
            select = item;
        }
    }
    m_tree->expandAll();
    m_tree->setCurrentItem(select);
    m_rebuilding = false;
    if (scope().project != previous.project || scope().client != previous.client) {
        emit scopeChanged(scope());
    }
}

ripen::AssetQuery LibrarySidebar::scope() const {
    ripen::AssetQuery query;
    const QTreeWidgetItem* item = m_tree->currentItem();
    if (item == nullptr) {
        return query;
    }
    const auto kind = static_cast<EntryKind>(item->data(0, kKindRole).toInt());
    const std::string name = item->data(0, kNameRole).toString().toStdString();
    if (kind == EntryKind::Project) {
        query.project = name;
    } else if (kind == EntryKind::Client) {
        query.client = name;
    }
    return query;
}

void LibrarySidebar::onCurrentChanged() {
    if (!m_rebuilding) {
        emit scopeChanged(scope());
    }
}

} // namespace ripen::ui
