#pragma once

#include <filesystem>

namespace ripen::test {

// Scrambles the type byte of every b-tree page after the first of an SQLite file (4096-byte
// pages), in place: damage that every integrity or quick check finds, as a failing disk or
// a bad copy would leave it. The library must be closed.
void damagePageHeaders(const std::filesystem::path& catalog);

} // namespace ripen::test
