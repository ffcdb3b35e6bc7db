"""Every report of CONTRACT.md §2: (store, parameters) -> tidy DataFrame, never formatted.

The registry maps a report name to "module:function"; modules load on first use so that
`spektra report` and a notebook pay only for the report they run.
"""
from __future__ import annotations

import importlib
import inspect
from typing import Callable

import pandas as pd

REGISTRY: dict[str, str] = {
    "ranking_satker": "dashboard:ranking_satker",
    "ranking_unit": "dashboard:ranking_unit",
    "ranking_prioritas_nasional": "dashboard:ranking_prioritas_nasional",
    "grafik_rpd_realisasi": "dashboard:grafik_rpd_realisasi",
    "grafik_target_realisasi": "dashboard:grafik_target_realisasi",
    "deviasi_detail": "perencanaan:deviasi_detail",
    "deviasi_kumulatif": "perencanaan:deviasi_kumulatif",
    "realisasi_pok": "keuangan:realisasi_pok",
    "realisasi_akun": "keuangan:realisasi_akun",
    "realisasi_satker": "keuangan:realisasi_satker",
    "monitoring_spp": "keuangan:monitoring_spp",
    "capaian_output": "capaian:capaian_output",
    # Additions to CONTRACT §2 (issue 6).
    "status_capaian": "capaian:status_capaian",
    "ikpa_estimasi": "ikpa:ikpa_estimasi",
}

# Indonesian titles, as the seed manual names the screens.
TITLES: dict[str, str] = {
    "ranking_satker": "Ranking Realisasi Penyerapan Anggaran Satuan Kerja",
    "ranking_unit": "Ranking Realisasi Penyerapan Anggaran Unit Kerja Kantor Pusat",
    "ranking_prioritas_nasional": "Ranking Realisasi Unit Kerja dengan Program Prioritas Nasional",
    "grafik_rpd_realisasi": "Grafik Rencana Penarikan Dana dan Realisasi",
    "grafik_target_realisasi": "Grafik Target dan Realisasi Penyerapan per Jenis Belanja",
    "deviasi_detail": "Deviasi Rencana dan Realisasi Detail",
    "deviasi_kumulatif": "Deviasi Rencana dan Realisasi per Satker / Unit Kerja (Kumulatif)",
    "realisasi_pok": "Realisasi POK",
    "realisasi_akun": "Realisasi per Program s.d. Akun",
    "realisasi_satker": "Realisasi per Satuan Kerja / Unit Kerja",
    "monitoring_spp": "Monitoring SPP / SPM / SP2D",
    "capaian_output": "Capaian Output per Rincian Output",
    "status_capaian": "Status Pelaporan Capaian Output",
    "ikpa_estimasi": "Estimasi Nilai IKPA",
}


def get(name: str) -> Callable[..., pd.DataFrame]:
    try:
        target = REGISTRY[name]
    except KeyError:
        raise ValueError(
            f"Laporan '{name}' tidak dikenal. Pilihan: {', '.join(sorted(REGISTRY))}") from None
    module, func = target.split(":")
    return getattr(importlib.import_module(f"{__name__}.{module}"), func)


def parameters_of(name: str) -> list[str]:
    """The keyword parameters a report accepts (besides store)."""
    sig = inspect.signature(get(name))
    return [p for p in sig.parameters if p != "store"]


def run(name: str, store, **params) -> pd.DataFrame:
    """Run a report with the parameters it accepts; others (None) are ignored, others set refuse."""
    fn = get(name)
    accepted = set(parameters_of(name))
    extra = {k: v for k, v in params.items() if k not in accepted and v is not None}
    if extra:
        raise ValueError(f"Laporan '{name}' tidak memakai parameter: {', '.join(sorted(extra))}")
    return fn(store, **{k: v for k, v in params.items() if k in accepted})


def __getattr__(name: str):
    # `reports.deviasi_detail(...)` works as the contract says.
    if name in REGISTRY:
        return get(name)
    raise AttributeError(name)
