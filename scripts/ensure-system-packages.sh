#!/usr/bin/env bash
# Make sure the Debian packages Confab needs are installed.
#
#   scripts/ensure-system-packages.sh python   python3.11 with venv (for `make install`)
#   scripts/ensure-system-packages.sh test     + Chromium and the PostgreSQL 15 server (for `make test`)
#
# As root the missing packages are installed with apt-get (CI runs as root, with no stdin).
# Otherwise the exact command is printed and the script fails, so nothing is half-done.
set -euo pipefail

PYTHON="${PYTHON:-python3}"
PG_BIN="${CONFAB_PG_BIN:-/usr/lib/postgresql/15/bin}"
CHROMIUM="/usr/bin/chromium"

need_python=false
need_test=false
for group in "${@:-test}"; do
    case "$group" in
        python) need_python=true ;;
        test) need_python=true; need_test=true ;;
        *) echo "usage: $0 [python|test]..." >&2; exit 2 ;;
    esac
done

missing=()
if $need_python; then
    if ! command -v "$PYTHON" >/dev/null 2>&1; then
        missing+=(python3 python3-venv)
    elif ! "$PYTHON" -c 'import ensurepip, venv' >/dev/null 2>&1; then
        # Debian ships ensurepip separately; without it `python3 -m venv` fails halfway.
        missing+=(python3-venv)
    fi
fi
if $need_test; then
    [ -x "$CHROMIUM" ] || missing+=(chromium)
    [ -x "$PG_BIN/initdb" ] && [ -x "$PG_BIN/pg_ctl" ] || missing+=(postgresql)
fi

if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "Missing system packages: ${missing[*]}" >&2
        echo "Install them with:" >&2
        echo "    sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
        exit 1
    fi
    echo "Installing system packages: ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    # Wait for another apt run (unattended-upgrades, a provisioning script) instead of failing.
    apt_opts=(-o DPkg::Lock::Timeout=600 -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
    apt-get "${apt_opts[@]}" update
    apt-get "${apt_opts[@]}" install -y "${missing[@]}" </dev/null
fi

if $need_python; then
    version=$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
    if [ "$version" != "3.11" ]; then
        echo "Confab needs Python 3.11, but $PYTHON is $version; run make with PYTHON=python3.11" >&2
        exit 1
    fi
fi
if $need_test; then
    [ -x "$CHROMIUM" ] || { echo "$CHROMIUM is still missing after installing chromium" >&2; exit 1; }
    [ -x "$PG_BIN/initdb" ] || { echo "$PG_BIN/initdb is still missing (is postgresql 15 available?)" >&2; exit 1; }
fi
