"""Runs a program the way systemd runs a unit with `SystemCallFilter=~@privileged` and
`SystemCallErrorNumber=EPERM` as far as capabilities go: no new privileges, and a seccomp filter
that answers capset(2) with EPERM. `deny_capset.py PROGRAM [ARGUMENT...]`."""
import ctypes
import os
import platform
import struct
import sys

# BPF: load the architecture; if not this one, allow (the probe is native); load the syscall
# number; capset -> ERRNO(EPERM); anything else -> ALLOW.
AUDIT_ARCH = {"x86_64": 0xC000003E, "aarch64": 0xC00000B7}[platform.machine()]
NR_CAPSET = {"x86_64": 126, "aarch64": 91}[platform.machine()]
BPF_LD_W_ABS, BPF_JEQ_K, BPF_RET_K = 0x20, 0x15, 0x06
SECCOMP_RET_ALLOW, SECCOMP_RET_ERRNO, EPERM = 0x7FFF0000, 0x00050000, 1
program = [
    (BPF_LD_W_ABS, 0, 0, 4),  # seccomp_data.arch
    (BPF_JEQ_K, 0, 3, AUDIT_ARCH),
    (BPF_LD_W_ABS, 0, 0, 0),  # seccomp_data.nr
    (BPF_JEQ_K, 0, 1, NR_CAPSET),
    (BPF_RET_K, 0, 0, SECCOMP_RET_ERRNO | EPERM),
    (BPF_RET_K, 0, 0, SECCOMP_RET_ALLOW),
]
filters = b"".join(struct.pack("HBBI", *instruction) for instruction in program)
buffer = ctypes.create_string_buffer(filters)


class SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


libc = ctypes.CDLL(None, use_errno=True)
PR_SET_NO_NEW_PRIVS, PR_SET_SECCOMP, SECCOMP_MODE_FILTER = 38, 22, 2
if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
    sys.exit(f"no_new_privs: {os.strerror(ctypes.get_errno())}")
fprog = SockFprog(len(program), ctypes.cast(buffer, ctypes.c_void_p))
if libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0) != 0:
    sys.exit(f"seccomp: {os.strerror(ctypes.get_errno())}")
os.execv(sys.argv[1], sys.argv[1:])
