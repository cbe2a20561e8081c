#!/usr/bin/env python3
"""make bench-logparse: parse every run of a directory of the original study's
logs (results/<name>/*.gz) with transfer_study/caffelog.py, side by side with a
bare gunzip of the same files.

    scripts/in-env python3 scripts/bench/bench_logparse.py DIR_OF_RUN_DIRS
"""
import os
import sys
import time

from transfer_study import caffelog


def bench(top, repeat=3):
    """Parse every run under top; print speed side by side with a bare gunzip."""
    runs = [os.path.join(top, d) for d in sorted(os.listdir(top))
            if os.path.isdir(os.path.join(top, d))]
    files = [f for r in runs for f in caffelog.log_files(r)]
    packed = sum(os.path.getsize(f) for f in files)
    raw = sum(len(caffelog.read_log(f)) for f in files)
    best_read = best_parse = None
    for _ in range(repeat):
        t = time.time()
        for f in files:
            caffelog.read_log(f)
        t_read = time.time() - t
        t = time.time()
        for r in runs:
            caffelog.parse_run(r)
        t_parse = time.time() - t
        best_read = t_read if best_read is None else min(best_read, t_read)
        best_parse = t_parse if best_parse is None else min(best_parse, t_parse)
    print('%d runs, %d files, %.1f MB gzipped, %.1f MB of log text'
          % (len(runs), len(files), packed / 1e6, raw / 1e6))
    print('gunzip only : %6.2f s  (%.1f MB gz/s)' % (best_read, packed / 1e6 / best_read))
    print('parse_run   : %6.2f s  (%.1f MB gz/s, %.1f MB text/s)'
          % (best_parse, packed / 1e6 / best_parse, raw / 1e6 / best_parse))
    print('ratio parse/gunzip: %.2f; 100 MB gzipped would take ~%.0f s in one process'
          % (best_parse / best_read, 100e6 / packed * best_parse))


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1 or not os.path.isdir(argv[0]):
        sys.stderr.write("usage: scripts/bench/bench_logparse.py DIR_OF_RUN_DIRS\n")
        return 2
    bench(argv[0])
    return 0


if __name__ == "__main__":
    sys.exit(main())
