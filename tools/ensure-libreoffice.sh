#!/bin/sh
# Installs what the tests need from Debian when it is missing: LibreOffice Calc (headless
# recalculation and PDF export), its Python-UNO bridge (the run's one soffice is driven
# through it, tests/libreoffice.py; without it every recalculation starts a soffice of its
# own, several times slower) and poppler-utils (pdftoppm, PDF → PNG).
set -e
need=""
command -v soffice >/dev/null 2>&1 || need="$need libreoffice-calc-nogui"
/usr/bin/python3 -c "import uno" >/dev/null 2>&1 || need="$need python3-uno"
command -v pdftoppm >/dev/null 2>&1 || need="$need poppler-utils"
[ -z "$need" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
        echo "Cần cài:$need (chạy với quyền root: apt-get install -y$need)" >&2; exit 1
    fi
fi
echo "Installing$need ..."
${SUDO:-} apt-get update -qq
DEBIAN_FRONTEND=noninteractive ${SUDO:-} apt-get install -y -qq $need fonts-dejavu-core >/dev/null
