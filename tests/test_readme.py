"""The README's example runs and prints what the README says it prints."""

import re
from pathlib import Path

import numpy as np

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_python_example_gives_the_numbers_it_shows():
    text = README.read_text(encoding="utf-8")
    block = re.search(r"```python\n(.*?)```", text, re.DOTALL).group(1)
    namespace: dict = {}
    exec(compile(block, str(README), "exec"), namespace)  # noqa: S102 (our own README)
    ce, image, kernel = namespace["ce"], namespace["image"], namespace["kernel"]
    shown = re.findall(r"# array\((.*)\)", block)
    assert len(shown) == 3
    expected = [np.array(eval(s)) for s in shown]
    assert image.shape == (5, 5)
    assert kernel.shape == (3, 3)  # the plain form: no batch or channel axes
    # Plain in, plain out, with torch's layout giving the same numbers.
    for ours, want in zip(
        [ce.correlate(image, kernel), ce.convolve(image, kernel), ce.max_pool(image, (2, 2))],
        expected,
        strict=True,
    ):
        assert ours.shape == want.shape
        np.testing.assert_array_equal(ours, want)
    np.testing.assert_array_equal(
        ce.correlate(image[None, None], kernel[None, None])[0, 0], expected[0]
    )


def test_readme_gives_the_two_setup_commands():
    text = README.read_text(encoding="utf-8")
    assert "python -m pip install nox && nox -s docs" in text
    assert "python -m pip install nox && nox -s tests" in text
