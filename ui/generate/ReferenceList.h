#pragma once

#include "generate/AssetDragData.h"

#include <QListWidget>
#include <vector>

namespace ripen::ui {

// The generation panel's reference images: assets dropped from the gallery (AssetDragData
// only; files from outside the library are imported first, through the window). Delete or
// Backspace removes the selected ones. Each asset appears once.
//
// Thread affinity: GUI thread.
class ReferenceList final : public QListWidget {
    Q_OBJECT
public:
    explicit ReferenceList(QWidget* parent = nullptr);

    std::vector<AssetDragData::Item> references() const;
    void setReferences(const std::vector<AssetDragData::Item>& items);
    // Adds items not already listed; returns how many were added.
    int addReferences(const std::vector<AssetDragData::Item>& items);

signals:
    void referencesChanged();

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dragMoveEvent(QDragMoveEvent* event) override;
    void dropEvent(QDropEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void paintEvent(QPaintEvent* event) override;
};

} // namespace ripen::ui
