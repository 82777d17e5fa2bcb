"""Benchmark: conv_explained's operators and renderer, timed next to a baseline.

Every figure is measured in this process, now; nothing is hard-coded. The
operators are compared with torch on one typical layer (N=8, 16 -> 32
channels, 64x64, 3x3 kernel, stride 1 and 2), single-threaded and with the
default thread count. The renderer is measured on the catalog: wall time and
the total bytes of the 15 conv_arithmetic-equivalent GIFs against the
3,398,746 bytes of the originals.

Run with ``nox -s bench`` (or ``python benchmarks/bench.py``).
"""

from __future__ import annotations

import argparse
import tempfile
import time
import timeit
from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from threadpoolctl import threadpool_limits

import conv_explained as ce

ORIGINAL_GIF_BYTES = 3_398_746  # the 15 GIFs of vdumoulin/conv_arithmetic
ORIGINAL_NAMES = [
    "no_padding_no_strides",
    "arbitrary_padding_no_strides",
    "same_padding_no_strides",
    "full_padding_no_strides",
    "no_padding_strides",
    "padding_strides",
    "padding_strides_odd",
]


def best_time(fn: Callable[[], object], repeat: int) -> float:
    """Best wall time of one call, in seconds, over ``repeat`` timed runs."""
    fn()  # warm up (allocations, lazy initialisation)
    number = 1
    while (t := timeit.timeit(fn, number=number)) < 0.05:
        number *= 2
    runs = timeit.repeat(fn, number=number, repeat=repeat)
    return min(min(runs), t) / number


def bench_ops(repeat: int) -> list[dict]:
    """Time correlate, conv_transpose and max_pool against torch."""
    rng = np.random.default_rng(0)
    x = rng.standard_normal((8, 16, 64, 64)).astype(np.float32)
    w = rng.standard_normal((32, 16, 3, 3)).astype(np.float32)
    tx, tw = torch.from_numpy(x), torch.from_numpy(w)
    rows = []
    default_threads = torch.get_num_threads()
    for threads in (1, default_threads):
        torch.set_num_threads(threads)
        with threadpool_limits(limits=threads):
            for stride in (1, 2):
                y = ce.correlate(x, w, stride=stride, padding=1)
                ty = F.conv2d(tx, tw, stride=stride, padding=1)
                np.testing.assert_allclose(y, ty.numpy(), rtol=1e-4, atol=1e-3)
                wt = rng.standard_normal((32, 16, 3, 3)).astype(np.float32)
                twt = torch.from_numpy(wt)
                op = stride - 1
                cases = {
                    "correlate": (
                        lambda s=stride: ce.correlate(x, w, stride=s, padding=1),
                        lambda s=stride: F.conv2d(tx, tw, stride=s, padding=1),
                    ),
                    "conv_transpose": (
                        lambda s=stride, yy=y, op=op, wt=wt: ce.conv_transpose(
                            yy, wt, stride=s, padding=1, output_padding=op
                        ),
                        lambda s=stride, yy=ty, op=op, twt=twt: F.conv_transpose2d(
                            yy, twt, stride=s, padding=1, output_padding=op
                        ),
                    ),
                }
                if hasattr(ce, "max_pool"):
                    cases["max_pool"] = (
                        lambda s=stride: ce.max_pool(x, (3, 3), stride=s, padding=1),
                        lambda s=stride: F.max_pool2d(tx, 3, stride=s, padding=1),
                    )
                for name, (ours, theirs) in cases.items():
                    ours_t = best_time(ours, repeat)
                    torch_t = best_time(theirs, repeat)
                    rows.append(
                        {
                            "op": name,
                            "stride": stride,
                            "threads": threads,
                            "ours_ms": ours_t * 1e3,
                            "torch_ms": torch_t * 1e3,
                            "ratio": ours_t / torch_t,
                        }
                    )
    torch.set_num_threads(default_threads)
    return rows


def bench_render() -> dict | None:
    """Render the whole catalog once; report time, frames and GIF bytes."""
    try:
        from conv_explained import catalog
    except ImportError:
        return None
    if not hasattr(catalog, "render_catalog"):
        return None
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        manifest = catalog.render_catalog(Path(tmp))
        elapsed = time.perf_counter() - start
    entries = manifest["cases"] if isinstance(manifest, dict) else manifest
    frames = sum(e["frames"] for e in entries)
    wanted = set(ORIGINAL_NAMES) | {n + "_transposed" for n in ORIGINAL_NAMES} | {"dilation"}
    originals = [e for e in entries if e["name"] in wanted]
    return {
        "cases": len(entries),
        "seconds": elapsed,
        "frames": frames,
        "ms_per_frame": 1e3 * elapsed / max(frames, 1),
        "conv_arithmetic_cases": len(originals),
        "conv_arithmetic_bytes": sum(e["bytes"]["gif"] for e in originals),
        "min_width": min((e["size"][0] for e in originals), default=0),
    }


def main() -> None:
    """Print the benchmark tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed repetitions (best kept)")
    parser.add_argument("--skip-render", action="store_true", help="only time the operators")
    args = parser.parse_args()

    print(
        f"torch {torch.__version__}, numpy {np.__version__}, default threads "
        f"{torch.get_num_threads()}"
    )
    print("\nOperators on x (8, 16, 64, 64) float32, weight (32, 16, 3, 3), padding 1")
    print(f"{'op':<15}{'stride':>7}{'threads':>8}{'ours ms':>10}{'torch ms':>10}{'ratio':>8}")
    for row in bench_ops(args.repeat):
        print(
            f"{row['op']:<15}{row['stride']:>7}{row['threads']:>8}"
            f"{row['ours_ms']:>10.2f}{row['torch_ms']:>10.2f}{row['ratio']:>8.2f}"
        )
    print("target: correlate ratio <= 3")
    if args.skip_render:
        return
    result = bench_render()
    if result is None:
        print("\nrenderer: catalog not available")
        return
    print(
        f"\nCatalog: {result['cases']} cases, {result['frames']} frames in "
        f"{result['seconds']:.2f} s ({result['ms_per_frame']:.1f} ms per frame); target < 10 s"
    )
    share = result["conv_arithmetic_bytes"] / ORIGINAL_GIF_BYTES
    print(
        f"conv_arithmetic equivalents: {result['conv_arithmetic_cases']} GIFs, "
        f"{result['conv_arithmetic_bytes']:,} bytes vs {ORIGINAL_GIF_BYTES:,} "
        f"({share:.3f} of the originals; target <= 0.25), narrowest {result['min_width']} px"
    )
    from bench_tensor_view import bench_tensor_view, report  # this folder (run as a script)

    report(bench_tensor_view())


if __name__ == "__main__":
    main()
