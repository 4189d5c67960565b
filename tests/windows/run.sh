#!/bin/bash
# Windows checks of baocao under Wine (not part of CI: it needs the Windows
# target, MinGW and Wine, and a 45-minute cross build on 2 cores).
#   rustup target add x86_64-pc-windows-gnu
#   apt-get install -y gcc-mingw-w64-x86-64-posix wine64
#   tests/windows/run.sh
# What it checks, on the .exe:
#   1. the six sample PDFs are byte-identical to the Linux build's;
#   2. eight concurrent renders in eight processes get eight versions (concurrent_renders.py);
#   3. two servers on one period folder lose no edit and keep one ordered log (two_servers_one_period.py).
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
export WORK=${WORK:-/tmp/baocao-windows}
linker=/usr/bin/x86_64-w64-mingw32-gcc-posix
mkdir -p "$WORK"
(cd "$repo" && CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=$linker cargo build --release --target x86_64-pc-windows-gnu --bin baocao)
(cd "$repo" && cargo build --release --all-targets)
cp "$repo/target/x86_64-pc-windows-gnu/release/baocao.exe" "$WORK/"
# Rust's std imports ProcessPrng from bcryptprimitives.dll, which Wine 8 lacks:
# a stub beside the .exe forwards it to RtlGenRandom (Wine only; Windows 10+ has the DLL).
$linker -shared -o "$WORK/bcryptprimitives.dll" "$repo/tests/windows/bcryptprimitives-stub.c" -ladvapi32
rm -rf "$WORK/project" && mkdir -p "$WORK/project" && git -C "$repo" archive HEAD | tar -x -C "$WORK/project"
export PATH=$PATH:/usr/lib/wine WINEDEBUG=-all WINEPREFIX=$WORK/wine
failed=0
for rp in bao-cao-thang:2026-02 chuong-trinh-hanh-dong:2025-11 ke-hoach:2020-07 bao-cao-dinh-ky:2026-Q1 nghi-quyet-tinh-uy:2026-03 ke-hoach-dang-uy:2025-11; do
  r=${rp%%:*}; p=${rp##*:}
  rm -rf "$WORK/linux" "$WORK/windows"
  "$repo/target/release/baocao" --du-an "$WORK/project" render --report "$r" --period "$p" --out "$WORK/linux" >/dev/null 2>&1
  wine64 "$WORK/baocao.exe" --du-an "Z:${WORK//\//\\}\\project" render --report "$r" --period "$p" --out "Z:${WORK//\//\\}\\windows" >/dev/null 2>&1
  a=$(sha256sum < "$WORK/linux/$r-$p.pdf"); b=$(sha256sum < "$WORK/windows/$r-$p.pdf")
  if [ "$a" = "$b" ]; then echo "ok     $r $p: the Windows PDF is byte-identical"; else echo "FAILED $r $p: the PDFs differ"; failed=1; fi
done
rm -rf "$WORK/project/out"
python3 "$repo/tests/windows/concurrent_renders.py" || failed=1
python3 "$repo/tests/windows/two_servers_one_period.py" || failed=1
exit $failed
