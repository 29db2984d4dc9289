"""The run folder: copied inputs, synthetic ``/etc`` files and bwrap options."""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from pathlib import Path

from evaluations.runners.base import Limits, RunSpec
from evaluations.runners.bubblewrap.config import (
    _NOBODY,
    CODE_DIR,
    HARNESS_DIR,
    HOST_PATH,
    IN_DIR,
    OUT_DIR,
    SANDBOX_SHM,
    SANDBOX_TMP,
    SANDBOX_UID,
    VENV_DIR,
    SandboxConfig,
    SandboxError,
)
from evaluations.runners.bubblewrap.mounts import _mount_output
from evaluations.runners.bubblewrap.slots import Slot

_PASSWD = (
    "root:x:0:0:root:/:/usr/sbin/nologin\n"
    f"sandbox:x:{SANDBOX_UID}:{SANDBOX_UID}:sandbox:/tmp:/usr/sbin/nologin\n"
    f"nobody:x:{_NOBODY}:{_NOBODY}:nobody:/nonexistent:/usr/sbin/nologin\n"
)
_GROUP = f"root:x:0:\nsandbox:x:{SANDBOX_UID}:\nnogroup:x:{_NOBODY}:\n"


def _make_readable_dir(path: Path) -> None:
    # The slot user must read what the run folder holds; the run folder
    # itself (0750, group = slot) keeps other slots out.
    os.mkdir(path)
    os.chmod(path, 0o755)  # noqa: S103


def _copy_tree(source: Path, target: Path) -> None:
    """Copy regular files and folders; skip links and special files."""
    _make_readable_dir(target)
    with os.scandir(source) as entries:
        for entry in entries:
            destination = target / entry.name
            if entry.is_dir(follow_symlinks=False):
                _copy_tree(Path(entry.path), destination)
            elif entry.is_file(follow_symlinks=False):
                _copy_file(Path(entry.path), destination)


def _copy_file(source: Path, target: Path) -> None:
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC | os.O_NOCTTY
    source_fd = os.open(source, flags)
    try:
        info = os.fstat(source_fd)
        if not stat.S_ISREG(info.st_mode):
            return
        target_fd = os.open(
            target,
            os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC,
            0o644,
        )
        try:
            os.fchmod(target_fd, 0o644)
            offset = 0
            while offset < info.st_size:
                sent = os.sendfile(target_fd, source_fd, offset, info.st_size - offset)
                if sent == 0:
                    break
                offset += sent
        finally:
            os.close(target_fd)
    finally:
        os.close(source_fd)


def _write_new_file(path: Path, text: str) -> None:
    fd = os.open(
        path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644
    )
    try:
        os.fchmod(fd, 0o644)
        os.write(fd, text.encode())
    finally:
        os.close(fd)


def _prepare_run_dir(run_dir: Path, spec: RunSpec, slot: Slot) -> None:
    """Make the run folder. A session (``spec.input_dir`` None) gets an
    empty ``in`` folder; its calls' inputs are staged there one by one."""
    sources = [("code", spec.code_dir), ("harness", spec.harness_dir)]
    if spec.input_dir is not None:
        sources.append(("input", spec.input_dir))
    for label, source in sources:
        if not Path(source).is_dir():
            raise SandboxError(f"the {label} folder {source} does not exist")
    os.mkdir(run_dir, 0o700)
    fd = os.open(run_dir, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    try:
        # A folder this process has just made and nothing else can write:
        # not the sandbox-written content the teardown must never chown.
        os.fchown(fd, 0, slot.uid)
        os.fchmod(fd, 0o750)
    finally:
        os.close(fd)
    if spec.input_dir is not None:
        _copy_tree(Path(spec.input_dir), run_dir / "in")
    else:
        _make_readable_dir(run_dir / "in")
    _copy_tree(Path(spec.code_dir), run_dir / "code")
    _copy_tree(Path(spec.harness_dir), run_dir / "harness")
    _make_readable_dir(run_dir / "etc")
    _write_new_file(run_dir / "etc" / "passwd", _PASSWD)
    _write_new_file(run_dir / "etc" / "group", _GROUP)
    _make_readable_dir(run_dir / "out")
    _mount_output(run_dir / "out", spec.limits, slot.uid)


def sandbox_env(dirs: Mapping[str, str]) -> dict[str, str]:
    """Return the environment of the sandboxed program (nothing inherited)."""
    return {
        "PATH": HOST_PATH,
        "HOME": dirs["tmp"],
        "LANG": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PORTAL_IN_DIR": dirs["in"],
        "PORTAL_CODE_DIR": dirs["code"],
        "PORTAL_HARNESS_DIR": dirs["harness"],
        "PORTAL_OUT_DIR": dirs["out"],
    }


def _bwrap_options(
    run_dir: Path,
    limits: Limits,
    config: SandboxConfig,
    *,
    status_fd: int,
    seccomp_fd: int | None,
) -> list[str]:
    tmp = str(limits.tmp_bytes)
    options = [
        "--unshare-all",
        "--unshare-user",
        "--disable-userns",
        "--die-with-parent",
        "--new-session",
        "--cap-drop",
        "ALL",
        "--uid",
        str(SANDBOX_UID),
        "--gid",
        str(SANDBOX_UID),
        "--hostname",
        "sandbox",
        "--clearenv",
    ]
    env = sandbox_env(
        {
            "tmp": SANDBOX_TMP,
            "in": IN_DIR,
            "code": CODE_DIR,
            "harness": HARNESS_DIR,
            "out": OUT_DIR,
        }
    )
    for name, value in env.items():
        options += ["--setenv", name, value]
    options += [
        "--ro-bind", "/usr", "/usr",
        "--symlink", "usr/lib", "/lib",
        "--symlink", "usr/lib64", "/lib64",
        "--symlink", "usr/bin", "/bin",
        "--symlink", "usr/sbin", "/sbin",
        "--ro-bind", str(run_dir / "etc" / "passwd"), "/etc/passwd",
        "--ro-bind", str(run_dir / "etc" / "group"), "/etc/group",
        "--proc", "/proc",
        "--dev", "/dev",
        "--size", tmp, "--tmpfs", SANDBOX_TMP,
        "--size", tmp, "--tmpfs", SANDBOX_SHM,
        "--ro-bind", str(run_dir / "in"), IN_DIR,
        "--ro-bind", str(run_dir / "code"), CODE_DIR,
        "--ro-bind", str(run_dir / "harness"), HARNESS_DIR,
        "--bind", str(run_dir / "out"), OUT_DIR,
    ]  # fmt: skip
    if config.eval_venv is not None:
        options += ["--ro-bind", str(config.eval_venv), VENV_DIR]
    options += ["--chdir", SANDBOX_TMP]
    if seccomp_fd is not None:
        options += ["--seccomp", str(seccomp_fd)]
    options += ["--json-status-fd", str(status_fd), "--remount-ro", "/"]
    return options


def _output_folder_full(out_dir: Path) -> bool:
    try:
        fd = os.open(
            out_dir, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
        )
    except OSError:
        return False
    try:
        info = os.fstatvfs(fd)
    finally:
        os.close(fd)
    return info.f_bavail == 0 or info.f_favail == 0
