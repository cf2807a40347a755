// The facet panel is a <details>: folded below 600 px so the first result is near
// the top of a phone's screen, open as a sidebar on wider screens (search.css does
// the same without JavaScript where the browser supports ::details-content).
(function () {
  "use strict";
  var panel = document.querySelector("details.facet-panel");
  if (!panel || !window.matchMedia) return;
  var wide = window.matchMedia("(min-width: 600px)");
  function sync() {
    if (wide.matches) panel.open = true;
  }
  sync();
  wide.addEventListener("change", sync);
})();
