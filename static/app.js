// newsarchive: small progressive enhancements. Every feature works without this file.
(function () {
  "use strict";

  var SHORTCUTS = "newsarchive-shortcuts";  // localStorage: "off" turns single-key shortcuts off
  var REFRESH_DELAY_MS = 200;

  // Typing in a facet page's filter box narrows the list at once, then asks the server for
  // every matching value (the page lists only the first ones) and the count that goes with it.
  function liveFilter(input) {
    var form = input.form;
    var listId = input.getAttribute("data-filter-list");
    var timer = null;
    var asked = 0;
    function narrowShown() {
      var needle = input.value.trim().toLowerCase();
      document.getElementById(listId).querySelectorAll("li").forEach(function (item) {
        var value = item.querySelector(".value");
        var text = value ? value.textContent.toLowerCase() : "";
        item.hidden = needle !== "" && text.indexOf(needle) === -1;
      });
    }
    function refresh() {
      var url = form.action + "?" + new URLSearchParams(new FormData(form)).toString();
      var number = ++asked;
      fetch(url, { headers: { Accept: "text/html" } })
        .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
        .then(function (text) {
          if (number !== asked) { return; }  // a later keystroke has asked again
          var fresh = new DOMParser().parseFromString(text, "text/html");
          [listId, "facet-count", "facet-limit"].forEach(function (id) {
            var here = document.getElementById(id);
            var there = fresh.getElementById(id);
            if (here && there) { here.innerHTML = there.innerHTML; here.hidden = there.hidden; }
          });
          history.replaceState(null, "", url);
        })
        .catch(function () { /* the values shown stay narrowed; Filter still submits */ });
    }
    input.addEventListener("input", function () {
      narrowShown();
      clearTimeout(timer);
      timer = setTimeout(refresh, REFRESH_DELAY_MS);
    });
  }

  function shortcutsOn() {
    try { return window.localStorage.getItem(SHORTCUTS) !== "off"; } catch (error) { return true; }
  }

  // The switch in "Search tips" that turns single-key shortcuts off (WCAG 2.1.4), remembered.
  function shortcutSwitch(box) {
    box.checked = shortcutsOn();
    box.closest("[data-shortcuts]").hidden = false;
    box.addEventListener("change", function () {
      try { window.localStorage.setItem(SHORTCUTS, box.checked ? "on" : "off"); } catch (error) { /* private mode */ }
    });
  }

  // "/" jumps to the end of the search box; "j" and "k" move between results.
  function keyboard(event) {
    var target = event.target;
    if (event.ctrlKey || event.metaKey || event.altKey || !shortcutsOn()) { return; }
    if (target.closest && target.closest("input, textarea, select, [contenteditable]")) { return; }
    if (event.key === "/") {
      event.preventDefault();
      var box = document.getElementById("q");
      box.focus();
      box.setSelectionRange(box.value.length, box.value.length);
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
  document.querySelectorAll("#shortcuts-on").forEach(shortcutSwitch);
  document.addEventListener("keydown", keyboard);
})();
