#!/bin/sh
# paideia installer: downloads a release binary for this platform, verifies its SHA-256
# against the release's SHA256SUMS, and installs it.
#
#   curl -fsSL https://github.com/paideia-rs/paideia/raw/main/install.sh | sh
#   sh install.sh --version 0.2.0 --dir /usr/local/bin
#
# PAIDEIA_RELEASES_URL points it at a mirror that serves the GitHub Releases API shape
# (`…/releases/latest`, `…/releases/tags/vX.Y.Z`). Asset names: paideia-linux-x86_64,
# paideia-linux-aarch64, paideia-macos-aarch64 (docs/releasing.md).
set -eu

releases_url=${PAIDEIA_RELEASES_URL:-https://api.github.com/repos/paideia-rs/paideia/releases}
version=""
dir="${HOME:-/root}/.local/bin"

say() { printf '%s\n' "$*" >&2; }
fail() { say "error: $1"; [ -n "${2:-}" ] && say "hint: $2"; exit 1; }

usage() {
  cat <<USAGE
Usage: install.sh [--version X.Y.Z] [--dir DIR]
  --version  install this release instead of the latest
  --dir      install into DIR (default ~/.local/bin)
USAGE
}

while [ $# -gt 0 ]; do
  case "$1" in
    --version) [ $# -ge 2 ] || fail "--version needs a value"; version=${2#v}; shift 2 ;;
    --dir) [ $# -ge 2 ] || fail "--dir needs a value"; dir=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; fail "unknown argument: $1" ;;
  esac
done

platform() {
  os=$(uname -s)
  arch=$(uname -m)
  case "$os" in
    Linux) os=linux ;;
    Darwin) os=macos ;;
    *) fail "no paideia release for $os" "paideia ships for Linux (x86_64, aarch64) and macOS (arm64)" ;;
  esac
  case "$arch" in
    x86_64|amd64) arch=x86_64 ;;
    aarch64|arm64) arch=aarch64 ;;
    *) fail "no paideia release for $arch" "paideia ships for x86_64 and aarch64" ;;
  esac
  [ "$os-$arch" = macos-x86_64 ] && fail "no paideia release for Intel Macs" "build from source with cargo"
  echo "paideia-$os-$arch"
}

fetch() { # URL FILE
  if command -v curl >/dev/null 2>&1; then
    curl -fsSL --retry 2 -o "$2" "$1"
  elif command -v wget >/dev/null 2>&1; then
    wget -q -O "$2" "$1"
  else
    fail "neither curl nor wget is installed" "install curl"
  fi
}

sha256_of() { # FILE
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d ' ' -f 1
  elif command -v shasum >/dev/null 2>&1; then
    shasum -a 256 "$1" | cut -d ' ' -f 1
  elif command -v openssl >/dev/null 2>&1; then
    openssl dgst -sha256 "$1" | sed 's/^.*= *//'
  else
    fail "no tool to verify the download's SHA-256 (sha256sum, shasum or openssl)" "install coreutils; the installer never skips the check"
  fi
}

# The browser_download_url of the asset named $2 in the release JSON file $1.
asset_url() {
  grep -o '"browser_download_url"[[:space:]]*:[[:space:]]*"[^"]*"' "$1" \
    | sed 's/.*"\([^"]*\)"$/\1/' \
    | grep "/$2\$" | head -n 1
}

asset=$(platform)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

if [ -n "$version" ]; then
  release_url="$releases_url/tags/v$version"
else
  release_url="$releases_url/latest"
fi
fetch "$release_url" "$tmp/release.json" || fail "cannot read the release at $release_url" "check the version and your connection, or set PAIDEIA_RELEASES_URL to a mirror"
tag=$(grep -o '"tag_name"[[:space:]]*:[[:space:]]*"[^"]*"' "$tmp/release.json" | sed 's/.*"\([^"]*\)"$/\1/' | head -n 1)

binary_url=$(asset_url "$tmp/release.json" "$asset")
[ -n "$binary_url" ] || fail "release $tag has no $asset" "see docs/releasing.md for the platforms paideia ships"
sums_url=$(asset_url "$tmp/release.json" SHA256SUMS)
[ -n "$sums_url" ] || fail "release $tag has no SHA256SUMS, so the download cannot be verified" "use another release"

say "downloading paideia $tag for ${asset#paideia-} ..."
fetch "$binary_url" "$tmp/$asset" || fail "cannot download $binary_url"
fetch "$sums_url" "$tmp/SHA256SUMS" || fail "cannot download $sums_url"

expected=$(grep "[[:space:]]\*\{0,1\}$asset\$" "$tmp/SHA256SUMS" | cut -d ' ' -f 1 | head -n 1)
[ -n "$expected" ] || fail "SHA256SUMS of $tag does not list $asset"
actual=$(sha256_of "$tmp/$asset")
[ "$actual" = "$expected" ] || fail "the download's SHA-256 does not match SHA256SUMS; nothing was installed" "try again; if it persists, report it"

mkdir -p "$dir" || fail "cannot create $dir" "choose another directory with --dir"
chmod 0755 "$tmp/$asset"
cp "$tmp/$asset" "$dir/.paideia.partial.$$" || fail "cannot write to $dir" "choose another directory with --dir"
mv -f "$dir/.paideia.partial.$$" "$dir/paideia"

say "installed paideia $tag to $dir/paideia"
case ":$PATH:" in
  *":$dir:"*) ;;
  *) say "note: $dir is not on your PATH; add it, or run $dir/paideia" ;;
esac
say "start it with: paideia serve   (then open http://127.0.0.1:3000)"
