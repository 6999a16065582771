// newsarchive: small progressive enhancements. Every feature works without this file.
(function () {
  "use strict";

  // Typing in a facet page's filter box narrows the list at once (the form still submits).
  function liveFilter(input) {
    var list = document.getElementById(input.getAttribute("data-filter-list"));
    if (!list) { return; }
    input.addEventListener("input", function () {
      var needle = input.value.trim().toLowerCase();
      list.querySelectorAll("li").forEach(function (item) {
        var value = item.querySelector(".value");
        var text = value ? value.textContent.toLowerCase() : "";
        item.hidden = needle !== "" && text.indexOf(needle) === -1;
      });
    });
  }

  // "/" jumps to the search box; "j" and "k" move between results.
  function keyboard(event) {
    var target = event.target;
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    if (target.closest && target.closest("input, textarea, select")) { return; }
    if (event.key === "/") {
      event.preventDefault();
      document.getElementById("q").focus();
      return;
    }
    if (event.key !== "j" && event.key !== "k") { return; }
    var links = Array.prototype.slice.call(document.querySelectorAll(".hit h2 a"));
    if (!links.length) { return; }
    var index = links.indexOf(document.activeElement);
    index = event.key === "j" ? Math.min(index + 1, links.length - 1) : Math.max(index - 1, 0);
    links[index].focus();
    event.preventDefault();
  }

  document.querySelectorAll("[data-filter-list]").forEach(liveFilter);
  document.addEventListener("keydown", keyboard);
})();
