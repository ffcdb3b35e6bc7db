/* SPEKTRA: kotak nomor halaman dan saringan (jenis belanja, dari–s.d. bulan, satker / unit
   kerja) di halaman statis, atas data yang sudah ada di halaman itu (tanpa server). */
(function () {
  if (window.spektraDatar) return;

  // DataTables of an itables table, once itables has made it (its module loads async).
  function denganTabel(table, cb) {
    var tries = 0;
    (function tunggu() {
      var key = Object.keys(window).filter(function (k) { return /^_itables_/.test(k); })[0];
      if (key && table.classList.contains("dataTable")) {
        Promise.resolve(window[key]).then(function (m) { cb(m.jQuery(table).DataTable()); });
      } else if (tries++ < 400) {
        setTimeout(tunggu, 50);
      }
    })();
  }

  function kotakHalaman(root, dt) {
    var paging = root.querySelector(".dt-paging");
    if (!paging || root.querySelector("input.ke-halaman")) return;
    var label = document.createElement("label");
    label.className = "ke-halaman";
    label.textContent = "Ke halaman ";
    var input = document.createElement("input");
    input.type = "number"; input.min = "1"; input.className = "ke-halaman";
    input.setAttribute("aria-label", "Nomor halaman");
    label.appendChild(input);
    paging.parentNode.insertBefore(label, paging);
    function sinkron() {
      var info = dt.page.info();
      input.max = Math.max(1, info.pages);
      input.value = info.page + 1;
    }
    input.addEventListener("change", function () {
      var info = dt.page.info(), k = parseInt(input.value, 10);
      if (k >= 1) dt.page(Math.min(k, Math.max(1, info.pages)) - 1).draw("page");
      sinkron();
    });
    dt.on("draw", sinkron);
    sinkron();
  }

  // Rows of indices into one dictionary of texts per column (page/saring.py _kamus).
  function buka(kamus, rows) {
    return rows.map(function (r) {
      return r.map(function (ix, c) { return kamus[c][ix]; });
    });
  }

  // A chart's datasets by column, texts from one list (page/saring.py _kolom).
  function bukaData(ds, kata) {
    var out = {};
    Object.keys(ds).forEach(function (name) {
      var d = ds[name], rows = [];
      for (var i = 0; i < d.n; i++) rows.push({});
      Object.keys(d.k).forEach(function (f) {
        var col = d.k[f], s = col && col.s;
        (s || col).forEach(function (v, i) {
          rows[i][f] = s ? (v < 0 ? null : kata[v]) : v;
        });
      });
      out[name] = rows;
    });
    return out;
  }

  function saring(root, dt) {
    var blok = root.querySelector("script.saring-data");
    if (!blok) return;
    var data = JSON.parse(blok.textContent);
    var awal = dt.rows().data().toArray();        // the rows of the default choice
    var pilih = {};
    Array.prototype.forEach.call(root.querySelectorAll("select.saring"), function (s) {
      pilih[s.getAttribute("data-saring")] = s;
    });
    var ket = root.querySelector(".saring-keterangan");

    function terapkan() {
      var rows, label;
      if (data.mode === "baris") {                // rows of the whole range, by month
        var dari = parseInt(pilih.dari.value, 10), sd = parseInt(pilih.sd.value, 10);
        rows = [];
        awal.forEach(function (r, i) {
          var m = data.bulan[i];
          if (m >= dari && m <= sd) {
            r = r.slice();
            if (data.nomor) r[0] = String(rows.length + 1);
            rows.push(r);
          }
        });
        label = data.label[dari + "-" + sd];
      } else {
        var key = data.mode === "rentang" ? pilih.dari.value + "-" + pilih.sd.value
                                          : pilih.nilai.value;
        rows = key === data.bawaan ? awal : buka(data.kamus, data.baris[key] || []);
        label = data.label[key];
      }
      dt.clear(); dt.rows.add(rows); dt.draw();
      root.setAttribute("data-pilihan", data.mode === "pilihan" ? pilih.nilai.value
                        : pilih.dari.value + "-" + pilih.sd.value);
      if (ket && label) ket.textContent = label;
    }

    if (pilih.dari && pilih.sd) {
      // s.d. never before dari: the months before dari are greyed out of s.d.
      var batas = function () {
        var d = parseInt(pilih.dari.value, 10);
        Array.prototype.forEach.call(pilih.sd.options, function (o) {
          o.disabled = parseInt(o.value, 10) < d;
        });
        if (parseInt(pilih.sd.value, 10) < d) pilih.sd.value = String(d);
      };
      pilih.dari.addEventListener("change", function () { batas(); terapkan(); });
      pilih.sd.addEventListener("change", terapkan);
      batas();
    } else if (pilih.nilai) {
      pilih.nilai.addEventListener("change", terapkan);
    }
    Object.keys(pilih).forEach(function (k) { pilih[k].disabled = false; });
    root.setAttribute("data-saring-siap", "1");
  }

  window.spektraDatar = function (id) {
    var root = document.getElementById(id);
    if (!root || root.getAttribute("data-siap")) return;
    root.setAttribute("data-siap", "1");
    var table = root.querySelector("table[id^=itables_]");
    if (!table) return;
    denganTabel(table, function (dt) {
      kotakHalaman(root, dt);
      saring(root, dt);
    });
  };

  // Charts per satker / unit kerja (dashboard): every chart of the page follows the one
  // select.pilih-scope; specs are shared, each choice carries only its data.
  window.spektraGrafik = function (id) {
    var root = document.getElementById(id);
    if (!root || root.getAttribute("data-siap")) return;
    root.setAttribute("data-siap", "1");
    var data = JSON.parse(root.querySelector("script.grafik-data").textContent);
    var target = root.querySelector(".spektra-grafik");
    function gambar(key) {
      var p = data.pilihan[key];
      if (!p || !window.vegaEmbed) return;
      var spec = JSON.parse(JSON.stringify(data.spesifikasi[p[0]]));
      spec.datasets = bukaData(p[1], data.kata);
      root.setAttribute("data-pilihan", key);
      var embed = window.vegaEmbed;      // the page's chart bundle
      embed("#" + target.id, spec, {actions: false});
    }
    document.addEventListener("change", function (e) {
      if (e.target && e.target.classList && e.target.classList.contains("pilih-scope")) {
        gambar(e.target.value);
      }
    });
  };
  window.spektraPilihScope = function (id) {
    var root = document.getElementById(id);
    if (!root) return;
    var s = root.querySelector("select.pilih-scope");
    var ket = root.querySelector(".saring-keterangan");
    s.disabled = false;
    // The page title names the scope ("Dashboard … — Seluruh Satker — s.d. Mei 2022"):
    // it follows the choice, as the charts do.
    var awal = s.options[s.selectedIndex].getAttribute("data-judul") || "";
    function gantiJudul(baru) {
      var h1 = document.querySelector("h1");
      if (!h1 || !awal || !baru) return;
      var walker = document.createTreeWalker(h1, NodeFilter.SHOW_TEXT);
      for (var n = walker.nextNode(); n; n = walker.nextNode()) {
        var i = n.nodeValue.indexOf(" \u2014 " + awal + " \u2014 ");
        if (i >= 0) {
          n.nodeValue = n.nodeValue.slice(0, i) + " \u2014 " + baru + " \u2014 "
            + n.nodeValue.slice(i + awal.length + 6);
          awal = baru;
          return;
        }
      }
    }
    s.addEventListener("change", function () {
      var o = s.options[s.selectedIndex];
      if (ket) ket.textContent = o.getAttribute("data-nama") || "";
      gantiJudul(o.getAttribute("data-judul") || "");
    });
  };
})();
