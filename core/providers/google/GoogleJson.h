#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace ripen::providers::google {

// Lookups in untrusted Google replies that never throw: a missing member, a null one and
// a member of something that is not an object all read as absent.
inline const nlohmann::json* member(const nlohmann::json& object, const char* name) {
    if (!object.is_object()) {
        return nullptr;
    }
    const auto it = object.find(name);
    return it == object.end() || it->is_null() ? nullptr : &*it;
}

// The string `name` of `object`; empty when absent or not a string.
inline std::string stringMember(const nlohmann::json& object, const char* name) {
    const nlohmann::json* value = member(object, name);
    return value != nullptr && value->is_string() ? value->get<std::string>() : std::string();
}

} // namespace ripen::providers::google
