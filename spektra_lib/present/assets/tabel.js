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
    // What the search box looks in: a group's data-teks, else its kode and uraian.
    var teks = groups.map(function (g) {
      var t = g.getAttribute("data-teks");
      if (t !== null) return t;
      var u = g.querySelector("td.uraian");
      return ((g.getAttribute("data-kode") || "") + " " + (u ? u.textContent : "")).toLowerCase();
    });
    Array.prototype.forEach.call(root.querySelectorAll("td.belum-jatuh-tempo"),
      function (td) { td.title = "belum jatuh tempo"; });
    // Deviasi: the + button of each node (its rows are built when it is first opened).
    groups.forEach(function (g) {
      var u = g.hasAttribute("data-rencana") && g.querySelector("td.uraian");
      if (!u) return;
      var b = document.createElement("button");
      b.type = "button";
      b.className = "toggle";
      b.setAttribute("aria-expanded", "false");
      b.title = "Tampilkan rencana dan realisasi";
      b.textContent = "+";
      u.insertBefore(b, u.firstChild);
    });

    function saring() {
      var q = (input.value || "").trim().toLowerCase();
      if (!q) { cocok = groups; } else {
        var keep = {};
        groups.forEach(function (g, i) {
          if (teks[i].indexOf(q) < 0) return;
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

    // Deviasi: the Rencana / Realisasi rows come from the node's compact data the first
    // time it is opened (formatted figures, "|" between months; "" = not yet due).
    function barisRencana(g) {
      if (!g.hasAttribute("data-rencana") || g.querySelector("tr.rencana")) return;
      var label = (root.getAttribute("data-baris") || "Rencana|Realisasi").split("|");
      var dev = g.querySelector("tr.deviasi");
      [["rencana", label[0]], ["realisasi", label[1]]].forEach(function (jenis) {
        var tr = document.createElement("tr");
        tr.className = jenis[0];
        tr.hidden = true;
        tr.appendChild(document.createElement("td"));
        var ket = tr.appendChild(document.createElement("td"));
        ket.className = "keterangan";
        ket.textContent = jenis[1];
        var nilai = g.getAttribute("data-" + jenis[0]);
        nilai = nilai ? nilai.split("|") : [];
        function kosong(n) {
          var td = tr.appendChild(document.createElement("td"));
          td.className = "angka belum-jatuh-tempo";
          td.title = "belum jatuh tempo";
          if (n > 1) td.colSpan = n;
        }
        nilai.forEach(function (v) {
          if (v === "") { kosong(1); return; }
          var td = tr.appendChild(document.createElement("td"));
          td.className = "angka";
          td.textContent = v;
        });
        if (nilai.length < 12) kosong(12 - nilai.length);
        g.insertBefore(tr, dev);
      });
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
      if (buka) barisRencana(g);
      Array.prototype.forEach.call(g.querySelectorAll("tr.rencana, tr.realisasi"),
        function (tr) { tr.hidden = !buka; });
      b.setAttribute("aria-expanded", buka ? "true" : "false");
      b.textContent = buka ? "\u2212" : "+";
      b.title = buka ? "Sembunyikan rencana dan realisasi" : "Tampilkan rencana dan realisasi";
    });
    tampil();
  };
})();
