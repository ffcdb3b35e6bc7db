"""`spektra serve --periksa`: is the running service answering? For systemd and admins.

Asks the service on this machine (127.0.0.1:PORT) the way a user's browser does, plus the
backend's own figures, and prints one Indonesian line per check:

1. the front answers: nginx (with --login) or Voilà, the landing page (Beranda);
2. the backend answers with the run key: nginx passes /_spektra/periksa (this machine
   only) to the backend's /_spektra/status over the socket, adding the key; its kernels
   are within the ceiling;
3. the store is readable, with its latest month and Posisi data;
4. the public dashboard is drawn (its snapshot, or a kernel's page).

Exit 0 when every check passes, 1 otherwise (2: nothing answers at all).
"""
from __future__ import annotations

import time

import httpx

TIMEOUT = 60.0


def _dtk(seconds: float) -> str:
    return f"{seconds:.2f}".replace(".", ",") + " dtk"


def periksa(port: int = 8866, host: str = "127.0.0.1", out=print) -> int:
    from ..present.format import nama_bulan, tanggal_panjang
    base = f"http://{host}:{port}"
    out(f"Memeriksa SPEKTRA di {base}/")
    ok = True

    def line(good: bool, text: str):
        nonlocal ok
        ok = ok and good
        out(f"  {'ok   ' if good else 'GAGAL'}  {text}")

    with httpx.Client(base_url=base, timeout=TIMEOUT) as c:
        t = time.monotonic()
        try:
            home = c.get("/")
        except httpx.HTTPError as exc:
            out(f"  GAGAL  tidak ada yang menjawab di {base} ({type(exc).__name__}); "
                "apakah `spektra serve` berjalan dengan --port ini?")
            out("Tidak sehat.")
            return 2
        line(home.status_code == 200 and "SPEKTRA" in home.text,
             f"halaman depan menjawab {home.status_code} dalam {_dtk(time.monotonic() - t)}")

        status = None
        r = c.get("/_spektra/periksa")
        via = "lewat proxy dengan kunci run"
        if r.status_code == 404:            # without --login: Voilà itself, no key
            r = c.get("/_spektra/status")
            via = "langsung (tanpa --login)"
        try:
            status = r.json() if r.status_code == 200 else None
        except ValueError:
            status = None
        if status is None:
            line(False, f"backend Voilà tidak menjawab (kode {r.status_code}); lihat log "
                        "`spektra serve`")
        else:
            k, maks = status.get("kernel", 0), status.get("maks_kernel", 0)
            line(k <= maks, f"backend Voilà menjawab {via}: kernel {k} dari batas {maks} "
                            f"(Voilà {status.get('kernel_voila', k)}, di antaranya siaga "
                            f"{status.get('kernel_siaga', 0)}; penggambar halaman "
                            f"{status.get('kernel_potret', 0)})")
            st = status.get("store") or {}
            if st.get("terbaca"):
                posisi = st.get("posisi_data")
                from datetime import date
                teks = tanggal_panjang(date.fromisoformat(posisi)) if posisi else \
                    "belum ada data bertanggal"
                line(True, f"store terbaca: data terakhir {nama_bulan(st['bulan'])} "
                           f"{st['tahun']}; Posisi data {teks}")
            else:
                line(False, f"store tidak terbaca: {st.get('galat', 'tidak diketahui')}")

        t = time.monotonic()
        try:
            page = c.get("/voila/render/dashboard.ipynb")
            drawn = page.status_code == 200 and ("vegaEmbed" in page.text
                                                 or "widget-view" in page.text)
            line(drawn, f"dashboard {'tergambar' if drawn else 'tidak tergambar'} "
                        f"(kode {page.status_code}, {_dtk(time.monotonic() - t)})")
        except httpx.HTTPError as exc:
            line(False, f"dashboard tidak menjawab ({type(exc).__name__})")
    out("Sehat." if ok else "Tidak sehat.")
    return 0 if ok else 1
