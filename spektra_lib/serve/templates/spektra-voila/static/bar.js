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
      right.appendChild(el("span", "peran", "(" + me.peran_nama + ")"));
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
