// SPEKTRA: a choice on a drawn page (serve/snapshot.py) loads the drawn page for that
// choice in place: the part below the header bar is replaced and its scripts (charts,
// tables) run. Without JavaScript the form's Tampilkan button loads the whole page.
(function () {
  function rerun(box) {
    box.querySelectorAll("script").forEach(function (old) {
      var s = document.createElement("script");
      for (var i = 0; i < old.attributes.length; i++)
        s.setAttribute(old.attributes[i].name, old.attributes[i].value);
      s.text = old.text;
      old.replaceWith(s);
    });
  }
  function query(form, changed) {
    var q = new URLSearchParams();
    new FormData(form).forEach(function (v, k) {
      // a new satker has unit kerja of its own: the old unit is not one of them
      if (v !== "" && !(k === "unit" && changed === "satker")) q.append(k, v);
    });
    return q;
  }
  function wire() {
    var form = document.querySelector("form.spektra-kontrol");
    if (!form) return;
    form.addEventListener("change", function (ev) {
      if (!ev.target.name) return;
      var q = query(form, ev.target.name), whole = form.action + (q.toString() ? "?" + q : "");
      q.set("bagian", "isi");
      var box = document.getElementById("spektra-bagian");
      box.setAttribute("aria-busy", "true");
      fetch(form.action + "?" + q, {credentials: "same-origin"})
        .then(function (r) {
          // a lapsed login (redirected to Masuk), too many requests, a server error:
          // the whole page says it better than a part of one
          if (r.redirected || r.status >= 500 || r.status === 429) throw r.status;
          return r.text();
        })
        .then(function (text) {
          box.innerHTML = text;
          box.removeAttribute("aria-busy");
          rerun(box);
          wire();
        })
        .catch(function () { location.href = whole; });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", wire);
  else wire();
})();
