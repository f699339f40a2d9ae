#!/usr/bin/env bash
# System packages the tests use: LibreOffice (DOCX → PDF for the parity tests), poppler (pdftoppm,
# pdffonts, pdftotext) and qpdf (the PDFs' structure checked).
# Installs them with apt-get when missing and permitted; otherwise says what the tests will skip.
set -u
missing=()
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-writer-nogui)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
command -v qpdf >/dev/null 2>&1 || missing+=(qpdf)
[ ${#missing[@]} -eq 0 ] && exit 0
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "note: ${missing[*]} not installed; the tests that need them will be skipped" >&2
fi
