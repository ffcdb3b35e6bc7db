/* SPEKTRA: pencarian, halaman dan tombol +/− untuk tabel hierarki (tanpa pustaka luar). */
(function () {
  if (window.spektraTabel) return;
  window.spektraTabel = function (id) {
    var root = document.getElementById(id);
    if (!root || root.getAttribute("data-siap")) return;
    root.setAttribute("data-siap", "1");
    var groups = Array.prototype.slice.call(root.querySelectorAll("tbody.node"));
    var input = root.querySelector("input.cari");
    var pilih = root.querySelector("select.per-halaman");
    var prev = root.querySelector("button.sebelumnya");
    var next = root.querySelector("button.berikutnya");
    var info = root.querySelector(".info-halaman");
    var ke = root.querySelector("input.ke-halaman");
    var perHalaman = parseInt(root.getAttribute("data-per-halaman"), 10) || 20;
    var page = 0, cocok = groups;

    function saring() {
      var q = (input.value || "").trim().toLowerCase();
      if (!q) { cocok = groups; } else {
        var keep = {};
        groups.forEach(function (g, i) {
          if ((g.getAttribute("data-teks") || "").indexOf(q) < 0) return;
          keep[i] = true;
          // Keep a match's ancestors so that it is read in its place in the hierarchy.
          (g.getAttribute("data-induk") || "").split(" ").forEach(function (a) {
            if (a !== "") keep[a] = true;
          });
        });
        cocok = groups.filter(function (g, i) { return keep[i]; });
      }
      page = 0;
      tampil();
    }

    function tampil() {
      var n = Math.max(1, Math.ceil(cocok.length / perHalaman));
      if (page >= n) page = n - 1;
      var awal = page * perHalaman, akhir = awal + perHalaman;
      groups.forEach(function (g) { g.hidden = true; });
      cocok.forEach(function (g, i) { g.hidden = !(i >= awal && i < akhir); });
      if (info) info.textContent = cocok.length
        ? "Halaman " + (page + 1) + " dari " + n + " (" + cocok.length + " baris)"
        : "Tidak ada data yang cocok";
      if (ke) { ke.max = n; ke.value = page + 1; }
      if (prev) prev.disabled = page <= 0;
      if (next) next.disabled = page >= n - 1;
    }

    if (input) input.addEventListener("input", saring);
    if (pilih) pilih.addEventListener("change", function () {
      perHalaman = parseInt(pilih.value, 10) || perHalaman; page = 0; tampil();
    });
    if (ke) ke.addEventListener("change", function () {
      var k = parseInt(ke.value, 10);
      if (k >= 1) { page = k - 1; tampil(); }
    });
    if (prev) prev.addEventListener("click", function () { page -= 1; tampil(); });
    if (next) next.addEventListener("click", function () { page += 1; tampil(); });
    root.addEventListener("click", function (e) {
      var b = e.target.closest ? e.target.closest("button.toggle") : null;
      if (!b || !root.contains(b)) return;
      var g = b.closest("tbody");
      var buka = b.getAttribute("aria-expanded") !== "true";
      Array.prototype.forEach.call(g.querySelectorAll("tr.rencana, tr.realisasi"),
        function (tr) { tr.hidden = !buka; });
      b.setAttribute("aria-expanded", buka ? "true" : "false");
      b.textContent = buka ? "\u2212" : "+";
      b.title = buka ? "Sembunyikan rencana dan realisasi" : "Tampilkan rencana dan realisasi";
    });
    tampil();
  };
})();
