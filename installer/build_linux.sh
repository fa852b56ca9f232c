#!/usr/bin/env bash
# Builds the one-folder Linux bundle (dist/SENDesk/) and a .tar.gz with a desktop entry.
#   installer/build_linux.sh          prints where the archive is, its size and the build time
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
./dev setup >/dev/null
.venv/bin/pip install -q --disable-pip-version-check -e ".[package]" -c constraints.txt
version=$(.venv/bin/python -c "import sendesk; print(sendesk.__version__)")
rm -rf build/pyinstaller dist/SENDesk
.venv/bin/pyinstaller --noconfirm --log-level WARN \
  --workpath build/pyinstaller --distpath dist installer/sendesk.spec
cp installer/sendesk.desktop resources/icons/sendesk.png dist/SENDesk/
archive="dist/SENDesk-${version}-linux-$(uname -m).tar.gz"
tar -C dist -czf "$archive" SENDesk
end=$(date +%s)
echo "bundle:  dist/SENDesk ($(du -sh dist/SENDesk | cut -f1))"
echo "archive: $archive ($(du -h "$archive" | cut -f1))"
echo "built in $((end - start)) s"
