"""The DOCX package's fixed parts: content types, relationships, properties, styles, settings, fonts."""
from __future__ import annotations

from formgen.writers.docx.markup import DECLARATION, XMLNS, attr, text

REL_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
REL_CORE = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
REL_STYLES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"
REL_SETTINGS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings"
REL_FONT_TABLE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable"
REL_IMAGE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
REL_FONT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/font"
REL_THEME = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme"


def content_types(media_extensions: set[str], has_fonts: bool) -> str:
    defaults = {
        "rels": "application/vnd.openxmlformats-package.relationships+xml",
        "xml": "application/xml",
        "jpeg": "image/jpeg",
        "png": "image/png",
        "emf": "image/x-emf",
    }
    if has_fonts:
        defaults["odttf"] = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
    overrides = {
        "/word/document.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        "/word/styles.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml",
        "/word/settings.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml",
        "/word/fontTable.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml",
        "/word/theme/theme1.xml": "application/vnd.openxmlformats-officedocument.theme+xml",
        "/docProps/core.xml": "application/vnd.openxmlformats-package.core-properties+xml",
    }
    parts = [f'<Default Extension="{ext}" ContentType="{ctype}"/>' for ext, ctype in defaults.items()]
    parts += [f'<Override PartName="{name}" ContentType="{ctype}"/>' for name, ctype in overrides.items()]
    return (DECLARATION + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            + "".join(parts) + "</Types>")


def relationships(entries: list[tuple[str, str, str]]) -> str:
    """(id, type, target) entries as a .rels part."""
    rels = "".join(f'<Relationship Id="{rid}" Type="{rtype}" Target="{target}"/>' for rid, rtype, target in entries)
    return (DECLARATION + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + rels + "</Relationships>")


def core_properties(title: str, author: str, subject: str) -> str:
    return (DECLARATION
            + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:title>{text(title)}</dc:title><dc:subject>{text(subject)}</dc:subject>"
            f"<dc:creator>{text(author)}</dc:creator><cp:lastModifiedBy>formgen</cp:lastModifiedBy>"
            "</cp:coreProperties>")


def styles(default_font: str) -> str:
    fonts = f'w:ascii="{default_font}" w:hAnsi="{default_font}" w:eastAsia="{default_font}" w:cs="{default_font}"'
    return (DECLARATION + f"<w:styles {XMLNS}>"
            "<w:docDefaults><w:rPrDefault><w:rPr>"
            f'<w:rFonts {fonts}/><w:sz w:val="24"/><w:szCs w:val="24"/>'
            '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/>'
            "</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>"
            '<w:snapToGrid w:val="0"/>'
            '<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>'
            "</w:pPr></w:pPrDefault></w:docDefaults>"
            '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/>'
            "</w:style>"
            '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
            '<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/>'
            '<w:left w:w="0" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="0" w:type="dxa"/>'
            "</w:tblCellMar></w:tblPr></w:style>"
            "</w:styles>")


def settings(embed_fonts: bool) -> str:
    embed = "<w:embedTrueTypeFonts/><w:saveSubsetFonts/>" if embed_fonts else ""
    return (DECLARATION + f"<w:settings {XMLNS}>"
            f'<w:zoom w:percent="100"/>{embed}<w:defaultTabStop w:val="420"/>'
            '<w:characterSpacingControl w:val="doNotCompress"/>'
            '<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word"'
            ' w:val="15"/></w:compat>'
            "</w:settings>")


def font_table(entries: list[tuple[str, list[tuple[str, str, str]]]], charsets: dict[str, str]) -> str:
    """entries: (family, [(element, relationship id, key)]) with element embedRegular or embedBold;
    charsets: each family's w:charset (fonts.charset_of)."""
    fonts = []
    for family, embeds in entries:
        inner = f'<w:charset w:val="{charsets[family]}"/><w:family w:val="auto"/><w:pitch w:val="variable"/>'
        for element, rid, key in sorted(embeds, key=lambda e: e[0] != "embedRegular"):
            inner += f'<w:{element} r:id="{rid}" w:fontKey="{key}"/>'
        fonts.append(f"<w:font w:name={attr(family)}>{inner}</w:font>")
    return DECLARATION + f"<w:fonts {XMLNS}>" + "".join(fonts) + "</w:fonts>"


def theme(font: str) -> str:
    """The document theme Word expects beside every document (the Office validator requires one):
    Office's colours, and our default face as the theme's fonts, so text without a font of its own
    (what a clerk types into a new paragraph) stays in it."""
    colours = (("dk1", '<a:sysClr val="windowText" lastClr="000000"/>'),
               ("lt1", '<a:sysClr val="window" lastClr="FFFFFF"/>'),
               ("dk2", '<a:srgbClr val="44546A"/>'), ("lt2", '<a:srgbClr val="E7E6E6"/>'),
               ("accent1", '<a:srgbClr val="4472C4"/>'), ("accent2", '<a:srgbClr val="ED7D31"/>'),
               ("accent3", '<a:srgbClr val="A5A5A5"/>'), ("accent4", '<a:srgbClr val="FFC000"/>'),
               ("accent5", '<a:srgbClr val="5B9BD5"/>'), ("accent6", '<a:srgbClr val="70AD47"/>'),
               ("hlink", '<a:srgbClr val="0563C1"/>'), ("folHlink", '<a:srgbClr val="954F72"/>'))
    face = attr(font)
    fonts = f'<a:latin typeface={face}/><a:ea typeface={face}/><a:cs typeface=""/>'
    fill = '<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>'
    line = f'<a:ln w="6350">{fill}</a:ln>'
    return (DECLARATION
            + '<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="formgen">'
            '<a:themeElements><a:clrScheme name="Office">'
            + "".join(f"<a:{name}>{value}</a:{name}>" for name, value in colours)
            + '</a:clrScheme><a:fontScheme name="formgen">'
            f"<a:majorFont>{fonts}</a:majorFont><a:minorFont>{fonts}</a:minorFont></a:fontScheme>"
            '<a:fmtScheme name="Office">'
            f"<a:fillStyleLst>{fill * 3}</a:fillStyleLst><a:lnStyleLst>{line * 3}</a:lnStyleLst>"
            f"<a:effectStyleLst>{'<a:effectStyle><a:effectLst/></a:effectStyle>' * 3}</a:effectStyleLst>"
            f"<a:bgFillStyleLst>{fill * 3}</a:bgFillStyleLst></a:fmtScheme></a:themeElements>"
            "<a:objectDefaults/><a:extraClrSchemeLst/></a:theme>")
