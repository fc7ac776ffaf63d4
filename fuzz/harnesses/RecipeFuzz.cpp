// A recipe file is user- or client-supplied JSON: any bytes give a recipe or a list of
// issues naming line and field, never a crash; a valid one serialises again.
#include "FuzzSupport.h"
#include "recipes/Recipe.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto check =
        ripen::checkRecipe(ripen::fuzz::textOf(data, size), "fuzz.json", ripen::fuzz::scratchDir());
    if (check.recipe) {
        (void)check.recipe->toJson().dump();
    }
    return 0;
}
