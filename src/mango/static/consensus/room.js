// A participant's phone in a live session: every two seconds ask whether the facilitator
// moved on (another statement, a new vote, the ranking); reload the page when so.
(function () {
  "use strict";
  var room = document.getElementById("room");
  if (!room) return;
  var url = room.getAttribute("data-state-url");
  var state = room.getAttribute("data-state");
  function check() {
    fetch(url, { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.ok ? r.text() : state; })
      .then(function (now) {
        if (now.trim() !== state) window.location.reload();
      })
      .catch(function () {});
  }
  setInterval(check, 2000);
})();
