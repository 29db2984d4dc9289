"""Settings, shared constants and the error type of the bubblewrap runner."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# Paths inside the sandbox.
IN_DIR = "/in"
CODE_DIR = "/code"
HARNESS_DIR = "/harness"
OUT_DIR = "/out"
# The sandbox's own private tmpfs mounts, not the host's.
SANDBOX_TMP = "/tmp"  # noqa: S108
SANDBOX_SHM = "/dev/shm"  # noqa: S108
VENV_DIR = "/venv"
SANDBOX_UID = 1000

HOST_PATH = "/usr/bin:/bin"

# bwrap itself: the outer monitor and the pid-1 reaper inside the sandbox.
_BWRAP_PROCESSES = 2
_NOBODY = 65534

_SECCOMP_MODES = {
    "auto": "auto",
    **dict.fromkeys(("true", "1", "yes", "on"), "on"),
    **dict.fromkeys(("false", "0", "no", "off"), "off"),
}


class SandboxError(Exception):
    """The runner could not prepare, start or clean up a run."""


@dataclass(frozen=True)
class SandboxConfig:
    bwrap: str = "/usr/bin/bwrap"
    python: str = "/usr/bin/python3"
    base_dir: Path = Path("/var/lib/portal-sandbox")
    uid_base: int = 61000
    slots: int = 8
    slot_wait_seconds: float = 60.0
    eval_venv: Path | None = None
    seccomp: str = "auto"  # "auto", "on" or "off"
    address_space_limit: bool = False
    cpu_cores: int = 1

    @classmethod
    def from_settings(cls) -> SandboxConfig:
        """Read the ``PORTAL_SANDBOX_*`` settings; raise if one is invalid."""
        default = cls()
        venv = getattr(settings, "PORTAL_SANDBOX_EVAL_VENV", None)
        value = getattr(settings, "PORTAL_SANDBOX_SECCOMP", "auto")
        seccomp = _SECCOMP_MODES.get(str(value).strip().lower())
        if seccomp is None:
            raise ImproperlyConfigured(
                f"PORTAL_SANDBOX_SECCOMP must be 'auto', True or False, got {value!r}."
            )
        config = cls(
            bwrap=str(getattr(settings, "PORTAL_SANDBOX_BWRAP", default.bwrap)),
            python=str(getattr(settings, "PORTAL_SANDBOX_PYTHON", default.python)),
            base_dir=Path(getattr(settings, "PORTAL_SANDBOX_DIR", default.base_dir)),
            uid_base=int(
                getattr(settings, "PORTAL_SANDBOX_UID_BASE", default.uid_base)
            ),
            slots=int(getattr(settings, "PORTAL_SANDBOX_SLOTS", default.slots)),
            slot_wait_seconds=float(
                getattr(
                    settings,
                    "PORTAL_SANDBOX_SLOT_WAIT_SECONDS",
                    default.slot_wait_seconds,
                )
            ),
            eval_venv=Path(venv) if venv else None,
            seccomp=seccomp,
            address_space_limit=bool(
                getattr(settings, "PORTAL_SANDBOX_ADDRESS_SPACE_LIMIT", False)
            ),
            cpu_cores=int(getattr(settings, "PORTAL_SANDBOX_CPU_CORES", 1)),
        )
        if not config.base_dir.is_absolute():
            raise ImproperlyConfigured("PORTAL_SANDBOX_DIR must be an absolute path.")
        if config.cpu_cores < 1:
            raise ImproperlyConfigured("PORTAL_SANDBOX_CPU_CORES must be at least 1.")
        if config.slots < 1 or config.uid_base < 1000:
            raise ImproperlyConfigured(
                "PORTAL_SANDBOX_SLOTS must be at least 1 and "
                "PORTAL_SANDBOX_UID_BASE at least 1000."
            )
        return config

    def slot_uid(self, index: int) -> int:
        return self.uid_base + index

    @property
    def runs_dir(self) -> Path:
        return self.base_dir / "runs"

    @property
    def locks_dir(self) -> Path:
        return self.base_dir / "locks"
