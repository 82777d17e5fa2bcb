"""Tests for probes/: the shared cases, the comparison, and the missing-results message.

The real frameworks run in their own venvs (``nox -s frameworks``); here the
torch and numpy probes run in-process (both are in the test environment) to
make genuine results, which are then tampered with.
"""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import conv_explained as ce
from probes import compare, probe
from probes.cases import CASES, by_id, cases_sha256, decode, encode


@pytest.fixture(scope="module")
def torch_result() -> dict:
    return probe.run("torch")


@pytest.fixture(scope="module")
def numpy_result() -> dict:
    return probe.run("numpy")


def _entry(result: dict, case: str, function: str) -> dict:
    [entry] = [e for e in result["entries"] if e["case"] == case and e["function"] == function]
    return copy.deepcopy(entry)


def _one(result: dict, entry: dict) -> dict:
    return {**result, "entries": [entry]}


# --- the cases -------------------------------------------------------------------------


def test_case_ids_are_unique():
    ids = [c["id"] for c in CASES]
    assert len(ids) == len(set(ids))


def test_only_the_named_cases_have_symmetric_kernels():
    # A symmetric kernel cannot tell correlation from convolution.
    symmetric = {
        c["id"]
        for c in CASES
        if "weight" in c
        and np.array_equal(
            c["weight"], np.flip(c["weight"], axis=tuple(range(2, c["weight"].ndim)))
        )
    }
    # The 'same' grid checks where padding goes, not the flip: its single taps (and a
    # 2-tap kernel the seed made symmetric) are fine there; every function is decided
    # by the other cases.
    symmetric = {case for case in symmetric if not by_id(case).get("same_grid")}
    assert symmetric == {"torch_seed_symmetric", "tconv_stamp"}


def test_cases_hash_is_stable():
    assert cases_sha256() == cases_sha256()
    assert len(cases_sha256()) == 64


@pytest.mark.parametrize(
    "array", [np.arange(6.0).reshape(2, 3), np.array([1 + 2j, -0.5j]), np.array(0.1)]
)
def test_encode_decode_round_trip(array):
    back = decode(json.loads(json.dumps(encode(array))))
    np.testing.assert_array_equal(back, array)
    assert back.shape == array.shape


def test_by_id_names_the_known_ids():
    with pytest.raises(KeyError, match="mxnet_seed"):
        by_id("nope")


# --- genuine results pass ----------------------------------------------------------------


def test_torch_result_passes_and_correlates(torch_result):
    checks = compare.check_result(torch_result)
    rows = compare.summarize({"torch": torch_result}, checks)
    computes = {r.function: r.computes for r in rows}
    assert computes["torch.nn.functional.conv2d"] == "correlation"
    assert computes["torch.nn.functional.conv_transpose2d"] == "correlation (transposed)"
    assert all(r.max_abs_diff < 1e-12 for r in rows)


def test_numpy_result_passes_and_convolve_flips(numpy_result):
    checks = compare.check_result(numpy_result)
    rows = compare.summarize({"numpy": numpy_result}, checks)
    computes = {r.function: r.computes for r in rows}
    assert computes["np.convolve"] == "convolution"
    assert computes["np.correlate"].startswith("correlation")


def test_mxnet_seed_numbers_read_as_correlation():
    # A synthetic MXNet record of the post's printed output.
    entry = {
        "case": "mxnet_seed",
        "function": "mx.nd.Convolution",
        "call": "mx.nd.Convolution(x, w, kernel=(3, 3), num_filter=1, no_bias=True)",
        "layout": "NCHW",
        "options": {"kernel": [3, 3], "num_filter": 1, "no_bias": True},
        "output": encode(np.array([[[[60, 56, 52], [39, 61, 66], [54, 78, 82]]]], float)),
    }
    check = compare.check_entry("mxnet", entry)
    assert check.computes == "correlation"


def test_symmetric_kernel_matches_both_readings(torch_result):
    entry = _entry(torch_result, "torch_seed_symmetric", "torch.nn.functional.conv2d")
    assert compare.check_entry("torch", entry).matches == ["correlation", "convolution"]


def test_channels_last_output_is_moved_back():
    case = by_id("multichannel_bias")
    y = ce.correlate(case["x"], case["weight"], case["bias"], padding=1)
    entry = {
        "case": "multichannel_bias",
        "function": "tf.nn.conv2d",
        "call": "tf.nn.bias_add(tf.nn.conv2d(x, w, ...), b)",
        "layout": "NHWC",
        "options": {"strides": [1, 1], "padding": [[0, 0], [1, 1], [1, 1], [0, 0]]},
        "output": encode(np.moveaxis(y, 1, -1).astype(np.float32)),
    }
    assert compare.check_entry("tensorflow", entry).computes == "correlation"


# --- tampered results fail ---------------------------------------------------------------


def test_flipped_kernel_output_fails_the_claim(torch_result):
    entry = _entry(torch_result, "mxnet_seed", "torch.nn.functional.conv2d")
    case = by_id("mxnet_seed")
    entry["output"] = encode(ce.convolve(case["x"], case["weight"]))
    with pytest.raises(
        compare.ProbeMismatch, match=r"claimed to compute correlation.*match convolution"
    ):
        compare.check_result(_one(torch_result, entry))


def test_one_wrong_number_fails(torch_result):
    entry = _entry(torch_result, "stride2_pad1", "torch.nn.functional.conv2d")
    entry["output"]["data"][4] += 1.0
    with pytest.raises(compare.ProbeMismatch, match=r"match none of correlation, convolution"):
        compare.check_result(_one(torch_result, entry))


def test_tiny_float64_error_fails(torch_result):
    entry = _entry(torch_result, "avg_exclude_pad", "torch.nn.functional.avg_pool2d")
    entry["output"]["data"][0] += 1e-6
    with pytest.raises(compare.ProbeMismatch, match="average, padding not counted"):
        compare.check_entry("torch", entry)


def test_wrong_divisor_rule_fails(torch_result):
    entry = _entry(torch_result, "avg_exclude_pad", "torch.nn.functional.avg_pool2d")
    entry["options"]["count_include_pad"] = True  # the claim no longer fits the numbers
    with pytest.raises(compare.ProbeMismatch, match="match average, padding not counted"):
        compare.check_entry("torch", entry)


def test_wrong_layout_fails(torch_result):
    entry = _entry(torch_result, "rect_kernel_stride", "torch.nn.functional.conv2d")
    entry["layout"] = "NHWC"
    with pytest.raises(compare.ProbeMismatch):
        compare.check_entry("torch", entry)


def test_unconjugated_complex_correlation_fails(numpy_result):
    entry = next(
        e
        for e in numpy_result["entries"]
        if e["case"] == "signal_complex"
        and e["function"] == "np.correlate"
        and e["options"]["arguments"] == ["x", "w"]
    )
    entry = copy.deepcopy(entry)
    case = by_id("signal_complex")
    entry["output"] = encode(ce.correlate(case["x"], case["weight"], padding="full")[0, 0])
    with pytest.raises(compare.ProbeMismatch, match=r"claimed to compute correlation, conjugated"):
        compare.check_entry("numpy", entry)


def test_function_of_another_framework_fails(torch_result):
    entry = _entry(torch_result, "mxnet_seed", "torch.nn.functional.conv2d")
    with pytest.raises(compare.ProbeMismatch, match="belongs to torch"):
        compare.check_entry("mxnet", entry)


def test_unknown_function_fails(torch_result):
    entry = _entry(torch_result, "mxnet_seed", "torch.nn.functional.conv2d")
    entry["function"] = "torch.conv2d"
    with pytest.raises(compare.ProbeMismatch, match="no claim is known"):
        compare.check_entry("torch", entry)


def test_only_symmetric_cases_leave_the_function_undecided(torch_result):
    entry = _entry(torch_result, "torch_seed_symmetric", "torch.nn.functional.conv2d")
    checks = compare.check_result(_one(torch_result, entry))
    with pytest.raises(compare.ProbeMismatch, match="no case tells its readings apart"):
        compare.summarize({"torch": torch_result}, checks)


def test_every_failure_is_listed(torch_result):
    bad = []
    for case in ("mxnet_seed", "dilation2"):
        entry = _entry(torch_result, case, "torch.nn.functional.conv2d")
        entry["output"]["data"][0] += 2.0
        bad.append(entry)
    with pytest.raises(compare.ProbeMismatch, match="2 of 2 recorded torch calls") as info:
        compare.check_result({**torch_result, "entries": bad})
    assert "'mxnet_seed'" in str(info.value)
    assert "'dilation2'" in str(info.value)


# --- missing and stale results -------------------------------------------------------------


def test_missing_results_give_the_exact_message(tmp_path):
    with pytest.raises(compare.MissingResults) as info:
        compare.load_results(tmp_path, ["mxnet", "jax"])
    assert str(info.value) == (
        f"Framework probe results missing or stale: {tmp_path / 'mxnet.json'} (missing); "
        f"{tmp_path / 'jax.json'} (missing). Produce them with `nox -s frameworks` (all) or "
        "`nox -s 'frameworks(mxnet)' 'frameworks(jax)'` (just these), or "
        "`python probes/ensure_results.py`."
    )


def test_results_from_changed_cases_are_stale(tmp_path, numpy_result):
    stale = {**numpy_result, "cases_sha256": "0" * 64}
    (tmp_path / "numpy.json").write_text(json.dumps(stale))
    assert probe.missing_or_stale(tmp_path, ["numpy"]) == {"numpy": "stale: the cases changed"}
    with pytest.raises(compare.MissingResults, match=r"numpy.json \(stale: the cases changed\)"):
        compare.load_results(tmp_path, ["numpy"])


def test_results_from_changed_probe_code_are_stale(tmp_path, numpy_result):
    stale = {**numpy_result, "probe_sha256": "0" * 64}
    (tmp_path / "numpy.json").write_text(json.dumps(stale))
    assert probe.missing_or_stale(tmp_path, ["numpy"]) == {
        "numpy": "stale: the probe code changed"
    }


def test_fresh_results_load(tmp_path, numpy_result):
    (tmp_path / "numpy.json").write_text(json.dumps(numpy_result))
    assert probe.missing_or_stale(tmp_path, ["numpy"]) == {}
    loaded = compare.load_results(tmp_path, ["numpy"])
    assert compare.check_result(loaded["numpy"])


# --- padding rules -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("size", "kernel", "stride", "pads"),
    [
        (5, 3, 1, [(1, 1)]),
        (5, 2, 1, [(0, 1)]),
        (6, 3, 2, [(0, 1)]),
        (5, 3, 2, [(1, 1)]),
        (7, 1, 3, [(0, 0)]),
    ],
)
def test_tf_same_pads(size, kernel, stride, pads):
    assert compare.tf_same_pads([size], [kernel], [stride], [1]) == pads


def test_mxnet_full_convention_keeps_a_last_window_that_starts_in_the_padding():
    import torch
    import torch.nn.functional as F

    case = by_id("avg_ceil_last_in_padding")
    options = {
        "kernel": [2, 2],
        "stride": [2, 2],
        "pad": [1, 1],
        "pool_type": "avg",
        "pooling_convention": "full",
        "count_include_pad": True,
    }
    sem = compare.SPECS["mx.nd.Pooling"].translate(options, case, {})
    full = compare.readings(sem)[compare.AVG_COUNTED]
    ceil = F.avg_pool2d(
        torch.from_numpy(case["x"]), 2, stride=2, padding=1, ceil_mode=True
    ).numpy()
    assert full.shape[-2:] == (4, 4)
    assert ceil.shape[-2:] == (3, 3)
    np.testing.assert_allclose(full[..., :3, :3], ceil, rtol=0, atol=1e-12)
    assert not full[..., 3, :].any()  # windows of padding only
    assert not full[..., :, 3].any()
