#pragma once

#include "CoreBridge.h"
#include "queue/JobLane.h"
#include "support/TempDir.h"
#include "support/fakes/OpenAiFakeServer.h"
#include "support/fakes/UniqueImageReplies.h"

#include <QString>
#include <memory>

class QWidget;

namespace ripen::test {

// A library whose job queue talks to a loopback OpenAI fake: the bridge's lane has the
// OpenAI provider with its base URL pointed at the fake (as Settings would) and the
// fake's key (as the keychain would give it). Each generation reply carries its own
// image, so every job lands as its own asset.
struct ProductionRig {
    TempDir dir;
    OpenAiFakeServer openai;
    UniqueImageReplies replies{openai.server()};
    std::unique_ptr<ripen::ui::CoreBridge> bridge;

    ProductionRig();
    ripen::ui::JobLane& lane() { return bridge->jobs(); }
    std::filesystem::path root() const { return dir / "library"; }
    // Opens the library and starts the lane (prices and models loaded).
    void open();
};

// Renders `widget` at `size` into the UI screenshot folder as `name`; the grabbed image.
QImage renderWidget(QWidget& widget, QSize size, const QString& name);

} // namespace ripen::test
