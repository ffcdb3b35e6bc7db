// SPEKTRA: the header bar on every Voilà page (Beranda, who is looking, Masuk / Keluar).
// A preheated page is rendered before anyone asks for it, so the bar asks who is looking.
(function () {
  function el(tag, cls, text, href) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    if (href) e.href = href;
    return e;
  }
  function draw(me) {
    var bar = el("nav", "spektra-bar");
    bar.appendChild(el("a", "merek", "SPEKTRA", "/"));
    bar.appendChild(el("a", "", "Beranda", "/"));
    if (me.peran === "admin") bar.appendChild(el("a", "", "Administrasi", "/admin"));
    var right = el("span", "kanan");
    var back = encodeURIComponent(location.pathname + location.search);
    if (me.nama) {
      right.appendChild(el("span", "nama", me.nama));
      var peran = "(" + me.peran_nama + ")";     // not twice: "Kepala Biro (Super User)"
      if (me.nama.replace(/\s+$/, "").slice(-peran.length) !== peran)
        right.appendChild(el("span", "peran", peran));
      right.appendChild(el("a", "keluar", "Keluar", "/keluar"));
    } else {
      right.appendChild(el("span", "peran", "Publik"));
      if (me.login) {
        var url = me.masuk.indexOf("{kembali}") >= 0 ? me.masuk.replace("{kembali}", back)
                                                      : me.masuk + "?kembali=" + back;
        right.appendChild(el("a", "masuk", "Masuk", url));
      }
    }
    bar.appendChild(right);
    document.body.insertBefore(bar, document.body.firstChild);
    // The module menu under the bar, as on the static site: what this user may open.
    if (me.menu && me.menu.length) {
      var nav = el("nav", "spektra-modul");
      me.menu.forEach(function (g) {
        var grup = el("span", "modul");
        grup.appendChild(el("span", "modul-judul", g.judul));
        g.halaman.forEach(function (h) {
          var a = el("a", "", h.judul, "/voila/render/" + encodeURIComponent(h.nama) + ".ipynb");
          if (location.pathname.slice(-(h.nama.length + 7)) === "/" + h.nama + ".ipynb")
            a.className = "aktif";
          grup.appendChild(a);
        });
        nav.appendChild(grup);
      });
      bar.parentNode.insertBefore(nav, bar.nextSibling);
    }
  }
  function start() {
    fetch("/_spektra/saya", {credentials: "same-origin", cache: "no-store"})
      .then(function (r) { return r.json(); })
      .then(draw)
      .catch(function () { draw({nama: null, login: false}); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
