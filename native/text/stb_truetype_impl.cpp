// The one translation unit that instantiates stb_truetype (Debian's libstb-dev header).
#define STB_TRUETYPE_IMPLEMENTATION
#include <stb_truetype.h>
