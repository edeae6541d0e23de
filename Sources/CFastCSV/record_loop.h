// The record loop of numeric_records.c, instantiated once per instruction set: included with
// ALAB_LOOP_NAME, ALAB_LOOP_TARGET, ALAB_LOOP_LANES (cells converted at once), ALAB_LOOP_DELIMITERS
// (bit mask of the 64 bytes' delimiters) and ALAB_LOOP_CONVERT (one group of cells) defined.
ALAB_LOOP_TARGET static alab_numeric_run ALAB_LOOP_NAME(const uint8_t *base, int64_t n, int64_t start, int64_t stop,
                                                       int64_t first_row, int64_t row_limit, int32_t column_count,
                                                       uint8_t separator, int32_t comment, void *const *columns,
                                                       uint64_t narrow, alab_cell_converter slow) {
    alab_numeric_run run = {start, 0, 0, 0, 0};
    if (column_count < 1 || column_count > 64) return run;
    const int last = column_count - 1;
    const int groups = (column_count + ALAB_LOOP_LANES - 1) / ALAB_LOOP_LANES;
    const int stride = groups * ALAB_LOOP_LANES;  // cells of one record in the batch arrays
    const int most = ALAB_BATCH_CELLS / stride < ALAB_BATCH_RECORDS ? ALAB_BATCH_CELLS / stride : ALAB_BATCH_RECORDS;
    const uint64_t all = column_count == 64 ? ~(uint64_t)0 : ((uint64_t)1 << column_count) - 1;
    int64_t cells[ALAB_BATCH_CELLS] __attribute__((aligned(64)));
    int64_t seconds[ALAB_BATCH_CELLS] __attribute__((aligned(64)));  // each cell's bytes 8...15
    int64_t lengths[ALAB_BATCH_CELLS] __attribute__((aligned(64)));
    int64_t starts[ALAB_BATCH_CELLS];
    double values[ALAB_BATCH_CELLS] __attribute__((aligned(64)));
    int64_t record_starts[ALAB_BATCH_RECORDS + 1];
    uint64_t odd[ALAB_BATCH_RECORDS], points[ALAB_BATCH_RECORDS], present[ALAB_BATCH_RECORDS];
    // Lanes past the last column convert a harmless "0".
    for (int q = 0; q < most; q++) {
        for (int c = column_count; c < stride; c++) { cells[q * stride + c] = '0'; lengths[q * stride + c] = 1; }
    }
    uint64_t saw = 0, not_integer = 0;
    int64_t i = start, row = first_row;
    int64_t block_start = start;
    uint64_t mask = 0;
    // Records are gathered in batches, then converted together (independent work, so the
    // conversions of many records overlap), then stored in order. A batch starts at 4 records
    // and doubles while batches complete, so that a cell that stops the run (text, `NA`) wastes
    // little conversion work.
    int batch = 4;
    int finished = 0;
    int64_t odd_cells = 0;
    while (!finished) {
        // 1. Delimit up to `batch` records.
        int r = 0;
        while (r < batch) {
            if (!(i < stop && row + r < row_limit) || (comment >= 0 && base[i] == (uint8_t)comment)) {
                finished = 1;
                break;
            }
            int64_t at = i;
            int64_t *cell = cells + r * stride, *second = seconds + r * stride, *length = lengths + r * stride;
            int64_t *from = starts + r * stride;
            for (int c = 0;; c++) {
                if (mask == 0) {
                    // Blocks end 16 bytes before the data does, so each cell's two words fit.
                    if (at + ALAB_BLOCK_MARGIN > n) { finished = 1; goto delimited; }
                    block_start = at;
                    __builtin_prefetch(base + at + ALAB_PREFETCH_AHEAD);
                    mask = ALAB_LOOP_DELIMITERS(base + at, separator);
                    if (mask == 0) { finished = 1; goto delimited; }  // a cell of 64 bytes or more
                }
                int64_t e = block_start + (int64_t)__builtin_ctzll(mask);
                mask &= mask - 1;
                from[c] = at;
                memcpy(&cell[c], base + at, 8);
                memcpy(&second[c], base + at + 8, 8);
                length[c] = e - at;
                uint8_t t = base[e];
                if (c == last) {
                    // LF or CR LF ends the record; a blank line (one empty cell) is the general path's.
                    if (!(t == '\n' || t == '\r') || (e == at && c == 0)) { finished = 1; goto delimited; }
                    at = e + 1;
                    if (t == '\r') {
                        if (at >= n || base[at] != '\n') { finished = 1; goto delimited; }
                        if (at - block_start < 64) mask &= mask - 1;
                        at += 1;
                    }
                    break;
                }
                if (t != separator) { finished = 1; goto delimited; }
                at = e + 1;
            }
            record_starts[r] = i;
            i = at;
            r += 1;
        }
    delimited:
        // `i` is now the start of the first record not delimited.
        record_starts[r] = i;
        // 2. Convert every cell of the batch.
        for (int q = 0; q < r; q++) {
            unsigned o = 0, p = 0, v = 0;
            odd[q] = 0; points[q] = 0; present[q] = 0;
            for (int g = 0; g < groups; g++) {
                int at = q * stride + g * ALAB_LOOP_LANES;
                ALAB_LOOP_CONVERT(cells + at, seconds + at, lengths + at, values + at, &o, &p, &v);
                odd[q] |= (uint64_t)o << (g * ALAB_LOOP_LANES);
                points[q] |= (uint64_t)p << (g * ALAB_LOOP_LANES);
                present[q] |= (uint64_t)v << (g * ALAB_LOOP_LANES);
            }
        }
        // 3. The odd cells, then the values, record by record.
        for (int q = 0; q < r; q++) {
            uint64_t o = odd[q] & all, v = present[q] & all, p = points[q] & v & ~o;
            double *value = values + q * stride;
            while (o) {
                int c = __builtin_ctzll(o);
                o &= o - 1;
                int64_t from = starts[q * stride + c], to = from + lengths[q * stride + c];
                if (alab_missing_marker(base + from, to - from)) {
                    // NA, NaN, nan, null, NULL: missing, as the general path reads them.
                    value[c] = __builtin_nan("");
                    v &= ~((uint64_t)1 << c);
                    continue;
                }
                int32_t kind = alab_scan_short(base + from, to - from, &value[c]);
                if (kind < 0) kind = slow(base, from, to, n, &value[c]);
                if (kind < 0) {
                    // Not a number: this record is the general path's.
                    i = record_starts[q];
                    finished = 1;
                    goto done;
                }
                if (kind == 0) p |= (uint64_t)1 << c;
            }
            if (narrow == 0) {
                for (int c = 0; c <= last; c++) ((double *)columns[c])[row] = value[c];
            } else {
                // float32 columns take the double rounded to float, as Float(Double) does.
                for (int c = 0; c <= last; c++) {
                    if ((narrow >> c) & 1) ((float *)columns[c])[row] = (float)value[c];
                    else ((double *)columns[c])[row] = value[c];
                }
            }
            saw |= v;
            not_integer |= p;
            row += 1;
            odd_cells += __builtin_popcountll(odd[q] & all);
        }
        if (batch < most) batch = batch * 2 < most ? batch * 2 : most;
        // Mostly cells the vector conversion does not take (17-digit numbers): each costs a
        // call out of here, and the vector work is wasted on them; the Swift loop reads such
        // files faster.
        if (!finished && row - first_row >= ALAB_DECLINE_AFTER && odd_cells * 2 > (row - first_row) * column_count) {
            run.declined = 1;
            break;
        }
    }
done:
    run.end = i;
    run.records = row - first_row;
    run.saw = saw;
    run.not_integer = not_integer;
    return run;
}
