#include "sidebar/LibrarySidebar.h"

#include "generate/AssetDragData.h"
#include "sidebar/SidebarItemDelegate.h"
#include "theme/Theme.h"

#include <QDropEvent>
#include <QInputDialog>
#include <QLocale>
#include <QMenu>
#include <QMessageBox>
#include <QMimeData>
#include <QPushButton>
#include <QTreeWidget>
#include <QTreeWidgetItemIterator>
#include <QVBoxLayout>
#include <algorithm>
#include <optional>

namespace ripen::ui {

namespace {

constexpr int kKindRole = Qt::UserRole + 1;
constexpr int kNameRole = Qt::UserRole + 2;
constexpr int kCollectionRole = Qt::UserRole + 3; // a collection entry's id
// The name role of the COLLECTIONS heading and its "none yet" line, for the context menu.
const QString kCollectionsHeading = QStringLiteral("collections");

void makeItalic(QTreeWidgetItem* item) {
    QFont font = item->font(0);
    font.setItalic(true);
    item->setFont(0, font);
}

// Whether two overviews list the same entries (projects, clients, collections, in order),
// whatever their counts.
bool sameEntries(const LibraryOverview& a, const LibraryOverview& b) {
    return std::ranges::equal(a.projects, b.projects,
                              [](const auto& x, const auto& y) {
                                  return x.name == y.name && x.client == y.client;
                              }) &&
           std::ranges::equal(a.clients, b.clients,
                              [](const auto& x, const auto& y) { return x.name == y.name; }) &&
           std::ranges::equal(a.collections, b.collections, [](const auto& x, const auto& y) {
               return x.id == y.id && x.name == y.name;
           });
}

// The count of the entry named `name` in `entries` (projects or clients).
template <class Entries>
std::optional<std::int64_t> countNamed(const Entries& entries, const QString& name) {
    const std::string wanted = name.toStdString();
    const auto it = std::ranges::find_if(entries, [&](const auto& e) { return e.name == wanted; });
    return it != entries.end() ? std::optional(it->assetCount) : std::nullopt;
}

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
    m_tree->setContextMenuPolicy(Qt::CustomContextMenu);
    // Gallery assets are dropped on collections; the viewport filter decides where.
    m_tree->setAcceptDrops(true);
    m_tree->viewport()->setAcceptDrops(true);
    m_tree->viewport()->installEventFilter(this);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, Theme::kGrid, 0, Theme::kGrid);
    layout->setSpacing(0);
    layout->addWidget(m_tree);

    connect(m_tree, &QTreeWidget::currentItemChanged, this, &LibrarySidebar::onCurrentChanged);
    connect(m_tree, &QTreeWidget::customContextMenuRequested, this,
            &LibrarySidebar::showContextMenu);
    setOverview(LibraryOverview{});
}

std::vector<SmartFilter> LibrarySidebar::builtInFilters() {
    std::vector<SmartFilter> filters(5);
    filters[0].name = tr("Picks");
    filters[0].flag = ripen::Flag::Pick;
    filters[1].name = tr("Rejects");
    filters[1].flag = ripen::Flag::Reject;
    filters[2].name = tr("Four stars and up");
    filters[2].minRating = 4;
    filters[3].name = tr("Finals");
    filters[3].stage = ripen::Stage::Final;
    filters[4].name = tr("Added this week");
    filters[4].period = SmartFilter::Period::Week;
    return filters;
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
    // Results landing change counts, not entries: then the tree keeps its items (no
    // rebuild, relayout or re-selection while a burst lands).
    const bool sameTree = m_tree->topLevelItemCount() > 0 && sameEntries(m_overview, overview);
    m_overview = overview;
    if (sameTree) {
        showCounts();
    } else {
        rebuild();
    }
}

void LibrarySidebar::showCounts() {
    for (QTreeWidgetItemIterator it(m_tree); *it != nullptr; ++it) {
        QTreeWidgetItem* item = *it;
        const QString name = item->data(0, kNameRole).toString();
        std::optional<std::int64_t> count;
        switch (static_cast<EntryKind>(item->data(0, kKindRole).toInt())) {
        case EntryKind::All:
            count = m_overview.assetCount;
            break;
        case EntryKind::Project:
            count = countNamed(m_overview.projects, name);
            break;
        case EntryKind::Client:
            count = countNamed(m_overview.clients, name);
            break;
        case EntryKind::Collection: {
            const qint64 id = item->data(0, kCollectionRole).toLongLong();
            for (const auto& collection : m_overview.collections) {
                count = collection.id == id ? std::optional(collection.assetCount) : count;
            }
            break;
        }
        default:
            break;
        }
        const QString text = count ? QLocale().toString(static_cast<qlonglong>(*count)) : QString();
        if (count && item->data(0, SidebarItemDelegate::kCountRole).toString() != text) {
            item->setData(0, SidebarItemDelegate::kCountRole, text);
        }
    }
}

void LibrarySidebar::rebuild() {
    const ripen::AssetQuery previous = scope();
    const std::optional<SmartFilter> previousFilter = chosenFilter();
    const QTreeWidgetItem* current = m_tree->currentItem();
    const QString keepFilter = previousFilter ? current->data(0, kKindRole).toString() +
                                                    QLatin1Char('/') + previousFilter->name
                                              : QString();
    m_rebuilding = true;
    m_tree->clear();

    QTreeWidgetItem* select =
        addEntry(nullptr, EntryKind::All, QString(), tr("All assets"), m_overview.assetCount);

    auto* projects = addEntry(nullptr, EntryKind::Heading, QString(), tr("PROJECTS"), -1);
    if (m_overview.projects.empty()) {
        makeItalic(addEntry(projects, EntryKind::Heading, QString(), tr("No projects yet"), -1));
    }
    for (const auto& project : m_overview.projects) {
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
    if (m_overview.clients.empty()) {
        makeItalic(addEntry(clients, EntryKind::Heading, QString(), tr("No clients yet"), -1));
    }
    for (const auto& client : m_overview.clients) {
        const QString name = QString::fromStdString(client.name);
        auto* item = addEntry(clients, EntryKind::Client, name, name, client.assetCount);
        if (previous.client && *previous.client == client.name) {
            select = item;
        }
    }
    addCollections(previous.collection, select);
    addSmartFilters(keepFilter, select);
    m_tree->expandAll();
    m_tree->setCurrentItem(select);
    m_rebuilding = false;
    const std::optional<SmartFilter> chosen = chosenFilter();
    if (scope().project != previous.project || scope().client != previous.client ||
        scope().collection != previous.collection) {
        emit scopeChanged(scope());
    }
    if (chosen && !(previousFilter && *chosen == *previousFilter)) {
        emit smartFilterChosen(*chosen);
    }
}

void LibrarySidebar::addCollections(std::optional<std::int64_t> keep, QTreeWidgetItem*& select) {
    auto* heading =
        addEntry(nullptr, EntryKind::Heading, kCollectionsHeading, tr("COLLECTIONS"), -1);
    heading->setToolTip(0, tr("Right-click to make a collection; drop assets on one to add them"));
    if (m_overview.collections.empty()) {
        auto* none = addEntry(heading, EntryKind::Heading, kCollectionsHeading,
                              tr("No collections yet"), -1);
        none->setToolTip(0, heading->toolTip(0));
        makeItalic(none);
    }
    for (const auto& collection : m_overview.collections) {
        const QString name = QString::fromStdString(collection.name);
        auto* item = addEntry(heading, EntryKind::Collection, name, name, collection.assetCount);
        item->setData(0, kCollectionRole, static_cast<qlonglong>(collection.id));
        item->setToolTip(0, tr("%1 — drop assets here to add them").arg(name));
        if (keep == collection.id) {
            select = item;
        }
    }
}

QTreeWidgetItem* LibrarySidebar::collectionItem(qint64 collection) const {
    for (QTreeWidgetItemIterator it(m_tree); *it != nullptr; ++it) {
        if (static_cast<EntryKind>((*it)->data(0, kKindRole).toInt()) == EntryKind::Collection &&
            (*it)->data(0, kCollectionRole).toLongLong() == collection) {
            return *it;
        }
    }
    return nullptr;
}

QString LibrarySidebar::collectionName(qint64 collection) const {
    const QTreeWidgetItem* item = collectionItem(collection);
    return item != nullptr ? item->data(0, kNameRole).toString() : QString();
}

// `keep` is "<kind>/<name>" of the filter entry to select.
void LibrarySidebar::addSmartFilters(const QString& keep, QTreeWidgetItem*& select) {
    auto* heading = addEntry(nullptr, EntryKind::Heading, QString(), tr("SMART FILTERS"), -1);
    const auto add = [&](EntryKind kind, const SmartFilter& filter) {
        auto* item = addEntry(heading, kind, filter.name, filter.name, -1);
        if (keep == QString::number(static_cast<int>(kind)) + QLatin1Char('/') + filter.name) {
            select = item;
        }
        return item;
    };
    for (const auto& filter : builtInFilters()) {
        add(EntryKind::BuiltInFilter, filter);
    }
    for (const auto& filter : m_saved) {
        add(EntryKind::SavedFilter, filter)
            ->setToolTip(0,
                         tr("%1 — your smart filter; right-click to remove it").arg(filter.name));
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
    } else if (kind == EntryKind::Collection) {
        query.collection = item->data(0, kCollectionRole).toLongLong();
    }
    return query;
}

std::optional<SmartFilter> LibrarySidebar::chosenFilter() const {
    const QTreeWidgetItem* item = m_tree->currentItem();
    if (item == nullptr) {
        return std::nullopt;
    }
    const auto kind = static_cast<EntryKind>(item->data(0, kKindRole).toInt());
    const QString name = item->data(0, kNameRole).toString();
    const std::vector<SmartFilter> builtIn = builtInFilters();
    const auto& list = kind == EntryKind::BuiltInFilter ? builtIn : m_saved;
    if (kind != EntryKind::BuiltInFilter && kind != EntryKind::SavedFilter) {
        return std::nullopt;
    }
    for (const auto& filter : list) {
        if (filter.name == name) {
            return filter;
        }
    }
    return std::nullopt;
}

void LibrarySidebar::selectScope(const ripen::AssetQuery& wanted) {
    if (wanted.collection) {
        if (QTreeWidgetItem* item = collectionItem(*wanted.collection)) {
            m_tree->setCurrentItem(item);
            return;
        }
    }
    const auto kind = wanted.project  ? EntryKind::Project
                      : wanted.client ? EntryKind::Client
                                      : EntryKind::All;
    const QString name = QString::fromStdString(wanted.project  ? *wanted.project
                                                : wanted.client ? *wanted.client
                                                                : std::string());
    QTreeWidgetItem* found = m_tree->topLevelItem(0); // All assets
    for (QTreeWidgetItemIterator it(m_tree); *it != nullptr; ++it) {
        if (static_cast<EntryKind>((*it)->data(0, kKindRole).toInt()) == kind &&
            (kind == EntryKind::All || (*it)->data(0, kNameRole).toString() == name)) {
            found = *it;
            break;
        }
    }
    m_tree->setCurrentItem(found);
}

void LibrarySidebar::setSavedFilters(std::vector<SmartFilter> filters) {
    std::erase_if(filters, [](const SmartFilter& f) { return f.name.trimmed().isEmpty(); });
    m_saved = std::move(filters);
    rebuild();
}

void LibrarySidebar::saveFilter(const SmartFilter& filter) {
    if (filter.name.trimmed().isEmpty()) {
        return;
    }
    std::erase_if(m_saved, [&](const SmartFilter& f) { return f.name == filter.name; });
    m_saved.push_back(filter);
    rebuild();
    emit savedFiltersChanged();
}

void LibrarySidebar::removeSavedFilter(const QString& name) {
    if (std::erase_if(m_saved, [&](const SmartFilter& f) { return f.name == name; }) == 0) {
        return;
    }
    rebuild();
    emit savedFiltersChanged();
}

void LibrarySidebar::showContextMenu(const QPoint& at) {
    const QTreeWidgetItem* item = m_tree->itemAt(at);
    if (showCollectionMenu(item, at)) {
        return;
    }
    if (item == nullptr ||
        static_cast<EntryKind>(item->data(0, kKindRole).toInt()) != EntryKind::SavedFilter) {
        return;
    }
    const QString name = item->data(0, kNameRole).toString();
    auto* menu = new QMenu(this);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    menu->addAction(tr("Remove Smart Filter “%1”").arg(name), this,
                    [this, name] { removeSavedFilter(name); });
    menu->popup(m_tree->viewport()->mapToGlobal(at));
}

void LibrarySidebar::onCurrentChanged() {
    if (m_rebuilding) {
        return;
    }
    emit scopeChanged(scope());
    if (const auto filter = chosenFilter()) {
        emit smartFilterChosen(*filter);
    }
}

// The COLLECTIONS heading offers New; a collection also offers Rename and Delete.
bool LibrarySidebar::showCollectionMenu(const QTreeWidgetItem* item, const QPoint& at) {
    if (item == nullptr) {
        return false;
    }
    const auto kind = static_cast<EntryKind>(item->data(0, kKindRole).toInt());
    const bool heading =
        kind == EntryKind::Heading && item->data(0, kNameRole).toString() == kCollectionsHeading;
    if (!heading && kind != EntryKind::Collection) {
        return false;
    }
    auto* menu = new QMenu(this);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    menu->addAction(tr("New Collection…"), this, &LibrarySidebar::askNewCollection);
    if (kind == EntryKind::Collection) {
        const qint64 id = item->data(0, kCollectionRole).toLongLong();
        const QString name = item->data(0, kNameRole).toString();
        menu->addAction(tr("Rename “%1”…").arg(name), this,
                        [this, id] { askRenameCollection(id); });
        menu->addAction(tr("Delete “%1”…").arg(name), this,
                        [this, id] { askDeleteCollection(id); });
    }
    menu->popup(m_tree->viewport()->mapToGlobal(at));
    return true;
}

namespace {

QInputDialog* askCollectionName(QWidget* parent, const QString& title, const QString& name) {
    auto* ask = new QInputDialog(parent);
    ask->setObjectName(QStringLiteral("collectionName"));
    ask->setAttribute(Qt::WA_DeleteOnClose);
    ask->setWindowTitle(title);
    ask->setLabelText(QObject::tr("Name of the collection:"));
    ask->setTextValue(name);
    return ask;
}

} // namespace

void LibrarySidebar::askNewCollection() {
    auto* ask = askCollectionName(this, tr("New Collection"), QString());
    connect(ask, &QInputDialog::textValueSelected, this, [this](const QString& name) {
        if (!name.trimmed().isEmpty()) {
            emit collectionCreateRequested(name.trimmed());
        }
    });
    ask->open();
}

void LibrarySidebar::askRenameCollection(qint64 collection) {
    const QString old = collectionName(collection);
    auto* ask = askCollectionName(this, tr("Rename Collection"), old);
    connect(ask, &QInputDialog::textValueSelected, this,
            [this, collection, old](const QString& name) {
                if (!name.trimmed().isEmpty() && name.trimmed() != old) {
                    emit collectionRenameRequested(collection, name.trimmed());
                }
            });
    ask->open();
}

void LibrarySidebar::askDeleteCollection(qint64 collection) {
    auto* confirm =
        new QMessageBox(QMessageBox::Question, tr("Delete Collection"),
                        tr("Delete the collection “%1”? Its assets stay in the library.")
                            .arg(collectionName(collection)),
                        QMessageBox::Cancel, this);
    confirm->setObjectName(QStringLiteral("deleteCollection"));
    confirm->setAttribute(Qt::WA_DeleteOnClose);
    QPushButton* remove = confirm->addButton(tr("Delete"), QMessageBox::DestructiveRole);
    confirm->setDefaultButton(QMessageBox::Cancel);
    connect(remove, &QPushButton::clicked, this,
            [this, collection] { emit collectionDeleteRequested(collection); });
    confirm->open();
}

qint64 LibrarySidebar::collectionAt(const QPoint& pos) const {
    const QTreeWidgetItem* item = m_tree->itemAt(pos);
    if (item == nullptr ||
        static_cast<EntryKind>(item->data(0, kKindRole).toInt()) != EntryKind::Collection) {
        return 0;
    }
    return item->data(0, kCollectionRole).toLongLong();
}

// Drags of gallery assets are accepted over collection entries only; files dropped here
// fall through to the window, which imports them.
bool LibrarySidebar::eventFilter(QObject* watched, QEvent* event) {
    if (watched != m_tree->viewport()) {
        return QWidget::eventFilter(watched, event);
    }
    switch (event->type()) {
    case QEvent::DragEnter:
    case QEvent::DragMove: {
        auto* drag = static_cast<QDragMoveEvent*>(event);
        if (!drag->mimeData()->hasFormat(AssetDragData::mimeType())) {
            return false;
        }
        if (collectionAt(drag->position().toPoint()) != 0) {
            drag->setDropAction(Qt::CopyAction);
            drag->accept();
        } else if (event->type() == QEvent::DragEnter) {
            drag->accept(); // keep receiving moves until a collection is under the cursor
        } else {
            drag->ignore();
        }
        return true;
    }
    case QEvent::Drop: {
        auto* drop = static_cast<QDropEvent*>(event);
        if (!drop->mimeData()->hasFormat(AssetDragData::mimeType())) {
            return false;
        }
        const qint64 collection = collectionAt(drop->position().toPoint());
        const std::vector<AssetDragData::Item> items = AssetDragData::decode(drop->mimeData());
        if (collection == 0 || items.empty()) {
            drop->ignore();
            return true;
        }
        QList<qint64> ids;
        for (const auto& item : items) {
            ids << item.id;
        }
        drop->setDropAction(Qt::CopyAction);
        drop->accept();
        emit assetsDroppedOnCollection(collection, ids);
        return true;
    }
    default:
        return QWidget::eventFilter(watched, event);
    }
}

} // namespace ripen::ui
