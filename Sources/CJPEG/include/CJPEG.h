#ifndef CJPEG_H
#define CJPEG_H
#include <stddef.h>

/// Decodes a JPEG held in memory to 8-bit RGB with libjpeg(-turbo). libjpeg's default error
/// handler calls exit(); this wrapper returns instead (setjmp), so a damaged file is an error, not a crash.
/// Returns 0 and sets *rgb (free with astrolabe_jpeg_free), *width, *height; else non-zero with
/// libjpeg's message in `message`. Images of more than `max_pixels` pixels are refused before allocating.
int astrolabe_jpeg_decode(const unsigned char *data, size_t size, size_t max_pixels,
                          unsigned char **rgb, int *width, int *height, char *message, size_t message_size);
void astrolabe_jpeg_free(unsigned char *rgb);

#endif
