// The CSV reader's all-numbers record loops in C: one loop (record_loop.h) instantiated for AVX2
// and for AVX-512, each function compiled for its instruction set and chosen at run time, so the
// rest of the package keeps the baseline x86-64 target. See include/CFastCSV.h and
// AstrolabeData/CSVVectorRecords.swift (the contract, and the Swift loops they must equal).
#include "CFastCSV.h"

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>
#include <string.h>

#define ALAB_AVX2 __attribute__((target("avx2,bmi,popcnt")))
#define ALAB_AVX512 __attribute__((target("avx2,bmi,popcnt,fma,avx512f,avx512bw,avx512dq,avx512vl")))
/// A block of 64 bytes is searched for delimiters only if 80 bytes remain (see the Swift loops),
/// so that the two eight-byte words from any cell's start in it may be loaded.
#define ALAB_BLOCK_MARGIN 80
/// Cells and records converted together at most.
#define ALAB_BATCH_CELLS 512
#define ALAB_BATCH_RECORDS 64
/// Records read before the loop may decline a file of mostly odd cells (`declined`).
#define ALAB_DECLINE_AFTER 256
/// Bytes ahead of the parser that each block's delimiter search asks the cache for.
#ifndef ALAB_PREFETCH_AHEAD
#define ALAB_PREFETCH_AHEAD 1024
#endif

int32_t alab_numeric_records_level(void) {
    __builtin_cpu_init();
    if (!__builtin_cpu_supports("avx2") || !__builtin_cpu_supports("bmi")) return 0;
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq")
        && __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("fma")) return 3;
    return 2;
}

static const double alab_powers_of_ten[23] = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/// NA, NaN, nan, null or NULL exactly (NumberParsing's missing-value markers).
static inline int alab_missing_marker(const uint8_t *p, int64_t len) {
    switch (len) {
    case 2: return p[0] == 'N' && p[1] == 'A';
    case 3: return (p[0] == 'N' && p[1] == 'a' && p[2] == 'N') || (p[0] == 'n' && p[1] == 'a' && p[2] == 'n');
    case 4: return memcmp(p, "null", 4) == 0 || memcmp(p, "NULL", 4) == 0;
    default: return 0;
    }
}

/// A cell the vector path does not take (`9e-05`, `+1`, 9 or more bytes), read as NumberParsing.scan
/// reads it when that is Clinger's exact case: [+-]digits[.digits][(e|E)[+-]digits], at most 19
/// digits, w <= 2^53 and |q| <= 22 (or w = 0), the whole cell. Returns 1 for an integer, 0 for
/// another number, -1 for anything else, which the caller leaves to the Swift scanner (more
/// digits, Eisel–Lemire, or not a number at all). Only cells of at most 12 bytes: the digits are
/// read one by one, a chain of multiplies too slow for 17-digit cells, which the Swift scanner
/// reads eight digits at a time.
static inline int32_t alab_scan_short(const uint8_t *p, int64_t len, double *out) {
    if (len > 12) return -1;
    int64_t i = 0;
    int negative = 0;
    if (len > 0 && (p[0] == '+' || p[0] == '-')) { negative = p[0] == '-'; i = 1; }
    uint64_t w = 0;
    int64_t digits = 0, exponent = 0;
    int point = 0, marked = 0;
    while (i < len && (uint8_t)(p[i] - '0') <= 9) { w = w * 10 + (uint64_t)(p[i] - '0'); i++; digits++; }
    if (i < len && p[i] == '.') {
        point = 1;
        i++;
        int64_t from = i;
        while (i < len && (uint8_t)(p[i] - '0') <= 9) { w = w * 10 + (uint64_t)(p[i] - '0'); i++; }
        digits += i - from;
        exponent = from - i;
    }
    if (digits == 0 || digits > 19) return -1;
    if (i < len && (p[i] | 0x20) == 'e') {
        i++;
        int down = 0;
        if (i < len && (p[i] == '+' || p[i] == '-')) { down = p[i] == '-'; i++; }
        if (!(i < len && (uint8_t)(p[i] - '0') <= 9)) return -1;
        int64_t e = 0;
        while (i < len && (uint8_t)(p[i] - '0') <= 9) { if (e < 100000) e = e * 10 + (p[i] - '0'); i++; }
        exponent += down ? -e : e;
        marked = 1;
    }
    if (i != len || w > ((uint64_t)1 << 53)) return -1;
    double value;
    if (w == 0) {
        value = 0;
    } else if (exponent >= 0 && exponent <= 22) {
        value = (double)w * alab_powers_of_ten[exponent];
    } else if (exponent < 0 && exponent >= -22) {
        value = (double)w / alab_powers_of_ten[-exponent];
    } else {
        return -1;
    }
    *out = negative ? -value : value;
    return !point && !marked;
}

/// Bit k set when p[k] is the separator, LF or CR (k < 64).
ALAB_AVX2 static inline uint64_t delimiters_avx2(const uint8_t *p, uint8_t separator) {
    const __m256i sep = _mm256_set1_epi8((char)separator);
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
ALAB_AVX2 static inline __m256d convert4(__m256i cell, __m256i length, int *odd, int *point, int *present) {
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

/// Four cells of a record (`cells`, `lengths`, `values` point at the group's first lane).
ALAB_AVX2 static inline void convert_group_avx2(const int64_t *cells, const int64_t *seconds, const int64_t *lengths,
                                                double *values, unsigned *odd, unsigned *points, unsigned *present) {
    (void)seconds;  // cells over eight bytes are odd here
    int o, p, q;
    __m256d v = convert4(_mm256_load_si256((const __m256i *)cells), _mm256_load_si256((const __m256i *)lengths),
                         &o, &p, &q);
    _mm256_store_pd(values, v);
    *odd = (unsigned)o;
    *points = (unsigned)p;
    *present = (unsigned)q;
}

/// `delimiters_avx2` with AVX-512: one 64-byte load, three compares into mask registers.
ALAB_AVX512 static inline uint64_t delimiters_avx512(const uint8_t *p, uint8_t separator) {
    __m512i v = _mm512_loadu_si512((const void *)p);
    return _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8((char)separator)) | _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('\n'))
        | _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('\r'));
}

/// a / b rounded to nearest, for integers 0 <= a < 2^27 and b = 10^0...10^7, given y = RN(1/b),
/// without a division (whose throughput bounds the loop): q = RN(a·y) is within an ulp of a/b,
/// the remainder r = a − q·b is exact (one fma), and RN(q + r·y) is a/b correctly rounded
/// (Markstein's theorem). Checked against the division for every a < 2^27 and every b by
/// `alab_check_division`, exhaustively (bench/load/README.md) and on samples in the tests.
ALAB_AVX512 static inline __m512d divide_exactly(__m512d a, __m512d b, __m512d y) {
    __m512d q = _mm512_mul_pd(a, y);
    __m512d r = _mm512_fnmadd_pd(q, b, a);
    return _mm512_fmadd_pd(r, y, q);
}

/// The number of a in [first, first + count) (count a multiple of 8) for which `divide_exactly`
/// differs from the division a / 10^f, for any f in 0...7.
ALAB_AVX512 static int64_t check_division_avx512(int64_t first, int64_t count) {
    static const double powers[8] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7};
    static const double reciprocals[8] = {1e0, 1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7};
    int64_t wrong = 0;
    for (int f = 0; f < 8; f++) {
        __m512d b = _mm512_set1_pd(powers[f]), y = _mm512_set1_pd(reciprocals[f]);
        __m512d a = _mm512_add_pd(_mm512_set1_pd((double)first), _mm512_setr_pd(0, 1, 2, 3, 4, 5, 6, 7));
        for (int64_t k = 0; k + 8 <= count; k += 8) {
            __mmask8 differ = _mm512_cmp_pd_mask(divide_exactly(a, b, y), _mm512_div_pd(a, b), _CMP_NEQ_UQ);
            wrong += __builtin_popcount((unsigned)differ);
            a = _mm512_add_pd(a, _mm512_set1_pd(8.0));
        }
    }
    return wrong;
}

int64_t alab_check_division(int64_t first, int64_t count) {
    if (alab_numeric_records_level() < 3) return -1;
    return check_division_avx512(first, count);
}

/// `convert4` on eight cells with AVX-512: the same steps, the lane tests in mask registers.
/// The eight digits of each lane to integers (`alab_eight_digits` on eight lanes).
ALAB_AVX512 static inline __m512i eight_digits_avx512(__m512i digits) {
    __m512i pairs = _mm512_maddubs_epi16(digits, _mm512_set1_epi16(0x010A));
    __m512i quads = _mm512_madd_epi16(pairs, _mm512_set1_epi32(0x00010064));
    return _mm512_add_epi64(_mm512_mul_epu32(quads, _mm512_set1_epi64(10000)), _mm512_srli_epi64(quads, 32));
}

/// NumberParsing.twoWords on the lanes `lanes` (cells of 9...15 bytes after the sign): `first`
/// and `second` the cell's two words from its first digit, `len` its length after the sign.
/// Digits with at most one point, at most 15 of them, so w < 10^15 < 2^53 and w / 10^f (a true
/// division here) is exact. Returns the lanes it read; `*value` and `*point` set for them.
ALAB_AVX512 static inline __mmask8 two_words_avx512(__mmask8 lanes, __m512i first_word, __m512i second_word, __m512i len,
                                                    __m512d *value, __mmask8 *point) {
    const __m512i zero = _mm512_setzero_si512();
    const __m512i one = _mm512_set1_epi64(1);
    const __m512i sixty_four = _mm512_set1_epi64(64);
    const __m512i top = _mm512_set1_epi64((long long)0x8080808080808080ULL);
    const __m512i zeros = _mm512_set1_epi64(0x3030303030303030LL);
    const __m512i low7 = _mm512_set1_epi64(0x7F7F7F7F7F7F7F7FLL), add = _mm512_set1_epi64(0x7676767676767676LL);
    __m512i in_second = _mm512_srlv_epi64(_mm512_set1_epi64(-1),
                                          _mm512_sub_epi64(sixty_four, _mm512_slli_epi64(_mm512_sub_epi64(len, _mm512_set1_epi64(8)), 3)));
    __m512i top1 = _mm512_and_si512(top, in_second);
    __m512i y0 = _mm512_xor_si512(first_word, zeros), y1 = _mm512_xor_si512(second_word, zeros);
    __m512i nd0 = _mm512_ternarylogic_epi64(_mm512_add_epi64(_mm512_and_si512(y0, low7), add), y0, top, 0xA8);
    __m512i nd1 = _mm512_ternarylogic_epi64(_mm512_add_epi64(_mm512_and_si512(y1, low7), add), y1, top1, 0xA8);
    __m512i dots0 = _mm512_maskz_mov_epi8(_mm512_cmpeq_epi8_mask(first_word, _mm512_set1_epi8('.')), top);
    __m512i dots1 = _mm512_maskz_mov_epi8(_mm512_cmpeq_epi8_mask(second_word, _mm512_set1_epi8('.')), top1);
    __mmask8 dot0 = _mm512_test_epi64_mask(dots0, dots0), dot1 = _mm512_test_epi64_mask(dots1, dots1);
    __mmask8 wrong = _mm512_test_epi64_mask(_mm512_andnot_si512(dots0, nd0), nd0)
        | _mm512_test_epi64_mask(_mm512_andnot_si512(dots1, nd1), nd1)
        | (dot0 & dot1)
        | _mm512_test_epi64_mask(dots0, _mm512_sub_epi64(dots0, one))
        | _mm512_test_epi64_mask(dots1, _mm512_sub_epi64(dots1, one));
    __mmask8 has_dot = dot0 | dot1;
    // The point squeezed out of whichever word holds it (the first then borrows a digit).
    __m512i below0 = _mm512_sub_epi64(_mm512_srli_epi64(_mm512_and_si512(dots0, _mm512_sub_epi64(zero, dots0)), 7), one);
    __m512i below1 = _mm512_sub_epi64(_mm512_srli_epi64(_mm512_and_si512(dots1, _mm512_sub_epi64(zero, dots1)), 7), one);
    __m512i shifted1 = _mm512_srli_epi64(y1, 8);
    __m512i first = _mm512_ternarylogic_epi64(y0, _mm512_or_si512(_mm512_srli_epi64(y0, 8), _mm512_slli_epi64(y1, 56)),
                                              below0, 0xE4);
    __m512i second = _mm512_mask_mov_epi64(_mm512_ternarylogic_epi64(y1, shifted1, below1, 0xE4), dot0, shifted1);
    __m512i digits = _mm512_mask_sub_epi64(len, has_dot, len, one);          // 8...15
    __m512i rest = _mm512_sub_epi64(digits, _mm512_set1_epi64(8));           // digits in `second`, 0...7
    __m512i scale = _mm512_permutexvar_epi64(rest, _mm512_setr_epi64(1, 10, 100, 1000, 10000, 100000, 1000000, 10000000));
    __m512i w = _mm512_add_epi64(_mm512_mullo_epi64(eight_digits_avx512(first), scale),
                                 eight_digits_avx512(_mm512_sllv_epi64(second, _mm512_sub_epi64(sixty_four, _mm512_slli_epi64(rest, 3)))));
    // Digits after the point: f = digits − (digits before it).
    __m512i d0 = _mm512_sad_epu8(_mm512_and_si512(below0, _mm512_set1_epi8(1)), zero);
    __m512i d1 = _mm512_sad_epu8(_mm512_and_si512(below1, _mm512_set1_epi8(1)), zero);
    __m512i before = _mm512_mask_mov_epi64(_mm512_add_epi64(d1, _mm512_set1_epi64(8)), dot0, d0);
    __m512i f = _mm512_maskz_sub_epi64(has_dot, digits, before);            // 0...14
    __m512d power = _mm512_permutex2var_pd(_mm512_setr_pd(1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7), f,
                                           _mm512_setr_pd(1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15));
    *value = _mm512_div_pd(_mm512_cvtepu64_pd(w), power);
    *point = has_dot;
    return (__mmask8)(lanes & ~wrong);
}

ALAB_AVX512 static inline void convert_group_avx512(const int64_t *cells, const int64_t *seconds, const int64_t *lengths,
                                                    double *values, unsigned *odd, unsigned *points, unsigned *present) {
    const __m512i zero = _mm512_setzero_si512();
    const __m512i one = _mm512_set1_epi64(1);
    const __m512i sixty_four = _mm512_set1_epi64(64);
    const __m512i top = _mm512_set1_epi64((long long)0x8080808080808080ULL);
    __m512i cell = _mm512_load_si512((const void *)cells);
    __m512i length = _mm512_load_si512((const void *)lengths);
    __mmask8 negative = _mm512_cmpeq_epi64_mask(_mm512_and_si512(cell, _mm512_set1_epi64(0xFF)), _mm512_set1_epi64('-'));
    __m512i x = _mm512_mask_srli_epi64(cell, negative, cell, 8);
    __m512i len = _mm512_mask_sub_epi64(length, negative, length, one);
    __mmask8 empty = _mm512_testn_epi64_mask(length, length);
    __m512i in_cell = _mm512_srlv_epi64(_mm512_set1_epi64(-1), _mm512_sub_epi64(sixty_four, _mm512_slli_epi64(len, 3)));
    __m512i y = _mm512_xor_si512(x, _mm512_set1_epi64(0x3030303030303030LL));
    __m512i t = _mm512_add_epi64(_mm512_and_si512(y, _mm512_set1_epi64(0x7F7F7F7F7F7F7F7FLL)),
                                 _mm512_set1_epi64(0x7676767676767676LL));
    __m512i top_in = _mm512_and_si512(top, in_cell);
    __m512i not_digit = _mm512_ternarylogic_epi64(t, y, top_in, 0xA8);   // (t | y) & top_in
    __m512i dots = _mm512_maskz_mov_epi8(_mm512_cmpeq_epi8_mask(x, _mm512_set1_epi8('.')), top_in);
    __mmask8 other = _mm512_test_epi64_mask(_mm512_andnot_si512(dots, not_digit), not_digit);
    __mmask8 second_dot = _mm512_test_epi64_mask(dots, _mm512_sub_epi64(dots, one));
    __mmask8 no_dot = _mm512_testn_epi64_mask(dots, dots);
    __mmask8 lone_dot = (__mmask8)(~no_dot & _mm512_cmpeq_epi64_mask(len, one));
    __mmask8 outside = _mm512_cmpgt_epu64_mask(_mm512_sub_epi64(len, one), _mm512_set1_epi64(7));
    __mmask8 wrong = (__mmask8)((other | second_dot | lone_dot | outside) & ~empty);
    __mmask8 point = (__mmask8)~no_dot;
    // Cells of 9...15 bytes after the sign (`%.6f` output such as `19.123456`): two words each.
    __mmask8 long_cells = _mm512_mask_cmple_epu64_mask(outside, _mm512_sub_epi64(len, _mm512_set1_epi64(9)),
                                                       _mm512_set1_epi64(6));
    __m512d long_value = _mm512_setzero_pd();
    __mmask8 long_read = 0;
    if (long_cells) {
        __m512i second_word = _mm512_load_si512((const void *)seconds);
        __mmask8 long_point = 0;
        long_read = two_words_avx512(long_cells, _mm512_mask_or_epi64(cell, negative, _mm512_srli_epi64(cell, 8),
                                                                       _mm512_slli_epi64(second_word, 56)),
                                     _mm512_mask_srli_epi64(second_word, negative, second_word, 8), len,
                                     &long_value, &long_point);
        wrong &= (__mmask8)~long_read;
        point = (__mmask8)((point & ~long_cells) | (long_point & long_read));
    }
    *odd = wrong;
    *points = point;
    *present = (__mmask8)~empty;
    __m512i lowest = _mm512_and_si512(dots, _mm512_sub_epi64(zero, dots));
    __m512i below = _mm512_sub_epi64(_mm512_srli_epi64(lowest, 7), one);  // all ones without a point
    __m512i squeezed = _mm512_ternarylogic_epi64(y, _mm512_srli_epi64(y, 8), below, 0xE4); // below ? y : y >> 8
    __m512i digits = _mm512_mask_mov_epi64(_mm512_sub_epi64(len, one), no_dot, len);
    __m512i aligned = _mm512_sllv_epi64(squeezed, _mm512_sub_epi64(sixty_four, _mm512_slli_epi64(digits, 3)));
    __m512i pairs = _mm512_maddubs_epi16(aligned, _mm512_set1_epi16(0x010A));
    __m512i quads = _mm512_madd_epi16(pairs, _mm512_set1_epi32(0x00010064));
    __m512i w = _mm512_add_epi64(_mm512_mul_epu32(quads, _mm512_set1_epi64(10000)), _mm512_srli_epi64(quads, 32));
    __m512i d = _mm512_sad_epu8(_mm512_and_si512(below, _mm512_set1_epi8(1)), zero);
    __m512i f = _mm512_maskz_sub_epi64((__mmask8)~no_dot, digits, d);
    // w / 10^f without a division (`divide_exactly`); the permutes use f's low three bits.
    __m512d power = _mm512_permutexvar_pd(f, _mm512_setr_pd(1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7));
    __m512d reciprocal = _mm512_permutexvar_pd(f, _mm512_setr_pd(1e0, 1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7));
    __m512d value = _mm512_mask_mov_pd(divide_exactly(_mm512_cvtepu64_pd(w), power, reciprocal), long_read, long_value);
    __m512i bits = _mm512_mask_or_epi64(_mm512_castpd_si512(value), negative, _mm512_castpd_si512(value),
                                        _mm512_set1_epi64((long long)0x8000000000000000ULL));
    bits = _mm512_mask_mov_epi64(bits, empty, _mm512_set1_epi64(0x7FF8000000000000LL));
    _mm512_store_si512((void *)values, bits);
}

/// `alab_count_bytes` with AVX-512: 64 bytes a step, each compare a mask, its bits counted.
ALAB_AVX512 static int64_t count_bytes_avx512(const uint8_t *p, int64_t length, uint8_t target, uint8_t other,
                                              int32_t *saw_other) {
    const __m512i t = _mm512_set1_epi8((char)target), o = _mm512_set1_epi8((char)other);
    int64_t total = 0, k = 0;
    __mmask64 seen = 0;
    for (; k + 64 <= length; k += 64) {
        __m512i v = _mm512_loadu_si512((const void *)(p + k));
        total += __builtin_popcountll(_mm512_cmpeq_epi8_mask(v, t));
        seen |= _mm512_cmpeq_epi8_mask(v, o);
    }
    int found = seen != 0;
    for (; k < length; k++) {
        total += p[k] == target;
        found |= p[k] == other;
    }
    *saw_other = found;
    return total;
}

int64_t alab_count_bytes(const uint8_t *p, int64_t length, uint8_t target, uint8_t other, int32_t *saw_other) {
    if (alab_numeric_records_level() < 3) { *saw_other = 0; return -1; }
    return count_bytes_avx512(p, length, target, other, saw_other);
}

#define ALAB_LOOP_NAME records_avx2
#define ALAB_LOOP_TARGET ALAB_AVX2
#define ALAB_LOOP_LANES 4
#define ALAB_LOOP_DELIMITERS delimiters_avx2
#define ALAB_LOOP_CONVERT convert_group_avx2
#include "record_loop.h"
#undef ALAB_LOOP_NAME
#undef ALAB_LOOP_TARGET
#undef ALAB_LOOP_LANES
#undef ALAB_LOOP_DELIMITERS
#undef ALAB_LOOP_CONVERT

#define ALAB_LOOP_NAME records_avx512
#define ALAB_LOOP_TARGET ALAB_AVX512
#define ALAB_LOOP_LANES 8
#define ALAB_LOOP_DELIMITERS delimiters_avx512
#define ALAB_LOOP_CONVERT convert_group_avx512
#include "record_loop.h"

alab_numeric_run alab_numeric_records(int32_t level, const uint8_t *base, int64_t n, int64_t start, int64_t stop,
                                      int64_t first_row, int64_t row_limit, int32_t column_count,
                                      uint8_t separator, int32_t comment, void *const *columns, uint64_t narrow,
                                      alab_cell_converter slow) {
    if (level >= 3) {
        return records_avx512(base, n, start, stop, first_row, row_limit, column_count, separator, comment, columns, narrow, slow);
    }
    if (level == 2) {
        return records_avx2(base, n, start, stop, first_row, row_limit, column_count, separator, comment, columns, narrow, slow);
    }
    alab_numeric_run run = {start, 0, 0, 0, 0};
    return run;
}

#else

int32_t alab_numeric_records_level(void) { return 0; }
int64_t alab_check_division(int64_t first, int64_t count) { return -1; }
int64_t alab_count_bytes(const uint8_t *p, int64_t length, uint8_t target, uint8_t other, int32_t *saw_other) {
    *saw_other = 0;
    return -1;
}

alab_numeric_run alab_numeric_records(int32_t level, const uint8_t *base, int64_t n, int64_t start, int64_t stop,
                                      int64_t first_row, int64_t row_limit, int32_t column_count,
                                      uint8_t separator, int32_t comment, void *const *columns, uint64_t narrow,
                                      alab_cell_converter slow) {
    alab_numeric_run run = {start, 0, 0, 0, 0};
    return run;
}

#endif
