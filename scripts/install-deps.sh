#!/usr/bin/env bash
# Installs everything padscan needs to build, run its samples and run its
# tests on a fresh Debian 12 machine.  Needs root (or sudo).
set -euo pipefail
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
# git: the patch, SARIF-fix and repository-path tests (git apply, git top);
# file: CPack's .deb (test package_deb).
# nodejs + npm: the SARIF / JUnit validators of the tests come from npm
# (over https: ca-certificates, not pulled in without recommends).  A
# machine that already has npm (e.g. NodeSource's nodejs, which bundles it and
# conflicts with Debian's npm) keeps its own.
node_pkgs="nodejs npm ca-certificates"
command -v npm >/dev/null 2>&1 && node_pkgs=""
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends \
    build-essential cmake pkg-config \
    libdwarf-dev libelf-dev zlib1g-dev libcjson-dev \
    libprotobuf-c-dev protobuf-c-compiler \
    clang gcc-multilib golang-go dwarves \
    python3 python3-jsonschema qemu-user golang-golang-x-tools-dev \
    libjemalloc2 libtcmalloc-minimal4 libxml2-utils strace libclang-rt-14-dev libc6-dbg make $node_pkgs \
    binutils dwz debuginfod libdebuginfod1 llvm-14 valgrind \
    git file \
    >/dev/null
echo "install-deps: ok ($(gcc -dumpversion), $(go version | cut -d' ' -f3), pahole $(pahole --version), node $(node --version), npm $(npm --version))"
