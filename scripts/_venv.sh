# Shared by serve.sh and test.sh: create .venv with Python 3.11 if needed, install a
# requirements file into it (pip skips what is already installed at the pinned version).
venv_install() {
  if [ ! -x .venv/bin/python ]; then
    local py
    py=$(command -v python3.11 || command -v python3)
    "$py" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' \
      || { echo "Python 3.11 is required (found $("$py" --version))." >&2; exit 1; }
    "$py" -m venv .venv
  fi
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$1"
}
