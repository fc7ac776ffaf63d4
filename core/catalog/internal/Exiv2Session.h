#pragma once

namespace ripen {

// Prepares exiv2 once per process before any use: its XMP toolkit is initialised with a
// lock (exports and imports run on several worker threads), its log goes quiet (warnings
// about odd files must not reach stderr; callers report problems themselves), and Ripen's
// XMP namespace is registered. Cheap after the first call; thread-safe.
void ensureExiv2Ready();

} // namespace ripen
