#pragma once

#include "RecipeWorker.h"

#include <QList>
#include <QTimer>
#include <QWidget>
#include <filesystem>
#include <optional>

class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QPushButton;
class QTableWidget;

namespace ripen::ui {

class CoreBridge;

// The Recipes view (View > Recipes, Ctrl+6): a recipe's JSON in an editor, checked and
// planned as the user types (300 ms after the last key, on the view's worker), with every
// problem listed by line (a click jumps to it, the line is marked); the planned jobs with
// their estimate, the total, the time and the budget verdict of the chosen project; Run,
// which queues the run through core's RecipeRunner and wakes the queue dock's runner;
// a run's manifest opened and expanded with new variable values (planned first, then
// run); and the library's recipe runs, each listing the assets it made.
//
// Thread affinity: GUI thread.
class RecipesView final : public QWidget {
    Q_OBJECT
public:
    explicit RecipesView(CoreBridge& bridge, QWidget* parent = nullptr);

    QPlainTextEdit& editor() { return *m_editor; }
    QListWidget& issueList() { return *m_issues; }
    QTableWidget& planTable() { return *m_plan; }
    QLabel& summary() { return *m_summary; }
    QLabel& status() { return *m_status; }
    QLineEdit& projectField() { return *m_project; }
    QPushButton& runButton() { return *m_run; }
    QListWidget& runList() { return *m_runs; }
    QListWidget& runAssets() { return *m_runAssets; }

    // The example recipe in the editor (unsaved).
    void newFromExample();
    void openRecipe(const std::filesystem::path& file);
    void saveRecipe(const std::filesystem::path& file);
    // Shows a run's manifest: its name, prompts and jobs; Expand… then works on it.
    void openManifest(const std::filesystem::path& file);
    // Plans the shown manifest's recipe with new values ("colour=red,blue" per line); Run
    // then queues that expansion.
    void planExpansion(const QString& sets);
    void run();
    void refreshRuns();
    // Checks again now instead of after the typing pause.
    void checkNow();
    bool isBusy() const { return m_worker.isBusy() || m_debounce.isActive(); }

protected:
    void showEvent(QShowEvent* event) override;

private:
    QWidget* buildEditorSide();
    QWidget* buildPlanSide();
    RecipeSource editedSource() const;
    void showOutcome(const RecipeOutcome& outcome);
    void showIssues(const RecipeOutcome& outcome);
    void showJobs(const nlohmann::json& jobs);
    void markLines(const std::vector<int>& lines);
    void jumpToLine(int line);
    void chooseAndOpen();
    void chooseAndSave();
    void chooseManifest();
    void askExpansion();
    void showRunAssets(int row);
    bool takeServices();
    QString providerProblem(const std::string& provider) const;

    CoreBridge& m_bridge;
    RecipeWorker m_worker;
    QPlainTextEdit* m_editor = nullptr;
    QListWidget* m_issues = nullptr;
    QTableWidget* m_plan = nullptr;
    QLabel* m_title = nullptr;
    QLabel* m_summary = nullptr;
    QLabel* m_status = nullptr;
    QLineEdit* m_project = nullptr;
    QPushButton* m_run = nullptr;
    QPushButton* m_expand = nullptr;
    QListWidget* m_runs = nullptr;
    QListWidget* m_runAssets = nullptr;
    QTimer m_debounce;
    std::filesystem::path m_file;
    std::optional<nlohmann::json> m_manifest;
    std::optional<RecipeSource> m_expansion; // Run queues this instead of the editor's text
    std::vector<ripen::RecipeRunSummary> m_runSummaries;
    quint64 m_checks = 0; // the newest check; older answers are dropped
    bool m_runnable = false;
};

} // namespace ripen::ui
