// Keeps "3 hours ago" labels current: pages are cached for a few minutes, and
// readers leave tabs open. Without JavaScript the server's wording stays.
(function () {
  "use strict";
  var UNITS = [
    ["year", 31536000], ["month", 2592000], ["week", 604800],
    ["day", 86400], ["hour", 3600], ["minute", 60]
  ];
  var format = window.Intl && Intl.RelativeTimeFormat
    ? new Intl.RelativeTimeFormat("en", { numeric: "auto" })
    : null;

  function describe(date) {
    var seconds = (date.getTime() - Date.now()) / 1000;
    for (var i = 0; i < UNITS.length; i++) {
      var size = UNITS[i][1];
      if (Math.abs(seconds) >= size) {
        return format.format(Math.round(seconds / size), UNITS[i][0]);
      }
    }
    return "just now";
  }

  function refresh(root) {
    if (!format) { return; }
    var times = (root || document).querySelectorAll("time[data-relative]");
    Array.prototype.forEach.call(times, function (element) {
      var date = new Date(element.getAttribute("datetime"));
      if (!isNaN(date.getTime())) { element.textContent = describe(date); }
    });
  }

  document.addEventListener("DOMContentLoaded", function () { refresh(); });
  document.addEventListener("newsroom:updated", function (event) { refresh(event.target); });
  window.setInterval(refresh, 60000);
})();
