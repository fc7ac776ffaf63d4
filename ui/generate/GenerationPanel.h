#pragma once

#include "catalog/Asset.h"
#include "credits/Money.h"
#include "jobs/JobStore.h"
#include "providers/GenerationRequest.h"
#include "queue/JobLane.h"

#include <QTimer>
#include <QWidget>
#include <optional>
#include <string>

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;

namespace ripen::ui {

class ReferenceList;

// The generation panel: prompt, negative prompt, provider and model (each model with its
// price per image at the chosen size, from the price book), aspect ratio, size (1K, 2K or
// 4K where the provider takes one), count, reference images dragged from the gallery, the
// project to charge, a live estimate beside the project's remaining budget, and Generate,
// which queues through the JobLane. A refusal (a budget cap, a missing key, a retired
// model) is shown in plain words under the button.
//
// promote(asset) loads a concept's exact prompt, negative prompt, aspect, size and
// references and switches to the provider's pro model (draft on Nano Banana, final on
// Nano Banana Pro) with the stage set to master; the user checks the cost and generates.
//
// Thread affinity: GUI thread.
class GenerationPanel final : public QWidget {
    Q_OBJECT
public:
    explicit GenerationPanel(JobLane& lane, QWidget* parent = nullptr);

    // The request the form describes now (the count and project go to enqueueOptions()).
    ripen::GenerationRequest request() const;
    ripen::EnqueueOptions enqueueOptions() const;
    // Per image and for the whole count, or nullopt with the reason in estimateText().
    std::optional<ripen::Estimate> estimatePerImage() const;
    QString estimateText() const;
    QString budgetText() const;
    QString statusText() const;

    void setPrompt(const QString& prompt);
    void setNegativePrompt(const QString& prompt);
    // Chooses a provider and model by id; false when the panel does not list them.
    bool selectModel(const std::string& provider, const std::string& model);
    void setAspectRatio(const QString& aspect);
    void setImageSize(const QString& size);
    void setCount(int count);
    void setProject(const QString& project);
    void setProjects(const QStringList& projects);
    ReferenceList& references() { return *m_references; }
    QPushButton& generateButton() { return *m_generate; }

    // Re-runs an asset's recipe on a pro model (empty: the provider's pro model).
    void promote(ripen::AssetId asset, const std::string& proModel = {});
    // True while a promotion, an enqueue or a budget look-up is on its way.
    bool isBusy() const;

public slots:
    void generate();

signals:
    // Jobs were queued (their ids).
    void queued(const QList<qint64>& jobs);

private:
    void populateProviders();
    void populateModels();
    void populateShape();
    void refreshModelPrices();
    void updateEstimate();
    void requestBudget();
    void showStatus(const QString& text, bool error);
    void applyRecipe(const ripen::GenerationRequest& recipe);
    const ripen::ModelInfo* currentModel() const;
    bool takesImageSize() const;

    JobLane& m_lane;
    QPlainTextEdit* m_prompt;
    QPlainTextEdit* m_negative;
    QComboBox* m_provider;
    QComboBox* m_model;
    QLabel* m_providerNote;
    QComboBox* m_aspect;
    QComboBox* m_size;
    QSpinBox* m_count;
    ReferenceList* m_references;
    QComboBox* m_project;
    QLabel* m_estimate;
    QLabel* m_budget;
    QPushButton* m_generate;
    QLabel* m_status;
    QTimer m_budgetDebounce;
    std::optional<JobLane::Budget> m_projectBudget;
    quint64 m_budgetRequest = 0;
    quint64 m_enqueueRequest = 0;
    quint64 m_recipeRequest = 0;
    std::string m_promoteModel;
    ripen::Stage m_stage = ripen::Stage::Concept;
};

} // namespace ripen::ui
