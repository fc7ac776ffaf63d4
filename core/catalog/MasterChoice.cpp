#include "catalog/MasterChoice.h"

#include "catalog/internal/SqliteDatabase.h"
#include "catalog/internal/SqliteStatement.h"

#include <string>

namespace ripen {

Status acceptAsMaster(Catalog& catalog, AssetId result) {
    auto asset = catalog.asset(result);
    if (!asset) {
        return std::unexpected(asset.error());
    }
    if (asset->kind != AssetKind::Image) {
        return fail(ErrorCode::InvalidArgument, "asset " + std::to_string(result) + " is a " +
                                                    std::string(toString(asset->kind)) +
                                                    ", not an image");
    }
    sqlite::Database& db = catalog.database();
    auto tx = sqlite::Transaction::begin(db);
    if (!tx) {
        return std::unexpected(tx.error());
    }
    auto stmt = db.prepare("UPDATE assets SET stage = ?, flag = ? WHERE id = ?");
    if (!stmt) {
        return std::unexpected(stmt.error());
    }
    const std::string stage(toString(Stage::Master));
    const std::string flag(toString(Flag::Pick));
    if (auto ran = stmt->bind(1, stage).bind(2, flag).bind(3, result).run(); !ran) {
        return ran;
    }
    if (db.changes() != 1) {
        return fail(ErrorCode::NotFound, "asset " + std::to_string(result) + " does not exist");
    }
    return tx->commit();
}

} // namespace ripen
