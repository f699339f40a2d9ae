#!/usr/bin/env bash
# System packages the tests use: LibreOffice (DOCX → PDF for the parity tests), poppler (pdftoppm,
# pdffonts, pdftotext), qpdf (the PDFs' structure checked), Debian's Chromium, its driver and its Chinese
# words (the web page's browser tests; 选择文件 as on Chinese Windows), CJK fonts (Chinese in the browser's
# screenshots), HarfBuzz's hb-shape (the reference the Mongolian shaping is compared with) and pandoc (a
# DOCX reader the DOCX must open in).
# Installs them with apt-get when missing and permitted; otherwise says what the tests will skip.
set -u
missing=()
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-writer-nogui)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
command -v qpdf >/dev/null 2>&1 || missing+=(qpdf)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
command -v pandoc >/dev/null 2>&1 || missing+=(pandoc)
if command -v dpkg >/dev/null 2>&1; then
  dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing+=(fonts-noto-cjk)
  dpkg -s chromium-l10n >/dev/null 2>&1 || missing+=(chromium-l10n)
fi
command -v hb-shape >/dev/null 2>&1 || missing+=(libharfbuzz-bin)
[ ${#missing[@]} -eq 0 ] && exit 0
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "note: ${missing[*]} not installed; the tests that need them will be skipped" >&2
fi
