#!/usr/bin/env python3
"""Benchmark contract reading: start-up (import and PP-OCRv4 load) and seconds per page with the
model loaded, for photos and for PDF pages.

usage: .venv/bin/python scripts/bench_ocr.py [--pages 6] [--threads N]

Pages are synthetic contract photos (intents/documents/eval/synth.py: zh and en layouts, rotated,
blurred, noisy JPEG, 1100 px wide before rotation, about a phone photo of an A4 page resized for
chat); the PDF case renders two of them into a PDF and reads it through pypdfium2 at 150 dpi. The
first page read after loading is a warm-up and not counted. Wall-clock and CPU time (all threads of
the process) are printed per photo page: on a loaded machine the CPU time is the fairer figure.
Peak RSS is printed at the end.
"""
from __future__ import annotations

import argparse
import io
import os
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=6, help="photos to time (default 6)")
    args = parser.parse_args()

    t0 = time.perf_counter()
    from intents.documents.reader import ContractReader, rapid_ocr

    imported = time.perf_counter() - t0
    t1 = time.perf_counter()
    reader = ContractReader(rapid_ocr())
    loaded = time.perf_counter() - t1

    from PIL import Image

    from intents.documents.eval.run import demo_directory
    from intents.documents.eval.synth import photos
    from intents.documents.files import load_pages

    _directory, accounts = demo_directory()
    shots = photos(accounts, args.pages + 1, seed=11)
    reader.read(load_pages(shots[0].jpeg, source="warm-up", max_bytes=1 << 30))
    per_page, cpu_per_page = [], []
    for shot in shots[1:]:
        start, cpu = time.perf_counter(), time.process_time()
        reader.read(load_pages(shot.jpeg, source=shot.name, max_bytes=1 << 30))
        per_page.append(time.perf_counter() - start)
        cpu_per_page.append(time.process_time() - cpu)

    buf = io.BytesIO()
    images = [Image.open(io.BytesIO(s.jpeg)) for s in shots[1:3]]
    images[0].save(buf, "PDF", save_all=True, append_images=images[1:], resolution=110)
    start = time.perf_counter()
    pages = load_pages(buf.getvalue(), source="bench.pdf", max_bytes=1 << 30)
    raster = time.perf_counter() - start
    reader.read(pages)
    pdf_total = time.perf_counter() - start

    load = os.getloadavg()[0]
    print(f"cores {os.cpu_count()}, load average {load:.1f} (other jobs running make figures pessimistic)")
    print(f"start-up: import {imported:.2f} s, PP-OCRv4 load {loaded:.2f} s")
    print(f"photo, seconds per page (model loaded, {len(per_page)} pages): median {statistics.median(per_page):.2f}, "
          f"min {min(per_page):.2f}, max {max(per_page):.2f}; CPU time (all threads) median "
          f"{statistics.median(cpu_per_page):.2f} s")
    print(f"PDF, {len(pages)} pages: rasterize {raster:.2f} s, {pdf_total / len(pages):.2f} s per page in all")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
