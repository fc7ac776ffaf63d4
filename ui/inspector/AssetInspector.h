#pragma once

#include "AssetDetails.h"

#include <QWidget>
#include <optional>

class QFormLayout;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QScrollArea;
class QStackedWidget;

namespace ripen::ui {

class CoreBridge;
class EmptyStateWidget;

// The asset inspector (a dock beside the gallery): what the file is (size, format, bytes,
// dates), its rating, flag and label (kept current as culling keys are confirmed), how it was made
// (prompt, negative prompt, provider, model and version, seed, parameters as indented JSON, cost),
// its lineage as links (clicking one emits assetActivated), its tags and its notes, which can be
// edited and saved. The details are loaded through the bridge, off the GUI thread, whenever
// showAsset names another asset; unsaved notes are saved before the inspector moves on.
//
// Thread affinity: GUI thread.
class AssetInspector final : public QWidget {
    Q_OBJECT
public:
    explicit AssetInspector(CoreBridge& bridge, QWidget* parent = nullptr);

    // Loads and shows asset `id`; 0 shows the empty state.
    void showAsset(ripen::AssetId id);
    ripen::AssetId assetId() const { return m_assetId; }
    bool isLoading() const { return m_request != 0; }
    bool isShowingEmptyState() const;

    // For tests: the text shown for a field ("prompt", "seed", "parents", ...) and the
    // notes editor.
    QString fieldText(const QString& field) const;
    QPlainTextEdit& notesEditor() { return *m_notes; }
    QPushButton& saveNotesButton() { return *m_saveNotes; }
    // Saves the notes when they were edited; answers notesSaved through the bridge.
    void saveNotes();

signals:
    // A lineage link was clicked.
    void assetActivated(qint64 assetId);

private:
    QLabel* addField(const QString& name, const QString& label);
    void show(const AssetDetails& details);
    void showEmpty(const QString& title, const QString& body);
    void setField(const QString& field, const QString& text);
    QString lineageLinks(const AssetRecords& records) const;

    CoreBridge& m_bridge;
    QStackedWidget* m_stack;
    EmptyStateWidget* m_empty;
    QScrollArea* m_scroll;
    QFormLayout* m_form;
    QLabel* m_title;
    QLabel* m_paramsLabel;
    QPlainTextEdit* m_params;
    QPlainTextEdit* m_notes;
    QPushButton* m_saveNotes;
    QLabel* m_notesState;
    ripen::AssetId m_assetId = 0;
    quint64 m_request = 0;
    quint64 m_notesRequest = 0;
    QString m_savedNotes;
    std::optional<AssetRecord> m_shown; // the asset on screen
};

} // namespace ripen::ui
