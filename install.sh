#!/bin/sh
# paideia installer: downloads a release binary for this platform, verifies the minisign
# signature of the release's SHA256SUMS against the keys paideia trusts, then the binary's
# SHA-256 against SHA256SUMS, and installs it. It refuses whatever it cannot verify.
#
#   curl -fsSL https://github.com/paideia-rs/paideia/raw/main/install.sh | sh
#   sh install.sh --version 0.2.0 --dir /usr/local/bin
#
# PAIDEIA_RELEASES_URL points it at a mirror that serves the GitHub Releases API shape
# (`…/releases/latest`, `…/releases/tags/vX.Y.Z`). Asset names: paideia-linux-x86_64,
# paideia-linux-aarch64, paideia-macos-aarch64 (docs/releasing.md).
set -eu

releases_url=${PAIDEIA_RELEASES_URL:-https://api.github.com/repos/paideia-rs/paideia/releases}
# The minisign public keys whose signatures are accepted: the same as src/upgrade/keys.rs
# (the key that signs releases now, and the next one, for rotation; a test keeps them equal).
# Nothing at run time adds a key.
trusted_keys="RWTiQd+CK7fFgLS0fXrWCd64+etAHA/l8OGnuIGtjduFAwzKITlX7oHE RWQGj/+r1UVt5+JAxs6rN2bq03N9oDZi7iTcddeP2OmWvPQarLunGYi6"
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

# Signatures. minisign's format: line 2 of the .minisig file is base64 of the algorithm
# ("ED": Ed25519 over the BLAKE2b-512 of the file; legacy "Ed": over the file itself), the
# 8-byte key id and the 64-byte signature; line 3 the trusted comment; line 4 the signature
# of (signature || trusted comment). A public key is base64 of "Ed", the key id and 32 bytes.
# With minisign installed it checks; otherwise openssl (1.1.1 or newer) does the same steps.

b64decode() { # IN OUT
  if command -v openssl >/dev/null 2>&1; then
    openssl base64 -d -A -in "$1" -out "$2" 2>/dev/null
  else
    base64 -d < "$1" > "$2" 2>/dev/null
  fi
}

hex_of() { od -An -tx1 -v "$1" | tr -d ' \n'; }

bytes_of() { # IN SKIP COUNT OUT
  dd if="$1" of="$4" bs=1 skip="$2" count="$3" 2>/dev/null
}

openssl_can_verify() {
  command -v openssl >/dev/null 2>&1 || return 1
  openssl pkeyutl -help 2>&1 | grep -q -- '-rawin' || return 1
  printf '' | openssl dgst -blake2b512 -binary >/dev/null 2>&1
}

ed25519_verify() { # RAW_PUBLIC_KEY MESSAGE SIGNATURE
  # DER SubjectPublicKeyInfo of an Ed25519 key: a fixed 12-byte prefix, then the 32 bytes.
  printf '\060\052\060\005\006\003\053\145\160\003\041\000' > "$tmp/key.der"
  cat "$1" >> "$tmp/key.der"
  openssl pkeyutl -verify -pubin -keyform DER -inkey "$tmp/key.der" -rawin \
    -in "$2" -sigfile "$3" >/dev/null 2>&1
}

verify_with_openssl() { # FILE SIGNATURE_FILE
  sed -n 2p "$2" | tr -d '\r' > "$tmp/sig.b64"
  b64decode "$tmp/sig.b64" "$tmp/sig.raw" || return 1
  [ "$(wc -c < "$tmp/sig.raw" | tr -d ' ')" = 74 ] || return 1
  bytes_of "$tmp/sig.raw" 0 2 "$tmp/sig.alg"
  bytes_of "$tmp/sig.raw" 2 8 "$tmp/sig.id"
  bytes_of "$tmp/sig.raw" 10 64 "$tmp/sig.bin"
  case "$(hex_of "$tmp/sig.alg")" in
    4544) openssl dgst -blake2b512 -binary "$1" > "$tmp/signed" ;;
    4564) cp "$1" "$tmp/signed" ;;
    *) return 1 ;;
  esac
  comment=$(sed -n 3p "$2" | tr -d '\r')
  case "$comment" in "trusted comment: "*) ;; *) return 1 ;; esac
  sed -n 4p "$2" | tr -d '\r' > "$tmp/global.b64"
  b64decode "$tmp/global.b64" "$tmp/global.bin" || return 1
  for key in $trusted_keys; do
    printf '%s' "$key" > "$tmp/key.b64"
    b64decode "$tmp/key.b64" "$tmp/key.raw" || continue
    bytes_of "$tmp/key.raw" 2 8 "$tmp/key.id"
    [ "$(hex_of "$tmp/key.id")" = "$(hex_of "$tmp/sig.id")" ] || continue
    bytes_of "$tmp/key.raw" 10 32 "$tmp/key.pk"
    ed25519_verify "$tmp/key.pk" "$tmp/signed" "$tmp/sig.bin" || return 1
    cat "$tmp/sig.bin" > "$tmp/global.msg"
    printf '%s' "${comment#trusted comment: }" >> "$tmp/global.msg"
    ed25519_verify "$tmp/key.pk" "$tmp/global.msg" "$tmp/global.bin"
    return
  done
  return 1
}

verify_with_minisign() { # FILE SIGNATURE_FILE
  for key in $trusted_keys; do
    minisign -V -q -m "$1" -x "$2" -P "$key" >/dev/null 2>&1 && return 0
  done
  return 1
}

# Refuses (exits) unless SIGNATURE_FILE is a valid signature of FILE by a trusted key.
verify_signature() { # FILE SIGNATURE_FILE
  if command -v minisign >/dev/null 2>&1; then
    verify_with_minisign "$1" "$2" && return 0
  elif openssl_can_verify; then
    verify_with_openssl "$1" "$2" && return 0
  else
    fail "no tool to verify the release signature (minisign, or openssl 1.1.1 or newer); nothing was installed" "install minisign (https://jedisct1.github.io/minisign/) or openssl; the installer never skips the check"
  fi
  fail "SHA256SUMS of $tag is not signed by a key this installer trusts; nothing was installed" "the release or the download was changed on the way, or this installer predates the release's signing key: download install.sh again from the project's page"
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
sig_url=$(asset_url "$tmp/release.json" SHA256SUMS.minisig)
[ -n "$sig_url" ] || fail "release $tag has no SHA256SUMS.minisig, so the download cannot be verified" "use another release"

say "downloading paideia $tag for ${asset#paideia-} ..."
fetch "$binary_url" "$tmp/$asset" || fail "cannot download $binary_url"
fetch "$sums_url" "$tmp/SHA256SUMS" || fail "cannot download $sums_url"
fetch "$sig_url" "$tmp/SHA256SUMS.minisig" || fail "cannot download $sig_url"
verify_signature "$tmp/SHA256SUMS" "$tmp/SHA256SUMS.minisig"

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
