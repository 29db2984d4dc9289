"""Run untrusted programs with bubblewrap: the default, production runner.

The design, the exact bwrap flags and the attack catalogue are in
``shared/design/sandbox.md``; this module implements its section 4. One run:

1. **Slot.** Take a free slot ``N`` by ``flock`` on
   ``<base>/locks/slot-N.lock`` (safe across threads, processes and
   workers). The slot fixes the host user id ``uid_base + N`` the sandbox
   runs as, so concurrent runs cannot signal, trace or share
   ``RLIMIT_NPROC`` with each other. Anything a crashed earlier run left in
   this slot is removed first, unless the slot's lock file says its last
   run ended with nothing left (the mark is cleared before each run, so a
   worker killed mid-run leaves it cleared); ``sweep_stale()`` cleans every
   idle slot whatever the mark.
2. **Prepare (root).** Create ``<base>/runs/u<uid>-<random>`` (mode 0750,
   group = the slot), copy the input, code and harness folders into it
   (regular files and folders only: links and special files are skipped,
   never followed), write a synthetic ``etc/passwd`` and ``etc/group``, and
   mount a ``nosuid,nodev,noexec`` tmpfs capped in bytes and inodes on
   ``out/``, owned by the slot user.
3. **cgroups (v1).** Create per-run ``memory`` (+``memsw``), ``pids``,
   ``cpuset`` and ``cpuacct`` (exact CPU time) groups under the worker's own
   cgroup, where the machine offers them. The cpuset pins the run to its
   slot's cores (``PORTAL_SANDBOX_CPU_CORES``, round robin by slot), so a
   run sees, and its libraries start threads for, only the cores it has;
   only without a cpuset does a ``cpu`` CFS quota bound it instead. Whatever
   is missing is said in ``RunResult.message``, and without a memory cgroup
   ``RLIMIT_AS`` becomes the memory limit.
4. **Spawn** (``launcher.spawn_gated``). ``/bin/sh`` waits on its stdin
   while the runner writes its pid into the cgroups and its
   ``oom_score_adj``; then it execs util-linux ``setpriv``, which drops to
   the slot user (real, effective and saved ids; no supplementary groups;
   no capabilities), then ``prlimit`` with the rlimits, then bwrap with
   ``PATH`` as its only environment variable (catalogue case 09b). bwrap's
   options travel through ``--args FD`` so that host paths do not show in
   the sandbox's ``/proc/1/cmdline`` (case 48).
5. **Supervise.** Read stdout and stderr up to their caps, enforce the wall
   clock, and on any kill SIGKILL the sandbox's pid 1 (which takes the
   whole pid namespace with it), then bwrap's process group, then anything
   left in the run's cgroups and anything still running as the slot user.
   The runner makes its process a child subreaper (``prctl``) so that it,
   not host init, reaps the sandbox's pid 1, which bwrap's monitor leaves
   orphaned: no zombie of the slot user outlives a run.
6. **Verdict and outputs.** Map the end to an ``Outcome`` and read only
   ``RunSpec.expected_outputs``, through ``reader.read_outputs``, which
   never follows links.
7. **Teardown.** Unmount ``out/`` (its contents go with it), remove the
   run folder with ``shutil.rmtree`` (descriptor-based, it never follows
   links) and remove the cgroups. Nothing is ever chowned or chmodded
   after the sandbox has run.

Why not ``preexec_fn``: it runs Python between ``fork`` and ``exec``, which
is not safe once the calling process has threads (the run's heartbeat is a
thread). Nothing runs between fork and exec here but ``Popen``'s own C
code, which then uses ``vfork``, so the runner can be called from any
thread and a large worker process is not copied. ``PR_SET_PDEATHSIG`` fires
when the *thread* that started bwrap exits, so call ``run()`` from a
long-lived thread: the Celery task's own thread is fine, a short-lived
helper thread is not.

The optional seccomp deny-list (section 4 of the design) is compiled once
per process by ``/usr/bin/python3`` with python3-seccomp, when that package
is installed, and passed to bwrap with ``--seccomp FD``. Without it the run
goes ahead and ``RunResult.message`` says so.

Settings, all read when used: ``PORTAL_SANDBOX_DIR``,
``PORTAL_SANDBOX_UID_BASE``, ``PORTAL_SANDBOX_SLOTS``,
``PORTAL_SANDBOX_SLOT_WAIT_SECONDS``, ``PORTAL_SANDBOX_EVAL_VENV`` (bound
read-only at ``/venv``), ``PORTAL_SANDBOX_SECCOMP`` (``"auto"``, True or
False), ``PORTAL_SANDBOX_ADDRESS_SPACE_LIMIT``, ``PORTAL_SANDBOX_BWRAP`` and
``PORTAL_SANDBOX_PYTHON`` (the start-up smoke test's launcher),
``PORTAL_SANDBOX_CPU_CORES``.
"""

from __future__ import annotations

from evaluations.runners.bubblewrap.cgroups import (
    CGROUP_PARENT,
    CONTROLLERS,
    CgroupStats,
    RunCgroups,
    cgroup_parents,
)
from evaluations.runners.bubblewrap.config import (
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
from evaluations.runners.bubblewrap.launcher import LaunchPlan, rlimits_for
from evaluations.runners.bubblewrap.mounts import (
    OUT_MOUNT_SOURCE,
    become_subreaper,
    mounts_under,
)
from evaluations.runners.bubblewrap.rundir import sandbox_env
from evaluations.runners.bubblewrap.runner import (
    BWRAP_MISSING,
    NOT_ROOT,
    BubblewrapRunner,
    RunTrace,
)
from evaluations.runners.bubblewrap.seccomp import seccomp_program
from evaluations.runners.bubblewrap.slots import Slot, hold_slot
from evaluations.runners.bubblewrap.supervisor import Supervision, Supervisor, kill_uid
from evaluations.runners.bubblewrap.sweep import sweep_stale
from evaluations.runners.bubblewrap.verdict import (
    Verdict,
    describe_size,
    judge,
    platform_error,
    spec_problem,
)

__all__ = [
    "BWRAP_MISSING",
    "CGROUP_PARENT",
    "CODE_DIR",
    "CONTROLLERS",
    "HARNESS_DIR",
    "HOST_PATH",
    "IN_DIR",
    "NOT_ROOT",
    "OUT_DIR",
    "OUT_MOUNT_SOURCE",
    "SANDBOX_SHM",
    "SANDBOX_TMP",
    "SANDBOX_UID",
    "VENV_DIR",
    "BubblewrapRunner",
    "CgroupStats",
    "LaunchPlan",
    "RunCgroups",
    "RunTrace",
    "SandboxConfig",
    "SandboxError",
    "Slot",
    "Supervision",
    "Supervisor",
    "Verdict",
    "become_subreaper",
    "cgroup_parents",
    "describe_size",
    "hold_slot",
    "judge",
    "kill_uid",
    "mounts_under",
    "platform_error",
    "rlimits_for",
    "sandbox_env",
    "seccomp_program",
    "spec_problem",
    "sweep_stale",
]
