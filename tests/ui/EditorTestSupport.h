#pragma once

#include "CoreBridge.h"
#include "catalog/Asset.h"
#include "queue/JobLane.h"
#include "support/TempDir.h"

#include <QSize>
#include <filesystem>
#include <memory>
#include <vector>

namespace ripen::ui {
class MainWindow;
}

namespace ripen::test {

// A library holding one imported test image of `size`, opened by a bridge whose job lane
// has the providers `registry` adds (with `overrides` and `keys`, as Settings would give
// them) and is started: what the editor views are opened on.
struct ImageLibraryRig {
    TempDir dir;
    std::unique_ptr<ripen::ui::CoreBridge> bridge;
    ripen::AssetId image = 0;

    ImageLibraryRig(QSize size, const ripen::ui::JobLane::RegistryFactory& registry,
                    const ripen::ui::JobLane::ProviderOverrides& overrides = {},
                    const ripen::ui::JobLane::Keys& keys = {});

    std::filesystem::path root() const { return dir / "library"; }
    // Read from the catalog with a connection of the test's own.
    ripen::Asset asset(ripen::AssetId id) const;
    std::vector<ripen::Asset> childrenOf(ripen::AssetId id, ripen::AssetKind kind) const;
    std::filesystem::path blobOf(const ripen::Asset& asset) const {
        return root() / asset.blobPath;
    }
};

// Shows the rig's image in the window's gallery (the library opened before the window was
// made) and presses `key` in the grid, as a user opening it in an editor would.
void openFromGallery(ripen::ui::MainWindow& window, ImageLibraryRig& rig, int key);

} // namespace ripen::test
