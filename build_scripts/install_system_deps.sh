#!/bin/sh
# Installs the Debian packages Qt needs on a bare Debian/Ubuntu machine
# (see docs/PLATFORM.md), and Debian's chromium, the browser the web
# console's tests drive with Playwright (tests/console). Does nothing where they are already there, or where
# this is not a Debian-like system (Windows and macOS developers need none).
set -eu
PACKAGES="libegl1 libgl1 libglx0 libglvnd0 libxkbcommon0 libfontconfig1 libfreetype6 \
libdbus-1-3 libglib2.0-0 fonts-dejavu-core xvfb xauth libxcb-icccm4 libxcb-keysyms1 \
libxcb-cursor0 libxkbcommon-x11-0 libxcb-shape0 libxcb-randr0 libxcb-render-util0 \
libxcb-image0 poppler-utils chromium"

command -v dpkg-query >/dev/null 2>&1 || exit 0
missing=""
for p in $PACKAGES; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "Installing Debian packages Qt and the console tests need:$missing"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
