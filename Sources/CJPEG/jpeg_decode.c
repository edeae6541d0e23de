#include "CJPEG.h"
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>

struct guarded_error {
    struct jpeg_error_mgr base;
    jmp_buf escape;
};

static void leave_on_error(j_common_ptr info) {
    longjmp(((struct guarded_error *)info->err)->escape, 1);
}

static void keep_quiet(j_common_ptr info, int level) { (void)info; (void)level; }

int astrolabe_jpeg_decode(const unsigned char *data, size_t size, size_t max_pixels,
                          unsigned char **rgb, int *width, int *height, char *message, size_t message_size) {
    struct jpeg_decompress_struct info;
    struct guarded_error error;
    unsigned char *volatile pixels = NULL;
    *rgb = NULL;
    info.err = jpeg_std_error(&error.base);
    error.base.error_exit = leave_on_error;
    error.base.emit_message = keep_quiet;
    if (setjmp(error.escape)) {
        char text[JMSG_LENGTH_MAX];
        (*info.err->format_message)((j_common_ptr)&info, text);
        snprintf(message, message_size, "%s", text);
        jpeg_destroy_decompress(&info);
        free(pixels);
        return 1;
    }
    jpeg_create_decompress(&info);
    jpeg_mem_src(&info, data, (unsigned long)size);
    jpeg_read_header(&info, TRUE);
    info.out_color_space = JCS_RGB;
    jpeg_start_decompress(&info);
    size_t w = info.output_width, h = info.output_height;
    if (w == 0 || h == 0 || w * h > max_pixels || info.output_components != 3) {
        snprintf(message, message_size, "a %zu×%zu image is larger than the %zu pixels allowed", w, h, max_pixels);
        jpeg_destroy_decompress(&info);
        return 2;
    }
    pixels = malloc(w * h * 3);
    if (!pixels) {
        snprintf(message, message_size, "out of memory for a %zu×%zu image", w, h);
        jpeg_destroy_decompress(&info);
        return 3;
    }
    while (info.output_scanline < info.output_height) {
        JSAMPROW row = pixels + (size_t)info.output_scanline * w * 3;
        jpeg_read_scanlines(&info, &row, 1);
    }
    jpeg_finish_decompress(&info);
    jpeg_destroy_decompress(&info);
    *rgb = pixels;
    *width = (int)w;
    *height = (int)h;
    return 0;
}

void astrolabe_jpeg_free(unsigned char *rgb) { free(rgb); }
