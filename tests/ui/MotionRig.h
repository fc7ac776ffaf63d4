#pragma once

// What the Motion view tests share: a library holding one 1600x900 still, a queue with
// Kling pointed at a loopback fake, and a wait for the view to show an opened keyframe.
#include "CoreBridge.h"
#include "EditorTestSupport.h"
#include "UiTestSupport.h"
#include "motion/FramePlayer.h"
#include "motion/MotionView.h"
#include "providers/kling/KlingProvider.h"
#include "support/fakes/KlingFakeServer.h"

#include <catch2/catch.hpp>

namespace ripen::test {

struct MotionRig {
    KlingFakeServer kling;
    ImageLibraryRig library{
        QSize(1600, 900),
        [](ProviderRegistry& registry) {
            registry.add(std::make_unique<providers::kling::KlingProvider>(), {2, 600});
        },
        {{"kling", {{kling.baseUrl()}, 0, 0}}},
        {{"KLING_ACCESS_KEY", KlingFakeServer::kAccessKey},
         {"KLING_SECRET_KEY", KlingFakeServer::kSecretKey}}};
    ui::CoreBridge& bridge = *library.bridge;
    AssetId still = library.image;

    std::vector<Asset> videosOf(AssetId id) const {
        return library.childrenOf(id, AssetKind::Video);
    }
};

// Opens `id` in the view and waits until its keyframe and preview are ready.
inline void openAndWait(ui::MotionView& view, AssetId id) {
    view.openAsset(id);
    REQUIRE(waitUntil(
        [&] { return view.hasKeyframe() && view.player().frameCount() > 0 && !view.isBusy(); },
        30000));
}

} // namespace ripen::test
