// Story pages: the coverage panels are <details>, open in the HTML so every reader
// sees them without JavaScript. On a phone they follow the article list; there
// they start folded, one line each, and open on a tap.
(function () {
  "use strict";
  if (!window.matchMedia || window.matchMedia("(min-width: 60rem)").matches) { return; }
  var panels = document.querySelectorAll("details.fold[open]");
  Array.prototype.forEach.call(panels, function (panel) { panel.removeAttribute("open"); });
})();
