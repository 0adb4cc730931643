#!/bin/sh
# Debian splits venv (and ensurepip) out of python3 into python3-venv.
set -e
SUDO=""
[ "$(id -u)" = "0" ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends python3-venv >/dev/null
