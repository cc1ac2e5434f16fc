// Story pages: "How the left, center and right headline it" lists the three sides one
// after another, which is how the page reads without JavaScript. With it, the sides
// become tabs (the WAI-ARIA tabs pattern): arrow keys, Home and End move between them.
(function () {
  "use strict";

  function enhance(container) {
    var panels = Array.prototype.slice.call(container.querySelectorAll("section[data-side]"));
    if (panels.length < 2) { return; }
    var list = document.createElement("div");
    list.className = "perspective-tablist";
    list.setAttribute("role", "tablist");
    list.setAttribute("aria-label", "Sides of the spectrum");

    var tabs = panels.map(function (panel) {
      var heading = panel.querySelector(".perspective-side");
      var tab = document.createElement("button");
      tab.type = "button";
      tab.id = panel.id + "-tab";
      tab.className = "perspective-tab";
      tab.setAttribute("role", "tab");
      tab.setAttribute("aria-controls", panel.id);
      tab.setAttribute("data-side", panel.getAttribute("data-side"));
      tab.textContent = heading ? heading.textContent : panel.getAttribute("data-side");
      if (heading) { heading.classList.add("visually-hidden"); }
      panel.setAttribute("role", "tabpanel");
      panel.setAttribute("aria-labelledby", tab.id);
      panel.setAttribute("tabindex", "0");
      list.appendChild(tab);
      return tab;
    });

    function select(index, focus) {
      tabs.forEach(function (tab, i) {
        var chosen = i === index;
        tab.setAttribute("aria-selected", chosen ? "true" : "false");
        tab.tabIndex = chosen ? 0 : -1;
        panels[i].hidden = !chosen;
      });
      if (focus) { tabs[index].focus(); }
    }

    list.addEventListener("click", function (event) {
      var index = tabs.indexOf(event.target.closest("[role=tab]"));
      if (index >= 0) { select(index, false); }
    });
    list.addEventListener("keydown", function (event) {
      var current = tabs.indexOf(document.activeElement);
      var moves = { ArrowRight: current + 1, ArrowLeft: current - 1, Home: 0, End: tabs.length - 1 };
      if (current < 0 || !(event.key in moves)) { return; }
      event.preventDefault();
      select((moves[event.key] + tabs.length) % tabs.length, true);
    });

    container.insertBefore(list, container.firstChild);
    container.classList.add("is-tabbed");
    // Open on the first side that covered the story; a side without coverage stays a tab.
    var covered = panels.map(function (p) { return p.getAttribute("data-covered"); });
    select(Math.max(covered.indexOf("true"), 0), false);
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-perspective-tabs]"), enhance);
  });
})();
