// The one translation unit that instantiates stb_image_write (Debian's libstb-dev header).
#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STBI_WRITE_NO_STDIO
#include <stb_image_write.h>
