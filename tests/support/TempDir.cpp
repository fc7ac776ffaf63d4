#include "support/TempDir.h"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <iostream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <system_error>

namespace ripen::test {

TempDir::TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "ripen-test-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
        throw std::runtime_error("mkdtemp failed for " + pattern);
    }
    m_path = pattern;
}

namespace {

constexpr std::string_view kCanaryMark = "CANARY";
// Larger files are video and 8K renders; a key would sit in a small text or metadata file.
constexpr std::uintmax_t kLargestSearched = 64ULL << 20;

bool holdsCanary(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    return bytes.find(kCanaryMark) != std::string::npos;
}

void failOnCanaries(const std::filesystem::path& folder) {
    const auto leaked = filesHoldingCanary(folder);
    if (leaked.empty()) {
        return;
    }
    std::string names;
    for (const auto& file : leaked) {
        names += "\n  " + file.string();
    }
    if (std::uncaught_exceptions() > 0) {
        std::cerr << "a canary secret reached the disk:" << names << "\n";
        return;
    }
    FAIL_CHECK("a canary secret reached the disk:" << names);
}

} // namespace

TempDir::~TempDir() {
    failOnCanaries(m_path);
    std::error_code ignored;
    // Tests make folders unreadable on purpose; give permissions back before removing.
    for (auto it = std::filesystem::recursive_directory_iterator(
             m_path, std::filesystem::directory_options::skip_permission_denied, ignored);
         it != std::filesystem::recursive_directory_iterator(); it.increment(ignored)) {
        if (it->is_directory(ignored)) {
            std::filesystem::permissions(it->path(), std::filesystem::perms::owner_all,
                                         std::filesystem::perm_options::add, ignored);
        }
    }
    std::filesystem::remove_all(m_path, ignored);
}

std::vector<std::filesystem::path> filesHoldingCanary(const std::filesystem::path& folder) {
    std::vector<std::filesystem::path> found;
    std::error_code ignored;
    for (auto it = std::filesystem::recursive_directory_iterator(
             folder, std::filesystem::directory_options::skip_permission_denied, ignored);
         it != std::filesystem::recursive_directory_iterator(); it.increment(ignored)) {
        const auto& path = it->path();
        if (!it->is_regular_file(ignored) || it->is_symlink(ignored) ||
            it->file_size(ignored) > kLargestSearched ||
            (path.filename() == "keys.json" && path.parent_path().filename() == "secrets")) {
            continue;
        }
        if (holdsCanary(path)) {
            found.push_back(path);
        }
    }
    return found;
}

std::size_t countFilesUnder(const std::filesystem::path& folder) {
    std::size_t count = 0;
    std::error_code ignored;
    for (auto it = std::filesystem::recursive_directory_iterator(folder, ignored);
         it != std::filesystem::recursive_directory_iterator(); it.increment(ignored)) {
        count += it->is_regular_file(ignored) ? 1 : 0;
    }
    return count;
}

} // namespace ripen::test
