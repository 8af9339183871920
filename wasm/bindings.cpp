// The whole JavaScript surface: one function, JSON string in, JSON string out (see core api.hpp).
// gpumem::handle never throws, so no C++ exception can reach JavaScript as a bare pointer.
#include <emscripten/bind.h>

#include "gpumem/api.hpp"

EMSCRIPTEN_BINDINGS(gpumem) { emscripten::function("handle", &gpumem::handle); }
