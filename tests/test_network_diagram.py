"""Tests of render.network_diagram: shapes against a real forward pass, errors, bytes."""

from __future__ import annotations

import pytest

import conv_explained as ce
from conv_explained import render
from conv_explained.render import VerificationError
from conv_explained.render.alt import dims

torch = pytest.importorskip("torch")
nn = torch.nn


@pytest.fixture(autouse=True)
def _drain_written():
    render.take_written()
    yield
    render.take_written()


def lenet():
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(400, 120),
        nn.ReLU(),
        nn.Linear(120, 84),
        nn.ReLU(),
        nn.Linear(84, 10),
    )


def forward_shapes(net, shape):
    """Shape after each layer that changes it, by running the layers one by one."""
    t = torch.zeros((1, *shape))
    out = [tuple(shape)]
    with torch.no_grad():
        for layer in net:
            before = t.shape
            t = layer(t)
            if t.shape != before or isinstance(layer, (nn.Conv2d, nn.MaxPool2d)):
                out.append(tuple(t.shape[1:]))
    return out


def test_lenet_shapes_match_a_forward_pass_layer_by_layer():
    net = lenet()
    diagram = render.network_diagram(net, (1, 28, 28))
    assert diagram.shapes == forward_shapes(net, (1, 28, 28))
    assert diagram.shapes == [
        (1, 28, 28),
        (6, 28, 28),
        (6, 14, 14),
        (16, 10, 10),
        (16, 5, 5),
        (400,),
        (120,),
        (84,),
        (10,),
    ]
    assert diagram.output_shape == (10,)


def test_conv_and_pool_shapes_agree_with_conv_explained_shapes():
    diagram = render.network_diagram(lenet(), (1, 28, 28))
    for layer in diagram.layers:
        if layer.kind == "Conv2d":
            k = 5
            pad = 2 if layer.name == "0" else 0
            want = ce.conv_output_size(layer.input_shape[1:], k, padding=pad)
            assert layer.output_shape[1:] == want
        if layer.kind == "MaxPool2d":
            assert layer.output_shape[1:] == ce.pool_output_size(layer.input_shape[1:], 2)


def test_alt_text_states_every_shape_and_the_arrows_name_the_layers():
    diagram = render.network_diagram(lenet(), (1, 28, 28))
    for s in diagram.shapes:
        assert dims(s) in diagram.alt_text
    assert "conv 5×5, s=1 p=2, + ReLU gives 6×28×28" in diagram.alt_text
    assert "max-pool 2×2, s=2 p=0 gives 6×14×14" in diagram.alt_text


def test_any_module_is_traced_through_forward_hooks():
    class Residual(nn.Module):
        def __init__(self):
            super().__init__()
            self.stem = nn.Conv2d(3, 8, 3, stride=2, padding=1)
            self.body = nn.Conv2d(8, 8, 3, padding=1, groups=4)
            self.pool = nn.AdaptiveAvgPool2d(1)

        def forward(self, x):
            y = torch.relu(self.stem(x))
            return self.pool(y + self.body(y))

    diagram = render.network_diagram(Residual(), (1, 3, 9, 9))
    assert diagram.shapes == [(3, 9, 9), (8, 5, 5), (8, 5, 5), (8, 1, 1)]
    assert "g=4" in diagram.alt_text


def test_png_bytes_are_reproducible_and_the_save_is_recorded(tmp_path):
    a = render.network_diagram(lenet(), (1, 28, 28)).save(tmp_path / "a.png")
    b = render.network_diagram(lenet(), (1, 28, 28)).save(tmp_path / "b.png")
    assert a.read_bytes() == b.read_bytes()
    assert a.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    written = render.take_written()
    assert [w["kind"] for w in written] == ["still", "still"]
    assert "6×14×14" in written[0]["alt"]


def test_training_mode_is_restored():
    net = lenet().train()
    render.network_diagram(net, (1, 28, 28))
    assert net.training


def test_a_non_module_is_a_type_error_naming_model():
    with pytest.raises(TypeError, match=r"model must be a torch\.nn\.Module, got list"):
        render.network_diagram([nn.Conv2d(1, 1, 3)], (1, 5, 5))


@pytest.mark.parametrize("shape", [(28, 28), (1, 0, 5), (2, 1, 5, 5), "1x28x28", (1.0, 5, 5)])
def test_bad_input_shapes_are_value_errors_quoting_them(shape):
    with pytest.raises(ValueError, match="input_shape must be") as err:
        render.network_diagram(lenet(), shape)
    assert repr(shape) in str(err.value)


def test_a_failing_forward_is_one_clear_value_error():
    with pytest.raises(
        ValueError, match=r"forward pass failed for input_shape \(3, 28, 28\)"
    ) as e:
        render.network_diagram(lenet(), (3, 28, 28))
    assert "\n" not in str(e.value)
    assert "RuntimeError" in str(e.value)


def test_a_model_without_spatial_layers_is_refused():
    mlp = nn.Sequential(nn.Flatten(), nn.Linear(16, 4), nn.ReLU())
    with pytest.raises(ValueError, match="model has no spatial layers") as e:
        render.network_diagram(mlp, (1, 4, 4))
    assert "Linear" in str(e.value)


def test_a_shape_disagreeing_with_conv_explained_shapes_is_caught(monkeypatch):
    from conv_explained.render import network

    monkeypatch.setattr(network, "_expected", lambda kind, m, hw: (99, 99))
    with pytest.raises(
        VerificationError, match=r"conv_explained\.shapes gives spatial size 99×99"
    ):
        render.network_diagram(lenet(), (1, 28, 28))
