"""Benchmark: the tensor view next to the flat view of the same catalog cases.

For each channel case of the catalog (same arrays, same options) it times
building, verifying, drawing and encoding the GIF in memory with the flat
renderer (``render.animate``) and with the tensor view
(``render.tensor.tensor_view``), and reports both GIFs' bytes. Every figure is
measured now, in this process. Called by ``benchmarks/bench.py``; also runs
alone (``python benchmarks/bench_tensor_view.py``).
"""

from __future__ import annotations

import io
import time

from conv_explained import catalog, render
from conv_explained.render.gif import write_gif
from conv_explained.render.tensor import tensor_view

CASES = ("multi_channel", "multi_kernel", "pointwise_1x1", "depthwise", "max_pool")


def _gif_bytes(frames, durations) -> int:
    buffer = io.BytesIO()
    write_gif(buffer, frames, durations)
    return len(buffer.getvalue())


def bench_tensor_view() -> list[dict]:
    """Time and size of each case drawn flat and as a tensor view."""
    rows = []
    names = set(catalog.names())
    for name in CASES:
        if name not in names:
            continue
        case = catalog.get(name)
        arrays, params = case.inputs(), dict(case.params)
        start = time.perf_counter()
        flat = render.animate(case.op, **arrays, **params)
        flat_bytes = _gif_bytes(flat.frames, flat.durations)
        flat_s = time.perf_counter() - start
        op = "max-pool" if case.op == "max-pool" else case.op
        weight = arrays.get("weight", params.pop("kernel_size", None))
        start = time.perf_counter()
        tensor = tensor_view(op, arrays["x"], weight, **params)
        tensor_bytes = _gif_bytes(tensor.images, tensor.durations)
        tensor_s = time.perf_counter() - start
        rows.append(
            {
                "case": name,
                "frames": (len(flat.frames), len(tensor.images)),
                "flat_bytes": flat_bytes,
                "tensor_bytes": tensor_bytes,
                "flat_s": flat_s,
                "tensor_s": tensor_s,
                "size": (flat.size, tensor.size),
            }
        )
    return rows


def report(rows: list[dict]) -> None:
    """Print the table."""
    print("\nTensor view vs flat view (same arrays; build + verify + draw + encode GIF)")
    print(
        f"{'case':<15}{'frames':>8}{'flat B':>9}{'tensor B':>10}{'ratio':>7}"
        f"{'flat ms':>9}{'tensor ms':>11}{'ratio':>7}"
    )
    for r in rows:
        print(
            f"{r['case']:<15}{r['frames'][1]:>8}{r['flat_bytes']:>9,}{r['tensor_bytes']:>10,}"
            f"{r['tensor_bytes'] / r['flat_bytes']:>7.2f}{1e3 * r['flat_s']:>9.0f}"
            f"{1e3 * r['tensor_s']:>11.0f}{r['tensor_s'] / r['flat_s']:>7.2f}"
        )
    total_t = sum(r["tensor_s"] for r in rows)
    total_f = sum(r["flat_s"] for r in rows)
    print(f"total: flat {total_f:.2f} s, tensor {total_t:.2f} s")


if __name__ == "__main__":
    import torch

    torch.zeros(1)  # import and initialise torch outside the timings
    report(bench_tensor_view())
