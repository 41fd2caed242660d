// doctest's main for the engine's native unit tests (run through ctest).
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest.h>
