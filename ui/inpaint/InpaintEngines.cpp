#include "inpaint/InpaintEngines.h"

#include <algorithm>

namespace ripen::ui {
namespace {

bool does(const ripen::ModelInfo& model, ripen::JobKind kind) {
    return std::ranges::find(model.kinds, kind) != model.kinds.end();
}

} // namespace

std::vector<InpaintEngine> inpaintEngines(const ripen::ModelCatalog& models,
                                          const std::vector<JobLane::ProviderInfo>& providers) {
    std::vector<InpaintEngine> engines;
    for (const ripen::ModelInfo& model : models.models()) {
        if (!model.retired.empty() ||
            (!does(model, ripen::JobKind::Inpaint) && !does(model, ripen::JobKind::Erase))) {
            continue;
        }
        const auto provider =
            std::ranges::find(providers, model.provider, &JobLane::ProviderInfo::id);
        if (provider == providers.end()) {
            continue;
        }
        InpaintEngine engine;
        engine.provider = model.provider;
        engine.model = model.id;
        engine.label = QStringLiteral("%1 — %2").arg(QString::fromStdString(provider->displayName),
                                                     QString::fromStdString(model.name));
        engine.unavailable = QString::fromStdString(provider->missingConfiguration);
        engine.erases = does(model, ripen::JobKind::Erase);
        engine.inpaints = does(model, ripen::JobKind::Inpaint);
        engines.push_back(std::move(engine));
    }
    std::ranges::stable_partition(engines, &InpaintEngine::local);
    return engines;
}

Result<ripen::GenerationRequest> inpaintRequest(const InpaintChoice& choice) {
    const InpaintEngine& engine = choice.engine;
    ripen::GenerationRequest request;
    request.provider = engine.provider;
    request.model = engine.model;
    request.prompt = choice.prompt;
    if (engine.local() || (choice.prompt.empty() && engine.erases)) {
        request.kind = ripen::JobKind::Erase;
    } else if (choice.prompt.empty()) {
        return fail(ErrorCode::InvalidArgument,
                    engine.label.toStdString() + " paints what the prompt says: write one");
    } else {
        request.kind = ripen::JobKind::Inpaint;
    }
    request.images = {choice.image};
    request.mask = choice.mask;
    ripen::InpaintSettings settings = choice.settings;
    settings.fitToEngine(engine.local());
    settings.writeTo(request.options);
    return request;
}

} // namespace ripen::ui
