#include "catalog/Catalog.h"
#include "catalog/Library.h"
#include "common/Sha256.h"
#include "support/TempDir.h"

#include <catch2/catch.hpp>

#include <sqlite3.h>

using namespace ripen;
using ripen::test::TempDir;

namespace {

std::unique_ptr<Catalog> openCatalog(const TempDir& dir) {
    auto catalog = Catalog::open(dir / "catalog.sqlite");
    REQUIRE(catalog);
    return std::move(*catalog);
}

Asset sampleAsset(int n) {
    Asset a;
    a.kind = AssetKind::Image;
    a.sha256 = Sha256::ofBytes("asset " + std::to_string(n));
    a.blobPath = "blobs/" + a.sha256.substr(0, 2) + "/" + a.sha256 + ".png";
    a.format = "png";
    a.byteSize = 1000 + n;
    a.width = 1024;
    a.height = 768;
    a.generation.prompt = "a red fox in snow, number " + std::to_string(n);
    return a;
}

} // namespace

TEST_CASE("An asset comes back from the catalog exactly as it was stored", "[catalog]") {
    TempDir dir;
    auto catalog = openCatalog(dir);
    Asset a = sampleAsset(1);
    a.project = "Autumn Kit";
    a.client = "Acme Tea";
    a.stage = Stage::Master;
    a.rating = 4;
    a.flag = Flag::Pick;
    a.colorLabel = ColorLabel::Green;
    a.generation.negativePrompt = "blurry, watermark";
    a.generation.provider = "google";
    a.generation.modelId = "gemini-3-pro-image";
    a.generation.modelVersion = "2026-09";
    a.generation.seed = -42;
    a.generation.width = 2048;
    a.generation.height = 2048;
    a.generation.params = {{"aspectRatio", "1:1"}, {"imageSize", "2K"}};
    a.costMicros = 134'000;
    a.tags = {"fox", "winter"};
    a.notes = "client liked the palette — café crème";
    a.createdAtMs = 1'700'000'000'000;
    a.importedAtMs = 1'700'000'100'000;

    auto id = catalog->addAsset(a);
    REQUIRE(id);
    auto back = catalog->asset(*id);
    REQUIRE(back);
    CHECK(back->id == *id);
    CHECK(back->sha256 == a.sha256);
    CHECK(back->blobPath == a.blobPath);
    CHECK(back->project == "Autumn Kit");
    CHECK(back->client == "Acme Tea");
    CHECK(back->stage == Stage::Master);
    CHECK(back->rating == 4);
    CHECK(back->flag == Flag::Pick);
    CHECK(back->colorLabel == ColorLabel::Green);
    CHECK(back->generation.prompt == a.generation.prompt);
    CHECK(back->generation.negativePrompt == "blurry, watermark");
    CHECK(back->generation.provider == "google");
    CHECK(back->generation.modelId == "gemini-3-pro-image");
    CHECK(back->generation.modelVersion == "2026-09");
    CHECK(back->generation.seed == -42);
    CHECK(back->generation.width == 2048);
    CHECK(back->generation.params == a.generation.params);
    CHECK(back->costMicros == 134'000);
    CHECK(back->tags == std::vector<std::string>{"fox", "winter"});
    CHECK(back->notes == a.notes);
    CHECK(back->createdAtMs == a.createdAtMs);
    CHECK(back->importedAtMs == a.importedAtMs);

    auto projects = catalog->projects();
    REQUIRE(projects);
    REQUIRE(projects->size() == 1);
    CHECK(projects->front().client == "Acme Tea");
    CHECK(projects->front().assetCount == 1);
}

TEST_CASE("Curation edits apply to every selected asset and are validated", "[catalog]") {
    TempDir dir;
    auto catalog = openCatalog(dir);
    std::vector<AssetId> ids;
    for (int n = 0; n < 3; ++n) {
        auto id = catalog->addAsset(sampleAsset(n));
        REQUIRE(id);
        ids.push_back(*id);
    }
    REQUIRE(catalog->setRating(ids, 5));
    REQUIRE(catalog->setFlag(ids, Flag::Reject));
    REQUIRE(catalog->setColorLabel(std::span(ids).first(2), ColorLabel::Red));
    REQUIRE(catalog->setStage(ids, Stage::Final));
    for (const AssetId id : ids) {
        auto a = catalog->asset(id);
        REQUIRE(a);
        CHECK(a->rating == 5);
        CHECK(a->flag == Flag::Reject);
        CHECK(a->stage == Stage::Final);
    }
    CHECK(catalog->asset(ids[2])->colorLabel == ColorLabel::None);

    auto outOfRange = catalog->setRating(ids, 6);
    REQUIRE_FALSE(outOfRange);
    CHECK(outOfRange.error().code == ErrorCode::InvalidArgument);
    const AssetId missing[] = {ids[0], 9999};
    auto notFound = catalog->setRating(missing, 1);
    REQUIRE_FALSE(notFound);
    CHECK(notFound.error().code == ErrorCode::NotFound);
    // The failed edit is all-or-nothing: asset 0 kept its rating.
    CHECK(catalog->asset(ids[0])->rating == 5);
}

TEST_CASE("Lineage links assets both ways and refuses dangling parents", "[catalog]") {
    TempDir dir;
    auto catalog = openCatalog(dir);
    auto conceptId = catalog->addAsset(sampleAsset(1));
    REQUIRE(conceptId);
    Asset master = sampleAsset(2);
    master.parents = {*conceptId};
    auto masterId = catalog->addAsset(master);
    REQUIRE(masterId);
    CHECK(catalog->asset(*masterId)->parents == std::vector<AssetId>{*conceptId});
    CHECK(*catalog->children(*conceptId) == std::vector<AssetId>{*masterId});

    Asset orphan = sampleAsset(3);
    orphan.parents = {12345};
    auto refused = catalog->addAsset(orphan);
    REQUIRE_FALSE(refused);
    // Nothing of the refused asset stays behind.
    CHECK(*catalog->count({}) == 2);
    REQUIRE(catalog->verifyIntegrity());
}

TEST_CASE("Full-text search finds prompts, tags and notes by word prefix", "[catalog][search]") {
    TempDir dir;
    auto catalog = openCatalog(dir);
    Asset fox = sampleAsset(1);
    fox.generation.prompt = "A crimson fox, watercolour";
    fox.tags = {"mascot"};
    Asset owl = sampleAsset(2);
    owl.generation.prompt = "Snowy owl on a branch";
    owl.notes = "Café version approved";
    owl.project = "Birds";
    REQUIRE(catalog->addAsset(fox));
    auto owlId = catalog->addAsset(owl);
    REQUIRE(owlId);

    const auto hits = [&](const std::string& text) {
        AssetQuery q;
        q.search = text;
        auto found = catalog->find(q);
        REQUIRE(found);
        return found->size();
    };
    CHECK(hits("fox") == 1);
    CHECK(hits("watercol") == 1);      // prefix
    CHECK(hits("mascot") == 1);        // tag
    CHECK(hits("cafe") == 1);          // diacritics folded
    CHECK(hits("owl branch") == 1);    // words ANDed
    CHECK(hits("owl fox") == 0);
    CHECK(hits("\"unbalanced") == 0);  // FTS syntax in user text is inert
    CHECK(hits("fox OR") == 0);
    CHECK(hits("NEAR( * ^") == 0);

    REQUIRE(catalog->setTags(*owlId, {"bird", "winter"}));
    CHECK(hits("winter") == 1);
    REQUIRE(catalog->setNotes(*owlId, "reworked"));
    CHECK(hits("approved") == 0);
    CHECK(hits("reworked") == 1);

    AssetQuery byProject;
    byProject.project = "birds";
    CHECK(catalog->find(byProject)->size() == 1);
    byProject.search = "fox";
    CHECK(catalog->find(byProject)->empty());
}

TEST_CASE("Filters combine and paging walks the whole catalog", "[catalog][search]") {
    TempDir dir;
    auto catalog = openCatalog(dir);
    for (int n = 0; n < 30; ++n) {
        Asset a = sampleAsset(n);
        a.rating = n % 6;
        a.flag = n % 3 == 0 ? Flag::Pick : Flag::None;
        a.importedAtMs = 1000 + n;
        REQUIRE(catalog->addAsset(a));
    }
    AssetQuery q;
    q.minRating = 3;
    q.flag = Flag::Pick;
    auto found = catalog->find(q);
    REQUIRE(found);
    for (const auto& a : *found) {
        CHECK(a.rating >= 3);
        CHECK(a.flag == Flag::Pick);
    }
    CHECK(static_cast<std::int64_t>(found->size()) == *catalog->count(q));

    AssetQuery page;
    page.limit = 7;
    std::vector<AssetId> seen;
    for (page.offset = 0;; page.offset += page.limit) {
        auto rows = catalog->find(page);
        REQUIRE(rows);
        if (rows->empty()) {
            break;
        }
        for (const auto& a : *rows) {
            seen.push_back(a.id);
        }
    }
    CHECK(seen.size() == 30);
    CHECK(std::is_sorted(seen.rbegin(), seen.rend())); // newest first
}

TEST_CASE("Text that is not UTF-8 is refused before it reaches the catalog", "[catalog]") {
    TempDir dir;
    auto catalog = openCatalog(dir);
    Asset a = sampleAsset(1);
    a.generation.prompt = "bad \xFF byte";
    auto refused = catalog->addAsset(a);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == ErrorCode::InvalidArgument);
    CHECK(refused.error().message.find("prompt") != std::string::npos);
}

TEST_CASE("A library folder is created with its catalog and store", "[catalog]") {
    TempDir dir;
    const auto root = dir / "nested" / "My Library";
    auto library = Library::open(root);
    REQUIRE(library);
    CHECK(std::filesystem::is_regular_file(root / "catalog.sqlite"));
    CHECK(std::filesystem::is_directory(root / "blobs"));
    CHECK(std::filesystem::is_directory(root / "thumbs"));
    auto mode = (*library)->catalog().database().queryInt64("PRAGMA foreign_keys");
    CHECK(*mode == 1);
    auto stmt = (*library)->catalog().database().prepare("PRAGMA journal_mode");
    REQUIRE(stmt);
    REQUIRE(*stmt->step());
    CHECK(stmt->text(0) == "wal");
}

TEST_CASE("The catalog lists the providers and models that made its assets", "[catalog]") {
    TempDir dir;
    auto catalog = openCatalog(dir);
    const std::vector<std::pair<std::string, std::string>> made{{"google", "gemini-3-pro-image"},
                                                                {"openai", "gpt-image-1"},
                                                                {"google", "gemini-3-pro-image"},
                                                                {"google", "imagen-4"},
                                                                {"", ""}};
    for (std::size_t i = 0; i < made.size(); ++i) {
        Asset a = sampleAsset(static_cast<int>(i));
        a.generation.provider = made[i].first;
        a.generation.modelId = made[i].second;
        REQUIRE(catalog->addAsset(a));
    }
    auto sources = catalog->generationSources();
    REQUIRE(sources);
    REQUIRE(sources->size() == 3);
    CHECK((*sources)[0].provider == "google");
    CHECK((*sources)[0].modelId == "gemini-3-pro-image");
    CHECK((*sources)[0].assetCount == 2);
    CHECK((*sources)[1].modelId == "imagen-4");
    CHECK((*sources)[2].provider == "openai");
}
