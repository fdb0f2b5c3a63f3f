"""What this machine's CPU offers, read from Linux's /proc/cpuinfo (no TensorFlow needed)."""

from __future__ import annotations

import functools


@functools.cache
def cpu_info() -> dict[str, str]:
    """The first CPU's fields in /proc/cpuinfo ("model name", "vendor_id", "cpu MHz", "flags", …);
    empty where it cannot be read."""
    info: dict[str, str] = {}
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as stream:
            for line in stream:
                if not line.strip():
                    break  # the end of the first processor's block
                key, _, value = line.partition(":")
                info[key.strip()] = value.strip()
    except OSError:
        pass
    return info


def cpu_flags() -> frozenset[str]:
    """The instruction-set flags of this CPU (empty where /proc/cpuinfo cannot be read)."""
    return frozenset(cpu_info().get("flags", "").split())


def cpu_has_native_bf16() -> bool:
    """Whether this CPU computes bfloat16 natively (AVX-512 BF16 or AMX), where oneDNN makes it fast."""
    return bool(cpu_flags() & {"avx512_bf16", "amx_bf16"})
