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
    assert len(shown) == 2
    expected = [np.array(eval(s)) for s in shown]
    np.testing.assert_array_equal(ce.correlate(image[None], kernel[None, None]), expected[0])
    np.testing.assert_array_equal(ce.convolve(image[None], kernel[None, None]), expected[1])


def test_readme_gives_the_two_setup_commands():
    text = README.read_text(encoding="utf-8")
    assert "python -m pip install nox && nox -s docs" in text
    assert "python -m pip install nox && nox -s tests" in text
