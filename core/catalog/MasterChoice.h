#pragma once

#include "catalog/Catalog.h"
#include "common/Error.h"

namespace ripen {

// Accepts an edit (an inpaint result, say) as the new master of its image: the result's
// stage becomes master and its flag pick, in one transaction. Its lineage (the image it was
// made from) is kept, and the image itself is left as it is, so the choice can be undone
// by accepting the image again.
// Errors: NotFound when `result` is not in the catalog, InvalidArgument when it is not an
// image, and those of the catalog.
Status acceptAsMaster(Catalog& catalog, AssetId result);

} // namespace ripen
