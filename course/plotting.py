"""Matplotlib with Japanese text: every chart in the course goes through here, so labels never show as empty boxes."""

import matplotlib


def use_japanese_font():
    """Register the font bundled with matplotlib-fontja (IPAexGothic) and make it the default."""
    import matplotlib_fontja  # noqa: F401  (importing it registers the font and sets rcParams)

    matplotlib_fontja.japanize()
    matplotlib.rcParams["axes.unicode_minus"] = False
    return matplotlib.rcParams["font.family"]


def figure(*args, **kwargs):
    """plt.subplots(...) with the Japanese font set up."""
    import matplotlib.pyplot as plt

    use_japanese_font()
    kwargs.setdefault("layout", "constrained")
    return plt.subplots(*args, **kwargs)
