"""Suite C2b: La Haute Borne turbine SCADA anomaly (event) detection.

The ENGIE data has no fault log, so the faults are injected: each hidden
event changes one turbine's 10-minute SCADA for 1 to 5 days in 2015, the
way a real fault would show, and its window is the label. 2014 is the
public training year, assumed mostly normal.

1. Place the events (``c2b_events``): for each (turbine, kind) of the plan,
   draw a whole-hour start and a duration of 24 to 120 hours with a fixed
   seed, and keep the draw only if it stays 7 days clear of the turbine's
   other events and at least 12 hours of it lie in the kind's wind-speed
   band (where the fault can be seen). So every event is observable.
2. Inject them (``c2b_inject``), per kind:

   * ``derate``: output capped at 70 % of rated power (a few kW below the
     cap, as a controller holds it);
   * ``pitch_offset``: 12 % less output at 5–11 m/s (a blade angle off its
     reading, as after a mis-calibrated encoder: the logged pitch is
     unchanged);
   * ``stuck_anemometer``: the wind-speed reading frozen at its value at the
     start; power is unchanged;
   * ``yaw_misalignment``: 15° off the wind below 11 m/s, output × cos³ 15°
     (≈ −10 %); the logged directions are not in the file.

3. Write one sandbox call per split holding all four turbines over the
   whole period, sorted by turbine, then time (so a detector can compare a
   turbine with its neighbours, as fleet monitoring does): ``series.csv``
   holds the measurements only. The event windows are the labels
   (``y_true`` = 1 inside an event) and never enter the sandbox.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evaluations.demo_suites.common import DATA_DIR, DataFile, DemoSuite, SuiteDataError
from evaluations.models import TaskKind
from evaluations.suites import write_bundle

C2B_FILE = DataFile(
    DATA_DIR / "la_haute_borne_scada_10min.csv.gz",
    "a92eab3e39e857bd52bb126cabcf611651f8ca4e4c7ca2c2e22c239f18359a89",
)
C2B_TURBINES = ("R80711", "R80721", "R80736", "R80790")
C2B_MEASURES = ("power_kw", "wind_speed", "pitch_deg", "temperature_c")
C2B_DIGITS = {"power_kw": 0, "wind_speed": 2, "pitch_deg": 1, "temperature_c": 1}
C2B_FIRST_STEP = "2014-01-01T00:00"  # step 0 of the label axis
C2B_STEPS = 2 * 365 * 144  # 10-minute steps in 2014 and 2015
C2B_STEP_HOURS = 1 / 6
C2B_RATED_KW = 2050.0  # Senvion MM82
C2B_TIME = "timestamp"
C2B_UNIT = "turbine"

# 2014 is the public training year. The validation run covers the last
# four weeks of it, with one injected event per turbine; the hidden test is
# 2015 with 24 events.
C2B_TRAIN_END = "2015-01-01"
C2B_SAMPLE_PERIOD = ("2014-12-04T00:00", "2014-12-31T23:50")
C2B_HIDDEN_PERIOD = ("2015-01-01T00:00", "2015-12-31T23:50")
C2B_SAMPLE_SEED = 20141204
C2B_HIDDEN_SEED = 20150101

DERATE = "derate"
PITCH_OFFSET = "pitch_offset"
STUCK_ANEMOMETER = "stuck_anemometer"
YAW_MISALIGNMENT = "yaw_misalignment"
C2B_KINDS = (DERATE, PITCH_OFFSET, STUCK_ANEMOMETER, YAW_MISALIGNMENT)

C2B_DERATE_SHARE = 0.70
C2B_DERATE_JITTER_KW = 8.0
C2B_PITCH_LOSS = 0.12
C2B_PITCH_BAND = (5.0, 11.0)  # m/s, where the pitch offset costs output
C2B_YAW_DEGREES = 15.0
C2B_YAW_BELOW = 11.0  # m/s; above it the turbine still reaches its output
# The wind-speed band where each kind shows, for the observability rule
# (lower and upper bound in m/s, inclusive).
C2B_BANDS = {
    DERATE: (11.0, math.inf),  # the normal output is above the cap
    PITCH_OFFSET: C2B_PITCH_BAND,
    STUCK_ANEMOMETER: (4.0, math.inf),  # the turbine produces
    YAW_MISALIGNMENT: (5.0, C2B_YAW_BELOW),
}
C2B_EVENT_HOURS = (24, 120)  # event duration, whole hours
C2B_OBSERVABLE_STEPS = 72  # 12 h in the band, as the design asks
C2B_GAP_DAYS = 7  # between two events of one turbine
C2B_MAX_DRAWS = 5000

# Every turbine gets each kind once, and two more: six events per turbine
# and six per kind.
C2B_HIDDEN_PLAN: tuple[tuple[str, str], ...] = tuple(
    (turbine, kind)
    for index, turbine in enumerate(C2B_TURBINES)
    for kind in (*C2B_KINDS, *C2B_KINDS[2 * (index % 2) : 2 * (index % 2) + 2])
)
C2B_SAMPLE_PLAN: tuple[tuple[str, str], ...] = tuple(
    zip(C2B_TURBINES, C2B_KINDS, strict=True)
)

# The probe: what a poor SCADA link does to the inputs of the hidden calls.
C2B_PROBE = "noise_and_gaps"
C2B_PROBE_SEED = 20150102
C2B_PROBE_POWER_NOISE_KW = 20.0
C2B_PROBE_SPEED_NOISE = 0.02  # relative
C2B_PROBE_MISSING = 0.02  # of the rows, separately for power and wind speed
C2B_PROBE_OUTAGES = 20  # per turbine-year
C2B_PROBE_OUTAGE_HOURS = (1, 12)

_AXIS = {"times": "@step", "units": f"@{C2B_UNIT}"}
# The design counts an event as found after one hour of flags inside it.
_HOUR_OF_FLAGS = 6

C2B_CONFIG: dict[str, Any] = {
    "schema_version": 1,
    "metrics": [
        {"code": "event_recall", "params": {**_AXIS, "min_hits": _HOUR_OF_FLAGS}},
        {
            "code": "detection_lead_time",
            "key": "detection_delay",
            "params": {
                **_AXIS,
                "min_hits": _HOUR_OF_FLAGS,
                "time_unit_hours": C2B_STEP_HOURS,
            },
        },
        {
            "code": "false_alarm_hours_per_unit_month",
            "key": "false_alarm_hours",
            "params": {**_AXIS, "time_unit_hours": C2B_STEP_HOURS},
        },
        {
            "code": "false_alarms_per_unit_month",
            "key": "false_alarms",
            "params": {**_AXIS, "time_unit_hours": C2B_STEP_HOURS},
        },
        {"code": "precision", "key": "point_precision"},
        {"code": "recall", "key": "point_recall"},
        {"code": "f1", "key": "point_f1"},
    ],
    "gates": [
        {"metric": "event_recall", "comparator": ">=", "value": 80.0},
        {"metric": "false_alarm_hours", "comparator": "<=", "value": 10.0},
        {"metric": "detection_delay", "comparator": "<=", "value": 24.0},
    ],
    # One call holds a year of four turbines (210,240 rows).
    "limits": {"wall_seconds": 300, "cpu_seconds": 300, "memory_mb": 2048},
    "leaderboard": {
        "weights": {"event_recall": 1.0, "point_f1": 1.0, "false_alarm_hours": 1.0}
    },
    "quotas": {"per_day": 10},
    "data": {
        "recipe": "c2b-la-haute-borne-scada/1",
        "files": {C2B_FILE.path.name: C2B_FILE.sha256},
        "source": (
            "openoa 3.2 examples/data/la_haute_borne.zip: ENGIE La Haute Borne "
            "turbine SCADA (10 min), faults injected by the portal"
        ),
        "licence": "Etalab Open Licence 2.0; attribution: ENGIE",
        "time_column": C2B_TIME,
        "unit_column": C2B_UNIT,
        "measures": list(C2B_MEASURES),
        "train_end": C2B_TRAIN_END,
        "sample_period": list(C2B_SAMPLE_PERIOD),
        "hidden_period": list(C2B_HIDDEN_PERIOD),
        "calls": "one per split, every turbine, sorted by turbine then time",
        "faults": {
            "seeds": {"sample": C2B_SAMPLE_SEED, "hidden": C2B_HIDDEN_SEED},
            "plan": {
                "sample": [list(item) for item in C2B_SAMPLE_PLAN],
                "hidden": [list(item) for item in C2B_HIDDEN_PLAN],
            },
            "hours": list(C2B_EVENT_HOURS),
            "observable_hours_in_band": C2B_OBSERVABLE_STEPS // 6,
            "gap_days": C2B_GAP_DAYS,
            "bands_m_s": {
                kind: [low, None if math.isinf(high) else high]
                for kind, (low, high) in C2B_BANDS.items()
            },
            "derate_share": C2B_DERATE_SHARE,
            "pitch_loss": C2B_PITCH_LOSS,
            "yaw_degrees": C2B_YAW_DEGREES,
        },
        "probe": {
            C2B_PROBE: {
                "power_noise_kw": C2B_PROBE_POWER_NOISE_KW,
                "speed_noise": C2B_PROBE_SPEED_NOISE,
                "missing_share": C2B_PROBE_MISSING,
                "outages": C2B_PROBE_OUTAGES,
                "outage_hours": list(C2B_PROBE_OUTAGE_HOURS),
                "seed": C2B_PROBE_SEED,
            }
        },
    },
}


@dataclass(frozen=True)
class FaultEvent:
    """One injected fault: a turbine, a kind and its window (both ends in)."""

    turbine: str
    kind: str
    start: Any  # pandas.Timestamp
    end: Any  # pandas.Timestamp, the last 10-minute stamp inside

    @property
    def steps(self) -> int:
        return int((self.end - self.start).total_seconds() // 600) + 1


def c2b_frame() -> dict[str, Any]:
    """Return each turbine's SCADA (indexed by UTC time) after checking it."""
    import pandas as pd

    wide = pd.read_csv(C2B_FILE.verified_path())
    wide.index = pd.to_datetime(wide.pop("time_utc"), format="ISO8601")
    expected = pd.date_range(C2B_FIRST_STEP, periods=C2B_STEPS, freq="10min")
    if len(wide) != C2B_STEPS or not wide.index.equals(expected):
        raise SuiteDataError(
            f"{C2B_FILE.display_path} is not {C2B_STEPS} ten-minute steps."
        )
    frames = {}
    for turbine in C2B_TURBINES:
        columns = [f"{turbine}_{name}" for name in C2B_MEASURES]
        if not set(columns) <= set(wide.columns):
            raise SuiteDataError(f"{C2B_FILE.display_path} lacks turbine {turbine}.")
        frame = wide[columns].set_axis(list(C2B_MEASURES), axis=1).astype(float)
        frame.index.name = C2B_TIME
        frames[turbine] = frame
    return frames


def in_band(kind: str, wind_speed: Any) -> Any:
    """Return where the measured wind speed lies in the kind's band."""
    import numpy as np

    low, high = C2B_BANDS[kind]
    speed = np.asarray(wind_speed, dtype=float)
    return (speed >= low) & (speed <= high)


def _observable_steps(rows: Any, kind: str) -> int:
    valid = rows["power_kw"].notna().to_numpy()
    return int((in_band(kind, rows["wind_speed"]) & valid).sum())


def c2b_events(frames: dict[str, Any], split: str) -> tuple[FaultEvent, ...]:
    """Place the events of a split (``sample`` or ``hidden``), reproducibly.

    The draws follow the plan's order with one generator seeded by the
    split's seed; a draw that overlaps (or comes within 7 days of) one of
    the turbine's events, or has fewer than 12 hours in its band, is drawn
    again. Returns the events sorted by turbine, then start.
    """
    import numpy as np
    import pandas as pd

    plan, seed, (first, last) = (
        (C2B_SAMPLE_PLAN, C2B_SAMPLE_SEED, C2B_SAMPLE_PERIOD)
        if split == "sample"
        else (C2B_HIDDEN_PLAN, C2B_HIDDEN_SEED, C2B_HIDDEN_PERIOD)
    )
    rng = np.random.default_rng(seed)
    period_start = pd.Timestamp(first)
    period_hours = int((pd.Timestamp(last) - period_start).total_seconds() // 3600) + 1
    gap = pd.Timedelta(days=C2B_GAP_DAYS)
    events: list[FaultEvent] = []
    for turbine, kind in plan:
        rows = frames[turbine]
        for _draw in range(C2B_MAX_DRAWS):
            hours = int(rng.integers(C2B_EVENT_HOURS[0], C2B_EVENT_HOURS[1] + 1))
            offset = int(rng.integers(0, period_hours - hours + 1))
            start = period_start + pd.Timedelta(hours=offset)
            end = start + pd.Timedelta(hours=hours) - pd.Timedelta(minutes=10)
            if any(
                e.turbine == turbine and start <= e.end + gap and e.start <= end + gap
                for e in events
            ):
                continue
            if _observable_steps(rows.loc[start:end], kind) < C2B_OBSERVABLE_STEPS:
                continue
            events.append(FaultEvent(turbine, kind, start, end))
            break
        else:
            raise SuiteDataError(f"No observable window for {kind} on {turbine}.")
    return tuple(sorted(events, key=lambda e: (e.turbine, e.start)))


def c2b_inject(rows: Any, events: tuple[FaultEvent, ...], seed: int) -> Any:
    """Return a copy of one turbine's SCADA with its events injected.

    Missing values stay missing. The derate's jitter is drawn from a
    generator seeded with ``seed`` and the event's position, so each event
    is injected the same way at every build.
    """
    import numpy as np

    faulty = rows.copy()
    for number, event in enumerate(events):
        inside = (faulty.index >= event.start) & (faulty.index <= event.end)
        power = faulty.loc[inside, "power_kw"].to_numpy()
        speed = faulty.loc[inside, "wind_speed"].to_numpy()
        if event.kind == DERATE:
            cap = C2B_DERATE_SHARE * C2B_RATED_KW
            rng = np.random.default_rng([seed, number])
            held = cap - np.abs(rng.normal(0.0, C2B_DERATE_JITTER_KW, power.size))
            power = np.where(power > cap, held, power)
        elif event.kind == PITCH_OFFSET:
            low, high = C2B_PITCH_BAND
            affected = (speed >= low) & (speed <= high)
            power = np.where(affected, power * (1.0 - C2B_PITCH_LOSS), power)
        elif event.kind == YAW_MISALIGNMENT:
            factor = math.cos(math.radians(C2B_YAW_DEGREES)) ** 3
            affected = (speed < C2B_YAW_BELOW) & (power > 0)
            power = np.where(affected, power * factor, power)
        elif event.kind == STUCK_ANEMOMETER:
            before = faulty.loc[: event.start, "wind_speed"].dropna()
            if before.empty:
                raise SuiteDataError(f"No wind-speed reading before {event}.")
            speed = np.where(np.isnan(speed), np.nan, before.iloc[-1])
        else:
            raise SuiteDataError(f"Unknown fault kind {event.kind!r}.")
        faulty.loc[inside, "power_kw"] = np.round(power)
        faulty.loc[inside, "wind_speed"] = speed
    return faulty


def _noise_and_gaps(rows: Any, seed: int) -> Any:
    """Return the probe's version of one turbine's (faulty) SCADA.

    1. Gaussian noise on power (σ 20 kW); relative noise on the wind speed
       (σ 2 %) where the reading differs from the last one logged, as a
       frozen sensor has no noise.
    2. 2 % of the rows lose their power value, another 2 % their wind
       speed, drawn independently.
    3. 20 logger outages of 1 to 12 hours per turbine-year blank every
       measurement. The timestamps stay, so the rows and labels still match.
    """
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    probed = rows.copy()
    size = len(probed)
    power = probed["power_kw"].to_numpy()
    speed = probed["wind_speed"].to_numpy()
    # A reading is live when it differs from the last one logged before it.
    live = speed != pd.Series(speed).ffill().shift().to_numpy()
    power = np.round(power + rng.normal(0.0, C2B_PROBE_POWER_NOISE_KW, size))
    noisy_speed = speed * (1.0 + rng.normal(0.0, C2B_PROBE_SPEED_NOISE, size))
    speed = np.round(np.where(live, np.clip(noisy_speed, 0.0, None), speed), 2)
    power[rng.random(size) < C2B_PROBE_MISSING] = np.nan
    speed[rng.random(size) < C2B_PROBE_MISSING] = np.nan
    probed["power_kw"] = power
    probed["wind_speed"] = speed
    outages = round(C2B_PROBE_OUTAGES * size / (365 * 144))
    low, high = C2B_PROBE_OUTAGE_HOURS
    for _outage in range(outages):
        steps = 6 * int(rng.integers(low, high + 1))
        begin = int(rng.integers(0, size - steps + 1))
        probed.iloc[begin : begin + steps] = np.nan
    return probed


def _series(turbine: str, rows: Any) -> Any:
    """One turbine's rows of the call's input: id, time, turbine, measures."""
    import pandas as pd

    series = pd.DataFrame(
        {
            "id": turbine + "-" + rows.index.strftime("%Y%m%dT%H%M"),
            C2B_TIME: rows.index.strftime("%Y-%m-%dT%H:%M"),
            C2B_UNIT: turbine,
        }
    )
    for name in C2B_MEASURES:
        values = rows[name].to_numpy().round(C2B_DIGITS[name]) + 0.0
        column = pd.Series(values)
        series[name] = column.astype("Int64") if C2B_DIGITS[name] == 0 else column
    return series


def _csv(parts: list[Any]) -> bytes:
    import pandas as pd

    frame = pd.concat(parts, ignore_index=True)
    return bytes(frame.to_csv(index=False, lineterminator="\n").encode())


C2B_TASK = {
    "schema_version": 1,
    "kind": "event_detection",
    "series": "series.csv",
    "id_column": "id",
    "time_column": C2B_TIME,
    "unit_column": C2B_UNIT,
    "output": "flags",
}


def _c2b_call(
    frames: dict[str, Any], split: str, probe_seed: int | None
) -> tuple[dict[str, Any], dict[str, bytes] | None]:
    """Build the split's one call (every turbine, the whole period).

    Rows are sorted by turbine, then time, as the event metrics need. With
    ``probe_seed``, also return the probe's input files for the same rows.
    """
    import numpy as np
    import pandas as pd

    first, last = C2B_SAMPLE_PERIOD if split == "sample" else C2B_HIDDEN_PERIOD
    seed = C2B_SAMPLE_SEED if split == "sample" else C2B_HIDDEN_SEED
    events = c2b_events(frames, split)
    origin = pd.Timestamp(C2B_FIRST_STEP)
    series: list[Any] = []
    probed: list[Any] = []
    truth: list[int] = []
    steps: list[int] = []
    units: list[str] = []
    for index, turbine in enumerate(C2B_TURBINES, start=1):
        own = tuple(e for e in events if e.turbine == turbine)
        rows = c2b_inject(frames[turbine].loc[first:last], own, seed + index)
        inside = np.zeros(len(rows), dtype=int)
        for event in own:
            inside[(rows.index >= event.start) & (rows.index <= event.end)] = 1
        series.append(_series(turbine, rows))
        if probe_seed is not None:
            probed.append(_series(turbine, _noise_and_gaps(rows, probe_seed + index)))
        truth.extend(inside.tolist())
        steps.extend(int(s) for s in (rows.index - origin) // pd.Timedelta("10min"))
        units.extend([turbine] * len(rows))
    task = json.dumps(C2B_TASK).encode()
    call = {
        "files": {"task.json": task, "series.csv": _csv(series)},
        "y_true": truth,
        "columns": {"step": steps, C2B_UNIT: units},
    }
    probe = {"task.json": task, "series.csv": _csv(probed)} if probed else None
    return call, probe


def build_c2b_bundle(target: Path) -> Path:
    """Write the C2b bundle folder: one sample call, one hidden, one probed."""
    frames = c2b_frame()
    sample, _ = _c2b_call(frames, "sample", None)
    hidden, probe = _c2b_call(frames, "hidden", C2B_PROBE_SEED)
    if probe is None:
        raise SuiteDataError("The hidden call was built without its probe.")
    return write_bundle(
        target,
        kind="event_detection",
        splits={"sample": {"0001": sample}, "hidden": {"0001": hidden}},
        probes={C2B_PROBE: {"0001": probe}},
        output="flags",
    )


C2B_DESCRIPTION_EN = """\
## What is tested
Event detection on wind-turbine SCADA: flag the 10-minute rows where a
turbine runs abnormally. A solution gets one year of 10-minute data of
four turbines and returns a flag per row: 1 abnormal, 0 normal.

## Data
Real, public SCADA of ENGIE's La Haute Borne wind farm in France (4 ×
Senvion MM82, 2.05 MW each), 2014–2015, shipped in the `openoa` 3.2
package. Licence: Etalab Open Licence 2.0, attribution ENGIE. 2014 is the
training year and is assumed mostly normal; the validation run covers its
last four weeks (2014-12-04 to 12-31) with one injected fault per turbine.
The hidden test is 2015, one sandbox run with all four turbines. Each run
gets `series.csv` (`id`, `timestamp` UTC, `turbine`, `power_kw`,
`wind_speed` m/s, `pitch_deg`, `temperature_c`), sorted by turbine, then
time; missing measurements are empty.

The source has no fault log, so the platform injects 24 faults into 2015,
six per turbine and six of each kind, each lasting 1 to 5 days: a derate
to 70 % of rated power, a pitch offset costing 12 % of output at 5–11 m/s,
a frozen anemometer, and a 15° yaw misalignment (output × cos³ 15°, about
−10 %). Every fault is observable: at least 12 hours of its window lie in
the wind-speed band where it shows. The fault windows are the labels and
never enter the sandbox. The real 2015 data also has unlabelled stops,
curtailment and a hot July; flags there count as false alarms.

**This is a demonstration suite.** All of its data is public and real,
and the faults are injected by published code with fixed seeds, so a
submission could reconstruct the answers: this suite shows how event
scoring works and cannot prevent that. Real suites use the company's own
hidden data and fault records, which never leave the sandbox.

## Scoring
Event recall (a fault is found when at least one hour of flags, six rows,
falls inside its window), median detection delay (hours from the start of
a fault to its sixth flag), false-alarm hours per turbine-month (flagged
rows outside every fault), false alarms per turbine-month (flagged runs
touching no fault), and point precision, recall and F1. Gates: event
recall ≥ 80 %, at most 10 false-alarm hours per turbine-month, median
delay ≤ 24 h. Robustness probe, reported as deltas: sensor noise (20 kW on
power, 2 % on live wind-speed readings), 2 % of the power and wind-speed
values missing and 20 logger outages of 1–12 hours per turbine (fixed
seed). The leaderboard weighs event recall, point F1 and false-alarm hours
equally.

## Baselines
Power below 70 % of the 2014 median at its wind speed (naive): event
recall 58.3 %, point F1 0.18, 21.0 false-alarm hours per turbine-month.
Per-turbine power curve from 2014 with a six-hour residual z-score and a
frozen-anemometer rule: event recall 79.2 %, point F1 0.47, 22.2
false-alarm hours. Both fail the gates, as intended: they set the bar to
beat. Each turbine against its neighbours at the same time (its power
over its 2014 curve against their median ratio, and against its 2014
output at their median output, over a trailing 12 hours; output held
back in strong wind; a frozen anemometer while theirs moves), tuned on
2014 only: event recall 87.5 %, point F1 0.53, 9.2 false-alarm hours per
turbine-month, median delay 8.0 h. It passes every gate.
"""

C2B_DESCRIPTION_ZH = """\
## 测评内容
风电机组SCADA事件检测：标出机组运行异常的10分钟数据行。方案获得4台机组一年的10分钟数据，
逐行返回标记：1为异常，0为正常。

## 数据
ENGIE公司法国La Haute Borne风电场（4台Senvion MM82，单机2.05 MW）2014–2015年真实、公开的SCADA数据，
随 `openoa` 3.2 软件包分发。许可：Etalab开放许可2.0，署名ENGIE。2014年为训练年，假定基本正常；
验证运行覆盖其最后四周（2014-12-04至12-31），每台机组注入一起故障。隐藏测试为2015年，
4台机组在一次沙箱运行中完成。每次运行提供 `series.csv`（`id`、`timestamp`（UTC）、`turbine`、
`power_kw`、`wind_speed`（m/s）、`pitch_deg`、`temperature_c`），按机组、再按时间排序；缺测值为空。

原始数据没有故障记录，因此平台在2015年注入24起故障，每台机组6起、每类6起，每起持续1–5天：
降出力至额定功率的70%、桨距偏差使5–11 m/s风速段出力降低12%、风速计卡死，以及15°偏航误差
（出力 × cos³ 15°，约−10%）。每起故障都可观测：其时间窗内至少有12小时处于该故障可显现的风速区间。
故障时间窗即标签，不进入沙箱。2015年真实数据中还有未标注的停机、限电和7月高温，在这些时段的标记计为误报。

**这是演示用测评套件。** 全部数据均为公开的真实数据，故障由公开代码以固定随机种子注入，
因此方案有可能还原出答案，本套件仅用于展示事件评分流程，无法防止这种情况。
正式测评套件使用企业自有的隐藏数据和故障记录，数据不出沙箱。

## 评分
事件召回率（故障时间窗内至少有1小时即6行被标记即视为检出）、中位检测延迟（从故障开始到第6个标记的小时数）、
每台每月误报小时数（所有故障时间窗之外被标记的行）、每台每月误报次数（未触及任何故障的连续标记段），
以及逐点精确率、召回率和F1。门槛：事件召回率 ≥ 80%，每台每月误报不超过10小时，中位检测延迟 ≤ 24小时。
鲁棒性探针（单独报告差值）：传感器噪声（功率20 kW，变化中的风速读数2%）、2%的功率和风速值缺失，
以及每台机组20次1–12小时的采集中断（固定随机种子）。排行榜对事件召回率、逐点F1和误报小时数等权计分。

## 基线
功率低于2014年同风速中位功率的70%（朴素基线）：事件召回率58.3%，逐点F1 0.18，每台每月误报21.0小时。
基于2014年分机组功率曲线的6小时残差z分数加风速计卡死规则：事件召回率79.2%，逐点F1 0.47，
每台每月误报22.2小时。两者均未通过门槛，这是有意为之：它们是需要超越的参照线。
将每台机组与同一时刻的相邻机组比较（其功率与2014年功率曲线之比对比相邻机组的中位比值，
并对比相邻机组中位出力下其2014年的出力，取过去12小时；强风时出力受限；相邻机组风速变化而本机风速计卡死），
仅用2014年数据调参：事件召回率87.5%，逐点F1 0.53，每台每月误报9.2小时，中位检测延迟8.0小时，通过全部门槛。
"""

C2B = DemoSuite(
    key="c2b",
    scenario_code="WIND-OM-AD-001",
    slug="c2b-la-haute-borne-scada-events",
    title_zh="C2b 风电机组SCADA异常事件检测：La Haute Borne（公开演示数据）",
    title_en="C2b Turbine SCADA anomaly events: La Haute Borne (public demo data)",
    description_zh=C2B_DESCRIPTION_ZH,
    description_en=C2B_DESCRIPTION_EN,
    config=C2B_CONFIG,
    inputs=(C2B_FILE,),
    builder=build_c2b_bundle,
    baselines=(
        "scada-power-ratio",
        "scada-power-curve-residual",
        "scada-fleet-detector",
    ),
    task_kind=TaskKind.EVENT_DETECTION,
)
