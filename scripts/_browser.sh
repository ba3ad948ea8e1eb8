# Shared by test.sh: the browser tests drive Debian's Chromium (Playwright's own browser
# download does not work here). Install it, with CJK fonts for readable screenshots, when
# missing and we may (root with apt); otherwise the browser tests say why they are skipped.
ensure_chromium() {
  command -v chromium >/dev/null && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing Chromium for the browser tests (apt-get)…"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
      chromium fonts-noto-cjk >/dev/null
  fi
}
