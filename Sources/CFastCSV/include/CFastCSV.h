#ifndef CFASTCSV_H
#define CFASTCSV_H
// The all-numbers record loop of AstrolabeData's CSV reader, vectorised (x86-64 with AVX2 or
// AVX-512, chosen at run time), and its line-break count; see
// AstrolabeData/CSVVectorRecords.swift for the contract and the Swift twins.
#include <stdint.h>
#include "mapping_guard.h"

/// Converts one cell the vector path cannot (`base[start ..< end]`, bytes readable up to
/// `readable`): returns 1 for an integer, 0 for another number (value stored), -1 for no number.
typedef int32_t (*alab_cell_converter)(const uint8_t *base, int64_t start, int64_t end, int64_t readable,
                                        double *value);

typedef struct {
    /// Where the run ended: the start of the first record not read.
    int64_t end;
    /// Records read (each one line).
    int64_t records;
    /// Bit c: column c had a value / had a value that is not an integer.
    uint64_t saw;
    uint64_t not_integer;
    /// Nonzero when the loop stopped because most cells were of shapes it hands back (such as
    /// 17-digit numbers): the Swift loop reads those with less overhead.
    int32_t declined;
} alab_numeric_run;

/// The best loop this CPU runs: 0 none, 2 AVX2 (with BMI1), 3 AVX-512 (F, BW, DQ, VL, and FMA).
int32_t alab_numeric_records_level(void);

/// Records of 1...64 numeric columns from `start` while they start before `stop` and their row
/// is below `row_limit`, written to `columns[c][row]` from `first_row` (a float array where bit c
/// of `narrow` is set, else a double array); stops at the first record that needs the general
/// path. `comment` is a byte or -1. `level` picks the loop (at most `alab_numeric_records_level()`;
/// below 2, nothing is read).
alab_numeric_run alab_numeric_records(int32_t level, const uint8_t *base, int64_t n, int64_t start, int64_t stop,
                                      int64_t first_row, int64_t row_limit, int32_t column_count,
                                      uint8_t separator, int32_t comment, void *const *columns, uint64_t narrow,
                                      alab_cell_converter slow);

/// How many of the `length` bytes at `p` equal `target`, and (in `*saw_other`) whether any equals
/// `other`; -1 where the AVX-512 loop does not run (the caller counts itself).
int64_t alab_count_bytes(const uint8_t *p, int64_t length, uint8_t target, uint8_t other, int32_t *saw_other);

/// For the tests: how many integers a in [first, first + count) (count a multiple of 8) the
/// AVX-512 loop's division-free a / 10^f (f = 0...7) rounds differently from the IEEE division;
/// -1 where that loop does not run.
int64_t alab_check_division(int64_t first, int64_t count);
#endif
