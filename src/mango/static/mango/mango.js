// Site-wide behaviour. No inline scripts anywhere: the Content-Security-Policy forbids them.
document.addEventListener("DOMContentLoaded", function () {
  // After a failed submit, focus the error summary so screen readers announce it.
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();

  // The staff menu folds behind one button on phones.
  var toggle = document.querySelector(".menu-toggle");
  var nav = document.getElementById("site-nav");
  if (toggle && nav) {
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      nav.classList.toggle("open", open);
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && nav.classList.contains("open")) {
        nav.classList.remove("open");
        toggle.setAttribute("aria-expanded", "false");
        toggle.focus();
      }
    });
    // Mark the menu entry of the page shown: the longest link that starts the path.
    var best = null;
    nav.querySelectorAll("ul a").forEach(function (link) {
      var path = new URL(link.href, location.href).pathname;
      if (location.pathname.indexOf(path) === 0 && (!best || path.length > best.path.length)) {
        best = { link: link, path: path };
      }
    });
    if (best) best.link.setAttribute("aria-current", "page");
  }

  // A box that scrolls sideways (a wide table on a phone) takes the keyboard focus, so that
  // keyboard users can scroll it too (WCAG 2.1.1).
  function focusableScrollBoxes() {
    document.querySelectorAll("main table, main .table-wrap, main .scroll-x, main .table-block")
      .forEach(function (box) {
        // A box that scrolls either way must take the keyboard focus (phones cap tall tables).
        var style = getComputedStyle(box);
        var scrolls = (box.scrollWidth > box.clientWidth + 1 && style.overflowX !== "visible") ||
          (box.scrollHeight > box.clientHeight + 1 && style.overflowY !== "visible");
        if (scrolls && !box.hasAttribute("tabindex")) {
          box.setAttribute("tabindex", "0");
          box.setAttribute("data-scroll-focus", "");
        } else if (!scrolls && box.hasAttribute("data-scroll-focus")) {
          box.removeAttribute("tabindex");
          box.removeAttribute("data-scroll-focus");
        }
      });
  }
  focusableScrollBoxes();
  window.addEventListener("resize", focusableScrollBoxes);
  document.body.addEventListener("htmx:afterSettle", focusableScrollBoxes);

  // Long filter forms start folded on phones, so that the list is in view.
  if (window.matchMedia("(max-width: 48rem)").matches) {
    document.querySelectorAll("details[data-fold-on-phone]").forEach(function (box) {
      if (!box.querySelector(".invalid, .errorlist")) box.open = false;
    });
  }

  // A form whose submit can take a moment says so and cannot be sent twice.
  document.querySelectorAll("form[data-busy]").forEach(function (form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll("button[type=submit]").forEach(function (button) {
        button.setAttribute("aria-disabled", "true");
        button.addEventListener("click", function (event) { event.preventDefault(); });
      });
      form.setAttribute("aria-busy", "true");
    });
  });
});
