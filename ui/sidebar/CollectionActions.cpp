#include "sidebar/CollectionActions.h"

#include "CoreBridge.h"
#include "gallery/GalleryView.h"
#include "sidebar/LibrarySidebar.h"

#include <QAction>
#include <QInputDialog>
#include <QMenu>

namespace ripen::ui {

namespace {

std::vector<ripen::AssetId> toAssetIds(const QList<qint64>& ids) {
    return {ids.begin(), ids.end()};
}

QString assetsText(std::size_t count) {
    return count == 1 ? QObject::tr("1 asset") : QObject::tr("%1 assets").arg(count);
}

} // namespace

CollectionActions::CollectionActions(CoreBridge& bridge, LibrarySidebar& sidebar,
                                     GalleryView& gallery, QObject* parent)
    : QObject(parent), m_bridge(bridge), m_sidebar(sidebar), m_gallery(gallery),
      m_add(new QAction(tr("Add to Collection"), this)), m_menu(new QMenu(&gallery)),
      m_remove(new QAction(tr("Remove from Collection"), this)) {
    m_add->setObjectName(QStringLiteral("addToCollection"));
    m_remove->setObjectName(QStringLiteral("removeFromCollection"));
    m_add->setMenu(m_menu);
    connect(m_remove, &QAction::triggered, this, &CollectionActions::removeSelection);
    setCollections({});
    updateRemoveAction();

    connect(&sidebar, &LibrarySidebar::collectionCreateRequested, this,
            [this](const QString& name) {
                send(m_bridge.createCollection(name), tr("Collection “%1” created").arg(name),
                     tr("The collection “%1” was not created").arg(name));
            });
    connect(&sidebar, &LibrarySidebar::collectionRenameRequested, this,
            [this](qint64 collection, const QString& name) {
                const QString old = nameOf(collection);
                send(m_bridge.renameCollection(collection, name),
                     tr("Collection “%1” renamed to “%2”").arg(old, name),
                     tr("The collection “%1” was not renamed").arg(old));
            });
    connect(&sidebar, &LibrarySidebar::collectionDeleteRequested, this, [this](qint64 collection) {
        const QString name = nameOf(collection);
        send(m_bridge.deleteCollection(collection),
             tr("Collection “%1” deleted; its assets stay in the library").arg(name),
             tr("The collection “%1” was not deleted").arg(name));
    });
    connect(&sidebar, &LibrarySidebar::assetsDroppedOnCollection, this,
            [this](qint64 collection, const QList<qint64>& ids) {
                const QString name = nameOf(collection);
                send(m_bridge.addToCollection(collection, toAssetIds(ids)),
                     tr("%1 added to “%2”").arg(assetsText(ids.size()), name),
                     tr("Nothing was added to “%1”").arg(name));
            });
    connect(&sidebar, &LibrarySidebar::scopeChanged, this, &CollectionActions::updateRemoveAction);

    connect(&bridge, &CoreBridge::collectionsChanged, this,
            [this](quint64 request, qint64 collection) {
                const auto texts = m_pending.take(request);
                if (texts.first.isEmpty()) {
                    return; // not ours
                }
                m_bridge.loadOverview(); // counts and names in the sidebar and the submenu
                if (m_gallery.scope().collection == collection) {
                    m_gallery.reload();
                }
                emit message(texts.first, false);
            });
    connect(&bridge, &CoreBridge::requestFailed, this,
            [this](quint64 request, const ripen::Error& error) {
                const auto texts = m_pending.take(request);
                if (!texts.second.isEmpty()) {
                    emit message(
                        tr("%1: %2").arg(texts.second, QString::fromStdString(error.message)),
                        true);
                }
            });
}

void CollectionActions::setCollections(const std::vector<ripen::Collection>& collections) {
    m_collections = collections;
    m_menu->clear();
    for (const auto& collection : m_collections) {
        const qint64 id = collection.id;
        m_menu->addAction(QString::fromStdString(collection.name), this,
                          [this, id] { addSelection(id); });
    }
    if (!m_collections.empty()) {
        m_menu->addSeparator();
    }
    m_menu->addAction(tr("New Collection…"), this, &CollectionActions::askNewWithSelection);
    updateRemoveAction();
}

void CollectionActions::addSelection(qint64 collection) {
    const std::vector<ripen::AssetId> ids = m_gallery.selectedAssetIds();
    if (ids.empty()) {
        emit message(tr("Select the assets to add in the gallery first"), true);
        return;
    }
    const QString name = nameOf(collection);
    send(m_bridge.addToCollection(collection, ids),
         tr("%1 added to “%2”").arg(assetsText(ids.size()), name),
         tr("Nothing was added to “%1”").arg(name));
}

void CollectionActions::removeSelection() {
    const std::optional<std::int64_t> collection = m_gallery.scope().collection;
    const std::vector<ripen::AssetId> ids = m_gallery.selectedAssetIds();
    if (!collection || ids.empty()) {
        return;
    }
    const QString name = nameOf(*collection);
    send(m_bridge.removeFromCollection(*collection, ids),
         tr("%1 removed from “%2”; they stay in the library").arg(assetsText(ids.size()), name),
         tr("Nothing was removed from “%1”").arg(name));
}

void CollectionActions::askNewWithSelection() {
    const std::vector<ripen::AssetId> ids = m_gallery.selectedAssetIds();
    auto* ask = new QInputDialog(m_gallery.window());
    ask->setObjectName(QStringLiteral("collectionName"));
    ask->setAttribute(Qt::WA_DeleteOnClose);
    ask->setWindowTitle(tr("New Collection"));
    ask->setLabelText(
        tr("Name of the collection for the %1 selected:").arg(assetsText(ids.size())));
    connect(ask, &QInputDialog::textValueSelected, this, [this, ids](const QString& typed) {
        const QString name = typed.trimmed();
        if (name.isEmpty()) {
            return;
        }
        send(m_bridge.createCollection(name, ids),
             tr("Collection “%1” created with %2").arg(name, assetsText(ids.size())),
             tr("The collection “%1” was not created").arg(name));
    });
    ask->open();
}

void CollectionActions::send(quint64 request, const QString& doneText, const QString& failedText) {
    m_pending.insert(request, {doneText, failedText});
}

void CollectionActions::updateRemoveAction() {
    const std::optional<std::int64_t> collection = m_sidebar.scope().collection;
    m_remove->setVisible(collection.has_value());
    if (collection) {
        m_remove->setText(tr("Remove from “%1”").arg(nameOf(*collection)));
    }
}

QString CollectionActions::nameOf(qint64 collection) const {
    for (const auto& known : m_collections) {
        if (known.id == collection) {
            return QString::fromStdString(known.name);
        }
    }
    return tr("collection %1").arg(collection);
}

} // namespace ripen::ui
