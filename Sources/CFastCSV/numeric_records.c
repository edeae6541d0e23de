// See include/CFastCSV.h and AstrolabeData/CSVVectorRecords.swift.
#include "CFastCSV.h"

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>
#include <string.h>

#define ALAB_TARGET __attribute__((target("avx2,bmi,popcnt")))
/// A block of 64 bytes is searched for delimiters only if 72 bytes remain (see the Swift loops).
#define ALAB_BLOCK_MARGIN 72

int32_t alab_numeric_records_available(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi");
}

/// Bit k set when p[k] is the separator, LF or CR (k < 64).
ALAB_TARGET static inline uint64_t delimiters(const uint8_t *p, __m256i sep) {
    const __m256i lf = _mm256_set1_epi8('\n'), cr = _mm256_set1_epi8('\r');
    __m256i a = _mm256_loadu_si256((const __m256i *)p);
    __m256i b = _mm256_loadu_si256((const __m256i *)(p + 32));
    __m256i ha = _mm256_or_si256(_mm256_or_si256(_mm256_cmpeq_epi8(a, sep), _mm256_cmpeq_epi8(a, lf)),
                                 _mm256_cmpeq_epi8(a, cr));
    __m256i hb = _mm256_or_si256(_mm256_or_si256(_mm256_cmpeq_epi8(b, sep), _mm256_cmpeq_epi8(b, lf)),
                                 _mm256_cmpeq_epi8(b, cr));
    return (uint64_t)(uint32_t)_mm256_movemask_epi8(ha) | ((uint64_t)(uint32_t)_mm256_movemask_epi8(hb) << 32);
}

/// Four cells at once: `cell` the eight bytes from each cell's start, `length` its length.
/// A cell of 1...8 bytes, `-` then digits with at most one point (not alone), is `w / 10^f` with
/// w < 10^8 < 2^52, so the division is the exactly rounded value (Clinger). Sets in `*odd` the
/// lanes of any other nonempty cell (the caller converts those), in `*point` the lanes with a
/// point, in `*present` the nonempty lanes; empty cells are NaN.
ALAB_TARGET static inline __m256d convert4(__m256i cell, __m256i length, int *odd, int *point, int *present) {
    const __m256i zero = _mm256_setzero_si256();
    const __m256i ones = _mm256_set1_epi64x(-1);
    const __m256i one = _mm256_set1_epi64x(1);
    const __m256i sixty_four = _mm256_set1_epi64x(64);
    const __m256i top = _mm256_set1_epi64x((long long)0x8080808080808080ULL);
    // A leading '-' dropped: the digits' bytes and count.
    __m256i negative = _mm256_cmpeq_epi64(_mm256_and_si256(cell, _mm256_set1_epi64x(0xFF)), _mm256_set1_epi64x('-'));
    __m256i x = _mm256_srlv_epi64(cell, _mm256_and_si256(negative, _mm256_set1_epi64x(8)));
    __m256i len = _mm256_add_epi64(length, negative);
    __m256i empty = _mm256_cmpeq_epi64(length, zero);
    __m256i in_cell = _mm256_srlv_epi64(ones, _mm256_sub_epi64(sixty_four, _mm256_slli_epi64(len, 3)));
    __m256i y = _mm256_xor_si256(x, _mm256_set1_epi64x(0x3030303030303030LL));
    // Top bit of each byte that is not a digit (as in NumberParsing.digits).
    __m256i t = _mm256_or_si256(_mm256_add_epi64(_mm256_and_si256(y, _mm256_set1_epi64x(0x7F7F7F7F7F7F7F7FLL)),
                                                 _mm256_set1_epi64x(0x7676767676767676LL)), y);
    __m256i not_digit = _mm256_and_si256(_mm256_and_si256(t, top), in_cell);
    __m256i dots = _mm256_and_si256(_mm256_and_si256(_mm256_cmpeq_epi8(x, _mm256_set1_epi8('.')), top), in_cell);
    __m256i other = _mm256_andnot_si256(dots, not_digit);
    __m256i second_dot = _mm256_and_si256(dots, _mm256_sub_epi64(dots, one));
    __m256i no_dot = _mm256_cmpeq_epi64(dots, zero);                      // -1 without a point
    __m256i lone_dot = _mm256_andnot_si256(no_dot, _mm256_cmpeq_epi64(len, one));
    // Lengths outside 1...8 after the sign ("-", or longer cells).
    __m256i outside = _mm256_or_si256(_mm256_cmpgt_epi64(one, len), _mm256_cmpgt_epi64(len, _mm256_set1_epi64x(8)));
    __m256i wrong = _mm256_or_si256(_mm256_or_si256(other, second_dot), _mm256_or_si256(lone_dot, outside));
    __m256i right = _mm256_or_si256(_mm256_cmpeq_epi64(wrong, zero), empty);
    *odd = _mm256_movemask_pd(_mm256_castsi256_pd(right)) ^ 0xF;
    *point = _mm256_movemask_pd(_mm256_castsi256_pd(no_dot)) ^ 0xF;
    *present = _mm256_movemask_pd(_mm256_castsi256_pd(empty)) ^ 0xF;
    // The point squeezed out: bytes below it stay, bytes above move down one.
    __m256i lowest = _mm256_and_si256(dots, _mm256_sub_epi64(zero, dots));
    __m256i below = _mm256_sub_epi64(_mm256_srli_epi64(lowest, 7), one);  // all ones without a point
    __m256i squeezed = _mm256_or_si256(_mm256_and_si256(y, below), _mm256_andnot_si256(below, _mm256_srli_epi64(y, 8)));
    __m256i digits = _mm256_sub_epi64(_mm256_sub_epi64(len, one), no_dot); // len - 1 with a point
    __m256i aligned = _mm256_sllv_epi64(squeezed, _mm256_sub_epi64(sixty_four, _mm256_slli_epi64(digits, 3)));
    // Eight digits (the first the most significant) to an integer: pairs, quads, then the eight.
    __m256i pairs = _mm256_maddubs_epi16(aligned, _mm256_set1_epi16(0x010A));
    __m256i quads = _mm256_madd_epi16(pairs, _mm256_set1_epi32(0x00010064));
    __m256i w = _mm256_add_epi64(_mm256_mul_epu32(quads, _mm256_set1_epi64x(10000)), _mm256_srli_epi64(quads, 32));
    // Digits after the point: f = digits − (bytes below the point); 0 without a point.
    __m256i d = _mm256_sad_epu8(_mm256_and_si256(below, _mm256_set1_epi8(1)), zero);
    __m256i f = _mm256_andnot_si256(no_dot, _mm256_sub_epi64(digits, d));
    f = _mm256_and_si256(f, _mm256_set1_epi64x(7));
    const __m256i magic = _mm256_set1_epi64x(0x4330000000000000LL);       // 2^52
    __m256d whole = _mm256_sub_pd(_mm256_castsi256_pd(_mm256_or_si256(w, magic)), _mm256_castsi256_pd(magic));
    // 10^f from a register table (10^0...10^7 are exact in float32).
    const __m256 powers = _mm256_setr_ps(1e0f, 1e1f, 1e2f, 1e3f, 1e4f, 1e5f, 1e6f, 1e7f);
    __m256i f32 = _mm256_permutevar8x32_epi32(f, _mm256_setr_epi32(0, 2, 4, 6, 0, 2, 4, 6));
    __m256d power = _mm256_cvtps_pd(_mm256_castps256_ps128(_mm256_permutevar8x32_ps(powers, f32)));
    __m256d value = _mm256_div_pd(whole, power);
    value = _mm256_or_pd(value, _mm256_castsi256_pd(_mm256_slli_epi64(negative, 63)));
    return _mm256_blendv_pd(value, _mm256_castsi256_pd(_mm256_set1_epi64x(0x7FF8000000000000LL)),
                            _mm256_castsi256_pd(empty));
}

ALAB_TARGET alab_numeric_run alab_numeric_records_f64(const uint8_t *base, int64_t n, int64_t start, int64_t stop,
                                                      int64_t first_row, int64_t row_limit, int32_t column_count,
                                                      uint8_t separator, int32_t comment, double *const *columns,
                                                      alab_cell_converter slow) {
    alab_numeric_run run = {start, 0, 0, 0};
    if (column_count < 1 || column_count > 64) return run;
    const int last = column_count - 1;
    const int groups = (column_count + 3) / 4;
    const uint64_t all = column_count == 64 ? ~(uint64_t)0 : ((uint64_t)1 << column_count) - 1;
    const __m256i sep = _mm256_set1_epi8((char)separator);
    int64_t cells[64] __attribute__((aligned(32)));
    int64_t lengths[64] __attribute__((aligned(32)));
    int64_t starts[64];
    double values[64] __attribute__((aligned(32)));
    // Lanes past the last column convert a harmless "0".
    for (int c = 0; c < 64; c++) { cells[c] = '0'; lengths[c] = 1; }
    uint64_t saw = 0, not_integer = 0;
    int64_t i = start, row = first_row;
    int64_t block_start = start;
    uint64_t mask = 0;
    while (i < stop && row < row_limit) {
        if (comment >= 0 && base[i] == (uint8_t)comment) break;
        int64_t at = i;
        for (int c = 0;; c++) {
            if (mask == 0) {
                // Blocks end 8 bytes before the data does, so each cell's eight-byte load fits.
                if (at + ALAB_BLOCK_MARGIN > n) goto done;
                block_start = at;
                mask = delimiters(base + at, sep);
                if (mask == 0) goto done;  // a cell of 64 bytes or more
            }
            int64_t e = block_start + (int64_t)__builtin_ctzll(mask);
            mask &= mask - 1;
            starts[c] = at;
            memcpy(&cells[c], base + at, 8);
            lengths[c] = e - at;
            uint8_t t = base[e];
            if (c == last) {
                // LF or CR LF ends the record; a blank line (one empty cell) is the general path's.
                if (!(t == '\n' || t == '\r') || (e == at && c == 0)) goto done;
                at = e + 1;
                if (t == '\r') {
                    if (at >= n || base[at] != '\n') goto done;
                    if (at - block_start < 64) mask &= mask - 1;
                    at += 1;
                }
                break;
            }
            if (t != separator) goto done;
            at = e + 1;
        }
        uint64_t odd = 0, points = 0, present = 0;
        for (int g = 0; g < groups; g++) {
            int o, p, q;
            __m256d v = convert4(_mm256_load_si256((const __m256i *)(cells + 4 * g)),
                                 _mm256_load_si256((const __m256i *)(lengths + 4 * g)), &o, &p, &q);
            _mm256_store_pd(values + 4 * g, v);
            odd |= (uint64_t)o << (4 * g);
            points |= (uint64_t)p << (4 * g);
            present |= (uint64_t)q << (4 * g);
        }
        odd &= all;
        present &= all;
        points &= present & ~odd;
        while (odd) {
            int c = __builtin_ctzll(odd);
            odd &= odd - 1;
            int32_t kind = slow(base, starts[c], starts[c] + lengths[c], n, &values[c]);
            if (kind < 0) goto done;
            if (kind == 0) points |= (uint64_t)1 << c;
        }
        for (int c = 0; c <= last; c++) columns[c][row] = values[c];
        saw |= present;
        not_integer |= points;
        i = at;
        row += 1;
    }
done:
    run.end = i;
    run.records = row - first_row;
    run.saw = saw;
    run.not_integer = not_integer;
    return run;
}

#else

int32_t alab_numeric_records_available(void) { return 0; }

alab_numeric_run alab_numeric_records_f64(const uint8_t *base, int64_t n, int64_t start, int64_t stop,
                                          int64_t first_row, int64_t row_limit, int32_t column_count,
                                          uint8_t separator, int32_t comment, double *const *columns,
                                          alab_cell_converter slow) {
    alab_numeric_run run = {start, 0, 0, 0};
    return run;
}

#endif
