"""Benchmark: the catalog's tensor-view cases next to their flat versions.

For each ``tensor_*`` case of the catalog it times building, verifying,
drawing and encoding the GIF in memory twice: as the case is (``view="tensor"``)
and with the same arrays and options in the flat grid view (``view="grid"``),
and reports both GIFs' bytes. The depthwise-separable case is two layers side
by side; both are switched. Every figure is measured now, in this process.
Called by ``benchmarks/bench.py``; also runs alone
(``python benchmarks/bench_tensor_view.py``).
"""

from __future__ import annotations

import dataclasses
import io
import tempfile
import time
from pathlib import Path

from conv_explained import catalog
from conv_explained.render.gif import write_gif


def _gif_bytes(frames, durations) -> int:
    buffer = io.BytesIO()
    write_gif(buffer, frames, durations)
    return len(buffer.getvalue())


def _flat(case: catalog.Case) -> catalog.Case:
    """The same case drawn in the grid view."""
    second = case.second
    if second is not None:
        second = (second[0], {**second[1], "view": "grid"})
    return dataclasses.replace(case, params={**case.params, "view": "grid"}, second=second)


def _timed(case: catalog.Case) -> tuple[float, int, int, tuple[int, int]]:
    start = time.perf_counter()
    anim = case.animate()
    size = _gif_bytes(anim.frames, anim.durations)
    return time.perf_counter() - start, size, len(anim.frames), anim.size


def bench_tensor_view() -> list[dict]:
    """Time and size of each tensor-view case and of its flat version."""
    rows = []
    for name in catalog.names():
        if not name.startswith("tensor_"):
            continue
        case = catalog.get(name)
        flat_s, flat_bytes, flat_frames, flat_size = _timed(_flat(case))
        tensor_s, tensor_bytes, frames, size = _timed(case)
        assert frames == flat_frames, name  # same steps, another drawing
        rows.append(
            {
                "case": name,
                "frames": frames,
                "flat_bytes": flat_bytes,
                "tensor_bytes": tensor_bytes,
                "flat_s": flat_s,
                "tensor_s": tensor_s,
                "size": (flat_size, size),
            }
        )
    return rows


def bench_catalog_share() -> tuple[float, float]:
    """Seconds of ``render_catalog`` for the tensor cases alone and for all other cases."""
    tensor = [n for n in catalog.names() if n.startswith("tensor_")]
    rest = [n for n in catalog.names() if n not in tensor]
    times = []
    for names in (tensor, rest):
        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            catalog.render_catalog(Path(tmp), names=names)
            times.append(time.perf_counter() - start)
    return times[0], times[1]


def report(rows: list[dict]) -> None:
    """Print the table."""
    print("\nTensor view vs flat view (same arrays; build + verify + draw + encode GIF)")
    print(
        f"{'case':<28}{'frames':>7}{'flat B':>9}{'tensor B':>10}{'ratio':>7}"
        f"{'flat ms':>9}{'tensor ms':>11}{'ratio':>7}"
    )
    for r in rows:
        print(
            f"{r['case']:<28}{r['frames']:>7}{r['flat_bytes']:>9,}{r['tensor_bytes']:>10,}"
            f"{r['tensor_bytes'] / r['flat_bytes']:>7.2f}{1e3 * r['flat_s']:>9.0f}"
            f"{1e3 * r['tensor_s']:>11.0f}{r['tensor_s'] / r['flat_s']:>7.2f}"
        )
    total_t = sum(r["tensor_s"] for r in rows)
    total_f = sum(r["flat_s"] for r in rows)
    bytes_t = sum(r["tensor_bytes"] for r in rows)
    bytes_f = sum(r["flat_bytes"] for r in rows)
    print(
        f"total: flat {total_f:.2f} s, {bytes_f:,} B; tensor {total_t:.2f} s, {bytes_t:,} B "
        f"(ratios {total_t / total_f:.2f} time, {bytes_t / bytes_f:.2f} bytes)"
    )
    tensor_s, rest_s = bench_catalog_share()
    print(
        f"render_catalog: the {len(rows)} tensor cases {tensor_s:.2f} s, the other cases "
        f"{rest_s:.2f} s, together {tensor_s + rest_s:.2f} s (target < 10 s)"
    )


if __name__ == "__main__":
    import torch

    torch.zeros(1)  # import and initialise torch outside the timings
    report(bench_tensor_view())
