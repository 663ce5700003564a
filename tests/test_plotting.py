"""Charts draw Japanese with the bundled font: no missing-glyph warnings, and the glyphs really render."""

import warnings

import numpy as np

from course.plotting import figure, use_japanese_font

LABELS = ["総務部", "営業部", "製造部", "情報セキュリティ責任者"]


def _draw(fig):
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba())


def test_japanese_labels_without_missing_glyph_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph ... missing from font(s)" is a UserWarning: turn it into a failure
        fig, ax = figure(figsize=(4, 3))
        ax.bar(LABELS, [3, 5, 2, 1])
        ax.set_title("部署別の未受講者数")
        ax.set_xlabel("部署")
        ax.set_ylabel("人数（−1 は不明）")
        _draw(fig)


def test_font_family_is_the_bundled_japanese_font():
    family = use_japanese_font()
    from matplotlib import font_manager

    path = font_manager.findfont(font_manager.FontProperties(family=family))
    assert "ipaex" in path.lower()


def test_japanese_text_is_drawn_as_glyphs_not_boxes():
    """Two different kanji must render differently (tofu boxes would be identical)."""
    images = []
    for text in ("情", "報"):
        fig, ax = figure(figsize=(1, 1), dpi=50)
        ax.axis("off")
        ax.text(0.5, 0.5, text, fontsize=30, ha="center", va="center")
        images.append(_draw(fig))
    assert (images[0] != images[1]).any()
