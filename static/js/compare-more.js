// "另有 N 项" on /compare/: a cell's figures past the first six are drawn on their own
// page (/compare/more/?city=…&dimension=…&kind=…), the link inside the <details>.
// Opening the <details> fetches that page and puts its list in the cell; if the fetch
// fails, the link stays and still works. Without this script the link is the way.
(function () {
  "use strict";
  function load(box) {
    var url = box.getAttribute("data-more");
    if (!box.open || !url || box.getAttribute("data-loaded")) return;
    box.setAttribute("data-loaded", "loading");
    fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (answer) {
        if (!answer.ok) throw new Error("HTTP " + answer.status);
        return answer.text();
      })
      .then(function (html) {
        var found = new DOMParser().parseFromString(html, "text/html").getElementById("more-figures");
        var slot = box.querySelector(".more-slot");
        if (!found || !slot) throw new Error("no list");
        var list = document.importNode(found, true);
        list.removeAttribute("id");
        slot.replaceWith(list);
        box.setAttribute("data-loaded", "yes");
      })
      .catch(function () {
        box.removeAttribute("data-loaded");
      });
  }
  document.querySelectorAll("details[data-more]").forEach(function (box) {
    box.addEventListener("toggle", function () { load(box); });
  });
})();
