// A story wall: shows one story at a time, advances on its own, and fetches the current list
// again and again, so a story that is no longer shared (consent withdrawn, erased) disappears.
// No inline script: the Content-Security-Policy forbids it; settings come from data- attributes.
(function () {
  "use strict";
  const LONG = 600; // characters: smaller type for long stories

  function start() {
    const wall = document.getElementById("wall");
    if (!wall) return;
    const slides = wall.querySelector(".slides");
    const advanceMs = Math.max(2, Number(wall.dataset.advance) || 15) * 1000;
    const refreshMs = Math.max(2, Number(wall.dataset.refresh) || 60) * 1000;
    let stories = Array.from(slides.querySelectorAll(".slide")).map(function (fig) {
      return {
        id: Number(fig.dataset.story),
        text: fig.querySelector("blockquote").textContent,
        lang: fig.querySelector("blockquote").getAttribute("lang") || "",
        month: fig.querySelector("figcaption").textContent,
      };
    });
    let index = 0;

    function render() {
      slides.textContent = "";
      if (!stories.length) {
        const p = document.createElement("p");
        p.className = "empty";
        p.textContent = wall.dataset.empty;
        slides.appendChild(p);
        wall.dataset.current = "";
        return;
      }
      index = index % stories.length;
      const story = stories[index];
      const fig = document.createElement("figure");
      fig.className = "slide current" + (story.text.length > LONG ? " long" : "");
      fig.dataset.story = String(story.id);
      const quote = document.createElement("blockquote");
      quote.textContent = story.text; // text only: never parsed as HTML
      if (story.lang) quote.setAttribute("lang", story.lang);
      const caption = document.createElement("figcaption");
      caption.textContent = story.month;
      fig.appendChild(quote);
      fig.appendChild(caption);
      slides.appendChild(fig);
      wall.dataset.current = String(story.id);
    }

    function advance() {
      if (stories.length) index = (index + 1) % stories.length;
      render();
    }

    function refresh() {
      fetch(wall.dataset.url, { headers: { Accept: "application/json" }, cache: "no-store" })
        .then(function (response) {
          if (response.status === 404) return { stories: [] }; // revoked or renewed link
          if (!response.ok) throw new Error("wall " + response.status);
          return response.json();
        })
        .then(function (data) {
          const currentId = stories.length ? stories[index % stories.length].id : null;
          stories = data.stories || [];
          const still = stories.findIndex(function (s) { return s.id === currentId; });
          if (still >= 0) {
            index = still;
          } else {
            index = 0;
            render(); // the story on screen is gone: replace it at once
          }
        })
        .catch(function () { /* keep showing what we have; try again at the next refresh */ });
    }

    render();
    window.setInterval(advance, advanceMs);
    window.setInterval(refresh, refreshMs);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
