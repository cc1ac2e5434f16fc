// Keeps "3 hours ago" labels current: pages are cached for a few minutes, and
// readers leave tabs open. Without JavaScript the server's wording stays.
// The wording is built here rather than by Intl.RelativeTimeFormat, whose first
// use on a page costs a phone a long task (its locale data); the site is English.
(function () {
  "use strict";
  var UNITS = [
    ["year", 31536000], ["month", 2592000], ["week", 604800],
    ["day", 86400], ["hour", 3600], ["minute", 60]
  ];
  // One unit away, said as English says it ("yesterday", not "1 day ago").
  var NEXT_TO_NOW = {
    day: ["yesterday", "tomorrow"], week: ["last week", "next week"],
    month: ["last month", "next month"], year: ["last year", "next year"]
  };

  function phrase(count, unit) {
    var n = Math.abs(count);
    if (n === 1 && NEXT_TO_NOW[unit]) { return NEXT_TO_NOW[unit][count < 0 ? 0 : 1]; }
    var words = n + " " + unit + (n === 1 ? "" : "s");
    return count < 0 ? words + " ago" : "in " + words;
  }

  function describe(date) {
    var seconds = (date.getTime() - Date.now()) / 1000;
    for (var i = 0; i < UNITS.length; i++) {
      var size = UNITS[i][1];
      if (Math.abs(seconds) >= size) { return phrase(Math.round(seconds / size), UNITS[i][0]); }
    }
    return "just now";
  }

  function refresh(root) {
    var times = (root || document).querySelectorAll("time[data-relative]");
    Array.prototype.forEach.call(times, function (element) {
      var date = new Date(element.getAttribute("datetime"));
      if (isNaN(date.getTime())) { return; }
      // Rewriting a label that has not changed would still lay the page out again.
      var text = describe(date);
      if (element.textContent !== text) { element.textContent = text; }
    });
  }

  document.addEventListener("DOMContentLoaded", function () { refresh(); });
  document.addEventListener("newsroom:updated", function (event) { refresh(event.target); });
  window.setInterval(refresh, 60000);
})();
