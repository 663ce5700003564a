"""Word (.docx) documents that show Japanese properly: every style gets an East Asian font and language."""

EAST_ASIAN_FONT = "Yu Gothic"  # 游ゴシック; Word or LibreOffice substitute another Japanese font where it is missing


def use_japanese_fonts(document, font=EAST_ASIAN_FONT):
    """Give every style (and the document defaults) an East Asian font and Japanese as East Asian language."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def set_fonts(rpr):
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            rpr.insert(0, fonts)
        fonts.attrib.pop(qn("w:eastAsiaTheme"), None)  # a theme font would win over the named one
        fonts.set(qn("w:eastAsia"), font)

    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_fonts(defaults)
    lang = defaults.find(qn("w:lang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), "ja-JP")
    for style in document.styles:
        if style.type in (1, 2):  # paragraph and character styles
            set_fonts(style.element.get_or_add_rPr())
    for rpr in styles.iter(qn("w:rPr")):  # the rest, e.g. table styles and their parts
        if rpr.find(qn("w:rFonts")) is not None:
            set_fonts(rpr)
    return document
