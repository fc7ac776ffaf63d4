#include "generate/AssetDragData.h"

#include <QMimeData>
#include <QStringList>

namespace ripen::ui {

namespace {
// A drag never carries more than this many assets: a panel takes a handful of references.
constexpr int kMaxItems = 1000;
constexpr qsizetype kMaxBytes = 1 << 20;
} // namespace

QString AssetDragData::mimeType() {
    return QStringLiteral("application/x-ripen-assets");
}

QMimeData* AssetDragData::encode(const std::vector<Item>& items) {
    QStringList lines;
    for (const Item& item : items) {
        lines << QStringLiteral("%1\t%2").arg(item.id).arg(item.blobFile);
    }
    auto* mime = new QMimeData;
    mime->setData(mimeType(), lines.join(QLatin1Char('\n')).toUtf8());
    return mime;
}

std::vector<AssetDragData::Item> AssetDragData::decode(const QMimeData* mime) {
    std::vector<Item> items;
    if (mime == nullptr || !mime->hasFormat(mimeType())) {
        return items;
    }
    const QByteArray data = mime->data(mimeType());
    if (data.size() > kMaxBytes) {
        return items;
    }
    for (const QString& line :
         QString::fromUtf8(data).split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
        const qsizetype tab = line.indexOf(QLatin1Char('\t'));
        bool ok = false;
        const qint64 id = line.left(tab).toLongLong(&ok);
        if (tab <= 0 || !ok || id <= 0 || tab + 1 >= line.size()) {
            continue;
        }
        items.push_back(Item{id, line.mid(tab + 1)});
        if (static_cast<int>(items.size()) >= kMaxItems) {
            break;
        }
    }
    return items;
}

} // namespace ripen::ui
