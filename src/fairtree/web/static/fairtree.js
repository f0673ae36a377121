/* fairtree pages work without script; this file only enhances them.
   - the menu collapses behind a button on narrow screens;
   - a link marked data-fragment loads a small server fragment into its target in place
     (one tree level, the next page of a level) instead of opening a whole page;
   - a <details data-src> loads its content from the server when first opened;
   - an element with data-poll (a running job) follows the job's JSON status in place,
     and reloads the page once the job is done (without script the page refreshes). */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function menu() {
    var toggle = document.querySelector(".menu-toggle");
    var nav = document.getElementById("site-nav");
    if (!toggle || !nav) return;
    nav.setAttribute("data-collapsed", "true");
    toggle.setAttribute("aria-expanded", "false");
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") === "true";
      toggle.setAttribute("aria-expanded", open ? "false" : "true");
      nav.setAttribute("data-collapsed", open ? "true" : "false");
    });
  }

  function load(url, done, failed) {
    var request = new XMLHttpRequest();
    request.open("GET", url);
    request.setRequestHeader("X-Fragment", "1");
    request.onload = function () {
      if (request.status >= 200 && request.status < 300) done(request.responseText);
      else failed(request.status);
    };
    request.onerror = function () { failed(0); };
    request.send();
  }

  function fragments() {
    document.addEventListener("click", function (event) {
      var link = event.target.closest ? event.target.closest("a[data-fragment]") : null;
      if (!link || event.ctrlKey || event.metaKey || event.shiftKey) return;
      var target = document.getElementById(link.getAttribute("data-target"));
      if (!target) return;
      event.preventDefault();
      if (link.getAttribute("aria-expanded") === "true") {
        target.innerHTML = "";
        target.hidden = true;
        link.setAttribute("aria-expanded", "false");
        return;
      }
      link.setAttribute("aria-busy", "true");
      load(link.getAttribute("data-fragment"), function (html) {
        link.removeAttribute("aria-busy");
        if (link.getAttribute("data-replace") === "true") {
          target.outerHTML = html;
          return;
        }
        target.innerHTML = html;
        target.hidden = false;
        link.setAttribute("aria-expanded", "true");
      }, function (status) {
        link.removeAttribute("aria-busy");
        target.hidden = false;
        target.textContent = "Could not load (" + status + "). Follow the link instead.";
      });
    });
  }

  function lazyDetails() {
    document.addEventListener("toggle", function (event) {
      var details = event.target;
      if (!details.matches || !details.matches("details[data-src]") || !details.open) return;
      var body = details.querySelector(".lazy-body");
      if (!body || body.getAttribute("data-loaded") === "true") return;
      body.textContent = "Loading…";
      load(details.getAttribute("data-src"), function (html) {
        body.innerHTML = html;
        body.setAttribute("data-loaded", "true");
      }, function (status) {
        body.textContent = "Could not load the explanation (" + status + ").";
      });
    }, true);
  }

  function pollJob() {
    var box = document.querySelector("[data-poll]");
    if (!box) return;
    var url = box.getAttribute("data-poll");
    var stage = box.querySelector(".stage");
    var percent = box.querySelector(".percent");
    var bar = box.querySelector("progress");
    function tick() {
      var request = new XMLHttpRequest();
      request.open("GET", url);
      request.setRequestHeader("Accept", "application/json");
      request.onload = function () {
        if (request.status !== 200) { window.setTimeout(tick, 5000); return; }
        var job = JSON.parse(request.responseText);
        if (job.status === "done" || job.status === "failed") { window.location.reload(); return; }
        if (stage) stage.textContent = job.stage;
        if (percent) percent.textContent = job.percent === null ? "" : " (" + job.percent + "%)";
        if (bar && job.percent !== null) { bar.value = job.percent; bar.textContent = job.percent + "%"; }
        window.setTimeout(tick, 1500);
      };
      request.onerror = function () { window.setTimeout(tick, 5000); };
      request.send();
    }
    window.setTimeout(tick, 1500);
  }

  function init() { menu(); fragments(); lazyDetails(); pollJob(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
