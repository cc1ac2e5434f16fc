// Story pages: the bias tabs and page links are plain links that work without
// JavaScript. With it, they swap in the article list without reloading the page
// and keep the address bar (and the back button) in step.
(function () {
  "use strict";
  var SECTION = "articles";

  function section() { return document.getElementById(SECTION); }

  function swap(url, push) {
    var current = section();
    var list = current && current.querySelector(".article-list");
    if (list) { list.setAttribute("aria-busy", "true"); }
    return fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.text();
      })
      .then(function (html) {
        var next = new DOMParser().parseFromString(html, "text/html").getElementById(SECTION);
        if (!next || !current) { throw new Error("no article section"); }
        current.replaceWith(next);
        if (push) { history.pushState({ articles: true }, "", url); }
        next.dispatchEvent(new CustomEvent("newsroom:updated", { bubbles: true }));
        var heading = next.querySelector("h2");
        if (heading) { heading.setAttribute("tabindex", "-1"); heading.focus(); }
      })
      .catch(function () { window.location.assign(url); });
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest(
      "#" + SECTION + " nav.bias-tabs a[data-bucket], #" + SECTION + " .pagination a"
    );
    if (!link || event.defaultPrevented || event.button !== 0 ||
        event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) { return; }
    event.preventDefault();
    swap(link.href, true);
  });

  // Only entries this script made (or the page it started on) hold article lists;
  // fragment jumps such as the skip link make entries without state.
  if (section()) { history.replaceState({ articles: true }, ""); }
  window.addEventListener("popstate", function (event) {
    if (event.state && event.state.articles && section()) {
      swap(window.location.href, false);
    }
  });
})();
