#pragma once

#include "CurationChange.h"

#include <QList>
#include <QObject>
#include <optional>
#include <vector>

class QAbstractItemView;
class QAction;
class QItemSelectionModel;

namespace ripen::ui {

class GalleryModel;

// Culling as in Lightroom, on the gallery's selection: P pick, X reject, U unflag, 0-5
// stars, 6 red, 7 yellow, 8 green, 9 blue (purple has no key, as in Lightroom; pressing a
// label's key again takes it off). A key applies to every selected asset (the current one
// when none is selected) as one catalog write; with auto-advance on, a single selection
// moves to the next asset afterwards. Keys reach it from the widgets it watches (the grid,
// the loupe); the same commands are offered as menu actions.
//
// Thread affinity: GUI thread.
class CullingController final : public QObject {
    Q_OBJECT
public:
    static constexpr const char* kAutoAdvanceSetting = "gallery/autoAdvance";

    CullingController(GalleryModel& model, QItemSelectionModel& selection,
                      QObject* parent = nullptr);

    // Culling keys pressed in `view` (or its viewport) are handled here.
    void watch(QObject* widget);
    // Applies the culling command bound to `key`; false when the key is not one.
    bool handleKey(int key);
    // The same for these assets only, without auto-advance (compare view: the key applies
    // to the pane that has focus, not to the whole selection).
    bool handleKeyFor(int key, const std::vector<ripen::AssetId>& ids);

    // The menu's commands (their text names the key) and the auto-advance toggle, whose
    // state is kept in QSettings under kAutoAdvanceSetting.
    QList<QAction*> actions() const { return m_actions; }
    QAction* autoAdvanceAction() const { return m_autoAdvance; }
    bool autoAdvance() const;
    void setAutoAdvance(bool on);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void apply(CurationChange change);
    static std::optional<CurationChange> changeForKey(int key);
    // A label every target already has comes off, as in Lightroom.
    void toggleLabel(CurationChange& change) const;
    std::vector<ripen::AssetId> targetIds() const;
    void advance();
    QAction* addCommand(const QString& text, const QString& key, int qtKey);

    GalleryModel& m_model;
    QItemSelectionModel& m_selection;
    QList<QAction*> m_actions;
    QAction* m_autoAdvance;
};

} // namespace ripen::ui
